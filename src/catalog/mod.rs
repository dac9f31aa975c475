//! The vocabulary every layer speaks: how an app's tables are described, and
//! the served form they are built into.
//!
//! A table has two parts. Its structure ([`shape::Shape`]: columns, types,
//! keys, foreign keys) is generated from the migrated catalog into
//! `src/apps/<app>/structure.rs`; its hand-written part ([`TableDecl`]: row
//! rules, secrets, relation names, a description) sits beside it.
//! [`AppDecl::build`] merges the two into the [`Table`]s and [`App`] that SQL
//! generation, the GraphQL schema and the realtime hub work from, and checks
//! them. Everything else (the GraphQL object, filter, order and input types,
//! root fields, mutations, relation fields in both directions and the batched
//! SQL behind them) is derived from those at start-up.
//!
//! ```text
//! pub const PROJECTS: TableDecl = TableDecl::new(&structure::PROJECTS)
//!     .rules(Owner("user_id"), AllOf(&[Owner("user_id"), Via("workbench_id")]))
//!     .describe("Creative project containing assets and generation requests.");
//! ```

mod decl;
pub mod formats;
pub mod model;
pub mod names;
pub mod principal;
pub mod shape;

pub use decl::{encrypted, hashed, rel, write_only, AppDecl, Rel, Secret, TableDecl};
pub use principal::{Mode, Principal, Role};

/// The value type of a column, as GraphQL and SQL see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnType {
    /// `uuid`; GraphQL `UUID`.
    Uuid,
    /// `text` / `varchar`; GraphQL `String`.
    Text,
    /// `boolean`; GraphQL `Boolean`.
    Bool,
    /// `integer` / `smallint`; GraphQL `Int`.
    Int,
    /// `bigint` / `bigserial`; GraphQL `BigInt` (a string, to stay exact in JavaScript).
    BigInt,
    /// `double precision` / `real`; GraphQL `Float`.
    Float,
    /// `numeric`; GraphQL `Decimal` (a string, exact).
    Decimal,
    /// `timestamptz` / `timestamp`; GraphQL `DateTime` (RFC 3339).
    Timestamp,
    /// `date`; GraphQL `Date` (`YYYY-MM-DD`).
    Date,
    /// `jsonb` / `json`; GraphQL `JSON`.
    Json,
    /// `text[]`; GraphQL `[String!]`.
    TextArray,
    /// `cidr` / `inet`; GraphQL `String` (e.g. `10.0.0.0/8`).
    Cidr,
    /// Text restricted to a fixed set (a CHECK `IN (...)` constraint);
    /// GraphQL enum `<Type><Column>`.
    Enum(&'static [&'static str]),
    /// A PostgreSQL enum type; GraphQL enum of the same values.
    PgEnum(&'static PgEnumType),
}

impl ColumnType {
    /// The SQL type a bound text parameter is cast to.
    pub fn sql_cast(&self) -> &'static str {
        match self {
            ColumnType::Uuid => "uuid",
            ColumnType::Text | ColumnType::Enum(_) => "text",
            ColumnType::Bool => "boolean",
            ColumnType::Int => "integer",
            ColumnType::BigInt => "bigint",
            ColumnType::Float => "double precision",
            ColumnType::Decimal => "numeric",
            ColumnType::Timestamp => "timestamptz",
            ColumnType::Date => "date",
            ColumnType::Json => "jsonb",
            ColumnType::TextArray => "text[]",
            ColumnType::Cidr => "cidr",
            ColumnType::PgEnum(e) => e.sql,
        }
    }

    /// Whether `<`, `>` and friends make sense for this type.
    pub fn is_ordered(&self) -> bool {
        !matches!(self, ColumnType::Bool | ColumnType::Json | ColumnType::TextArray | ColumnType::Uuid | ColumnType::Cidr)
    }
}

/// A PostgreSQL enum type.
#[derive(Debug, PartialEq, Eq)]
pub struct PgEnumType {
    /// Its qualified, quoted SQL name (`"platform"."JobStatus"`).
    pub sql: &'static str,
    /// Its name in the schema (`JobStatus`).
    pub name: &'static str,
    /// Its values, in the type's order.
    pub values: &'static [&'static str],
}

/// How a column's value is stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Storage {
    /// As written.
    Plain,
    /// An argon2id hash of what is written, under the given input field name.
    Hashed(&'static str),
    /// Encrypted with the server's key (authenticated encryption).
    Encrypted,
}

/// One column of a table.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    /// The column's name in PostgreSQL, exactly as the database has it.
    pub name: &'static str,
    /// Its value type.
    pub ty: ColumnType,
    /// `NULL` allowed.
    pub nullable: bool,
    /// The database fills it when a create leaves it out.
    pub has_default: bool,
    /// Never readable through the API (hashes, tokens, secrets).
    pub secret: bool,
    /// How a secret is stored: as given, hashed or encrypted.
    pub storage: Storage,
    /// Maintained by the database only (e.g. `updated_at`): not in create or patch inputs.
    pub managed: bool,
    /// Not changeable after creation (generated keys).
    pub immutable: bool,
    /// `varchar(n)` limit, checked before the database sees the value.
    pub max_len: Option<u32>,
}

/// Starts a column declaration: required, no default, readable and writable.
pub const fn col(name: &'static str, ty: ColumnType) -> Column {
    Column {
        name,
        ty,
        nullable: false,
        has_default: false,
        secret: false,
        storage: Storage::Plain,
        managed: false,
        immutable: false,
        max_len: None,
    }
}

impl Column {
    /// The column accepts `NULL` (and so may be left out of a create).
    pub const fn null(self) -> Self {
        Column { nullable: true, ..self }
    }
    /// The database has a default for it, so a create may leave it out.
    pub const fn default(self) -> Self {
        Column { has_default: true, ..self }
    }
    /// Kept current by the database (a trigger); never written through the API.
    pub const fn managed(self) -> Self {
        Column { has_default: true, managed: true, ..self }
    }
    /// Computed by the database (`GENERATED ALWAYS AS … STORED`): read-only.
    pub const fn computed(self) -> Self {
        Column { has_default: true, managed: true, ..self }
    }
    /// `varchar(n)`.
    pub const fn max_len(self, n: u32) -> Self {
        Column { max_len: Some(n), ..self }
    }
    /// Whether the API may read it.
    pub const fn readable(&self) -> bool {
        !self.secret
    }
    /// Whether a create may give it a value. Not for managed columns, nor for
    /// generated integer keys: those come from their sequence (a chosen one
    /// would collide with it later, and its CONFLICT would tell which keys
    /// exist); generated UUID keys may be chosen by clients (offline-first).
    pub const fn settable_on_create(&self) -> bool {
        let sequenced = self.immutable && self.has_default && matches!(self.ty, ColumnType::Int | ColumnType::BigInt);
        !self.managed && !sequenced
    }
}

/// A foreign key from this table to another table's primary key. It yields a
/// to-one field here and a to-many connection field on the target.
///
/// A write through the API may set it only to a row its writer may read (or
/// NULL): pointing at a row one cannot see fails exactly as pointing at no
/// row does (`FOREIGN_KEY_VIOLATION`), so references neither cross owners or
/// tenants nor reveal which keys exist. [`BelongsTo::open`] lifts that for
/// references that are meant to name rows of others.
#[derive(Debug, Clone, Copy)]
pub struct BelongsTo {
    /// The to-one field on this table's type (`workbench`).
    pub field: &'static str,
    /// The foreign-key column on this table (`workbench_id`).
    pub column: &'static str,
    /// The referenced table's SQL name (`workbenches`).
    pub target: &'static str,
    /// The to-many field on the target's type (`projects`).
    pub reverse: &'static str,
    /// Writers may point it at rows they cannot read (see [`BelongsTo::open`]).
    pub open: bool,
}

/// A many-to-many link through a join table, declared on the join table. It
/// yields a connection field on each side.
#[derive(Debug, Clone, Copy)]
pub struct ManyToMany {
    /// Foreign-key column of the join table pointing at the left table.
    pub left_column: &'static str,
    /// Foreign-key column of the join table pointing at the right table.
    pub right_column: &'static str,
    /// Field on the left table's type listing right rows (`User.teams`).
    pub left_field: &'static str,
    /// Field on the right table's type listing left rows (`Team.members`).
    pub right_field: &'static str,
}

/// Declares a many-to-many link on a join table:
/// `m2m(left_column, left_field, right_column, right_field)`; both columns
/// must be declared with [`fk`] on the join table.
pub const fn m2m(left_column: &'static str, left_field: &'static str, right_column: &'static str, right_field: &'static str) -> ManyToMany {
    ManyToMany { left_column, right_column, left_field, right_field }
}

/// Who may see or change a table's rows: a predicate over one row and the
/// signed-in principal. Quiver compiles rules into every statement it
/// generates (see [`crate::sql::access`]) and evaluates them on every change
/// event before delivering it. The service role passes every rule; anonymous
/// callers pass only [`Rule::Public`] (and what it is combined with).
#[derive(Debug, Clone, Copy)]
pub enum Rule {
    /// Everyone, anonymous callers included.
    Public,
    /// Any signed-in caller.
    SignedIn,
    /// Only the service role.
    ServiceOnly,
    /// The column holds the caller's user id (`userId = sub`).
    Owner(&'static str),
    /// The boolean column is true (e.g. `is_public`).
    IsTrue(&'static str),
    /// The column is NULL (e.g. a brand kit of no team).
    IsNull(&'static str),
    /// The column holds one of these values, compared as text in the
    /// database's spelling (an enum's `PUBLIC`, a role other than `Owner`).
    OneOf(&'static str, &'static [&'static str]),
    /// The caller is a member of the group the column refers to.
    Member(&'static Membership),
    /// The user the membership's `column` names shares a group with the
    /// caller: both are members of one group of the membership table (e.g.
    /// the people of a workspace see each other). `roles` restricts the
    /// caller's own membership.
    SharesGroup(&'static Membership),
    /// The row the foreign-key column refers to passes the same rule (read for
    /// reads, write for writes): e.g. an asset version is as visible as its asset.
    Via(&'static str),
    /// The column holds the caller's tenant.
    Tenant(&'static str),
    /// The JSON column's field holds the caller's tenant (`(column ->> key) = tenant`),
    /// for rows that copy other rows (audit trails).
    TenantJson(&'static str, &'static str),
    /// The caller holds this app role (resolved per request, e.g. `admin`).
    AppRole(&'static str),
    /// The caller asked for soft-deleted rows on the list being read
    /// (`includeDeleted: true`, an argument of the lists of every table whose
    /// read rule, or a parent's through `Via`, uses this). Never on change
    /// events, lookups or relation filters: soft-deleted rows stay hidden
    /// there.
    AskedForDeleted,
    /// At least one holds.
    AnyOf(&'static [Rule]),
    /// All hold.
    AllOf(&'static [Rule]),
}

/// Who may write one column, beyond the table's write rule (which still
/// applies). Checked on every create and update, before anything is hashed or
/// sent to the database where the caller alone decides it.
#[derive(Debug, Clone, Copy)]
pub enum ColumnWrite {
    /// Only the service role sets it (billing, credits, tiers, verification flags).
    Service,
    /// Set on create, never changed afterwards except by the service
    /// (ownership, tenant and workspace keys).
    Fixed,
    /// Set or changed only when the row satisfies the rule for the caller:
    /// before the change on update (the current owner hands a team over),
    /// and the new row on create.
    When(Rule),
}

/// A column's write permission (see [`ColumnWrite`]).
#[derive(Debug, Clone, Copy)]
pub struct ColumnRule {
    /// The column.
    pub column: &'static str,
    /// Who may write it.
    pub write: ColumnWrite,
}

/// Only the service role writes `column`.
pub const fn service_writes(column: &'static str) -> ColumnRule {
    ColumnRule { column, write: ColumnWrite::Service }
}

/// `column` is fixed once the row exists.
pub const fn fixed(column: &'static str) -> ColumnRule {
    ColumnRule { column, write: ColumnWrite::Fixed }
}

/// `column` is written only when the row satisfies `rule` for the caller.
pub const fn writable_when(column: &'static str, rule: Rule) -> ColumnRule {
    ColumnRule { column, write: ColumnWrite::When(rule) }
}

/// A membership table linking users to groups (teams, workspaces).
#[derive(Debug, Clone, Copy)]
pub struct Membership {
    /// The column of the guarded table naming the group.
    pub column: &'static str,
    /// The membership table.
    pub table: &'static str,
    /// Its column naming the group.
    pub group: &'static str,
    /// Its column naming the user.
    pub user: &'static str,
    /// Its role column and the roles that qualify (`None`: any membership).
    pub roles: Option<(&'static str, &'static [&'static str])>,
}

/// Read and write rules of a table. Writes are checked on the row before the
/// change (update, delete) and after it (create, update), so a row cannot be
/// moved to an owner, team or tenant the caller may not write.
#[derive(Debug, Clone, Copy)]
pub struct Access {
    /// Who may read rows.
    pub read: Rule,
    /// Who may create, change and delete rows.
    pub write: Rule,
}

/// A table as Quiver serves it: its structure ([`shape::Shape`], generated
/// from the catalog) merged with its hand-written declaration ([`TableDecl`]).
/// Built once at start-up by [`AppDecl::build`].
#[derive(Debug, Clone, Copy)]
pub struct Table {
    /// SQL name, in the app's PostgreSQL schema.
    pub name: &'static str,
    /// GraphQL object type name.
    pub type_name: &'static str,
    /// The column that identifies a row: the whole key when [`Table::keys`]
    /// has one column (every table a foreign key can refer to), else its first.
    pub key: &'static str,
    /// The columns that together identify a row (by-key lookups, update,
    /// delete, cursors): the primary key, or the one column declared with
    /// [`TableDecl::key`]. A key of several columns is spelled as a JSON array
    /// of their values' text (`["post-1","asset-7"]`) wherever one text stands
    /// for a key.
    pub keys: &'static [&'static str],
    /// All columns the API knows of, secret ones included (they are writable).
    pub columns: &'static [Column],
    /// Foreign keys.
    pub belongs_to: &'static [BelongsTo],
    /// Many-to-many links this (join) table provides.
    pub many_to_many: &'static [ManyToMany],
    /// One line describing the table; becomes the GraphQL type description.
    pub description: &'static str,
    /// Optimistic concurrency: updates must name the value of this column
    /// they last saw (`expectedVersion`) and fail with `CONFLICT` otherwise.
    pub version: Option<&'static str>,
    /// Row rules; undeclared tables are service-only.
    pub access: Access,
    /// The resource name API-key permissions grant this table under
    /// (`{"orders": ["read", "write"]}`); the table name unless declared.
    pub scope: Option<&'static str>,
    /// The structure the table was built from (keys, unique keys, foreign-key actions).
    pub shape: &'static shape::Shape,
    /// Column write permissions.
    pub column_rules: &'static [ColumnRule],
}

impl Table {
    /// The resource API-key permissions grant this table under.
    pub fn scope_name(&self) -> &'static str {
        match self.scope {
            Some(s) => s,
            None => self.name,
        }
    }

    /// Looks a column up by SQL name.
    pub fn column(&self, name: &str) -> Option<(usize, &'static Column)> {
        self.columns.iter().enumerate().find(|(_, c)| c.name == name)
    }

    /// The key column and its position.
    pub fn key_column(&self) -> (usize, &'static Column) {
        self.column(self.key).expect("validated: key column exists")
    }

    /// The PostgreSQL schema and table name: the app's schema
    /// ([`App::schema`]), or the one named in a qualified name (`auth.users`,
    /// a shared table the app sits on).
    pub fn sql_name<'a>(&self, app: &'a App) -> (&'a str, &'static str) {
        match self.name.split_once('.') {
            Some((schema, name)) => (schema, name),
            None => (app.schema, self.name),
        }
    }

    /// Whether the table lives in another schema than the app's (shared
    /// tables such as Supabase's `auth.users`). Quiver reads and writes them
    /// but attaches no change capture to them: other apps share them.
    pub fn is_foreign(&self) -> bool {
        self.name.contains('.')
    }

    /// The write permission of column `name`, if it has one of its own.
    pub fn column_rule(&self, name: &str) -> Option<ColumnWrite> {
        self.column_rules.iter().find(|r| r.column == name).map(|r| r.write)
    }

    /// Positions of the key columns, in key order.
    pub fn key_columns(&self) -> Vec<usize> {
        self.keys.iter().map(|k| self.column(k).expect("validated: key column exists").0).collect()
    }

    /// Whether several columns identify a row.
    pub fn composite_key(&self) -> bool {
        self.keys.len() > 1
    }

    /// The key's name in messages (`id`; `postId, assetId` for several columns).
    pub fn key_name(&self) -> String {
        self.keys.iter().map(|k| names::camel(k)).collect::<Vec<_>>().join(", ")
    }
}

/// A domain subscription: the changes of the rows of one table whose
/// `column` equals the subscription's argument, e.g. `myNotifications(userId)`.
/// Every table also gets a generic `<type>Changed` subscription; a watch names
/// what an app's clients actually follow.
#[derive(Debug, Clone, Copy)]
pub struct Watch {
    /// Subscription field name.
    pub field: &'static str,
    /// The watched table's SQL name.
    pub table: &'static str,
    /// The column matched against the argument (its GraphQL name is the argument).
    pub column: &'static str,
    /// Which operations are delivered (`INSERT`, `UPDATE`, `DELETE`).
    pub events: &'static [&'static str],
    /// End the stream after a change leaves this column at one of these values.
    pub until: Option<(&'static str, &'static [&'static str])>,
    /// What it is for; becomes the field description.
    pub description: &'static str,
}

/// API keys for machine clients: a presented key `<id>.<secret>` is looked up
/// by `lookup = id` and accepted when `secret` verifies against the hashed
/// column, the key is active and not expired.
#[derive(Debug, Clone, Copy)]
pub struct ApiKeys {
    /// The table holding the keys.
    pub table: &'static str,
    /// The column matched against the id part of a presented key.
    pub lookup: &'static str,
    /// The hashed column the secret part is verified against.
    pub secret: &'static str,
    /// Boolean column: the key may be used (NULL counts as active).
    pub active: &'static str,
    /// Timestamp column after which the key is refused, if any.
    pub expires: Option<&'static str>,
    /// Whom a request with the key acts for.
    pub acts_as: ActsAs,
    /// JSON column of granted scopes (`["read", "write"]` or `{"read": true, ...}`); absent or
    /// NULL grants read and write.
    pub permissions: Option<&'static str>,
}

/// Whom an API key acts for.
#[derive(Debug, Clone, Copy)]
pub enum ActsAs {
    /// The user in this column (the key's owner).
    User(&'static str),
    /// The tenant in this column (tenant-wide machine access).
    Tenant(&'static str),
}

/// An app as Quiver serves it: one PostgreSQL schema served as one GraphQL
/// schema, built from an [`AppDecl`].
#[derive(Debug, Clone, Copy)]
pub struct App {
    /// URL segment (`studio`); also the PostgreSQL schema unless served in another one.
    pub name: &'static str,
    /// The PostgreSQL schema its own tables live in: the app's name, unless
    /// it is served in place in an existing database ([`App::in_schema`],
    /// `--app-schema course=public`). Every generated statement, the change
    /// capture and the outbox name the schema through this field only.
    pub schema: &'static str,
    /// Its tables.
    pub tables: &'static [Table],
    /// Its domain subscriptions.
    pub watches: &'static [Watch],
    /// Its API keys, if it has any.
    pub api_keys: Option<ApiKeys>,
    /// Its broadcast and presence topics.
    pub topics: &'static [TopicDecl],
}

/// A family of broadcast and presence topics, `<prefix>:<key>`, each bound to
/// one row of `table`: the caller may listen to, send to, and join and see
/// the presence of `team:<x>` iff it may read row `<x>` of `teams` (the
/// table's read rule, decided by the database in one statement).
#[derive(Debug, Clone, Copy)]
pub struct TopicDecl {
    /// What comes before the colon (`team`).
    pub prefix: &'static str,
    /// The table whose rows the keys name (`teams`; a one-column key).
    pub table: &'static str,
}

/// `topic(prefix, table)`: topics `<prefix>:<key>`, usable by whoever may read
/// the row `<key>` of `table` (listen, presence and send).
pub const fn topic(prefix: &'static str, table: &'static str) -> TopicDecl {
    TopicDecl { prefix, table }
}

impl TopicDecl {
    /// The pattern as documentation spells it (`team:{id}`).
    pub fn pattern(&self, app: &App) -> String {
        let key = app.table(self.table).map(|t| names::camel(t.key)).unwrap_or_else(|| "key".into());
        format!("{}:{{{key}}}", self.prefix)
    }
}

impl App {
    /// The same app with its own tables in PostgreSQL schema `schema`
    /// (built once per setting; the value lives as long as the process).
    pub fn in_schema(&'static self, schema: &str) -> &'static App {
        if schema == self.schema {
            return self;
        }
        let schema: &'static str = Box::leak(schema.to_string().into_boxed_str());
        Box::leak(Box::new(App { schema, ..*self }))
    }

    /// `"schema"."table"` of one of the app's own tables, quoted, for
    /// hand-written SQL (domain mutations, principal resolvers).
    pub fn qualified(&self, table: &str) -> String {
        let quote = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
        format!("{}.{}", quote(self.schema), quote(table))
    }

    /// Finds a table by SQL name.
    pub fn table(&self, name: &str) -> Option<&'static Table> {
        self.tables.iter().find(|t| t.name == name)
    }

    /// Whether reading `t` hides soft-deleted rows unless asked for: its read
    /// rule, or that of a row it is read through (`Via`), uses
    /// [`Rule::AskedForDeleted`]. Its lists then take `includeDeleted`.
    pub fn hides_deleted(&self, t: &Table) -> bool {
        fn uses(app: &App, t: &Table, rule: &Rule, depth: usize) -> bool {
            match rule {
                Rule::AskedForDeleted => true,
                Rule::AnyOf(rules) | Rule::AllOf(rules) => rules.iter().any(|r| uses(app, t, r, depth)),
                Rule::Via(c) if depth < 8 => t
                    .belongs_to
                    .iter()
                    .find(|f| f.column == *c)
                    .and_then(|fk| app.table(fk.target))
                    .is_some_and(|target| uses(app, target, &target.access.read, depth + 1)),
                _ => false,
            }
        }
        uses(self, t, &t.access.read, 0)
    }

    /// Checks that a rule of `t` names declared columns and tables and that
    /// `Via` chains end.
    fn validate_rule(&self, t: &Table, rule: &Rule, depth: usize) -> Result<(), String> {
        if depth > 8 {
            return Err("rules nest more than 8 levels (a Via cycle?)".into());
        }
        let column = |c: &str| t.column(c).map(|_| ()).ok_or_else(|| format!("rule column {c} is not declared"));
        match rule {
            Rule::Public | Rule::SignedIn | Rule::ServiceOnly | Rule::AppRole(_) | Rule::AskedForDeleted => Ok(()),
            Rule::Owner(c) | Rule::IsTrue(c) | Rule::IsNull(c) | Rule::Tenant(c) | Rule::TenantJson(c, _) => column(c),
            Rule::OneOf(c, values) => {
                column(c)?;
                let allowed = t.column(c).and_then(|(_, col)| match col.ty {
                    ColumnType::Enum(values) => Some(values),
                    ColumnType::PgEnum(e) => Some(e.values),
                    _ => None,
                });
                match values.iter().find(|v| allowed.is_some_and(|a| !a.contains(v))) {
                    Some(v) => Err(format!("rule value {v} is not a value of column {c}")),
                    None => Ok(()),
                }
            }
            Rule::Member(m) | Rule::SharesGroup(m) => {
                column(m.column)?;
                let mt = self.table(m.table).ok_or_else(|| format!("membership table {} is not declared", m.table))?;
                for c in [Some(m.group), Some(m.user), m.roles.map(|r| r.0)].into_iter().flatten() {
                    mt.column(c).ok_or_else(|| format!("membership column {c} is not declared"))?;
                }
                Ok(())
            }
            Rule::Via(c) => {
                let fk = t.belongs_to.iter().find(|f| f.column == *c).ok_or_else(|| format!("Via({c}) needs a foreign key on {c}"))?;
                let target = self.table(fk.target).ok_or_else(|| format!("unknown table {}", fk.target))?;
                for r in [target.access.read, target.access.write] {
                    self.validate_rule(target, &r, depth + 1)?;
                }
                Ok(())
            }
            Rule::AnyOf(rules) | Rule::AllOf(rules) => rules.iter().try_for_each(|r| self.validate_rule(t, r, depth + 1)),
        }
    }

    /// Checks the declarations hang together (every key, column, target and
    /// field name resolves and no GraphQL name clashes), so a mistake stops
    /// start-up with a clear message instead of surfacing as a query error.
    pub fn validate(&self) -> Result<(), String> {
        for t in self.tables {
            let err = |m: String| Err(format!("app {}: table {}: {m}", self.name, t.name));
            if t.column(t.key).is_none() {
                return err(format!("key column {} is not declared", t.key));
            }
            if let Some(v) = t.version {
                if t.column(v).is_none_or(|(_, c)| c.secret) {
                    return err(format!("version column {v} is not a readable column"));
                }
            }
            for fk in t.belongs_to {
                if t.column(fk.column).is_none() {
                    return err(format!("foreign key column {} is not declared", fk.column));
                }
                if self.table(fk.target).is_none() {
                    return err(format!("foreign key target {} is not declared", fk.target));
                }
            }
            for m in t.many_to_many {
                for c in [m.left_column, m.right_column] {
                    if !t.belongs_to.iter().any(|fk| fk.column == c) {
                        return err(format!("many-to-many column {c} has no foreign key"));
                    }
                }
            }
            for rule in [t.access.read, t.access.write] {
                self.validate_rule(t, &rule, 0).or_else(err)?;
            }
            for c in t.column_rules {
                if let ColumnWrite::When(rule) = c.write {
                    self.validate_rule(t, &rule, 0).or_else(err)?;
                }
            }
        }
        if let Some(k) = &self.api_keys {
            let Some(t) = self.table(k.table) else { return Err(format!("app {}: api keys: unknown table {}", self.name, k.table)) };
            let acting = match k.acts_as {
                ActsAs::User(c) | ActsAs::Tenant(c) => c,
            };
            for c in [Some(k.lookup), Some(k.secret), Some(k.active), k.expires, k.permissions, Some(acting)].into_iter().flatten() {
                if t.column(c).is_none() {
                    return Err(format!("app {}: api keys: unknown column {c}", self.name));
                }
            }
            if !t.column(k.secret).is_some_and(|(_, c)| matches!(c.storage, Storage::Hashed(_))) {
                return Err(format!("app {}: api keys: {} must be declared .hashed(..)", self.name, k.secret));
            }
        }
        for (i, t) in self.topics.iter().enumerate() {
            let err = |m: String| Err(format!("app {}: topic {}: {m}", self.name, t.prefix));
            if t.prefix.is_empty() || t.prefix.contains(':') {
                return err("a topic prefix is not empty and has no colon".into());
            }
            if self.topics[..i].iter().any(|o| o.prefix == t.prefix) {
                return err("declared twice".into());
            }
            let Some(table) = self.table(t.table) else { return err(format!("unknown table {}", t.table)) };
            if table.composite_key() {
                return err(format!("table {} has a key of several columns", t.table));
            }
            if !matches!(table.key_column().1.ty, ColumnType::Uuid | ColumnType::Text | ColumnType::Int | ColumnType::BigInt) {
                return err(format!("the key of {} is not a UUID, text or integer", t.table));
            }
        }
        for w in self.watches {
            let err = |m: String| Err(format!("app {}: watch {}: {m}", self.name, w.field));
            let Some(t) = self.table(w.table) else { return err(format!("unknown table {}", w.table)) };
            if t.column(w.column).is_none_or(|(_, c)| c.secret) {
                return err(format!("{} is not a readable column", w.column));
            }
            if let Some((c, _)) = w.until {
                if t.column(c).is_none() {
                    return err(format!("unknown column {c}"));
                }
            }
        }
        Ok(())
    }
}
