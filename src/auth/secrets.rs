//! Secret columns at rest: one-way hashes for secrets Quiver only checks
//! (argon2id, PHC strings) and authenticated encryption for secrets it must
//! read back (XChaCha20-Poly1305 under a rotatable server keyring).
//!
//! Encrypted values look like `enc:v1:<key id>:<base64(nonce || ciphertext)>`;
//! the column's name (the `context`) is authenticated with them, so a value
//! copied into another column does not decrypt.

use std::fmt;

use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::{Argon2, Params, PasswordHash};
use base64::alphabet;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig, STANDARD};
use base64::engine::DecodePaddingMode;
use base64::Engine as _;
use chacha20poly1305::aead::{Aead, Generate, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use zeroize::Zeroizing;

use crate::error::QuiverError;

/// Prefix of every encrypted value (format version 1).
const PREFIX: &str = "enc:v1:";
/// Key length, bytes.
const KEY_LEN: usize = 32;
/// XChaCha20 nonce length, bytes.
const NONCE_LEN: usize = 24;
/// Poly1305 tag length, bytes.
const TAG_LEN: usize = 16;

/// Argon2 costs above which a stored hash is refused instead of computed
/// (a hostile or corrupt PHC string must not make verification allocate
/// gigabytes or spin for minutes): 256 MiB, 16 passes, 16 lanes.
const MAX_M_COST_KIB: u32 = 256 * 1024;
const MAX_T_COST: u32 = 16;
const MAX_P_COST: u32 = 16;

/// Standard base64 alphabet, padding optional (keys typed into environment
/// variables often lose their `=`).
const LENIENT_STANDARD: GeneralPurpose =
    GeneralPurpose::new(&alphabet::STANDARD, GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent));

/// The pool argon2 work runs on: at most this many hashes or verifications
/// at once, off the async threads (set once per process by
/// [`set_hash_concurrency`]; default the number of cores).
static HASHING: std::sync::OnceLock<tokio::sync::Semaphore> = std::sync::OnceLock::new();

/// Bounds concurrent argon2 work to `n` (0: the number of cores). The first
/// call in a process wins.
pub fn set_hash_concurrency(n: usize) {
    let n = if n == 0 { std::thread::available_parallelism().map_or(2, |n| n.get()) } else { n };
    let _ = HASHING.set(tokio::sync::Semaphore::new(n));
}

/// Runs argon2 work `f` on the bounded hashing pool.
pub async fn on_hashing_pool<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> Result<T, QuiverError> {
    let pool = HASHING.get_or_init(|| tokio::sync::Semaphore::new(std::thread::available_parallelism().map_or(2, |n| n.get())));
    let _permit = pool.acquire().await.map_err(|e| QuiverError::Internal(format!("hashing pool: {e}")))?;
    tokio::task::spawn_blocking(f).await.map_err(|e| QuiverError::Internal(format!("hashing task: {e}")))
}

/// [`hash_secret`] on the bounded hashing pool.
pub async fn hash_secret_pooled(plain: String) -> Result<String, QuiverError> {
    on_hashing_pool(move || hash_secret(&plain)).await?
}

/// Hashes a secret (password, API secret) for storage: argon2id, PHC string format.
pub fn hash_secret(plain: &str) -> Result<String, QuiverError> {
    Argon2::default()
        .hash_password(plain.as_bytes())
        .map(|hash| hash.to_string())
        .map_err(|e| QuiverError::Internal(format!("cannot hash the secret: {e}")))
}

/// Whether `plain` matches a stored PHC hash (false for anything unparseable, never panics).
///
/// Hashes whose argon2 costs exceed 256 MiB, 16 passes or 16 lanes are
/// treated as unparseable.
pub fn verify_secret(plain: &str, stored: &str) -> bool {
    let Ok(hash) = PasswordHash::new(stored) else {
        return false;
    };
    let Ok(params) = Params::try_from(&hash) else {
        return false;
    };
    if params.m_cost() > MAX_M_COST_KIB || params.t_cost() > MAX_T_COST || params.p_cost() > MAX_P_COST {
        return false;
    }
    Argon2::default().verify_password(plain.as_bytes(), &hash).is_ok()
}

/// Whether `stored` has the shape of a value written by [`Keyring::encrypt`]
/// (under any key); anything else is plaintext to Quiver.
pub fn is_encrypted(stored: &str) -> bool {
    stored.strip_prefix(PREFIX).and_then(|rest| rest.split_once(':')).is_some()
}

/// Server keys for encrypted columns, from `QUIVER_ENCRYPTION_KEY`:
/// `id:base64key[,id2:base64key2...]` — the first key encrypts, all decrypt (rotation: put the new key first, keep the old ones until re-encrypted).
///
/// `Debug` shows the key ids only; the key bytes are wiped when dropped.
#[derive(Clone)]
pub struct Keyring {
    /// Non-empty; the first entry is the primary (encrypting) key.
    keys: Vec<(String, Zeroizing<[u8; KEY_LEN]>)>,
}

impl fmt::Debug for Keyring {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Keyring").field("key_ids", &self.keys.iter().map(|(id, _)| id.as_str()).collect::<Vec<_>>()).finish()
    }
}

impl Keyring {
    /// Parses the spec; each key is 32 bytes, base64 (standard alphabet); ids are [A-Za-z0-9_-]+ and unique.
    ///
    /// Errors are `BadInput` and never contain key material.
    pub fn parse(spec: &str) -> Result<Keyring, QuiverError> {
        let bad = |why: String| QuiverError::BadInput(format!("invalid encryption key spec: {why}"));
        if spec.trim().is_empty() {
            return Err(bad("it is empty (expected id:base64key[,id2:base64key2...])".into()));
        }
        let mut keys: Vec<(String, Zeroizing<[u8; KEY_LEN]>)> = Vec::new();
        for (n, entry) in spec.split(',').map(str::trim).enumerate() {
            let position = n + 1;
            let Some((id, encoded)) = entry.split_once(':') else {
                return Err(bad(format!("entry {position} is not of the form id:base64key")));
            };
            if !valid_id(id) {
                return Err(bad(format!("entry {position}: the key id must be non-empty and use only A-Z, a-z, 0-9, _ and -")));
            }
            if keys.iter().any(|(existing, _)| existing == id) {
                return Err(bad(format!("the key id {id:?} appears more than once")));
            }
            let decoded = Zeroizing::new(
                LENIENT_STANDARD.decode(encoded.trim()).map_err(|_| bad(format!("key {id:?} is not valid base64 (standard alphabet)")))?,
            );
            let key: [u8; KEY_LEN] = decoded
                .as_slice()
                .try_into()
                .map_err(|_| bad(format!("key {id:?} is {} bytes long; it must be exactly {KEY_LEN}", decoded.len())))?;
            keys.push((id.to_string(), Zeroizing::new(key)));
        }
        Ok(Keyring { keys })
    }

    /// Encrypts with the primary key: `enc:v1:<id>:<base64(nonce || ciphertext)>`; `context` (e.g. "studio.users.mfa_secret") is authenticated as associated data, so a value copied to another column does not decrypt.
    pub fn encrypt(&self, plaintext: &str, context: &str) -> Result<String, QuiverError> {
        let (id, key) = self.primary().ok_or_else(|| QuiverError::Internal("the encryption keyring is empty".into()))?;
        let nonce = XNonce::try_generate().map_err(|e| QuiverError::Internal(format!("the system random generator failed: {e}")))?;
        let ciphertext = cipher(key)?
            .encrypt(&nonce, Payload { msg: plaintext.as_bytes(), aad: context.as_bytes() })
            .map_err(|_| QuiverError::Internal("encryption failed".into()))?;
        let mut sealed = Vec::with_capacity(NONCE_LEN + ciphertext.len());
        sealed.extend_from_slice(nonce.as_slice());
        sealed.extend_from_slice(&ciphertext);
        Ok(format!("{PREFIX}{id}:{}", STANDARD.encode(sealed)))
    }

    /// Decrypts a value written by `encrypt` with any key of the ring.
    ///
    /// Plaintext, an unknown key id, a different `context` and any tampering
    /// are `Internal` errors (stored data, not client input).
    pub fn decrypt(&self, stored: &str, context: &str) -> Result<String, QuiverError> {
        let fail = |why: String| QuiverError::Internal(format!("cannot decrypt the {context} value: {why}"));
        let (id, encoded) =
            stored.strip_prefix(PREFIX).and_then(|rest| rest.split_once(':')).ok_or_else(|| fail("it is not an encrypted value".into()))?;
        let (_, key) = self
            .keys
            .iter()
            .find(|(known, _)| known == id)
            .ok_or_else(|| fail(format!("it was encrypted under key {id:?}, which is not in the keyring")))?;
        let sealed = STANDARD.decode(encoded).map_err(|_| fail("it is not valid base64".into()))?;
        if sealed.len() < NONCE_LEN + TAG_LEN {
            return Err(fail("it is too short".into()));
        }
        let (nonce, ciphertext) = sealed.split_at(NONCE_LEN);
        let nonce = XNonce::try_from(nonce).map_err(|_| fail("its nonce is malformed".into()))?;
        let plaintext = Zeroizing::new(
            cipher(key)?
                .decrypt(&nonce, Payload { msg: ciphertext, aad: context.as_bytes() })
                .map_err(|_| fail("authentication failed (tampered, or written for another column)".into()))?,
        );
        std::str::from_utf8(&plaintext).map(str::to_string).map_err(|_| fail("the plaintext is not UTF-8".into()))
    }

    /// Whether `stored` is not (yet) encrypted under the primary key (plaintext, or an older key): a rotation re-encrypts it.
    pub fn needs_rotation(&self, stored: &str) -> bool {
        let primary = self.primary_id();
        stored.strip_prefix(PREFIX).and_then(|rest| rest.split_once(':')).is_none_or(|(id, _)| id != primary)
    }

    /// The primary key's id.
    pub fn primary_id(&self) -> &str {
        self.primary().map_or("", |(id, _)| id)
    }

    /// A fresh random key spec entry `id:base64` (for `quiver keygen`).
    ///
    /// `id` should match `[A-Za-z0-9_-]+` for [`Keyring::parse`] to accept
    /// the entry. Panics only if the operating system's random generator fails.
    pub fn generate(id: &str) -> String {
        let key = Zeroizing::new(<[u8; KEY_LEN]>::generate());
        format!("{id}:{}", STANDARD.encode(key.as_slice()))
    }

    /// The encrypting key; `None` never happens (`parse` is the only
    /// constructor and refuses an empty spec).
    fn primary(&self) -> Option<(&str, &[u8; KEY_LEN])> {
        self.keys.first().map(|(id, key)| (id.as_str(), &**key))
    }
}

fn cipher(key: &[u8; KEY_LEN]) -> Result<XChaCha20Poly1305, QuiverError> {
    XChaCha20Poly1305::new_from_slice(key).map_err(|_| QuiverError::Internal("the encryption key has the wrong length".into()))
}

fn valid_id(id: &str) -> bool {
    !id.is_empty() && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;

    const CONTEXT: &str = "studio.users.mfa_secret";

    #[test]
    fn hash_and_verify_round_trip() {
        let hash = hash_secret("correct horse battery staple").expect("hash");
        assert!(hash.starts_with("$argon2id$"), "{hash}");
        assert!(verify_secret("correct horse battery staple", &hash));
        assert!(!verify_secret("correct horse battery stapler", &hash));
        assert!(!verify_secret("", &hash));
        // Salted: the same secret hashes differently.
        assert_ne!(hash, hash_secret("correct horse battery staple").expect("hash"));
        let empty = hash_secret("").expect("hash");
        assert!(verify_secret("", &empty) && !verify_secret("x", &empty));
    }

    #[test]
    fn verify_on_garbage_is_false() {
        let hash = hash_secret("s3cret").expect("hash");
        for stored in [
            "",
            "s3cret",
            "$argon2id$",
            "$argon2id$v=19$m=19456,t=2,p=1$",
            "$2b$12$R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW",
            "$argon2id$v=19$m=4194304,t=2,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaA",
            "$argon2id$v=19$m=19456,t=4000000000,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaA",
            "$argon2id$v=99$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaA",
            &hash[..hash.len() - 4],
            &hash.replace("argon2id", "argon2x"),
            "\u{0}\u{ffff}$$$$",
        ] {
            assert!(!verify_secret("s3cret", stored), "{stored}");
        }
    }

    fn ring(spec: &str) -> Keyring {
        Keyring::parse(spec).expect("keyring")
    }

    #[test]
    fn encrypt_decrypt_round_trip() {
        let spec = Keyring::generate("k1");
        assert!(spec.starts_with("k1:"));
        let ring = ring(&spec);
        assert_eq!(ring.primary_id(), "k1");
        for plain in ["JBSWY3DPEHPK3PXP", "", "ünïcødé ✓"] {
            let sealed = ring.encrypt(plain, CONTEXT).expect("encrypt");
            assert!(sealed.starts_with("enc:v1:k1:"), "{sealed}");
            assert!(is_encrypted(&sealed));
            assert_eq!(ring.decrypt(&sealed, CONTEXT).expect("decrypt"), plain);
        }
        // Fresh nonce each time.
        assert_ne!(ring.encrypt("x", CONTEXT).expect("a"), ring.encrypt("x", CONTEXT).expect("b"));
        assert!(!is_encrypted("JBSWY3DPEHPK3PXP"));
        assert!(matches!(ring.decrypt("JBSWY3DPEHPK3PXP", CONTEXT), Err(QuiverError::Internal(_))));
    }

    #[test]
    fn wrong_context_fails() {
        let ring = ring(&Keyring::generate("k1"));
        let sealed = ring.encrypt("secret", CONTEXT).expect("encrypt");
        assert!(matches!(ring.decrypt(&sealed, "studio.users.api_secret"), Err(QuiverError::Internal(_))));
    }

    #[test]
    fn tampered_ciphertext_fails() {
        let ring = ring(&Keyring::generate("k1"));
        let sealed = ring.encrypt("secret value", CONTEXT).expect("encrypt");
        let (head, encoded) = sealed.rsplit_once(':').expect("shape");
        let bytes = STANDARD.decode(encoded).expect("base64");
        for i in [0, NONCE_LEN, bytes.len() - 1] {
            let mut tampered = bytes.clone();
            tampered[i] ^= 0x01;
            let stored = format!("{head}:{}", STANDARD.encode(&tampered));
            assert!(ring.decrypt(&stored, CONTEXT).is_err(), "byte {i}");
        }
        for stored in [
            format!("{head}:{}", STANDARD.encode(&bytes[..NONCE_LEN + TAG_LEN - 1])),
            format!("{head}:{}", STANDARD.encode(&bytes[..bytes.len() - 1])),
            format!("{head}:not base64!"),
            format!("{head}:"),
            "enc:v1:".into(),
            "enc:v1:other:AAAA".into(),
        ] {
            assert!(ring.decrypt(&stored, CONTEXT).is_err(), "{stored}");
        }
        // Another ring's key with the same id does not decrypt.
        let impostor = ring_with_id("k1");
        assert!(impostor.decrypt(&sealed, CONTEXT).is_err());
    }

    fn ring_with_id(id: &str) -> Keyring {
        ring(&Keyring::generate(id))
    }

    #[test]
    fn rotation() {
        let old = Keyring::generate("old");
        let new = Keyring::generate("new");
        let a = ring(&old);
        let b = ring(&format!("{new}, {old}"));
        assert_eq!(b.primary_id(), "new");

        let under_a = a.encrypt("totp-seed", CONTEXT).expect("encrypt");
        assert_eq!(b.decrypt(&under_a, CONTEXT).expect("decrypt"), "totp-seed");
        assert!(b.needs_rotation(&under_a));
        assert!(!a.needs_rotation(&under_a));

        let under_b = b.encrypt("totp-seed", CONTEXT).expect("encrypt");
        assert!(!b.needs_rotation(&under_b));
        assert!(b.needs_rotation("totp-seed"));
        assert!(b.needs_rotation("enc:v1:newer:AAAA"));
        // The old ring cannot read values written under the new key.
        assert!(a.decrypt(&under_b, CONTEXT).is_err());
    }

    #[test]
    fn parse_errors() {
        let good = Keyring::generate("a");
        let (_, key) = good.split_once(':').expect("shape");
        let unpadded = key.trim_end_matches('=');
        assert_eq!(ring(&format!("a:{unpadded}")).primary_id(), "a");
        let short = STANDARD.encode([7u8; 16]);
        let long = STANDARD.encode([7u8; 33]);
        for spec in [
            String::new(),
            "   ".into(),
            "a".into(),
            format!(":{key}"),
            format!("a b:{key}"),
            format!("a:b:{key}"),
            "a:not*base64".into(),
            format!("a:{short}"),
            format!("a:{long}"),
            format!("a:{key},a:{key}"),
            format!("a:{key},"),
            format!("a:{key},,b:{key}"),
        ] {
            match Keyring::parse(&spec) {
                Err(QuiverError::BadInput(why)) => assert!(!why.contains(key), "leaks the key: {why}"),
                other => panic!("{spec:?}: expected BadInput, got {other:?}"),
            }
        }
        let ring = ring(&format!("a:{key}, b-2_X:{key}"));
        let debug = format!("{ring:?}");
        assert!(debug.contains("b-2_X") && !debug.contains(key), "{debug}");
    }
}
