//! The apps Quiver serves. Each is one PostgreSQL schema (created by its
//! migration under `migrations/`) and one GraphQL schema at `/graphql/<app>`,
//! declared in its own module.

pub mod orders;
pub mod studio;

use crate::catalog::App;
use crate::error::QuiverError;

/// Every app, in the order they are served and listed.
pub static APPS: &[&App] = &[&studio::APP, &orders::APP];

/// Finds an app by name.
pub fn find(name: &str) -> Option<&'static App> {
    APPS.iter().copied().find(|a| a.name == name)
}

/// Mutations an app adds beyond the generated ones (its domain logic).
pub fn domain_mutations(app: &str, ctx: &std::sync::Arc<crate::graphql::AppContext>) -> Vec<async_graphql::dynamic::Field> {
    match app {
        "orders" => vec![orders::domain::accept_proposed_order(ctx)],
        _ => Vec::new(),
    }
}

/// Completes a principal with what the app keys access on (e.g. the
/// orders tenant and roles) and refuses it where the app says so (the
/// tenant's IP allow-list).
pub async fn resolve_principal(
    app: &App,
    db: &crate::db::Db,
    who: crate::auth::Principal,
) -> Result<crate::auth::Principal, QuiverError> {
    match app.name {
        "orders" => orders::tenancy::resolve(db, who).await,
        _ => Ok(who),
    }
}

/// An app's deterministic demo data set.
#[derive(Debug, Clone, Copy)]
pub struct DemoData {
    /// One SQL script with `{{name}}` integer placeholders.
    pub script: &'static str,
    /// Placeholder defaults (a small set for exploring).
    pub defaults: &'static [(&'static str, u32)],
    /// Placeholder values of the benchmark set.
    pub bench: &'static [(&'static str, u32)],
    /// A table that is empty exactly when no demo data was loaded.
    pub guard_table: &'static str,
}

/// The demo data of an app, if it has some.
pub fn demo_data(name: &str) -> Option<DemoData> {
    match name {
        "studio" => Some(DemoData {
            script: include_str!("studio/seed.sql"),
            defaults: studio::SEED_DEFAULTS,
            bench: studio::SEED_BENCH,
            guard_table: "users",
        }),
        "orders" => Some(DemoData {
            script: include_str!("orders/seed.sql"),
            defaults: orders::SEED_DEFAULTS,
            bench: orders::SEED_BENCH,
            guard_table: "tenants",
        }),
        _ => None,
    }
}

impl DemoData {
    /// The script with placeholders replaced: `sizes` over the defaults.
    /// Unknown names are an error.
    pub fn render(&self, sizes: &[(String, u32)]) -> Result<String, QuiverError> {
        let mut sql = self.script.to_string();
        for (k, _) in sizes {
            if !self.defaults.iter().any(|(d, _)| d == k) {
                let known: Vec<_> = self.defaults.iter().map(|(d, _)| *d).collect();
                return Err(QuiverError::BadInput(format!("unknown demo size {k}; known: {}", known.join(", "))));
            }
        }
        for (k, default) in self.defaults {
            let v = sizes.iter().rev().find(|(n, _)| n == k).map(|(_, v)| *v).unwrap_or(*default);
            sql = sql.replace(&format!("{{{{{k}}}}}"), &v.to_string());
        }
        Ok(sql)
    }

    /// Loads the data set in one transaction, unless the app already has
    /// rows in its guard table, then analyzes the app's tables: planner
    /// statistics must not wait for autovacuum (which may be off), or the
    /// first queries get plans made for empty tables. Returns whether it loaded.
    pub async fn load_if_empty(&self, app: &App, url: &str, sizes: &[(String, u32)]) -> Result<bool, QuiverError> {
        let sql = self.render(sizes)?;
        let guarded = format!(
            "DO $guard$ BEGIN IF EXISTS (SELECT 1 FROM \"{}\".\"{}\") THEN RAISE EXCEPTION 'quiver: demo data present'; END IF; END $guard$;",
            app.name, self.guard_table
        );
        let analyze: String = app.tables.iter().map(|t| format!("ANALYZE \"{}\".\"{}\";\n", app.name, t.name)).collect();
        match crate::db::execute_script(url, &format!("BEGIN;\n{guarded}\n{sql}\nCOMMIT;\n{analyze}")).await {
            Ok(()) => Ok(true),
            Err(e) if e.to_string().contains("quiver: demo data present") => Ok(false),
            Err(e) => Err(e),
        }
    }
}
