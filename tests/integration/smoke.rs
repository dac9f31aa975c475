//! The deep query a newcomer runs first.

use serde_json::json;

use crate::common::TestServer;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deep_query_over_demo_data() {
    let server = TestServer::start().await;
    server.db.seed_studio(&[]).await;
    let data = server
        .data(
            "{ workbenches(first: 2) { nodes { name projects(first: 2) { nodes { name assets(first: 2) { nodes { name versions(first: 2) { nodes { versionNumber } } } } } } } } }",
            json!({}),
        )
        .await;
    let workbenches = data["workbenches"]["nodes"].as_array().unwrap();
    assert_eq!(workbenches.len(), 2);
    let versions = &workbenches[0]["projects"]["nodes"][0]["assets"]["nodes"][0]["versions"]["nodes"];
    assert_eq!(versions.as_array().unwrap().len(), 2);
    assert!(versions[0]["versionNumber"].as_i64().unwrap() >= 1);
}
