//! Serving an app in place, in a database whose tables Quiver does not own
//! (a team's Supabase project): only Quiver's own migrations run there
//! ([`migrate_core`]), and the live catalog is checked against the app's
//! compiled structure ([`check`]) before the app is served.
//!
//! What counts as a mismatch, table by table (the app's own tables in its
//! schema, and the tables of other schemas it sits on, such as `auth.users`):
//!
//! - a table, or a column of the structure, that the database lacks;
//! - a column whose type differs as the API maps types (`text`, `varchar`
//!   and `citext` are all text; `int2` and `int4` are Int), whose enum values
//!   differ (a CHECK `IN` list, or a PostgreSQL enum type, which must also be
//!   the very type the API casts to), whose `varchar(n)` limit differs, or
//!   whose type Quiver does not serve;
//! - a nullability difference, either way;
//! - a column the API may leave out of a create (it has a default in the
//!   structure) that has no default in the database;
//! - a different primary key;
//! - a column the structure does not know that is NOT NULL without a default
//!   (every create through the API would fail).
//!
//! Not compared: foreign keys, unique keys other than the primary key, CHECK
//! constraints other than enum lists, indexes, triggers, and default
//! expressions. Columns the structure marks as kept by `quiver.set_updated_at()`
//! are not kept current in such a database unless its own triggers do it.

use std::collections::BTreeSet;

use diesel_async::async_connection_wrapper::AsyncConnectionWrapper;
use diesel_async::AsyncPgConnection;
use diesel_migrations::MigrationHarness;

use super::introspect::{self, RawColumn, RawTable};
use super::Db;
use crate::catalog::shape::TypeSpec;
use crate::catalog::{App, Column, ColumnType, Table};
use crate::error::{QuiverError, Result};

/// The migrations that create Quiver's own objects and nothing of any app:
/// the `quiver` schema and `quiver.set_updated_at()` (and its later form),
/// and the change outbox with its capture functions. Every other migration
/// creates or alters app tables.
pub const CORE_MIGRATIONS: &[&str] = &["20261122000000", "20261122000002", "20261201000007"];

/// The embedded migrations restricted to [`CORE_MIGRATIONS`].
struct Core;

impl diesel::migration::MigrationSource<diesel::pg::Pg> for Core {
    fn migrations(&self) -> diesel::migration::Result<Vec<Box<dyn diesel::migration::Migration<diesel::pg::Pg>>>> {
        let all = diesel::migration::MigrationSource::<diesel::pg::Pg>::migrations(&super::MIGRATIONS)?;
        Ok(all.into_iter().filter(|m| CORE_MIGRATIONS.contains(&m.name().version().to_string().as_str())).collect())
    }
}

/// Applies the pending core migrations to the database at `url`, under the
/// migration lock. Their record (`__diesel_schema_migrations`) is kept in
/// the `quiver` schema, so nothing is added to the app's schema — unless the
/// database already records Quiver's full migrations in the usual place,
/// where the core ones are then found applied.
pub async fn migrate_core(url: &str) -> Result<Vec<String>> {
    let url = url.to_string();
    tokio::task::spawn_blocking(move || -> Result<Vec<String>> {
        use diesel::connection::SimpleConnection;
        let mut conn = <AsyncConnectionWrapper<AsyncPgConnection> as diesel::Connection>::establish(&url)
            .map_err(|e| QuiverError::Unavailable(e.to_string()))?;
        conn.batch_execute(&format!("SELECT pg_advisory_lock({})", super::MIGRATION_LOCK))?;
        let mut run = || -> Result<Vec<String>> {
            conn.batch_execute(
                "CREATE SCHEMA IF NOT EXISTS quiver; \
                 DO $$ BEGIN IF to_regclass('quiver.__diesel_schema_migrations') IS NOT NULL \
                   OR to_regclass('__diesel_schema_migrations') IS NULL THEN \
                   PERFORM set_config('search_path', 'quiver', false); END IF; END $$;",
            )?;
            let failed = |e: Box<dyn std::error::Error + Send + Sync>| QuiverError::Internal(format!("migration failed: {e}"));
            let pending = conn.pending_migrations(Core).map_err(failed)?;
            let mut applied = Vec::new();
            for m in &pending {
                applied.push(conn.run_migration(m.as_ref()).map_err(failed)?.to_string());
            }
            Ok(applied)
        };
        let applied = run();
        conn.batch_execute(&format!("RESET search_path; SELECT pg_advisory_unlock({})", super::MIGRATION_LOCK))?;
        applied
    })
    .await
    .map_err(|e| QuiverError::Internal(e.to_string()))?
}

/// How the API spells a column's type in a report.
fn expected_type(c: &Column) -> String {
    match c.ty {
        ColumnType::Enum(values) => format!("text with CHECK IN ({})", values.join(", ")),
        ColumnType::PgEnum(e) => format!("enum {} ({})", e.sql, e.values.join(", ")),
        ColumnType::Text | ColumnType::Cidr if c.max_len.is_some() => format!("{}({})", c.ty.sql_cast(), c.max_len.unwrap_or(0)),
        _ => c.ty.sql_cast().to_string(),
    }
}

/// Whether the live column has the type the app's column needs, or why not.
fn type_problem(schema: &str, table: &str, want: &Column, live: &RawColumn) -> Option<String> {
    let got = match introspect::column(schema, table, live.clone()) {
        Ok(spec) => spec,
        Err(e) => return Some(e.to_string()),
    };
    let differs = match (want.ty, &got.ty) {
        (ColumnType::Enum(values), TypeSpec::Check(live_values)) => {
            values.iter().copied().collect::<BTreeSet<_>>() != live_values.iter().map(String::as_str).collect()
        }
        (ColumnType::PgEnum(e), TypeSpec::PgEnum(_, live_values)) => {
            let live_sql = format!("\"{}\".\"{}\"", live.typschema, enum_name(live));
            live_sql != e.sql || e.values != live_values.as_slice()
        }
        (ty, TypeSpec::Plain(live_ty)) => ty != *live_ty,
        _ => true,
    };
    let length = want.max_len != got.max_len;
    (differs || length).then(|| format!("type is {}, the app needs {}", describe_live(live, &got.ty), expected_type(want)))
}

/// The bare name of an enum column's type (`formatted` may be qualified and quoted).
fn enum_name(live: &RawColumn) -> String {
    let f = live.formatted.rsplit('.').next().unwrap_or(&live.formatted);
    f.trim_matches('"').to_string()
}

fn describe_live(live: &RawColumn, ty: &TypeSpec) -> String {
    match ty {
        TypeSpec::Check(values) => format!("{} with CHECK IN ({})", live.formatted, values.join(", ")),
        TypeSpec::PgEnum(_, values) => format!("enum \"{}\".\"{}\" ({})", live.typschema, enum_name(live), values.join(", ")),
        TypeSpec::Plain(_) => live.formatted.clone(),
    }
}

/// The mismatches of one table: each a line naming the column.
fn table_problems(app: &App, table: &Table, live: &RawTable) -> Vec<String> {
    let (schema, _) = table.sql_name(app);
    let mut problems = Vec::new();
    for want in table.shape.columns {
        let Some(got) = live.columns.iter().find(|c| c.name == want.name) else {
            problems.push(format!("column {}: missing (the app needs {})", want.name, expected_type(want)));
            continue;
        };
        let mut say = |what: String| problems.push(format!("column {}: {what}", want.name));
        if let Some(p) = type_problem(schema, &live.name, want, got) {
            say(p);
        }
        match (want.nullable, got.notnull) {
            (true, true) => say("is NOT NULL, the app has it nullable".into()),
            (false, false) => say("is nullable, the app needs NOT NULL".into()),
            _ => {}
        }
        if want.has_default && !want.nullable && !got.hasdef {
            say("has no default, which creates through the API rely on".into());
        }
    }
    for extra in live.columns.iter().filter(|c| table.shape.column(&c.name).is_none()) {
        if extra.notnull && !extra.hasdef {
            problems
                .push(format!("column {}: not in the app's structure, and NOT NULL without a default (creates would fail)", extra.name));
        }
    }
    let live_pk = live.primary_key.clone().unwrap_or_default();
    if live_pk.iter().map(String::as_str).ne(table.shape.primary_key.iter().copied()) {
        problems.push(format!("primary key is ({}), the app needs ({})", live_pk.join(", "), table.shape.primary_key.join(", ")));
    }
    problems
}

/// Compares the live catalog with what `app` (as served, in its schema)
/// needs: one line per missing or different table and column, empty when
/// the database matches. Reads the catalog in one statement.
pub async fn check(db: &Db, app: &App) -> Result<Vec<String>> {
    let names: Vec<String> = app
        .tables
        .iter()
        .map(|t| {
            let (schema, name) = t.sql_name(app);
            format!("{schema}.{name}")
        })
        .collect();
    let include: Vec<&str> = names.iter().map(String::as_str).collect();
    let live = introspect::read(db, None, &include).await?;
    let mut problems = Vec::new();
    for (table, qualified) in app.tables.iter().zip(&names) {
        match live.iter().find(|l| format!("{}.{}", l.schema_name, l.name) == *qualified) {
            None => problems.push(format!("table {qualified}: missing")),
            Some(l) => problems.extend(table_problems(app, table, l).into_iter().map(|p| format!("table {qualified}: {p}"))),
        }
    }
    Ok(problems)
}
