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
