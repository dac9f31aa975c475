//! Issue 14, hole 8: broadcast and presence topics are declared per app and
//! decided by the row rules of the row they name; each message carries its
//! sender as the server authenticated it; every topic has its own fan-out;
//! broadcasts and presence joins are rate-limited per principal.

use std::sync::Arc;
use std::time::Duration;

use serde_json::{json, Value};

use crate::common::ws::WsClient;
use crate::common::{self, TestDb, TestServer};

const CHANNEL: &str = "subscription($t: String!) { channel(topic: $t) { topic event payload sender { role userId } } }";
const SEND: &str = "mutation($t: String!, $e: String!, $p: JSON) { broadcast(topic: $t, event: $e, payload: $p) }";
const PRESENCE: &str = "subscription($t: String!, $m: JSON) { presence(topic: $t, meta: $m) { kind me members { key meta } } }";

fn user_token(id: &str) -> String {
    common::token("authenticated", Some(id), 3600)
}

/// POSTs `body` (one operation or a batch) to `app` as the holder of `token`.
async fn post(server: &TestServer, app: &str, token: &str, body: Value) -> Value {
    let resp = common::client_with_token(token).post(server.endpoint(app)).json(&body).send().await.expect("request sent");
    assert_eq!(resp.status(), 200, "status");
    resp.json().await.expect("JSON body")
}

/// The `extensions.code` of the first error of `body` (`None` without errors).
fn code_of(body: &Value) -> Option<String> {
    body["errors"][0]["extensions"]["code"].as_str().map(str::to_string)
}

/// Sends a broadcast as the holder of `token`: the error code, if any.
async fn send_as(server: &TestServer, app: &str, token: &str, topic: &str, event: &str) -> Option<String> {
    let body = post(server, app, token, json!({ "query": SEND, "variables": { "t": topic, "e": event } })).await;
    code_of(&body)
}

/// The error code a subscription ends with at once (its first message must be an error).
async fn refused_subscription(ws: &mut WsClient, id: &str, query: &str, variables: Value) -> String {
    ws.subscribe(id, query, variables).await;
    let msg = ws.next_for(id).await;
    let errors = if msg["type"] == "error" { msg["payload"].clone() } else { msg["payload"]["errors"].clone() };
    let code = errors[0]["extensions"]["code"].as_str().unwrap_or_else(|| panic!("expected an error, got {msg}")).to_string();
    if msg["type"] != "error" {
        assert_eq!(ws.next_for(id).await["type"], "complete");
    }
    code
}

/// The next `channel` message of subscription `id`.
async fn next_message(ws: &mut WsClient, id: &str) -> Value {
    let payload = ws.next_data(id).await;
    assert!(payload.get("errors").is_none(), "unexpected errors: {payload}");
    payload["data"]["channel"].clone()
}

async fn create(server: &TestServer, mutation: &str, input: Value) -> String {
    let query = format!("mutation($i: {mutation}CreateInput!) {{ create{mutation}(input: $i) {{ id }} }}");
    let body = server.gql(&query, json!({ "i": input })).await;
    assert!(body.get("errors").is_none(), "{body:#}");
    body["data"][format!("create{mutation}")]["id"].as_str().expect("an id").to_string()
}

async fn settle() {
    tokio::time::sleep(Duration::from_millis(300)).await;
}

/// Team A is Alice's, with Bob as a Viewer; team C is Carol's. Carol can
/// neither listen to, send to, nor see or join the presence of `team:<A>`;
/// Bob can, and a message Alice sends reaches him with her identity as its
/// sender. Topics outside the declared families, malformed keys and rows that
/// do not exist are refused alike; the service role may use any topic.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn team_topics_are_for_who_may_read_the_team() {
    let server = TestServer::start().await;
    let alice = create(&server, "User", json!({ "email": "alice@example.com" })).await;
    let bob = create(&server, "User", json!({ "email": "bob@example.com" })).await;
    let carol = create(&server, "User", json!({ "email": "carol@example.com" })).await;
    let team_a = create(&server, "Team", json!({ "name": "A", "ownerId": alice })).await;
    create(&server, "Team", json!({ "name": "C", "ownerId": carol })).await;
    create(&server, "TeamMember", json!({ "teamId": team_a, "userId": bob, "role": "VIEWER" })).await;
    let topic = format!("team:{team_a}");
    let (alice_t, bob_t, carol_t) = (user_token(&alice), user_token(&bob), user_token(&carol));

    // Carol, of another team: refused on every use.
    let mut carol_ws = WsClient::connect_as(&server.base, "studio", &carol_t).await;
    assert_eq!(refused_subscription(&mut carol_ws, "c1", CHANNEL, json!({ "t": topic })).await, "FORBIDDEN");
    assert_eq!(refused_subscription(&mut carol_ws, "c2", PRESENCE, json!({ "t": topic, "m": { "spy": true } })).await, "FORBIDDEN");
    assert_eq!(send_as(&server, "studio", &carol_t, &topic, "inject").await.as_deref(), Some("FORBIDDEN"));
    // Unknown families, malformed keys and missing rows: the same refusal.
    let missing = format!("team:{}", uuid::Uuid::new_v4());
    for t in ["room", "team:not-a-uuid", "team:", missing.as_str(), "nope:1"] {
        assert_eq!(send_as(&server, "studio", &alice_t, t, "x").await.as_deref(), Some("FORBIDDEN"), "{t}");
    }
    let body = post(&server, "studio", &alice_t, json!({ "query": SEND, "variables": { "t": "room", "e": "x" } })).await;
    let message = body["errors"][0]["message"].as_str().unwrap();
    assert!(message.contains("team:{id}") && message.contains("project:{id}"), "the refusal names the declared topics: {message}");
    // Anonymous callers use no topic.
    let anon = common::token("anon", None, 3600);
    assert_eq!(send_as(&server, "studio", &anon, &topic, "x").await.as_deref(), Some("UNAUTHENTICATED"));

    // Bob, a Viewer of A: listens and is present; Alice (the owner) sends.
    let mut bob_ws = WsClient::connect_as(&server.base, "studio", &bob_t).await;
    bob_ws.subscribe("b1", CHANNEL, json!({ "t": topic })).await;
    settle().await;
    assert_eq!(send_as(&server, "studio", &alice_t, &topic, "hello").await, None);
    let m = next_message(&mut bob_ws, "b1").await;
    assert_eq!(m["topic"], topic.as_str());
    assert_eq!(m["event"], "hello");
    assert_eq!(m["sender"], json!({ "role": "authenticated", "userId": alice }), "the sender is who signed the request: {m}");
    // Carol's attempt left nothing on the topic.
    bob_ws.expect_silence(Duration::from_millis(300)).await;
    // A client cannot pose as someone else: the payload is data, the sender is the server's word.
    let spoof = json!({ "query": SEND, "variables": { "t": topic, "e": "spoof", "p": { "sender": { "userId": alice } } } });
    assert_eq!(code_of(&post(&server, "studio", &bob_t, spoof).await), None);
    let m = next_message(&mut bob_ws, "b1").await;
    assert_eq!(m["sender"], json!({ "role": "authenticated", "userId": bob }), "{m}");
    // The service role's messages say so.
    server.data(SEND, json!({ "t": topic, "e": "system" })).await;
    assert_eq!(next_message(&mut bob_ws, "b1").await["sender"], json!({ "role": "service_role", "userId": null }));

    // Presence: Alice and Bob see each other's meta; Carol was refused above and is not listed.
    let mut alice_ws = WsClient::connect_as(&server.base, "studio", &alice_t).await;
    alice_ws.subscribe("p", PRESENCE, json!({ "t": topic, "m": { "name": "alice" } })).await;
    let sync = alice_ws.next_data("p").await;
    assert_eq!(sync["data"]["presence"]["kind"], "SYNC", "{sync}");
    bob_ws.subscribe("p", PRESENCE, json!({ "t": topic, "m": { "name": "bob" } })).await;
    let sync = bob_ws.next_data("p").await;
    let mut metas: Vec<String> =
        sync["data"]["presence"]["members"].as_array().unwrap().iter().map(|m| m["meta"]["name"].as_str().unwrap().to_string()).collect();
    metas.sort();
    assert_eq!(metas, ["alice", "bob"], "{sync}");

    // The service role may use any topic, declared or not.
    let mut service_ws = WsClient::connect(&server.base, "studio").await;
    service_ws.subscribe("s", CHANNEL, json!({ "t": "room" })).await;
    settle().await;
    server.data(SEND, json!({ "t": "room", "e": "ops" })).await;
    assert_eq!(next_message(&mut service_ws, "s").await["event"], "ops");
}

/// orders: a user of tenant 1 may use `tenant:<1>`, not `tenant:<2>`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tenant_topics_are_for_the_tenants_users() {
    let server = TestServer::start().await;
    let orders = quiver::apps::find("orders").unwrap();
    assert!(orders.demo.unwrap().load_if_empty(orders.app(), &server.db.url, &[]).await.expect("demo data loads"));
    server.db.exec("UPDATE orders.ip_allowlist SET is_active = false").await;
    let rows = server
        .db
        .rows("SELECT DISTINCT ON (tenant_id) id::text AS u, tenant_id::text AS t FROM orders.users WHERE is_active ORDER BY tenant_id, id LIMIT 2")
        .await;
    let (user_1, tenant_1, tenant_2) = (rows[0]["u"].as_str().unwrap(), rows[0]["t"].as_str().unwrap(), rows[1]["t"].as_str().unwrap());
    let token = user_token(user_1);
    let (mine, theirs) = (format!("tenant:{tenant_1}"), format!("tenant:{tenant_2}"));

    let mut ws = WsClient::connect_as(&server.base, "orders", &token).await;
    assert_eq!(refused_subscription(&mut ws, "x", CHANNEL, json!({ "t": theirs })).await, "FORBIDDEN");
    assert_eq!(refused_subscription(&mut ws, "y", PRESENCE, json!({ "t": theirs })).await, "FORBIDDEN");
    assert_eq!(send_as(&server, "orders", &token, &theirs, "x").await.as_deref(), Some("FORBIDDEN"));
    // A studio team topic means nothing in orders.
    assert_eq!(send_as(&server, "orders", &token, &format!("team:{tenant_1}"), "x").await.as_deref(), Some("FORBIDDEN"));

    ws.subscribe("m", CHANNEL, json!({ "t": mine })).await;
    settle().await;
    assert_eq!(send_as(&server, "orders", &token, &mine, "order-ready").await, None);
    let m = next_message(&mut ws, "m").await;
    assert_eq!((m["event"].as_str(), m["sender"]["userId"].as_str()), (Some("order-ready"), Some(user_1)), "{m}");
}

/// The reproduced flood: 8 operations of 1,500 aliased `broadcast` fields
/// each, in one batched request of a plain signed-in user. The rate limit is
/// per principal, so the batch, its operations and their aliases draw on one
/// bucket: each operation is cut with `RATE_LIMITED`, and the topic's
/// subscriber gets what the bucket allowed, not 12,000 messages.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_batch_of_aliased_broadcasts_is_cut_by_the_per_principal_rate_limit() {
    let server = TestServer::start_with(&["--max-broadcasts-per-second=5"]).await;
    let user = create(&server, "User", json!({ "email": "flood@example.com" })).await;
    let token = user_token(&user);
    let topic = format!("user:{user}");
    let mut ws = WsClient::connect_as(&server.base, "studio", &token).await;
    ws.subscribe("1", CHANNEL, json!({ "t": topic })).await;
    settle().await;

    let fields: String = (0..1500).map(|i| format!("b{i}: broadcast(topic: $t, event: \"e\") ")).collect();
    let query = format!("mutation($t: String!) {{ {fields} }}");
    let batch: Vec<Value> = (0..8).map(|_| json!({ "query": query, "variables": { "t": topic } })).collect();
    let started = std::time::Instant::now();
    let answers = post(&server, "studio", &token, Value::Array(batch)).await;
    let elapsed = started.elapsed().as_secs_f64();
    let answers = answers.as_array().expect("a batch answer");
    assert_eq!(answers.len(), 8);
    for a in answers {
        assert_eq!(code_of(a).as_deref(), Some("RATE_LIMITED"), "every operation is cut: {a}");
    }
    // What got through: at most the bucket (5) plus its refill while the request ran.
    let mut delivered = 0;
    while let Some(msg) = ws.next_message_within(Duration::from_millis(1500)).await {
        assert_eq!(msg["payload"]["data"]["channel"]["sender"]["userId"], user.as_str(), "{msg}");
        delivered += 1;
    }
    let allowed = 5.0 + 5.0 * (elapsed + 0.5);
    assert!(delivered >= 1 && (delivered as f64) <= allowed, "{delivered} of 12,000 delivered in {elapsed:.1} s (allowed {allowed:.0})");

    // Another connection of the same user shares the bucket: presence joins too are per principal.
    let server_joins = TestServer::start_with(&["--max-presence-joins-per-minute=2"]).await;
    let joiner = create(&server_joins, "User", json!({ "email": "joiner@example.com" })).await;
    let joiner_topic = format!("user:{joiner}");
    let mut sockets = Vec::new();
    for i in 0..3 {
        let mut ws = WsClient::connect_as(&server_joins.base, "studio", &user_token(&joiner)).await;
        ws.subscribe("p", PRESENCE, json!({ "t": joiner_topic })).await;
        let msg = ws.next_for("p").await;
        if i < 2 {
            assert_eq!(msg["payload"]["data"]["presence"]["kind"], "SYNC", "join {i}: {msg}");
        } else {
            let errors = if msg["type"] == "error" { msg["payload"].clone() } else { msg["payload"]["errors"].clone() };
            assert_eq!(errors[0]["extensions"]["code"], "RATE_LIMITED", "the third join in a minute: {msg}");
        }
        sockets.push(ws);
    }
}

/// Each topic has its own queue: a flood on one topic makes its own slow
/// subscriber lag, never a subscriber of another topic (before, every topic
/// of every app shared one queue). A topic's channel goes with its last subscriber.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flood_on_one_topic_does_not_lag_another_topics_subscriber() {
    use quiver::realtime::{Realtime, RealtimeOptions};
    let db = TestDb::new().await;
    let pool = quiver::db::Db::connect(&db.url, &quiver::db::PoolOptions::default()).unwrap();
    let studio = quiver::apps::find("studio").unwrap().app();
    let models = vec![Arc::new(quiver::catalog::model::AppModel::new(studio))];
    let realtime = Realtime::start(pool, &db.url, models, RealtimeOptions { buffer: 16, ..RealtimeOptions::default() }).await.unwrap();
    let service = quiver::catalog::Principal::service();
    // Neither subscriber reads while the flood is sent.
    let mut busy = realtime.topic("studio", "busy");
    let mut quiet = realtime.topic("studio", "quiet");
    let mut other_app = realtime.topic("orders", "busy");
    for i in 0..200 {
        realtime.send("studio", &service, "busy", "flood", json!(i)).await.unwrap();
    }
    realtime.send("studio", &service, "quiet", "hello", json!("still here")).await.unwrap();
    let m = tokio::time::timeout(common::ws::WAIT, quiet.recv()).await.expect("a message").expect("no lag on the quiet topic");
    assert_eq!((m.event.as_str(), &m.payload), ("hello", &json!("still here")));
    assert_eq!(m.sender.role, "service_role");
    let flooded = tokio::time::timeout(common::ws::WAIT, busy.recv()).await.expect("the flood arrives");
    assert!(matches!(flooded, Err(tokio::sync::broadcast::error::RecvError::Lagged(_))), "the flooded topic's own reader lags");
    assert!(
        tokio::time::timeout(Duration::from_millis(300), other_app.recv()).await.is_err(),
        "another app's topic of the same name hears nothing"
    );
    assert_eq!(realtime.live_topics(), 3);
    drop((busy, quiet, other_app));
    assert_eq!(realtime.live_topics(), 0, "channels go with their last subscriber");
    realtime.shutdown();
}

/// An open listener is decided again while it listens: Bob, removed from
/// team A, stops receiving its messages with `FORBIDDEN` at the next re-check.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_listener_removed_from_the_team_is_cut_off() {
    use quiver::realtime::{Realtime, RealtimeOptions};
    let server = TestServer::start().await;
    let alice = create(&server, "User", json!({ "email": "alice@example.com" })).await;
    let bob = create(&server, "User", json!({ "email": "bob@example.com" })).await;
    let team = create(&server, "Team", json!({ "name": "A", "ownerId": alice })).await;
    create(&server, "TeamMember", json!({ "teamId": team, "userId": bob, "role": "VIEWER" })).await;
    let topic = format!("team:{team}");

    let pool = quiver::db::Db::connect(&server.db.url, &quiver::db::PoolOptions::default()).unwrap();
    let models = vec![Arc::new(quiver::catalog::model::AppModel::new(quiver::apps::find("studio").unwrap().app()))];
    let options = RealtimeOptions { topic_recheck: Duration::from_millis(200), ..RealtimeOptions::default() };
    let realtime = Realtime::start(pool, &server.db.url, models, options).await.unwrap();
    let (alice_p, bob_p) = (quiver::catalog::Principal::user(alice.as_str()), quiver::catalog::Principal::user(bob.as_str()));
    let mut heard = realtime.listen("studio", &bob_p, &topic).await.expect("a member listens");
    let (mut present, _member, _guard) = realtime.enter("studio", &bob_p, &topic, json!({ "name": "bob" })).await.expect("and is present");
    realtime.send("studio", &alice_p, &topic, "hello", json!(1)).await.unwrap();
    let m = tokio::time::timeout(common::ws::WAIT, heard.recv()).await.expect("a message").expect("open").expect("allowed");
    assert_eq!((m.event.as_str(), m.sender.user_id.as_deref()), ("hello", Some(alice.as_str())));

    server.db.exec(&format!("DELETE FROM studio.team_members WHERE user_id = '{bob}'")).await;
    let cut = tokio::time::timeout(common::ws::WAIT, heard.recv()).await.expect("the re-check comes").expect("an answer");
    assert_eq!(cut.err().map(|e| e.code()), Some("FORBIDDEN"));
    let cut = loop {
        match tokio::time::timeout(common::ws::WAIT, present.recv()).await.expect("the re-check comes").expect("an answer") {
            Ok(_) => continue, // Bob's own join
            Err(e) => break e,
        }
    };
    assert_eq!(cut.code(), "FORBIDDEN");
    assert_eq!(
        realtime.send("studio", &bob_p, &topic, "still here?", json!(null)).await.err().map(|e| e.code()),
        Some("FORBIDDEN"),
        "nor may he send"
    );
    realtime.shutdown();
}
