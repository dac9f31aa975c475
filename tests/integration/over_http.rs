//! GraphQL over HTTP as the spec words it, checked with a plain HTTP client:
//! the `Content-Type` a POST must carry, request errors without `data`,
//! queries over GET (and mutations refused there), and Apollo's automatic
//! persisted queries. (graphql-http's own audits run in `js_clients`.)

use reqwest::header::{ACCEPT, ALLOW, CONTENT_TYPE};
use serde_json::{json, Value};

use crate::common::TestServer;

const GRAPHQL_RESPONSE_JSON: &str = "application/graphql-response+json";

fn sha256_hex(text: &str) -> String {
    quiver::http::persisted::sha256_hex(text)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_post_without_a_json_or_graphql_content_type_is_415_and_runs_nothing() {
    let server = TestServer::start().await;
    let mutation = json!({ "query": "mutation { createUser(input: { email: \"x@example.com\" }) { id } }" }).to_string();
    for content_type in [None, Some("text/plain"), Some("application/x-www-form-urlencoded"), Some("multipart/form-data; boundary=x")] {
        let mut request = server.http.post(server.endpoint("studio")).body(mutation.clone());
        if let Some(ct) = content_type {
            request = request.header(CONTENT_TYPE, ct);
        }
        let resp = request.send().await.unwrap();
        assert_eq!(resp.status(), 415, "{content_type:?}");
        let body: Value = resp.json().await.unwrap();
        assert_eq!(body["errors"][0]["extensions"]["code"], "GRAPHQL_PARSE_FAILED", "{body:#}");
        assert!(body["errors"][0]["message"].as_str().unwrap().contains("application/json"), "{body:#}");
    }
    let data = server.data("{ users { totalCount } }", json!({})).await;
    assert_eq!(data["users"]["totalCount"], 0, "none of the refused mutations ran");

    // Parameters after the media type, and its case, do not matter.
    let resp = server
        .http
        .post(server.endpoint("studio"))
        .header(CONTENT_TYPE, "Application/JSON; charset=utf-8")
        .body(json!({ "query": "{ users { totalCount } }" }).to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn request_errors_have_no_data_entry_and_field_errors_keep_theirs() {
    let server = TestServer::start().await;
    let post = |accept: &'static str, query: &'static str| {
        server.http.post(server.endpoint("studio")).header(ACCEPT, accept).json(&json!({ "query": query })).send()
    };
    for accept in [GRAPHQL_RESPONSE_JSON, "application/json"] {
        for (query, code) in [("{", "GRAPHQL_PARSE_FAILED"), ("{ nope }", "GRAPHQL_VALIDATION_FAILED")] {
            let resp = post(accept, query).await.unwrap();
            let status = resp.status();
            let body: Value = resp.json().await.unwrap();
            assert_eq!(status, if accept == GRAPHQL_RESPONSE_JSON { 400 } else { 200 }, "{accept} {query}");
            assert_eq!(body["errors"][0]["extensions"]["code"], code, "{body:#}");
            assert!(body.get("data").is_none(), "{accept} {query}: no data entry: {body:#}");
        }
        // A non-null root field that fails nulls `data` during execution: the
        // entry stays (null), and the status is 200.
        let resp = post(accept, "{ users(first: -1) { totalCount } }").await.unwrap();
        assert_eq!(resp.status(), 200, "{accept}");
        let body: Value = resp.json().await.unwrap();
        assert_eq!(body.get("data"), Some(&Value::Null), "{body:#}");
        assert_eq!(body["errors"][0]["extensions"]["code"], "BAD_USER_INPUT", "{body:#}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_json_body_without_a_query_is_400() {
    let server = TestServer::start().await;
    for body in [json!({ "qeury": "{ __typename }" }), json!({ "query": null }), json!([{ "query": "{ __typename }" }, {}])] {
        let resp = server.http.post(server.endpoint("studio")).json(&body).send().await.unwrap();
        assert_eq!(resp.status(), 400, "{body}");
        let json: Value = resp.json().await.unwrap();
        assert_eq!(json["errors"][0]["extensions"]["code"], "GRAPHQL_PARSE_FAILED", "{json:#}");
        assert!(json["errors"][0]["message"].as_str().unwrap().contains("no `query`"), "{json:#}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn get_runs_queries_with_json_variables_and_refuses_mutations() {
    let server = TestServer::start().await;
    server.db.exec("INSERT INTO studio.users (email) VALUES ('get@example.com')").await;
    let query = "query ($e: String!) { users(filter: { email: { eq: $e } }) { nodes { email } } }";
    let resp = server
        .http
        .get(server.endpoint("studio"))
        .query(&[("query", query), ("variables", r#"{"e":"get@example.com"}"#)])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    assert!(resp.headers()[CONTENT_TYPE].to_str().unwrap().starts_with("application/json"));
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body, json!({ "data": { "users": { "nodes": [{ "email": "get@example.com" }] } } }));

    // A mutation (chosen by operationName among several operations, too) is 405 and does not run.
    let doc = "query Q { __typename } mutation M { createUser(input: { email: \"m@example.com\" }) { id } }";
    for (query, operation) in [("mutation { createUser(input: { email: \"m@example.com\" }) { id } }", None), (doc, Some("M"))] {
        let mut params = vec![("query", query)];
        params.extend(operation.map(|o| ("operationName", o)));
        let resp = server.http.get(server.endpoint("studio")).header(ACCEPT, GRAPHQL_RESPONSE_JSON).query(&params).send().await.unwrap();
        assert_eq!(resp.status(), 405, "{query}");
        assert_eq!(resp.headers()[ALLOW], "POST");
        let body: Value = resp.json().await.unwrap();
        assert!(body["errors"][0]["message"].as_str().unwrap().contains("POST"), "{body:#}");
    }
    let data = server.data("{ users { totalCount } }", json!({})).await;
    assert_eq!(data["users"]["totalCount"], 1, "no GET mutation ran");

    // Bad JSON in `variables` is a 400.
    let resp = server.http.get(server.endpoint("studio")).query(&[("query", query), ("variables", "{oops")]).send().await.unwrap();
    assert_eq!(resp.status(), 400);

    // A browser asking for HTML still gets GraphiQL, parameters or not.
    let resp = server
        .http
        .get(server.endpoint("studio"))
        .header(ACCEPT, "text/html,*/*;q=0.8")
        .query(&[("query", "{ __typename }")])
        .send()
        .await
        .unwrap();
    assert!(resp.headers()[CONTENT_TYPE].to_str().unwrap().starts_with("text/html"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn automatic_persisted_queries_as_apollo_sends_them() {
    let server = TestServer::start().await;
    server.db.exec("INSERT INTO studio.users (email) VALUES ('apq@example.com')").await;
    // A query text of this test's own (the cache is shared by every server of the process).
    let query = format!("{{ users {{ nodes {{ email }} }} apq_{}: __typename }}", server.db.name);
    let hash = sha256_hex(&query);
    let extensions = json!({ "persistedQuery": { "version": 1, "sha256Hash": hash } });
    let post = |body: Value| server.http.post(server.endpoint("studio")).json(&body).send();

    // 1. The hash alone: not known yet.
    let resp = post(json!({ "extensions": extensions })).await.unwrap();
    assert_eq!(resp.status(), 200, "under application/json a GraphQL request error is 200");
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body, json!({ "errors": [{ "message": "PersistedQueryNotFound", "extensions": { "code": "PERSISTED_QUERY_NOT_FOUND" } }] }));

    // 2. Query and hash: runs, and is remembered.
    let resp = post(json!({ "query": query, "extensions": extensions })).await.unwrap();
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body["data"]["users"]["nodes"][0]["email"], "apq@example.com", "{body:#}");

    // 3. The hash alone now runs the query, over POST and over GET.
    let body: Value = post(json!({ "extensions": extensions })).await.unwrap().json().await.unwrap();
    assert_eq!(body["data"]["users"]["nodes"][0]["email"], "apq@example.com", "{body:#}");
    let resp = server.http.get(server.endpoint("studio")).query(&[("extensions", extensions.to_string())]).send().await.unwrap();
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body["data"]["users"]["nodes"][0]["email"], "apq@example.com", "{body:#}");

    // A query whose hash is not the one sent is refused and not remembered.
    let other = json!({ "persistedQuery": { "version": 1, "sha256Hash": sha256_hex("{ something { else } }") } });
    let resp = server
        .http
        .post(server.endpoint("studio"))
        .header(ACCEPT, GRAPHQL_RESPONSE_JSON)
        .json(&json!({ "query": "{ users { totalCount } }", "extensions": other }))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 400);
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body["errors"][0]["extensions"]["code"], "BAD_USER_INPUT", "{body:#}");
    assert_eq!(body["errors"][0]["message"], "provided sha does not match query");
    let body: Value = post(json!({ "extensions": other })).await.unwrap().json().await.unwrap();
    assert_eq!(body["errors"][0]["extensions"]["code"], "PERSISTED_QUERY_NOT_FOUND", "{body:#}");

    // Other versions and malformed hashes are refused.
    for bad in [json!({ "version": 2, "sha256Hash": hash }), json!({ "version": 1, "sha256Hash": "xyz" }), json!("no")] {
        let body: Value = post(json!({ "extensions": { "persistedQuery": bad } })).await.unwrap().json().await.unwrap();
        assert_eq!(body["errors"][0]["extensions"]["code"], "BAD_USER_INPUT", "{body:#}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn schema_graphql_serves_the_sdl_of_each_app() {
    let server = TestServer::start().await;
    for def in quiver::apps::APPS {
        let name = def.name();
        let resp = reqwest::get(format!("{}/schema.graphql", server.endpoint(name))).await.unwrap();
        assert_eq!(resp.status(), 200, "{name}");
        assert!(resp.headers()[CONTENT_TYPE].to_str().unwrap().starts_with("text/plain"));
        let served = resp.text().await.unwrap();
        assert_eq!(served, def.sdl().unwrap(), "{name}: what `quiver schema` prints");
        assert!(served.contains("type QueryRoot"), "{name}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn graphiql_page_and_its_assets_come_from_the_server_itself() {
    let server = TestServer::start().await;
    let resp = reqwest::get(server.endpoint("studio")).await.unwrap();
    let policy = resp.headers()["content-security-policy"].to_str().unwrap().to_string();
    assert!(policy.contains("default-src 'none'") && policy.contains("script-src 'self';"), "{policy}");
    let html = resp.text().await.unwrap();
    assert!(!html.contains("https://") && !html.contains("http://"), "the page names no other host:\n{html}");
    let sources: Vec<&str> = html.split(['"', '\'']).filter(|s| s.starts_with("/graphql/studio/assets/")).collect();
    assert!(sources.len() >= 6, "the page's scripts and styles: {sources:?}");
    for path in sources {
        let resp = reqwest::get(format!("{}{path}", server.base)).await.unwrap();
        assert_eq!(resp.status(), 200, "{path}");
        let media = resp.headers()[CONTENT_TYPE].to_str().unwrap().to_string();
        let expected = if path.ends_with(".css") { "text/css" } else { "text/javascript" };
        assert!(media.starts_with(expected), "{path}: {media}");
        let etag = resp.headers()["etag"].clone();
        assert!(!resp.bytes().await.unwrap().is_empty(), "{path}");
        // Revalidation with the ETag is a 304 without a body.
        let again = reqwest::Client::new().get(format!("{}{path}", server.base)).header("if-none-match", etag).send().await.unwrap();
        assert_eq!(again.status(), 304, "{path}");
    }
    let resp = reqwest::get(format!("{}/assets/nope.js", server.endpoint("studio"))).await.unwrap();
    assert_eq!(resp.status(), 404);
    // The vendored files keep their licences next to them.
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/graphiql");
    for licence in ["graphiql.LICENSE", "react.LICENSE", "react-dom.LICENSE", "graphql-ws.LICENSE", "THIRD-PARTY-NOTICES.txt"] {
        assert!(dir.join(licence).is_file(), "assets/graphiql/{licence}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_subscription_over_http_is_a_request_error_pointing_at_the_websocket() {
    let server = TestServer::start().await;
    let subscription = "subscription { userChanged { event } }";
    for (accept, status) in [(GRAPHQL_RESPONSE_JSON, 400), ("application/json", 200)] {
        let resp = server
            .http
            .post(server.endpoint("studio"))
            .header(ACCEPT, accept)
            .json(&json!({ "query": subscription }))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), status, "{accept}");
        let body: Value = resp.json().await.unwrap();
        assert!(body.get("data").is_none(), "{body:#}");
        assert_eq!(body["errors"][0]["extensions"]["code"], "BAD_USER_INPUT", "{body:#}");
        assert!(body["errors"][0]["message"].as_str().unwrap().contains("WebSocket"), "{body:#}");
    }
    // A query that merely mentions the word still runs.
    let data = server.data("{ users(filter: { email: { eq: \"subscription\" } }) { totalCount } }", json!({})).await;
    assert_eq!(data["users"]["totalCount"], 0);
    // Over GET it is refused like a mutation.
    let resp = server.http.get(server.endpoint("studio")).query(&[("query", subscription)]).send().await.unwrap();
    assert_eq!(resp.status(), 405);
}
