//! Reads an app schema's table structure from the PostgreSQL catalog, the way
//! `diesel print-schema` does: columns with types, nullability, defaults and
//! lengths, CHECK `IN` lists, enum types with their values, primary, unique
//! and foreign keys, and which columns a `quiver.set_updated_at()` trigger
//! keeps current. `quiver structure <app>` prints the result as the app's
//! generated `structure.rs` ([`crate::catalog::shape::render`]).

use serde::Deserialize;

use super::Db;
use crate::catalog::shape::{ColumnSpec, FkAction, ForeignKeySpec, ShapeSpec, TypeSpec};
use crate::catalog::ColumnType;
use crate::error::{QuiverError, Result};
use crate::sql::{Bind, Sql};

/// One statement: every base table of the schema (partitions left out) as JSON.
const CATALOG_QUERY: &str = r#"
SELECT coalesce(json_agg(t ORDER BY t.name), '[]')::text FROM (
  SELECT c.relname AS name, n.nspname AS schema_name,
    (SELECT json_agg(CASE WHEN tg.tgnargs = 0 THEN 'updated_at'
                          ELSE convert_from(substring(tg.tgargs FROM 1 FOR position('\x00'::bytea IN tg.tgargs) - 1), 'UTF8') END)
     FROM pg_trigger tg JOIN pg_proc pr ON pr.oid = tg.tgfoid
     JOIN pg_namespace pn ON pn.oid = pr.pronamespace
     WHERE tg.tgrelid = c.oid AND NOT tg.tgisinternal AND pn.nspname = 'quiver' AND pr.proname = 'set_updated_at') AS stamped,
    (SELECT json_agg(json_build_object(
        'name', a.attname, 'typname', ty.typname, 'formatted', format_type(a.atttypid, a.atttypmod), 'typschema', tyn.nspname, 'typtype', ty.typtype, 'elem', et.typname,
        'typmod', a.atttypmod, 'notnull', a.attnotnull,
        'hasdef', a.atthasdef OR a.attidentity <> '', 'computed', a.attgenerated <> '',
        'enum', CASE WHEN ty.typtype = 'e' THEN
            (SELECT json_agg(e.enumlabel ORDER BY e.enumsortorder) FROM pg_enum e WHERE e.enumtypid = ty.oid) END,
        'checks', (SELECT json_agg(pg_get_constraintdef(k.oid) ORDER BY k.conname) FROM pg_constraint k
                   WHERE k.conrelid = c.oid AND k.contype = 'c' AND k.conkey = ARRAY[a.attnum])
      ) ORDER BY a.attnum)
     FROM pg_attribute a
     JOIN pg_type ty ON ty.oid = a.atttypid
     JOIN pg_namespace tyn ON tyn.oid = ty.typnamespace
     LEFT JOIN pg_type et ON et.oid = ty.typelem AND ty.typcategory = 'A'
     WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped) AS columns,
    (SELECT json_agg(a.attname ORDER BY k.ord) FROM pg_constraint p
     CROSS JOIN LATERAL unnest(p.conkey) WITH ORDINALITY k(attnum, ord)
     JOIN pg_attribute a ON a.attrelid = p.conrelid AND a.attnum = k.attnum
     WHERE p.conrelid = c.oid AND p.contype = 'p') AS primary_key,
    (SELECT json_agg(u.cols ORDER BY u.cols::text) FROM (
       SELECT (SELECT json_agg(a.attname ORDER BY k.ord)
               FROM unnest(i.indkey::int2[]) WITH ORDINALITY k(attnum, ord)
               JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum) AS cols
       FROM pg_index i
       WHERE i.indrelid = c.oid AND i.indisunique AND NOT i.indisprimary
         AND i.indpred IS NULL AND i.indexprs IS NULL) u) AS "unique",
    (SELECT json_agg(json_build_object(
        'name', f.conname,
        'columns', (SELECT json_agg(a.attname ORDER BY k.ord) FROM unnest(f.conkey) WITH ORDINALITY k(attnum, ord)
                    JOIN pg_attribute a ON a.attrelid = f.conrelid AND a.attnum = k.attnum),
        'target', tc.relname, 'target_schema', tn.nspname,
        'target_columns', (SELECT json_agg(a.attname ORDER BY k.ord) FROM unnest(f.confkey) WITH ORDINALITY k(attnum, ord)
                           JOIN pg_attribute a ON a.attrelid = f.confrelid AND a.attnum = k.attnum),
        'on_delete', f.confdeltype) ORDER BY f.conname)
     FROM pg_constraint f
     JOIN pg_class tc ON tc.oid = f.confrelid
     JOIN pg_namespace tn ON tn.oid = tc.relnamespace
     WHERE f.conrelid = c.oid AND f.contype = 'f') AS foreign_keys
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE (n.nspname = "#;

const CATALOG_QUERY_END: &str = ")) AND c.relkind IN ('r', 'p') AND NOT c.relispartition) t";

/// One table as the catalog has it (see [`read`]).
#[derive(Deserialize)]
pub(super) struct RawTable {
    pub(super) name: String,
    pub(super) schema_name: String,
    /// Columns a `quiver.set_updated_at()` trigger keeps current.
    stamped: Option<Vec<String>>,
    pub(super) columns: Vec<RawColumn>,
    pub(super) primary_key: Option<Vec<String>>,
    unique: Option<Vec<Vec<String>>>,
    foreign_keys: Option<Vec<RawFk>>,
}

/// One column as the catalog has it.
#[derive(Deserialize, Clone)]
pub(super) struct RawColumn {
    pub(super) name: String,
    typname: String,
    pub(super) typschema: String,
    pub(super) typtype: String,
    /// The type as SQL spells it (`character varying(255)`).
    #[serde(default)]
    pub(super) formatted: String,
    elem: Option<String>,
    typmod: i32,
    pub(super) notnull: bool,
    pub(super) hasdef: bool,
    computed: bool,
    #[serde(rename = "enum")]
    pub(super) enum_values: Option<Vec<String>>,
    checks: Option<Vec<String>>,
}

#[derive(Deserialize)]
struct RawFk {
    name: String,
    columns: Vec<String>,
    target: String,
    target_schema: String,
    target_columns: Vec<String>,
    on_delete: String,
}

/// The shapes of every table in PostgreSQL schema `schema`, and of the
/// tables of other schemas named in `include` (`auth.users`, printed under
/// that qualified name), sorted by name.
pub async fn shapes(db: &Db, schema: &str, include: &[&str]) -> Result<Vec<ShapeSpec>> {
    let raw = read(db, Some(schema), include).await?;
    let mut shapes = raw.into_iter().map(|t| shape(schema, t)).collect::<Result<Vec<_>>>()?;
    shapes.sort_by(|a, b| a.name.cmp(&b.name));
    let missing: Vec<&&str> = include.iter().filter(|t| !shapes.iter().any(|s| s.name == **t)).collect();
    if !missing.is_empty() {
        return Err(QuiverError::BadInput(format!(
            "no such table: {}",
            missing.iter().map(|t| t.to_string()).collect::<Vec<_>>().join(", ")
        )));
    }
    Ok(shapes)
}

/// Every base table of `schema` (none when `None`) and the tables named
/// `schema.table` in `include`, as the catalog has them, in one statement.
pub(super) async fn read(db: &Db, schema: Option<&str>, include: &[&str]) -> Result<Vec<RawTable>> {
    let mut sql = Sql::default();
    sql.push(CATALOG_QUERY);
    sql.bind(Bind::Text(schema.map(str::to_string)), "text");
    sql.push(" OR (n.nspname || '.' || c.relname) = ANY(");
    sql.bind(Bind::Array(include.iter().map(|t| Some(t.to_string())).collect()), "text[]");
    sql.push(CATALOG_QUERY_END);
    let rows = db.fetch(sql).await?;
    let text = rows.first().and_then(|r| r.text(0).transpose()).transpose()?.unwrap_or_else(|| "[]".into());
    serde_json::from_str(&text).map_err(|e| QuiverError::Internal(format!("catalog introspection: {e}")))
}

fn shape(schema: &str, t: RawTable) -> Result<ShapeSpec> {
    let mut columns = t.columns.into_iter().map(|c| column(schema, &t.name, c)).collect::<Result<Vec<_>>>()?;
    // quiver.set_updated_at() keeps these current: the API never writes them.
    let stamped = t.stamped.unwrap_or_default();
    for c in columns.iter_mut().filter(|c| stamped.contains(&c.name)) {
        c.managed = true;
    }
    // Foreign keys in the order of their first column, as a reader of the table expects.
    let mut raw_fks = t.foreign_keys.unwrap_or_default();
    let position = |f: &RawFk| f.columns.first().and_then(|c| columns.iter().position(|x| &x.name == c));
    raw_fks.sort_by_key(|f| (position(f), f.name.clone()));
    let mut foreign_keys = Vec::new();
    for f in raw_fks {
        let target = if f.target_schema == schema { f.target } else { format!("{}.{}", f.target_schema, f.target) };
        let action = FkAction::from_code(&f.on_delete)
            .ok_or_else(|| QuiverError::Internal(format!("{}: unknown foreign-key action {}", f.name, f.on_delete)))?;
        foreign_keys.push(ForeignKeySpec { name: f.name, columns: f.columns, target, target_columns: f.target_columns, on_delete: action });
    }
    Ok(ShapeSpec {
        name: if t.schema_name == schema { t.name } else { format!("{}.{}", t.schema_name, t.name) },
        columns,
        primary_key: t.primary_key.unwrap_or_default(),
        unique: t.unique.unwrap_or_default(),
        foreign_keys,
    })
}

/// The column as Quiver would serve it; an error for a type it does not serve.
pub(super) fn column(schema: &str, table: &str, c: RawColumn) -> Result<ColumnSpec> {
    let plain = |ty| TypeSpec::Plain(ty);
    let ty = match (c.typtype.as_str(), c.typname.as_str(), c.elem.as_deref()) {
        ("e", name, _) => {
            let qualified = if c.typschema == schema { name.to_string() } else { format!("{}.{name}", c.typschema) };
            TypeSpec::PgEnum(qualified, c.enum_values.clone().unwrap_or_default())
        }
        (_, "uuid", _) => plain(ColumnType::Uuid),
        (_, "text" | "varchar" | "bpchar" | "citext" | "name", _) => match c.checks.as_deref().and_then(check_in_list) {
            Some(values) => TypeSpec::Check(values),
            None => plain(ColumnType::Text),
        },
        (_, "bool", _) => plain(ColumnType::Bool),
        (_, "int2" | "int4", _) => plain(ColumnType::Int),
        (_, "int8", _) => plain(ColumnType::BigInt),
        (_, "float4" | "float8", _) => plain(ColumnType::Float),
        (_, "numeric", _) => plain(ColumnType::Decimal),
        (_, "timestamptz" | "timestamp", _) => plain(ColumnType::Timestamp),
        (_, "date", _) => plain(ColumnType::Date),
        (_, "json" | "jsonb", _) => plain(ColumnType::Json),
        (_, "cidr" | "inet", _) => plain(ColumnType::Cidr),
        (_, _, Some("text" | "varchar" | "bpchar")) => plain(ColumnType::TextArray),
        (_, other, _) => {
            return Err(QuiverError::Internal(format!(
                "table {table}: column {} has type {other}, which Quiver does not serve yet",
                c.name
            )))
        }
    };
    let max_len = match c.typname.as_str() {
        "varchar" | "bpchar" if c.typmod > 4 => Some((c.typmod - 4) as u32),
        _ => None,
    };
    Ok(ColumnSpec { name: c.name, ty, nullable: !c.notnull, has_default: c.hasdef, computed: c.computed, managed: false, max_len })
}

/// The values of a `CHECK (column IN (…))` constraint, as PostgreSQL prints
/// it (`CHECK (((c)::text = ANY ((ARRAY['a'::character varying, …])::text[])))`);
/// `None` for any other check.
pub fn check_in_list(checks: &[String]) -> Option<Vec<String>> {
    checks.iter().find_map(|def| {
        let body = def.strip_prefix("CHECK ")?;
        let (before, rest) = body.split_once("= ANY ")?;
        let array = rest.split_once("ARRAY[")?.1;
        // Outside quoted literals, no boolean connective may appear.
        if unquoted(before).contains(" OR ") || unquoted(before).contains(" AND ") || unquoted(rest).contains(" OR ") {
            return None;
        }
        let mut values = Vec::new();
        let mut chars = array.chars().peekable();
        loop {
            match chars.next()? {
                '\'' => {
                    let mut v = String::new();
                    loop {
                        match chars.next()? {
                            '\'' if chars.peek() == Some(&'\'') => {
                                chars.next();
                                v.push('\'');
                            }
                            '\'' => break,
                            ch => v.push(ch),
                        }
                    }
                    values.push(v);
                }
                ']' => break,
                _ => {}
            }
        }
        (!values.is_empty()).then_some(values)
    })
}

/// `s` with its single-quoted literals removed.
fn unquoted(s: &str) -> String {
    let mut out = String::new();
    let mut inside = false;
    for ch in s.chars() {
        if ch == '\'' {
            inside = !inside;
        } else if !inside {
            out.push(ch);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::check_in_list;

    #[test]
    fn check_lists() {
        let varchar = "CHECK (((social_provider)::text = ANY ((ARRAY['google'::character varying, 'it''s'::character varying])::text[])))";
        assert_eq!(check_in_list(&[varchar.into()]), Some(vec!["google".into(), "it's".into()]));
        let text = "CHECK ((status = ANY (ARRAY['a'::text, 'b'::text])))";
        assert_eq!(check_in_list(&[text.into()]), Some(vec!["a".into(), "b".into()]));
        assert_eq!(check_in_list(&["CHECK ((quantity > 0))".into()]), None);
        let or = "CHECK (((kind IS NULL) OR (kind = ANY (ARRAY['x'::text]))))";
        assert_eq!(check_in_list(&[or.into()]), None);
    }
}
