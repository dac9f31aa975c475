//! Who wants which changes: subscribers registered by table, and by the value
//! of an equality-filtered column where they have one, so a change wakes only
//! the subscribers it can match (a change for one user's notifications does
//! not touch the other users' subscribers).
//!
//! Each subscriber has its own bounded queue. The feed never waits for a
//! subscriber: one whose queue is full is dropped from the registry and marked
//! lagged, and its stream ends with `SLOW_CONSUMER` once it has drained (or,
//! while it is still replaying a backlog, it registers again and reads what
//! it missed from the outbox).
//!
//! An UPDATE that changes an indexed column is offered under both its old and
//! its new value: a row leaving a subscriber's filter or view is news to it.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::{Arc, Mutex, Weak};

use tokio::sync::mpsc;

use super::Change;

/// What a subscriber wants.
pub struct Interest {
    /// App name.
    pub app: &'static str,
    /// Table index in the app's model.
    pub table: usize,
    /// A column the subscriber requires to equal this text (index key).
    pub equals: Option<(usize, String)>,
    /// The full test (operations, every filter condition).
    pub matches: Box<dyn Fn(&Change) -> bool + Send + Sync>,
}

/// Why the registry ended a subscriber ([`ChangeSubscription::ended`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ended {
    /// Its queue was full: it fell behind.
    Lagged,
    /// The feed itself fell behind retention: changes may be gone.
    Expired,
}

const LIVE: u8 = 0;
const LAGGED: u8 = 1;
const EXPIRED: u8 = 2;

struct Entry {
    interest: Interest,
    tx: mpsc::Sender<Arc<Change>>,
    state: Arc<AtomicU8>,
}

#[derive(Default)]
struct TableSubscribers {
    /// Subscribers without an indexable equality.
    scan: HashMap<u64, Entry>,
    /// By column, then by the text the column must equal.
    by_value: HashMap<usize, HashMap<String, HashMap<u64, Entry>>>,
}

/// The registry of one instance.
#[derive(Default)]
pub struct Registry {
    next: u64,
    tables: HashMap<(&'static str, usize), TableSubscribers>,
}

/// A registered subscriber's end: its queue, and its registration (removed on drop).
pub struct ChangeSubscription {
    /// Matching changes, in commit order.
    pub rx: mpsc::Receiver<Arc<Change>>,
    state: Arc<AtomicU8>,
    key: (&'static str, usize, Option<(usize, String)>, u64),
    registry: Weak<Mutex<Registry>>,
}

impl ChangeSubscription {
    /// Whether (and why) the registry dropped this subscriber: its queue
    /// receives nothing more once drained.
    pub fn ended(&self) -> Option<Ended> {
        match self.state.load(Ordering::SeqCst) {
            LAGGED => Some(Ended::Lagged),
            EXPIRED => Some(Ended::Expired),
            _ => None,
        }
    }
}

impl Drop for ChangeSubscription {
    fn drop(&mut self) {
        if let Some(registry) = self.registry.upgrade() {
            let (app, table, equals, id) = std::mem::take(&mut self.key);
            registry.lock().expect("registry lock").remove(app, table, equals, id);
        }
    }
}

impl Registry {
    /// Registers `interest` with a queue of `buffer` changes.
    pub fn add(this: &Arc<Mutex<Registry>>, interest: Interest, buffer: usize) -> ChangeSubscription {
        let (tx, rx) = mpsc::channel(buffer.max(1));
        let state = Arc::new(AtomicU8::new(LIVE));
        let mut r = this.lock().expect("registry lock");
        r.next += 1;
        let id = r.next;
        let (app, table, equals) = (interest.app, interest.table, interest.equals.clone());
        let subs = r.tables.entry((app, table)).or_default();
        let entry = Entry { interest, tx, state: state.clone() };
        match &equals {
            None => {
                subs.scan.insert(id, entry);
            }
            Some((column, value)) => {
                subs.by_value.entry(*column).or_default().entry(value.clone()).or_default().insert(id, entry);
            }
        }
        ChangeSubscription { rx, state, key: (app, table, equals, id), registry: Arc::downgrade(this) }
    }

    fn remove(&mut self, app: &'static str, table: usize, equals: Option<(usize, String)>, id: u64) {
        let Some(subs) = self.tables.get_mut(&(app, table)) else { return };
        match equals {
            None => {
                subs.scan.remove(&id);
            }
            Some((column, value)) => {
                if let Some(values) = subs.by_value.get_mut(&column) {
                    if let Some(entries) = values.get_mut(&value) {
                        entries.remove(&id);
                        if entries.is_empty() {
                            values.remove(&value);
                        }
                    }
                }
            }
        }
    }

    /// Ends every subscriber with [`Ended::Expired`].
    pub fn expire_all(&mut self) {
        let expire = |e: &Entry| e.state.store(EXPIRED, Ordering::SeqCst);
        for subs in std::mem::take(&mut self.tables).into_values() {
            subs.scan.values().for_each(expire);
            subs.by_value.values().flat_map(|v| v.values()).flat_map(|e| e.values()).for_each(expire);
        }
    }

    /// Hands `change` to every subscriber it matches: those without an indexed
    /// equality, and those whose indexed value the new or the old row has.
    pub fn dispatch(&mut self, change: &Arc<Change>) {
        let Some(subs) = self.tables.get_mut(&(change.app, change.table)) else { return };
        // Its audience is unknown until every subscriber has it (see `verdicts`).
        change.audience.store(super::verdicts::DISPATCHING, Ordering::SeqCst);
        let mut audience = 0;
        let mut deliver = |entries: &mut HashMap<u64, Entry>| {
            entries.retain(|_, e| {
                if !(e.interest.matches)(change) {
                    return true;
                }
                match e.tx.try_send(change.clone()) {
                    Ok(()) => {
                        audience += 1;
                        true
                    }
                    Err(mpsc::error::TrySendError::Full(_)) => {
                        e.state.store(LAGGED, Ordering::SeqCst);
                        false
                    }
                    Err(mpsc::error::TrySendError::Closed(_)) => false,
                }
            });
        };
        deliver(&mut subs.scan);
        for (column, values) in subs.by_value.iter_mut() {
            let new = change.new.as_ref().and_then(|r| r.text(*column));
            let old = change.old.as_ref().and_then(|r| r.text(*column));
            if let Some(entries) = new.as_ref().and_then(|t| values.get_mut(t)) {
                deliver(entries);
            }
            if old != new {
                if let Some(entries) = old.as_ref().and_then(|t| values.get_mut(t)) {
                    deliver(entries);
                }
            }
        }
        change.audience.store(audience, Ordering::SeqCst);
    }
}
