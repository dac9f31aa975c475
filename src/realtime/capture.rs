//! Attaches the change-capture trigger to every declared table, from the
//! declarations themselves: the trigger leaves the table's secret columns out
//! of the outbox. Idempotent; run at start-up after migrations.

use diesel_async::{AsyncConnection, AsyncPgConnection, SimpleAsyncConnection};

use crate::catalog::App;
use crate::error::QuiverError;

/// SQL string literal.
fn literal(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// The DDL that attaches (or refreshes) the capture trigger of each table of `app`.
pub fn capture_ddl(app: &App) -> String {
    let mut sql = String::new();
    for table in app.tables.iter().filter(|t| !t.is_foreign()) {
        let mut args = vec![literal(table.name)];
        args.extend(table.columns.iter().filter(|c| c.secret).map(|c| literal(c.name)));
        sql.push_str(&format!(
            "CREATE OR REPLACE TRIGGER quiver_capture AFTER INSERT OR UPDATE OR DELETE ON \"{}\".\"{}\" \
             FOR EACH ROW EXECUTE FUNCTION quiver.capture_change({});\n",
            app.schema.replace('"', "\"\""),
            table.name.replace('"', "\"\""),
            args.join(", ")
        ));
    }
    sql
}

/// Installs capture on every table of `apps`, in one transaction, under an
/// advisory lock so instances starting together take turns.
pub async fn install(url: &str, apps: &[&App]) -> Result<(), QuiverError> {
    let mut conn = AsyncPgConnection::establish(url).await.map_err(|e| QuiverError::Unavailable(e.to_string()))?;
    let ddl: String = apps.iter().map(|a| capture_ddl(a)).collect();
    conn.batch_execute(&format!("BEGIN; SELECT pg_advisory_xact_lock(8426915629);\n{ddl}COMMIT;")).await?;
    Ok(())
}
