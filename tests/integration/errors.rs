//! Error responses: every stable `extensions.code` of `quiver::error::code` is
//! provoked through a real request, and every error response is well-formed
//! (HTTP 200 for `application/json`, a non-empty message, a code, no panic
//! text, no SQL). Where a failed write could leave a trace, SQL proves it did not.

use diesel::sql_types::{Nullable, Text};
use diesel::QueryableByName;
use diesel_async::RunQueryDsl;
use serde_json::{json, Value};

use crate::common::TestServer;

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

/// Every code a client may see.
const STABLE_CODES: &[&str] = &[
    "BAD_USER_INPUT",
    "GRAPHQL_PARSE_FAILED",
    "GRAPHQL_VALIDATION_FAILED",
    "NOT_FOUND",
    "CONFLICT",
    "FOREIGN_KEY_VIOLATION",
    "QUERY_TOO_DEEP",
    "QUERY_TOO_COMPLEX",
    "PAYLOAD_TOO_LARGE",
    "SERVICE_UNAVAILABLE",
    "INTERNAL",
];

/// Checks the shape every error response must have and returns its first error.
fn first_error(body: &Value) -> &Value {
    let errors = body["errors"].as_array().unwrap_or_else(|| panic!("no errors array in {body:#}"));
    assert!(!errors.is_empty(), "empty errors array: {body:#}");
    for e in errors {
        let message = e["message"].as_str().unwrap_or_else(|| panic!("error without message: {body:#}"));
        assert!(!message.trim().is_empty(), "empty message: {body:#}");
        assert!(!message.contains("panicked"), "panic text leaked: {body:#}");
        let code = e["extensions"]["code"].as_str().unwrap_or_else(|| panic!("error without code: {body:#}"));
        assert!(STABLE_CODES.contains(&code), "unknown code {code}: {body:#}");
    }
    &errors[0]
}

/// Sends `query` (status 200 is asserted by the harness), checks the response
/// shape and the first error's code; returns the first error.
async fn expect_error(server: &TestServer, query: &str, variables: Value, code: &str) -> Value {
    let body = server.gql(query, variables).await;
    let error = first_error(&body).clone();
    assert_eq!(error["extensions"]["code"], code, "{query}\n{body:#}");
    error
}

#[derive(QueryableByName)]
struct Scalar {
    #[diesel(sql_type = Nullable<Text>)]
    v: Option<String>,
}

/// Rows of `studio.<table>` matching `condition`.
async fn count(server: &TestServer, table: &str, condition: &str) -> i64 {
    let sql = format!("SELECT count(*)::text AS v FROM studio.{table} WHERE {condition}");
    let mut conn = server.db.conn().await;
    diesel::sql_query(&sql).get_result::<Scalar>(&mut conn).await.unwrap().v.unwrap().parse().unwrap()
}

async fn create_user(server: &TestServer, email: &str) -> String {
    let data = server.data("mutation($e: String!) { createUser(input: { email: $e }) { id } }", json!({ "e": email })).await;
    data["createUser"]["id"].as_str().unwrap().to_string()
}

const UNKNOWN_ID: &str = "0b7c6a52-4c2e-4d7f-9a3e-5f1b2c3d4e5f";

// ---------------------------------------------------------------------------
// BAD_USER_INPUT
// ---------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_user_input_for_wrong_argument_type() {
    let server = TestServer::start().await;
    let e = expect_error(&server, "{ users(first: \"x\") { nodes { id } } }", json!({}), "BAD_USER_INPUT").await;
    assert!(e["message"].as_str().unwrap().contains("first"), "{e}");
    // The same through a variable of the wrong type.
    expect_error(&server, "query($n: Int) { users(first: $n) { nodes { id } } }", json!({ "n": "x" }), "BAD_USER_INPUT").await;
    // And a value of the right type but out of range.
    let e = expect_error(&server, "{ users(first: -1) { nodes { id } } }", json!({}), "BAD_USER_INPUT").await;
    assert!(e["message"].as_str().unwrap().contains("first must be between 0 and"), "{e}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_user_input_for_bad_uuid_literal_and_variable() {
    let server = TestServer::start().await;
    expect_error(&server, "{ user(id: \"not-a-uuid\") { id } }", json!({}), "BAD_USER_INPUT").await;
    expect_error(&server, "query($id: UUID!) { user(id: $id) { id } }", json!({ "id": "not-a-uuid" }), "BAD_USER_INPUT").await;
    expect_error(
        &server,
        "query($id: UUID!) { users(filter: { id: { eq: $id } }) { nodes { id } } }",
        json!({ "id": "1234" }),
        "BAD_USER_INPUT",
    )
    .await;
    // A well-formed UUID is accepted.
    let data = server.data("query($id: UUID!) { user(id: $id) { id } }", json!({ "id": UNKNOWN_ID })).await;
    assert_eq!(data["user"], Value::Null);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_user_input_for_unknown_enum_value() {
    let server = TestServer::start().await;
    expect_error(
        &server,
        "mutation { createUser(input: { email: \"e@example.com\", subscriptionTier: PLATINUM }) { id } }",
        json!({}),
        "BAD_USER_INPUT",
    )
    .await;
    expect_error(
        &server,
        "mutation($t: UserSubscriptionTier) { createUser(input: { email: \"e@example.com\", subscriptionTier: $t }) { id } }",
        json!({ "t": "Free" }),
        "BAD_USER_INPUT",
    )
    .await;
    assert_eq!(count(&server, "users", "true").await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_user_input_for_over_long_string() {
    let server = TestServer::start().await;
    let email = format!("{}@example.com", "a".repeat(250));
    assert!(email.chars().count() > 255);
    let e =
        expect_error(&server, "mutation($e: String!) { createUser(input: { email: $e }) { id } }", json!({ "e": email }), "BAD_USER_INPUT")
            .await;
    assert!(e["message"].as_str().unwrap().contains("at most 255 characters"), "{e}");
    assert_eq!(count(&server, "users", "true").await, 0);
    // Exactly 255 characters fit.
    let fits = format!("{}@example.com", "a".repeat(255 - "@example.com".len()));
    assert_eq!(fits.len(), 255);
    create_user(&server, &fits).await;
    assert_eq!(count(&server, "users", "length(email) = 255").await, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_user_input_for_violated_check_constraint() {
    let server = TestServer::start().await;
    let e = expect_error(&server, "mutation { createAIModelFeedback(input: { rating: 7 }) { id } }", json!({}), "BAD_USER_INPUT").await;
    assert_eq!(e["message"], "the value violates the check constraint ck_ai_model_feedback_rating");
    assert_eq!(count(&server, "ai_model_feedback", "true").await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_user_input_for_invalid_datetime() {
    let server = TestServer::start().await;
    for value in ["not a date", "2025-13-45T00:00:00Z", "2025-01-31T25:00:00Z"] {
        let e = expect_error(
            &server,
            "mutation($t: DateTime) { createUser(input: { email: \"d@example.com\", lastLoginAt: $t }) { id } }",
            json!({ "t": value }),
            "BAD_USER_INPUT",
        )
        .await;
        assert!(!e["message"].as_str().unwrap().contains("INSERT"), "no SQL in {e}");
    }
    // The same value in a filter is rejected the same way.
    expect_error(&server, "{ users(filter: { lastLoginAt: { gt: \"not a date\" } }) { nodes { id } } }", json!({}), "BAD_USER_INPUT").await;
    // Not a string at all.
    expect_error(
        &server,
        "mutation { createUser(input: { email: \"d@example.com\", lastLoginAt: 12 }) { id } }",
        json!({}),
        "BAD_USER_INPUT",
    )
    .await;
    assert_eq!(count(&server, "users", "true").await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_user_input_for_invalid_decimal() {
    let server = TestServer::start().await;
    let id = create_user(&server, "dec@example.com").await;
    for value in [json!("abc"), json!("1e5"), json!(true)] {
        expect_error(
            &server,
            "mutation($id: UUID!, $d: Decimal) { updateUser(id: $id, patch: { creditBalance: $d }) { id } }",
            json!({ "id": id, "d": value }),
            "BAD_USER_INPUT",
        )
        .await;
    }
    expect_error(
        &server,
        &format!("mutation {{ updateUser(id: \"{id}\", patch: {{ creditBalance: \"12,50\" }}) {{ id }} }}"),
        json!({}),
        "BAD_USER_INPUT",
    )
    .await;
    // Well-formed but too large for numeric(10,2): PostgreSQL's overflow is input, not internal.
    expect_error(
        &server,
        "mutation($id: UUID!) { updateUser(id: $id, patch: { creditBalance: \"123456789012.00\" }) { id } }",
        json!({ "id": id }),
        "BAD_USER_INPUT",
    )
    .await;
    assert_eq!(count(&server, "users", &format!("id = '{id}' AND credit_balance = 0")).await, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_user_input_for_missing_required_input_field() {
    let server = TestServer::start().await;
    let e = expect_error(&server, "mutation { createUser(input: { fullName: \"No Email\" }) { id } }", json!({}), "BAD_USER_INPUT").await;
    assert!(e["message"].as_str().unwrap().contains("email"), "{e}");
    // Through variables, too.
    expect_error(
        &server,
        "mutation($i: UserCreateInput!) { createUser(input: $i) { id } }",
        json!({ "i": { "fullName": "No Email" } }),
        "BAD_USER_INPUT",
    )
    .await;
    assert_eq!(count(&server, "users", "true").await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_user_input_for_datetime_that_is_not_rfc3339() {
    // Regression guard: DateTime accepts RFC 3339 only; PostgreSQL would parse
    // "yesterday" and "infinity", so the scalar must reject them first.
    let server = TestServer::start().await;
    for value in ["yesterday", "infinity"] {
        expect_error(
            &server,
            "mutation($t: DateTime) { createUser(input: { email: \"d@example.com\", lastLoginAt: $t }) { id } }",
            json!({ "t": value }),
            "BAD_USER_INPUT",
        )
        .await;
    }
    assert_eq!(count(&server, "users", "true").await, 0);
}

// ---------------------------------------------------------------------------
// GRAPHQL_PARSE_FAILED / GRAPHQL_VALIDATION_FAILED
// ---------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn parse_failed_for_syntax_error() {
    let server = TestServer::start().await;
    let body = server.gql("{ users { nodes { id } ", json!({})).await;
    assert_eq!(first_error(&body)["extensions"]["code"], "GRAPHQL_PARSE_FAILED");
    assert!(body["data"].is_null(), "{body:#}");
    expect_error(&server, "mutation { createUser(input: { email: }) { id } }", json!({}), "GRAPHQL_PARSE_FAILED").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn parse_failed_for_invalid_json_body_is_http_400() {
    let server = TestServer::start().await;
    for body in ["{not json", "", "42", "{\"query\": 42}"] {
        let resp = server.http.post(server.endpoint("studio")).header("content-type", "application/json").body(body).send().await.unwrap();
        assert_eq!(resp.status(), 400, "body {body:?}");
        let json: Value = resp.json().await.unwrap();
        assert_eq!(first_error(&json)["extensions"]["code"], "GRAPHQL_PARSE_FAILED", "body {body:?}: {json:#}");
        assert!(json["errors"][0]["message"].as_str().unwrap().starts_with("invalid GraphQL request body"), "{json:#}");
    }
    // Valid JSON without a query is an empty document: a GraphQL parse error (200 under application/json).
    let body = server.gql_app("studio", "", json!({})).await;
    assert_eq!(first_error(&body)["extensions"]["code"], "GRAPHQL_PARSE_FAILED");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn validation_failed_for_unknown_field() {
    let server = TestServer::start().await;
    let e = expect_error(&server, "{ users { nodes { id nope } } }", json!({}), "GRAPHQL_VALIDATION_FAILED").await;
    assert!(e["message"].as_str().unwrap().contains("nope"), "{e}");
    expect_error(&server, "{ nope }", json!({}), "GRAPHQL_VALIDATION_FAILED").await;
    expect_error(&server, "mutation { dropEverything { id } }", json!({}), "GRAPHQL_VALIDATION_FAILED").await;
}

// ---------------------------------------------------------------------------
// NOT_FOUND
// ---------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn not_found_for_update_and_delete_of_unknown_id() {
    let server = TestServer::start().await;
    create_user(&server, "someone@example.com").await;
    let e = expect_error(
        &server,
        "mutation($id: UUID!) { updateUser(id: $id, patch: { fullName: \"X\" }) { id } }",
        json!({ "id": UNKNOWN_ID }),
        "NOT_FOUND",
    )
    .await;
    assert!(e["message"].as_str().unwrap().contains(UNKNOWN_ID), "{e}");
    // An empty patch on an unknown id is NOT_FOUND too.
    expect_error(&server, "mutation($id: UUID!) { updateUser(id: $id, patch: {}) { id } }", json!({ "id": UNKNOWN_ID }), "NOT_FOUND").await;
    let e = expect_error(&server, "mutation($id: UUID!) { deleteUser(id: $id) { id } }", json!({ "id": UNKNOWN_ID }), "NOT_FOUND").await;
    assert!(e["message"].as_str().unwrap().contains(UNKNOWN_ID), "{e}");
    // bigserial keys as well.
    expect_error(&server, "mutation { deleteUsageLog(id: \"987654\") { id } }", json!({}), "NOT_FOUND").await;
    assert_eq!(count(&server, "users", "full_name IS NULL").await, 1, "the other user is untouched");
}

// ---------------------------------------------------------------------------
// CONFLICT
// ---------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn conflict_for_duplicate_email_names_the_column() {
    let server = TestServer::start().await;
    create_user(&server, "dup@example.com").await;
    let e = expect_error(&server, "mutation { createUser(input: { email: \"dup@example.com\" }) { id } }", json!({}), "CONFLICT").await;
    assert_eq!(e["extensions"]["columns"], json!(["email"]));
    assert_eq!(e["extensions"]["constraint"], "uq_user_email");
    assert!(e["message"].as_str().unwrap().contains("email"), "{e}");
    // An update into the same value conflicts as well.
    let other = create_user(&server, "other@example.com").await;
    let e = expect_error(
        &server,
        "mutation($id: UUID!) { updateUser(id: $id, patch: { email: \"dup@example.com\" }) { id } }",
        json!({ "id": other }),
        "CONFLICT",
    )
    .await;
    assert_eq!(e["extensions"]["columns"], json!(["email"]));
    assert_eq!(count(&server, "users", "email = 'dup@example.com'").await, 1);
    assert_eq!(count(&server, "users", "email = 'other@example.com'").await, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn conflict_for_duplicate_api_key() {
    let server = TestServer::start().await;
    let user = create_user(&server, "dev@example.com").await;
    let create = "mutation($u: UUID!, $n: String!) { createAPIClient(input: { userId: $u, name: $n, apiKey: \"pk_live_1\", secret: \"s3cret\" }) { id apiKey } }";
    let data = server.data(create, json!({ "u": user, "n": "first" })).await;
    assert_eq!(data["createAPIClient"]["apiKey"], "pk_live_1");
    let e = expect_error(&server, create, json!({ "u": user, "n": "second" }), "CONFLICT").await;
    assert_eq!(e["extensions"]["columns"], json!(["apiKey"]), "columns are GraphQL field names");
    assert_eq!(e["extensions"]["constraint"], "uq_apiclient_apikey");
    assert_eq!(count(&server, "api_clients", "true").await, 1);
    assert_eq!(count(&server, "api_clients", "name = 'second'").await, 0);
}

// ---------------------------------------------------------------------------
// FOREIGN_KEY_VIOLATION
// ---------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn foreign_key_violation_for_nonexistent_reference() {
    let server = TestServer::start().await;
    let user = create_user(&server, "fk@example.com").await;
    let e = expect_error(
        &server,
        "mutation($w: UUID!, $u: UUID!) { createProject(input: { workbenchId: $w, userId: $u, name: \"P\" }) { id } }",
        json!({ "w": UNKNOWN_ID, "u": user }),
        "FOREIGN_KEY_VIOLATION",
    )
    .await;
    assert_eq!(e["extensions"]["constraint"], "fk_projects_workbench_id");
    assert!(e["message"].as_str().unwrap().contains("workbench_id"), "{e}");
    assert_eq!(count(&server, "projects", "true").await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn foreign_key_violation_for_delete_of_restricted_row() {
    let server = TestServer::start().await;
    let owner = create_user(&server, "owner@example.com").await;
    server.data("mutation($o: UUID!) { createTeam(input: { name: \"T\", ownerId: $o }) { id } }", json!({ "o": owner })).await;
    // teams.owner_id is ON DELETE RESTRICT.
    let e =
        expect_error(&server, "mutation($id: UUID!) { deleteUser(id: $id) { id } }", json!({ "id": owner }), "FOREIGN_KEY_VIOLATION").await;
    assert_eq!(e["extensions"]["constraint"], "fk_teams_owner_id");
    assert!(e["message"].as_str().unwrap().contains("still referenced"), "{e}");
    assert_eq!(count(&server, "users", &format!("id = '{owner}'")).await, 1);

    // generation_requests.user_id is ON DELETE RESTRICT too.
    let requester = create_user(&server, "req@example.com").await;
    server
        .data(
            "mutation($u: UUID!) { createGenerationRequest(input: { userId: $u, inputPrompt: \"a fox\" }) { id } }",
            json!({ "u": requester }),
        )
        .await;
    let e =
        expect_error(&server, "mutation($id: UUID!) { deleteUser(id: $id) { id } }", json!({ "id": requester }), "FOREIGN_KEY_VIOLATION")
            .await;
    assert_eq!(e["extensions"]["constraint"], "fk_generation_requests_user_id");
    assert_eq!(count(&server, "users", &format!("id = '{requester}'")).await, 1);
    assert_eq!(count(&server, "generation_requests", &format!("user_id = '{requester}'")).await, 1);
}

// ---------------------------------------------------------------------------
// QUERY_TOO_DEEP / QUERY_TOO_COMPLEX
// ---------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn query_too_deep_beyond_max_depth() {
    let server = TestServer::start_with(&["--max-depth=5"]).await;
    create_user(&server, "deep@example.com").await;
    // Depth 3: fine.
    let data = server.data("{ users { nodes { email } } }", json!({})).await;
    assert_eq!(data["users"]["nodes"], json!([{ "email": "deep@example.com" }]));
    let e =
        expect_error(&server, "{ users { nodes { workbenches { nodes { projects { nodes { name } } } } } } }", json!({}), "QUERY_TOO_DEEP")
            .await;
    assert_eq!(e["message"], "Query is nested too deep.");
    // The same query passes without the flag.
    // (Three default-size pages nested: 10^6 estimated nodes, over the default node limit.)
    let relaxed = TestServer::start_with(&[crate::common::UNCAPPED_NODES]).await;
    relaxed.data("{ users { nodes { workbenches { nodes { projects { nodes { name } } } } } } }", json!({})).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn query_too_complex_beyond_max_complexity() {
    let server = TestServer::start_with(&["--max-complexity=10"]).await;
    let data = server.data("{ users { totalCount } }", json!({})).await;
    assert_eq!(data["users"]["totalCount"], 0);
    let e = expect_error(
        &server,
        "{ users { totalCount nodes { id email fullName username timezone createdAt updatedAt languagePreference mfaEnabled } } }",
        json!({}),
        "QUERY_TOO_COMPLEX",
    )
    .await;
    assert_eq!(e["message"], "Query is too complex.");
}

// ---------------------------------------------------------------------------
// INTERNAL
// ---------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn internal_when_the_database_fails_hides_sql_and_gives_request_id() {
    let server = TestServer::start().await;
    let data = server.data("{ aiModelFeedbackList { totalCount } }", json!({})).await;
    assert_eq!(data["aiModelFeedbackList"]["totalCount"], 0);
    // A real failure under the running server: the table its generated SQL reads is gone.
    server.db.exec("DROP TABLE studio.ai_model_feedback").await;
    for query in ["{ aiModelFeedbackList { nodes { id rating } } }", "mutation { createAIModelFeedback(input: { rating: 3 }) { id } }"] {
        let e = expect_error(&server, query, json!({}), "INTERNAL").await;
        let message = e["message"].as_str().unwrap();
        assert_eq!(message, "internal error");
        let request_id = e["extensions"]["requestId"].as_str().unwrap_or_else(|| panic!("no requestId: {e}"));
        assert!(uuid::Uuid::parse_str(request_id).is_ok(), "{request_id}");
        let text = e.to_string();
        for leak in ["SELECT", "INSERT", "studio.", "ai_model_feedback", "relation", "does not exist"] {
            assert!(!text.contains(leak), "{leak} leaked: {text}");
        }
    }
    // Other tables still work.
    let data = server.data("{ users { totalCount } }", json!({})).await;
    assert_eq!(data["users"]["totalCount"], 0);
}

// ---------------------------------------------------------------------------
// Shape of every error response
// ---------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_error_response_is_well_formed_json_with_status_200() {
    let server = TestServer::start().await;
    let cases: &[(&str, Value, &str)] = &[
        ("{ users(first: \"x\") { nodes { id } } }", json!({}), "BAD_USER_INPUT"),
        ("query($id: UUID!) { user(id: $id) { id } }", json!({}), "BAD_USER_INPUT"),
        ("{ users(first: 1, last: 1) { nodes { id } } }", json!({}), "BAD_USER_INPUT"),
        ("{ users(after: \"garbage\") { nodes { id } } }", json!({}), "BAD_USER_INPUT"),
        ("{ users { ", json!({}), "GRAPHQL_PARSE_FAILED"),
        ("{ users { nodes { nope } } }", json!({}), "GRAPHQL_VALIDATION_FAILED"),
        ("mutation($id: UUID!) { deleteUser(id: $id) { id } }", json!({ "id": UNKNOWN_ID }), "NOT_FOUND"),
    ];
    for (query, variables, code) in cases {
        let resp =
            server.http.post(server.endpoint("studio")).json(&json!({ "query": query, "variables": variables })).send().await.unwrap();
        assert_eq!(resp.status(), 200, "{query}");
        let content_type = resp.headers()["content-type"].to_str().unwrap().to_string();
        assert!(content_type.starts_with("application/json"), "{content_type}");
        let body: Value = resp.json().await.unwrap();
        let e = first_error(&body);
        assert_eq!(e["extensions"]["code"], *code, "{query}: {body:#}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn operation_selection_errors_carry_a_code() {
    // Regression guard: async-graphql rejects a missing or unknown operationName
    // before execution; those errors must still carry BAD_USER_INPUT.
    let server = TestServer::start().await;
    let requests = [
        json!({ "query": "query A { users { totalCount } } query B { users { totalCount } }" }),
        json!({ "query": "query A { users { totalCount } }", "operationName": "C" }),
    ];
    for request in requests {
        let resp = server.http.post(server.endpoint("studio")).json(&request).send().await.unwrap();
        assert_eq!(resp.status(), 200);
        let body: Value = resp.json().await.unwrap();
        assert_eq!(body["errors"][0]["extensions"]["code"], "BAD_USER_INPUT", "{request}: {body:#}");
        first_error(&body);
    }
    // With a valid operationName the same document runs.
    let resp = server
        .http
        .post(server.endpoint("studio"))
        .json(&json!({ "query": "query A { users { totalCount } } query B { users { totalCount } }", "operationName": "B" }))
        .send()
        .await
        .unwrap();
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body, json!({ "data": { "users": { "totalCount": 0 } } }));
}
