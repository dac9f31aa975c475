//! Test harness: one migrated template database per test run, one fresh
//! database per test (`CREATE DATABASE … TEMPLATE`), and a real Quiver server
//! on a free loopback port with a real HTTP client.

pub mod js;
pub mod ws;

use std::sync::atomic::{AtomicUsize, Ordering};

use diesel_async::{AsyncConnection, AsyncPgConnection, SimpleAsyncConnection};
use serde_json::{json, Value};
use tokio::sync::OnceCell;

/// A node limit no fixture query reaches: for fixtures whose queries nest
/// connections without `first`, which the cost analysis counts at the
/// default page size (100) per level.
pub const UNCAPPED_NODES: &str = "--max-nodes=1000000000";

/// The HS256 secret test servers accept tokens signed with.
pub const JWT_SECRET: &str = "quiver-test-secret-at-least-32-bytes-long";

/// A token signed with the test secret: `role` (`authenticated`,
/// `service_role`, `anon`), user `sub`, expiring in `ttl` seconds.
pub fn token(role: &str, sub: Option<&str>, ttl: i64) -> String {
    let now = quiver::auth::jwt::now() as i64;
    let claims = quiver::auth::jwt::Claims {
        sub: sub.map(str::to_string),
        role: Some(role.to_string()),
        email: None,
        exp: (now + ttl).max(0) as u64,
        nbf: None,
        iat: Some(now as u64),
        aud: (role == "authenticated").then(|| json!("authenticated")),
    };
    quiver::auth::jwt::mint_hs256(JWT_SECRET, &claims).expect("token signs")
}

/// A service-role token (bypasses row rules), valid for an hour.
pub fn service_token() -> String {
    token("service_role", None, 3600)
}

/// An HTTP client that sends `Authorization: Bearer <token>` on every request.
pub fn client_with_token(token: &str) -> reqwest::Client {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(reqwest::header::AUTHORIZATION, format!("Bearer {token}").parse().unwrap());
    reqwest::Client::builder().default_headers(headers).build().unwrap()
}

/// The server PostgreSQL tests use (`QUIVER_TEST_DATABASE_URL`, default the local cluster).
pub fn admin_url() -> String {
    std::env::var("QUIVER_TEST_DATABASE_URL").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

fn url_for(db: &str) -> String {
    let admin = admin_url();
    let base = admin.rsplit_once('/').map(|(b, _)| b).unwrap_or(&admin);
    format!("{base}/{db}")
}

/// Name of the template database: tied to the migrations' contents, so a
/// changed migration gets a fresh template.
fn template_name() -> String {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    let mut dirs: Vec<_> =
        std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/migrations")).unwrap().map(|m| m.unwrap().path()).collect();
    dirs.sort();
    for d in dirs {
        std::fs::read_to_string(d.join("up.sql")).unwrap_or_default().hash(&mut h);
        d.file_name().hash(&mut h);
    }
    format!("quiver_tpl_{:016x}", h.finish())
}

async fn admin() -> AsyncPgConnection {
    AsyncPgConnection::establish(&admin_url()).await.expect("PostgreSQL for tests is reachable")
}

/// Whether a database exists.
async fn database_exists(conn: &mut AsyncPgConnection, name: &str) -> bool {
    use diesel::prelude::*;
    use diesel_async::RunQueryDsl;
    #[derive(QueryableByName)]
    struct E {
        #[diesel(sql_type = diesel::sql_types::Bool)]
        e: bool,
    }
    diesel::sql_query("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1) AS e")
        .bind::<diesel::sql_types::Text, _>(name)
        .get_result::<E>(conn)
        .await
        .unwrap()
        .e
}

/// Template databases of other migration sets, built long enough ago that no run still uses them.
async fn stale_templates(conn: &mut AsyncPgConnection, current: &str) -> Vec<String> {
    use diesel::prelude::*;
    use diesel_async::RunQueryDsl;
    #[derive(QueryableByName)]
    struct Name {
        #[diesel(sql_type = diesel::sql_types::Text)]
        datname: String,
    }
    // Another checkout with other migrations may be testing against the same
    // server: only templates built over two hours ago are dropped.
    diesel::sql_query(
        "SELECT datname FROM pg_database WHERE datname LIKE 'quiver\\_tpl\\_%' AND datname <> $1 \
         AND datname NOT LIKE '%\\_building' \
         AND coalesce(substring(shobj_description(oid, 'pg_database') FROM 'built (\\d+)')::bigint, 0) \
             < extract(epoch FROM now())::bigint - 7200",
    )
    .bind::<diesel::sql_types::Text, _>(current)
    .load::<Name>(conn)
    .await
    .unwrap_or_default()
    .into_iter()
    .map(|n| n.datname)
    .collect()
}

static TEMPLATE: OnceCell<String> = OnceCell::const_new();

/// Creates (once per test run, under an advisory lock across processes) the
/// migrated template database.
async fn template() -> &'static str {
    TEMPLATE
        .get_or_init(|| async {
            let name = template_name();
            let mut conn = admin().await;
            conn.batch_execute("SELECT pg_advisory_lock(424242)").await.unwrap();
            if !database_exists(&mut conn, &name).await {
                let building = format!("{name}_building");
                conn.batch_execute(&format!("DROP DATABASE IF EXISTS {building} WITH (FORCE)")).await.unwrap();
                conn.batch_execute(&format!("CREATE DATABASE {building}")).await.unwrap();
                quiver::db::migrate(&url_for(&building)).await.expect("migrations apply");
                conn.batch_execute(&format!("ALTER DATABASE {building} RENAME TO {name}")).await.unwrap();
                let built = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
                conn.batch_execute(&format!("COMMENT ON DATABASE {name} IS 'quiver test template built {built}'")).await.unwrap();
                // Templates of earlier migration sets are of no further use.
                for stale in stale_templates(&mut conn, &name).await {
                    let _ = conn.batch_execute(&format!("DROP DATABASE IF EXISTS {stale}")).await;
                }
            }
            conn.batch_execute("SELECT pg_advisory_unlock(424242)").await.unwrap();
            name
        })
        .await
}

/// A fresh, migrated database for one test, dropped when the value is dropped.
pub struct TestDb {
    /// Database name.
    pub name: String,
    /// Its URL.
    pub url: String,
}

static COUNTER: AtomicUsize = AtomicUsize::new(0);

impl TestDb {
    /// Creates the database from the template.
    pub async fn new() -> TestDb {
        let template = template().await;
        let name = format!("quiver_test_{}_{}", std::process::id(), COUNTER.fetch_add(1, Ordering::Relaxed));
        let mut conn = admin().await;
        // CREATE DATABASE … TEMPLATE needs the template to be idle; retry briefly
        // when another test is copying it at the same moment.
        let mut attempts = 0;
        loop {
            match conn.batch_execute(&format!("CREATE DATABASE {name} TEMPLATE {template}")).await {
                Ok(()) => break,
                Err(e) if attempts < 100 && e.to_string().contains("being accessed by other users") => {
                    attempts += 1;
                    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                }
                Err(e) => panic!("create test database: {e}"),
            }
        }
        TestDb { url: url_for(&name), name }
    }

    /// A direct connection, for setup and for reading the catalog.
    pub async fn conn(&self) -> AsyncPgConnection {
        AsyncPgConnection::establish(&self.url).await.unwrap()
    }

    /// Runs SQL statements directly.
    pub async fn exec(&self, sql: &str) {
        self.conn().await.batch_execute(sql).await.unwrap_or_else(|e| panic!("{e}\n{sql}"));
    }

    /// Rows of an SQL query, each as a JSON object keyed by column name, in the
    /// query's order (timestamps rendered in UTC).
    pub async fn rows(&self, query: &str) -> Vec<Value> {
        use diesel::QueryableByName;
        use diesel_async::RunQueryDsl;
        #[derive(QueryableByName)]
        struct J {
            #[diesel(sql_type = diesel::sql_types::Json)]
            v: Value,
        }
        let mut conn = self.conn().await;
        conn.batch_execute("SET TIME ZONE 'UTC'").await.unwrap();
        let sql = format!("SELECT coalesce(json_agg(x), '[]'::json) AS v FROM ({query}) x");
        let r: J = diesel::sql_query(&sql).get_result(&mut conn).await.unwrap_or_else(|e| panic!("{e}\n{sql}"));
        r.v.as_array().cloned().unwrap()
    }

    /// A query of rows `(k text, ids json array)` as a map from `k` to its ids.
    pub async fn grouped(&self, query: &str) -> std::collections::HashMap<String, Vec<String>> {
        let text = |v: &Value| v.as_str().map(str::to_string).unwrap_or_else(|| v.to_string());
        self.rows(query).await.into_iter().map(|r| (text(&r["k"]), r["ids"].as_array().unwrap().iter().map(text).collect())).collect()
    }

    /// Loads the studio demo data with the given sizes (others default).
    pub async fn seed_studio(&self, sizes: &[(&str, u32)]) {
        let demo = quiver::apps::find("studio").unwrap().demo.unwrap();
        let sizes: Vec<(String, u32)> = sizes.iter().map(|(k, v)| (k.to_string(), *v)).collect();
        let app = quiver::apps::find("studio").unwrap().app();
        assert!(demo.load_if_empty(app, &self.url, &sizes).await.expect("demo data loads"), "studio was empty");
    }
}

/// Drops database `name`, from inside or outside a runtime: dropping needs a
/// connection, so it runs on a thread of its own.
pub fn drop_database(name: &str) {
    let name = name.to_string();
    let _ = std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        rt.block_on(async {
            if let Ok(mut c) = AsyncPgConnection::establish(&admin_url()).await {
                let _ = c.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).await;
            }
        });
    })
    .join();
}

impl Drop for TestDb {
    fn drop(&mut self) {
        drop_database(&self.name);
    }
}

/// A database of its own (not the migrated template), dropped afterwards.
pub struct RawDb {
    /// Database name.
    pub name: String,
    /// Its URL.
    pub url: String,
}

impl RawDb {
    /// Creates an empty database named after `tag`.
    pub async fn new(tag: &str) -> RawDb {
        let name = format!("quiver_supabase_{tag}_{}", std::process::id());
        let mut admin = AsyncPgConnection::establish(&admin_url()).await.unwrap();
        admin.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).await.unwrap();
        admin.batch_execute(&format!("CREATE DATABASE {name}")).await.unwrap();
        let base = admin_url();
        let url = format!("{}/{name}", base.rsplit_once('/').unwrap().0);
        RawDb { name, url }
    }

    /// Runs SQL statements.
    pub async fn exec(&self, sql: &str) {
        AsyncPgConnection::establish(&self.url).await.unwrap().batch_execute(sql).await.unwrap_or_else(|e| panic!("{e}\n{sql}"));
    }

    /// One text value.
    pub async fn text(&self, sql: &str) -> String {
        use diesel::QueryableByName;
        use diesel_async::RunQueryDsl;
        #[derive(QueryableByName)]
        struct T {
            #[diesel(sql_type = diesel::sql_types::Text)]
            t: String,
        }
        let mut conn = AsyncPgConnection::establish(&self.url).await.unwrap();
        let r: T = diesel::sql_query(format!("SELECT ({sql})::text AS t")).get_result(&mut conn).await.unwrap();
        r.t
    }
}

impl Drop for RawDb {
    fn drop(&mut self) {
        drop_database(&self.name);
    }
}

/// A running Quiver server over its own test database.
pub struct TestServer {
    /// `http://127.0.0.1:<port>`.
    pub base: String,
    /// HTTP client acting with the service role (row rules do not apply).
    pub http: reqwest::Client,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    /// The database it serves (dropped after the server stops).
    pub db: TestDb,
}

impl TestServer {
    /// Starts a server over a fresh database with default options.
    pub async fn start() -> TestServer {
        Self::start_with(&[]).await
    }

    /// Starts a server with extra command-line flags (e.g. `--max-depth=5`).
    pub async fn start_with(flags: &[&str]) -> TestServer {
        let db = TestDb::new().await;
        Self::serve(db, flags).await
    }

    /// Another Quiver instance over the same database (as behind a load
    /// balancer); it stops when dropped, the database stays with `self`.
    pub async fn second_instance(&self, flags: &[&str]) -> Instance {
        let (base, shutdown) = Self::spawn(&self.db.url, flags).await;
        Instance { base, shutdown: Some(shutdown) }
    }

    async fn spawn(url: &str, flags: &[&str]) -> (String, tokio::sync::oneshot::Sender<()>) {
        Self::spawn_with_graphiql_token(url, flags, None).await
    }

    async fn spawn_with_graphiql_token(
        url: &str,
        flags: &[&str],
        graphiql_token: Option<String>,
    ) -> (String, tokio::sync::oneshot::Sender<()>) {
        use clap::Parser;
        let secret = format!("--jwt-secret={JWT_SECRET}");
        let mut args = vec!["quiver", secret.as_str()];
        args.extend_from_slice(flags);
        let mut options = quiver::config::Cli::parse_from(args).options;
        options.graphiql_token = graphiql_token;
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let url = url.to_string();
        tokio::spawn(async move {
            quiver::server::serve(&options, &url, listener, async {
                let _ = rx.await;
            })
            .await
            .expect("server runs");
        });
        wait_ready(&base).await;
        (base, tx)
    }

    /// Starts a server over a given database.
    pub async fn serve(db: TestDb, flags: &[&str]) -> TestServer {
        let (base, tx) = Self::spawn(&db.url, flags).await;
        TestServer { db, base, http: client_with_token(&service_token()), shutdown: Some(tx) }
    }

    /// Starts a server whose GraphiQL pages carry a service-role token, as in
    /// development mode.
    pub async fn start_with_graphiql_token() -> TestServer {
        let db = TestDb::new().await;
        let (base, tx) = Self::spawn_with_graphiql_token(&db.url, &[], Some(service_token())).await;
        TestServer { db, base, http: client_with_token(&service_token()), shutdown: Some(tx) }
    }

    /// URL of an app's GraphQL endpoint.
    pub fn endpoint(&self, app: &str) -> String {
        format!("{}/graphql/{app}", self.base)
    }

    /// POSTs a query (with variables) to the studio endpoint; returns the JSON body.
    pub async fn gql(&self, query: &str, variables: Value) -> Value {
        self.gql_app("studio", query, variables).await
    }

    /// POSTs a query to an app's endpoint; returns the JSON body (status 200 expected).
    pub async fn gql_app(&self, app: &str, query: &str, variables: Value) -> Value {
        let resp =
            self.http.post(self.endpoint(app)).json(&json!({ "query": query, "variables": variables })).send().await.expect("request sent");
        assert_eq!(resp.status(), 200, "status");
        resp.json().await.expect("JSON body")
    }

    /// POSTs a query that must succeed; returns `data`.
    pub async fn data(&self, query: &str, variables: Value) -> Value {
        let body = self.gql(query, variables).await;
        assert!(body.get("errors").is_none(), "unexpected errors: {body:#}");
        body["data"].clone()
    }

    /// The `extensions.code` of the first error of a query that must fail.
    pub async fn error_code(&self, query: &str, variables: Value) -> String {
        let body = self.gql(query, variables).await;
        body["errors"][0]["extensions"]["code"].as_str().unwrap_or_else(|| panic!("no error code in {body:#}")).to_string()
    }

    /// SQL statements the server has sent so far (from `/metrics`).
    pub async fn statements(&self) -> u64 {
        let text = self.http.get(format!("{}/metrics", self.base)).send().await.unwrap().text().await.unwrap();
        text.lines()
            .find_map(|l| l.strip_prefix("quiver_sql_statements_total "))
            .and_then(|v| v.trim().parse().ok())
            .expect("statement counter in /metrics")
    }
}

/// Waits until a server answers `/readyz`.
async fn wait_ready(base: &str) {
    let http = reqwest::Client::new();
    for _ in 0..200 {
        if let Ok(r) = http.get(format!("{base}/readyz")).send().await {
            if r.status() == 200 {
                return;
            }
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    panic!("server at {base} did not become ready");
}

/// A further Quiver instance on a test database.
pub struct Instance {
    /// `http://127.0.0.1:<port>`.
    pub base: String,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
}

impl Drop for Instance {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

impl TestServer {
    /// Starts a graceful shutdown (as SIGTERM does for the binary).
    pub fn shutdown(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.shutdown();
    }
}

/// Mismatches found by one test, reported together.
#[derive(Default)]
pub struct Problems(Vec<String>);

impl Problems {
    /// Records `message` unless `ok`.
    pub fn check(&mut self, ok: bool, message: impl FnOnce() -> String) {
        if !ok {
            self.0.push(message());
        }
    }

    /// Fails the test listing every recorded problem.
    pub fn assert_none(self, what: &str) {
        assert!(self.0.is_empty(), "{what}: {} problem(s):\n  {}", self.0.len(), self.0.join("\n  "));
    }
}
