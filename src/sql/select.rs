//! Reads: paginated lists (root or per parent), counts, and rows by key.

use super::access::{and_guard, Mode};
use super::filter::render;
use super::{key_equals, push_columns, Bind, Filter, KeyText, Sql};
use crate::catalog::model::{AppModel, RelId, Relation};
use crate::catalog::Principal;
use crate::catalog::{App, Table};

/// One ordering key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct OrderKey {
    /// Column index.
    pub column: usize,
    /// Descending.
    pub desc: bool,
    /// NULLs sort before other values.
    pub nulls_first: bool,
}

/// A position in an ordering: the values of the order keys of one row
/// (text, `None` for NULL), the last key being the table's key column.
pub type Cursor = Vec<Option<String>>;

/// A page of a list: what to match, in which order, from where, how many.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ListQuery {
    /// Row predicate.
    pub filter: Option<Filter>,
    /// Ordering; always ends with the table's key column, so it is total.
    pub order: Vec<OrderKey>,
    /// Only rows after this position.
    pub after: Option<Cursor>,
    /// Only rows before this position.
    pub before: Option<Cursor>,
    /// Rows to return (one more is fetched to tell whether there are more).
    pub limit: usize,
    /// Take the page from the end (`last`): rows are fetched in reverse order.
    pub backward: bool,
    /// Columns to fetch, by index.
    pub columns: Vec<usize>,
    /// Soft-deleted rows were asked for ([`crate::catalog::Rule::AskedForDeleted`]).
    pub include_deleted: bool,
}

impl ListQuery {
    /// The rows its `totalCount` covers.
    pub fn counted(&self) -> Counted {
        Counted { filter: self.filter.clone(), include_deleted: self.include_deleted }
    }
}

/// The rows a count covers: those matching a filter, soft-deleted ones
/// included when asked for.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Counted {
    /// Row predicate.
    pub filter: Option<Filter>,
    /// Soft-deleted rows were asked for.
    pub include_deleted: bool,
}

/// Which rows a list is drawn from.
#[derive(Debug, Clone, Copy)]
pub enum Scope<'a> {
    /// The whole table.
    Root,
    /// Rows whose foreign-key `column` holds one of the parent keys.
    Children {
        /// Foreign-key column on the listed table.
        column: &'a str,
        /// Parent keys, as text.
        parents: &'a [String],
    },
    /// Rows linked to the parents through a join table.
    Linked {
        /// The join table.
        join: &'a Table,
        /// Join-table column pointing at the parent.
        near: &'a str,
        /// Join-table column pointing at the listed table.
        far: &'a str,
        /// Parent keys, as text.
        parents: &'a [String],
    },
}

impl<'a> Scope<'a> {
    /// The table a to-many or many-to-many relation lists, and the scope
    /// selecting its rows for `parents`.
    pub fn of_relation(model: &'a AppModel, rel: RelId, parents: &'a [String]) -> (usize, Scope<'a>) {
        match model.tables[rel.0].relations[rel.1].1 {
            Relation::ToMany { child, fk, .. } => (child, Scope::Children { column: fk.column, parents }),
            Relation::Linked { join, near, far, target } => (target, Scope::Linked { join: model.tables[join].table, near, far, parents }),
            Relation::ToOne { .. } => unreachable!("to-one relations load by key"),
        }
    }
}

/// Appends `ORDER BY ...`, reversed for backward pages.
fn order_by(sql: &mut Sql, table: &Table, alias: &str, q: &ListQuery) {
    sql.push(" ORDER BY ");
    for (i, k) in q.order.iter().enumerate() {
        if i > 0 {
            sql.push(", ");
        }
        let (desc, nulls_first) = (k.desc ^ q.backward, k.nulls_first ^ q.backward);
        sql.column(alias, table.columns[k.column].name);
        sql.push(if desc { " DESC" } else { " ASC" });
        sql.push(if nulls_first { " NULLS FIRST" } else { " NULLS LAST" });
    }
}

/// Appends the predicate "the row comes strictly after `cursor`" in the
/// ordering (or before it, when `reverse`), NULL placement included:
/// `k1 > v1 OR (k1 = v1 AND k2 > v2) OR ...`.
fn beyond(sql: &mut Sql, table: &Table, alias: &str, order: &[OrderKey], cursor: &Cursor, reverse: bool) {
    sql.push("(");
    for i in 0..order.len() {
        if i > 0 {
            sql.push(" OR ");
        }
        sql.push("(");
        for (k, v) in order[..i].iter().zip(cursor) {
            let col = &table.columns[k.column];
            sql.column(alias, col.name);
            match v {
                None => sql.push(" IS NULL AND "),
                Some(v) => sql.push(" = ").bind(Bind::Text(Some(v.clone())), col.ty.sql_cast()).push(" AND "),
            };
        }
        let k = order[i];
        let col = &table.columns[k.column];
        let (desc, nulls_first) = (k.desc ^ reverse, k.nulls_first ^ reverse);
        match &cursor[i] {
            // Past a NULL only non-NULLs can follow, and only if NULLs come first.
            None if nulls_first => {
                sql.column(alias, col.name).push(" IS NOT NULL");
            }
            None => {
                sql.push("FALSE");
            }
            Some(v) => {
                sql.push("(");
                sql.column(alias, col.name).push(if desc { " < " } else { " > " });
                sql.bind(Bind::Text(Some(v.clone())), col.ty.sql_cast());
                if !nulls_first {
                    sql.push(" OR ").column(alias, col.name).push(" IS NULL");
                }
                sql.push(")");
            }
        }
        sql.push(")");
    }
    sql.push(")");
}

/// Appends the WHERE conditions of a page (row rule, filter and cursors), each preceded by ` AND `.
fn page_conditions(sql: &mut Sql, app: &App, table: &Table, alias: &str, q: &ListQuery, who: &Principal) {
    and_guard(sql, app, table, alias, Mode::Read, who);
    if let Some(f) = &q.filter {
        sql.push(" AND ");
        render(sql, app, table, alias, f, who);
    }
    if let Some(c) = &q.after {
        sql.push(" AND ");
        beyond(sql, table, alias, &q.order, c, false);
    }
    if let Some(c) = &q.before {
        sql.push(" AND ");
        beyond(sql, table, alias, &q.order, c, true);
    }
}

/// Appends `unnest($n::text[]) WITH ORDINALITY AS p(k, i)`: the parent keys
/// as rows, each with its 1-based position (the tag of the rows loaded for it).
fn parents_table(sql: &mut Sql, parents: &[String]) {
    sql.push("unnest(");
    sql.bind(Bind::Array(parents.iter().cloned().map(Some).collect()), "text[]");
    sql.push(") WITH ORDINALITY AS p(k, i)");
}

/// One statement listing a page of the `table` rows `who` may read — for the
/// whole table, or for each parent at once. Each result row is tagged with
/// its parent's position in `parents` (NULL for the whole table).
pub fn select_rows(app: &App, table: &Table, q: &ListQuery, scope: Scope, who: &Principal) -> Sql {
    let who = &*who.asking_for_deleted(q.include_deleted);
    let mut sql = Sql::default();
    let t = sql.alias();
    let page = |sql: &mut Sql, tag: &str, link: &dyn Fn(&mut Sql)| {
        sql.push("SELECT ").push(tag);
        push_columns(sql, table, &t, &q.columns);
        sql.push(" FROM ").table(app, table).push(" ").push(&t);
        link(sql);
        page_conditions(sql, app, table, &t, q, who);
        order_by(sql, table, &t, q);
        sql.push(&format!(" LIMIT {}", q.limit + 1));
    };
    match scope {
        Scope::Root => page(&mut sql, "NULL::int8", &|sql| {
            sql.push(" WHERE TRUE");
        }),
        Scope::Children { column, parents } => {
            let (_, fk_col) = table.column(column).expect("validated: fk column exists");
            let fk_cast = fk_col.ty.sql_cast();
            sql.push("SELECT r.* FROM ");
            parents_table(&mut sql, parents);
            sql.push(" CROSS JOIN LATERAL (");
            page(&mut sql, "p.i", &|sql| {
                sql.push(" WHERE ").column(&t, column).push(&format!(" = p.k::{fk_cast}"));
            });
            sql.push(") r");
        }
        Scope::Linked { join, near, far, parents } => {
            let (_, near_col) = join.column(near).expect("validated: join column exists");
            let near_cast = near_col.ty.sql_cast();
            sql.push("SELECT r.* FROM ");
            parents_table(&mut sql, parents);
            sql.push(" CROSS JOIN LATERAL (");
            page(&mut sql, "p.i", &|sql| {
                sql.push(" JOIN ").table(app, join).push(" j ON j.").ident(far).push(" = ");
                sql.column(&t, table.key);
                sql.push(" WHERE j.").ident(near).push(&format!(" = p.k::{near_cast}"));
                and_guard(sql, app, join, "j", Mode::Read, who);
            });
            sql.push(") r");
        }
    }
    sql
}

/// One statement counting the rows `who` may read of those `counted` covers:
/// for the whole table (one row, tag NULL), or one row per parent tagged with
/// its position in `parents` (zero included).
pub fn count_rows(app: &App, table: &Table, counted: &Counted, scope: Scope, who: &Principal) -> Sql {
    let who = &*who.asking_for_deleted(counted.include_deleted);
    let filter = counted.filter.as_ref();
    let mut sql = Sql::default();
    let t = sql.alias();
    let conditions = |sql: &mut Sql| {
        and_guard(sql, app, table, &t, Mode::Read, who);
        if let Some(f) = filter {
            sql.push(" AND ");
            render(sql, app, table, &t, f, who);
        }
    };
    match scope {
        Scope::Root => {
            sql.push("SELECT NULL::int8, count(*) FROM ").table(app, table);
            sql.push(" ").push(&t).push(" WHERE TRUE");
            conditions(&mut sql);
        }
        Scope::Children { column, parents } => {
            let (_, fk_col) = table.column(column).expect("validated: fk column exists");
            sql.push("SELECT p.i, (SELECT count(*) FROM ").table(app, table).push(" ").push(&t).push(" WHERE ");
            sql.column(&t, column).push(&format!(" = p.k::{}", fk_col.ty.sql_cast()));
            conditions(&mut sql);
            sql.push(") FROM ");
            parents_table(&mut sql, parents);
        }
        Scope::Linked { join, near, far, parents } => {
            let (_, near_col) = join.column(near).expect("validated: join column exists");
            sql.push("SELECT p.i, (SELECT count(*) FROM ").table(app, table).push(" ").push(&t).push(" JOIN ").table(app, join);
            sql.push(" j ON j.").ident(far).push(" = ").column(&t, table.key);
            sql.push(" WHERE j.").ident(near).push(&format!(" = p.k::{}", near_col.ty.sql_cast()));
            and_guard(&mut sql, app, join, "j", Mode::Read, who);
            conditions(&mut sql);
            sql.push(") FROM ");
            parents_table(&mut sql, parents);
        }
    }
    sql
}

/// The rows of `keys` as a table joined to `table` by key: `FROM unnest(...) p JOIN table t ON t.key = p.k`.
fn keyed(sql: &mut Sql, app: &App, table: &Table, alias: &str, keys: &[String]) {
    sql.push(" FROM ");
    parents_table(sql, keys);
    sql.push(" JOIN ").table(app, table).push(" ").push(alias).push(" ON ");
    key_equals(sql, table, alias, KeyText::Expr("p.k"));
}

/// One statement fetching the rows `who` may read whose key is one of `keys`;
/// each row is tagged with its key's position in `keys`.
pub fn select_by_keys(app: &App, table: &Table, columns: &[usize], keys: &[String], who: &Principal) -> Sql {
    // Naming a row by its key asks for it, soft-deleted or not.
    let who = &*who.asking_for_deleted(true);
    let mut sql = Sql::default();
    let t = sql.alias();
    sql.push("SELECT p.i");
    push_columns(&mut sql, table, &t, columns);
    keyed(&mut sql, app, table, &t, keys);
    sql.push(" WHERE TRUE");
    and_guard(&mut sql, app, table, &t, Mode::Read, who);
    sql
}

/// One statement returning (as tags) the positions in `keys` of the rows `who` may write.
pub fn select_by_keys_writable(app: &App, table: &Table, keys: &[String], who: &Principal) -> Sql {
    let mut sql = Sql::default();
    let t = sql.alias();
    sql.push("SELECT p.i");
    keyed(&mut sql, app, table, &t, keys);
    sql.push(" WHERE TRUE");
    and_guard(&mut sql, app, table, &t, Mode::Write, who);
    sql
}
