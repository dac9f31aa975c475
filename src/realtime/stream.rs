//! One row-change subscription: its backlog replayed from the outbox in
//! bounded parts, the hand-over to its live queue without gap or duplicate,
//! and each change delivered only as far as the subscriber may read it.
//!
//! **Replay.** A subscriber registers for live changes first, then reads the
//! outbox after its cursor, [`BACKLOG_ROWS`](super::BACKLOG_ROWS) changes at a
//! time, already filtered by table, operation and equality filters in SQL.
//! When a read reaches the end of what is committed, everything later reaches
//! the live queue (it was registered before that read); changes at or before
//! the position reached are skipped there. If the live queue overflowed during
//! the replay, the subscriber registers again and reads on from the outbox
//! instead of failing: what one subscription holds is bounded by one backlog
//! part plus its queue.
//!
//! **Visibility.** Each image of a change is shown only to a subscriber who
//! may read it (the table's read rule, decided from the image where the rule
//! allows, else by the database, one statement for all subscribers of the
//! change: [`super::verdicts`]):
//! - INSERT: delivered when the new row is readable; DELETE: when the old one is;
//! - UPDATE: delivered when either image is readable; an image that is not
//!   readable is `null`. So a row moved into view arrives with `old: null`
//!   (and its key in `new`), a row moved out of view with `new: null` (and
//!   the row as the subscriber could last read it in `old`).
//!
//! Rules are decided when the change is delivered (or replayed), against the
//! database as it is then: memberships are today's, not the commit's.
//!
//! Filters are tested on the new row when it is readable, else on the old one
//! (so they never test an image the subscriber may not see).
//!
//! **Deletes.** The old image of a DELETE is judged as the rule stood before
//! the deleting transaction: membership and parent rows it deleted too (a
//! cascade) still count, read back from the outbox. So whoever could read a
//! row before it was deleted gets the DELETE, live or replayed (while the
//! outbox keeps that commit).

use std::collections::VecDeque;
use std::sync::Arc;

use futures_util::stream::{self, BoxStream, StreamExt};

use super::matching;
use super::registry::{ChangeSubscription, Ended, Interest};
use super::verdicts::Verdicts;
use super::{Change, ChangeScope, Cursor, Op, Realtime};
use crate::catalog::model::AppModel;
use crate::catalog::ColumnType;
use crate::catalog::Principal;
use crate::db::value::Row;
use crate::error::QuiverError;
use crate::sql::access::{self, Mode};
use crate::sql::{CmpOp, Filter};

/// What a change stream delivers.
pub struct ChangeSpec {
    /// App name.
    pub app: &'static str,
    /// Table index in the app's model.
    pub table: usize,
    /// Operations delivered.
    pub events: Vec<Op>,
    /// Filter conditions (all must hold).
    pub conds: Vec<Filter>,
    /// Resume after this cursor; without it, start after everything committed.
    pub after: Option<Cursor>,
    /// Ends the stream once a delivered change leaves this column at one of these values.
    pub until: Option<(usize, Vec<String>)>,
}

/// The equality conditions of `spec` on columns whose text form is canonical
/// (so text equality is value equality): the registry indexes the first, the
/// backlog read applies all in SQL.
fn equalities(model: &AppModel, spec: &ChangeSpec) -> Vec<(usize, String)> {
    let tm = &model.tables[spec.table];
    spec.conds
        .iter()
        .filter_map(|c| match c {
            Filter::Cmp { column, op: CmpOp::Eq, value } => match tm.table.columns[*column].ty {
                ColumnType::Uuid => Some((*column, value.to_ascii_lowercase())),
                ColumnType::Text
                | ColumnType::Enum(_)
                | ColumnType::PgEnum(..)
                | ColumnType::Int
                | ColumnType::BigInt
                | ColumnType::Bool => Some((*column, value.clone())),
                _ => None,
            },
            _ => None,
        })
        .collect()
}

/// Whether a change may concern `spec`: its table and operation, and the
/// filters holding on the new or the old row (visibility decides which).
fn may_concern(model: &AppModel, spec: &ChangeSpec, c: &Change) -> bool {
    if c.app != spec.app || c.table != spec.table || !spec.events.contains(&c.op) {
        return false;
    }
    let tm = &model.tables[spec.table];
    [c.new.as_ref(), c.old.as_ref()].into_iter().flatten().any(|row| matching::matches(tm, row, &spec.conds))
}

fn interest(model: &Arc<AppModel>, spec: &Arc<ChangeSpec>) -> Interest {
    let (m, s) = (model.clone(), spec.clone());
    Interest {
        app: spec.app,
        table: spec.table,
        equals: equalities(model, spec).into_iter().next(),
        matches: Box::new(move |c| may_concern(&m, &s, c)),
    }
}

/// Decides which of a change's images (new, old) `who` may read: from the
/// image alone where the rule allows, the rest by the database, batched with
/// the other subscribers of the change ([`Verdicts`]). The old image of a
/// DELETE is judged as the rule stood before the deleting transaction's
/// deletions ([`access::guard_before_commit`]).
async fn readable(model: &Arc<AppModel>, verdicts: &Verdicts, who: &Arc<Principal>, c: &Arc<Change>) -> Result<[bool; 2], QuiverError> {
    let tm = &model.tables[c.table];
    let mut verdict = [false; 2];
    let mut ask = Vec::new();
    for (i, row) in [c.new.as_ref(), c.old.as_ref()].into_iter().enumerate() {
        let Some(row) = row else { continue };
        let text = |name: &str| tm.table.column(name).and_then(|(col, _)| row.text(col));
        match access::decide_locally(tm.table, Mode::Read, who, &text) {
            Some(v) => verdict[i] = v,
            None => ask.push(i),
        }
    }
    if ask.is_empty() {
        verdicts.decline(c);
        return Ok(verdict);
    }
    let answers = verdicts.decide(model, who, c, ask.clone()).await?;
    for (i, v) in ask.into_iter().zip(answers) {
        verdict[i] = v;
    }
    Ok(verdict)
}

/// What `who` receives of `c` under the semantics in the module docs, or
/// `None` when it receives nothing.
pub async fn shape(
    model: &Arc<AppModel>,
    verdicts: &Verdicts,
    who: &Arc<Principal>,
    spec: &ChangeSpec,
    c: &Arc<Change>,
) -> Result<Option<Arc<Change>>, QuiverError> {
    if !may_concern(model, spec, c) {
        verdicts.decline(c);
        return Ok(None);
    }
    let tm = &model.tables[c.table];
    let [new_ok, old_ok] = readable(model, verdicts, who, c).await?;
    let matches = |row: &Option<Arc<Row>>| row.as_ref().is_some_and(|r| matching::matches(tm, r, &spec.conds));
    let (new, old) = match c.op {
        Op::Insert if new_ok && matches(&c.new) => (c.new.clone(), None),
        Op::Delete if old_ok && matches(&c.old) => (None, c.old.clone()),
        Op::Update if new_ok && matches(&c.new) => (c.new.clone(), if old_ok { c.old.clone() } else { None }),
        Op::Update if !new_ok && old_ok && matches(&c.old) => (None, c.old.clone()),
        _ => return Ok(None),
    };
    if new_ok == c.new.is_some() && old_ok == c.old.is_some() {
        // Both images as they are: share the change.
        return Ok(Some(c.clone()));
    }
    Ok(Some(Arc::new(Change {
        cursor: c.cursor,
        committed_at: c.committed_at.clone(),
        app: c.app,
        table: c.table,
        op: c.op,
        new,
        old,
        txid: c.txid.clone(),
        audience: Default::default(),
        batched: Default::default(),
    })))
}

struct State {
    realtime: Realtime,
    model: Arc<AppModel>,
    who: Arc<Principal>,
    spec: Arc<ChangeSpec>,
    scope: ChangeScope,
    sub: ChangeSubscription,
    /// Changes read but not yet considered, in commit order.
    pending: VecDeque<Arc<Change>>,
    /// The position of the last change considered.
    last: Cursor,
    /// Replaying from the outbox (else: live).
    replaying: bool,
    /// Where the next outbox read starts.
    read_from: Cursor,
    /// The last outbox read reached the end.
    read_to_end: bool,
    started: bool,
    done: bool,
    closed: futures_util::future::BoxFuture<'static, ()>,
    _guard: Box<dyn Send + Sync>,
}

impl State {
    fn finishes(&self, c: &Change) -> bool {
        let Some((column, values)) = &self.spec.until else { return false };
        match &c.new {
            None => true,
            Some(row) => row.text(*column).is_some_and(|v| values.contains(&v)),
        }
    }

    /// The next event, or `None` when the stream is over.
    async fn next(&mut self) -> Option<Result<Arc<Change>, QuiverError>> {
        match self.step().await {
            Ok(None) => None,
            Ok(Some(c)) => {
                self.done = self.finishes(&c);
                Some(Ok(c))
            }
            Err(e) => {
                self.done = true;
                Some(Err(e))
            }
        }
    }

    async fn step(&mut self) -> Result<Option<Arc<Change>>, QuiverError> {
        if self.done {
            return Ok(None);
        }
        if !self.started {
            self.started = true;
            match self.spec.after {
                None => {
                    self.last = self.realtime.position().await?;
                    self.replaying = false;
                }
                Some(after) => {
                    self.last = after;
                    self.read_from = after;
                    self.replaying = true;
                }
            }
        }
        loop {
            while let Some(c) = self.pending.pop_front() {
                if c.cursor <= self.last {
                    self.realtime.verdicts().decline(&c);
                    continue;
                }
                self.last = c.cursor;
                if let Some(event) = shape(&self.model, self.realtime.verdicts(), &self.who, &self.spec, &c).await? {
                    return Ok(Some(event));
                }
            }
            if self.replaying {
                if !self.read_to_end {
                    let part = self.realtime.backlog(&self.scope, self.read_from).await?;
                    self.read_from = part.next;
                    self.read_to_end = part.at_end;
                    self.pending.extend(part.changes);
                    continue;
                }
                match self.sub.ended() {
                    Some(Ended::Expired) => return Err(QuiverError::CursorExpired),
                    Some(Ended::Lagged) => {
                        // The live queue overflowed while replaying: register
                        // again and read what it missed from the outbox.
                        self.sub = self.realtime.subscribe(interest(&self.model, &self.spec));
                        self.read_to_end = false;
                        continue;
                    }
                    None => {
                        self.last = self.last.max(self.read_from);
                        self.replaying = false;
                    }
                }
            }
            tokio::select! {
                r = self.sub.rx.recv() => match r {
                    Some(c) => self.pending.push_back(c),
                    None => return match self.sub.ended() {
                        Some(Ended::Lagged) => Err(QuiverError::SlowConsumer(self.realtime.buffer() as u64)),
                        Some(Ended::Expired) => Err(QuiverError::CursorExpired),
                        None => Ok(None),
                    },
                },
                _ = &mut self.closed => return Ok(None),
            }
        }
    }
}

/// The event stream of one row-change subscription of `who`; `guard` is
/// held for as long as the stream lives (e.g. a subscription slot).
pub fn change_stream(
    realtime: Realtime,
    model: Arc<AppModel>,
    who: Arc<Principal>,
    spec: ChangeSpec,
    guard: Box<dyn Send + Sync>,
) -> BoxStream<'static, Result<Arc<Change>, QuiverError>> {
    let spec = Arc::new(spec);
    let scope = ChangeScope { app: spec.app, table: spec.table, ops: spec.events.clone(), equals: equalities(&model, &spec) };
    let state = State {
        sub: realtime.subscribe(interest(&model, &spec)),
        closed: Box::pin(realtime.closed()),
        realtime,
        model,
        who,
        scope,
        pending: VecDeque::new(),
        last: Cursor::default(),
        replaying: false,
        read_from: Cursor::default(),
        read_to_end: false,
        started: false,
        done: false,
        spec,
        _guard: guard,
    };
    stream::unfold(state, |mut s| async move {
        let item = s.next().await?;
        Some((item, s))
    })
    .boxed()
}
