//! Gives every error async-graphql raises itself (parse, validation, limits,
//! argument coercion) a stable `extensions.code`, so no error leaves Quiver
//! without one. Errors from Quiver's resolvers already carry theirs.

use std::sync::Arc;

use async_graphql::extensions::{Extension, ExtensionContext, ExtensionFactory, NextParseQuery, NextRequest, NextValidation};
use async_graphql::parser::types::ExecutableDocument;
use async_graphql::{Response, ServerError, ServerResult, ValidationResult, Variables};

use crate::error::code;

/// The extension factory to register on each schema.
pub struct ErrorCodes;

impl ExtensionFactory for ErrorCodes {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(ErrorCodesExtension)
    }
}

struct ErrorCodesExtension;

/// Sets `extensions.code` unless the error already has one.
pub fn with_code(mut e: ServerError, code: &str) -> ServerError {
    let ext = e.extensions.get_or_insert_with(Default::default);
    if ext.get("code").is_none() {
        ext.set("code", code);
    }
    e
}

fn validation_code(e: &ServerError) -> &'static str {
    match e.message.as_str() {
        "Query is nested too deep." => code::QUERY_TOO_DEEP,
        "Query is too complex." => code::QUERY_TOO_COMPLEX,
        m if m.starts_with("Invalid value for argument") || m.contains("Invalid value for variable") || m.contains("expected type") => {
            code::BAD_USER_INPUT
        }
        _ => code::GRAPHQL_VALIDATION_FAILED,
    }
}

#[async_graphql::async_trait::async_trait]
impl Extension for ErrorCodesExtension {
    async fn parse_query(
        &self,
        ctx: &ExtensionContext<'_>,
        query: &str,
        variables: &Variables,
        next: NextParseQuery<'_>,
    ) -> ServerResult<ExecutableDocument> {
        next.run(ctx, query, variables).await.map_err(|e| with_code(e, code::GRAPHQL_PARSE_FAILED))
    }

    async fn validation(
        &self,
        ctx: &ExtensionContext<'_>,
        next: NextValidation<'_>,
    ) -> Result<ValidationResult, Vec<ServerError>> {
        next.run(ctx).await.map_err(|errors| {
            errors.into_iter().map(|e| {
                let c = validation_code(&e);
                with_code(e, c)
            }).collect()
        })
    }

    async fn request(&self, ctx: &ExtensionContext<'_>, next: NextRequest<'_>) -> Response {
        let mut response = next.run(ctx).await;
        // Whatever reaches here without a code was raised by async-graphql while
        // preparing the request: operation selection, variable coercion.
        response.errors = response.errors.into_iter().map(|e| with_code(e, code::BAD_USER_INPUT)).collect();
        response
    }
}
