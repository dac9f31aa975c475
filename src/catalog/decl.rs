//! The hand-written part of a table's declaration, and the step that merges
//! it with the table's generated [`Shape`] into the [`Table`] Quiver serves.
//!
//! A [`TableDecl`] says only what SQL cannot: who may read and write rows,
//! which columns are secret or kept by the database, what relation fields are
//! called where the naming rule ([`super::names`]) would not do, and a
//! description. Columns, types, nullability, defaults, lengths, CHECK lists,
//! keys and foreign keys come from the shape. [`AppDecl::build`] checks every
//! hand-written reference against the shape, so a stale one stops start-up
//! with a message naming the table and column.

use super::shape::Shape;
use super::{names, Access, ApiKeys, App, BelongsTo, Column, ColumnRule, ManyToMany, Rule, Storage, Table, TopicDecl, Watch};

/// A secret (write-only) column and how it is stored.
#[derive(Debug, Clone, Copy)]
pub struct Secret {
    /// The column.
    pub column: &'static str,
    /// Stored as written, hashed or encrypted.
    pub storage: Storage,
}

/// Write-only, stored as written (e.g. a reset token).
pub const fn write_only(column: &'static str) -> Secret {
    Secret { column, storage: Storage::Plain }
}

/// Write-only, stored as an argon2id hash of what is written; create and
/// patch inputs take the secret itself under `input` (`password` for `password_hash`).
pub const fn hashed(column: &'static str, input: &'static str) -> Secret {
    Secret { column, storage: Storage::Hashed(input) }
}

/// Write-only, encrypted at rest with the server key (`QUIVER_ENCRYPTION_KEY`).
pub const fn encrypted(column: &'static str) -> Secret {
    Secret { column, storage: Storage::Encrypted }
}

/// Names the two fields of the relation behind a foreign-key column: the
/// to-one `field` on this table's type and the to-many `reverse` field on
/// the referenced type. Undeclared relations are named by the rule in
/// [`names::to_one_field`] and [`names::to_many_field`].
#[derive(Debug, Clone, Copy)]
pub struct Rel {
    /// The foreign-key column.
    pub column: &'static str,
    /// The to-one field here (`None`: by the naming rule).
    pub field: Option<&'static str>,
    /// The to-many field on the target (`None`: by the naming rule).
    pub reverse: Option<&'static str>,
}

/// `rel(column, field, reverse)`: both relation fields of a foreign key named by hand.
pub const fn rel(column: &'static str, field: &'static str, reverse: &'static str) -> Rel {
    Rel { column, field: Some(field), reverse: Some(reverse) }
}

impl Rel {
    /// Only the to-one field named by hand.
    pub const fn field(column: &'static str, field: &'static str) -> Rel {
        Rel { column, field: Some(field), reverse: None }
    }
    /// Only the to-many field on the target named by hand.
    pub const fn reverse(column: &'static str, reverse: &'static str) -> Rel {
        Rel { column, field: None, reverse: Some(reverse) }
    }
}

/// The hand-written part of a table: built on its generated [`Shape`].
#[derive(Debug, Clone, Copy)]
pub struct TableDecl {
    /// The table's structure, from the generated `structure.rs`.
    pub shape: &'static Shape,
    /// GraphQL type name (`None`: the naming rule's, see [`names::type_name`]).
    pub type_name: Option<&'static str>,
    /// The column identifying a row (`None`: the single-column primary key).
    pub key: Option<&'static str>,
    /// Write-only columns.
    pub secrets: &'static [Secret],
    /// Columns kept current by the database (triggers): never written through the API.
    pub managed: &'static [&'static str],
    /// Relation names where the rule's would not do.
    pub relations: &'static [Rel],
    /// Foreign-key columns writers may point at rows they cannot read (a team
    /// owner adding another user by id). Others must name readable rows.
    pub open: &'static [&'static str],
    /// Many-to-many links this join table provides.
    pub many_to_many: &'static [ManyToMany],
    /// One line describing the table; the GraphQL type description.
    pub description: &'static str,
    /// Optimistic concurrency column (see [`Table::version`]).
    pub version: Option<&'static str>,
    /// Row rules (default: service only).
    pub access: Access,
    /// API-key permission resource name (default: the table name).
    pub scope: Option<&'static str>,
    /// Column write permissions.
    pub column_rules: &'static [ColumnRule],
}

impl TableDecl {
    /// Declares a table on its shape: service-only until [`TableDecl::rules`] says otherwise.
    pub const fn new(shape: &'static Shape) -> TableDecl {
        TableDecl {
            shape,
            type_name: None,
            key: None,
            secrets: &[],
            managed: &[],
            relations: &[],
            open: &[],
            many_to_many: &[],
            description: "",
            version: None,
            access: Access { read: Rule::ServiceOnly, write: Rule::ServiceOnly },
            scope: None,
            column_rules: &[],
        }
    }
    /// Declares who may write particular columns ([`super::service_writes`],
    /// [`super::fixed`], [`super::writable_when`]).
    pub const fn columns(self, column_rules: &'static [ColumnRule]) -> Self {
        TableDecl { column_rules, ..self }
    }
    /// Names the GraphQL type.
    pub const fn named(self, type_name: &'static str) -> Self {
        TableDecl { type_name: Some(type_name), ..self }
    }
    /// Names the column identifying a row, where the primary key has several
    /// (a partitioned table's key widened by its partition column).
    pub const fn key(self, column: &'static str) -> Self {
        TableDecl { key: Some(column), ..self }
    }
    /// Declares the write-only columns.
    pub const fn secrets(self, secrets: &'static [Secret]) -> Self {
        TableDecl { secrets, ..self }
    }
    /// Declares the columns the database keeps current.
    pub const fn managed(self, managed: &'static [&'static str]) -> Self {
        TableDecl { managed, ..self }
    }
    /// Names relation fields.
    pub const fn relations(self, relations: &'static [Rel]) -> Self {
        TableDecl { relations, ..self }
    }
    /// Lets writers refer to rows they cannot read through these foreign-key columns.
    pub const fn open(self, open: &'static [&'static str]) -> Self {
        TableDecl { open, ..self }
    }
    /// Adds many-to-many links through this join table.
    pub const fn many_to_many(self, many_to_many: &'static [ManyToMany]) -> Self {
        TableDecl { many_to_many, ..self }
    }
    /// Sets the description.
    pub const fn describe(self, description: &'static str) -> Self {
        TableDecl { description, ..self }
    }
    /// Guards updates with a version column (e.g. `updated_at`, kept current
    /// by the database): an update names the version it last saw.
    pub const fn versioned(self, column: &'static str) -> Self {
        TableDecl { version: Some(column), ..self }
    }
    /// Declares who may read and who may write rows.
    pub const fn rules(self, read: Rule, write: Rule) -> Self {
        TableDecl { access: Access { read, write }, ..self }
    }
    /// Names the resource API-key permissions grant this table under.
    pub const fn scope(self, scope: &'static str) -> Self {
        TableDecl { scope: Some(scope), ..self }
    }
}

/// An app's declaration: its PostgreSQL schema's tables and what the app
/// adds on top. The structure comes from its generated `structure.rs`.
#[derive(Debug, Clone, Copy)]
pub struct AppDecl {
    /// URL segment (`studio`), and the PostgreSQL schema unless the app is served in another ([`App::in_schema`]).
    pub name: &'static str,
    /// Every table of the schema, in the order the API lists them.
    pub tables: &'static [TableDecl],
    /// Every table's shape, as generated (`structure::ALL`).
    pub structure: &'static [Shape],
    /// Tables of other schemas the app sits on, qualified (`auth.users`):
    /// `quiver structure` prints them beside the app's own.
    pub include: &'static [&'static str],
    /// Domain subscriptions.
    pub watches: &'static [Watch],
    /// API keys, if the app has them.
    pub api_keys: Option<ApiKeys>,
    /// Broadcast and presence topics (others are the service role's alone).
    pub topics: &'static [TopicDecl],
}

fn leak<T>(v: Vec<T>) -> &'static [T] {
    Box::leak(v.into_boxed_slice())
}

fn leak_str(s: String) -> &'static str {
    Box::leak(s.into_boxed_str())
}

impl AppDecl {
    /// Merges every table's declaration with its shape and checks the
    /// result: every hand-written name must exist, every table of the
    /// structure must be declared, and no two GraphQL names may clash. Each
    /// problem is one line naming the app, table and column. The result
    /// lives as long as the process (apps are built once).
    pub fn build(&'static self) -> Result<&'static App, Vec<String>> {
        let mut problems = Vec::new();
        for shape in self.structure {
            if !self.tables.iter().any(|t| std::ptr::eq(t.shape, shape) || t.shape.name == shape.name) {
                problems.push(format!("app {}: table {} is in the schema but not declared", self.name, shape.name));
            }
        }
        let tables: Vec<Table> = self.tables.iter().map(|t| self.table(t, &mut problems)).collect();
        let app: &'static App = Box::leak(Box::new(App {
            name: self.name,
            schema: self.name,
            tables: leak(tables),
            watches: self.watches,
            api_keys: self.api_keys,
            topics: self.topics,
        }));
        // Whatever else is wrong, report every rule problem and name clash too.
        if let Err(e) = app.validate() {
            problems.push(e);
        }
        problems.extend(names::clashes(app));
        if problems.is_empty() {
            Ok(app)
        } else {
            Err(problems)
        }
    }

    fn table(&self, d: &'static TableDecl, problems: &mut Vec<String>) -> Table {
        let shape = d.shape;
        let mut problem = |what: String| problems.push(format!("app {}: table {}: {what}", self.name, shape.name));
        let mut missing = |what: &str, column: &str| {
            if shape.column(column).is_none() {
                problem(format!("{what} names column {column}, which the table does not have"));
            }
        };
        for s in d.secrets {
            missing("a secret", s.column);
        }
        for m in d.managed {
            missing("managed", m);
        }
        for o in d.open {
            missing("open", o);
        }
        for r in d.relations {
            missing("a relation", r.column);
        }
        for r in d.column_rules {
            missing("a column rule", r.column);
        }
        let keys: &'static [&'static str] = match (d.key, shape.primary_key) {
            (Some(k), _) => {
                missing("key", k);
                std::slice::from_ref(d.key.as_ref().expect("matched"))
            }
            (None, []) => {
                problem("has no primary key: declare .key(column) naming a unique column".into());
                &[""]
            }
            (None, pk) => pk,
        };
        let key = keys[0];
        let columns: Vec<Column> = shape
            .columns
            .iter()
            .map(|c| {
                let mut c = *c;
                if let Some(s) = d.secrets.iter().find(|s| s.column == c.name) {
                    c.secret = true;
                    c.storage = s.storage;
                }
                if d.managed.contains(&c.name) {
                    c.managed = true;
                    c.has_default = true;
                }
                // A row's identity never changes through the API.
                c.immutable = keys.contains(&c.name);
                c
            })
            .collect();
        let mut belongs_to = Vec::new();
        for fk in shape.foreign_keys {
            let [column] = fk.columns else {
                problem(format!("foreign key {} has several columns, which the API cannot follow yet", fk.name));
                continue;
            };
            let Some(target) = self.tables.iter().find(|t| t.shape.name == fk.target) else {
                problem(format!("foreign key {} refers to {}, which is not declared", fk.name, fk.target));
                continue;
            };
            let target_key = target.key.or(match target.shape.primary_key {
                [k] => Some(*k),
                _ => None,
            });
            if fk.target_columns != [target_key.unwrap_or("")] {
                problem(format!("foreign key {} refers to {}, not to the key of {}", fk.name, fk.target_columns.join(", "), fk.target));
                continue;
            }
            let named = d.relations.iter().find(|r| r.column == *column);
            let siblings = shape.foreign_keys.iter().filter(|f| f.target == fk.target).count();
            let field = named.and_then(|r| r.field).map(str::to_string).unwrap_or_else(|| names::to_one_field(column));
            let own_type = d.type_name.map(str::to_string).unwrap_or_else(|| names::type_name(shape.name));
            let reverse = named.and_then(|r| r.reverse).map(str::to_string).unwrap_or_else(|| {
                if shape.is_unique(&[column]) {
                    names::to_one_reverse_field(&own_type, &field, siblings > 1)
                } else {
                    names::to_many_field(shape.name, &field, siblings > 1)
                }
            });
            belongs_to.push(BelongsTo {
                field: leak_str(field),
                column,
                target: fk.target,
                reverse: leak_str(reverse),
                open: d.open.contains(column),
            });
        }
        for r in d.relations {
            if !shape.foreign_keys.iter().any(|f| f.columns == [r.column]) {
                problem(format!("a relation names column {}, which has no foreign key", r.column));
            }
        }
        Table {
            name: shape.name,
            type_name: d.type_name.unwrap_or_else(|| leak_str(names::type_name(shape.name))),
            key,
            keys,
            columns: leak(columns),
            belongs_to: leak(belongs_to),
            many_to_many: d.many_to_many,
            description: d.description,
            version: d.version,
            access: d.access,
            scope: d.scope,
            shape,
            column_rules: d.column_rules,
        }
    }
}
