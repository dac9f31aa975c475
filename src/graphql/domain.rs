//! A small toolkit for an app's domain mutations: table handles found by
//! their generated shape (checked by the compiler, never looked up by a
//! string), typed arguments, writes inside one transaction acting for the
//! caller, the write-rule and version checks every generated mutation makes,
//! and rows returned the way every resolver returns them.

use std::sync::Arc;

use async_graphql::dynamic::{FieldValue, ResolverContext};
use diesel_async::{AnsiTransactionManager, AsyncPgConnection, TransactionManager};

use super::inputs::input_text;
use super::root::row_as_json;
use super::AppContext;
use crate::catalog::model::TableModel;
use crate::catalog::shape::Shape;
use crate::catalog::{Mode, Principal};
use crate::db::value::Row;
use crate::error::{QuiverError, Result};
use crate::sql;

/// One table of the app, for domain code.
#[derive(Clone, Copy)]
pub struct TableRef<'a> {
    ctx: &'a AppContext,
    index: usize,
}

impl AppContext {
    /// The table built on `shape` (a constant of the app's `structure.rs`).
    /// Panics if the app does not declare it: a programming error, which the
    /// schema build of every app in the test suite would show.
    pub fn table(&self, shape: &'static Shape) -> TableRef<'_> {
        let index = self
            .model
            .tables
            .iter()
            .position(|t| std::ptr::eq(t.table.shape, shape) || t.table.name == shape.name)
            .unwrap_or_else(|| panic!("app {} declares no table {}", self.model.app.name, shape.name));
        TableRef { ctx: self, index }
    }
}

impl<'a> TableRef<'a> {
    /// The table's index and lookups.
    pub fn model(&self) -> &'a TableModel {
        &self.ctx.model.tables[self.index]
    }

    /// Its GraphQL type name.
    pub fn type_name(&self) -> &'static str {
        self.model().table.type_name
    }

    /// Argument `name` as a value of `column` (its text form), `None` when null or absent.
    pub fn argument(&self, rc: &ResolverContext<'_>, name: &str, column: &str) -> Result<Option<String>> {
        let tm = self.model();
        let (ci, _) = tm.table.column(column).ok_or_else(|| QuiverError::Internal(format!("{}: no column {column}", tm.table.name)))?;
        match rc.args.get(name) {
            None => Ok(None),
            Some(v) if v.is_null() => Ok(None),
            Some(v) => Ok(Some(input_text(tm, ci, v.as_value())?)),
        }
    }

    /// Argument `name` as this table's key; required.
    pub fn key_argument(&self, rc: &ResolverContext<'_>, name: &str) -> Result<String> {
        self.argument(rc, name, self.model().table.key)?.ok_or_else(|| QuiverError::BadInput(format!("{name} is required")))
    }

    /// Refuses `who` unless they may write the row `key`: a row they may not
    /// read is `NOT_FOUND` (as if it did not exist), a readable one they may
    /// not write is `FORBIDDEN`. API-key permissions count too.
    pub async fn check_writable(&self, conn: &mut AsyncPgConnection, who: &Principal, key: &str) -> Result<()> {
        let (app, tm) = (self.ctx.model.app, self.model());
        if !who.may(tm.table, Mode::Write) {
            return Err(QuiverError::Forbidden(format!("these credentials may not write {}", tm.table.name)));
        }
        let keys = [key.to_string()];
        if !self.ctx.db.fetch_on(conn, sql::select_by_keys_writable(app, tm.table, &keys, who)).await?.is_empty() {
            return Ok(());
        }
        let readable = self.ctx.db.fetch_on(conn, sql::select_by_keys(app, tm.table, &[], &keys, who)).await?;
        Err(match readable.is_empty() {
            true => self.not_found(key),
            false => QuiverError::Forbidden(format!("you may not change this {}", tm.table.type_name)),
        })
    }

    /// `NOT_FOUND` for `key`.
    pub fn not_found(&self, key: &str) -> QuiverError {
        let t = self.model().table;
        QuiverError::NotFound { type_name: t.type_name, key: t.key_name(), value: key.to_string() }
    }

    /// The row `key` as `who` may read it (every readable column), if any.
    pub async fn read(&self, conn: &mut AsyncPgConnection, who: &Principal, key: &str) -> Result<Option<Row>> {
        let tm = self.model();
        let rows = self.ctx.db.fetch_on(conn, sql::select_by_keys(self.ctx.model.app, tm.table, &tm.readable, &[key.to_string()], who)).await?;
        rows.first().map(|r| Row::from_db(self.index, tm.table, &tm.readable, r)).transpose()
    }

    /// `CONFLICT` carrying the current row, for an update that named a stale version.
    pub async fn version_conflict(&self, conn: &mut AsyncPgConnection, who: &Principal, key: &str) -> QuiverError {
        match self.read(conn, who, key).await {
            Ok(Some(row)) => QuiverError::VersionConflict { type_name: self.type_name(), current: row_as_json(self.model(), &row) },
            Ok(None) => self.not_found(key),
            Err(e) => e,
        }
    }

    /// The row `key`, read for `who` after the change, as a mutation's result.
    pub async fn result(&self, who: &Principal, key: &str) -> Result<Option<FieldValue<'static>>> {
        let mut conn = self.ctx.db.conn().await?;
        // Deleted by someone else in the instant since the commit: NOT_FOUND.
        let row = self.read(&mut conn, who, key).await?.ok_or_else(|| self.not_found(key))?;
        Ok(Some(FieldValue::owned_any(Arc::new(row))))
    }
}

/// Runs `work` in one transaction on a pooled connection, acting for `who`
/// (database triggers see the caller): everything it writes commits, or
/// nothing does.
pub async fn in_transaction<T>(ctx: &AppContext, who: &Principal, work: impl AsyncFnOnce(&mut AsyncPgConnection) -> Result<T>) -> Result<T> {
    let mut conn = ctx.db.conn().await?;
    let conn: &mut AsyncPgConnection = &mut conn;
    AnsiTransactionManager::begin_transaction(conn).await?;
    let outcome = match ctx.db.act_as(conn, who).await {
        Ok(()) => work(conn).await,
        Err(e) => Err(e),
    };
    match outcome {
        Ok(value) => {
            AnsiTransactionManager::commit_transaction(conn).await?;
            Ok(value)
        }
        Err(e) => {
            // The connection goes back to the pool either way; a failed
            // rollback leaves it broken, and the pool discards it.
            if let Err(rollback) = AnsiTransactionManager::rollback_transaction(conn).await {
                tracing::warn!(error = %rollback, "rollback failed");
            }
            Err(e)
        }
    }
}
