//! The structure of a table as the database defines it: columns with their
//! types, nullability, defaults and lengths, the primary key, unique keys and
//! foreign keys.
//!
//! Shapes are never written by hand. `quiver structure <app>` reads them from
//! the migrated catalog ([`crate::db::introspect`]) and prints them with
//! [`render`] into `src/apps/<app>/structure.rs`; a test fails when the file
//! and the migrations disagree. What SQL cannot say (row rules, secrets,
//! managed columns, relation names, descriptions) is declared beside it in a
//! [`super::TableDecl`].

use std::fmt::Write;

use super::{Column, ColumnType};

/// What a foreign key does when its referenced row is deleted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FkAction {
    /// `NO ACTION` (checked at the end of the statement).
    NoAction,
    /// `RESTRICT`.
    Restrict,
    /// `CASCADE`: referencing rows are deleted too.
    Cascade,
    /// `SET NULL`.
    SetNull,
    /// `SET DEFAULT`.
    SetDefault,
}

impl FkAction {
    /// From `pg_constraint.confdeltype`.
    pub fn from_code(code: &str) -> Option<FkAction> {
        Some(match code {
            "a" => FkAction::NoAction,
            "r" => FkAction::Restrict,
            "c" => FkAction::Cascade,
            "n" => FkAction::SetNull,
            "d" => FkAction::SetDefault,
            _ => return None,
        })
    }

    fn rust(self) -> &'static str {
        match self {
            FkAction::NoAction => "NoAction",
            FkAction::Restrict => "Restrict",
            FkAction::Cascade => "Cascade",
            FkAction::SetNull => "SetNull",
            FkAction::SetDefault => "SetDefault",
        }
    }
}

/// A foreign key as the catalog has it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ForeignKey {
    /// Constraint name.
    pub name: &'static str,
    /// Referencing columns, in key order.
    pub columns: &'static [&'static str],
    /// Referenced table, in the same schema.
    pub target: &'static str,
    /// Referenced columns, in key order.
    pub target_columns: &'static [&'static str],
    /// What deleting the referenced row does.
    pub on_delete: FkAction,
}

/// Declares a foreign key (used by generated files).
pub const fn foreign_key(
    name: &'static str,
    columns: &'static [&'static str],
    target: &'static str,
    target_columns: &'static [&'static str],
    on_delete: FkAction,
) -> ForeignKey {
    ForeignKey { name, columns, target, target_columns, on_delete }
}

/// One table's structure.
#[derive(Debug, Clone, Copy)]
pub struct Shape {
    /// The table's name in the app's PostgreSQL schema.
    pub name: &'static str,
    /// Its columns in catalog order, with their structural properties only.
    pub columns: &'static [Column],
    /// Primary-key columns, in key order (empty: none).
    pub primary_key: &'static [&'static str],
    /// Unique keys (constraints and full unique indexes), each its columns.
    pub unique: &'static [&'static [&'static str]],
    /// Foreign keys.
    pub foreign_keys: &'static [ForeignKey],
}

impl Shape {
    /// Looks a column up by name.
    pub fn column(&self, name: &str) -> Option<&'static Column> {
        self.columns.iter().find(|c| c.name == name)
    }

    /// Whether `columns` alone are unique (the primary key or a unique key).
    pub fn is_unique(&self, columns: &[&str]) -> bool {
        let same = |k: &[&str]| k.len() == columns.len() && k.iter().all(|c| columns.contains(c));
        same(self.primary_key) || self.unique.iter().any(|k| same(k))
    }
}

/// An owned shape, as introspection produces it; [`render`] prints it.
#[derive(Debug, Clone, PartialEq)]
pub struct ShapeSpec {
    /// Table name.
    pub name: String,
    /// Columns in catalog order.
    pub columns: Vec<ColumnSpec>,
    /// Primary-key columns.
    pub primary_key: Vec<String>,
    /// Unique keys.
    pub unique: Vec<Vec<String>>,
    /// Foreign keys.
    pub foreign_keys: Vec<ForeignKeySpec>,
}

/// An owned foreign key.
#[derive(Debug, Clone, PartialEq)]
pub struct ForeignKeySpec {
    /// Constraint name.
    pub name: String,
    /// Referencing columns.
    pub columns: Vec<String>,
    /// Referenced table (`schema.table` outside the app's schema).
    pub target: String,
    /// Referenced columns.
    pub target_columns: Vec<String>,
    /// What deleting the referenced row does.
    pub on_delete: FkAction,
}

/// An owned column type; enums carry their values.
#[derive(Debug, Clone, PartialEq)]
pub enum TypeSpec {
    /// A type without parameters.
    Plain(ColumnType),
    /// Text restricted by a `CHECK (column IN (…))`.
    Check(Vec<String>),
    /// A PostgreSQL enum type: its name and values.
    PgEnum(String, Vec<String>),
}

/// An owned column.
#[derive(Debug, Clone, PartialEq)]
pub struct ColumnSpec {
    /// Column name.
    pub name: String,
    /// Its type.
    pub ty: TypeSpec,
    /// `NULL` allowed.
    pub nullable: bool,
    /// Has a default (or is an identity column).
    pub has_default: bool,
    /// `GENERATED ALWAYS AS (…) STORED`: the database computes it.
    pub computed: bool,
    /// Kept current by a `quiver.set_updated_at()` trigger.
    pub managed: bool,
    /// `varchar(n)` / `char(n)` length.
    pub max_len: Option<u32>,
}

/// The Rust constant a table's shape is printed under (`asset_versions` →
/// `ASSET_VERSIONS`, `AbTest` → `AB_TEST`).
pub fn const_name(table: &str) -> String {
    let s = super::names::screaming(table);
    s.trim_start_matches('_').to_string()
}

fn quoted_list(items: &[String]) -> String {
    let inner: Vec<String> = items.iter().map(|s| format!("{s:?}")).collect();
    format!("&[{}]", inner.join(", "))
}

/// Prints the generated structure file of `app` (its PostgreSQL schema) from its shapes.
pub fn render(app: &str, shapes: &[ShapeSpec]) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "//! The structure of the `{app}` tables, read from the migrated PostgreSQL catalog.");
    let _ = writeln!(out, "//!");
    let _ = writeln!(out, "//! Generated by `quiver structure {app} > src/apps/{app}/structure.rs`: do not edit.");
    let _ = writeln!(out, "//! A test fails when the migrations and this file disagree.");
    out.push('\n');
    out.push_str("use crate::catalog::shape::{foreign_key, FkAction::*, Shape};\n");
    out.push_str("#[allow(unused_imports)]\nuse crate::catalog::{col, ColumnType::*, PgEnumType};\n");
    let mut enums: Vec<(&String, &Vec<String>)> = Vec::new();
    for s in shapes {
        for c in &s.columns {
            if let TypeSpec::PgEnum(name, values) = &c.ty {
                if !enums.iter().any(|(n, _)| *n == name) {
                    enums.push((name, values));
                }
            }
        }
    }
    enums.sort();
    for (name, values) in &enums {
        let (schema, bare) = name.split_once('.').unwrap_or((app, name.as_str()));
        let _ = writeln!(
            out,
            "\n/// The PostgreSQL enum type `{schema}.{bare}`.\npub const ENUM_{}: PgEnumType = PgEnumType {{ sql: {:?}, name: {:?}, values: {} }};",
            const_name(name),
            format!("\"{schema}\".\"{bare}\""),
            bare,
            quoted_list(values)
        );
    }
    for s in shapes {
        let qualified = if s.name.contains('.') { s.name.clone() } else { format!("{app}.{}", s.name) };
        let _ = writeln!(out, "\n/// `{qualified}`.");
        let _ = writeln!(out, "pub const {}: Shape = Shape {{", const_name(&s.name));
        let _ = writeln!(out, "    name: {:?},", s.name);
        out.push_str("    columns: &[\n");
        for c in &s.columns {
            let ty = match &c.ty {
                TypeSpec::Plain(t) => format!("{t:?}"),
                TypeSpec::Check(values) => format!("Enum({})", quoted_list(values)),
                TypeSpec::PgEnum(name, _) => format!("PgEnum(&ENUM_{})", const_name(name)),
            };
            let mut line = format!("        col({:?}, {ty})", c.name);
            if let Some(n) = c.max_len {
                let _ = write!(line, ".max_len({n})");
            }
            if c.nullable {
                line.push_str(".null()");
            }
            if c.computed {
                line.push_str(".computed()");
            } else if c.managed {
                line.push_str(".managed()");
            } else if c.has_default {
                line.push_str(".default()");
            }
            let _ = writeln!(out, "{line},");
        }
        out.push_str("    ],\n");
        let _ = writeln!(out, "    primary_key: {},", quoted_list(&s.primary_key));
        let unique: Vec<String> = s.unique.iter().map(|k| quoted_list(k)).collect();
        let _ = writeln!(out, "    unique: &[{}],", unique.join(", "));
        if s.foreign_keys.is_empty() {
            out.push_str("    foreign_keys: &[],\n");
        } else {
            out.push_str("    foreign_keys: &[\n");
            for f in &s.foreign_keys {
                let _ = writeln!(
                    out,
                    "        foreign_key({:?}, {}, {:?}, {}, {}),",
                    f.name,
                    quoted_list(&f.columns),
                    f.target,
                    quoted_list(&f.target_columns),
                    f.on_delete.rust()
                );
            }
            out.push_str("    ],\n");
        }
        out.push_str("};\n");
    }
    out.push_str("\n/// Every table of the app, by name.\npub const ALL: &[Shape] = &[\n");
    for s in shapes {
        let _ = writeln!(out, "    {},", const_name(&s.name));
    }
    out.push_str("];\n");
    out
}
