//! Filters on row-change events, evaluated in Rust on each event before
//! anything is sent (Supabase's set: `eq`, `neq`, `lt`, `lte`, `gt`, `gte`,
//! `in`, plus `isNull`). They reuse the per-type filter inputs of queries;
//! the pattern and JSON operators are refused there. Conditions are the SQL
//! layer's [`Filter`] values, evaluated here on the row instead of in SQL.

use std::cmp::Ordering;

use super::inputs::{object, parse_column_filter, Args};
use crate::catalog::model::TableModel;
use crate::db::value::Row;
use super::scalars::rfc3339_instant;
use crate::catalog::ColumnType;
use crate::error::QuiverError;
use crate::sql::{CmpOp, Filter};

/// Parses a `<Type>ChangeFilter` input (all conditions must hold): the query
/// filter operators, less the pattern and JSON ones.
pub fn parse(tm: &TableModel, obj: &Args) -> Result<Vec<Filter>, QuiverError> {
    let mut conds = Vec::new();
    for (field, ops) in obj.iter() {
        if *ops == async_graphql::Value::Null {
            continue;
        }
        let column = *tm.fields.get(field.as_str()).ok_or_else(|| QuiverError::BadInput(format!("unknown filter field {field}")))?;
        for cond in parse_column_filter(tm, column, object(ops, field)?)? {
            if let Filter::Cmp { op: op @ (CmpOp::Like | CmpOp::ILike | CmpOp::Contains), .. } = cond {
                let name = match op {
                    CmpOp::Like => "like",
                    CmpOp::ILike => "ilike",
                    _ => "contains",
                };
                return Err(QuiverError::BadInput(format!("{name} is not supported in change filters")));
            }
            conds.push(cond);
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

/// Whether the row satisfies every condition (as parsed by [`parse`]).
pub fn matches(tm: &TableModel, row: &Row, conds: &[Filter]) -> bool {
    conds.iter().all(|cond| match cond {
        Filter::IsNull { column, is_null } => (row.values[*column] == async_graphql::Value::Null) == *is_null,
        Filter::In { column, values } => {
            let ty = tm.table.columns[*column].ty;
            row.text(*column).is_some_and(|v| values.iter().any(|x| compare(ty, &v, x) == Some(Ordering::Equal)))
        }
        Filter::Cmp { column, op, value } => {
            let ty = tm.table.columns[*column].ty;
            let Some(ord) = row.text(*column).and_then(|v| compare(ty, &v, value)) else { return false };
            match op {
                CmpOp::Eq => ord == Ordering::Equal,
                CmpOp::Neq => ord != Ordering::Equal,
                CmpOp::Lt => ord == Ordering::Less,
                CmpOp::Lte => ord != Ordering::Greater,
                CmpOp::Gt => ord == Ordering::Greater,
                CmpOp::Gte => ord != Ordering::Less,
                CmpOp::Like | CmpOp::ILike | CmpOp::Contains => false,
            }
        }
        Filter::And(_) | Filter::Or(_) | Filter::Not(_) | Filter::Related { .. } => false,
    })
}
