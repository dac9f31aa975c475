//! Row rules on change events decided for all subscribers of a change at
//! once: instead of one statement per subscriber and change, the subscribers
//! that need the database for a verdict on the same change (rules with
//! `Member` or `Via`) are answered by one statement, `SELECT (rule for
//! subscriber 1), (rule for subscriber 2), … FROM <the change's images>`
//! (up to [`COLUMNS`] verdicts per statement).
//!
//! A live change knows how many subscribers the registry handed it to (its
//! audience). Each of them either asks for a verdict or declines (it decided
//! from the row alone, or skipped the change); the batch runs as soon as all
//! have answered, or after [`WAIT`] at most, so a subscriber that is slow to
//! read never holds the others back for longer. A change read from the
//! outbox for one resuming subscriber has no audience and is decided at once.

use std::collections::HashMap;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{mpsc, oneshot};
use tokio::time::Instant;

use super::{Change, Op};
use crate::catalog::model::AppModel;
use crate::catalog::Principal;
use crate::db::Db;
use crate::error::QuiverError;
use crate::sql::access::{self, Mode};
use crate::sql::{Bind, Sql};

/// Most verdicts (result columns) per statement.
pub const COLUMNS: usize = 400;
/// Longest a batch waits for the rest of a change's audience.
pub const WAIT: Duration = Duration::from_millis(10);

/// The audience of a change while the registry is still handing it out.
pub(super) const DISPATCHING: usize = usize::MAX;

/// Which images of a change (0: new, 1: old) a subscriber needs decided.
type Images = Vec<usize>;

enum Message {
    Ask {
        change: Arc<Change>,
        model: Arc<AppModel>,
        who: Arc<Principal>,
        images: Images,
        reply: oneshot::Sender<Result<Vec<bool>, QuiverError>>,
    },
    Decline(Arc<Change>),
}

/// The batching service of one instance.
#[derive(Clone)]
pub struct Verdicts {
    tx: mpsc::UnboundedSender<Message>,
}

struct Request {
    model: Arc<AppModel>,
    who: Arc<Principal>,
    images: Images,
    reply: oneshot::Sender<Result<Vec<bool>, QuiverError>>,
}

struct Batch {
    change: Arc<Change>,
    requests: Vec<Request>,
    declined: usize,
    deadline: Instant,
}

impl Batch {
    fn complete(&self) -> bool {
        // A subscriber asking after the change's first batch ran is late
        // (it was replaying): the others will not come again.
        if self.change.batched.load(Ordering::SeqCst) {
            return true;
        }
        let audience = self.change.audience.load(Ordering::SeqCst);
        audience != DISPATCHING && self.requests.len() + self.declined >= audience
    }
}

impl Verdicts {
    /// Starts the batching task (it ends when every handle is dropped).
    pub fn start(db: Db) -> Verdicts {
        let (tx, rx) = mpsc::unbounded_channel();
        tokio::spawn(run(db, rx));
        Verdicts { tx }
    }

    /// The verdicts of `who` on the given images of `change`.
    pub async fn decide(
        &self,
        model: &Arc<AppModel>,
        who: &Arc<Principal>,
        change: &Arc<Change>,
        images: Images,
    ) -> Result<Vec<bool>, QuiverError> {
        let (reply, answer) = oneshot::channel();
        let ask = Message::Ask { change: change.clone(), model: model.clone(), who: who.clone(), images, reply };
        self.tx.send(ask).map_err(|_| QuiverError::Internal("realtime is not running".into()))?;
        answer.await.map_err(|_| QuiverError::Internal("verdict lost".into()))?
    }

    /// Tells the batch of `change` not to wait for this subscriber.
    pub fn decline(&self, change: &Arc<Change>) {
        if change.audience.load(Ordering::SeqCst) > 0 {
            let _ = self.tx.send(Message::Decline(change.clone()));
        }
    }
}

async fn run(db: Db, mut rx: mpsc::UnboundedReceiver<Message>) {
    let mut batches: HashMap<usize, Batch> = HashMap::new();
    loop {
        let next_deadline = batches.values().map(|b| b.deadline).min();
        let message = match next_deadline {
            Some(at) => tokio::select! {
                m = rx.recv() => match m {
                    Some(m) => Some(m),
                    None => return,
                },
                _ = tokio::time::sleep_until(at) => None,
            },
            None => match rx.recv().await {
                Some(m) => Some(m),
                None => return,
            },
        };
        if let Some(message) = message {
            let (change, request) = match message {
                Message::Ask { change, model, who, images, reply } => (change, Some(Request { model, who, images, reply })),
                Message::Decline(change) => (change, None),
            };
            let key = Arc::as_ptr(&change) as *const () as usize;
            let batch =
                batches.entry(key).or_insert_with(|| Batch { change, requests: Vec::new(), declined: 0, deadline: Instant::now() + WAIT });
            match request {
                Some(r) => batch.requests.push(r),
                None => batch.declined += 1,
            }
        }
        let now = Instant::now();
        let due: Vec<usize> = batches.iter().filter(|(_, b)| b.complete() || b.deadline <= now).map(|(k, _)| *k).collect();
        for key in due {
            let batch = batches.remove(&key).expect("due batch");
            if !batch.requests.is_empty() {
                batch.change.batched.store(true, Ordering::SeqCst);
                tokio::spawn(decide_batch(db.clone(), batch.change, batch.requests));
            }
        }
    }
}

/// Runs the statements of one change's batch and answers every request.
async fn decide_batch(db: Db, change: Arc<Change>, mut requests: Vec<Request>) {
    while !requests.is_empty() {
        let mut columns = 0;
        let take = requests.iter().take_while(|r| {
            columns += r.images.len();
            columns <= COLUMNS
        });
        let n = take.count().max(1);
        let chunk: Vec<Request> = requests.drain(..n).collect();
        match statement(&db, &change, &chunk).await {
            Ok(verdicts) => {
                let mut at = 0;
                for r in chunk {
                    let mine = verdicts[at..at + r.images.len()].to_vec();
                    at += r.images.len();
                    let _ = r.reply.send(Ok(mine));
                }
            }
            Err(e) => {
                for r in chunk {
                    let _ = r.reply.send(Err(QuiverError::Internal(e.to_string())));
                }
            }
        }
    }
}

/// One statement deciding `requests` on the images of `change`.
async fn statement(db: &Db, change: &Change, requests: &[Request]) -> Result<Vec<bool>, QuiverError> {
    let model = &requests[0].model;
    let tm = &model.tables[change.table];
    let images = [change.new.as_ref(), change.old.as_ref()];
    let mut sql = Sql::default();
    let aliases = [sql.alias(), sql.alias()];
    sql.push("SELECT ");
    let mut n = 0;
    for r in requests {
        for &i in &r.images {
            if n > 0 {
                sql.push(", ");
            }
            n += 1;
            sql.push("(");
            if i == 1 && change.op == Op::Delete {
                access::guard_before_commit(&mut sql, model.app, tm.table, &aliases[i], Mode::Read, &r.who, &change.txid);
            } else {
                access::guard(&mut sql, model.app, tm.table, &aliases[i], Mode::Read, &r.who);
            }
            sql.push(")");
        }
    }
    sql.push(" FROM ");
    let mut first = true;
    for (i, row) in images.iter().enumerate() {
        let Some(row) = row else { continue };
        if !first {
            sql.push(", ");
        }
        first = false;
        let image: serde_json::Map<String, serde_json::Value> = tm
            .table
            .columns
            .iter()
            .zip(&row.values)
            .filter(|(col, _)| col.readable())
            .map(|(col, v)| (col.name.to_string(), v.clone().into_json().unwrap_or_default()))
            .collect();
        sql.push("jsonb_populate_record(NULL::").table(model.app, tm.table).push(", ");
        sql.bind(Bind::Text(Some(serde_json::Value::Object(image).to_string())), "jsonb");
        sql.push(") ").push(&aliases[i]);
    }
    let rows = db.fetch(sql).await?;
    let row = rows.first().ok_or_else(|| QuiverError::Internal("no verdict row".into()))?;
    (0..n).map(|k| row.flag(k)).collect()
}
