//! Turns GraphQL arguments (filters, ordering, pagination, create and patch
//! inputs) into the SQL layer's query descriptions, validating as it goes.
//!
//! Arguments are plain [`Value`]s with variables already substituted, so the
//! same parsing serves the resolvers and the direct read path
//! ([`super::direct`]). Where a list is expected a single value counts as a
//! list of one, as GraphQL's input coercion says.

use async_graphql::indexmap::IndexMap;
use async_graphql::{Name, Value};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;

use crate::auth::Sealer;
use crate::catalog::model::{AppModel, TableModel};
use crate::catalog::names;
use crate::catalog::{ColumnType, ColumnWrite, Principal};
use crate::db::value::{json_text, Row};
use crate::error::QuiverError;
use crate::sql::{CmpOp, Cursor, Filter, ListQuery, OrderKey};

type Result<T> = std::result::Result<T, QuiverError>;

/// The arguments of a field, or the fields of an input object.
pub type Args = IndexMap<Name, Value>;

fn bad(msg: impl Into<String>) -> QuiverError {
    QuiverError::BadInput(msg.into())
}

/// The items of a list input (a single value is a list of one).
pub fn items(v: &Value) -> &[Value] {
    match v {
        Value::List(items) => items,
        other => std::slice::from_ref(other),
    }
}

/// The fields of an input object.
pub fn object<'a>(v: &'a Value, what: &str) -> Result<&'a Args> {
    match v {
        Value::Object(o) => Ok(o),
        _ => Err(bad(format!("{what}: expected an input object"))),
    }
}

/// An enum value's name (variables carry enum values as strings).
pub fn enum_name<'a>(v: &'a Value, what: &str) -> Result<&'a str> {
    match v {
        Value::Enum(n) => Ok(n.as_str()),
        Value::String(s) => Ok(s),
        _ => Err(bad(format!("{what}: expected an enum value"))),
    }
}

fn boolean(v: &Value, what: &str) -> Result<bool> {
    match v {
        Value::Boolean(b) => Ok(*b),
        _ => Err(bad(format!("{what}: expected a boolean"))),
    }
}

fn string<'a>(v: &'a Value, what: &str) -> Result<&'a str> {
    match v {
        Value::String(s) => Ok(s),
        _ => Err(bad(format!("{what}: expected a string"))),
    }
}

/// A present, non-null argument.
fn given<'a>(args: &'a Args, name: &str) -> Option<&'a Value> {
    args.get(name).filter(|v| **v != Value::Null)
}

/// Page size limits.
#[derive(Debug, Clone, Copy)]
pub struct PageLimits {
    /// Rows per page when neither `first` nor `last` is given.
    pub default: usize,
    /// Largest accepted `first` / `last`.
    pub max: usize,
    /// Deepest accepted filter nesting (`and`, `or`, `not` and relation
    /// filters each add a level).
    pub filter_depth: usize,
}

/// A text literal of a PostgreSQL array.
fn pg_array_literal(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|s| format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))).collect();
    format!("{{{}}}", quoted.join(","))
}

/// The text form of one input value for `column` (never NULL: callers handle null).
pub fn input_text(tm: &TableModel, column: usize, v: &Value) -> Result<String> {
    let col = &tm.table.columns[column];
    let name = names::field(col);
    let wrong = |expected: &str| bad(format!("{name}: expected {expected}"));
    Ok(match col.ty {
        ColumnType::Enum(_) | ColumnType::PgEnum(..) => {
            let gql = enum_name(v, &name)?;
            tm.enum_db_value(column, gql).ok_or_else(|| wrong("a known enum value"))?.to_string()
        }
        ColumnType::Json => v.clone().into_json().map_err(|_| wrong("JSON"))?.to_string(),
        ColumnType::Bool => boolean(v, &name)?.to_string(),
        ColumnType::Int => {
            let n = match v {
                Value::Number(n) => n.as_i64().ok_or_else(|| wrong("an integer"))?,
                _ => return Err(wrong("an integer")),
            };
            i32::try_from(n).map_err(|_| wrong("a 32-bit integer"))?.to_string()
        }
        ColumnType::Float => match v {
            Value::Number(n) => n.as_f64().ok_or_else(|| wrong("a number"))?.to_string(),
            _ => return Err(wrong("a number")),
        },
        ColumnType::BigInt => match v {
            async_graphql::Value::Number(n) if n.is_i64() => n.to_string(),
            async_graphql::Value::String(s) => s.trim().parse::<i64>().map_err(|_| wrong("a 64-bit integer"))?.to_string(),
            _ => return Err(wrong("a 64-bit integer")),
        },
        ColumnType::Decimal => {
            let s = match v {
                async_graphql::Value::Number(n) => n.to_string(),
                async_graphql::Value::String(s) => s.clone(),
                _ => return Err(wrong("a decimal number")),
            };
            if !super::scalars::is_decimal(&s) {
                return Err(wrong("a decimal number"));
            }
            s
        }
        ColumnType::TextArray => {
            let list = items(v)
                .iter()
                .map(|i| string(i, &name).map(str::to_string).map_err(|_| wrong("a list of strings")))
                .collect::<Result<Vec<_>>>()?;
            pg_array_literal(&list)
        }
        // Canonical spelling, so keys compare equal to what PostgreSQL prints.
        ColumnType::Uuid => {
            let s = string(v, &name).map_err(|_| wrong("a UUID"))?;
            uuid::Uuid::parse_str(s).map_err(|_| wrong("a UUID"))?.hyphenated().to_string()
        }
        ColumnType::Text | ColumnType::Timestamp | ColumnType::Date | ColumnType::Cidr => {
            let s = string(v, &name)?;
            if let Some(max) = col.max_len {
                if s.chars().count() > max as usize {
                    return Err(bad(format!("{name}: at most {max} characters")));
                }
            }
            s.to_string()
        }
    })
}

/// Parses a `<Type>Filter` input nested at most `depth` levels.
pub fn parse_filter(model: &AppModel, table: usize, obj: &Args, depth: usize) -> Result<Filter> {
    let Some(depth) = depth.checked_sub(1) else {
        return Err(bad("the filter is nested too deeply"));
    };
    let tm = &model.tables[table];
    let mut parts = Vec::new();
    for (key, value) in obj.iter() {
        if *value == Value::Null {
            continue;
        }
        match key.as_str() {
            "and" | "or" => {
                let subs = items(value).iter().map(|v| parse_filter(model, table, object(v, key)?, depth)).collect::<Result<Vec<_>>>()?;
                parts.push(if key.as_str() == "and" { Filter::And(subs) } else { Filter::Or(subs) });
            }
            "not" => parts.push(Filter::Not(Box::new(parse_filter(model, table, object(value, key)?, depth)?))),
            field => {
                if let Some(&column) = tm.fields.get(field) {
                    parts.extend(parse_column_filter(tm, column, object(value, field)?)?);
                } else if let Some(fk) = tm.table.belongs_to.iter().position(|f| f.field == field) {
                    let target = model.tables.iter().position(|t| t.table.name == tm.table.belongs_to[fk].target).expect("validated");
                    let inner = parse_filter(model, target, object(value, field)?, depth)?;
                    parts.push(Filter::Related { fk, filter: Box::new(inner) });
                } else {
                    return Err(bad(format!("unknown filter field {field}")));
                }
            }
        }
    }
    Ok(if parts.len() == 1 { parts.pop().expect("one part") } else { Filter::And(parts) })
}

/// Parses one column's `<Scalar>Filter` input into conditions (all must hold).
pub fn parse_column_filter(tm: &TableModel, column: usize, obj: &Args) -> Result<Vec<Filter>> {
    let mut parts = Vec::new();
    for (op, value) in obj.iter() {
        if *value == Value::Null {
            continue;
        }
        let cmp = |op: CmpOp| -> Result<Filter> { Ok(Filter::Cmp { column, op, value: input_text(tm, column, value)? }) };
        parts.push(match op.as_str() {
            "eq" => cmp(CmpOp::Eq)?,
            "neq" => cmp(CmpOp::Neq)?,
            "lt" => cmp(CmpOp::Lt)?,
            "lte" => cmp(CmpOp::Lte)?,
            "gt" => cmp(CmpOp::Gt)?,
            "gte" => cmp(CmpOp::Gte)?,
            "contains" => cmp(CmpOp::Contains)?,
            "overlaps" => cmp(CmpOp::Overlaps)?,
            "like" | "ilike" => Filter::Cmp {
                column,
                op: if op.as_str() == "like" { CmpOp::Like } else { CmpOp::ILike },
                value: string(value, op)?.to_string(),
            },
            "in" => Filter::In { column, values: items(value).iter().map(|v| input_text(tm, column, v)).collect::<Result<_>>()? },
            "isNull" => Filter::IsNull { column, is_null: boolean(value, op)? },
            other => return Err(bad(format!("unknown filter operator {other}"))),
        });
    }
    Ok(parts)
}

/// Parses `orderBy`, appending the key column so the order is total.
pub fn parse_order(tm: &TableModel, value: Option<&Value>) -> Result<Vec<OrderKey>> {
    let mut order = Vec::new();
    if let Some(list) = value.filter(|v| **v != Value::Null) {
        for item in items(list) {
            let obj = object(item, "orderBy")?;
            let field = enum_name(given(obj, "field").ok_or_else(|| bad("orderBy: field is required"))?, "field")?;
            let column = tm
                .fields
                .iter()
                .find(|(f, _)| names::screaming(f) == field)
                .map(|(_, &c)| c)
                .ok_or_else(|| bad(format!("unknown order field {field}")))?;
            let desc = given(obj, "direction").map(|d| enum_name(d, "direction").map(|n| n == "DESC")).transpose()?.unwrap_or(false);
            let nulls_first = match given(obj, "nulls") {
                Some(n) => enum_name(n, "nulls")? == "FIRST",
                None => desc, // PostgreSQL's default: NULLs are larger than any value.
            };
            if !order.iter().any(|k: &OrderKey| k.column == column) {
                order.push(OrderKey { column, desc, nulls_first });
            }
        }
    }
    // The key columns break ties, so the ordering is total and cursors exact.
    for key in tm.table.key_columns() {
        if !order.iter().any(|k| k.column == key) {
            order.push(OrderKey { column: key, desc: false, nulls_first: false });
        }
    }
    Ok(order)
}

/// A short signature of an ordering, stored in cursors so a cursor from one
/// ordering is not applied to another.
fn order_signature(tm: &TableModel, order: &[OrderKey]) -> String {
    order
        .iter()
        .map(|k| format!("{}{}{}", tm.table.columns[k.column].name, if k.desc { "-" } else { "+" }, if k.nulls_first { "f" } else { "l" }))
        .collect::<Vec<_>>()
        .join(",")
}

/// The opaque cursor of `row` in `order`.
pub fn encode_cursor(tm: &TableModel, order: &[OrderKey], row: &Row) -> String {
    cursor_of(tm, order, |column| row.text(column))
}

/// The opaque cursor of the row whose column values (as text) `text` gives.
pub fn cursor_of(tm: &TableModel, order: &[OrderKey], text: impl Fn(usize) -> Option<String>) -> String {
    let values: Vec<Option<String>> = order.iter().map(|k| text(k.column)).collect();
    let json = serde_json::json!([order_signature(tm, order), values]);
    URL_SAFE_NO_PAD.encode(json.to_string())
}

fn decode_cursor(tm: &TableModel, order: &[OrderKey], cursor: &str) -> Result<Cursor> {
    let invalid = || bad("invalid cursor");
    let bytes = URL_SAFE_NO_PAD.decode(cursor).map_err(|_| invalid())?;
    let (sig, values): (String, Vec<serde_json::Value>) = serde_json::from_slice(&bytes).map_err(|_| invalid())?;
    if sig != order_signature(tm, order) || values.len() != order.len() {
        return Err(bad("the cursor belongs to a different ordering"));
    }
    Ok(values.iter().map(json_text).collect())
}

/// Parses `first`/`after`/`last`/`before`/`filter`/`orderBy`/`includeDeleted` into a page query
/// fetching `columns` (order columns are added).
pub fn parse_list(model: &AppModel, table: usize, args: &Args, mut columns: Vec<usize>, limits: PageLimits) -> Result<ListQuery> {
    let tm = &model.tables[table];
    let count = |name: &str| -> Result<Option<usize>> {
        match given(args, name) {
            None => Ok(None),
            Some(v) => {
                let n = match v {
                    Value::Number(n) => n.as_i64().ok_or_else(|| bad(format!("{name}: expected an integer")))?,
                    _ => return Err(bad(format!("{name}: expected an integer"))),
                };
                if n < 0 || n as usize > limits.max {
                    return Err(bad(format!("{name} must be between 0 and {}", limits.max)));
                }
                Ok(Some(n as usize))
            }
        }
    };
    let (first, last) = (count("first")?, count("last")?);
    if first.is_some() && last.is_some() {
        return Err(bad("pass either first or last, not both"));
    }
    let order = parse_order(tm, args.get("orderBy"))?;
    let cursor =
        |name: &str| -> Result<Option<Cursor>> { given(args, name).map(|v| decode_cursor(tm, &order, string(v, name)?)).transpose() };
    let (after, before) = (cursor("after")?, cursor("before")?);
    let filter = given(args, "filter").map(|v| parse_filter(model, table, object(v, "filter")?, limits.filter_depth)).transpose()?;
    for k in &order {
        if !columns.contains(&k.column) {
            columns.push(k.column);
        }
    }
    let include_deleted = match given(args, "includeDeleted") {
        None => false,
        Some(Value::Boolean(b)) => *b,
        Some(_) => return Err(bad("includeDeleted: expected a boolean")),
    };
    Ok(ListQuery {
        filter,
        limit: first.or(last).unwrap_or(limits.default),
        backward: last.is_some(),
        order,
        after,
        before,
        columns,
        include_deleted,
    })
}

/// Whether a create or a patch is being parsed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WriteMode {
    /// A new row.
    Create,
    /// Changes to an existing row.
    Patch,
}

/// Refuses, before anything is hashed or sent to the database, a create or
/// patch that sets a column its caller may not write: one only the service
/// writes, or (on a patch) one fixed once the row exists. The answer depends
/// on the caller and the fields alone, never on the data.
pub fn check_column_permissions(tm: &TableModel, input: &Args, mode: WriteMode, who: &Principal) -> Result<()> {
    if who.is_service() {
        return Ok(());
    }
    for (key, _) in input.iter() {
        let Some(col) = tm.table.columns.iter().find(|c| names::input_field(c) == key.as_str()) else { continue };
        match (tm.table.column_rule(col.name), mode) {
            (Some(ColumnWrite::Service), _) => {
                return Err(QuiverError::Forbidden(format!("{key} of a {} is written by the service only", tm.table.type_name)))
            }
            (Some(ColumnWrite::Fixed), WriteMode::Patch) => {
                return Err(QuiverError::Forbidden(format!("{key} of a {} cannot change once it exists", tm.table.type_name)))
            }
            _ => {}
        }
    }
    Ok(())
}

/// The column assignments of a create or patch. Values of hashed secret
/// columns are still plain until [`Assignments::sealed`] hashes them, so a
/// write can be authorised before it pays for any hashing.
#[must_use = "the values are only ready to store once sealed"]
pub struct Assignments {
    values: Vec<(usize, Option<String>)>,
    to_hash: Vec<usize>,
}

impl Assignments {
    /// The assignments as parsed (hashed secrets still plain).
    pub fn values(&self) -> &[(usize, Option<String>)] {
        &self.values
    }

    /// Whether sealing will hash a secret.
    pub fn hashes(&self) -> bool {
        !self.to_hash.is_empty()
    }

    /// The values to store, hashed secrets hashed (on the bounded pool),
    /// each taken from the request's `budget` of hashes when there is one.
    pub async fn sealed(mut self, secrets: &Sealer, budget: Option<&HashBudget>) -> Result<Vec<(usize, Option<String>)>> {
        if let Some(budget) = budget {
            budget.take(self.to_hash.len())?;
        }
        for i in self.to_hash {
            if let Some(plain) = self.values[i].1.take() {
                self.values[i].1 = Some(secrets.hash(plain).await?);
            }
        }
        Ok(self.values)
    }
}

/// How many secrets one request may still hash.
#[derive(Debug)]
pub struct HashBudget {
    left: std::sync::atomic::AtomicUsize,
    limit: usize,
}

impl HashBudget {
    /// A budget of `limit` hashes.
    pub fn new(limit: usize) -> HashBudget {
        HashBudget { left: std::sync::atomic::AtomicUsize::new(limit), limit }
    }

    /// Takes `n` hashes: `LIMIT_EXCEEDED` once the budget is spent.
    pub fn take(&self, n: usize) -> Result<()> {
        use std::sync::atomic::Ordering;
        self.left
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |left| left.checked_sub(n))
            .map(|_| ())
            .map_err(|_| QuiverError::LimitExceeded(format!("a request may set at most {} hashed secrets", self.limit)))
    }
}

/// Parses a create or patch input into column assignments.
pub fn parse_assignments(tm: &TableModel, input: &Args, mode: WriteMode, secrets: &Sealer) -> Result<Assignments> {
    let mut values = Vec::new();
    let mut to_hash = Vec::new();
    for (key, value) in input.iter() {
        let (column, col) = tm
            .table
            .columns
            .iter()
            .enumerate()
            .find(|(_, c)| names::input_field(c) == key.as_str())
            .ok_or_else(|| bad(format!("unknown input field {key}")))?;
        let settable = match mode {
            WriteMode::Create => col.settable_on_create(),
            WriteMode::Patch => !col.managed && !col.immutable,
        };
        if !settable {
            return Err(bad(format!("{key} cannot be set")));
        }
        if *value == Value::Null {
            if !col.nullable {
                return Err(bad(format!("{key} must not be null")));
            }
            values.push((column, None));
        } else {
            let text = input_text(tm, column, value)?;
            if matches!(col.storage, crate::catalog::Storage::Hashed(_)) {
                to_hash.push(values.len());
                values.push((column, Some(text)));
            } else {
                values.push((column, Some(secrets.seal(tm.table, col, &text)?)));
            }
        }
    }
    Ok(Assignments { values, to_hash })
}
