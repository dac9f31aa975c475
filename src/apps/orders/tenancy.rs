//! Who an orders request acts for: the signed-in user's tenant and active
//! roles, and the tenant's IP allow-list, resolved in one statement per request.
//!
//! A JWT's `sub` is an `orders.users.id`; an inactive or unknown user, or a
//! user of an inactive tenant, has no tenant and so sees no tenant rows. An
//! API key already names its tenant; a key of an inactive tenant is refused
//! (`UNAUTHENTICATED`), on HTTP and on open connections alike.
//! When the tenant has active `ip_allowlist` entries, a request from any
//! other address is refused with `FORBIDDEN`.

use crate::auth::{Principal, Role};
use crate::catalog::App;
use crate::db::Db;
use crate::error::QuiverError;
use crate::sql::{Bind, Sql};

fn is_uuid(s: &str) -> bool {
    uuid::Uuid::parse_str(s).is_ok()
}

/// [`resolve`] as the app's principal hook.
pub fn resolver<'a>(db: &'a Db, app: &'static App, who: Principal) -> futures_util::future::BoxFuture<'a, Result<Principal, QuiverError>> {
    Box::pin(resolve(db, app, who))
}

/// Fills in the tenant and app roles of `who` and enforces the allow-list
/// (the tables are read in the app's schema).
pub async fn resolve(db: &Db, app: &App, mut who: Principal) -> Result<Principal, QuiverError> {
    if who.role != Role::Authenticated {
        return Ok(who);
    }
    let [tenants, users, allowlist, user_roles, roles] =
        ["tenants", "users", "ip_allowlist", "user_roles", "roles"].map(|t| app.qualified(t));
    let mut sql = Sql::default();
    sql.push("WITH who AS (");
    match (&who.tenant, &who.user_id) {
        (Some(tenant), _) if is_uuid(tenant) => {
            sql.push(&format!(
                "SELECT t.id AS tenant_id, NULL::uuid AS user_id FROM {tenants} t WHERE t.is_active IS NOT FALSE AND t.id = "
            ));
            sql.bind(Bind::Text(Some(tenant.clone())), "uuid");
        }
        (None, Some(user)) if is_uuid(user) => {
            sql.push(&format!("SELECT u.tenant_id, u.id AS user_id FROM {users} u JOIN {tenants} t ON t.id = u.tenant_id AND t.is_active IS NOT FALSE WHERE u.is_active IS NOT FALSE AND u.id = "));
            sql.bind(Bind::Text(Some(user.clone())), "uuid");
        }
        // No orders user or tenant can be meant.
        _ => return Ok(who),
    }
    sql.push(") SELECT w.tenant_id::text, (");
    // Allowed: no active entry, or the address is in one.
    sql.push(&format!("NOT EXISTS (SELECT 1 FROM {allowlist} a WHERE a.tenant_id = w.tenant_id AND a.is_active IS NOT FALSE) OR EXISTS (SELECT 1 FROM {allowlist} a WHERE a.tenant_id = w.tenant_id AND a.is_active IS NOT FALSE AND "));
    sql.bind(Bind::Text(who.client_ip.map(|ip| ip.to_string())), "inet");
    sql.push(" <<= a.ip_address)), ");
    sql.push(&format!("to_json(ARRAY(SELECT lower(r.name) FROM {user_roles} ur JOIN {roles} r ON r.id = ur.role_id WHERE ur.user_id = w.user_id AND ur.tenant_id = w.tenant_id AND ur.is_active IS NOT FALSE AND r.is_active IS NOT FALSE)) FROM who w"));
    let rows = db.fetch(sql).await?;
    let Some(row) = rows.first() else {
        // A key acting for a tenant that is no longer active stands for nobody.
        if who.tenant.is_some() {
            return Err(QuiverError::Unauthenticated("the API key's tenant has been deactivated".into()));
        }
        // Unknown or inactive: signed in, but no tenant's rows are theirs.
        return Ok(who);
    };
    let (tenant, allowed) = (row.text(0)?, row.flag(1)?);
    let roles: Vec<String> = serde_json::from_value(row.json(2)?).map_err(|e| QuiverError::Internal(format!("tenant lookup: {e}")))?;
    if !allowed {
        return Err(QuiverError::Forbidden("this tenant only accepts requests from its allow-listed networks".into()));
    }
    who.tenant = tenant;
    who.app_roles = roles;
    Ok(who)
}
