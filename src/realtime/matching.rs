//! Whether a changed row satisfies a subscription's filter conditions
//! (parsed from the GraphQL `filter` argument by the GraphQL layer).

use std::cmp::Ordering;

use crate::catalog::formats::rfc3339_instant;
use crate::catalog::model::TableModel;
use crate::catalog::ColumnType;
use crate::db::value::Row;
use crate::sql::{CmpOp, Filter};

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
        Filter::IsNull { column, is_null } => (row.values[*column] == async_graphql_value::ConstValue::Null) == *is_null,
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
                // Refused when the change filter is parsed.
                CmpOp::Like | CmpOp::ILike | CmpOp::Contains | CmpOp::Overlaps => false,
            }
        }
        Filter::And(_) | Filter::Or(_) | Filter::Not(_) | Filter::Related { .. } => false,
    })
}
