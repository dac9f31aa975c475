//! Realtime over a real WebSocket client: row changes made with SQL and with
//! mutations reach subscribers.

use std::time::Duration;

use diesel_async::SimpleAsyncConnection;
use futures_util::future::join_all;
use serde_json::{json, Value};

use crate::common::ws::WsClient;
use crate::common::TestServer;

/// How long a test lets a just-sent `subscribe` become active before writing.
const SETTLE: Duration = Duration::from_millis(300);
/// How long "nothing more arrives" is watched for.
const SILENCE: Duration = Duration::from_secs(1);

async fn settle() {
    tokio::time::sleep(SETTLE).await;
}

/// The single value `v` of a one-row SQL query.
async fn sql_value(server: &TestServer, query: &str) -> Value {
    let rows = server.db.rows(query).await;
    assert_eq!(rows.len(), 1, "{query}: {rows:?}");
    rows[0]["v"].clone()
}

/// POSTs a GraphQL request to the studio endpoint of any instance; returns `data` (no errors allowed).
async fn gql_at(base: &str, query: &str, variables: Value) -> Value {
    let body: Value = crate::common::client_with_token(&crate::common::service_token())
        .post(format!("{base}/graphql/studio"))
        .json(&json!({ "query": query, "variables": variables }))
        .send()
        .await
        .expect("request sent")
        .json()
        .await
        .expect("JSON body");
    assert!(body.get("errors").is_none(), "unexpected errors: {body:#}");
    body["data"].clone()
}

/// The next event of subscription `id` (field `field`), which must carry no errors.
async fn next_event(ws: &mut WsClient, id: &str, field: &str) -> Value {
    let payload = ws.next_data(id).await;
    assert!(payload.get("errors").is_none(), "unexpected errors: {payload}");
    let e = payload["data"][field].clone();
    assert!(e.is_object(), "no {field} in {payload}");
    e
}

/// `n` events of subscription `id`.
async fn events(ws: &mut WsClient, id: &str, field: &str, n: usize) -> Vec<Value> {
    let mut out = Vec::new();
    for _ in 0..n {
        out.push(next_event(ws, id, field).await);
    }
    out
}

/// The next message of `id` must be an error; returns its `extensions.code`.
async fn next_error_code(ws: &mut WsClient, id: &str) -> String {
    let msg = ws.next_for(id).await;
    assert!(msg["type"] == "next" || msg["type"] == "data" || msg["type"] == "error", "expected an error, got {msg}");
    let errors = if msg["type"] == "error" { msg["payload"].clone() } else { msg["payload"]["errors"].clone() };
    errors[0]["extensions"]["code"].as_str().unwrap_or_else(|| panic!("no error code in {msg}")).to_string()
}

/// The next message of `id` must be `complete`.
async fn expect_complete(ws: &mut WsClient, id: &str) {
    let msg = ws.next_for(id).await;
    assert_eq!(msg["type"], "complete", "expected complete, got {msg}");
}

/// A change cursor as (commit sequence, change id).
fn cursor(e: &Value) -> (i64, i64) {
    let c = e["cursor"].as_str().unwrap_or_else(|| panic!("no cursor in {e}"));
    let (a, b) = c.split_once('.').unwrap_or_else(|| panic!("cursor {c}"));
    (a.parse().unwrap(), b.parse().unwrap())
}

/// Asserts cursors strictly increase along `events`.
fn assert_increasing(events: &[Value]) {
    for w in events.windows(2) {
        assert!(cursor(&w[0]) < cursor(&w[1]), "cursors not increasing: {} then {}", w[0], w[1]);
    }
}

/// (event, name of the new row, else of the old row) of each event.
fn ops_names(events: &[Value]) -> Vec<(String, String)> {
    events
        .iter()
        .map(|e| {
            let row = if e["new"].is_null() { &e["old"] } else { &e["new"] };
            (e["event"].as_str().unwrap().to_string(), row["name"].as_str().unwrap_or("?").to_string())
        })
        .collect()
}

fn pairs(v: &[(&str, &str)]) -> Vec<(String, String)> {
    v.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect()
}

async fn insert_model(server: &TestServer, name: &str) {
    server.db.exec(&format!("INSERT INTO studio.ai_models (name, provider, task_type) VALUES ('{name}', 'p', 'TextGeneration')")).await;
}

const MODEL_SUB: &str =
    "subscription($after: String) { aiModelChanged(after: $after) { event cursor committedAt new { id name } old { id name } } }";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sql_insert_reaches_a_table_subscription() {
    let server = TestServer::start().await;
    let mut ws = WsClient::connect(&server.base, "studio").await;
    ws.subscribe("1", "subscription { aiModelChanged { event cursor committedAt new { name taskType } old { name } } }", json!({})).await;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    server.db.exec("INSERT INTO studio.ai_models (name, provider, task_type) VALUES ('m1', 'p', 'TextGeneration')").await;
    let event = ws.next_data("1").await;
    let e = &event["data"]["aiModelChanged"];
    assert_eq!(e["event"], "INSERT", "{event}");
    assert_eq!(e["new"]["name"], "m1");
    assert_eq!(e["new"]["taskType"], "TEXT_GENERATION");
    assert!(e["old"].is_null());
    assert!(e["cursor"].as_str().is_some_and(|c| !c.is_empty()));
}

// 1. INSERT / UPDATE / DELETE by SQL and by mutation, in order, with new/old rows.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sql_and_mutation_changes_arrive_in_order_with_new_and_old_rows() {
    let server = TestServer::start().await;
    let mut ws = WsClient::connect(&server.base, "studio").await;
    let q = "subscription { aiModelChanged { event cursor committedAt \
             new { id name description provider taskType isActive } old { id name description taskType isActive } } }";
    ws.subscribe("1", q, json!({})).await;
    settle().await;

    let sql_id = "a0000000-0000-4000-8000-000000000001";
    server
        .db
        .exec(&format!(
            "INSERT INTO studio.ai_models (id, name, provider, task_type) VALUES ('{sql_id}', 'sql-1', 'acme', 'TextGeneration')"
        ))
        .await;
    server
        .db
        .exec(&format!("UPDATE studio.ai_models SET name = 'sql-1b', description = 'desc', is_active = false WHERE id = '{sql_id}'"))
        .await;
    server.db.exec(&format!("DELETE FROM studio.ai_models WHERE id = '{sql_id}'")).await;

    let created = server
        .data("mutation { createAIModel(input: { name: \"gql-1\", provider: \"acme\", taskType: IMAGE_GENERATION }) { id } }", json!({}))
        .await;
    let gql_id = created["createAIModel"]["id"].as_str().unwrap().to_string();
    server
        .data(
            "mutation($id: UUID!) { updateAIModel(id: $id, patch: { name: \"gql-1b\", taskType: STYLE_TRANSFER }) { id } }",
            json!({ "id": gql_id }),
        )
        .await;
    server.data("mutation($id: UUID!) { deleteAIModel(id: $id) { id } }", json!({ "id": gql_id })).await;

    let ev = events(&mut ws, "1", "aiModelChanged", 6).await;
    assert_eq!(
        ops_names(&ev),
        pairs(&[
            ("INSERT", "sql-1"),
            ("UPDATE", "sql-1b"),
            ("DELETE", "sql-1b"),
            ("INSERT", "gql-1"),
            ("UPDATE", "gql-1b"),
            ("DELETE", "gql-1b")
        ]),
        "{ev:#?}"
    );
    assert_increasing(&ev);
    for (i, e) in ev.iter().enumerate() {
        let at = e["committedAt"].as_str().unwrap_or_else(|| panic!("no committedAt in {e}"));
        assert!(quiver::graphql::scalars::is_rfc3339(at), "committedAt {at}");
        if i > 0 {
            // Same fixed UTC format: text order is time order; commit order is time order.
            assert!(ev[i - 1]["committedAt"].as_str().unwrap() <= at, "{ev:#?}");
        }
    }
    // SQL: INSERT has only new, UPDATE both, DELETE only old.
    assert_eq!(
        ev[0]["new"],
        json!({ "id": sql_id, "name": "sql-1", "description": null, "provider": "acme", "taskType": "TEXT_GENERATION", "isActive": true })
    );
    assert!(ev[0]["old"].is_null(), "{}", ev[0]);
    assert_eq!(ev[1]["new"]["description"], "desc");
    assert_eq!(ev[1]["new"]["isActive"], false);
    assert_eq!(
        ev[1]["old"],
        json!({ "id": sql_id, "name": "sql-1", "description": null, "taskType": "TEXT_GENERATION", "isActive": true })
    );
    assert!(ev[2]["new"].is_null(), "{}", ev[2]);
    assert_eq!(ev[2]["old"]["id"], sql_id);
    assert_eq!(ev[2]["old"]["description"], "desc");
    // Mutations.
    assert_eq!(ev[3]["new"]["id"], gql_id.as_str());
    assert_eq!(ev[3]["new"]["taskType"], "IMAGE_GENERATION");
    assert!(ev[3]["old"].is_null());
    assert_eq!(ev[4]["new"]["taskType"], "STYLE_TRANSFER");
    assert_eq!(ev[4]["old"]["name"], "gql-1");
    assert_eq!(ev[4]["old"]["taskType"], "IMAGE_GENERATION");
    assert!(ev[5]["new"].is_null());
    assert_eq!(ev[5]["old"]["id"], gql_id.as_str());
    ws.expect_silence(SILENCE).await;
}

// 2. `events` and filters (eq, neq, in, gt/lt on Int and Decimal, isNull, enum); DELETE on the old row.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn events_and_filters_select_what_is_delivered() {
    let server = TestServer::start().await;
    let model_q = "subscription($f: AIModelChangeFilter, $e: [ChangeOp!]) { aiModelChanged(filter: $f, events: $e) { event cursor new { name } old { name } } }";
    let feedback_q = "subscription($f: AIModelFeedbackChangeFilter) { aiModelFeedbackChanged(filter: $f) { event cursor new { name: comment rating } old { name: comment rating } } }";
    let usage_q = "subscription($f: UsageLogChangeFilter) { usageLogChanged(filter: $f) { event cursor new { name: actionType creditsCost } old { name: actionType creditsCost } } }";
    type Case = (&'static str, &'static str, &'static str, Value, Vec<(&'static str, &'static str)>);
    let cases: Vec<Case> = vec![
        ("updates", model_q, "aiModelChanged", json!({ "e": ["UPDATE"] }), vec![("UPDATE", "a"), ("UPDATE", "b")]),
        (
            "eq",
            model_q,
            "aiModelChanged",
            json!({ "f": { "name": { "eq": "a" } } }),
            vec![("INSERT", "a"), ("UPDATE", "a"), ("DELETE", "a")],
        ),
        (
            "neq",
            model_q,
            "aiModelChanged",
            json!({ "f": { "name": { "neq": "a" } } }),
            vec![("INSERT", "b"), ("INSERT", "c"), ("UPDATE", "b"), ("DELETE", "c")],
        ),
        (
            "in",
            model_q,
            "aiModelChanged",
            json!({ "f": { "name": { "in": ["a", "c"] } } }),
            vec![("INSERT", "a"), ("INSERT", "c"), ("UPDATE", "a"), ("DELETE", "c"), ("DELETE", "a")],
        ),
        (
            "enum",
            model_q,
            "aiModelChanged",
            json!({ "f": { "taskType": { "eq": "IMAGE_GENERATION" } } }),
            vec![("INSERT", "a"), ("UPDATE", "a"), ("UPDATE", "b"), ("DELETE", "a")],
        ),
        (
            "isNull",
            model_q,
            "aiModelChanged",
            json!({ "f": { "description": { "isNull": true } } }),
            vec![("INSERT", "a"), ("INSERT", "c"), ("DELETE", "c")],
        ),
        ("deletes of c", model_q, "aiModelChanged", json!({ "e": ["DELETE"], "f": { "name": { "eq": "c" } } }), vec![("DELETE", "c")]),
        (
            "int gt",
            feedback_q,
            "aiModelFeedbackChanged",
            json!({ "f": { "rating": { "gt": 3 } } }),
            vec![("INSERT", "r5"), ("INSERT", "r4")],
        ),
        (
            "int lt",
            feedback_q,
            "aiModelFeedbackChanged",
            json!({ "f": { "rating": { "lt": 3 } } }),
            vec![("INSERT", "r2"), ("UPDATE", "r5")],
        ),
        (
            "decimal gt",
            usage_q,
            "usageLogChanged",
            json!({ "f": { "creditsCost": { "gt": "10.5" } } }),
            vec![("INSERT", "above"), ("INSERT", "big")],
        ),
        (
            "decimal lte",
            usage_q,
            "usageLogChanged",
            json!({ "f": { "creditsCost": { "lte": 10.5 } } }),
            vec![("INSERT", "equal"), ("INSERT", "below")],
        ),
    ];
    let mut clients = Vec::new();
    for (label, q, _, vars, _) in &cases {
        let mut ws = WsClient::connect(&server.base, "studio").await;
        ws.subscribe(label, q, vars.clone()).await;
        clients.push(ws);
    }
    settle().await;

    for sql in [
        "INSERT INTO studio.ai_models (name, provider, task_type) VALUES ('a', 'p', 'ImageGeneration')",
        "INSERT INTO studio.ai_models (name, provider, task_type, description) VALUES ('b', 'p', 'TextGeneration', 'x')",
        "INSERT INTO studio.ai_models (name, provider, task_type) VALUES ('c', 'p', 'StyleTransfer')",
        "UPDATE studio.ai_models SET description = 'y' WHERE name = 'a'",
        "UPDATE studio.ai_models SET task_type = 'ImageGeneration' WHERE name = 'b'",
        "DELETE FROM studio.ai_models WHERE name = 'c'",
        "DELETE FROM studio.ai_models WHERE name = 'a'",
        "INSERT INTO studio.ai_model_feedback (rating, comment) VALUES (5, 'r5')",
        "INSERT INTO studio.ai_model_feedback (rating, comment) VALUES (2, 'r2')",
        "INSERT INTO studio.ai_model_feedback (rating, comment) VALUES (4, 'r4')",
        "INSERT INTO studio.ai_model_feedback (rating, comment) VALUES (NULL, 'rnull')",
        "INSERT INTO studio.ai_model_feedback (rating, comment) VALUES (3, 'r3')",
        "UPDATE studio.ai_model_feedback SET rating = 1 WHERE comment = 'r5'",
        "INSERT INTO studio.usage_logs (action_type, credits_cost) VALUES ('equal', 10.50)",
        "INSERT INTO studio.usage_logs (action_type, credits_cost) VALUES ('above', 10.51)",
        "INSERT INTO studio.usage_logs (action_type, credits_cost) VALUES ('below', 9.99)",
        "INSERT INTO studio.usage_logs (action_type, credits_cost) VALUES ('none', NULL)",
        "INSERT INTO studio.usage_logs (action_type, credits_cost) VALUES ('big', 100)",
    ] {
        server.db.exec(sql).await;
    }

    for (ws, (label, _, field, _, expected)) in clients.iter_mut().zip(&cases) {
        let got = events(ws, label, field, expected.len()).await;
        assert_eq!(ops_names(&got), pairs(expected), "subscription {label}: {got:#?}");
        assert_increasing(&got);
        if *field == "usageLogChanged" {
            let costs: Vec<&str> = got.iter().map(|e| e["new"]["creditsCost"].as_str().unwrap()).collect();
            let want: &[&str] = if *label == "decimal gt" { &["10.51", "100.00"] } else { &["10.50", "9.99"] };
            assert_eq!(costs, want, "{label}");
        }
        if *label == "in" {
            // DELETE carries the old row only.
            assert!(got[4]["new"].is_null() && got[4]["old"]["name"] == "a", "{:#}", got[4]);
        }
    }
    // Nothing beyond the expected events reaches any subscriber.
    join_all(clients.iter_mut().map(|ws| ws.expect_silence(SILENCE))).await;
}

// 3. Relation fields inside events resolve against the database.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn relation_fields_resolve_inside_events() {
    let server = TestServer::start().await;
    server.db.seed_studio(&[("users", 2)]).await;
    let wb = server.db.rows("SELECT w.id, w.name, w.user_id, u.email FROM studio.workbenches w JOIN studio.users u ON u.id = w.user_id ORDER BY w.name LIMIT 1",
    )
    .await
    .remove(0);
    let (wb_id, wb_name, user_id, email) =
        (wb["id"].as_str().unwrap(), wb["name"].as_str().unwrap(), wb["user_id"].as_str().unwrap(), wb["email"].as_str().unwrap());

    // Filtered on the new project: the feed may still be publishing the demo
    // data's own INSERTs when the subscription starts.
    let pid = "b0000000-0000-4000-8000-000000000001";
    let mut ws = WsClient::connect(&server.base, "studio").await;
    let q = "subscription($id: UUID!) { projectChanged(filter: { id: { eq: $id } }) { event cursor committedAt \
             new { name workbench { name user { email } } user { email } assets(orderBy: [{ field: NAME }]) { totalCount nodes { name } } } \
             old { name workbench { name } } } }";
    ws.subscribe("1", q, json!({ "id": pid })).await;
    settle().await;

    server
        .db
        .exec(&format!(
            "INSERT INTO studio.projects (id, workbench_id, user_id, name) VALUES ('{pid}', '{wb_id}', '{user_id}', 'live project')"
        ))
        .await;
    let e = next_event(&mut ws, "1", "projectChanged").await;
    assert_eq!(e["event"], "INSERT");
    assert_eq!(e["new"]["name"], "live project", "{e:#}");
    assert_eq!(e["new"]["workbench"]["name"], wb_name, "{e:#}");
    assert_eq!(e["new"]["workbench"]["user"]["email"], email);
    assert_eq!(e["new"]["user"]["email"], email);
    assert_eq!(e["new"]["assets"]["totalCount"], 0);
    assert!(e["old"].is_null());

    server
        .db
        .exec(&format!(
            "BEGIN; \
             INSERT INTO studio.assets (project_id, user_id, name, type, file_path, mime_type, format) \
               VALUES ('{pid}', '{user_id}', 'asset-b', 'Uploaded', '/b', 'image/png', 'png'), \
                      ('{pid}', '{user_id}', 'asset-a', 'Uploaded', '/a', 'image/png', 'png'); \
             UPDATE studio.projects SET name = 'renamed project' WHERE id = '{pid}'; COMMIT;"
        ))
        .await;
    let e = next_event(&mut ws, "1", "projectChanged").await;
    assert_eq!(e["event"], "UPDATE");
    assert_eq!(e["new"]["name"], "renamed project");
    assert_eq!(e["old"]["name"], "live project");
    assert_eq!(e["old"]["workbench"]["name"], wb_name);
    assert_eq!(e["new"]["assets"]["totalCount"], 2, "{e:#}");
    assert_eq!(e["new"]["assets"]["nodes"], json!([{ "name": "asset-a" }, { "name": "asset-b" }]));
}

// 4. Resume with `after`: the missed changes first, in commit order, once each, then live ones.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn resume_after_a_cursor_delivers_missed_changes_once() {
    let server = TestServer::start().await;
    let mut ws = WsClient::connect(&server.base, "studio").await;
    ws.subscribe("1", MODEL_SUB, json!({})).await;
    settle().await;
    insert_model(&server, "r1").await;
    insert_model(&server, "r2").await;
    let seen = events(&mut ws, "1", "aiModelChanged", 2).await;
    assert_eq!(ops_names(&seen), pairs(&[("INSERT", "r1"), ("INSERT", "r2")]));
    let last = seen[1]["cursor"].as_str().unwrap().to_string();
    ws.close().await;

    insert_model(&server, "r3").await;
    server.db.exec("UPDATE studio.ai_models SET name = 'r4' WHERE name = 'r1'").await;
    server.db.exec("DELETE FROM studio.ai_models WHERE name = 'r2'").await;

    let mut ws = WsClient::connect(&server.base, "studio").await;
    ws.subscribe("2", MODEL_SUB, json!({ "after": last })).await;
    // Written while the backlog is being read: must arrive exactly once either way.
    insert_model(&server, "r5").await;
    let got = events(&mut ws, "2", "aiModelChanged", 4).await;
    assert_eq!(ops_names(&got), pairs(&[("INSERT", "r3"), ("UPDATE", "r4"), ("DELETE", "r2"), ("INSERT", "r5")]), "{got:#?}");
    assert!(cursor(&seen[1]) < cursor(&got[0]));
    assert_increasing(&got);
    ws.expect_silence(SILENCE).await;
    insert_model(&server, "r6").await;
    let live = next_event(&mut ws, "2", "aiModelChanged").await;
    assert_eq!(live["new"]["name"], "r6");
    assert!(cursor(&got[3]) < cursor(&live));
}

// 5. The listening connection is killed: the instance reconnects and catches up from the outbox.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killed_listener_reconnects_and_catches_up() {
    let server = TestServer::start().await;
    let mut ws = WsClient::connect(&server.base, "studio").await;
    ws.subscribe("1", MODEL_SUB, json!({})).await;
    settle().await;
    insert_model(&server, "probe").await;
    let probe = next_event(&mut ws, "1", "aiModelChanged").await;
    assert_eq!(probe["new"]["name"], "probe");

    let killed = server
        .db
        .rows(
            "SELECT pg_terminate_backend(pid) AS killed FROM pg_stat_activity \
         WHERE application_name = 'quiver_listener' AND datname = current_database()",
        )
        .await;
    assert_eq!(killed, vec![json!({ "killed": true })], "exactly one listener backend");
    for i in 1..=5 {
        insert_model(&server, &format!("k{i}")).await;
    }
    let got = events(&mut ws, "1", "aiModelChanged", 5).await;
    assert_eq!(
        ops_names(&got),
        pairs(&[("INSERT", "k1"), ("INSERT", "k2"), ("INSERT", "k3"), ("INSERT", "k4"), ("INSERT", "k5")]),
        "{got:#?}"
    );
    assert!(cursor(&probe) < cursor(&got[0]));
    assert_increasing(&got);
    ws.expect_silence(SILENCE).await;
    // A new listener is in place and live changes flow again.
    let listeners = sql_value(
        &server,
        "SELECT count(*) AS v FROM pg_stat_activity WHERE application_name = 'quiver_listener' AND datname = current_database()",
    )
    .await;
    assert_eq!(listeners, 1);
    insert_model(&server, "k6").await;
    assert_eq!(next_event(&mut ws, "1", "aiModelChanged").await["new"]["name"], "k6");
}

// 6. Delivery follows commit order, not the order rows were written in.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn changes_arrive_in_commit_order() {
    let server = TestServer::start().await;
    let mut ws = WsClient::connect(&server.base, "studio").await;
    ws.subscribe("1", MODEL_SUB, json!({})).await;
    settle().await;

    let mut a = server.db.conn().await;
    let mut b = server.db.conn().await;
    a.batch_execute("BEGIN; INSERT INTO studio.ai_models (name, provider, task_type) VALUES ('txn-a', 'p', 'TextGeneration')")
        .await
        .unwrap();
    b.batch_execute("INSERT INTO studio.ai_models (name, provider, task_type) VALUES ('txn-b', 'p', 'TextGeneration')").await.unwrap();
    // B is delivered while A is still open.
    let first = next_event(&mut ws, "1", "aiModelChanged").await;
    assert_eq!(first["new"]["name"], "txn-b");
    a.batch_execute("COMMIT").await.unwrap();
    let second = next_event(&mut ws, "1", "aiModelChanged").await;
    assert_eq!(second["new"]["name"], "txn-a");
    assert!(cursor(&first) < cursor(&second), "{first} {second}");
    // A's change was written (and numbered) first.
    let ids = server.db.rows("SELECT new_row->>'name' AS name FROM quiver.changes WHERE table_name = 'ai_models' ORDER BY id").await;
    assert_eq!(ids, vec![json!({ "name": "txn-a" }), json!({ "name": "txn-b" })]);
    ws.expect_silence(SILENCE).await;
}

// 7. Rows far larger than a NOTIFY payload arrive whole.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn large_rows_arrive_whole() {
    let server = TestServer::start().await;
    let mut ws = WsClient::connect(&server.base, "studio").await;
    ws.subscribe("1", "subscription { aiModelChanged { event new { name description } old { description } } }", json!({})).await;
    settle().await;
    let big: String = (0..20_000).map(|i| (b'a' + ((i * 7 + i / 26) % 26) as u8) as char).collect();
    let bigger: String = (0..30_000).map(|i| if i % 100 == 99 { '\n' } else { char::from_u32(0x3b1 + (i % 20) as u32).unwrap() }).collect();
    server
        .db
        .exec(&format!(
            "INSERT INTO studio.ai_models (name, provider, task_type, description) VALUES ('big', 'p', 'TextGeneration', '{big}')"
        ))
        .await;
    server.db.exec(&format!("UPDATE studio.ai_models SET description = '{bigger}' WHERE name = 'big'")).await;
    let e = next_event(&mut ws, "1", "aiModelChanged").await;
    assert_eq!(e["new"]["name"], "big");
    let got = e["new"]["description"].as_str().unwrap();
    assert_eq!(got.len(), 20_000);
    assert!(got == big, "description differs");
    let e = next_event(&mut ws, "1", "aiModelChanged").await;
    assert_eq!(e["event"], "UPDATE");
    assert!(e["old"]["description"].as_str() == Some(big.as_str()), "old description differs");
    assert!(e["new"]["description"].as_str() == Some(bigger.as_str()), "new description differs");
    assert_eq!(e["new"]["description"].as_str().unwrap().chars().count(), 30_000);
}

// 8. Secret columns never reach the outbox (nor subscribers).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn secrets_never_reach_the_outbox() {
    let server = TestServer::start().await;
    let mut ws = WsClient::connect(&server.base, "studio").await;
    ws.subscribe("1", "subscription { userChanged { event new { email fullName } old { email } } }", json!({})).await;
    settle().await;
    let uid = "c0000000-0000-4000-8000-000000000001";
    server
        .db
        .exec(&format!(
            "INSERT INTO studio.users (id, email, full_name, password_hash, mfa_secret, email_verification_token, password_reset_token) \
             VALUES ('{uid}', 'secret@example.com', 'Sam', 'hash-SECRET-1', 'mfa-SECRET-2', 'evt-SECRET-3', 'prt-SECRET-4')"
        ))
        .await;
    server.db.exec(&format!("UPDATE studio.users SET password_hash = 'hash-SECRET-5', full_name = 'Sam B' WHERE id = '{uid}'")).await;
    server
        .db
        .exec(&format!(
            "INSERT INTO studio.api_clients (user_id, name, api_key, secret_hash) VALUES ('{uid}', 'cli', 'pk_1', 'sh-SECRET-6'); \
             INSERT INTO studio.social_media_connections (user_id, platform, external_user_id, access_token, refresh_token) \
               VALUES ('{uid}', 'Instagram', 'ext', 'at-SECRET-7', 'rt-SECRET-8')"
        ))
        .await;
    let e = next_event(&mut ws, "1", "userChanged").await;
    assert_eq!(e["new"], json!({ "email": "secret@example.com", "fullName": "Sam" }));
    let e = next_event(&mut ws, "1", "userChanged").await;
    assert_eq!(e["new"]["fullName"], "Sam B");

    let has = sql_value(
        &server,
        "SELECT coalesce(bool_or(new_row ? 'password_hash'), false) AS v FROM quiver.changes WHERE table_name = 'users'",
    )
    .await;
    assert_eq!(has, false);
    let rows = server.db.rows("SELECT table_name, op, new_row ? 'email' AS has_email, \
                (coalesce(new_row, '{}') ?| array['password_hash','mfa_secret','email_verification_token','password_reset_token','secret_hash','access_token','refresh_token']) \
                OR (coalesce(old_row, '{}') ?| array['password_hash','mfa_secret','email_verification_token','password_reset_token','secret_hash','access_token','refresh_token']) AS secret_key, \
                (coalesce(new_row::text, '') || coalesce(old_row::text, '')) LIKE '%SECRET%' AS secret_value \
         FROM quiver.changes ORDER BY id",
    )
    .await;
    assert_eq!(rows.len(), 4, "{rows:#?}");
    for r in &rows {
        assert_eq!(r["secret_key"], false, "{r}");
        assert_eq!(r["secret_value"], false, "{r}");
    }
    assert_eq!(rows[0]["has_email"], true, "the user row itself is captured");
    assert_eq!(rows[1]["op"], "UPDATE");
}

// 9. Two instances on one database: each subscriber sees every change, with the same cursors.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_both_deliver_every_change() {
    let server = TestServer::start().await;
    let second = server.second_instance(&[]).await;
    let mut ws1 = WsClient::connect(&server.base, "studio").await;
    let mut ws2 = WsClient::connect(&second.base, "studio").await;
    ws1.subscribe("1", MODEL_SUB, json!({})).await;
    ws2.subscribe("1", MODEL_SUB, json!({})).await;
    settle().await;

    insert_model(&server, "via-sql").await;
    let create = "mutation($n: String!) { createAIModel(input: { name: $n, provider: \"p\", taskType: TEXT_GENERATION }) { id } }";
    gql_at(&server.base, create, json!({ "n": "via-first" })).await;
    let id = gql_at(&second.base, create, json!({ "n": "via-second" })).await["createAIModel"]["id"].as_str().unwrap().to_string();
    gql_at(&second.base, "mutation($id: UUID!) { updateAIModel(id: $id, patch: { name: \"via-second-b\" }) { id } }", json!({ "id": id }))
        .await;

    let want = pairs(&[("INSERT", "via-sql"), ("INSERT", "via-first"), ("INSERT", "via-second"), ("UPDATE", "via-second-b")]);
    let a = events(&mut ws1, "1", "aiModelChanged", 4).await;
    let b = events(&mut ws2, "1", "aiModelChanged", 4).await;
    assert_eq!(ops_names(&a), want, "first instance: {a:#?}");
    assert_eq!(ops_names(&b), want, "second instance: {b:#?}");
    let cursors = |v: &[Value]| v.iter().map(|e| e["cursor"].clone()).collect::<Vec<_>>();
    assert_eq!(cursors(&a), cursors(&b), "cursors are global");
    assert_increasing(&a);
    join_all([ws1.expect_silence(SILENCE), ws2.expect_silence(SILENCE)]).await;
}

/// The next presence event of `id` that is not about the subscriber itself
/// (each subscriber also gets a JOIN of itself right after SYNC).
async fn next_presence(ws: &mut WsClient, id: &str, me: &str) -> Value {
    loop {
        let e = next_event(ws, id, "presence").await;
        if e["kind"] == "JOIN" && e["member"]["key"] == me {
            continue;
        }
        return e;
    }
}

fn member_keys(e: &Value) -> Vec<String> {
    let mut keys: Vec<String> = e["members"].as_array().unwrap().iter().map(|m| m["key"].as_str().unwrap().to_string()).collect();
    keys.sort();
    keys
}

// 10. Broadcast and presence across two instances.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn broadcast_and_presence_span_instances() {
    let server = TestServer::start().await;
    let second = server.second_instance(&[]).await;

    // Broadcast.
    let channel = "subscription($t: String!) { channel(topic: $t) { topic event payload sentAt } }";
    let mut c1 = WsClient::connect(&server.base, "studio").await;
    let mut c2 = WsClient::connect(&second.base, "studio").await;
    c1.subscribe("room", channel, json!({ "t": "room" })).await;
    c2.subscribe("room", channel, json!({ "t": "room" })).await;
    settle().await;
    let send = "mutation($t: String!, $e: String!, $p: JSON) { broadcast(topic: $t, event: $e, payload: $p) }";
    let p1 = json!({ "text": "héllo ✓", "n": 3, "f": 1.5, "nested": { "list": [1, null, "x"], "ok": true } });
    assert_eq!(gql_at(&server.base, send, json!({ "t": "room", "e": "greet", "p": p1 })).await["broadcast"], true);
    // Another topic first, then the room again: the room subscribers get only room messages.
    gql_at(&second.base, send, json!({ "t": "lobby", "e": "noise", "p": { "x": 1 } })).await;
    let p2 = json!(["from", "second"]);
    gql_at(&second.base, send, json!({ "t": "room", "e": "reply", "p": p2 })).await;
    for ws in [&mut c1, &mut c2] {
        let m = next_event(ws, "room", "channel").await;
        assert_eq!(m["topic"], "room");
        assert_eq!(m["event"], "greet");
        assert_eq!(m["payload"], p1);
        assert!(quiver::graphql::scalars::is_rfc3339(m["sentAt"].as_str().unwrap()), "{m}");
        let m = next_event(ws, "room", "channel").await;
        assert_eq!((m["event"].as_str(), &m["payload"]), (Some("reply"), &p2), "{m}");
    }
    join_all([c1.expect_silence(SILENCE), c2.expect_silence(SILENCE)]).await;

    // Presence.
    let presence = "subscription($m: JSON) { presence(topic: \"doc1\", meta: $m) { kind me member { key meta } members { key meta } } }";
    let mut pa = WsClient::connect(&server.base, "studio").await;
    pa.subscribe("p", presence, json!({ "m": { "device": "phone" } })).await;
    let sync_a = next_event(&mut pa, "p", "presence").await;
    assert_eq!(sync_a["kind"], "SYNC", "{sync_a}");
    let key_a = sync_a["me"].as_str().unwrap().to_string();
    assert_eq!(sync_a["members"], json!([{ "key": key_a, "meta": { "device": "phone" } }]));

    let mut pb = WsClient::connect(&second.base, "studio").await;
    pb.subscribe("p", presence, json!({ "m": { "device": "laptop" } })).await;
    let sync_b = next_event(&mut pb, "p", "presence").await;
    assert_eq!(sync_b["kind"], "SYNC", "{sync_b}");
    let key_b = sync_b["me"].as_str().unwrap().to_string();
    let mut both = vec![key_a.clone(), key_b.clone()];
    both.sort();

    // A sees B join (allow a heartbeat).
    let join = tokio::time::timeout(Duration::from_secs(8), next_presence(&mut pa, "p", &key_a)).await.expect("A sees B join");
    assert_eq!(join["kind"], "JOIN", "{join}");
    assert_eq!(join["member"], json!({ "key": key_b, "meta": { "device": "laptop" } }));
    assert_eq!(member_keys(&join), both);
    // B knows A: already in its SYNC, or by a JOIN soon after.
    if member_keys(&sync_b) != both {
        let join = tokio::time::timeout(Duration::from_secs(8), next_presence(&mut pb, "p", &key_b)).await.expect("B sees A join");
        assert_eq!(join["kind"], "JOIN", "{join}");
        assert_eq!(join["member"], json!({ "key": key_a, "meta": { "device": "phone" } }));
        assert_eq!(member_keys(&join), both);
    } else {
        let a_in_b = sync_b["members"].as_array().unwrap().iter().find(|m| m["key"] == key_a.as_str()).unwrap().clone();
        assert_eq!(a_in_b["meta"], json!({ "device": "phone" }));
    }

    // B leaves by closing its socket: A sees LEAVE.
    pb.close().await;
    let leave = tokio::time::timeout(Duration::from_secs(8), next_presence(&mut pa, "p", &key_a)).await.expect("A sees B leave");
    assert_eq!(leave["kind"], "LEAVE", "{leave}");
    assert_eq!(leave["member"]["key"], key_b.as_str());
    assert_eq!(member_keys(&leave), vec![key_a.clone()]);
}

// 11. A subscriber that stops reading is ended with SLOW_CONSUMER; the connection and server stay usable.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow_consumer_is_ended_and_the_server_stays_healthy() {
    let server = TestServer::start_with(&["--subscription-buffer=16"]).await;
    let mut ws = WsClient::connect(&server.base, "studio").await;
    ws.subscribe("1", "subscription { aiModelChanged { event cursor new { name description } } }", json!({})).await;
    settle().await;
    insert_model(&server, "probe").await;
    assert_eq!(next_event(&mut ws, "1", "aiModelChanged").await["new"]["name"], "probe");

    // 200 transactions of 64 kB rows (~13 MB of events, more than socket
    // buffers hold) while the client reads nothing.
    let mut sql = String::new();
    for i in 0..200 {
        sql.push_str(&format!(
            "BEGIN; INSERT INTO studio.ai_models (name, provider, task_type, description) VALUES ('s{i}', 'p', 'TextGeneration', repeat('x', 65536)); COMMIT;\n"
        ));
    }
    server.db.conn().await.batch_execute(&sql).await.unwrap();
    let commits = sql_value(&server, "SELECT count(*) AS v FROM quiver.commits WHERE seq IS NOT NULL").await;
    assert_eq!(commits, 201, "each insert is its own transaction");
    tokio::time::sleep(Duration::from_secs(2)).await;

    let mut delivered = Vec::new();
    loop {
        let msg = ws.next_for("1").await;
        assert!(msg["type"] == "next", "{msg}");
        if msg["payload"].get("errors").is_some() {
            assert_eq!(msg["payload"]["errors"][0]["extensions"]["code"], "SLOW_CONSUMER", "{msg}");
            break;
        }
        delivered.push(msg["payload"]["data"]["aiModelChanged"].clone());
        assert!(delivered.len() < 200, "all 200 events were delivered: no SLOW_CONSUMER");
    }
    expect_complete(&mut ws, "1").await;
    // What was delivered before the end is an unbroken prefix.
    for (i, e) in delivered.iter().enumerate() {
        assert_eq!(e["new"]["name"], format!("s{i}"));
    }
    assert_increasing(&delivered);

    // Same connection, new subscription: works.
    ws.subscribe("2", MODEL_SUB, json!({})).await;
    settle().await;
    insert_model(&server, "after").await;
    assert_eq!(next_event(&mut ws, "2", "aiModelChanged").await["new"]["name"], "after");
    assert_eq!(server.data("{ __typename }", json!({})).await["__typename"], "QueryRoot");
}

/// Waits until retention pruned through commit `seq`.
async fn wait_pruned(server: &TestServer, seq: i64) {
    for _ in 0..100 {
        let p = sql_value(server, "SELECT pruned_through AS v FROM quiver.outbox_state").await;
        if p.as_i64().unwrap() >= seq {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("retention did not prune through {seq}");
}

// 12a. A cursor whose following changes were pruned is refused with CURSOR_EXPIRED.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn expired_cursor_is_refused() {
    let server = TestServer::start_with(&["--change-retention=1"]).await;
    let mut ws = WsClient::connect(&server.base, "studio").await;
    ws.subscribe("1", MODEL_SUB, json!({})).await;
    settle().await;
    insert_model(&server, "e1").await;
    let e1 = next_event(&mut ws, "1", "aiModelChanged").await;
    ws.close().await;
    insert_model(&server, "e2 (missed, then pruned)").await;
    let last = sql_value(&server, "SELECT max(seq) AS v FROM quiver.commits").await.as_i64().unwrap();
    wait_pruned(&server, last).await;
    insert_model(&server, "e3").await;

    let mut ws = WsClient::connect(&server.base, "studio").await;
    ws.subscribe("2", MODEL_SUB, json!({ "after": e1["cursor"] })).await;
    assert_eq!(next_error_code(&mut ws, "2").await, "CURSOR_EXPIRED");
    expect_complete(&mut ws, "2").await;
    // A current cursor still works on the same connection.
    ws.subscribe("3", MODEL_SUB, json!({})).await;
    settle().await;
    insert_model(&server, "e4").await;
    assert_eq!(next_event(&mut ws, "3", "aiModelChanged").await["new"]["name"], "e4");
}

// 12b. A cursor at the pruned commit has expired too ("cursors at or below
// pruned_through have expired", migrations/…_realtime/up.sql): the client may
// have stopped in the middle of that commit, whose remaining changes are gone.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cursor_at_the_pruned_commit_is_expired() {
    let server = TestServer::start_with(&["--change-retention=1"]).await;
    let mut ws = WsClient::connect(&server.base, "studio").await;
    ws.subscribe("1", MODEL_SUB, json!({})).await;
    settle().await;
    // One transaction, two changes; the client only gets the first one.
    server
        .db
        .exec(
            "BEGIN; INSERT INTO studio.ai_models (name, provider, task_type) VALUES ('x1', 'p', 'TextGeneration'); \
             INSERT INTO studio.ai_models (name, provider, task_type) VALUES ('x2', 'p', 'TextGeneration'); COMMIT;",
        )
        .await;
    let x1 = next_event(&mut ws, "1", "aiModelChanged").await;
    assert_eq!(x1["new"]["name"], "x1");
    ws.close().await;
    wait_pruned(&server, cursor(&x1).0).await;
    insert_model(&server, "x3").await;

    let mut ws = WsClient::connect(&server.base, "studio").await;
    ws.subscribe("2", MODEL_SUB, json!({ "after": x1["cursor"] })).await;
    let msg = ws.next_for("2").await;
    // Regression guard: a cursor inside the last pruned commit must be refused
    // (`after.seq <= pruned_through`), or x2 would be lost silently.
    assert_eq!(msg["payload"]["errors"][0]["extensions"]["code"], "CURSOR_EXPIRED", "x2 was lost without CURSOR_EXPIRED: {msg}");
}

// 13. Domain watches: myNotifications(userId) and generationRequest(id), which ends at a terminal status.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn domain_subscriptions_watch_their_rows() {
    let server = TestServer::start().await;
    let (u1, u2) = ("d0000000-0000-4000-8000-000000000001", "d0000000-0000-4000-8000-000000000002");
    server.db.exec(&format!("INSERT INTO studio.users (id, email) VALUES ('{u1}', 'u1@example.com'), ('{u2}', 'u2@example.com')")).await;

    let mut ws = WsClient::connect(&server.base, "studio").await;
    ws.subscribe(
        "n",
        "subscription($u: UUID!) { myNotifications(userId: $u) { event cursor new { userId message isRead user { email } } old { message isRead } } }",
        json!({ "u": u1 }),
    )
    .await;
    settle().await;
    for sql in [
        format!("INSERT INTO studio.notifications (user_id, type, message) VALUES ('{u1}', 'system_update', 'n1')"),
        format!("INSERT INTO studio.notifications (user_id, type, message) VALUES ('{u2}', 'system_update', 'other user')"),
        format!("UPDATE studio.notifications SET is_read = true WHERE user_id = '{u2}'"),
        "UPDATE studio.notifications SET is_read = true WHERE message = 'n1'".to_string(),
        "DELETE FROM studio.notifications WHERE message = 'n1'".to_string(),
        format!("INSERT INTO studio.notifications (user_id, type, message) VALUES ('{u1}', 'billing_alert', 'n2')"),
    ] {
        server.db.exec(&sql).await;
    }
    let got = events(&mut ws, "n", "myNotifications", 3).await;
    assert_eq!(got[0]["event"], "INSERT");
    assert_eq!(got[0]["new"], json!({ "userId": u1, "message": "n1", "isRead": false, "user": { "email": "u1@example.com" } }));
    assert_eq!(got[1]["event"], "UPDATE");
    assert_eq!((got[1]["new"]["message"].as_str(), &got[1]["new"]["isRead"]), (Some("n1"), &json!(true)));
    assert_eq!(got[1]["old"], json!({ "message": "n1", "isRead": false }));
    assert_eq!(got[2]["event"], "INSERT", "DELETE is not watched: {:#}", got[2]);
    assert_eq!(got[2]["new"]["message"], "n2");
    assert_increasing(&got);
    ws.expect_silence(SILENCE).await;
    ws.complete("n").await;
    expect_complete(&mut ws, "n").await;

    // generationRequest(id): status changes of one request until a terminal status.
    let (g, other) = ("e0000000-0000-4000-8000-000000000001", "e0000000-0000-4000-8000-000000000002");
    ws.subscribe(
        "g",
        "subscription($id: UUID!) { generationRequest(id: $id) { event new { id status inputPrompt } old { status } } }",
        json!({ "id": g }),
    )
    .await;
    settle().await;
    for sql in [
        format!("INSERT INTO studio.generation_requests (id, user_id, input_prompt) VALUES ('{g}', '{u1}', 'a cat')"),
        format!("INSERT INTO studio.generation_requests (id, user_id, input_prompt) VALUES ('{other}', '{u1}', 'a dog')"),
        format!("UPDATE studio.generation_requests SET status = 'ProcessingSamples' WHERE id = '{g}'"),
        format!("UPDATE studio.generation_requests SET status = 'Completed' WHERE id = '{other}'"),
        format!("UPDATE studio.generation_requests SET status = 'AwaitingSelection' WHERE id = '{g}'"),
        format!("UPDATE studio.generation_requests SET status = 'Completed' WHERE id = '{g}'"),
        format!("UPDATE studio.generation_requests SET input_prompt = 'after the end' WHERE id = '{g}'"),
    ] {
        server.db.exec(&sql).await;
    }
    let got = events(&mut ws, "g", "generationRequest", 4).await;
    let statuses: Vec<(&str, &str)> = got.iter().map(|e| (e["event"].as_str().unwrap(), e["new"]["status"].as_str().unwrap())).collect();
    assert_eq!(
        statuses,
        vec![("INSERT", "PENDING"), ("UPDATE", "PROCESSING_SAMPLES"), ("UPDATE", "AWAITING_SELECTION"), ("UPDATE", "COMPLETED")],
        "{got:#?}"
    );
    assert!(got.iter().all(|e| e["new"]["id"] == g && e["new"]["inputPrompt"] == "a cat"));
    assert_eq!(got[3]["old"]["status"], "AWAITING_SELECTION");
    expect_complete(&mut ws, "g").await;
    ws.expect_silence(SILENCE).await;
}

// 14a. The legacy graphql-ws subprotocol.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn legacy_graphql_ws_protocol_works() {
    let server = TestServer::start().await;
    let mut ws = WsClient::connect_with(&server.base, "studio", "graphql-ws", json!({})).await;
    ws.subscribe("L", MODEL_SUB, json!({})).await;
    settle().await;
    insert_model(&server, "legacy").await;
    let msg = ws.next_for("L").await;
    assert_eq!(msg["type"], "data", "{msg}");
    assert_eq!(msg["payload"]["data"]["aiModelChanged"]["event"], "INSERT");
    assert_eq!(msg["payload"]["data"]["aiModelChanged"]["new"]["name"], "legacy");
    ws.complete("L").await;
    expect_complete(&mut ws, "L").await;
    insert_model(&server, "after stop").await;
    ws.expect_silence(SILENCE).await;
}

// 14b. --max-subscriptions: the subscription over the limit gets LIMIT_EXCEEDED; a freed slot is reusable.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn subscriptions_per_connection_are_limited() {
    let server = TestServer::start_with(&["--max-subscriptions=2"]).await;
    let mut ws = WsClient::connect(&server.base, "studio").await;
    ws.subscribe("1", MODEL_SUB, json!({})).await;
    settle().await;
    ws.subscribe("2", "subscription { channel(topic: \"t\") { event } }", json!({})).await;
    settle().await;
    ws.subscribe("3", MODEL_SUB, json!({})).await;
    assert_eq!(next_error_code(&mut ws, "3").await, "LIMIT_EXCEEDED");
    expect_complete(&mut ws, "3").await;
    insert_model(&server, "limited").await;
    assert_eq!(next_event(&mut ws, "1", "aiModelChanged").await["new"]["name"], "limited");
    server.data("mutation { broadcast(topic: \"t\", event: \"ping\") }", json!({})).await;
    assert_eq!(next_event(&mut ws, "2", "channel").await["event"], "ping");

    // Completing one frees its slot.
    ws.complete("1").await;
    expect_complete(&mut ws, "1").await;
    ws.subscribe("4", MODEL_SUB, json!({})).await;
    settle().await;
    insert_model(&server, "slot reused").await;
    assert_eq!(next_event(&mut ws, "4", "aiModelChanged").await["new"]["name"], "slot reused");

    // The limit is per connection; three subscribes sent at once: exactly one is
    // refused (which one is not specified: subscriptions start when first polled),
    // the other two deliver.
    let mut other = WsClient::connect(&server.base, "studio").await;
    for id in ["a", "b", "c"] {
        other.subscribe(id, MODEL_SUB, json!({})).await;
    }
    let refused = other.next_message().await.expect("a LIMIT_EXCEEDED error");
    assert_eq!(refused["payload"]["errors"][0]["extensions"]["code"], "LIMIT_EXCEEDED", "{refused}");
    let refused_id = refused["id"].as_str().unwrap().to_string();
    expect_complete(&mut other, &refused_id).await;
    settle().await;
    insert_model(&server, "other").await;
    let mut got = [other.next_message().await.unwrap(), other.next_message().await.unwrap()];
    got.sort_by_key(|m| m["id"].as_str().unwrap().to_string());
    let live: Vec<&str> = ["a", "b", "c"].into_iter().filter(|id| *id != refused_id).collect();
    for (m, id) in got.iter().zip(live) {
        assert_eq!(m["id"], id, "{m}");
        assert_eq!(m["payload"]["data"]["aiModelChanged"]["new"]["name"], "other", "{m}");
    }
    other.expect_silence(SILENCE).await;
}

// --max-ws-connections: a connection over the limit is refused; a closed one frees its place.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn websocket_connections_are_limited() {
    let server = TestServer::start_with(&["--max-ws-connections=1"]).await;
    let first = WsClient::connect(&server.base, "studio").await;
    assert_eq!(WsClient::try_connect(&server.base, "studio").await.err(), Some(503));
    first.close().await;
    let mut again = None;
    for _ in 0..50 {
        if let Ok(ws) = WsClient::try_connect(&server.base, "studio").await {
            again = Some(ws);
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let mut ws = again.expect("a connection is accepted once the first one closed");
    ws.subscribe("1", MODEL_SUB, json!({})).await;
    settle().await;
    insert_model(&server, "conn").await;
    assert_eq!(next_event(&mut ws, "1", "aiModelChanged").await["new"]["name"], "conn");
}

// A burst of changes to another table, larger than the buffer, in one
// transaction, must not end a subscriber that keeps reading.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_large_transaction_elsewhere_does_not_end_an_attentive_subscriber() {
    let server = TestServer::start_with(&["--subscription-buffer=16"]).await;
    let mut ws = WsClient::connect(&server.base, "studio").await;
    ws.subscribe("1", MODEL_SUB, json!({})).await;
    settle().await;
    insert_model(&server, "before").await;
    assert_eq!(next_event(&mut ws, "1", "aiModelChanged").await["new"]["name"], "before");
    server.db.exec("INSERT INTO studio.usage_logs (action_type) SELECT 'bulk' FROM generate_series(1, 200)").await;
    insert_model(&server, "after").await;
    let msg = ws.next_for("1").await;
    // Regression guard: changes are published one batch per outbox read, so a large
    // transaction elsewhere takes one buffer slot, not one per row.
    assert!(msg["payload"].get("errors").is_none(), "attentive subscriber ended: {msg}");
    assert_eq!(msg["payload"]["data"]["aiModelChanged"]["new"]["name"], "after", "{msg}");
}

/// The server sends the protocol's keep-alive on its own (`ping` on
/// graphql-transport-ws, `ka` on the legacy protocol), and a client that only
/// listens is never disconnected for being quiet.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn server_keeps_quiet_connections_alive() {
    let server = TestServer::start_with(&["--ws-keepalive=1"]).await;
    for (protocol, keepalive) in [("graphql-transport-ws", "ping"), ("graphql-ws", "ka")] {
        let mut ws = WsClient::connect_with(&server.base, "studio", protocol, json!({})).await;
        ws.subscribe("1", "subscription { aiModelChanged { event new { name } } }", json!({})).await;
        for _ in 0..3 {
            let msg = ws.next_raw(std::time::Duration::from_secs(5)).await.expect("a keep-alive, not a closed socket");
            assert_eq!(msg["type"], keepalive, "{protocol}: {msg}");
        }
        let name = format!("still-here-{protocol}");
        server.db.exec(&format!("INSERT INTO studio.ai_models (name, provider, task_type) VALUES ('{name}', 'p', 'TextGeneration')")).await;
        let event = ws.next_data("1").await;
        assert_eq!(event["data"]["aiModelChanged"]["new"]["name"], name.as_str(), "{protocol}: {event}");
        ws.close().await;
    }
}

/// Graceful shutdown ends open subscriptions (axum does not track WebSocket
/// tasks, so the realtime hub ends their streams itself): the client gets
/// `complete`, not a hang.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shutdown_completes_open_subscriptions() {
    let mut server = TestServer::start().await;
    let mut ws = WsClient::connect(&server.base, "studio").await;
    ws.subscribe("1", "subscription { aiModelChanged { event } }", json!({})).await;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    server.shutdown();
    let msg = ws.next_message().await.expect("a message before the socket closes");
    assert_eq!(msg["type"], "complete", "{msg}");
    assert_eq!(msg["id"], "1");
}
