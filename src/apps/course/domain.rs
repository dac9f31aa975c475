//! Course domain logic beyond generated CRUD: redeeming a signup code.
//!
//! `redeemSignupCode(code)` marks the code used by the signed-in user
//! (`used_by`, `used_at`) with one conditional `UPDATE`: only a code that is
//! unused and not expired matches. Two concurrent redemptions of one code
//! both reach the row; the second waits for the first's row lock, then
//! re-checks the condition on the committed row, finds it used and matches
//! nothing — so exactly one wins. When nothing matched, one read says why,
//! each reason with its own code:
//!
//! | reason | `extensions.code` |
//! |---|---|
//! | no such code | `NOT_FOUND` |
//! | expired (`expires_at` passed) | `BAD_USER_INPUT` ("the signup code has expired") |
//! | already used | `CONFLICT` ("the signup code has already been used") |
//!
//! The caller needs to know the code, not to read the row (codes are
//! admin-only to read); the result is the redeemed code, which its redeemer
//! may read.

use std::sync::Arc;

use async_graphql::dynamic::{Field, FieldFuture, FieldValue, InputValue, TypeRef};
use async_graphql::ErrorExtensions;
use diesel::sql_types::{Bool, Text};
use diesel::{OptionalExtension, QueryableByName};
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use super::structure;
use crate::auth::Role;
use crate::catalog::Principal;
use crate::error::{code, QuiverError};
use crate::graphql::domain::in_transaction;
use crate::graphql::AppContext;

/// Why a code could not be redeemed.
#[derive(Debug, thiserror::Error)]
pub enum RedeemError {
    /// No code with that text.
    #[error("no signup code {0:?}")]
    Unknown(String),
    /// Its `expires_at` has passed.
    #[error("the signup code has expired")]
    Expired,
    /// Someone (maybe the caller) already redeemed it.
    #[error("the signup code has already been used")]
    Used,
}

impl RedeemError {
    /// The GraphQL error: `NOT_FOUND`, `BAD_USER_INPUT` or `CONFLICT`.
    pub fn extend(&self) -> async_graphql::Error {
        let with_code = |c: &'static str| async_graphql::Error::new(self.to_string()).extend_with(move |_, e| e.set("code", c));
        match self {
            RedeemError::Unknown(_) => with_code(code::NOT_FOUND),
            RedeemError::Expired => with_code(code::BAD_USER_INPUT),
            RedeemError::Used => with_code(code::CONFLICT),
        }
    }
}

#[derive(QueryableByName)]
struct Id {
    #[diesel(sql_type = Text)]
    id: String,
}

#[derive(QueryableByName)]
struct State {
    #[diesel(sql_type = Bool)]
    used: bool,
    #[diesel(sql_type = Bool)]
    expired: bool,
}

/// Redeems `code` for `user`: the code's id, or why it cannot be redeemed
/// (the outer error is the database's).
async fn redeem_in(conn: &mut AsyncPgConnection, codes: &str, user: &str, code: &str) -> Result<Result<String, RedeemError>, QuiverError> {
    let won: Option<Id> = diesel::sql_query(format!(
        "UPDATE {codes} SET used_by = $2::uuid, used_at = now() \
         WHERE code = $1 AND used_by IS NULL AND used_at IS NULL AND (expires_at IS NULL OR expires_at > now()) \
         RETURNING id::text AS id"
    ))
    .bind::<Text, _>(code)
    .bind::<Text, _>(user)
    .get_result(conn)
    .await
    .optional()?;
    if let Some(won) = won {
        return Ok(Ok(won.id));
    }
    let state: Option<State> = diesel::sql_query(format!(
        "SELECT (used_by IS NOT NULL OR used_at IS NOT NULL) AS used, coalesce(expires_at <= now(), false) AS expired \
         FROM {codes} WHERE code = $1"
    ))
    .bind::<Text, _>(code)
    .get_result(conn)
    .await
    .optional()?;
    Ok(Err(match state {
        None => RedeemError::Unknown(code.to_string()),
        Some(s) if s.used => RedeemError::Used,
        Some(s) if s.expired => RedeemError::Expired,
        // Matched nothing, yet neither used nor expired: only a concurrent
        // change in between can do that; it is someone else's redemption.
        Some(_) => RedeemError::Used,
    }))
}

/// The signed-in user a redemption records, or why there is none.
fn redeemer(who: &Principal) -> Result<&str, QuiverError> {
    match (&who.role, who.user_id.as_deref()) {
        (Role::Authenticated, Some(user)) if uuid::Uuid::parse_str(user).is_ok() => Ok(user),
        _ => Err(QuiverError::Forbidden("redeeming a signup code needs a signed-in user".into())),
    }
}

/// `redeemSignupCode(code: String!): SignupCode!`.
pub fn redeem_signup_code(name: &'static str, ctx: &Arc<AppContext>) -> Field {
    let app = ctx.clone();
    let code_type = ctx.table(&structure::SIGNUP_CODES).type_name();
    Field::new(name, TypeRef::named_nn(code_type), move |rc| {
        let ctx = app.clone();
        FieldFuture::new(async move {
            let run = async {
                let code = rc.args.try_get("code").and_then(|v| v.string().map(str::to_string)).map_err(QuiverError::from)?;
                let who = crate::graphql::caller(rc.ctx);
                let user = redeemer(who)?;
                let codes = ctx.model.app.qualified(structure::SIGNUP_CODES.name);
                match in_transaction(&ctx, who, async |conn| redeem_in(conn, &codes, user, &code).await).await? {
                    Ok(id) => {
                        tracing::info!(user, code_id = %id, "signup code redeemed");
                        Ok::<Result<Option<FieldValue<'static>>, RedeemError>, QuiverError>(Ok(ctx
                            .table(&structure::SIGNUP_CODES)
                            .result(who, &id)
                            .await?))
                    }
                    Err(refused) => Ok(Err(refused)),
                }
            };
            match run.await {
                Ok(Ok(row)) => Ok(row),
                Ok(Err(refused)) => Err(refused.extend()),
                Err(e) => Err(e.extend()),
            }
        })
    })
    .argument(InputValue::new("code", TypeRef::named_nn(TypeRef::STRING)))
    .description(
        "Redeems a signup code for the signed-in user, atomically: NOT_FOUND for an unknown code, \
         BAD_USER_INPUT for an expired one, CONFLICT for one already used.",
    )
}
