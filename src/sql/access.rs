//! Row rules compiled to SQL.
//!
//! Every statement Quiver generates for a caller carries the table's rule
//! (see [`crate::catalog::Rule`]) as a predicate over the row alias, with the
//! caller's claims bound as parameters: root lists, lookups by key, relation
//! pages, counts, the targets of filters across relations, and the before and
//! after images of writes. A row the caller may not read is simply absent,
//! exactly like a row that does not exist.
//!
//! Why predicates built by Quiver rather than PostgreSQL row-level security:
//! they keep one statement per relation level (no per-request `SET ROLE` and
//! claim settings), the same compiler checks change events against the row
//! image for subscriptions, and the rules sit in the table declaration.

use super::{Bind, Sql};
pub use crate::catalog::Mode;
use crate::catalog::{App, Membership, Principal, Role, Rule, Table};

/// The rule of `table` for `mode`.
pub fn rule_of(table: &Table, mode: Mode) -> Rule {
    match mode {
        Mode::Read => table.access.read,
        Mode::Write => table.access.write,
    }
}

/// Appends ` AND <rule>` for rows of `table` aliased `alias`; nothing for the service role.
pub fn and_guard(sql: &mut Sql, app: &App, table: &Table, alias: &str, mode: Mode, who: &Principal) {
    if who.is_service() {
        return;
    }
    sql.push(" AND ");
    guard(sql, app, table, alias, mode, who);
}

/// Appends the rule of `table` for `mode` as a predicate (`TRUE` for the service role).
pub fn guard(sql: &mut Sql, app: &App, table: &Table, alias: &str, mode: Mode, who: &Principal) {
    if who.is_service() {
        sql.push("TRUE");
        return;
    }
    checked_rule(sql, app, table, alias, mode, who);
}

/// Appends the rule of `table` for `mode` alone (`TRUE` for the service role):
/// ownership, not access, so API-key grants do not apply (as for [`Rule::Via`]).
pub fn rule_alone(sql: &mut Sql, app: &App, table: &Table, alias: &str, mode: Mode, who: &Principal) {
    if who.is_service() {
        sql.push("TRUE");
        return;
    }
    render(sql, app, table, alias, mode, &rule_of(table, mode), who, None);
}

/// Like [`guard`], as the rule stood before the commit `txid` (PostgreSQL's
/// `xid8`, as text) deleted rows: a [`Rule::Member`] or [`Rule::Via`] also
/// holds through membership or parent rows that commit deleted, read back
/// from the outbox. For DELETE events: whoever could read a row before its
/// deletion still can when the same transaction (a cascade) removed the
/// membership that granted it.
pub fn guard_before_commit(sql: &mut Sql, app: &App, table: &Table, alias: &str, mode: Mode, who: &Principal, txid: &str) {
    if who.is_service() {
        sql.push("TRUE");
        return;
    }
    if !who.may(table, mode) {
        sql.push("FALSE");
        return;
    }
    render(sql, app, table, alias, mode, &rule_of(table, mode), who, Some(txid));
}

/// Appends `EXISTS (SELECT 1 FROM quiver.changes <d> … WHERE <d> is a
/// DELETE of `table` in commit `txid` AND ` and returns `<d>`; the caller
/// completes the condition on `<d>.old_row` and closes the parenthesis.
fn deleted_in(sql: &mut Sql, app: &App, table: &Table, txid: &str) -> String {
    let d = sql.alias();
    sql.push("EXISTS (SELECT 1 FROM quiver.changes ").push(&d).push(" WHERE ");
    deleted_by(sql, app, table, txid, &d);
    sql.push(" AND ");
    d
}

/// Appends the condition that outbox row `d` is a DELETE of `table` in commit `txid`.
fn deleted_by(sql: &mut Sql, app: &App, table: &Table, txid: &str, d: &str) {
    sql.push(d).push(".txid = ");
    sql.bind(Bind::Text(Some(txid.to_string())), "xid8");
    sql.push(" AND ").push(d).push(".app = ").bind(Bind::Text(Some(app.schema.to_string())), "text");
    sql.push(" AND ").push(d).push(".table_name = ").bind(Bind::Text(Some(table.name.to_string())), "text");
    sql.push(" AND ").push(d).push(".op = 'DELETE'");
}

/// Appends ` AND <rule>` for a rule of its own (a column's write rule, see
/// [`crate::catalog::ColumnWrite::When`]); nothing for the service role.
pub fn and_rule(sql: &mut Sql, app: &App, table: &Table, alias: &str, rule: &Rule, who: &Principal) {
    if who.is_service() {
        return;
    }
    sql.push(" AND ");
    render(sql, app, table, alias, Mode::Write, rule, who, None);
}

/// The rule of `table`, or `FALSE` when the caller's API-key permissions do not cover it.
fn checked_rule(sql: &mut Sql, app: &App, table: &Table, alias: &str, mode: Mode, who: &Principal) {
    if !who.may(table, mode) {
        sql.push("FALSE");
        return;
    }
    render(sql, app, table, alias, mode, &rule_of(table, mode), who, None);
}

/// `before`: the commit whose deletions count as still present ([`guard_before_commit`]).
#[allow(clippy::too_many_arguments)]
fn render(sql: &mut Sql, app: &App, table: &Table, alias: &str, mode: Mode, rule: &Rule, who: &Principal, before: Option<&str>) {
    let signed_in = who.role != Role::Anon;
    match rule {
        Rule::Public => {
            sql.push("TRUE");
        }
        Rule::SignedIn => {
            sql.push(if signed_in { "TRUE" } else { "FALSE" });
        }
        Rule::ServiceOnly => {
            sql.push("FALSE");
        }
        Rule::AppRole(r) => {
            sql.push(if signed_in && who.has_app_role(r) { "TRUE" } else { "FALSE" });
        }
        Rule::AskedForDeleted => {
            sql.push(if who.include_deleted { "TRUE" } else { "FALSE" });
        }
        Rule::Owner(c) | Rule::Tenant(c) => {
            let value = if matches!(rule, Rule::Owner(_)) { &who.user_id } else { &who.tenant };
            let (_, col) = table.column(c).expect("validated: rule column exists");
            match value.as_ref().filter(|v| signed_in && fits(&col.ty, v)) {
                None => sql.push("FALSE"),
                Some(v) => sql.column(alias, c).push(" = ").bind(Bind::Text(Some(v.clone())), col.ty.sql_cast()),
            };
        }
        Rule::IsTrue(c) => {
            sql.column(alias, c).push(" IS TRUE");
        }
        Rule::IsNull(c) => {
            sql.column(alias, c).push(" IS NULL");
        }
        Rule::OneOf(c, values) => {
            // Never NULL: a verdict `NOT (<rule>)` must not pass a NULL column.
            sql.push("COALESCE(").column(alias, c).push("::text = ANY(");
            sql.bind(Bind::Array(values.iter().map(|v| Some(v.to_string())).collect()), "text[]");
            sql.push("), FALSE)");
        }
        Rule::SharesGroup(m) => {
            let Some((mt, user_col, user)) = member_claim(app, m, who) else {
                sql.push("FALSE");
                return;
            };
            // Memberships as text (g, u, r), with those `before` deleted still counting.
            let (theirs, mine) = (sql.alias(), sql.alias());
            sql.push("EXISTS (SELECT 1 FROM ");
            memberships(sql, app, mt, m, before);
            sql.push(" ").push(&theirs).push(" JOIN ");
            memberships(sql, app, mt, m, before);
            sql.push(" ").push(&mine).push(" ON ").push(&mine).push(".g = ").push(&theirs).push(".g WHERE ");
            sql.push(&theirs).push(".u = ").column(alias, m.column).push("::text AND ").push(&mine).push(".u = ");
            let user = if matches!(user_col.ty, crate::catalog::ColumnType::Uuid) { user.to_ascii_lowercase() } else { user.clone() };
            sql.bind(Bind::Text(Some(user)), "text");
            if let Some((_, roles)) = m.roles {
                sql.push(" AND ").push(&mine).push(".r = ANY(");
                sql.bind(Bind::Array(roles.iter().map(|r| Some(r.to_string())).collect()), "text[]");
                sql.push(")");
            }
            sql.push(")");
        }
        Rule::TenantJson(c, key) => match who.tenant.as_ref().filter(|_| signed_in) {
            None => {
                sql.push("FALSE");
            }
            Some(tenant) => {
                sql.push("(").column(alias, c).push(" ->> ").bind(Bind::Text(Some(key.to_string())), "text");
                sql.push(") = ").bind(Bind::Text(Some(tenant.clone())), "text");
            }
        },
        Rule::Member(m) => {
            let Some((mt, user_col, user)) = member_claim(app, m, who) else {
                sql.push("FALSE");
                return;
            };
            {
                let inner = sql.alias();
                sql.push(if before.is_some() { "(EXISTS (SELECT 1 FROM " } else { "EXISTS (SELECT 1 FROM " })
                    .table(app, mt)
                    .push(" ")
                    .push(&inner)
                    .push(" WHERE ");
                sql.column(&inner, m.group).push(" = ").column(alias, m.column).push(" AND ");
                sql.column(&inner, m.user).push(" = ").bind(Bind::Text(Some(user.clone())), user_col.ty.sql_cast());
                if let Some((role_col, roles)) = m.roles {
                    sql.push(" AND ").column(&inner, role_col).push("::text = ANY(");
                    sql.bind(Bind::Array(roles.iter().map(|r| Some(r.to_string())).collect()), "text[]");
                    sql.push(")");
                }
                sql.push(")");
                if let Some(txid) = before {
                    // Or a membership the commit deleted (as text: the outbox holds JSON).
                    sql.push(" OR ");
                    let d = deleted_in(sql, app, mt, txid);
                    let field = |sql: &mut Sql, column: &str| {
                        sql.push("(").push(&d).push(".old_row ->> ").bind(Bind::Text(Some(column.to_string())), "text").push(")");
                    };
                    field(sql, m.group);
                    sql.push(" = ").column(alias, m.column).push("::text AND ");
                    field(sql, m.user);
                    let user =
                        if matches!(user_col.ty, crate::catalog::ColumnType::Uuid) { user.to_ascii_lowercase() } else { user.clone() };
                    sql.push(" = ").bind(Bind::Text(Some(user)), "text");
                    if let Some((role_col, roles)) = m.roles {
                        sql.push(" AND ");
                        field(sql, role_col);
                        sql.push(" = ANY(").bind(Bind::Array(roles.iter().map(|r| Some(r.to_string())).collect()), "text[]").push(")");
                    }
                    sql.push("))");
                }
            }
        }
        Rule::Via(c) => {
            let fk = table.belongs_to.iter().find(|f| f.column == *c).expect("validated: Via has a foreign key");
            let target = app.table(fk.target).expect("validated: fk target exists");
            let inner = sql.alias();
            sql.push(if before.is_some() { "(EXISTS (SELECT 1 FROM " } else { "EXISTS (SELECT 1 FROM " })
                .table(app, target)
                .push(" ")
                .push(&inner)
                .push(" WHERE ");
            sql.column(&inner, target.key).push(" = ").column(alias, c).push(" AND ");
            // Ownership of the parent, not access to it: API-key grants do not apply here.
            render(sql, app, target, &inner, mode, &rule_of(target, mode), who, before);
            sql.push(")");
            if let Some(txid) = before {
                // Or the parent as it was when the commit deleted it.
                sql.push(" OR ");
                let d = deleted_in(sql, app, target, txid);
                let parent = sql.alias();
                sql.push("EXISTS (SELECT 1 FROM jsonb_populate_record(NULL::").table(app, target).push(", ").push(&d).push(".old_row) ");
                sql.push(&parent).push(" WHERE ").column(&parent, target.key).push(" = ").column(alias, c).push(" AND ");
                render(sql, app, target, &parent, mode, &rule_of(target, mode), who, before);
                sql.push(")))");
            }
        }
        Rule::AnyOf(rules) | Rule::AllOf(rules) => {
            let (joiner, empty) = if matches!(rule, Rule::AnyOf(_)) { (" OR ", "FALSE") } else { (" AND ", "TRUE") };
            if rules.is_empty() {
                sql.push(empty);
                return;
            }
            sql.push("(");
            for (i, r) in rules.iter().enumerate() {
                if i > 0 {
                    sql.push(joiner);
                }
                render(sql, app, table, alias, mode, r, who, before);
            }
            sql.push(")");
        }
    }
}

/// The membership table of `m`, its user column and the caller's user id,
/// when the caller is signed in with an id that column can hold.
fn member_claim<'a>(
    app: &App,
    m: &Membership,
    who: &'a Principal,
) -> Option<(&'static Table, &'static crate::catalog::Column, &'a String)> {
    let mt = app.table(m.table).expect("validated: membership table exists");
    let (_, user_col) = mt.column(m.user).expect("validated");
    let user = who.user_id.as_ref().filter(|v| who.role != Role::Anon && fits(&user_col.ty, v))?;
    Some((mt, user_col, user))
}

/// Appends the rows of membership table `mt` as text columns `g` (group), `u`
/// (user) and `r` (role, or NULL), in parentheses; with `before`, the
/// memberships that commit deleted are included (read back from the outbox).
fn memberships(sql: &mut Sql, app: &App, mt: &Table, m: &Membership, before: Option<&str>) {
    let row = sql.alias();
    sql.push("(SELECT ").column(&row, m.group).push("::text AS g, ").column(&row, m.user).push("::text AS u, ");
    match m.roles {
        Some((role, _)) => sql.column(&row, role).push("::text AS r"),
        None => sql.push("NULL::text AS r"),
    };
    sql.push(" FROM ").table(app, mt).push(" ").push(&row);
    if let Some(txid) = before {
        let d = sql.alias();
        sql.push(" UNION ALL SELECT ");
        let field = |sql: &mut Sql, column: Option<&str>, name: &str| {
            match column {
                Some(c) => sql.push(&d).push(".old_row ->> ").bind(Bind::Text(Some(c.to_string())), "text"),
                None => sql.push("NULL::text"),
            };
            sql.push(" AS ").push(name);
        };
        field(sql, Some(m.group), "g");
        sql.push(", ");
        field(sql, Some(m.user), "u");
        sql.push(", ");
        field(sql, m.roles.map(|r| r.0), "r");
        sql.push(" FROM quiver.changes ").push(&d).push(" WHERE ");
        deleted_by(sql, app, mt, txid, &d);
    }
    sql.push(")");
}

/// Whether a claim can be compared with a column of type `ty` at all (a
/// non-UUID user id never equals a UUID column; binding it would fail).
fn fits(ty: &crate::catalog::ColumnType, value: &str) -> bool {
    !matches!(ty, crate::catalog::ColumnType::Uuid) || uuid::Uuid::parse_str(value).is_ok()
}

/// Decides a rule from the row image alone where that is possible: `Some`
/// when no other table needs to be consulted, `None` when the database must
/// answer ([`Rule::Member`] for a signed-in user, [`Rule::Via`] always). `text(column)` gives the row's
/// value of a column as text.
pub fn decide_locally(table: &Table, mode: Mode, who: &Principal, text: &dyn Fn(&str) -> Option<String>) -> Option<bool> {
    if who.is_service() {
        return Some(true);
    }
    if !who.may(table, mode) {
        return Some(false);
    }
    decide_with(&rule_of(table, mode), who, &|c| Some(text(c)))
}

/// Decides `rule` for `who` from what is known of a row: `known(column)` is
/// `Some(value)` for a column whose value is known (`Some(None)` for NULL) and
/// `None` for one that is not (a column the database fills in on create).
/// `Some` when that suffices, `None` when the database must answer
/// ([`Rule::Member`] for a signed-in user, [`Rule::Via`] always, or a rule on
/// an unknown column).
pub fn decide_with(rule: &Rule, who: &Principal, known: &dyn Fn(&str) -> Option<Option<String>>) -> Option<bool> {
    let signed_in = who.role != Role::Anon;
    let equals = |c: &str, mine: &Option<String>| -> Option<bool> {
        if !signed_in || mine.is_none() {
            return Some(false);
        }
        known(c).map(|v| v == *mine)
    };
    let any = |rules: &[Rule], wanted: bool| -> Option<bool> {
        // AnyOf stops at the first true, AllOf at the first false; an unknown
        // one leaves the answer unknown unless another decides it.
        let mut unknown = false;
        for r in rules {
            match decide_with(r, who, known) {
                Some(v) if v == wanted => return Some(wanted),
                None => unknown = true,
                Some(_) => {}
            }
        }
        if unknown {
            None
        } else {
            Some(!wanted)
        }
    };
    match rule {
        Rule::Public => Some(true),
        Rule::SignedIn => Some(signed_in),
        Rule::ServiceOnly => Some(false),
        Rule::AppRole(r) => Some(signed_in && who.has_app_role(r)),
        Rule::AskedForDeleted => Some(who.include_deleted),
        Rule::Owner(c) => equals(c, &who.user_id),
        Rule::Tenant(c) => equals(c, &who.tenant),
        Rule::IsTrue(c) => known(c).map(|v| v.as_deref() == Some("true")),
        Rule::IsNull(c) => known(c).map(|v| v.is_none()),
        Rule::OneOf(c, values) => known(c).map(|v| v.is_some_and(|v| values.contains(&v.as_str()))),
        Rule::TenantJson(c, key) => {
            if !signed_in || who.tenant.is_none() {
                return Some(false);
            }
            known(c).map(|j| {
                j.and_then(|j| serde_json::from_str::<serde_json::Value>(&j).ok())
                    .and_then(|v| v.get(*key).and_then(|t| t.as_str().map(str::to_string)))
                    == who.tenant
            })
        }
        Rule::Member(_) | Rule::SharesGroup(_) => {
            if signed_in && who.user_id.is_some() {
                None
            } else {
                Some(false)
            }
        }
        // The referenced row's rule may need no user id (a tenant's API key,
        // a public parent): the database decides.
        Rule::Via(_) => None,
        Rule::AnyOf(rules) => any(rules, true),
        Rule::AllOf(rules) => any(rules, false),
    }
}

/// One statement deciding the rule of `table` for a row image (a JSON object
/// keyed by column name): `SELECT <rule> FROM jsonb_populate_record(...)`. Its
/// one result row's one column is the verdict.
pub fn check_image(app: &App, table: &Table, mode: Mode, who: &Principal, image: &serde_json::Value) -> Sql {
    let mut sql = Sql::default();
    let t = sql.alias();
    sql.push("SELECT (");
    guard(&mut sql, app, table, &t, mode, who);
    sql.push(") FROM jsonb_populate_record(NULL::").table(app, table).push(", ");
    sql.bind(Bind::Text(Some(image.to_string())), "jsonb");
    sql.push(") ").push(&t);
    sql
}
