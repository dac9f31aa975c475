//! The orders app over its demo data, and its audit trail: a nested query
//! answered as SQL answers it, writes recorded in `orders.audit_logs` without
//! secret columns, and the `audit_row` trigger on exactly the tenant tables.
//! (Moved from the former `orders_catalog.rs`; the catalog-against-seed checks
//! now live in `conformance.rs`.)

use std::collections::BTreeMap;

use serde_json::{json, Value};

use crate::common::{Problems, TestDb, TestServer};

fn s(v: &Value) -> String {
    v.as_str().map(str::to_string).unwrap_or_else(|| v.to_string())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn audit_trigger_covers_the_tenant_tables_and_leaves_out_secrets() {
    let db = TestDb::new().await;
    let app = quiver::apps::orders::APP.app();
    let mut p = Problems::default();
    let tables: BTreeMap<String, bool> = db
        .rows(
            "SELECT c.relname::text AS t,
                    EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped) AS tenant
               FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
              WHERE n.nspname = 'orders' AND c.relkind IN ('r', 'p') AND NOT c.relispartition",
        )
        .await
        .into_iter()
        .map(|r| (s(&r["t"]), r["tenant"] == true))
        .collect();
    assert!(tables.len() > 20, "orders tables: {tables:?}");
    let mut triggers: BTreeMap<String, (String, Vec<String>)> = BTreeMap::new();
    for r in db
        .rows(
            "SELECT c.relname::text AS t, pn.nspname || '.' || pr.proname AS function,
                    array_remove(string_to_array(encode(tg.tgargs, 'escape'), '\\000'), '') AS args
               FROM pg_trigger tg
               JOIN pg_class c ON c.oid = tg.tgrelid
               JOIN pg_namespace ns ON ns.oid = c.relnamespace
               JOIN pg_proc pr ON pr.oid = tg.tgfoid
               JOIN pg_namespace pn ON pn.oid = pr.pronamespace
              WHERE ns.nspname = 'orders' AND NOT tg.tgisinternal AND tg.tgname = 'audit_row'",
        )
        .await
    {
        let args = r["args"].as_array().map(|a| a.iter().map(s).collect()).unwrap_or_default();
        triggers.insert(s(&r["t"]), (s(&r["function"]), args));
    }
    for (table, tenant) in &tables {
        let audit = triggers.get(table);
        p.check(*tenant == audit.is_some(), || format!("{table}: tenant_id {tenant}, audit trigger {audit:?}"));
        if let Some((f, args)) = audit {
            p.check(f == "orders.audit_row", || format!("{table}: audit_row runs {f}"));
            // The trail leaves out exactly the declared secret columns.
            let secrets: Vec<String> =
                app.table(table).map(|d| d.columns.iter().filter(|c| c.secret).map(|c| c.name.to_string()).collect()).unwrap_or_default();
            p.check(args == &secrets, || format!("{table}: audit_row leaves out {args:?}, declared secrets {secrets:?}"));
        }
    }
    p.assert_none("audit triggers");
}

/// A server over the orders demo data at its default sizes (2 tenants, 8
/// customers each, 3 orders per customer, 3 items per order).
async fn seeded() -> TestServer {
    // Nested connections at the default page size: over the default node limit.
    let server = TestServer::start_with(&[crate::common::UNCAPPED_NODES]).await;
    let demo = quiver::apps::find("orders").unwrap().demo.unwrap();
    let loaded = demo.load_if_empty(quiver::apps::find("orders").unwrap().app(), &server.db.url, &[]).await.expect("demo data loads");
    assert!(loaded, "orders was empty");
    server
}

async fn data(server: &TestServer, query: &str, variables: Value) -> Value {
    let body = server.gql_app("orders", query, variables).await;
    assert!(body.get("errors").is_none(), "unexpected errors: {body:#}");
    body["data"].clone()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nested_query_over_the_demo_data_matches_sql() {
    let server = seeded().await;
    let got = data(
        &server,
        "{ tenants { nodes { name customers(first: 3) { nodes { id orders(first: 2) { nodes { status items { nodes { quantity product { name } } } } } } } } } }",
        json!({}),
    )
    .await;
    // The same question in SQL; every list in key order, as the API lists by default.
    let want = server
        .db
        .rows(
            "SELECT json_build_object('tenants', json_build_object('nodes', coalesce(json_agg(json_build_object(
                'name', t.name,
                'customers', json_build_object('nodes', (
                  SELECT coalesce(json_agg(json_build_object(
                    'id', c.id,
                    'orders', json_build_object('nodes', (
                      SELECT coalesce(json_agg(json_build_object(
                        'status', o.status,
                        'items', json_build_object('nodes', (
                          SELECT coalesce(json_agg(json_build_object(
                            'quantity', i.quantity,
                            'product', (SELECT json_build_object('name', p.name) FROM orders.products p WHERE p.id = i.product_id)
                          ) ORDER BY i.id), '[]')
                          FROM orders.order_items i WHERE i.order_id = o.id))
                      ) ORDER BY o.id), '[]')
                      FROM (SELECT * FROM orders.orders WHERE customer_id = c.id ORDER BY id LIMIT 2) o))
                  ) ORDER BY c.id), '[]')
                  FROM (SELECT * FROM orders.customers WHERE tenant_id = t.id ORDER BY id LIMIT 3) c))
              ) ORDER BY t.id), '[]'))) AS v
             FROM orders.tenants t",
        )
        .await[0]["v"]
        .clone();
    assert_eq!(got, want);
    // Real data, not two empty lists agreeing.
    let tenants = got["tenants"]["nodes"].as_array().unwrap();
    assert_eq!(tenants.len(), 2);
    for t in tenants {
        let customers = t["customers"]["nodes"].as_array().unwrap();
        assert_eq!(customers.len(), 3, "{t:#}");
        for c in customers {
            let orders = c["orders"]["nodes"].as_array().unwrap();
            assert_eq!(orders.len(), 2, "{c:#}");
            for o in orders {
                let items = o["items"]["nodes"].as_array().unwrap();
                assert_eq!(items.len(), 3, "{o:#}");
                assert!(items.iter().all(|i| i["quantity"].as_i64().unwrap() > 0 && i["product"]["name"].is_string()), "{o:#}");
            }
        }
    }

    // Every tenant has a proposed order in progress on a call, whose items are
    // that tenant's products; reached through the call and its customer.
    let got = data(
        &server,
        "{ proposedOrders(filter: {status: {eq: \"draft\"}}) { nodes { id tenantId orderItems call { id customer { id } } customer { id } } } }",
        json!({}),
    )
    .await;
    let drafts = got["proposedOrders"]["nodes"].as_array().unwrap();
    assert_eq!(drafts.len(), 2, "{got:#}");
    for d in drafts {
        assert_eq!(d["call"]["customer"]["id"], d["customer"]["id"], "{d:#}");
        let items = d["orderItems"].as_array().unwrap();
        assert!(!items.is_empty(), "{d:#}");
        for i in items {
            let product = i["productId"].as_str().unwrap();
            let owner = server.db.rows(&format!("SELECT tenant_id::text AS t FROM orders.products WHERE id = '{product}'")).await;
            assert_eq!(owner.len(), 1, "{product} is a product");
            assert_eq!(owner[0]["t"], d["tenantId"], "{product} belongs to the proposed order's tenant");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn writes_leave_an_audit_trail_without_secrets() {
    let server = seeded().await;
    let before = server.db.rows("SELECT id::text AS id, company FROM orders.customers ORDER BY id LIMIT 1").await;
    let (id, old_company) = (s(&before[0]["id"]), before[0]["company"].clone());
    let got = data(
        &server,
        "mutation($id: UUID!) { updateCustomer(id: $id, patch: {company: \"Audited & Co\"}) { id company } }",
        json!({ "id": id }),
    )
    .await;
    assert_eq!(got["updateCustomer"]["company"], "Audited & Co");

    let rows = server
        .db
        .rows(&format!(
            "SELECT action, old_data, new_data, changed_by FROM orders.audit_logs
              WHERE table_name = 'customers' AND action = 'UPDATE' AND new_data->>'id' = '{id}'"
        ))
        .await;
    assert_eq!(rows.len(), 1, "{rows:#?}");
    let r = &rows[0];
    assert_eq!(r["old_data"]["company"], old_company);
    assert_eq!(r["new_data"]["company"], "Audited & Co");
    assert_eq!(r["old_data"]["id"], r["new_data"]["id"]);
    assert_eq!(r["changed_by"], Value::Null, "no quiver.user_id is set by the API yet");

    // The trail is readable through the API.
    let got = data(
        &server,
        "{ auditLogs(filter: {tableName: {eq: \"customers\"}, action: {eq: \"UPDATE\"}}) { nodes { action oldData newData } } }",
        json!({}),
    )
    .await;
    let nodes = got["auditLogs"]["nodes"].as_array().unwrap();
    assert_eq!(nodes.len(), 1, "{got:#}");
    assert_eq!(nodes[0]["newData"]["company"], "Audited & Co");

    // Secrets stay out of the trail: a user created with a password hash.
    let tenant = s(&server.db.rows("SELECT id::text AS id FROM orders.tenants ORDER BY id LIMIT 1").await[0]["id"]);
    let got = data(
        &server,
        "mutation($t: UUID!) { createUser(input: {tenantId: $t, email: \"new@example.com\", password: \"orders-secret\"}) { id } }",
        json!({ "t": tenant }),
    )
    .await;
    let user = s(&got["createUser"]["id"]);
    let rows = server
        .db
        .rows(&format!(
            "SELECT new_data, new_data ? 'password_hash' AS leaked FROM orders.audit_logs
              WHERE table_name = 'users' AND action = 'INSERT' AND new_data->>'id' = '{user}'"
        ))
        .await;
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["leaked"], false, "{:#}", rows[0]["new_data"]);
    assert_eq!(rows[0]["new_data"]["email"], "new@example.com");

    // A DELETE records the old row; changed_by comes from quiver.user_id when set.
    let actor = "00000000-0000-4000-8000-0000000000ad";
    server.db.exec(&format!("BEGIN; SET LOCAL quiver.user_id = '{actor}'; DELETE FROM orders.users WHERE id = '{user}'; COMMIT;")).await;
    let rows = server
        .db
        .rows(&format!(
            "SELECT old_data, new_data, changed_by::text AS by FROM orders.audit_logs
              WHERE table_name = 'users' AND action = 'DELETE' AND old_data->>'id' = '{user}'"
        ))
        .await;
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["by"], actor);
    assert_eq!(rows[0]["new_data"], Value::Null);
    assert!(rows[0]["old_data"].get("password_hash").is_none());

    // The trail itself cannot be edited through the API.
    let audit = s(&server.db.rows("SELECT id::text AS id FROM orders.audit_logs LIMIT 1").await[0]["id"]);
    for (query, vars) in [
        ("mutation { createAuditLog(input: {tableName: \"customers\", action: \"UPDATE\"}) { id } }", json!({})),
        ("mutation($id: UUID!) { updateAuditLog(id: $id, patch: {action: \"FORGED\"}) { id } }", json!({ "id": audit })),
        ("mutation($id: UUID!) { deleteAuditLog(id: $id) { id } }", json!({ "id": audit })),
    ] {
        let body = server.gql_app("orders", query, vars).await;
        assert_eq!(body["errors"][0]["extensions"]["code"], "BAD_USER_INPUT", "{query}: {body:#}");
    }
}
