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
/// shows an event after a write; signed in as a demo user through "Sign in
/// as", the same query shows what row rules let them see.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn graphiql_runs_a_query_and_a_subscription_in_chromium() {
    let server = TestServer::start_with_graphiql_token().await;
    let studio = quiver::apps::find("studio").unwrap();
    assert!(studio.demo.unwrap().load_if_empty(studio.app(), &server.db.url, &[]).await.unwrap(), "demo data loaded");
    server.db.exec("INSERT INTO studio.users (email) VALUES ('graphiql@example.com')").await;
    let token = crate::common::service_token();
    let run = node("graphiql.mjs", &[&server.endpoint("studio"), &token, "graphiql@example.com", "ada"], &[]).await;
    let out = run.success();
    for step in [
        "the query editor is there",
        "the headers editor holds the development token",
        "the docs explorer shows the schema",
        "the query's result shows graphiql@example.com",
        "the subscription's event arrived: INSERT of sub-",
        "the headers editor holds ada's token",
        "signed in as ada: 1 of ",
        "signed in as the service role again: ",
        "nothing was loaded from another host",
    ] {
        assert!(out.contains(&format!("step: {step}")), "missing step {step:?}:\n{out}");
    }
    let rows = server.db.rows("SELECT email FROM studio.users WHERE email LIKE 'sub-%'").await;
    assert!(!rows.is_empty(), "the script wrote through the API");
}

/// Apollo Client (with automatic persisted queries, over POST and GET) and
/// urql each run a query, a mutation and a subscription through graphql-ws.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn apollo_client_and_urql_run_queries_mutations_and_subscriptions() {
    let server = TestServer::start().await;
    let token = crate::common::service_token();
    let run = node("clients.mjs", &[&server.endpoint("studio"), &token], &[]).await;
    let out = run.success();
    for check in [
        "apollo mutation",
        "apollo query",
        "apollo persisted query registered",
        "apollo persisted query by hash",
        "apollo persisted query over GET",
        "apollo subscription",
        "urql mutation",
        "urql query (GET)",
        "urql subscription",
    ] {
        assert!(out.lines().any(|l| l == format!("ok: {check}")), "missing {check:?}:\n{out}");
    }
    // The clients' writes are in the database.
    for (domain, first) in [("apollo.test", "a@apollo.test"), ("urql.test", "u@urql.test")] {
        let rows = server.db.rows(&format!("SELECT email FROM studio.users WHERE email LIKE '%@{domain}' ORDER BY email")).await;
        assert!(rows.iter().any(|r| r["email"] == first), "{domain}: the mutation's row: {rows:?}");
        assert!(rows.iter().any(|r| r["email"].as_str().unwrap().starts_with("sub")), "{domain}: the subscription's writes: {rows:?}");
    }
}
