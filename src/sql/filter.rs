//! Filter expressions and their SQL.

use super::access::{and_guard, Mode};
use super::{Bind, Sql};
use crate::catalog::Principal;
use crate::catalog::{App, Table};

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CmpOp {
    /// `=`
    Eq,
    /// `<>` (rows whose value is NULL do not match, as in SQL)
    Neq,
    /// `<`
    Lt,
    /// `<=`
    Lte,
    /// `>`
    Gt,
    /// `>=`
    Gte,
    /// `LIKE`
    Like,
    /// `ILIKE`
    ILike,
    /// `@>` (JSON containment; for a list, has every given element)
    Contains,
    /// `&&` (a list has at least one of the given elements)
    Overlaps,
}

impl CmpOp {
    fn sql(self) -> &'static str {
        match self {
            CmpOp::Eq => " = ",
            CmpOp::Neq => " <> ",
            CmpOp::Lt => " < ",
            CmpOp::Lte => " <= ",
            CmpOp::Overlaps => " && ",
            CmpOp::Gt => " > ",
            CmpOp::Gte => " >= ",
            CmpOp::Like => " LIKE ",
            CmpOp::ILike => " ILIKE ",
            CmpOp::Contains => " @> ",
        }
    }
}

/// A row predicate over one table (columns by declaration index).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Filter {
    /// All must hold (an empty list holds).
    And(Vec<Filter>),
    /// Any must hold (an empty list does not hold).
    Or(Vec<Filter>),
    /// Must not hold.
    Not(Box<Filter>),
    /// `column <op> value`.
    Cmp {
        /// Column index.
        column: usize,
        /// Operator.
        op: CmpOp,
        /// The value, as text.
        value: String,
    },
    /// `column IN (values)`.
    In {
        /// Column index.
        column: usize,
        /// The values, as text.
        values: Vec<String>,
    },
    /// `column IS [NOT] NULL`.
    IsNull {
        /// Column index.
        column: usize,
        /// `true` for `IS NULL`.
        is_null: bool,
    },
    /// The row referenced through a foreign key matches a filter.
    Related {
        /// Index into the table's `belongs_to`.
        fk: usize,
        /// The filter on the referenced table.
        filter: Box<Filter>,
    },
}

/// Appends the SQL of `filter` for rows of `table` aliased `alias`; rows
/// reached across a relation must be readable by `who`.
pub fn render(sql: &mut Sql, app: &App, table: &Table, alias: &str, filter: &Filter, who: &Principal) {
    match filter {
        Filter::And(parts) | Filter::Or(parts) if parts.is_empty() => {
            sql.push(if matches!(filter, Filter::And(_)) { "TRUE" } else { "FALSE" });
        }
        Filter::And(parts) | Filter::Or(parts) => {
            let joiner = if matches!(filter, Filter::And(_)) { " AND " } else { " OR " };
            sql.push("(");
            for (i, part) in parts.iter().enumerate() {
                if i > 0 {
                    sql.push(joiner);
                }
                render(sql, app, table, alias, part, who);
            }
            sql.push(")");
        }
        Filter::Not(inner) => {
            // NOT over SQL's three-valued logic: a NULL comparison counts as false.
            sql.push("NOT COALESCE(");
            render(sql, app, table, alias, inner, who);
            sql.push(", FALSE)");
        }
        Filter::Cmp { column, op, value } => {
            let col = &table.columns[*column];
            sql.column(alias, col.name).push(op.sql());
            let ty = if matches!(op, CmpOp::Like | CmpOp::ILike) { "text" } else { col.ty.sql_cast() };
            sql.bind(Bind::Text(Some(value.clone())), ty);
        }
        Filter::In { column, values } => {
            let col = &table.columns[*column];
            sql.column(alias, col.name).push(" = ANY(");
            let values = values.iter().cloned().map(Some).collect();
            sql.bind(Bind::Array(values), &format!("{}[]", col.ty.sql_cast()));
            sql.push(")");
        }
        Filter::IsNull { column, is_null } => {
            sql.column(alias, table.columns[*column].name);
            sql.push(if *is_null { " IS NULL" } else { " IS NOT NULL" });
        }
        Filter::Related { fk, filter } => {
            let fk = &table.belongs_to[*fk];
            let target = app.table(fk.target).expect("validated: fk target exists");
            let inner = sql.alias();
            sql.push("EXISTS (SELECT 1 FROM ").table(app, target).push(" ").push(&inner);
            sql.push(" WHERE ").column(&inner, target.key).push(" = ").column(alias, fk.column);
            and_guard(sql, app, target, &inner, Mode::Read, who);
            sql.push(" AND ");
            render(sql, app, target, &inner, filter, who);
            sql.push(")");
        }
    }
}
