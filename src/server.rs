//! Wiring: from options and a database URL to a running HTTP server.

use std::future::Future;
use std::net::SocketAddr;

use tokio::net::TcpListener;

use crate::apps::{self, AppDef};
use crate::auth::jwt::JwtVerifier;
use crate::auth::Authenticator;
use crate::catalog::model::AppModel;
use crate::config::Options;
use crate::db::{self, Db};
use crate::error::QuiverError;
use crate::graphql;
use crate::http::{self, HttpState, WsLimits};
use crate::realtime::{capture, Realtime};
use std::sync::Arc;

/// The apps named in `names` (all when empty), built, or an error naming
/// the unknown one or the problems of an invalid one.
pub fn select_apps(names: &[String]) -> Result<Vec<&'static AppDef>, QuiverError> {
    let defs = apps::select(names)?;
    for def in &defs {
        def.build()?;
    }
    Ok(defs)
}

/// Builds the router for `options` over the database at `url` (migrations
/// must already be applied): attaches change capture, starts the realtime
/// hub and builds every app's schema.
pub async fn router(options: &Options, url: &str) -> Result<(axum::Router, Realtime), QuiverError> {
    let db = Db::connect(url, &options.pool())?;
    let defs = select_apps(&options.apps)?;
    let apps: Vec<_> = defs.iter().map(|d| d.app()).collect();
    capture::install(url, &apps).await?;
    let models = apps.iter().map(|a| Arc::new(AppModel::new(a))).collect();
    let realtime = Realtime::start(db.clone(), url, models, options.realtime()).await?;
    let keyring = options.keyring()?;
    let mut schemas = Vec::new();
    crate::auth::secrets::set_hash_concurrency(options.hash_concurrency);
    let attempts = crate::auth::api_keys::AttemptLimits {
        max_failures: options.api_key_max_failures,
        window: std::time::Duration::from_secs(options.api_key_failure_window.max(1)),
    };
    let mut auth = Authenticator::new(JwtVerifier::new(&options.jwt())?, db.clone()).with_key_attempts(attempts);
    for def in defs {
        let app = def.app();
        let schema = graphql::build(app, def.mutations, db.clone(), options.limits(), Some(realtime.clone()), keyring.clone())?;
        schemas.push((app, schema));
        if let Some(resolve) = def.principal {
            auth = auth.with_resolver(app.name, resolve);
        }
    }
    let limits = WsLimits {
        connections: options.max_ws_connections,
        subscriptions: options.max_subscriptions,
        keepalive: std::time::Duration::from_secs(options.ws_keepalive.max(1)),
        init_timeout: std::time::Duration::from_secs(options.ws_init_timeout.max(1)),
        per_address: options.max_ws_per_address,
        per_principal: options.max_ws_per_principal,
    };
    let state = HttpState::new(db, schemas, options.body_limit, limits, auth, options.trusted_proxies()?)
        .with_response_limit(options.max_response_bytes)
        .with_graphiql_token(options.graphiql_token.clone())
        .with_realtime(realtime.clone());
    Ok((http::router(state, &options.cors_origins), realtime))
}

/// Migrates, then serves on `listener` until `shutdown` completes; on
/// shutdown, subscription streams end before the server stops. A GraphiQL
/// development token is served only when both the configured address and the
/// listener's are loopback addresses.
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
    let addr: SocketAddr = listener.local_addr().map_err(|e| QuiverError::Internal(e.to_string()))?;
    let mut options = options.clone();
    if options.graphiql_token.is_some() && !(options.listen.ip().is_loopback() && addr.ip().is_loopback()) {
        tracing::warn!(%addr, "not a loopback address: GraphiQL pages get no development token");
        options.graphiql_token = None;
    }
    let options = &options;
    let (router, realtime) = router(options, url).await?;
    let names: Vec<_> = select_apps(&options.apps)?.iter().map(|a| a.name()).collect();
    tracing::info!(%addr, apps = ?names, "serving GraphQL at http://{addr}/graphql/<app>");
    let hub = realtime.clone();
    let result = axum::serve(listener, router.into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(async move {
            shutdown.await;
            // WebSocket tasks are not tracked by axum: end their streams explicitly.
            hub.shutdown();
        })
        .await
        .map_err(|e| QuiverError::Internal(format!("server: {e}")));
    realtime.shutdown();
    result
}
