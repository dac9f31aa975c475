//! Wiring: from options and a database URL to a running HTTP server.

use std::future::Future;
use std::net::SocketAddr;

use tokio::net::TcpListener;

use crate::apps::{self, AppDef};
use crate::auth::jwt::{Claims, JwtVerifier};
use crate::auth::Authenticator;
use crate::catalog::model::AppModel;
use crate::catalog::App;
use crate::config::Options;
use crate::db::{self, Db};
use crate::error::QuiverError;
use crate::graphql;
use crate::http::{self, HttpState, SignIn, WsLimits};
use crate::realtime::{capture, Realtime};
use std::collections::BTreeMap;
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

/// One selected app as this server places it: in which database, in which
/// PostgreSQL schema ([`App::schema`]), and whether its tables are Quiver's.
struct Served {
    def: &'static AppDef,
    app: &'static App,
    url: String,
    existing: bool,
}

/// Places the selected apps by `--app-database`, `--app-schema` and
/// `--existing-database` (`url` is the main database). Two apps in one
/// schema of one database are refused: the outbox tells apps apart by schema.
fn place(options: &Options, url: &str) -> Result<Vec<Served>, QuiverError> {
    let mut served: Vec<Served> = Vec::new();
    for def in select_apps(&options.apps)? {
        let placement = options.placement(def.name())?;
        let app = def.app().in_schema(placement.schema.as_deref().unwrap_or(def.name()));
        let url = placement.database.unwrap_or_else(|| url.to_string());
        if let Some(other) = served.iter().find(|s| s.url == url && s.app.schema == app.schema) {
            return Err(QuiverError::BadInput(format!(
                "apps {} and {} are both placed in schema {} of one database",
                other.def.name(),
                def.name(),
                app.schema
            )));
        }
        served.push(Served { def, app, url, existing: placement.existing });
    }
    Ok(served)
}

/// Each selected app as served (in its schema) with its database URL
/// (`url` is the main one), as `--app-database` and `--app-schema` place them.
pub fn placed_apps(options: &Options, url: &str) -> Result<Vec<(&'static App, String)>, QuiverError> {
    Ok(place(options, url)?.into_iter().map(|s| (s.app, s.url)).collect())
}

/// The databases the apps are placed in, the main one first, each with its
/// apps; a database whose apps are all `--existing-database` gets only
/// Quiver's core migrations.
fn databases<'a>(served: &'a [Served], url: &str) -> Vec<(String, Vec<&'a Served>)> {
    let mut out: Vec<(String, Vec<&Served>)> = vec![(url.to_string(), Vec::new())];
    for s in served {
        match out.iter_mut().find(|(u, _)| *u == s.url) {
            Some((_, apps)) => apps.push(s),
            None => out.push((s.url.clone(), vec![s])),
        }
    }
    out
}

/// Applies migrations to every database the apps are placed in: all of
/// them where Quiver owns an app's tables (and to the main database), only
/// the core ones ([`db::existing::CORE_MIGRATIONS`]) where every app placed
/// there is served in place.
pub async fn migrate(options: &Options, url: &str) -> Result<Vec<String>, QuiverError> {
    let served = place(options, url)?;
    let mut applied = Vec::new();
    for (db_url, apps) in databases(&served, url) {
        if !apps.is_empty() && apps.iter().all(|s| s.existing) {
            // Nothing of Quiver's goes into a database none of whose apps will be served.
            let db = Db::connect(&db_url, &options.pool())?;
            let mut any_matches = false;
            for s in &apps {
                any_matches |= refusal(&db, s).await.is_none();
            }
            if any_matches {
                applied.extend(db::existing::migrate_core(&db_url).await?);
            }
        } else {
            applied.extend(db::migrate(&db_url).await?);
        }
    }
    Ok(applied)
}

/// Checks an app served in place; the report of a mismatch, if any.
async fn refusal(db: &Db, s: &Served) -> Option<String> {
    let problems = match db::existing::check(db, s.app).await {
        Ok(p) if p.is_empty() => return None,
        Ok(p) => p,
        Err(e) => vec![format!("its database could not be checked: {e}")],
    };
    Some(format!(
        "app {} is not served: schema {} of its database does not match its structure:\n  - {}",
        s.def.name(),
        s.app.schema,
        problems.join("\n  - ")
    ))
}

/// Builds the router for `options` over the database at `url` (migrations
/// must already be applied, see [`migrate`]): checks the apps served in
/// place (refusing those that do not match, with their report on `/readyz`
/// and in the log), attaches change capture, starts one realtime hub per
/// database and builds every app's schema.
pub async fn router(options: &Options, url: &str) -> Result<(axum::Router, Vec<Realtime>), QuiverError> {
    let main = Db::connect(url, &options.pool())?;
    let served = place(options, url)?;
    let keyring = options.keyring()?;
    let sign_ins = match (&options.graphiql_token, options.jwt_secret.as_deref()) {
        (Some(_), Some(secret)) => demo_sign_ins(&served.iter().map(|s| s.def).collect::<Vec<_>>(), secret)?,
        _ => Default::default(),
    };
    crate::auth::secrets::set_hash_concurrency(options.hash_concurrency);
    let attempts = crate::auth::api_keys::AttemptLimits {
        max_failures: options.api_key_max_failures,
        window: std::time::Duration::from_secs(options.api_key_failure_window.max(1)),
    };
    let mut auth = Authenticator::new(JwtVerifier::new(&options.jwt())?, main.clone()).with_key_attempts(attempts);
    let mut schemas = Vec::new();
    let mut refused = Vec::new();
    let mut hubs = Vec::new();
    let mut app_hubs = Vec::new();
    for (db_url, placed) in databases(&served, url) {
        let db = if db_url == url {
            main.clone()
        } else {
            let mut db = Db::connect(&db_url, &options.pool())?;
            db.stats = main.stats.clone();
            db.metrics = main.metrics.clone();
            db
        };
        let mut apps: Vec<&Served> = Vec::new();
        for s in placed {
            match if s.existing { refusal(&db, s).await } else { None } {
                Some(report) => {
                    tracing::error!(app = s.def.name(), "{report}");
                    refused.push((s.def.name(), report));
                }
                None => apps.push(s),
            }
        }
        if apps.is_empty() {
            continue;
        }
        let built: Vec<&'static App> = apps.iter().map(|s| s.app).collect();
        capture::install(&db_url, &built).await?;
        let models = built.iter().map(|a| Arc::new(AppModel::new(a))).collect();
        let realtime = Realtime::start(db.clone(), &db_url, models, options.realtime()).await?;
        for s in apps {
            app_hubs.push((s.app.name, realtime.clone()));
            let schema = graphql::build(s.app, s.def.mutations, db.clone(), options.limits(), Some(realtime.clone()), keyring.clone())?;
            schemas.push((s.app, schema));
            if db_url != url {
                auth = auth.with_app_db(s.app.name, db.clone());
            }
            if let Some(resolve) = s.def.principal {
                auth = auth.with_resolver(s.app.name, resolve);
            }
        }
        hubs.push(realtime);
    }
    let limits = WsLimits {
        connections: options.max_ws_connections,
        subscriptions: options.max_subscriptions,
        keepalive: std::time::Duration::from_secs(options.ws_keepalive.max(1)),
        init_timeout: std::time::Duration::from_secs(options.ws_init_timeout.max(1)),
        per_address: options.max_ws_per_address,
        per_principal: options.max_ws_per_principal,
        revalidate: std::time::Duration::from_secs(options.revalidate_interval.max(1)),
    };
    let state = HttpState::new(main, schemas, options.body_limit, limits, auth, options.trusted_proxies()?)
        .with_response_limit(options.max_response_bytes)
        .with_graphiql_token(options.graphiql_token.clone())
        .with_refused(refused)
        .with_graphiql_users(sign_ins)
        .with_realtime(app_hubs);
    Ok((http::router(state, &options.cors_origins), hubs))
}

/// Development mode: a token (signed with the development `secret`, valid
/// for 30 days) for each demo user of each app, for GraphiQL's "Sign in as".
fn demo_sign_ins(defs: &[&'static AppDef], secret: &str) -> Result<BTreeMap<&'static str, Vec<SignIn>>, QuiverError> {
    let mut out = BTreeMap::new();
    for def in defs {
        let users = def.demo.as_ref().map_or(&[][..], |d| d.users);
        let sign_ins = users
            .iter()
            .map(|u| {
                let claims = Claims::minted(Some(u.sub.to_string()), "authenticated", None, 30 * 86_400);
                Ok(SignIn { name: u.name, about: u.about, token: crate::auth::jwt::mint_hs256(secret, &claims)? })
            })
            .collect::<Result<Vec<_>, QuiverError>>()?;
        out.insert(def.name(), sign_ins);
    }
    Ok(out)
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
    let applied = migrate(options, url).await?;
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
    let hubs = realtime.clone();
    let result = axum::serve(listener, router.into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(async move {
            shutdown.await;
            // WebSocket tasks are not tracked by axum: end their streams explicitly.
            hubs.iter().for_each(Realtime::shutdown);
        })
        .await
        .map_err(|e| QuiverError::Internal(format!("server: {e}")));
    realtime.iter().for_each(Realtime::shutdown);
    result
}
