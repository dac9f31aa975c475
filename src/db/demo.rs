//! Demo data sets: one SQL script per app with size placeholders, loaded
//! into an empty app and analyzed.

use diesel_async::{AsyncConnection, AsyncPgConnection, SimpleAsyncConnection};

use crate::catalog::App;
use crate::error::QuiverError;

/// How far a long piece of work has got.
#[derive(Debug, Clone)]
pub struct Step {
    /// Steps finished.
    pub done: usize,
    /// All steps.
    pub total: usize,
    /// What runs next (`INSERT INTO studio.projects`).
    pub what: String,
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
    /// Users of the default data set worth signing in as, one per role.
    pub users: &'static [DemoUser],
}

/// A user of an app's demo data, to explore its row rules as
/// (`quiver token --app <app> --as <name>`, GraphiQL's "sign in as").
#[derive(Debug, Clone, Copy)]
pub struct DemoUser {
    /// Short name (`ada`, `t1-agent`).
    pub name: &'static str,
    /// The token's `sub`: the user's id in the demo data.
    pub sub: &'static str,
    /// Who they are and what they may see.
    pub about: &'static str,
}

impl DemoData {
    /// The demo user called `name`.
    pub fn user(&self, name: &str) -> Option<&'static DemoUser> {
        self.users.iter().find(|u| u.name.eq_ignore_ascii_case(name))
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
        self.load_if_empty_with(app, url, sizes, &mut |_| {}).await
    }

    /// [`DemoData::load_if_empty`], one statement at a time, telling
    /// `progress` before each (the transaction, the guard, every statement of
    /// the script, then one `ANALYZE` per table).
    pub async fn load_if_empty_with(
        &self,
        app: &App,
        url: &str,
        sizes: &[(String, u32)],
        progress: &mut (dyn FnMut(Step) + Send),
    ) -> Result<bool, QuiverError> {
        let sql = self.render(sizes)?;
        let guarded = format!(
            "DO $guard$ BEGIN IF EXISTS (SELECT 1 FROM \"{}\".\"{}\") THEN RAISE EXCEPTION 'quiver: demo data present'; END IF; END $guard$;",
            app.schema, self.guard_table
        );
        let analyze: Vec<String> = app
            .tables
            .iter()
            .map(|t| {
                let (schema, name) = t.sql_name(app);
                format!("ANALYZE \"{schema}\".\"{name}\";")
            })
            .collect();
        let mut steps: Vec<&str> = vec!["BEGIN;", &guarded];
        steps.extend(super::script::statements(&sql));
        steps.push("COMMIT;");
        steps.extend(analyze.iter().map(String::as_str));
        let mut conn = AsyncPgConnection::establish(url).await.map_err(|e| QuiverError::Unavailable(e.to_string()))?;
        let total = steps.len();
        for (i, statement) in steps.iter().enumerate() {
            progress(Step { done: i, total, what: super::script::summary(statement) });
            match conn.batch_execute(statement).await {
                Ok(()) => {}
                Err(e) if e.to_string().contains("quiver: demo data present") => return Ok(false),
                Err(e) => return Err(e.into()),
            }
        }
        progress(Step { done: total, total, what: "done".into() });
        Ok(true)
    }
}
