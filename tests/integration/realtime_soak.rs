//! A randomized soak of realtime, bounded in time (a few seconds of writes):
//! concurrent writers over two apps (through the API and in plain SQL, with
//! random commit delays), subscribers with filters and row rules of different
//! users and tenants, random disconnects and resumes, the listener killed with
//! `pg_terminate_backend`, and a prune while subscribers resume. Afterwards
//! each subscriber's received sequence is compared with the ground truth
//! computed from the outbox and the rules: nothing lost, duplicated, out of
//! order or leaked. The seed is printed; `QUIVER_SOAK_SEED=<n>` replays one.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use diesel_async::SimpleAsyncConnection;
use serde_json::{json, Value};

use crate::common::ws::WsClient;
use crate::common::{self, TestServer};

/// How long the writers write.
const WRITE_FOR: Duration = Duration::from_secs(6);

/// A small deterministic generator (xorshift64*).
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

type Cur = (i64, i64);

fn parse_cursor(c: &str) -> Cur {
    let (a, b) = c.split_once('.').unwrap_or_else(|| panic!("cursor {c}"));
    (a.parse().unwrap(), b.parse().unwrap())
}

/// Who a subscriber is, as far as the rules go.
#[derive(Clone, Debug)]
enum Reader {
    Service,
    /// A studio user who is a member of this team (and owns no kit).
    TeamMember(String),
    /// An orders API key of this tenant (customers: `Tenant`).
    Tenant(String),
    /// An orders API key of this tenant (preferences: `Via` the customer).
    ViaCustomerOf(String),
}

/// One subscriber: what it asks for and who it is.
#[derive(Clone, Debug)]
struct Sub {
    name: &'static str,
    app: &'static str,
    field: &'static str,
    table: &'static str,
    /// Selected fields: (GraphQL name, column name).
    fields: &'static [(&'static str, &'static str)],
    ops: &'static [&'static str],
    /// An equality filter: (GraphQL field, column, value).
    filter: Option<(&'static str, &'static str, String)>,
    reader: Reader,
    init: Value,
}

impl Sub {
    fn query(&self) -> String {
        let selection: Vec<&str> = self.fields.iter().map(|(g, _)| *g).collect();
        let selection = selection.join(" ");
        let filter = self.filter.as_ref().map(|(f, _, v)| format!(", filter: {{{f}: {{eq: \"{v}\"}}}}")).unwrap_or_default();
        format!(
            "subscription($after: String) {{ {}(after: $after, events: [{}]{filter}) {{ event cursor new {{ {selection} }} old {{ {selection} }} }} }}",
            self.field,
            self.ops.join(", ")
        )
    }
}

/// One received event: cursor, operation, the two images as selected.
#[derive(Debug, Clone, PartialEq)]
struct Ev {
    cursor: Cur,
    op: String,
    new: Value,
    old: Value,
}

/// A stretch of one subscriber's stream: from one `after` to a disconnect,
/// an expiry or the end.
#[derive(Debug)]
struct Segment {
    after: Cur,
    events: Vec<Ev>,
    end: End,
}

#[derive(Debug, PartialEq)]
enum End {
    Disconnected,
    Expired,
    Final,
}

const MAX_ID: i64 = i64::MAX;

/// How far the outbox has been pruned.
async fn pruned_through(url: &str) -> i64 {
    use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
    #[derive(diesel::QueryableByName)]
    struct P {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        p: i64,
    }
    let mut conn = AsyncPgConnection::establish(url).await.unwrap();
    let p: P = diesel::sql_query("SELECT pruned_through AS p FROM quiver.outbox_state").get_result(&mut conn).await.unwrap();
    p.p
}

async fn run_subscriber(
    base: String,
    db_url: String,
    sub: Sub,
    start: Cur,
    seed: u64,
    stop: Arc<AtomicBool>,
    mut go: tokio::sync::watch::Receiver<bool>,
) -> Vec<Segment> {
    let mut rng = Rng::new(seed);
    let _ = go.wait_for(|g| *g).await;
    let mut segments = Vec::new();
    let mut after = start;
    loop {
        let mut ws = WsClient::connect_with(&base, sub.app, "graphql-transport-ws", sub.init.clone()).await;
        ws.subscribe("s", &sub.query(), json!({ "after": format!("{}.{}", after.0, after.1) })).await;
        let budget = 3 + rng.below(40) as usize;
        let mut seg = Segment { after, events: Vec::new(), end: End::Final };
        loop {
            let stopping = stop.load(Ordering::SeqCst);
            let Some(msg) = ws.next_message_within(if stopping { Duration::from_millis(2500) } else { Duration::from_secs(1) }).await
            else {
                if stopping {
                    seg.end = End::Final;
                    segments.push(seg);
                    return segments;
                }
                // Quiet (or closed): another disconnect.
                seg.end = End::Disconnected;
                break;
            };
            assert_eq!(msg["id"], "s", "{}: {msg}", sub.name);
            match msg["type"].as_str() {
                Some("next") if msg["payload"].get("errors").is_none() => {
                    let e = &msg["payload"]["data"][sub.field];
                    let ev = Ev {
                        cursor: parse_cursor(e["cursor"].as_str().unwrap()),
                        op: e["event"].as_str().unwrap().to_string(),
                        new: e["new"].clone(),
                        old: e["old"].clone(),
                    };
                    after = ev.cursor;
                    seg.events.push(ev);
                    if !stop.load(Ordering::SeqCst) && seg.events.len() >= budget {
                        seg.end = End::Disconnected;
                        break;
                    }
                }
                Some("next") | Some("error") => {
                    let code =
                        msg["payload"]["errors"][0]["extensions"]["code"].as_str().or(msg["payload"][0]["extensions"]["code"].as_str());
                    assert_eq!(code, Some("CURSOR_EXPIRED"), "{}: {msg}", sub.name);
                    seg.end = End::Expired;
                    // Refetch: start again after what retention kept.
                    after = (pruned_through(&db_url).await, MAX_ID);
                    break;
                }
                _ => panic!("{}: unexpected {msg}", sub.name),
            }
        }
        ws.close().await;
        segments.push(seg);
        // Stay away for a while, sometimes long enough to miss a prune.
        let away = if rng.below(8) == 0 { 800 + rng.below(800) } else { rng.below(300) };
        tokio::time::sleep(Duration::from_millis(away)).await;
    }
}

/// Whether `reader` may read the image `row` of `table` (`customers` maps
/// customer ids to tenants).
fn visible(reader: &Reader, row: &Value, customers: &std::collections::HashMap<String, String>) -> bool {
    match reader {
        Reader::Service => true,
        Reader::TeamMember(team) => row["team_id"].as_str() == Some(team),
        Reader::Tenant(t) => row["tenant_id"].as_str() == Some(t),
        Reader::ViaCustomerOf(t) => row["customer_id"].as_str().and_then(|c| customers.get(c)) == Some(t),
    }
}

/// What `sub` must receive of one outbox change, by the documented rules.
fn expected(sub: &Sub, change: &Value, customers: &std::collections::HashMap<String, String>) -> Option<Ev> {
    let op = change["op"].as_str().unwrap();
    if change["table_name"] != sub.table || change["app"] != sub.app || !sub.ops.contains(&op) {
        return None;
    }
    let (new, old) = (&change["new_row"], &change["old_row"]);
    let vis = |r: &Value| !r.is_null() && visible(&sub.reader, r, customers);
    let matches = |r: &Value| sub.filter.as_ref().is_none_or(|(_, col, v)| r[*col].as_str() == Some(v));
    let project =
        |r: &Value| -> Value { serde_json::Value::Object(sub.fields.iter().map(|(g, c)| (g.to_string(), r[*c].clone())).collect()) };
    let (n, o) = match op {
        "INSERT" if vis(new) && matches(new) => (project(new), Value::Null),
        "DELETE" if vis(old) && matches(old) => (Value::Null, project(old)),
        "UPDATE" if vis(new) && matches(new) => (project(new), if vis(old) { project(old) } else { Value::Null }),
        "UPDATE" if !vis(new) && vis(old) && matches(old) => (Value::Null, project(old)),
        _ => return None,
    };
    Some(Ev { cursor: (change["seq"].as_i64().unwrap(), change["id"].as_i64().unwrap()), op: op.to_string(), new: n, old: o })
}

/// Creates a row as the service role through the API; returns its id.
async fn create(server: &TestServer, app: &str, mutation: &str, input: Value) -> String {
    let query = format!("mutation($i: {mutation}CreateInput!) {{ create{mutation}(input: $i) {{ id }} }}");
    let body = server.gql_app(app, &query, json!({ "i": input })).await;
    assert!(body.get("errors").is_none(), "{body:#}");
    body["data"][format!("create{mutation}")]["id"].as_str().expect("an id").to_string()
}

/// Brand kits through the API: create in team A, B or none, rename, move, delete.
async fn studio_api_writer(server: &TestServer, owner: &str, teams: [String; 2], seed: u64, until: Instant) {
    let mut rng = Rng::new(seed);
    let mut kits: Vec<String> = Vec::new();
    let mut n = 0;
    while Instant::now() < until {
        n += 1;
        let team = |rng: &mut Rng| match rng.below(3) {
            0 => Value::Null,
            i => json!(teams[i as usize - 1]),
        };
        let choice = if kits.is_empty() { 0 } else { rng.below(10) };
        match choice {
            0..=3 => {
                let t = team(&mut rng);
                kits.push(
                    create(
                        server,
                        "studio",
                        "BrandKit",
                        json!({ "userId": owner, "teamId": t, "name": format!("api {n}"), "colors": {}, "fonts": {} }),
                    )
                    .await,
                );
            }
            4..=7 => {
                let id = rng.pick(&kits).clone();
                let t = team(&mut rng);
                let body = server
                    .gql(
                        "mutation($id: UUID!, $p: BrandKitPatch!) { updateBrandKit(id: $id, patch: $p) { id } }",
                        json!({ "id": id, "p": { "name": format!("api {n}"), "teamId": t } }),
                    )
                    .await;
                assert!(body.get("errors").is_none(), "{body}");
            }
            _ => {
                let i = rng.below(kits.len() as u64) as usize;
                let id = kits.swap_remove(i);
                let body = server.gql("mutation($id: UUID!) { deleteBrandKit(id: $id) { id } }", json!({ "id": id })).await;
                assert!(body.get("errors").is_none(), "{body}");
            }
        }
        tokio::time::sleep(Duration::from_millis(rng.below(15))).await;
    }
}

/// Brand kits in plain SQL, one or two statements per transaction, with a
/// random delay before each commit (so commit order differs from write order).
async fn studio_sql_writer(server: &TestServer, owner: &str, teams: [String; 2], seed: u64, until: Instant) {
    let mut rng = Rng::new(seed);
    let mut conn = server.db.conn().await;
    let mut n = 0;
    while Instant::now() < until {
        n += 1;
        let team = |rng: &mut Rng| match rng.below(3) {
            0 => "NULL".to_string(),
            i => format!("'{}'", teams[i as usize - 1]),
        };
        let mut sql = String::from("BEGIN;");
        for _ in 0..1 + rng.below(2) {
            match rng.below(10) {
                0..=3 => sql.push_str(&format!(
                    "INSERT INTO studio.brand_kits (user_id, team_id, name, colors, fonts) VALUES ('{owner}', {}, 'sql {n}', '{{}}', '{{}}');",
                    team(&mut rng)
                )),
                4..=7 => sql.push_str(&format!(
                    "UPDATE studio.brand_kits SET team_id = {}, name = 'sql {n}' WHERE id = (SELECT id FROM studio.brand_kits WHERE name LIKE 'sql %' ORDER BY random() LIMIT 1);",
                    team(&mut rng)
                )),
                _ => sql.push_str("DELETE FROM studio.brand_kits WHERE id = (SELECT id FROM studio.brand_kits WHERE name LIKE 'sql %' ORDER BY random() LIMIT 1);"),
            }
        }
        sql.push_str(&format!("SELECT pg_sleep({});COMMIT;", rng.below(20) as f64 / 1000.0));
        conn.batch_execute(&sql).await.unwrap_or_else(|e| panic!("{e}: {sql}"));
    }
}

/// orders in plain SQL: customers of both tenants, and preferences moved
/// between a customer of each tenant.
async fn orders_sql_writer(server: &TestServer, tenants: [String; 2], fixed: [String; 2], seed: u64, until: Instant) {
    let mut rng = Rng::new(seed);
    let mut conn = server.db.conn().await;
    let mut n = 0;
    while Instant::now() < until {
        n += 1;
        let t = rng.pick(&tenants).clone();
        let c = rng.pick(&fixed).clone();
        let sql = match rng.below(12) {
            0..=2 => format!("INSERT INTO orders.customers (tenant_id, first_name, last_name) VALUES ('{t}', 'sql {n}', 'x');"),
            3..=4 => format!("UPDATE orders.customers SET first_name = 'sql {n}' WHERE id = (SELECT id FROM orders.customers WHERE first_name LIKE 'sql %' ORDER BY random() LIMIT 1);"),
            5 => "DELETE FROM orders.customers WHERE id = (SELECT id FROM orders.customers WHERE first_name LIKE 'sql %' ORDER BY random() LIMIT 1);".to_string(),
            6..=7 => format!("INSERT INTO orders.customer_preferences (customer_id) VALUES ('{c}');"),
            8..=10 => format!("UPDATE orders.customer_preferences SET customer_id = '{c}', favorites = '[{n}]' WHERE id = (SELECT id FROM orders.customer_preferences ORDER BY random() LIMIT 1);"),
            _ => "DELETE FROM orders.customer_preferences WHERE id = (SELECT id FROM orders.customer_preferences ORDER BY random() LIMIT 1);".to_string(),
        };
        let sql = format!("BEGIN;{sql}SELECT pg_sleep({});COMMIT;", rng.below(20) as f64 / 1000.0);
        conn.batch_execute(&sql).await.unwrap_or_else(|e| panic!("{e}: {sql}"));
    }
}

/// orders customers through the API.
async fn orders_api_writer(server: &TestServer, tenants: [String; 2], seed: u64, until: Instant) {
    let mut rng = Rng::new(seed);
    let mut mine: Vec<String> = Vec::new();
    let mut n = 0;
    while Instant::now() < until {
        n += 1;
        if mine.is_empty() || rng.below(3) == 0 {
            let t = rng.pick(&tenants).clone();
            mine.push(
                create(server, "orders", "Customer", json!({ "tenantId": t, "firstName": format!("api {n}"), "lastName": "y" })).await,
            );
        } else if rng.below(4) == 0 {
            let id = mine.swap_remove(rng.below(mine.len() as u64) as usize);
            let body = server.gql_app("orders", "mutation($id: UUID!) { deleteCustomer(id: $id) { id } }", json!({ "id": id })).await;
            assert!(body.get("errors").is_none(), "{body}");
        } else {
            let id = rng.pick(&mine).clone();
            let body = server
                .gql_app(
                    "orders",
                    "mutation($id: UUID!, $p: CustomerPatch!) { updateCustomer(id: $id, patch: $p) { id } }",
                    json!({ "id": id, "p": { "firstName": format!("api {n}") } }),
                )
                .await;
            assert!(body.get("errors").is_none(), "{body}");
        }
        tokio::time::sleep(Duration::from_millis(rng.below(15))).await;
    }
}

/// Moves the outbox up to commit `x` into `public.soak_truth` and prunes it,
/// exactly as retention would (in one transaction).
async fn prune_through(server: &TestServer, x: i64) {
    server
        .db
        .exec(&format!(
            "BEGIN; \
             INSERT INTO public.soak_truth SELECT c.seq, ch.id, ch.app, ch.table_name, ch.op, ch.new_row, ch.old_row \
               FROM quiver.changes ch JOIN quiver.commits c USING (txid) WHERE c.seq <= {x}; \
             DELETE FROM quiver.changes ch USING quiver.commits c WHERE ch.txid = c.txid AND c.seq <= {x}; \
             DELETE FROM quiver.commits WHERE seq <= {x}; \
             UPDATE quiver.outbox_state SET pruned_through = greatest(pruned_through, {x}); \
             COMMIT;"
        ))
        .await;
}

async fn max_seq(server: &TestServer) -> i64 {
    server.db.rows("SELECT coalesce(max(seq), 0) AS v FROM quiver.commits").await[0]["v"].as_i64().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn soak_every_subscriber_gets_exactly_its_changes() {
    let seed: u64 = std::env::var("QUIVER_SOAK_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos() as u64);
    println!("soak seed: {seed} (replay with QUIVER_SOAK_SEED={seed})");
    eprintln!("soak seed: {seed}");
    let mut rng = Rng::new(seed);
    let server = TestServer::start().await;
    server
        .db
        .exec("CREATE TABLE public.soak_truth (seq bigint, id bigint, app text, table_name text, op text, new_row jsonb, old_row jsonb)")
        .await;

    // studio: an owner of every kit, two teams, a Viewer of A and an Editor of B.
    let owner = create(&server, "studio", "User", json!({ "email": "owner@example.com" })).await;
    let viewer_a = create(&server, "studio", "User", json!({ "email": "a@example.com" })).await;
    let editor_b = create(&server, "studio", "User", json!({ "email": "b@example.com" })).await;
    let team_a = create(&server, "studio", "Team", json!({ "name": "A", "ownerId": owner })).await;
    let team_b = create(&server, "studio", "Team", json!({ "name": "B", "ownerId": owner })).await;
    create(&server, "studio", "TeamMember", json!({ "teamId": team_a, "userId": viewer_a, "role": "VIEWER" })).await;
    create(&server, "studio", "TeamMember", json!({ "teamId": team_b, "userId": editor_b, "role": "EDITOR" })).await;
    // orders: two tenants, a fixed customer of each, an API key of each.
    let t1 = create(&server, "orders", "Tenant", json!({ "name": "one" })).await;
    let t2 = create(&server, "orders", "Tenant", json!({ "name": "two" })).await;
    let c1 = create(&server, "orders", "Customer", json!({ "tenantId": t1, "firstName": "fixed", "lastName": "one" })).await;
    let c2 = create(&server, "orders", "Customer", json!({ "tenantId": t2, "firstName": "fixed", "lastName": "two" })).await;
    let mut keys = Vec::new();
    for t in [&t1, &t2] {
        let id = create(
            &server,
            "orders",
            "ApiKey",
            json!({ "tenantId": t, "name": "soak", "key": "soak-secret", "permissions": { "customers": ["read"] } }),
        )
        .await;
        keys.push(json!({ "apiKey": format!("{id}.soak-secret") }));
    }
    let bearer = |t: String| json!({ "Authorization": format!("Bearer {t}") });
    let service = bearer(common::service_token());
    const KIT: &[(&str, &str)] = &[("id", "id"), ("teamId", "team_id"), ("name", "name")];
    const CUSTOMER: &[(&str, &str)] = &[("id", "id"), ("tenantId", "tenant_id"), ("firstName", "first_name")];
    const PREFERENCE: &[(&str, &str)] = &[("id", "id"), ("customerId", "customer_id"), ("favorites", "favorites")];
    const ALL: &[&str] = &["INSERT", "UPDATE", "DELETE"];
    let kit = |name, ops, filter, reader, init| Sub {
        name,
        app: "studio",
        field: "brandKitChanged",
        table: "brand_kits",
        fields: KIT,
        ops,
        filter,
        reader,
        init,
    };
    let subs = vec![
        kit("studio service", ALL, None, Reader::Service, service.clone()),
        kit("viewer of A", ALL, None, Reader::TeamMember(team_a.clone()), bearer(common::token("authenticated", Some(&viewer_a), 3600))),
        kit(
            "editor of B, teamId = B",
            ALL,
            Some(("teamId", "team_id", team_b.clone())),
            Reader::TeamMember(team_b.clone()),
            bearer(common::token("authenticated", Some(&editor_b), 3600)),
        ),
        kit("service, teamId = A, updates", &["UPDATE"], Some(("teamId", "team_id", team_a.clone())), Reader::Service, service.clone()),
        Sub {
            name: "key of tenant 1",
            app: "orders",
            field: "customerChanged",
            table: "customers",
            fields: CUSTOMER,
            ops: ALL,
            filter: None,
            reader: Reader::Tenant(t1.clone()),
            init: keys[0].clone(),
        },
        Sub {
            name: "orders service, tenantId = 2",
            app: "orders",
            field: "customerChanged",
            table: "customers",
            fields: CUSTOMER,
            ops: &["INSERT", "DELETE"],
            filter: Some(("tenantId", "tenant_id", t2.clone())),
            reader: Reader::Service,
            init: service.clone(),
        },
        Sub {
            name: "late studio service (resumes from the start just before the prune)",
            ..kit("", ALL, None, Reader::Service, service.clone())
        },
        Sub {
            name: "key of tenant 2, preferences",
            app: "orders",
            field: "customerPreferenceChanged",
            table: "customer_preferences",
            fields: PREFERENCE,
            ops: ALL,
            filter: None,
            reader: Reader::ViaCustomerOf(t2.clone()),
            init: keys[1].clone(),
        },
    ];

    let start: Cur = (max_seq(&server).await, MAX_ID);
    let stop = Arc::new(AtomicBool::new(false));
    let (now, _) = tokio::sync::watch::channel(true);
    let (late_go, late) = tokio::sync::watch::channel(false);
    let subscribers: Vec<_> = subs
        .iter()
        .map(|s| {
            let go = if s.name.starts_with("late") { late.clone() } else { now.subscribe() };
            tokio::spawn(run_subscriber(server.base.clone(), server.db.url.clone(), s.clone(), start, rng.next(), stop.clone(), go))
        })
        .collect();

    let until = Instant::now() + WRITE_FOR;
    let teams = [team_a.clone(), team_b.clone()];
    let tenants = [t1.clone(), t2.clone()];
    let (s1, s2, s3, s4, s5) = (rng.next(), rng.next(), rng.next(), rng.next(), rng.next());
    let chaos = async {
        let mut rng = Rng::new(s5);
        let mut early = 0;
        let mut pruned = 0;
        let mut step = 0;
        while Instant::now() < until {
            tokio::time::sleep(Duration::from_millis(300 + rng.below(400))).await;
            step += 1;
            match step {
                2 => early = max_seq(&server).await,
                5 | 9 => {
                    server.db.rows("SELECT pg_terminate_backend(pid) AS k FROM pg_stat_activity WHERE application_name = 'quiver_listener' AND datname = current_database()").await;
                }
                7 => {
                    // A resume from the start is under way when the prune commits;
                    // so, likely, are some of the others'.
                    let _ = late_go.send(true);
                    tokio::time::sleep(Duration::from_millis(50 + rng.below(100))).await;
                    let x = max_seq(&server).await - 3;
                    prune_through(&server, x.max(early)).await;
                    pruned = x.max(early);
                }
                _ => {}
            }
        }
        pruned
    };
    let (pruned, ..) = tokio::join!(
        chaos,
        studio_api_writer(&server, &owner, teams.clone(), s1, until),
        studio_sql_writer(&server, &owner, teams.clone(), s2, until),
        orders_sql_writer(&server, tenants.clone(), [c1.clone(), c2.clone()], s3, until),
        orders_api_writer(&server, tenants.clone(), s4, until),
    );
    let _ = late_go.send(true);
    tokio::time::sleep(Duration::from_millis(500)).await;
    stop.store(true, Ordering::SeqCst);
    let mut results = Vec::new();
    for (s, sub) in subscribers.into_iter().zip(&subs) {
        let segments = tokio::time::timeout(Duration::from_secs(60), s).await;
        results.push(segments.unwrap_or_else(|_| panic!("{}: did not finish (seed {seed})", sub.name)).expect("subscriber task"));
    }

    // Ground truth: what was pruned, then what the outbox still holds.
    prune_through(&server, max_seq(&server).await).await;
    let truth = server.db.rows("SELECT * FROM public.soak_truth ORDER BY seq, id").await;
    let customers: std::collections::HashMap<String, String> = [(c1.clone(), t1.clone()), (c2.clone(), t2.clone())].into_iter().collect();
    let mut problems = common::Problems::default();
    let mut delivered = 0;
    for (sub, segments) in subs.iter().zip(&results) {
        let all: Vec<Ev> = truth.iter().filter_map(|c| expected(sub, c, &customers)).collect();
        for (i, seg) in segments.iter().enumerate() {
            delivered += seg.events.len();
            let upto = match seg.end {
                End::Final => (i64::MAX, i64::MAX),
                _ => seg.events.last().map(|e| e.cursor).unwrap_or(seg.after),
            };
            let want: Vec<&Ev> = all.iter().filter(|e| e.cursor > seg.after && e.cursor <= upto).collect();
            let got: Vec<&Ev> = seg.events.iter().collect();
            if got != want {
                let first = got.iter().zip(&want).position(|(a, b)| a != b).unwrap_or(got.len().min(want.len()));
                problems.check(false, || {
                    format!(
                        "{} segment {i} after {:?} ({:?}): got {} events, expected {}; first difference at {first}: got {:?}, expected {:?}",
                        sub.name,
                        seg.after,
                        seg.end,
                        got.len(),
                        want.len(),
                        got.get(first),
                        want.get(first)
                    )
                });
            }
            if seg.end == End::Expired {
                let at = seg.events.last().map(|e| e.cursor).unwrap_or(seg.after);
                problems.check(at.0 <= pruned, || {
                    format!("{} segment {i}: CURSOR_EXPIRED at {at:?} though pruning stopped at {pruned}", sub.name)
                });
            }
        }
        problems.check(segments.last().is_some_and(|s| s.end == End::Final), || format!("{}: no final segment", sub.name));
    }
    let expiries: usize = results.iter().flatten().filter(|s| s.end == End::Expired).count();
    println!(
        "soak seed {seed}: {} changes, {delivered} events delivered, {} segments, {expiries} expired resumes, pruned through {pruned}",
        truth.len(),
        results.iter().map(Vec::len).sum::<usize>()
    );
    problems.assert_none(&format!("soak with seed {seed}"));
    assert!(pruned > 0, "the prune ran");
    assert!(delivered > 100, "the soak delivered too little to mean anything: {delivered}");
}
