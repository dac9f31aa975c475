//! Automatic persisted queries, as Apollo's clients speak them: a request
//! may carry `extensions.persistedQuery = {version: 1, sha256Hash}` instead
//! of its `query`. An unknown hash gets the error `PersistedQueryNotFound`
//! (`PERSISTED_QUERY_NOT_FOUND`), upon which the client sends the query with
//! its hash once, and the server remembers it. One cache serves every app
//! (a hash names the same text wherever it is sent); it is bounded in
//! entries and in bytes and forgets the least recently used query first.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

use sha2::{Digest, Sha256};

/// Most queries the cache keeps.
pub const MAX_ENTRIES: usize = 2048;
/// Most query text, in bytes, the cache keeps.
pub const MAX_BYTES: usize = 16 * 1024 * 1024;

/// Why a request's persisted query could not be used.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum PersistedError {
    /// The hash is not (or no longer) known: send the query with it.
    #[error("PersistedQueryNotFound")]
    NotFound,
    /// The query's sha256 is not the hash sent with it.
    #[error("provided sha does not match query")]
    HashMismatch,
    /// Not `{version: 1, sha256Hash: "<64 hex digits>"}`.
    #[error("invalid persistedQuery extension: {0}")]
    Invalid(&'static str),
}

/// A bounded, least-recently-used map from sha256 hash (lower-case hex) to
/// query text, shared by all requests.
#[derive(Debug, Clone)]
pub struct PersistedQueries {
    inner: Arc<Mutex<Lru>>,
    max_entries: usize,
    max_bytes: usize,
}

#[derive(Debug, Default)]
struct Lru {
    /// hash → (query, last use)
    entries: HashMap<String, (Arc<str>, u64)>,
    /// last use → hash, oldest first
    order: BTreeMap<u64, String>,
    bytes: usize,
    clock: u64,
}

impl Default for PersistedQueries {
    fn default() -> Self {
        Self::with_bounds(MAX_ENTRIES, MAX_BYTES)
    }
}

impl PersistedQueries {
    /// A cache holding at most `max_entries` queries of at most `max_bytes` in all.
    pub fn with_bounds(max_entries: usize, max_bytes: usize) -> Self {
        PersistedQueries { inner: Arc::default(), max_entries, max_bytes }
    }

    /// Resolves a request's persisted query in place: with no query, fills it
    /// in from the cache; with a query, checks its hash and remembers it.
    /// Requests without the extension pass unchanged.
    pub fn resolve(&self, request: &mut async_graphql::Request) -> Result<(), PersistedError> {
        let Some(extension) = request.extensions.get("persistedQuery") else { return Ok(()) };
        let value = extension.clone().into_json().map_err(|_| PersistedError::Invalid("not an object"))?;
        if value.get("version").and_then(|v| v.as_i64()) != Some(1) {
            return Err(PersistedError::Invalid("only version 1 is supported"));
        }
        let hash = value.get("sha256Hash").and_then(|h| h.as_str()).ok_or(PersistedError::Invalid("no sha256Hash"))?;
        if hash.len() != 64 || !hash.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(PersistedError::Invalid("sha256Hash is not 64 hexadecimal digits"));
        }
        let hash = hash.to_ascii_lowercase();
        if request.query.is_empty() {
            request.query = self.get(&hash).ok_or(PersistedError::NotFound)?.to_string();
            return Ok(());
        }
        if sha256_hex(&request.query) != hash {
            return Err(PersistedError::HashMismatch);
        }
        // Only documents that parse are worth remembering.
        if async_graphql::parser::parse_query(&request.query).is_ok() {
            self.insert(hash, &request.query);
        }
        Ok(())
    }

    /// The query stored under `hash`, marking it as used.
    pub fn get(&self, hash: &str) -> Option<Arc<str>> {
        let mut lru = self.inner.lock().expect("persisted query cache lock");
        lru.clock += 1;
        let now = lru.clock;
        let (query, used) = lru.entries.get_mut(hash)?;
        let query = query.clone();
        let before = std::mem::replace(used, now);
        lru.order.remove(&before);
        lru.order.insert(now, hash.to_string());
        Some(query)
    }

    /// Stores `query` under `hash`, forgetting the least recently used
    /// queries until both bounds hold. A query larger than the byte bound is
    /// not stored.
    pub fn insert(&self, hash: String, query: &str) {
        if query.len() > self.max_bytes || self.max_entries == 0 {
            return;
        }
        let mut lru = self.inner.lock().expect("persisted query cache lock");
        lru.clock += 1;
        let now = lru.clock;
        if let Some((old, used)) = lru.entries.remove(&hash) {
            lru.order.remove(&used);
            lru.bytes -= old.len();
        }
        while lru.entries.len() >= self.max_entries || lru.bytes + query.len() > self.max_bytes {
            let Some((_, oldest)) = lru.order.pop_first() else { break };
            if let Some((old, _)) = lru.entries.remove(&oldest) {
                lru.bytes -= old.len();
            }
        }
        lru.bytes += query.len();
        lru.order.insert(now, hash.clone());
        lru.entries.insert(hash, (Arc::from(query), now));
    }

    /// Number of stored queries.
    pub fn len(&self) -> usize {
        self.inner.lock().expect("persisted query cache lock").entries.len()
    }

    /// Whether nothing is stored.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The lower-case hexadecimal sha256 of `text`.
pub fn sha256_hex(text: &str) -> String {
    Sha256::digest(text.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(query: &str, hash: &str) -> async_graphql::Request {
        let body = serde_json::json!({
            "query": query,
            "extensions": { "persistedQuery": { "version": 1, "sha256Hash": hash } },
        });
        serde_json::from_value(body).unwrap()
    }

    #[test]
    fn unknown_hash_then_registered_query_then_hash_alone() {
        let cache = PersistedQueries::default();
        let query = "{ __typename }";
        let hash = sha256_hex(query);
        assert_eq!(cache.resolve(&mut request("", &hash)), Err(PersistedError::NotFound));
        let mut with_query = request(query, &hash);
        cache.resolve(&mut with_query).unwrap();
        let mut by_hash = request("", &hash.to_uppercase());
        cache.resolve(&mut by_hash).unwrap();
        assert_eq!(by_hash.query, query);
    }

    #[test]
    fn a_query_must_match_its_hash() {
        let cache = PersistedQueries::default();
        let wrong = sha256_hex("{ other }");
        assert_eq!(cache.resolve(&mut request("{ __typename }", &wrong)), Err(PersistedError::HashMismatch));
        assert!(cache.is_empty());
        assert!(matches!(cache.resolve(&mut request("", "abc")), Err(PersistedError::Invalid(_))));
    }

    #[test]
    fn least_recently_used_goes_first_within_both_bounds() {
        let cache = PersistedQueries::with_bounds(2, 1000);
        cache.insert("a".into(), "{ a }");
        cache.insert("b".into(), "{ b }");
        assert!(cache.get("a").is_some()); // a is now the most recent
        cache.insert("c".into(), "{ c }");
        assert!(cache.get("b").is_none(), "b was the least recently used");
        assert!(cache.get("a").is_some() && cache.get("c").is_some());

        let cache = PersistedQueries::with_bounds(100, 10);
        cache.insert("x".into(), "123456");
        cache.insert("y".into(), "123456");
        assert_eq!(cache.len(), 1, "two would exceed 10 bytes");
        assert!(cache.get("y").is_some());
        cache.insert("z".into(), "12345678901");
        assert!(cache.get("z").is_none(), "larger than the whole cache");
    }
}
