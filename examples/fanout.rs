//! Realtime fan-out load driver for a running Quiver server.
//!
//! Opens `--subscriptions` `notificationChanged` subscriptions over
//! graphql-transport-ws WebSockets (`--per-connection` on each connection),
//! commits `--rate` notification INSERTs per second straight into PostgreSQL
//! for `--duration` seconds and measures how the changes reach the
//! subscribers:
//!
//! ```text
//! DATABASE_URL=postgres://postgres@127.0.0.1:5432/quiver_bench \
//!     cargo run --release --example fanout -- --subscriptions 5000 --rate 500 \
//!     --server-pid "$(pgrep -n quiver)"
//! ```
//!
//! The server must allow `--per-connection` subscriptions per connection
//! (`quiver --max-subscriptions …`, default 100).
//!
//! How a run goes:
//!
//! 1. Setup over SQL: `G = round(100 / --match-percent)` users are created in
//!    `studio.users` (ids `md5('fanout-user-' || g)::uuid`, kept between runs)
//!    and notifications left over by an earlier run are deleted.
//! 2. The server's RSS is read (with `--server-pid`, once the server is idle,
//!    waiting up to 10 s), the subscriptions are opened (subscriber `i`
//!    follows user `i % G`, so every change matches `--match-percent` % of
//!    the subscribers) and warm-up notifications (`w=…`) are committed until
//!    every subscriber has received one, i.e. all subscriptions are live. The
//!    RSS is read again: the difference over the live subscriptions is the
//!    memory per idle subscription (connections included).
//! 3. `--writers` tasks, each with its own database connection, commit the
//!    changes on an even schedule (change `k` at `k / rate` s): one
//!    autocommitted `INSERT INTO studio.notifications` per change, for user
//!    `k % G`, whose message is `t=<microseconds since the epoch>` taken just
//!    before the statement is sent (so the latency includes the commit). A
//!    writer that falls behind sends back to back; nothing is sent after the
//!    window, so the achieved rate is reported.
//! 4. Every subscriber records receive time − `t` for each event. After the
//!    window the driver waits (at most 10 s) until every expected event has
//!    arrived, then reports events expected and delivered, delivered events/s,
//!    latency percentiles, memory per subscription, server (and driver) CPU
//!    during the send window (100% = one core), and the error messages
//!    received (`SLOW_CONSUMER`, …) counted by code.
//! 5. Cleanup: the connections are closed and the notifications the run
//!    created (`t=%` and `w=%` messages of the fan-out users) are deleted.
//!
//! `--rules` (with `--jwt-secret`): the row-rules mode. Each connection signs
//! in as its own user (`md5('fanout-member-' || c)`), a Viewer of the teams its
//! subscribers follow; the `G` groups are teams, each with one brand kit, and
//! the writers `UPDATE` the kit of team `k % G`. Subscribers run
//! `brandKitChanged(events: [UPDATE], filter: {teamId: {eq: …}})`, whose read
//! rule (`Member`) the server decides in the database for every event.
//!
//! `--protocol supabase`: the same subscribers speak Supabase Realtime's
//! protocol instead (Phoenix vsn 2.0.0 on `/studio/realtime/v1/websocket`,
//! the apikey being `--token`): each subscriber is one channel
//! (`realtime:fan-<i>`) with one `postgres_changes` binding on the same table
//! and filter (`user_id=eq.…`, or `team_id=eq.…` with `--rules`), `--per-connection`
//! channels per socket, heartbeats every 10 s.
//!
//! The whole run is bounded: `--setup-timeout` for setup and warm-up, then
//! `--duration` plus at most 10 s of drain, plus at most 10 s of cleanup.
//! The driver and the server share the machine: the driver's own CPU use and
//! the load average are printed so that a busy host is visible.

use std::borrow::Cow;
use std::collections::BTreeMap;
#[path = "support/stats.rs"]
mod stats;

use stats::{format_ms, percentile};
use std::error::Error;
use std::io::Write;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use clap::Parser;
use diesel::sql_types::{BigInt, Text};
use diesel::QueryableByName;
use diesel_async::{AsyncConnection, AsyncPgConnection, SimpleAsyncConnection};
use futures_util::{SinkExt, StreamExt};
use serde::Deserialize;
use serde_json::json;
use serde_json::value::RawValue;
use tokio::net::TcpStream;
use tokio::sync::{watch, Semaphore};
use tokio::task::JoinSet;
use tokio::time::{sleep, sleep_until, timeout_at, Instant};
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::HeaderValue;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

/// The subscription every subscriber runs, with `$u` its user.
const SUBSCRIPTION: &str =
    "subscription Fanout($u: UUID!) { notificationChanged(events: [INSERT], filter: {userId: {eq: $u}}) { cursor new { id message } } }";

/// `--rules`: the subscription every subscriber runs, with `$u` its team; the
/// aliases make its events read like [`SUBSCRIPTION`]'s.
const RULES_SUBSCRIPTION: &str = "subscription Fanout($u: UUID!) { notificationChanged: brandKitChanged(events: [UPDATE], filter: {teamId: {eq: $u}}) { cursor new { id message: name } } }";

/// Whether the run is in `--rules` mode (set once, before anything runs).
static RULES: AtomicBool = AtomicBool::new(false);

fn rules() -> bool {
    RULES.load(Ordering::Relaxed)
}

/// Whether subscribers speak Supabase Realtime's protocol (set once, before anything runs).
static SUPABASE: AtomicBool = AtomicBool::new(false);

fn supabase() -> bool {
    SUPABASE.load(Ordering::Relaxed)
}

/// Which protocol the subscribers speak.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Protocol {
    /// graphql-transport-ws on `<url>/ws`.
    Graphql,
    /// Supabase Realtime (Phoenix channels, vsn 2.0.0) on `/<app>/realtime/v1/websocket`.
    Supabase,
}

/// Longest wait for events after the send window.
const DRAIN: Duration = Duration::from_secs(10);

/// Longest time for closing the connections and deleting the notifications.
const CLEANUP: Duration = Duration::from_secs(10);

/// A write still running this long after the window is abandoned.
const WRITE_GRACE: Duration = Duration::from_secs(2);

/// How often warm-up notifications are re-sent to users whose subscribers
/// have not all received one yet.
const WARMUP_ROUND: Duration = Duration::from_secs(2);

/// Connections doing their handshake and subscribing at the same time.
const CONNECT_CONCURRENCY: usize = 32;

/// graphql-transport-ws `ping` interval (Quiver closes a connection that
/// sends nothing for 30 s).
const PING_EVERY: Duration = Duration::from_secs(10);

/// Longest wait for the server to go idle before the first memory reading.
const IDLE_WAIT: Duration = Duration::from_secs(10);

/// Kernel clock ticks per second in /proc/<pid>/stat (USER_HZ, 100 on Linux).
const CLOCK_TICKS: f64 = 100.0;

type BoxError = Box<dyn Error + Send + Sync>;
type Socket = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// Realtime fan-out load driver for a running Quiver server: N subscriptions
/// to notification INSERTs, M commits per second, commit-to-client latency.
#[derive(Parser, Debug)]
#[command(name = "fanout", version, about, long_about = None)]
struct Args {
    /// GraphQL endpoint of the studio app (the WebSocket is `<url>/ws`).
    #[arg(long, default_value = "http://127.0.0.1:8090/graphql/studio")]
    url: String,

    /// PostgreSQL URL of the server's database (changes are committed there).
    #[arg(long, env = "DATABASE_URL", hide_env_values = true)]
    database_url: String,

    /// Number of subscriptions (N).
    #[arg(long, default_value_t = 5000, value_parser = clap::value_parser!(u32).range(1..=10_000_000))]
    subscriptions: u32,

    /// Subscriptions per WebSocket connection (K); N/K connections are opened.
    #[arg(long, default_value_t = 100, value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    per_connection: u32,

    /// Changes committed per second (M).
    #[arg(long, default_value_t = 500.0, value_parser = parse_rate)]
    rate: f64,

    /// Length of the send window, in seconds.
    #[arg(long, default_value_t = 20.0, value_name = "SECONDS", value_parser = parse_positive_secs)]
    duration: f64,

    /// Percentage of the subscribers each change matches.
    #[arg(long, default_value_t = 1.0, value_parser = parse_percent)]
    match_percent: f64,

    /// Writer tasks, each with its own database connection.
    #[arg(long, default_value_t = 4, value_parser = clap::value_parser!(u32).range(1..=256))]
    writers: u32,

    /// Longest time for setup: users, connections, subscriptions, warm-up.
    #[arg(long, default_value_t = 60.0, value_name = "SECONDS", value_parser = parse_positive_secs)]
    setup_timeout: f64,

    /// Server process to read memory (VmRSS) and CPU time of, from /proc.
    #[arg(long, value_name = "PID")]
    server_pid: Option<u32>,

    /// Bearer token sent in `connection_init` (e.g. from `quiver token`).
    #[arg(long, env = "QUIVER_TOKEN", hide_env_values = true)]
    token: Option<String>,

    /// Row-rules mode: each connection signs in as its own user, a Viewer of
    /// the teams its subscribers follow, and the subscribers follow their
    /// team's brand kit (`brandKitChanged`, read rule `Member`), so every
    /// event's visibility is decided by the database. Needs `--jwt-secret`.
    #[arg(long)]
    rules: bool,

    /// Protocol of the subscribers.
    #[arg(long, value_enum, default_value_t = Protocol::Graphql)]
    protocol: Protocol,

    /// HS256 secret the server accepts (`--rules` mints one token per connection).
    #[arg(long, env = "QUIVER_JWT_SECRET", hide_env_values = true)]
    jwt_secret: Option<String>,
}

fn parse_positive_secs(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(secs) if secs.is_finite() && secs > 0.0 && secs <= 86_400.0 => Ok(secs),
        _ => Err(format!("`{text}` is not a number of seconds above 0 and up to 86400")),
    }
}

fn parse_rate(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(rate) if rate.is_finite() && rate > 0.0 && rate <= 1_000_000.0 => Ok(rate),
        _ => Err(format!("`{text}` is not a rate above 0 and up to 1000000 per second")),
    }
}

fn parse_percent(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(p) if p.is_finite() && (0.001..=100.0).contains(&p) => Ok(p),
        _ => Err(format!("`{text}` is not a percentage between 0.001 and 100")),
    }
}

/// A day-long token of `user` (role `authenticated`) signed with `secret`.
fn member_token(secret: &str, user: &str) -> Result<String, BoxError> {
    let now = quiver::auth::jwt::now();
    let claims = quiver::auth::jwt::Claims {
        sub: Some(user.to_string()),
        role: Some("authenticated".into()),
        email: None,
        exp: now + 86_400,
        nbf: None,
        iat: Some(now),
        aud: Some(json!("authenticated")),
    };
    quiver::auth::jwt::mint_hs256(secret, &claims).map_err(|e| format!("minting a token: {e}").into())
}

/// Microseconds since the Unix epoch.
fn now_micros() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default().as_micros() as u64
}

/// `error` and its sources, joined with ": ".
fn error_chain(error: &dyn Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

// ---------------------------------------------------------------------------
// /proc
// ---------------------------------------------------------------------------

/// Resident set size of `pid` in bytes.
fn read_rss(pid: &str) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

/// User + system CPU time of `pid`, in seconds.
fn read_cpu(pid: &str) -> Option<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name (field 2) may hold spaces; fields after it start at 3.
    let rest = &stat[stat.rfind(')')? + 1..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let utime: f64 = fields.get(11)?.parse().ok()?; // field 14
    let stime: f64 = fields.get(12)?.parse().ok()?; // field 15
    Some((utime + stime) / CLOCK_TICKS)
}

/// Waits (up to `IDLE_WAIT`, and not past `deadline`) until `pid` uses less
/// than 10% of a core, so that memory freed by earlier work is settled
/// before a reading. Returns whether it got idle.
async fn wait_until_idle(pid: &str, deadline: Instant) -> bool {
    let until = (Instant::now() + IDLE_WAIT).min(deadline);
    loop {
        let Some(before) = read_cpu(pid) else { return false };
        sleep(Duration::from_millis(500)).await;
        let Some(after) = read_cpu(pid) else { return false };
        if after - before < 0.05 {
            return true;
        }
        if Instant::now() >= until {
            return false;
        }
    }
}

/// The 1-minute load average.
fn read_load() -> Option<String> {
    let text = std::fs::read_to_string("/proc/loadavg").ok()?;
    text.split_whitespace().next().map(str::to_string)
}

/// A CPU time reading and when it was taken.
struct CpuMark {
    server: Option<f64>,
    driver: Option<f64>,
    at: Instant,
}

impl CpuMark {
    fn take(server_pid: Option<&str>) -> CpuMark {
        CpuMark { server: server_pid.and_then(read_cpu), driver: read_cpu("self"), at: Instant::now() }
    }

    /// CPU % (100 = one core) of the server and the driver since `self`.
    fn percent_until(&self, later: &CpuMark) -> (Option<f64>, Option<f64>) {
        let wall = later.at.duration_since(self.at).as_secs_f64().max(1e-6);
        let pct = |a: Option<f64>, b: Option<f64>| Some((b? - a?) / wall * 100.0);
        (pct(self.server, later.server), pct(self.driver, later.driver))
    }
}

// ---------------------------------------------------------------------------
// Subscribers
// ---------------------------------------------------------------------------

/// State the connection tasks share with the driver.
struct Shared {
    /// Subscriptions whose `subscribe` message has been sent.
    subscribed: AtomicUsize,
    /// Connection tasks that have finished setting up (or given up).
    connections_ready: AtomicUsize,
    /// Connection tasks still reading their socket.
    connections_alive: AtomicUsize,
    /// Per subscriber: a warm-up event arrived.
    warm: Vec<AtomicBool>,
    warm_count: AtomicUsize,
    /// Measured (`t=…`) events received.
    delivered: AtomicU64,
}

/// What one connection saw.
#[derive(Default)]
struct ConnStats {
    /// Commit-to-client latency of every measured event, in microseconds.
    latencies_us: Vec<u32>,
    /// Error messages and other mishaps, by code.
    errors: BTreeMap<String, u64>,
    /// Subscriptions the server completed.
    completed: u64,
    /// Receive time of the last measured event (µs since the epoch).
    last_event_us: u64,
}

impl ConnStats {
    fn error(&mut self, what: impl Into<String>) {
        *self.errors.entry(what.into()).or_default() += 1;
    }
}

/// One connection's subscriptions: global subscriber indexes `first..first + count`.
struct ConnSpec {
    first: usize,
    count: usize,
    token: Option<Arc<str>>,
}

/// A graphql-transport-ws message from the server; `payload` is parsed later.
#[derive(Deserialize)]
struct ServerMessage<'a> {
    #[serde(rename = "type", borrow)]
    kind: Cow<'a, str>,
    #[serde(default, borrow)]
    id: Option<Cow<'a, str>>,
    #[serde(default, borrow)]
    payload: Option<&'a RawValue>,
}

#[derive(Deserialize)]
struct NextPayload<'a> {
    #[serde(default, borrow)]
    data: Option<EventData<'a>>,
    #[serde(default, borrow)]
    errors: Option<Vec<GqlError<'a>>>,
}

#[derive(Deserialize)]
struct EventData<'a> {
    #[serde(rename = "notificationChanged", default, borrow)]
    event: Option<ChangeEvent<'a>>,
}

#[derive(Deserialize)]
struct ChangeEvent<'a> {
    #[serde(default, borrow)]
    new: Option<NewRow<'a>>,
}

#[derive(Deserialize)]
struct NewRow<'a> {
    #[serde(borrow)]
    message: Cow<'a, str>,
}

#[derive(Deserialize)]
struct GqlError<'a> {
    #[serde(default, borrow)]
    message: Option<Cow<'a, str>>,
    #[serde(default, borrow)]
    extensions: Option<GqlExtensions<'a>>,
}

#[derive(Deserialize)]
struct GqlExtensions<'a> {
    #[serde(default, borrow)]
    code: Option<Cow<'a, str>>,
}

impl GqlError<'_> {
    /// The error's code, or its (shortened) message when it has none.
    fn key(&self) -> String {
        if let Some(code) = self.extensions.as_ref().and_then(|e| e.code.as_deref()) {
            return code.to_string();
        }
        let message = self.message.as_deref().unwrap_or("error without message");
        message.chars().take(100).collect()
    }
}

/// `ws://…/<app>/ws` from the GraphQL endpoint.
fn ws_url(url: &str) -> Result<String, BoxError> {
    let url = url.trim_end_matches('/');
    let ws = if let Some(rest) = url.strip_prefix("http://") {
        format!("ws://{rest}")
    } else if url.starts_with("ws://") {
        url.to_string()
    } else {
        return Err(format!("--url {url}: only http:// (plain WebSocket) endpoints are supported").into());
    };
    Ok(if ws.ends_with("/ws") { ws } else { format!("{ws}/ws") })
}

/// `ws://…/<app>/realtime/v1/websocket` from the GraphQL endpoint `http://…/graphql/<app>`.
fn supabase_url(url: &str) -> Result<String, BoxError> {
    let ws = ws_url(url)?;
    let base = ws.trim_end_matches("/ws");
    let (host, app) = base.rsplit_once("/graphql/").ok_or_else(|| format!("--url {url}: expected …/graphql/<app>"))?;
    Ok(format!("{host}/{app}/realtime/v1/websocket"))
}

/// The `phx_join` of subscriber `local` of a connection, following `user`.
fn phx_join(local: usize, user: &str) -> String {
    let binding = if rules() {
        json!({ "event": "UPDATE", "schema": "studio", "table": "brand_kits", "filter": format!("team_id=eq.{user}") })
    } else {
        json!({ "event": "INSERT", "schema": "studio", "table": "notifications", "filter": format!("user_id=eq.{user}") })
    };
    let r = local.to_string();
    json!([r, r, format!("realtime:fan-{local}"), "phx_join", { "config": { "postgres_changes": [binding] } }]).to_string()
}

/// Connects with Supabase Realtime's protocol and joins every channel.
async fn open_supabase(url: &str, spec: &ConnSpec, users: &[String], deadline: Instant) -> Result<Socket, String> {
    let key = spec.token.as_deref().ok_or("--protocol supabase needs --token (the apikey)")?;
    let url = format!("{url}?apikey={key}&vsn=2.0.0");
    let (mut socket, _) = match timeout_at(deadline, tokio_tungstenite::connect_async(url)).await {
        Err(_) => return Err("connect: timed out".into()),
        Ok(Err(tokio_tungstenite::tungstenite::Error::Http(response))) => {
            return Err(format!("connect: HTTP {}", response.status().as_u16()))
        }
        Ok(Err(e)) => return Err(format!("connect: {}", error_chain(&e))),
        Ok(Ok(connected)) => connected,
    };
    for local in 0..spec.count {
        let join = phx_join(local, &users[(spec.first + local) % users.len()]);
        socket.feed(Message::Text(join.into())).await.map_err(|e| format!("phx_join: {e}"))?;
    }
    socket.flush().await.map_err(|e| format!("phx_join: {e}"))?;
    Ok(socket)
}

/// Connects, completes `connection_init` and sends every `subscribe`.
async fn open_connection(url: &str, spec: &ConnSpec, users: &[String], deadline: Instant) -> Result<Socket, String> {
    if supabase() {
        return open_supabase(url, spec, users, deadline).await;
    }
    let mut request = url.into_client_request().map_err(|e| format!("bad WebSocket URL: {e}"))?;
    request.headers_mut().insert("Sec-WebSocket-Protocol", HeaderValue::from_static("graphql-transport-ws"));
    let connect = tokio_tungstenite::connect_async_with_config(request, None, true);
    let (mut socket, _) = match timeout_at(deadline, connect).await {
        Err(_) => return Err("connect: timed out".into()),
        Ok(Err(tokio_tungstenite::tungstenite::Error::Http(response))) => {
            return Err(format!("connect: HTTP {}", response.status().as_u16()))
        }
        Ok(Err(e)) => return Err(format!("connect: {}", error_chain(&e))),
        Ok(Ok(connected)) => connected,
    };
    let payload = match &spec.token {
        Some(t) => json!({ "Authorization": format!("Bearer {t}") }),
        None => json!({}),
    };
    let init = json!({ "type": "connection_init", "payload": payload }).to_string();
    let handshake = async {
        socket.send(Message::Text(init.into())).await.map_err(|e| format!("connection_init: {e}"))?;
        loop {
            match socket.next().await {
                Some(Ok(Message::Text(text))) => {
                    let message: ServerMessage<'_> = serde_json::from_str(text.as_str()).map_err(|e| format!("bad message: {e}"))?;
                    match message.kind.as_ref() {
                        "connection_ack" => break,
                        "ping" => {
                            let pong = json!({ "type": "pong" }).to_string();
                            socket.send(Message::Text(pong.into())).await.map_err(|e| e.to_string())?;
                        }
                        other => return Err(format!("expected connection_ack, got {other}")),
                    }
                }
                Some(Ok(Message::Close(frame))) => return Err(format!("closed during handshake: {frame:?}")),
                Some(Ok(_)) => {}
                Some(Err(e)) => return Err(format!("handshake: {e}")),
                None => return Err("closed during handshake".into()),
            }
        }
        for local in 0..spec.count {
            let user = &users[(spec.first + local) % users.len()];
            let subscribe = json!({
                "id": local.to_string(),
                "type": "subscribe",
                "payload": { "query": if rules() { RULES_SUBSCRIPTION } else { SUBSCRIPTION }, "variables": { "u": user } },
            });
            socket.feed(Message::Text(subscribe.to_string().into())).await.map_err(|e| format!("subscribe: {e}"))?;
        }
        socket.flush().await.map_err(|e| format!("subscribe: {e}"))?;
        Ok::<_, String>(())
    };
    match timeout_at(deadline, handshake).await {
        Err(_) => Err("handshake: timed out".into()),
        Ok(Err(e)) => Err(e),
        Ok(Ok(())) => Ok(socket),
    }
}

/// One WebSocket connection carrying `spec.count` subscriptions, until `stop`.
async fn connection(
    url: Arc<String>,
    spec: ConnSpec,
    users: Arc<Vec<String>>,
    shared: Arc<Shared>,
    gate: Arc<Semaphore>,
    deadline: Instant,
    mut stop: watch::Receiver<bool>,
) -> ConnStats {
    let mut stats = ConnStats::default();
    let opened = {
        let _permit = gate.acquire().await;
        open_connection(&url, &spec, &users, deadline).await
    };
    let mut socket = match opened {
        Ok(socket) => socket,
        Err(e) => {
            stats.error(format!("{e} (connection lost with {} subscriptions)", spec.count));
            shared.connections_ready.fetch_add(1, Ordering::SeqCst);
            return stats;
        }
    };
    shared.subscribed.fetch_add(spec.count, Ordering::SeqCst);
    shared.connections_alive.fetch_add(1, Ordering::SeqCst);
    shared.connections_ready.fetch_add(1, Ordering::SeqCst);

    let mut ping = tokio::time::interval_at(Instant::now() + PING_EVERY, PING_EVERY);
    loop {
        let received = tokio::select! {
            biased;
            _ = stop.changed() => break,
            _ = ping.tick() => {
                let message = if supabase() { json!([null, "hb", "phoenix", "heartbeat", {}]) } else { json!({ "type": "ping" }) }.to_string();
                if let Err(e) = socket.send(Message::Text(message.into())).await {
                    stats.error(format!("websocket send: {e}"));
                    break;
                }
                continue;
            }
            received = socket.next() => received,
        };
        let now = now_micros();
        let text = match received {
            Some(Ok(Message::Text(text))) => text,
            Some(Ok(Message::Close(frame))) => {
                let why = frame.map(|f| format!("{} {}", u16::from(f.code), f.reason)).unwrap_or_default();
                stats.error(format!("connection closed by server ({why})"));
                break;
            }
            Some(Ok(_)) => continue,
            Some(Err(e)) => {
                stats.error(format!("websocket error: {e}"));
                break;
            }
            None => {
                stats.error("connection closed");
                break;
            }
        };
        if let Some(pong) = handle_message(text.as_str(), now, &spec, &shared, &mut stats) {
            if let Err(e) = socket.send(Message::Text(pong.into())).await {
                stats.error(format!("websocket send: {e}"));
                break;
            }
        }
    }
    shared.connections_alive.fetch_sub(1, Ordering::SeqCst);
    // Say goodbye without waiting long for the server.
    let _ = tokio::time::timeout(Duration::from_millis(200), socket.close(None)).await;
    stats
}

/// Records an event of subscriber `local` whose row says `message` (`t=…` or `w=…`).
fn record_event(message: &str, local: Option<usize>, now: u64, spec: &ConnSpec, shared: &Shared, stats: &mut ConnStats) {
    if let Some(sent) = message.strip_prefix("t=").and_then(|t| t.parse::<u64>().ok()) {
        let latency = now.saturating_sub(sent).min(u32::MAX as u64) as u32;
        stats.latencies_us.push(latency);
        stats.last_event_us = stats.last_event_us.max(now);
        shared.delivered.fetch_add(1, Ordering::Relaxed);
    } else if message.starts_with("w=") {
        if let Some(local) = local.filter(|&l| l < spec.count) {
            if !shared.warm[spec.first + local].swap(true, Ordering::Relaxed) {
                shared.warm_count.fetch_add(1, Ordering::SeqCst);
            }
        }
    }
}

/// Handles one Phoenix (vsn 2.0.0) message of Supabase Realtime's protocol.
fn handle_phoenix(text: &str, now: u64, spec: &ConnSpec, shared: &Shared, stats: &mut ConnStats) {
    let Ok((_, _, topic, event, payload)) =
        serde_json::from_str::<(Option<&str>, Option<&str>, Cow<'_, str>, Cow<'_, str>, &RawValue)>(text)
    else {
        return stats.error("malformed message");
    };
    let local = topic.strip_prefix("realtime:fan-").and_then(|l| l.parse::<usize>().ok());
    let payload: serde_json::Value = serde_json::from_str(payload.get()).unwrap_or_default();
    match event.as_ref() {
        "postgres_changes" => {
            let field = if rules() { "name" } else { "message" };
            match payload["data"]["record"][field].as_str() {
                Some(message) => record_event(message, local, now, spec, shared, stats),
                None => stats.error("postgres_changes without the row"),
            }
        }
        "phx_reply" | "system" if payload["status"] == "error" => {
            let why = payload["response"]["reason"].as_str().or(payload["message"].as_str()).unwrap_or("error");
            stats.error(why.chars().take(100).collect::<String>());
        }
        "phx_close" => stats.error("channel closed by the server"),
        _ => {}
    }
}

/// Handles one text message; returns a reply to send, if any.
fn handle_message(text: &str, now: u64, spec: &ConnSpec, shared: &Shared, stats: &mut ConnStats) -> Option<String> {
    if supabase() {
        handle_phoenix(text, now, spec, shared, stats);
        return None;
    }
    let Ok(message) = serde_json::from_str::<ServerMessage<'_>>(text) else {
        stats.error("malformed message");
        return None;
    };
    match message.kind.as_ref() {
        "next" => {
            let Some(payload) = message.payload else {
                stats.error("next without payload");
                return None;
            };
            let Ok(payload) = serde_json::from_str::<NextPayload<'_>>(payload.get()) else {
                stats.error("malformed next payload");
                return None;
            };
            for error in payload.errors.iter().flatten() {
                stats.error(error.key());
            }
            let new = payload.data.and_then(|d| d.event).and_then(|e| e.new)?;
            let local = message.id.as_deref().and_then(|id| id.parse::<usize>().ok());
            record_event(&new.message, local, now, spec, shared, stats);
            None
        }
        "error" => {
            match message.payload.map(|p| serde_json::from_str::<Vec<GqlError<'_>>>(p.get())) {
                Some(Ok(errors)) if !errors.is_empty() => errors.iter().for_each(|e| stats.error(e.key())),
                _ => stats.error("error message"),
            }
            None
        }
        "complete" => {
            stats.completed += 1;
            None
        }
        "ping" => Some(json!({ "type": "pong" }).to_string()),
        "pong" | "ka" => None,
        other => {
            stats.error(format!("unexpected message type {other}"));
            None
        }
    }
}

// ---------------------------------------------------------------------------
// Database
// ---------------------------------------------------------------------------

#[derive(QueryableByName)]
struct UserId {
    #[diesel(sql_type = BigInt)]
    g: i64,
    #[diesel(sql_type = Text)]
    id: String,
}

async fn connect_db(url: &str, deadline: Instant) -> Result<AsyncPgConnection, BoxError> {
    match timeout_at(deadline, AsyncPgConnection::establish(url)).await {
        Err(_) => Err("database: connecting timed out".into()),
        Ok(Err(e)) => Err(format!("database: {e}").into()),
        Ok(Ok(conn)) => Ok(conn),
    }
}

/// Creates the fan-out users (if missing) and returns their ids, user `g` at index `g`.
async fn create_users(conn: &mut AsyncPgConnection, groups: usize) -> Result<Vec<String>, BoxError> {
    let last = groups as i64 - 1;
    conn.batch_execute(&format!(
        "INSERT INTO studio.users (id, email) \
         SELECT md5('fanout-user-' || g)::uuid, 'fanout-' || g || '@example.com' \
         FROM generate_series(0, {last}) AS g ON CONFLICT DO NOTHING"
    ))
    .await
    .map_err(|e| format!("creating users: {e}"))?;
    // Called by path: with the trait in scope, its by-value `load` would
    // shadow the atomics' `load` everywhere in this file.
    let query = diesel::sql_query(format!(
        "SELECT g::bigint AS g, md5('fanout-user-' || g)::uuid::text AS id \
         FROM generate_series(0, {last}) AS g ORDER BY g"
    ));
    let rows: Vec<UserId> = diesel_async::RunQueryDsl::load(query, conn).await.map_err(|e| format!("reading user ids: {e}"))?;
    if rows.len() != groups || rows.iter().enumerate().any(|(i, r)| r.g != i as i64) {
        return Err("reading user ids: unexpected rows".into());
    }
    Ok(rows.into_iter().map(|r| r.id).collect())
}

/// `--rules` setup: an owner, team `g` (`md5('fanout-team-' || g)`) with one
/// brand kit for each of the `groups`, and one user per connection
/// (`md5('fanout-member-' || c)`), a Viewer of every team its subscribers
/// follow (subscriber `i` is on connection `i / per_connection` and follows
/// team `i % groups`). Returns the team ids, team `g` at index `g`, and the
/// member ids, connection `c`'s at index `c`.
async fn create_teams(
    conn: &mut AsyncPgConnection,
    groups: usize,
    n: usize,
    per_connection: usize,
) -> Result<(Vec<String>, Vec<String>), BoxError> {
    let (last, subscribers, connections) = (groups as i64 - 1, n as i64 - 1, n.div_ceil(per_connection) as i64 - 1);
    conn.batch_execute(&format!(
        "INSERT INTO studio.users (id, email) VALUES (md5('fanout-owner')::uuid, 'fanout-owner@example.com') ON CONFLICT DO NOTHING; \
         INSERT INTO studio.teams (id, name, owner_id) SELECT md5('fanout-team-' || g)::uuid, 'fanout ' || g, md5('fanout-owner')::uuid \
           FROM generate_series(0, {last}) AS g ON CONFLICT DO NOTHING; \
         INSERT INTO studio.brand_kits (id, user_id, team_id, name, colors, fonts) \
           SELECT md5('fanout-kit-' || g)::uuid, md5('fanout-owner')::uuid, md5('fanout-team-' || g)::uuid, 'kit', '{{}}', '{{}}' \
           FROM generate_series(0, {last}) AS g ON CONFLICT DO NOTHING; \
         INSERT INTO studio.users (id, email) SELECT md5('fanout-member-' || c)::uuid, 'fanout-member-' || c || '@example.com' \
           FROM generate_series(0, {connections}) AS c ON CONFLICT DO NOTHING; \
         INSERT INTO studio.team_members (team_id, user_id, role) \
           SELECT DISTINCT md5('fanout-team-' || (i % {groups}))::uuid, md5('fanout-member-' || (i / {per_connection}))::uuid, 'Viewer' \
           FROM generate_series(0, {subscribers}) AS i \
           WHERE NOT EXISTS (SELECT 1 FROM studio.team_members m WHERE m.team_id = md5('fanout-team-' || (i % {groups}))::uuid \
                             AND m.user_id = md5('fanout-member-' || (i / {per_connection}))::uuid); \
         ANALYZE studio.team_members;"
    ))
    .await
    .map_err(|e| format!("creating teams: {e}"))?;
    let teams = md5_ids(conn, "fanout-team-", groups).await?;
    let members = md5_ids(conn, "fanout-member-", connections as usize + 1).await?;
    Ok((teams, members))
}

/// `md5('<prefix>' || g)::uuid` for `g` in `0..count`, in order.
async fn md5_ids(conn: &mut AsyncPgConnection, prefix: &str, count: usize) -> Result<Vec<String>, BoxError> {
    let query = diesel::sql_query(format!(
        "SELECT g::bigint AS g, md5('{prefix}' || g)::uuid::text AS id FROM generate_series(0, {}) AS g ORDER BY g",
        count as i64 - 1
    ));
    let rows: Vec<UserId> = diesel_async::RunQueryDsl::load(query, conn).await.map_err(|e| format!("reading ids: {e}"))?;
    Ok(rows.into_iter().map(|r| r.id).collect())
}

/// Deletes the notifications fan-out runs created for users `0..groups`
/// (nothing in `--rules` mode: its kits are updated in place).
async fn delete_notifications(conn: &mut AsyncPgConnection, groups: usize) -> Result<(), BoxError> {
    if rules() {
        return Ok(());
    }
    let last = groups as i64 - 1;
    conn.batch_execute(&format!(
        "DELETE FROM studio.notifications \
         WHERE (message LIKE 't=%' OR message LIKE 'w=%') \
         AND user_id IN (SELECT md5('fanout-user-' || g)::uuid FROM generate_series(0, {last}) AS g)"
    ))
    .await
    .map_err(|e| format!("deleting notifications: {e}").into())
}

/// Commits one warm-up notification for each of `users`, in one transaction.
async fn send_warmup(conn: &mut AsyncPgConnection, users: &[&str]) -> Result<(), BoxError> {
    let t = now_micros();
    if rules() {
        let teams: Vec<String> = users.iter().map(|u| format!("'{u}'")).collect();
        return conn
            .batch_execute(&format!("UPDATE studio.brand_kits SET name = 'w={t}' WHERE team_id IN ({})", teams.join(", ")))
            .await
            .map_err(|e| format!("warm-up update: {e}").into());
    }
    let values: Vec<String> = users.iter().map(|u| format!("('{u}', 'fanout', 'w={t}')")).collect();
    conn.batch_execute(&format!("INSERT INTO studio.notifications (user_id, type, message) VALUES {}", values.join(", ")))
        .await
        .map_err(|e| format!("warm-up insert: {e}").into())
}

// ---------------------------------------------------------------------------
// Writers
// ---------------------------------------------------------------------------

/// The send schedule all writers draw from: change `k` is due at `start + k / rate`.
struct Schedule {
    next: AtomicU64,
    start: Instant,
    end: Instant,
    rate: f64,
}

#[derive(Default)]
struct WriterStats {
    committed: u64,
    failed: u64,
    abandoned: u64,
    /// Events the committed changes should produce.
    expected: u64,
    /// Time of each committed INSERT (round trip incl. commit), µs.
    commit_us: Vec<u32>,
    first_error: Option<String>,
}

async fn writer(mut conn: AsyncPgConnection, schedule: Arc<Schedule>, users: Arc<Vec<String>>, followers: Arc<Vec<u64>>) -> WriterStats {
    let mut stats = WriterStats::default();
    let cutoff = schedule.end + WRITE_GRACE;
    loop {
        let k = schedule.next.fetch_add(1, Ordering::Relaxed);
        let due = schedule.start + Duration::from_secs_f64(k as f64 / schedule.rate);
        if due >= schedule.end {
            break;
        }
        sleep_until(due).await;
        if Instant::now() >= schedule.end {
            break;
        }
        let g = (k % users.len() as u64) as usize;
        let sent = now_micros();
        let sql = if rules() {
            format!("UPDATE studio.brand_kits SET name = 't={sent}' WHERE team_id = '{}'", users[g])
        } else {
            format!("INSERT INTO studio.notifications (user_id, type, message) VALUES ('{}', 'fanout', 't={sent}')", users[g])
        };
        let began = Instant::now();
        match timeout_at(cutoff, conn.batch_execute(&sql)).await {
            Ok(Ok(())) => {
                stats.committed += 1;
                stats.expected += followers[g];
                stats.commit_us.push(began.elapsed().as_micros().min(u32::MAX as u128) as u32);
            }
            Ok(Err(e)) => {
                stats.failed += 1;
                stats.first_error.get_or_insert_with(|| e.to_string());
            }
            Err(_) => {
                stats.abandoned += 1;
                break;
            }
        }
    }
    stats
}

// ---------------------------------------------------------------------------
// Report
// ---------------------------------------------------------------------------

fn format_mib(bytes: u64) -> String {
    format!("{:.1} MiB", bytes as f64 / (1024.0 * 1024.0))
}

fn format_pct(value: Option<f64>) -> String {
    value.map_or("n/a".to_string(), |v| format!("{v:.0}%"))
}

fn summary(sorted: &[u32]) -> String {
    if sorted.is_empty() {
        return "n/a".to_string();
    }
    format!(
        "p50 {}, p90 {}, p99 {}, max {}",
        format_ms(percentile(sorted, 50.0)),
        format_ms(percentile(sorted, 90.0)),
        format_ms(percentile(sorted, 99.0)),
        format_ms(sorted[sorted.len() - 1]),
    )
}

// ---------------------------------------------------------------------------
// Main
// ---------------------------------------------------------------------------

async fn run(args: Args) -> Result<i32, BoxError> {
    let started = Instant::now();
    let setup_deadline = started + Duration::from_secs_f64(args.setup_timeout);
    let n = args.subscriptions as usize;
    let per_connection = args.per_connection as usize;
    let groups = (100.0 / args.match_percent).round().max(1.0) as usize;
    let connections = n.div_ceil(per_connection);
    SUPABASE.store(args.protocol == Protocol::Supabase, Ordering::Relaxed);
    let url = Arc::new(if supabase() { supabase_url(&args.url)? } else { ws_url(&args.url)? });
    let pid = args.server_pid.map(|p| p.to_string());
    let pid = pid.as_deref();
    if let Some(pid) = pid {
        if read_rss(pid).is_none() || read_cpu(pid).is_none() {
            return Err(format!("--server-pid {pid}: cannot read /proc/{pid}/status and stat").into());
        }
    }
    println!(
        "target: {url}: {n} subscriptions on {connections} connections, {groups} users ({:.3}% match, {} subscribers each), {} changes/s for {:.1} s, load average {}",
        100.0 / groups as f64,
        if n.is_multiple_of(groups) { (n / groups).to_string() } else { format!("~{:.1}", n as f64 / groups as f64) },
        args.rate,
        args.duration,
        read_load().unwrap_or_else(|| "n/a".into()),
    );
    if groups > n {
        eprintln!("warning: more users ({groups}) than subscriptions ({n}): some changes match nobody");
    }

    // Setup over SQL.
    let mut admin = connect_db(&args.database_url, setup_deadline).await?;
    RULES.store(args.rules, Ordering::Relaxed);
    let mut members = Vec::new();
    let users = if args.rules {
        if args.jwt_secret.is_none() {
            return Err("--rules needs --jwt-secret (or QUIVER_JWT_SECRET)".into());
        }
        let (teams, m) = timeout_at(setup_deadline, create_teams(&mut admin, groups, n, per_connection))
            .await
            .map_err(|_| "creating teams timed out")??;
        members = m;
        Arc::new(teams)
    } else {
        Arc::new(timeout_at(setup_deadline, create_users(&mut admin, groups)).await.map_err(|_| "creating users timed out")??)
    };
    timeout_at(setup_deadline, delete_notifications(&mut admin, groups)).await.map_err(|_| "deleting old notifications timed out")??;
    let mut followers = vec![0u64; groups];
    for i in 0..n {
        followers[i % groups] += 1;
    }
    let followers = Arc::new(followers);
    let mut writer_conns = Vec::new();
    for _ in 0..args.writers {
        writer_conns.push(connect_db(&args.database_url, setup_deadline).await?);
    }

    // Subscriptions.
    if let Some(pid) = pid {
        if !wait_until_idle(pid, setup_deadline).await {
            eprintln!("warning: the server is still busy: the memory figure may be off");
        }
    }
    let rss_before = pid.and_then(read_rss);
    let shared = Arc::new(Shared {
        subscribed: AtomicUsize::new(0),
        connections_ready: AtomicUsize::new(0),
        connections_alive: AtomicUsize::new(0),
        warm: (0..n).map(|_| AtomicBool::new(false)).collect(),
        warm_count: AtomicUsize::new(0),
        delivered: AtomicU64::new(0),
    });
    let (stop_tx, stop_rx) = watch::channel(false);
    let gate = Arc::new(Semaphore::new(CONNECT_CONCURRENCY));
    let subscribing = Instant::now();
    let mut tasks = JoinSet::new();
    let token: Option<Arc<str>> = args.token.as_deref().map(Arc::from);
    for c in 0..connections {
        let first = c * per_connection;
        let token = match (&args.jwt_secret, members.get(c)) {
            (Some(secret), Some(member)) if args.rules => Some(Arc::from(member_token(secret, member)?.as_str())),
            _ => token.clone(),
        };
        let spec = ConnSpec { first, count: per_connection.min(n - first), token };
        tasks.spawn(connection(url.clone(), spec, users.clone(), shared.clone(), gate.clone(), setup_deadline, stop_rx.clone()));
    }
    while shared.connections_ready.load(Ordering::SeqCst) < connections && Instant::now() < setup_deadline {
        sleep(Duration::from_millis(20)).await;
    }
    let subscribed = shared.subscribed.load(Ordering::SeqCst);
    let sent_in = subscribing.elapsed();

    // Warm-up: until every subscriber has received a warm-up event.
    let mut rounds = 0;
    let mut warmup_error = None;
    while subscribed > 0 && shared.warm_count.load(Ordering::SeqCst) < subscribed && Instant::now() < setup_deadline {
        let mut cold = vec![false; groups];
        for (i, warm) in shared.warm.iter().enumerate() {
            if !warm.load(Ordering::Relaxed) {
                cold[i % groups] = true;
            }
        }
        let cold: Vec<&str> = users.iter().zip(&cold).filter(|(_, &c)| c).map(|(u, _)| u.as_str()).collect();
        match timeout_at(setup_deadline, send_warmup(&mut admin, &cold)).await {
            Ok(Ok(())) => rounds += 1,
            Ok(Err(e)) => {
                warmup_error = Some(e.to_string());
                break;
            }
            Err(_) => break,
        }
        let round_end = (Instant::now() + WARMUP_ROUND).min(setup_deadline);
        while shared.warm_count.load(Ordering::SeqCst) < subscribed
            && Instant::now() < round_end
            && shared.connections_alive.load(Ordering::SeqCst) > 0
        {
            sleep(Duration::from_millis(20)).await;
        }
        if shared.connections_alive.load(Ordering::SeqCst) == 0 {
            break;
        }
    }
    let active = shared.warm_count.load(Ordering::SeqCst);
    println!(
        "setup: {} of {n} subscriptions sent in {:.1} s on {} connections, {active} confirmed live after {rounds} warm-up round(s), {:.1} s in all",
        subscribed,
        sent_in.as_secs_f64(),
        shared.connections_alive.load(Ordering::SeqCst),
        subscribing.elapsed().as_secs_f64(),
    );
    if let Some(e) = warmup_error {
        eprintln!("warning: {e}");
    }
    if active < n {
        eprintln!("warning: only {active} of {n} subscriptions confirmed live within --setup-timeout");
    }

    // Memory per idle subscription.
    sleep(Duration::from_millis(500)).await;
    let rss_after = pid.and_then(read_rss);
    match (rss_before, rss_after) {
        (Some(before), Some(after)) => println!(
            "memory: server RSS {} -> {} with {active} live subscriptions: {:.1} KiB per idle subscription",
            format_mib(before),
            format_mib(after),
            (after as f64 - before as f64) / 1024.0 / active.max(1) as f64,
        ),
        _ => println!("memory: n/a (no --server-pid)"),
    }

    // Send window.
    let send_start = Instant::now();
    let send_start_us = now_micros();
    let cpu_before = CpuMark::take(pid);
    let schedule = Arc::new(Schedule {
        next: AtomicU64::new(0),
        start: send_start,
        end: send_start + Duration::from_secs_f64(args.duration),
        rate: args.rate,
    });
    let mut writers = JoinSet::new();
    for conn in writer_conns {
        writers.spawn(writer(conn, schedule.clone(), users.clone(), followers.clone()));
    }
    let mut sent = WriterStats::default();
    while let Some(joined) = writers.join_next().await {
        match joined {
            Ok(w) => {
                sent.committed += w.committed;
                sent.failed += w.failed;
                sent.abandoned += w.abandoned;
                sent.expected += w.expected;
                sent.commit_us.extend(w.commit_us);
                if sent.first_error.is_none() {
                    sent.first_error = w.first_error;
                }
            }
            Err(e) => eprintln!("warning: a writer panicked: {e}"),
        }
    }
    let send_window = send_start.elapsed();
    let cpu_after = CpuMark::take(pid);
    let load_after = read_load();

    // Drain.
    let drain_end = schedule.end + DRAIN;
    while shared.delivered.load(Ordering::Relaxed) < sent.expected
        && Instant::now() < drain_end
        && shared.connections_alive.load(Ordering::SeqCst) > 0
    {
        sleep(Duration::from_millis(20)).await;
    }
    let drained_at = Instant::now();

    // Close the connections and collect what they saw.
    let _ = stop_tx.send(true);
    let mut seen = ConnStats::default();
    let collect_deadline = Instant::now() + Duration::from_secs(3);
    let mut lost_tasks = 0;
    loop {
        match timeout_at(collect_deadline, tasks.join_next()).await {
            Ok(Some(Ok(stats))) => {
                seen.latencies_us.extend(stats.latencies_us);
                for (k, v) in stats.errors {
                    *seen.errors.entry(k).or_default() += v;
                }
                seen.completed += stats.completed;
                seen.last_event_us = seen.last_event_us.max(stats.last_event_us);
            }
            Ok(Some(Err(_))) => lost_tasks += 1,
            Ok(None) => break,
            Err(_) => {
                lost_tasks += tasks.len();
                tasks.abort_all();
                break;
            }
        }
    }

    // Cleanup.
    let cleanup = timeout_at(Instant::now() + CLEANUP, delete_notifications(&mut admin, groups)).await;

    // Report.
    let secs = send_window.as_secs_f64().max(args.duration);
    println!(
        "sent: {} changes committed in {secs:.1} s = {:.1}/s (target {}/s){}{}",
        sent.committed,
        sent.committed as f64 / secs.max(1e-6),
        args.rate,
        if sent.failed > 0 { format!(", {} failed", sent.failed) } else { String::new() },
        if sent.abandoned > 0 { format!(", {} abandoned", sent.abandoned) } else { String::new() },
    );
    if let Some(e) = &sent.first_error {
        eprintln!("first write error: {e}");
    }
    sent.commit_us.sort_unstable();
    println!("insert+commit round trip: {}", summary(&sent.commit_us));
    let delivered = seen.latencies_us.len() as u64;
    let span_us = seen.last_event_us.saturating_sub(send_start_us).max(1);
    println!(
        "events: {delivered} delivered of {} expected ({:.2}%), {:.0} events/s, drain {:.1} s",
        sent.expected,
        delivered as f64 * 100.0 / sent.expected.max(1) as f64,
        delivered as f64 / (span_us as f64 / 1e6),
        drained_at.saturating_duration_since(schedule.end).as_secs_f64(),
    );
    seen.latencies_us.sort_unstable();
    println!("latency (commit -> client): {}", summary(&seen.latencies_us));
    let (server_cpu, driver_cpu) = cpu_before.percent_until(&cpu_after);
    println!(
        "cpu during the send window (100% = one core): server {}, driver {}; load average {}",
        format_pct(server_cpu),
        format_pct(driver_cpu),
        load_after.unwrap_or_else(|| "n/a".into()),
    );
    if seen.errors.is_empty() && seen.completed == 0 && lost_tasks == 0 {
        println!("errors: none");
    } else {
        let mut parts: Vec<String> = seen.errors.iter().map(|(k, v)| format!("{k} ×{v}")).collect();
        if seen.completed > 0 {
            parts.push(format!("subscriptions completed by the server ×{}", seen.completed));
        }
        if lost_tasks > 0 {
            parts.push(format!("connection tasks lost ×{lost_tasks}"));
        }
        println!("errors: {}", parts.join("; "));
    }
    match cleanup {
        Ok(Ok(())) => {}
        Ok(Err(e)) => eprintln!("warning: cleanup: {e}"),
        Err(_) => eprintln!("warning: cleanup timed out"),
    }
    Ok(if sent.committed > 0 && delivered > 0 { 0 } else { 1 })
}

#[tokio::main]
async fn main() {
    let code = match run(Args::parse()).await {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e}");
            1
        }
    };
    let _ = std::io::stdout().flush();
    // Exit right away rather than waiting for the runtime to wind down, so the
    // run's time bound holds.
    std::process::exit(code);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derives_the_websocket_url() {
        assert_eq!(ws_url("http://127.0.0.1:8090/graphql/studio").unwrap(), "ws://127.0.0.1:8090/graphql/studio/ws");
        assert_eq!(ws_url("http://h/graphql/studio/").unwrap(), "ws://h/graphql/studio/ws");
        assert_eq!(ws_url("ws://h/graphql/studio/ws").unwrap(), "ws://h/graphql/studio/ws");
        assert!(ws_url("https://h/graphql/studio").is_err());
        assert_eq!(supabase_url("http://h:1/graphql/studio").unwrap(), "ws://h:1/studio/realtime/v1/websocket");
    }

    #[test]
    fn percentiles_use_nearest_rank() {
        let samples: Vec<u32> = (1..=100).collect();
        assert_eq!(percentile(&samples, 50.0), 50);
        assert_eq!(percentile(&samples, 99.0), 99);
        assert_eq!(percentile(&[7], 90.0), 7);
    }

    #[test]
    fn records_events_and_errors() {
        let shared = Shared {
            subscribed: AtomicUsize::new(0),
            connections_ready: AtomicUsize::new(0),
            connections_alive: AtomicUsize::new(0),
            warm: (0..4).map(|_| AtomicBool::new(false)).collect(),
            warm_count: AtomicUsize::new(0),
            delivered: AtomicU64::new(0),
        };
        let spec = ConnSpec { first: 2, count: 2, token: None };
        let mut stats = ConnStats::default();
        let event =
            r#"{"id":"1","type":"next","payload":{"data":{"notificationChanged":{"cursor":"c","new":{"id":"x","message":"t=1000"}}}}}"#;
        assert!(handle_message(event, 1500, &spec, &shared, &mut stats).is_none());
        assert_eq!(stats.latencies_us, vec![500]);
        let warm = r#"{"id":"1","type":"next","payload":{"data":{"notificationChanged":{"cursor":"c","new":{"id":"x","message":"w=1"}}}}}"#;
        handle_message(warm, 0, &spec, &shared, &mut stats);
        handle_message(warm, 0, &spec, &shared, &mut stats);
        assert!(shared.warm[3].load(Ordering::SeqCst));
        assert_eq!(shared.warm_count.load(Ordering::SeqCst), 1);
        let slow =
            r#"{"id":"0","type":"next","payload":{"data":null,"errors":[{"message":"slow","extensions":{"code":"SLOW_CONSUMER"}}]}}"#;
        handle_message(slow, 0, &spec, &shared, &mut stats);
        handle_message(r#"{"id":"0","type":"complete"}"#, 0, &spec, &shared, &mut stats);
        assert_eq!(stats.errors.get("SLOW_CONSUMER"), Some(&1));
        assert_eq!(stats.completed, 1);
        assert!(handle_message(r#"{"type":"ping"}"#, 0, &spec, &shared, &mut stats).is_some());
    }
}
