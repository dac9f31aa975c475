//! Secret columns on their way in: hashed or encrypted as their declaration says.

use super::secrets::{hash_secret, Keyring};
use crate::catalog::{Column, Storage, Table};
use crate::error::QuiverError;

/// Turns written values of secret columns into what is stored.
#[derive(Clone, Default)]
pub struct Sealer {
    keyring: Option<Keyring>,
    schema: &'static str,
    hashes: std::sync::Arc<std::sync::atomic::AtomicU64>,
}

impl Sealer {
    /// A sealer for the app named `schema`, encrypting with `keyring` when there is one.
    /// Ciphertexts are bound to `<app name>.<table>.<column>`, whichever
    /// PostgreSQL schema the app is served in, so they survive a move.
    pub fn new(schema: &'static str, keyring: Option<Keyring>) -> Sealer {
        Sealer { keyring, schema, hashes: Default::default() }
    }

    /// Hashes a secret written to a hashed column, on the bounded hashing pool.
    pub async fn hash(&self, value: String) -> Result<String, QuiverError> {
        self.hashes.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        super::secrets::hash_secret_pooled(value).await
    }

    /// Secrets hashed so far (for `/metrics`).
    pub fn hashes(&self) -> u64 {
        self.hashes.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// The associated data an encrypted value is bound to: its column.
    pub fn context(&self, table: &Table, column: &Column) -> String {
        format!("{}.{}.{}", self.schema, table.name, column.name)
    }

    /// The stored form of `value` written to `column` (hashing here blocks
    /// the caller; writes hash through [`Sealer::hash`]).
    pub fn seal(&self, table: &Table, column: &Column, value: &str) -> Result<String, QuiverError> {
        match column.storage {
            Storage::Plain => Ok(value.to_string()),
            Storage::Hashed(_) => hash_secret(value),
            Storage::Encrypted => match &self.keyring {
                Some(k) => {
                    let sealed = k.encrypt(value, &self.context(table, column))?;
                    match column.max_len {
                        // The ciphertext, not the value, must fit the column.
                        Some(max) if sealed.len() > max as usize => Err(QuiverError::BadInput(format!(
                            "{}: at most {} bytes (it is stored encrypted, in at most {max} characters)",
                            crate::catalog::names::field(column),
                            max_plaintext(sealed.len(), value.len(), max as usize)
                        ))),
                        _ => Ok(sealed),
                    }
                }
                None => Err(QuiverError::BadInput(format!(
                    "{} cannot be stored: this server has no encryption key (set QUIVER_ENCRYPTION_KEY)",
                    crate::catalog::names::field(column)
                ))),
            },
        }
    }
}

/// The longest plaintext (bytes) whose sealed form fits `max` characters,
/// given that `plain_len` bytes sealed to `sealed_len` characters: the sealed
/// form is a fixed prefix and the base64 (padded) of nonce, text and tag.
fn max_plaintext(sealed_len: usize, plain_len: usize, max: usize) -> usize {
    const OVERHEAD: usize = 24 + 16; // nonce and tag
    let b64 = |n: usize| n.div_ceil(3) * 4;
    let prefix = sealed_len - b64(plain_len + OVERHEAD);
    ((max.saturating_sub(prefix)) / 4 * 3).saturating_sub(OVERHEAD)
}

/// Re-encrypts every value of the app's encrypted columns that is not yet
/// under the keyring's primary key (older keys, or plaintext loaded from an
/// existing database); returns how many values were rewritten.
pub async fn reencrypt(app: &'static crate::catalog::App, db: &crate::db::Db, keyring: &Keyring) -> Result<usize, QuiverError> {
    use crate::sql::{Bind, Sql};
    let sealer = Sealer::new(app.name, Some(keyring.clone()));
    let mut rewritten = 0;
    for table in app.tables {
        for column in table.columns.iter().filter(|c| c.storage == Storage::Encrypted) {
            let mut select = Sql::default();
            select.push("SELECT ");
            crate::sql::key_text(&mut select, table, "t");
            select.push(", t.").ident(column.name);
            select.push("::text FROM ").table(app, table).push(" t WHERE t.").ident(column.name).push(" IS NOT NULL");
            let context = sealer.context(table, column);
            for r in db.fetch(select).await? {
                let (key_text, stored) = (r.text(0)?, r.text(1)?.unwrap_or_default());
                if !keyring.needs_rotation(&stored) {
                    continue;
                }
                let plain = if stored.starts_with("enc:") { keyring.decrypt(&stored, &context)? } else { stored.clone() };
                let mut update = Sql::default();
                update.push("UPDATE ").table(app, table).push(" t SET ").ident(column.name).push(" = ");
                update.bind(Bind::Text(Some(keyring.encrypt(&plain, &context)?)), "text");
                update.push(" WHERE ");
                crate::sql::key_equals(&mut update, table, "t", crate::sql::KeyText::Bound(key_text.as_deref().unwrap_or_default()));
                // Only if unchanged since it was read.
                update.push(" AND t.").ident(column.name).push(" = ").bind(Bind::Text(Some(stored)), "text");
                update.push(" RETURNING TRUE");
                rewritten += db.fetch(update).await?.len();
            }
        }
    }
    Ok(rewritten)
}
