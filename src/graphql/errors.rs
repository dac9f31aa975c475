//! Gives every error async-graphql raises itself (parse, validation, limits,
//! operation selection, argument coercion) a stable `extensions.code`, so no
//! error leaves Quiver without one. Errors from Quiver's resolvers already
//! carry theirs.
//!
//! This runs once on the finished response rather than as an async-graphql
//! extension: any registered extension wraps every field's resolution, which
//! costs measurably on large responses.

use async_graphql::{Response, ServerError};

use crate::error::code;

/// Sets `extensions.code` unless the error already has one.
pub fn with_code(mut e: ServerError, code: &str) -> ServerError {
    let ext = e.extensions.get_or_insert_with(Default::default);
    if ext.get("code").is_none() {
        ext.set("code", code);
    }
    e
}

/// The code of an error async-graphql raised before or while executing `query`.
fn classify(e: &ServerError, query: &str) -> &'static str {
    let m = e.message.as_str();
    if m == "Query is nested too deep." {
        code::QUERY_TOO_DEEP
    } else if m == "Query is too complex." {
        code::QUERY_TOO_COMPLEX
    } else if !e.path.is_empty() {
        // Raised while resolving a field, without a code: a server fault.
        code::INTERNAL
    } else if async_graphql::parser::parse_query(query).is_err() {
        code::GRAPHQL_PARSE_FAILED
    } else if m.starts_with("Invalid value for argument")
        || m.contains("Invalid value for variable")
        || m.contains("expected type")
        || m.starts_with("Operation name required")
        || m.starts_with("Unknown operation named")
        || m.to_ascii_lowercase().contains("variable")
    {
        code::BAD_USER_INPUT
    } else {
        code::GRAPHQL_VALIDATION_FAILED
    }
}

/// Adds a code to every error of `response` that has none.
pub fn add_codes(mut response: Response, query: &str) -> Response {
    if response.errors.iter().any(|e| e.extensions.as_ref().is_none_or(|x| x.get("code").is_none())) {
        response.errors = response
            .errors
            .into_iter()
            .map(|e| {
                let c = classify(&e, query);
                with_code(e, c)
            })
            .collect();
    }
    response
}

/// The error an operation that panicked answers with: `INTERNAL` and a
/// request id that names the log entry (the panic itself is logged by the
/// panic hook).
pub fn panic_error() -> ServerError {
    let request_id = uuid::Uuid::new_v4().to_string();
    tracing::error!(%request_id, code = code::INTERNAL, "an operation panicked");
    let mut e = ServerError::new("internal error", None);
    let ext = e.extensions.get_or_insert_with(Default::default);
    ext.set("code", code::INTERNAL);
    ext.set("requestId", request_id);
    e
}
