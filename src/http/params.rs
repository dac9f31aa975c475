//! GraphQL-over-HTTP request parameters: what a POST body or a GET query
//! string asks for, checked before anything executes.
//!
//! - POST needs a `Content-Type`: `application/json` (one request object or a
//!   batch array) or `application/graphql` (the body is the document). Others,
//!   and none, are 415 (a form or `text/plain` post is how a cross-site page
//!   would send a request without a CORS preflight).
//! - GET takes `query`, `operationName`, `variables` and `extensions` (the last
//!   two as JSON) from the query string and runs queries only: a mutation or
//!   subscription is 405 with `Allow: POST`.
//! - A request object must carry a string `query`, or a persisted query hash
//!   ([`super::persisted`]), which is resolved here.
//! - Subscriptions run over the WebSocket only: one sent over HTTP is a
//!   request error (`BAD_USER_INPUT`) saying so.

use async_graphql::parser::types::OperationType;
use async_graphql::BatchRequest;
use axum::http::{header, HeaderMap, Method, StatusCode, Uri};
use serde_json::Value;

use super::persisted::{PersistedError, PersistedQueries};
use crate::error::code;

/// A request refused before execution.
#[derive(Debug)]
pub struct Refusal {
    /// The HTTP status, or `None` for a GraphQL request error (400 under
    /// `application/graphql-response+json`, 200 under `application/json`).
    pub status: Option<StatusCode>,
    /// The error's message.
    pub message: String,
    /// Its `extensions.code`.
    pub code: &'static str,
}

impl Refusal {
    fn http(status: StatusCode, message: impl Into<String>, code: &'static str) -> Self {
        Refusal { status: Some(status), message: message.into(), code }
    }

    fn body(message: impl Into<String>) -> Self {
        Self::http(StatusCode::BAD_REQUEST, format!("invalid GraphQL request body: {}", message.into()), code::GRAPHQL_PARSE_FAILED)
    }
}

impl From<PersistedError> for Refusal {
    fn from(e: PersistedError) -> Self {
        let code = match e {
            PersistedError::NotFound => code::PERSISTED_QUERY_NOT_FOUND,
            _ => code::BAD_USER_INPUT,
        };
        Refusal { status: None, message: e.to_string(), code }
    }
}

/// Whether a GET request asks for GraphQL (rather than the GraphiQL page): it
/// has a `query` or `extensions` parameter and does not prefer HTML.
pub fn is_graphql_get(headers: &HeaderMap, uri: &Uri) -> bool {
    let wants_html = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()).is_some_and(|a| a.contains("text/html"));
    let asks = uri.query().is_some_and(|q| q.split('&').any(|p| matches!(p.split('=').next(), Some("query" | "extensions"))));
    asks && !wants_html
}

/// The request(s) of a GraphQL-over-HTTP request (`method` GET or POST),
/// their persisted queries resolved.
pub fn parse(method: &Method, uri: &Uri, headers: &HeaderMap, body: &[u8], persisted: &PersistedQueries) -> Result<BatchRequest, Refusal> {
    if method == Method::GET {
        let mut request = from_query_string(uri)?;
        persisted.resolve(&mut request)?;
        if operation_type(&request).is_some_and(|t| t != OperationType::Query) {
            return Err(Refusal::http(
                StatusCode::METHOD_NOT_ALLOWED,
                "a GET request may only run a query; send mutations and subscriptions with POST",
                code::BAD_USER_INPUT,
            ));
        }
        return Ok(BatchRequest::Single(request));
    }
    let content_type = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).map(str::to_ascii_lowercase);
    let media = content_type.as_deref().map(|c| c.split(';').next().unwrap_or("").trim());
    let mut batch = match media {
        Some("application/graphql") => {
            let query = std::str::from_utf8(body).map_err(|_| Refusal::body("the body is not UTF-8"))?;
            BatchRequest::Single(async_graphql::Request::new(query))
        }
        Some("application/json") => from_json(body)?,
        other => {
            let what = other.map_or("no Content-Type".to_string(), |m| format!("Content-Type {m:?}"));
            return Err(Refusal::http(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                format!("{what}: send application/json (or application/graphql)"),
                code::GRAPHQL_PARSE_FAILED,
            ));
        }
    };
    for request in batch.iter_mut() {
        persisted.resolve(request)?;
        // (Only a document that mentions the word is parsed here.)
        if request.query.contains("subscription") && operation_type(request) == Some(OperationType::Subscription) {
            return Err(Refusal {
                status: None,
                message: "subscriptions run over the WebSocket at <endpoint>/ws (graphql-transport-ws), not over HTTP".into(),
                code: code::BAD_USER_INPUT,
            });
        }
    }
    Ok(batch)
}

/// A JSON body: one request object or an array of them.
fn from_json(body: &[u8]) -> Result<BatchRequest, Refusal> {
    let value: Value = serde_json::from_slice(body).map_err(|e| Refusal::body(e.to_string()))?;
    match value {
        Value::Array(items) if items.is_empty() => Err(Refusal::body("an empty batch")),
        Value::Array(items) => {
            Ok(BatchRequest::Batch(items.into_iter().map(request_object).collect::<Result<_, _>>().map_err(Refusal::body)?))
        }
        object => Ok(BatchRequest::Single(request_object(object).map_err(Refusal::body)?)),
    }
}

/// One request object: `query` a string (absent only with a persisted query).
fn request_object(value: Value) -> Result<async_graphql::Request, String> {
    let Value::Object(map) = &value else { return Err("expected an object or an array of objects".into()) };
    let persisted = map.get("extensions").and_then(|e| e.get("persistedQuery")).is_some();
    match map.get("query") {
        Some(Value::String(_)) => {}
        None | Some(Value::Null) if persisted => {}
        None | Some(Value::Null) => return Err("there is no `query`".into()),
        Some(_) => return Err("`query` must be a string".into()),
    }
    serde_json::from_value(value).map_err(|e| e.to_string())
}

/// A GET request's parameters; `variables` and `extensions` are JSON text.
fn from_query_string(uri: &Uri) -> Result<async_graphql::Request, Refusal> {
    #[derive(serde::Deserialize)]
    struct Params {
        query: Option<String>,
        #[serde(rename = "operationName")]
        operation_name: Option<String>,
        variables: Option<String>,
        extensions: Option<String>,
    }
    let bad = |what: String| Refusal::http(StatusCode::BAD_REQUEST, format!("invalid GraphQL request: {what}"), code::GRAPHQL_PARSE_FAILED);
    let params = axum::extract::Query::<Params>::try_from_uri(uri).map_err(|e| bad(e.body_text()))?.0;
    let json = |name: &str, text: Option<String>| -> Result<Value, Refusal> {
        match text.as_deref().map(str::trim) {
            None | Some("") => Ok(Value::Null),
            Some(t) => serde_json::from_str(t).map_err(|e| bad(format!("`{name}` is not JSON: {e}"))),
        }
    };
    let object = serde_json::json!({
        "query": params.query,
        "operationName": params.operation_name,
        "variables": json("variables", params.variables)?,
        "extensions": json("extensions", params.extensions)?,
    });
    let mut map = match object {
        Value::Object(m) => m,
        _ => unreachable!("a JSON object literal"),
    };
    map.retain(|_, v| !v.is_null());
    request_object(Value::Object(map)).map_err(bad)
}

/// The type of the request's chosen operation; `None` for a document that
/// does not parse or names no operation it has (the executor then reports
/// the problem as usual).
fn operation_type(request: &async_graphql::Request) -> Option<OperationType> {
    use async_graphql::parser::types::DocumentOperations;
    let doc = async_graphql::parser::parse_query(&request.query).ok()?;
    match (&doc.operations, request.operation_name.as_deref()) {
        (DocumentOperations::Single(op), _) => Some(op.node.ty),
        (DocumentOperations::Multiple(ops), Some(name)) => ops.get(name).map(|op| op.node.ty),
        (DocumentOperations::Multiple(ops), None) if ops.len() == 1 => ops.values().next().map(|op| op.node.ty),
        (DocumentOperations::Multiple(_), None) => None,
    }
}
