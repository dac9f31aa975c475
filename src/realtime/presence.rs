//! Presence: who is on which topic, across instances.
//!
//! Each instance owns its local members (one per open `presence`
//! subscription) and announces joins and leaves over `NOTIFY`. Every few
//! seconds it re-announces its members (a heartbeat); members of an instance
//! that stops announcing expire, so a crashed instance's members leave too. A
//! starting instance says hello and the others answer with a heartbeat at once.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use super::fanout::{Fanout, TopicReceiver};
use super::{Inner, Realtime, Wire, MAX_NOTIFY_BYTES};
use crate::error::QuiverError;

/// How often an instance re-announces its members.
const HEARTBEAT: Duration = Duration::from_secs(5);
/// How long a remote member lives without being re-announced.
const EXPIRY: Duration = Duration::from_secs(15);

/// A member of a topic.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Member {
    /// Unique per presence subscription.
    pub key: String,
    /// What the member said about itself.
    pub meta: serde_json::Value,
    /// The presence key it was tracked under, when several members share
    /// one (Supabase's `config.presence.key`: one user on several devices).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
}

/// What happened on a topic.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PresenceKind {
    /// A member arrived.
    Join,
    /// A member left.
    Leave,
}

/// A presence change on one topic.
#[derive(Debug, Clone)]
pub struct PresenceChange {
    /// App.
    pub app: String,
    /// Topic.
    pub topic: String,
    /// Join or leave.
    pub kind: PresenceKind,
    /// The member concerned.
    pub member: Member,
}

/// Presence messages between instances; `instance` names the sender, `app`
/// and `topic` the presence channel, `key` a member.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[allow(missing_docs)]
#[serde(tag = "p", rename_all = "snake_case")]
pub enum PresenceWire {
    /// A member joined.
    Join { instance: String, app: String, topic: String, member: Member },
    /// A member left.
    Leave { instance: String, app: String, topic: String, key: String },
    /// Re-announcement of an instance's members.
    Beat { instance: String, members: Vec<(String, String, Member)> },
    /// An instance started and wants everyone's members.
    Hello { instance: String },
}

struct Entry {
    meta: serde_json::Value,
    group: Option<String>,
    /// `None` for this instance's own members.
    expires: Option<Instant>,
}

impl Entry {
    fn member(&self, key: &str) -> Member {
        Member { key: key.to_string(), meta: self.meta.clone(), group: self.group.clone() }
    }
}

type Topic = (String, String);

/// Presence state of this instance.
pub struct Presence {
    instance: String,
    topics: Mutex<HashMap<Topic, HashMap<String, Entry>>>,
    changes: Fanout<Arc<PresenceChange>>,
}

impl Presence {
    pub(super) fn new(buffer: usize) -> Presence {
        Presence { instance: uuid::Uuid::new_v4().to_string(), topics: Mutex::new(HashMap::new()), changes: Fanout::new(buffer) }
    }

    /// A receiver of the presence changes of one topic.
    pub fn changes(&self, app: &str, topic: &str) -> TopicReceiver<Arc<PresenceChange>> {
        self.changes.subscribe(app, topic)
    }

    /// Current members of a topic, ordered by key.
    pub fn members(&self, app: &str, topic: &str) -> Vec<Member> {
        let topics = self.topics.lock().expect("presence lock");
        let mut members: Vec<Member> =
            topics.get(&(app.to_string(), topic.to_string())).map(|m| m.iter().map(|(k, e)| e.member(k)).collect()).unwrap_or_default();
        members.sort_by(|a, b| a.key.cmp(&b.key));
        members
    }

    /// Records a member; emits a join when it is new. Returns whether it was new.
    fn upsert(&self, app: &str, topic: &str, member: &Member, expires: Option<Instant>) -> bool {
        let mut topics = self.topics.lock().expect("presence lock");
        let entries = topics.entry((app.to_string(), topic.to_string())).or_default();
        let entry = Entry { meta: member.meta.clone(), group: member.group.clone(), expires };
        let new = entries.insert(member.key.clone(), entry).is_none();
        drop(topics);
        if new {
            self.emit(app, topic, PresenceKind::Join, member.clone());
        }
        new
    }

    fn remove(&self, app: &str, topic: &str, key: &str) {
        let mut topics = self.topics.lock().expect("presence lock");
        let t = (app.to_string(), topic.to_string());
        let removed = topics.get_mut(&t).and_then(|m| m.remove(key));
        if topics.get(&t).is_some_and(|m| m.is_empty()) {
            topics.remove(&t);
        }
        drop(topics);
        if let Some(e) = removed {
            self.emit(app, topic, PresenceKind::Leave, e.member(key));
        }
    }

    fn emit(&self, app: &str, topic: &str, kind: PresenceKind, member: Member) {
        self.changes.send(app, topic, Arc::new(PresenceChange { app: app.into(), topic: topic.into(), kind, member }));
    }

    /// Removes remote members whose instance stopped announcing them.
    pub(super) fn sweep(&self) {
        let now = Instant::now();
        let expired: Vec<(Topic, String)> = {
            let topics = self.topics.lock().expect("presence lock");
            topics
                .iter()
                .flat_map(|(t, m)| m.iter().filter(|(_, e)| e.expires.is_some_and(|x| x < now)).map(move |(k, _)| (t.clone(), k.clone())))
                .collect()
        };
        for ((app, topic), key) in expired {
            self.remove(&app, &topic, &key);
        }
    }

    /// This instance's members, as heartbeat messages that each fit in a `NOTIFY`.
    fn beats(&self) -> Vec<PresenceWire> {
        let topics = self.topics.lock().expect("presence lock");
        let mut beats = Vec::new();
        let mut current: Vec<(String, String, Member)> = Vec::new();
        let mut size = 0;
        for ((app, topic), members) in topics.iter() {
            for (key, e) in members.iter().filter(|(_, e)| e.expires.is_none()) {
                let item = (app.clone(), topic.clone(), e.member(key));
                let item_size = serde_json::to_string(&item).map(|s| s.len()).unwrap_or(0) + 1;
                if size + item_size > MAX_NOTIFY_BYTES - 200 && !current.is_empty() {
                    beats.push(PresenceWire::Beat { instance: self.instance.clone(), members: std::mem::take(&mut current) });
                    size = 0;
                }
                size += item_size;
                current.push(item);
            }
        }
        if !current.is_empty() {
            beats.push(PresenceWire::Beat { instance: self.instance.clone(), members: current });
        }
        beats
    }
}

impl Inner {
    /// Applies a presence message from another instance.
    pub(super) async fn presence_wire(&self, wire: PresenceWire) {
        let p = &self.presence;
        match wire {
            PresenceWire::Join { instance, .. }
            | PresenceWire::Leave { instance, .. }
            | PresenceWire::Beat { instance, .. }
            | PresenceWire::Hello { instance }
                if instance == p.instance => {}
            PresenceWire::Join { app, topic, member, .. } => {
                p.upsert(&app, &topic, &member, Some(Instant::now() + EXPIRY));
            }
            PresenceWire::Leave { app, topic, key, .. } => p.remove(&app, &topic, &key),
            PresenceWire::Beat { members, .. } => {
                for (app, topic, member) in members {
                    p.upsert(&app, &topic, &member, Some(Instant::now() + EXPIRY));
                }
            }
            PresenceWire::Hello { .. } => self.presence_beat().await,
        }
    }

    /// Announces this instance's members.
    async fn presence_beat(&self) {
        for beat in self.presence.beats() {
            if let Err(e) = self.notify(&Wire::Presence(beat)).await {
                tracing::warn!(error = %e, "presence heartbeat failed");
            }
        }
    }

    /// Asks the other instances for their members.
    pub(super) async fn presence_hello(&self) {
        let hello = Wire::Presence(PresenceWire::Hello { instance: self.presence.instance.clone() });
        if let Err(e) = self.notify(&hello).await {
            tracing::warn!(error = %e, "presence hello failed");
        }
    }
}

/// Re-announces local members periodically until shutdown.
pub(super) fn spawn_heartbeat(inner: Arc<Inner>) {
    tokio::spawn(async move {
        let mut shutdown = inner.shutdown.subscribe();
        let mut tick = tokio::time::interval(HEARTBEAT);
        loop {
            tokio::select! {
                _ = shutdown.changed() => return,
                _ = tick.tick() => {
                    inner.presence_beat().await;
                    inner.presence.sweep();
                }
            }
        }
    });
}

/// A member's stay on a topic: leaves when dropped.
pub struct PresenceGuard {
    realtime: Realtime,
    app: String,
    topic: String,
    key: String,
}

impl Realtime {
    /// Joins a topic with `meta`; the member leaves when the guard is dropped.
    /// Unchecked: protocols call [`Realtime::enter`] (topic rules, join rate).
    pub async fn join(&self, app: &str, topic: &str, meta: serde_json::Value) -> Result<(Member, PresenceGuard), QuiverError> {
        self.join_grouped(app, topic, None, meta).await
    }

    /// Joins a topic as one more member under presence key `group` (each
    /// member still has its own unique `key`).
    pub async fn join_grouped(
        &self,
        app: &str,
        topic: &str,
        group: Option<String>,
        meta: serde_json::Value,
    ) -> Result<(Member, PresenceGuard), QuiverError> {
        let member = Member { key: uuid::Uuid::new_v4().to_string(), meta, group };
        let wire = Wire::Presence(PresenceWire::Join {
            instance: self.inner.presence.instance.clone(),
            app: app.into(),
            topic: topic.into(),
            member: member.clone(),
        });
        self.inner.notify(&wire).await?;
        self.inner.presence.upsert(app, topic, &member, None);
        let guard = PresenceGuard { realtime: self.clone(), app: app.into(), topic: topic.into(), key: member.key.clone() };
        Ok((member, guard))
    }
}

impl Drop for PresenceGuard {
    fn drop(&mut self) {
        let inner = self.realtime.inner.clone();
        let (app, topic, key) = (std::mem::take(&mut self.app), std::mem::take(&mut self.topic), std::mem::take(&mut self.key));
        inner.presence.remove(&app, &topic, &key);
        let leave = Wire::Presence(PresenceWire::Leave { instance: inner.presence.instance.clone(), app, topic, key });
        if let Ok(rt) = tokio::runtime::Handle::try_current() {
            rt.spawn(async move {
                if let Err(e) = inner.notify(&leave).await {
                    tracing::warn!(error = %e, "presence leave not announced; it will expire");
                }
            });
        }
    }
}
