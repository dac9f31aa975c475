//! Writes: insert, update and delete by key, each one statement returning the
//! row. The write rule is checked on the row before the change (it must match
//! for the row to be touched) and judged for the row after it in the result's
//! tag column ([`VERDICT_OK`], [`VERDICT_FORBIDDEN`], or the name of a foreign
//! key column the writer set to a row they may not read): the caller rolls
//! back unless it is OK (e.g. a row moved to someone else's team, or an order
//! pointing at another tenant's customer).

use super::access::{and_guard, and_rule, guard, rule_alone, Mode};
use super::{key_equals, push_columns, Bind, KeyText, Sql};
use crate::catalog::Principal;
use crate::catalog::{App, ColumnWrite, Rule, Table};

/// A column value to write: column index and its text (`None` for NULL).
pub type Assignment = (usize, Option<String>);

/// The verdict of a write whose new row passes every check.
pub const VERDICT_OK: &str = "ok";
/// The verdict of a write whose new row breaks the write rule.
pub const VERDICT_FORBIDDEN: &str = "forbidden";

/// The column rules ([`ColumnWrite::When`]) of the columns `values` set.
fn column_conditions<'a>(table: &'a Table, values: &'a [Assignment]) -> impl Iterator<Item = Rule> + 'a {
    values.iter().filter_map(|(c, _)| match table.column_rule(table.columns[*c].name) {
        Some(ColumnWrite::When(rule)) => Some(rule),
        _ => None,
    })
}

/// `WITH w AS (<write> RETURNING *) SELECT <verdict on the new row>, <columns> FROM w`;
/// `creating` also judges the new row by the rules of the columns it sets.
fn checked(sql: &mut Sql, app: &App, table: &Table, values: &[Assignment], columns: &[usize], who: &Principal, creating: bool) {
    sql.push(" RETURNING *) SELECT ");
    let t = sql.alias();
    verdict(sql, app, table, &t, values, who, creating);
    push_columns(sql, table, &t, columns);
    sql.push(" FROM w ").push(&t);
}

/// `CASE WHEN <a set foreign key names a row the writer may not read> THEN
/// '<column>' ... WHEN NOT <write rule> THEN 'forbidden' ELSE 'ok' END`.
/// References come first: a rule that fails because of the row a reference
/// names (`Via`) must not tell that the row exists.
fn verdict(sql: &mut Sql, app: &App, table: &Table, t: &str, values: &[Assignment], who: &Principal, creating: bool) {
    sql.push("CASE");
    if !who.is_service() {
        for fk in table.belongs_to.iter().filter(|fk| !fk.open) {
            let set = values.iter().any(|(c, v)| v.is_some() && table.columns[*c].name == fk.column);
            if !set {
                continue;
            }
            let target = app.table(fk.target).expect("validated: fk target exists");
            let x = sql.alias();
            sql.push(" WHEN NOT EXISTS (SELECT 1 FROM ").table(app, target).push(" ").push(&x).push(" WHERE ");
            sql.column(&x, target.key).push(" = ").column(t, fk.column).push(" AND ");
            rule_alone(sql, app, target, &x, Mode::Read, who);
            sql.push(") THEN ").bind(Bind::Text(Some(fk.column.to_string())), "text");
        }
    }
    sql.push(" WHEN NOT (");
    guard(sql, app, table, t, Mode::Write, who);
    if creating {
        for rule in column_conditions(table, values) {
            and_rule(sql, app, table, t, &rule, who);
        }
    }
    sql.push(&format!(") THEN '{VERDICT_FORBIDDEN}' ELSE '{VERDICT_OK}' END"));
}

fn bind_value(sql: &mut Sql, table: &Table, (column, value): &Assignment) {
    sql.bind(Bind::Text(value.clone()), table.columns[*column].ty.sql_cast());
}

/// `INSERT ... RETURNING` the new row.
pub fn insert_row(app: &App, table: &Table, values: &[Assignment], columns: &[usize], who: &Principal) -> Sql {
    let mut sql = Sql::default();
    sql.push("WITH w AS (INSERT INTO ").table(app, table);
    insert_values(&mut sql, table, values);
    checked(&mut sql, app, table, values, columns, who, true);
    sql
}

/// The name of the scratch table [`scratch_table`] creates.
const SCRATCH: &str = "quiver_scratch_row";

/// `CREATE TEMP TABLE` like `table` (defaults, identities and generated
/// columns, but no unique key, check or trigger), dropped at commit: where
/// [`insert_verdict`] writes the row a create would write.
pub fn scratch_table(app: &App, table: &Table) -> Sql {
    let mut sql = Sql::default();
    sql.push("CREATE TEMP TABLE ").ident(SCRATCH).push(" (LIKE ").table(app, table);
    sql.push(" INCLUDING DEFAULTS INCLUDING IDENTITY INCLUDING GENERATED) ON COMMIT DROP");
    sql
}

/// The verdict [`insert_row`] would reach on its new row (first column:
/// [`VERDICT_OK`], [`VERDICT_FORBIDDEN`] or an unreadable reference's
/// column), reached on a copy in the [`scratch_table`], where no unique key
/// can answer first. The database's defaults fill in the copy as they would
/// the row; the table's triggers do not run.
pub fn insert_verdict(app: &App, table: &Table, values: &[Assignment], who: &Principal) -> Sql {
    let mut sql = Sql::default();
    sql.push("WITH w AS (INSERT INTO ").ident(SCRATCH);
    insert_values(&mut sql, table, values);
    checked(&mut sql, app, table, values, &[], who, true);
    sql
}

/// The verdict [`update_by_key`] would reach on its new row, without
/// writing: the row as it is (when the caller may change it as asked) with
/// `values` put in, so no unique key can answer first. No row: the update
/// would touch nothing.
pub fn update_verdict(app: &App, table: &Table, key: &str, values: &[Assignment], who: &Principal) -> Sql {
    let mut sql = Sql::default();
    let (t, n) = (sql.alias(), sql.alias());
    sql.push("SELECT ");
    verdict(&mut sql, app, table, &n, values, who, false);
    sql.push(" FROM (SELECT ");
    for (i, column) in table.columns.iter().enumerate() {
        if i > 0 {
            sql.push(", ");
        }
        match values.iter().find(|(c, _)| *c == i) {
            Some(v) => bind_value(&mut sql, table, v),
            None => {
                sql.column(&t, column.name);
            }
        }
        sql.push(" AS ").ident(column.name);
    }
    sql.push(" FROM ").table(app, table).push(" AS ").push(&t);
    where_key(&mut sql, table, &t, key);
    and_guard(&mut sql, app, table, &t, Mode::Write, who);
    for rule in column_conditions(table, values) {
        and_rule(&mut sql, app, table, &t, &rule, who);
    }
    sql.push(") ").push(&n);
    sql
}

/// ` (<columns>) VALUES (<values>)`, or ` DEFAULT VALUES`.
fn insert_values(sql: &mut Sql, table: &Table, values: &[Assignment]) {
    if values.is_empty() {
        sql.push(" DEFAULT VALUES");
    } else {
        sql.push(" (");
        for (i, (c, _)) in values.iter().enumerate() {
            if i > 0 {
                sql.push(", ");
            }
            sql.ident(table.columns[*c].name);
        }
        sql.push(") VALUES (");
        for (i, v) in values.iter().enumerate() {
            if i > 0 {
                sql.push(", ");
            }
            bind_value(sql, table, v);
        }
        sql.push(")");
    }
}

fn where_key(sql: &mut Sql, table: &Table, alias: &str, key: &str) {
    sql.push(" WHERE ");
    key_equals(sql, table, alias, KeyText::Bound(key));
}

/// `UPDATE ... WHERE key = $ RETURNING` the row; no row when the key is
/// unknown, the caller may not write the row or, with `expected` (a version
/// column and the value the caller last saw), when the row has changed since.
/// An empty patch only reads the row.
pub fn update_by_key(
    app: &App,
    table: &Table,
    key: &str,
    values: &[Assignment],
    expected: Option<&Assignment>,
    columns: &[usize],
    who: &Principal,
) -> Sql {
    let mut sql = Sql::default();
    let t = sql.alias();
    if values.is_empty() {
        sql.push(&format!("SELECT '{VERDICT_OK}'"));
        push_columns(&mut sql, table, &t, columns);
        sql.push(" FROM ").table(app, table).push(" ").push(&t);
        where_key(&mut sql, table, &t, key);
        where_version(&mut sql, table, &t, expected);
        and_guard(&mut sql, app, table, &t, Mode::Write, who);
        return sql;
    }
    sql.push("WITH w AS (UPDATE ").table(app, table).push(" AS ").push(&t).push(" SET ");
    for (i, v) in values.iter().enumerate() {
        if i > 0 {
            sql.push(", ");
        }
        sql.ident(table.columns[v.0].name).push(" = ");
        bind_value(&mut sql, table, v);
    }
    where_key(&mut sql, table, &t, key);
    where_version(&mut sql, table, &t, expected);
    and_guard(&mut sql, app, table, &t, Mode::Write, who);
    // The rules of the columns it changes hold for the row as it is.
    for rule in column_conditions(table, values) {
        and_rule(&mut sql, app, table, &t, &rule, who);
    }
    checked(&mut sql, app, table, values, columns, who, false);
    sql
}

/// ` AND version IS NOT DISTINCT FROM $`: concurrent updates re-check it after
/// waiting for the row lock, so of two updates from the same version one wins.
fn where_version(sql: &mut Sql, table: &Table, alias: &str, expected: Option<&Assignment>) {
    if let Some(v) = expected {
        sql.push(" AND ").column(alias, table.columns[v.0].name).push(" IS NOT DISTINCT FROM ");
        bind_value(sql, table, v);
    }
}

/// `DELETE ... WHERE key = $ RETURNING` the deleted row; no row when the key
/// is unknown or the caller may not write the row.
pub fn delete_by_key(app: &App, table: &Table, key: &str, columns: &[usize], who: &Principal) -> Sql {
    let mut sql = Sql::default();
    let t = sql.alias();
    sql.push("DELETE FROM ").table(app, table).push(" AS ").push(&t);
    where_key(&mut sql, table, &t, key);
    and_guard(&mut sql, app, table, &t, Mode::Write, who);
    sql.push(&format!(" RETURNING '{VERDICT_OK}'"));
    push_columns(&mut sql, table, &t, columns);
    sql
}
