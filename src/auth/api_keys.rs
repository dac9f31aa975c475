//! API keys for machine clients, as an app declares them
//! ([`crate::catalog::ApiKeys`]): `<id>.<secret>`, looked up by id, the secret
//! verified against the stored argon2id hash.

use std::collections::HashSet;
use std::sync::{LazyLock, Mutex};

use crate::catalog::principal::{parse_grants, Principal, Role};
use super::secrets::verify_secret;
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

/// Whether `secret` matches the argon2id `hash`; verified off the async threads.
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
    let ok = tokio::task::spawn_blocking(move || verify_secret(&secret, &hash))
        .await
        .map_err(|e| QuiverError::Internal(e.to_string()))?;
    if ok {
        let mut verified = VERIFIED.lock().unwrap_or_else(|p| p.into_inner());
        if verified.len() >= VERIFIED_CAPACITY {
            verified.clear();
        }
        verified.insert(digest);
    }
    Ok(ok)
}

/// Authenticates a presented API key for `app`.
pub async fn authenticate(app: &App, db: &Db, presented: &str) -> Result<Principal, QuiverError> {
    let Some(keys) = &app.api_keys else {
        return Err(QuiverError::Unauthenticated(format!("the {} app does not accept API keys", app.name)));
    };
    let (id, secret) = presented.split_once('.').ok_or_else(|| QuiverError::Unauthenticated(INVALID.into()))?;
    let table = app.table(keys.table).expect("validated: api key table exists");
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
    sql.push(" FROM ").table(app, table).push(" k WHERE k.").ident(keys.lookup).push("::text = ");
    sql.bind(Bind::Text(Some(id.to_string())), "text");
    sql.push(" LIMIT 1");
    let rows = db.fetch(sql).await?;
    let row = rows.first().ok_or_else(|| QuiverError::Unauthenticated(INVALID.into()))?;
    let (hash, active, expired, acting, permissions) = (row.text(0)?, row.flag(1)?, row.flag(2)?, row.text(3)?, row.json(4)?);
    // Verify before telling anything about the key's state.
    let verified = match hash {
        None => false,
        Some(hash) => verify_cached(secret, hash).await?,
    };
    if !verified {
        return Err(QuiverError::Unauthenticated(INVALID.into()));
    }
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
