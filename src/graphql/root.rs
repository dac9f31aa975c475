//! Root fields per table: lookup by key and paginated list on `Query`;
//! create, update and delete on `Mutation`.

use std::sync::Arc;

use async_graphql::dynamic::{Field, FieldFuture, FieldValue, InputValue, ResolverContext, TypeRef};
use futures_util::future::BoxFuture;
use futures_util::FutureExt;

use super::inputs::{check_column_permissions, input_text, object, parse_assignments, parse_list, WriteMode};
use super::loader::{OneKey, RequestLoader};
use super::objects::{list_arguments, node_selections, selected_columns, ConnectionValue, CountSource};
use super::plan::{place, PlanCache};
use super::scalars::column_type_ref;
use super::{caller, AppContext};
use crate::auth::Principal;
use crate::catalog::model::TableModel;
use crate::catalog::names;
use crate::db::value::{output_value, Row, RowRef};
use crate::error::QuiverError;
use crate::sql::{self, Scope};
use diesel_async::AsyncConnection;

type Result<T> = std::result::Result<T, QuiverError>;

/// The key arguments of a table: one per key column.
fn key_arguments(tm: &TableModel) -> Vec<InputValue> {
    tm.table
        .key_columns()
        .into_iter()
        .map(|ki| {
            let key = &tm.table.columns[ki];
            InputValue::new(names::field(key), column_type_ref(tm.table, key, false))
        })
        .collect()
}

/// Adds the key arguments to `field`.
fn with_key_arguments(mut field: Field, tm: &TableModel) -> Field {
    for argument in key_arguments(tm) {
        field = field.argument(argument);
    }
    field
}

/// The key the arguments name, as text (a JSON array of the columns' text for a key of several columns).
fn key_text(tm: &TableModel, rc: &ResolverContext) -> Result<String> {
    let mut parts = Vec::new();
    for ki in tm.table.key_columns() {
        let value = rc.args.try_get(&names::field(&tm.table.columns[ki]))?;
        parts.push(input_text(tm, ki, value.as_value())?);
    }
    Ok(match <[String; 1]>::try_from(parts) {
        Ok([one]) => one,
        Err(parts) => serde_json::Value::from(parts).to_string(),
    })
}

/// A write resolver: runs against the app context for table `ti`.
type WriteFn = for<'r> fn(Arc<AppContext>, usize, ResolverContext<'r>) -> BoxFuture<'r, Result<Option<FieldValue<'static>>>>;

/// A mutation field whose resolver is `op`, with errors mapped to GraphQL once.
fn write_field(app: &Arc<AppContext>, ti: usize, name: String, op: WriteFn) -> Field {
    let ctx = app.clone();
    let ty = TypeRef::named_nn(app.model.tables[ti].table.type_name);
    Field::new(name, ty, move |rc| {
        let fut = op(ctx.clone(), ti, rc);
        FieldFuture::new(async move { fut.await.map_err(|e| e.extend()) })
    })
}

/// `Query` fields for table `ti`: `<single>(key)` and `<plural>(...)`.
pub fn query_fields(app: &Arc<AppContext>, ti: usize) -> Vec<Field> {
    let tm = &app.model.tables[ti];
    let table = tm.table;
    let by_key = Field::new(names::single(table), TypeRef::named(table.type_name), {
        let ctx = app.clone();
        move |rc| {
            let ctx = ctx.clone();
            FieldFuture::new(async move {
                let tm = &ctx.model.tables[ti];
                let key = key_text(tm, &rc).map_err(|e| e.extend())?;
                let columns = rc
                    .data_unchecked::<PlanCache>()
                    .columns(place(rc.ctx, ti, usize::MAX), || selected_columns(tm, std::iter::once(rc.ctx.field())));
                let row =
                    rc.data_unchecked::<RequestLoader>().load_one(OneKey { table: ti, columns, key }).await.map_err(|e| e.extend())?;
                Ok(row.map(FieldValue::owned_any))
            })
        }
    });
    let by_key = with_key_arguments(by_key, tm).description(format!("One `{}` by key, or null.", table.type_name));

    let list = Field::new(names::plural(table), TypeRef::named_nn(names::connection(table)), {
        let ctx = app.clone();
        move |rc| {
            let ctx = ctx.clone();
            FieldFuture::new(async move {
                let tm = &ctx.model.tables[ti];
                let columns = selected_columns(tm, node_selections(rc.ctx.field()));
                let query = parse_list(&ctx.model, ti, rc.args.as_index_map(), columns, ctx.limits).map_err(|e| e.extend())?;
                let sql = sql::select_rows(ctx.model.app, tm.table, &query, Scope::Root, caller(rc.ctx));
                let budget = rc.ctx.data_opt::<Arc<super::cost::RowBudget>>().cloned();
                let rows = ctx
                    .db
                    .fetch(sql)
                    .await
                    .and_then(|rows| match &budget {
                        Some(b) => b.take(rows.len()).map(|()| rows),
                        None => Ok(rows),
                    })
                    .and_then(|rows| rows.iter().map(|r| Ok(Arc::new(Row::from_db(ti, tm.table, &query.columns, r)?))).collect())
                    .map_err(|e: QuiverError| e.extend())?;
                let count = CountSource::Root(query.counted());
                Ok(Some(FieldValue::owned_any(ConnectionValue::from_rows(ti, &query, rows, count))))
            })
        }
    })
    .description(format!("A page of `{}` rows.", table.type_name));
    vec![by_key, list_arguments(list, app.model.app, table)]
}

/// Runs a generated write for `who` in a transaction that records the actor
/// (for audit triggers). The new row must pass the table's write rule, or the
/// transaction rolls back with `FORBIDDEN`. No row: the key is unknown, the
/// row is not the caller's to write, or (versioned) it changed since.
///
/// A unique key answers inside the statement, before its verdict on the new
/// row: so when the write fails with `CONFLICT`, `dry` (statements ending in
/// that verdict, reached without writing) decides first, and a write the
/// caller may not make answers as it would without the conflicting row
/// (`FORBIDDEN`, or `FOREIGN_KEY_VIOLATION` for an unreadable reference).
/// A delete or key change blocked by rows still referring to the row names
/// no constraint to anyone but the service role.
async fn write_row(ctx: &AppContext, ti: usize, sql: sql::Sql, who: &Principal, dry: Vec<sql::Sql>) -> Result<Option<RowRef>> {
    let tm = &ctx.model.tables[ti];
    if !who.may(tm.table, crate::sql::access::Mode::Write) {
        return Err(QuiverError::Forbidden(format!("these credentials may not write {}", tm.table.type_name)));
    }
    let mut conn = ctx.db.conn().await?;
    let written = conn
        .transaction::<_, QuiverError, _>(async |conn| {
            ctx.db.act_as(conn, who).await?;
            let Some(r) = ctx.db.fetch_on(conn, sql).await?.into_iter().next() else { return Ok(None) };
            match r.text(0)?.as_deref() {
                Some(sql::VERDICT_OK) => {}
                Some(sql::VERDICT_FORBIDDEN) | None => {
                    return Err(QuiverError::Forbidden(format!("you may not write this {}", tm.table.type_name)));
                }
                // As if the row did not exist: the database's own words for that.
                Some(column) => {
                    let constraint = foreign_key_name(ctx, conn, tm.table, column).await?;
                    return Err(QuiverError::ForeignKey { constraint, message: format!("{column} refers to a row that does not exist") });
                }
            }
            Ok(Some(Arc::new(Row::from_db(ti, tm.table, &tm.readable, &r)?)))
        })
        .await;
    let written = match written {
        Err(e @ QuiverError::Conflict { .. }) if !who.is_service() && !dry.is_empty() => match dry_verdict(ctx, tm, who, dry).await {
            Ok(None) => Err(e),
            Ok(Some(refusal)) => return Err(refusal),
            Err(other) => Err(other),
        },
        Err(QuiverError::ForeignKey { message, .. }) if !who.is_service() && message.starts_with(crate::error::STILL_REFERENCED) => {
            return Err(QuiverError::ForeignKey {
                constraint: String::new(),
                message: format!("{} by other rows", crate::error::STILL_REFERENCED),
            });
        }
        other => other,
    };
    written.map_err(|e| match e {
        // Report constraint columns by their GraphQL field names.
        QuiverError::Conflict { constraint, columns } => {
            QuiverError::Conflict { constraint, columns: columns.iter().map(|c| names::camel(c)).collect() }
        }
        other => other,
    })
}

/// Runs `dry` (statements ending in a write's verdict on its new row, see
/// [`write_row`]) under `who`'s identity: the refusal that verdict stands
/// for, or `None` when the caller may make the write (or it would touch
/// nothing, which the write itself reports).
async fn dry_verdict(ctx: &AppContext, tm: &TableModel, who: &Principal, dry: Vec<sql::Sql>) -> Result<Option<QuiverError>> {
    let mut conn = ctx.db.conn().await?;
    conn.transaction::<_, QuiverError, _>(async |conn| {
        ctx.db.act_as(conn, who).await?;
        let mut verdict = None;
        for statement in dry {
            verdict = ctx.db.fetch_on(conn, statement).await?.into_iter().next();
        }
        Ok(match verdict.map(|r| r.text(0)).transpose()?.flatten().as_deref() {
            None | Some(sql::VERDICT_OK) => None,
            Some(sql::VERDICT_FORBIDDEN) => Some(QuiverError::Forbidden(format!("you may not write this {}", tm.table.type_name))),
            Some(column) => {
                let constraint = foreign_key_name(ctx, conn, tm.table, column).await?;
                Some(QuiverError::ForeignKey { constraint, message: format!("{column} refers to a row that does not exist") })
            }
        })
    })
    .await
}

/// The name of the foreign-key constraint on `column` of `table`, as a
/// violation of it would report.
async fn foreign_key_name(
    ctx: &AppContext,
    conn: &mut diesel_async::AsyncPgConnection,
    table: &crate::catalog::Table,
    column: &str,
) -> Result<String> {
    let mut sql = sql::Sql::default();
    sql.push("SELECT c.conname::text FROM pg_constraint c JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1] WHERE c.contype = 'f' AND c.conrelid = ");
    let (schema, name) = table.sql_name(ctx.model.app);
    sql.bind(sql::Bind::Text(Some(format!("\"{schema}\".\"{name}\""))), "regclass");
    sql.push(" AND a.attname = ").bind(sql::Bind::Text(Some(column.to_string())), "name");
    let rows = ctx.db.fetch_on(conn, sql).await?;
    Ok(match rows.first() {
        Some(r) => r.text(0)?.unwrap_or_default(),
        None => format!("{}_{column}_fkey", table.name),
    })
}

/// Why a write by key touched no row: the caller cannot see it (`NOT_FOUND`,
/// exactly as if it did not exist), may see but not write it (`FORBIDDEN`),
/// or, for a versioned update, it changed since (`CONFLICT` with the row as it is now).
/// Why an update touched no row. `guarded` names the changed columns that
/// have write rules of their own (a row that passes the table's write rule but
/// not theirs is FORBIDDEN).
async fn why_untouched(ctx: &AppContext, ti: usize, key: String, who: &Principal, versioned: bool, guarded: &[&str]) -> QuiverError {
    let tm = &ctx.model.tables[ti];
    let sql = sql::select_by_keys(ctx.model.app, tm.table, &tm.readable, std::slice::from_ref(&key), who);
    let row = match ctx.db.fetch(sql).await {
        Err(e) => return e,
        Ok(rows) => rows.into_iter().next(),
    };
    let Some(r) = row else {
        return QuiverError::NotFound { type_name: tm.table.type_name, key: tm.table.key_name(), value: key };
    };
    let row = match Row::from_db(ti, tm.table, &tm.readable, &r) {
        Ok(row) => row,
        Err(e) => return e,
    };
    let writable = sql::select_by_keys_writable(ctx.model.app, tm.table, std::slice::from_ref(&key), who);
    match ctx.db.fetch(writable).await {
        Err(e) => e,
        Ok(rows) if rows.is_empty() => QuiverError::Forbidden(format!("you may read but not write this {}", tm.table.type_name)),
        Ok(_) if !guarded.is_empty() => {
            QuiverError::Forbidden(format!("you may not change {} of this {}", guarded.join(", "), tm.table.type_name))
        }
        Ok(_) if versioned => QuiverError::VersionConflict { type_name: tm.table.type_name, current: row_as_json(tm, &row) },
        // Gone or changed between the write and this check.
        Ok(_) => QuiverError::NotFound { type_name: tm.table.type_name, key: tm.table.key_name(), value: key },
    }
}

/// Refuses a create the caller may not make before anything is written (and
/// before any secret is hashed), whenever the write rule is false whatever
/// the database holds or fills in: no unique key can then answer for rows the
/// caller cannot read. As in the write statement, references come first: a
/// set reference to a row the caller cannot read is `FOREIGN_KEY_VIOLATION`,
/// exactly as for a missing row (one read-only statement under the caller's
/// rules); otherwise `FORBIDDEN`, whatever rows exist. What only the database
/// can decide (memberships, `Via`, columns it fills in that the rule reads)
/// the write statement decides, as before.
async fn refuse_before_writing(
    ctx: &AppContext,
    tm: &TableModel,
    assignments: &crate::graphql::inputs::Assignments,
    who: &Principal,
) -> Result<()> {
    use crate::sql::access::{rule_of, Mode};
    let table = tm.table;
    if who.is_service() {
        return Ok(());
    }
    if !who.may(table, Mode::Write) {
        return Err(QuiverError::Forbidden(format!("these credentials may not write {}", table.type_name)));
    }
    let values = assignments.values();
    // Some(value) for a column the write sets (None: NULL); None when the
    // database decides it (a default, a trigger).
    let known = |name: &str| -> Option<Option<String>> {
        match values.iter().find(|(c, _)| table.columns[*c].name == name) {
            Some((_, v)) => Some(v.clone()),
            None => match table.column(name) {
                Some((_, c)) if !c.has_default && !c.managed => Some(None),
                _ => None,
            },
        }
    };
    if crate::sql::access::decide_with(&rule_of(table, Mode::Write), who, &known) != Some(false) {
        return Ok(());
    }
    let app = ctx.model.app;
    let mut check = sql::Sql::default();
    check.push("SELECT CASE");
    let mut references = 0;
    for fk in table.belongs_to.iter().filter(|fk| !fk.open) {
        let Some((c, Some(value))) = values.iter().find(|(c, _)| table.columns[*c].name == fk.column) else { continue };
        let target = app.table(fk.target).expect("validated: fk target exists");
        let x = check.alias();
        check.push(" WHEN NOT EXISTS (SELECT 1 FROM ").table(app, target).push(" ").push(&x).push(" WHERE ");
        check.column(&x, target.key).push(" = ").bind(sql::Bind::Text(Some(value.clone())), table.columns[*c].ty.sql_cast()).push(" AND ");
        crate::sql::access::rule_alone(&mut check, app, target, &x, Mode::Read, who);
        check.push(") THEN ").bind(sql::Bind::Text(Some(fk.column.to_string())), "text");
        references += 1;
    }
    check.push(" ELSE NULL END");
    if references > 0 {
        let unreadable = ctx.db.fetch(check).await?.first().map(|r| r.text(0)).transpose()?.flatten();
        if let Some(column) = unreadable {
            let mut conn = ctx.db.conn().await?;
            let constraint = foreign_key_name(ctx, &mut conn, table, &column).await?;
            return Err(QuiverError::ForeignKey { constraint, message: format!("{column} refers to a row that does not exist") });
        }
    }
    Err(QuiverError::Forbidden(format!("you may not write this {}", table.type_name)))
}

fn create_row(ctx: Arc<AppContext>, ti: usize, rc: ResolverContext<'_>) -> BoxFuture<'_, Result<Option<FieldValue<'static>>>> {
    async move {
        let tm = &ctx.model.tables[ti];
        let who = caller(rc.ctx);
        let input = object(rc.args.try_get("input")?.as_value(), "input")?;
        check_column_permissions(tm, input, WriteMode::Create, who)?;
        let assignments = parse_assignments(tm, input, WriteMode::Create, &ctx.secrets)?;
        refuse_before_writing(&ctx, tm, &assignments, who).await?;
        let values = assignments.sealed(&ctx.secrets, rc.ctx.data_opt::<Arc<crate::graphql::inputs::HashBudget>>().map(|b| &**b)).await?;
        let sql = sql::insert_row(ctx.model.app, tm.table, &values, &tm.readable, who);
        let dry = vec![sql::scratch_table(ctx.model.app, tm.table), sql::insert_verdict(ctx.model.app, tm.table, &values, who)];
        let row = write_row(&ctx, ti, sql, who, dry).await?;
        // An insert always returns its row; none means the rule hid it.
        let row = row.ok_or_else(|| QuiverError::Forbidden(format!("you may not create this {}", tm.table.type_name)))?;
        Ok(Some(FieldValue::owned_any(row)))
    }
    .boxed()
}

fn update_row(ctx: Arc<AppContext>, ti: usize, rc: ResolverContext<'_>) -> BoxFuture<'_, Result<Option<FieldValue<'static>>>> {
    async move {
        let tm = &ctx.model.tables[ti];
        let who = caller(rc.ctx);
        let key = key_text(tm, &rc)?;
        let patch = object(rc.args.try_get("patch")?.as_value(), "patch")?;
        check_column_permissions(tm, patch, WriteMode::Patch, who)?;
        let assignments = parse_assignments(tm, patch, WriteMode::Patch, &ctx.secrets)?;
        let expected = match tm.table.version {
            None => None,
            Some(column) => {
                let (vi, _) = tm.table.column(column).expect("validated");
                let v = rc.args.get("expectedVersion").ok_or_else(|| QuiverError::BadInput("expectedVersion is required".into()))?;
                Some((vi, if v.is_null() { None } else { Some(input_text(tm, vi, v.as_value())?) }))
            }
        };
        // Authorise before paying for a hash: a row the caller may not write is refused first.
        if assignments.hashes() {
            let writable = sql::select_by_keys_writable(ctx.model.app, tm.table, std::slice::from_ref(&key), who);
            if ctx.db.fetch(writable).await?.is_empty() {
                return Err(why_untouched(&ctx, ti, key, who, false, &[]).await);
            }
        }
        let values = assignments.sealed(&ctx.secrets, rc.ctx.data_opt::<Arc<crate::graphql::inputs::HashBudget>>().map(|b| &**b)).await?;
        let sql = sql::update_by_key(ctx.model.app, tm.table, &key, &values, expected.as_ref(), &tm.readable, who);
        let dry = vec![sql::update_verdict(ctx.model.app, tm.table, &key, &values, who)];
        match write_row(&ctx, ti, sql, who, dry).await? {
            Some(row) => Ok(Some(FieldValue::owned_any(row))),
            None => {
                let guarded: Vec<&str> = values
                    .iter()
                    .map(|(c, _)| tm.table.columns[*c].name)
                    .filter(|c| matches!(tm.table.column_rule(c), Some(crate::catalog::ColumnWrite::When(_))))
                    .collect();
                Err(why_untouched(&ctx, ti, key, who, expected.is_some(), &guarded).await)
            }
        }
    }
    .boxed()
}

/// A row as a JSON object with GraphQL field names (readable columns only).
pub fn row_as_json(tm: &TableModel, row: &Row) -> serde_json::Value {
    let fields = tm
        .readable
        .iter()
        .map(|&c| (names::field(&tm.table.columns[c]), output_value(tm, c, &row.values[c]).into_json().unwrap_or_default()))
        .collect();
    serde_json::Value::Object(fields)
}

fn delete_row(ctx: Arc<AppContext>, ti: usize, rc: ResolverContext<'_>) -> BoxFuture<'_, Result<Option<FieldValue<'static>>>> {
    async move {
        let tm = &ctx.model.tables[ti];
        let who = caller(rc.ctx);
        let key = key_text(tm, &rc)?;
        let sql = sql::delete_by_key(ctx.model.app, tm.table, &key, &tm.readable, who);
        match write_row(&ctx, ti, sql, who, Vec::new()).await? {
            Some(row) => Ok(Some(FieldValue::owned_any(row))),
            None => Err(why_untouched(&ctx, ti, key, who, false, &[]).await),
        }
    }
    .boxed()
}

/// Adds `expectedVersion` to the update of a versioned table.
fn versioned(tm: &TableModel, field: Field) -> Field {
    match tm.table.version.and_then(|v| tm.table.column(v)) {
        None => field,
        Some((_, column)) => {
            field.argument(InputValue::new("expectedVersion", column_type_ref(tm.table, column, true)).description(format!(
                "Required: the `{}` you last saw (null if it was null); CONFLICT with the current row if it changed since.",
                names::field(column)
            )))
        }
    }
}

/// `Mutation` fields for table `ti`: `create<T>`, `update<T>`, `delete<T>`.
pub fn mutation_fields(app: &Arc<AppContext>, ti: usize) -> Vec<Field> {
    let tm = &app.model.tables[ti];
    let table = tm.table;
    let t = table.type_name;
    vec![
        write_field(app, ti, format!("create{t}"), create_row)
            .argument(InputValue::new("input", TypeRef::named_nn(names::create_input(table))))
            .description(format!("Creates a new `{t}` and returns it.")),
        versioned(
            tm,
            with_key_arguments(write_field(app, ti, format!("update{t}"), update_row), tm)
                .argument(InputValue::new("patch", TypeRef::named_nn(names::patch_input(table)))),
        )
        .description(format!("Changes the given fields of one `{t}` (null clears a field) and returns it; NOT_FOUND if there is none.")),
        with_key_arguments(write_field(app, ti, format!("delete{t}"), delete_row), tm)
            .description(format!("Deletes one `{t}` and returns it as it was; NOT_FOUND if there is none.")),
    ]
}
