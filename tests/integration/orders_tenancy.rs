//! Orders multi-tenancy end to end, over HTTP and WebSocket against the demo
//! data (two tenants; see `src/apps/orders/seed.sql`): JWT users are confined
//! to their tenant for reads, relations, filters across relations and writes,
//! and have none without an active account; user, role, allow-list and key
//! administration is for tenant admins; anonymous callers see nothing; the
//! service role sees everything; the audit trail is read by tenant admins
//! only and names the writer; API keys act for their tenant within their
//! permissions; the tenant IP allow-list judges the client address (the peer,
//! or what a trusted proxy forwarded); and change subscriptions deliver only
//! rows the subscriber may read.
//!
//! Demo rows are named by their deterministic ids, `md5('<kind>-<numbers>')::uuid`
//! (`tenant-1`, `user-1-3`, `customer-2-1`, …), in SQL directly and through
//! [`demo_id`] for GraphQL variables. Every test has its own server and database.

use std::time::Duration;

use serde_json::{json, Value};

use crate::common::ws::WsClient;
use crate::common::{self, TestServer};

/// Demo user 1 of every tenant holds the active `admin` role.
const ADMIN: u32 = 1;
/// Demo user 3 of every tenant is an agent (no admin role).
const AGENT: u32 = 3;

/// A request every caller may send; used where only admission is at stake.
const PROBE: &str = "{ customers { totalCount } }";

const CREATE_CUSTOMER: &str = "mutation($input: CustomerCreateInput!) { createCustomer(input: $input) { id tenantId } }";
const UPDATE_CUSTOMER: &str =
    "mutation($id: UUID!, $patch: CustomerPatch!) { updateCustomer(id: $id, patch: $patch) { id tenantId company } }";
const DELETE_CUSTOMER: &str = "mutation($id: UUID!) { deleteCustomer(id: $id) { id } }";
const CREATE_API_KEY: &str = "mutation($input: ApiKeyCreateInput!) { createApiKey(input: $input) { id isActive } }";

// ===========================================================================
// Setup and SQL helpers
// ===========================================================================

/// A server (with extra `flags`) over a fresh database holding the orders demo data.
pub(crate) async fn seeded(flags: &[&str]) -> TestServer {
    let server = TestServer::start_with(flags).await;
    let demo = quiver::apps::find("orders").unwrap().demo.unwrap();
    assert!(demo.load_if_empty(quiver::apps::find("orders").unwrap().app(), &server.db.url, &[]).await.expect("demo data loads"));
    server
}

/// [`seeded`] with every IP allow-list entry deactivated, so tenant callers
/// connecting from 127.0.0.1 are admitted.
pub(crate) async fn seeded_open() -> TestServer {
    let server = seeded(&[]).await;
    server.db.exec("UPDATE orders.ip_allowlist SET is_active = false").await;
    server
}

/// The single value `v` of a one-row SQL query.
async fn sql_value(server: &TestServer, query: &str) -> Value {
    let rows = server.db.rows(query).await;
    assert_eq!(rows.len(), 1, "{query}: {rows:?}");
    rows[0]["v"].clone()
}

/// `count(*)` of `orders.<from>` (a table name, optionally with a WHERE clause).
async fn sql_count(server: &TestServer, from: &str) -> Value {
    sql_value(server, &format!("SELECT count(*) AS v FROM orders.{from}")).await
}

/// The ids (`id` column, as text) an SQL query returns, sorted.
async fn sql_ids(server: &TestServer, query: &str) -> Vec<String> {
    let mut ids: Vec<String> = server.db.rows(query).await.iter().map(|r| r["id"].as_str().unwrap().to_string()).collect();
    ids.sort();
    ids
}

/// A customer row as it is stored (`None` when there is none).
async fn customer_row(server: &TestServer, id: &str) -> Option<Value> {
    server.db.rows(&format!("SELECT to_jsonb(c) AS v FROM orders.customers c WHERE id = '{id}'")).await.first().map(|r| r["v"].clone())
}

/// The id of a demo row: `md5(key)::uuid`, e.g. `demo_id(&server, "customer-2-1")`.
pub(crate) async fn demo_id(server: &TestServer, key: &str) -> String {
    sql_value(server, &format!("SELECT md5('{key}')::uuid::text AS v")).await.as_str().unwrap().to_string()
}

/// Demo user `u` of tenant `t`: their id and a caller signed in as them.
async fn demo_user(server: &TestServer, t: u32, u: u32) -> (String, Caller) {
    let id = demo_id(server, &format!("user-{t}-{u}")).await;
    let caller = Caller::user(server, &id);
    (id, caller)
}

/// The `nodes` of a connection.
fn nodes(connection: &Value) -> &Vec<Value> {
    connection["nodes"].as_array().unwrap_or_else(|| panic!("no nodes in {connection}"))
}

/// The ids of a connection's nodes, sorted.
fn node_ids(connection: &Value) -> Vec<String> {
    let mut ids: Vec<String> = nodes(connection).iter().map(|n| n["id"].as_str().unwrap().to_string()).collect();
    ids.sort();
    ids
}

/// Creates an API key of `tenant` as the service role, with `secret` and the
/// extra input fields `extra` (e.g. `isActive`); returns its id.
pub(crate) async fn create_api_key(server: &TestServer, tenant: &str, secret: &str, extra: Value) -> String {
    let mut input = json!({
        "tenantId": tenant,
        "name": "integration",
        "key": secret,
        "permissions": { "orders": ["read", "write"], "products": ["read"] },
    });
    input.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
    let data = Caller::service(server).data(CREATE_API_KEY, json!({ "input": input })).await;
    data["createApiKey"]["id"].as_str().unwrap().to_string()
}

// ===========================================================================
// Callers
// ===========================================================================

/// Whoever sends requests to the orders endpoint: the credentials and any
/// other headers (e.g. `X-Forwarded-For`) sent with every request.
#[derive(Clone)]
struct Caller {
    http: reqwest::Client,
    endpoint: String,
    headers: Vec<(&'static str, String)>,
}

impl Caller {
    /// No credentials at all.
    fn anon(server: &TestServer) -> Caller {
        Caller { http: reqwest::Client::new(), endpoint: server.endpoint("orders"), headers: Vec::new() }
    }

    /// `Authorization: Bearer <token>`.
    fn bearer(server: &TestServer, token: &str) -> Caller {
        Caller::anon(server).with("authorization", format!("Bearer {token}"))
    }

    /// A signed-in user: a JWT of role `authenticated` whose `sub` is `id`.
    fn user(server: &TestServer, id: &str) -> Caller {
        Caller::bearer(server, &common::token("authenticated", Some(id), 3600))
    }

    /// The service role.
    fn service(server: &TestServer) -> Caller {
        Caller::bearer(server, &common::service_token())
    }

    /// `X-API-Key: <key>`.
    fn api_key(server: &TestServer, key: &str) -> Caller {
        Caller::anon(server).with("x-api-key", key)
    }

    /// The same caller, sending header `name` (lowercase) with `value` instead of any earlier one.
    fn with(mut self, name: &'static str, value: impl Into<String>) -> Caller {
        self.headers.retain(|(n, _)| *n != name);
        self.headers.push((name, value.into()));
        self
    }

    /// POSTs a query; returns the status and the JSON body.
    async fn send(&self, query: &str, variables: Value) -> (u16, Value) {
        let mut request = self.http.post(&self.endpoint).json(&json!({ "query": query, "variables": variables }));
        for (name, value) in &self.headers {
            request = request.header(*name, value);
        }
        let response = request.send().await.expect("request sent");
        let status = response.status().as_u16();
        (status, response.json().await.expect("JSON body"))
    }

    /// A query that must succeed (200, no errors); returns `data`.
    async fn data(&self, query: &str, variables: Value) -> Value {
        let (status, body) = self.send(query, variables).await;
        assert!(status == 200 && body.get("errors").is_none(), "expected success, got {status}: {body:#}");
        body["data"].clone()
    }

    /// A query that must execute (200) and fail; the `extensions.code` of its first error.
    async fn error_code(&self, query: &str, variables: Value) -> String {
        let (status, body) = self.send(query, variables).await;
        assert_eq!(status, 200, "{body:#}");
        body["errors"][0]["extensions"]["code"].as_str().unwrap_or_else(|| panic!("expected an error, got {body:#}")).to_string()
    }

    /// The status and first error code of [`PROBE`]: `(200, "")` when admitted.
    async fn admission(&self) -> (u16, String) {
        let (status, body) = self.send(PROBE, json!({})).await;
        let code = body["errors"][0]["extensions"]["code"].as_str().unwrap_or_default().to_string();
        if status == 200 {
            assert!(body.get("errors").is_none(), "admitted but failed: {body:#}");
        }
        (status, code)
    }

    /// `totalCount` of the root list `field`.
    async fn total(&self, field: &str) -> Value {
        self.data(&format!("{{ {field}(first: 1) {{ totalCount }} }}"), json!({})).await[field]["totalCount"].clone()
    }
}

/// What [`Caller::admission`] gives for an admitted request.
fn admitted() -> (u16, String) {
    (200, String::new())
}

/// What [`Caller::admission`] gives for a request refused with `status` and `code`.
fn refused(status: u16, code: &str) -> (u16, String) {
    (status, code.to_string())
}

// ===========================================================================
// Tenant isolation for JWT users
// ===========================================================================

/// Rows that cross tenants, which only SQL or the service role can write (a
/// tenant user may only refer to rows they can read): for each tenant t, an
/// order of t whose customer is the other tenant's customer 1
/// (`planted-order-t`), and an item of t in the other tenant's order 1
/// (`planted-item-t`). A relation or relation filter that forgot the rule of
/// the row it reaches would show them.
async fn plant_cross_tenant_rows(server: &TestServer) {
    server
        .db
        .exec(
            "INSERT INTO orders.orders (id, tenant_id, customer_id, status)
               SELECT md5('planted-order-' || t)::uuid, md5('tenant-' || t)::uuid, md5('customer-' || (3 - t) || '-1')::uuid, 'pending'
               FROM generate_series(1, 2) t;
             INSERT INTO orders.order_items (id, tenant_id, order_id, product_id, quantity)
               SELECT md5('planted-item-' || t)::uuid, md5('tenant-' || t)::uuid, md5('order-' || (3 - t) || '-1')::uuid, md5('product-' || t || '-1')::uuid, 1
               FROM generate_series(1, 2) t;",
        )
        .await;
}

/// A user of each tenant reads exactly their tenant's rows: root lists and
/// their totalCount, lookups by id (the other tenant's rows are null),
/// relations in both directions (rows of the other tenant pointing at one's
/// own rows are left out; a to-one onto the other tenant is null) and filters
/// across a relation (never matching the other tenant's rows).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tenant_users_read_only_their_own_tenant() {
    let server = seeded_open().await;
    plant_cross_tenant_rows(&server).await;
    for (me, other) in [(1, 2), (2, 1)] {
        let (_, user) = demo_user(&server, me, AGENT).await;
        let tenant = demo_id(&server, &format!("tenant-{me}")).await;
        let other_tenant = demo_id(&server, &format!("tenant-{other}")).await;
        let mine = demo_id(&server, &format!("customer-{me}-1")).await;
        let theirs = demo_id(&server, &format!("customer-{other}-1")).await;
        let who = format!("user of tenant {me}");

        // Root lists and their counts.
        for (field, table) in [("customers", "customers"), ("orders", "orders"), ("orderItems", "order_items"), ("users", "users")] {
            let data = user.data(&format!("{{ {field}(first: 1000) {{ totalCount nodes {{ tenantId }} }} }}"), json!({})).await;
            let list = &data[field];
            assert_eq!(list["totalCount"], sql_count(&server, &format!("{table} WHERE tenant_id = '{tenant}'")).await, "{who}: {field}");
            assert_eq!(json!(nodes(list).len()), list["totalCount"], "{who}: {field} nodes");
            assert!(nodes(list).iter().all(|n| n["tenantId"] == tenant.as_str()), "{who}: {field} of another tenant: {list}");
        }

        // Lookups by id, and the tenant's own relation.
        let data = user
            .data(
                "query($mine: UUID!, $theirs: UUID!, $tenant: UUID!, $other: UUID!) {
                   mine: customer(id: $mine) { id }
                   theirs: customer(id: $theirs) { id }
                   tenant(id: $tenant) { customers(first: 1000) { totalCount nodes { tenantId } } }
                   otherTenant: tenant(id: $other) { id }
                 }",
                json!({ "mine": mine, "theirs": theirs, "tenant": tenant, "other": other_tenant }),
            )
            .await;
        assert_eq!(data["mine"]["id"], mine.as_str(), "{who}: own customer");
        assert_eq!(data["theirs"], Value::Null, "{who}: the other tenant's customer is null");
        assert_eq!(data["otherTenant"], Value::Null, "{who}: the other tenant is null");
        let customers = &data["tenant"]["customers"];
        assert_eq!(customers["totalCount"], sql_count(&server, &format!("customers WHERE tenant_id = '{tenant}'")).await, "{who}");
        assert!(nodes(customers).iter().all(|n| n["tenantId"] == tenant.as_str()), "{who}: {customers}");

        // customer → orders → items: only the tenant's rows, though the
        // other tenant's planted order and item point at these parents.
        let order_1 = demo_id(&server, &format!("order-{me}-1")).await;
        let planted_below = [format!("orders WHERE customer_id = '{mine}'"), format!("order_items WHERE order_id = '{order_1}'")];
        for below in planted_below {
            assert_eq!(sql_count(&server, &format!("{below} AND tenant_id <> '{tenant}'")).await, 1, "planted: {below}");
        }
        let data = user
            .data(
                "query($id: UUID!) { customer(id: $id) { orders(first: 100) { nodes { id items(first: 100) { nodes { id } } } } } }",
                json!({ "id": mine }),
            )
            .await;
        let orders = &data["customer"]["orders"];
        let want_orders =
            sql_ids(&server, &format!("SELECT id::text AS id FROM orders.orders WHERE customer_id = '{mine}' AND tenant_id = '{tenant}'"))
                .await;
        assert_eq!(node_ids(orders), want_orders, "{who}: customer.orders");
        let mut items: Vec<String> = nodes(orders).iter().flat_map(|o| node_ids(&o["items"])).collect();
        items.sort();
        let want_items = sql_ids(
            &server,
            &format!(
                "SELECT i.id::text AS id FROM orders.order_items i JOIN orders.orders o ON o.id = i.order_id
                 WHERE o.customer_id = '{mine}' AND o.tenant_id = '{tenant}' AND i.tenant_id = '{tenant}'"
            ),
        )
        .await;
        assert_eq!(items, want_items, "{who}: order.items");

        // A to-one onto the other tenant's row is null (its key stays visible).
        let planted_order = demo_id(&server, &format!("planted-order-{me}")).await;
        let data = user.data("query($id: UUID!) { order(id: $id) { customerId customer { id } } }", json!({ "id": planted_order })).await;
        assert_eq!(data["order"]["customerId"], theirs.as_str(), "{who}: {data}");
        assert_eq!(data["order"]["customer"], Value::Null, "{who}: order.customer of another tenant");

        // Filters across a relation never match the other tenant's rows.
        let by_customer = "query($c: UUID!) { orders(filter: {customer: {id: {eq: $c}}}) { totalCount nodes { id } } }";
        let data = user.data(by_customer, json!({ "c": theirs })).await;
        assert_eq!(data["orders"]["totalCount"], 0, "{who}: orders whose customer is the other tenant's: {data}");
        assert!(nodes(&data["orders"]).is_empty(), "{who}: {data}");
        let data = user.data(by_customer, json!({ "c": mine })).await;
        assert_eq!(node_ids(&data["orders"]), want_orders, "{who}: the filter matches own rows");
    }
}

/// A user cannot touch another tenant's rows: updating or deleting one is
/// NOT_FOUND, creating a row in the other tenant or moving one's own row
/// there is FORBIDDEN, accepting the other tenant's proposed order is
/// NOT_FOUND — and none of it changes anything. The same writes within the
/// own tenant succeed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tenant_users_cannot_write_another_tenants_rows() {
    let server = seeded_open().await;
    let (_, user) = demo_user(&server, 1, AGENT).await;
    let (tenant, other_tenant) = (demo_id(&server, "tenant-1").await, demo_id(&server, "tenant-2").await);
    let (mine, theirs) = (demo_id(&server, "customer-1-2").await, demo_id(&server, "customer-2-1").await);
    let (mine_before, theirs_before) = (customer_row(&server, &mine).await, customer_row(&server, &theirs).await);
    assert!(mine_before.is_some() && theirs_before.is_some());
    let audit_before = sql_count(&server, "audit_logs").await;
    let orders_before = sql_count(&server, "orders").await;

    let code = user.error_code(UPDATE_CUSTOMER, json!({ "id": theirs, "patch": { "firstName": "Hijacked" } })).await;
    assert_eq!(code, "NOT_FOUND", "update of another tenant's customer");
    let code = user.error_code(DELETE_CUSTOMER, json!({ "id": theirs })).await;
    assert_eq!(code, "NOT_FOUND", "delete of another tenant's customer");
    assert_eq!(customer_row(&server, &theirs).await, theirs_before, "the other tenant's customer is unchanged");

    let intruder = json!({ "input": { "tenantId": other_tenant, "firstName": "Intruder", "lastName": "Planted" } });
    // The other tenant does not exist for this user: as for any unknown key.
    assert_eq!(user.error_code(CREATE_CUSTOMER, intruder).await, "FOREIGN_KEY_VIOLATION", "create in another tenant");
    assert_eq!(sql_count(&server, "customers WHERE first_name = 'Intruder'").await, 0, "nothing was created");

    let moved = json!({ "id": mine, "patch": { "tenantId": other_tenant, "company": "Moved Away" } });
    assert_eq!(user.error_code(UPDATE_CUSTOMER, moved).await, "FOREIGN_KEY_VIOLATION", "moving own customer to another tenant");
    assert_eq!(customer_row(&server, &mine).await, mine_before, "own customer is unchanged");

    let proposed = demo_id(&server, "proposed-order-2-1").await;
    let status_before = sql_value(&server, &format!("SELECT status AS v FROM orders.proposed_orders WHERE id = '{proposed}'")).await;
    let accept = "mutation($id: UUID!) { acceptProposedOrder(id: $id, expectedVersion: null) { id } }";
    assert_eq!(user.error_code(accept, json!({ "id": proposed })).await, "NOT_FOUND", "accepting another tenant's proposed order");
    let status = sql_value(&server, &format!("SELECT status AS v FROM orders.proposed_orders WHERE id = '{proposed}'")).await;
    assert_eq!(status, status_before, "the proposed order is unchanged");
    assert_eq!(sql_count(&server, "orders").await, orders_before, "no order was created");
    assert_eq!(sql_count(&server, "audit_logs").await, audit_before, "no refused write reached the audit trail");

    // Within the own tenant the same mutations work.
    let data = user.data(UPDATE_CUSTOMER, json!({ "id": mine, "patch": { "company": "Renamed Ltd" } })).await;
    assert_eq!(data["updateCustomer"]["company"], "Renamed Ltd");
    let own = json!({ "input": { "tenantId": tenant, "firstName": "Newcomer", "lastName": "Own" } });
    let created = user.data(CREATE_CUSTOMER, own).await["createCustomer"]["id"].as_str().unwrap().to_string();
    user.data(DELETE_CUSTOMER, json!({ "id": created })).await;
    assert_eq!(customer_row(&server, &created).await, None, "own customer deleted");
}

/// A token whose user is inactive, unknown or not even a uuid is signed in
/// (shared lookups such as industries are readable) but has no tenant: no
/// tenant row is visible and creating one is FORBIDDEN.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn users_without_an_active_account_have_no_tenant() {
    let server = seeded_open().await;
    let tenant = demo_id(&server, "tenant-1").await;
    let (inactive, _) = demo_user(&server, 1, AGENT).await;
    server.db.exec(&format!("UPDATE orders.users SET is_active = false WHERE id = '{inactive}'")).await;
    let unknown = uuid::Uuid::new_v4().to_string();
    let (of_inactive_tenant, _) = demo_user(&server, 2, AGENT).await;
    let tenant_2 = demo_id(&server, "tenant-2").await;
    server.db.exec(&format!("UPDATE orders.tenants SET is_active = false WHERE id = '{tenant_2}'")).await;
    for (who, sub) in [
        ("inactive user", inactive.as_str()),
        ("unknown user", unknown.as_str()),
        ("non-uuid sub", "someone"),
        ("user of an inactive tenant", of_inactive_tenant.as_str()),
    ] {
        let user = Caller::user(&server, sub);
        assert_eq!(user.total("industries").await, sql_count(&server, "industries").await, "{who}: signed in");
        for field in ["tenants", "users", "customers", "orders", "products"] {
            assert_eq!(user.total(field).await, 0, "{who}: {field}");
        }
        let input = json!({ "input": { "tenantId": tenant, "firstName": "Tenantless", "lastName": "User" } });
        // Without a tenant, no tenant row exists for them.
        assert_eq!(user.error_code(CREATE_CUSTOMER, input).await, "FOREIGN_KEY_VIOLATION", "{who}: create");
    }
    assert_eq!(sql_count(&server, "customers WHERE first_name = 'Tenantless'").await, 0, "nothing was created");
}

/// Tenant administration is for the tenant's admins: an agent may change
/// their own user row (not move it to another tenant) but not a colleague's,
/// cannot grant themself a role, and can neither see nor change the IP
/// allow-list or API keys. The admin does all of that, in their own tenant only;
/// an allow-list entry the admin adds through the API admits its network.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tenant_administration_is_for_tenant_admins() {
    // Entries stay active: everyone calls from tenant 1's gateway, via the proxy.
    let server = seeded(&["--trusted-proxies=127.0.0.1"]).await;
    let gateway = |caller: Caller| caller.with("x-forwarded-for", "203.0.113.1");
    let (agent_id, agent) = demo_user(&server, 1, AGENT).await;
    let (_, admin) = demo_user(&server, 1, ADMIN).await;
    let (agent, admin) = (gateway(agent), gateway(admin));
    let (tenant, other_tenant) = (demo_id(&server, "tenant-1").await, demo_id(&server, "tenant-2").await);
    let (colleague, stranger) = (demo_id(&server, "user-1-2").await, demo_id(&server, "user-2-2").await);

    // users
    let update_user = "mutation($id: UUID!, $patch: UserPatch!) { updateUser(id: $id, patch: $patch) { id username tenantId } }";
    let data = agent.data(update_user, json!({ "id": agent_id, "patch": { "username": "renamed_agent" } })).await;
    assert_eq!(data["updateUser"]["username"], "renamed_agent", "own user row");
    let moved = json!({ "id": agent_id, "patch": { "tenantId": other_tenant } });
    // `tenant_id` is fixed once the row exists: refused before the database is asked.
    assert_eq!(agent.error_code(update_user, moved).await, "FORBIDDEN", "moving oneself to another tenant");
    // Only tenant admins (re)activate users, and logins are recorded by the service.
    let reactivate = json!({ "id": agent_id, "patch": { "isActive": true } });
    assert_eq!(agent.error_code(update_user, reactivate).await, "FORBIDDEN", "an agent changing their own is_active");
    let login = json!({ "id": agent_id, "patch": { "lastLogin": "2026-01-01T00:00:00Z" } });
    assert_eq!(agent.error_code(update_user, login.clone()).await, "FORBIDDEN", "last_login is the service's");
    assert_eq!(admin.error_code(update_user, login).await, "FORBIDDEN", "last_login is the service's, admins included");
    let colleague_off = json!({ "id": colleague, "patch": { "isActive": false } });
    assert!(admin.data(update_user, colleague_off).await["updateUser"]["id"].is_string(), "an admin deactivates a colleague");
    server.db.exec(&format!("UPDATE orders.users SET is_active = true WHERE id = '{colleague}'")).await;
    let rename = |id: &str| json!({ "id": id, "patch": { "username": "renamed_by_other" } });
    assert_eq!(agent.error_code(update_user, rename(&colleague)).await, "FORBIDDEN", "agent changing a colleague");
    assert_eq!(admin.error_code(update_user, rename(&stranger)).await, "NOT_FOUND", "admin changing another tenant's user");
    assert_eq!(sql_count(&server, "users WHERE username = 'renamed_by_other'").await, 0);
    assert_eq!(
        sql_value(&server, &format!("SELECT tenant_id::text AS v FROM orders.users WHERE id = '{agent_id}'")).await,
        tenant.as_str()
    );
    admin.data(update_user, rename(&colleague)).await;

    // user_roles
    let grant = "mutation($input: UserRoleCreateInput!) { createUserRole(input: $input) { id } }";
    let admin_role = demo_id(&server, "role-admin").await;
    let assignment = |tenant: &str| json!({ "input": { "userId": agent_id, "roleId": admin_role, "tenantId": tenant } });
    assert_eq!(agent.error_code(grant, assignment(&tenant)).await, "FORBIDDEN", "agent granting themself admin");
    assert_eq!(admin.error_code(grant, assignment(&other_tenant)).await, "FOREIGN_KEY_VIOLATION", "admin granting in another tenant");
    assert_eq!(sql_count(&server, &format!("user_roles WHERE user_id = '{agent_id}' AND role_id = '{admin_role}'")).await, 0);

    // ip_allowlist
    let entries = "{ ipAllowlist { totalCount nodes { tenantId ipAddress } } }";
    assert_eq!(agent.data(entries, json!({})).await["ipAllowlist"]["totalCount"], 0, "agent reads no entries");
    let seen = admin.data(entries, json!({})).await;
    let own = sql_count(&server, "ip_allowlist WHERE tenant_id = md5('tenant-1')::uuid").await;
    assert_eq!(seen["ipAllowlist"]["totalCount"], own, "admin reads the tenant's entries: {seen}");
    assert!(nodes(&seen["ipAllowlist"]).iter().all(|n| n["tenantId"] == tenant.as_str()), "{seen}");
    let entry = demo_id(&server, "ip-allowlist-1-2").await;
    let disable = "mutation($id: UUID!) { updateIpAllowlistEntry(id: $id, patch: {isActive: false}) { id } }";
    assert_eq!(agent.error_code(disable, json!({ "id": entry })).await, "NOT_FOUND", "agent disabling an entry");
    assert_eq!(sql_value(&server, &format!("SELECT is_active AS v FROM orders.ip_allowlist WHERE id = '{entry}'")).await, true);
    let add = "mutation($input: IpAllowlistEntryCreateInput!) { createIpAllowlistEntry(input: $input) { id ipAddress } }";
    let network = |tenant: &str| json!({ "input": { "tenantId": tenant, "ipAddress": "198.51.100.0/24", "isActive": true } });
    assert_eq!(agent.error_code(add, network(&tenant)).await, "FORBIDDEN", "agent adding an entry");
    assert_eq!(admin.error_code(add, network(&other_tenant)).await, "FOREIGN_KEY_VIOLATION", "admin adding to another tenant");
    let from_new_network = demo_user(&server, 1, AGENT).await.1.with("x-forwarded-for", "198.51.100.7");
    assert_eq!(from_new_network.admission().await, refused(403, "FORBIDDEN"), "before the admin lists the network");
    admin.data(add, network(&tenant)).await;
    assert_eq!(from_new_network.admission().await, admitted(), "after the admin lists the network");

    // api_keys
    let key = |tenant: &str| json!({ "input": { "tenantId": tenant, "name": "by a user", "key": "user-made-secret", "permissions": { "orders": ["read"] } } });
    assert_eq!(agent.total("apiKeys").await, 0, "agent reads no keys");
    assert_eq!(admin.total("apiKeys").await, sql_count(&server, &format!("api_keys WHERE tenant_id = '{tenant}'")).await);
    assert_eq!(agent.error_code(CREATE_API_KEY, key(&tenant)).await, "FORBIDDEN", "agent creating a key");
    assert_eq!(
        admin.error_code(CREATE_API_KEY, key(&other_tenant)).await,
        "FOREIGN_KEY_VIOLATION",
        "admin creating a key for another tenant"
    );
    let created = admin.data(CREATE_API_KEY, key(&tenant)).await["createApiKey"]["id"].as_str().unwrap().to_string();
    assert_eq!(sql_count(&server, "api_keys WHERE name = 'by a user'").await, 1);
    let made = gateway(Caller::api_key(&server, &format!("{created}.user-made-secret")));
    assert_eq!(
        made.total("orders").await,
        sql_count(&server, &format!("orders WHERE tenant_id = '{tenant}'")).await,
        "the admin's key works"
    );
}

// ===========================================================================
// Anonymous callers and the service role
// ===========================================================================

/// Without credentials (or with an `anon` token) no orders table shows a row,
/// lookups are null, and creating is FORBIDDEN and writes nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn anonymous_callers_see_nothing_and_cannot_write() {
    let server = seeded(&[]).await;
    let tenant = demo_id(&server, "tenant-1").await;
    let customer = demo_id(&server, "customer-1-1").await;
    let tables = [
        ("tenants", "tenants"),
        ("users", "users"),
        ("customers", "customers"),
        ("orders", "orders"),
        ("products", "products"),
        ("industries", "industries"),
        ("roles", "roles"),
        ("messages", "messages"),
        ("apiKeys", "api_keys"),
        ("auditLogs", "audit_logs"),
    ];
    for (_, table) in tables {
        assert_ne!(sql_count(&server, table).await, 0, "the demo data fills {table}");
    }
    let anon_token = common::token("anon", None, 3600);
    for (who, anon) in [("no credentials", Caller::anon(&server)), ("anon token", Caller::bearer(&server, &anon_token))] {
        for (field, _) in tables {
            assert_eq!(anon.total(field).await, 0, "{who}: {field}");
        }
        let data = anon
            .data("query($t: UUID!, $c: UUID!) { tenant(id: $t) { id } customer(id: $c) { id } }", json!({ "t": tenant, "c": customer }))
            .await;
        assert_eq!(data, json!({ "tenant": null, "customer": null }), "{who}");
        let input = json!({ "input": { "tenantId": tenant, "firstName": "Anonymous", "lastName": "Caller" } });
        // No tenant exists for anonymous callers.
        assert_eq!(anon.error_code(CREATE_CUSTOMER, input).await, "FOREIGN_KEY_VIOLATION", "{who}: create");
    }
    assert_eq!(sql_count(&server, "customers WHERE first_name = 'Anonymous'").await, 0, "nothing was created");
}

/// The service role passes every rule (and the allow-list): it sees both
/// tenants, in total and per tenant, exactly as SQL counts them.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_service_role_sees_every_tenant() {
    let server = seeded(&[]).await;
    let service = Caller::service(&server);
    for (field, table) in [
        ("tenants", "tenants"),
        ("users", "users"),
        ("customers", "customers"),
        ("orders", "orders"),
        ("apiKeys", "api_keys"),
        ("auditLogs", "audit_logs"),
    ] {
        assert_eq!(service.total(field).await, sql_count(&server, table).await, "{field}");
    }
    assert_eq!(service.total("tenants").await, 2);
    for t in [1, 2] {
        let tenant = demo_id(&server, &format!("tenant-{t}")).await;
        let customer = demo_id(&server, &format!("customer-{t}-1")).await;
        let data = service
            .data(
                "query($t: UUID!, $c: UUID!) {
                   customers(filter: {tenantId: {eq: $t}}) { totalCount }
                   orders(filter: {tenantId: {eq: $t}}) { totalCount }
                   tenant(id: $t) { customers { totalCount } }
                   customer(id: $c) { tenantId }
                 }",
                json!({ "t": tenant, "c": customer }),
            )
            .await;
        let customers = sql_count(&server, &format!("customers WHERE tenant_id = '{tenant}'")).await;
        assert_eq!(data["customers"]["totalCount"], customers, "tenant {t}");
        assert_eq!(data["tenant"]["customers"]["totalCount"], customers, "tenant {t}");
        assert_eq!(data["orders"]["totalCount"], sql_count(&server, &format!("orders WHERE tenant_id = '{tenant}'")).await, "tenant {t}");
        assert_eq!(data["customer"]["tenantId"], tenant.as_str(), "tenant {t}");
    }
}

// ===========================================================================
// Audit trail
// ===========================================================================

/// Tenant admins read their own tenant's audit rows (all of them, and no
/// other); an agent reads none. A write through the API is recorded with the
/// writer's user id as `changed_by`, visible to the writer's admin only.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn audit_trail_is_for_tenant_admins_and_names_the_writer() {
    let server = seeded_open().await;
    let all = "{ auditLogs(first: 1000) { totalCount nodes { tableName oldData newData } } }";
    for t in [1, 2] {
        let tenant = demo_id(&server, &format!("tenant-{t}")).await;
        let (_, admin) = demo_user(&server, t, ADMIN).await;
        let logs = admin.data(all, json!({})).await["auditLogs"].clone();
        let want =
            sql_count(&server, &format!("audit_logs WHERE new_data->>'tenant_id' = '{tenant}' OR old_data->>'tenant_id' = '{tenant}'"))
                .await;
        assert_ne!(want, 0, "the demo data is audited");
        assert_eq!(logs["totalCount"], want, "admin of tenant {t}");
        assert_eq!(json!(nodes(&logs).len()), want, "admin of tenant {t}: nodes");
        for n in nodes(&logs) {
            assert!(
                n["newData"]["tenant_id"] == tenant.as_str() || n["oldData"]["tenant_id"] == tenant.as_str(),
                "admin of tenant {t} sees {n}"
            );
        }
        let (_, agent) = demo_user(&server, t, AGENT).await;
        assert_eq!(agent.total("auditLogs").await, 0, "agent of tenant {t}");
    }

    let (agent_id, agent) = demo_user(&server, 1, AGENT).await;
    let customer = demo_id(&server, "customer-1-1").await;
    agent.data(UPDATE_CUSTOMER, json!({ "id": customer, "patch": { "company": "Audited Ltd" } })).await;
    let changed_by = server
        .db
        .rows(&format!(
            "SELECT changed_by::text AS v FROM orders.audit_logs
             WHERE table_name = 'customers' AND action = 'UPDATE' AND new_data->>'id' = '{customer}'"
        ))
        .await;
    assert_eq!(changed_by, vec![json!({ "v": agent_id })], "one audit row, naming the writer");

    let updates = "{ auditLogs(filter: {tableName: {eq: \"customers\"}, action: {eq: \"UPDATE\"}}) { nodes { changedBy newData } } }";
    let (_, admin) = demo_user(&server, 1, ADMIN).await;
    let seen = admin.data(updates, json!({})).await;
    let rows = nodes(&seen["auditLogs"]);
    assert_eq!(rows.len(), 1, "{seen}");
    assert_eq!(rows[0]["changedBy"], agent_id.as_str());
    assert_eq!(rows[0]["newData"]["company"], "Audited Ltd");
    let (_, other_admin) = demo_user(&server, 2, ADMIN).await;
    assert!(nodes(&other_admin.data(updates, json!({})).await["auditLogs"]).is_empty(), "another tenant's admin does not see it");
}

// ===========================================================================
// API keys
// ===========================================================================

/// An active key with `orders: read/write, products: read` acts for its
/// tenant: it lists the tenant's orders and products (not the other
/// tenant's), writes orders, may not write products (FORBIDDEN), and reads no
/// customers (not granted). The secret is stored as an argon2id hash.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn api_keys_act_for_their_tenant_within_their_permissions() {
    let server = seeded_open().await;
    let tenant = demo_id(&server, "tenant-1").await;
    let secret = "qk-integration-secret-1";
    let id = create_api_key(&server, &tenant, secret, json!({})).await;
    let stored = sql_value(&server, &format!("SELECT key AS v FROM orders.api_keys WHERE id = '{id}'")).await;
    let stored = stored.as_str().unwrap();
    assert!(stored.starts_with("$argon2id$") && !stored.contains(secret), "the key is stored hashed: {stored}");
    let key = Caller::api_key(&server, &format!("{id}.{secret}"));

    for (field, table) in [("orders", "orders"), ("products", "products")] {
        let data = key.data(&format!("{{ {field}(first: 1000) {{ totalCount nodes {{ tenantId }} }} }}"), json!({})).await;
        assert_eq!(data[field]["totalCount"], sql_count(&server, &format!("{table} WHERE tenant_id = '{tenant}'")).await, "{field}");
        assert!(nodes(&data[field]).iter().all(|n| n["tenantId"] == tenant.as_str()), "{field} of another tenant: {data}");
    }
    let (their_order, their_product) = (demo_id(&server, "order-2-1").await, demo_id(&server, "product-2-1").await);
    let data = key
        .data(
            "query($o: UUID!, $p: UUID!) { order(id: $o) { id } product(id: $p) { id } }",
            json!({ "o": their_order, "p": their_product }),
        )
        .await;
    assert_eq!(data, json!({ "order": null, "product": null }), "the other tenant's rows");

    // Not granted: customers.
    assert_eq!(key.total("customers").await, 0, "customers are not granted");
    let customer = demo_id(&server, "customer-1-1").await;
    let data = key
        .data(
            "query($c: UUID!, $o: UUID!) {
               customer(id: $c) { id }
               order(id: $o) { customerId customer { id } }
               orders(filter: {customer: {id: {eq: $c}}}) { totalCount }
             }",
            json!({ "c": customer, "o": demo_id(&server, "order-1-1").await }),
        )
        .await;
    assert_eq!(data["customer"], Value::Null, "lookup: {data}");
    assert_eq!(data["order"]["customerId"], customer.as_str(), "{data}");
    assert_eq!(data["order"]["customer"], Value::Null, "relation onto an ungranted table: {data}");
    assert_eq!(data["orders"]["totalCount"], 0, "filter across a relation onto an ungranted table: {data}");

    // Read-only: products.
    let product = json!({ "input": { "tenantId": tenant, "name": "Key-made product" } });
    let create_product = "mutation($input: ProductCreateInput!) { createProduct(input: $input) { id } }";
    assert_eq!(key.error_code(create_product, product).await, "FORBIDDEN", "products are read-only for the key");
    assert_eq!(sql_count(&server, "products WHERE name = 'Key-made product'").await, 0);

    // Read/write: orders, of its own tenant only.
    let update_order = "mutation($id: UUID!, $notes: String) { updateOrder(id: $id, patch: {notes: $notes}) { notes } }";
    let order = demo_id(&server, "order-1-1").await;
    let data = key.data(update_order, json!({ "id": order, "notes": "written with a key" })).await;
    assert_eq!(data["updateOrder"]["notes"], "written with a key");
    assert_eq!(key.error_code(update_order, json!({ "id": their_order, "notes": "x" })).await, "NOT_FOUND");
    let notes = sql_value(&server, &format!("SELECT notes AS v FROM orders.orders WHERE id = '{their_order}'")).await;
    assert_ne!(notes, "x", "the other tenant's order is unchanged");
}

/// Keys that do not verify get 401 UNAUTHENTICATED: inactive, expired, a
/// wrong secret, an unknown id, a malformed key, the demo data's fake hashes.
/// The `key` column cannot even be selected.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn api_keys_that_do_not_verify_are_refused() {
    let server = seeded_open().await;
    let tenant = demo_id(&server, "tenant-1").await;
    let unauthenticated = refused(401, "UNAUTHENTICATED");

    let inactive = create_api_key(&server, &tenant, "inactive-secret", json!({ "isActive": false })).await;
    assert_eq!(Caller::api_key(&server, &format!("{inactive}.inactive-secret")).admission().await, unauthenticated, "inactive key");

    let expiring = create_api_key(&server, &tenant, "expiring-secret", json!({})).await;
    let caller = Caller::api_key(&server, &format!("{expiring}.expiring-secret"));
    assert_eq!(caller.admission().await, admitted(), "the key works before it expires");
    server.db.exec(&format!("UPDATE orders.api_keys SET expires_at = now() - interval '1 minute' WHERE id = '{expiring}'")).await;
    assert_eq!(caller.admission().await, unauthenticated, "expired key");

    let active = create_api_key(&server, &tenant, "right-secret", json!({})).await;
    assert_eq!(Caller::api_key(&server, &format!("{active}.right-secret")).admission().await, admitted());
    let demo_key = demo_id(&server, "api-key-1-1").await;
    for (why, presented) in [
        ("wrong secret", format!("{active}.wrong-secret")),
        ("unknown id", format!("{}.right-secret", uuid::Uuid::new_v4())),
        ("no separator", active.clone()),
        ("demo key with a fake hash", format!("{demo_key}.qk_demo_1_1")),
    ] {
        assert_eq!(Caller::api_key(&server, &presented).admission().await, unauthenticated, "{why}");
    }

    // The hash is write-only: not part of the schema, even for the service role.
    let service = Caller::service(&server);
    for query in ["{ apiKeys { nodes { id key } } }", "query($id: UUID!) { apiKey(id: $id) { key } }"] {
        assert_eq!(service.error_code(query, json!({ "id": active })).await, "GRAPHQL_VALIDATION_FAILED", "{query}");
    }
}

// ===========================================================================
// IP allow-list
// ===========================================================================

/// Without trusted proxies the client address is the peer (127.0.0.1): a
/// tenant with active entries refuses it (403 FORBIDDEN) whatever
/// `X-Forwarded-For` claims, for users and API keys alike, until an active
/// entry lists it; a tenant without active entries admits any address.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ip_allow_list_judges_the_peer_address() {
    let server = seeded(&[]).await;
    // The demo data admits loopback for local exploring; here it is a stranger.
    server.db.exec("UPDATE orders.ip_allowlist SET is_active = false WHERE ip_address <<= '127.0.0.0/8' OR ip_address = '::1/128'").await;
    let forbidden = refused(403, "FORBIDDEN");
    let (_, user_1) = demo_user(&server, 1, AGENT).await;
    let (_, user_2) = demo_user(&server, 2, AGENT).await;
    let tenant_2 = demo_id(&server, "tenant-2").await;
    let key_id = create_api_key(&server, &tenant_2, "allow-list-secret", json!({})).await;
    let key_2 = Caller::api_key(&server, &format!("{key_id}.allow-list-secret"));

    assert_eq!(user_1.admission().await, forbidden, "127.0.0.1 is not listed");
    assert_eq!(user_1.clone().with("x-forwarded-for", "203.0.113.1").admission().await, forbidden, "a spoofed X-Forwarded-For is ignored");
    assert_eq!(key_2.admission().await, forbidden, "API keys are held to the allow-list too");

    // An active entry for 127.0.0.1 admits tenant 1, and only tenant 1.
    server
        .db
        .exec(
            "INSERT INTO orders.ip_allowlist (tenant_id, ip_address, description, is_active)
             VALUES (md5('tenant-1')::uuid, '127.0.0.1/32', 'loopback', true),
                    (md5('tenant-2')::uuid, '127.0.0.1/32', 'loopback, disabled', false)",
        )
        .await;
    assert_eq!(user_1.admission().await, admitted(), "listed");
    assert_eq!(user_1.total("customers").await, sql_count(&server, "customers WHERE tenant_id = md5('tenant-1')::uuid").await);
    assert_eq!(user_2.admission().await, forbidden, "an inactive entry admits nobody");

    // A tenant with no active entries admits any address.
    server.db.exec("UPDATE orders.ip_allowlist SET is_active = false WHERE tenant_id = md5('tenant-2')::uuid").await;
    assert_eq!(user_2.admission().await, admitted(), "no active entries");
    assert_eq!(key_2.admission().await, admitted(), "no active entries (API key)");
}

/// Behind a trusted proxy (127.0.0.1) the client address is the nearest
/// untrusted hop of `X-Forwarded-For`: a tenant's listed networks are
/// admitted, other addresses (or another tenant's networks) get 403.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ip_allow_list_judges_the_address_a_trusted_proxy_forwards() {
    let server = seeded(&["--trusted-proxies=127.0.0.1"]).await;
    // The demo data admits loopback for local exploring; here it is the proxy's address only.
    server.db.exec("UPDATE orders.ip_allowlist SET is_active = false WHERE ip_address <<= '127.0.0.0/8' OR ip_address = '::1/128'").await;
    let forbidden = refused(403, "FORBIDDEN");
    let (_, user_1) = demo_user(&server, 1, AGENT).await;
    let (_, user_2) = demo_user(&server, 2, AGENT).await;
    let from = |user: &Caller, chain: &str| user.clone().with("x-forwarded-for", chain);

    assert_eq!(from(&user_1, "203.0.113.1").admission().await, admitted(), "tenant 1's warehouse gateway");
    assert_eq!(from(&user_1, "10.1.20.30").admission().await, admitted(), "tenant 1's office network");
    assert_eq!(from(&user_2, "203.0.113.2").admission().await, admitted(), "tenant 2's warehouse gateway");
    assert_eq!(from(&user_1, "198.51.100.1").admission().await, forbidden, "an unlisted address");
    assert_eq!(from(&user_2, "203.0.113.1").admission().await, forbidden, "another tenant's network");
    assert_eq!(user_1.admission().await, forbidden, "no header: the proxy itself, unlisted");
    // The proxy appends the real client; what the client sent before it counts for nothing.
    assert_eq!(from(&user_1, "203.0.113.1, 198.51.100.1").admission().await, forbidden, "a prepended listed address");
    assert_eq!(from(&user_1, "198.51.100.1, 203.0.113.1").admission().await, admitted(), "the nearest hop is listed");
}

// ===========================================================================
// Subscriptions
// ===========================================================================

/// The `new` row of the next `customerChanged` event of subscription `id`.
async fn next_customer_change(ws: &mut WsClient, id: &str) -> Value {
    let payload = ws.next_data(id).await;
    assert!(payload.get("errors").is_none(), "unexpected errors: {payload}");
    payload["data"]["customerChanged"]["new"].clone()
}

/// `customerChanged` delivers a tenant user only their tenant's customers
/// (in commit order, so the other tenant's earlier change was skipped, not
/// delayed), while a service-role subscriber receives both.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn customer_changes_reach_only_subscribers_of_the_same_tenant() {
    let server = seeded_open().await;
    let subscription = "subscription { customerChanged(events: [UPDATE]) { event new { id tenantId company } } }";
    let mut subscribers = Vec::new();
    for t in [1, 2] {
        let user = demo_id(&server, &format!("user-{t}-{AGENT}")).await;
        subscribers.push(WsClient::connect_as(&server.base, "orders", &common::token("authenticated", Some(&user), 3600)).await);
    }
    subscribers.push(WsClient::connect(&server.base, "orders").await);
    for ws in &mut subscribers {
        ws.subscribe("c", subscription, json!({})).await;
    }
    tokio::time::sleep(Duration::from_millis(300)).await;

    let (customer_1, customer_2) = (demo_id(&server, "customer-1-1").await, demo_id(&server, "customer-2-1").await);
    server.db.exec(&format!("UPDATE orders.customers SET company = 'second tenant' WHERE id = '{customer_2}'")).await;
    server.db.exec(&format!("UPDATE orders.customers SET company = 'first tenant' WHERE id = '{customer_1}'")).await;

    let [user_1, user_2, service] = &mut subscribers[..] else { unreachable!() };
    assert_eq!(next_customer_change(user_1, "c").await["id"], customer_1.as_str(), "tenant 1's user: only tenant 1's change");
    assert_eq!(next_customer_change(user_2, "c").await["id"], customer_2.as_str(), "tenant 2's user: only tenant 2's change");
    assert_eq!(next_customer_change(service, "c").await["id"], customer_2.as_str(), "service role: both, in commit order");
    assert_eq!(next_customer_change(service, "c").await["id"], customer_1.as_str(), "service role: both, in commit order");
    for ws in &mut subscribers {
        ws.expect_silence(Duration::from_secs(1)).await;
    }
}

// ===========================================================================
// References across tenants
// ===========================================================================

/// A write may point a foreign key only at a row its writer may read: naming
/// another tenant's customer, order or product fails exactly as naming a
/// customer that does not exist (same code, constraint and message), on
/// create and on update, and nothing is written. The service role may.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn references_to_another_tenants_rows_fail_as_if_they_did_not_exist() {
    let server = seeded_open().await;
    let (tenant_1, customer_1) = (demo_id(&server, "tenant-1").await, demo_id(&server, "customer-1-1").await);
    let theirs = demo_id(&server, "customer-2-1").await;
    let nobody = uuid::Uuid::new_v4().to_string();
    let (_, agent) = demo_user(&server, 1, AGENT).await;
    let create = "mutation($input: OrderCreateInput!) { createOrder(input: $input) { id customerId } }";
    let order_with = |customer: &str| json!({ "input": { "tenantId": tenant_1, "customerId": customer, "status": "new" } });
    let error_of = |body: &Value| {
        let e = &body["errors"][0];
        (e["extensions"]["code"].clone(), e["extensions"]["constraint"].clone(), e["message"].clone())
    };
    let (_, missing) = agent.send(create, order_with(&nobody)).await;
    let (_, foreign) = agent.send(create, order_with(&theirs)).await;
    assert_eq!(missing["errors"][0]["extensions"]["code"], "FOREIGN_KEY_VIOLATION", "{missing:#}");
    assert_eq!(error_of(&foreign), error_of(&missing), "another tenant's customer looks like no customer");
    assert_eq!(sql_count(&server, &format!("orders WHERE customer_id = '{theirs}' AND tenant_id = '{tenant_1}'")).await, 0);

    // Their own customer is fine; moving the order to the other tenant's customer is not.
    let own = agent.data(create, order_with(&customer_1)).await["createOrder"]["id"].as_str().unwrap().to_string();
    let update = "mutation($id: UUID!, $patch: OrderPatch!) { updateOrder(id: $id, patch: $patch) { customerId } }";
    let (_, moved) = agent.send(update, json!({ "id": own, "patch": { "customerId": theirs } })).await;
    assert_eq!(moved["errors"][0]["extensions"]["code"], "FOREIGN_KEY_VIOLATION", "{moved:#}");
    assert_eq!(
        sql_value(&server, &format!("SELECT customer_id::text AS v FROM orders.orders WHERE id = '{own}'")).await,
        customer_1.as_str()
    );
    // Clearing a reference, or changing other columns, needs no check.
    agent.data(update, json!({ "id": own, "patch": { "customerId": null } })).await;

    // An order item in the agent's order, but of the other tenant's product.
    let their_product =
        sql_value(&server, &format!("SELECT id::text AS v FROM orders.products WHERE tenant_id <> '{tenant_1}' LIMIT 1")).await;
    let item = "mutation($input: OrderItemCreateInput!) { createOrderItem(input: $input) { id } }";
    let (_, body) =
        agent.send(item, json!({ "input": { "tenantId": tenant_1, "orderId": own, "productId": their_product, "quantity": 1 } })).await;
    assert_eq!(body["errors"][0]["extensions"]["code"], "FOREIGN_KEY_VIOLATION", "{body:#}");

    // The service role is bound by the database's keys only.
    let service = Caller::service(&server);
    assert_eq!(service.data(create, order_with(&theirs)).await["createOrder"]["customerId"], theirs.as_str());
}

// ===========================================================================
// The live proposed order
// ===========================================================================

/// `proposedOrder(callId)` streams the proposed order's inserts, updates and
/// deletes to users of the call's tenant; a user of the other tenant who
/// knows the call's id subscribes and hears nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn proposed_order_streams_reach_only_the_calls_tenant() {
    let server = seeded_open().await;
    let (tenant_1, customer_1) = (demo_id(&server, "tenant-1").await, demo_id(&server, "customer-1-1").await);
    let call = sql_value(&server, &format!("SELECT id::text AS v FROM orders.call_logs WHERE tenant_id = '{tenant_1}' LIMIT 1")).await;
    let call = call.as_str().unwrap();
    let subscription = "subscription($call: UUID!) { proposedOrder(callId: $call) { event new { status } old { status } } }";
    let mut listeners = Vec::new();
    for t in [1, 2] {
        let user = demo_id(&server, &format!("user-{t}-{AGENT}")).await;
        let mut ws = WsClient::connect_as(&server.base, "orders", &common::token("authenticated", Some(&user), 3600)).await;
        ws.subscribe("p", subscription, json!({ "call": call })).await;
        listeners.push(ws);
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    let id = uuid::Uuid::new_v4();
    server
        .db
        .exec(&format!(
            "INSERT INTO orders.proposed_orders (id, tenant_id, customer_id, call_id, status) VALUES ('{id}', '{tenant_1}', '{customer_1}', '{call}', 'draft')"
        ))
        .await;
    server.db.exec(&format!("UPDATE orders.proposed_orders SET status = 'ready' WHERE id = '{id}'")).await;
    server.db.exec(&format!("DELETE FROM orders.proposed_orders WHERE id = '{id}'")).await;
    let [same_tenant, other_tenant] = &mut listeners[..] else { unreachable!() };
    let mut seen = Vec::new();
    for _ in 0..3 {
        let payload = same_tenant.next_data("p").await;
        let e = &payload["data"]["proposedOrder"];
        seen.push((e["event"].clone(), e["new"]["status"].clone(), e["old"]["status"].clone()));
    }
    assert_eq!(
        seen,
        vec![
            (json!("INSERT"), json!("draft"), Value::Null),
            (json!("UPDATE"), json!("ready"), json!("draft")),
            (json!("DELETE"), Value::Null, json!("ready")),
        ]
    );
    other_tenant.expect_silence(Duration::from_secs(1)).await;
}
