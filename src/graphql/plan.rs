//! Per-request memo of what each selected field asks for.
//!
//! A relation field under a list resolves once per parent row, but its
//! arguments and sub-selection are the same every time: they belong to the
//! field's place in the document. The plan of each place (the parsed page
//! query, or the columns to fetch) is worked out once per request and shared
//! by pointer, so loader keys hash and compare in constant time. Plans with
//! equal contents are interned to one allocation, so two aliases asking for
//! the same page share one batch.

use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::ops::Deref;
use std::sync::{Arc, Mutex};

use crate::error::QuiverError;
use crate::sql::ListQuery;

/// A shared value compared and hashed by identity.
#[derive(Debug)]
pub struct Shared<T>(pub Arc<T>);

impl<T> Clone for Shared<T> {
    fn clone(&self) -> Self {
        Shared(self.0.clone())
    }
}

impl<T> PartialEq for Shared<T> {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl<T> Eq for Shared<T> {}

impl<T> Hash for Shared<T> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        (Arc::as_ptr(&self.0) as usize).hash(state);
    }
}

impl<T> Deref for Shared<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

/// Where a field sits: its node in the document and the relation or table it reads.
pub type Place = (usize, usize, usize);

/// The per-request memo (put in the request data).
#[derive(Default)]
pub struct PlanCache {
    lists: Mutex<HashMap<Place, Shared<ListQuery>>>,
    interned_lists: Mutex<HashSet<Arc<ListQuery>>>,
    columns: Mutex<HashMap<Place, Shared<Vec<usize>>>>,
    interned_columns: Mutex<HashSet<Arc<Vec<usize>>>>,
}

fn intern<T: Eq + Hash>(set: &Mutex<HashSet<Arc<T>>>, value: T) -> Arc<T> {
    let mut set = set.lock().expect("plan lock");
    if let Some(existing) = set.get(&value) {
        return existing.clone();
    }
    let arc = Arc::new(value);
    set.insert(arc.clone());
    arc
}

impl PlanCache {
    /// The page query of a place, parsed on first use.
    pub fn list(&self, place: Place, parse: impl FnOnce() -> Result<ListQuery, QuiverError>) -> Result<Shared<ListQuery>, QuiverError> {
        if let Some(q) = self.lists.lock().expect("plan lock").get(&place) {
            return Ok(q.clone());
        }
        let q = Shared(intern(&self.interned_lists, parse()?));
        self.lists.lock().expect("plan lock").insert(place, q.clone());
        Ok(q)
    }

    /// The columns a place fetches, worked out on first use.
    pub fn columns(&self, place: Place, select: impl FnOnce() -> Vec<usize>) -> Shared<Vec<usize>> {
        if let Some(c) = self.columns.lock().expect("plan lock").get(&place) {
            return c.clone();
        }
        let c = Shared(intern(&self.interned_columns, select()));
        self.columns.lock().expect("plan lock").insert(place, c.clone());
        c
    }
}

/// The place of the field being resolved.
pub fn place(ctx: &async_graphql::Context<'_>, a: usize, b: usize) -> Place {
    (ctx.item as *const _ as usize, a, b)
}
