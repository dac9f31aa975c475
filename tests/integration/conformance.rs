//! One conformance test for every app: the migrated catalog against the app's
//! seed, as `scripts/seed_fixture.py` wrote it down once in
//! `tests/fixtures/seeds/<app>.tsv` (see the script for the format).
//!
//! Nothing here names an app. For every app in `quiver::apps::APPS` the test
//! loads its fixture (plus the fixtures it says it `uses:`, such as the shared
//! Supabase schemas) and checks, in `pg_catalog` of a freshly migrated
//! database: every table and column with its type family and nullability, no
//! table, column, enum, foreign key or CHECK the seed does not list, and every
//! key line (primary keys, unique keys, named indexes, foreign keys with their
//! targets and actions, defaults, lengths, numeric precision, CHECKs, enum
//! values, partitioning). Project conventions are checked on the app's own
//! schemas as well: tables only (no views), every foreign key has an index led
//! by its columns, no index duplicates another, every partitioned table has a
//! DEFAULT partition, and every `updated_at` column is kept by the
//! `set_updated_at` trigger.
//!
//! Deviations of a migration from its seed live in the script, with their
//! reasons; a registered app without a fixture fails the test. Every mismatch is
//! collected and reported once.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use serde_json::Value;

use crate::common::{Problems, TestDb};

// ===========================================================================
// Fixtures
// ===========================================================================

/// Where the fixtures live.
fn fixture_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/seeds")
}

/// One column line.
#[derive(Debug, Clone)]
struct FxColumn {
    schema: String,
    table: String,
    column: String,
    ty: String,
    nullable: bool,
    line: usize,
}

/// One `@kind` line: its kind, schema, table (enum: type name) and the rest.
#[derive(Debug, Clone)]
struct FxKey {
    kind: String,
    schema: String,
    table: String,
    args: Vec<Option<String>>,
    line: usize,
}

impl FxKey {
    fn arg(&self, i: usize) -> Option<&str> {
        self.args.get(i).and_then(|a| a.as_deref())
    }
}

/// A parsed fixture file.
#[derive(Debug)]
struct Fixture {
    name: String,
    uses: Vec<String>,
    columns: Vec<FxColumn>,
    keys: Vec<FxKey>,
}

/// Number of fields after `schema table` for each key kind.
const KEY_ARITY: &[(&str, usize)] = &[
    ("pk", 1),
    ("unique", 3),
    ("index", 5),
    ("indexed", 1),
    ("fk", 5),
    ("default", 2),
    ("length", 2),
    ("numeric", 3),
    ("check", 2),
    ("enum", 1),
    ("partition", 1),
];

impl Fixture {
    fn path(name: &str) -> PathBuf {
        fixture_dir().join(format!("{name}.tsv"))
    }

    /// Reads and parses `<name>.tsv`; `Err` says why (missing file, bad line).
    fn load(name: &str) -> Result<Fixture, String> {
        let path = Self::path(name);
        let text = std::fs::read_to_string(&path)
            .map_err(|e| format!("no fixture {} ({e}): add the app's seed to scripts/seed_fixture.py and run it", path.display()))?;
        Self::parse(name, &text)
    }

    fn parse(name: &str, text: &str) -> Result<Fixture, String> {
        let mut fx = Fixture { name: name.to_string(), uses: Vec::new(), columns: Vec::new(), keys: Vec::new() };
        let mut generated = false;
        for (i, line) in text.lines().enumerate() {
            let n = i + 1;
            let at = || format!("{name}.tsv:{n}");
            if let Some(comment) = line.strip_prefix('#') {
                let comment = comment.trim();
                if let Some(u) = comment.strip_prefix("uses:") {
                    fx.uses.push(u.trim().to_string());
                }
                generated |= comment.contains("scripts/seed_fixture.py");
                continue;
            }
            if line.trim().is_empty() {
                continue;
            }
            let fields: Vec<&str> = line.split('\t').collect();
            if let Some(kind) = fields[0].strip_prefix('@') {
                let arity = KEY_ARITY
                    .iter()
                    .find(|(k, _)| *k == kind)
                    .map(|(_, a)| *a)
                    .ok_or_else(|| format!("{}: unknown line kind @{kind}", at()))?;
                if fields.len() != 3 + arity {
                    return Err(format!("{}: @{kind} has {} fields, expected {}", at(), fields.len(), 3 + arity));
                }
                fx.keys.push(FxKey {
                    kind: kind.to_string(),
                    schema: fields[1].to_string(),
                    table: fields[2].to_string(),
                    args: fields[3..].iter().map(|f| (*f != "-").then(|| f.to_string())).collect(),
                    line: n,
                });
            } else {
                let [schema, table, column, ty, nullable] = fields[..] else {
                    return Err(format!("{}: a column line has 5 fields, found {}", at(), fields.len()));
                };
                let nullable = match nullable {
                    "yes" => true,
                    "no" => false,
                    other => return Err(format!("{}: nullable is {other:?}, not yes/no", at())),
                };
                fx.columns.push(FxColumn {
                    schema: schema.into(),
                    table: table.into(),
                    column: column.into(),
                    ty: ty.into(),
                    nullable,
                    line: n,
                });
            }
        }
        if !generated {
            return Err(format!("{name}.tsv: no header naming scripts/seed_fixture.py"));
        }
        if fx.columns.is_empty() {
            return Err(format!("{name}.tsv: no columns"));
        }
        for s in fx.schemas() {
            if s.is_empty() || !s.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_') {
                return Err(format!("{name}.tsv: schema name {s:?} is not a plain identifier"));
            }
        }
        Ok(fx)
    }

    fn schemas(&self) -> BTreeSet<String> {
        self.columns.iter().map(|c| c.schema.clone()).collect()
    }

    fn tables(&self) -> BTreeSet<(String, String)> {
        self.columns.iter().map(|c| (c.schema.clone(), c.table.clone())).collect()
    }

    fn has_column(&self, schema: &str, table: &str, column: &str) -> bool {
        self.columns.iter().any(|c| c.schema == schema && c.table == table && c.column == column)
    }

    fn keys<'a>(&'a self, kind: &'a str) -> impl Iterator<Item = &'a FxKey> + 'a {
        self.keys.iter().filter(move |k| k.kind == kind)
    }
}

// ===========================================================================
// The catalog
// ===========================================================================

#[derive(Debug)]
struct DbColumn {
    ty: String,
    nullable: bool,
    default: Option<String>,
    identity: bool,
    max_len: Option<i64>,
    numeric: Option<(i64, i64)>,
}

#[derive(Debug)]
struct DbIndex {
    name: String,
    method: String,
    unique: bool,
    columns: Vec<String>,
    predicate: String,
}

#[derive(Debug)]
struct DbConstraint {
    name: String,
    kind: String,
    def: String,
    columns: Vec<String>,
    ref_table: String,
    ref_columns: Vec<String>,
    on_delete: String,
    on_update: String,
}

/// What the test reads from `pg_catalog` for a set of schemas. Tables are
/// `schema.table`; partitions are left out.
#[derive(Default)]
struct Catalog {
    /// table -> columns in order.
    columns: BTreeMap<String, Vec<(String, DbColumn)>>,
    indexes: BTreeMap<String, Vec<DbIndex>>,
    constraints: BTreeMap<String, Vec<DbConstraint>>,
    /// `schema.type` -> values in order.
    enums: BTreeMap<String, Vec<String>>,
    /// table -> `pg_get_partkeydef`.
    partitioned: BTreeMap<String, String>,
    /// Tables with a `set_updated_at` BEFORE UPDATE FOR EACH ROW trigger running `quiver.set_updated_at`.
    updated_at_triggers: BTreeSet<String>,
    /// Partitioned tables that have a DEFAULT partition.
    default_partitions: BTreeSet<String>,
    /// Views, materialized views and foreign tables: `schema.name` -> relkind.
    non_tables: BTreeMap<String, String>,
}

fn text(v: &Value) -> String {
    v.as_str().map(str::to_string).unwrap_or_else(|| v.to_string())
}

fn opt_text(v: &Value) -> Option<String> {
    (!v.is_null()).then(|| text(v))
}

fn list(v: &Value) -> Vec<String> {
    v.as_array().map(|a| a.iter().map(text).collect()).unwrap_or_default()
}

/// A PostgreSQL base type name (`pg_type.typname`) as a fixture type family.
fn family(typname: &str, typtype: &str, array: bool) -> String {
    let base = match typname {
        _ if typtype == "e" => format!("enum:{typname}"),
        "int4" => "integer".into(),
        "int2" => "smallint".into(),
        "int8" => "bigint".into(),
        "varchar" | "bpchar" | "text" => "text".into(),
        "bool" => "boolean".into(),
        "float8" => "double precision".into(),
        "float4" => "real".into(),
        other => other.into(),
    };
    if array {
        format!("{base}[]")
    } else {
        base
    }
}

impl Catalog {
    async fn read(db: &TestDb, schemas: &BTreeSet<String>) -> Catalog {
        let mut cat = Catalog::default();
        if schemas.is_empty() {
            return cat;
        }
        let list_sql = schemas.iter().map(|s| format!("'{s}'")).collect::<Vec<_>>().join(", ");
        let tables = "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace";
        let filter = format!("n.nspname IN ({list_sql}) AND c.relkind IN ('r', 'p') AND NOT c.relispartition");
        for r in db
            .rows(&format!(
                "SELECT n.nspname || '.' || c.relname AS t, a.attname::text AS c,
                        bt.typname::text AS typname, bt.typtype::text AS typtype, t.typcategory = 'A' AS is_array,
                        NOT a.attnotnull AS nullable, pg_get_expr(d.adbin, d.adrelid) AS def,
                        a.attidentity <> '' AS identity,
                        CASE WHEN bt.typname IN ('varchar', 'bpchar') AND a.atttypmod > 4 THEN a.atttypmod - 4 END AS max_len,
                        CASE WHEN bt.typname = 'numeric' AND a.atttypmod > 4 THEN ((a.atttypmod - 4) >> 16) & 65535 END AS prec,
                        CASE WHEN bt.typname = 'numeric' AND a.atttypmod > 4 THEN (a.atttypmod - 4) & 65535 END AS scale
                   {tables}
                   JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
                   JOIN pg_type t ON t.oid = a.atttypid
                   JOIN pg_type bt ON bt.oid = CASE WHEN t.typcategory = 'A' THEN t.typelem ELSE t.oid END
                   LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum AND a.attgenerated = ''
                  WHERE {filter}
                  ORDER BY 1, a.attnum"
            ))
            .await
        {
            let numeric = match (r["prec"].as_i64(), r["scale"].as_i64()) {
                (Some(p), Some(s)) => Some((p, s)),
                _ => None,
            };
            let column = DbColumn {
                ty: family(&text(&r["typname"]), &text(&r["typtype"]), r["is_array"] == true),
                nullable: r["nullable"] == true,
                default: opt_text(&r["def"]),
                identity: r["identity"] == true,
                max_len: r["max_len"].as_i64(),
                numeric,
            };
            cat.columns.entry(text(&r["t"])).or_default().push((text(&r["c"]), column));
        }
        for r in db
            .rows(&format!(
                "SELECT n.nspname || '.' || c.relname AS t, i.relname::text AS name, am.amname::text AS method,
                        x.indisunique AS is_unique,
                        ARRAY(SELECT coalesce(a.attname::text, '?')
                                FROM unnest(x.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
                                LEFT JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = k.attnum
                               WHERE k.ord <= x.indnkeyatts ORDER BY k.ord) AS cols,
                        coalesce(pg_get_expr(x.indpred, x.indrelid), '') AS pred
                   {tables}
                   JOIN pg_index x ON x.indrelid = c.oid
                   JOIN pg_class i ON i.oid = x.indexrelid
                   JOIN pg_am am ON am.oid = i.relam
                  WHERE {filter}
                  ORDER BY 1, 2"
            ))
            .await
        {
            cat.indexes.entry(text(&r["t"])).or_default().push(DbIndex {
                name: text(&r["name"]),
                method: text(&r["method"]),
                unique: r["is_unique"] == true,
                columns: list(&r["cols"]),
                predicate: text(&r["pred"]),
            });
        }
        for r in db
            .rows(&format!(
                "SELECT n.nspname || '.' || c.relname AS t, k.conname::text AS name, k.contype::text AS kind,
                        pg_get_constraintdef(k.oid) AS def,
                        ARRAY(SELECT a.attname::text FROM unnest(k.conkey) WITH ORDINALITY AS u(attnum, ord)
                                JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = u.attnum ORDER BY u.ord) AS cols,
                        coalesce(fn.nspname || '.' || f.relname, '') AS ref_table,
                        ARRAY(SELECT a.attname::text FROM unnest(k.confkey) WITH ORDINALITY AS u(attnum, ord)
                                JOIN pg_attribute a ON a.attrelid = k.confrelid AND a.attnum = u.attnum ORDER BY u.ord) AS ref_cols,
                        k.confdeltype::text AS on_delete, k.confupdtype::text AS on_update
                   {tables}
                   JOIN pg_constraint k ON k.conrelid = c.oid AND k.conparentid = 0
                   LEFT JOIN pg_class f ON f.oid = k.confrelid
                   LEFT JOIN pg_namespace fn ON fn.oid = f.relnamespace
                  WHERE {filter}
                  ORDER BY 1, 2"
            ))
            .await
        {
            cat.constraints.entry(text(&r["t"])).or_default().push(DbConstraint {
                name: text(&r["name"]),
                kind: text(&r["kind"]),
                def: text(&r["def"]),
                columns: list(&r["cols"]),
                ref_table: text(&r["ref_table"]),
                ref_columns: list(&r["ref_cols"]),
                on_delete: text(&r["on_delete"]),
                on_update: text(&r["on_update"]),
            });
        }
        for r in db
            .rows(&format!(
                "SELECT n.nspname || '.' || t.typname AS name, ARRAY(SELECT e.enumlabel::text FROM pg_enum e
                         WHERE e.enumtypid = t.oid ORDER BY e.enumsortorder) AS vals
                   FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
                  WHERE n.nspname IN ({list_sql}) AND t.typtype = 'e'"
            ))
            .await
        {
            cat.enums.insert(text(&r["name"]), list(&r["vals"]));
        }
        for r in db
            .rows(&format!(
                "SELECT n.nspname || '.' || c.relname AS t, pg_get_partkeydef(c.oid) AS key
                   {tables} WHERE {filter} AND c.relkind = 'p'"
            ))
            .await
        {
            cat.partitioned.insert(text(&r["t"]), text(&r["key"]));
        }
        for r in db
            .rows(&format!(
                "SELECT n.nspname || '.' || c.relname AS t
                   {tables}
                   JOIN pg_trigger g ON g.tgrelid = c.oid AND NOT g.tgisinternal
                  WHERE {filter} AND g.tgname = 'set_updated_at' AND g.tgfoid = 'quiver.set_updated_at'::regproc
                    AND g.tgtype = (1 | 2 | 16) AND g.tgenabled <> 'D'"
            ))
            .await
        {
            cat.updated_at_triggers.insert(text(&r["t"]));
        }
        for r in db
            .rows(&format!(
                "SELECT n.nspname || '.' || c.relname AS t
                   {tables}
                   JOIN pg_inherits i ON i.inhparent = c.oid
                   JOIN pg_class part ON part.oid = i.inhrelid
                  WHERE {filter} AND c.relkind = 'p' AND pg_get_expr(part.relpartbound, part.oid) = 'DEFAULT'"
            ))
            .await
        {
            cat.default_partitions.insert(text(&r["t"]));
        }
        for r in db
            .rows(&format!(
                "SELECT n.nspname || '.' || c.relname AS t, c.relkind::text AS kind
                   {tables}
                  WHERE n.nspname IN ({list_sql}) AND c.relkind IN ('v', 'm', 'f')"
            ))
            .await
        {
            cat.non_tables.insert(text(&r["t"]), text(&r["kind"]));
        }
        cat
    }

    fn tables_in(&self, schema: &str) -> BTreeSet<String> {
        self.columns.keys().filter(|t| t.split_once('.').is_some_and(|(s, _)| s == schema)).cloned().collect()
    }

    fn column(&self, table: &str, column: &str) -> Option<&DbColumn> {
        self.columns.get(table)?.iter().find(|(c, _)| c == column).map(|(_, c)| c)
    }

    fn indexes(&self, table: &str) -> &[DbIndex] {
        self.indexes.get(table).map(Vec::as_slice).unwrap_or_default()
    }

    fn constraints<'a>(&'a self, table: &str, kind: &'a str) -> impl Iterator<Item = &'a DbConstraint> + 'a {
        self.constraints.get(table).map(Vec::as_slice).unwrap_or_default().iter().filter(move |c| c.kind == kind)
    }

    fn primary_key(&self, table: &str) -> Option<Vec<String>> {
        self.constraints(table, "p").next().map(|c| c.columns.clone())
    }
}

/// `confdeltype` / `confupdtype` -> the SQL words.
fn fk_action(code: &str) -> &'static str {
    match code {
        "a" => "NO ACTION",
        "r" => "RESTRICT",
        "c" => "CASCADE",
        "n" => "SET NULL",
        "d" => "SET DEFAULT",
        _ => "?",
    }
}

// ===========================================================================
// Expressions
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

/// Words that continue a multi-word type name after `::`.
const TYPE_WORDS: &[&str] = &["varying", "with", "without", "time", "zone", "precision"];

/// An expression for comparison: casts (`::text`, `::character varying[]`)
/// and a leading `CHECK` removed, lower-cased outside quotes, whitespace and
/// parentheses dropped.
fn normalize(sql: &str) -> String {
    let sql = sql.trim();
    let sql = sql.strip_prefix("CHECK").unwrap_or(sql);
    let chars: Vec<char> = sql.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    let mut in_quote = false;
    while i < chars.len() {
        let c = chars[i];
        if in_quote {
            out.push(c);
            in_quote = c != '\'';
            i += 1;
            continue;
        }
        if c == ':' && chars.get(i + 1) == Some(&':') {
            i += 2;
            let word = |i: &mut usize| {
                let start = *i;
                while *i < chars.len() && (chars[*i].is_ascii_alphanumeric() || "_.\"".contains(chars[*i])) {
                    *i += 1;
                }
                chars[start..*i].iter().collect::<String>()
            };
            word(&mut i);
            loop {
                let save = i;
                while i < chars.len() && chars[i] == ' ' {
                    i += 1;
                }
                let w = word(&mut i);
                if !TYPE_WORDS.contains(&w.to_ascii_lowercase().as_str()) {
                    i = save;
                    break;
                }
            }
            if chars.get(i) == Some(&'[') && chars.get(i + 1) == Some(&']') {
                i += 2;
            }
            continue;
        }
        if c == '\'' {
            in_quote = true;
            out.push(c);
        } else if !c.is_whitespace() && c != '(' && c != ')' {
            out.extend(c.to_lowercase());
        }
        i += 1;
    }
    out
}

/// Whether a CHECK constraint's definition says what the seed's expression says:
/// the same quoted literals (`IN` lists print as `= ANY (ARRAY[...])`), or,
/// without literals, the same normalized expression.
fn same_check(db_def: &str, seed: &str) -> bool {
    let lits = |s: &str| quoted_literals(s).into_iter().collect::<BTreeSet<_>>();
    let seed_lits = lits(seed);
    lits(db_def) == seed_lits && (!seed_lits.is_empty() || normalize(db_def) == normalize(seed))
}

// ===========================================================================
// The checks
// ===========================================================================

/// Mismatches of one fixture (a [`Problems`] whose list can be looked at).
#[derive(Default)]
struct Found(Vec<String>);

impl Found {
    fn check(&mut self, ok: bool, message: impl FnOnce() -> String) {
        if !ok {
            self.0.push(message());
        }
    }
}

/// Checks one fixture against the catalog. `known` is every table of the
/// fixtures loaded for the app (targets of `@fk` lines without one); `own`
/// says whether the app's own conventions apply (not to shared schemas).
fn check_fixture(fx: &Fixture, known: &BTreeSet<String>, own: bool, cat: &Catalog, p: &mut Found) {
    let file = format!("{}.tsv", fx.name);
    let at = |line: usize| format!("{file}:{line}");
    let q = |s: &str, t: &str| format!("{s}.{t}");

    // Tables: exactly the fixture's in each of its schemas.
    let want: BTreeSet<String> = fx.tables().iter().map(|(s, t)| q(s, t)).collect();
    for schema in fx.schemas() {
        for t in cat.tables_in(&schema) {
            p.check(want.contains(&t), || format!("{t}: table not in the seed ({file})"));
        }
    }
    for t in &want {
        p.check(cat.columns.contains_key(t), || format!("{t}: missing (seed table, {file})"));
    }
    if own {
        for (t, kind) in &cat.non_tables {
            let in_schema = t.split_once('.').is_some_and(|(s, _)| fx.schemas().contains(s));
            p.check(!in_schema, || format!("{t}: relation kind {kind}, not a table of the seed ({file})"));
        }
    }

    // Columns: type family and nullability; none the seed does not list; seed order.
    let mut by_table: BTreeMap<String, Vec<&FxColumn>> = BTreeMap::new();
    for c in &fx.columns {
        by_table.entry(q(&c.schema, &c.table)).or_default().push(c);
    }
    for (table, cols) in &by_table {
        let Some(db_cols) = cat.columns.get(table) else {
            continue;
        };
        for c in cols {
            let name = format!("{table}.{}", c.column);
            let Some(db) = cat.column(table, &c.column) else {
                p.check(false, || format!("{name}: missing (seed column, {})", at(c.line)));
                continue;
            };
            p.check(db.ty == c.ty, || format!("{name}: type {}, seed {} ({})", db.ty, c.ty, at(c.line)));
            p.check(db.nullable == c.nullable, || {
                format!("{name}: nullable={}, seed nullable={} ({})", db.nullable, c.nullable, at(c.line))
            });
        }
        for (c, _) in db_cols {
            p.check(cols.iter().any(|f| &f.column == c), || format!("{table}.{c}: column not in the seed ({file})"));
        }
        if own {
            let order: Vec<&str> = db_cols.iter().map(|(c, _)| c.as_str()).filter(|c| cols.iter().any(|f| f.column == *c)).collect();
            let seed: Vec<&str> = cols.iter().map(|c| c.column.as_str()).filter(|c| order.contains(c)).collect();
            p.check(order == seed, || format!("{table}: column order {order:?}, seed {seed:?} ({file})"));
        }
    }

    // Key lines.
    let columns_of =
        |k: &FxKey, i: usize| -> Vec<String> { k.arg(i).map(|c| c.split(',').map(str::to_string).collect()).unwrap_or_default() };
    let mut listed_fks: BTreeSet<(String, Vec<String>)> = BTreeSet::new();
    let mut listed_checks: BTreeSet<(String, String)> = BTreeSet::new();
    let mut with_default: BTreeSet<(String, String)> = BTreeSet::new();
    let mut with_length: BTreeSet<(String, String)> = BTreeSet::new();
    for k in &fx.keys {
        let table = q(&k.schema, &k.table);
        let here = at(k.line);
        if k.kind != "enum" && !cat.columns.contains_key(&table) {
            continue; // reported above as a missing table
        }
        match k.kind.as_str() {
            "pk" => {
                let want = columns_of(k, 0);
                let got = cat.primary_key(&table);
                p.check(got.as_ref() == Some(&want), || format!("{table}: primary key {got:?}, seed {want:?} ({here})"));
            }
            "unique" => {
                let cols = columns_of(k, 0);
                let pred = k.arg(2).map(normalize).unwrap_or_default();
                let found = cat
                    .indexes(&table)
                    .iter()
                    .find(|i| i.unique && i.columns == cols && normalize(&i.predicate) == pred && k.arg(1).is_none_or(|n| i.name == n));
                p.check(found.is_some(), || {
                    let name = k.arg(1).map(|n| format!(" {n}")).unwrap_or_default();
                    let pred = k.arg(2).map(|w| format!(" WHERE {w}")).unwrap_or_default();
                    format!("{table}: no unique index{name} on ({}){pred} ({here})", cols.join(", "))
                });
                // A named key without a predicate is a UNIQUE constraint (a
                // partial one can only be a unique index).
                if let (Some(name), None, Some(_)) = (k.arg(1), k.arg(2), found) {
                    let constraint = cat.constraints(&table, "u").any(|c| c.name == name);
                    p.check(constraint, || format!("{table}: {name} is a unique index, not a UNIQUE constraint ({here})"));
                }
            }
            "index" => {
                let name = k.arg(0).unwrap_or_default();
                match cat.indexes(&table).iter().find(|i| i.name == name) {
                    None => p.check(false, || format!("{table}: index {name} missing ({here})")),
                    Some(i) => {
                        let cols = columns_of(k, 3);
                        let unique = k.arg(2) == Some("yes");
                        let pred = k.arg(4).map(normalize).unwrap_or_default();
                        p.check(i.columns == cols, || format!("{table}: index {name} on {:?}, seed {cols:?} ({here})", i.columns));
                        p.check(Some(i.method.as_str()) == k.arg(1), || {
                            format!("{table}: index {name} is {}, seed {:?} ({here})", i.method, k.arg(1))
                        });
                        p.check(i.unique == unique, || format!("{table}: index {name} unique={}, seed {unique} ({here})", i.unique));
                        p.check(normalize(&i.predicate) == pred, || {
                            format!("{table}: index {name} WHERE `{}`, seed {:?} ({here})", i.predicate, k.arg(4))
                        });
                    }
                }
            }
            "indexed" => {
                let col = k.arg(0).unwrap_or_default();
                let ok = cat.indexes(&table).iter().any(|i| i.columns.iter().any(|c| c == col));
                p.check(ok, || format!("{table}.{col}: the seed says indexed, no index contains it ({here})"));
            }
            "fk" => {
                let cols = columns_of(k, 0);
                listed_fks.insert((table.clone(), cols.clone()));
                let name = format!("{table}.{}", cols.join(","));
                let Some(c) = cat.constraints(&table, "f").find(|c| c.columns == cols) else {
                    p.check(false, || format!("{name}: the seed's foreign key is missing ({here})"));
                    continue;
                };
                match k.arg(1) {
                    Some(target) => {
                        p.check(c.ref_table == target, || format!("{name}: {} references {}, seed {target} ({here})", c.name, c.ref_table))
                    }
                    None => p.check(known.contains(&c.ref_table), || {
                        format!("{name}: {} references {}, not a table of the seed ({here})", c.name, c.ref_table)
                    }),
                }
                let want_cols = match k.arg(2) {
                    Some(rc) => Some(rc.split(',').map(str::to_string).collect()),
                    None => cat.primary_key(&c.ref_table),
                };
                p.check(want_cols.as_ref() == Some(&c.ref_columns), || {
                    format!("{name}: {} references {}({}), expected {want_cols:?} ({here})", c.name, c.ref_table, c.ref_columns.join(","))
                });
                for (i, code, what) in [(3, &c.on_delete, "ON DELETE"), (4, &c.on_update, "ON UPDATE")] {
                    if let Some(want) = k.arg(i) {
                        p.check(fk_action(code) == want, || format!("{name}: {what} {}, seed {want} ({here})", fk_action(code)));
                    }
                }
            }
            "default" => {
                let col = k.arg(0).unwrap_or_default();
                with_default.insert((table.clone(), col.to_string()));
                let Some(db) = cat.column(&table, col) else {
                    continue;
                };
                match (k.arg(1), &db.default) {
                    (Some("*"), None) => p.check(db.identity, || format!("{table}.{col}: no default, the seed has one ({here})")),
                    (Some("*"), Some(_)) => {}
                    (Some(want), Some(got)) => {
                        p.check(normalize(got) == normalize(want), || format!("{table}.{col}: default {got}, seed {want} ({here})"))
                    }
                    (Some(want), None) => p.check(false, || format!("{table}.{col}: no default, seed {want} ({here})")),
                    (None, _) => p.check(false, || format!("{here}: @default without a value")),
                }
            }
            "length" => {
                let col = k.arg(0).unwrap_or_default();
                with_length.insert((table.clone(), col.to_string()));
                let want = k.arg(1).and_then(|n| n.parse::<i64>().ok());
                if let Some(db) = cat.column(&table, col) {
                    p.check(db.max_len == want, || format!("{table}.{col}: length {:?}, seed {want:?} ({here})", db.max_len));
                }
            }
            "numeric" => {
                let col = k.arg(0).unwrap_or_default();
                // An unstated scale (`-`) matches any.
                let want_scale: Option<i64> = k.arg(2).and_then(|n| n.parse().ok());
                let want = (k.arg(1).and_then(|n| n.parse::<i64>().ok()), want_scale);
                if let Some(db) = cat.column(&table, col) {
                    let got = db.numeric.map(|(p, s)| (Some(p), want_scale.map(|_| s))).unwrap_or((None, None));
                    p.check(got == want, || format!("{table}.{col}: numeric{:?}, seed {want:?} ({here})", db.numeric));
                }
            }
            "check" => {
                let col = k.arg(0).unwrap_or_default();
                let expr = k.arg(1).unwrap_or_default();
                let found = cat.constraints(&table, "c").find(|c| c.columns.iter().any(|x| x == col) && same_check(&c.def, expr));
                match found {
                    Some(c) => {
                        listed_checks.insert((table.clone(), c.name.clone()));
                    }
                    None => p.check(false, || {
                        let have: Vec<&str> =
                            cat.constraints(&table, "c").filter(|c| c.columns.iter().any(|x| x == col)).map(|c| c.def.as_str()).collect();
                        format!("{table}.{col}: no CHECK matching seed `{expr}` (found {have:?}) ({here})")
                    }),
                }
            }
            "enum" => {
                let name = q(&k.schema, &k.table);
                match (cat.enums.get(&name), k.arg(0)) {
                    (None, _) => p.check(false, || format!("enum {name}: missing ({here})")),
                    (Some(got), Some(want)) => {
                        let want: Vec<String> = want.split(',').map(str::to_string).collect();
                        p.check(got == &want, || format!("enum {name}: values {got:?}, seed {want:?} ({here})"));
                    }
                    (Some(_), None) => {}
                }
            }
            "partition" => {
                let want = k.arg(0).unwrap_or_default();
                let got = cat.partitioned.get(&table);
                p.check(got.is_some_and(|g| g.eq_ignore_ascii_case(want)), || {
                    format!("{table}: partitioned by {got:?}, seed {want} ({here})")
                });
            }
            other => p.check(false, || format!("{here}: unknown line kind @{other}")),
        }
    }

    // What the catalog has and the seed does not list.
    let listed_enums: BTreeSet<String> = fx.keys("enum").map(|k| q(&k.schema, &k.table)).collect();
    let used_enums: BTreeSet<String> =
        fx.columns.iter().filter_map(|c| c.ty.trim_end_matches("[]").strip_prefix("enum:").map(|e| q(&c.schema, e))).collect();
    for schema in fx.schemas() {
        for e in cat.enums.keys().filter(|e| e.starts_with(&format!("{schema}."))) {
            p.check(listed_enums.contains(e) || used_enums.contains(e), || format!("enum {e}: not in the seed ({file})"));
        }
    }
    let partitioned: BTreeSet<String> = fx.keys("partition").map(|k| q(&k.schema, &k.table)).collect();
    for table in &want {
        if cat.partitioned.contains_key(table) {
            p.check(partitioned.contains(table), || format!("{table}: partitioned, the seed does not say so ({file})"));
        }
        let pk = cat.primary_key(table).unwrap_or_default();
        for c in cat.constraints(table, "f") {
            p.check(listed_fks.contains(&(table.clone(), c.columns.clone())), || {
                format!("{table}.{}: foreign key {} is not in the seed ({file})", c.columns.join(","), c.name)
            });
            // SET NULL needs nullable columns.
            let nullable = c.columns.iter().all(|col| cat.column(table, col).is_some_and(|d| d.nullable));
            p.check(c.on_delete != "n" || nullable, || format!("{table}.{}: ON DELETE SET NULL on a NOT NULL column", c.columns.join(",")));
            if own {
                let indexed = cat.indexes(table).iter().any(|i| i.columns.starts_with(&c.columns));
                p.check(indexed, || format!("{table}.{}: foreign key {} has no index led by it", c.columns.join(","), c.name));
            }
        }
        for c in cat.constraints(table, "c") {
            p.check(listed_checks.contains(&(table.clone(), c.name.clone())), || {
                format!("{table}: CHECK {} `{}` is not in the seed ({file})", c.name, c.def)
            });
        }
        for (col, db) in cat.columns.get(table).map(Vec::as_slice).unwrap_or_default() {
            let key = (table.clone(), col.clone());
            // A seed that states no default (or no length) anywhere, such as a
            // Prisma diagram, says nothing about them: only a seed that states
            // some is held to having stated all.
            let states_defaults = fx.keys("default").next().is_some();
            let states_lengths = fx.keys("length").next().is_some();
            if let (Some(d), true) = (&db.default, states_defaults) {
                // A generated key needs no seed default.
                let generated_key = pk.contains(col) && (d == "gen_random_uuid()" || d.starts_with("nextval("));
                p.check(with_default.contains(&key) || generated_key, || {
                    format!("{table}.{col}: default {d}, the seed gives none ({file})")
                });
            }
            if let (Some(n), true) = (db.max_len, states_lengths) {
                p.check(with_length.contains(&key), || format!("{table}.{col}: length {n}, the seed gives none ({file})"));
            }
        }
        if own && cat.partitioned.contains_key(table) {
            // Rows outside every range still have a partition to go to.
            p.check(cat.default_partitions.contains(table), || format!("{table}: partitioned without a DEFAULT partition"));
        }
        if own {
            // No index repeats another (same method, columns and predicate):
            // a seed index that duplicates a unique key is served by the key.
            let idx = cat.indexes(table);
            for (n, a) in idx.iter().enumerate() {
                for b in &idx[n + 1..] {
                    let same = a.method == b.method && a.columns == b.columns && normalize(&a.predicate) == normalize(&b.predicate);
                    p.check(!same, || format!("{table}: index {} duplicates {} ({:?})", b.name, a.name, a.columns));
                }
            }
        }
        if own && cat.column(table, "updated_at").is_some() {
            p.check(cat.updated_at_triggers.contains(table), || {
                format!("{table}: has updated_at but no BEFORE UPDATE set_updated_at trigger running quiver.set_updated_at")
            });
        }
    }
}

// ===========================================================================
// Tests
// ===========================================================================

/// Every registered app's migrated tables against its seed fixture.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_app_conforms_to_its_seed_fixture() {
    let db = TestDb::new().await;
    let mut p = Problems::default();
    let mut checked: BTreeSet<String> = BTreeSet::new();
    assert!(!quiver::apps::APPS.is_empty(), "no app is registered");
    for app in quiver::apps::APPS {
        let own = match Fixture::load(app.name()) {
            Ok(fx) => fx,
            Err(e) => {
                p.check(false, || format!("app `{}`: {e}", app.name()));
                continue;
            }
        };
        let mut used = Vec::new();
        for u in &own.uses {
            match Fixture::load(u) {
                Ok(fx) => used.push(fx),
                Err(e) => p.check(false, || format!("app `{}` uses `{u}`: {e}", app.name())),
            }
        }
        let all: Vec<&Fixture> = std::iter::once(&own).chain(&used).collect();
        let known: BTreeSet<String> = all.iter().flat_map(|f| f.tables()).map(|(s, t)| format!("{s}.{t}")).collect();
        let schemas: BTreeSet<String> = all.iter().flat_map(|f| f.schemas()).collect();
        let cat = Catalog::read(&db, &schemas).await;
        for fx in all {
            if checked.insert(fx.name.clone()) {
                let mut found = Found::default();
                check_fixture(fx, &known, fx.name == own.name, &cat, &mut found);
                for m in found.0 {
                    p.check(false, || m);
                }
            }
        }
    }
    p.assert_none("apps vs their seed fixtures");
}

/// Every fixture in the directory parses, is consistent in itself, and names
/// only fixtures that exist: also those of apps not served yet.
#[test]
fn every_fixture_parses_and_is_consistent() {
    let mut names: Vec<String> = std::fs::read_dir(fixture_dir())
        .expect("tests/fixtures/seeds")
        .filter_map(|e| e.ok()?.file_name().into_string().ok()?.strip_suffix(".tsv").map(str::to_string))
        .collect();
    names.sort();
    let mut p = Problems::default();
    for app in quiver::apps::APPS {
        p.check(names.iter().any(|n| n == app.name()), || format!("app `{}` has no fixture", app.name()));
    }
    for name in &names {
        let fx = match Fixture::load(name) {
            Ok(fx) => fx,
            Err(e) => {
                p.check(false, || e);
                continue;
            }
        };
        for u in &fx.uses {
            p.check(names.contains(u), || format!("{name}.tsv uses {u}, which has no fixture"));
        }
        let mut seen = BTreeSet::new();
        for c in &fx.columns {
            p.check(seen.insert((&c.schema, &c.table, &c.column)), || {
                format!("{name}.tsv:{}: {}.{}.{} twice", c.line, c.schema, c.table, c.column)
            });
            p.check(!c.ty.is_empty(), || format!("{name}.tsv:{}: empty type", c.line));
        }
        let tables = fx.tables();
        for k in &fx.keys {
            if k.kind == "enum" {
                continue;
            }
            let here = format!("{name}.tsv:{}", k.line);
            p.check(tables.contains(&(k.schema.clone(), k.table.clone())), || {
                format!("{here}: @{} on unknown table {}.{}", k.kind, k.schema, k.table)
            });
            // Lines that name columns name columns of their table.
            let named: Vec<String> = match k.kind.as_str() {
                "pk" | "unique" | "fk" => k.arg(0).map(|c| c.split(',').map(str::to_string).collect()).unwrap_or_default(),
                "index" => k.arg(3).map(|c| c.split(',').map(str::to_string).collect()).unwrap_or_default(),
                "indexed" | "default" | "length" | "numeric" | "check" => k.arg(0).map(|c| vec![c.to_string()]).unwrap_or_default(),
                _ => Vec::new(),
            };
            p.check(!named.is_empty() || k.kind == "partition", || format!("{here}: @{} names no column", k.kind));
            for c in named {
                p.check(fx.has_column(&k.schema, &k.table, &c), || format!("{here}: @{} names unknown column {c}", k.kind));
            }
        }
    }
    p.assert_none("fixtures");
}

/// A fixture of an app that is not served yet (no migration) fails
/// conformance, naming every table it lacks: registering the app without its
/// migration cannot pass. Shared fixtures it `uses:` are checked with it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_fixture_without_its_migration_fails_naming_every_table() {
    // Every app's own schema dropped: its fixture must report each of its tables missing.
    let db = TestDb::new().await;
    let mut names: Vec<String> = quiver::apps::APPS.iter().map(|a| a.name().to_string()).collect();
    names.sort();
    for name in &names {
        db.exec(&format!("DROP SCHEMA \"{name}\" CASCADE")).await;
    }
    let mut p = Problems::default();
    for name in &names {
        let own = Fixture::load(name).unwrap_or_else(|e| panic!("{e}"));
        let mut all = vec![own];
        for u in all[0].uses.clone() {
            all.push(Fixture::load(&u).unwrap_or_else(|e| panic!("{e}")));
        }
        let known: BTreeSet<String> = all.iter().flat_map(|f| f.tables()).map(|(s, t)| format!("{s}.{t}")).collect();
        let schemas: BTreeSet<String> = all[0].schemas().into_iter().collect();
        let cat = Catalog::read(&db, &schemas).await;
        assert!(cat.columns.is_empty(), "{name}: its schema was dropped");
        let fx = &all[0];
        let mut found = Found::default();
        check_fixture(fx, &known, true, &cat, &mut found);
        for (s, t) in fx.tables() {
            let missing = format!("{s}.{t}: missing (seed table, {}.tsv)", fx.name);
            p.check(found.0.contains(&missing), || format!("{name}: no `{missing}` among {} problems", found.0.len()));
        }
    }
    p.assert_none("fixtures without a migration");
}

#[test]
fn expressions_normalize_as_postgres_prints_them() {
    assert_eq!(
        normalize("((social_provider IS NOT NULL) AND (social_provider_id IS NOT NULL))"),
        normalize("social_provider IS NOT NULL AND social_provider_id IS NOT NULL")
    );
    assert_eq!(normalize("'en-US'::character varying"), "'en-US'");
    assert_eq!(normalize("'{}'::realtime.user_defined_filter[]"), "'{}'");
    assert_eq!(normalize("'x'::timestamp with time zone"), "'x'");
    assert_eq!(normalize("now()"), "now");
    assert!(same_check(
        "CHECK (((social_provider)::text = ANY ((ARRAY['google'::character varying, 'facebook'::character varying, 'apple'::character varying])::text[])))",
        "social_provider IN ('google', 'facebook', 'apple')"
    ));
    assert!(!same_check("CHECK ((role = ANY (ARRAY['user'::text, 'admin'::text])))", "role IN ('user', 'assistant')"));
    assert!(same_check("CHECK (((rating >= 1) AND (rating <= 5)))", "rating >= 1 AND rating <= 5"));
    assert!(!same_check("CHECK (((rating >= 1) AND (rating <= 10)))", "rating >= 1 AND rating <= 5"));
}
