//! The runtime index of an app's tables: relations in both directions,
//! GraphQL field-name lookups and enum value names.

use std::collections::HashMap;

use super::names;
use super::{App, BelongsTo, ColumnType, PgEnumType, Table};

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
        /// The foreign-key column is unique: at most one row refers here, so
        /// the field is that row (or null), not a connection.
        single: bool,
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
                        ColumnType::Enum(values) | ColumnType::PgEnum(&PgEnumType { values, .. }) => {
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
                let single = table.shape.is_unique(&[fk.column]);
                tables[target].relations.push((fk.reverse.to_string(), Relation::ToMany { child: ti, fk, single }));
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
}
