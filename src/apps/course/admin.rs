//! Who a course request acts for: a signed-in user is `admin` when they
//! redeemed a signup code with `is_admin = true`, looked up per request in
//! one statement (the index `idx_signup_codes_used_by_admin` serves it).
//! Nothing else makes an admin: the seed's only hint is `signup_codes.is_admin`.
//! The service role bypasses row rules and needs no app role.

use crate::auth::{Principal, Role};
use crate::catalog::App;
use crate::db::Db;
use crate::error::QuiverError;
use crate::sql::{Bind, Sql};

/// [`resolve`] as the app's principal hook.
pub fn resolver<'a>(db: &'a Db, app: &'static App, who: Principal) -> futures_util::future::BoxFuture<'a, Result<Principal, QuiverError>> {
    Box::pin(resolve(db, app, who))
}

/// Adds the app role `admin` to a signed-in user who redeemed an admin code
/// (`signup_codes` in the app's schema).
pub async fn resolve(db: &Db, app: &App, mut who: Principal) -> Result<Principal, QuiverError> {
    let Some(user) = who.user_id.clone().filter(|u| who.role == Role::Authenticated && uuid::Uuid::parse_str(u).is_ok()) else {
        return Ok(who);
    };
    let mut sql = Sql::default();
    sql.push(&format!("SELECT EXISTS (SELECT 1 FROM {} WHERE is_admin AND used_by = ", app.qualified("signup_codes")));
    sql.bind(Bind::Text(Some(user)), "uuid");
    sql.push(")");
    let rows = db.fetch(sql).await?;
    if rows.first().map(|r| r.flag(0)).transpose()?.unwrap_or(false) {
        who.app_roles.push("admin".into());
    }
    Ok(who)
}
