//! Orders domain behaviour: proposed orders edited live from two devices
//! (optimistic concurrency on `updatedAt`), item validation by the database,
//! atomic acceptance into an order, and the live `proposedOrder(callId)` stream.

use serde_json::{json, Value};

use crate::common::ws::WsClient;
use crate::common::TestServer;

const UPDATE: &str = "mutation($id: UUID!, $v: DateTime, $patch: ProposedOrderPatch!) {
    updateProposedOrder(id: $id, expectedVersion: $v, patch: $patch) { id status lastDeviceId lastUpdatedBy updatedAt orderItems } }";
const ACCEPT: &str = "mutation($id: UUID!, $v: DateTime) {
    acceptProposedOrder(id: $id, expectedVersion: $v) { id status tenantId customerId items { totalCount nodes { productId quantity } } } }";

async fn seeded() -> TestServer {
    let server = TestServer::start().await;
    let demo = quiver::apps::find("orders").unwrap().demo.unwrap();
    assert!(demo.load_if_empty(quiver::apps::find("orders").unwrap().app(), &server.db.url, &[]).await.expect("demo data loads"));
    server
}

/// A proposed order of the demo data: (id, updatedAt as the API shows it, tenant id, call id).
async fn a_proposed_order(server: &TestServer) -> (String, Value, String, String) {
    let row = &server
        .db
        .rows("SELECT id::text AS id, tenant_id::text AS t, call_id::text AS c FROM orders.proposed_orders ORDER BY id LIMIT 1")
        .await[0];
    let id = row["id"].as_str().unwrap().to_string();
    let data = server.gql_app("orders", "query($id: UUID!) { proposedOrder(id: $id) { updatedAt } }", json!({ "id": id })).await;
    let version = data["data"]["proposedOrder"]["updatedAt"].clone();
    (id, version, row["t"].as_str().unwrap().into(), row["c"].as_str().unwrap().into())
}

fn code(body: &Value) -> &str {
    body["errors"][0]["extensions"]["code"].as_str().unwrap_or("")
}

/// POSTs an orders query as the user `sub`; returns the JSON body.
async fn as_user(server: &TestServer, sub: &str, query: &str, variables: Value) -> Value {
    let http = crate::common::client_with_token(&crate::common::token("authenticated", Some(sub), 600));
    let resp = http.post(server.endpoint("orders")).json(&json!({ "query": query, "variables": variables })).send().await.unwrap();
    assert_eq!(resp.status(), 200);
    resp.json().await.unwrap()
}

/// Two users of the tenant, each on their own device, update the same
/// version of a proposed order at once: exactly one wins, the other gets
/// CONFLICT with the winner's row, and the database records who won.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_devices_racing_from_the_same_version_exactly_one_wins() {
    let server = seeded().await;
    server.db.exec("UPDATE orders.ip_allowlist SET is_active = false").await;
    let (id, version, tenant, _) = a_proposed_order(&server).await;
    let users = server
        .db
        .rows(&format!(
            "SELECT id::text AS id FROM orders.users WHERE tenant_id = '{tenant}' AND is_active IS NOT FALSE ORDER BY id LIMIT 2"
        ))
        .await;
    let (phone_user, desktop_user) = (users[0]["id"].as_str().unwrap(), users[1]["id"].as_str().unwrap());
    let update = |user: &'static str, device: &'static str| {
        let sub = if user == "phone" { phone_user } else { desktop_user };
        let vars = json!({ "id": id, "v": version, "patch": { "lastDeviceId": device, "status": format!("edited-on-{device}") } });
        as_user(&server, sub, UPDATE, vars)
    };
    let (a, b) = tokio::join!(update("phone", "phone"), update("desktop", "desktop"));
    let (winner, loser) = if a.get("errors").is_none() { (a, b) } else { (b, a) };
    assert!(winner.get("errors").is_none(), "one update succeeds: {winner}");
    assert_eq!(code(&loser), "CONFLICT", "the other gets CONFLICT: {loser}");
    let won = &winner["data"]["updateProposedOrder"];
    let current = &loser["errors"][0]["extensions"]["current"];
    assert_eq!(current["lastDeviceId"], won["lastDeviceId"], "CONFLICT carries the winner's row");
    assert_eq!(current["updatedAt"], won["updatedAt"]);
    assert_ne!(won["updatedAt"], version, "the version moved");
    let stored =
        server.db.rows(&format!("SELECT last_device_id, last_updated_by::text AS by FROM orders.proposed_orders WHERE id = '{id}'")).await;
    assert_eq!(stored[0]["last_device_id"], won["lastDeviceId"], "exactly the winner's write is stored");
    let winner_user = if won["lastDeviceId"] == "phone" { phone_user } else { desktop_user };
    assert_eq!(stored[0]["by"], winner_user, "the database records who won");
    assert_eq!(won["lastUpdatedBy"], winner_user);
    assert_eq!(current["lastUpdatedBy"], winner_user);

    // The loser retries from the version it was handed, and succeeds.
    let loser_user = if winner_user == phone_user { desktop_user } else { phone_user };
    let retry =
        as_user(&server, loser_user, UPDATE, json!({ "id": id, "v": current["updatedAt"], "patch": { "lastDeviceId": "retry" } })).await;
    assert_eq!(retry["data"]["updateProposedOrder"]["lastDeviceId"], "retry", "{retry}");
    assert_eq!(retry["data"]["updateProposedOrder"]["lastUpdatedBy"], loser_user, "{retry}");

    // Nobody can claim someone else's edit: the column is not an input.
    let claim = json!({ "id": id, "v": retry["data"]["updateProposedOrder"]["updatedAt"], "patch": { "lastUpdatedBy": winner_user } });
    let refused = as_user(&server, loser_user, UPDATE, claim).await;
    assert!(refused["errors"][0]["message"].as_str().unwrap_or("").contains("lastUpdatedBy"), "{refused}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn updates_must_name_the_version_and_unknown_ids_are_not_found() {
    let server = seeded().await;
    let (id, _, _, _) = a_proposed_order(&server).await;
    let missing = server
        .gql_app("orders", "mutation($id: UUID!) { updateProposedOrder(id: $id, patch: {status: \"x\"}) { id } }", json!({ "id": id }))
        .await;
    assert_eq!(code(&missing), "BAD_USER_INPUT", "{missing}");
    let unknown =
        server.gql_app("orders", UPDATE, json!({ "id": uuid::Uuid::new_v4().to_string(), "v": null, "patch": { "status": "x" } })).await;
    assert_eq!(code(&unknown), "NOT_FOUND", "{unknown}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn order_items_are_validated_by_the_database() {
    let server = seeded().await;
    let (id, version, tenant, _) = a_proposed_order(&server).await;
    let foreign = server.db.rows(&format!("SELECT id::text AS id FROM orders.products WHERE tenant_id <> '{tenant}' LIMIT 1")).await;
    let own = server.db.rows(&format!("SELECT id::text AS id FROM orders.products WHERE tenant_id = '{tenant}' LIMIT 1")).await;
    let (foreign, own) = (foreign[0]["id"].as_str().unwrap(), own[0]["id"].as_str().unwrap());
    for (items, why) in [
        (json!([{ "productId": foreign, "quantity": 1 }]), "another tenant's product"),
        (json!([{ "productId": own, "quantity": 0 }]), "zero quantity"),
        (json!([{ "productId": own, "quantity": 1.5 }]), "fractional quantity"),
        (json!([{ "productId": "not-a-uuid", "quantity": 1 }]), "bad productId"),
        (json!({ "productId": own }), "not an array"),
    ] {
        let body = server.gql_app("orders", UPDATE, json!({ "id": id, "v": version, "patch": { "orderItems": items } })).await;
        assert_eq!(code(&body), "BAD_USER_INPUT", "{why}: {body}");
    }
    let ok = server
        .gql_app("orders", UPDATE, json!({ "id": id, "v": version, "patch": { "orderItems": [{ "productId": own, "quantity": 3 }] } }))
        .await;
    assert_eq!(ok["data"]["updateProposedOrder"]["orderItems"][0]["quantity"], 3, "{ok}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn accepting_creates_the_order_and_its_items_once() {
    let server = seeded().await;
    let (id, version, tenant, _) = a_proposed_order(&server).await;
    let items = server
        .db
        .rows(&format!(
            "SELECT i->>'productId' AS product, (i->>'quantity')::int AS quantity FROM orders.proposed_orders,
               jsonb_array_elements(order_items) i WHERE id = '{id}' ORDER BY 1"
        ))
        .await;
    assert!(!items.is_empty(), "the demo proposed order has items");
    let stale = server.gql_app("orders", ACCEPT, json!({ "id": id, "v": "2001-01-01T00:00:00Z" })).await;
    assert_eq!(code(&stale), "CONFLICT", "a stale version is refused: {stale}");

    let body = server.gql_app("orders", ACCEPT, json!({ "id": id, "v": version })).await;
    let order = &body["data"]["acceptProposedOrder"];
    assert_eq!(order["status"], "accepted", "{body}");
    assert_eq!(order["tenantId"], tenant.as_str());
    let mut got: Vec<(String, i64)> = order["items"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| (n["productId"].as_str().unwrap().to_string(), n["quantity"].as_i64().unwrap()))
        .collect();
    got.sort();
    let want: Vec<(String, i64)> =
        items.iter().map(|r| (r["product"].as_str().unwrap().to_string(), r["quantity"].as_i64().unwrap())).collect();
    assert_eq!(got, want, "one order item per proposed item");
    let status = server.db.rows(&format!("SELECT status FROM orders.proposed_orders WHERE id = '{id}'")).await;
    assert_eq!(status[0]["status"], "accepted");

    let again = server.gql_app("orders", ACCEPT, json!({ "id": id, "v": null })).await;
    assert!(again.get("errors").is_some(), "a second acceptance is refused: {again}");
    let orders = server.db.rows(&format!("SELECT count(*) AS n FROM orders.orders WHERE notes LIKE '%{id}'")).await;
    assert_eq!(orders[0]["n"], 1, "exactly one order");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acceptance_failing_midway_writes_nothing() {
    let server = seeded().await;
    let (id, version, tenant, _) = a_proposed_order(&server).await;
    let before =
        server.db.rows("SELECT (SELECT count(*) FROM orders.orders) AS orders, (SELECT count(*) FROM orders.order_items) AS items").await;
    // A product the proposed order names is retired (deleted) after it was added:
    // the order row is written first, then the item check fails inside the transaction.
    let product = server.db.rows(&format!("SELECT order_items->0->>'productId' AS p FROM orders.proposed_orders WHERE id = '{id}'")).await;
    let product = product[0]["p"].as_str().unwrap();
    server
        .db
        .exec(&format!(
            "DELETE FROM orders.product_specials WHERE product_id = '{product}';
             DELETE FROM orders.order_items WHERE product_id = '{product}';
             DELETE FROM orders.products WHERE id = '{product}' AND tenant_id = '{tenant}'"
        ))
        .await;
    let mid =
        server.db.rows("SELECT (SELECT count(*) FROM orders.orders) AS orders, (SELECT count(*) FROM orders.order_items) AS items").await;
    let body = server.gql_app("orders", ACCEPT, json!({ "id": id, "v": version })).await;
    assert_eq!(code(&body), "BAD_USER_INPUT", "{body}");
    assert!(body["errors"][0]["message"].as_str().unwrap().contains("not a product of this tenant"), "{body}");
    let after =
        server.db.rows("SELECT (SELECT count(*) FROM orders.orders) AS orders, (SELECT count(*) FROM orders.order_items) AS items").await;
    assert_eq!(after, mid, "no order and no item was written");
    assert_eq!(after[0]["orders"], before[0]["orders"]);
    let status = server.db.rows(&format!("SELECT status FROM orders.proposed_orders WHERE id = '{id}'")).await;
    assert_ne!(status[0]["status"], "accepted", "the proposed order is not marked accepted");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn proposed_order_subscription_streams_every_change_of_the_call() {
    let server = seeded().await;
    let (id, version, _, call) = a_proposed_order(&server).await;
    let mut ws = WsClient::connect(&server.base, "orders").await;
    ws.subscribe(
        "po",
        "subscription($c: UUID!) { proposedOrder(callId: $c) { event new { id lastDeviceId status } } }",
        json!({ "c": call }),
    )
    .await;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let body = server.gql_app("orders", UPDATE, json!({ "id": id, "v": version, "patch": { "lastDeviceId": "desktop-7" } })).await;
    assert!(body.get("errors").is_none(), "{body}");
    let event = ws.next_data("po").await;
    assert_eq!(event["data"]["proposedOrder"]["event"], "UPDATE", "{event}");
    assert_eq!(event["data"]["proposedOrder"]["new"]["lastDeviceId"], "desktop-7");
    // A change on another call's proposed order is not delivered.
    server.db.exec(&format!("UPDATE orders.proposed_orders SET last_device_id = 'elsewhere' WHERE call_id <> '{call}'")).await;
    server.db.exec(&format!("UPDATE orders.proposed_orders SET status = 'presented' WHERE id = '{id}'")).await;
    let event = ws.next_data("po").await;
    assert_eq!(event["data"]["proposedOrder"]["new"]["status"], "presented", "{event}");
}
