//! Realtime: row changes captured by PostgreSQL, broadcast messages and
//! presence, fanned out to in-process subscribers.
//!
//! - [`capture`] attaches the change-capture trigger to every declared table
//!   (the outbox itself is created by a migration; see its comments for why
//!   the commit sequence is exact).
//! - [`feed`] runs one listening connection per instance: `NOTIFY` only wakes
//!   it; it reads new changes from the outbox in commit order and publishes
//!   them to the matching subscribers. After a dropped connection it
//!   reconnects and catches up from the last sequence it published.
//! - [`presence`] tracks who is on which topic, across instances.
//! - [`topics`] decides who may listen, send and join presence on which
//!   topic (declared per app), and is the checked way in for every protocol;
//!   [`fanout`] hands broadcasts and presence changes to each topic's own
//!   subscribers; [`limits`] rate-limits broadcasts and presence joins per
//!   principal.
//!
//! - [`registry`] hands each change only to the subscribers it can match, each
//!   through its own bounded queue: one that falls further behind than the
//!   buffer gets `SLOW_CONSUMER` and is ended; it never holds memory or other
//!   subscribers back.
//! - [`stream`] is one row-change subscription: its backlog replayed in
//!   bounded parts, the hand-over to live changes, and what of each change
//!   its subscriber may see.

pub mod capture;
pub mod fanout;
mod feed;
pub mod limits;
pub mod matching;
pub mod presence;
pub mod registry;
pub mod stream;
pub mod topics;
pub mod verdicts;

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use diesel::sql_types::{BigInt, Nullable, Text};
use diesel::QueryableByName;
use diesel_async::RunQueryDsl;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use crate::catalog::model::AppModel;
use crate::db::value::{Row, RowRef};
use crate::db::Db;
use crate::error::QuiverError;

/// Realtime settings.
#[derive(Debug, Clone)]
pub struct RealtimeOptions {
    /// Events buffered per subscriber before it counts as a slow consumer.
    pub buffer: usize,
    /// How long the outbox keeps changes (resume window for `after`).
    pub retention: Duration,
    /// How often the feed polls even without a notification (a safety net).
    pub poll_interval: Duration,
    /// Broadcasts one principal may send per app.
    pub broadcast_rate: limits::Rate,
    /// Presence joins one principal may make per app.
    pub presence_join_rate: limits::Rate,
    /// How often an open `channel` or `presence` decides again whether its
    /// caller may still use its topic.
    pub topic_recheck: Duration,
}

impl Default for RealtimeOptions {
    fn default() -> Self {
        RealtimeOptions {
            buffer: 1024,
            retention: Duration::from_secs(24 * 3600),
            poll_interval: Duration::from_secs(2),
            broadcast_rate: limits::Rate { count: 20, period: Duration::from_secs(1) },
            presence_join_rate: limits::Rate { count: 30, period: Duration::from_secs(60) },
            topic_recheck: Duration::from_secs(60),
        }
    }
}

/// A row change operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Op {
    /// A new row.
    Insert,
    /// A changed row.
    Update,
    /// A removed row.
    Delete,
}

impl Op {
    /// Parses PostgreSQL's `TG_OP`.
    pub fn parse(s: &str) -> Option<Op> {
        match s {
            "INSERT" => Some(Op::Insert),
            "UPDATE" => Some(Op::Update),
            "DELETE" => Some(Op::Delete),
            _ => None,
        }
    }

    /// The GraphQL enum value.
    pub fn name(self) -> &'static str {
        match self {
            Op::Insert => "INSERT",
            Op::Update => "UPDATE",
            Op::Delete => "DELETE",
        }
    }
}

/// A position in the change stream: commit sequence, then change id within it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Cursor {
    /// Commit sequence number.
    pub seq: i64,
    /// Change id within the commit.
    pub id: i64,
}

impl Cursor {
    /// The opaque text clients pass back as `after`.
    pub fn encode(&self) -> String {
        format!("{}.{}", self.seq, self.id)
    }

    /// Parses a cursor given by a client.
    pub fn decode(s: &str) -> Result<Cursor, QuiverError> {
        let bad = || QuiverError::BadInput("invalid change cursor".into());
        let (seq, id) = s.split_once('.').ok_or_else(bad)?;
        Ok(Cursor { seq: seq.parse().map_err(|_| bad())?, id: id.parse().map_err(|_| bad())? })
    }
}

/// One captured row change, decoded against its table's declaration.
#[derive(Debug)]
pub struct Change {
    /// Its stream position.
    pub cursor: Cursor,
    /// Commit time, RFC 3339 UTC.
    pub committed_at: String,
    /// App name.
    pub app: &'static str,
    /// Table index in the app's model.
    pub table: usize,
    /// Operation.
    pub op: Op,
    /// The row after the change (`None` for deletes).
    pub new: Option<RowRef>,
    /// The row before the change (`None` for inserts).
    pub old: Option<RowRef>,
    /// The writing transaction (`xid8` as text): rules on a DELETE also see
    /// what that transaction deleted.
    pub txid: Arc<str>,
    /// How many subscribers the registry handed it to ([`verdicts`]).
    pub(crate) audience: std::sync::atomic::AtomicUsize,
    /// Whether a batch of verdicts on it has run ([`verdicts`]).
    pub(crate) batched: std::sync::atomic::AtomicBool,
}

/// Most changes one backlog read returns (what a resuming subscriber holds at once).
pub const BACKLOG_ROWS: i64 = 500;
/// Most commits one backlog read scans.
pub const BACKLOG_COMMITS: i64 = 2000;

/// What a backlog read selects: one table's changes, some operations, and
/// column equalities (column index, value as text) each holding on the new or
/// the old row.
#[derive(Debug, Clone)]
pub struct ChangeScope {
    /// App name.
    pub app: &'static str,
    /// Table index in the app's model.
    pub table: usize,
    /// Operations.
    pub ops: Vec<Op>,
    /// Equalities.
    pub equals: Vec<(usize, String)>,
}

/// One bounded part of a backlog.
pub struct Backlog {
    /// The selected changes, in commit order.
    pub changes: Vec<Arc<Change>>,
    /// Where the next part starts.
    pub next: Cursor,
    /// Whether this part reached everything committed when it was read.
    pub at_end: bool,
}

/// A broadcast message between clients of a topic (not stored).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct BroadcastMessage {
    /// App it was sent in.
    pub app: String,
    /// Topic.
    pub topic: String,
    /// Event name chosen by the sender.
    pub event: String,
    /// Any JSON.
    pub payload: serde_json::Value,
    /// When it was sent, RFC 3339.
    pub sent_at: String,
    /// Who sent it, as the sending instance authenticated it.
    #[serde(default)]
    pub sender: topics::Sender,
    /// The sending channel, when the protocol names one, so it can leave its
    /// own messages out (Supabase's `broadcast.self: false`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origin: Option<String>,
}

/// Messages instances exchange on the `quiver_realtime` channel.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "k", rename_all = "snake_case")]
pub(crate) enum Wire {
    Broadcast(BroadcastMessage),
    Presence(presence::PresenceWire),
}

/// Largest `NOTIFY` payload PostgreSQL accepts is 8000 bytes; keep a margin.
const MAX_NOTIFY_BYTES: usize = 7900;

#[derive(QueryableByName)]
pub(crate) struct ChangeRow {
    #[diesel(sql_type = BigInt)]
    seq: i64,
    #[diesel(sql_type = BigInt)]
    id: i64,
    #[diesel(sql_type = Text)]
    committed_at: String,
    /// The changed table's PostgreSQL schema (the outbox column is `app`).
    #[diesel(sql_type = Text)]
    app: String,
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    op: String,
    #[diesel(sql_type = Nullable<Text>)]
    new_row: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    old_row: Option<String>,
    #[diesel(sql_type = Text)]
    txid: String,
}

/// The realtime hub of one Quiver instance.
#[derive(Clone)]
pub struct Realtime {
    inner: Arc<Inner>,
}

pub(crate) struct Inner {
    db: Db,
    url: String,
    models: HashMap<&'static str, Arc<AppModel>>,
    registry: Arc<std::sync::Mutex<registry::Registry>>,
    messages: fanout::Fanout<Arc<BroadcastMessage>>,
    presence: presence::Presence,
    broadcasts: limits::Limiter,
    presence_joins: limits::Limiter,
    verdicts: verdicts::Verdicts,
    /// The position of the last change the feed published.
    published: std::sync::Mutex<Cursor>,
    options: RealtimeOptions,
    shutdown: tokio::sync::watch::Sender<bool>,
}

impl Realtime {
    /// Starts the feed for the given apps' models (background tasks stop on [`Realtime::shutdown`]).
    pub async fn start(db: Db, url: &str, models: Vec<Arc<AppModel>>, options: RealtimeOptions) -> Result<Realtime, QuiverError> {
        let (shutdown, _) = tokio::sync::watch::channel(false);
        let inner = Arc::new(Inner {
            presence: presence::Presence::new(options.buffer.max(16)),
            verdicts: verdicts::Verdicts::start(db.clone()),
            db,
            url: url.to_string(),
            models: models.into_iter().map(|m| (m.app.name, m)).collect(),
            registry: Arc::default(),
            messages: fanout::Fanout::new(options.buffer.max(16)),
            broadcasts: limits::Limiter::new(options.broadcast_rate, "broadcasts"),
            presence_joins: limits::Limiter::new(options.presence_join_rate, "presence joins"),
            published: std::sync::Mutex::new(Cursor::default()),
            options,
            shutdown,
        });
        let start = feed::current_position(&inner).await?;
        *inner.published.lock().expect("cursor lock") = start;
        let realtime = Realtime { inner };
        feed::spawn(realtime.inner.clone());
        presence::spawn_heartbeat(realtime.inner.clone());
        feed::spawn_pruner(realtime.inner.clone());
        Ok(realtime)
    }

    /// Stops the background tasks and ends every subscription stream.
    pub fn shutdown(&self) {
        let _ = self.inner.shutdown.send(true);
    }

    /// Registers for live changes (register before reading a backlog).
    pub fn subscribe(&self, interest: registry::Interest) -> registry::ChangeSubscription {
        registry::Registry::add(&self.inner.registry, interest, self.inner.options.buffer)
    }

    /// Row rules on change events, batched per change.
    pub fn verdicts(&self) -> &verdicts::Verdicts {
        &self.inner.verdicts
    }

    /// The per-subscriber queue length.
    pub fn buffer(&self) -> usize {
        self.inner.options.buffer
    }

    /// Presence tracking.
    pub fn presence(&self) -> &presence::Presence {
        &self.inner.presence
    }

    /// Resolves when shutdown is requested.
    pub fn closed(&self) -> impl std::future::Future<Output = ()> + Send + 'static {
        let mut rx = self.inner.shutdown.subscribe();
        async move {
            let _ = rx.wait_for(|s| *s).await;
        }
    }

    /// The next bounded part of a backlog: the changes `scope` selects after
    /// `after`, in commit order (at most [`BACKLOG_ROWS`] of them, from at most
    /// [`BACKLOG_COMMITS`] commits). `CURSOR_EXPIRED` when retention pruned
    /// past `after`, decided in the same snapshot as the read.
    pub async fn backlog(&self, scope: &ChangeScope, after: Cursor) -> Result<Backlog, QuiverError> {
        let model = self.inner.models.get(scope.app).ok_or_else(|| QuiverError::Internal(format!("app {} is not served", scope.app)))?;
        let table = model.tables[scope.table].table;
        let feed_scope = feed::Scope {
            apps: vec![model.app.schema.to_string()],
            table: Some(table.name.to_string()),
            ops: scope.ops.iter().map(|o| o.name().to_string()).collect(),
            equals: scope.equals.iter().map(|(c, v)| (table.columns[*c].name.to_string(), v.clone())).collect(),
        };
        let page = feed::read(&self.inner, after, &feed_scope, BACKLOG_COMMITS, BACKLOG_ROWS).await?;
        Ok(Backlog { changes: page.rows.into_iter().filter_map(|r| self.inner.decode(r)).collect(), next: page.next, at_end: page.at_end })
    }

    /// The position after every change committed so far: where a subscription
    /// without `after` starts (the feed may not have published all of them yet).
    pub async fn position(&self) -> Result<Cursor, QuiverError> {
        feed::current_position(&self.inner).await
    }

    /// The model of a served app.
    pub fn model(&self, app: &str) -> Option<&Arc<AppModel>> {
        self.inner.models.get(app)
    }
}

impl Inner {
    /// Decodes an outbox row against the declarations (unknown apps/tables
    /// are skipped). The outbox names the PostgreSQL schema of the changed
    /// table, which is the app's [`crate::catalog::App::schema`].
    fn decode(&self, r: ChangeRow) -> Option<Arc<Change>> {
        let model = self.models.values().find(|m| m.app.schema == r.app)?;
        let table = model.tables.iter().position(|t| t.table.name == r.table_name)?;
        let row = |json: &Option<String>| {
            json.as_deref().and_then(|j| {
                let fields: HashMap<String, Box<RawValue>> = serde_json::from_str(j).ok()?;
                Some(Arc::new(Row::from_object(&model.tables[table], table, &fields)))
            })
        };
        Some(Arc::new(Change {
            cursor: Cursor { seq: r.seq, id: r.id },
            committed_at: r.committed_at,
            app: model.app.name,
            table,
            op: Op::parse(&r.op)?,
            new: row(&r.new_row),
            old: row(&r.old_row),
            txid: r.txid.into(),
            audience: Default::default(),
            batched: Default::default(),
        }))
    }

    /// Sends a message to all instances (including this one) through `NOTIFY`.
    async fn notify(&self, wire: &Wire) -> Result<(), QuiverError> {
        let payload = serde_json::to_string(wire).map_err(|e| QuiverError::Internal(e.to_string()))?;
        if payload.len() > MAX_NOTIFY_BYTES {
            return Err(QuiverError::BadInput(format!("the message is larger than {MAX_NOTIFY_BYTES} bytes")));
        }
        let mut conn = self.db.conn().await?;
        diesel::sql_query("SELECT pg_notify('quiver_realtime', $1)").bind::<Text, _>(payload).execute(&mut conn).await?;
        Ok(())
    }
}
