//! Filters on row-change events, evaluated in Rust on each event before
//! anything is sent (Supabase's set: `eq`, `neq`, `lt`, `lte`, `gt`, `gte`,
//! `in`, plus `isNull`). They reuse the per-type filter inputs of queries;
//! the pattern and JSON operators are refused there. Conditions are the SQL
//! layer's [`Filter`] values, evaluated on the row by [`crate::realtime::matching`].

use super::inputs::{object, parse_column_filter, Args};
use crate::catalog::model::TableModel;
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
            if let Filter::Cmp { op: op @ (CmpOp::Like | CmpOp::ILike | CmpOp::Contains | CmpOp::Overlaps), .. } = cond {
                let name = match op {
                    CmpOp::Like => "like",
                    CmpOp::ILike => "ilike",
                    CmpOp::Overlaps => "overlaps",
                    _ => "contains",
                };
                return Err(QuiverError::BadInput(format!("{name} is not supported in change filters")));
            }
            conds.push(cond);
        }
    }
    Ok(conds)
}
