//! Command line and environment configuration (`quiver --help`).

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::db::PoolOptions;
use crate::graphql::inputs::PageLimits;
use crate::graphql::QueryLimits;
use crate::realtime::RealtimeOptions;

/// Quiver: a GraphQL API with realtime subscriptions over PostgreSQL.
#[derive(Debug, Parser)]
#[command(name = "quiver", version, about)]
pub struct Cli {
    /// What to do; `serve` when omitted.
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Settings shared by every command.
    #[command(flatten)]
    pub options: Options,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Apply migrations and serve the GraphQL API (the default).
    Serve,
    /// Apply pending migrations and exit.
    Migrate,
    /// Print an app's GraphQL schema (SDL) and exit.
    Schema {
        /// The app, e.g. `studio`.
        app: String,
    },
    /// Load an app's deterministic demo data (into empty tables) and exit.
    Seed {
        /// The app, e.g. `studio`.
        app: String,
        /// Size parameters as `name=value`, e.g. `--set users=50`; see README.
        #[arg(long = "set", value_name = "NAME=VALUE")]
        set: Vec<String>,
        /// The benchmark data set (studio: 500 projects × 20 assets × 5 versions).
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
    /// PostgreSQL URL. Without it Quiver runs a private cluster in --data-dir.
    #[arg(long, env = "DATABASE_URL", global = true, hide_env_values = true)]
    pub database_url: Option<String>,
    /// Where the private PostgreSQL cluster lives when DATABASE_URL is unset.
    #[arg(long, env = "QUIVER_DATA_DIR", default_value = ".quiver", global = true)]
    pub data_dir: PathBuf,
    /// Apps to serve, comma-separated (default: all).
    #[arg(long, env = "QUIVER_APPS", value_delimiter = ',', global = true)]
    pub apps: Vec<String>,
    /// Largest number of database connections.
    #[arg(long, env = "QUIVER_POOL_SIZE", default_value_t = 16, global = true)]
    pub pool_size: usize,
    /// Seconds a request waits for a database connection.
    #[arg(long, env = "QUIVER_POOL_TIMEOUT", default_value_t = 5, global = true)]
    pub pool_timeout: u64,
    /// Per-statement timeout in seconds (0: none).
    #[arg(long, env = "QUIVER_STATEMENT_TIMEOUT", default_value_t = 30, global = true)]
    pub statement_timeout: u64,
    /// Deepest allowed query nesting.
    #[arg(long, env = "QUIVER_MAX_DEPTH", default_value_t = 16, global = true)]
    pub max_depth: usize,
    /// Largest allowed query complexity (each selected field counts one).
    #[arg(long, env = "QUIVER_MAX_COMPLEXITY", default_value_t = 2000, global = true)]
    pub max_complexity: usize,
    /// Page size when a list gets neither `first` nor `last`.
    #[arg(long, env = "QUIVER_DEFAULT_PAGE_SIZE", default_value_t = 100, global = true)]
    pub default_page_size: usize,
    /// Largest accepted `first` / `last`.
    #[arg(long, env = "QUIVER_MAX_PAGE_SIZE", default_value_t = 1000, global = true)]
    pub max_page_size: usize,
    /// Largest accepted request body, in bytes.
    #[arg(long, env = "QUIVER_BODY_LIMIT", default_value_t = 1 << 20, global = true)]
    pub body_limit: usize,
    /// Allowed CORS origins, comma-separated; `*` allows any. None: CORS off.
    #[arg(long, env = "QUIVER_CORS_ORIGINS", value_delimiter = ',', global = true)]
    pub cors_origins: Vec<String>,
    /// Most concurrent WebSocket connections.
    #[arg(long, env = "QUIVER_MAX_WS_CONNECTIONS", default_value_t = 10_000, global = true)]
    pub max_ws_connections: usize,
    /// Most concurrent subscriptions on one WebSocket connection.
    #[arg(long, env = "QUIVER_MAX_SUBSCRIPTIONS", default_value_t = 100, global = true)]
    pub max_subscriptions: usize,
    /// Seconds between the server's WebSocket keep-alive messages.
    #[arg(long, env = "QUIVER_WS_KEEPALIVE", default_value_t = 15, global = true)]
    pub ws_keepalive: u64,
    /// Events queued per subscriber before it is ended as a slow consumer.
    #[arg(long, env = "QUIVER_SUBSCRIPTION_BUFFER", default_value_t = 1024, global = true)]
    pub subscription_buffer: usize,
    /// Seconds the change outbox keeps changes (how far back `after` can resume).
    #[arg(long, env = "QUIVER_CHANGE_RETENTION", default_value_t = 86_400, global = true)]
    pub change_retention: u64,
    /// With a private cluster, do not load demo data into empty apps.
    #[arg(long, env = "QUIVER_NO_DEMO_DATA", global = true)]
    pub no_demo_data: bool,
    /// Log format (levels come from RUST_LOG, default `info`).
    #[arg(long, env = "QUIVER_LOG_FORMAT", value_enum, default_value = "text", global = true)]
    pub log_format: LogFormat,
}

impl Options {
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
            ..RealtimeOptions::default()
        }
    }

    /// Query limits.
    pub fn limits(&self) -> QueryLimits {
        QueryLimits {
            depth: self.max_depth,
            complexity: self.max_complexity,
            pages: PageLimits { default: self.default_page_size, max: self.max_page_size },
        }
    }
}
