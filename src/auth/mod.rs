//! Authentication: who is asking. Bearer JWTs ([`jwt`], Supabase-compatible),
//! API keys ([`api_keys`]), the client's address, and the hashing and
//! encryption of secret columns ([`secrets`], [`sealer`]). What a principal
//! may then see and change is decided by the row rules ([`crate::sql::access`]).

pub mod api_keys;
pub mod jwt;
pub mod sealer;
pub mod secrets;
pub mod session;

pub use crate::catalog::{Principal, Role};
pub use sealer::Sealer;
pub use session::Session;

use std::collections::HashMap;
use std::net::IpAddr;

use futures_util::future::BoxFuture;

use crate::catalog::App;
use crate::db::Db;
use crate::error::QuiverError;

/// The credentials a request presents.
#[derive(Debug, Clone, Default)]
pub struct Credentials {
    /// A bearer token (JWT).
    pub bearer: Option<String>,
    /// An API key `<id>.<secret>`.
    pub api_key: Option<String>,
}

impl Credentials {
    /// From HTTP headers: `Authorization: Bearer <jwt>` and `X-API-Key: <key>`
    /// (or `Authorization: ApiKey <key>`).
    pub fn from_headers(headers: &axum::http::HeaderMap) -> Result<Credentials, QuiverError> {
        let header = |name| headers.get(name).map(|v| v.to_str().map(str::trim).map_err(|_| bad_header()));
        let mut c = Credentials::default();
        if let Some(auth) = header(axum::http::header::AUTHORIZATION).transpose()? {
            c.parse_authorization(auth)?;
        }
        if let Some(key) = header(axum::http::HeaderName::from_static("x-api-key")).transpose()? {
            c.api_key = Some(key.to_string());
        }
        Ok(c)
    }

    /// From a WebSocket `connection_init` payload: `{"Authorization": "Bearer …"}`,
    /// `{"headers": {"Authorization": …}}`, `{"token": …}` or `{"apiKey": …}`.
    pub fn from_init_payload(payload: &serde_json::Value) -> Result<Credentials, QuiverError> {
        let mut c = Credentials::default();
        let find = |obj: &serde_json::Value, names: &[&str]| -> Option<String> {
            let o = obj.as_object()?;
            o.iter().find(|(k, _)| names.iter().any(|n| k.eq_ignore_ascii_case(n))).and_then(|(_, v)| v.as_str().map(str::to_string))
        };
        let headers = payload.get("headers").cloned().unwrap_or(serde_json::Value::Null);
        for source in [payload, &headers] {
            if let Some(auth) = find(source, &["authorization"]) {
                c.parse_authorization(auth.trim())?;
            }
            if let Some(key) = find(source, &["apiKey", "x-api-key"]) {
                c.api_key = Some(key);
            }
        }
        if let Some(token) = find(payload, &["token", "accessToken"]) {
            c.bearer = Some(token);
        }
        Ok(c)
    }

    fn parse_authorization(&mut self, value: &str) -> Result<(), QuiverError> {
        let (scheme, rest) = value.split_once(' ').ok_or_else(bad_header)?;
        match scheme.to_ascii_lowercase().as_str() {
            "bearer" => self.bearer = Some(rest.trim().to_string()),
            "apikey" => self.api_key = Some(rest.trim().to_string()),
            _ => return Err(bad_header()),
        }
        Ok(())
    }
}

fn bad_header() -> QuiverError {
    QuiverError::Unauthenticated("the Authorization header must be `Bearer <token>` or `ApiKey <key>`".into())
}

/// An app's completion of a principal: fills in what its rules key on (the
/// orders tenant and roles) and may refuse the caller (an IP allow-list).
/// It gets the app's database and the app as served (its tables are in
/// [`App::schema`]).
pub type ResolvePrincipal = for<'a> fn(&'a Db, &'static App, Principal) -> BoxFuture<'a, Result<Principal, QuiverError>>;

/// Turns credentials into a principal: verifies tokens and keys, then lets
/// the app resolve what it keys on (e.g. the tenant and its IP allow-list).
pub struct Authenticator {
    jwt: jwt::JwtVerifier,
    db: Db,
    /// Apps served from a database of their own (`--app-database`).
    app_dbs: HashMap<&'static str, Db>,
    resolvers: HashMap<&'static str, ResolvePrincipal>,
    key_attempts: api_keys::Attempts,
}

impl Authenticator {
    /// An authenticator verifying tokens with `jwt` and keys against `db`.
    pub fn new(jwt: jwt::JwtVerifier, db: Db) -> Authenticator {
        Authenticator { jwt, db, app_dbs: HashMap::new(), resolvers: HashMap::new(), key_attempts: api_keys::Attempts::default() }
    }

    /// Looks up API keys and resolves principals of app `app` in `db`
    /// instead (an app served from its own database).
    pub fn with_app_db(mut self, app: &'static str, db: Db) -> Authenticator {
        self.app_dbs.insert(app, db);
        self
    }

    /// Completes principals of app `app` with `resolve`.
    pub fn with_resolver(mut self, app: &'static str, resolve: ResolvePrincipal) -> Authenticator {
        self.resolvers.insert(app, resolve);
        self
    }

    /// Limits failed API-key attempts per key id and per client address.
    pub fn with_key_attempts(mut self, limits: api_keys::AttemptLimits) -> Authenticator {
        self.key_attempts = api_keys::Attempts::new(limits);
        self
    }

    /// API-key secret verifications so far (for `/metrics`).
    pub fn key_verifications(&self) -> u64 {
        self.key_attempts.verifications()
    }

    /// Who `credentials` stand for in `app`, calling from `client_ip`.
    /// No credentials: anonymous. Bad credentials: `UNAUTHENTICATED`.
    pub async fn authenticate(
        &self,
        app: &'static App,
        credentials: &Credentials,
        client_ip: Option<IpAddr>,
    ) -> Result<Principal, QuiverError> {
        let db = self.app_dbs.get(app.name).unwrap_or(&self.db);
        let mut who = match (&credentials.bearer, &credentials.api_key) {
            (Some(_), Some(_)) => return Err(QuiverError::Unauthenticated("send either a bearer token or an API key, not both".into())),
            (Some(token), None) => self.principal_of_token(token)?,
            (None, Some(key)) => api_keys::authenticate(app, db, key, client_ip, &self.key_attempts).await?,
            (None, None) => Principal::anon(),
        };
        who.client_ip = client_ip;
        match self.resolvers.get(app.name) {
            Some(resolve) => resolve(db, app, who).await,
            None => Ok(who),
        }
    }

    /// Who a bearer token stands for before any app completes the principal
    /// (signature, expiry and role checked), for checks made before the app is known.
    pub fn verify_token(&self, token: &str) -> Result<Principal, QuiverError> {
        self.principal_of_token(token)
    }

    fn principal_of_token(&self, token: &str) -> Result<Principal, QuiverError> {
        if !self.jwt.is_configured() {
            return Err(QuiverError::Unauthenticated(
                "this server accepts no tokens (no QUIVER_JWT_SECRET or QUIVER_JWKS_FILE configured)".into(),
            ));
        }
        let claims = self.jwt.verify(token)?;
        let mut who = match claims.role.as_deref() {
            Some("anon") => Principal::anon(),
            Some("service_role") => Principal::service(),
            Some("authenticated") | None => {
                let sub = claims.sub.clone().filter(|s| !s.is_empty());
                let sub = sub.ok_or_else(|| QuiverError::Unauthenticated("the token names no user (`sub`)".into()))?;
                Principal::user(sub)
            }
            Some(other) => return Err(QuiverError::Unauthenticated(format!("the token's role {other} is not accepted"))),
        };
        who.email = claims.email;
        who.expires_at = Some(claims.exp);
        Ok(who)
    }
}

/// The client's address: the socket peer, or the first untrusted address of
/// `X-Forwarded-For` (walking from the nearest hop) when the peer is a trusted proxy.
pub fn client_ip(peer: IpAddr, forwarded_for: Option<&str>, trusted: &[Cidr]) -> IpAddr {
    let is_trusted = |ip: &IpAddr| trusted.iter().any(|c| c.contains(ip));
    if !is_trusted(&peer) {
        return peer;
    }
    let Some(chain) = forwarded_for else { return peer };
    let mut hops: Vec<IpAddr> = Vec::new();
    for part in chain.split(',') {
        match part.trim().parse() {
            Ok(ip) => hops.push(ip),
            // A malformed hop: nothing before it can be trusted.
            Err(_) => hops.clear(),
        }
    }
    hops.into_iter().rev().find(|ip| !is_trusted(ip)).unwrap_or(peer)
}

/// An IP network (`10.0.0.0/8`, `::1/128`, or a bare address).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cidr {
    addr: IpAddr,
    prefix: u8,
}

impl std::str::FromStr for Cidr {
    type Err = String;
    fn from_str(s: &str) -> Result<Cidr, String> {
        let (a, p) = s.split_once('/').map(|(a, p)| (a, Some(p))).unwrap_or((s, None));
        let addr: IpAddr = a.trim().parse().map_err(|_| format!("{s} is not an IP address or network"))?;
        let max = if addr.is_ipv4() { 32 } else { 128 };
        let prefix = match p {
            None => max,
            Some(p) => p.trim().parse::<u8>().ok().filter(|p| *p <= max).ok_or_else(|| format!("{s}: bad prefix length"))?,
        };
        Ok(Cidr { addr, prefix })
    }
}

impl Cidr {
    /// Whether `ip` is in the network.
    pub fn contains(&self, ip: &IpAddr) -> bool {
        fn bits(ip: &IpAddr) -> (u128, u32) {
            match ip {
                IpAddr::V4(v) => (u32::from(*v) as u128, 32),
                IpAddr::V6(v) => match v.to_ipv4_mapped() {
                    Some(v4) => (u32::from(v4) as u128, 32),
                    None => (u128::from(*v), 128),
                },
            }
        }
        let (net, width) = bits(&self.addr);
        let (other, other_width) = bits(ip);
        if width != other_width {
            return false;
        }
        let host_bits = width - u32::from(self.prefix).min(width);
        host_bits >= width || (net >> host_bits) == (other >> host_bits)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forwarded_for_is_only_trusted_from_a_trusted_proxy() {
        let trusted: Vec<Cidr> = vec!["10.0.0.0/8".parse().unwrap()];
        let proxy: IpAddr = "10.1.2.3".parse().unwrap();
        let outsider: IpAddr = "198.51.100.7".parse().unwrap();
        assert_eq!(client_ip(outsider, Some("203.0.113.9"), &trusted), outsider);
        assert_eq!(client_ip(proxy, Some("203.0.113.9"), &trusted), "203.0.113.9".parse::<IpAddr>().unwrap());
        // A client cannot spoof by prepending: the nearest untrusted hop wins.
        assert_eq!(client_ip(proxy, Some("1.2.3.4, 203.0.113.9, 10.0.0.5"), &trusted), "203.0.113.9".parse::<IpAddr>().unwrap());
        assert_eq!(client_ip(proxy, None, &trusted), proxy);
    }

    #[test]
    fn cidr_contains() {
        let net: Cidr = "203.0.113.0/24".parse().unwrap();
        assert!(net.contains(&"203.0.113.200".parse().unwrap()));
        assert!(!net.contains(&"203.0.114.1".parse().unwrap()));
        assert!("0.0.0.0/0".parse::<Cidr>().unwrap().contains(&"8.8.8.8".parse().unwrap()));
        assert!("::1".parse::<Cidr>().unwrap().contains(&"::1".parse().unwrap()));
        assert!("1.2.3.4/33".parse::<Cidr>().is_err());
    }
}
