//! Hostile input and abuse (issue 14): a panic-free DateTime parser, panics
//! turned into `INTERNAL` errors, the cost limit on nested connections, the
//! batch limits and the response size cap.

use serde_json::{json, Value};

use crate::common::ws::WsClient;
use crate::common::TestServer;

/// The issue's query: 10^12 potential nodes through to-one and back to-many.
const EXPLOSIVE: &str = "{ workbenches(first: 1000) { nodes { projects(first: 1000) { nodes { workbench { projects(first: 1000) { nodes { workbench { projects(first: 1000) { nodes { id } } } } } } } } } } }";

fn code(body: &Value) -> &str {
    body["errors"][0]["extensions"]["code"].as_str().unwrap_or_else(|| panic!("no error code in {body:#}"))
}

/// The code of the first error answered for operation `id` (in a `next` or
/// an `error` message), skipping `complete` messages of earlier operations.
async fn ws_error_code(ws: &mut WsClient, id: &str) -> String {
    let msg = ws_answer(ws, id).await;
    let errors = if msg["type"] == "error" { &msg["payload"] } else { &msg["payload"]["errors"] };
    errors[0]["extensions"]["code"].as_str().unwrap_or_else(|| panic!("no error code in {msg}")).to_string()
}

/// The first message for operation `id`, skipping `complete` messages of earlier operations.
async fn ws_answer(ws: &mut WsClient, id: &str) -> Value {
    loop {
        let msg = ws.next_message().await.unwrap_or_else(|| panic!("no answer for {id}"));
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
    let inline = r#"{ projects(filter: {createdAt: {lt: "2024-01-0éT00:00:00Z"}}) { nodes { id } } }"#;
    assert_eq!(server.error_code(inline, json!({})).await, "BAD_USER_INPUT");
    let by_variable = "query($t: DateTime) { projects(filter: {createdAt: {gte: $t}}) { nodes { id } } }";
    for t in ["2024-01-0éT00:00:00Z", "2024-01-01T00:00:0é", "2024-01-01T00:00:00.5€", "ééééééééééééééééééé"] {
        assert_eq!(server.error_code(by_variable, json!({ "t": t })).await, "BAD_USER_INPUT", "{t}");
    }
    // The server is still there.
    assert!(server.data("{ projects { totalCount } }", json!({})).await["projects"]["totalCount"].is_number());
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
    let resp = reqwest::get(format!("http://{addr}/boom")).await.expect("an answer, not a dropped connection");
    assert_eq!(resp.status(), 500);
    let body: Value = resp.json().await.expect("a JSON body");
    assert_eq!(code(&body), "INTERNAL", "{body}");
    assert!(body["errors"][0]["extensions"]["requestId"].is_string(), "{body}");
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
    let cost = body["errors"][0]["extensions"]["cost"].as_u64().expect("the cost in extensions");
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
    assert_eq!(server.error_code(q, json!({ "n": 1000 })).await, "QUERY_TOO_COMPLEX");
    assert!(server.gql(q, json!({ "n": 100 })).await.get("errors").is_none(), "100 + 100×100 is under the limit");
    // Without first/last the default page size (100) counts: 100 × 100 × 100 = 10^6.
    let defaulted = "{ workbenches { nodes { projects { nodes { assets { nodes { id } } } } } } }";
    assert_eq!(server.error_code(defaulted, json!({})).await, "QUERY_TOO_COMPLEX");
    // Aliases add up.
    let aliased: String = (0..101).map(|i| format!("a{i}: projects(first: 1000) {{ nodes {{ id }} }} ")).collect();
    let body = server.gql(&format!("{{ {aliased} }}"), json!({})).await;
    assert_eq!(code(&body), "QUERY_TOO_COMPLEX");
    assert_eq!(body["errors"][0]["extensions"]["cost"], 101_000);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_node_limit_is_configurable_and_applies_to_mutations_and_websocket() {
    let server = TestServer::start_with(&["--max-nodes=50"]).await;
    assert!(server.gql("{ projects(first: 50) { nodes { id } } }", json!({})).await.get("errors").is_none());
    assert_eq!(server.error_code("{ projects(first: 51) { nodes { id } } }", json!({})).await, "QUERY_TOO_COMPLEX");
    // A mutation's result selection counts too (refused before the write).
    let m = r#"mutation { createUser(input: {email: "cost@example.com", username: "cost"}) { workbenches(first: 60) { nodes { id } } } }"#;
    assert_eq!(server.error_code(m, json!({})).await, "QUERY_TOO_COMPLEX");
    assert_eq!(server.data("{ users { totalCount } }", json!({})).await["users"]["totalCount"], 0, "nothing was written");

    // WebSocket: queries and subscriptions alike.
    let mut ws = WsClient::connect(&server.base, "studio").await;
    ws.subscribe("q", "{ projects(first: 51) { nodes { id } } }", json!({})).await;
    assert_eq!(ws_error_code(&mut ws, "q").await, "QUERY_TOO_COMPLEX");
    ws.subscribe("s", "subscription { projectChanged { new { assets(first: 60) { nodes { id } } } } }", json!({})).await;
    assert_eq!(ws_error_code(&mut ws, "s").await, "QUERY_TOO_COMPLEX");
    ws.subscribe("ok", "{ projects(first: 50) { nodes { id } } }", json!({})).await;
    let msg = ws_answer(&mut ws, "ok").await;
    assert!(msg["payload"]["data"]["projects"]["nodes"].is_array(), "{msg}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn responses_over_the_byte_limit_are_withheld() {
    let server = TestServer::start_with(&["--max-response-bytes=300"]).await;
    for i in 0..10 {
        server.db.exec(&format!("INSERT INTO studio.users (email) VALUES ('user-number-{i}@example.com')")).await;
    }
    let body = server.gql("{ users { nodes { id email } } }", json!({})).await;
    assert_eq!(code(&body), "LIMIT_EXCEEDED", "{body}");
    assert!(body.get("data").is_none(), "{body}");
    assert!(server.gql("{ users(first: 1) { nodes { email } } }", json!({})).await.get("errors").is_none());
    // And each WebSocket result.
    let mut ws = WsClient::connect(&server.base, "studio").await;
    ws.subscribe("big", "{ users { nodes { id email } } }", json!({})).await;
    assert_eq!(ws_error_code(&mut ws, "big").await, "LIMIT_EXCEEDED");
    ws.subscribe("small", "{ users(first: 1) { nodes { email } } }", json!({})).await;
    let msg = ws_answer(&mut ws, "small").await;
    assert!(msg["payload"]["data"]["users"]["nodes"].is_array(), "{msg}");
}

// ---------------------------------------------------------------------------
// Hole 2: batches of any length
// ---------------------------------------------------------------------------

async fn post_batch(server: &TestServer, batch: Value) -> (u16, Value) {
    let resp = server.http.post(server.endpoint("studio")).json(&batch).send().await.unwrap();
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
    assert_eq!(server.statements().await, before, "nothing of the batch ran");

    // Ten operations of 20,000 nodes each: each alone is fine, together 200,000.
    let heavy = json!({ "query": "{ workbenches(first: 20) { nodes { projects(first: 999) { nodes { id } } } } }" });
    let (status, body) = post_batch(&server, Value::Array(vec![heavy.clone(); 10])).await;
    assert_eq!(status, 200);
    let answers = body.as_array().expect("one answer per operation");
    assert_eq!(answers.len(), 10);
    for a in answers {
        assert_eq!(code(a), "QUERY_TOO_COMPLEX", "{a}");
        assert!(a["errors"][0]["extensions"]["cost"].as_u64().unwrap() > 100_000, "{a}");
    }
    assert_eq!(server.statements().await, before, "nothing of the batch ran");
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

// ---------------------------------------------------------------------------
// Hole 6: WebSocket abuse
// ---------------------------------------------------------------------------

mod raw {
    //! A bare graphql-transport-ws socket, for what the protocol client hides.
    use futures_util::{SinkExt, StreamExt};
    use tokio_tungstenite::tungstenite::client::IntoClientRequest;
    use tokio_tungstenite::tungstenite::Message;

    pub type Socket = tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

    /// Opens the upgrade; the HTTP status when it is refused.
    pub async fn open(base: &str) -> Result<Socket, u16> {
        let url = format!("{}/graphql/studio/ws", base.replacen("http://", "ws://", 1));
        let mut request = url.into_client_request().unwrap();
        request.headers_mut().insert("Sec-WebSocket-Protocol", "graphql-transport-ws".parse().unwrap());
        match tokio_tungstenite::connect_async(request).await {
            Ok((socket, _)) => Ok(socket),
            Err(tokio_tungstenite::tungstenite::Error::Http(r)) => Err(r.status().as_u16()),
            Err(e) => panic!("connect failed: {e}"),
        }
    }

    /// Sends `connection_init` with `token` and returns the first answer
    /// (`Ok(ack JSON)`) or the close frame's code and reason.
    pub async fn init(socket: &mut Socket, token: &str) -> Result<serde_json::Value, (u16, String)> {
        let init = serde_json::json!({ "type": "connection_init", "payload": { "Authorization": format!("Bearer {token}") } });
        socket.send(Message::Text(init.to_string().into())).await.unwrap();
        match next(socket).await {
            Some(Message::Text(t)) => Ok(serde_json::from_str(&t).unwrap()),
            Some(Message::Close(Some(f))) => Err((f.code.into(), f.reason.to_string())),
            other => Err((0, format!("{other:?}"))),
        }
    }

    /// The next message other than pings, within 10 s.
    pub async fn next(socket: &mut Socket) -> Option<Message> {
        loop {
            let m = tokio::time::timeout(std::time::Duration::from_secs(10), socket.next()).await.ok()??.ok()?;
            match &m {
                Message::Text(t) if t.contains("\"ping\"") => continue,
                Message::Ping(_) | Message::Pong(_) => continue,
                _ => return Some(m),
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_websocket_that_never_initialises_is_closed_with_4408() {
    use tokio_tungstenite::tungstenite::Message;
    let server = TestServer::start_with(&["--ws-init-timeout=1"]).await;
    let mut idle = raw::open(&server.base).await.unwrap();
    match raw::next(&mut idle).await {
        Some(Message::Close(Some(frame))) => assert_eq!(u16::from(frame.code), 4408, "{frame:?}"),
        other => panic!("expected a 4408 close, got {other:?}"),
    }
    // One that initialises in time stays open past the timeout.
    let mut ws = WsClient::connect(&server.base, "studio").await;
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    ws.subscribe("q", "{ projects { totalCount } }", json!({})).await;
    let msg = ws_answer(&mut ws, "q").await;
    assert_eq!(msg["payload"]["data"]["projects"]["totalCount"], 0, "{msg}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn websocket_messages_are_limited_to_the_body_limit() {
    use futures_util::SinkExt;
    use tokio_tungstenite::tungstenite::Message;
    let server = TestServer::start_with(&["--body-limit=4096"]).await;
    let mut ws = raw::open(&server.base).await.unwrap();
    raw::init(&mut ws, &crate::common::service_token()).await.expect("ack");
    let small =
        json!({ "id": "a", "type": "subscribe", "payload": { "query": format!("{{ projects {{ totalCount }} }} #{}", "x".repeat(3000)) } });
    ws.send(Message::Text(small.to_string().into())).await.unwrap();
    match raw::next(&mut ws).await {
        Some(Message::Text(t)) => assert!(t.contains("totalCount"), "{t}"),
        other => panic!("expected an answer, got {other:?}"),
    }
    let big =
        json!({ "id": "b", "type": "subscribe", "payload": { "query": format!("{{ projects {{ totalCount }} }} #{}", "x".repeat(5000)) } });
    ws.send(Message::Text(big.to_string().into())).await.unwrap();
    loop {
        match raw::next(&mut ws).await {
            Some(Message::Close(Some(frame))) => {
                assert_eq!(u16::from(frame.code), 1009, "{frame:?}");
                break;
            }
            Some(Message::Text(t)) if t.contains("\"complete\"") => continue,
            other => panic!("expected a 1009 close, got {other:?}"),
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn websocket_connections_are_capped_per_address_and_per_principal() {
    let server = TestServer::start_with(&["--max-ws-per-address=3", "--max-ws-per-principal=1"]).await;
    let alice = crate::common::token("authenticated", Some("00000000-0000-4000-8000-00000000000a"), 3600);
    let bob = crate::common::token("authenticated", Some("00000000-0000-4000-8000-00000000000b"), 3600);
    let mut first = raw::open(&server.base).await.unwrap();
    raw::init(&mut first, &alice).await.expect("alice's first connection");
    let mut second = raw::open(&server.base).await.unwrap();
    let (_, reason) = raw::init(&mut second, &alice).await.expect_err("alice's second connection is refused");
    assert!(reason.starts_with("LIMIT_EXCEEDED"), "{reason}");
    let mut third = raw::open(&server.base).await.unwrap();
    raw::init(&mut third, &bob).await.expect("bob is another principal");
    // `second` holds its address place until the server has finished closing it.
    let mut fourth = open_when_free(&server.base).await;
    raw::init(&mut fourth, &crate::common::service_token()).await.expect("a third live connection");
    assert_eq!(raw::open(&server.base).await.err(), Some(429), "the fourth live connection from one address");
    // Closing one gives its place back.
    drop(fourth);
    let _reopened = open_when_free(&server.base).await;
    drop(first);
}

/// Opens an upgrade, retrying while the address has no free place (a closed
/// connection gives its place back once the server has finished with it).
async fn open_when_free(base: &str) -> raw::Socket {
    for _ in 0..200 {
        match raw::open(base).await {
            Ok(s) => return s,
            Err(429) => tokio::time::sleep(std::time::Duration::from_millis(25)).await,
            Err(status) => panic!("upgrade refused with {status}"),
        }
    }
    panic!("no place came free")
}

// ---------------------------------------------------------------------------
// Hole 10: the development token on a public address
// ---------------------------------------------------------------------------

/// The GraphiQL page of a server configured to listen on `listen`, started
/// with a development token (the listener itself is always on loopback).
async fn graphiql_page(listen: &str) -> String {
    use clap::Parser;
    let db = crate::common::TestDb::new().await;
    let secret = format!("--jwt-secret={}", crate::common::JWT_SECRET);
    let mut options = quiver::config::Cli::parse_from(["quiver", secret.as_str(), "--listen", listen]).options;
    options.graphiql_token = Some("header.payload.signature".into());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let url = db.url.clone();
    let server = tokio::spawn(async move {
        quiver::server::serve(&options, &url, listener, async {
            let _ = rx.await;
        })
        .await
        .expect("server runs");
    });
    let mut page = None;
    for _ in 0..200 {
        if let Ok(r) = reqwest::get(format!("{base}/graphql/studio")).await {
            page = Some(r.text().await.unwrap());
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    let _ = tx.send(());
    let _ = server.await;
    page.expect("GraphiQL answered")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_graphiql_development_token_is_only_served_on_loopback() {
    let page = graphiql_page("127.0.0.1:8099").await;
    assert!(page.contains("header.payload.signature"), "loopback: the token is there");
    assert!(page.contains("data-users=\"[{&quot;name&quot;:&quot;ada&quot;"), "loopback: the demo users to sign in as");
    assert!(page.contains("&quot;token&quot;:&quot;eyJ"), "loopback: with their tokens");
    for listen in ["0.0.0.0:8099", "[::]:8099"] {
        let page = graphiql_page(listen).await;
        assert!(!page.contains("header.payload.signature"), "{listen}: no token");
        assert!(page.contains("data-users=\"[]\"") && !page.contains("eyJ"), "{listen}: no demo user tokens");
    }
    // Outside development mode (no development token): no demo user tokens either.
    let server = crate::common::TestServer::start().await;
    let page = server.http.get(server.endpoint("studio")).header("accept", "text/html").send().await.unwrap().text().await.unwrap();
    assert!(page.contains("data-users=\"[]\"") && !page.contains("eyJ"), "no development mode: no tokens");
}

// ---------------------------------------------------------------------------
// Hole 11: smaller ones
// ---------------------------------------------------------------------------

/// A projects query whose filter nests `levels` `not`s.
fn nested_not(levels: usize) -> String {
    format!("{{ projects(filter: {}{{name: {{eq: \"x\"}}}}{}) {{ totalCount }} }}", "{not: ".repeat(levels), "}".repeat(levels))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn filters_nest_at_most_max_filter_depth() {
    let server = TestServer::start().await;
    assert!(server.gql(&nested_not(9), json!({})).await.get("errors").is_none(), "ten levels by default");
    let body = server.gql(&nested_not(10), json!({})).await;
    assert_eq!(code(&body), "BAD_USER_INPUT", "{body}");
    assert!(body["errors"][0]["message"].as_str().unwrap().contains("nested too deeply"), "{body}");
    // Relation filters count as levels too.
    let strict = TestServer::start_with(&["--max-filter-depth=2"]).await;
    assert!(strict.gql(&nested_not(1), json!({})).await.get("errors").is_none());
    assert_eq!(strict.error_code(&nested_not(2), json!({})).await, "BAD_USER_INPUT");
    let related = "{ assets(filter: {project: {workbench: {name: {eq: \"x\"}}}}) { totalCount } }";
    assert_eq!(strict.error_code(related, json!({})).await, "BAD_USER_INPUT");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_empty_jwt_audience_accepts_no_audience() {
    let user = crate::common::token("authenticated", Some("00000000-0000-4000-8000-000000000001"), 600);
    let query = json!({ "query": "{ projects { totalCount } }" });
    let closed = TestServer::start_with(&["--jwt-audience="]).await;
    let resp = reqwest::Client::new().post(closed.endpoint("studio")).bearer_auth(&user).json(&query).send().await.unwrap();
    assert_eq!(resp.status(), 401, "a token with an audience is refused");
    let body: Value = resp.json().await.unwrap();
    assert_eq!(code(&body), "UNAUTHENTICATED");
    assert!(closed.gql("{ projects { totalCount } }", json!({})).await.get("errors").is_none(), "the service role carries no audience");
    let any = TestServer::start_with(&["--jwt-audience=*"]).await;
    let resp = reqwest::Client::new().post(any.endpoint("studio")).bearer_auth(&user).json(&query).send().await.unwrap();
    assert_eq!(resp.status(), 200, "`*` accepts any audience");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_whole_decimal_quantity_is_accepted_into_an_order() {
    let server = TestServer::start().await;
    let demo = quiver::apps::find("orders").unwrap().demo.unwrap();
    assert!(demo.load_if_empty(quiver::apps::find("orders").unwrap().app(), &server.db.url, &[]).await.unwrap());
    let id = server.db.rows("SELECT id::text AS id FROM orders.proposed_orders ORDER BY id LIMIT 1").await[0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    // The database accepts 2.0 as a whole quantity; so must the acceptance.
    server
        .db
        .exec(&format!(
            "UPDATE orders.proposed_orders SET order_items = jsonb_set(order_items, '{{0,quantity}}', '2.0'::jsonb) WHERE id = '{id}'"
        ))
        .await;
    let accept = "mutation($id: UUID!) { acceptProposedOrder(id: $id, expectedVersion: null) { items { nodes { quantity } } } }";
    let version = server.gql_app("orders", "query($id: UUID!) { proposedOrder(id: $id) { updatedAt } }", json!({ "id": id })).await;
    let accept_v = accept.replace("expectedVersion: null", "expectedVersion: $v").replace("($id: UUID!)", "($id: UUID!, $v: DateTime)");
    let body = server.gql_app("orders", &accept_v, json!({ "id": id, "v": version["data"]["proposedOrder"]["updatedAt"] })).await;
    assert!(body.get("errors").is_none(), "{body:#}");
    let quantities: Vec<i64> =
        body["data"]["acceptProposedOrder"]["items"]["nodes"].as_array().unwrap().iter().map(|n| n["quantity"].as_i64().unwrap()).collect();
    assert!(quantities.contains(&2), "{quantities:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_encrypted_value_must_fit_its_column_once_encrypted() {
    let key = format!("--encryption-key={}", quiver::auth::secrets::Keyring::generate("k1"));
    let server = TestServer::start_with(&[key.as_str()]).await;
    let create = "mutation($s: String) { createUser(input: {email: \"e@example.com\", mfaSecret: $s}) { id } }";
    // varchar(255) holds the ciphertext of at most 143 bytes.
    let body = server.gql(create, json!({ "s": "x".repeat(144) })).await;
    assert_eq!(code(&body), "BAD_USER_INPUT", "{body}");
    assert!(body["errors"][0]["message"].as_str().unwrap().contains("at most 143 bytes"), "{body}");
    let body = server.gql(create, json!({ "s": "x".repeat(143) })).await;
    assert!(body.get("errors").is_none(), "{body}");
}

/// Index scans of `orders.api_keys` so far, as the statistics collector has them.
async fn api_key_index_scans(server: &TestServer) -> i64 {
    let rows = server
        .db
        .rows(
            "SELECT coalesce(sum(idx_scan), 0)::bigint AS n FROM pg_stat_user_indexes WHERE schemaname = 'orders' AND relname = 'api_keys'",
        )
        .await;
    rows[0]["n"].as_i64().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_api_key_lookup_uses_its_index() {
    let db = crate::common::TestDb::new().await;
    // On a table this small the planner would scan anyway; with sequential
    // scans discouraged, only a lookup that can use the index does.
    db.exec(&format!("ALTER DATABASE {} SET enable_seqscan = off", db.url.rsplit('/').next().unwrap())).await;
    let server = TestServer::serve(db, &[]).await;
    let demo = quiver::apps::find("orders").unwrap().demo.unwrap();
    assert!(demo.load_if_empty(quiver::apps::find("orders").unwrap().app(), &server.db.url, &[]).await.unwrap());
    server.db.exec("UPDATE orders.ip_allowlist SET is_active = false").await;
    let id = api_key(&server, "index-secret").await;
    let before = api_key_index_scans(&server).await;
    let body = with_key(&server, &format!("{id}.index-secret"), None).await;
    assert!(body.1.get("errors").is_none(), "{body:?}");
    let mut after = before;
    for _ in 0..150 {
        after = api_key_index_scans(&server).await;
        if after > before {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(after > before, "the key was looked up through an index ({before} → {after})");
}

// ---------------------------------------------------------------------------
// Hole 9: password hashing as a lever
// ---------------------------------------------------------------------------

/// A counter of `/metrics`.
async fn metric(server: &TestServer, name: &str) -> u64 {
    let text = server.http.get(format!("{}/metrics", server.base)).send().await.unwrap().text().await.unwrap();
    text.lines()
        .find_map(|l| l.strip_prefix(&format!("{name} ")))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or_else(|| panic!("{name} in /metrics"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn password_writes_are_authorised_before_hashing() {
    let server = TestServer::start().await;
    let me = "00000000-0000-4000-8000-0000000000aa";
    server.db.exec(&format!("INSERT INTO studio.users (id, email) VALUES ('{me}', 'me@example.com')")).await;
    let aliased: String = (0..30)
        .map(|i| format!("u{i}: updateUser(id: \"{}\", patch: {{password: \"x\"}}) {{ id }} ", uuid::Uuid::new_v4()))
        .chain(std::iter::once(format!("mine: updateUser(id: \"{me}\", patch: {{password: \"x\"}}) {{ id }}")))
        .collect();
    let anon: Value = reqwest::Client::new()
        .post(server.endpoint("studio"))
        .json(&json!({ "query": format!("mutation {{ {aliased} }}") }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let errors = anon["errors"].as_array().expect("errors");
    assert_eq!(errors.len(), 31, "{anon}");
    assert!(errors.iter().all(|e| e["extensions"]["code"] == "NOT_FOUND"), "{anon}");
    assert_eq!(metric(&server, "quiver_password_hashes_total").await, 0, "nothing was hashed for a refused write");
    // The owner's own change is hashed, once.
    let token = crate::common::token("authenticated", Some(me), 600);
    let mine = crate::common::client_with_token(&token)
        .post(server.endpoint("studio"))
        .json(&json!({ "query": format!("mutation {{ updateUser(id: \"{me}\", patch: {{password: \"new secret\"}}) {{ id }} }}") }))
        .send()
        .await
        .unwrap()
        .json::<Value>()
        .await
        .unwrap();
    assert!(mine.get("errors").is_none(), "{mine}");
    assert_eq!(metric(&server, "quiver_password_hashes_total").await, 1);
    let stored = server.db.rows(&format!("SELECT password_hash AS h FROM studio.users WHERE id = '{me}'")).await;
    assert!(stored[0]["h"].as_str().unwrap().starts_with("$argon2id$"), "stored hashed");
}

/// Creates an orders API key of the first demo tenant with `secret`; returns its id.
async fn api_key(server: &TestServer, secret: &str) -> String {
    let tenant = server.db.rows("SELECT md5('tenant-1')::uuid::text AS t").await[0]["t"].as_str().unwrap().to_string();
    let input = json!({ "tenantId": tenant, "name": "security", "key": secret, "permissions": { "orders": ["read"] } });
    let body = server.gql_app("orders", "mutation($i: ApiKeyCreateInput!) { createApiKey(input: $i) { id } }", json!({ "i": input })).await;
    body["data"]["createApiKey"]["id"].as_str().unwrap_or_else(|| panic!("{body}")).to_string()
}

/// An orders request with an API key, from `address` (forwarded by the trusted local proxy).
async fn with_key(server: &TestServer, key: &str, address: Option<&str>) -> (u16, Value) {
    let mut request = reqwest::Client::new().post(server.endpoint("orders")).header("x-api-key", key);
    if let Some(a) = address {
        request = request.header("x-forwarded-for", a);
    }
    let resp = request.json(&json!({ "query": "{ __typename }" })).send().await.unwrap();
    (resp.status().as_u16(), resp.json().await.unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failed_api_key_attempts_are_limited_per_key_and_address_and_unknown_ids_cost_a_verification() {
    let server = TestServer::start_with(&["--api-key-max-failures=3", "--trusted-proxies=127.0.0.1"]).await;
    let demo = quiver::apps::find("orders").unwrap().demo.unwrap();
    assert!(demo.load_if_empty(quiver::apps::find("orders").unwrap().app(), &server.db.url, &[]).await.unwrap());
    server.db.exec("UPDATE orders.ip_allowlist SET is_active = false").await;
    let (a, b) = (api_key(&server, "secret-a").await, api_key(&server, "secret-b").await);
    let message = |body: &Value| body["errors"][0]["message"].as_str().unwrap_or_default().to_string();

    // An unknown id costs one verification, like a wrong secret.
    let v0 = metric(&server, "quiver_api_key_verifications_total").await;
    let (status, body) = with_key(&server, &format!("{}.secret-a", uuid::Uuid::new_v4()), Some("198.51.100.1")).await;
    assert_eq!((status, code(&body)), (401, "UNAUTHENTICATED"));
    let invalid = message(&body);
    assert_eq!(metric(&server, "quiver_api_key_verifications_total").await, v0 + 1);
    let (_, body) = with_key(&server, &format!("{a}.wrong"), Some("198.51.100.2")).await;
    assert_eq!(message(&body), invalid, "an unknown id and a wrong secret read alike");
    assert_eq!(metric(&server, "quiver_api_key_verifications_total").await, v0 + 2);
    let (_, body) = with_key(&server, "not-a-uuid.secret-a", Some("198.51.100.1")).await;
    assert_eq!(message(&body), invalid);
    assert_eq!(metric(&server, "quiver_api_key_verifications_total").await, v0 + 3);

    // Per key: three wrong secrets for `a` from different addresses block `a`, even with its right secret.
    for (i, address) in ["203.0.113.1", "203.0.113.2"].iter().enumerate() {
        let (status, _) = with_key(&server, &format!("{a}.wrong-{i}"), Some(address)).await;
        assert_eq!(status, 401);
    }
    let (status, body) = with_key(&server, &format!("{a}.secret-a"), Some("203.0.113.9")).await;
    assert_eq!(status, 401, "{body}");
    assert!(message(&body).contains("too many failed"), "{body}");
    let blocked_at = metric(&server, "quiver_api_key_verifications_total").await;
    let (status, body) = with_key(&server, &format!("{b}.secret-b"), Some("203.0.113.9")).await;
    assert_eq!(status, 200, "another key from that address works: {body}");

    // Per address: three failures from one address block every key from it, without verifying.
    for i in 0..3 {
        with_key(&server, &format!("{}.x{i}", uuid::Uuid::new_v4()), Some("192.0.2.7")).await;
    }
    let before = metric(&server, "quiver_api_key_verifications_total").await;
    let (status, body) = with_key(&server, &format!("{b}.secret-b"), Some("192.0.2.7")).await;
    assert_eq!(status, 401);
    assert!(message(&body).contains("too many failed"), "{body}");
    assert_eq!(metric(&server, "quiver_api_key_verifications_total").await, before, "a refused attempt costs no verification");
    assert!(blocked_at > v0);
}

// ---------------------------------------------------------------------------
// Hole 4: enumeration without signing in
// ---------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_create_the_caller_may_not_make_answers_alike_whatever_exists() {
    let server = TestServer::start().await;
    server.db.exec("INSERT INTO studio.users (email, username) VALUES ('taken@example.com', 'taken')").await;
    let anon = reqwest::Client::new();
    let create = |email: &str| json!({ "query": format!("mutation {{ createUser(input: {{email: \"{email}\", username: \"x\", password: \"pw\"}}) {{ id }} }}") });
    let before = server.statements().await;
    let mut bodies = Vec::new();
    for email in ["taken@example.com", "free@example.com"] {
        let body: Value = anon.post(server.endpoint("studio")).json(&create(email)).send().await.unwrap().json().await.unwrap();
        assert_eq!(code(&body), "FORBIDDEN", "{body}");
        bodies.push(body);
    }
    assert_eq!(bodies[0], bodies[1], "a registered and an unregistered address answer alike");
    assert_eq!(server.statements().await, before, "refused before the database was touched");
    assert_eq!(metric(&server, "quiver_password_hashes_total").await, 0, "and before hashing");
    // A refused create naming a reference: the reference answers first, alike
    // for a row that exists and one that does not, and nothing is inserted.
    let demo = quiver::apps::find("orders").unwrap().demo.unwrap();
    assert!(demo.load_if_empty(quiver::apps::find("orders").unwrap().app(), &server.db.url, &[]).await.unwrap());
    let tenant = server.db.rows("SELECT md5('tenant-1')::uuid::text AS t").await[0]["t"].as_str().unwrap().to_string();
    let customers = server.db.rows("SELECT count(*) AS n FROM orders.customers").await;
    let mut bodies = Vec::new();
    for t in [tenant.as_str(), "00000000-0000-4000-8000-000000000001"] {
        let q = format!("mutation {{ createCustomer(input: {{tenantId: \"{t}\", firstName: \"x\", lastName: \"y\", email: \"c@example.com\"}}) {{ id }} }}");
        let body: Value = anon.post(server.endpoint("orders")).json(&json!({ "query": q })).send().await.unwrap().json().await.unwrap();
        assert_eq!(code(&body), "FOREIGN_KEY_VIOLATION", "{body}");
        bodies.push(body);
    }
    assert_eq!(bodies[0], bodies[1], "an existing and a missing tenant answer alike");
    assert_eq!(server.db.rows("SELECT count(*) AS n FROM orders.customers").await, customers);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rows_read_per_operation_are_capped() {
    let server = TestServer::start_with(&["--max-rows=8"]).await;
    let ordinary = server.second_instance(&["--max-rows=8", "--no-direct-reads"]).await;
    server
        .db
        .exec(
            "INSERT INTO studio.users (id, email) SELECT md5('u' || i)::uuid, 'u' || i || '@example.com' FROM generate_series(1, 10) i;
             INSERT INTO studio.workbenches (user_id, name) SELECT md5('u' || i)::uuid, 'w' || j FROM generate_series(1, 10) i, generate_series(1, 2) j;",
        )
        .await;
    let http = crate::common::client_with_token(&crate::common::service_token());
    for base in [&server.base, &ordinary.base] {
        let post = |q: &str| {
            let request = http.post(format!("{base}/graphql/studio")).json(&json!({ "query": q }));
            async move { request.send().await.unwrap().json::<Value>().await.unwrap() }
        };
        // Root rows: 10 > 8.
        assert_eq!(code(&post("{ users(first: 100) { nodes { id } } }").await), "LIMIT_EXCEEDED", "{base}");
        // Across levels: 4 users (3 and the one that tells hasNextPage) + their workbenches > 8.
        let body = post("{ users(first: 3) { nodes { workbenches { nodes { id } } } } }").await;
        assert_eq!(code(&body), "LIMIT_EXCEEDED", "{base}: {body}");
        // 2 users + 4 workbenches fit.
        let body = post("{ users(first: 1) { nodes { workbenches { nodes { id } } } } }").await;
        assert!(body.get("errors").is_none(), "{base}: {body}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_request_sets_a_bounded_number_of_hashed_secrets() {
    let server = TestServer::start_with(&["--max-hashes-per-request=3"]).await;
    let me = "00000000-0000-4000-8000-0000000000bb";
    server.db.exec(&format!("INSERT INTO studio.users (id, email) VALUES ('{me}', 'me2@example.com')")).await;
    let http = crate::common::client_with_token(&crate::common::token("authenticated", Some(me), 600));
    let aliased = |n: usize| -> String {
        let fields: String = (0..n).map(|i| format!("u{i}: updateUser(id: \"{me}\", patch: {{password: \"p{i}\"}}) {{ id }} ")).collect();
        format!("mutation {{ {fields} }}")
    };
    let post = |body: Value| {
        let request = http.post(server.endpoint("studio")).json(&body);
        async move { request.send().await.unwrap().json::<Value>().await.unwrap() }
    };
    let body = post(json!({ "query": aliased(3) })).await;
    assert!(body.get("errors").is_none(), "{body}");
    let body = post(json!({ "query": aliased(5) })).await;
    let codes: Vec<&str> = body["errors"].as_array().unwrap().iter().map(|e| e["extensions"]["code"].as_str().unwrap()).collect();
    assert_eq!(codes, ["LIMIT_EXCEEDED", "LIMIT_EXCEEDED"], "the fourth and fifth: {body}");
    // A batch shares one budget.
    let body = post(json!([{ "query": aliased(2) }, { "query": aliased(2) }])).await;
    let refused = body.as_array().unwrap().iter().filter_map(|a| a["errors"].as_array()).flatten().count();
    assert_eq!(refused, 1, "{body}");
    assert_eq!(metric(&server, "quiver_password_hashes_total").await, 3 + 3 + 3);
}
