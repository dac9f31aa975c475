//! Wiring: from options and a database URL to a running HTTP server.

use std::future::Future;
use std::net::SocketAddr;

use tokio::net::TcpListener;

use crate::apps;
use crate::catalog::App;
use crate::config::Options;
use crate::db::{self, Db};
use crate::error::QuiverError;
use crate::graphql;
use crate::http::{self, HttpState};

/// The apps named in `names` (all when empty), or an error naming the unknown one.
pub fn select_apps(names: &[String]) -> Result<Vec<&'static App>, QuiverError> {
    if names.is_empty() {
        return Ok(apps::APPS.to_vec());
    }
    names
        .iter()
        .map(|n| {
            apps::find(n.trim()).ok_or_else(|| {
                let known: Vec<_> = apps::APPS.iter().map(|a| a.name).collect();
                QuiverError::BadInput(format!("unknown app {n}; known apps: {}", known.join(", ")))
            })
        })
        .collect()
}

/// Builds the router for `options` over the database at `url` (migrations
/// must already be applied).
pub fn router(options: &Options, url: &str) -> Result<axum::Router, QuiverError> {
    let db = Db::connect(url, &options.pool())?;
    let mut schemas = Vec::new();
    for app in select_apps(&options.apps)? {
        schemas.push((app.name, graphql::build(app, db.clone(), options.limits())?));
    }
    let state = HttpState::new(db, schemas, options.body_limit);
    Ok(http::router(state, &options.cors_origins))
}

/// Migrates, then serves on `listener` until `shutdown` completes.
pub async fn serve(
    options: &Options,
    url: &str,
    listener: TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), QuiverError> {
    let applied = db::migrate(url).await?;
    if !applied.is_empty() {
        tracing::info!(migrations = ?applied, "applied migrations");
    }
    let router = router(options, url)?;
    let addr: SocketAddr = listener.local_addr().map_err(|e| QuiverError::Internal(e.to_string()))?;
    let names: Vec<_> = select_apps(&options.apps)?.iter().map(|a| a.name).collect();
    tracing::info!(%addr, apps = ?names, "serving GraphQL at http://{addr}/graphql/<app>");
    axum::serve(listener, router.into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(shutdown)
        .await
        .map_err(|e| QuiverError::Internal(format!("server: {e}")))
}
