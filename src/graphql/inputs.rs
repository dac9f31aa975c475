//! Turns GraphQL arguments (filters, ordering, pagination, create and patch
//! inputs) into the SQL layer's query descriptions, validating as it goes.

use async_graphql::dynamic::{ObjectAccessor, ValueAccessor};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;

use crate::auth::Sealer;
use super::model::{json_text, AppModel, Row, TableModel};
use super::names;
use crate::catalog::ColumnType;
use crate::error::QuiverError;
use crate::sql::{CmpOp, Cursor, Filter, ListQuery, OrderKey};

type Result<T> = std::result::Result<T, QuiverError>;

fn bad(msg: impl Into<String>) -> QuiverError {
    QuiverError::BadInput(msg.into())
}

/// Page size limits.
#[derive(Debug, Clone, Copy)]
pub struct PageLimits {
    /// Rows per page when neither `first` nor `last` is given.
    pub default: usize,
    /// Largest accepted `first` / `last`.
    pub max: usize,
}

/// A text literal of a PostgreSQL array.
fn pg_array_literal(items: &[String]) -> String {
    let quoted: Vec<String> = items
        .iter()
        .map(|s| format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\"")))
        .collect();
    format!("{{{}}}", quoted.join(","))
}

/// The text form of one input value for `column` (never NULL: callers handle null).
pub fn input_text(tm: &TableModel, column: usize, v: &ValueAccessor) -> Result<String> {
    let col = &tm.table.columns[column];
    let name = names::field(col);
    let wrong = |expected: &str| bad(format!("{name}: expected {expected}"));
    Ok(match col.ty {
        ColumnType::Enum(_) | ColumnType::PgEnum(..) => {
            let gql = v.enum_name().map_err(|_| wrong("an enum value"))?;
            tm.enum_db_value(column, gql).ok_or_else(|| wrong("a known enum value"))?.to_string()
        }
        ColumnType::Json => v.as_value().clone().into_json().map_err(|_| wrong("JSON"))?.to_string(),
        ColumnType::Bool => v.boolean().map_err(|_| wrong("a boolean"))?.to_string(),
        ColumnType::Int => {
            let n = v.i64().map_err(|_| wrong("an integer"))?;
            i32::try_from(n).map_err(|_| wrong("a 32-bit integer"))?.to_string()
        }
        ColumnType::Float => v.f64().map_err(|_| wrong("a number"))?.to_string(),
        ColumnType::BigInt => match v.as_value() {
            async_graphql::Value::Number(n) if n.is_i64() => n.to_string(),
            async_graphql::Value::String(s) => s.trim().parse::<i64>().map_err(|_| wrong("a 64-bit integer"))?.to_string(),
            _ => return Err(wrong("a 64-bit integer")),
        },
        ColumnType::Decimal => {
            let s = match v.as_value() {
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
            let list = v.list().map_err(|_| wrong("a list of strings"))?;
            let items = list
                .iter()
                .map(|i| i.string().map(str::to_string).map_err(|_| wrong("a list of strings")))
                .collect::<Result<Vec<_>>>()?;
            pg_array_literal(&items)
        }
        // Canonical spelling, so keys compare equal to what PostgreSQL prints.
        ColumnType::Uuid => {
            let s = v.string().map_err(|_| wrong("a UUID"))?;
            uuid::Uuid::parse_str(s).map_err(|_| wrong("a UUID"))?.hyphenated().to_string()
        }
        ColumnType::Text | ColumnType::Timestamp | ColumnType::Date | ColumnType::Cidr => {
            let s = v.string().map_err(|_| wrong("a string"))?;
            if let Some(max) = col.max_len {
                if s.chars().count() > max as usize {
                    return Err(bad(format!("{name}: at most {max} characters")));
                }
            }
            s.to_string()
        }
    })
}

/// Parses a `<Type>Filter` input.
pub fn parse_filter(model: &AppModel, table: usize, obj: &ObjectAccessor) -> Result<Filter> {
    let tm = &model.tables[table];
    let mut parts = Vec::new();
    for (key, value) in obj.iter() {
        if value.is_null() {
            continue;
        }
        match key.as_str() {
            "and" | "or" => {
                let list = value.list().map_err(|_| bad(format!("{key}: expected a list")))?;
                let subs = list
                    .iter()
                    .map(|v| parse_filter(model, table, &v.object()?))
                    .collect::<std::result::Result<Vec<_>, _>>()?;
                parts.push(if key.as_str() == "and" { Filter::And(subs) } else { Filter::Or(subs) });
            }
            "not" => parts.push(Filter::Not(Box::new(parse_filter(model, table, &value.object()?)?))),
            field => {
                if let Some(&column) = tm.fields.get(field) {
                    parts.extend(parse_column_filter(tm, column, &value.object()?)?);
                } else if let Some(fk) = tm.table.belongs_to.iter().position(|f| f.field == field) {
                    let target = model.tables.iter().position(|t| t.table.name == tm.table.belongs_to[fk].target).expect("validated");
                    let inner = parse_filter(model, target, &value.object()?)?;
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
pub fn parse_column_filter(tm: &TableModel, column: usize, obj: &ObjectAccessor) -> Result<Vec<Filter>> {
    let mut parts = Vec::new();
    for (op, value) in obj.iter() {
        if value.is_null() {
            continue;
        }
        let cmp = |op: CmpOp| -> Result<Filter> {
            Ok(Filter::Cmp { column, op, value: input_text(tm, column, &value)? })
        };
        parts.push(match op.as_str() {
            "eq" => cmp(CmpOp::Eq)?,
            "neq" => cmp(CmpOp::Neq)?,
            "lt" => cmp(CmpOp::Lt)?,
            "lte" => cmp(CmpOp::Lte)?,
            "gt" => cmp(CmpOp::Gt)?,
            "gte" => cmp(CmpOp::Gte)?,
            "contains" => cmp(CmpOp::Contains)?,
            "like" | "ilike" => Filter::Cmp {
                column,
                op: if op.as_str() == "like" { CmpOp::Like } else { CmpOp::ILike },
                value: value.string()?.to_string(),
            },
            "in" => Filter::In {
                column,
                values: value.list()?.iter().map(|v| input_text(tm, column, &v)).collect::<Result<_>>()?,
            },
            "isNull" => Filter::IsNull { column, is_null: value.boolean()? },
            other => return Err(bad(format!("unknown filter operator {other}"))),
        });
    }
    Ok(parts)
}

/// Parses `orderBy`, appending the key column so the order is total.
pub fn parse_order(tm: &TableModel, value: Option<ValueAccessor>) -> Result<Vec<OrderKey>> {
    let mut order = Vec::new();
    if let Some(list) = value.filter(|v| !v.is_null()) {
        for item in list.list()?.iter() {
            let obj = item.object()?;
            let field_value = obj.try_get("field")?;
            let field = field_value.enum_name()?;
            let column = tm
                .fields
                .iter()
                .find(|(f, _)| names::screaming(f) == field)
                .map(|(_, &c)| c)
                .ok_or_else(|| bad(format!("unknown order field {field}")))?;
            let desc = obj.get("direction").map(|d| d.enum_name().map(|n| n == "DESC")).transpose()?.unwrap_or(false);
            let nulls_first = match obj.get("nulls").filter(|v| !v.is_null()) {
                Some(n) => n.enum_name()? == "FIRST",
                None => desc, // PostgreSQL's default: NULLs are larger than any value.
            };
            if !order.iter().any(|k: &OrderKey| k.column == column) {
                order.push(OrderKey { column, desc, nulls_first });
            }
        }
    }
    let key = tm.table.key_column().0;
    if !order.iter().any(|k| k.column == key) {
        order.push(OrderKey { column: key, desc: false, nulls_first: false });
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
    let values: Vec<Option<String>> = order.iter().map(|k| row.text(k.column)).collect();
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

/// Parses `first`/`after`/`last`/`before`/`filter`/`orderBy` into a page query
/// fetching `columns` (order columns are added).
pub fn parse_list(
    model: &AppModel,
    table: usize,
    args: &ObjectAccessor,
    mut columns: Vec<usize>,
    limits: PageLimits,
) -> Result<ListQuery> {
    let tm = &model.tables[table];
    let count = |name: &str| -> Result<Option<usize>> {
        match args.get(name).filter(|v| !v.is_null()) {
            None => Ok(None),
            Some(v) => {
                let n = v.i64()?;
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
    let cursor = |name: &str| -> Result<Option<Cursor>> {
        args.get(name)
            .filter(|v| !v.is_null())
            .map(|v| decode_cursor(tm, &order, v.string()?))
            .transpose()
    };
    let (after, before) = (cursor("after")?, cursor("before")?);
    let filter = args
        .get("filter")
        .filter(|v| !v.is_null())
        .map(|v| parse_filter(model, table, &v.object()?))
        .transpose()?;
    for k in &order {
        if !columns.contains(&k.column) {
            columns.push(k.column);
        }
    }
    Ok(ListQuery {
        filter,
        limit: first.or(last).unwrap_or(limits.default),
        backward: last.is_some(),
        order,
        after,
        before,
        columns,
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

/// Parses a create or patch input into column assignments.
pub fn parse_assignments(tm: &TableModel, input: &ObjectAccessor, mode: WriteMode, secrets: &Sealer) -> Result<Vec<(usize, Option<String>)>> {
    let mut values = Vec::new();
    for (key, value) in input.iter() {
        let (column, col) = tm
            .table
            .columns
            .iter()
            .enumerate()
            .find(|(_, c)| names::input_field(c) == key.as_str())
            .ok_or_else(|| bad(format!("unknown input field {key}")))?;
        if col.managed || (mode == WriteMode::Patch && col.immutable) {
            return Err(bad(format!("{key} cannot be set")));
        }
        if value.is_null() {
            if !col.nullable {
                return Err(bad(format!("{key} must not be null")));
            }
            values.push((column, None));
        } else {
            let text = input_text(tm, column, &value)?;
            values.push((column, Some(secrets.seal(tm.table, col, &text)?)));
        }
    }
    Ok(values)
}
