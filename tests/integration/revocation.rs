//! Revocation on open WebSocket connections (issue 14, hole 7), against the
//! orders demo data: a connection's credentials are resolved again before
//! each operation and every `--revalidate-interval`, so a deactivated user,
//! a revoked role, a deactivated API key or tenant and a new IP allow-list
//! entry reach connections opened before the change. A stream whose caller
//! now stands for other rights ends with `PRINCIPAL_CHANGED`; one whose
//! credentials are refused ends with the refusal's code, and the connection
//! then closes with 4401 (`UNAUTHENTICATED`) or 4403 (`FORBIDDEN`).

use serde_json::{json, Value};

use crate::common::ws::WsClient;
use crate::common::{self, TestServer};
use crate::orders_tenancy::{create_api_key, demo_id, seeded};

/// An orders server revalidating every `interval` seconds, with every IP
/// allow-list entry inactive (tests connect from loopback).
async fn orders_server(interval: u32) -> TestServer {
    let server = seeded(&[&format!("--revalidate-interval={interval}")]).await;
    server.db.exec("UPDATE orders.ip_allowlist SET is_active = false").await;
    server
}

/// A connection signed in as demo user `user-<t>-<u>`.
async fn as_user(server: &TestServer, t: u32, u: u32) -> WsClient {
    let id = demo_id(server, &format!("user-{t}-{u}")).await;
    WsClient::connect_as(&server.base, "orders", &common::token("authenticated", Some(&id), 3600)).await
}

/// A connection authenticated with API key `key` in its `connection_init`.
async fn as_key(server: &TestServer, key: &str) -> WsClient {
    WsClient::connect_with(&server.base, "orders", "graphql-transport-ws", json!({ "apiKey": key })).await
}

/// An active key of tenant `t` (orders read/write); `<id>.<secret>`.
async fn tenant_key(server: &TestServer, t: u32) -> (String, String) {
    let tenant = demo_id(server, &format!("tenant-{t}")).await;
    let secret = format!("revocation-secret-{t}");
    let id = create_api_key(server, &tenant, &secret, json!({})).await;
    (id.clone(), format!("{id}.{secret}"))
}

/// The first error code of a `next` payload (`None` when it has none).
fn error_code(payload: &Value) -> Option<&str> {
    payload["errors"][0]["extensions"]["code"].as_str()
}

/// The next message for operation `id`, which must be a `next` carrying data.
async fn next_event(ws: &mut WsClient, id: &str) -> Value {
    let payload = ws.next_data(id).await;
    assert!(error_code(&payload).is_none(), "unexpected error: {payload}");
    payload["data"].clone()
}

/// Skips `next` messages of operation `id` that carry data until one carries
/// an error; its code. Then the operation must complete.
async fn stream_end_code(ws: &mut WsClient, id: &str) -> String {
    let code = loop {
        let payload = ws.next_data(id).await;
        if let Some(code) = error_code(&payload) {
            break code.to_string();
        }
    };
    let complete = ws.next_for(id).await;
    assert_eq!(complete["type"], "complete", "{complete}");
    code
}

/// The answer to a one-shot operation `query` sent as `id`: its data, or the code of its error.
async fn one_shot(ws: &mut WsClient, id: &str, query: &str) -> Result<Value, String> {
    ws.subscribe(id, query, json!({})).await;
    let payload = ws.next_data(id).await;
    let complete = ws.next_for(id).await;
    assert_eq!(complete["type"], "complete", "{complete}");
    match error_code(&payload) {
        Some(code) => Err(code.to_string()),
        None => Ok(payload["data"].clone()),
    }
}

/// Asserts the server closes `ws` with `code` next (after any `complete`).
async fn expect_close(ws: &mut WsClient, code: u16, reason_prefix: &str) {
    loop {
        match ws.next_or_close().await {
            Ok(msg) if msg["type"] == "complete" => continue,
            Ok(msg) => panic!("expected a {code} close, got {msg}"),
            Err((got, reason)) => {
                assert_eq!(got, code, "close reason: {reason}");
                assert!(reason.starts_with(reason_prefix), "close reason: {reason}");
                return;
            }
        }
    }
}

const CUSTOMER_CHANGES: &str = "subscription { customerChanged(events: [UPDATE]) { new { id company } } }";

/// An agent subscribed to `customerChanged` has the stream ended with
/// `PRINCIPAL_CHANGED` once their account is deactivated, and an admin's
/// once their admin role is revoked; both connections stay open, and a
/// resubscription runs under the current rights: the deactivated agent,
/// without a tenant, receives nothing more while the service role does.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn streams_end_when_the_user_is_deactivated_or_loses_a_role() {
    let server = orders_server(1).await;
    let mut agent = as_user(&server, 1, 3).await;
    let mut admin = as_user(&server, 1, 1).await;
    let mut service = WsClient::connect(&server.base, "orders").await;
    for ws in [&mut agent, &mut admin, &mut service] {
        ws.subscribe("c", CUSTOMER_CHANGES, json!({})).await;
    }
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let customer = demo_id(&server, "customer-1-1").await;
    server.db.exec(&format!("UPDATE orders.customers SET company = 'before' WHERE id = '{customer}'")).await;
    for ws in [&mut agent, &mut admin, &mut service] {
        assert_eq!(next_event(ws, "c").await["customerChanged"]["new"]["company"], "before");
    }

    let (agent_id, admin_id) = (demo_id(&server, "user-1-3").await, demo_id(&server, "user-1-1").await);
    server.db.exec(&format!("UPDATE orders.users SET is_active = false WHERE id = '{agent_id}'")).await;
    server.db.exec(&format!("UPDATE orders.user_roles SET is_active = false WHERE user_id = '{admin_id}'")).await;
    assert_eq!(stream_end_code(&mut agent, "c").await, "PRINCIPAL_CHANGED", "deactivated agent");
    assert_eq!(stream_end_code(&mut admin, "c").await, "PRINCIPAL_CHANGED", "admin without the role");

    // Resubscribed, the agent runs without a tenant: nothing is theirs.
    agent.subscribe("again", CUSTOMER_CHANGES, json!({})).await;
    assert_eq!(one_shot(&mut agent, "count", "{ customers { totalCount } }").await, Ok(json!({ "customers": { "totalCount": 0 } })));
    server.db.exec(&format!("UPDATE orders.customers SET company = 'after' WHERE id = '{customer}'")).await;
    assert_eq!(next_event(&mut service, "c").await["customerChanged"]["new"]["company"], "after", "the change was emitted");
    agent.expect_silence(std::time::Duration::from_millis(1500)).await;
}

/// A stream opened with an API key ends with `UNAUTHENTICATED` once the key
/// is deactivated, and the connection closes with 4401; the same once the
/// key's tenant is deactivated.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_deactivated_keys_or_tenants_stream_ends_and_the_connection_closes() {
    let server = orders_server(1).await;
    let (id_1, key_1) = tenant_key(&server, 1).await;
    let (_, key_2) = tenant_key(&server, 2).await;
    let orders = "subscription { orderChanged(events: [UPDATE]) { new { id notes } } }";
    let mut first = as_key(&server, &key_1).await;
    let mut second = as_key(&server, &key_2).await;
    for ws in [&mut first, &mut second] {
        ws.subscribe("o", orders, json!({})).await;
    }
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    server.db.exec("UPDATE orders.orders SET notes = 'live' WHERE id IN (md5('order-1-1')::uuid, md5('order-2-1')::uuid)").await;
    for ws in [&mut first, &mut second] {
        assert_eq!(next_event(ws, "o").await["orderChanged"]["new"]["notes"], "live");
    }

    server.db.exec(&format!("UPDATE orders.api_keys SET is_active = false WHERE id = '{id_1}'")).await;
    server.db.exec("UPDATE orders.tenants SET is_active = false WHERE id = md5('tenant-2')::uuid").await;
    for (ws, what) in [(&mut first, "deactivated key"), (&mut second, "deactivated tenant")] {
        assert_eq!(stream_end_code(ws, "o").await, "UNAUTHENTICATED", "{what}");
        expect_close(ws, 4401, "UNAUTHENTICATED").await;
    }
    // Over HTTP the key is refused likewise.
    let http = reqwest::Client::new().post(server.endpoint("orders")).header("x-api-key", &key_2);
    let response = http.json(&json!({ "query": "{ orders { totalCount } }" })).send().await.unwrap();
    assert_eq!(response.status(), 401);
}

/// With revalidation far off, the next operation on the same socket still
/// sees the change: a deactivated key's operation is refused with
/// `UNAUTHENTICATED` (then the connection closes with 4401); a user whose
/// tenant gained an allow-list entry not covering this address is refused
/// with `FORBIDDEN` (then 4403); a deactivated user's query runs without a
/// tenant, as over HTTP.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_operation_after_revocation_runs_under_the_current_credentials() {
    let server = orders_server(3600).await;
    let probe = "{ orders { totalCount } }";
    let (id, key) = tenant_key(&server, 1).await;
    let mut keyed = as_key(&server, &key).await;
    let mut user_1 = as_user(&server, 1, 3).await;
    let mut user_2 = as_user(&server, 2, 3).await;
    for ws in [&mut keyed, &mut user_1, &mut user_2] {
        let data = one_shot(ws, "before", probe).await.expect("admitted");
        assert!(data["orders"]["totalCount"].as_u64().unwrap() > 0, "{data}");
    }

    server.db.exec(&format!("UPDATE orders.api_keys SET is_active = false WHERE id = '{id}'")).await;
    server
        .db
        .exec("UPDATE orders.ip_allowlist SET is_active = true WHERE tenant_id = md5('tenant-1')::uuid AND NOT ('127.0.0.1'::inet <<= ip_address) AND NOT ('::1'::inet <<= ip_address)")
        .await;
    server.db.exec("UPDATE orders.users SET is_active = false WHERE id = md5('user-2-3')::uuid").await;

    assert_eq!(one_shot(&mut keyed, "after", probe).await, Err("UNAUTHENTICATED".into()), "deactivated key");
    expect_close(&mut keyed, 4401, "UNAUTHENTICATED").await;
    assert_eq!(one_shot(&mut user_1, "after", probe).await, Err("FORBIDDEN".into()), "address not allow-listed");
    expect_close(&mut user_1, 4403, "FORBIDDEN").await;
    assert_eq!(one_shot(&mut user_2, "after", probe).await, Ok(json!({ "orders": { "totalCount": 0 } })), "deactivated user");
}
