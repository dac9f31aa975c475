//! Demo data sets: one SQL script per app with size placeholders, loaded
//! into an empty app and analyzed.

use crate::catalog::App;
use crate::error::QuiverError;

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
        let analyze: String = app
            .tables
            .iter()
            .map(|t| {
                let (schema, name) = t.sql_name(app);
                format!("ANALYZE \"{schema}\".\"{name}\";\n")
            })
            .collect();
        match super::execute_script(url, &format!("BEGIN;\n{guarded}\n{sql}\nCOMMIT;\n{analyze}")).await {
            Ok(()) => Ok(true),
            Err(e) if e.to_string().contains("quiver: demo data present") => Ok(false),
            Err(e) => Err(e),
        }
    }
}
