//! Real JavaScript clients against a running Quiver, with Node.js (see
//! `common::js`): graphql-http's GraphQL-over-HTTP server audits.

use crate::common::js::node;
use crate::common::TestServer;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn graphql_http_server_audits_give_no_warning_and_no_error() {
    let server = TestServer::start().await;
    for app in ["studio", "orders"] {
        let run = node("audit.mjs", &[&server.endpoint(app)], &[]).await;
        let out = run.success();
        let summary = out.lines().last().unwrap_or_default();
        assert!(summary.ends_with(" 0 warn, 0 error"), "{app}: {summary}\n{out}");
        // Every audit ran: the package's list is not empty and nothing was skipped.
        let ok: usize = summary.trim_start_matches("audits: ").split(' ').next().unwrap().parse().unwrap();
        assert!(ok >= 50, "{app}: only {ok} audits passed\n{out}");
    }
}

/// GraphiQL in headless Chromium: the page loads only from Quiver, the
/// editor comes up with the development token in its headers, the docs
/// explorer shows the schema, a query shows its result and a subscription
/// shows an event after a write.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn graphiql_runs_a_query_and_a_subscription_in_chromium() {
    let server = TestServer::start_with_graphiql_token().await;
    server.db.exec("INSERT INTO studio.users (email) VALUES ('graphiql@example.com')").await;
    let token = crate::common::service_token();
    let run = node("graphiql.mjs", &[&server.endpoint("studio"), &token, "graphiql@example.com"], &[]).await;
    let out = run.success();
    for step in [
        "the query editor is there",
        "the headers editor holds the development token",
        "the docs explorer shows the schema",
        "the query's result shows graphiql@example.com",
        "the subscription's event arrived: INSERT of sub-",
        "nothing was loaded from another host",
    ] {
        assert!(out.contains(&format!("step: {step}")), "missing step {step:?}:\n{out}");
    }
    let rows = server.db.rows("SELECT email FROM studio.users WHERE email LIKE 'sub-%'").await;
    assert!(!rows.is_empty(), "the script wrote through the API");
}
