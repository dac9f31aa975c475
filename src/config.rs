//! Command line and environment configuration (`quiver --help`).

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::db::PoolOptions;
use crate::graphql::inputs::PageLimits;
use crate::graphql::QueryLimits;
use crate::realtime::limits::Rate;
use crate::realtime::RealtimeOptions;

/// Quiver: a GraphQL API with realtime subscriptions over PostgreSQL.
#[derive(Debug, Parser)]
#[command(name = "quiver", version, about, after_help = AFTER_HELP)]
pub struct Cli {
    /// What to do; `serve` when omitted.
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Settings shared by every command.
    #[command(flatten)]
    pub options: Options,
}

/// Printed after the options of `quiver --help`.
const AFTER_HELP: &str = "Every option is also an environment variable (shown with it); a flag wins over the \
environment. Log levels come from RUST_LOG (default `info`, e.g. RUST_LOG=quiver=debug). \
Pass secrets through the environment rather than flags: flags show in `ps`.";

/// Printed after the options of `quiver seed --help`: every app's demo data
/// sizes with their defaults.
pub fn seed_sizes_help() -> String {
    let mut help = String::from("Sizes (`--set NAME=VALUE`), with their defaults:");
    for def in crate::apps::APPS {
        if let Some(demo) = def.demo {
            let sizes: Vec<String> = demo.defaults.iter().map(|(n, d)| format!("{n}={d}")).collect();
            help.push_str(&format!("\n  {}: {}", def.name(), sizes.join(" ")));
        }
    }
    help
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Apply migrations and serve the GraphQL API (the default).
    Serve,
    /// Apply pending migrations and exit (also to the databases of
    /// `--app-database`; only Quiver's own ones where `--existing-database`).
    Migrate,
    /// Print a signed development token (HS256, needs QUIVER_JWT_SECRET) and exit.
    Token {
        /// The user id (`sub`). Default: none (a token without a user).
        #[arg(long)]
        sub: Option<String>,
        /// `authenticated`, `anon` or `service_role`.
        #[arg(long, default_value = "authenticated")]
        role: String,
        /// Email claim. Default: none.
        #[arg(long)]
        email: Option<String>,
        /// Lifetime in seconds.
        #[arg(long, default_value_t = 3600)]
        ttl: u64,
        /// The app whose demo user `--as` names. Default: none.
        #[arg(long, requires = "demo_user")]
        app: Option<String>,
        /// A demo user of `--app` to sign in as (see README, "Demo users"),
        /// instead of `--sub`. Default: none.
        #[arg(long = "as", id = "demo_user", requires = "app", conflicts_with = "sub")]
        demo_user: Option<String>,
    },
    /// Print a fresh encryption key entry for QUIVER_ENCRYPTION_KEY and exit.
    Keygen {
        /// The key's id.
        #[arg(long, default_value = "k1")]
        id: String,
    },
    /// Re-encrypt every encrypted column under the first key of QUIVER_ENCRYPTION_KEY and exit.
    RotateKeys,
    /// Print an app's GraphQL schema (SDL) and exit.
    Schema {
        /// The app, e.g. `studio`.
        app: String,
    },
    /// Migrate, read an app's table structure from the PostgreSQL catalog and
    /// print it as the app's generated `src/apps/<app>/structure.rs`, then exit.
    Structure {
        /// The app, e.g. `studio`.
        app: String,
        /// Tables of other schemas the app sits on, comma-separated
        /// (`auth.users,storage.objects`). Default: the registered app's `include` list.
        #[arg(long)]
        include: Option<String>,
    },
    /// Load an app's deterministic demo data (into empty tables) and exit.
    #[command(after_help = seed_sizes_help())]
    Seed {
        /// The app, e.g. `studio`.
        app: String,
        /// A size, e.g. `--set users=50` (repeatable; the sizes are listed below).
        /// Default: each size's default.
        #[arg(long = "set", value_name = "NAME=VALUE")]
        set: Vec<String>,
        /// Load the benchmark data set instead (studio: 500 projects × 20 assets × 5
        /// versions; orders: 10,000 orders, 50,000 items). Default: off.
        #[arg(long)]
        bench: bool,
    },
}

/// Log output format.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum LogFormat {
    /// Human-readable lines.
    Text,
    /// One JSON object per line.
    Json,
}

/// Settings, each a flag and an environment variable.
#[derive(Debug, Args, Clone)]
pub struct Options {
    /// Address to listen on.
    #[arg(long, env = "QUIVER_LISTEN", default_value = "127.0.0.1:8080", global = true)]
    pub listen: SocketAddr,
    /// PostgreSQL URL. Default: none, and Quiver runs a private cluster in --data-dir
    /// (loading demo data into empty apps).
    #[arg(long, env = "DATABASE_URL", global = true, hide_env_values = true)]
    pub database_url: Option<String>,
    /// Where the private PostgreSQL cluster lives when DATABASE_URL is unset.
    #[arg(long, env = "QUIVER_DATA_DIR", default_value = ".quiver", global = true)]
    pub data_dir: PathBuf,
    /// Apps to serve, comma-separated. Default: all.
    #[arg(long, env = "QUIVER_APPS", value_delimiter = ',', global = true)]
    pub apps: Vec<String>,
    /// An app served from a database of its own, `APP=URL` (comma-separated
    /// for several). Default: none (every app in the --database-url database).
    #[arg(long, env = "QUIVER_APP_DATABASE", value_name = "APP=URL", value_delimiter = ',', global = true, hide_env_values = true)]
    pub app_database: Vec<String>,
    /// The PostgreSQL schema of an app's own tables, `APP=SCHEMA` (e.g.
    /// `course=public`; comma-separated for several). Default: none (each app's own name).
    #[arg(long, env = "QUIVER_APP_SCHEMA", value_name = "APP=SCHEMA", value_delimiter = ',', global = true)]
    pub app_schema: Vec<String>,
    /// Apps whose tables already exist (an existing database served in place),
    /// comma-separated: Quiver creates and alters none of their tables, checks
    /// them against the app's structure (refusing the app on a mismatch) and
    /// installs only its own `quiver` schema and change-capture triggers.
    /// Default: none (Quiver migrates every app's tables).
    #[arg(long, env = "QUIVER_EXISTING_DATABASE", value_name = "APP", value_delimiter = ',', global = true)]
    pub existing_database: Vec<String>,
    /// Largest number of database connections.
    #[arg(long, env = "QUIVER_POOL_SIZE", default_value_t = 16, global = true)]
    pub pool_size: usize,
    /// Seconds a request waits for a database connection (then SERVICE_UNAVAILABLE).
    #[arg(long, env = "QUIVER_POOL_TIMEOUT", default_value_t = 5, global = true)]
    pub pool_timeout: u64,
    /// Per-statement timeout in seconds (0: none).
    #[arg(long, env = "QUIVER_STATEMENT_TIMEOUT", default_value_t = 30, global = true)]
    pub statement_timeout: u64,
    /// Deepest allowed query nesting (QUERY_TOO_DEEP beyond).
    #[arg(long, env = "QUIVER_MAX_DEPTH", default_value_t = 16, global = true)]
    pub max_depth: usize,
    /// Largest allowed query complexity, each selected field counting one (QUERY_TOO_COMPLEX beyond).
    #[arg(long, env = "QUIVER_MAX_COMPLEXITY", default_value_t = 2000, global = true)]
    pub max_complexity: usize,
    /// Most objects one request may return, by its estimated cost: page sizes
    /// (`first`/`last`, else the default page size) multiplied through nested
    /// connections, summed over a batch (`QUERY_TOO_COMPLEX`).
    #[arg(long, env = "QUIVER_MAX_NODES", default_value_t = 100_000, global = true)]
    pub max_nodes: u64,
    /// Most rows one operation may read from the database (`LIMIT_EXCEEDED`):
    /// a hard cap behind --max-nodes.
    #[arg(long, env = "QUIVER_MAX_ROWS", default_value_t = 250_000, global = true)]
    pub max_rows: u64,
    /// Most operations in one batched HTTP request (`LIMIT_EXCEEDED`).
    #[arg(long, env = "QUIVER_MAX_BATCH", default_value_t = 10, global = true)]
    pub max_batch: usize,
    /// Operations of one batch that run at the same time.
    #[arg(long, env = "QUIVER_BATCH_CONCURRENCY", default_value_t = 4, global = true)]
    pub batch_concurrency: usize,
    /// Largest response body, in bytes (`LIMIT_EXCEEDED`); also bounds each
    /// WebSocket result message.
    #[arg(long, env = "QUIVER_MAX_RESPONSE_BYTES", default_value_t = 64 << 20, global = true)]
    pub max_response_bytes: usize,
    /// Answer every query through async-graphql's resolvers, never on the
    /// direct read path (for comparison, or should the direct path misbehave). Default: off.
    #[arg(long, env = "QUIVER_NO_DIRECT_READS", global = true)]
    pub no_direct_reads: bool,
    /// Page size when a list gets neither `first` nor `last`.
    #[arg(long, env = "QUIVER_DEFAULT_PAGE_SIZE", default_value_t = 100, global = true)]
    pub default_page_size: usize,
    /// Largest accepted `first` / `last`.
    #[arg(long, env = "QUIVER_MAX_PAGE_SIZE", default_value_t = 1000, global = true)]
    pub max_page_size: usize,
    /// Deepest accepted filter nesting (`and`/`or`/`not` and relation filters
    /// each add a level; `BAD_USER_INPUT` beyond).
    #[arg(long, env = "QUIVER_MAX_FILTER_DEPTH", default_value_t = 10, global = true)]
    pub max_filter_depth: usize,
    /// Largest accepted request body, in bytes.
    #[arg(long, env = "QUIVER_BODY_LIMIT", default_value_t = 1 << 20, global = true)]
    pub body_limit: usize,
    /// Allowed CORS origins, comma-separated; `*` allows any. Default: none (CORS off).
    #[arg(long, env = "QUIVER_CORS_ORIGINS", value_delimiter = ',', global = true)]
    pub cors_origins: Vec<String>,
    /// Most concurrent WebSocket connections.
    #[arg(long, env = "QUIVER_MAX_WS_CONNECTIONS", default_value_t = 10_000, global = true)]
    pub max_ws_connections: usize,
    /// Most concurrent subscriptions on one WebSocket connection.
    #[arg(long, env = "QUIVER_MAX_SUBSCRIPTIONS", default_value_t = 100, global = true)]
    pub max_subscriptions: usize,
    /// Seconds a WebSocket connection may take to send `connection_init`
    /// before it is closed (4408).
    #[arg(long, env = "QUIVER_WS_INIT_TIMEOUT", default_value_t = 10, global = true)]
    pub ws_init_timeout: u64,
    /// Most concurrent WebSocket connections from one client address.
    #[arg(long, env = "QUIVER_MAX_WS_PER_ADDRESS", default_value_t = 256, global = true)]
    pub max_ws_per_address: usize,
    /// Most concurrent WebSocket connections of one signed-in user or API-key tenant.
    #[arg(long, env = "QUIVER_MAX_WS_PER_PRINCIPAL", default_value_t = 32, global = true)]
    pub max_ws_per_principal: usize,
    /// Seconds between re-resolutions of an open WebSocket connection's
    /// credentials (deactivated users, keys and tenants, revoked roles, the
    /// IP allow-list) and of its broadcast and presence topics; each
    /// operation also re-resolves them when it starts.
    #[arg(long, env = "QUIVER_REVALIDATE_INTERVAL", default_value_t = 60, global = true)]
    pub revalidate_interval: u64,
    /// Seconds between the server's WebSocket keep-alive messages.
    #[arg(long, env = "QUIVER_WS_KEEPALIVE", default_value_t = 15, global = true)]
    pub ws_keepalive: u64,
    /// Events queued per subscriber before it is ended as a slow consumer.
    #[arg(long, env = "QUIVER_SUBSCRIPTION_BUFFER", default_value_t = 1024, global = true)]
    pub subscription_buffer: usize,
    /// Broadcasts one user (or API-key tenant) may send per second in one app,
    /// over all its requests and connections (`RATE_LIMITED` beyond; 0: no limit).
    #[arg(long, env = "QUIVER_MAX_BROADCASTS_PER_SECOND", default_value_t = 20, global = true)]
    pub max_broadcasts_per_second: u32,
    /// Presence joins one user (or API-key tenant) may make per minute in one
    /// app (`RATE_LIMITED` beyond; 0: no limit).
    #[arg(long, env = "QUIVER_MAX_PRESENCE_JOINS_PER_MINUTE", default_value_t = 30, global = true)]
    pub max_presence_joins_per_minute: u32,
    /// Seconds the change outbox keeps changes (how far back `after` can resume).
    #[arg(long, env = "QUIVER_CHANGE_RETENTION", default_value_t = 86_400, global = true)]
    pub change_retention: u64,
    /// With a private cluster, do not load demo data into empty apps. Default: off.
    #[arg(long, env = "QUIVER_NO_DEMO_DATA", global = true)]
    pub no_demo_data: bool,
    /// HS256 secret of accepted bearer tokens (Supabase's JWT secret). Prefer the environment.
    /// Default: none (with a private cluster, a generated one kept in --data-dir).
    #[arg(long, env = "QUIVER_JWT_SECRET", global = true, hide_env_values = true)]
    pub jwt_secret: Option<String>,
    /// JWKS file (JSON `{"keys": [...]}`) with the RS256 / ES256 public keys of accepted tokens.
    /// Default: none.
    #[arg(long, env = "QUIVER_JWKS_FILE", global = true)]
    pub jwks_file: Option<PathBuf>,
    /// Accepted token audiences, comma-separated (`*`: any). Empty accepts
    /// no token that names an audience.
    #[arg(long, env = "QUIVER_JWT_AUDIENCE", value_delimiter = ',', default_value = "authenticated", global = true)]
    pub jwt_audience: Vec<String>,
    /// Keys of encrypted columns: `id:base64key[,id:base64key...]`, first encrypts, all decrypt
    /// (`quiver keygen` makes one). Prefer the environment. Default: none (encrypted
    /// columns cannot be written).
    #[arg(long, env = "QUIVER_ENCRYPTION_KEY", global = true, hide_env_values = true)]
    pub encryption_key: Option<String>,
    /// Proxies whose `X-Forwarded-For` is believed (addresses or CIDRs, comma-separated).
    /// Default: none (the client address is the socket peer).
    #[arg(long, env = "QUIVER_TRUSTED_PROXIES", value_delimiter = ',', global = true)]
    pub trusted_proxies: Vec<String>,
    /// Failed API-key attempts allowed per key id and per client address in
    /// one --api-key-failure-window (0: no limit); beyond, attempts are
    /// refused without verification.
    #[arg(long, env = "QUIVER_API_KEY_MAX_FAILURES", default_value_t = 10, global = true)]
    pub api_key_max_failures: u32,
    /// Most hashed secrets (passwords, API secrets) one request may set
    /// (`LIMIT_EXCEEDED` beyond).
    #[arg(long, env = "QUIVER_MAX_HASHES_PER_REQUEST", default_value_t = 10, global = true)]
    pub max_hashes_per_request: usize,
    /// Seconds over which failed API-key attempts are counted.
    #[arg(long, env = "QUIVER_API_KEY_FAILURE_WINDOW", default_value_t = 60, global = true)]
    pub api_key_failure_window: u64,
    /// Password hashes and API-key verifications (argon2) running at once
    /// (0: the number of cores; process-wide, the first server started sets it).
    #[arg(long, env = "QUIVER_HASH_CONCURRENCY", default_value_t = 0, global = true)]
    pub hash_concurrency: usize,
    /// A token GraphiQL pages send (development mode only; not a flag).
    #[arg(skip)]
    pub graphiql_token: Option<String>,
    /// Log format (levels come from RUST_LOG, default `info`).
    #[arg(long, env = "QUIVER_LOG_FORMAT", value_enum, default_value = "text", global = true)]
    pub log_format: LogFormat,
}

/// Where one app's tables are: its database, its PostgreSQL schema, and
/// whether Quiver owns them (see `--app-database`, `--app-schema`,
/// `--existing-database`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placement {
    /// The app's database URL (`None`: the main database).
    pub database: Option<String>,
    /// The PostgreSQL schema of its own tables (`None`: the app's name).
    pub schema: Option<String>,
    /// Its tables exist already: check them, never create or alter them.
    pub existing: bool,
}

/// Parses `APP=VALUE` settings of `flag` into (app, value) pairs, refusing
/// unknown apps, empty values and an app named twice.
fn per_app(flag: &str, items: &[String]) -> Result<Vec<(String, String)>, crate::error::QuiverError> {
    let bad = |m: String| crate::error::QuiverError::BadInput(format!("{flag}: {m}"));
    let mut out: Vec<(String, String)> = Vec::new();
    for item in items.iter().map(|i| i.trim()).filter(|i| !i.is_empty()) {
        let (app, value) = item.split_once('=').ok_or_else(|| bad(format!("{item:?} is not APP=VALUE")))?;
        let (app, value) = (app.trim(), value.trim());
        crate::apps::select(&[app.to_string()]).map_err(|e| bad(e.to_string()))?;
        if value.is_empty() {
            return Err(bad(format!("no value for {app}")));
        }
        if out.iter().any(|(a, _)| a == app) {
            return Err(bad(format!("{app} is named twice")));
        }
        out.push((app.to_string(), value.to_string()));
    }
    Ok(out)
}

impl Options {
    /// Where app `app` is served from, by `--app-database`, `--app-schema`
    /// and `--existing-database`; a malformed setting or an unknown app is `BAD_USER_INPUT`.
    pub fn placement(&self, app: &str) -> Result<Placement, crate::error::QuiverError> {
        let lookup = |pairs: Vec<(String, String)>| pairs.into_iter().find(|(a, _)| a == app).map(|(_, v)| v);
        let database = lookup(per_app("--app-database", &self.app_database)?);
        let schema = lookup(per_app("--app-schema", &self.app_schema)?);
        let existing_apps: Vec<String> = self.existing_database.iter().map(|a| a.trim().to_string()).filter(|a| !a.is_empty()).collect();
        crate::apps::select(&existing_apps).map_err(|e| crate::error::QuiverError::BadInput(format!("--existing-database: {e}")))?;
        Ok(Placement { database, schema, existing: existing_apps.iter().any(|a| a == app) })
    }

    /// Token verification settings.
    pub fn jwt(&self) -> crate::auth::jwt::JwtConfig {
        crate::auth::jwt::JwtConfig {
            hs256_secret: self.jwt_secret.clone().filter(|s| !s.is_empty()),
            jwks_path: self.jwks_file.clone(),
            audiences: self.jwt_audience.iter().filter(|a| !a.is_empty()).cloned().collect(),
            leeway_secs: 30,
        }
    }

    /// The encryption keyring, if a key is configured.
    pub fn keyring(&self) -> Result<Option<crate::auth::secrets::Keyring>, crate::error::QuiverError> {
        self.encryption_key.as_deref().filter(|k| !k.is_empty()).map(crate::auth::secrets::Keyring::parse).transpose()
    }

    /// The trusted proxies.
    pub fn trusted_proxies(&self) -> Result<Vec<crate::auth::Cidr>, crate::error::QuiverError> {
        self.trusted_proxies
            .iter()
            .filter(|p| !p.trim().is_empty())
            .map(|p| p.parse().map_err(crate::error::QuiverError::BadInput))
            .collect()
    }

    /// Pool settings.
    pub fn pool(&self) -> PoolOptions {
        PoolOptions {
            max_size: self.pool_size,
            wait_timeout: Duration::from_secs(self.pool_timeout),
            statement_timeout: Duration::from_secs(self.statement_timeout),
        }
    }

    /// Realtime settings.
    pub fn realtime(&self) -> RealtimeOptions {
        RealtimeOptions {
            buffer: self.subscription_buffer,
            retention: Duration::from_secs(self.change_retention),
            broadcast_rate: Rate { count: self.max_broadcasts_per_second, period: Duration::from_secs(1) },
            presence_join_rate: Rate { count: self.max_presence_joins_per_minute, period: Duration::from_secs(60) },
            topic_recheck: Duration::from_secs(self.revalidate_interval.max(1)),
            ..RealtimeOptions::default()
        }
    }

    /// Query limits.
    pub fn limits(&self) -> QueryLimits {
        QueryLimits {
            depth: self.max_depth,
            complexity: self.max_complexity,
            pages: PageLimits { default: self.default_page_size, max: self.max_page_size, filter_depth: self.max_filter_depth },
            direct_reads: !self.no_direct_reads,
            max_nodes: self.max_nodes,
            max_batch: self.max_batch,
            batch_concurrency: self.batch_concurrency,
            response_bytes: self.max_response_bytes,
            max_rows: self.max_rows,
            max_hashes: self.max_hashes_per_request,
        }
    }
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::{Cli, Placement};

    fn options(args: &[&str]) -> super::Options {
        Cli::parse_from([&["quiver"], args].concat()).options
    }

    #[test]
    fn placements_come_from_the_three_settings() {
        let o = options(&[
            "--app-database=course=postgres://h/db",
            "--app-schema",
            "course=public,reports=public",
            "--existing-database=course",
        ]);
        let course = Placement { database: Some("postgres://h/db".into()), schema: Some("public".into()), existing: true };
        assert_eq!(o.placement("course").unwrap(), course);
        assert_eq!(o.placement("reports").unwrap(), Placement { database: None, schema: Some("public".into()), existing: false });
        assert_eq!(o.placement("studio").unwrap(), Placement { database: None, schema: None, existing: false });
    }

    #[test]
    fn malformed_placements_are_refused_with_the_flag_named() {
        let refused = |args: &[&str]| options(args).placement("course").unwrap_err().to_string();
        assert!(refused(&["--app-schema=course"]).contains("--app-schema: \"course\" is not APP=VALUE"));
        assert!(refused(&["--app-schema=nosuch=public"]).contains("unknown app nosuch"));
        assert!(refused(&["--app-schema=course="]).contains("no value for course"));
        assert!(refused(&["--app-database=course=a,course=b"]).contains("course is named twice"));
        assert!(refused(&["--existing-database=nosuch"]).contains("--existing-database: unknown app nosuch"));
    }
}
