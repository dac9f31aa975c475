//! Filters on row-change events, evaluated in Rust on each event before
//! anything is sent (Supabase's set: `eq`, `neq`, `lt`, `lte`, `gt`, `gte`,
//! `in`, plus `isNull`). They reuse the per-type filter inputs of queries;
//! the pattern and JSON operators are refused there.

use std::cmp::Ordering;

use async_graphql::dynamic::ObjectAccessor;

use super::inputs::input_text;
use super::model::{Row, TableModel};
use super::scalars::rfc3339_instant;
use crate::catalog::ColumnType;
use crate::error::QuiverError;

/// One condition on a column.
#[derive(Debug, Clone)]
pub enum Cond {
    /// `eq`, `neq`, `lt`, `lte`, `gt`, `gte` against a value.
    Cmp {
        /// Column index.
        column: usize,
        /// Operator name.
        op: &'static str,
        /// The value, as text.
        value: String,
    },
    /// One of the values.
    In {
        /// Column index.
        column: usize,
        /// The values, as text.
        values: Vec<String>,
    },
    /// NULL or not.
    IsNull {
        /// Column index.
        column: usize,
        /// `true` for NULL.
        is_null: bool,
    },
}

/// Parses a `<Type>ChangeFilter` input (all conditions must hold).
pub fn parse(tm: &TableModel, obj: &ObjectAccessor) -> Result<Vec<Cond>, QuiverError> {
    let mut conds = Vec::new();
    for (field, ops) in obj.iter() {
        if ops.is_null() {
            continue;
        }
        let column = *tm.fields.get(field.as_str()).ok_or_else(|| QuiverError::BadInput(format!("unknown filter field {field}")))?;
        for (op, value) in ops.object()?.iter() {
            if value.is_null() {
                continue;
            }
            conds.push(match op.as_str() {
                "eq" | "neq" | "lt" | "lte" | "gt" | "gte" => Cond::Cmp {
                    column,
                    op: match op.as_str() {
                        "eq" => "eq",
                        "neq" => "neq",
                        "lt" => "lt",
                        "lte" => "lte",
                        "gt" => "gt",
                        _ => "gte",
                    },
                    value: input_text(tm, column, &value)?,
                },
                "in" => Cond::In {
                    column,
                    values: value.list()?.iter().map(|v| input_text(tm, column, &v)).collect::<Result<_, _>>()?,
                },
                "isNull" => Cond::IsNull { column, is_null: value.boolean()? },
                other => return Err(QuiverError::BadInput(format!("{other} is not supported in change filters"))),
            });
        }
    }
    Ok(conds)
}

/// Compares a row value with a filter value under the column's type.
fn compare(ty: ColumnType, row: &str, value: &str) -> Option<Ordering> {
    match ty {
        ColumnType::Int | ColumnType::BigInt | ColumnType::Float | ColumnType::Decimal => {
            row.parse::<f64>().ok()?.partial_cmp(&value.parse::<f64>().ok()?)
        }
        ColumnType::Timestamp => Some(rfc3339_instant(row)?.cmp(&rfc3339_instant(value)?)),
        ColumnType::Uuid => Some(row.to_ascii_lowercase().cmp(&value.to_ascii_lowercase())),
        _ => Some(row.cmp(value)),
    }
}

/// Whether the row satisfies every condition.
pub fn matches(tm: &TableModel, row: &Row, conds: &[Cond]) -> bool {
    conds.iter().all(|cond| match cond {
        Cond::IsNull { column, is_null } => (row.values[*column] == async_graphql::Value::Null) == *is_null,
        Cond::In { column, values } => {
            let ty = tm.table.columns[*column].ty;
            row.text(*column).is_some_and(|v| values.iter().any(|x| compare(ty, &v, x) == Some(Ordering::Equal)))
        }
        Cond::Cmp { column, op, value } => {
            let ty = tm.table.columns[*column].ty;
            let Some(v) = row.text(*column) else { return false };
            let Some(ord) = compare(ty, &v, value) else { return false };
            match *op {
                "eq" => ord == Ordering::Equal,
                "neq" => ord != Ordering::Equal,
                "lt" => ord == Ordering::Less,
                "lte" => ord != Ordering::Greater,
                "gt" => ord == Ordering::Greater,
                _ => ord != Ordering::Less,
            }
        }
    })
}
