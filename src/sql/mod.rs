//! SQL generation from table declarations.
//!
//! Everything here is pure: functions take a declaration and a query
//! description and return [`Sql`] (text plus bound values), which
//! [`crate::db::Db::fetch`] runs. Every value is bound as text and cast in SQL
//! to its column's type; identifiers are always quoted, so camelCase column
//! names work unchanged.
//!
//! Relation loads take a whole batch of parent keys at once: one statement per
//! relation level, with per-parent limits, filters and ordering applied inside
//! a `LATERAL` subquery.
//!
//! Every statement returning rows has one shape: a tag column first (the
//! 1-based position of the row's parent in the bound parent array for batched
//! reads, NULL for root reads, the write rule's verdict for writes), then the
//! requested table columns in the order asked ([`push_columns`]).

pub mod access;
mod filter;
mod mutate;
mod select;

pub use filter::{CmpOp, Filter};
pub use mutate::{delete_by_key, insert_row, insert_verdict, scratch_table, update_by_key, update_verdict, VERDICT_FORBIDDEN, VERDICT_OK};
pub use select::{count_rows, select_by_keys, select_by_keys_writable, select_rows, Counted, Cursor, ListQuery, OrderKey, Scope};

/// Index of the first table column in a result row (after the tag column).
pub const FIRST_COLUMN: usize = 1;

use crate::catalog::{App, Column, ColumnType, Table};
use std::fmt::Write;

/// A value bound to a statement parameter.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Bind {
    /// A single value as text (`NULL` when `None`), cast in SQL.
    Text(Option<String>),
    /// An array of values as `text[]`, cast in SQL.
    Array(Vec<Option<String>>),
}

/// A statement under construction: SQL text and its bound values.
#[derive(Debug, Default)]
pub struct Sql {
    /// The SQL text with `$n` placeholders.
    pub text: String,
    /// Values for the placeholders, in order.
    pub binds: Vec<Bind>,
    aliases: usize,
}

impl Sql {
    /// Appends SQL text.
    pub fn push(&mut self, s: &str) -> &mut Self {
        self.text.push_str(s);
        self
    }

    /// Appends a placeholder bound to `bind`, cast to `cast`.
    pub fn bind(&mut self, bind: Bind, cast: &str) -> &mut Self {
        self.binds.push(bind);
        let _ = write!(self.text, "${}::{}", self.binds.len(), cast);
        self
    }

    /// Appends a quoted identifier.
    pub fn ident(&mut self, name: &str) -> &mut Self {
        self.text.push('"');
        self.text.push_str(&name.replace('"', "\"\""));
        self.text.push('"');
        self
    }

    /// Appends `alias."column"`.
    pub fn column(&mut self, alias: &str, column: &str) -> &mut Self {
        self.push(alias).push(".").ident(column)
    }

    /// Appends `"schema"."table"`.
    pub fn table(&mut self, app: &App, table: &Table) -> &mut Self {
        let (schema, name) = table.sql_name(app);
        self.ident(schema).push(".").ident(name)
    }

    /// A fresh table alias (`t0`, `t1`, ...).
    pub fn alias(&mut self) -> String {
        self.aliases += 1;
        format!("t{}", self.aliases - 1)
    }
}

/// Where a row's key text comes from in [`key_equals`].
#[derive(Debug, Clone, Copy)]
pub enum KeyText<'a> {
    /// A SQL expression of type text (`p.k`, a parent array's element).
    Expr(&'a str),
    /// A bound value.
    Bound(&'a str),
}

/// Appends `alias.key = <key>` for a one-column key, or one equality per
/// column (`alias.a = (<key>::jsonb ->> 0)::type AND …`) for a key of several
/// columns, whose text is a JSON array of the column values' text.
pub fn key_equals(sql: &mut Sql, table: &Table, alias: &str, key: KeyText) {
    let composite = table.composite_key();
    for (i, ci) in table.key_columns().into_iter().enumerate() {
        let column = &table.columns[ci];
        if i > 0 {
            sql.push(" AND ");
        }
        sql.column(alias, column.name).push(" = ");
        let ty = column.ty.sql_cast();
        match (key, composite) {
            (KeyText::Expr(e), false) => sql.push(&format!("{e}::{ty}")),
            (KeyText::Expr(e), true) => sql.push(&format!("({e}::jsonb ->> {i})::{ty}")),
            (KeyText::Bound(v), false) => sql.bind(Bind::Text(Some(v.to_string())), ty),
            (KeyText::Bound(v), true) => sql.push("(").bind(Bind::Text(Some(v.to_string())), "jsonb").push(&format!(" ->> {i})::{ty}")),
        };
    }
}

/// Appends a text expression spelling the row's key as [`key_equals`] reads it.
pub fn key_text(sql: &mut Sql, table: &Table, alias: &str) {
    if table.composite_key() {
        sql.push("json_build_array(");
        for (i, k) in table.keys.iter().enumerate() {
            if i > 0 {
                sql.push(", ");
            }
            sql.column(alias, k).push("::text");
        }
        sql.push(")::text");
    } else {
        sql.column(alias, table.key).push("::text");
    }
}

/// Appends `, <column>` for each of `columns`, each its own result column in
/// a form the row decoder reads ([`crate::db::row`]): exact numerics, network
/// addresses and enum labels as text, arrays as JSON, the rest as they are.
pub fn push_columns(sql: &mut Sql, table: &Table, alias: &str, columns: &[usize]) {
    for (i, &c) in columns.iter().enumerate() {
        let column: &Column = &table.columns[c];
        sql.push(", ");
        match column.ty {
            ColumnType::TextArray => {
                sql.push("to_json(").column(alias, column.name).push(")");
            }
            ColumnType::Decimal | ColumnType::Cidr | ColumnType::PgEnum(..) => {
                sql.column(alias, column.name).push("::text");
            }
            _ => {
                sql.column(alias, column.name);
            }
        }
        let _ = write!(sql.text, " AS c{i}");
    }
}
