//! The studio schema, read back from the PostgreSQL catalog, against its spec:
//! the seed (`tests/fixtures/seed_001_studio.txt`) and the Rust declarations
//! (`quiver::apps::studio::APP`).
//!
//! Nothing here hard-codes what the schema should contain. The seed is parsed
//! (see [`parse_seed`]) into [`SeedEntity`] values, and every table, column,
//! type, nullability, default, CHECK, unique constraint, index, foreign key and
//! partitioning it describes is looked up in `pg_catalog` /
//! `information_schema` of a freshly migrated database. The only hand-written
//! knowledge is
//!
//! * [`TABLES`], the entity → table mapping (columns are the snake_case of
//!   attribute names, index and constraint names the seed's, lower-cased), and
//! * the deviations the migration documents in its SQL comments:
//!   [`NULLABLE_DESPITE_REQUIRED`], [`TWINS`] and [`PRIMARY_KEY_WIDENED`].
//!
//! Everything else must match exactly. Each test collects every mismatch it
//! finds (naming table and column) and fails once with the whole list.
//!
//! Layout: seed parser, naming rules and deviations, catalog queries, tests.

use std::collections::{BTreeMap, BTreeSet};

use diesel::sql_types::{Bool, Integer, Nullable, Text};
use diesel::QueryableByName;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use quiver::catalog::ColumnType;

use crate::common::Problems;
use crate::common::TestDb;

// ===========================================================================
// The seed, parsed
// ===========================================================================

/// The spec: the seed's markdown, as shipped with the project.
const SEED: &str = include_str!("../fixtures/seed_001_studio.txt");

/// One `## 1.N. Entity` of the seed.
#[derive(Debug, Clone)]
struct SeedEntity {
    /// Entity name (`BrandKit`).
    name: String,
    /// `### 1.N.3.M.` attributes, in seed order.
    attributes: Vec<SeedAttribute>,
    /// `### 1.N.4. Primary Keys` (attribute names).
    primary_key: Vec<String>,
    /// `### 1.N.5. Unique Constraints`.
    uniques: Vec<SeedIndex>,
    /// `### 1.N.6. Indexes`.
    indexes: Vec<SeedIndex>,
    /// `### 1.N.7. Partitioning`, when present.
    partitioned: Option<SeedPartitioning>,
}

/// One attribute (column) of an entity.
#[derive(Debug, Clone)]
struct SeedAttribute {
    /// Attribute name (`passwordHash`).
    name: String,
    /// `UUID`, `VARCHAR`, `TEXT`, `DateTime`, `BOOLEAN`, `INTEGER`, `DECIMAL`, `JSONB`, `BIGSERIAL`.
    ty: String,
    /// `Is Required`.
    required: bool,
    /// `Is Primary Key`.
    primary_key: bool,
    /// `Is Unique`.
    unique: bool,
    /// `Indexed`.
    indexed: bool,
    /// `Size` (VARCHAR).
    size: Option<i32>,
    /// `Precision` (DECIMAL).
    precision: Option<i32>,
    /// `Scale` (DECIMAL).
    scale: Option<i32>,
    /// `Default Value`, as written (`'en-US'`, `false`, `CURRENT_TIMESTAMP`).
    default: Option<String>,
    /// `Constraints`: the expressions inside `CHECK (...)`.
    checks: Vec<String>,
    /// `Is Foreign Key` with its `On Delete` / `On Update`.
    foreign_key: Option<SeedForeignKey>,
}

/// The referential actions of a foreign-key attribute (the seed does not name
/// the target).
#[derive(Debug, Clone)]
struct SeedForeignKey {
    on_delete: String,
    on_update: String,
}

/// A unique constraint or an index.
#[derive(Debug, Clone)]
struct SeedIndex {
    /// Name as the seed writes it.
    name: String,
    /// Attribute names, in order.
    columns: Vec<String>,
    /// `btree` / `gin` (unique constraints: `btree`).
    method: String,
    /// `Is Unique` (unique constraints: always).
    unique: bool,
    /// `Condition` (a partial index's predicate), as written.
    condition: Option<String>,
}

/// `Partitioning`: strategy and key attributes.
#[derive(Debug, Clone)]
struct SeedPartitioning {
    strategy: String,
    columns: Vec<String>,
}

impl SeedEntity {
    fn table(&self) -> &'static str {
        table_of(&self.name)
    }
}

impl SeedAttribute {
    fn column(&self) -> String {
        snake_case(&self.name)
    }
}

/// The seed's numbered markdown, before any meaning is given to it: entities
/// made of sections (`### 1.N.S. Title`), made of items (`### 1.N.S.M. name`),
/// made of fields (`#### 1.N.S.M.F. Field`) whose values are the non-blank lines
/// that follow.
#[derive(Debug, Default)]
struct OutlineEntity {
    name: String,
    sections: Vec<OutlineSection>,
}

#[derive(Debug, Default)]
struct OutlineSection {
    title: String,
    /// Lines directly under the section heading (primary keys, partitioning).
    body: Vec<String>,
    items: Vec<OutlineItem>,
}

#[derive(Debug, Default)]
struct OutlineItem {
    name: String,
    fields: Vec<(String, Vec<String>)>,
}

impl OutlineItem {
    fn lines(&self, field: &str) -> Option<&[String]> {
        self.fields
            .iter()
            .find(|(f, _)| f == field)
            .map(|(_, v)| v.as_slice())
    }
    fn scalar(&self, field: &str) -> Option<&str> {
        self.lines(field)
            .and_then(|l| l.first())
            .map(String::as_str)
    }
    fn list(&self, field: &str) -> Vec<String> {
        self.lines(field)
            .unwrap_or_default()
            .iter()
            .map(|l| bullet(l).to_string())
            .collect()
    }
    fn flag(&self, field: &str) -> bool {
        match self.scalar(field) {
            None | Some("False") => false,
            Some("True") => true,
            Some(other) => panic!("seed: {}: {field} is {other:?}, not True/False", self.name),
        }
    }
    fn number(&self, field: &str) -> Option<i32> {
        self.scalar(field).map(|v| {
            v.parse()
                .unwrap_or_else(|_| panic!("seed: {}: {field} {v:?} is not a number", self.name))
        })
    }
}

/// `- text` → `text`.
fn bullet(line: &str) -> &str {
    line.strip_prefix("- ").unwrap_or(line).trim()
}

/// Splits a markdown heading into (level, numbering depth, first number, title):
/// `### 1.2.3.1. id` → (3, 4, "1", "id"); `# Specification` → (1, 0, "", "Specification").
fn heading(line: &str) -> Option<(usize, usize, &str, &str)> {
    let level = line.chars().take_while(|&c| c == '#').count();
    let rest = line.get(level..)?.strip_prefix(' ')?;
    if level == 0 {
        return None;
    }
    let (number, title) = rest.split_once(' ').unwrap_or((rest, ""));
    let parts: Vec<&str> = number
        .strip_suffix('.')
        .map(|n| n.split('.').collect())
        .unwrap_or_default();
    if !parts.is_empty()
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
    {
        Some((level, parts.len(), parts[0], title.trim()))
    } else {
        Some((level, 0, "", rest.trim()))
    }
}

/// Reads the outline of part `# 1.` of the seed (the database design).
fn parse_outline(text: &str) -> Vec<OutlineEntity> {
    #[derive(PartialEq)]
    enum Into {
        Nothing,
        Section,
        Field,
    }
    let mut entities: Vec<OutlineEntity> = Vec::new();
    let mut into = Into::Nothing;
    for line in text.lines() {
        match heading(line) {
            Some((1, _, first, _)) if !entities.is_empty() && first != "1" => break,
            Some((1, ..)) => into = Into::Nothing,
            Some((2, 2, _, title)) => {
                entities.push(OutlineEntity {
                    name: title.to_string(),
                    ..Default::default()
                });
                into = Into::Nothing;
            }
            Some((3, 3, _, title)) => {
                let e = entities
                    .last_mut()
                    .expect("seed: section before any entity");
                e.sections.push(OutlineSection {
                    title: title.to_string(),
                    ..Default::default()
                });
                into = Into::Section;
            }
            Some((3, 4, _, title)) => {
                let e = entities.last_mut().expect("seed: item before any entity");
                let s = e
                    .sections
                    .last_mut()
                    .unwrap_or_else(|| panic!("seed: {}: item {title} outside a section", e.name));
                s.items.push(OutlineItem {
                    name: title.to_string(),
                    ..Default::default()
                });
                into = Into::Nothing;
            }
            Some((4, 5, _, title)) => {
                let item = entities
                    .last_mut()
                    .and_then(|e| e.sections.last_mut())
                    .and_then(|s| s.items.last_mut())
                    .unwrap_or_else(|| panic!("seed: field {title} outside an item"));
                item.fields.push((title.to_string(), Vec::new()));
                into = Into::Field;
            }
            Some(other) if !entities.is_empty() => {
                panic!("seed: unexpected heading {other:?} in {line:?}")
            }
            Some(_) => {}
            None => {
                let text = line.trim();
                if text.is_empty() {
                    continue;
                }
                let Some(section) = entities.last_mut().and_then(|e| e.sections.last_mut()) else {
                    continue;
                };
                match into {
                    Into::Field => section
                        .items
                        .last_mut()
                        .unwrap()
                        .fields
                        .last_mut()
                        .unwrap()
                        .1
                        .push(text.to_string()),
                    Into::Section => section.body.push(text.to_string()),
                    Into::Nothing => {}
                }
            }
        }
    }
    entities
}

/// Attribute fields the parser understands; any other stops the tests (the
/// seed format changed and the parser must learn it).
const ATTRIBUTE_FIELDS: &[&str] = &[
    "Type",
    "Is Required",
    "Is Primary Key",
    "Is Unique",
    "Indexed",
    "Size",
    "Precision",
    "Scale",
    "Default Value",
    "Constraints",
    "Is Foreign Key",
    "On Delete",
    "On Update",
    // Informational only:
    "Notes",
    "Security",
    "Searchable",
];

/// Index / unique-constraint fields the parser understands.
const INDEX_FIELDS: &[&str] = &["Columns", "Type", "Is Unique", "Condition", "Notes"];

fn known_fields(entity: &str, item: &OutlineItem, known: &[&str]) {
    for (f, _) in &item.fields {
        assert!(
            known.contains(&f.as_str()),
            "seed: {entity}.{}: unknown field {f:?}",
            item.name
        );
    }
}

fn parse_attribute(entity: &str, item: &OutlineItem) -> SeedAttribute {
    known_fields(entity, item, ATTRIBUTE_FIELDS);
    let checks = item
        .list("Constraints")
        .iter()
        .map(|c| {
            let inner = c
                .strip_prefix("CHECK")
                .unwrap_or_else(|| {
                    panic!(
                        "seed: {entity}.{}: constraint {c:?} is not a CHECK",
                        item.name
                    )
                })
                .trim();
            strip_outer_parens(inner).to_string()
        })
        .collect();
    let foreign_key = item.flag("Is Foreign Key").then(|| SeedForeignKey {
        on_delete: item.scalar("On Delete").unwrap_or("NO ACTION").to_string(),
        on_update: item.scalar("On Update").unwrap_or("NO ACTION").to_string(),
    });
    SeedAttribute {
        name: item.name.clone(),
        ty: item
            .scalar("Type")
            .unwrap_or_else(|| panic!("seed: {entity}.{}: no Type", item.name))
            .to_string(),
        required: item.flag("Is Required"),
        primary_key: item.flag("Is Primary Key"),
        unique: item.flag("Is Unique"),
        indexed: item.flag("Indexed"),
        size: item.number("Size"),
        precision: item.number("Precision"),
        scale: item.number("Scale"),
        default: item.scalar("Default Value").map(str::to_string),
        checks,
        foreign_key,
    }
}

fn parse_index(entity: &str, item: &OutlineItem, constraint: bool) -> SeedIndex {
    known_fields(entity, item, INDEX_FIELDS);
    let columns = item.list("Columns");
    assert!(
        !columns.is_empty(),
        "seed: {entity}: {} lists no columns",
        item.name
    );
    SeedIndex {
        name: item.name.clone(),
        columns,
        method: item.scalar("Type").unwrap_or("BTree").to_lowercase(),
        unique: constraint || item.flag("Is Unique"),
        condition: item.scalar("Condition").map(str::to_string),
    }
}

/// `- **Type:** range`, `- **Columns:**`, `- createdAt`, `- **Strategy Details:** …`.
fn parse_partitioning(entity: &str, body: &[String]) -> SeedPartitioning {
    let mut strategy = None;
    let mut columns = Vec::new();
    let mut in_columns = false;
    for line in body {
        let b = bullet(line);
        if let Some(v) = b.strip_prefix("**Type:**") {
            strategy = Some(v.trim().to_lowercase());
            in_columns = false;
        } else if b.starts_with("**Columns:**") {
            in_columns = true;
        } else if b.starts_with("**") {
            in_columns = false;
        } else if in_columns {
            columns.push(b.to_string());
        }
    }
    let strategy =
        strategy.unwrap_or_else(|| panic!("seed: {entity}: partitioning without a Type"));
    assert!(
        !columns.is_empty(),
        "seed: {entity}: partitioning without Columns"
    );
    SeedPartitioning { strategy, columns }
}

/// Parses the seed's entities.
fn parse_seed(text: &str) -> Vec<SeedEntity> {
    parse_outline(text)
        .into_iter()
        .map(|o| {
            let mut e = SeedEntity {
                name: o.name.clone(),
                attributes: Vec::new(),
                primary_key: Vec::new(),
                uniques: Vec::new(),
                indexes: Vec::new(),
                partitioned: None,
            };
            for s in &o.sections {
                match s.title.as_str() {
                    "Attributes" => {
                        e.attributes = s
                            .items
                            .iter()
                            .map(|i| parse_attribute(&o.name, i))
                            .collect()
                    }
                    "Primary Keys" => {
                        e.primary_key = s.body.iter().map(|l| bullet(l).to_string()).collect()
                    }
                    "Unique Constraints" => {
                        e.uniques = s
                            .items
                            .iter()
                            .map(|i| parse_index(&o.name, i, true))
                            .collect()
                    }
                    "Indexes" => {
                        e.indexes = s
                            .items
                            .iter()
                            .map(|i| parse_index(&o.name, i, false))
                            .collect()
                    }
                    "Partitioning" => e.partitioned = Some(parse_partitioning(&o.name, &s.body)),
                    other => panic!("seed: {}: unknown section {other:?}", o.name),
                }
            }
            e
        })
        .collect()
}

/// The parsed seed, with sanity checks on the parse itself (so a parser bug
/// cannot make every other assertion vacuous).
fn seed() -> Vec<SeedEntity> {
    let entities = parse_seed(SEED);
    assert_eq!(
        entities.len(),
        TABLES.len(),
        "seed entities: {:?}",
        entities.iter().map(|e| &e.name).collect::<Vec<_>>()
    );
    for e in &entities {
        assert!(
            !e.attributes.is_empty(),
            "seed: {} has no attributes",
            e.name
        );
        assert!(
            !e.primary_key.is_empty(),
            "seed: {} has no primary key",
            e.name
        );
        for a in &e.attributes {
            assert_eq!(
                a.primary_key,
                e.primary_key.contains(&a.name),
                "seed: {}.{}: Is Primary Key vs Primary Keys",
                e.name,
                a.name
            );
        }
    }
    entities
}

// ===========================================================================
// Naming rules and the migration's documented deviations
// ===========================================================================

/// Seed entity → table in schema `studio`. The one place that names the mapping.
const TABLES: &[(&str, &str)] = &[
    ("User", "users"),
    ("BrandKit", "brand_kits"),
    ("Workbench", "workbenches"),
    ("Project", "projects"),
    ("Asset", "assets"),
    ("AssetVersion", "asset_versions"),
    ("GenerationRequest", "generation_requests"),
    ("SocialMediaConnection", "social_media_connections"),
    ("APIClient", "api_clients"),
    ("Subscription", "subscriptions"),
    ("CreditTransaction", "credit_transactions"),
    ("UsageLog", "usage_logs"),
    ("Team", "teams"),
    ("TeamMember", "team_members"),
    ("Session", "sessions"),
    ("Notification", "notifications"),
    ("Template", "templates"),
    ("AIModel", "ai_models"),
    ("AIModelVersion", "ai_model_versions"),
    ("AIModelValidationResult", "ai_model_validation_results"),
    ("AIModelDeployment", "ai_model_deployments"),
    ("AIModelFeedback", "ai_model_feedback"),
];

fn table_of(entity: &str) -> &'static str {
    TABLES
        .iter()
        .find(|(e, _)| *e == entity)
        .map(|(_, t)| *t)
        .unwrap_or_else(|| panic!("seed entity {entity} has no table in TABLES"))
}

/// `passwordHash` → `password_hash`, `APIClient` → `api_client`.
fn snake_case(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    let mut out = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            let prev = chars[i - 1];
            let next_lower = chars.get(i + 1).is_some_and(|n| n.is_ascii_lowercase());
            if prev.is_ascii_lowercase()
                || prev.is_ascii_digit()
                || (prev.is_ascii_uppercase() && next_lower)
            {
                out.push('_');
            }
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

/// Deviation 1 — `Is Required: True` attributes that are nullable columns. The
/// seed gives each of them `On Delete: SET NULL`, which cannot work on a NOT NULL
/// column; the migration keeps SET NULL and drops NOT NULL (see its comments at
/// each table). The test also checks the seed still says Required + SET NULL.
const NULLABLE_DESPITE_REQUIRED: &[(&str, &str)] = &[
    // GenerationRequest.projectId: Required True, ON DELETE SET NULL.
    ("generation_requests", "project_id"),
    // UsageLog.userId: Required True, ON DELETE SET NULL.
    ("usage_logs", "user_id"),
    // AIModelFeedback.userId: Required True, ON DELETE SET NULL.
    ("ai_model_feedback", "user_id"),
];

/// Deviation 2 — a seed index that duplicates a seed unique constraint (or
/// another seed index) is not created; its twin serves it.
struct Twin {
    table: &'static str,
    /// The seed's object that is not created.
    seed_name: &'static str,
    /// The object that exists instead.
    object: &'static str,
    /// The twin is UNIQUE where the seed's index is a plain one.
    stronger_unique: bool,
    /// The seed's index has a Condition the twin does not repeat.
    predicate_dropped: bool,
}

const TWINS: &[Twin] = &[
    // Identical to the UNIQUE constraint uq_user_email.
    Twin {
        table: "users",
        seed_name: "idx_user_email_unique",
        object: "uq_user_email",
        stronger_unique: false,
        predicate_dropped: false,
    },
    // Same column as the UNIQUE constraint uq_user_username; its `username IS NOT
    // NULL` is implied by a plain UNIQUE (NULLs never collide).
    Twin {
        table: "users",
        seed_name: "idx_user_username_unique",
        object: "uq_user_username",
        stronger_unique: false,
        predicate_dropped: true,
    },
    // Identical to the partial unique index uq_user_social.
    Twin {
        table: "users",
        seed_name: "idx_user_social_unique",
        object: "uq_user_social",
        stronger_unique: false,
        predicate_dropped: false,
    },
    // Same columns as the UNIQUE constraint uq_socialconnection_user_platform,
    // whose (unique) backing index serves every lookup the plain index would.
    Twin {
        table: "social_media_connections",
        seed_name: "idx_socialconnection_userid_platform",
        object: "uq_socialconnection_user_platform",
        stronger_unique: true,
        predicate_dropped: false,
    },
    // Identical to the UNIQUE constraint uq_apiclient_apikey.
    Twin {
        table: "api_clients",
        seed_name: "idx_apiclient_apikey_unique",
        object: "uq_apiclient_apikey",
        stronger_unique: false,
        predicate_dropped: false,
    },
];

/// Deviation 3 — partitioned tables: PostgreSQL requires the partition key in
/// every unique constraint, so the primary key is the seed's plus `created_at`.
const PRIMARY_KEY_WIDENED: &[(&str, &[&str])] = &[
    ("credit_transactions", &["id", "created_at"]),
    ("notifications", &["id", "created_at"]),
];

/// The primary key the database should have for an entity.
fn expected_primary_key(e: &SeedEntity) -> Vec<String> {
    let seed: Vec<String> = e.primary_key.iter().map(|c| snake_case(c)).collect();
    match PRIMARY_KEY_WIDENED.iter().find(|(t, _)| *t == e.table()) {
        Some((_, cols)) => cols.iter().map(|c| c.to_string()).collect(),
        None => seed,
    }
}

// ===========================================================================
// Text normalisation
// ===========================================================================

/// The `'quoted'` literals of an SQL text, in order (`''` unescaped).
fn quoted_literals(sql: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\'' {
            continue;
        }
        let mut lit = String::new();
        while let Some(c) = chars.next() {
            if c == '\'' {
                if chars.peek() == Some(&'\'') {
                    chars.next();
                    lit.push('\'');
                } else {
                    break;
                }
            } else {
                lit.push(c);
            }
        }
        out.push(lit);
    }
    out
}

/// An expression for comparison: identifiers snake_cased (outside quotes), then
/// lower-cased, whitespace and parentheses removed.
fn normalize_expr(sql: &str) -> String {
    let mut out = String::new();
    let mut word = String::new();
    let mut in_quote = false;
    let flush = |word: &mut String, out: &mut String| {
        out.push_str(&snake_case(word));
        word.clear();
    };
    for c in sql.chars() {
        if in_quote {
            out.push(c);
            in_quote = c != '\'';
        } else if c.is_ascii_alphanumeric() || c == '_' {
            word.push(c);
        } else {
            flush(&mut word, &mut out);
            if c == '\'' {
                in_quote = true;
            }
            if !c.is_whitespace() && c != '(' && c != ')' {
                out.push(c);
            }
        }
    }
    flush(&mut word, &mut out);
    out.to_lowercase()
}

fn strip_outer_parens(s: &str) -> &str {
    let s = s.trim();
    match s.strip_prefix('(').and_then(|s| s.strip_suffix(')')) {
        Some(inner) => inner.trim(),
        None => s,
    }
}

/// Whether `word` occurs in `text` as a whole identifier.
fn mentions(text: &str, word: &str) -> bool {
    text.match_indices(word).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + word.len()..].chars().next();
        let ident = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_');
        !ident(before) && !ident(after)
    })
}

/// A column default without its trailing casts: `'en-US'::character varying` → `'en-US'`.
fn strip_casts(default: &str) -> &str {
    let d = default.trim();
    if d.starts_with('\'') {
        let mut end = 1;
        let bytes = d.as_bytes();
        while end < bytes.len() {
            if bytes[end] == b'\'' {
                if bytes.get(end + 1) == Some(&b'\'') {
                    end += 2;
                    continue;
                }
                return &d[..=end];
            }
            end += 1;
        }
        d
    } else {
        d.split("::").next().unwrap_or(d).trim()
    }
}

// ===========================================================================
// Catalog queries
// ===========================================================================

/// A relation of schema `studio` that looks like a table.
#[derive(QueryableByName, Debug)]
struct DbRelation {
    #[diesel(sql_type = Text)]
    name: String,
    /// `r` table, `p` partitioned table, `v`/`m` views, `f` foreign table.
    #[diesel(sql_type = Text)]
    kind: String,
    #[diesel(sql_type = Bool)]
    is_partition: bool,
    /// Parent of a partition (else empty).
    #[diesel(sql_type = Text)]
    parent: String,
    /// Partition bound (`DEFAULT`, `FOR VALUES …`; else empty).
    #[diesel(sql_type = Text)]
    bound: String,
}

async fn relations(conn: &mut AsyncPgConnection) -> Vec<DbRelation> {
    load(
        conn,
        "SELECT c.relname::text AS name, c.relkind::text AS kind, c.relispartition AS is_partition,
                coalesce(p.relname::text, '') AS parent,
                coalesce(pg_get_expr(c.relpartbound, c.oid), '') AS bound
           FROM pg_class c
           JOIN pg_namespace n ON n.oid = c.relnamespace
           LEFT JOIN pg_inherits i ON i.inhrelid = c.oid
           LEFT JOIN pg_class p ON p.oid = i.inhparent
          WHERE n.nspname = 'studio' AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
          ORDER BY 1",
    )
    .await
}

/// A column of a (non-partition) table of schema `studio`.
#[derive(QueryableByName, Debug)]
struct DbColumn {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    column_name: String,
    /// `information_schema` spelling (`character varying`, `timestamp with time zone`).
    #[diesel(sql_type = Text)]
    data_type: String,
    #[diesel(sql_type = Nullable<Integer>)]
    max_len: Option<i32>,
    #[diesel(sql_type = Nullable<Integer>)]
    precision: Option<i32>,
    #[diesel(sql_type = Nullable<Integer>)]
    scale: Option<i32>,
    #[diesel(sql_type = Bool)]
    nullable: bool,
    #[diesel(sql_type = Nullable<Text>)]
    default: Option<String>,
    #[diesel(sql_type = Bool)]
    identity: bool,
}

impl DbColumn {
    fn has_default(&self) -> bool {
        self.default.is_some() || self.identity
    }
}

async fn columns(conn: &mut AsyncPgConnection) -> Vec<DbColumn> {
    load(
        conn,
        "SELECT c.table_name::text AS table_name, c.column_name::text AS column_name, c.data_type::text AS data_type,
                c.character_maximum_length::int AS max_len, c.numeric_precision::int AS precision,
                c.numeric_scale::int AS scale, c.is_nullable = 'YES' AS nullable,
                c.column_default::text AS default, c.is_identity = 'YES' AS identity
           FROM information_schema.columns c
          WHERE c.table_schema = 'studio'
            AND NOT EXISTS (SELECT 1 FROM pg_class r JOIN pg_namespace n ON n.oid = r.relnamespace
                             WHERE n.nspname = 'studio' AND r.relname = c.table_name AND r.relispartition)
          ORDER BY c.table_name, c.ordinal_position",
    )
    .await
}

/// An index of a (non-partition) table of schema `studio`.
#[derive(QueryableByName, Debug)]
struct DbIndex {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Text)]
    method: String,
    #[diesel(sql_type = Bool)]
    unique: bool,
    /// Key columns, comma-separated, in order (an expression counts as `?`).
    #[diesel(sql_type = Text)]
    columns: String,
    /// Partial-index predicate (else empty).
    #[diesel(sql_type = Text)]
    predicate: String,
}

impl DbIndex {
    fn columns(&self) -> Vec<String> {
        self.columns.split(',').map(str::to_string).collect()
    }
    fn leading_column(&self) -> &str {
        self.columns.split(',').next().unwrap_or_default()
    }
}

async fn indexes(conn: &mut AsyncPgConnection) -> Vec<DbIndex> {
    load(
        conn,
        "SELECT t.relname::text AS table_name, i.relname::text AS name, am.amname::text AS method,
                x.indisunique AS unique,
                (SELECT string_agg(coalesce(a.attname::text, '?'), ',' ORDER BY k.ord)
                   FROM unnest(x.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
                   LEFT JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = k.attnum
                  WHERE k.ord <= x.indnkeyatts) AS columns,
                coalesce(pg_get_expr(x.indpred, x.indrelid), '') AS predicate
           FROM pg_index x
           JOIN pg_class i ON i.oid = x.indexrelid
           JOIN pg_class t ON t.oid = x.indrelid
           JOIN pg_namespace n ON n.oid = t.relnamespace
           JOIN pg_am am ON am.oid = i.relam
          WHERE n.nspname = 'studio' AND NOT t.relispartition
          ORDER BY 1, 2",
    )
    .await
}

/// A constraint of a (non-partition) table of schema `studio`.
#[derive(QueryableByName, Debug)]
struct DbConstraint {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    name: String,
    /// `p`, `u`, `f`, `c`, `x`.
    #[diesel(sql_type = Text)]
    kind: String,
    /// `pg_get_constraintdef`.
    #[diesel(sql_type = Text)]
    def: String,
    /// Constrained columns, comma-separated, in order.
    #[diesel(sql_type = Text)]
    columns: String,
    /// Foreign keys: the referenced table and columns.
    #[diesel(sql_type = Text)]
    ref_table: String,
    #[diesel(sql_type = Text)]
    ref_columns: String,
    /// Foreign keys: `confdeltype` / `confupdtype` codes.
    #[diesel(sql_type = Text)]
    on_delete: String,
    #[diesel(sql_type = Text)]
    on_update: String,
}

async fn constraints(conn: &mut AsyncPgConnection) -> Vec<DbConstraint> {
    load(
        conn,
        "SELECT t.relname::text AS table_name, c.conname::text AS name, c.contype::text AS kind,
                pg_get_constraintdef(c.oid) AS def,
                coalesce((SELECT string_agg(a.attname::text, ',' ORDER BY k.ord)
                            FROM unnest(c.conkey) WITH ORDINALITY AS k(attnum, ord)
                            JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum), '') AS columns,
                coalesce(f.relname::text, '') AS ref_table,
                coalesce((SELECT string_agg(a.attname::text, ',' ORDER BY k.ord)
                            FROM unnest(c.confkey) WITH ORDINALITY AS k(attnum, ord)
                            JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.attnum), '') AS ref_columns,
                c.confdeltype::text AS on_delete, c.confupdtype::text AS on_update
           FROM pg_constraint c
           JOIN pg_class t ON t.oid = c.conrelid
           JOIN pg_namespace n ON n.oid = t.relnamespace
           LEFT JOIN pg_class f ON f.oid = c.confrelid
          WHERE n.nspname = 'studio' AND NOT t.relispartition AND c.conparentid = 0
          ORDER BY 1, 2",
    )
    .await
}

/// A trigger on a table (or partition) of schema `studio`.
#[derive(QueryableByName, Debug)]
struct DbTrigger {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    name: String,
    /// Schema-qualified trigger function.
    #[diesel(sql_type = Text)]
    function: String,
    /// `pg_trigger.tgtype` bits: 1 row, 2 before, 4 insert, 8 delete, 16 update, 32 truncate.
    #[diesel(sql_type = Integer)]
    tgtype: i32,
    #[diesel(sql_type = Bool)]
    enabled: bool,
}

async fn triggers(conn: &mut AsyncPgConnection) -> Vec<DbTrigger> {
    load(
        conn,
        "SELECT t.relname::text AS table_name, g.tgname::text AS name,
                g.tgfoid::regproc::text AS function, g.tgtype::int AS tgtype, g.tgenabled <> 'D' AS enabled
           FROM pg_trigger g
           JOIN pg_class t ON t.oid = g.tgrelid
           JOIN pg_namespace n ON n.oid = t.relnamespace
          WHERE n.nspname = 'studio' AND NOT g.tgisinternal
          ORDER BY 1, 2",
    )
    .await
}

/// A partitioned table of schema `studio`.
#[derive(QueryableByName, Debug)]
struct DbPartitioned {
    #[diesel(sql_type = Text)]
    table_name: String,
    /// `pg_get_partkeydef`: `RANGE (created_at)`.
    #[diesel(sql_type = Text)]
    key: String,
}

async fn partitioned(conn: &mut AsyncPgConnection) -> Vec<DbPartitioned> {
    load(
        conn,
        "SELECT c.relname::text AS table_name, pg_get_partkeydef(c.oid) AS key
           FROM pg_partitioned_table p
           JOIN pg_class c ON c.oid = p.partrelid
           JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE n.nspname = 'studio'
          ORDER BY 1",
    )
    .await
}

async fn load<T>(conn: &mut AsyncPgConnection, sql: &str) -> Vec<T>
where
    T: QueryableByName<diesel::pg::Pg> + Send + 'static,
{
    diesel::sql_query(sql)
        .load::<T>(conn)
        .await
        .unwrap_or_else(|e| panic!("{e}\n{sql}"))
}

/// A one-value query (`SELECT … AS v`).
#[derive(QueryableByName)]
struct Flag {
    #[diesel(sql_type = Bool)]
    v: bool,
}

/// Everything the tests read from the catalog, indexed by table.
struct Catalog {
    relations: Vec<DbRelation>,
    columns: BTreeMap<String, Vec<DbColumn>>,
    indexes: BTreeMap<String, Vec<DbIndex>>,
    constraints: BTreeMap<String, Vec<DbConstraint>>,
}

impl Catalog {
    async fn read(conn: &mut AsyncPgConnection) -> Catalog {
        let mut cat = Catalog {
            relations: relations(conn).await,
            columns: BTreeMap::new(),
            indexes: BTreeMap::new(),
            constraints: BTreeMap::new(),
        };
        for c in columns(conn).await {
            cat.columns.entry(c.table_name.clone()).or_default().push(c);
        }
        for i in indexes(conn).await {
            cat.indexes.entry(i.table_name.clone()).or_default().push(i);
        }
        for c in constraints(conn).await {
            cat.constraints
                .entry(c.table_name.clone())
                .or_default()
                .push(c);
        }
        cat
    }

    /// Tables proper (partitions excluded).
    fn tables(&self) -> BTreeSet<&str> {
        self.relations
            .iter()
            .filter(|r| !r.is_partition)
            .map(|r| r.name.as_str())
            .collect()
    }
    fn columns(&self, table: &str) -> &[DbColumn] {
        self.columns
            .get(table)
            .map(Vec::as_slice)
            .unwrap_or_default()
    }
    fn column(&self, table: &str, column: &str) -> Option<&DbColumn> {
        self.columns(table).iter().find(|c| c.column_name == column)
    }
    fn indexes(&self, table: &str) -> &[DbIndex] {
        self.indexes
            .get(table)
            .map(Vec::as_slice)
            .unwrap_or_default()
    }
    fn index(&self, table: &str, name: &str) -> Option<&DbIndex> {
        self.indexes(table).iter().find(|i| i.name == name)
    }
    fn constraints(&self, table: &str, kind: &'static str) -> impl Iterator<Item = &DbConstraint> {
        self.constraints
            .get(table)
            .map(Vec::as_slice)
            .unwrap_or_default()
            .iter()
            .filter(move |c| c.kind == kind)
    }
    /// The single-column foreign key on `table.column`.
    fn foreign_key(&self, table: &str, column: &str) -> Option<&DbConstraint> {
        self.constraints(table, "f").find(|c| c.columns == column)
    }
    /// CHECK constraints that mention `column`.
    fn checks_on<'a>(
        &'a self,
        table: &str,
        column: &'a str,
    ) -> impl Iterator<Item = &'a DbConstraint> {
        self.constraints(table, "c")
            .filter(move |c| mentions(&c.def, column))
    }
    fn primary_key(&self, table: &str) -> Option<Vec<String>> {
        self.constraints(table, "p")
            .next()
            .map(|c| c.columns.split(',').map(str::to_string).collect())
    }
}

/// `confdeltype` / `confupdtype` → the SQL words.
fn fk_action(code: &str) -> &'static str {
    match code {
        "a" => "NO ACTION",
        "r" => "RESTRICT",
        "c" => "CASCADE",
        "n" => "SET NULL",
        "d" => "SET DEFAULT",
        other => panic!("unknown referential action code {other:?}"),
    }
}


async fn catalog() -> (TestDb, Catalog) {
    let db = TestDb::new().await;
    let mut conn = db.conn().await;
    let cat = Catalog::read(&mut conn).await;
    (db, cat)
}

// ===========================================================================
// Tests: the database against the seed
// ===========================================================================

#[test]
fn the_seed_parses_into_entities() {
    let entities = seed();
    let names: BTreeSet<&str> = entities.iter().map(|e| e.name.as_str()).collect();
    let mapped: BTreeSet<&str> = TABLES.iter().map(|(e, _)| *e).collect();
    assert_eq!(names, mapped, "seed entities vs TABLES");
    let user = entities.iter().find(|e| e.name == "User").unwrap();
    let email = user.attributes.iter().find(|a| a.name == "email").unwrap();
    assert_eq!(
        (email.ty.as_str(), email.required, email.size, email.unique),
        ("VARCHAR", true, Some(255), true)
    );
    assert_eq!(
        user.uniques
            .iter()
            .find(|u| u.name == "uq_user_social")
            .unwrap()
            .condition
            .as_deref(),
        Some("socialProvider IS NOT NULL AND socialProviderId IS NOT NULL")
    );
    let notification = entities.iter().find(|e| e.name == "Notification").unwrap();
    let p = notification
        .partitioned
        .as_ref()
        .expect("Notification is partitioned");
    assert_eq!(
        (p.strategy.as_str(), p.columns.as_slice()),
        ("range", &["createdAt".to_string()][..])
    );
    // Nothing dropped on the way: the typed model holds as many of each thing
    // as the raw text has headings / lines for it.
    let raw = |suffix: &str| {
        SEED.lines()
            .filter(|l| l.starts_with('#') && l.ends_with(suffix))
            .count()
    };
    let attributes: Vec<&SeedAttribute> = entities.iter().flat_map(|e| &e.attributes).collect();
    assert_eq!(attributes.len(), raw(". Is Required"), "attributes");
    let fks = attributes
        .iter()
        .filter(|a| a.foreign_key.is_some())
        .count();
    assert_eq!(fks, raw(". Is Foreign Key"), "foreign keys");
    let defaults = attributes.iter().filter(|a| a.default.is_some()).count();
    assert_eq!(defaults, raw(". Default Value"), "defaults");
    let checks = attributes.iter().map(|a| a.checks.len()).sum::<usize>();
    assert_eq!(
        checks,
        SEED.lines().filter(|l| l.starts_with("- CHECK")).count(),
        "checks"
    );
    let indexes = entities
        .iter()
        .map(|e| e.uniques.len() + e.indexes.len())
        .sum::<usize>();
    assert_eq!(indexes, raw(". Columns"), "unique constraints + indexes");
    let partitioned = entities.iter().filter(|e| e.partitioned.is_some()).count();
    assert_eq!(partitioned, raw(". Partitioning"), "partitioned entities");
    assert_eq!(snake_case("processingTimeMs"), "processing_time_ms");
    assert_eq!(snake_case("APIClient"), "api_client");
    assert_eq!(
        normalize_expr("isRead = false"),
        normalize_expr("(is_read = false)")
    );
}

/// What `information_schema.columns` should say for a seed attribute.
struct ExpectedType {
    data_type: &'static str,
    /// `character_maximum_length`.
    max_len: Option<i32>,
    /// `numeric_precision`, `numeric_scale` (DECIMAL only).
    numeric: Option<(Option<i32>, Option<i32>)>,
}

fn expected_type(entity: &str, a: &SeedAttribute) -> ExpectedType {
    let plain = |data_type| ExpectedType {
        data_type,
        max_len: None,
        numeric: None,
    };
    match a.ty.as_str() {
        "UUID" => plain("uuid"),
        "VARCHAR" => ExpectedType {
            max_len: a.size,
            ..plain("character varying")
        },
        "TEXT" => plain("text"),
        "DateTime" => plain("timestamp with time zone"),
        "BOOLEAN" => plain("boolean"),
        "INTEGER" => plain("integer"),
        "DECIMAL" => ExpectedType {
            numeric: Some((a.precision, a.scale)),
            ..plain("numeric")
        },
        "JSONB" => plain("jsonb"),
        // The sequence default (or identity) is checked separately.
        "BIGSERIAL" => plain("bigint"),
        other => panic!("seed: {entity}.{}: unknown type {other}", a.name),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_seed_table_and_column_exists_with_its_type() {
    let entities = seed();
    let (_db, cat) = catalog().await;
    let mut p = Problems::default();

    // Exactly the seed's tables (plus partitions of the partitioned ones).
    let expected: BTreeSet<&str> = entities.iter().map(|e| e.table()).collect();
    p.check(cat.tables() == expected, || {
        format!(
            "tables in studio: expected {expected:?}, found {:?}",
            cat.tables()
        )
    });
    for r in &cat.relations {
        p.check(r.kind == "r" || r.kind == "p", || {
            format!("{}: relation kind {} is not a table", r.name, r.kind)
        });
        if r.is_partition {
            let parent_partitioned = entities
                .iter()
                .any(|e| e.table() == r.parent && e.partitioned.is_some());
            p.check(parent_partitioned, || {
                format!(
                    "{}: partition of {}, which the seed does not partition",
                    r.name, r.parent
                )
            });
        }
    }

    // The allow-list still describes the seed (Required True + ON DELETE SET NULL).
    for (table, column) in NULLABLE_DESPITE_REQUIRED {
        let a = entities
            .iter()
            .filter(|e| e.table() == *table)
            .flat_map(|e| &e.attributes)
            .find(|a| a.column() == *column);
        let still = a.is_some_and(|a| {
            a.required
                && a.foreign_key
                    .as_ref()
                    .is_some_and(|f| f.on_delete == "SET NULL")
        });
        p.check(still, || format!("{table}.{column}: allow-listed as Required + SET NULL, but the seed no longer says so"));
    }

    for e in &entities {
        let table = e.table();
        let seed_columns: Vec<String> = e.attributes.iter().map(SeedAttribute::column).collect();
        for a in &e.attributes {
            let column = a.column();
            let Some(c) = cat.column(table, &column) else {
                p.check(false, || {
                    format!("{table}.{column}: missing (seed {}.{})", e.name, a.name)
                });
                continue;
            };
            let at = format!("{table}.{column}");

            // Type.
            let want = expected_type(&e.name, a);
            p.check(c.data_type == want.data_type, || {
                format!(
                    "{at}: type {} (seed {} → {})",
                    c.data_type, a.ty, want.data_type
                )
            });
            p.check(c.max_len == want.max_len, || {
                format!(
                    "{at}: max length {:?}, seed Size {:?}",
                    c.max_len, want.max_len
                )
            });
            if let Some((precision, scale)) = want.numeric {
                p.check((c.precision, c.scale) == (precision, scale), || {
                    format!(
                        "{at}: numeric({:?},{:?}), seed ({precision:?},{scale:?})",
                        c.precision, c.scale
                    )
                });
            }
            if a.ty == "BIGSERIAL" {
                let serial = c.identity
                    || c.default
                        .as_deref()
                        .is_some_and(|d| d.starts_with("nextval("));
                p.check(serial, || {
                    format!(
                        "{at}: BIGSERIAL without a sequence default or identity ({:?})",
                        c.default
                    )
                });
            }

            // Nullability.
            let allowed_nullable = NULLABLE_DESPITE_REQUIRED.contains(&(table, column.as_str()));
            let expected_nullable = !a.required || allowed_nullable;
            p.check(c.nullable == expected_nullable, || {
                format!(
                    "{at}: nullable={}, seed Is Required={}{}",
                    c.nullable,
                    a.required,
                    if allowed_nullable {
                        " (allow-listed nullable)"
                    } else {
                        ""
                    }
                )
            });

            // Default: present iff the seed gives one (and the same value);
            // generated primary keys may have gen_random_uuid() / nextval().
            match (&a.default, &c.default) {
                (Some(seed), Some(db)) => p
                    .check(strip_casts(db).eq_ignore_ascii_case(seed.trim()), || {
                        format!("{at}: default {db}, seed Default Value {seed}")
                    }),
                (Some(seed), None) => p.check(false, || {
                    format!("{at}: no default, seed Default Value {seed}")
                }),
                (None, Some(db)) => {
                    let generated = a.primary_key
                        && ((a.ty == "UUID" && db == "gen_random_uuid()")
                            || (a.ty == "BIGSERIAL" && db.starts_with("nextval(")));
                    p.check(generated, || {
                        format!("{at}: default {db}, but the seed gives none")
                    });
                }
                (None, None) => {}
            }
        }
        for c in cat.columns(table) {
            p.check(seed_columns.contains(&c.column_name), || {
                format!(
                    "{table}.{}: column not in the seed ({})",
                    c.column_name, e.name
                )
            });
        }
        // Columns in seed order.
        let order: Vec<&str> = cat
            .columns(table)
            .iter()
            .map(|c| c.column_name.as_str())
            .collect();
        p.check(
            order == seed_columns.iter().map(String::as_str).collect::<Vec<_>>(),
            || format!("{table}: column order {order:?}, seed {seed_columns:?}"),
        );
    }
    p.assert_none("tables and columns vs seed");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn check_constraints_from_the_seed_exist() {
    let entities = seed();
    let (_db, cat) = catalog().await;
    let mut p = Problems::default();
    let mut matched: BTreeSet<(String, String)> = BTreeSet::new();
    let mut seed_checks = 0;
    for e in &entities {
        let table = e.table();
        for a in &e.attributes {
            let column = a.column();
            for check in &a.checks {
                seed_checks += 1;
                let literals: BTreeSet<String> = quoted_literals(check).into_iter().collect();
                let found = cat.checks_on(table, &column).find(|c| {
                    let db_literals: BTreeSet<String> =
                        quoted_literals(&c.def).into_iter().collect();
                    // With no literals to compare (`rating >= 1 AND rating <= 5`),
                    // the whole expression must match.
                    db_literals == literals
                        && (!literals.is_empty()
                            || normalize_expr(c.def.strip_prefix("CHECK").unwrap_or(&c.def))
                                == normalize_expr(check))
                });
                match found {
                    Some(c) => {
                        matched.insert((table.to_string(), c.name.clone()));
                    }
                    None => p.check(false, || {
                        let have: Vec<&str> = cat
                            .checks_on(table, &column)
                            .map(|c| c.def.as_str())
                            .collect();
                        format!(
                            "{table}.{column}: no CHECK matching seed `{check}` (found {have:?})"
                        )
                    }),
                }
            }
        }
        // No CHECK the seed does not ask for.
        for c in cat.constraints(table, "c") {
            p.check(
                matched.contains(&(table.to_string(), c.name.clone())),
                || format!("{table}: CHECK {} `{}` is not in the seed", c.name, c.def),
            );
        }
    }
    assert!(seed_checks > 0, "the seed parsed without any CHECK");
    p.assert_none("CHECK constraints vs seed");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unique_constraints_and_indexes_from_the_seed_exist() {
    let entities = seed();
    let (_db, cat) = catalog().await;
    let mut p = Problems::default();
    let mut twins_used = BTreeSet::new();
    for e in &entities {
        let table = e.table();
        let kinds = e
            .uniques
            .iter()
            .map(|u| ("unique constraint", u))
            .chain(e.indexes.iter().map(|i| ("index", i)));
        for (kind, s) in kinds {
            let name = s.name.to_lowercase();
            let twin = TWINS
                .iter()
                .find(|t| t.table == table && t.seed_name == name);
            let (index, twin) = match (cat.index(table, &name), twin) {
                (Some(i), None) => (i, None),
                (Some(_), Some(t)) => {
                    p.check(false, || {
                        format!(
                            "{table}: {name} exists, but is allow-listed as collapsed into {}",
                            t.object
                        )
                    });
                    continue;
                }
                (None, Some(t)) => {
                    twins_used.insert(name.clone());
                    match cat.index(table, t.object) {
                        Some(i) => (i, Some(t)),
                        None => {
                            p.check(false, || {
                                format!(
                                    "{table}: {kind} {name} and its twin {} are both missing",
                                    t.object
                                )
                            });
                            continue;
                        }
                    }
                }
                (None, None) => {
                    p.check(false, || format!("{table}: {kind} {name} is missing"));
                    continue;
                }
            };
            let at = match twin {
                Some(t) => format!("{table}: {kind} {name} (served by {})", t.object),
                None => format!("{table}: {kind} {name}"),
            };
            let columns: Vec<String> = s.columns.iter().map(|c| snake_case(c)).collect();
            p.check(index.columns() == columns, || {
                format!("{at}: columns {:?}, seed {columns:?}", index.columns())
            });
            p.check(index.method == s.method, || {
                format!("{at}: method {}, seed {}", index.method, s.method)
            });
            let unique_ok = index.unique == s.unique
                || (twin.is_some_and(|t| t.stronger_unique) && index.unique);
            p.check(unique_ok, || {
                format!("{at}: unique={}, seed Is Unique={}", index.unique, s.unique)
            });
            let seed_pred = s
                .condition
                .as_deref()
                .map(normalize_expr)
                .unwrap_or_default();
            let db_pred = normalize_expr(&index.predicate);
            let pred_ok = seed_pred == db_pred
                || (twin.is_some_and(|t| t.predicate_dropped) && db_pred.is_empty());
            p.check(pred_ok, || {
                format!(
                    "{at}: predicate `{}`, seed Condition {:?}",
                    index.predicate, s.condition
                )
            });
            if kind == "unique constraint" {
                // A seed unique constraint without a Condition is a real UNIQUE constraint.
                let is_constraint = cat.constraints(table, "u").any(|c| c.name == index.name);
                p.check(is_constraint || s.condition.is_some(), || {
                    format!("{at}: a unique index, not a UNIQUE constraint")
                });
            }
        }

        // Attribute-level `Is Unique`: some full (non-partial) unique index on exactly that column.
        // `Indexed`: the column is part of some index.
        for a in &e.attributes {
            let column = a.column();
            if a.unique {
                let ok = cat
                    .indexes(table)
                    .iter()
                    .any(|i| i.unique && i.predicate.is_empty() && i.columns == column);
                p.check(ok, || {
                    format!("{table}.{column}: seed Is Unique, but no unique index on ({column})")
                });
            }
            if a.indexed {
                let ok = cat
                    .indexes(table)
                    .iter()
                    .any(|i| i.columns().contains(&column));
                p.check(ok, || {
                    format!("{table}.{column}: seed Indexed, but no index contains it")
                });
            }
        }

        // Primary key.
        let pk = expected_primary_key(e);
        let db_pk = cat.primary_key(table);
        p.check(db_pk.as_ref() == Some(&pk), || {
            format!(
                "{table}: primary key {db_pk:?}, expected {pk:?} (seed {:?})",
                e.primary_key
            )
        });
    }
    // The widened keys are exactly the partitioned entities' seed key + partition key.
    for (table, cols) in PRIMARY_KEY_WIDENED {
        let e = entities.iter().find(|e| e.table() == *table);
        let expected = e.and_then(|e| {
            let part = e.partitioned.as_ref()?;
            let mut k: Vec<String> = e.primary_key.iter().map(|c| snake_case(c)).collect();
            k.extend(
                part.columns
                    .iter()
                    .map(|c| snake_case(c))
                    .filter(|c| !e.primary_key.iter().any(|k| snake_case(k) == *c)),
            );
            Some(k)
        });
        p.check(expected.as_deref() == Some(&cols.iter().map(|c| c.to_string()).collect::<Vec<_>>()[..]), || {
            format!("{table}: allow-listed primary key {cols:?} is not the seed's key plus its partition key ({expected:?})")
        });
    }
    for t in TWINS {
        p.check(twins_used.contains(t.seed_name), || {
            format!(
                "{}: allow-listed twin {} is not a seed index",
                t.table, t.seed_name
            )
        });
    }
    p.assert_none("unique constraints and indexes vs seed");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn foreign_keys_have_the_seed_actions_and_an_index() {
    let entities = seed();
    let (_db, cat) = catalog().await;
    let mut p = Problems::default();
    let mut seed_fks = BTreeSet::new();
    for e in &entities {
        let table = e.table();
        for a in &e.attributes {
            let Some(fk) = &a.foreign_key else { continue };
            let column = a.column();
            seed_fks.insert((table, column.clone()));
            let Some(c) = cat.foreign_key(table, &column) else {
                p.check(false, || {
                    format!("{table}.{column}: seed Is Foreign Key, but no foreign key constraint")
                });
                continue;
            };
            let at = format!("{table}.{column} ({})", c.name);
            p.check(fk_action(&c.on_delete) == fk.on_delete, || {
                format!(
                    "{at}: ON DELETE {}, seed {}",
                    fk_action(&c.on_delete),
                    fk.on_delete
                )
            });
            p.check(fk_action(&c.on_update) == fk.on_update, || {
                format!(
                    "{at}: ON UPDATE {}, seed {}",
                    fk_action(&c.on_update),
                    fk.on_update
                )
            });
            // The target is a seed table, referenced by its primary key.
            let target_pk = cat.primary_key(&c.ref_table);
            p.check(TABLES.iter().any(|(_, t)| *t == c.ref_table), || {
                format!("{at}: references {}, not a seed table", c.ref_table)
            });
            p.check(
                target_pk.as_ref().map(|k| k.join(",")) == Some(c.ref_columns.clone()),
                || {
                    format!(
                        "{at}: references {}({}), not its primary key {target_pk:?}",
                        c.ref_table, c.ref_columns
                    )
                },
            );
            let indexed = cat
                .indexes(table)
                .iter()
                .any(|i| i.leading_column() == column);
            p.check(indexed, || format!("{at}: no index led by {column}"));
        }
        // No foreign key the seed does not declare.
        for c in cat.constraints(table, "f") {
            p.check(seed_fks.contains(&(table, c.columns.clone())), || {
                format!(
                    "{table}.{}: foreign key {} is not in the seed",
                    c.columns, c.name
                )
            });
        }
    }
    assert!(
        !seed_fks.is_empty(),
        "the seed parsed without any foreign key"
    );
    p.assert_none("foreign keys vs seed");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn partitioned_tables_and_triggers() {
    let entities = seed();
    let db = TestDb::new().await;
    let mut conn = db.conn().await;
    let cat = Catalog::read(&mut conn).await;
    let mut p = Problems::default();

    // Partitioning: exactly the seed's partitioned entities, with the seed's key.
    let parts = partitioned(&mut conn).await;
    let expected: BTreeSet<&str> = entities
        .iter()
        .filter(|e| e.partitioned.is_some())
        .map(|e| e.table())
        .collect();
    let found: BTreeSet<&str> = parts.iter().map(|t| t.table_name.as_str()).collect();
    assert!(!expected.is_empty(), "the seed parsed without partitioning");
    p.check(found == expected, || {
        format!("partitioned tables {found:?}, seed {expected:?}")
    });
    for e in entities.iter().filter(|e| e.partitioned.is_some()) {
        let table = e.table();
        let part = e.partitioned.as_ref().unwrap();
        let key = format!(
            "{} ({})",
            part.strategy.to_uppercase(),
            part.columns
                .iter()
                .map(|c| snake_case(c))
                .collect::<Vec<_>>()
                .join(", ")
        );
        let db_key = parts
            .iter()
            .find(|t| t.table_name == table)
            .map(|t| t.key.as_str());
        p.check(db_key == Some(key.as_str()), || {
            format!("{table}: partition key {db_key:?}, seed {key}")
        });
        let default = cat
            .relations
            .iter()
            .any(|r| r.is_partition && r.parent == table && r.bound == "DEFAULT");
        p.check(default, || format!("{table}: no DEFAULT partition"));
    }

    // set_updated_at: BEFORE UPDATE FOR EACH ROW on every table (and partition)
    // with an updated_at column, and on no other.
    let trig = triggers(&mut conn).await;
    let with_updated_at: BTreeSet<String> = load::<DbColumn>(
        &mut conn,
        "SELECT c.table_name::text AS table_name, c.column_name::text AS column_name, c.data_type::text AS data_type,
                NULL::int AS max_len, NULL::int AS precision, NULL::int AS scale, true AS nullable,
                NULL::text AS default, false AS identity
           FROM information_schema.columns c WHERE c.table_schema = 'studio' AND c.column_name = 'updated_at'",
    )
    .await
    .into_iter()
    .map(|c| c.table_name)
    .collect();
    assert!(
        with_updated_at.contains("users") && with_updated_at.len() > 1,
        "updated_at tables: {with_updated_at:?}"
    );
    for table in &with_updated_at {
        let t = trig
            .iter()
            .find(|t| &t.table_name == table && t.name == "set_updated_at");
        p.check(t.is_some(), || {
            format!("{table}: has updated_at but no set_updated_at trigger")
        });
        if let Some(t) = t {
            p.check(t.function == "quiver.set_updated_at", || {
                format!("{table}: set_updated_at runs {}", t.function)
            });
            p.check(t.tgtype == 1 | 2 | 16, || {
                format!(
                    "{table}: set_updated_at tgtype {} is not BEFORE UPDATE FOR EACH ROW",
                    t.tgtype
                )
            });
            p.check(t.enabled, || format!("{table}: set_updated_at is disabled"));
        }
    }
    for t in trig.iter().filter(|t| t.name == "set_updated_at") {
        p.check(with_updated_at.contains(&t.table_name), || {
            format!(
                "{}: set_updated_at trigger without an updated_at column",
                t.table_name
            )
        });
    }

    // An UPDATE through SQL moves updated_at forward: on a plain table and on a partitioned one.
    db.exec(
        "INSERT INTO studio.users (id, email, updated_at)
              VALUES ('00000000-0000-4000-8000-00000000ca7a', 'catalog@example.com', '2000-01-01 00:00:00+00');
         INSERT INTO studio.notifications (user_id, type, message, updated_at)
              VALUES ('00000000-0000-4000-8000-00000000ca7a', 'system_update', 'hello', '2000-01-01 00:00:00+00');
         UPDATE studio.users SET full_name = 'Cat Alog' WHERE email = 'catalog@example.com';
         UPDATE studio.notifications SET is_read = true WHERE message = 'hello';",
    )
    .await;
    for table in ["users", "notifications"] {
        let moved =
            load::<Flag>(
                &mut conn,
                &format!(
                "SELECT bool_and(updated_at > now() - interval '1 hour') AS v FROM studio.{table}
                  WHERE {}",
                if table == "users" { "email = 'catalog@example.com'" } else { "message = 'hello'" }
            ),
            )
            .await;
        p.check(moved.iter().any(|f| f.v), || {
            format!("{table}: UPDATE left updated_at at its old value")
        });
    }
    p.assert_none("partitioning and triggers");
}

// ===========================================================================
// Tests: the Rust declarations against the database
// ===========================================================================


/// The values of a `column IN (...)` CHECK (as PostgreSQL prints it:
/// `((col)::text = ANY ((ARRAY['a'::character varying, …])::text[]))`).
fn in_list(def: &str) -> Option<Vec<String>> {
    (def.contains("ANY") || def.contains(" IN ")).then(|| quoted_literals(def))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn declarations_match_the_database() {
    let app = &quiver::apps::studio::APP;
    let (_db, cat) = catalog().await;
    let mut p = Problems::default();

    let declared: BTreeSet<&str> = app.tables.iter().map(|t| t.name).collect();
    p.check(declared == cat.tables(), || {
        format!("declared tables {declared:?}, database {:?}", cat.tables())
    });

    for t in app.tables {
        let table = t.name;
        if !cat.tables().contains(table) {
            p.check(false, || format!("{table}: declared, not in the database"));
            continue;
        }
        for c in t.columns {
            let at = format!("{table}.{}", c.name);
            let Some(db) = cat.column(table, c.name) else {
                p.check(false, || format!("{at}: declared, not in the database"));
                continue;
            };
            p.check(
                crate::common::compatible_types(&c.ty).contains(&db.data_type.as_str()),
                || format!("{at}: declared {:?}, database {}", c.ty, db.data_type),
            );
            p.check(c.nullable == db.nullable, || {
                format!(
                    "{at}: declared nullable={}, database {}",
                    c.nullable, db.nullable
                )
            });
            p.check(c.has_default == db.has_default(), || {
                format!(
                    "{at}: declared has_default={}, database default {:?}",
                    c.has_default, db.default
                )
            });
            let max_len = c.max_len.map(|n| n as i32);
            p.check(max_len == db.max_len, || {
                format!(
                    "{at}: declared max_len {:?}, database {:?}",
                    c.max_len, db.max_len
                )
            });

            // Enum values are the column's CHECK IN list; a column with such a
            // list is declared as an Enum.
            let lists: Vec<Vec<String>> = cat
                .checks_on(table, c.name)
                .filter_map(|k| in_list(&k.def))
                .collect();
            match c.ty {
                ColumnType::Enum(values) => {
                    let values: Vec<String> = values.iter().map(|v| v.to_string()).collect();
                    p.check(lists.len() == 1 && lists[0] == values, || {
                        format!("{at}: declared Enum {values:?}, database CHECK lists {lists:?}")
                    });
                }
                _ => p.check(lists.is_empty(), || {
                    format!(
                        "{at}: declared {:?}, but the database restricts it to {lists:?}",
                        c.ty
                    )
                }),
            }
        }
        for db in cat.columns(table) {
            p.check(t.column(&db.column_name).is_some(), || {
                format!("{table}.{}: in the database, not declared", db.column_name)
            });
        }

        // The key is the primary key (partitioned tables: its first column).
        let pk = cat.primary_key(table).unwrap_or_default();
        p.check(
            pk.split_first().map(|(k, _)| k.as_str()) == Some(t.key),
            || {
                format!(
                    "{table}: declared key {}, database primary key {pk:?}",
                    t.key
                )
            },
        );

        // belongs_to ↔ foreign keys, both ways.
        for fk in t.belongs_to {
            let at = format!("{table}.{} → {}", fk.column, fk.target);
            let target_key = app.table(fk.target).map(|t| t.key);
            match cat.foreign_key(table, fk.column) {
                Some(c) => p.check(
                    c.ref_table == fk.target && Some(c.ref_columns.as_str()) == target_key,
                    || {
                        format!(
                            "{at}: database foreign key {} references {}({})",
                            c.name, c.ref_table, c.ref_columns
                        )
                    },
                ),
                None => p.check(false, || {
                    format!("{at}: declared belongs_to, no foreign key in the database")
                }),
            }
        }
        for c in cat.constraints(table, "f") {
            p.check(t.belongs_to.iter().any(|fk| fk.column == c.columns), || {
                format!(
                    "{table}.{}: foreign key {} is not declared in belongs_to",
                    c.columns, c.name
                )
            });
        }
    }
    p.assert_none("declarations vs database");
}
