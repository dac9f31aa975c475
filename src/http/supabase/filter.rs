//! Supabase's `postgres_changes` filter grammar, compiled to
//! [`crate::sql::Filter`] conditions on one table: `column=op.value`,
//! conditions ANDed with top-level commas (commas inside `(…)` or double
//! quotes do not split). Operators `eq neq lt lte gt gte in like ilike is`,
//! each optionally prefixed by `not.`; `in.(a,b,…)` takes at most 100 values;
//! `is` takes `null`, `true` or `false`. Values are checked against the
//! column's type; secret columns cannot be filtered on.

use crate::catalog::formats::{is_date, is_decimal, rfc3339_instant};
use crate::catalog::model::TableModel;
use crate::catalog::ColumnType;
use crate::sql::{CmpOp, Filter};

/// Most values an `in` filter may list (as Supabase).
pub const MAX_IN_VALUES: usize = 100;

/// Splits on `sep` outside parentheses and double quotes.
fn split_top(s: &str, sep: char) -> Vec<&str> {
    let (mut parts, mut depth, mut quoted, mut escaped, mut start) = (Vec::new(), 0i32, false, false, 0);
    for (i, ch) in s.char_indices() {
        match ch {
            _ if escaped => escaped = false,
            '\\' if quoted => escaped = true,
            '"' => quoted = !quoted,
            '(' if !quoted => depth += 1,
            ')' if !quoted => depth -= 1,
            c if c == sep && !quoted && depth == 0 => {
                parts.push(&s[start..i]);
                start = i + ch.len_utf8();
            }
            _ => {}
        }
    }
    parts.push(&s[start..]);
    parts
}

/// A PostgREST value: `"…"` with `\"` and `\\` escapes, else as written.
fn unquote(v: &str) -> String {
    let v = v.trim();
    match v.strip_prefix('"').and_then(|r| r.strip_suffix('"')) {
        Some(inner) => {
            let mut out = String::new();
            let mut chars = inner.chars();
            while let Some(c) = chars.next() {
                out.push(if c == '\\' { chars.next().unwrap_or('\\') } else { c });
            }
            out
        }
        None => v.to_string(),
    }
}

/// Whether `value` is a valid literal of a column of type `ty`.
fn valid_value(ty: ColumnType, value: &str) -> bool {
    match ty {
        ColumnType::Int | ColumnType::BigInt => value.parse::<i64>().is_ok(),
        ColumnType::Float => value.parse::<f64>().is_ok(),
        ColumnType::Decimal => is_decimal(value),
        ColumnType::Bool => matches!(value, "true" | "false"),
        ColumnType::Uuid => uuid::Uuid::parse_str(value).is_ok(),
        ColumnType::Timestamp => rfc3339_instant(value).is_some(),
        ColumnType::Date => is_date(value),
        ColumnType::Enum(values) => values.contains(&value),
        ColumnType::PgEnum(e) => e.values.contains(&value),
        ColumnType::Text | ColumnType::Cidr | ColumnType::Json | ColumnType::TextArray => true,
    }
}

fn is_textual(ty: ColumnType) -> bool {
    matches!(ty, ColumnType::Text | ColumnType::Enum(_) | ColumnType::PgEnum(_))
}

/// Compiles one condition `column=op.value`.
fn condition(tm: &TableModel, part: &str) -> Result<Filter, String> {
    let parse_error = |items: &[&str]| format!("Error parsing `filter` params: {items:?}");
    let Some((column, rest)) = part.split_once('=') else { return Err(parse_error(&[part.trim()])) };
    let column = column.trim();
    let Some((index, col)) = tm.table.column(column).filter(|(_, c)| c.readable()) else {
        return Err(format!("invalid column for filter {column}"));
    };
    let (negated, rest) = match rest.strip_prefix("not.") {
        Some(r) => (true, r),
        None => (false, rest),
    };
    let Some((op, value)) = rest.split_once('.') else { return Err(parse_error(&[column, rest])) };
    let bad_value = || format!("invalid value {value:?} for filter on {column} (a {})", col.ty.sql_cast());
    let cmp = |op: CmpOp| -> Result<Filter, String> {
        let value = unquote(value);
        if !valid_value(col.ty, &value) {
            return Err(bad_value());
        }
        Ok(Filter::Cmp { column: index, op, value })
    };
    let ordered = |op: CmpOp| -> Result<Filter, String> {
        if !col.ty.is_ordered() {
            return Err(format!("{column} cannot be compared with lt, lte, gt or gte"));
        }
        cmp(op)
    };
    let filter = match op {
        "eq" => cmp(CmpOp::Eq)?,
        "neq" => cmp(CmpOp::Neq)?,
        "lt" => ordered(CmpOp::Lt)?,
        "lte" => ordered(CmpOp::Lte)?,
        "gt" => ordered(CmpOp::Gt)?,
        "gte" => ordered(CmpOp::Gte)?,
        "like" | "ilike" => {
            if !is_textual(col.ty) {
                return Err(format!("{op} needs a text column; {column} is a {}", col.ty.sql_cast()));
            }
            Filter::Cmp { column: index, op: if op == "like" { CmpOp::Like } else { CmpOp::ILike }, value: unquote(value) }
        }
        "in" => {
            let inner = value.trim().strip_prefix('(').and_then(|v| v.strip_suffix(')')).ok_or_else(|| parse_error(&[column, rest]))?;
            let values: Vec<String> = split_top(inner, ',').into_iter().map(unquote).collect();
            if values.len() > MAX_IN_VALUES {
                return Err(format!("too many values for `in` filter. Maximum {MAX_IN_VALUES}"));
            }
            if let Some(v) = values.iter().find(|v| !valid_value(col.ty, v)) {
                return Err(format!("invalid value {v:?} for filter on {column} (a {})", col.ty.sql_cast()));
            }
            Filter::In { column: index, values }
        }
        "is" => match value.trim() {
            "null" => Filter::IsNull { column: index, is_null: true },
            "true" | "false" if col.ty == ColumnType::Bool => Filter::Cmp { column: index, op: CmpOp::Eq, value: value.trim().into() },
            _ => return Err(bad_value()),
        },
        _ => return Err(parse_error(&[column, op])),
    };
    Ok(if negated { Filter::Not(Box::new(filter)) } else { filter })
}

/// Compiles a whole filter (empty or blank: no condition).
pub fn compile(tm: &TableModel, filter: &str) -> Result<Vec<Filter>, String> {
    if filter.trim().is_empty() {
        return Ok(Vec::new());
    }
    if filter.trim() == "undefined" {
        return Err("Error parsing `filter` params: [\"undefined\"]".into());
    }
    split_top(filter, ',').into_iter().map(|part| condition(tm, part)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::model::AppModel;

    fn workbenches() -> TableModel {
        let model = AppModel::new(crate::apps::find("studio").unwrap().app());
        model.tables.into_iter().find(|t| t.table.name == "workbenches").unwrap()
    }

    #[test]
    fn grammar() {
        let tm = workbenches();
        let id = "6d6a2d58-0d8b-4d8a-9f62-000000000001";
        let f = compile(&tm, &format!("user_id=eq.{id},name=not.ilike.\"a, b%\"")).unwrap();
        assert_eq!(f.len(), 2);
        assert!(
            matches!(&f[1], Filter::Not(inner) if matches!(**inner, Filter::Cmp { op: CmpOp::ILike, ref value, .. } if value == "a, b%"))
        );
        let f = compile(&tm, &format!("id=in.({id},{id})")).unwrap();
        assert!(matches!(&f[0], Filter::In { values, .. } if values.len() == 2));
        assert!(compile(&tm, " ").unwrap().is_empty());
        assert!(matches!(compile(&tm, "default_brand_kit_id=is.null").unwrap()[0], Filter::IsNull { is_null: true, .. }));
        assert!(compile(&tm, "created_at=gt.2024-01-01T00:00:00Z").is_ok());
    }

    #[test]
    fn errors_read_like_supabase() {
        let tm = workbenches();
        assert_eq!(compile(&tm, "name=foo.hey").unwrap_err(), "Error parsing `filter` params: [\"name\", \"foo\"]");
        assert_eq!(compile(&tm, "nope=eq.1").unwrap_err(), "invalid column for filter nope");
        assert!(compile(&tm, "id=eq.not-a-uuid").is_err());
        assert!(compile(&tm, "user_id=like.x%").is_err());
        assert!(compile(&tm, "id=lt.6d6a2d58-0d8b-4d8a-9f62-000000000001").is_err());
        assert!(compile(&tm, "undefined").is_err());
        let many: Vec<String> = (0..101).map(|_| "6d6a2d58-0d8b-4d8a-9f62-000000000001".to_string()).collect();
        assert_eq!(compile(&tm, &format!("id=in.({})", many.join(","))).unwrap_err(), "too many values for `in` filter. Maximum 100");
    }
}
