//! Hostile input and abuse (issue 14): a panic-free DateTime parser, panics
//! turned into `INTERNAL` errors, the cost limit on nested connections, the
//! batch limits and the response size cap.

use serde_json::{json, Value};

use crate::common::ws::WsClient;
use crate::common::TestServer;

/// The issue's query: 10^12 potential nodes through to-one and back to-many.
const EXPLOSIVE: &str = "{ workbenches(first: 1000) { nodes { projects(first: 1000) { nodes { workbench { projects(first: 1000) { nodes { workbench { projects(first: 1000) { nodes { id } } } } } } } } } } }";

fn code(body: &Value) -> &str {
    body["errors"][0]["extensions"]["code"]
        .as_str()
        .unwrap_or_else(|| panic!("no error code in {body:#}"))
}

/// The code of the first error answered for operation `id` (in a `next` or
/// an `error` message), skipping `complete` messages of earlier operations.
async fn ws_error_code(ws: &mut WsClient, id: &str) -> String {
    let msg = ws_answer(ws, id).await;
    let errors = if msg["type"] == "error" {
        &msg["payload"]
    } else {
        &msg["payload"]["errors"]
    };
    errors[0]["extensions"]["code"]
        .as_str()
        .unwrap_or_else(|| panic!("no error code in {msg}"))
        .to_string()
}

/// The first message for operation `id`, skipping `complete` messages of earlier operations.
async fn ws_answer(ws: &mut WsClient, id: &str) -> Value {
    loop {
        let msg = ws
            .next_message()
            .await
            .unwrap_or_else(|| panic!("no answer for {id}"));
        if msg["type"] == "complete" && msg["id"] != id {
            continue;
        }
        assert_eq!(msg["id"], id, "{msg}");
        return msg;
    }
}

// ---------------------------------------------------------------------------
// Hole 3: a panic on a multibyte character
// ---------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn datetime_with_a_multibyte_character_is_bad_input_not_a_dropped_connection() {
    let server = TestServer::start().await;
    // 'é' spans bytes 9 and 10: slicing at byte 10 panicked.
    let inline =
        r#"{ projects(filter: {createdAt: {lt: "2024-01-0éT00:00:00Z"}}) { nodes { id } } }"#;
    assert_eq!(server.error_code(inline, json!({})).await, "BAD_USER_INPUT");
    let by_variable =
        "query($t: DateTime) { projects(filter: {createdAt: {gte: $t}}) { nodes { id } } }";
    for t in [
        "2024-01-0éT00:00:00Z",
        "2024-01-01T00:00:0é",
        "2024-01-01T00:00:00.5€",
        "ééééééééééééééééééé",
    ] {
        assert_eq!(
            server.error_code(by_variable, json!({ "t": t })).await,
            "BAD_USER_INPUT",
            "{t}"
        );
    }
    // The server is still there.
    assert!(
        server.data("{ projects { totalCount } }", json!({})).await["projects"]["totalCount"]
            .is_number()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_panicking_handler_answers_a_json_internal_error() {
    let router = quiver::http::catch_panics(axum::Router::new().route(
        "/boom",
        axum::routing::get(|| async {
            if std::hint::black_box(true) {
                panic!("deliberate test panic");
            }
            "unreachable"
        }),
    ));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    let resp = reqwest::get(format!("http://{addr}/boom"))
        .await
        .expect("an answer, not a dropped connection");
    assert_eq!(resp.status(), 500);
    let body: Value = resp.json().await.expect("a JSON body");
    assert_eq!(code(&body), "INTERNAL", "{body}");
    assert!(
        body["errors"][0]["extensions"]["requestId"].is_string(),
        "{body}"
    );
}

// ---------------------------------------------------------------------------
// Hole 1: unbounded cost
// ---------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nested_connections_over_the_node_limit_are_refused_before_any_sql() {
    let server = TestServer::start().await;
    let before = server.statements().await;
    let body = server.gql(EXPLOSIVE, json!({})).await;
    assert_eq!(code(&body), "QUERY_TOO_COMPLEX", "{body:#}");
    let cost = body["errors"][0]["extensions"]["cost"]
        .as_u64()
        .expect("the cost in extensions");
    assert!(cost > 1_000_000_000_000, "{cost}");
    assert_eq!(body["errors"][0]["extensions"]["limit"], 100_000);
    assert!(body.get("data").is_none_or(Value::is_null), "{body}");
    assert_eq!(server.statements().await, before, "no statement ran");

    // The same in orders: customers → tenant → customers → …
    let orders = "{ customers(first: 500) { nodes { tenant { customers(first: 500) { nodes { tenant { customers(first: 500) { nodes { id } } } } } } } } }";
    let body = server.gql_app("orders", orders, json!({})).await;
    assert_eq!(code(&body), "QUERY_TOO_COMPLEX", "{body:#}");

    // Page sizes from variables (and their defaults) count.
    let q = "query($n: Int = 400) { workbenches(first: $n) { nodes { projects(first: $n) { nodes { id } } } } }";
    assert_eq!(server.error_code(q, json!({})).await, "QUERY_TOO_COMPLEX");
    assert_eq!(
        server.error_code(q, json!({ "n": 1000 })).await,
        "QUERY_TOO_COMPLEX"
    );
    assert!(
        server
            .gql(q, json!({ "n": 100 }))
            .await
            .get("errors")
            .is_none(),
        "100 + 100×100 is under the limit"
    );
    // Without first/last the default page size (100) counts: 100 × 100 × 100 = 10^6.
    let defaulted = "{ workbenches { nodes { projects { nodes { assets { nodes { id } } } } } } }";
    assert_eq!(
        server.error_code(defaulted, json!({})).await,
        "QUERY_TOO_COMPLEX"
    );
    // Aliases add up.
    let aliased: String = (0..101)
        .map(|i| format!("a{i}: projects(first: 1000) {{ nodes {{ id }} }} "))
        .collect();
    let body = server.gql(&format!("{{ {aliased} }}"), json!({})).await;
    assert_eq!(code(&body), "QUERY_TOO_COMPLEX");
    assert_eq!(body["errors"][0]["extensions"]["cost"], 101_000);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_node_limit_is_configurable_and_applies_to_mutations_and_websocket() {
    let server = TestServer::start_with(&["--max-nodes=50"]).await;
    assert!(server
        .gql("{ projects(first: 50) { nodes { id } } }", json!({}))
        .await
        .get("errors")
        .is_none());
    assert_eq!(
        server
            .error_code("{ projects(first: 51) { nodes { id } } }", json!({}))
            .await,
        "QUERY_TOO_COMPLEX"
    );
    // A mutation's result selection counts too (refused before the write).
    let m = r#"mutation { createUser(input: {email: "cost@example.com", username: "cost"}) { workbenches(first: 60) { nodes { id } } } }"#;
    assert_eq!(server.error_code(m, json!({})).await, "QUERY_TOO_COMPLEX");
    assert_eq!(
        server.data("{ users { totalCount } }", json!({})).await["users"]["totalCount"],
        0,
        "nothing was written"
    );

    // WebSocket: queries and subscriptions alike.
    let mut ws = WsClient::connect(&server.base, "studio").await;
    ws.subscribe("q", "{ projects(first: 51) { nodes { id } } }", json!({}))
        .await;
    assert_eq!(ws_error_code(&mut ws, "q").await, "QUERY_TOO_COMPLEX");
    ws.subscribe(
        "s",
        "subscription { projectChanged { new { assets(first: 60) { nodes { id } } } } }",
        json!({}),
    )
    .await;
    assert_eq!(ws_error_code(&mut ws, "s").await, "QUERY_TOO_COMPLEX");
    ws.subscribe("ok", "{ projects(first: 50) { nodes { id } } }", json!({}))
        .await;
    let msg = ws_answer(&mut ws, "ok").await;
    assert!(
        msg["payload"]["data"]["projects"]["nodes"].is_array(),
        "{msg}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn responses_over_the_byte_limit_are_withheld() {
    let server = TestServer::start_with(&["--max-response-bytes=300"]).await;
    for i in 0..10 {
        server
            .db
            .exec(&format!(
                "INSERT INTO studio.users (email) VALUES ('user-number-{i}@example.com')"
            ))
            .await;
    }
    let body = server
        .gql("{ users { nodes { id email } } }", json!({}))
        .await;
    assert_eq!(code(&body), "LIMIT_EXCEEDED", "{body}");
    assert!(body.get("data").is_none(), "{body}");
    assert!(server
        .gql("{ users(first: 1) { nodes { email } } }", json!({}))
        .await
        .get("errors")
        .is_none());
}

// ---------------------------------------------------------------------------
// Hole 2: batches of any length
// ---------------------------------------------------------------------------

async fn post_batch(server: &TestServer, batch: Value) -> (u16, Value) {
    let resp = server
        .http
        .post(server.endpoint("studio"))
        .json(&batch)
        .send()
        .await
        .unwrap();
    (resp.status().as_u16(), resp.json().await.unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn batches_are_capped_in_length_and_costed_as_one_request() {
    let server = TestServer::start().await;
    let one = json!({ "query": "{ projects(first: 1) { totalCount } }" });
    let (status, body) = post_batch(&server, Value::Array(vec![one.clone(); 10])).await;
    assert_eq!(status, 200);
    assert_eq!(body.as_array().map(Vec::len), Some(10), "{body}");

    let before = server.statements().await;
    let (status, body) = post_batch(&server, Value::Array(vec![one.clone(); 11])).await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(code(&body), "LIMIT_EXCEEDED", "{body}");
    assert_eq!(
        server.statements().await,
        before,
        "nothing of the batch ran"
    );

    // Ten operations of 20,000 nodes each: each alone is fine, together 200,000.
    let heavy = json!({ "query": "{ workbenches(first: 20) { nodes { projects(first: 999) { nodes { id } } } } }" });
    let (status, body) = post_batch(&server, Value::Array(vec![heavy.clone(); 10])).await;
    assert_eq!(status, 200);
    let answers = body.as_array().expect("one answer per operation");
    assert_eq!(answers.len(), 10);
    for a in answers {
        assert_eq!(code(a), "QUERY_TOO_COMPLEX", "{a}");
        assert!(
            a["errors"][0]["extensions"]["cost"].as_u64().unwrap() > 100_000,
            "{a}"
        );
    }
    assert_eq!(
        server.statements().await,
        before,
        "nothing of the batch ran"
    );
    let (_, body) = post_batch(&server, json!([heavy])).await;
    assert!(body[0].get("errors").is_none(), "{body}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn batch_limits_are_configurable() {
    let server = TestServer::start_with(&["--max-batch=2", "--batch-concurrency=1"]).await;
    let q = |n: usize| json!({ "query": format!("{{ projects(first: {n}) {{ totalCount }} }}") });
    let (status, body) = post_batch(&server, json!([q(1), q(2)])).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body.as_array().map(Vec::len), Some(2));
    let (status, body) = post_batch(&server, json!([q(1), q(2), q(3)])).await;
    assert_eq!((status, code(&body)), (400, "LIMIT_EXCEEDED"), "{body}");
}
