//! The database layer: connection pool, embedded migrations, and the one
//! function every generated statement goes through ([`Db::fetch`]).
//!
//! Generated SQL binds every value as text (or a text array) and casts it to
//! the column's type in SQL, so one boxed diesel query type serves every table.
//! Rows come back in PostgreSQL's binary format ([`row::DbRow`]).

pub mod cluster;
pub mod demo;
pub mod existing;
pub mod introspect;
pub mod row;
pub mod script;
pub mod value;

pub use row::{Datum, DbRow};

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use diesel::pg::Pg;
use diesel::sql_types::{Array, Nullable, Text};
use diesel_async::async_connection_wrapper::AsyncConnectionWrapper;
use diesel_async::pooled_connection::deadpool::{Object, Pool};
use diesel_async::pooled_connection::{AsyncDieselConnectionManager, ManagerConfig, RecyclingMethod};
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl, SimpleAsyncConnection};
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};
use futures_util::FutureExt;

use crate::error::{QuiverError, Result};
use crate::sql::{Bind, Sql};

/// Every migration under `migrations/`, compiled into the binary.
pub const MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations");

/// Advisory lock key held while migrating, so concurrent instances take turns.
const MIGRATION_LOCK: i64 = 0x5155_4956_4552; // "QUIVER"

/// Counters exposed on `/metrics`.
#[derive(Debug, Default)]
pub struct Stats {
    /// SQL statements sent by request handling.
    pub statements: AtomicU64,
    /// Outbox reads by the realtime feed and resuming subscribers.
    pub outbox_reads: AtomicU64,
    /// Queries answered on the direct read path.
    pub direct_reads: AtomicU64,
}

/// The shared database handle: a pool and its counters.
#[derive(Clone)]
pub struct Db {
    pool: Pool<AsyncPgConnection>,
    /// Statement counters.
    pub stats: Arc<Stats>,
    /// The instance's metric registry (`/metrics`).
    pub metrics: Arc<crate::metrics::Metrics>,
}

/// Pool settings.
#[derive(Debug, Clone)]
pub struct PoolOptions {
    /// Largest number of open connections (at least 2).
    pub max_size: usize,
    /// How long a request waits for a connection before `SERVICE_UNAVAILABLE`.
    pub wait_timeout: Duration,
    /// Per-statement timeout set on every connection (0 = none).
    pub statement_timeout: Duration,
}

impl Default for PoolOptions {
    fn default() -> Self {
        PoolOptions { max_size: 16, wait_timeout: Duration::from_secs(5), statement_timeout: Duration::from_secs(30) }
    }
}

impl Db {
    /// Builds a pool for `url`. Connections are opened lazily.
    pub fn connect(url: &str, options: &PoolOptions) -> Result<Db> {
        let statement_timeout = options.statement_timeout.as_millis();
        let mut config = ManagerConfig::<AsyncPgConnection>::default();
        config.recycling_method = RecyclingMethod::Fast;
        config.custom_setup = Box::new(move |url| {
            let url = url.to_string();
            async move {
                let mut conn = AsyncPgConnection::establish(&url).await?;
                conn.batch_execute(&format!("SET TIME ZONE 'UTC'; SET statement_timeout = {statement_timeout}"))
                    .await
                    .map_err(diesel::ConnectionError::CouldntSetupConfiguration)?;
                Ok(conn)
            }
            .boxed()
        });
        let manager = AsyncDieselConnectionManager::new_with_config(url, config);
        let pool = Pool::builder(manager)
            .max_size(options.max_size.max(2))
            .wait_timeout(Some(options.wait_timeout))
            .create_timeout(Some(options.wait_timeout))
            .runtime(deadpool::Runtime::Tokio1)
            .build()
            .map_err(|e| QuiverError::Internal(format!("pool: {e}")))?;
        Ok(Db { pool, stats: Arc::default(), metrics: Arc::default() })
    }

    /// Takes a connection from the pool.
    pub async fn conn(&self) -> Result<Object<AsyncPgConnection>> {
        self.pool.get().await.map_err(|e| QuiverError::Unavailable(e.to_string()))
    }

    /// The pool's connections and waiting requests, for `/metrics`.
    pub fn pool_state(&self) -> crate::metrics::PoolState {
        let s = self.pool.status();
        crate::metrics::PoolState { max: s.max_size, open: s.size, idle: s.available, waiting: s.waiting }
    }

    /// Runs one generated statement and returns its rows.
    pub async fn fetch(&self, sql: Sql) -> Result<Vec<DbRow>> {
        let mut conn = self.conn().await?;
        self.fetch_on(&mut conn, sql).await
    }

    /// Runs one generated statement on a given connection (e.g. inside a transaction).
    pub async fn fetch_on(&self, conn: &mut AsyncPgConnection, sql: Sql) -> Result<Vec<DbRow>> {
        self.stats.statements.fetch_add(1, Ordering::Relaxed);
        tracing::debug!(sql = %sql.text, binds = sql.binds.len(), "sql");
        let mut query = diesel::sql_query(sql.text).into_boxed::<Pg>();
        for bind in sql.binds {
            query = match bind {
                Bind::Text(v) => query.bind::<Nullable<Text>, _>(v),
                Bind::Array(v) => query.bind::<Array<Nullable<Text>>, _>(v),
            };
        }
        Ok(query.load::<DbRow>(conn).await?)
    }

    /// Records who acts in the current transaction (`quiver.user_id`, read by
    /// audit triggers as `changed_by`); a no-op for callers without a user.
    pub async fn act_as(&self, conn: &mut AsyncPgConnection, who: &crate::catalog::Principal) -> Result<()> {
        if let Some(user) = &who.user_id {
            self.stats.statements.fetch_add(1, Ordering::Relaxed);
            diesel::sql_query("SELECT set_config('quiver.user_id', $1, true)").bind::<Text, _>(user).execute(conn).await?;
        }
        Ok(())
    }

    /// Whether the database answers (for `/readyz`).
    pub async fn ping(&self) -> Result<()> {
        let mut conn = self.conn().await?;
        conn.batch_execute("SELECT 1").await?;
        Ok(())
    }
}

/// Applies every pending embedded migration to the database at `url`,
/// holding an advisory lock so that concurrent instances take turns.
pub async fn migrate(url: &str) -> Result<Vec<String>> {
    migrate_with(url, |_| {}).await
}

/// [`migrate`], telling `progress` before each pending migration.
pub async fn migrate_with(url: &str, mut progress: impl FnMut(demo::Step) + Send + 'static) -> Result<Vec<String>> {
    let url = url.to_string();
    tokio::task::spawn_blocking(move || -> Result<Vec<String>> {
        let mut conn = <AsyncConnectionWrapper<AsyncPgConnection> as diesel::Connection>::establish(&url)
            .map_err(|e| QuiverError::Unavailable(e.to_string()))?;
        diesel::connection::SimpleConnection::batch_execute(&mut conn, &format!("SELECT pg_advisory_lock({MIGRATION_LOCK})"))?;
        let mut run = || -> Result<Vec<String>> {
            let failed = |e: Box<dyn std::error::Error + Send + Sync>| QuiverError::Internal(format!("migration failed: {e}"));
            let pending = conn.pending_migrations(MIGRATIONS).map_err(failed)?;
            let total = pending.len();
            let mut applied = Vec::new();
            for (done, m) in pending.iter().enumerate() {
                progress(demo::Step { done, total, what: m.name().to_string() });
                applied.push(conn.run_migration(m.as_ref()).map_err(failed)?.to_string());
            }
            Ok(applied)
        };
        let applied = run();
        diesel::connection::SimpleConnection::batch_execute(&mut conn, &format!("SELECT pg_advisory_unlock({MIGRATION_LOCK})"))?;
        applied
    })
    .await
    .map_err(|e| QuiverError::Internal(e.to_string()))?
}

/// Runs a script of SQL statements (no parameters, no results) on `url`.
pub async fn execute_script(url: &str, script: &str) -> Result<()> {
    let mut conn = AsyncPgConnection::establish(url).await.map_err(|e| QuiverError::Unavailable(e.to_string()))?;
    conn.batch_execute(script).await?;
    Ok(())
}

/// Groups the rows of a read by the parent key their tag names (`""` for the
/// untagged rows of a root read), turning each row into a `T`. A parent's rows
/// arrive together, so each run of one tag costs one key string.
pub fn group_by_parent<T>(
    rows: Vec<DbRow>,
    parents: &[String],
    mut each: impl FnMut(DbRow) -> Result<T>,
) -> Result<std::collections::HashMap<String, Vec<T>>> {
    let mut out: std::collections::HashMap<String, Vec<T>> = std::collections::HashMap::new();
    let mut run: Option<(Option<i64>, &mut Vec<T>)> = None;
    for row in rows {
        let tag = row.int(0)?;
        if run.as_ref().is_none_or(|(t, _)| *t != tag) {
            let parent = match tag {
                None => "",
                Some(i) => parents
                    .get((i as usize).wrapping_sub(1))
                    .ok_or_else(|| QuiverError::Internal("a batched row names no parent".into()))?,
            };
            run = Some((tag, out.entry(parent.to_string()).or_default()));
        }
        let value = each(row)?;
        run.as_mut().expect("a run is open").1.push(value);
    }
    Ok(out)
}
