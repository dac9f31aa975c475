//! Realtime over a real WebSocket client: row changes made with SQL and with
//! mutations reach subscribers.

use serde_json::json;

use crate::common::ws::WsClient;
use crate::common::TestServer;

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
