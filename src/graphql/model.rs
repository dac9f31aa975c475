//! The runtime view of an app's declarations: relations indexed in both
//! directions, field-name lookups, and the row values resolvers work with.

use std::collections::HashMap;
use std::sync::Arc;

use async_graphql::{Name, Value};

use super::names;
use crate::catalog::{App, BelongsTo, ColumnType, Table};
use crate::db::{Datum, DbRow};
use crate::error::QuiverError;
use crate::sql::{Scope, FIRST_COLUMN};

/// A relation field on a table's object type.
#[derive(Debug, Clone, Copy)]
pub enum Relation {
    /// This row's foreign key → one row of `target`.
    ToOne {
        /// The foreign key on this table.
        fk: &'static BelongsTo,
        /// The referenced table.
        target: usize,
    },
    /// Rows of `child` whose foreign key points at this row.
    ToMany {
        /// The referencing table.
        child: usize,
        /// Its foreign key.
        fk: &'static BelongsTo,
    },
    /// Rows of `target` linked to this row through a join table.
    Linked {
        /// The join table.
        join: usize,
        /// Join column pointing at this table.
        near: &'static str,
        /// Join column pointing at the target.
        far: &'static str,
        /// The linked table.
        target: usize,
    },
}

/// Identifies a relation: (table index, relation index within that table).
pub type RelId = (usize, usize);

/// One table with its derived lookups.
#[derive(Debug)]
pub struct TableModel {
    /// The declaration.
    pub table: &'static Table,
    /// Relation fields, by GraphQL field name.
    pub relations: Vec<(String, Relation)>,
    /// GraphQL field name → column index, readable columns only.
    pub fields: HashMap<String, usize>,
    /// Per enum column: (GraphQL value name, database value) pairs.
    pub enums: HashMap<usize, Vec<(String, &'static str)>>,
    /// The foreign-key column behind each to-one field, by field name.
    pub to_one_columns: HashMap<String, usize>,
    /// Every readable column, for mutation results.
    pub readable: Vec<usize>,
}

impl TableModel {
    /// The database value for a GraphQL enum value of column `column`.
    pub fn enum_db_value(&self, column: usize, gql: &str) -> Option<&'static str> {
        self.enums.get(&column)?.iter().find(|(n, _)| n == gql).map(|(_, v)| *v)
    }

    /// The GraphQL enum value for a database value of column `column`.
    pub fn enum_name(&self, column: usize, db: &str) -> Option<&str> {
        self.enums.get(&column)?.iter().find(|(_, v)| *v == db).map(|(n, _)| n.as_str())
    }
}

/// An app's declarations, indexed.
#[derive(Debug)]
pub struct AppModel {
    /// The app.
    pub app: &'static App,
    /// Tables, in declaration order.
    pub tables: Vec<TableModel>,
}

impl AppModel {
    /// Indexes the declarations (which must have passed [`App::validate`]).
    pub fn new(app: &'static App) -> AppModel {
        let index = |name: &str| app.tables.iter().position(|t| t.name == name).expect("validated");
        let mut tables: Vec<TableModel> = app
            .tables
            .iter()
            .map(|table| {
                let fields = table
                    .columns
                    .iter()
                    .enumerate()
                    .filter(|(_, c)| c.readable())
                    .map(|(i, c)| (names::field(c), i))
                    .collect();
                let enums = table
                    .columns
                    .iter()
                    .enumerate()
                    .filter_map(|(i, c)| match c.ty {
                        ColumnType::Enum(values) | ColumnType::PgEnum(_, values) => {
                            Some((i, values.iter().map(|v| (names::screaming(v), *v)).collect()))
                        }
                        _ => None,
                    })
                    .collect();
                let to_one_columns = table
                    .belongs_to
                    .iter()
                    .map(|fk| (fk.field.to_string(), table.column(fk.column).expect("validated").0))
                    .collect();
                let readable = (0..table.columns.len()).filter(|&i| table.columns[i].readable()).collect();
                TableModel { table, relations: Vec::new(), fields, enums, to_one_columns, readable }
            })
            .collect();
        for (ti, table) in app.tables.iter().enumerate() {
            for fk in table.belongs_to {
                let target = index(fk.target);
                tables[ti].relations.push((fk.field.to_string(), Relation::ToOne { fk, target }));
                tables[target].relations.push((fk.reverse.to_string(), Relation::ToMany { child: ti, fk }));
            }
            for m in table.many_to_many {
                let target_of = |col: &str| index(table.belongs_to.iter().find(|f| f.column == col).expect("validated").target);
                let (left, right) = (target_of(m.left_column), target_of(m.right_column));
                tables[left].relations.push((
                    m.left_field.to_string(),
                    Relation::Linked { join: ti, near: m.left_column, far: m.right_column, target: right },
                ));
                tables[right].relations.push((
                    m.right_field.to_string(),
                    Relation::Linked { join: ti, near: m.right_column, far: m.left_column, target: left },
                ));
            }
        }
        AppModel { app, tables }
    }

    /// The table a to-many or many-to-many relation lists, and the scope
    /// selecting its rows for `parents`.
    pub fn relation_scope<'a>(&self, rel: RelId, parents: &'a [String]) -> (usize, Scope<'a>) {
        match self.tables[rel.0].relations[rel.1].1 {
            Relation::ToMany { child, fk } => (child, Scope::Children { column: fk.column, parents }),
            Relation::Linked { join, near, far, target } => {
                (target, Scope::Linked { join: self.tables[join].table, near, far, parents })
            }
            Relation::ToOne { .. } => unreachable!("to-one relations load by key"),
        }
    }
}

/// A fetched row: the table's columns by index (`Null` where not fetched),
/// already in GraphQL value form (enum columns hold their database value).
#[derive(Debug)]
pub struct Row {
    /// Index of the row's table in the [`AppModel`].
    pub table: usize,
    /// Column values.
    pub values: Vec<Value>,
}

/// A row shared between the loader's results and the resolvers.
pub type RowRef = Arc<Row>;

impl Row {
    /// Builds a row of `table` (declared as `decl`) from a fetched row holding
    /// `columns` from its first table column on.
    pub fn from_db(table: usize, decl: &Table, columns: &[usize], row: &DbRow) -> Result<Row, QuiverError> {
        let mut values = vec![Value::Null; decl.columns.len()];
        for (i, &c) in columns.iter().enumerate() {
            values[c] = datum_value(decl.columns[c].ty, row.datum(FIRST_COLUMN + i)?)?;
        }
        Ok(Row { table, values })
    }

    /// Builds a row from a JSON object keyed by column name (PostgreSQL's
    /// `to_jsonb(row)`), keeping exact numerics exact.
    pub fn from_object(tm: &TableModel, table: usize, fields: &HashMap<String, Box<serde_json::value::RawValue>>) -> Row {
        let columns = tm.table.columns;
        let mut values = vec![Value::Null; columns.len()];
        for (i, c) in columns.iter().enumerate() {
            let Some(raw) = fields.get(c.name) else { continue };
            let text = raw.get();
            values[i] = match c.ty {
                ColumnType::Decimal | ColumnType::BigInt if !text.starts_with('"') && text != "null" => {
                    Value::String(text.to_string())
                }
                _ => serde_json::from_str(text).unwrap_or(Value::Null),
            };
        }
        Row { table, values }
    }

    /// A column's value as text, the form binds and cursors use (`None` for NULL).
    pub fn text(&self, column: usize) -> Option<String> {
        match &self.values[column] {
            Value::Null => None,
            Value::String(s) => Some(s.clone()),
            Value::Enum(n) => Some(n.to_string()),
            Value::Number(n) => Some(n.to_string()),
            Value::Boolean(b) => Some(b.to_string()),
            other => other.clone().into_json().ok().map(|j| j.to_string()),
        }
    }
}

/// The value resolvers work with for a fetched column of type `ty`: exact
/// numbers as strings, enum columns as their database value (see
/// [`output_value`]), temporal values in PostgreSQL's JSON spelling.
pub fn datum_value(ty: ColumnType, d: Datum) -> Result<Value, QuiverError> {
    Ok(match d {
        Datum::Null => Value::Null,
        Datum::Bool(b) => Value::Boolean(b),
        Datum::Int(n) if matches!(ty, ColumnType::BigInt | ColumnType::Decimal) => Value::String(n.to_string()),
        Datum::Int(n) => Value::Number(n.into()),
        Datum::Float(f) => serde_json::Number::from_f64(f).map(Value::Number).unwrap_or(Value::Null),
        Datum::Json(text) => serde_json::from_str(text).map_err(|e| QuiverError::Internal(format!("json column: {e}")))?,
        other => Value::String(other.to_text().unwrap_or_default()),
    })
}

/// A JSON scalar as the text PostgreSQL would parse back into the same value.
pub fn json_text(v: &serde_json::Value) -> Option<String> {
    match v {
        serde_json::Value::Null => None,
        serde_json::Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

/// Converts a fetched column value to its GraphQL value.
pub fn output_value(model: &TableModel, column: usize, v: &Value) -> Value {
    match (model.table.columns[column].ty, v) {
        (ColumnType::Enum(_) | ColumnType::PgEnum(..), Value::String(s)) => {
            model.enum_name(column, s).map(|n| Value::Enum(Name::new(n))).unwrap_or(Value::Null)
        }
        (ColumnType::BigInt | ColumnType::Decimal, Value::Number(n)) => Value::String(n.to_string()),
        (_, v) => v.clone(),
    }
}
