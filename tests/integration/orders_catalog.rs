//! The orders schema, read back from the PostgreSQL catalog, against its spec:
//! the seed (`tests/fixtures/seed_004_orders.txt`, a copy of seed 004) and the
//! Rust declarations (`quiver::apps::orders::APP`); then the API over the demo
//! data, and the audit trail.
//!
//! Nothing here lists what the schema should contain: the seed's `### <table>`
//! sections (column, type, nullability, default) and its `## Database Enums`
//! are parsed, and the foreign keys are the ones the seed's `*_id` column
//! names imply (the seed declares none). The only hand-written knowledge is
//! [`IMPLIED_TARGETS`] (which table a key name points at) and the deviations
//! the migration documents: [`MANAGED_WITHOUT_DEFAULT`] and [`CIDR_AS_TEXT`].
//!
//! Each catalog test collects every mismatch it finds and fails once with the
//! whole list.

use std::collections::{BTreeMap, BTreeSet};

use quiver::catalog::ColumnType;
use serde_json::{json, Value};

use crate::common::Problems;
use crate::common::{TestDb, TestServer};

/// The spec, as shipped with the project.
const SEED: &str = include_str!("../fixtures/seed_004_orders.txt");

/// The PostgreSQL schema of the app.
const SCHEMA: &str = "orders";

/// Which table a foreign-key column name points at. `user_id` only where it
/// is a uuid (`messages.user_id` is text).
const IMPLIED_TARGETS: &[(&str, &str)] = &[
    ("tenant_id", "tenants"),
    ("customer_id", "customers"),
    ("agent_id", "agents"),
    ("order_id", "orders"),
    ("product_id", "products"),
    ("category_id", "product_categories"),
    ("product_type_id", "product_types"),
    ("industry_id", "industries"),
    ("role_id", "roles"),
    ("user_id", "users"),
    ("call_id", "call_logs"),
    ("reorder_id", "orders"),
];

/// Declared `.managed()` (so `has_default`) although the database has no
/// default: the seed gives `proposed_orders.updated_at` and `last_updated_by`
/// none, and a nullable column a trigger maintains needs none.
const MANAGED_WITHOUT_DEFAULT: &[(&str, &str)] = &[("proposed_orders", "updated_at"), ("proposed_orders", "last_updated_by")];

/// `cidr` columns, declared `Text` (the vocabulary has no cidr type).
const CIDR_AS_TEXT: &[(&str, &str)] = &[("ip_allowlist", "ip_address")];

// ===========================================================================
// The seed, parsed
// ===========================================================================

#[derive(Debug, Clone)]
struct SeedColumn {
    name: String,
    /// As written before `DEFAULT` / `NOT NULL` (`timestamp with time zone`).
    ty: String,
    not_null: bool,
    has_default: bool,
}

#[derive(Debug, Clone)]
struct SeedTable {
    name: String,
    columns: Vec<SeedColumn>,
}

#[derive(Debug, Default)]
struct Seed {
    tables: Vec<SeedTable>,
    /// Enum name → values in seed order.
    enums: BTreeMap<String, Vec<String>>,
}

/// The cells of a markdown table row (`| a | b |` → `["a", "b"]`).
fn cells(line: &str) -> Vec<String> {
    let inner = line.trim().trim_start_matches('|').trim_end_matches('|');
    inner.split('|').map(|c| c.trim().to_string()).collect()
}

/// A markdown header or separator row.
fn is_header(cells: &[String]) -> bool {
    cells.first().is_some_and(|c| c == "Column" || c == "Value" || c.chars().all(|ch| ch == '-'))
}

/// Parses one `| Column | Type | Nullable | … |` row. The type cell carries
/// the truth (`uuid DEFAULT gen_random_uuid() NOT NULL`, `jsonb DEFAULT` with
/// the value missing); the Nullable cell is ✅ even for NOT NULL columns, and
/// ❌ only on two columns the diagram also gives as NOT NULL, so ❌ counts as
/// NOT NULL too.
fn parse_column(table: &str, cells: &[String]) -> SeedColumn {
    assert!(cells.len() >= 3, "seed: {table}: short row {cells:?}");
    let spec = &cells[1];
    let cut = [" DEFAULT", " NOT NULL"].iter().filter_map(|m| spec.find(m)).min().unwrap_or(spec.len());
    let ty = spec[..cut].trim().to_string();
    assert!(!ty.is_empty(), "seed: {table}.{}: no type in {spec:?}", cells[0]);
    let nullable_cell = cells[2].as_str();
    assert!(nullable_cell == "✅" || nullable_cell == "❌", "seed: {table}.{}: Nullable {nullable_cell:?}", cells[0]);
    SeedColumn {
        name: cells[0].clone(),
        ty,
        not_null: spec.contains("NOT NULL") || nullable_cell == "❌",
        has_default: spec.split_whitespace().any(|w| w == "DEFAULT"),
    }
}

fn parse_seed(text: &str) -> Seed {
    #[derive(PartialEq)]
    enum Part {
        Other,
        Tables,
        Enums,
    }
    let mut seed = Seed::default();
    let mut part = Part::Other;
    let mut item: Option<String> = None;
    for line in text.lines() {
        if let Some(title) = line.strip_prefix("## ") {
            part = match title.trim() {
                "Database Tables" => Part::Tables,
                "Database Enums" => Part::Enums,
                _ => Part::Other,
            };
            item = None;
        } else if let Some(name) = line.strip_prefix("### ") {
            item = Some(name.trim().to_string());
            match part {
                Part::Tables => seed.tables.push(SeedTable { name: name.trim().to_string(), columns: Vec::new() }),
                Part::Enums => {
                    seed.enums.insert(name.trim().to_string(), Vec::new());
                }
                Part::Other => {}
            }
        } else if let (true, Some(name)) = (line.trim_start().starts_with('|'), item.as_ref()) {
            let row = cells(line);
            if is_header(&row) {
                continue;
            }
            match part {
                Part::Tables => {
                    let column = parse_column(name, &row);
                    seed.tables.last_mut().unwrap().columns.push(column);
                }
                Part::Enums => seed.enums.get_mut(name).unwrap().push(row[0].clone()),
                Part::Other => {}
            }
        }
    }
    seed
}

fn seed() -> Seed {
    parse_seed(SEED)
}

/// The table a seed column implies a foreign key to, if any.
fn implied_target(column: &SeedColumn) -> Option<&'static str> {
    IMPLIED_TARGETS
        .iter()
        .find(|(c, _)| *c == column.name)
        .map(|(_, t)| *t)
        .filter(|_| column.ty == "uuid")
}

#[test]
fn the_seed_parses_into_tables_and_enums() {
    let s = seed();
    assert_eq!(s.tables.len(), 23, "tables: {:?}", s.tables.iter().map(|t| &t.name).collect::<Vec<_>>());
    assert_eq!(s.enums.len(), 8, "enums: {:?}", s.enums.keys().collect::<Vec<_>>());
    for t in &s.tables {
        assert!(!t.columns.is_empty(), "{} has no columns", t.name);
        assert_eq!(t.columns[0].name, "id", "{}: first column", t.name);
        assert!(t.columns[0].not_null, "{}.id is NOT NULL", t.name);
    }
    for (name, values) in &s.enums {
        assert!(values.len() >= 7, "{name}: {values:?}");
    }
    let po = s.tables.iter().find(|t| t.name == "proposed_orders").unwrap();
    let status = po.columns.iter().find(|c| c.name == "status").unwrap();
    assert!(status.not_null && status.has_default && status.ty == "text", "{status:?}");
    let ak = s.tables.iter().find(|t| t.name == "api_keys").unwrap();
    let perms = ak.columns.iter().find(|c| c.name == "permissions").unwrap();
    assert!(!perms.not_null && perms.has_default && perms.ty == "jsonb", "{perms:?}");
    assert_eq!(s.enums["order_status"].last().map(String::as_str), Some("accepted"));
}

// ===========================================================================
// The catalog
// ===========================================================================


fn s(v: &Value) -> String {
    v.as_str().map(str::to_string).unwrap_or_else(|| v.to_string())
}

#[derive(Debug)]
struct DbColumn {
    table: String,
    name: String,
    data_type: String,
    nullable: bool,
    default: bool,
    identity: bool,
}

impl DbColumn {
    fn has_default(&self) -> bool {
        self.default || self.identity
    }
}

#[derive(Debug)]
struct DbForeignKey {
    table: String,
    column: String,
    target: String,
    target_column: String,
    /// `pg_constraint.confdeltype`: a (no action), r, c, n, d.
    on_delete: String,
    name: String,
}

struct Catalog {
    columns: Vec<DbColumn>,
    foreign_keys: Vec<DbForeignKey>,
    /// (table, leading column) of every non-partial index.
    index_leads: BTreeSet<(String, String)>,
    /// table → primary key columns.
    primary_keys: BTreeMap<String, Vec<String>>,
    /// enum → values in order.
    enums: BTreeMap<String, Vec<String>>,
    /// (table, trigger) → (function, arguments).
    triggers: BTreeMap<(String, String), (String, Vec<String>)>,
}

impl Catalog {
    async fn read(db: &TestDb) -> Catalog {
        let columns = db
            .rows(&format!(
                "SELECT c.table_name::text AS t, c.column_name::text AS c, c.data_type::text AS ty,
                        c.is_nullable = 'YES' AS nullable, c.column_default IS NOT NULL AS has_default,
                        c.is_identity = 'YES' AS identity
                   FROM information_schema.columns c
                   JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
                  WHERE c.table_schema = '{SCHEMA}' AND t.table_type = 'BASE TABLE'
                  ORDER BY c.table_name, c.ordinal_position"
            ))
            .await
            .into_iter()
            .map(|r| DbColumn {
                table: s(&r["t"]),
                name: s(&r["c"]),
                data_type: s(&r["ty"]),
                nullable: r["nullable"].as_bool().unwrap(),
                default: r["has_default"].as_bool().unwrap(),
                identity: r["identity"].as_bool().unwrap(),
            })
            .collect();
        let foreign_keys = db
            .rows(&format!(
                "SELECT cl.relname::text AS t, a.attname::text AS c, rt.relname::text AS target,
                        ra.attname::text AS target_column, k.confdeltype::text AS on_delete, k.conname::text AS name,
                        array_length(k.conkey, 1) AS n
                   FROM pg_constraint k
                   JOIN pg_class cl ON cl.oid = k.conrelid
                   JOIN pg_namespace ns ON ns.oid = cl.relnamespace
                   JOIN pg_class rt ON rt.oid = k.confrelid
                   JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = k.conkey[1]
                   JOIN pg_attribute ra ON ra.attrelid = k.confrelid AND ra.attnum = k.confkey[1]
                  WHERE k.contype = 'f' AND ns.nspname = '{SCHEMA}'
                  ORDER BY 1, 2"
            ))
            .await
            .into_iter()
            .map(|r| {
                assert_eq!(r["n"], json!(1), "single-column foreign keys only: {r}");
                DbForeignKey {
                    table: s(&r["t"]),
                    column: s(&r["c"]),
                    target: s(&r["target"]),
                    target_column: s(&r["target_column"]),
                    on_delete: s(&r["on_delete"]),
                    name: s(&r["name"]),
                }
            })
            .collect();
        let index_leads = db
            .rows(&format!(
                "SELECT t.relname::text AS t, a.attname::text AS c
                   FROM pg_index i
                   JOIN pg_class t ON t.oid = i.indrelid
                   JOIN pg_namespace ns ON ns.oid = t.relnamespace
                   JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = i.indkey[0]
                  WHERE ns.nspname = '{SCHEMA}' AND i.indpred IS NULL"
            ))
            .await
            .into_iter()
            .map(|r| (s(&r["t"]), s(&r["c"])))
            .collect();
        let mut primary_keys: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for r in db
            .rows(&format!(
                "SELECT cl.relname::text AS t, array_agg(a.attname::text ORDER BY u.ord) AS cols
                   FROM pg_constraint k
                   JOIN pg_class cl ON cl.oid = k.conrelid
                   JOIN pg_namespace ns ON ns.oid = cl.relnamespace
                   CROSS JOIN LATERAL unnest(k.conkey) WITH ORDINALITY AS u(attnum, ord)
                   JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = u.attnum
                  WHERE k.contype = 'p' AND ns.nspname = '{SCHEMA}'
                  GROUP BY cl.relname"
            ))
            .await
        {
            primary_keys.insert(s(&r["t"]), r["cols"].as_array().unwrap().iter().map(s).collect());
        }
        let mut enums = BTreeMap::new();
        for r in db
            .rows(&format!(
                "SELECT t.typname::text AS name, array_agg(e.enumlabel::text ORDER BY e.enumsortorder) AS vals
                   FROM pg_type t
                   JOIN pg_namespace ns ON ns.oid = t.typnamespace
                   JOIN pg_enum e ON e.enumtypid = t.oid
                  WHERE ns.nspname = '{SCHEMA}'
                  GROUP BY t.typname"
            ))
            .await
        {
            enums.insert(s(&r["name"]), r["vals"].as_array().unwrap().iter().map(s).collect());
        }
        let mut triggers = BTreeMap::new();
        for r in db
            .rows(&format!(
                "SELECT c.relname::text AS t, tg.tgname::text AS name,
                        pn.nspname || '.' || p.proname AS function,
                        array_remove(string_to_array(encode(tg.tgargs, 'escape'), '\\000'), '') AS args
                   FROM pg_trigger tg
                   JOIN pg_class c ON c.oid = tg.tgrelid
                   JOIN pg_namespace ns ON ns.oid = c.relnamespace
                   JOIN pg_proc p ON p.oid = tg.tgfoid
                   JOIN pg_namespace pn ON pn.oid = p.pronamespace
                  WHERE ns.nspname = '{SCHEMA}' AND NOT tg.tgisinternal"
            ))
            .await
        {
            let args = r["args"].as_array().map(|a| a.iter().map(s).collect()).unwrap_or_default();
            triggers.insert((s(&r["t"]), s(&r["name"])), (s(&r["function"]), args));
        }
        Catalog { columns, foreign_keys, index_leads, primary_keys, enums, triggers }
    }

    fn tables(&self) -> BTreeSet<&str> {
        self.columns.iter().map(|c| c.table.as_str()).collect()
    }

    fn columns(&self, table: &str) -> Vec<&DbColumn> {
        self.columns.iter().filter(|c| c.table == table).collect()
    }

    fn column(&self, table: &str, column: &str) -> Option<&DbColumn> {
        self.columns.iter().find(|c| c.table == table && c.name == column)
    }

    fn foreign_key(&self, table: &str, column: &str) -> Option<&DbForeignKey> {
        self.foreign_keys.iter().find(|k| k.table == table && k.column == column)
    }
}

async fn catalog() -> (TestDb, Catalog) {
    let db = TestDb::new().await;
    let cat = Catalog::read(&db).await;
    (db, cat)
}

// ===========================================================================
// Tests: the seed against the database
// ===========================================================================

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_seed_table_and_column_exists_with_its_type_nullability_and_default() {
    let seed = seed();
    let (_db, cat) = catalog().await;
    let mut p = Problems::default();
    let seed_tables: BTreeSet<&str> = seed.tables.iter().map(|t| t.name.as_str()).collect();
    p.check(seed_tables == cat.tables(), || format!("seed tables {seed_tables:?}, database {:?}", cat.tables()));
    for t in &seed.tables {
        let db_columns = cat.columns(&t.name);
        let names: Vec<&str> = db_columns.iter().map(|c| c.name.as_str()).collect();
        let want: Vec<&str> = t.columns.iter().map(|c| c.name.as_str()).collect();
        p.check(names == want, || format!("{}: columns {names:?}, seed (in order) {want:?}", t.name));
        for c in &t.columns {
            let at = format!("{}.{}", t.name, c.name);
            let Some(db) = cat.column(&t.name, &c.name) else { continue };
            p.check(db.data_type == c.ty, || format!("{at}: type {}, seed {}", db.data_type, c.ty));
            p.check(db.nullable != c.not_null, || format!("{at}: nullable {}, seed NOT NULL {}", db.nullable, c.not_null));
            // An identity column has no column default, as the seed shows it.
            p.check(db.default == c.has_default, || format!("{at}: has a default {}, seed {}", db.default, c.has_default));
        }
        p.check(cat.primary_keys.get(&t.name) == Some(&vec!["id".to_string()]), || {
            format!("{}: primary key {:?}, expected (id)", t.name, cat.primary_keys.get(&t.name))
        });
    }
    p.assert_none("tables and columns vs seed");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_enum_type_has_exactly_the_seed_values() {
    let seed = seed();
    let (_db, cat) = catalog().await;
    let mut p = Problems::default();
    let want: BTreeSet<&String> = seed.enums.keys().collect();
    let got: BTreeSet<&String> = cat.enums.keys().collect();
    p.check(want == got, || format!("enum types {got:?}, seed {want:?}"));
    for (name, values) in &seed.enums {
        p.check(cat.enums.get(name) == Some(values), || format!("{name}: {:?}, seed {values:?}", cat.enums.get(name)));
    }
    p.assert_none("enums vs seed");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn implied_foreign_keys_exist_with_a_deliberate_action_and_an_index() {
    let seed = seed();
    let (_db, cat) = catalog().await;
    let mut p = Problems::default();
    let mut implied = BTreeSet::new();
    for t in &seed.tables {
        for c in &t.columns {
            let Some(target) = implied_target(c) else { continue };
            implied.insert((t.name.clone(), c.name.clone()));
            let at = format!("{}.{}", t.name, c.name);
            match cat.foreign_key(&t.name, &c.name) {
                None => p.check(false, || format!("{at}: implies a foreign key to {target}, none exists")),
                Some(k) => {
                    p.check(k.target == target && k.target_column == "id", || {
                        format!("{at} ({}): references {}({}), expected {target}(id)", k.name, k.target, k.target_column)
                    });
                    // Every action is a choice written down in the migration, never the default.
                    p.check(["c", "r", "n"].contains(&k.on_delete.as_str()), || {
                        format!("{at} ({}): ON DELETE {:?} is not an explicit CASCADE / RESTRICT / SET NULL", k.name, k.on_delete)
                    });
                    // SET NULL needs a nullable column.
                    p.check(k.on_delete != "n" || !c.not_null, || format!("{at}: SET NULL on a NOT NULL column"));
                }
            }
        }
    }
    // Column names that look like keys but are not uuids are not foreign keys (messages.user_id).
    for k in &cat.foreign_keys {
        p.check(implied.contains(&(k.table.clone(), k.column.clone())), || {
            format!("{}.{}: foreign key {} is not implied by the seed's column names", k.table, k.column, k.name)
        });
        p.check(cat.index_leads.contains(&(k.table.clone(), k.column.clone())), || {
            format!("{}.{}: foreign key {} has no index led by its column", k.table, k.column, k.name)
        });
    }
    assert!(implied.len() > 30, "implied foreign keys: {implied:?}");
    p.assert_none("foreign keys");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn updated_at_and_audit_triggers_cover_their_tables() {
    let seed = seed();
    let (_db, cat) = catalog().await;
    let app = &quiver::apps::orders::APP;
    let mut p = Problems::default();
    for t in &seed.tables {
        let has = |c: &str| t.columns.iter().any(|x| x.name == c);
        let updated = cat.triggers.get(&(t.name.clone(), "set_updated_at".into()));
        p.check(has("updated_at") == updated.is_some(), || format!("{}: updated_at {}, set_updated_at trigger {updated:?}", t.name, has("updated_at")));
        if let Some((f, _)) = updated {
            p.check(f == "quiver.set_updated_at", || format!("{}: set_updated_at runs {f}", t.name));
        }
        let audit = cat.triggers.get(&(t.name.clone(), "audit_row".into()));
        p.check(has("tenant_id") == audit.is_some(), || format!("{}: tenant_id {}, audit trigger {audit:?}", t.name, has("tenant_id")));
        if let Some((f, args)) = audit {
            p.check(f == "orders.audit_row", || format!("{}: audit_row runs {f}", t.name));
            // The trail leaves out exactly the declared secret columns.
            let secrets: Vec<String> = app
                .table(&t.name)
                .map(|d| d.columns.iter().filter(|c| c.secret).map(|c| c.name.to_string()).collect())
                .unwrap_or_default();
            p.check(args == &secrets, || format!("{}: audit_row leaves out {args:?}, declared secrets {secrets:?}", t.name));
        }
    }
    p.assert_none("triggers");
}

// ===========================================================================
// Tests: the Rust declarations against the database
// ===========================================================================


#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn declarations_match_the_database() {
    let app = &quiver::apps::orders::APP;
    app.validate().expect("declarations are consistent");
    let (_db, cat) = catalog().await;
    let mut p = Problems::default();
    let declared: BTreeSet<&str> = app.tables.iter().map(|t| t.name).collect();
    p.check(declared == cat.tables(), || format!("declared tables {declared:?}, database {:?}", cat.tables()));
    for t in app.tables {
        let table = t.name;
        let db_names: Vec<&str> = cat.columns(table).iter().map(|c| c.name.as_str()).collect();
        let names: Vec<&str> = t.columns.iter().map(|c| c.name).collect();
        p.check(db_names == names, || format!("{table}: declared columns {names:?}, database {db_names:?}"));
        for c in t.columns {
            let at = format!("{table}.{}", c.name);
            let Some(db) = cat.column(table, c.name) else { continue };
            let cidr = CIDR_AS_TEXT.contains(&(table, c.name));
            p.check(
                crate::common::compatible_types(&c.ty).contains(&db.data_type.as_str()) || (cidr && c.ty == ColumnType::Text && db.data_type == "cidr"),
                || format!("{at}: declared {:?}, database {}", c.ty, db.data_type),
            );
            p.check(c.nullable == db.nullable, || format!("{at}: declared nullable={}, database {}", c.nullable, db.nullable));
            let excused = MANAGED_WITHOUT_DEFAULT.contains(&(table, c.name)) && c.managed && c.nullable && !db.has_default();
            p.check(c.has_default == db.has_default() || excused, || {
                format!("{at}: declared has_default={}, database default={} identity={}", c.has_default, db.default, db.identity)
            });
            if let ColumnType::PgEnum(name, values) = c.ty {
                let values: Vec<String> = values.iter().map(|v| v.to_string()).collect();
                p.check(cat.enums.get(name) == Some(&values), || format!("{at}: PgEnum {name} {values:?}, database {:?}", cat.enums.get(name)));
            }
            if c.name == "password_hash" || c.name == "key" || c.name.ends_with("_secret") || c.name.ends_with("_token") {
                p.check(c.secret, || format!("{at}: should be secret (write-only)"));
            }
        }
        p.check(cat.primary_keys.get(table).map(|k| k.join(",")) == Some(t.key.to_string()), || {
            format!("{table}: declared key {}, primary key {:?}", t.key, cat.primary_keys.get(table))
        });
        // belongs_to ↔ foreign keys, both ways.
        for fk in t.belongs_to {
            let at = format!("{table}.{} → {}", fk.column, fk.target);
            match cat.foreign_key(table, fk.column) {
                Some(k) => p.check(
                    k.target == fk.target && Some(k.target_column.as_str()) == app.table(fk.target).map(|t| t.key),
                    || format!("{at}: database foreign key {} references {}({})", k.name, k.target, k.target_column),
                ),
                None => p.check(false, || format!("{at}: declared, no foreign key constraint")),
            }
            p.check(cat.index_leads.contains(&(table.to_string(), fk.column.to_string())), || format!("{at}: no index led by {}", fk.column));
        }
        for k in cat.foreign_keys.iter().filter(|k| k.table == table) {
            p.check(t.belongs_to.iter().any(|fk| fk.column == k.column), || {
                format!("{table}.{}: foreign key {} is not declared in belongs_to", k.column, k.name)
            });
        }
    }
    p.assert_none("declarations vs database");
}

// ===========================================================================
// Tests: the API over the demo data, and the audit trail
// ===========================================================================

/// A server over the orders demo data at its default sizes (2 tenants, 8
/// customers each, 3 orders per customer, 3 items per order).
async fn seeded() -> TestServer {
    let server = TestServer::start_with(&[crate::common::UNCAPPED_NODES]).await;
    let demo = quiver::apps::demo_data("orders").unwrap();
    let loaded = demo.load_if_empty(quiver::apps::find("orders").unwrap(), &server.db.url, &[]).await.expect("demo data loads");
    assert!(loaded, "orders was empty");
    server
}

async fn data(server: &TestServer, query: &str, variables: Value) -> Value {
    let body = server.gql_app("orders", query, variables).await;
    assert!(body.get("errors").is_none(), "unexpected errors: {body:#}");
    body["data"].clone()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nested_query_over_the_demo_data_matches_sql() {
    let server = seeded().await;
    let got = data(
        &server,
        "{ tenants { nodes { name customers(first: 3) { nodes { id orders(first: 2) { nodes { status items { nodes { quantity product { name } } } } } } } } } }",
        json!({}),
    )
    .await;
    // The same question in SQL; every list in key order, as the API lists by default.
    let want = server
        .db
        .rows(
            "SELECT json_build_object('tenants', json_build_object('nodes', coalesce(json_agg(json_build_object(
                'name', t.name,
                'customers', json_build_object('nodes', (
                  SELECT coalesce(json_agg(json_build_object(
                    'id', c.id,
                    'orders', json_build_object('nodes', (
                      SELECT coalesce(json_agg(json_build_object(
                        'status', o.status,
                        'items', json_build_object('nodes', (
                          SELECT coalesce(json_agg(json_build_object(
                            'quantity', i.quantity,
                            'product', (SELECT json_build_object('name', p.name) FROM orders.products p WHERE p.id = i.product_id)
                          ) ORDER BY i.id), '[]')
                          FROM orders.order_items i WHERE i.order_id = o.id))
                      ) ORDER BY o.id), '[]')
                      FROM (SELECT * FROM orders.orders WHERE customer_id = c.id ORDER BY id LIMIT 2) o))
                  ) ORDER BY c.id), '[]')
                  FROM (SELECT * FROM orders.customers WHERE tenant_id = t.id ORDER BY id LIMIT 3) c))
              ) ORDER BY t.id), '[]'))) AS v
             FROM orders.tenants t",
        )
        .await[0]["v"]
        .clone();
    assert_eq!(got, want);
    // Real data, not two empty lists agreeing.
    let tenants = got["tenants"]["nodes"].as_array().unwrap();
    assert_eq!(tenants.len(), 2);
    for t in tenants {
        let customers = t["customers"]["nodes"].as_array().unwrap();
        assert_eq!(customers.len(), 3, "{t:#}");
        for c in customers {
            let orders = c["orders"]["nodes"].as_array().unwrap();
            assert_eq!(orders.len(), 2, "{c:#}");
            for o in orders {
                let items = o["items"]["nodes"].as_array().unwrap();
                assert_eq!(items.len(), 3, "{o:#}");
                assert!(items.iter().all(|i| i["quantity"].as_i64().unwrap() > 0 && i["product"]["name"].is_string()), "{o:#}");
            }
        }
    }

    // Every tenant has a proposed order in progress on a call, whose items are
    // that tenant's products; reached through the call and its customer.
    let got = data(
        &server,
        "{ proposedOrders(filter: {status: {eq: \"draft\"}}) { nodes { id tenantId orderItems call { id customer { id } } customer { id } } } }",
        json!({}),
    )
    .await;
    let drafts = got["proposedOrders"]["nodes"].as_array().unwrap();
    assert_eq!(drafts.len(), 2, "{got:#}");
    for d in drafts {
        assert_eq!(d["call"]["customer"]["id"], d["customer"]["id"], "{d:#}");
        let items = d["orderItems"].as_array().unwrap();
        assert!(!items.is_empty(), "{d:#}");
        for i in items {
            let product = i["productId"].as_str().unwrap();
            let owner = server.db.rows(&format!("SELECT tenant_id::text AS t FROM orders.products WHERE id = '{product}'")).await;
            assert_eq!(owner.len(), 1, "{product} is a product");
            assert_eq!(owner[0]["t"], d["tenantId"], "{product} belongs to the proposed order's tenant");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn writes_leave_an_audit_trail_without_secrets() {
    let server = seeded().await;
    let before = server.db.rows("SELECT id::text AS id, company FROM orders.customers ORDER BY id LIMIT 1").await;
    let (id, old_company) = (s(&before[0]["id"]), before[0]["company"].clone());
    let got = data(
        &server,
        "mutation($id: UUID!) { updateCustomer(id: $id, patch: {company: \"Audited & Co\"}) { id company } }",
        json!({ "id": id }),
    )
    .await;
    assert_eq!(got["updateCustomer"]["company"], "Audited & Co");

    let rows = server
        .db
        .rows(&format!(
            "SELECT action, old_data, new_data, changed_by FROM orders.audit_logs
              WHERE table_name = 'customers' AND action = 'UPDATE' AND new_data->>'id' = '{id}'"
        ))
        .await;
    assert_eq!(rows.len(), 1, "{rows:#?}");
    let r = &rows[0];
    assert_eq!(r["old_data"]["company"], old_company);
    assert_eq!(r["new_data"]["company"], "Audited & Co");
    assert_eq!(r["old_data"]["id"], r["new_data"]["id"]);
    assert_eq!(r["changed_by"], Value::Null, "no quiver.user_id is set by the API yet");

    // The trail is readable through the API.
    let got = data(
        &server,
        "{ auditLogs(filter: {tableName: {eq: \"customers\"}, action: {eq: \"UPDATE\"}}) { nodes { action oldData newData } } }",
        json!({}),
    )
    .await;
    let nodes = got["auditLogs"]["nodes"].as_array().unwrap();
    assert_eq!(nodes.len(), 1, "{got:#}");
    assert_eq!(nodes[0]["newData"]["company"], "Audited & Co");

    // Secrets stay out of the trail: a user created with a password hash.
    let tenant = s(&server.db.rows("SELECT id::text AS id FROM orders.tenants ORDER BY id LIMIT 1").await[0]["id"]);
    let got = data(
        &server,
        "mutation($t: UUID!) { createUser(input: {tenantId: $t, email: \"new@example.com\", password: \"orders-secret\"}) { id } }",
        json!({ "t": tenant }),
    )
    .await;
    let user = s(&got["createUser"]["id"]);
    let rows = server
        .db
        .rows(&format!(
            "SELECT new_data, new_data ? 'password_hash' AS leaked FROM orders.audit_logs
              WHERE table_name = 'users' AND action = 'INSERT' AND new_data->>'id' = '{user}'"
        ))
        .await;
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["leaked"], false, "{:#}", rows[0]["new_data"]);
    assert_eq!(rows[0]["new_data"]["email"], "new@example.com");

    // A DELETE records the old row; changed_by comes from quiver.user_id when set.
    let actor = "00000000-0000-4000-8000-0000000000ad";
    server
        .db
        .exec(&format!(
            "BEGIN; SET LOCAL quiver.user_id = '{actor}'; DELETE FROM orders.users WHERE id = '{user}'; COMMIT;"
        ))
        .await;
    let rows = server
        .db
        .rows(&format!(
            "SELECT old_data, new_data, changed_by::text AS by FROM orders.audit_logs
              WHERE table_name = 'users' AND action = 'DELETE' AND old_data->>'id' = '{user}'"
        ))
        .await;
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["by"], actor);
    assert_eq!(rows[0]["new_data"], Value::Null);
    assert!(rows[0]["old_data"].get("password_hash").is_none());

    // The trail itself cannot be edited through the API.
    let audit = s(&server.db.rows("SELECT id::text AS id FROM orders.audit_logs LIMIT 1").await[0]["id"]);
    for (query, vars) in [
        ("mutation { createAuditLog(input: {tableName: \"customers\", action: \"UPDATE\"}) { id } }", json!({})),
        ("mutation($id: UUID!) { updateAuditLog(id: $id, patch: {action: \"FORGED\"}) { id } }", json!({ "id": audit })),
        ("mutation($id: UUID!) { deleteAuditLog(id: $id) { id } }", json!({ "id": audit })),
    ] {
        let body = server.gql_app("orders", query, vars).await;
        assert_eq!(body["errors"][0]["extensions"]["code"], "BAD_USER_INPUT", "{query}: {body:#}");
    }
}
