//! Who may use which broadcast and presence topic, and the checked entry
//! points every protocol (GraphQL, the Supabase endpoint) goes through:
//! [`Realtime::send`], [`Realtime::listen`] and [`Realtime::enter`].
//!
//! An app declares its topics ([`crate::catalog::TopicDecl`]): `team:<id>`
//! names row `<id>` of `teams`, and the caller may listen to it, send to it,
//! and see or join its presence iff it may read that row (the table's read
//! rule, one statement decided by the database as for any read). A row that does not exist and
//! one the caller may not read are refused alike (`FORBIDDEN`). A topic of no
//! declared family is the service role's alone. Anonymous callers use no
//! topic (`UNAUTHENTICATED`).

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use tokio::sync::broadcast::error::RecvError;

use super::fanout::TopicReceiver;
use super::presence::{Member, PresenceChange, PresenceGuard};
use super::{BroadcastMessage, Realtime, Wire};
use crate::catalog::{ColumnType, Principal, Role, Table};
use crate::error::QuiverError;
use crate::sql::select_by_keys;

/// Longest accepted topic, in bytes.
pub const MAX_TOPIC_BYTES: usize = 255;

/// What a caller wants to do on a topic.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TopicUse {
    /// Receive its broadcasts.
    Listen,
    /// Send broadcasts to it.
    Send,
    /// Join its presence and see who is there.
    Presence,
}

impl TopicUse {
    fn verb(self) -> &'static str {
        match self {
            TopicUse::Listen => "listen to",
            TopicUse::Send => "send to",
            TopicUse::Presence => "join the presence of",
        }
    }
}

/// Who sent a broadcast, filled in by the server from the sender's
/// credentials (never by the client).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sender {
    /// `authenticated` or `service_role`.
    pub role: String,
    /// The user id (`sub`), when the sender acts for a user.
    pub user_id: Option<String>,
}

impl Sender {
    /// The identity of `who`.
    pub fn of(who: &Principal) -> Sender {
        let role = match who.role {
            Role::Anon => "anon",
            Role::Authenticated => "authenticated",
            Role::Service => "service_role",
        };
        Sender { role: role.into(), user_id: who.user_id.clone() }
    }
}

/// Whether `key` can name a row of `table` at all (else the statement would
/// fail on the cast: refused like an unreadable row instead).
fn key_fits(table: &Table, key: &str) -> bool {
    let (_, column) = table.key_column();
    match column.ty {
        ColumnType::Uuid => uuid::Uuid::parse_str(key).is_ok(),
        ColumnType::Int => key.parse::<i32>().is_ok(),
        ColumnType::BigInt => key.parse::<i64>().is_ok(),
        ColumnType::Text => !key.contains('\0') && column.max_len.is_none_or(|n| key.chars().count() <= n as usize),
        _ => false,
    }
}

fn signed_in(who: &Principal) -> Result<(), QuiverError> {
    match who.role {
        Role::Anon => Err(QuiverError::Unauthenticated("sign in to use channels and presence".into())),
        _ => Ok(()),
    }
}

impl Realtime {
    /// Decides whether `who` may `use_` `topic` of `app` (see the module doc):
    /// `Ok`, `FORBIDDEN`, or `UNAUTHENTICATED` for an anonymous caller.
    pub async fn authorize_topic(&self, app: &str, who: &Principal, topic: &str, use_: TopicUse) -> Result<(), QuiverError> {
        signed_in(who)?;
        if topic.is_empty() || topic.len() > MAX_TOPIC_BYTES {
            return Err(QuiverError::BadInput(format!("a topic has 1 to {MAX_TOPIC_BYTES} bytes")));
        }
        if who.is_service() {
            return Ok(());
        }
        let model = self.model(app).ok_or_else(|| QuiverError::Internal(format!("app {app} is not served")))?;
        let served = model.app;
        let declared = topic.split_once(':').and_then(|(prefix, key)| Some((served.topics.iter().find(|t| t.prefix == prefix)?, key)));
        let Some((decl, key)) = declared else {
            let patterns: Vec<String> = served.topics.iter().map(|t| t.pattern(served)).collect();
            return Err(QuiverError::Forbidden(format!(
                "topic {topic} is none of this app's topics ({}); other topics are the service role's",
                if patterns.is_empty() { "it has none".to_string() } else { patterns.join(", ") }
            )));
        };
        let refused = || QuiverError::Forbidden(format!("you may not {} topic {topic}", use_.verb()));
        let table = served.table(decl.table).ok_or_else(|| QuiverError::Internal(format!("topic table {} is not declared", decl.table)))?;
        if !key_fits(table, key) {
            return Err(refused());
        }
        if self.inner.db.fetch(select_by_keys(served, table, &[], &[key.to_string()], who)).await?.is_empty() {
            return Err(refused());
        }
        Ok(())
    }

    /// Sends a broadcast to `topic` of `app` on every instance, as `who`: within
    /// `who`'s broadcast rate (`RATE_LIMITED`), if it may send there, with its
    /// identity attached.
    pub async fn send(&self, app: &str, who: &Principal, topic: &str, event: &str, payload: serde_json::Value) -> Result<(), QuiverError> {
        self.send_from(app, who, topic, event, payload, None).await
    }

    /// [`Realtime::send`] from the sending channel `origin` (see [`BroadcastMessage::origin`]).
    pub async fn send_from(
        &self,
        app: &str,
        who: &Principal,
        topic: &str,
        event: &str,
        payload: serde_json::Value,
        origin: Option<String>,
    ) -> Result<(), QuiverError> {
        signed_in(who)?;
        self.inner.broadcasts.take(app, who)?;
        self.authorize_topic(app, who, topic, TopicUse::Send).await?;
        let message = BroadcastMessage {
            app: app.to_string(),
            topic: topic.to_string(),
            event: event.to_string(),
            payload,
            sent_at: now_rfc3339(),
            sender: Sender::of(who),
            origin,
        };
        self.inner.notify(&Wire::Broadcast(message)).await
    }

    /// The broadcasts of `topic` of `app` from now on, if `who` may listen to
    /// it, re-checked while it listens (see [`Checked`]).
    pub async fn listen(&self, app: &str, who: &Principal, topic: &str) -> Result<Checked<Arc<BroadcastMessage>>, QuiverError> {
        self.authorize_topic(app, who, topic, TopicUse::Listen).await?;
        Ok(self.checked(self.topic(app, topic), app, who, topic, TopicUse::Listen))
    }

    fn checked<T>(&self, rx: TopicReceiver<T>, app: &str, who: &Principal, topic: &str, use_: TopicUse) -> Checked<T> {
        let every = self.inner.options.topic_recheck;
        Checked {
            rx,
            realtime: self.clone(),
            app: app.to_string(),
            who: who.clone(),
            topic: topic.to_string(),
            use_,
            recheck: tokio::time::interval_at(tokio::time::Instant::now() + every, every),
        }
    }

    /// The broadcasts of `topic` of `app` on this instance from now on,
    /// unchecked (protocols call [`Realtime::listen`]).
    pub fn topic(&self, app: &str, topic: &str) -> TopicReceiver<Arc<BroadcastMessage>> {
        self.inner.messages.subscribe(app, topic)
    }

    /// How many broadcast topics have subscribers on this instance.
    pub fn live_topics(&self) -> usize {
        self.inner.messages.topics()
    }

    /// Joins the presence of `topic` of `app` as `who` with `meta`, if it may
    /// and within its join rate (`RATE_LIMITED`): the topic's presence changes
    /// from now on, the member `who` became, and the guard that keeps it
    /// there (it leaves when the guard is dropped).
    pub async fn enter(
        &self,
        app: &str,
        who: &Principal,
        topic: &str,
        meta: serde_json::Value,
    ) -> Result<(Checked<Arc<PresenceChange>>, Member, PresenceGuard), QuiverError> {
        self.may_join(app, who, topic).await?;
        let changes = self.checked(self.presence().changes(app, topic), app, who, topic, TopicUse::Presence);
        let (member, guard) = self.join(app, topic, meta).await?;
        Ok((changes, member, guard))
    }

    /// The presence changes of `topic` of `app` from now on, if `who` may see
    /// them, re-checked while it watches; joining is [`Realtime::track`].
    pub async fn presence_changes(&self, app: &str, who: &Principal, topic: &str) -> Result<Checked<Arc<PresenceChange>>, QuiverError> {
        signed_in(who)?;
        self.authorize_topic(app, who, topic, TopicUse::Presence).await?;
        Ok(self.checked(self.presence().changes(app, topic), app, who, topic, TopicUse::Presence))
    }

    /// Joins the presence of `topic` of `app` as `who`, one more member under
    /// presence key `group`, if it may and within its join rate.
    pub async fn track(
        &self,
        app: &str,
        who: &Principal,
        topic: &str,
        group: Option<String>,
        meta: serde_json::Value,
    ) -> Result<(Member, PresenceGuard), QuiverError> {
        self.may_join(app, who, topic).await?;
        self.join_grouped(app, topic, group, meta).await
    }

    /// Whether `who` may join the presence of `topic` now (signed in, within its join rate, allowed).
    async fn may_join(&self, app: &str, who: &Principal, topic: &str) -> Result<(), QuiverError> {
        signed_in(who)?;
        self.inner.presence_joins.take(app, who)?;
        self.authorize_topic(app, who, topic, TopicUse::Presence).await
    }
}

/// A topic's receiver whose right to the topic is decided again every
/// [`super::RealtimeOptions::topic_recheck`]: a caller removed from the team
/// (or whose row rule no longer holds) stops receiving with `FORBIDDEN`.
pub struct Checked<T> {
    rx: TopicReceiver<T>,
    realtime: Realtime,
    app: String,
    who: Principal,
    topic: String,
    use_: TopicUse,
    recheck: tokio::time::Interval,
}

impl<T: Clone> Checked<T> {
    /// The next value; `SLOW_CONSUMER` when this receiver fell behind its
    /// queue, `FORBIDDEN` when the caller lost the topic (both end it), `None`
    /// when the topic closed.
    pub async fn recv(&mut self) -> Option<Result<T, QuiverError>> {
        loop {
            tokio::select! {
                r = self.rx.recv() => return match r {
                    Ok(v) => Some(Ok(v)),
                    Err(RecvError::Lagged(n)) => Some(Err(QuiverError::SlowConsumer(n))),
                    Err(RecvError::Closed) => None,
                },
                _ = self.recheck.tick() => {
                    match self.realtime.authorize_topic(&self.app, &self.who, &self.topic, self.use_).await {
                        Err(e @ (QuiverError::Forbidden(_) | QuiverError::Unauthenticated(_))) => return Some(Err(e)),
                        // A database hiccup is no verdict: ask again at the next tick.
                        Err(e) => tracing::warn!(error = %e, topic = %self.topic, "topic re-check failed"),
                        Ok(()) => {}
                    }
                }
            }
        }
    }
}

/// The current time as RFC 3339 UTC, to the microsecond.
pub fn now_rfc3339() -> String {
    let d = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
    let secs = d.as_secs() as i64;
    let (days, rem) = (secs.div_euclid(86400), secs.rem_euclid(86400));
    // Civil date from days since the epoch (inverse of days_from_civil).
    let z = days + 719468;
    let era = z.div_euclid(146097);
    let doe = z - era * 146097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + if month <= 2 { 1 } else { 0 };
    format!("{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:06}Z", rem / 3600, rem % 3600 / 60, rem % 60, d.subsec_micros())
}

#[cfg(test)]
mod tests {
    #[test]
    fn now_is_rfc3339() {
        let now = super::now_rfc3339();
        assert!(crate::catalog::formats::is_rfc3339(&now), "{now}");
    }

    #[test]
    fn the_sender_is_the_principal() {
        use crate::catalog::Principal;
        assert_eq!(super::Sender::of(&Principal::user("u1")), super::Sender { role: "authenticated".into(), user_id: Some("u1".into()) });
        assert_eq!(super::Sender::of(&Principal::service()).role, "service_role");
    }
}
