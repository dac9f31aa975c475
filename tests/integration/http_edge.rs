//! The HTTP edge, spoken to with a plain HTTP client: GraphiQL, health,
//! readiness and metrics routes, the 404 fallback, the request body formats
//! (`application/json`, `application/graphql`, batches), the
//! `application/graphql-response+json` status rules, the body size limit and
//! CORS. Graceful shutdown is covered elsewhere.

use reqwest::header::{ACCEPT, CONTENT_TYPE};
use reqwest::{Method, Response};
use serde_json::{json, Value};

use crate::common::TestServer;

const GRAPHQL_RESPONSE_JSON: &str = "application/graphql-response+json";

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

async fn get(server: &TestServer, path: &str) -> Response {
    server.http.get(format!("{}{path}", server.base)).send().await.unwrap()
}

fn content_type(resp: &Response) -> String {
    resp.headers().get(CONTENT_TYPE).map(|v| v.to_str().unwrap().to_string()).unwrap_or_default()
}

/// Adds a user directly in SQL, so reads have something to find.
async fn seed_user(server: &TestServer, email: &str) {
    server.db.exec(&format!("INSERT INTO studio.users (email) VALUES ('{email}')")).await;
}

/// A CORS preflight for a POST from `origin`.
async fn preflight(server: &TestServer, origin: &str) -> Response {
    server
        .http
        .request(Method::OPTIONS, server.endpoint("studio"))
        .header("origin", origin)
        .header("access-control-request-method", "POST")
        .header("access-control-request-headers", "content-type")
        .send()
        .await
        .unwrap()
}

fn allow_origin(resp: &Response) -> Option<String> {
    resp.headers().get("access-control-allow-origin").map(|v| v.to_str().unwrap().to_string())
}

// ---------------------------------------------------------------------------
// Routes
// ---------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn get_endpoint_serves_graphiql_for_that_endpoint() {
    let server = TestServer::start().await;
    let resp = server.http.get(server.endpoint("studio")).send().await.unwrap();
    assert_eq!(resp.status(), 200);
    assert!(content_type(&resp).starts_with("text/html"), "{}", content_type(&resp));
    let html = resp.text().await.unwrap();
    assert!(html.contains("GraphiQL"), "page mentions GraphiQL");
    assert!(html.contains("/graphql/studio"), "page points at its endpoint");
    assert!(html.contains("<title>Quiver · studio</title>"), "title placeholder replaced");
    assert!(!html.contains("{{ENDPOINT}}") && !html.contains("{{TITLE}}"), "no placeholder left");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn health_and_readiness_are_ok() {
    let server = TestServer::start().await;
    let resp = get(&server, "/healthz").await;
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.text().await.unwrap(), "ok");
    let resp = get(&server, "/readyz").await;
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.text().await.unwrap(), "ready");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_count_statements_and_requests() {
    let server = TestServer::start().await;
    let resp = get(&server, "/metrics").await;
    assert_eq!(resp.status(), 200);
    assert!(content_type(&resp).starts_with("text/plain"));
    let before = resp.text().await.unwrap();
    assert!(before.contains("# TYPE quiver_sql_statements_total counter"), "{before}");
    assert!(before.contains("quiver_graphql_requests_total{app=\"studio\"} 0"), "{before}");
    let statements_before = server.statements().await;

    let data = server.data("{ users { totalCount } }", json!({})).await;
    assert_eq!(data["users"]["totalCount"], 0);

    let after = get(&server, "/metrics").await.text().await.unwrap();
    assert!(after.contains("quiver_graphql_requests_total{app=\"studio\"} 1"), "{after}");
    assert!(server.statements().await > statements_before, "the query's SQL was counted");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_paths_are_404() {
    let server = TestServer::start().await;
    for path in ["/nope", "/graphql", "/graphql/unknown-app", "/graphql/studio/extra"] {
        let resp = get(&server, path).await;
        assert_eq!(resp.status(), 404, "{path}");
        assert!(resp.text().await.unwrap().contains("/graphql/<app>"), "{path}: the 404 says where to go");
    }
    let resp =
        server.http.post(format!("{}/graphql/unknown-app", server.base)).json(&json!({ "query": "{ __typename }" })).send().await.unwrap();
    assert_eq!(resp.status(), 404);
}

// ---------------------------------------------------------------------------
// Request formats
// ---------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn application_graphql_body_is_a_raw_query() {
    let server = TestServer::start().await;
    seed_user(&server, "raw@example.com").await;
    let resp = server
        .http
        .post(server.endpoint("studio"))
        .header(CONTENT_TYPE, "application/graphql")
        .body("{ users { nodes { email } } }")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    assert!(content_type(&resp).starts_with("application/json"));
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body, json!({ "data": { "users": { "nodes": [{ "email": "raw@example.com" }] } } }));

    // A raw mutation writes.
    let resp = server
        .http
        .post(server.endpoint("studio"))
        .header(CONTENT_TYPE, "application/graphql; charset=utf-8")
        .body("mutation { createUser(input: { email: \"raw2@example.com\" }) { email } }")
        .send()
        .await
        .unwrap();
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body["data"]["createUser"]["email"], "raw2@example.com");
    let data = server.data("{ users { totalCount } }", json!({})).await;
    assert_eq!(data["users"]["totalCount"], 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn batch_request_returns_one_result_per_query_in_order() {
    let server = TestServer::start().await;
    seed_user(&server, "b1@example.com").await;
    seed_user(&server, "b2@example.com").await;
    let resp = server
        .http
        .post(server.endpoint("studio"))
        .json(&json!([
            { "query": "{ users { totalCount } }" },
            { "query": "query($e: String!) { users(filter: { email: { eq: $e } }) { nodes { email } } }", "variables": { "e": "b2@example.com" } },
        ]))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let body: Value = resp.json().await.unwrap();
    assert_eq!(
        body,
        json!([
            { "data": { "users": { "totalCount": 2 } } },
            { "data": { "users": { "nodes": [{ "email": "b2@example.com" }] } } },
        ])
    );

    // One failing member does not affect the other.
    let resp = server
        .http
        .post(server.endpoint("studio"))
        .json(&json!([{ "query": "{ users { nope } }" }, { "query": "{ users { totalCount } }" }]))
        .send()
        .await
        .unwrap();
    let body: Value = resp.json().await.unwrap();
    let results = body.as_array().expect("an array");
    assert_eq!(results.len(), 2);
    assert_eq!(results[0]["errors"][0]["extensions"]["code"], "GRAPHQL_VALIDATION_FAILED");
    assert_eq!(results[1], json!({ "data": { "users": { "totalCount": 2 } } }));
}

// ---------------------------------------------------------------------------
// application/graphql-response+json
// ---------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn graphql_response_json_success_is_200_with_that_media_type() {
    let server = TestServer::start().await;
    seed_user(&server, "m@example.com").await;
    let resp = server
        .http
        .post(server.endpoint("studio"))
        .header(ACCEPT, GRAPHQL_RESPONSE_JSON)
        .json(&json!({ "query": "{ users { nodes { email } } }" }))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    assert_eq!(content_type(&resp), GRAPHQL_RESPONSE_JSON);
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body, json!({ "data": { "users": { "nodes": [{ "email": "m@example.com" }] } } }));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn graphql_response_json_request_errors_are_400() {
    let server = TestServer::start().await;
    for (query, code) in [("{ users { ", "GRAPHQL_PARSE_FAILED"), ("{ users { nope } }", "GRAPHQL_VALIDATION_FAILED")] {
        let resp = server
            .http
            .post(server.endpoint("studio"))
            .header(ACCEPT, GRAPHQL_RESPONSE_JSON)
            .json(&json!({ "query": query }))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 400, "{query}");
        assert_eq!(content_type(&resp), GRAPHQL_RESPONSE_JSON);
        let body: Value = resp.json().await.unwrap();
        assert_eq!(body["errors"][0]["extensions"]["code"], code, "{body:#}");
        assert!(body.get("data").is_none_or(Value::is_null), "{body:#}");
    }
    // An unparseable body is 400 too.
    let resp = server
        .http
        .post(server.endpoint("studio"))
        .header(ACCEPT, GRAPHQL_RESPONSE_JSON)
        .header(CONTENT_TYPE, "application/json")
        .body("{oops")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 400);
    assert_eq!(content_type(&resp), GRAPHQL_RESPONSE_JSON);

    // A field error during execution is not a request error: 200 with partial data.
    let resp = server
        .http
        .post(server.endpoint("studio"))
        .header(ACCEPT, GRAPHQL_RESPONSE_JSON)
        .json(&json!({ "query": "{ users { totalCount } bad: users(first: -1) { totalCount } }" }))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body["data"]["users"]["totalCount"], 0, "{body:#}");
    assert_eq!(body["errors"][0]["extensions"]["code"], "BAD_USER_INPUT");

    // The same syntax error under plain application/json stays 200.
    let body = server.gql("{ users { ", json!({})).await;
    assert_eq!(body["errors"][0]["extensions"]["code"], "GRAPHQL_PARSE_FAILED");
}

// ---------------------------------------------------------------------------
// Body limit
// ---------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn body_over_the_limit_is_413_payload_too_large() {
    let server = TestServer::start_with(&["--body-limit=1000"]).await;
    // Under the limit works.
    let data = server.data("{ users { totalCount } }", json!({})).await;
    assert_eq!(data["users"]["totalCount"], 0);

    let padding = " ".repeat(1200);
    let big = json!({ "query": format!("{{ users {{ totalCount }} }}{padding}") });
    assert!(big.to_string().len() > 1000);
    let resp = server.http.post(server.endpoint("studio")).json(&big).send().await.unwrap();
    assert_eq!(resp.status(), 413);
    assert!(content_type(&resp).starts_with("application/json"));
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body["errors"][0]["extensions"]["code"], "PAYLOAD_TOO_LARGE", "{body:#}");
    assert!(body["errors"][0]["message"].as_str().unwrap().contains("1000 bytes"), "{body:#}");

    // A raw application/graphql body is limited the same way, and nothing runs.
    let resp = server
        .http
        .post(server.endpoint("studio"))
        .header(CONTENT_TYPE, "application/graphql")
        .body(format!("mutation {{ createUser(input: {{ email: \"big@example.com\" }}) {{ id }} }}{padding}"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 413);
    let data = server.data("{ users { totalCount } }", json!({})).await;
    assert_eq!(data["users"]["totalCount"], 0, "the oversized mutation did not run");
}

// ---------------------------------------------------------------------------
// CORS
// ---------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cors_allows_only_the_configured_origin() {
    let server = TestServer::start_with(&["--cors-origins=https://app.example"]).await;
    let resp = preflight(&server, "https://app.example").await;
    assert!(resp.status().is_success(), "{}", resp.status());
    assert_eq!(allow_origin(&resp).as_deref(), Some("https://app.example"));
    assert!(resp.headers().get("access-control-allow-methods").is_some());

    let resp = preflight(&server, "https://evil.example").await;
    assert_eq!(allow_origin(&resp), None);

    // Actual requests carry the header only for the allowed origin.
    let post = |origin: &'static str| {
        server.http.post(server.endpoint("studio")).header("origin", origin).json(&json!({ "query": "{ users { totalCount } }" })).send()
    };
    let resp = post("https://app.example").await.unwrap();
    assert_eq!(allow_origin(&resp).as_deref(), Some("https://app.example"));
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body["data"]["users"]["totalCount"], 0);
    let resp = post("https://evil.example").await.unwrap();
    assert_eq!(allow_origin(&resp), None);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cors_is_off_without_configured_origins() {
    let server = TestServer::start().await;
    let resp = preflight(&server, "https://app.example").await;
    assert_eq!(allow_origin(&resp), None);
}
