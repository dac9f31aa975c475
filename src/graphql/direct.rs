//! Direct execution of read-only queries.
//!
//! A query that only reads tables — root lookups and lists, columns, relation
//! fields in both directions, connections (`nodes`, `edges`, `pageInfo`,
//! `totalCount`) and `__typename`, with fragments and `@skip`/`@include` — is
//! compiled, once async-graphql has parsed and validated it, into a [`Plan`]:
//! a tree of fetches, one per relation level and argument set. The plan runs
//! the same batched statements the resolvers would (one per level, identical
//! ones shared) and writes the response JSON straight from the binary rows,
//! without per-field resolution or an intermediate value tree. On large
//! responses that per-field work is most of a request's cost.
//!
//! Anything else — mutations, subscriptions, introspection, other directives —
//! and any error while planning or running (bad arguments, a failed
//! statement, a non-null relation pointing at a row the caller may not see)
//! goes through the ordinary executor, which then reports it with its path.
//! The direct path only ever answers what the ordinary one would answer
//! without errors.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use async_graphql::extensions::{Extension, ExtensionContext, ExtensionFactory, NextExecute, NextValidation};
use async_graphql::parser::types::{Directive, ExecutableDocument, Field, OperationDefinition, OperationType, Selection, SelectionSet};
use async_graphql::{Name, Positioned, Response, Value, Variables};
use futures_util::future::try_join_all;

use super::inputs::{cursor_of, input_text, parse_list, Args};
use super::AppContext;
use crate::auth::Principal;
use crate::catalog::model::{RelId, Relation, TableModel};
use crate::catalog::names;
use crate::catalog::ColumnType;
use crate::db::row::write_json_string;
use crate::db::{Datum, DbRow};
use crate::error::QuiverError;
use crate::sql::{self, Counted, ListQuery, Scope, FIRST_COLUMN};

/// Why a query is not answered directly: it goes to the ordinary executor.
#[derive(Debug)]
enum Declined {
    /// Not a shape the direct path answers (or bad input the executor reports).
    Shape(&'static str),
    /// An error the executor will report with its path.
    Error(QuiverError),
}

impl From<QuiverError> for Declined {
    fn from(e: QuiverError) -> Self {
        Declined::Error(e)
    }
}

type Plain<T> = Result<T, Declined>;

/// What the root of each app's `QueryRoot` offers, by field name.
#[derive(Debug, Clone, Copy)]
pub enum RootKind {
    /// `<single>(key)`: one row of the table by key.
    ByKey(usize),
    /// `<plural>(...)`: a page of the table.
    List(usize),
}

/// The root field index of an app.
pub fn root_index(tables: &[TableModel]) -> HashMap<String, RootKind> {
    let mut index = HashMap::new();
    for (ti, tm) in tables.iter().enumerate() {
        index.insert(names::single(tm.table), RootKind::ByKey(ti));
        index.insert(names::plural(tm.table), RootKind::List(ti));
    }
    index
}

// ---------------------------------------------------------------------------
// The plan
// ---------------------------------------------------------------------------

/// One statement's worth of rows, loaded for the rows of a parent fetch.
#[derive(Debug)]
struct Fetch {
    /// The parent fetch and the position (among its fetched columns) of the
    /// column whose values are this fetch's parent keys.
    parent: Option<(usize, usize)>,
    source: Source,
    depth: usize,
}

#[derive(Debug, Clone)]
enum Source {
    /// A page of the whole table.
    Root { table: usize, query: Arc<ListQuery> },
    /// Rows by key: given keys (root lookups) or the parent's foreign keys.
    Keys { table: usize, columns: Arc<Vec<usize>>, keys: Vec<String> },
    /// Per-parent pages of a to-many or many-to-many relation.
    Many { rel: RelId, query: Arc<ListQuery> },
    /// `totalCount` of a root list.
    RootCount { table: usize, counted: Counted },
    /// `totalCount` per parent of a relation.
    ManyCount { rel: RelId, counted: Counted },
}

/// What makes two fetches one statement: the same source, whatever the parents.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Statement {
    Root(usize, Arc<ListQuery>),
    Keys(usize, Arc<Vec<usize>>),
    Many(RelId, Arc<ListQuery>),
    RootCount(usize, Counted),
    ManyCount(RelId, Counted),
}

impl Source {
    fn statement(&self) -> Statement {
        match self {
            Source::Root { table, query } => Statement::Root(*table, query.clone()),
            Source::Keys { table, columns, .. } => Statement::Keys(*table, columns.clone()),
            Source::Many { rel, query } => Statement::Many(*rel, query.clone()),
            Source::RootCount { table, counted } => Statement::RootCount(*table, counted.clone()),
            Source::ManyCount { rel, counted } => Statement::ManyCount(*rel, counted.clone()),
        }
    }
}

/// A compiled query: its root fields and the fetches they read.
#[derive(Debug)]
pub struct Plan {
    fields: Vec<(Name, RootField)>,
    fetches: Vec<Fetch>,
}

#[derive(Debug)]
enum RootField {
    Typename,
    One { fetch: usize, key: String, object: ObjectPlan },
    List { fetch: usize, count: Option<usize>, conn: ConnectionPlan },
}

/// The selection on a row: fields in response order.
#[derive(Debug)]
struct ObjectPlan {
    table: usize,
    fields: Vec<(Name, ObjectField)>,
}

#[derive(Debug)]
enum ObjectField {
    Typename,
    /// A column, at `pos` among the fetched columns.
    Column {
        column: usize,
        pos: usize,
    },
    /// The row the foreign key at `fk_pos` refers to.
    ToOne {
        fk_pos: usize,
        fetch: usize,
        nullable: bool,
        object: ObjectPlan,
    },
    /// A page of related rows, for the key at `key_pos`.
    Many {
        key_pos: usize,
        fetch: usize,
        count: Option<usize>,
        conn: ConnectionPlan,
    },
}

#[derive(Debug)]
struct ConnectionPlan {
    table: usize,
    query: Arc<ListQuery>,
    fields: Vec<(Name, ConnectionField)>,
}

#[derive(Debug)]
enum ConnectionField {
    Typename,
    Nodes(ObjectPlan),
    Edges(Vec<(Name, EdgeField)>),
    PageInfo(Vec<(Name, PageInfoField)>),
    TotalCount,
}

#[derive(Debug)]
enum EdgeField {
    Typename,
    Cursor,
    Node(ObjectPlan),
}

#[derive(Debug, Clone, Copy)]
enum PageInfoField {
    Typename,
    HasNext,
    HasPrevious,
    Start,
    End,
}

// ---------------------------------------------------------------------------
// Planning
// ---------------------------------------------------------------------------

/// Fields of one selection, merged by response key, in order.
type Collected<'d> = Vec<(&'d Name, Vec<&'d Field>)>;

/// A planned connection field: the fetch of its page, its plan, and whether
/// `totalCount` is asked (the caller adds the count fetch).
struct PlannedConnection {
    fetch: usize,
    plan: ConnectionPlan,
    counted: bool,
}

struct Planner<'a> {
    app: &'a AppContext,
    doc: &'a ExecutableDocument,
    operation: &'a OperationDefinition,
    variables: &'a Variables,
    fetches: Vec<Fetch>,
}

impl<'a> Planner<'a> {
    /// A variable's value: given, or its default (null for nullable ones).
    fn variable(&self, name: &Name) -> Option<Value> {
        let def = self.operation.variable_definitions.iter().find(|d| d.node.name.node == *name)?;
        self.variables.get(name).or_else(|| def.node.default_value()).cloned()
    }

    fn value(&self, v: &async_graphql_value::Value) -> Plain<Value> {
        v.clone().into_const_with(|name| self.variable(&name).ok_or(Declined::Shape("undefined variable")))
    }

    /// The field's arguments with variables substituted.
    fn args(&self, field: &Field) -> Plain<Args> {
        field.arguments.iter().map(|(n, v)| Ok((n.node.clone(), self.value(&v.node)?))).collect()
    }

    /// Whether `@skip` / `@include` leave a selection out; other directives decline.
    fn skipped(&self, directives: &[Positioned<Directive>]) -> Plain<bool> {
        for d in directives {
            let include = match d.node.name.node.as_str() {
                "skip" => false,
                "include" => true,
                _ => return Err(Declined::Shape("a directive other than @skip and @include")),
            };
            let condition = d.node.get_argument("if").ok_or(Declined::Shape("a directive without if"))?;
            match self.value(&condition.node)? {
                Value::Boolean(b) if b != include => return Ok(true),
                Value::Boolean(_) => {}
                _ => return Err(Declined::Shape("a directive condition that is not a boolean")),
            }
        }
        Ok(false)
    }

    /// GraphQL's field collection on an object type named `type_name`.
    fn collect(&self, sets: &[&'a SelectionSet], type_name: &str) -> Plain<Collected<'a>> {
        let mut out: Collected<'a> = Vec::new();
        for set in sets {
            self.collect_into(set, type_name, &mut out)?;
        }
        Ok(out)
    }

    fn collect_into(&self, set: &'a SelectionSet, type_name: &str, out: &mut Collected<'a>) -> Plain<()> {
        for item in &set.items {
            if self.skipped(item.node.directives())? {
                continue;
            }
            match &item.node {
                Selection::Field(f) => {
                    let key = &f.node.response_key().node;
                    match out.iter_mut().find(|(k, _)| *k == key) {
                        Some((_, fields)) => fields.push(&f.node),
                        None => out.push((key, vec![&f.node])),
                    }
                }
                Selection::FragmentSpread(spread) => {
                    let fragment = self.doc.fragments.get(&spread.node.fragment_name.node).ok_or(Declined::Shape("an unknown fragment"))?;
                    if fragment.node.type_condition.node.on.node != type_name {
                        return Err(Declined::Shape("a fragment on another type"));
                    }
                    self.collect_into(&fragment.node.selection_set.node, type_name, out)?;
                }
                Selection::InlineFragment(inline) => {
                    if inline.node.type_condition.as_ref().is_some_and(|c| c.node.on.node != type_name) {
                        return Err(Declined::Shape("a fragment on another type"));
                    }
                    self.collect_into(&inline.node.selection_set.node, type_name, out)?;
                }
            }
        }
        Ok(())
    }

    fn add(&mut self, parent: Option<(usize, usize)>, source: Source) -> usize {
        let depth = parent.map_or(0, |(p, _)| self.fetches[p].depth + 1);
        self.fetches.push(Fetch { parent, source, depth });
        self.fetches.len() - 1
    }

    fn plan(mut self) -> Plain<Plan> {
        let root_sets = [&self.operation.selection_set.node];
        let mut fields = Vec::new();
        for (key, group) in self.collect(&root_sets, "QueryRoot")? {
            let field = group[0];
            let name = field.name.node.as_str();
            if name == "__typename" {
                fields.push((key.clone(), RootField::Typename));
                continue;
            }
            let kind = *self.app.roots.get(name).ok_or(Declined::Shape("a root field that is no table's"))?;
            let sets: Vec<_> = group.iter().map(|f| &f.selection_set.node).collect();
            let args = self.args(field)?;
            let root = match kind {
                RootKind::ByKey(ti) => {
                    let tm = &self.app.model.tables[ti];
                    if tm.table.composite_key() {
                        return Err(Declined::Shape("a lookup by a key of several columns"));
                    }
                    let (ki, key_col) = tm.table.key_column();
                    let key = input_text(tm, ki, args.get(names::field(key_col).as_str()).ok_or(Declined::Shape("no key argument"))?)?;
                    let collected = self.collect(&sets, tm.table.type_name)?;
                    let columns = Arc::new(self.columns(ti, &[&collected]));
                    let fetch = self.add(None, Source::Keys { table: ti, columns: columns.clone(), keys: vec![key.clone()] });
                    let object = self.object(ti, fetch, &columns, collected)?;
                    RootField::One { fetch, key, object }
                }
                RootKind::List(ti) => {
                    let c = self.connection(ti, &sets, &args, None)?;
                    let count = c.counted.then(|| self.add(None, Source::RootCount { table: ti, counted: c.plan.query.counted() }));
                    RootField::List { fetch: c.fetch, count, conn: c.plan }
                }
            };
            fields.push((key.clone(), root));
        }
        Ok(Plan { fields, fetches: self.fetches })
    }

    /// The columns a row selection needs: the key, selected columns and the
    /// foreign keys of selected to-one fields, in column order.
    fn columns(&self, ti: usize, selections: &[&Collected<'a>]) -> Vec<usize> {
        let tm = &self.app.model.tables[ti];
        let mut columns = tm.table.key_columns();
        for collected in selections {
            for (_, group) in collected.iter() {
                let name = group[0].name.node.as_str();
                if let Some(&c) = tm.fields.get(name).or_else(|| tm.to_one_columns.get(name)) {
                    if !columns.contains(&c) {
                        columns.push(c);
                    }
                }
            }
        }
        columns.sort_unstable();
        columns
    }

    /// Plans a connection field over table `ti` (the root's, or a relation's
    /// when `relation` names it with its parent fetch and key position).
    fn connection(
        &mut self,
        ti: usize,
        sets: &[&'a SelectionSet],
        args: &Args,
        relation: Option<(RelId, usize, usize)>,
    ) -> Plain<PlannedConnection> {
        let tm = &self.app.model.tables[ti];
        let (conn_type, edge_type) = (names::connection(tm.table), names::edge(tm.table));
        let collected = self.collect(sets, &conn_type)?;
        // The row selections: `nodes { … }` and `edges { node { … } }`.
        let mut node_sets: Vec<(usize, Vec<&'a SelectionSet>)> = Vec::new();
        let mut edge_fields: Vec<(usize, Collected<'a>)> = Vec::new();
        for (i, (_, group)) in collected.iter().enumerate() {
            match group[0].name.node.as_str() {
                "nodes" => node_sets.push((i, group.iter().map(|f| &f.selection_set.node).collect())),
                "edges" => {
                    let edge_sets: Vec<_> = group.iter().map(|f| &f.selection_set.node).collect();
                    edge_fields.push((i, self.collect(&edge_sets, &edge_type)?));
                }
                _ => {}
            }
        }
        let mut row_selections: Vec<(usize, Option<usize>, Collected<'a>)> = Vec::new();
        for (i, sets) in &node_sets {
            row_selections.push((*i, None, self.collect(sets, tm.table.type_name)?));
        }
        for (i, fields) in &edge_fields {
            for (j, (_, group)) in fields.iter().enumerate() {
                if group[0].name.node.as_str() == "node" {
                    let sets: Vec<_> = group.iter().map(|f| &f.selection_set.node).collect();
                    row_selections.push((*i, Some(j), self.collect(&sets, tm.table.type_name)?));
                }
            }
        }
        let refs: Vec<&Collected<'a>> = row_selections.iter().map(|(_, _, c)| c).collect();
        let columns = self.columns(ti, &refs);
        let query = Arc::new(parse_list(&self.app.model, ti, args, columns, self.app.limits)?);
        let fetch = match relation {
            None => self.add(None, Source::Root { table: ti, query: query.clone() }),
            Some((rel, parent, key_pos)) => self.add(Some((parent, key_pos)), Source::Many { rel, query: query.clone() }),
        };
        let mut objects: HashMap<(usize, Option<usize>), ObjectPlan> = HashMap::new();
        for (i, j, c) in row_selections {
            objects.insert((i, j), self.object(ti, fetch, &query.columns, c)?);
        }
        let mut edges: HashMap<usize, Collected<'a>> = edge_fields.into_iter().collect();
        let mut fields = Vec::new();
        let mut counted = false;
        for (i, (key, group)) in collected.iter().enumerate() {
            let field = match group[0].name.node.as_str() {
                "__typename" => ConnectionField::Typename,
                "nodes" => ConnectionField::Nodes(objects.remove(&(i, None)).ok_or(Declined::Shape("unplanned nodes"))?),
                "totalCount" => {
                    counted = true;
                    ConnectionField::TotalCount
                }
                "pageInfo" => {
                    let sets: Vec<_> = group.iter().map(|f| &f.selection_set.node).collect();
                    let mut info = Vec::new();
                    for (k, g) in self.collect(&sets, "PageInfo")? {
                        info.push((
                            k.clone(),
                            match g[0].name.node.as_str() {
                                "__typename" => PageInfoField::Typename,
                                "hasNextPage" => PageInfoField::HasNext,
                                "hasPreviousPage" => PageInfoField::HasPrevious,
                                "startCursor" => PageInfoField::Start,
                                "endCursor" => PageInfoField::End,
                                _ => return Err(Declined::Shape("an unknown PageInfo field")),
                            },
                        ));
                    }
                    ConnectionField::PageInfo(info)
                }
                "edges" => {
                    let mut edge = Vec::new();
                    for (j, (k, g)) in edges.remove(&i).ok_or(Declined::Shape("unplanned edges"))?.into_iter().enumerate() {
                        edge.push((
                            k.clone(),
                            match g[0].name.node.as_str() {
                                "__typename" => EdgeField::Typename,
                                "cursor" => EdgeField::Cursor,
                                "node" => EdgeField::Node(objects.remove(&(i, Some(j))).ok_or(Declined::Shape("unplanned node"))?),
                                _ => return Err(Declined::Shape("an unknown edge field")),
                            },
                        ));
                    }
                    ConnectionField::Edges(edge)
                }
                _ => return Err(Declined::Shape("an unknown connection field")),
            };
            fields.push(((*key).clone(), field));
        }
        Ok(PlannedConnection { fetch, plan: ConnectionPlan { table: ti, query, fields }, counted })
    }

    /// Plans a row selection over the rows of `fetch`, which fetches `columns`.
    fn object(&mut self, ti: usize, fetch: usize, columns: &[usize], collected: Collected<'a>) -> Plain<ObjectPlan> {
        let model = self.app.model.clone();
        let tm = &model.tables[ti];
        let pos = |c: usize| columns.iter().position(|&x| x == c).ok_or(Declined::Shape("a column that was not fetched"));
        let mut fields = Vec::new();
        for (key, group) in collected {
            let field = group[0];
            let name = field.name.node.as_str();
            let planned = if name == "__typename" {
                ObjectField::Typename
            } else if let Some(&column) = tm.fields.get(name) {
                ObjectField::Column { column, pos: pos(column)? }
            } else {
                let ri = tm.relations.iter().position(|(n, _)| n == name).ok_or(Declined::Shape("an unknown field"))?;
                let sets: Vec<_> = group.iter().map(|f| &f.selection_set.node).collect();
                match tm.relations[ri].1 {
                    Relation::ToOne { fk, target } => {
                        let target_table = model.tables[target].table;
                        let collected = self.collect(&sets, target_table.type_name)?;
                        let target_columns = Arc::new(self.columns(target, &[&collected]));
                        let fk_column = tm.to_one_columns[fk.field];
                        let fk_pos = pos(fk_column)?;
                        let child = self
                            .add(Some((fetch, fk_pos)), Source::Keys { table: target, columns: target_columns.clone(), keys: Vec::new() });
                        let object = self.object(target, child, &target_columns, collected)?;
                        ObjectField::ToOne { fk_pos, fetch: child, nullable: tm.table.columns[fk_column].nullable, object }
                    }
                    Relation::ToMany { single: true, .. } => return Err(Declined::Shape("a one-to-one relation")),
                    Relation::ToMany { child: target, .. } | Relation::Linked { target, .. } => {
                        let key_pos = pos(tm.table.key_column().0)?;
                        let args = self.args(field)?;
                        let c = self.connection(target, &sets, &args, Some(((ti, ri), fetch, key_pos)))?;
                        let count = c.counted.then(|| {
                            self.add(Some((fetch, key_pos)), Source::ManyCount { rel: (ti, ri), counted: c.plan.query.counted() })
                        });
                        ObjectField::Many { key_pos, fetch: c.fetch, count, conn: c.plan }
                    }
                }
            };
            fields.push((key.clone(), planned));
        }
        Ok(ObjectPlan { table: ti, fields })
    }
}

/// Compiles `operation` of `doc` if it is a query the direct path answers.
fn compile(app: &AppContext, doc: &ExecutableDocument, operation: Option<&str>, variables: &Variables) -> Plain<Plan> {
    let op = match operation {
        Some(name) => doc.operations.iter().find(|(n, _)| n.is_some_and(|n| n.as_str() == name)).map(|(_, op)| op),
        None => {
            let mut ops = doc.operations.iter();
            match (ops.next(), ops.next()) {
                (Some((_, op)), None) => Some(op),
                _ => None,
            }
        }
    }
    .ok_or(Declined::Shape("no single operation"))?;
    if op.node.ty != OperationType::Query || !op.node.directives.is_empty() {
        return Err(Declined::Shape("not a plain query"));
    }
    Planner { app, doc, operation: &op.node, variables, fetches: Vec::new() }.plan()
}

// ---------------------------------------------------------------------------
// Running
// ---------------------------------------------------------------------------

/// What a fetch loaded, by parent key (`""` for root reads).
#[derive(Debug)]
enum Loaded {
    Rows(HashMap<String, Vec<DbRow>>),
    Counts(HashMap<String, i64>),
}

impl Loaded {
    fn rows(&self, parent: &str) -> &[DbRow] {
        match self {
            Loaded::Rows(m) => m.get(parent).map(Vec::as_slice).unwrap_or(&[]),
            Loaded::Counts(_) => &[],
        }
    }
    fn count(&self, parent: &str) -> i64 {
        match self {
            Loaded::Counts(m) => m.get(parent).copied().unwrap_or(0),
            Loaded::Rows(_) => 0,
        }
    }
}

async fn run_statement(
    app: &AppContext,
    who: &Principal,
    budget: &super::cost::RowBudget,
    statement: &Statement,
    parents: &[String],
) -> Result<Loaded, QuiverError> {
    let model = &app.model;
    let decl = |t: usize| model.tables[t].table;
    let (sql, counts) = match statement {
        Statement::Root(t, q) => (sql::select_rows(model.app, decl(*t), q, Scope::Root, who), false),
        Statement::Keys(t, columns) => (sql::select_by_keys(model.app, decl(*t), columns, parents, who), false),
        Statement::Many(rel, q) => {
            let (t, scope) = Scope::of_relation(model, *rel, parents);
            (sql::select_rows(model.app, decl(t), q, scope, who), false)
        }
        Statement::RootCount(t, c) => (sql::count_rows(model.app, decl(*t), c, Scope::Root, who), true),
        Statement::ManyCount(rel, c) => {
            let (t, scope) = Scope::of_relation(model, *rel, parents);
            (sql::count_rows(model.app, decl(t), c, scope, who), true)
        }
    };
    let rows = app.db.fetch(sql).await?;
    budget.take(rows.len())?;
    if counts {
        let counts = crate::db::group_by_parent(rows, parents, |r| r.int(1))?;
        return Ok(Loaded::Counts(counts.into_iter().map(|(parent, n)| (parent, n.into_iter().flatten().sum())).collect()));
    }
    Ok(Loaded::Rows(crate::db::group_by_parent(rows, parents, Ok)?))
}

impl Plan {
    /// Runs every fetch, level by level; the fetches of one level that share
    /// a statement run as one, and a level's statements run concurrently.
    async fn load(&self, app: &AppContext, who: &Principal, budget: &super::cost::RowBudget) -> Result<Vec<Arc<Loaded>>, QuiverError> {
        let mut loaded: Vec<Option<Arc<Loaded>>> = (0..self.fetches.len()).map(|_| None).collect();
        let deepest = self.fetches.iter().map(|f| f.depth).max().unwrap_or(0);
        for depth in 0..=deepest {
            let mut groups: Vec<(Statement, Vec<usize>, Vec<String>)> = Vec::new();
            for (i, fetch) in self.fetches.iter().enumerate().filter(|(_, f)| f.depth == depth) {
                let mut keys: Vec<String> = match (&fetch.source, fetch.parent) {
                    (Source::Keys { keys, .. }, None) => keys.clone(),
                    (_, None) => Vec::new(),
                    (_, Some((parent, pos))) => {
                        let parent = loaded[parent].as_ref().expect("parents load first");
                        let Loaded::Rows(rows) = parent.as_ref() else { continue };
                        let mut keys = Vec::new();
                        for r in rows.values().flatten() {
                            keys.extend(r.text(FIRST_COLUMN + pos)?);
                        }
                        keys
                    }
                };
                let statement = fetch.source.statement();
                match groups.iter_mut().find(|(s, _, _)| *s == statement) {
                    Some((_, members, all)) => {
                        members.push(i);
                        all.append(&mut keys);
                    }
                    None => groups.push((statement, vec![i], keys)),
                }
            }
            for (_, _, keys) in &mut groups {
                keys.sort_unstable();
                keys.dedup();
            }
            let batched = |s: &Statement| !matches!(s, Statement::Root(..) | Statement::RootCount(..));
            let results = try_join_all(groups.iter().map(|(statement, _, keys)| async move {
                if batched(statement) && keys.is_empty() {
                    // No parent rows: nothing to load, no statement.
                    return Ok(Loaded::Rows(HashMap::new()));
                }
                run_statement(app, who, budget, statement, keys).await
            }))
            .await?;
            for ((_, members, _), result) in groups.into_iter().zip(results) {
                let result = Arc::new(result);
                for m in members {
                    loaded[m] = Some(result.clone());
                }
            }
        }
        Ok(loaded.into_iter().map(|l| l.unwrap_or_else(|| Arc::new(Loaded::Rows(HashMap::new())))).collect())
    }

    /// Runs the plan and writes the response's `data` object.
    async fn run(&self, app: &AppContext, who: &Principal, budget: &super::cost::RowBudget) -> Plain<String> {
        let loaded = self.load(app, who, budget).await?;
        let writer = Writer { app, loaded: &loaded };
        let mut out = String::with_capacity(4096);
        out.push('{');
        for (i, (key, field)) in self.fields.iter().enumerate() {
            writer.key(&mut out, i, key);
            match field {
                RootField::Typename => out.push_str("\"QueryRoot\""),
                RootField::One { fetch, key, object } => match loaded[*fetch].rows(key).first() {
                    Some(row) => writer.object(&mut out, object, row)?,
                    None => out.push_str("null"),
                },
                RootField::List { fetch, count, conn } => {
                    let count = count.map(|c| loaded[c].count(""));
                    writer.connection(&mut out, conn, loaded[*fetch].rows(""), count)?;
                }
            }
        }
        out.push('}');
        Ok(out)
    }
}

struct Writer<'a> {
    app: &'a AppContext,
    loaded: &'a [Arc<Loaded>],
}

impl Writer<'_> {
    fn key(&self, out: &mut String, i: usize, key: &Name) {
        if i > 0 {
            out.push(',');
        }
        // Response keys are GraphQL names: nothing to escape.
        out.push('"');
        out.push_str(key);
        out.push_str("\":");
    }

    fn object(&self, out: &mut String, plan: &ObjectPlan, row: &DbRow) -> Plain<()> {
        let tm = &self.app.model.tables[plan.table];
        out.push('{');
        for (i, (key, field)) in plan.fields.iter().enumerate() {
            self.key(out, i, key);
            match field {
                ObjectField::Typename => write_json_string(out, tm.table.type_name),
                ObjectField::Column { column, pos } => write_column(out, tm, *column, row.datum(FIRST_COLUMN + pos)?),
                ObjectField::ToOne { fk_pos, fetch, nullable, object } => {
                    let target = match row.text(FIRST_COLUMN + fk_pos)? {
                        None => None,
                        Some(k) => self.loaded[*fetch].rows(&k).first(),
                    };
                    match target {
                        Some(r) => self.object(out, object, r)?,
                        None if *nullable => out.push_str("null"),
                        // A required row the caller may not see: the ordinary
                        // executor reports it (and nulls the right parent).
                        None => return Err(Declined::Shape("a required row the caller may not see")),
                    }
                }
                ObjectField::Many { key_pos, fetch, count, conn } => {
                    let key = row.text(FIRST_COLUMN + key_pos)?.unwrap_or_default();
                    let count = count.map(|c| self.loaded[c].count(&key));
                    self.connection(out, conn, self.loaded[*fetch].rows(&key), count)?;
                }
            }
        }
        out.push('}');
        Ok(())
    }

    /// Writes a connection from the rows fetched for it (`limit + 1` at most,
    /// in fetch order; reversed for `last`).
    fn connection(&self, out: &mut String, plan: &ConnectionPlan, rows: &[DbRow], count: Option<i64>) -> Plain<()> {
        let tm = &self.app.model.tables[plan.table];
        let q = &plan.query;
        let more = rows.len() > q.limit;
        let page = &rows[..rows.len().min(q.limit)];
        let (has_next, has_previous) = if q.backward { (q.before.is_some(), more) } else { (more, q.after.is_some()) };
        let in_order = || -> Box<dyn Iterator<Item = &DbRow>> {
            if q.backward {
                Box::new(page.iter().rev())
            } else {
                Box::new(page.iter())
            }
        };
        let cursor = |row: &DbRow| {
            cursor_of(tm, &q.order, |c| {
                let pos = q.columns.iter().position(|&x| x == c)?;
                row.text(FIRST_COLUMN + pos).ok().flatten()
            })
        };
        out.push('{');
        for (i, (key, field)) in plan.fields.iter().enumerate() {
            self.key(out, i, key);
            match field {
                ConnectionField::Typename => write_json_string(out, &names::connection(tm.table)),
                ConnectionField::TotalCount => out.push_str(&count.unwrap_or(0).to_string()),
                ConnectionField::Nodes(object) => {
                    out.push('[');
                    for (n, row) in in_order().enumerate() {
                        if n > 0 {
                            out.push(',');
                        }
                        self.object(out, object, row)?;
                    }
                    out.push(']');
                }
                ConnectionField::Edges(fields) => {
                    out.push('[');
                    for (n, row) in in_order().enumerate() {
                        if n > 0 {
                            out.push(',');
                        }
                        out.push('{');
                        for (j, (key, field)) in fields.iter().enumerate() {
                            self.key(out, j, key);
                            match field {
                                EdgeField::Typename => write_json_string(out, &names::edge(tm.table)),
                                EdgeField::Cursor => write_json_string(out, &cursor(row)),
                                EdgeField::Node(object) => self.object(out, object, row)?,
                            }
                        }
                        out.push('}');
                    }
                    out.push(']');
                }
                ConnectionField::PageInfo(fields) => {
                    out.push('{');
                    for (j, (key, field)) in fields.iter().enumerate() {
                        self.key(out, j, key);
                        let edge = match field {
                            PageInfoField::Start => Some(in_order().next()),
                            PageInfoField::End => Some(in_order().last()),
                            _ => None,
                        };
                        match (field, edge) {
                            (PageInfoField::Typename, _) => out.push_str("\"PageInfo\""),
                            (PageInfoField::HasNext, _) => out.push_str(if has_next { "true" } else { "false" }),
                            (PageInfoField::HasPrevious, _) => out.push_str(if has_previous { "true" } else { "false" }),
                            (_, Some(Some(row))) => write_json_string(out, &cursor(row)),
                            (_, _) => out.push_str("null"),
                        }
                    }
                    out.push('}');
                }
            }
        }
        out.push('}');
        Ok(())
    }
}

/// Writes a column's value as the schema types it.
fn write_column(out: &mut String, tm: &TableModel, column: usize, datum: Datum) {
    match (tm.table.columns[column].ty, datum) {
        (ColumnType::Enum(_) | ColumnType::PgEnum(..), Datum::Text(db)) => match tm.enum_name(column, db) {
            // Enum value names are GraphQL names: nothing to escape.
            Some(name) => {
                out.push('"');
                out.push_str(name);
                out.push('"');
            }
            None => out.push_str("null"),
        },
        (ColumnType::BigInt | ColumnType::Decimal, d) => d.write_json(out, true),
        (_, d) => d.write_json(out, false),
    }
}

// ---------------------------------------------------------------------------
// Hooking into execution
// ---------------------------------------------------------------------------

/// A request's candidate for the direct path, put in its data by
/// [`super::AppSchema::execute_as`]; the extension runs it once validation passed.
pub struct DirectRead {
    doc: ExecutableDocument,
    operation: Option<String>,
    variables: Variables,
    app: Arc<AppContext>,
    who: Arc<Principal>,
    rows: Arc<super::cost::RowBudget>,
    answer: Arc<Mutex<Option<String>>>,
}

impl DirectRead {
    /// A candidate for a request whose document parsed as `doc`; `None` unless
    /// the chosen operation is a query. The answer, if the direct path gives
    /// one, lands in `answer`.
    pub fn new(
        doc: &ExecutableDocument,
        request: &async_graphql::Request,
        app: Arc<AppContext>,
        who: Arc<Principal>,
        rows: Arc<super::cost::RowBudget>,
        answer: Arc<Mutex<Option<String>>>,
    ) -> Option<DirectRead> {
        let queries_only = doc.operations.iter().all(|(_, op)| op.node.ty == OperationType::Query);
        queries_only.then(|| DirectRead {
            doc: doc.clone(),
            operation: request.operation_name.clone(),
            variables: request.variables.clone(),
            app,
            who,
            rows,
            answer,
        })
    }

    async fn run(&self) -> bool {
        let answered = match compile(&self.app, &self.doc, self.operation.as_deref(), &self.variables) {
            Ok(plan) => plan.run(&self.app, &self.who, &self.rows).await,
            Err(declined) => Err(declined),
        };
        match answered {
            Ok(data) => {
                *self.answer.lock().expect("answer lock") = Some(data);
                self.app.db.stats.direct_reads.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                true
            }
            Err(Declined::Shape(why)) => {
                tracing::debug!(why, "direct read declined");
                false
            }
            Err(Declined::Error(error)) => {
                tracing::debug!(%error, "direct read failed; the executor reports it");
                false
            }
        }
    }
}

/// The extension that answers validated read-only queries directly (see the
/// module documentation); every other request passes through untouched.
pub struct DirectReads;

impl ExtensionFactory for DirectReads {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(DirectReadsExtension)
    }
}

struct DirectReadsExtension;

#[async_graphql::async_trait::async_trait]
impl Extension for DirectReadsExtension {
    /// A request over the cost limit ([`super::cost`]) is refused once it
    /// validated, so validation errors (depth included) come first.
    async fn validation(
        &self,
        ctx: &ExtensionContext<'_>,
        next: NextValidation<'_>,
    ) -> Result<async_graphql::ValidationResult, Vec<async_graphql::ServerError>> {
        let result = next.run(ctx).await?;
        match ctx.data_opt::<super::cost::OverLimit>() {
            Some(over) => Err(vec![over.0.clone()]),
            None => Ok(result),
        }
    }

    async fn execute(&self, ctx: &ExtensionContext<'_>, operation_name: Option<&str>, next: NextExecute<'_>) -> Response {
        if let Some(started) = ctx.data_opt::<super::ExecutionStarted>() {
            started.0.store(true, std::sync::atomic::Ordering::Relaxed);
        }
        if let Some(job) = ctx.data_opt::<DirectRead>() {
            if job.run().await {
                // The data is in the job's answer; this response is discarded.
                return Response::new(Value::Null);
            }
        }
        next.run(ctx, operation_name).await
    }
}
