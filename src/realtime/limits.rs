//! Per-principal rate limits on broadcasts and presence joins: a token bucket
//! per principal and app, shared by every request and connection of that
//! principal on this instance (aliases, batches and several sockets draw on
//! the same bucket). The service role is not limited.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::catalog::{Principal, Role};
use crate::error::QuiverError;

/// Buckets kept before idle (full) ones are forgotten.
const PRUNE_ABOVE: usize = 10_000;

/// `count` actions per `period`, in bursts of up to `count`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rate {
    /// Actions per period (0: unlimited).
    pub count: u32,
    /// The period.
    pub period: Duration,
}

struct Bucket {
    tokens: f64,
    at: Instant,
}

/// One rate, applied per principal.
pub struct Limiter {
    rate: Rate,
    what: &'static str,
    buckets: Mutex<HashMap<String, Bucket>>,
}

impl Limiter {
    /// A limiter of `rate`; `what` names the action in its error (`broadcasts`).
    pub fn new(rate: Rate, what: &'static str) -> Limiter {
        Limiter { rate, what, buckets: Mutex::default() }
    }

    /// Takes one token of `who`'s bucket in `app`, or `RATE_LIMITED`.
    pub fn take(&self, app: &str, who: &Principal) -> Result<(), QuiverError> {
        let Some(key) = principal_key(app, who) else { return Ok(()) };
        if self.rate.count == 0 || self.rate.period.is_zero() {
            return Ok(());
        }
        let capacity = f64::from(self.rate.count);
        let per_second = capacity / self.rate.period.as_secs_f64();
        let now = Instant::now();
        let mut buckets = self.buckets.lock().expect("limiter lock");
        if buckets.len() > PRUNE_ABOVE {
            buckets.retain(|_, b| b.tokens + now.duration_since(b.at).as_secs_f64() * per_second < capacity);
        }
        let bucket = buckets.entry(key).or_insert(Bucket { tokens: capacity, at: now });
        bucket.tokens = (bucket.tokens + now.duration_since(bucket.at).as_secs_f64() * per_second).min(capacity);
        bucket.at = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            return Ok(());
        }
        let wait = Duration::from_secs_f64((1.0 - bucket.tokens) / per_second);
        Err(QuiverError::RateLimited(format!(
            "more than {} {} in {} s; retry in {} ms",
            self.rate.count,
            self.what,
            self.rate.period.as_secs(),
            wait.as_millis().max(1)
        )))
    }
}

/// Whose bucket an action draws on: the user, else the API key's tenant, else
/// the client address. `None` for the service role (not limited).
fn principal_key(app: &str, who: &Principal) -> Option<String> {
    match (who.role, &who.user_id, &who.tenant) {
        (Role::Service, _, _) => None,
        (_, Some(user), _) => Some(format!("{app}\0u\0{user}")),
        (_, None, Some(tenant)) => Some(format!("{app}\0t\0{tenant}")),
        _ => Some(format!("{app}\0ip\0{}", who.client_ip.map(|ip| ip.to_string()).unwrap_or_default())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bucket_is_per_principal_and_app_and_the_service_role_is_not_limited() {
        let limiter = Limiter::new(Rate { count: 3, period: Duration::from_secs(3600) }, "broadcasts");
        let alice = Principal::user("alice");
        for _ in 0..3 {
            limiter.take("studio", &alice).unwrap();
        }
        let refused = limiter.take("studio", &alice).unwrap_err();
        assert_eq!(refused.code(), "RATE_LIMITED");
        assert!(refused.to_string().contains("more than 3 broadcasts in 3600 s"), "{refused}");
        limiter.take("orders", &alice).expect("another app, another bucket");
        limiter.take("studio", &Principal::user("bob")).expect("another user, another bucket");
        for _ in 0..10 {
            limiter.take("studio", &Principal::service()).unwrap();
        }
        let off = Limiter::new(Rate { count: 0, period: Duration::from_secs(1) }, "broadcasts");
        for _ in 0..10 {
            off.take("studio", &alice).unwrap();
        }
    }
}
