//! Realtime is exact under every condition: resumes across windows of other
//! apps' commits, instances serving a subset of apps, prunes racing a resume,
//! live queues overflowing during a resume, and what each image of a change
//! may show to whom (row rules on `old` and `new`, `Via` rules for API keys).

use std::time::Duration;

use diesel_async::SimpleAsyncConnection;
use serde_json::{json, Value};

use crate::common::ws::WsClient;
use crate::common::{self, TestServer};

/// How long a just-sent `subscribe` is given to become active.
const SETTLE: Duration = Duration::from_millis(300);

async fn settle() {
    tokio::time::sleep(SETTLE).await;
}

/// The next event of subscription `id` (field `field`), which must carry no errors.
async fn next_event(ws: &mut WsClient, id: &str, field: &str) -> Value {
    let payload = ws.next_data(id).await;
    assert!(payload.get("errors").is_none(), "unexpected errors: {payload}");
    let e = payload["data"][field].clone();
    assert!(e.is_object(), "no {field} in {payload}");
    e
}

/// The `extensions.code` of the next message of `id`, which must be an error.
async fn next_error_code(ws: &mut WsClient, id: &str) -> String {
    let msg = ws.next_for(id).await;
    let errors = if msg["type"] == "error" { msg["payload"].clone() } else { msg["payload"]["errors"].clone() };
    errors[0]["extensions"]["code"].as_str().unwrap_or_else(|| panic!("expected an error, got {msg}")).to_string()
}

const MODEL_SUB: &str = "subscription($after: String) { aiModelChanged(after: $after) { event cursor new { id name } old { id name } } }";

async fn insert_model(server: &TestServer, name: &str) {
    server.db.exec(&format!("INSERT INTO studio.ai_models (name, provider, task_type) VALUES ('{name}', 'p', 'TextGeneration')")).await;
}

/// `n` separate transactions on `orders.tenants` (one commit each).
async fn orders_commits(server: &TestServer, n: usize) {
    server
        .db
        .exec(&format!(
            "DO $$ BEGIN FOR i IN 1..{n} LOOP INSERT INTO orders.tenants (name) VALUES ('bulk ' || i); COMMIT; END LOOP; END $$"
        ))
        .await;
}

/// Issue 15, item 1: a resume whose backlog starts with a long run of another
/// app's commits still delivers the change after them (the outbox is paged by
/// commits scanned, not by rows of the app).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn resume_across_a_window_of_other_apps_commits_loses_nothing() {
    let server = TestServer::start().await;
    let mut ws = WsClient::connect(&server.base, "studio").await;
    ws.subscribe("1", MODEL_SUB, json!({})).await;
    settle().await;
    insert_model(&server, "before").await;
    let before = next_event(&mut ws, "1", "aiModelChanged").await;
    ws.close().await;

    // More than one read's worth of commits (old: 500 rows; now: 2,000 commits).
    orders_commits(&server, 2300).await;
    server.db.exec("UPDATE studio.ai_models SET name = 'after' WHERE name = 'before'").await;

    let mut ws = WsClient::connect(&server.base, "studio").await;
    ws.subscribe("2", MODEL_SUB, json!({ "after": before["cursor"] })).await;
    let e = next_event(&mut ws, "2", "aiModelChanged").await;
    assert_eq!(
        (e["event"].as_str(), e["new"]["name"].as_str(), e["old"]["name"].as_str()),
        (Some("UPDATE"), Some("after"), Some("before")),
        "{e}"
    );
    ws.expect_silence(Duration::from_millis(500)).await;
}

/// Issue 15, item 1: an instance serving only studio keeps delivering after a
/// long run of orders commits (its feed advances past commits that yield no
/// rows for it instead of stalling).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_instance_serving_some_apps_does_not_stall_on_other_apps_commits() {
    // The first instance serves every app (and captures orders' changes).
    let server = TestServer::start().await;
    let studio_only = server.second_instance(&["--apps=studio"]).await;
    let mut ws = WsClient::connect(&studio_only.base, "studio").await;
    ws.subscribe("1", MODEL_SUB, json!({})).await;
    settle().await;
    orders_commits(&server, 2300).await;
    insert_model(&server, "after the orders").await;
    let e = next_event(&mut ws, "1", "aiModelChanged").await;
    assert_eq!(e["new"]["name"], "after the orders", "{e}");
    insert_model(&server, "and later").await;
    assert_eq!(next_event(&mut ws, "1", "aiModelChanged").await["new"]["name"], "and later");
}

/// Waits until some backend of the test database waits for a lock.
async fn wait_for_lock_waiter(server: &TestServer) {
    for _ in 0..200 {
        let rows = server.db.rows("SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'").await;
        if !rows.is_empty() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("no backend waited for the lock");
}

/// Issue 15, item 3: a prune that commits while a resume is reading gives
/// `CURSOR_EXPIRED`, never the changes after the pruned ones as if nothing
/// were missing. The prune holds the outbox locked until the resume's read
/// is waiting for it, so it commits in the middle of the resume.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_prune_racing_a_resume_gives_cursor_expired() {
    let server = TestServer::start().await;
    let mut ws = WsClient::connect(&server.base, "studio").await;
    ws.subscribe("1", MODEL_SUB, json!({})).await;
    settle().await;
    insert_model(&server, "seen").await;
    let seen = next_event(&mut ws, "1", "aiModelChanged").await;
    ws.close().await;
    insert_model(&server, "missed, then pruned").await;
    insert_model(&server, "later").await;

    let mut pruner = server.db.conn().await;
    pruner.batch_execute("BEGIN; LOCK TABLE quiver.commits IN ACCESS EXCLUSIVE MODE").await.unwrap();
    let mut ws = WsClient::connect(&server.base, "studio").await;
    ws.subscribe("2", MODEL_SUB, json!({ "after": seen["cursor"] })).await;
    wait_for_lock_waiter(&server).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    // What retention does: drop the commits up to the missed one, record it.
    pruner
        .batch_execute(
            "WITH old AS (DELETE FROM quiver.commits c WHERE c.seq <= (SELECT seq FROM quiver.commits c2 JOIN quiver.changes ch ON ch.txid = c2.txid \
                                                                      WHERE ch.new_row ->> 'name' = 'missed, then pruned') RETURNING c.txid, c.seq), \
             gone AS (DELETE FROM quiver.changes ch USING old WHERE ch.txid = old.txid RETURNING 1) \
             UPDATE quiver.outbox_state SET pruned_through = (SELECT max(seq) FROM old) WHERE (SELECT count(*) FROM gone) >= 0; \
             COMMIT",
        )
        .await
        .unwrap();
    let msg = ws.next_for("2").await;
    assert_eq!(msg["payload"]["errors"][0]["extensions"]["code"], "CURSOR_EXPIRED", "a change was lost silently: {msg}");
}

/// Issue 15, item 2: a resume holds one bounded part of its backlog at a
/// time; when its live queue overflows while it is still replaying (here a
/// buffer of 8 against 60 live changes), it reads what it missed from the
/// outbox instead of failing: every change arrives, once, in order.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_long_resume_survives_live_changes_beyond_its_buffer() {
    let server = TestServer::start_with(&["--subscription-buffer=8"]).await;
    let mut ws = WsClient::connect(&server.base, "studio").await;
    ws.subscribe("1", MODEL_SUB, json!({})).await;
    settle().await;
    insert_model(&server, "m0").await;
    let start = next_event(&mut ws, "1", "aiModelChanged").await;
    ws.close().await;
    // A backlog of 1,200 changes (more than two backlog parts), one commit.
    server
        .db
        .exec("INSERT INTO studio.ai_models (name, provider, task_type) SELECT 'b' || i, 'p', 'TextGeneration' FROM generate_series(1, 1200) i")
        .await;
    let mut ws = WsClient::connect(&server.base, "studio").await;
    ws.subscribe("2", MODEL_SUB, json!({ "after": start["cursor"] })).await;
    // Read a little of the backlog, then commit live changes while it replays.
    let mut names = Vec::new();
    for _ in 0..5 {
        names.push(next_event(&mut ws, "2", "aiModelChanged").await["new"]["name"].as_str().unwrap().to_string());
    }
    for i in 1..=60 {
        insert_model(&server, &format!("live{i}")).await;
    }
    let mut last = (0i64, 0i64);
    while names.len() < 1260 {
        let e = next_event(&mut ws, "2", "aiModelChanged").await;
        let c = e["cursor"].as_str().unwrap().split_once('.').map(|(a, b)| (a.parse().unwrap(), b.parse().unwrap())).unwrap();
        assert!(c > last, "out of order: {c:?} after {last:?}");
        last = c;
        names.push(e["new"]["name"].as_str().unwrap().to_string());
    }
    let expected: Vec<String> = (1..=1200).map(|i| format!("b{i}")).chain((1..=60).map(|i| format!("live{i}"))).collect();
    assert_eq!(names, expected);
    ws.expect_silence(Duration::from_millis(500)).await;
}

/// Creates a row as the service role; returns its id.
async fn create(server: &TestServer, app: &str, mutation: &str, input: Value) -> String {
    let query = format!("mutation($i: {mutation}CreateInput!) {{ create{mutation}(input: $i) {{ id }} }}");
    let body = server.gql_app(app, &query, json!({ "i": input })).await;
    assert!(body.get("errors").is_none(), "{body:#}");
    body["data"][format!("create{mutation}")]["id"].as_str().expect("an id").to_string()
}

const KIT_SUB: &str = "subscription($after: String) { brandKitChanged(after: $after) { event cursor new { id teamId name logos } old { id teamId name logos } } }";

/// Issue 15, item 4: `old` only when the subscriber could read the old row,
/// `new` only when it can read the new one. A kit moved from team X into
/// team Y reaches Y's Viewer with `old: null` (X's logos stay private); moved
/// back out, it reaches him with `new: null` and the row as he could read it
/// (its key included). A resume replays the same.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn images_are_shown_only_to_who_could_read_them() {
    let server = TestServer::start().await;
    let alice = create(&server, "studio", "User", json!({ "email": "alice@example.com" })).await;
    let bob = create(&server, "studio", "User", json!({ "email": "bob@example.com" })).await;
    let team_x = create(&server, "studio", "Team", json!({ "name": "X", "ownerId": alice })).await;
    let team_y = create(&server, "studio", "Team", json!({ "name": "Y", "ownerId": alice })).await;
    create(&server, "studio", "TeamMember", json!({ "teamId": team_y, "userId": bob, "role": "VIEWER" })).await;
    let kit = create(
        &server,
        "studio",
        "BrandKit",
        json!({ "userId": alice, "teamId": team_x, "name": "kit", "colors": {}, "fonts": {}, "logos": { "x": "X private" } }),
    )
    .await;
    let bob_token = common::token("authenticated", Some(&bob), 3600);
    let mut ws = WsClient::connect_as(&server.base, "studio", &bob_token).await;
    ws.subscribe("k", KIT_SUB, json!({})).await;
    settle().await;

    server.db.exec(&format!("UPDATE studio.brand_kits SET logos = '{{\"x\": \"X private 2\"}}' WHERE id = '{kit}'")).await;
    server.db.exec(&format!("UPDATE studio.brand_kits SET team_id = '{team_y}', logos = '{{\"y\": \"for Y\"}}' WHERE id = '{kit}'")).await;
    server
        .db
        .exec(&format!("UPDATE studio.brand_kits SET team_id = '{team_x}', logos = '{{\"x\": \"X again\"}}' WHERE id = '{kit}'"))
        .await;
    server.db.exec(&format!("UPDATE studio.brand_kits SET name = 'still X' WHERE id = '{kit}'")).await;
    let expected = [
        // Into view: the new row, nothing of the old one.
        json!({ "event": "UPDATE", "new": { "id": kit, "teamId": team_y, "name": "kit", "logos": { "y": "for Y" } }, "old": null }),
        // Out of view: the old row (he could read it), nothing of the new one.
        json!({ "event": "UPDATE", "new": null, "old": { "id": kit, "teamId": team_y, "name": "kit", "logos": { "y": "for Y" } } }),
    ];
    let mut live = Vec::new();
    for e in &expected {
        let mut got = next_event(&mut ws, "k", "brandKitChanged").await;
        live.push(got["cursor"].clone());
        got.as_object_mut().unwrap().remove("cursor");
        assert_eq!(&got, e);
    }
    // The change before the move and the one after it were never his to see.
    ws.expect_silence(Duration::from_millis(800)).await;

    // A resume from before the moves replays exactly the same.
    let first = server
        .db
        .rows(&format!(
            "SELECT c.seq, ch.id FROM quiver.changes ch JOIN quiver.commits c USING (txid) \
             WHERE ch.table_name = 'brand_kits' AND ch.op = 'INSERT' AND ch.new_row ->> 'id' = '{kit}'"
        ))
        .await;
    let after = format!("{}.{}", first[0]["seq"], first[0]["id"]);
    ws.subscribe("r", KIT_SUB, json!({ "after": after })).await;
    for (e, cursor) in expected.iter().zip(&live) {
        let mut got = next_event(&mut ws, "r", "brandKitChanged").await;
        assert_eq!(&got["cursor"], cursor);
        got.as_object_mut().unwrap().remove("cursor");
        assert_eq!(&got, e);
    }
    ws.expect_silence(Duration::from_millis(500)).await;
}

/// Issue 15, item 6: an orders API key (a tenant, no user id) receives the
/// changes of rows its `Via` rule lets it read (preferences of its tenant's
/// customers), and none of another tenant's.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn api_keys_receive_events_of_rows_their_via_rules_allow() {
    let server = TestServer::start().await;
    let t1 = create(&server, "orders", "Tenant", json!({ "name": "one" })).await;
    let t2 = create(&server, "orders", "Tenant", json!({ "name": "two" })).await;
    let c1 = create(&server, "orders", "Customer", json!({ "tenantId": t1, "firstName": "A", "lastName": "One" })).await;
    let c2 = create(&server, "orders", "Customer", json!({ "tenantId": t2, "firstName": "B", "lastName": "Two" })).await;
    let key = create(
        &server,
        "orders",
        "ApiKey",
        json!({ "tenantId": t1, "name": "events", "key": "events-secret", "permissions": { "customers": ["read"] } }),
    )
    .await;
    let mut ws =
        WsClient::connect_with(&server.base, "orders", "graphql-transport-ws", json!({ "apiKey": format!("{key}.events-secret") })).await;
    ws.subscribe("p", "subscription { customerPreferenceChanged { event new { customerId } } }", json!({})).await;
    settle().await;
    server.db.exec(&format!("INSERT INTO orders.customer_preferences (customer_id) VALUES ('{c2}')")).await;
    server.db.exec(&format!("INSERT INTO orders.customer_preferences (customer_id) VALUES ('{c1}')")).await;
    let e = next_event(&mut ws, "p", "customerPreferenceChanged").await;
    assert_eq!(e, json!({ "event": "INSERT", "new": { "customerId": c1 } }));
    ws.expect_silence(Duration::from_millis(800)).await;
    // The key can read the same rows by query.
    let body: Value = reqwest::Client::new()
        .post(server.endpoint("orders"))
        .header("x-api-key", format!("{key}.events-secret"))
        .json(&json!({ "query": "{ customerPreferences { nodes { customerId } } }" }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(body["data"]["customerPreferences"]["nodes"], json!([{ "customerId": c1 }]), "{body}");
}

/// The expired-feed path: a feed whose own position was pruned (its instance
/// could not read for longer than retention) ends its live subscribers with
/// `CURSOR_EXPIRED` rather than skipping what was pruned.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_feed_behind_retention_ends_live_subscribers_with_cursor_expired() {
    let server = TestServer::start().await;
    let mut ws = WsClient::connect(&server.base, "studio").await;
    ws.subscribe("1", MODEL_SUB, json!({})).await;
    settle().await;
    insert_model(&server, "probe").await;
    next_event(&mut ws, "1", "aiModelChanged").await;
    // Hold the retention record so the feed's next read waits (writers do not
    // need it), commit a change, and prune it before the feed can read it.
    let mut pruner = server.db.conn().await;
    pruner.batch_execute("BEGIN; LOCK TABLE quiver.outbox_state IN ACCESS EXCLUSIVE MODE").await.unwrap();
    insert_model(&server, "unread, then pruned").await;
    wait_for_lock_waiter(&server).await;
    pruner
        .batch_execute(
            "WITH old AS (DELETE FROM quiver.commits c RETURNING c.txid, c.seq), \
             gone AS (DELETE FROM quiver.changes ch USING old WHERE ch.txid = old.txid RETURNING 1) \
             UPDATE quiver.outbox_state SET pruned_through = (SELECT max(seq) FROM old) WHERE (SELECT count(*) FROM gone) >= 0; \
             COMMIT",
        )
        .await
        .unwrap();
    assert_eq!(next_error_code(&mut ws, "1").await, "CURSOR_EXPIRED");
    assert_eq!(ws.next_for("1").await["type"], "complete");
    // New subscriptions work from now on.
    ws.subscribe("2", MODEL_SUB, json!({})).await;
    settle().await;
    insert_model(&server, "fresh").await;
    assert_eq!(next_event(&mut ws, "2", "aiModelChanged").await["new"]["name"], "fresh");
}

/// Issue 15, item 5: whoever could read a row before its deletion gets the
/// DELETE, even when the membership that let them read it went in the same
/// transaction: team Y is deleted, and with it (by cascade) Bob's membership
/// and Y's brand kit. Bob, a Viewer of Y, gets both DELETEs, live and on a
/// resume; Carol, who never belonged to Y, gets neither.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deletes_reach_whoever_could_read_the_row_before() {
    let server = TestServer::start().await;
    let alice = create(&server, "studio", "User", json!({ "email": "alice@example.com" })).await;
    let bob = create(&server, "studio", "User", json!({ "email": "bob@example.com" })).await;
    let carol = create(&server, "studio", "User", json!({ "email": "carol@example.com" })).await;
    let team_y = create(&server, "studio", "Team", json!({ "name": "Y", "ownerId": alice })).await;
    let team_z = create(&server, "studio", "Team", json!({ "name": "Z", "ownerId": alice })).await;
    create(&server, "studio", "TeamMember", json!({ "teamId": team_y, "userId": bob, "role": "VIEWER" })).await;
    create(&server, "studio", "TeamMember", json!({ "teamId": team_z, "userId": carol, "role": "VIEWER" })).await;
    let kit =
        create(&server, "studio", "BrandKit", json!({ "userId": alice, "teamId": team_y, "name": "Y kit", "colors": {}, "fonts": {} }))
            .await;
    let subscription = "subscription($after: String) { teamChanged(after: $after) { event cursor old { id name } } }";
    let kits = "subscription($after: String) { brandKitChanged(after: $after) { event cursor old { id name } } }";
    let mut bob_ws = WsClient::connect_as(&server.base, "studio", &common::token("authenticated", Some(&bob), 3600)).await;
    let mut carol_ws = WsClient::connect_as(&server.base, "studio", &common::token("authenticated", Some(&carol), 3600)).await;
    for ws in [&mut bob_ws, &mut carol_ws] {
        ws.subscribe("t", subscription, json!({})).await;
        ws.subscribe("k", kits, json!({})).await;
    }
    settle().await;
    let before = server.db.rows("SELECT max(seq) AS v FROM quiver.commits").await[0]["v"].as_i64().unwrap();
    server.db.exec(&format!("DELETE FROM studio.teams WHERE id = '{team_y}'")).await;
    // Something Carol may see, so her silence about Y is not just a stalled stream.
    server.db.exec(&format!("UPDATE studio.teams SET name = 'Z2' WHERE id = '{team_z}'")).await;

    let mut got = std::collections::HashMap::new();
    for _ in 0..2 {
        let msg = bob_ws.next_message().await.expect("an event for Bob");
        let id = msg["id"].as_str().unwrap().to_string();
        let field = if id == "t" { "teamChanged" } else { "brandKitChanged" };
        got.insert(id, msg["payload"]["data"][field].clone());
    }
    assert_eq!(got["t"]["event"], "DELETE");
    assert_eq!(got["t"]["old"], json!({ "id": team_y, "name": "Y" }));
    assert_eq!(got["k"]["event"], "DELETE");
    assert_eq!(got["k"]["old"], json!({ "id": kit, "name": "Y kit" }));
    bob_ws.expect_silence(Duration::from_millis(500)).await;
    let e = next_event(&mut carol_ws, "t", "teamChanged").await;
    assert_eq!((e["event"].as_str(), e["old"]["name"].as_str()), (Some("UPDATE"), Some("Z")), "{e}");
    carol_ws.expect_silence(Duration::from_millis(500)).await;

    // A resume replays the same to Bob.
    let after = format!("{before}.{}", i64::MAX);
    bob_ws.subscribe("r", subscription, json!({ "after": after })).await;
    let e = next_event(&mut bob_ws, "r", "teamChanged").await;
    assert_eq!(e, got["t"]);
    bob_ws.expect_silence(Duration::from_millis(500)).await;
}

/// Issue 15, item 7: a change seen by many subscribers whose rule needs the
/// database (`Member`) is decided for all of them together: thirty Viewers
/// of a team cost a statement or a few, not thirty, and each gets the event.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_change_costs_one_verdict_statement_for_all_its_subscribers() {
    const VIEWERS: usize = 30;
    let server = TestServer::start().await;
    let owner = create(&server, "studio", "User", json!({ "email": "owner@example.com" })).await;
    let team = create(&server, "studio", "Team", json!({ "name": "T", "ownerId": owner })).await;
    let kit =
        create(&server, "studio", "BrandKit", json!({ "userId": owner, "teamId": team, "name": "kit", "colors": {}, "fonts": {} })).await;
    let mut clients = Vec::new();
    for i in 0..VIEWERS {
        let user = create(&server, "studio", "User", json!({ "email": format!("viewer{i}@example.com") })).await;
        create(&server, "studio", "TeamMember", json!({ "teamId": team, "userId": user, "role": "VIEWER" })).await;
        let mut ws = WsClient::connect_as(&server.base, "studio", &common::token("authenticated", Some(&user), 3600)).await;
        ws.subscribe("k", "subscription { brandKitChanged { event new { name } } }", json!({})).await;
        clients.push(ws);
    }
    settle().await;
    let before = server.statements().await;
    server.db.exec(&format!("UPDATE studio.brand_kits SET name = 'renamed' WHERE id = '{kit}'")).await;
    for ws in &mut clients {
        let e = next_event(ws, "k", "brandKitChanged").await;
        assert_eq!(e, json!({ "event": "UPDATE", "new": { "name": "renamed" } }));
    }
    let statements = server.statements().await - before;
    eprintln!("{statements} verdict statements for {VIEWERS} subscribers");
    // One when every subscriber asks within the batch window; a subscriber
    // that asks later costs one more. Per subscriber it would be thirty.
    assert!(statements <= 10, "{statements} statements for {VIEWERS} subscribers of one change");
}
