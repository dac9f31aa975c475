//! The HTTP edge: routes, GraphQL over HTTP, GraphiQL, WebSocket upgrade,
//! health and metrics. Thin by design: all GraphQL work happens in
//! [`crate::graphql`].

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use async_graphql::http::ALL_WEBSOCKET_PROTOCOLS;
use async_graphql::{BatchRequest, ServerError};
use async_graphql_axum::{GraphQLProtocol, GraphQLWebSocket};
use axum::body::{to_bytes, Body};
use axum::extract::ws::{Message, WebSocket};
use axum::extract::{Path, Request, State, WebSocketUpgrade};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get};
use axum::Router;
use futures_util::{SinkExt, StreamExt};
use tower_http::cors::{AllowOrigin, Any, CorsLayer};

use crate::auth::{client_ip, session, Authenticator, Cidr, Credentials, Principal, Session};
use crate::catalog::App;
use crate::db::Db;
use crate::error::{code, QuiverError};
use crate::graphql::errors::with_code;
use crate::graphql::subscriptions::SubscriptionBudget;
use crate::graphql::{Answer, AppSchema};
use axum::extract::ConnectInfo;
use std::net::{IpAddr, SocketAddr};
use std::time::Duration;
use tokio::sync::Semaphore;

mod graphiql;
mod params;
pub mod persisted;
pub mod supabase;

pub use graphiql::SignIn;

use persisted::PersistedQueries;

const GRAPHQL_RESPONSE_JSON: &str = "application/graphql-response+json";

/// WebSocket limits.
#[derive(Debug, Clone, Copy)]
pub struct WsLimits {
    /// Concurrent connections.
    pub connections: usize,
    /// Concurrent subscriptions per connection.
    pub subscriptions: usize,
    /// Interval of the server's keep-alive messages.
    pub keepalive: Duration,
    /// How long a connection may take to send `connection_init` (then it is
    /// closed with 4408, as graphql-transport-ws says).
    pub init_timeout: Duration,
    /// Concurrent connections from one client address.
    pub per_address: usize,
    /// Concurrent connections of one signed-in user or API-key tenant.
    pub per_principal: usize,
    /// How often an open connection's credentials are resolved again (see
    /// [`Session`]); each operation also resolves them when it starts.
    pub revalidate: Duration,
}

/// Live connections per key (a client address, a principal), each held by a
/// [`Held`] that gives its place back when dropped.
#[derive(Debug, Default)]
struct ConnectionCounts(std::sync::Mutex<std::collections::HashMap<String, usize>>);

/// One place in a [`ConnectionCounts`].
struct Held {
    counts: Arc<ConnectionCounts>,
    key: String,
}

impl ConnectionCounts {
    /// A place for `key` when it holds fewer than `max`.
    fn try_hold(self: &Arc<Self>, key: String, max: usize) -> Option<Held> {
        let mut map = self.0.lock().unwrap_or_else(|p| p.into_inner());
        let n = map.entry(key.clone()).or_insert(0);
        if *n >= max {
            return None;
        }
        *n += 1;
        Some(Held { counts: self.clone(), key })
    }
}

impl Drop for Held {
    fn drop(&mut self) {
        let mut map = self.counts.0.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(n) = map.get_mut(&self.key) {
            *n -= 1;
            if *n == 0 {
                map.remove(&self.key);
            }
        }
    }
}

/// Shared state of the HTTP edge.
#[derive(Clone)]
pub struct HttpState {
    db: Db,
    apps: Arc<BTreeMap<&'static str, (&'static App, AppSchema)>>,
    auth: Arc<Authenticator>,
    trusted_proxies: Arc<Vec<Cidr>>,
    graphiql_token: Option<Arc<str>>,
    graphiql_users: Arc<BTreeMap<&'static str, Vec<SignIn>>>,
    requests: Arc<BTreeMap<&'static str, AtomicU64>>,
    body_limit: usize,
    ws_limits: WsLimits,
    ws_connections: Arc<Semaphore>,
    persisted: PersistedQueries,
    ws_per_address: Arc<ConnectionCounts>,
    ws_per_principal: Arc<ConnectionCounts>,
    response_limit: usize,
    /// Apps refused at start-up, each with the report saying why.
    refused: Arc<BTreeMap<&'static str, String>>,
    /// The realtime hub serving each app (the Supabase Realtime protocol, [`supabase`]).
    realtime: Arc<BTreeMap<&'static str, crate::realtime::Realtime>>,
}

impl HttpState {
    /// State for serving `apps` over `db`, authenticating with `auth`.
    pub fn new(
        db: Db,
        apps: Vec<(&'static App, AppSchema)>,
        body_limit: usize,
        ws_limits: WsLimits,
        auth: Authenticator,
        trusted_proxies: Vec<Cidr>,
    ) -> Self {
        let requests = apps.iter().map(|(a, _)| (a.name, AtomicU64::new(0))).collect();
        HttpState {
            db,
            apps: Arc::new(apps.into_iter().map(|(a, s)| (a.name, (a, s))).collect()),
            auth: Arc::new(auth),
            trusted_proxies: Arc::new(trusted_proxies),
            graphiql_token: None,
            graphiql_users: Arc::default(),
            requests: Arc::new(requests),
            body_limit,
            ws_connections: Arc::new(Semaphore::new(ws_limits.connections)),
            ws_limits,
            persisted: PersistedQueries::default(),
            ws_per_address: Arc::default(),
            ws_per_principal: Arc::default(),
            response_limit: usize::MAX,
            refused: Arc::default(),
            realtime: Arc::default(),
        }
    }
}

impl HttpState {
    /// Withholds response bodies larger than `bytes` (`LIMIT_EXCEEDED`).
    pub fn with_response_limit(mut self, bytes: usize) -> Self {
        self.response_limit = bytes;
        self
    }

    /// Answers the endpoints of apps refused at start-up (an existing
    /// database that does not match) with 503 and the report, which
    /// `/readyz` lists too.
    pub fn with_refused(mut self, refused: Vec<(&'static str, String)>) -> Self {
        self.refused = Arc::new(refused.into_iter().collect());
        self
    }

    /// Serves the Supabase Realtime protocol ([`supabase`]) from each app's hub.
    pub fn with_realtime(mut self, hubs: Vec<(&'static str, crate::realtime::Realtime)>) -> Self {
        self.realtime = Arc::new(hubs.into_iter().collect());
        self
    }

    /// Has GraphiQL pages send `token` (development mode).
    pub fn with_graphiql_token(mut self, token: Option<String>) -> Self {
        self.graphiql_token = token.map(Arc::from);
        self
    }

    /// Has each app's GraphiQL page offer to sign in as its demo users
    /// (development mode; only along with a development token).
    pub fn with_graphiql_users(mut self, users: BTreeMap<&'static str, Vec<SignIn>>) -> Self {
        self.graphiql_users = Arc::new(users);
        self
    }
}

/// The router: `/graphql/<app>` (GET GraphiQL or a query, POST queries),
/// `/graphql/<app>/ws`, `/graphql/<app>/schema.graphql`,
/// `/graphql/<app>/assets/<file>` (GraphiQL's), `/healthz`, `/readyz`, `/metrics`,
/// and Supabase Realtime's `/realtime/v1/…` ([`supabase`]).
pub fn router(state: HttpState, cors_origins: &[String]) -> Router {
    let mut router = Router::new().route("/healthz", get(|| async { "ok" })).route("/readyz", get(readyz)).route("/metrics", get(metrics));
    for &name in state.apps.keys() {
        let path = format!("/graphql/{name}");
        router = router
            .route(&path, get(move |s, r| graphql_get(s, name, r)).post(move |s, r| graphql_http(s, name, r)))
            .route(&format!("{path}/ws"), get(move |s, c, h, p, u| graphql_ws(s, name, c, h, p, u)));
        let sdl: Arc<str> = state.apps[name].1.schema.sdl().into();
        router = router.route(&format!("{path}/schema.graphql"), get(move || schema_sdl(sdl.clone()))).route(
            &format!("{path}/assets/{{file}}"),
            get(|Path(file): Path<String>, headers: HeaderMap| async move { graphiql::asset(&file, &headers) }),
        );
    }
    for (&name, report) in state.refused.iter() {
        let body =
            serde_json::json!({ "errors": [{ "message": report, "extensions": { "code": crate::error::code::SERVICE_UNAVAILABLE } }] });
        let answer = move || {
            let body = body.to_string();
            async move { (StatusCode::SERVICE_UNAVAILABLE, [(header::CONTENT_TYPE, "application/json")], body).into_response() }
        };
        router = router.route(&format!("/graphql/{name}"), any(answer.clone())).route(&format!("/graphql/{name}/ws"), any(answer));
    }
    let apps: Vec<&'static str> = state.apps.keys().copied().collect();
    let router = supabase::routes(router, &apps);
    let router = catch_panics(router.fallback(not_found).with_state(state));
    if cors_origins.is_empty() {
        return router;
    }
    let origin = if cors_origins.iter().any(|o| o == "*") {
        AllowOrigin::from(Any)
    } else {
        AllowOrigin::list(cors_origins.iter().filter_map(|o| HeaderValue::from_str(o).ok()))
    };
    router.layer(CorsLayer::new().allow_origin(origin).allow_methods(Any).allow_headers(Any))
}

/// Answers a request whose handler panicked with status 500 and a JSON
/// GraphQL error coded `INTERNAL` (with a request id naming the log entry),
/// instead of dropping the connection.
pub fn catch_panics(router: Router) -> Router {
    router.layer(tower_http::catch_panic::CatchPanicLayer::custom(|_: Box<dyn std::any::Any + Send>| {
        let body = serde_json::json!({ "errors": [crate::graphql::errors::panic_error()] });
        (StatusCode::INTERNAL_SERVER_ERROR, [(header::CONTENT_TYPE, "application/json")], body.to_string()).into_response()
    }))
}

async fn readyz(State(state): State<HttpState>) -> Response {
    match state.db.ping().await {
        Ok(()) if state.refused.is_empty() => (StatusCode::OK, "ready").into_response(),
        // The other apps serve; the refused ones say why.
        Ok(()) => {
            let reports: Vec<&str> = state.refused.values().map(String::as_str).collect();
            (StatusCode::OK, format!("ready\n{}", reports.join("\n"))).into_response()
        }
        Err(e) => {
            tracing::warn!(error = %e, "readiness check failed");
            (StatusCode::SERVICE_UNAVAILABLE, "database unreachable").into_response()
        }
    }
}

async fn metrics(State(state): State<HttpState>) -> Response {
    let mut out = String::new();
    out.push_str("# HELP quiver_sql_statements_total SQL statements sent while serving requests.\n");
    out.push_str("# TYPE quiver_sql_statements_total counter\n");
    out.push_str(&format!("quiver_sql_statements_total {}\n", state.db.stats.statements.load(Ordering::Relaxed)));
    out.push_str("# HELP quiver_outbox_reads_total Change-outbox reads by the realtime feed and resuming subscribers.\n");
    out.push_str("# TYPE quiver_outbox_reads_total counter\n");
    out.push_str(&format!("quiver_outbox_reads_total {}\n", state.db.stats.outbox_reads.load(Ordering::Relaxed)));
    out.push_str("# HELP quiver_direct_reads_total Queries answered on the direct read path (JSON written from rows).\n");
    out.push_str("# TYPE quiver_direct_reads_total counter\n");
    out.push_str(&format!("quiver_direct_reads_total {}\n", state.db.stats.direct_reads.load(Ordering::Relaxed)));
    out.push_str("# HELP quiver_password_hashes_total Secrets hashed for writes (argon2).\n");
    out.push_str("# TYPE quiver_password_hashes_total counter\n");
    let hashes: u64 = state.apps.values().map(|(_, s)| s.context.secrets.hashes()).sum();
    out.push_str(&format!("quiver_password_hashes_total {hashes}\n"));
    out.push_str("# HELP quiver_api_key_verifications_total API-key secret verifications (argon2), dummy ones for unknown ids included.\n");
    out.push_str("# TYPE quiver_api_key_verifications_total counter\n");
    out.push_str(&format!("quiver_api_key_verifications_total {}\n", state.auth.key_verifications()));
    out.push_str("# HELP quiver_graphql_requests_total GraphQL HTTP requests per app.\n");
    out.push_str("# TYPE quiver_graphql_requests_total counter\n");
    for (app, n) in state.requests.iter() {
        out.push_str(&format!("quiver_graphql_requests_total{{app=\"{app}\"}} {}\n", n.load(Ordering::Relaxed)));
    }
    state.db.metrics.render(&mut out, state.db.pool_state());
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], out).into_response()
}

/// `GET /graphql/<app>`: a GraphQL query when the query string asks for one
/// (and the client does not prefer HTML), the GraphiQL page otherwise.
async fn graphql_get(state: State<HttpState>, app: &'static str, request: Request) -> Response {
    if params::is_graphql_get(request.headers(), request.uri()) {
        return graphql_http(state, app, request).await;
    }
    let users = state.graphiql_users.get(app).map_or(&[][..], Vec::as_slice);
    graphiql::page(app, state.graphiql_token.as_deref(), users)
}

/// `GET /graphql/<app>/schema.graphql`: the app's SDL, as `quiver schema <app>`
/// prints it (for client code generators).
async fn schema_sdl(sdl: Arc<str>) -> Response {
    ([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], sdl.to_string()).into_response()
}

async fn not_found() -> Response {
    (StatusCode::NOT_FOUND, "not found; GraphQL endpoints are at /graphql/<app>\n").into_response()
}

/// A response carrying only request-level errors (nothing executed).
fn request_error(status: StatusCode, message: &str, code: &str, media: &'static str) -> Response {
    let error = with_code(ServerError::new(message, None), code);
    let body = serde_json::json!({ "errors": [error] });
    (status, [(header::CONTENT_TYPE, media)], body.to_string()).into_response()
}

/// The response to a request refused before execution ([`params::parse`]).
fn refusal(r: params::Refusal, media: &'static str) -> Response {
    let status = r.status.unwrap_or(match media {
        GRAPHQL_RESPONSE_JSON => StatusCode::BAD_REQUEST,
        _ => StatusCode::OK,
    });
    let mut response = request_error(status, &r.message, r.code, media);
    if status == StatusCode::METHOD_NOT_ALLOWED {
        response.headers_mut().insert(header::ALLOW, HeaderValue::from_static("POST"));
    }
    response
}

/// `POST /graphql/<app>` (and `GET` with parameters): GraphQL over HTTP.
/// With `Accept: application/graphql-response+json` request errors get
/// status 400, as the GraphQL-over-HTTP spec asks; with `application/json`
/// every GraphQL result is 200. Request errors have no `data` entry.
async fn graphql_http(State(state): State<HttpState>, app: &'static str, request: Request) -> Response {
    let (declared, schema) = &state.apps[app];
    state.requests[app].fetch_add(1, Ordering::Relaxed);
    let metrics = &schema.context.metrics;
    let (parts, body) = request.into_parts();
    let headers = parts.headers;
    let accepts = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()).unwrap_or("");
    let media = if accepts.contains(GRAPHQL_RESPONSE_JSON) { GRAPHQL_RESPONSE_JSON } else { "application/json" };
    let peer = parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip());
    let who = match authenticate(&state, declared, &headers, peer).await {
        Ok(who) => who,
        Err(e) => {
            metrics.error(e.code());
            return refused(&e, media);
        }
    };
    let body = match to_bytes(body, state.body_limit).await {
        Ok(b) => b,
        Err(_) => {
            let msg = format!("the request body is larger than {} bytes", state.body_limit);
            metrics.error(code::PAYLOAD_TOO_LARGE);
            return request_error(StatusCode::PAYLOAD_TOO_LARGE, &msg, code::PAYLOAD_TOO_LARGE, media);
        }
    };
    let batch = match params::parse(&parts.method, &parts.uri, &headers, &body, &state.persisted) {
        Ok(b) => b,
        Err(r) => {
            metrics.error(r.code);
            return refusal(r, media);
        }
    };
    let (answers, single) = match batch {
        BatchRequest::Single(r) => (vec![schema.execute_as(r, who).await], true),
        BatchRequest::Batch(rs) => match schema.execute_batch(rs, who).await {
            Ok(answers) => (answers, false),
            Err(e) => {
                metrics.error(e.code());
                return request_error(StatusCode::BAD_REQUEST, &e.to_string(), e.code(), media);
            }
        },
    };
    // Under graphql-response+json, a single request that never executed is a 400.
    let status = match answers.first() {
        Some(a) if single && media == GRAPHQL_RESPONSE_JSON && a.is_request_error() => StatusCode::BAD_REQUEST,
        _ => StatusCode::OK,
    };
    let body = answers.iter().map(Answer::to_json).collect::<Result<Vec<_>, _>>().map(|parts| match single {
        true => parts.concat(),
        false => format!("[{}]", parts.join(",")),
    });
    match body {
        Ok(json) if json.len() > state.response_limit => {
            tracing::warn!(bytes = json.len(), limit = state.response_limit, "response over the size limit withheld");
            let msg = format!("the response is larger than {} bytes; ask for less", state.response_limit);
            metrics.error(code::LIMIT_EXCEEDED);
            request_error(status, &msg, code::LIMIT_EXCEEDED, media)
        }
        Ok(json) => (status, [(header::CONTENT_TYPE, media)], Body::from(json)).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "response serialisation failed");
            metrics.error(code::INTERNAL);
            request_error(StatusCode::INTERNAL_SERVER_ERROR, "internal error", code::INTERNAL, media)
        }
    }
}

/// Who the request's credentials stand for, calling from the client address
/// (the peer, or what a trusted proxy forwarded).
async fn authenticate(state: &HttpState, app: &'static App, headers: &HeaderMap, peer: Option<IpAddr>) -> Result<Principal, QuiverError> {
    let credentials = Credentials::from_headers(headers)?;
    state.auth.authenticate(app, &credentials, client_address(state, headers, peer)).await
}

fn client_address(state: &HttpState, headers: &HeaderMap, peer: Option<IpAddr>) -> Option<IpAddr> {
    let forwarded = headers.get("x-forwarded-for").and_then(|v| v.to_str().ok());
    peer.map(|p| client_ip(p, forwarded, &state.trusted_proxies))
}

/// The response to a request refused before execution (bad credentials,
/// refused address): 401 or 403 with a coded GraphQL error.
fn refused(e: &QuiverError, media: &'static str) -> Response {
    let status = match e {
        QuiverError::Unauthenticated(_) => StatusCode::UNAUTHORIZED,
        QuiverError::Forbidden(_) => StatusCode::FORBIDDEN,
        QuiverError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
        _ => StatusCode::INTERNAL_SERVER_ERROR,
    };
    let error = with_code(ServerError::new(e.to_string(), None), e.code());
    let body = serde_json::json!({ "errors": [error] });
    let mut response = (status, [(header::CONTENT_TYPE, media)], body.to_string()).into_response();
    if status == StatusCode::UNAUTHORIZED {
        response.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
    }
    response
}

/// `GET /graphql/<app>/ws`: graphql-transport-ws and the legacy graphql-ws
/// protocol. Credentials come in the `connection_init` payload (or the
/// upgrade request's headers); bad ones close the connection with
/// `UNAUTHENTICATED: …` (or `FORBIDDEN: …`) as the reason. The credentials
/// open a [`Session`], resolved again before each operation and every
/// `--revalidate-interval` (see [`serve_ws`]). Each connection gets a
/// subscription budget; each subscription a relation loader.
async fn graphql_ws(
    State(state): State<HttpState>,
    app: &'static str,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    protocol: GraphQLProtocol,
    upgrade: WebSocketUpgrade,
) -> Response {
    let Ok(permit) = state.ws_connections.clone().try_acquire_owned() else {
        return request_error(StatusCode::SERVICE_UNAVAILABLE, "too many WebSocket connections", code::LIMIT_EXCEEDED, "application/json");
    };
    let address = client_address(&state, &headers, Some(peer.ip()));
    let Some(address_place) =
        state.ws_per_address.try_hold(address.map_or_else(String::new, |a| a.to_string()), state.ws_limits.per_address)
    else {
        return request_error(
            StatusCode::TOO_MANY_REQUESTS,
            "too many WebSocket connections from this address",
            code::LIMIT_EXCEEDED,
            "application/json",
        );
    };
    let (declared, schema) = state.apps[app].clone();
    let budget = SubscriptionBudget::new(state.ws_limits.subscriptions);
    let limits = state.ws_limits;
    let auth = state.auth.clone();
    let per_principal = state.ws_per_principal.clone();
    let initialised = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let principal_place: Arc<std::sync::Mutex<Option<Held>>> = Arc::default();
    let (init_seen, place) = (initialised.clone(), principal_place.clone());
    let (opened, session) = tokio::sync::oneshot::channel::<Arc<Session>>();
    let refusals = schema.context.metrics.clone();
    let on_init = move |payload: serde_json::Value| async move {
        init_seen.store(true, Ordering::SeqCst);
        let init = Credentials::from_init_payload(&payload);
        let credentials = match init {
            Ok(c) if c.bearer.is_none() && c.api_key.is_none() => Credentials::from_headers(&headers),
            other => other,
        };
        let opening = match credentials {
            Ok(c) => Session::open(auth, declared, c, address).await,
            Err(e) => Err(e),
        };
        let (session, who) = opening.map_err(|e| {
            refusals.error(e.code());
            async_graphql::Error::new(format!("{}: {e}", e.code()))
        })?;
        // Signed-in users and API-key tenants get a bounded number of connections.
        if let Some(key) = who.user_id.as_ref().map(|u| format!("user:{u}")).or_else(|| who.tenant.as_ref().map(|t| format!("tenant:{t}")))
        {
            let held = per_principal.try_hold(format!("{}/{key}", declared.name), limits.per_principal).ok_or_else(|| {
                async_graphql::Error::new(format!("{}: too many WebSocket connections for this caller", code::LIMIT_EXCEEDED))
            })?;
            *place.lock().unwrap_or_else(|p| p.into_inner()) = Some(held);
        }
        let mut data = async_graphql::Data::default();
        data.insert(who);
        data.insert(session.clone());
        let _ = opened.send(session);
        Ok(data)
    };
    let upgrade = upgrade.max_message_size(state.body_limit).max_frame_size(state.body_limit);
    upgrade.protocols(ALL_WEBSOCKET_PROTOCOLS).on_upgrade(move |socket| async move {
        let _open = schema.context.metrics.ws_connection();
        let mut data = async_graphql::Data::default();
        data.insert(budget);
        serve_ws(socket, schema, protocol, data, limits, (initialised, session), on_init).await;
        drop(principal_place);
        drop(address_place);
        drop(permit);
    })
}

/// Runs one GraphQL WebSocket connection. Outgoing messages pass through a
/// writer task that also sends the protocol's keep-alive (`ping` for
/// graphql-transport-ws, `ka` for the legacy protocol) every
/// `limits.keepalive`, so proxies keep the connection open and clients can
/// tell the server is alive. A connection that has not sent `connection_init`
/// within `limits.init_timeout` is closed with 4408; a message over the size
/// limit closes it with 1009. Once initialised, the connection's
/// [`Session`] is revalidated every `limits.revalidate`; when its credentials
/// are refused, its streams end with the refusal's code and then the
/// connection closes with 4401 (`UNAUTHENTICATED`) or 4403 (`FORBIDDEN`).
async fn serve_ws<F, R>(
    socket: WebSocket,
    schema: AppSchema,
    protocol: GraphQLProtocol,
    data: async_graphql::Data,
    limits: WsLimits,
    (initialised, session): (Arc<std::sync::atomic::AtomicBool>, tokio::sync::oneshot::Receiver<Arc<Session>>),
    on_init: F,
) where
    F: FnOnce(serde_json::Value) -> R + Send + 'static,
    R: std::future::Future<Output = async_graphql::Result<async_graphql::Data>> + Send + 'static,
{
    let keepalive = match socket.protocol().and_then(|p| p.to_str().ok()) {
        Some("graphql-ws") => r#"{"type":"ka"}"#,
        _ => r#"{"type":"ping"}"#,
    };
    let every = limits.keepalive;
    let (mut sink, stream) = socket.split();
    let (tx, mut rx) = tokio::sync::mpsc::channel::<Message>(64);
    let (control, on_error, revoked) = (tx.clone(), tx.clone(), tx.clone());
    let stream = stream.then(move |m| {
        let on_error = on_error.clone();
        async move {
            if let Err(e) = &m {
                let too_big = e.to_string().contains("too long");
                tracing::debug!(error = %e, "WebSocket read failed");
                let frame = if too_big { close_frame(1009, "message too big") } else { close_frame(1002, "protocol error") };
                let _ = on_error.send(frame).await;
            }
            m
        }
    });
    let mut writer = tokio::spawn(async move {
        let mut tick = tokio::time::interval_at(tokio::time::Instant::now() + every, every);
        loop {
            let message = tokio::select! {
                m = rx.recv() => match m {
                    Some(m) => m,
                    None => break,
                },
                _ = tick.tick() => Message::Text(keepalive.into()),
            };
            if sink.send(message).await.is_err() {
                break;
            }
        }
        let _ = sink.close().await;
    });
    let outgoing = futures_util::sink::unfold(tx, |tx, message: Message| async move {
        tx.send(message).await.map_err(|_| axum::Error::new("the connection's writer has stopped"))?;
        Ok::<_, axum::Error>(tx)
    });
    let serve =
        GraphQLWebSocket::new_with_pair(outgoing, Box::pin(stream), schema, protocol).with_data(data).on_connection_init(on_init).serve();
    let watchdog = async move {
        tokio::time::sleep(limits.init_timeout).await;
        if initialised.load(Ordering::SeqCst) {
            return std::future::pending().await;
        }
        let _ = control.send(close_frame(4408, "Connection initialisation timeout")).await;
    };
    let revalidation = async move {
        // No session: the connection never initialised (the watchdog's case).
        let Ok(session) = session.await else { return std::future::pending().await };
        let refusal = session.revalidate(limits.revalidate).await;
        // Let the streams deliver their error first (they watch the same standing).
        session.drained(Duration::from_secs(2)).await;
        let reason = truncated(&format!("{}: {}", refusal.error().code(), refusal.message), 123);
        let _ = revoked.send(close_frame(session::close_code(&refusal), reason)).await;
    };
    tokio::select! {
        _ = serve => {}
        _ = watchdog => {}
        _ = revalidation => {}
    }
    // The writer ends once every sender is gone; a client that never reads
    // does not keep it (and this connection's places) for long.
    if tokio::time::timeout(Duration::from_secs(5), &mut writer).await.is_err() {
        writer.abort();
    }
}

/// `text` cut to at most `max` bytes, at a character boundary (a close
/// frame's reason holds 123).
fn truncated(text: &str, max: usize) -> String {
    let mut end = text.len().min(max);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text[..end].to_string()
}

/// A WebSocket close message.
fn close_frame(code: u16, reason: impl Into<String>) -> Message {
    Message::Close(Some(axum::extract::ws::CloseFrame { code, reason: reason.into().into() }))
}
