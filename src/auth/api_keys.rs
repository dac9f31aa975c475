//! API keys for machine clients, as an app declares them
//! ([`crate::catalog::ApiKeys`]): `<id>.<secret>`, looked up by id (through
//! the id column's index), the secret verified against the stored argon2id
//! hash on the bounded hashing pool.
//!
//! An unknown id costs the same verification as a wrong secret (against a
//! dummy hash), so timing does not tell which ids exist; failed attempts are
//! counted per key id and per client address, and past the limit further
//! attempts are refused without any verification until the window passes.

use std::collections::{HashMap, HashSet};
use std::net::IpAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{LazyLock, Mutex};
use std::time::{Duration, Instant};

use super::secrets::verify_secret;
use crate::catalog::principal::{parse_grants, Principal, Role};
use crate::catalog::{ActsAs, App};
use crate::db::Db;
use crate::error::QuiverError;
use crate::sql::{Bind, Sql};

/// The message for every key that does not verify, so unknown ids and wrong
/// secrets look alike.
const INVALID: &str = "the API key is not valid";

/// Secret/hash pairs that verified recently, by digest, so a machine client
/// does not pay an argon2 verification on every request. The key's row is
/// still read every time, so deactivation and expiry apply at once; a
/// changed hash no longer matches.
static VERIFIED: LazyLock<Mutex<HashSet<[u8; 32]>>> = LazyLock::new(Mutex::default);

/// Largest number of remembered verifications (the set is cleared when full).
const VERIFIED_CAPACITY: usize = 10_000;

/// How many failed attempts a key id or a client address may make per window.
#[derive(Debug, Clone, Copy)]
pub struct AttemptLimits {
    /// Failures allowed per window (0: no limit).
    pub max_failures: u32,
    /// The window.
    pub window: Duration,
}

impl Default for AttemptLimits {
    fn default() -> Self {
        AttemptLimits { max_failures: 10, window: Duration::from_secs(60) }
    }
}

/// Recent failed attempts, per key id and per client address, of one server.
#[derive(Debug, Default)]
pub struct Attempts {
    limits: AttemptLimits,
    failures: Mutex<HashMap<String, (u32, Instant)>>,
    verifications: AtomicU64,
}

/// Most remembered keys before expired ones are swept.
const ATTEMPTS_CAPACITY: usize = 100_000;

impl Attempts {
    /// Failure counting under `limits`.
    pub fn new(limits: AttemptLimits) -> Attempts {
        Attempts { limits, ..Attempts::default() }
    }

    /// Secret verifications made so far, dummy ones included (for `/metrics`).
    pub fn verifications(&self) -> u64 {
        self.verifications.load(Ordering::Relaxed)
    }

    fn blocked(&self, keys: &[String]) -> bool {
        if self.limits.max_failures == 0 {
            return false;
        }
        let map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        keys.iter().any(|k| map.get(k).is_some_and(|(n, since)| *n >= self.limits.max_failures && since.elapsed() < self.limits.window))
    }

    fn failed(&self, keys: &[String]) {
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        if map.len() >= ATTEMPTS_CAPACITY {
            let window = self.limits.window;
            map.retain(|_, (_, since)| since.elapsed() < window);
        }
        for k in keys {
            let entry = map.entry(k.clone()).or_insert((0, Instant::now()));
            if entry.1.elapsed() >= self.limits.window {
                *entry = (0, Instant::now());
            }
            entry.0 += 1;
        }
    }
}

/// A hash no secret matches, verified in place of a missing key's so that an
/// unknown id costs what a wrong secret costs.
static DUMMY_HASH: LazyLock<String> = LazyLock::new(|| super::secrets::hash_secret("quiver: no key has this secret").unwrap_or_default());

/// Whether `secret` matches the argon2id `hash`; verified on the bounded hashing pool.
async fn verify_cached(secret: &str, hash: String) -> Result<bool, QuiverError> {
    use sha2::Digest;
    let mut digest = sha2::Sha256::new();
    digest.update(hash.as_bytes());
    digest.update([0]);
    digest.update(secret.as_bytes());
    let digest: [u8; 32] = digest.finalize().into();
    if VERIFIED.lock().unwrap_or_else(|p| p.into_inner()).contains(&digest) {
        return Ok(true);
    }
    let secret = secret.to_string();
    let ok = super::secrets::on_hashing_pool(move || verify_secret(&secret, &hash)).await?;
    if ok {
        let mut verified = VERIFIED.lock().unwrap_or_else(|p| p.into_inner());
        if verified.len() >= VERIFIED_CAPACITY {
            verified.clear();
        }
        verified.insert(digest);
    }
    Ok(ok)
}

/// Authenticates a presented API key for `app`, presented from `client_ip`.
pub async fn authenticate(
    app: &App,
    db: &Db,
    presented: &str,
    client_ip: Option<IpAddr>,
    attempts: &Attempts,
) -> Result<Principal, QuiverError> {
    let Some(keys) = &app.api_keys else {
        return Err(QuiverError::Unauthenticated(format!("the {} app does not accept API keys", app.name)));
    };
    let (id, secret) = presented.split_once('.').unwrap_or((presented, ""));
    let counted = [format!("key:{}:{id}", app.name), format!("address:{}", client_ip.map_or_else(String::new, |ip| ip.to_string()))];
    if attempts.blocked(&counted) {
        return Err(QuiverError::Unauthenticated("too many failed API-key attempts; try again later".into()));
    }
    let table = app.table(keys.table).expect("validated: api key table exists");
    let lookup = table.column(keys.lookup).map(|(_, c)| c.ty).expect("validated: api key lookup column exists");
    // Compare in the column's own type, so its index can serve the lookup.
    let (lookup_id, cast) = match lookup {
        crate::catalog::ColumnType::Uuid => (uuid::Uuid::parse_str(id).ok().map(|u| u.to_string()), "uuid"),
        crate::catalog::ColumnType::Text => (Some(id.to_string()), "text"),
        _ => (Some(id.to_string()), "text"),
    };
    let acting = match keys.acts_as {
        ActsAs::User(c) | ActsAs::Tenant(c) => c,
    };
    let mut sql = Sql::default();
    sql.push("SELECT k.").ident(keys.secret);
    sql.push("::text, k.").ident(keys.active).push(" IS NOT FALSE, ");
    match keys.expires {
        Some(e) => sql.push("COALESCE(k.").ident(e).push(" <= now(), FALSE), "),
        None => sql.push("FALSE, "),
    };
    sql.push("k.").ident(acting).push("::text, ");
    match keys.permissions {
        Some(p) => sql.push("to_json(k.").ident(p).push(")"),
        None => sql.push("NULL::json"),
    };
    sql.push(" FROM ").table(app, table).push(" k WHERE k.").ident(keys.lookup).push(" = ");
    sql.bind(Bind::Text(lookup_id.clone()), cast);
    sql.push(" LIMIT 1");
    let rows = if lookup_id.is_some() && !secret.is_empty() { db.fetch(sql).await? } else { Vec::new() };
    // Verify before telling anything about the key's state; with no key (or
    // no hash), against the dummy hash, so the answer takes as long.
    let row = rows.first();
    let hash = match row {
        Some(row) => row.text(0)?,
        None => None,
    };
    attempts.verifications.fetch_add(1, Ordering::Relaxed);
    let verified = match hash {
        Some(hash) => verify_cached(secret, hash).await?,
        None => {
            verify_cached(secret, DUMMY_HASH.clone()).await?;
            false
        }
    };
    let Some(row) = row.filter(|_| verified) else {
        attempts.failed(&counted);
        return Err(QuiverError::Unauthenticated(INVALID.into()));
    };
    let (active, expired, acting, permissions) = (row.flag(1)?, row.flag(2)?, row.text(3)?, row.json(4)?);
    if !active {
        return Err(QuiverError::Unauthenticated("the API key has been deactivated".into()));
    }
    if expired {
        return Err(QuiverError::Unauthenticated("the API key has expired".into()));
    }
    let acting = acting.ok_or_else(|| QuiverError::Unauthenticated(INVALID.into()))?;
    let grants = if keys.permissions.is_some() && !permissions.is_null() { Some(parse_grants(&permissions)) } else { None };
    let mut who = Principal { role: Role::Authenticated, grants, ..Principal::anon() };
    match keys.acts_as {
        ActsAs::User(_) => who.user_id = Some(acting),
        ActsAs::Tenant(_) => who.tenant = Some(acting),
    }
    Ok(who)
}
