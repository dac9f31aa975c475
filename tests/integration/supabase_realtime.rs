//! Supabase Realtime's wire protocol (issue 16): the real
//! `@supabase/supabase-js` 2.119.1 client under Node (tests/js/supabase.mjs)
//! for what apps do, and a raw WebSocket client for the protocol's edges.

use futures_util::{SinkExt, StreamExt};
use serde_json::{json, Value};
use tokio_tungstenite::tungstenite::Message;

use crate::common::js::node_with;
use crate::common::ws::WAIT;
use crate::common::{service_token, token, TestServer};

const ALICE: &str = "0f5b8a34-1d6e-4c1e-9a7b-00000000a11c";
const BOB: &str = "0f5b8a34-1d6e-4c1e-9a7b-000000000b0b";
/// A studio team of Alice (owner) and Bob.
const TEAM: &str = "0f5b8a34-1d6e-4c1e-9a7b-0000000075a3";
/// Its broadcast and presence topic, as supabase-js spells the channel.
const TEAM_TOPIC: &str = "realtime:team:0f5b8a34-1d6e-4c1e-9a7b-0000000075a3";

async fn with_users() -> TestServer {
    let server = TestServer::start().await;
    server
        .db
        .exec(&format!("INSERT INTO studio.users (id, email) VALUES ('{ALICE}', 'alice@example.com'), ('{BOB}', 'bob@example.com')"))
        .await;
    // Broadcast and presence topics are declared per app: both are in team TEAM (`team:<id>`).
    server
        .db
        .exec(&format!(
            "INSERT INTO studio.teams (id, name, owner_id) VALUES ('{TEAM}', 'both', '{ALICE}');
             INSERT INTO studio.team_members (team_id, user_id, role) VALUES ('{TEAM}', '{ALICE}', 'Owner'), ('{TEAM}', '{BOB}', 'Editor')"
        ))
        .await;
    server
}

/// Supabase's anon key: a JWT with role `anon`, signed with the server's secret.
fn anon_key() -> String {
    token("anon", None, 3600)
}

/// Runs a scenario of tests/js/supabase.mjs; returns its last line as JSON.
async fn scenario(name: &str, server: &TestServer, extra: &[(&str, &str)]) -> Value {
    let (anon, service) = (anon_key(), service_token());
    let (alice, bob) = (token("authenticated", Some(ALICE), 3600), token("authenticated", Some(BOB), 3600));
    let mut env = vec![
        ("BASE", server.base.as_str()),
        ("ANON_KEY", anon.as_str()),
        ("SERVICE_TOKEN", service.as_str()),
        ("ALICE", ALICE),
        ("BOB", BOB),
        ("ALICE_TOKEN", alice.as_str()),
        ("BOB_TOKEN", bob.as_str()),
        ("TEAM", TEAM),
    ];
    env.extend_from_slice(extra);
    let run = node_with(&["--experimental-websocket"], "supabase.mjs", &[name], &env).await;
    let out = run.success();
    eprintln!("{}", run.stderr);
    let last = out.lines().last().unwrap_or_default();
    serde_json::from_str(last).unwrap_or_else(|e| panic!("{e}: {out}\n{}", run.stderr))
}

fn ev(ty: &str, new: Option<&str>, old: Option<&str>) -> Value {
    json!({ "type": ty, "new": new, "old": old })
}

async fn changes_with_filters_and_rules(vsn: &str) {
    let server = with_users().await;
    let got = scenario("changes", &server, &[("VSN", vsn)]).await;
    let seen = &got["seen"];
    assert_eq!(
        seen["all"],
        json!([
            ev("INSERT", Some("keep-1"), None),
            ev("INSERT", Some("drop-2"), None),
            ev("UPDATE", Some("renamed"), Some("w1")),
            ev("UPDATE", Some("xrenamed"), Some("w2")),
            ev("DELETE", None, Some("w1")),
            ev("DELETE", None, Some("w2")),
            ev("INSERT", Some("keep-last"), None),
            ev("UPDATE", Some("renamed"), Some("wl")),
            ev("DELETE", None, Some("wl")),
        ]),
        "{got:#}"
    );
    assert_eq!(seen["ins"], json!([ev("INSERT", Some("keep-1"), None), ev("INSERT", Some("keep-last"), None)]));
    assert_eq!(seen["upd"], json!([ev("UPDATE", Some("renamed"), Some("w1")), ev("UPDATE", Some("renamed"), Some("wl"))]));
    assert_eq!(seen["del"], json!([ev("DELETE", None, Some("w1")), ev("DELETE", None, Some("wl"))]));
    // Bob's rules: only his own rows (the app named by `schema`, no path prefix).
    assert_eq!(seen["bob"], json!([ev("INSERT", Some("keep-3"), None), ev("INSERT", Some("bob-last"), None)]));
    assert_eq!(got["system"], json!(["Subscribed to PostgreSQL"]));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn supabase_js_changes_with_filters_and_row_rules_vsn2() {
    changes_with_filters_and_rules("2.0.0").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn supabase_js_changes_with_filters_and_row_rules_vsn1() {
    changes_with_filters_and_rules("1.0.0").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn supabase_js_broadcast_and_presence_across_instances() {
    let server = with_users().await;
    let second = server.second_instance(&[]).await;
    let got = scenario("rooms", &server, &[("BASE2", second.base.as_str())]).await;
    assert_eq!(got["tracked"], json!(["ok", "ok"]), "{got:#}");
    assert_eq!(got["state"], json!(["alice"]));
    assert_eq!(got["acks"], json!(["ok", "ok", "ok"]));
    // Alice has `self`: her own messages and Bob's; Bob's own is not sent back to him.
    assert_eq!(got["got"], json!({ "a": [1, 2, 3], "b": [1, 3] }));
    let events = got["events"].as_array().unwrap();
    assert!(events.contains(&json!("join bob")) && events.last() == Some(&json!("leave bob")), "{got:#}");
    assert_eq!(got["after"], "alice");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn supabase_js_token_refresh_and_expiry() {
    let server = with_users().await;
    crate::common::js::ensure_installed().await;
    let short = token("authenticated", Some(ALICE), 3);
    let got = scenario("tokens", &server, &[("SHORT_TOKEN", short.as_str())]).await;
    // The change made while anonymous was not anon's to see; after the refresh it is
    // Alice's, and the stream resumes from where it stood: nothing lost.
    assert_eq!(got["seen"], json!(["while-anon", "as-alice"]), "{got:#}");
    let system: Vec<&str> = got["system"].as_array().unwrap().iter().map(|m| m.as_str().unwrap()).collect();
    assert_eq!(system[..2], ["postgres_changes/ok: Subscribed to PostgreSQL", "postgres_changes/ok: Subscribed to PostgreSQL"]);
    assert!(system.contains(&"system/error: Token has expired"), "{system:?}");
    assert_eq!(got["closed"], true);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn supabase_js_reconnect_replays_missed_changes() {
    let server = with_users().await;
    let got = scenario("replay", &server, &[]).await;
    assert_eq!(got["seen"], json!(["INSERT one", "UPDATE two", "UPDATE three", "DELETE "]), "{got:#}");
    assert!(got["sockets"].as_u64().unwrap() >= 2);
}

// ---------------------------------------------------------------------------
// Raw protocol
// ---------------------------------------------------------------------------

type Socket = tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

fn ws_url(base: &str, path: &str, query: &str) -> String {
    format!("{}{path}?{query}", base.replacen("http://", "ws://", 1))
}

async fn connect(base: &str, path: &str, key: &str, vsn: &str) -> Socket {
    let (socket, _) = tokio_tungstenite::connect_async(ws_url(base, path, &format!("apikey={key}&vsn={vsn}"))).await.expect("connects");
    socket
}

async fn send(socket: &mut Socket, frame: Value) {
    socket.send(Message::Text(frame.to_string().into())).await.unwrap();
}

/// The next text frame, as JSON.
async fn next(socket: &mut Socket) -> Value {
    loop {
        match tokio::time::timeout(WAIT, socket.next()).await.expect("a frame in time") {
            Some(Ok(Message::Text(t))) => return serde_json::from_str(t.as_str()).unwrap(),
            Some(Ok(Message::Ping(_) | Message::Pong(_))) => continue,
            other => panic!("expected a text frame, got {other:?}"),
        }
    }
}

/// The status and JSON body of a refused upgrade.
async fn refused(url: &str) -> (u16, Value) {
    match tokio_tungstenite::connect_async(url).await {
        Err(tokio_tungstenite::tungstenite::Error::Http(response)) => {
            let body = response.body().as_ref().map(|b| serde_json::from_slice(b).unwrap()).unwrap_or(Value::Null);
            (response.status().as_u16(), body)
        }
        other => panic!("expected an HTTP refusal, got {:?}", other.map(|_| ())),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_credentials_are_refused_before_the_upgrade() {
    let server = TestServer::start().await;
    let (status, body) = refused(&ws_url(&server.base, "/realtime/v1/websocket", "vsn=2.0.0")).await;
    assert_eq!((status, body), (401, json!({ "error": "API key is missing" })));
    let forged = quiver::auth::jwt::mint_hs256(
        "another-secret-that-is-at-least-32-bytes",
        &quiver::auth::jwt::Claims {
            sub: None,
            role: Some("anon".into()),
            email: None,
            exp: quiver::auth::jwt::now() + 60,
            nbf: None,
            iat: None,
            aud: None,
        },
    )
    .unwrap();
    for path in ["/realtime/v1/websocket", "/studio/realtime/v1/websocket"] {
        let (status, body) = refused(&ws_url(&server.base, path, &format!("apikey={forged}&vsn=2.0.0"))).await;
        assert_eq!(status, 401, "{path}: {body}");
        assert!(body["error"].as_str().is_some_and(|e| !e.is_empty()), "{body}");
    }
    let (status, body) = refused(&ws_url(&server.base, "/studio/realtime/v1/websocket", "apikey=nope.nope&vsn=2.0.0")).await;
    assert_eq!(status, 401, "{body}");
    let (status, _) = refused(&ws_url(&server.base, "/studio/realtime/v1/websocket", &format!("apikey={}&vsn=9.9.9", anon_key()))).await;
    assert_eq!(status, 400);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn join_reply_heartbeat_and_filter_errors() {
    let server = TestServer::start().await;
    let mut ws = connect(&server.base, "/realtime/v1/websocket", &anon_key(), "2.0.0").await;
    send(&mut ws, json!([null, "1", "phoenix", "heartbeat", {}])).await;
    assert_eq!(next(&mut ws).await, json!([null, "1", "phoenix", "phx_reply", { "status": "ok", "response": {} }]));
    send(&mut ws, json!(["2", "3", "realtime:nowhere", "broadcast", {}])).await;
    assert_eq!(next(&mut ws).await[4], json!({ "status": "error", "response": { "reason": "unmatched topic" } }));

    let good = json!({ "event": "*", "schema": "studio", "table": "workbenches", "filter": "name=eq.x", "extra": 1 });
    let bad = json!({ "event": "INSERT", "schema": "studio", "table": "workbenches", "filter": "name=foo.hey" });
    let config = json!({ "config": { "broadcast": { "self": "false" }, "postgres_changes": [good, bad], "unknown": true } });
    send(&mut ws, json!(["4", "4", "realtime:room", "phx_join", config])).await;
    let reply = next(&mut ws).await;
    assert_eq!(reply[3], "phx_reply", "{reply}");
    assert_eq!(reply[4]["status"], "ok", "{reply}");
    let echoed = reply[4]["response"]["postgres_changes"].as_array().unwrap();
    assert_eq!(echoed.len(), 2);
    for (e, sent) in echoed.iter().zip([&good, &bad]) {
        let mut e = e.clone();
        assert!(e["id"].is_u64(), "{e}");
        e.as_object_mut().unwrap().remove("id");
        assert_eq!(&e, sent, "bindings are echoed unchanged");
    }
    let error = next(&mut ws).await;
    assert_eq!(
        error,
        json!(["4", null, "realtime:room", "system", {
            "message": "Error parsing `filter` params: [\"name\", \"foo\"]",
            "status": "error", "extension": "postgres_changes", "channel": "room" }])
    );
    let live = next(&mut ws).await;
    assert_eq!(live[4]["message"], "Subscribed to PostgreSQL", "{live}");

    // A change as Supabase shapes it (as the service role: no rules hide it).
    let mut svc = connect(&server.base, "/studio/realtime/v1/websocket", &service_token(), "1.0.0").await;
    let binding = json!({ "event": "INSERT", "schema": "public", "table": "users", "filter": "email=like.%@example.com" });
    send(&mut svc, json!({ "topic": "realtime:u", "event": "phx_join", "payload": { "config": { "postgres_changes": [binding] } }, "ref": "1", "join_ref": "1" })).await;
    let reply = next(&mut svc).await;
    assert_eq!(reply["ref"], "1");
    assert!(reply.get("join_ref").is_none(), "vsn 1.0.0 leaves join_ref out: {reply}");
    let id = reply["payload"]["response"]["postgres_changes"][0]["id"].clone();
    assert_eq!(next(&mut svc).await["payload"]["message"], "Subscribed to PostgreSQL");
    server.db.exec("INSERT INTO studio.users (email, password_hash) VALUES ('x@other.org', 'h'), ('y@example.com', 'h')").await;
    let event = next(&mut svc).await;
    assert_eq!((&event["event"], &event["ref"]), (&json!("postgres_changes"), &Value::Null));
    let data = &event["payload"]["data"];
    assert_eq!(event["payload"]["ids"], json!([id]));
    assert_eq!((&data["schema"], &data["table"], &data["type"]), (&json!("studio"), &json!("users"), &json!("INSERT")));
    assert_eq!(data["record"]["email"], "y@example.com");
    assert!(data["record"].get("password_hash").is_none(), "secret columns stay out: {data}");
    let columns = data["columns"].as_array().unwrap();
    assert!(
        columns.contains(&json!({ "name": "id", "type": "uuid" }))
            && columns.contains(&json!({ "name": "is_email_verified", "type": "bool" }))
    );
    assert!(data["commit_timestamp"].as_str().unwrap().ends_with('Z') && data["commit_timestamp"].as_str().unwrap().len() == 24, "{data}");
    assert!(data["cursor"].as_str().unwrap().contains('.'));
    assert!(data.get("old_record").is_none());

    // Not JSON arrays under vsn 2.0.0: the socket closes with a protocol error.
    ws.send(Message::Text("{\"topic\":\"phoenix\"}".into())).await.unwrap();
    match tokio::time::timeout(WAIT, ws.next()).await.unwrap() {
        Some(Ok(Message::Close(Some(frame)))) => assert_eq!(u16::from(frame.code), 1007, "{frame:?}"),
        other => panic!("expected a close frame, got {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn apps_are_named_by_path_or_schema_and_rest_broadcast_reaches_channels() {
    let server = with_users().await;
    let alice = token("authenticated", Some(ALICE), 3600);
    // No prefix and no binding naming an app: the join says how to name one.
    let mut ws = connect(&server.base, "/realtime/v1/websocket", &alice, "2.0.0").await;
    send(&mut ws, json!(["1", "1", "realtime:room", "phx_join", { "config": {} }])).await;
    let reply = next(&mut ws).await;
    assert_eq!(reply[4]["status"], "error");
    assert!(reply[4]["response"]["reason"].as_str().unwrap().starts_with("UnknownApp"), "{reply}");

    let mut ws = connect(&server.base, "/studio/realtime/v1/websocket", &alice, "2.0.0").await;
    send(&mut ws, json!(["1", "1", TEAM_TOPIC, "phx_join", { "config": { "broadcast": { "self": true } } }])).await;
    assert_eq!(next(&mut ws).await[4], json!({ "status": "ok", "response": { "postgres_changes": [] } }));
    let http = reqwest::Client::new();
    let url = format!("{}/studio/realtime/v1/api/broadcast", server.base);
    let body = json!({ "messages": [{ "topic": format!("team:{TEAM}"), "event": "hello", "payload": { "n": 1 }, "private": false }] });
    let anon = http.post(&url).header("apikey", anon_key()).json(&body).send().await.unwrap();
    assert_eq!(anon.status(), 401);
    assert!(anon.json::<Value>().await.unwrap()["error"].is_string());
    let sent = http.post(&url).header("apikey", anon_key()).bearer_auth(&alice).json(&body).send().await.unwrap();
    assert_eq!(sent.status(), 202);
    assert_eq!(
        next(&mut ws).await,
        json!([null, null, TEAM_TOPIC, "broadcast", { "type": "broadcast", "event": "hello", "payload": { "n": 1 } }])
    );
    // A binary user broadcast (kind 3) is re-broadcast, to the sender too with `self`.
    let (topic, event, payload) = (TEAM_TOPIC, "bin", br#"{"x":3}"#);
    let mut frame = vec![3u8, 1, 1, topic.len() as u8, event.len() as u8, 0, 1];
    frame.extend_from_slice(b"12");
    frame.extend_from_slice(topic.as_bytes());
    frame.extend_from_slice(event.as_bytes());
    frame.extend_from_slice(payload);
    ws.send(Message::Binary(frame.into())).await.unwrap();
    assert_eq!(next(&mut ws).await[4], json!({ "type": "broadcast", "event": "bin", "payload": { "x": 3 } }));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_access_token_closes_the_channel_and_leave_ends_it() {
    let server = with_users().await;
    let alice = token("authenticated", Some(ALICE), 3600);
    let mut ws = connect(&server.base, "/studio/realtime/v1/websocket", &anon_key(), "2.0.0").await;
    let join = json!({ "config": {}, "access_token": alice });
    send(&mut ws, json!(["1", "1", "realtime:a", "phx_join", join])).await;
    assert_eq!(next(&mut ws).await[4]["status"], "ok");
    send(&mut ws, json!(["1", "2", "realtime:a", "access_token", { "access_token": "not.a.jwt" }])).await;
    let system = next(&mut ws).await;
    assert_eq!((&system[0], &system[2], &system[3]), (&json!("1"), &json!("realtime:a"), &json!("system")), "{system}");
    assert_eq!((&system[4]["status"], &system[4]["extension"]), (&json!("error"), &json!("system")));
    assert_eq!(next(&mut ws).await, json!(["1", "1", "realtime:a", "phx_close", {}]));
    // The channel is gone; a second one joins and leaves.
    send(&mut ws, json!(["1", "3", "realtime:a", "broadcast", { "type": "broadcast", "event": "e", "payload": {} }])).await;
    assert_eq!(next(&mut ws).await[4]["response"]["reason"], "unmatched topic");
    send(&mut ws, json!(["5", "5", "realtime:b", "phx_join", { "config": {}, "access_token": alice }])).await;
    assert_eq!(next(&mut ws).await[4]["status"], "ok");
    send(&mut ws, json!(["5", "6", "realtime:b", "phx_leave", {}])).await;
    assert_eq!(next(&mut ws).await, json!(["5", "6", "realtime:b", "phx_reply", { "status": "ok", "response": {} }]));
    // Anonymous channels may not track presence.
    send(&mut ws, json!(["7", "7", "realtime:c", "phx_join", { "config": { "presence": { "enabled": true } } }])).await;
    let refused = next(&mut ws).await;
    assert_eq!(refused[4]["status"], "error");
    assert!(refused[4]["response"]["reason"].as_str().unwrap().starts_with("Unauthorized"), "{refused}");
}

/// A Quiver API key as the apikey: its user's rows, as its permissions grant.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_quiver_api_key_acts_for_its_user() {
    let server = with_users().await;
    let input = json!({ "userId": ALICE, "name": "rt", "apiKey": "qv_rt_alice", "secret": "s3cret-value", "permissions": { "workbenches": ["read"] } });
    let body = server.gql("mutation($i: APIClientCreateInput!) { createAPIClient(input: $i) { id } }", json!({ "i": input })).await;
    assert!(body.get("errors").is_none(), "{body}");
    let key = "qv_rt_alice.s3cret-value";
    let (status, body) = refused(&ws_url(&server.base, "/realtime/v1/websocket", &format!("apikey={key}&vsn=2.0.0"))).await;
    assert_eq!(status, 401, "without the app prefix: {body}");
    let mut ws = connect(&server.base, "/studio/realtime/v1/websocket", key, "2.0.0").await;
    let binding = json!({ "event": "INSERT", "schema": "studio", "table": "workbenches" });
    send(&mut ws, json!(["1", "1", "realtime:k", "phx_join", { "config": { "postgres_changes": [binding] } }])).await;
    assert_eq!(next(&mut ws).await[4]["status"], "ok");
    assert_eq!(next(&mut ws).await[4]["message"], "Subscribed to PostgreSQL");
    server.db.exec(&format!("INSERT INTO studio.workbenches (user_id, name) VALUES ('{BOB}', 'bob''s'), ('{ALICE}', 'alice''s')")).await;
    let event = next(&mut ws).await;
    assert_eq!(event[4]["data"]["record"]["name"], "alice's", "{event}");
}

/// Topic rules hold on this protocol as on GraphQL: a user outside the team
/// may not join its presence, receives none of its broadcasts and may not
/// send to it (over the socket or REST).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn team_topics_are_for_the_team_only() {
    let server = with_users().await;
    const CAROL: &str = "0f5b8a34-1d6e-4c1e-9a7b-0000000ca201";
    server.db.exec(&format!("INSERT INTO studio.users (id, email) VALUES ('{CAROL}', 'carol@example.com')")).await;
    let (alice, carol) = (token("authenticated", Some(ALICE), 3600), token("authenticated", Some(CAROL), 3600));
    let mut outsider = connect(&server.base, "/studio/realtime/v1/websocket", &carol, "2.0.0").await;
    send(&mut outsider, json!(["1", "1", TEAM_TOPIC, "phx_join", { "config": { "presence": { "key": "carol", "enabled": true } } }])).await;
    let refused = next(&mut outsider).await;
    assert_eq!(refused[4]["status"], "error", "{refused}");
    assert!(refused[4]["response"]["reason"].as_str().unwrap().starts_with("Unauthorized"), "{refused}");
    // Joined without presence (a channel may carry postgres_changes only), it hears nothing of the team.
    send(&mut outsider, json!(["2", "2", TEAM_TOPIC, "phx_join", { "config": { "broadcast": { "ack": true } } }])).await;
    assert_eq!(next(&mut outsider).await[4]["status"], "ok");
    let mut member = connect(&server.base, "/studio/realtime/v1/websocket", &alice, "2.0.0").await;
    send(&mut member, json!(["1", "1", TEAM_TOPIC, "phx_join", { "config": { "broadcast": { "self": true } } }])).await;
    assert_eq!(next(&mut member).await[4]["status"], "ok");
    send(&mut outsider, json!(["2", "3", TEAM_TOPIC, "broadcast", { "type": "broadcast", "event": "x", "payload": { "from": "carol" } }]))
        .await;
    let answer = next(&mut outsider).await;
    assert_eq!((&answer[1], &answer[4]["status"]), (&json!("3"), &json!("error")), "{answer}");
    assert!(answer[4]["response"]["reason"].as_str().unwrap().starts_with("FORBIDDEN"), "{answer}");
    let url = format!("{}/studio/realtime/v1/api/broadcast", server.base);
    let body = json!({ "messages": [{ "topic": format!("team:{TEAM}"), "event": "x", "payload": { "from": "carol" } }] });
    let rest = reqwest::Client::new().post(&url).header("apikey", anon_key()).bearer_auth(&carol).json(&body).send().await.unwrap();
    assert_eq!(rest.status(), 403);
    send(&mut member, json!(["1", "2", TEAM_TOPIC, "broadcast", { "type": "broadcast", "event": "x", "payload": { "from": "alice" } }]))
        .await;
    let heard = next(&mut member).await;
    assert_eq!(heard[4]["payload"], json!({ "from": "alice" }), "only the member's own message reaches the team: {heard}");
    let nothing = tokio::time::timeout(std::time::Duration::from_millis(500), next(&mut outsider)).await;
    assert!(nothing.is_err(), "the outsider heard {nothing:?}");
}
