//! Bearer token (JWT) verification, Supabase-compatible.
//!
//! Accepts HS256 tokens signed with a shared secret and RS256 / ES256 tokens
//! signed by a key in a JWKS file. Every other algorithm, `alg: none`
//! included, is refused, and a key is only ever used with the algorithm
//! family it belongs to (no HS256-over-a-public-key confusion). Expiry,
//! not-before and audience are checked here, by hand, after the signature.

use std::fmt;
use std::path::PathBuf;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::jwk::{AlgorithmParameters, EllipticCurve, JwkSet, KeyAlgorithm, PublicKeyUse};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};

use crate::error::QuiverError;

/// Where tokens come from and what they must carry.
#[derive(Debug, Clone, Default)]
pub struct JwtConfig {
    /// HS256 shared secret (Supabase's JWT secret), if any.
    pub hs256_secret: Option<String>,
    /// Path of a JWKS file (RFC 7517 JSON `{"keys": [...]}`) with RS256 / ES256 public keys, if any.
    pub jwks_path: Option<PathBuf>,
    /// Accepted audiences (Supabase: "authenticated").
    pub audiences: Vec<String>,
    /// Clock skew allowed on exp/nbf, seconds.
    pub leeway_secs: u64,
}

/// The claims Quiver reads (Supabase-compatible).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, PartialEq)]
pub struct Claims {
    /// Subject: the user id.
    pub sub: Option<String>,
    /// Database role (Supabase: `anon`, `authenticated`, `service_role`).
    pub role: Option<String>,
    /// The user's email address.
    pub email: Option<String>,
    /// Expiry, seconds since the Unix epoch (required).
    pub exp: u64,
    /// Not before, seconds since the Unix epoch.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nbf: Option<u64>,
    /// Issued at, seconds since the Unix epoch.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iat: Option<u64>,
    /// Audience: a string or an array of strings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aud: Option<serde_json::Value>,
}

impl Claims {
    /// Claims of a token minted here (`quiver token`, development mode): for
    /// `sub` in `role`, issued now, valid for `ttl` seconds; `authenticated`
    /// tokens carry that audience, as Supabase's do.
    pub fn minted(sub: Option<String>, role: &str, email: Option<String>, ttl: u64) -> Claims {
        Claims {
            sub,
            role: Some(role.to_string()),
            email,
            exp: now() + ttl,
            nbf: None,
            iat: Some(now()),
            aud: (role == "authenticated").then(|| serde_json::Value::String("authenticated".into())),
        }
    }
}

/// Roles whose tokens may carry no audience (Supabase's API-key JWTs).
const AUDIENCELESS_ROLES: &[&str] = &["anon", "service_role"];

/// Smallest RSA modulus accepted from the JWKS, bits.
const MIN_RSA_BITS: usize = 2048;
/// Largest RSA modulus the RustCrypto backend verifies, bits.
const MAX_RSA_BITS: usize = 4096;

/// One public key from the JWKS file.
#[derive(Clone)]
struct PublicKey {
    /// The key's `kid`, if it has one.
    kid: Option<String>,
    /// RS256 or ES256: the only algorithm this key verifies.
    alg: Algorithm,
    key: DecodingKey,
}

/// Verifies bearer tokens against the configured keys.
#[derive(Clone)]
pub struct JwtVerifier {
    hs256: Option<DecodingKey>,
    public_keys: Vec<PublicKey>,
    audiences: Vec<String>,
    leeway_secs: u64,
}

impl fmt::Debug for JwtVerifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // No key material, only what is configured.
        f.debug_struct("JwtVerifier")
            .field("hs256", &self.hs256.is_some())
            .field(
                "public_keys",
                &self.public_keys.iter().map(|k| format!("{:?}:{}", k.alg, k.kid.as_deref().unwrap_or("-"))).collect::<Vec<_>>(),
            )
            .field("audiences", &self.audiences)
            .field("leeway_secs", &self.leeway_secs)
            .finish()
    }
}

impl JwtVerifier {
    /// Loads keys (reads and parses the JWKS file); error if the file is unreadable/invalid.
    ///
    /// An empty HS256 secret, a JWKS file without any usable RS256 / ES256 key,
    /// and RSA keys shorter than 2048 bits are refused as `BadInput`.
    pub fn new(config: &JwtConfig) -> Result<JwtVerifier, QuiverError> {
        let hs256 = match config.hs256_secret.as_deref() {
            None => None,
            Some("") => {
                return Err(QuiverError::BadInput("the HS256 JWT secret is empty".into()));
            }
            Some(secret) => Some(DecodingKey::from_secret(secret.as_bytes())),
        };
        let public_keys = match &config.jwks_path {
            None => Vec::new(),
            Some(path) => {
                let text = std::fs::read_to_string(path)
                    .map_err(|e| QuiverError::BadInput(format!("cannot read the JWKS file {}: {e}", path.display())))?;
                parse_jwks(&text).map_err(|why| QuiverError::BadInput(format!("the JWKS file {} {why}", path.display())))?
            }
        };
        Ok(JwtVerifier { hs256, public_keys, audiences: config.audiences.clone(), leeway_secs: config.leeway_secs })
    }

    /// Whether any key is configured (without keys every token is rejected).
    pub fn is_configured(&self) -> bool {
        self.hs256.is_some() || !self.public_keys.is_empty()
    }

    /// Verifies signature, alg, exp, nbf, audience; returns the claims.
    ///
    /// Every rejection is `Unauthenticated` with the reason in plain words;
    /// `Internal` only if a configured key turns out to be unusable.
    pub fn verify(&self, token: &str) -> Result<Claims, QuiverError> {
        if !self.is_configured() {
            return Err(reject("tokens are not accepted: no token signing key is configured"));
        }
        let token = token.trim();
        if token.split('.').count() != 3 {
            return Err(reject("the token is malformed: it does not have three dot-separated parts"));
        }
        let header = jsonwebtoken::decode_header(token).map_err(|_| header_rejection(token))?;

        let payload = match header.alg {
            Algorithm::HS256 => {
                let key = self.hs256.as_ref().ok_or_else(|| reject("HS256 tokens are not accepted: no shared secret is configured"))?;
                decode(token, key, Algorithm::HS256)?
            }
            Algorithm::RS256 | Algorithm::ES256 => self.decode_with_public_key(token, &header)?,
            other => {
                return Err(reject(format!("tokens signed with alg {other:?} are not accepted")));
            }
        };
        self.check_claims(payload)
    }

    /// Checks the signature against the JWKS keys of the header's algorithm:
    /// the key named by `kid`, or else each key of that algorithm in turn.
    fn decode_with_public_key(&self, token: &str, header: &Header) -> Result<serde_json::Value, QuiverError> {
        let alg = header.alg;
        let mut candidates = self.public_keys.iter().filter(|k| k.alg == alg).peekable();
        if candidates.peek().is_none() {
            return Err(reject(format!("{alg:?} tokens are not accepted: no {alg:?} key is configured")));
        }
        if let Some(kid) = header.kid.as_deref() {
            let key = candidates
                .find(|k| k.kid.as_deref() == Some(kid))
                .ok_or_else(|| reject(format!("no {alg:?} key with the token's kid {:?} is configured", truncate(kid))))?;
            return decode(token, &key.key, alg);
        }
        for key in candidates {
            match decode(token, &key.key, alg) {
                Err(QuiverError::Unauthenticated(why)) if why == BAD_SIGNATURE => continue,
                result => return result,
            }
        }
        Err(reject(BAD_SIGNATURE))
    }

    /// Expiry, not-before and audience, on a payload whose signature is valid.
    fn check_claims(&self, payload: serde_json::Value) -> Result<Claims, QuiverError> {
        if payload.get("exp").is_none_or(|exp| exp.is_null()) {
            return Err(reject("the token has no expiry (exp)"));
        }
        let claims: Claims = serde_json::from_value(payload).map_err(|e| reject(format!("the token's claims are malformed: {e}")))?;

        let now = now();
        if now >= claims.exp.saturating_add(self.leeway_secs) {
            return Err(reject("the token has expired"));
        }
        if let Some(nbf) = claims.nbf {
            if nbf > now.saturating_add(self.leeway_secs) {
                return Err(reject("the token is not valid yet (its nbf is in the future)"));
            }
        }
        self.check_audience(&claims)?;
        Ok(claims)
    }

    /// At least one of the token's audiences must be accepted; a token
    /// without audience is accepted only for Supabase's API-key roles.
    fn check_audience(&self, claims: &Claims) -> Result<(), QuiverError> {
        let audiences: Vec<&str> = match &claims.aud {
            None | Some(serde_json::Value::Null) => Vec::new(),
            Some(serde_json::Value::String(aud)) => vec![aud.as_str()],
            Some(serde_json::Value::Array(values)) => {
                values.iter().map(|v| v.as_str().ok_or_else(|| reject("the token's audience is malformed"))).collect::<Result<_, _>>()?
            }
            Some(_) => return Err(reject("the token's audience is malformed")),
        };
        if audiences.is_empty() {
            let role = claims.role.as_deref().unwrap_or_default();
            return if AUDIENCELESS_ROLES.contains(&role) { Ok(()) } else { Err(reject("the token has no audience")) };
        }
        // No configured audience accepts none (`*` accepts any, explicitly).
        if self.audiences.iter().any(|c| c == "*" || audiences.contains(&c.as_str())) {
            Ok(())
        } else {
            Err(reject("the token's audience is not accepted"))
        }
    }
}

/// Signs HS256 claims (development tokens: `quiver token`, tests).
pub fn mint_hs256(secret: &str, claims: &Claims) -> Result<String, QuiverError> {
    if secret.is_empty() {
        return Err(QuiverError::BadInput("the HS256 JWT secret is empty".into()));
    }
    jsonwebtoken::encode(&Header::new(Algorithm::HS256), claims, &EncodingKey::from_secret(secret.as_bytes()))
        .map_err(|e| QuiverError::Internal(format!("cannot sign the token: {e}")))
}

/// Seconds since the Unix epoch, now.
pub fn now() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0)
}

/// The message for a signature that does not verify.
const BAD_SIGNATURE: &str = "the token's signature is invalid";

fn reject(why: impl Into<String>) -> QuiverError {
    QuiverError::Unauthenticated(why.into())
}

/// At most 40 characters of an attacker-chosen string, for messages.
fn truncate(s: &str) -> String {
    s.chars().take(40).collect()
}

/// Verifies the signature only (claims are checked by the caller) and
/// returns the payload.
fn decode(token: &str, key: &DecodingKey, alg: Algorithm) -> Result<serde_json::Value, QuiverError> {
    let mut validation = Validation::new(alg);
    validation.validate_exp = false;
    validation.validate_nbf = false;
    validation.validate_aud = false;
    validation.required_spec_claims.clear();
    match jsonwebtoken::decode::<serde_json::Value>(token, key, &validation) {
        Ok(data) => Ok(data.claims),
        Err(e) => Err(match e.kind() {
            ErrorKind::InvalidSignature => reject(BAD_SIGNATURE),
            ErrorKind::InvalidToken | ErrorKind::Base64(_) | ErrorKind::Utf8(_) => {
                reject("the token is malformed: a part is not valid base64url")
            }
            ErrorKind::Json(_) => reject("the token is malformed: its header or claims are not valid JSON"),
            ErrorKind::InvalidAlgorithm => reject("the token's algorithm does not match the key"),
            ErrorKind::InvalidEcdsaKey | ErrorKind::InvalidRsaKey(_) | ErrorKind::InvalidKeyFormat => {
                QuiverError::Internal(format!("a configured {alg:?} token key is unusable: {e}"))
            }
            _ => reject(format!("the token was rejected: {e}")),
        }),
    }
}

/// Why a token's header could not be parsed: `alg: none` and unknown
/// algorithms get their own message.
fn header_rejection(token: &str) -> QuiverError {
    let Some(encoded) = token.split('.').next() else {
        return reject("the token is malformed");
    };
    let Ok(bytes) = URL_SAFE_NO_PAD.decode(encoded.trim_end_matches('=')) else {
        return reject("the token is malformed: its header is not valid base64url");
    };
    let Ok(header) = serde_json::from_slice::<serde_json::Value>(&bytes) else {
        return reject("the token is malformed: its header is not valid JSON");
    };
    match header.get("alg").and_then(|a| a.as_str()) {
        None => reject("the token's header has no alg"),
        Some(alg) if alg.eq_ignore_ascii_case("none") => reject("tokens signed with alg none are not accepted"),
        Some(alg) if alg.parse::<Algorithm>().is_err() => reject(format!("tokens signed with alg {:?} are not accepted", truncate(alg))),
        Some(_) => reject("the token's header is malformed"),
    }
}

/// The RS256 / ES256 signing keys of a JWKS document. Keys for encryption,
/// for other algorithms or curves, and symmetric keys are skipped; a set
/// with no usable key is an error (the message completes "the JWKS file …").
fn parse_jwks(text: &str) -> Result<Vec<PublicKey>, String> {
    let set: JwkSet = serde_json::from_str(text).map_err(|e| format!("is not a valid JWKS document: {e}"))?;
    let mut keys = Vec::new();
    for jwk in &set.keys {
        if matches!(jwk.common.public_key_use, Some(PublicKeyUse::Encryption)) {
            continue;
        }
        let kid = jwk.common.key_id.clone();
        let name = kid.as_deref().map(|k| format!("key {k:?}")).unwrap_or_else(|| "a key".into());
        let (alg, declared_ok) = match &jwk.algorithm {
            AlgorithmParameters::RSA(_) => (Algorithm::RS256, matches!(jwk.common.key_algorithm, None | Some(KeyAlgorithm::RS256))),
            AlgorithmParameters::EllipticCurve(p) if p.curve == EllipticCurve::P256 => {
                (Algorithm::ES256, matches!(jwk.common.key_algorithm, None | Some(KeyAlgorithm::ES256)))
            }
            _ => continue,
        };
        if !declared_ok {
            continue;
        }
        if let AlgorithmParameters::RSA(rsa) = &jwk.algorithm {
            let n =
                URL_SAFE_NO_PAD.decode(rsa.n.trim_end_matches('=')).map_err(|_| format!("has {name} whose modulus is not base64url"))?;
            let bits = n.iter().position(|&b| b != 0).map_or(0, |i| (n.len() - i) * 8 - n[i].leading_zeros() as usize);
            if !(MIN_RSA_BITS..=MAX_RSA_BITS).contains(&bits) {
                return Err(format!("has {name}, an RSA key of {bits} bits: {MIN_RSA_BITS} to {MAX_RSA_BITS} are accepted"));
            }
        }
        let key = DecodingKey::from_jwk(jwk).map_err(|e| format!("has {name} that is invalid: {e}"))?;
        if alg == Algorithm::ES256 {
            // Builds the verifier, which parses the curve point.
            jsonwebtoken::crypto::verify("", b"", &key, alg)
                .map_err(|e| format!("has {name} that is not a valid P-256 public key: {e}"))?;
        }
        keys.push(PublicKey { kid, alg, key });
    }
    if keys.is_empty() {
        return Err("has no RS256 or ES256 signing key".into());
    }
    Ok(keys)
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::engine::general_purpose::STANDARD;
    use serde_json::json;

    const SECRET: &str = "super-secret-jwt-token-with-at-least-32-characters-long";

    /// Test-only RSA 2048 key (PKCS#1), generated for these tests.
    const TEST_RSA_PRIVATE_PEM: &str = include_str!("../../tests/fixtures/keys/rsa_private.pem");
    /// The public half of [`TEST_RSA_PRIVATE_PEM`] (SPKI).
    const TEST_RSA_PUBLIC_PEM: &str = include_str!("../../tests/fixtures/keys/rsa_public.pem");
    /// Test-only P-256 key (PKCS#8), generated for these tests.
    const TEST_EC_PRIVATE_PEM: &str = include_str!("../../tests/fixtures/keys/ec_private.pem");
    /// The public halves of the two test keys.
    const TEST_JWKS: &str = include_str!("../../tests/fixtures/keys/jwks.json");

    fn der(pem: &str) -> Vec<u8> {
        let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
        STANDARD.decode(body).expect("test PEM")
    }

    fn claims(role: &str, aud: Option<serde_json::Value>) -> Claims {
        Claims {
            sub: Some("8d3f0c1e-0000-4000-8000-000000000001".into()),
            role: Some(role.into()),
            email: Some("ada@example.com".into()),
            exp: now() + 3600,
            nbf: None,
            iat: Some(now()),
            aud,
        }
    }

    fn authenticated() -> Claims {
        claims("authenticated", Some(json!("authenticated")))
    }

    fn hs_config() -> JwtConfig {
        JwtConfig { hs256_secret: Some(SECRET.into()), audiences: vec!["authenticated".into()], ..JwtConfig::default() }
    }

    fn hs_verifier() -> JwtVerifier {
        JwtVerifier::new(&hs_config()).expect("verifier")
    }

    /// A JWKS file with the two test keys, in the temp directory.
    struct TempJwks(PathBuf);
    impl TempJwks {
        fn new(text: &str) -> TempJwks {
            use std::sync::atomic::{AtomicUsize, Ordering};
            static N: AtomicUsize = AtomicUsize::new(0);
            let path = std::env::temp_dir().join(format!("quiver-jwks-{}-{}.json", std::process::id(), N.fetch_add(1, Ordering::Relaxed)));
            std::fs::write(&path, text).expect("write jwks");
            TempJwks(path)
        }
    }
    impl Drop for TempJwks {
        fn drop(&mut self) {
            let _ = std::fs::remove_file(&self.0);
        }
    }

    fn jwks_verifier(with_secret: bool) -> (JwtVerifier, TempJwks) {
        let file = TempJwks::new(TEST_JWKS);
        let config = JwtConfig {
            hs256_secret: with_secret.then(|| SECRET.to_string()),
            jwks_path: Some(file.0.clone()),
            audiences: vec!["authenticated".into()],
            leeway_secs: 0,
        };
        (JwtVerifier::new(&config).expect("verifier"), file)
    }

    fn sign(alg: Algorithm, kid: Option<&str>, claims: &Claims, key: &EncodingKey) -> String {
        let mut header = Header::new(alg);
        header.kid = kid.map(str::to_string);
        jsonwebtoken::encode(&header, claims, key).expect("sign")
    }

    /// A token with a hand-written header, signed with HMAC-SHA256 under `hmac_key`.
    fn craft_hmac(header: serde_json::Value, claims: &Claims, hmac_key: &[u8]) -> String {
        let message = format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(header.to_string()),
            URL_SAFE_NO_PAD.encode(serde_json::to_string(claims).expect("claims"))
        );
        let signature =
            jsonwebtoken::crypto::sign(message.as_bytes(), &EncodingKey::from_secret(hmac_key), Algorithm::HS256).expect("hmac");
        format!("{message}.{signature}")
    }

    fn rejection(result: Result<Claims, QuiverError>) -> String {
        match result {
            Err(QuiverError::Unauthenticated(why)) => why,
            other => panic!("expected Unauthenticated, got {other:?}"),
        }
    }

    #[test]
    fn valid_hs256_round_trip() {
        let c = authenticated();
        let token = mint_hs256(SECRET, &c).expect("mint");
        assert_eq!(hs_verifier().verify(&token).expect("valid"), c);
        // No audience configured: none is accepted; `*` accepts any.
        let closed = JwtVerifier::new(&JwtConfig { audiences: vec![], ..hs_config() }).expect("verifier");
        let other = claims("authenticated", Some(json!(["x", "y"])));
        assert!(closed.verify(&mint_hs256(SECRET, &other).expect("mint")).is_err());
        assert!(closed.verify(&token).is_err());
        let open = JwtVerifier::new(&JwtConfig { audiences: vec!["*".into()], ..hs_config() }).expect("verifier");
        assert!(open.verify(&mint_hs256(SECRET, &other).expect("mint")).is_ok());
        // An array audience with one accepted value.
        let arr = claims("authenticated", Some(json!(["other", "authenticated"])));
        assert!(hs_verifier().verify(&mint_hs256(SECRET, &arr).expect("mint")).is_ok());
    }

    #[test]
    fn expired_is_rejected_with_leeway_honoured() {
        let mut c = authenticated();
        c.exp = now() - 30;
        let token = mint_hs256(SECRET, &c).expect("mint");
        assert_eq!(rejection(hs_verifier().verify(&token)), "the token has expired");
        let lenient = JwtVerifier::new(&JwtConfig { leeway_secs: 60, ..hs_config() }).expect("verifier");
        assert!(lenient.verify(&token).is_ok());
    }

    #[test]
    fn nbf_in_the_future_is_rejected() {
        let mut c = authenticated();
        c.nbf = Some(now() + 600);
        let token = mint_hs256(SECRET, &c).expect("mint");
        assert!(rejection(hs_verifier().verify(&token)).contains("not valid yet"));
        c.nbf = Some(now() - 1);
        assert!(hs_verifier().verify(&mint_hs256(SECRET, &c).expect("mint")).is_ok());
    }

    #[test]
    fn wrong_secret_is_rejected() {
        let token = mint_hs256("another-secret", &authenticated()).expect("mint");
        assert_eq!(rejection(hs_verifier().verify(&token)), BAD_SIGNATURE);
    }

    #[test]
    fn alg_none_is_rejected() {
        let header = URL_SAFE_NO_PAD.encode(r#"{"alg":"none","typ":"JWT"}"#);
        let payload = URL_SAFE_NO_PAD.encode(serde_json::to_string(&authenticated()).expect("json"));
        let token = format!("{header}.{payload}.");
        assert_eq!(rejection(hs_verifier().verify(&token)), "tokens signed with alg none are not accepted");
        let upper = URL_SAFE_NO_PAD.encode(r#"{"alg":"NONE"}"#);
        assert_eq!(rejection(hs_verifier().verify(&format!("{upper}.{payload}."))), "tokens signed with alg none are not accepted");
    }

    #[test]
    fn other_algorithms_are_rejected() {
        let hs512 = sign(Algorithm::HS512, None, &authenticated(), &EncodingKey::from_secret(SECRET.as_bytes()));
        assert!(rejection(hs_verifier().verify(&hs512)).contains("HS512"));
        let weird = URL_SAFE_NO_PAD.encode(r#"{"alg":"XYZ1"}"#);
        assert!(rejection(hs_verifier().verify(&format!("{weird}.e30.x"))).contains("XYZ1"));
    }

    #[test]
    fn malformed_tokens_are_rejected() {
        let good = mint_hs256(SECRET, &authenticated()).expect("mint");
        let parts: Vec<&str> = good.split('.').collect();
        let cases = [
            String::new(),
            "garbage".into(),
            "a.b".into(),
            "a.b.c.d".into(),
            format!("{good}.extra"),
            "!!!.@@@.###".into(),
            format!("{}.{}.{}", URL_SAFE_NO_PAD.encode("not json"), parts[1], parts[2]),
            format!("{}.%%%.{}", parts[0], parts[2]),
            format!("{}.{}.%%%", parts[0], parts[1]),
            format!("{}.{}", parts[0], parts[1]),
        ];
        for token in cases {
            rejection(hs_verifier().verify(&token));
        }
        // A correctly signed payload that is not JSON, or has no exp.
        let key = SECRET.as_bytes();
        let not_json = {
            let message = format!("{}.{}", parts[0], URL_SAFE_NO_PAD.encode("nope"));
            let sig = jsonwebtoken::crypto::sign(message.as_bytes(), &EncodingKey::from_secret(key), Algorithm::HS256).expect("sign");
            format!("{message}.{sig}")
        };
        rejection(hs_verifier().verify(&not_json));
        let no_exp = jsonwebtoken::encode(
            &Header::new(Algorithm::HS256),
            &json!({"sub": "x", "role": "service_role"}),
            &EncodingKey::from_secret(key),
        )
        .expect("sign");
        assert_eq!(rejection(hs_verifier().verify(&no_exp)), "the token has no expiry (exp)");
        let bad_role = jsonwebtoken::encode(
            &Header::new(Algorithm::HS256),
            &json!({"exp": now() + 60, "role": 7, "aud": "authenticated"}),
            &EncodingKey::from_secret(key),
        )
        .expect("sign");
        assert!(rejection(hs_verifier().verify(&bad_role)).contains("malformed"));
    }

    #[test]
    fn wrong_audience_is_rejected() {
        let token = mint_hs256(SECRET, &claims("authenticated", Some(json!("someone-else")))).expect("mint");
        assert_eq!(rejection(hs_verifier().verify(&token)), "the token's audience is not accepted");
        let token = mint_hs256(SECRET, &claims("authenticated", Some(json!(["a", "b"])))).expect("mint");
        assert_eq!(rejection(hs_verifier().verify(&token)), "the token's audience is not accepted");
        let token = mint_hs256(SECRET, &claims("authenticated", Some(json!(42)))).expect("mint");
        assert_eq!(rejection(hs_verifier().verify(&token)), "the token's audience is malformed");
    }

    #[test]
    fn missing_audience_only_for_api_key_roles() {
        let token = mint_hs256(SECRET, &claims("authenticated", None)).expect("mint");
        assert_eq!(rejection(hs_verifier().verify(&token)), "the token has no audience");
        for role in ["service_role", "anon"] {
            let c = claims(role, None);
            let token = mint_hs256(SECRET, &c).expect("mint");
            assert_eq!(hs_verifier().verify(&token).expect("accepted"), c);
        }
        let mut no_role = claims("x", None);
        no_role.role = None;
        let token = mint_hs256(SECRET, &no_role).expect("mint");
        assert_eq!(rejection(hs_verifier().verify(&token)), "the token has no audience");
    }

    #[test]
    fn unconfigured_verifier_rejects_everything() {
        let v = JwtVerifier::new(&JwtConfig::default()).expect("verifier");
        assert!(!v.is_configured());
        let token = mint_hs256(SECRET, &authenticated()).expect("mint");
        assert!(rejection(v.verify(&token)).contains("no token signing key"));
        assert!(hs_verifier().is_configured());
    }

    #[test]
    fn configuration_errors() {
        let empty = JwtConfig { hs256_secret: Some(String::new()), ..JwtConfig::default() };
        assert!(matches!(JwtVerifier::new(&empty), Err(QuiverError::BadInput(_))));
        assert!(matches!(mint_hs256("", &authenticated()), Err(QuiverError::BadInput(_))));
        let missing = JwtConfig { jwks_path: Some(std::env::temp_dir().join("quiver-no-such-jwks.json")), ..JwtConfig::default() };
        assert!(matches!(JwtVerifier::new(&missing), Err(QuiverError::BadInput(_))));
        for text in [
            "not json",
            r#"{"keys": []}"#,
            r#"{"keys": [{"kty": "oct", "k": "c2VjcmV0"}]}"#,
            // 512-bit RSA modulus.
            r#"{"keys": [{"kty": "RSA", "n": "ywGO6evubCywS6aV6eJCfxbQQJctAX1WmmTiqlcK7PGXRXcDC398aid7IGiHfIDebdCPOj1UYWOo5GifZGjyEw", "e": "AQAB"}]}"#,
            r#"{"keys": [{"kty": "EC", "crv": "P-256", "x": "AAAA", "y": "AAAA"}]}"#,
        ] {
            let file = TempJwks::new(text);
            let config = JwtConfig { jwks_path: Some(file.0.clone()), ..JwtConfig::default() };
            assert!(matches!(JwtVerifier::new(&config), Err(QuiverError::BadInput(_))), "{text}");
        }
        // Debug shows no key material.
        let (v, _file) = jwks_verifier(true);
        let debug = format!("{v:?}");
        assert!(!debug.contains(SECRET) && debug.contains("rsa-test"), "{debug}");
    }

    #[test]
    fn rs256_and_es256_through_jwks() {
        let (v, _file) = jwks_verifier(false);
        let rsa = EncodingKey::from_rsa_der(&der(TEST_RSA_PRIVATE_PEM));
        let ec = EncodingKey::from_ec_der(&der(TEST_EC_PRIVATE_PEM));
        let c = authenticated();
        for (alg, key, kid) in [(Algorithm::RS256, &rsa, "rsa-test"), (Algorithm::ES256, &ec, "ec-test")] {
            // By kid, and by trying each key of the type.
            assert_eq!(v.verify(&sign(alg, Some(kid), &c, key)).expect("by kid"), c);
            assert_eq!(v.verify(&sign(alg, None, &c, key)).expect("no kid"), c);
            let why = rejection(v.verify(&sign(alg, Some("unknown"), &c, key)));
            assert!(why.contains("kid"), "{why}");
            let mut expired = c.clone();
            expired.exp = now() - 10;
            assert_eq!(rejection(v.verify(&sign(alg, Some(kid), &expired, key))), "the token has expired");
        }
        // Tampered payload.
        let token = sign(Algorithm::ES256, Some("ec-test"), &c, &ec);
        let parts: Vec<&str> = token.split('.').collect();
        let mut other = c.clone();
        other.role = Some("service_role".into());
        let forged = format!("{}.{}.{}", parts[0], URL_SAFE_NO_PAD.encode(serde_json::to_string(&other).expect("json")), parts[2]);
        assert_eq!(rejection(v.verify(&forged)), BAD_SIGNATURE);
        // HS256 is not accepted without a secret.
        let token = mint_hs256(SECRET, &c).expect("mint");
        assert!(rejection(v.verify(&token)).contains("no shared secret"));
        // A secret-only verifier refuses RS256.
        let token = sign(Algorithm::RS256, Some("rsa-test"), &c, &rsa);
        assert!(rejection(hs_verifier().verify(&token)).contains("no RS256 key"));
    }

    #[test]
    fn hmac_over_the_public_key_is_rejected() {
        let c = authenticated();
        let public_key_forms: [Vec<u8>; 3] =
            [TEST_RSA_PUBLIC_PEM.as_bytes().to_vec(), der(TEST_RSA_PUBLIC_PEM), TEST_JWKS.as_bytes().to_vec()];
        for with_secret in [false, true] {
            let (v, _file) = jwks_verifier(with_secret);
            for key in &public_key_forms {
                // Header claims RS256, signature is an HMAC keyed with the public key.
                for header in [json!({"alg": "RS256", "typ": "JWT"}), json!({"alg": "RS256", "kid": "rsa-test"})] {
                    assert_eq!(rejection(v.verify(&craft_hmac(header, &c, key))), BAD_SIGNATURE);
                }
                // Header says HS256: never checked against the JWKS keys.
                let token = craft_hmac(json!({"alg": "HS256", "kid": "rsa-test"}), &c, key);
                let why = rejection(v.verify(&token));
                assert!(why == BAD_SIGNATURE || why.contains("no shared secret"), "{why}");
            }
        }
    }
}
