//! Supabase Realtime's wire protocol, so `@supabase/supabase-js` clients
//! work unchanged against Quiver: `GET /realtime/v1/websocket?apikey=…&vsn=…`
//! (and `/<app>/realtime/v1/websocket`, `/socket/websocket`), Phoenix
//! channels in both framings ([`frame`]), `postgres_changes` over the
//! realtime hub's ordered, resumable, rule-filtered change streams,
//! broadcast, presence and token refresh ([`channel`]), and
//! `POST /realtime/v1/api/broadcast`.
//!
//! **Naming the app.** A path prefix (`/<app>/realtime/v1/…`, what
//! supabase-js derives from `createClient('https://host/<app>', key)`) fixes
//! the app for the whole socket. Without one, each channel takes its app
//! from the first `postgres_changes` binding whose `schema` is an app's
//! PostgreSQL schema (`studio`, `orders`, …); a channel without such a binding
//! needs the prefix (unless one app is served).
//!
//! **Credentials.** The `apikey` query parameter or `x-api-key` header is a
//! JWT signed with the configured secret (Supabase's anon or service key, or
//! a user's token) or a Quiver API key (`<id>.<secret>`); bad ones get HTTP
//! 401 with `{"error": …}` before the upgrade. A channel acts for the join's
//! `access_token` when it has one, else for the apikey.
//!
//! Uses only the layers below the HTTP edge (realtime, auth, catalog, sql,
//! db, error); nothing of GraphQL.

mod channel;
pub mod filter;
pub mod frame;

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

use axum::extract::ws::{Message, WebSocket};
use axum::extract::{ConnectInfo, Query, State, WebSocketUpgrade};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use futures_util::{SinkExt, StreamExt};
use serde_json::{json, Value};
use tokio::sync::mpsc;

use super::{client_address, HttpState};
use crate::auth::Credentials;
use crate::catalog::App;
use crate::error::QuiverError;
use crate::realtime::Realtime;
use frame::Vsn;

/// A socket that sends nothing for this long is closed (Phoenix's default).
const IDLE_TIMEOUT: Duration = Duration::from_secs(60);
/// Frames queued for one socket before its producers wait.
const OUT_QUEUE: usize = 1024;

/// Adds the Supabase Realtime routes for the served apps.
pub(super) fn routes(mut router: Router<HttpState>, apps: &[&'static str]) -> Router<HttpState> {
    router = router
        .route("/realtime/v1/websocket", get(move |s, c, h, q, u| websocket(s, None, c, h, q, u)))
        .route("/socket/websocket", get(move |s, c, h, q, u| websocket(s, None, c, h, q, u)))
        .route("/realtime/v1/api/broadcast", post(move |s, c, h, b| rest_broadcast(s, None, c, h, b)));
    for &app in apps {
        router = router
            .route(&format!("/{app}/realtime/v1/websocket"), get(move |s, c, h, q, u| websocket(s, Some(app), c, h, q, u)))
            .route(&format!("/{app}/realtime/v1/api/broadcast"), post(move |s, c, h, b| rest_broadcast(s, Some(app), c, h, b)));
    }
    router
}

/// The realtime hub serving `app`.
fn hub<'a>(state: &'a HttpState, app: &str) -> Option<&'a Realtime> {
    state.realtime.get(app)
}

/// An HTTP error as Supabase Realtime answers it: `{"error": …}`.
fn http_error(status: StatusCode, message: impl Into<String>) -> Response {
    (status, axum::Json(json!({ "error": message.into() }))).into_response()
}

fn status_of(e: &QuiverError) -> StatusCode {
    match e {
        QuiverError::Unauthenticated(_) => StatusCode::UNAUTHORIZED,
        QuiverError::Forbidden(_) => StatusCode::FORBIDDEN,
        QuiverError::LimitExceeded(_) => StatusCode::TOO_MANY_REQUESTS,
        QuiverError::BadInput(_) => StatusCode::BAD_REQUEST,
        QuiverError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
        _ => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// Whether a key is a JWT (three base64url parts) rather than a Quiver API key.
fn is_jwt(key: &str) -> bool {
    key.split('.').count() == 3 && key.starts_with("eyJ")
}

/// Credentials a key stands for.
fn key_credentials(key: &str) -> Credentials {
    if is_jwt(key) {
        Credentials { bearer: Some(key.to_string()), api_key: None }
    } else {
        Credentials { bearer: None, api_key: Some(key.to_string()) }
    }
}

/// The served app of a name.
fn served(state: &HttpState, name: &str) -> Option<&'static App> {
    state.apps.get(name).map(|(a, _)| *a)
}

/// The one app a socket or request without a path prefix can mean, if only one is served.
fn only_app(state: &HttpState) -> Option<&'static App> {
    (state.apps.len() == 1).then(|| state.apps.values().next().map(|(a, _)| *a)).flatten()
}

/// Checks the connect-time key: a JWT must verify; a Quiver API key needs
/// its app (the path's, or the only one served).
async fn check_key(state: &HttpState, app: Option<&'static App>, key: &str, address: Option<IpAddr>) -> Result<(), QuiverError> {
    let credentials = key_credentials(key);
    match app.or_else(|| only_app(state)) {
        Some(app) => state.auth.authenticate(app, &credentials, address).await.map(|_| ()),
        None if credentials.bearer.is_some() => state.auth.verify_token(key).map(|_| ()),
        None => {
            Err(QuiverError::Unauthenticated("a Quiver API key is checked against one app: connect to /<app>/realtime/v1/websocket".into()))
        }
    }
}

/// The `apikey` of a request: the `x-api-key` header wins over the query.
fn presented_key(headers: &HeaderMap, query: &HashMap<String, String>) -> Option<String> {
    let header = headers.get("x-api-key").and_then(|v| v.to_str().ok()).map(str::trim);
    header.or(query.get("apikey").map(|s| s.trim())).filter(|k| !k.is_empty()).map(str::to_string)
}

/// `GET …/realtime/v1/websocket`: checks the key, then speaks Phoenix.
async fn websocket(
    State(state): State<HttpState>,
    app: Option<&'static str>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
    upgrade: WebSocketUpgrade,
) -> Response {
    let Some(realtime) = state.realtime.values().next().cloned() else {
        return http_error(StatusCode::SERVICE_UNAVAILABLE, "realtime is not running");
    };
    let vsn = match Vsn::parse(query.get("vsn").map(String::as_str)) {
        Ok(v) => v,
        Err(e) => return http_error(StatusCode::BAD_REQUEST, e),
    };
    let Some(key) = presented_key(&headers, &query) else {
        return http_error(StatusCode::UNAUTHORIZED, "API key is missing");
    };
    let address = client_address(&state, &headers, Some(peer.ip()));
    let path_app = app.and_then(|a| served(&state, a));
    if let Err(e) = check_key(&state, path_app, &key, address).await {
        return http_error(status_of(&e), e.to_string());
    }
    let Ok(permit) = state.ws_connections.clone().try_acquire_owned() else {
        return http_error(StatusCode::TOO_MANY_REQUESTS, "Too many connected users");
    };
    let Some(place) = state.ws_per_address.try_hold(address.map_or_else(String::new, |a| a.to_string()), state.ws_limits.per_address)
    else {
        return http_error(StatusCode::TOO_MANY_REQUESTS, "Too many connected users from this address");
    };
    let upgrade = upgrade.max_message_size(state.body_limit).max_frame_size(state.body_limit);
    upgrade.on_upgrade(move |socket| async move {
        let (tx, rx) = mpsc::channel(OUT_QUEUE);
        let (control, controls) = mpsc::unbounded_channel();
        let ctx =
            channel::Ctx { state, realtime, vsn, path_app, apikey: key_credentials(&key), address, out: channel::Out { tx, vsn }, control };
        serve(socket, ctx, rx, controls).await;
        drop(place);
        drop(permit);
    })
}

/// Runs one socket: a writer task drains the outgoing queue; this loop reads
/// frames (closing the socket after [`IDLE_TIMEOUT`] of silence) and the
/// channels' control messages.
async fn serve(
    socket: WebSocket,
    ctx: channel::Ctx,
    mut rx: mpsc::Receiver<Message>,
    mut controls: mpsc::UnboundedReceiver<channel::Control>,
) {
    let (mut sink, mut stream) = socket.split();
    let writer = tokio::spawn(async move {
        while let Some(m) = rx.recv().await {
            let close = matches!(m, Message::Close(_));
            if sink.send(m).await.is_err() || close {
                break;
            }
        }
        let _ = sink.close().await;
    });
    let mut channels: HashMap<String, channel::Channel> = HashMap::new();
    let closed = ctx.realtime.closed();
    tokio::pin!(closed);
    let idle = tokio::time::sleep(IDLE_TIMEOUT);
    tokio::pin!(idle);
    let close_reason = loop {
        tokio::select! {
            read = stream.next() => {
                idle.as_mut().reset(tokio::time::Instant::now() + IDLE_TIMEOUT);
                let frame = match read {
                    None => break None,
                    Some(Err(e)) if e.to_string().contains("too long") => break Some((1009, "message too big".to_string())),
                    Some(Err(_)) => break None,
                    Some(Ok(Message::Text(t))) => frame::decode_text(ctx.vsn, t.as_str()),
                    Some(Ok(Message::Binary(b))) if ctx.vsn == Vsn::V2 => frame::decode_binary(&b),
                    Some(Ok(Message::Binary(_))) => Err("vsn 1.0.0 sockets send text frames only".to_string()),
                    Some(Ok(Message::Close(_))) => break None,
                    Some(Ok(_)) => continue,
                };
                match frame {
                    Ok(f) => channel::handle(&ctx, &mut channels, f).await,
                    Err(e) => break Some((1007, e)),
                }
            }
            Some(c) = controls.recv() => channel::control(&ctx, &mut channels, c).await,
            _ = &mut idle => break Some((1000, "idle timeout: no message for 60 s".to_string())),
            _ = &mut closed => break Some((1001, "server shutting down".to_string())),
        }
    };
    drop(channels);
    if let Some((code, reason)) = close_reason {
        let reason: String = reason.chars().take(120).collect();
        let _ = ctx.out.tx.send(Message::Close(Some(axum::extract::ws::CloseFrame { code, reason: reason.into() }))).await;
    }
    drop(ctx);
    if tokio::time::timeout(Duration::from_secs(5), writer).await.is_err() {
        tracing::debug!("supabase socket writer did not finish");
    }
}

/// `POST …/realtime/v1/api/broadcast` with `{"messages": [{topic, event,
/// payload, private}]}`: what realtime-js falls back to when a channel is not
/// joined. Credentials: `apikey`/`x-api-key`, and `Authorization: Bearer`
/// for the user. Answers 202.
async fn rest_broadcast(
    State(state): State<HttpState>,
    app: Option<&'static str>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    let Some(app) = app.and_then(|a| served(&state, a)).or_else(|| only_app(&state)) else {
        return http_error(StatusCode::NOT_FOUND, "name the app: POST /<app>/realtime/v1/api/broadcast");
    };
    let Some(realtime) = hub(&state, app.name).cloned() else {
        return http_error(StatusCode::SERVICE_UNAVAILABLE, "realtime is not running");
    };
    let key = headers.get("apikey").or_else(|| headers.get("x-api-key")).and_then(|v| v.to_str().ok()).map(str::trim);
    let bearer = headers
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer ").or_else(|| v.strip_prefix("bearer ")))
        .map(str::trim)
        .filter(|t| !t.starts_with("sb_"));
    let credentials = match (bearer, key) {
        (Some(token), _) => key_credentials(token),
        (None, Some(key)) => key_credentials(key),
        (None, None) => return http_error(StatusCode::UNAUTHORIZED, "API key is missing"),
    };
    let address = client_address(&state, &headers, Some(peer.ip()));
    let who = match state.auth.authenticate(app, &credentials, address).await {
        Ok(who) => who,
        Err(e) => return http_error(status_of(&e), e.to_string()),
    };
    let parsed: Value = match serde_json::from_slice(&body) {
        Ok(v) => v,
        Err(e) => return http_error(StatusCode::BAD_REQUEST, format!("the body is not JSON: {e}")),
    };
    let Some(messages) = parsed.get("messages").and_then(Value::as_array) else {
        return http_error(StatusCode::BAD_REQUEST, "the body must be {\"messages\": [{topic, event, payload}]}");
    };
    for m in messages {
        let (Some(topic), Some(event)) = (m.get("topic").and_then(Value::as_str), m.get("event").and_then(Value::as_str)) else {
            return http_error(StatusCode::BAD_REQUEST, "each message needs a `topic` and an `event`");
        };
        let topic = topic.strip_prefix("realtime:").unwrap_or(topic);
        let payload = m.get("payload").cloned().unwrap_or(Value::Null);
        if let Err(e) = realtime.send(app.name, &who, topic, event, payload).await {
            return http_error(status_of(&e), e.to_string());
        }
    }
    (StatusCode::ACCEPTED, axum::Json(json!({}))).into_response()
}
