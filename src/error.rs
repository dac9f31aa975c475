//! Quiver's error policy, in one place.
//!
//! - Library code returns [`QuiverError`]: a typed error whose variants are the
//!   stable `extensions.code` values clients see.
//! - [`QuiverError::extend`] maps each variant to a GraphQL error exactly once.
//!   Internal failures are logged in full with a request id; clients get the id
//!   and a generic message, never SQL or a backtrace.
//! - `anyhow` is used only by the binary's `main`.

use async_graphql::ErrorExtensions;
use diesel::result::{DatabaseErrorKind, Error as DieselError};

/// The stable error codes clients may match on (`extensions.code`).
pub mod code {
    /// Input that is well-formed GraphQL but not acceptable.
    pub const BAD_USER_INPUT: &str = "BAD_USER_INPUT";
    /// Unparseable request body or GraphQL document.
    pub const GRAPHQL_PARSE_FAILED: &str = "GRAPHQL_PARSE_FAILED";
    /// A document that does not validate against the schema.
    pub const GRAPHQL_VALIDATION_FAILED: &str = "GRAPHQL_VALIDATION_FAILED";
    /// Update or delete of a row that does not exist.
    pub const NOT_FOUND: &str = "NOT_FOUND";
    /// Unique constraint violation.
    pub const CONFLICT: &str = "CONFLICT";
    /// A reference to a row that does not exist, or a delete of a referenced row.
    pub const FOREIGN_KEY_VIOLATION: &str = "FOREIGN_KEY_VIOLATION";
    /// The query nests deeper than the configured limit.
    pub const QUERY_TOO_DEEP: &str = "QUERY_TOO_DEEP";
    /// The query's complexity exceeds the configured limit.
    pub const QUERY_TOO_COMPLEX: &str = "QUERY_TOO_COMPLEX";
    /// The request body exceeds the configured limit.
    pub const PAYLOAD_TOO_LARGE: &str = "PAYLOAD_TOO_LARGE";
    /// The database could not be reached in time.
    pub const SERVICE_UNAVAILABLE: &str = "SERVICE_UNAVAILABLE";
    /// A subscription's `after` cursor is older than the outbox retention: refetch.
    pub const CURSOR_EXPIRED: &str = "CURSOR_EXPIRED";
    /// A subscriber fell further behind than its buffer; its stream was ended.
    pub const SLOW_CONSUMER: &str = "SLOW_CONSUMER";
    /// A connection or subscription limit was reached.
    pub const LIMIT_EXCEEDED: &str = "LIMIT_EXCEEDED";
    /// The caller sent more than its rate allows (broadcasts, presence joins): wait and retry.
    pub const RATE_LIMITED: &str = "RATE_LIMITED";
    /// Missing, malformed, expired or wrongly signed credentials.
    pub const UNAUTHENTICATED: &str = "UNAUTHENTICATED";
    /// A stream's caller now stands for different rights than when it
    /// started (a revoked role, a deactivated account, another tenant): the
    /// stream was ended; resubscribe to continue under the current ones.
    pub const PRINCIPAL_CHANGED: &str = "PRINCIPAL_CHANGED";
    /// The caller is known but may not do this (e.g. a refused client address,
    /// a write to a row it may only read).
    pub const FORBIDDEN: &str = "FORBIDDEN";
    /// An automatic persisted query's hash the server does not know (yet):
    /// send the query with it.
    pub const PERSISTED_QUERY_NOT_FOUND: &str = "PERSISTED_QUERY_NOT_FOUND";
    /// Anything else; the response carries a request id to find the log entry.
    pub const INTERNAL: &str = "INTERNAL";

    /// Every code above (the bounded label values of `/metrics`).
    pub const ALL: &[&str] = &[
        BAD_USER_INPUT,
        GRAPHQL_PARSE_FAILED,
        GRAPHQL_VALIDATION_FAILED,
        NOT_FOUND,
        CONFLICT,
        FOREIGN_KEY_VIOLATION,
        QUERY_TOO_DEEP,
        QUERY_TOO_COMPLEX,
        PAYLOAD_TOO_LARGE,
        SERVICE_UNAVAILABLE,
        CURSOR_EXPIRED,
        SLOW_CONSUMER,
        LIMIT_EXCEEDED,
        UNAUTHENTICATED,
        FORBIDDEN,
        PERSISTED_QUERY_NOT_FOUND,
        INTERNAL,
    ];
}

/// How the message of a write blocked by rows still referring to it begins.
pub const STILL_REFERENCED: &str = "the row is still referenced";

/// Every failure a request can meet.
#[derive(Debug, thiserror::Error)]
pub enum QuiverError {
    /// The client sent a value Quiver or the database cannot accept.
    #[error("{0}")]
    BadInput(String),
    /// No row with that key.
    #[error("no {type_name} with {key} {value}")]
    NotFound {
        /// GraphQL type name.
        type_name: &'static str,
        /// Key field name(s).
        key: String,
        /// The key value asked for.
        value: String,
    },
    /// A unique constraint rejected the write.
    #[error("a row with the same {} already exists", columns.join(", "))]
    Conflict {
        /// Constraint name.
        constraint: String,
        /// The constraint's columns.
        columns: Vec<String>,
    },
    /// The row changed since the version the caller last saw.
    #[error("the {type_name} was changed by someone else since the version you last saw; `extensions.current` holds it now")]
    VersionConflict {
        /// GraphQL type name.
        type_name: &'static str,
        /// The row as it is now (GraphQL field names).
        current: serde_json::Value,
    },
    /// A foreign key rejected the write.
    #[error("{message}")]
    ForeignKey {
        /// Constraint name.
        constraint: String,
        /// What went wrong, in words the client can act on.
        message: String,
    },
    /// The `after` cursor is older than the outbox retention.
    #[error("the cursor is older than the change retention window; refetch and subscribe without `after`")]
    CursorExpired,
    /// The subscriber fell behind by more than its buffer.
    #[error("the subscriber fell more than {0} events behind; resubscribe with `after` set to the last cursor received")]
    SlowConsumer(u64),
    /// A configured limit was reached.
    #[error("{0}")]
    LimitExceeded(String),
    /// The caller exceeded a per-principal rate (the message says which).
    #[error("{0}")]
    RateLimited(String),
    /// No database connection could be had in time.
    #[error("the database is unavailable, try again")]
    Unavailable(String),
    /// The credentials could not be accepted (the message says why).
    #[error("{0}")]
    Unauthenticated(String),
    /// The caller may not do this.
    #[error("{0}")]
    Forbidden(String),
    /// The connection's credentials now stand for different rights than
    /// when the stream started.
    #[error("your access changed since this stream started (a role, account, key or tenant was changed); resubscribe to continue under your current access")]
    PrincipalChanged,
    /// A bug or an unexpected database failure.
    #[error("{0}")]
    Internal(String),
}

impl QuiverError {
    /// The `extensions.code` of this error.
    pub fn code(&self) -> &'static str {
        match self {
            QuiverError::BadInput(_) => code::BAD_USER_INPUT,
            QuiverError::NotFound { .. } => code::NOT_FOUND,
            QuiverError::Conflict { .. } | QuiverError::VersionConflict { .. } => code::CONFLICT,
            QuiverError::ForeignKey { .. } => code::FOREIGN_KEY_VIOLATION,
            QuiverError::Unavailable(_) => code::SERVICE_UNAVAILABLE,
            QuiverError::CursorExpired => code::CURSOR_EXPIRED,
            QuiverError::SlowConsumer(_) => code::SLOW_CONSUMER,
            QuiverError::LimitExceeded(_) => code::LIMIT_EXCEEDED,
            QuiverError::RateLimited(_) => code::RATE_LIMITED,
            QuiverError::Unauthenticated(_) => code::UNAUTHENTICATED,
            QuiverError::Forbidden(_) => code::FORBIDDEN,
            QuiverError::PrincipalChanged => code::PRINCIPAL_CHANGED,
            QuiverError::Internal(_) => code::INTERNAL,
        }
    }

    /// Converts into the GraphQL error the client sees. Internal detail is
    /// logged here, once, and replaced by a request id.
    pub fn extend(&self) -> async_graphql::Error {
        match self {
            QuiverError::Internal(detail) | QuiverError::Unavailable(detail) => {
                let request_id = uuid::Uuid::new_v4().to_string();
                tracing::error!(%request_id, code = self.code(), %detail, "request failed");
                let message = match self {
                    QuiverError::Internal(_) => "internal error",
                    _ => "the database is unavailable, try again",
                };
                async_graphql::Error::new(message).extend_with(|_, e| {
                    e.set("code", self.code());
                    e.set("requestId", request_id.clone());
                })
            }
            QuiverError::Conflict { constraint, columns } => async_graphql::Error::new(self.to_string()).extend_with(|_, e| {
                e.set("code", self.code());
                e.set("constraint", constraint.as_str());
                e.set("columns", columns.clone());
            }),
            QuiverError::VersionConflict { current, .. } => {
                let current = async_graphql::Value::from_json(current.clone()).unwrap_or_default();
                async_graphql::Error::new(self.to_string()).extend_with(|_, e| {
                    e.set("code", self.code());
                    e.set("current", current.clone());
                })
            }
            QuiverError::ForeignKey { constraint, .. } => async_graphql::Error::new(self.to_string()).extend_with(|_, e| {
                e.set("code", self.code());
                // No name when it would tell of rows the caller cannot read.
                if !constraint.is_empty() {
                    e.set("constraint", constraint.as_str());
                }
            }),
            _ => async_graphql::Error::new(self.to_string()).extend_with(|_, e| e.set("code", self.code())),
        }
    }
}

/// Argument-access errors from async-graphql's dynamic accessors: the value
/// had the wrong shape.
impl From<async_graphql::Error> for QuiverError {
    fn from(e: async_graphql::Error) -> Self {
        QuiverError::BadInput(e.message)
    }
}

/// Column names out of a PostgreSQL detail such as `Key (a, b)=(1, 2) already exists.`
fn key_columns(details: Option<&str>) -> Vec<String> {
    details
        .and_then(|d| d.strip_prefix("Key ("))
        .and_then(|d| d.split_once(")="))
        .map(|(cols, _)| cols.split(',').map(|c| c.trim().trim_matches('"').to_string()).collect())
        .unwrap_or_default()
}

impl From<DieselError> for QuiverError {
    fn from(e: DieselError) -> Self {
        match e {
            DieselError::DatabaseError(kind, info) => {
                let constraint = info.constraint_name().unwrap_or_default().to_string();
                match kind {
                    DatabaseErrorKind::UniqueViolation => QuiverError::Conflict { columns: key_columns(info.details()), constraint },
                    DatabaseErrorKind::ForeignKeyViolation => {
                        let cols = key_columns(info.details()).join(", ");
                        let message = if info.message().contains("update or delete") {
                            format!("{STILL_REFERENCED} ({constraint})")
                        } else {
                            format!("{cols} refers to a row that does not exist")
                        };
                        QuiverError::ForeignKey { constraint, message }
                    }
                    DatabaseErrorKind::CheckViolation => {
                        QuiverError::BadInput(format!("the value violates the check constraint {constraint}"))
                    }
                    DatabaseErrorKind::NotNullViolation => {
                        QuiverError::BadInput(format!("{} must not be null", info.column_name().unwrap_or("a required column")))
                    }
                    _ => classify_message(info.message()).unwrap_or_else(|| QuiverError::Internal(format!("{kind:?}: {}", info.message()))),
                }
            }
            DieselError::NotFound => QuiverError::Internal("unexpected empty result".into()),
            other => QuiverError::Internal(other.to_string()),
        }
    }
}

/// Data errors (SQLSTATE class 22) that diesel reports as `Unknown`: the input
/// was of the right GraphQL type but out of the column's range or format.
fn classify_message(message: &str) -> Option<QuiverError> {
    const INPUT_ERRORS: &[&str] = &[
        "invalid input syntax",
        "invalid cidr value",
        "invalid byte sequence",
        "unsupported Unicode escape sequence",
        "out of range",
        "value too long",
        "invalid input value",
        "date/time field value",
        "numeric field overflow",
        "time zone",
    ];
    INPUT_ERRORS.iter().any(|p| message.contains(p)).then(|| QuiverError::BadInput(message.to_string()))
}

/// Result alias for library code.
pub type Result<T, E = QuiverError> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_columns_reads_postgres_details() {
        assert_eq!(key_columns(Some("Key (team_id, user_id)=(1, 2) already exists.")), vec!["team_id", "user_id"]);
        assert_eq!(key_columns(Some("Key (\"userId\")=(x) is not present")), vec!["userId"]);
        assert!(key_columns(None).is_empty());
    }
}
