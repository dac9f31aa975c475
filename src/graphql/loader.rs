//! Batched relation loading: every relation field, in both directions, goes
//! through one [`BatchLoader`]. All keys of one relation level that share the
//! same page arguments become one SQL statement, whatever the number of
//! parents; each parent's own limit, filter and ordering are applied inside it.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use async_graphql::dataloader::{DataLoader, HashMapCache, Loader};
use futures_util::future::try_join_all;

use super::plan::Shared;
use crate::auth::Principal;
use crate::catalog::model::{AppModel, RelId};
use crate::db::value::{Row, RowRef};
use crate::db::Db;
use crate::error::QuiverError;
use crate::sql::{self, ListQuery, Scope};

/// Loads rows for relation fields, batching by relation level, as one caller:
/// every statement carries the caller's row rules.
pub struct BatchLoader {
    model: Arc<AppModel>,
    db: Db,
    who: Arc<Principal>,
    rows: Arc<super::cost::RowBudget>,
}

/// The per-request loader handle resolvers use.
pub type RequestLoader = DataLoader<BatchLoader, HashMapCache>;

/// Builds a fresh loader for one request made by `who`, reading at most what `rows` allows.
pub fn request_loader(model: Arc<AppModel>, db: Db, who: Arc<Principal>, rows: Arc<super::cost::RowBudget>) -> RequestLoader {
    DataLoader::with_cache(BatchLoader { model, db, who, rows }, tokio::spawn, HashMapCache::default())
        .delay(Duration::from_micros(500))
        .max_batch_size(usize::MAX / 2)
}

/// A page of a to-many relation for one parent.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct ManyKey {
    /// The relation.
    pub rel: RelId,
    /// The page asked for (shared per request, see [`super::plan`]).
    pub query: Shared<ListQuery>,
    /// The parent's key.
    pub parent: String,
}

/// One row of a table by key, with the columns to fetch.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct OneKey {
    /// Table index.
    pub table: usize,
    /// Columns to fetch.
    pub columns: Shared<Vec<usize>>,
    /// The key.
    pub key: String,
}

/// The number of rows of a to-many relation for one parent (the page query's filter).
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct CountKey {
    /// The relation.
    pub rel: RelId,
    /// The page query whose filter is counted.
    pub query: Shared<ListQuery>,
    /// The parent's key.
    pub parent: String,
}

type LoadResult<T> = Result<T, Arc<QuiverError>>;

/// Groups keys by what they share and collects each group's parent keys.
fn group<K, G: Eq + std::hash::Hash + Clone>(keys: &[K], by: impl Fn(&K) -> (G, String)) -> HashMap<G, Vec<String>> {
    let mut groups: HashMap<G, Vec<String>> = HashMap::new();
    for k in keys {
        let (g, parent) = by(k);
        groups.entry(g).or_default().push(parent);
    }
    for parents in groups.values_mut() {
        parents.sort_unstable();
        parents.dedup();
    }
    groups
}

impl BatchLoader {
    /// Runs a batched read of `table` for `parents` and groups its rows by parent key.
    async fn rows_by_parent(
        &self,
        table: usize,
        columns: &[usize],
        parents: &[String],
        sql: sql::Sql,
    ) -> LoadResult<HashMap<String, Vec<RowRef>>> {
        let decl = self.model.tables[table].table;
        let rows = self.db.fetch(sql).await?;
        self.rows.take(rows.len())?;
        Ok(crate::db::group_by_parent(rows, parents, |r| Ok(Arc::new(Row::from_db(table, decl, columns, &r)?)))?)
    }
}

impl Loader<ManyKey> for BatchLoader {
    type Value = Arc<Vec<RowRef>>;
    type Error = Arc<QuiverError>;

    async fn load(&self, keys: &[ManyKey]) -> LoadResult<HashMap<ManyKey, Self::Value>> {
        let groups = group(keys, |k| ((k.rel, k.query.clone()), k.parent.clone()));
        let results = try_join_all(groups.iter().map(|((rel, query), parents)| async move {
            let (table, scope) = Scope::of_relation(&self.model, *rel, parents);
            let sql = sql::select_rows(self.model.app, self.model.tables[table].table, query, scope, &self.who);
            let rows = self.rows_by_parent(table, &query.columns, parents, sql).await?;
            Ok::<_, Arc<QuiverError>>(((*rel, query.clone()), rows))
        }))
        .await?;
        let results: HashMap<_, _> = results.into_iter().collect();
        Ok(keys
            .iter()
            .map(|k| {
                let rows = results[&(k.rel, k.query.clone())].get(&k.parent).cloned().unwrap_or_default();
                (k.clone(), Arc::new(rows))
            })
            .collect())
    }
}

impl Loader<OneKey> for BatchLoader {
    type Value = RowRef;
    type Error = Arc<QuiverError>;

    async fn load(&self, keys: &[OneKey]) -> LoadResult<HashMap<OneKey, RowRef>> {
        let groups = group(keys, |k| ((k.table, k.columns.clone()), k.key.clone()));
        let mut out = HashMap::new();
        for ((table, columns), ids) in groups {
            let sql = sql::select_by_keys(self.model.app, self.model.tables[table].table, &columns, &ids, &self.who);
            for (key, mut rows) in self.rows_by_parent(table, &columns, &ids, sql).await? {
                if let Some(row) = rows.pop() {
                    out.insert(OneKey { table, columns: columns.clone(), key }, row);
                }
            }
        }
        Ok(out)
    }
}

impl Loader<CountKey> for BatchLoader {
    type Value = i64;
    type Error = Arc<QuiverError>;

    async fn load(&self, keys: &[CountKey]) -> LoadResult<HashMap<CountKey, i64>> {
        let groups = group(keys, |k| ((k.rel, k.query.clone()), k.parent.clone()));
        let mut counts: HashMap<(RelId, Shared<ListQuery>, String), i64> = HashMap::new();
        for ((rel, query), parents) in groups {
            let (table, scope) = Scope::of_relation(&self.model, rel, &parents);
            let sql = sql::count_rows(self.model.app, self.model.tables[table].table, &query.counted(), scope, &self.who);
            let rows = self.db.fetch(sql).await?;
            for (parent, n) in crate::db::group_by_parent(rows, &parents, |r| r.int(1))? {
                counts.insert((rel, query.clone(), parent), n.into_iter().flatten().sum());
            }
        }
        Ok(keys
            .iter()
            .map(|k| {
                let n = counts.get(&(k.rel, k.query.clone(), k.parent.clone())).copied().unwrap_or(0);
                (k.clone(), n)
            })
            .collect())
    }
}
