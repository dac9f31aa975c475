//! Output types per table: the row object (columns and relation fields), its
//! connection and edge, and the values behind them.

use std::sync::Arc;

use async_graphql::dynamic::{Field, FieldFuture, FieldValue, InputValue, Object, ResolverContext, TypeRef};
use async_graphql::{SelectionField, Value};

use super::inputs::{encode_cursor, parse_list};
use super::loader::{CountKey, ManyKey, OneKey};
use super::plan::{place, PlanCache};
use super::scalars::{column_type_ref, PageInfo};
use super::AppContext;
use crate::catalog::model::{Relation, TableModel};
use crate::catalog::names;
use crate::db::value::{output_value, RowRef};
use crate::error::QuiverError;
use crate::sql::{Counted, ListQuery, OrderKey};

/// How a connection's `totalCount` is computed, when asked.
#[derive(Debug, Clone)]
pub enum CountSource {
    /// All rows of the table a count covers.
    Root(Counted),
    /// A to-many relation of one parent.
    Relation(CountKey),
}

/// The value behind a `<Type>Connection`.
pub struct ConnectionValue {
    /// Table index.
    pub table: usize,
    /// The page's rows, in display order.
    pub rows: Vec<RowRef>,
    /// The ordering, for cursors.
    pub order: Arc<Vec<OrderKey>>,
    /// More rows after the page.
    pub has_next: bool,
    /// Rows before the page.
    pub has_previous: bool,
    /// How to count all matching rows.
    pub count: CountSource,
}

impl ConnectionValue {
    /// Builds the connection from fetched rows (`limit + 1` at most, in fetch order).
    pub fn from_rows(table: usize, query: &ListQuery, mut rows: Vec<RowRef>, count: CountSource) -> Self {
        let more = rows.len() > query.limit;
        rows.truncate(query.limit);
        if query.backward {
            rows.reverse();
        }
        let (has_next, has_previous) = if query.backward { (query.before.is_some(), more) } else { (more, query.after.is_some()) };
        ConnectionValue { table, rows, order: Arc::new(query.order.clone()), has_next, has_previous, count }
    }
}

/// The value behind a `<Type>Edge`.
struct EdgeValue {
    row: RowRef,
    order: Arc<Vec<OrderKey>>,
}

/// The column indexes a selection asks for: its columns, the foreign keys
/// behind its to-one fields, and always the key (for nested relations and cursors).
pub fn selected_columns<'a>(tm: &TableModel, selections: impl Iterator<Item = SelectionField<'a>>) -> Vec<usize> {
    let mut columns = tm.table.key_columns();
    for s in selections {
        for f in s.selection_set() {
            let column = tm.fields.get(f.name()).or_else(|| tm.to_one_columns.get(f.name()));
            if let Some(&c) = column {
                if !columns.contains(&c) {
                    columns.push(c);
                }
            }
        }
    }
    columns.sort_unstable();
    columns
}

/// The node selections of a connection field (`nodes { … }` and `edges { node { … } }`).
pub fn node_selections(field: SelectionField<'_>) -> impl Iterator<Item = SelectionField<'_>> {
    let mut out = Vec::new();
    for f in field.selection_set() {
        match f.name() {
            "nodes" => out.push(f),
            "edges" => out.extend(f.selection_set().filter(|n| n.name() == "node")),
            _ => {}
        }
    }
    out.into_iter()
}

fn gql<T>(r: Result<T, QuiverError>) -> async_graphql::Result<T> {
    r.map_err(|e| e.extend())
}

fn parent_row<'a>(ctx: &'a ResolverContext) -> async_graphql::Result<&'a RowRef> {
    ctx.parent_value.try_downcast_ref::<RowRef>()
}

/// The arguments every list field takes: Relay pagination (`first`/`after`,
/// `last`/`before`; page sizes are capped), a filter, and sort keys (the key
/// column always breaks ties); `includeDeleted` where the table hides
/// soft-deleted rows ([`crate::catalog::App::hides_deleted`]).
pub fn list_arguments(field: Field, app: &crate::catalog::App, table: &crate::catalog::Table) -> Field {
    let field = if app.hides_deleted(table) {
        field.argument(
            InputValue::new("includeDeleted", TypeRef::named_nn(TypeRef::BOOLEAN))
                .default_value(Value::Boolean(false))
                .description("Also list soft-deleted rows (and rows under a soft-deleted parent), where you may see them."),
        )
    } else {
        field
    };
    field
        .argument(InputValue::new("first", TypeRef::named(TypeRef::INT)))
        .argument(InputValue::new("after", TypeRef::named(TypeRef::STRING)))
        .argument(InputValue::new("last", TypeRef::named(TypeRef::INT)))
        .argument(InputValue::new("before", TypeRef::named(TypeRef::STRING)))
        .argument(InputValue::new("filter", TypeRef::named(names::filter(table))))
        .argument(InputValue::new("orderBy", TypeRef::named_nn_list(names::order_by(table))))
}

/// The object type of table `ti`, with its connection and edge types.
pub fn table_types(app: &Arc<AppContext>, ti: usize) -> Vec<Object> {
    let tm = &app.model.tables[ti];
    let table = tm.table;
    let mut object = Object::new(table.type_name).description(table.description);
    for (ci, column) in table.columns.iter().enumerate().filter(|(_, c)| c.readable()) {
        let ctx = app.clone();
        object = object.field(Field::new(names::field(column), column_type_ref(table, column, column.nullable), move |rc| {
            let tm = &ctx.model.tables[ti];
            // NULL is "no value": a custom scalar must not be handed Value::Null.
            FieldFuture::Value(rc.parent_value.downcast_ref::<RowRef>().and_then(|row| match output_value(tm, ci, &row.values[ci]) {
                Value::Null => None,
                v => Some(v.into()),
            }))
        }));
    }
    for (ri, (name, relation)) in tm.relations.iter().enumerate() {
        object = object.field(relation_field(app, ti, ri, name, *relation));
    }
    vec![object, connection_type(app, ti), edge_type(app, ti)]
}

fn relation_field(app: &Arc<AppContext>, ti: usize, ri: usize, name: &str, relation: Relation) -> Field {
    let ctx = app.clone();
    match relation {
        Relation::ToOne { fk, target } => {
            let target_table = app.model.tables[target].table;
            let fk_index = app.model.tables[ti].to_one_columns[fk.field];
            let nullable = app.model.tables[ti].table.column(fk.column).map(|(_, c)| c.nullable).unwrap_or(true);
            let ty = if nullable { TypeRef::named(target_table.type_name) } else { TypeRef::named_nn(target_table.type_name) };
            Field::new(name, ty, move |rc| {
                let ctx = ctx.clone();
                FieldFuture::new(async move {
                    let row = parent_row(&rc)?;
                    let Some(key) = row.text(fk_index) else { return Ok(None) };
                    let tm = &ctx.model.tables[target];
                    let plans = rc.data_unchecked::<PlanCache>();
                    let columns = plans.columns(place(rc.ctx, ti, ri), || selected_columns(tm, std::iter::once(rc.ctx.field())));
                    let loaded = rc
                        .data_unchecked::<super::loader::RequestLoader>()
                        .load_one(OneKey { table: target, columns, key })
                        .await
                        .map_err(|e| e.extend())?;
                    match loaded {
                        Some(row) => Ok(Some(FieldValue::owned_any(row))),
                        None if nullable => Ok(None),
                        // A required reference to a row the caller may not read: a
                        // clear refusal on this field (GraphQL nulls the nearest
                        // nullable parent), not an internal error. The key is already
                        // visible in the foreign-key column, so nothing more is told.
                        None => Err(QuiverError::Forbidden(format!(
                            "the {} this {} refers to is not readable with these credentials",
                            ctx.model.tables[target].table.type_name, ctx.model.tables[ti].table.type_name
                        ))
                        .extend()),
                    }
                })
            })
            .description(format!("The row `{}` refers to.", names::camel(fk.column)))
        }
        Relation::ToMany { child: target, fk, single: true } => {
            // One-to-one: the foreign key is unique, so at most one row refers here.
            let target_table = app.model.tables[target].table;
            Field::new(name, TypeRef::named(target_table.type_name), move |rc| {
                let ctx = ctx.clone();
                FieldFuture::new(async move {
                    let row = parent_row(&rc)?;
                    let key_index = ctx.model.tables[ti].table.key_column().0;
                    let parent = row.text(key_index).unwrap_or_default();
                    let query = rc
                        .data_unchecked::<PlanCache>()
                        .list(place(rc.ctx, ti, ri), || {
                            let columns = selected_columns(&ctx.model.tables[target], std::iter::once(rc.ctx.field()));
                            let mut query = parse_list(&ctx.model, target, rc.args.as_index_map(), columns, ctx.limits)?;
                            query.limit = 1;
                            Ok(query)
                        })
                        .map_err(|e| e.extend())?;
                    let rows = rc
                        .data_unchecked::<super::loader::RequestLoader>()
                        .load_one(ManyKey { rel: (ti, ri), query, parent })
                        .await
                        .map_err(|e| e.extend())?;
                    Ok(rows.and_then(|rows| rows.first().cloned()).map(FieldValue::owned_any))
                })
            })
            .description(format!(
                "The `{}` whose `{}` is this row (one at most).",
                target_table.type_name,
                names::camel(fk.column)
            ))
        }
        Relation::ToMany { child: target, .. } | Relation::Linked { target, .. } => {
            let target_table = app.model.tables[target].table;
            let field = Field::new(name, TypeRef::named_nn(names::connection(target_table)), move |rc| {
                let ctx = ctx.clone();
                FieldFuture::new(async move {
                    let row = parent_row(&rc)?;
                    let key_index = ctx.model.tables[ti].table.key_column().0;
                    let parent = row.text(key_index).unwrap_or_default();
                    let query = rc
                        .data_unchecked::<PlanCache>()
                        .list(place(rc.ctx, ti, ri), || {
                            let columns = selected_columns(&ctx.model.tables[target], node_selections(rc.ctx.field()));
                            parse_list(&ctx.model, target, rc.args.as_index_map(), columns, ctx.limits)
                        })
                        .map_err(|e| e.extend())?;
                    let rel = (ti, ri);
                    let rows = rc
                        .data_unchecked::<super::loader::RequestLoader>()
                        .load_one(ManyKey { rel, query: query.clone(), parent: parent.clone() })
                        .await
                        .map_err(|e| e.extend())?
                        .map(|rows| rows.as_ref().clone())
                        .unwrap_or_default();
                    let count = CountSource::Relation(CountKey { rel, query: query.clone(), parent });
                    Ok(Some(FieldValue::owned_any(ConnectionValue::from_rows(target, &query, rows, count))))
                })
            });
            list_arguments(field, app.model.app, target_table)
        }
    }
}

fn connection_type(app: &Arc<AppContext>, ti: usize) -> Object {
    let table = app.model.tables[ti].table;
    fn conn<'a>(rc: &ResolverContext<'a>) -> async_graphql::Result<&'a ConnectionValue> {
        rc.parent_value.try_downcast_ref::<ConnectionValue>()
    }
    let ctx = app.clone();
    Object::new(names::connection(table))
        .description(format!("A page of `{}` rows.", table.type_name))
        .field(Field::new("nodes", TypeRef::named_nn_list_nn(table.type_name), move |rc| {
            FieldFuture::Value(conn(&rc).ok().map(|c| FieldValue::list(c.rows.iter().map(|r| FieldValue::borrowed_any(r)))))
        }))
        .field(Field::new("edges", TypeRef::named_nn_list_nn(names::edge(table)), move |rc| {
            FieldFuture::Value(conn(&rc).ok().map(|c| {
                FieldValue::list(c.rows.iter().map(|r| FieldValue::owned_any(EdgeValue { row: r.clone(), order: c.order.clone() })))
            }))
        }))
        .field(Field::new("pageInfo", TypeRef::named_nn("PageInfo"), {
            let ctx = ctx.clone();
            move |rc| {
                let tm = &ctx.model.tables[ti];
                FieldFuture::Value(conn(&rc).ok().map(|c| {
                    let cursor = |r: Option<&RowRef>| r.map(|r| encode_cursor(tm, &c.order, r));
                    FieldValue::owned_any(PageInfo {
                        has_next: c.has_next,
                        has_previous: c.has_previous,
                        start: cursor(c.rows.first()),
                        end: cursor(c.rows.last()),
                    })
                }))
            }
        }))
        .field(
            Field::new("totalCount", TypeRef::named_nn(TypeRef::INT), move |rc| {
                let ctx = ctx.clone();
                FieldFuture::new(async move {
                    let c = conn(&rc)?;
                    let n = match &c.count {
                        CountSource::Root(counted) => {
                            let sql = crate::sql::count_rows(
                                ctx.model.app,
                                ctx.model.tables[c.table].table,
                                counted,
                                crate::sql::Scope::Root,
                                super::caller(rc.ctx),
                            );
                            let rows = gql(ctx.db.fetch(sql).await)?;
                            match rows.first() {
                                Some(r) => gql(r.int(1))?.unwrap_or(0),
                                None => 0,
                            }
                        }
                        CountSource::Relation(key) => rc
                            .data_unchecked::<super::loader::RequestLoader>()
                            .load_one(key.clone())
                            .await
                            .map_err(|e| e.extend())?
                            .unwrap_or(0),
                    };
                    Ok(Some(FieldValue::value(Value::from(n))))
                })
            })
            .description("All rows matching the filter, ignoring pagination (one extra query, only when asked)."),
        )
}

fn edge_type(app: &Arc<AppContext>, ti: usize) -> Object {
    let table = app.model.tables[ti].table;
    let ctx = app.clone();
    Object::new(names::edge(table))
        .field(Field::new("cursor", TypeRef::named_nn(TypeRef::STRING), move |rc| {
            let tm = &ctx.model.tables[ti];
            FieldFuture::Value(
                rc.parent_value.downcast_ref::<EdgeValue>().map(|e| Value::String(encode_cursor(tm, &e.order, &e.row)).into()),
            )
        }))
        .field(Field::new("node", TypeRef::named_nn(table.type_name), |rc| {
            FieldFuture::Value(rc.parent_value.downcast_ref::<EdgeValue>().map(|e| FieldValue::owned_any(e.row.clone())))
        }))
}
