//! One socket's Phoenix channels: `phx_join` with its `config`
//! (`postgres_changes` bindings, `broadcast.self`/`ack`, `presence.key`),
//! `phx_leave`, `access_token`, `broadcast` and `presence` pushes, and what
//! the server pushes back (`postgres_changes`, `broadcast`, `presence_state`,
//! `presence_diff`, `system`, `phx_close`).
//!
//! Each `postgres_changes` binding is one [`change_stream`] of the realtime
//! hub (per table, when the binding's `table` is `*` or absent): in commit
//! order, resumable, each event only as far as the channel's principal may
//! read it (the GraphQL row rules, DELETE and old-image semantics included).
//! A binding may carry `after` (a cursor from an event's `data.cursor`): the
//! changes after it are replayed, in order, before live ones. A new
//! `access_token` re-opens every binding's stream for the new principal from
//! the last change it delivered, so nothing is lost or repeated.

use std::sync::Arc;
use std::time::Duration;

use axum::extract::ws::Message;
use futures_util::stream::BoxStream;
use futures_util::StreamExt;
use serde_json::{json, Map, Value};
use tokio::sync::{mpsc, watch};
use tokio::task::JoinHandle;

use super::frame::{encode, Frame, Vsn};
use super::{filter, hub, HttpState};
use crate::auth::{Credentials, Principal};
use crate::catalog::model::AppModel;
use crate::catalog::{App, ColumnType};
use crate::db::value::Row;
use crate::error::QuiverError;
use crate::realtime::presence::{Member, PresenceChange, PresenceGuard, PresenceKind};
use crate::realtime::stream::{change_stream, ChangeSpec};
use crate::realtime::topics::{Checked, TopicUse};
use crate::realtime::{BroadcastMessage, Change, Cursor, Op, Realtime};
use crate::sql::Filter;

/// What a socket's channels share.
pub(super) struct Ctx {
    pub state: HttpState,
    pub realtime: Realtime,
    pub vsn: Vsn,
    /// The app of the path prefix, if any.
    pub path_app: Option<&'static App>,
    /// The connect-time key.
    pub apikey: Credentials,
    pub address: Option<std::net::IpAddr>,
    pub out: Out,
    pub control: mpsc::UnboundedSender<Control>,
}

/// The socket's outgoing queue.
#[derive(Clone)]
pub(super) struct Out {
    pub tx: mpsc::Sender<Message>,
    pub vsn: Vsn,
}

impl Out {
    /// Queues a frame; `false` once the socket is gone.
    async fn send(&self, f: Frame) -> bool {
        self.tx.send(Message::Text(encode(self.vsn, &f).into())).await.is_ok()
    }
}

/// What a channel's tasks ask of the socket loop.
pub(super) enum Control {
    /// End the channel with a `system` error, then `phx_close`.
    Close { topic: String, join_ref: Value, message: String },
}

/// A joined channel; its tasks stop and its presence leaves when dropped.
pub(super) struct Channel {
    join_ref: Value,
    sub: String,
    app: &'static App,
    /// The `access_token` in use (else the apikey's principal).
    token: Option<String>,
    who: watch::Sender<Arc<Principal>>,
    ack: bool,
    presence_key: String,
    tracked: Option<(Value, PresenceGuard)>,
    /// The hub of its app.
    realtime: Realtime,
    /// Names this channel's own broadcasts ([`BroadcastMessage::origin`]).
    origin: String,
    postgres: bool,
    tasks: Vec<JoinHandle<()>>,
    guard: Option<JoinHandle<()>>,
}

impl Drop for Channel {
    fn drop(&mut self) {
        for t in self.tasks.iter().chain(self.guard.iter()) {
            t.abort();
        }
    }
}

/// Handles one frame from the client.
pub(super) async fn handle(ctx: &Ctx, channels: &mut std::collections::HashMap<String, Channel>, f: Frame) {
    if f.topic == "phoenix" && f.event == "heartbeat" {
        ctx.out.send(f.reply("ok", json!({}))).await;
        return;
    }
    if f.event == "phx_join" {
        return join(ctx, channels, f).await;
    }
    let Some(ch) = channels.get_mut(&f.topic) else {
        ctx.out.send(f.reply("error", json!({ "reason": "unmatched topic" }))).await;
        return;
    };
    match f.event.as_str() {
        "phx_leave" => {
            channels.remove(&f.topic);
            ctx.out.send(f.reply("ok", json!({}))).await;
        }
        "access_token" => refresh(ctx, channels, f).await,
        "broadcast" => send_broadcast(ctx, ch, f).await,
        "presence" => presence(ctx, ch, f).await,
        other => {
            let reason = format!("unknown event {other}");
            ctx.out.send(f.reply("error", json!({ "reason": reason }))).await;
        }
    }
}

/// Handles a control message from a channel's task.
pub(super) async fn control(ctx: &Ctx, channels: &mut std::collections::HashMap<String, Channel>, c: Control) {
    let Control::Close { topic, join_ref, message } = c;
    if channels.get(&topic).is_some_and(|ch| ch.join_ref == join_ref) {
        close(ctx, channels, &topic, &message).await;
    }
}

/// Ends a channel: `system` error, then `phx_close` (no automatic rejoin).
async fn close(ctx: &Ctx, channels: &mut std::collections::HashMap<String, Channel>, topic: &str, message: &str) {
    let Some(ch) = channels.remove(topic) else { return };
    let system = json!({ "message": message, "status": "error", "extension": "system", "channel": ch.sub });
    let join_ref = ch.join_ref.clone();
    drop(ch);
    ctx.out
        .send(Frame { join_ref: join_ref.clone(), r#ref: Value::Null, topic: topic.into(), event: "system".into(), payload: system })
        .await;
    ctx.out
        .send(Frame { join_ref: join_ref.clone(), r#ref: join_ref, topic: topic.into(), event: "phx_close".into(), payload: json!({}) })
        .await;
}

/// Supabase's booleans may come as strings.
fn flexible_bool(v: Option<&Value>) -> bool {
    match v {
        Some(Value::Bool(b)) => *b,
        Some(Value::String(s)) => s.eq_ignore_ascii_case("true"),
        _ => false,
    }
}

/// The channel's app: the path's, else the first binding's `schema` that is an app.
fn channel_app(ctx: &Ctx, bindings: &[Value]) -> Result<&'static App, String> {
    if let Some(app) = ctx.path_app {
        return Ok(app);
    }
    let from_schema = bindings.iter().filter_map(|b| b.get("schema").and_then(Value::as_str)).find_map(|s| super::served(&ctx.state, s));
    from_schema.or_else(|| super::only_app(&ctx.state)).ok_or_else(|| {
        let apps: Vec<&str> = ctx.state.apps.keys().copied().collect();
        format!(
            "UnknownApp: name the app with a path prefix (/<app>/realtime/v1/websocket) or a postgres_changes `schema` (one of {})",
            apps.join(", ")
        )
    })
}

/// A binding's id: equal for equal `event`, `schema`, `table` and `filter`.
fn binding_id(b: &Value) -> u64 {
    let key = json!([b.get("event"), b.get("schema"), b.get("table"), b.get("filter")]).to_string();
    // FNV-1a, folded to 31 bits so JavaScript keeps it exact.
    let hash = key.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3));
    (hash ^ (hash >> 31)) & 0x7fff_ffff
}

/// One compiled `postgres_changes` binding on one table.
struct Binding {
    id: u64,
    table: usize,
    events: Vec<Op>,
    conds: Vec<Filter>,
    after: Option<Cursor>,
}

/// Compiles one binding of the channel's app (one per table for `table: "*"`).
fn compile(app: &App, model: &AppModel, b: &Value) -> Result<Vec<Binding>, String> {
    let id = binding_id(b);
    let events = match b.get("event").and_then(Value::as_str).map(str::to_ascii_uppercase).as_deref() {
        Some("*") => vec![Op::Insert, Op::Update, Op::Delete],
        Some(e) => vec![Op::parse(e).ok_or_else(|| format!("Error parsing `event` params: {e:?} (INSERT, UPDATE, DELETE or *)"))?],
        None => return Err("Error parsing `event` params: a postgres_changes binding needs an `event`".into()),
    };
    let schema = b.get("schema").and_then(Value::as_str).unwrap_or("public");
    let table = b.get("table").and_then(Value::as_str).filter(|t| !t.is_empty() && *t != "*");
    let unable = || {
        format!(
            "Unable to subscribe to changes with given parameters. Please check Realtime is enabled for the given connect parameters: \
             [schema: {schema}, table: {}] (this channel's app is {})",
            table.unwrap_or("*"),
            app.name
        )
    };
    if ![app.name, "public", "*"].contains(&schema) {
        return Err(unable());
    }
    let tables: Vec<usize> = match table {
        Some(t) => vec![model.tables.iter().position(|tm| tm.table.name == t).ok_or_else(unable)?],
        None => (0..model.tables.len()).collect(),
    };
    let after = match b.get("after") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) if s.is_empty() => None,
        Some(Value::String(s)) => Some(Cursor::decode(s).map_err(|e| e.to_string())?),
        Some(_) => return Err("`after` must be a cursor string (an event's data.cursor)".into()),
    };
    let filter = b.get("filter").and_then(Value::as_str).unwrap_or("");
    tables
        .into_iter()
        .map(|table| Ok(Binding { id, table, events: events.clone(), conds: filter::compile(&model.tables[table], filter)?, after }))
        .collect()
}

/// The PostgreSQL type name (`pg_type.typname`) Supabase puts in `columns`.
fn type_name(ty: ColumnType) -> &'static str {
    match ty {
        ColumnType::Uuid => "uuid",
        ColumnType::Text | ColumnType::Enum(_) => "text",
        ColumnType::Bool => "bool",
        ColumnType::Int => "int4",
        ColumnType::BigInt => "int8",
        ColumnType::Float => "float8",
        ColumnType::Decimal => "numeric",
        ColumnType::Timestamp => "timestamptz",
        ColumnType::Date => "date",
        ColumnType::Json => "jsonb",
        ColumnType::TextArray => "_text",
        ColumnType::Cidr => "cidr",
        ColumnType::PgEnum(e) => e.name,
    }
}

/// A `postgres_changes` payload: `{ids, data}` with Supabase's keys, plus
/// `data.cursor` (pass it back as the binding's `after` to resume).
fn change_payload(model: &AppModel, c: &Change, id: u64) -> Value {
    let tm = &model.tables[c.table];
    let readable = || tm.table.columns.iter().enumerate().filter(|(_, col)| col.readable());
    let columns: Vec<Value> = readable().map(|(_, col)| json!({ "name": col.name, "type": type_name(col.ty) })).collect();
    let record = |row: &Option<Arc<Row>>| match row {
        Some(row) => Value::Object(
            readable().map(|(i, col)| (col.name.to_string(), row.values[i].clone().into_json().unwrap_or(Value::Null))).collect(),
        ),
        None => Value::Null,
    };
    // Milliseconds, as Supabase spells it.
    let ts = &c.committed_at;
    let commit_timestamp = if ts.len() > 23 && ts.as_bytes()[19] == b'.' { format!("{}Z", &ts[..23]) } else { ts.clone() };
    let mut data = json!({
        "schema": c.app,
        "table": tm.table.name,
        "commit_timestamp": commit_timestamp,
        "type": c.op.name(),
        "columns": columns,
        "errors": null,
        "cursor": c.cursor.encode(),
    });
    if c.op != Op::Delete {
        data["record"] = record(&c.new);
    }
    if c.op != Op::Insert {
        data["old_record"] = record(&c.old);
    }
    json!({ "ids": [id], "data": data })
}

/// A binding's stream feeding the socket: re-opened for a new principal from
/// the last change it delivered.
struct BindingTask {
    realtime: Realtime,
    model: Arc<AppModel>,
    binding: Binding,
    out: Out,
    topic: String,
    join_ref: Value,
    control: mpsc::UnboundedSender<Control>,
    who: watch::Receiver<Arc<Principal>>,
}

type Changes = BoxStream<'static, Result<Arc<Change>, QuiverError>>;

impl BindingTask {
    fn open(&self, who: Arc<Principal>, after: Cursor) -> Changes {
        let b = &self.binding;
        let spec = ChangeSpec {
            app: self.model.app.name,
            table: b.table,
            events: b.events.clone(),
            conds: b.conds.clone(),
            after: Some(after),
            until: None,
        };
        change_stream(self.realtime.clone(), self.model.clone(), who, spec, Box::new(()))
    }

    async fn run(mut self, mut stream: Changes, mut after: Cursor) {
        loop {
            tokio::select! {
                item = stream.next() => match item {
                    Some(Ok(c)) => {
                        let payload = change_payload(&self.model, &c, self.binding.id);
                        if !self.out.send(Frame::push(&self.topic, "postgres_changes", payload)).await {
                            return;
                        }
                        after = c.cursor;
                    }
                    Some(Err(e)) => {
                        let message = format!("{}: {e}", e.code());
                        let _ = self.control.send(Control::Close { topic: self.topic.clone(), join_ref: self.join_ref.clone(), message });
                        return;
                    }
                    None => return,
                },
                changed = self.who.changed() => {
                    if changed.is_err() {
                        return;
                    }
                    let who = self.who.borrow_and_update().clone();
                    stream = self.open(who, after);
                }
            }
        }
    }
}

/// Groups members by presence key, each meta with its `phx_ref`.
fn presence_group(members: &[Member]) -> Value {
    let mut out = Map::new();
    for m in members {
        let mut meta = match &m.meta {
            Value::Object(o) => o.clone(),
            Value::Null => Map::new(),
            other => Map::from_iter([("meta".to_string(), other.clone())]),
        };
        meta.insert("phx_ref".into(), Value::String(m.key.clone()));
        let key = m.group.clone().unwrap_or_else(|| m.key.clone());
        let entry = out.entry(key).or_insert_with(|| json!({ "metas": [] }));
        if let Some(metas) = entry["metas"].as_array_mut() {
            metas.push(Value::Object(meta));
        }
    }
    Value::Object(out)
}

/// Fan-out of one channel: presence diffs or broadcasts of its topic. One
/// that falls behind ends the channel rather than skip silently.
struct Forward {
    out: Out,
    topic: String,
    join_ref: Value,
    sub: String,
    control: mpsc::UnboundedSender<Control>,
}

impl Forward {
    fn fell_behind(&self, what: &str, n: u64) {
        let message = format!("{what} fell behind: {n} messages were not delivered; rejoin the channel");
        let _ = self.control.send(Control::Close { topic: self.topic.clone(), join_ref: self.join_ref.clone(), message });
    }

    /// The channel ends when its caller may no longer use the topic.
    fn lost(&self, e: QuiverError) {
        let message = format!("You no longer have permission to read from this Channel topic: {}: {e}", self.sub);
        let _ = self.control.send(Control::Close { topic: self.topic.clone(), join_ref: self.join_ref.clone(), message });
    }

    async fn presence(self, mut rx: Checked<Arc<PresenceChange>>) {
        loop {
            match rx.recv().await {
                Some(Ok(c)) => {
                    let entry = presence_group(std::slice::from_ref(&c.member));
                    let (joins, leaves) = match c.kind {
                        PresenceKind::Join => (entry, json!({})),
                        PresenceKind::Leave => (json!({}), entry),
                    };
                    if !self.out.send(Frame::push(&self.topic, "presence_diff", json!({ "joins": joins, "leaves": leaves }))).await {
                        return;
                    }
                }
                Some(Err(QuiverError::SlowConsumer(n))) => return self.fell_behind("presence", n),
                Some(Err(e)) => return self.lost(e),
                None => return,
            }
        }
    }

    /// `own`: this channel's origin, whose messages are left out (`self: false`).
    async fn broadcasts(self, mut rx: Checked<Arc<BroadcastMessage>>, own: Option<String>) {
        loop {
            match rx.recv().await {
                Some(Ok(m)) => {
                    if own.is_some() && m.origin == own {
                        continue;
                    }
                    let payload = json!({ "type": "broadcast", "event": m.event, "payload": m.payload });
                    if !self.out.send(Frame::push(&self.topic, "broadcast", payload)).await {
                        return;
                    }
                }
                Some(Err(QuiverError::SlowConsumer(n))) => return self.fell_behind("broadcast", n),
                Some(Err(e)) => return self.lost(e),
                None => return,
            }
        }
    }
}

/// Ends the channel when its credentials expire (at `exp`) or stop
/// resolving (checked every [`REVALIDATE`]).
fn spawn_guard(ctx: &Ctx, topic: &str, join_ref: &Value, app: &'static App, credentials: Credentials, who: &Principal) -> JoinHandle<()> {
    let (auth, address, control, every) = (ctx.state.auth.clone(), ctx.address, ctx.control.clone(), ctx.state.ws_limits.revalidate);
    let (topic, join_ref, expires_at) = (topic.to_string(), join_ref.clone(), who.expires_at);
    tokio::spawn(async move {
        let close = |message: String| {
            let _ = control.send(Control::Close { topic: topic.clone(), join_ref: join_ref.clone(), message });
        };
        loop {
            let until_exp = expires_at.map(|at| Duration::from_secs(at.saturating_sub(crate::catalog::principal::unix_now())));
            tokio::select! {
                _ = tokio::time::sleep(until_exp.unwrap_or(Duration::MAX)), if until_exp.is_some() => {
                    return close("Token has expired".into());
                }
                _ = tokio::time::sleep(every) => {
                    if let Err(e) = auth.authenticate(app, &credentials, address).await {
                        return close(format!("You no longer have permission to read from this Channel topic: {e}"));
                    }
                }
            }
        }
    })
}

/// A usable `access_token` (Supabase's opaque `sb_…` keys mean "use the apikey").
fn access_token(payload: &Value) -> Option<String> {
    payload
        .get("access_token")
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|t| !t.is_empty() && !t.starts_with("sb_"))
        .map(str::to_string)
}

async fn join(ctx: &Ctx, channels: &mut std::collections::HashMap<String, Channel>, f: Frame) {
    let refuse = |reason: String| f.reply("error", json!({ "reason": reason }));
    let sub = f.topic.strip_prefix("realtime:").unwrap_or(&f.topic).to_string();
    if sub.is_empty() || !f.topic.starts_with("realtime:") {
        ctx.out.send(refuse("TopicNameRequired: the topic must be realtime:<name>".into())).await;
        return;
    }
    if channels.contains_key(&f.topic) {
        close(ctx, channels, &f.topic, "the channel was joined again").await;
    }
    if channels.len() >= ctx.state.ws_limits.subscriptions {
        ctx.out.send(refuse("ChannelRateLimitReached: Too many channels".into())).await;
        return;
    }
    let join_ref = if f.join_ref.is_null() { f.r#ref.clone() } else { f.join_ref.clone() };
    let config = f.payload.get("config").cloned().unwrap_or(Value::Null);
    let bindings: Vec<Value> = config.get("postgres_changes").and_then(Value::as_array).cloned().unwrap_or_default();
    let app = match channel_app(ctx, &bindings) {
        Ok(app) => app,
        Err(reason) => {
            ctx.out.send(refuse(reason)).await;
            return;
        }
    };
    let Some((realtime, model)) = hub(&ctx.state, app.name).and_then(|r| Some((r.clone(), r.model(app.name)?.clone()))) else {
        ctx.out.send(refuse(format!("UnknownApp: {} has no realtime", app.name))).await;
        return;
    };
    let token = access_token(&f.payload);
    let credentials = token.as_deref().map(super::key_credentials).unwrap_or_else(|| ctx.apikey.clone());
    let who = match ctx.state.auth.authenticate(app, &credentials, ctx.address).await {
        Ok(who) => who,
        Err(e) => {
            ctx.out.send(refuse(format!("InvalidJWTToken: {e}"))).await;
            return;
        }
    };
    let presence_config = config.get("presence");
    let presence_enabled = flexible_bool(presence_config.and_then(|p| p.get("enabled")));
    let presence_rx = match presence_enabled {
        false => None,
        true => match realtime.presence_changes(app.name, &who, &sub).await {
            Ok(rx) => Some(rx),
            Err(e) => {
                ctx.out.send(refuse(format!("Unauthorized: {e}"))).await;
                return;
            }
        },
    };
    let presence_key = presence_config
        .and_then(|p| p.get("key"))
        .and_then(Value::as_str)
        .filter(|k| !k.is_empty())
        .map(str::to_string)
        .unwrap_or_else(|| uuid::Uuid::new_v4().to_string());

    // postgres_changes: every stream registered (and its start fixed) before the reply.
    let mut echo = Vec::new();
    let mut errors = Vec::new();
    let mut compiled = Vec::new();
    for b in &bindings {
        let mut e = b.as_object().cloned().unwrap_or_default();
        e.insert("id".into(), json!(binding_id(b)));
        echo.push(Value::Object(e));
        match compile(app, &model, b) {
            Ok(parts) => compiled.extend(parts),
            Err(message) => errors.push(message),
        }
    }
    let now = match compiled.iter().any(|b| b.after.is_none()) {
        true => match realtime.position().await {
            Ok(p) => p,
            Err(e) => {
                ctx.out.send(refuse(format!("Unknown Error on Channel: {e}"))).await;
                return;
            }
        },
        false => Cursor::default(),
    };
    let principal = Arc::new(who.clone());
    let (who_tx, _) = watch::channel(principal.clone());
    let mut starts = Vec::new();
    for binding in compiled {
        let task = BindingTask {
            realtime: realtime.clone(),
            model: model.clone(),
            out: ctx.out.clone(),
            topic: f.topic.clone(),
            join_ref: join_ref.clone(),
            control: ctx.control.clone(),
            who: who_tx.subscribe(),
            binding,
        };
        let after = task.binding.after.unwrap_or(now);
        let stream = task.open(principal.clone(), after);
        starts.push((task, stream, after));
    }
    // Broadcasts reach a channel whose caller may listen to its topic (a
    // channel only for postgres_changes may be named anything).
    let broadcast_rx = realtime.listen(app.name, &who, &sub).await.ok();

    let mut reply = f.reply("ok", json!({ "postgres_changes": echo }));
    reply.join_ref = join_ref.clone();
    ctx.out.send(reply).await;
    let system = |status: &str, message: &str| Frame {
        join_ref: join_ref.clone(),
        r#ref: Value::Null,
        topic: f.topic.clone(),
        event: "system".into(),
        payload: json!({ "message": message, "status": status, "extension": "postgres_changes", "channel": sub }),
    };
    for message in &errors {
        ctx.out.send(system("error", message)).await;
    }
    let postgres = !starts.is_empty();
    if postgres {
        ctx.out.send(system("ok", "Subscribed to PostgreSQL")).await;
    }
    let forward = || Forward {
        out: ctx.out.clone(),
        topic: f.topic.clone(),
        join_ref: join_ref.clone(),
        sub: sub.clone(),
        control: ctx.control.clone(),
    };
    let mut tasks: Vec<JoinHandle<()>> = starts.into_iter().map(|(task, stream, after)| tokio::spawn(task.run(stream, after))).collect();
    if let Some(rx) = presence_rx {
        let state = presence_group(&realtime.presence().members(app.name, &sub));
        ctx.out.send(Frame { join_ref: join_ref.clone(), ..Frame::push(&f.topic, "presence_state", state) }).await;
        tasks.push(tokio::spawn(forward().presence(rx)));
    }
    let broadcast_self = flexible_bool(config.get("broadcast").and_then(|b| b.get("self")));
    let origin = uuid::Uuid::new_v4().to_string();
    if let Some(rx) = broadcast_rx {
        tasks.push(tokio::spawn(forward().broadcasts(rx, (!broadcast_self).then(|| origin.clone()))));
    }
    let guard = Some(spawn_guard(ctx, &f.topic, &join_ref, app, credentials, &who));
    let channel = Channel {
        join_ref,
        sub,
        app,
        token,
        who: who_tx,
        ack: flexible_bool(config.get("broadcast").and_then(|b| b.get("ack"))),
        presence_key,
        tracked: None,
        realtime,
        origin,
        postgres,
        tasks,
        guard,
    };
    channels.insert(f.topic.clone(), channel);
}

/// `access_token`: re-authorizes the channel (no reply). A token that does
/// not verify ends the channel.
async fn refresh(ctx: &Ctx, channels: &mut std::collections::HashMap<String, Channel>, f: Frame) {
    let Some(ch) = channels.get_mut(&f.topic) else { return };
    let Some(token) = access_token(&f.payload) else { return };
    if ch.token.as_deref() == Some(token.as_str()) {
        return;
    }
    let credentials = super::key_credentials(&token);
    let who = match ctx.state.auth.authenticate(ch.app, &credentials, ctx.address).await {
        Ok(who) => who,
        Err(e) => return close(ctx, channels, &f.topic, &format!("Token is not valid: {e}")).await,
    };
    if ch.tracked.is_some() && ch.realtime.authorize_topic(ch.app.name, &who, &ch.sub, TopicUse::Presence).await.is_err() {
        let message = format!("You no longer have permission to read from this Channel topic: {}", ch.sub);
        return close(ctx, channels, &f.topic, &message).await;
    }
    if let Some(g) = ch.guard.take() {
        g.abort();
    }
    ch.guard = Some(spawn_guard(ctx, &f.topic, &ch.join_ref, ch.app, credentials, &who));
    ch.token = Some(token);
    ch.who.send_replace(Arc::new(who));
    if ch.postgres {
        let payload = json!({ "message": "Subscribed to PostgreSQL", "status": "ok", "extension": "postgres_changes", "channel": ch.sub });
        ctx.out.send(Frame { join_ref: ch.join_ref.clone(), ..Frame::push(&f.topic, "system", payload) }).await;
    }
}

/// A `broadcast` push: to every subscriber of the topic on every instance
/// (the sender too when `self`); answered when `ack`, or on failure.
async fn send_broadcast(ctx: &Ctx, ch: &Channel, f: Frame) {
    let Some(event) = f.payload.get("event").and_then(Value::as_str) else {
        ctx.out.send(f.reply("error", json!({ "reason": "a broadcast needs an `event`" }))).await;
        return;
    };
    let who = ch.who.borrow().clone();
    let payload = f.payload.get("payload").cloned().unwrap_or(Value::Null);
    let sent = ch.realtime.send_from(ch.app.name, &who, &ch.sub, event, payload, Some(ch.origin.clone()));
    match sent.await {
        Ok(()) if ch.ack => {
            ctx.out.send(f.reply("ok", json!({}))).await;
        }
        Ok(()) => {}
        Err(e) => {
            let response = match &e {
                QuiverError::BadInput(m) if m.contains("larger than") => json!({ "error": "payload_size_exceeded" }),
                _ => json!({ "reason": format!("{}: {e}", e.code()) }),
            };
            ctx.out.send(f.reply("error", response)).await;
        }
    }
}

/// `presence` pushes: `track` (a map; again with other data replaces it) and `untrack`.
async fn presence(ctx: &Ctx, ch: &mut Channel, f: Frame) {
    let reply = match f.payload.get("event").and_then(Value::as_str) {
        Some("track") => {
            let meta = f.payload.get("payload").cloned().unwrap_or_else(|| json!({}));
            let who = ch.who.borrow().clone();
            if !meta.is_object() {
                f.reply("error", json!({ "reason": "Presence track payload must be a map" }))
            } else if ch.tracked.as_ref().is_some_and(|(m, _)| *m == meta) {
                f.reply("ok", json!({}))
            } else {
                ch.tracked = None;
                match ch.realtime.track(ch.app.name, &who, &ch.sub, Some(ch.presence_key.clone()), meta.clone()).await {
                    Ok((_, guard)) => {
                        ch.tracked = Some((meta, guard));
                        f.reply("ok", json!({}))
                    }
                    Err(e) => f.reply("error", json!({ "reason": format!("{}: {e}", e.code()) })),
                }
            }
        }
        Some("untrack") => {
            ch.tracked = None;
            f.reply("ok", json!({}))
        }
        other => f.reply("error", json!({ "reason": format!("unknown presence event {other:?} (track or untrack)") })),
    };
    ctx.out.send(reply).await;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn binding_ids_are_stable_and_ignore_after() {
        let a = json!({"event": "*", "schema": "studio", "table": "workbenches", "filter": "name=eq.x"});
        let mut b = a.clone();
        b["after"] = json!("1.2");
        assert_eq!(binding_id(&a), binding_id(&b));
        assert_ne!(binding_id(&a), binding_id(&json!({"event": "INSERT", "schema": "studio", "table": "workbenches"})));
        assert!(binding_id(&a) < (1 << 31));
    }

    #[test]
    fn presence_groups_metas_by_key() {
        let m = |key: &str, group: Option<&str>, meta: Value| Member { key: key.into(), meta, group: group.map(str::to_string) };
        let state = presence_group(&[m("r1", Some("u1"), json!({"a": 1})), m("r2", Some("u1"), json!({"a": 2})), m("r3", None, json!(5))]);
        assert_eq!(
            state,
            json!({"u1": {"metas": [{"a": 1, "phx_ref": "r1"}, {"a": 2, "phx_ref": "r2"}]}, "r3": {"metas": [{"meta": 5, "phx_ref": "r3"}]}})
        );
    }
}
