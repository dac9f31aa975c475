//! A long-lived connection's standing: the credentials it signed in with,
//! re-resolved into the current principal (the same [`Authenticator`] path
//! as an HTTP request, the app's `ResolvePrincipal` hook included) before
//! each operation and at a bounded interval, so that a deactivated user, key
//! or tenant, a revoked role or a new IP allow-list entry reaches open
//! connections too.
//!
//! Protocol endpoints (GraphQL over WebSocket, a Realtime protocol) use it
//! the same way:
//! - [`Session::open`] at the connection's handshake;
//! - [`Session::refresh`] before each operation, which then runs as the
//!   principal it returns (or is refused as HTTP would refuse it);
//! - [`Session::lost`] per open stream, which resolves with the error to end
//!   the stream with once its principal is no longer the current one;
//! - [`Session::revalidate`] for the connection, which re-resolves every
//!   interval and resolves with the refusal once the credentials are refused
//!   (the endpoint then closes the connection, see [`close_code`]).
//!
//! A transient failure while re-resolving (the database unavailable) keeps
//! the last standing; the next attempt decides.

use std::net::IpAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{watch, Notify};

use super::{Authenticator, Credentials, Principal};
use crate::catalog::App;
use crate::error::QuiverError;

/// Where a session stands after its last resolution.
#[derive(Debug, Clone)]
pub enum Standing {
    /// The credentials stand for this principal.
    Admitted(Arc<Principal>),
    /// The credentials are refused now.
    Refused(Refusal),
}

/// Why a session's credentials are refused (a cloneable [`QuiverError`] of
/// kind `UNAUTHENTICATED` or `FORBIDDEN`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// `FORBIDDEN` (e.g. a refused address) rather than `UNAUTHENTICATED`.
    pub forbidden: bool,
    /// The authenticator's message.
    pub message: String,
}

impl Refusal {
    /// The error a refused operation or stream answers with.
    pub fn error(&self) -> QuiverError {
        match self.forbidden {
            true => QuiverError::Forbidden(self.message.clone()),
            false => QuiverError::Unauthenticated(self.message.clone()),
        }
    }

    /// The refusal an authentication error stands for; `None` for errors that
    /// say nothing about the credentials (e.g. the database unavailable).
    fn of(e: &QuiverError) -> Option<Refusal> {
        match e {
            QuiverError::Unauthenticated(m) => Some(Refusal { forbidden: false, message: m.clone() }),
            QuiverError::Forbidden(m) => Some(Refusal { forbidden: true, message: m.clone() }),
            _ => None,
        }
    }
}

/// The WebSocket close code for a connection whose credentials were refused:
/// 4403 for `FORBIDDEN`, 4401 for `UNAUTHENTICATED` (graphql-transport-ws's
/// codes for unauthorised and forbidden).
pub fn close_code(refusal: &Refusal) -> u16 {
    if refusal.forbidden {
        4403
    } else {
        4401
    }
}

/// Whether two principals carry the same rights (app roles compared as a
/// set, since their order carries nothing).
pub fn same_rights(a: &Principal, b: &Principal) -> bool {
    let roles = |p: &Principal| {
        let mut r: Vec<String> = p.app_roles.iter().map(|r| r.to_ascii_lowercase()).collect();
        r.sort();
        r
    };
    a.role == b.role
        && a.user_id == b.user_id
        && a.tenant == b.tenant
        && a.email == b.email
        && a.grants == b.grants
        && a.client_ip == b.client_ip
        && a.expires_at == b.expires_at
        && roles(a) == roles(b)
}

/// One connection's credentials and current standing (see the module docs).
pub struct Session {
    auth: Arc<Authenticator>,
    app: &'static App,
    credentials: Credentials,
    client_ip: Option<IpAddr>,
    standing: watch::Sender<Standing>,
    live: AtomicUsize,
    ended: Notify,
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session").field("app", &self.app.name).field("standing", &*self.standing.borrow()).finish_non_exhaustive()
    }
}

impl Session {
    /// Authenticates `credentials` for `app` from `client_ip`: the session
    /// and its first principal, or the refusal.
    pub async fn open(
        auth: Arc<Authenticator>,
        app: &'static App,
        credentials: Credentials,
        client_ip: Option<IpAddr>,
    ) -> Result<(Arc<Session>, Arc<Principal>), QuiverError> {
        let who = Arc::new(auth.authenticate(app, &credentials, client_ip).await?);
        let (standing, _) = watch::channel(Standing::Admitted(who.clone()));
        let session = Session { auth, app, credentials, client_ip, standing, live: AtomicUsize::new(0), ended: Notify::new() };
        Ok((Arc::new(session), who))
    }

    /// The standing after the last resolution.
    pub fn standing(&self) -> Standing {
        self.standing.borrow().clone()
    }

    /// Resolves the credentials again, now: the current principal (published
    /// to every [`Session::lost`] watcher), or the error to refuse with. A
    /// refusal is published too; other errors leave the standing as it was.
    pub async fn refresh(&self) -> Result<Arc<Principal>, QuiverError> {
        match self.auth.authenticate(self.app, &self.credentials, self.client_ip).await {
            Ok(who) => {
                let who = Arc::new(who);
                self.standing.send_if_modified(|s| match s {
                    Standing::Admitted(p) if same_rights(p, &who) => false,
                    _ => {
                        *s = Standing::Admitted(who.clone());
                        true
                    }
                });
                Ok(who)
            }
            Err(e) => {
                match Refusal::of(&e) {
                    Some(refusal) => {
                        tracing::info!(app = self.app.name, reason = %refusal.message, "connection credentials refused on revalidation");
                        self.standing.send_replace(Standing::Refused(refusal));
                    }
                    None => tracing::warn!(app = self.app.name, error = %e, "revalidation failed; keeping the last standing"),
                }
                Err(e)
            }
        }
    }

    /// Resolves once `who` is no longer the session's current principal,
    /// with the error to end a stream run as `who` with: the refusal, or
    /// `PRINCIPAL_CHANGED` when the credentials now stand for different
    /// rights (the client may resubscribe under them).
    pub async fn lost(self: Arc<Self>, who: Arc<Principal>) -> QuiverError {
        let mut rx = self.standing.subscribe();
        loop {
            match &*rx.borrow_and_update() {
                Standing::Admitted(now) if same_rights(now, &who) => {}
                Standing::Admitted(_) => return QuiverError::PrincipalChanged,
                Standing::Refused(refusal) => return refusal.error(),
            }
            if rx.changed().await.is_err() {
                // The sender lives in `self`: not reached while we hold it.
                return std::future::pending().await;
            }
        }
    }

    /// Re-resolves every `every` until the credentials are refused (here or
    /// by an operation's [`Session::refresh`]); resolves with the refusal.
    pub async fn revalidate(&self, every: Duration) -> Refusal {
        let mut rx = self.standing.subscribe();
        loop {
            if let Standing::Refused(refusal) = &*rx.borrow_and_update() {
                return refusal.clone();
            }
            tokio::select! {
                _ = tokio::time::sleep(every) => {
                    // The outcome is published; errors are logged there.
                    let _ = self.refresh().await;
                }
                _ = rx.changed() => {}
            }
        }
    }

    /// Marks a stream as open on this session until the mark is dropped (so
    /// [`Session::drained`] can wait for streams to deliver their last word).
    pub fn hold(self: &Arc<Self>) -> StreamMark {
        self.live.fetch_add(1, Ordering::SeqCst);
        StreamMark(self.clone())
    }

    /// Waits until no stream holds a [`StreamMark`], for at most `within`.
    pub async fn drained(&self, within: Duration) {
        let wait = async {
            loop {
                let ended = self.ended.notified();
                if self.live.load(Ordering::SeqCst) == 0 {
                    return;
                }
                ended.await;
            }
        };
        let _ = tokio::time::timeout(within, wait).await;
    }
}

/// An open stream of a [`Session`] (see [`Session::hold`]).
pub struct StreamMark(Arc<Session>);

impl Drop for StreamMark {
    fn drop(&mut self) {
        self.0.live.fetch_sub(1, Ordering::SeqCst);
        self.0.ended.notify_waiters();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rights_ignore_the_order_of_roles() {
        let mut a = Principal::user("u");
        a.app_roles = vec!["admin".into(), "agent".into()];
        let mut b = a.clone();
        b.app_roles = vec!["agent".into(), "Admin".into()];
        assert!(same_rights(&a, &b));
        b.app_roles.pop();
        assert!(!same_rights(&a, &b));
        let mut c = a.clone();
        c.tenant = Some("t".into());
        assert!(!same_rights(&a, &c));
    }

    #[test]
    fn refusals_close_with_4401_or_4403() {
        let unauthenticated = Refusal::of(&QuiverError::Unauthenticated("x".into())).unwrap();
        let forbidden = Refusal::of(&QuiverError::Forbidden("x".into())).unwrap();
        assert_eq!((close_code(&unauthenticated), close_code(&forbidden)), (4401, 4403));
        assert_eq!(forbidden.error().code(), "FORBIDDEN");
        assert!(Refusal::of(&QuiverError::Unavailable("db".into())).is_none());
    }
}
