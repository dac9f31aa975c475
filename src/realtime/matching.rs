//! Whether a changed row satisfies a subscription's filter conditions
//! (parsed from the GraphQL `filter` argument by the GraphQL layer, or from a
//! Supabase `postgres_changes` filter by the HTTP edge). Besides comparisons,
//! `IN` and `IS NULL` it knows `LIKE`/`ILIKE` and `NOT` of one condition
//! (a condition on NULL is false, so its negation holds, as in SQL's
//! `NOT COALESCE(…, FALSE)`).

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

/// SQL `LIKE`: `%` any run, `_` one character, `\\` escapes the next one.
/// Greedy with backtracking to the last `%`: at most text × pattern steps.
pub fn like(text: &str, pattern: &str) -> bool {
    /// A pattern element: `%`, or one character (`None`: any, from `_`).
    enum Tok {
        Any,
        One(Option<char>),
    }
    let mut toks = Vec::new();
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        toks.push(match c {
            '%' => Tok::Any,
            '_' => Tok::One(None),
            '\\' => Tok::One(Some(chars.next().unwrap_or('\\'))),
            c => Tok::One(Some(c)),
        });
    }
    let t: Vec<char> = text.chars().collect();
    let (mut ti, mut pi, mut star, mut mark) = (0, 0, None, 0);
    while ti < t.len() {
        match toks.get(pi) {
            Some(Tok::One(c)) if c.is_none_or(|c| c == t[ti]) => {
                ti += 1;
                pi += 1;
            }
            Some(Tok::Any) => {
                star = Some(pi);
                mark = ti;
                pi += 1;
            }
            _ => match star {
                Some(s) => {
                    pi = s + 1;
                    mark += 1;
                    ti = mark;
                }
                None => return false,
            },
        }
    }
    toks[pi..].iter().all(|t| matches!(t, Tok::Any))
}

/// Whether the row satisfies every condition.
pub fn matches(tm: &TableModel, row: &Row, conds: &[Filter]) -> bool {
    conds.iter().all(|cond| match cond {
        Filter::Not(inner) => !matches(tm, row, std::slice::from_ref(inner)),
        Filter::Cmp { column, op: op @ (CmpOp::Like | CmpOp::ILike), value } => row.text(*column).is_some_and(|v| match op {
            CmpOp::Like => like(&v, value),
            _ => like(&v.to_lowercase(), &value.to_lowercase()),
        }),
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
                // Handled above / refused when the change filter is parsed.
                CmpOp::Like | CmpOp::ILike | CmpOp::Contains | CmpOp::Overlaps => false,
            }
        }
        Filter::And(_) | Filter::Or(_) | Filter::Related { .. } => false,
    })
}

#[cfg(test)]
mod tests {
    use super::like;

    #[test]
    fn like_patterns() {
        assert!(like("hello", "h%o"));
        assert!(like("hello", "_ello"));
        assert!(like("", "%"));
        assert!(!like("hello", "h_o"));
        assert!(like("50%", "50\\%"));
        assert!(!like("500", "50\\%"));
        assert!(like("a%b", "a\\%b"));
    }
}
