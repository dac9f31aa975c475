//! Query cost: an upper bound on the objects (rows) an operation can return,
//! computed from the parsed document and its variables before anything runs.
//!
//! Every selected field that has a selection set is an object. A connection
//! (a field whose selection reaches `nodes` or `edges`) returns up to its
//! page size of them: its `first` or `last` argument, or the default page
//! size. Page sizes multiply through nesting, so
//! `workbenches(first: 1000) { nodes { projects(first: 1000) { nodes { id } } } }`
//! costs 1,000 + 1,000 × 1,000 objects, as GitHub's API bounds the nodes of a
//! query. Aliases, fragments and batches add up; a request whose cost
//! exceeds the configured limit is refused with `QUERY_TOO_COMPLEX` and the
//! cost in `extensions`, before any SQL.
//!
//! The cost of a selection is linear in how many times it is reached, so each
//! fragment is summarised once (and a fragment cycle, which validation would
//! reject anyway, counts nothing): the analysis is linear in the document.

use std::collections::HashMap;

use async_graphql::parser::types::{ExecutableDocument, Field, OperationDefinition, Selection, SelectionSet};
use async_graphql::{Name, ServerError, Value, Variables};

use crate::error::code;

/// What the selection of one field contributes, per occurrence of its parent.
#[derive(Debug, Clone, Copy, Default)]
struct Summary {
    /// Whether the selection reaches `nodes` or `edges` (it is a connection's).
    has_rows: bool,
    /// How many `nodes` / `edges` fields it selects.
    row_fields: u64,
    /// The cost below those fields, per row.
    per_row: u64,
    /// The cost of everything else, once per parent.
    other: u64,
}

impl Summary {
    fn add(&mut self, o: Summary) {
        self.has_rows |= o.has_rows;
        self.row_fields = self.row_fields.saturating_add(o.row_fields);
        self.per_row = self.per_row.saturating_add(o.per_row);
        self.other = self.other.saturating_add(o.other);
    }

    /// The cost of this selection read as an ordinary object's.
    fn as_object(self) -> u64 {
        self.other.saturating_add(self.row_fields).saturating_add(self.per_row)
    }
}

struct Analysis<'a> {
    doc: &'a ExecutableDocument,
    operation: &'a OperationDefinition,
    variables: &'a Variables,
    default_page: u64,
    fragments: HashMap<&'a Name, Summary>,
    visiting: Vec<&'a Name>,
}

impl<'a> Analysis<'a> {
    fn selection(&mut self, set: &'a SelectionSet) -> Summary {
        let mut total = Summary::default();
        for item in &set.items {
            match &item.node {
                Selection::Field(f) => total.add(self.field(&f.node)),
                Selection::InlineFragment(i) => total.add(self.selection(&i.node.selection_set.node)),
                Selection::FragmentSpread(s) => total.add(self.fragment(&s.node.fragment_name.node)),
            }
        }
        total
    }

    fn fragment(&mut self, name: &'a Name) -> Summary {
        if let Some(s) = self.fragments.get(name) {
            return *s;
        }
        let Some(fragment) = self.doc.fragments.get(name) else {
            return Summary::default();
        };
        if self.visiting.contains(&name) {
            return Summary::default();
        }
        self.visiting.push(name);
        let s = self.selection(&fragment.node.selection_set.node);
        self.visiting.pop();
        self.fragments.insert(name, s);
        s
    }

    fn field(&mut self, field: &'a Field) -> Summary {
        let children = &field.selection_set.node;
        if children.items.is_empty() {
            return Summary::default();
        }
        let inner = self.selection(children);
        let name = field.name.node.as_str();
        if name == "nodes" || name == "edges" {
            return Summary { has_rows: true, row_fields: 1, per_row: inner.as_object(), other: 0 };
        }
        let cost = if inner.has_rows {
            let page = self.page_size(field);
            page.saturating_mul(inner.row_fields.saturating_add(inner.per_row)).saturating_add(inner.other)
        } else {
            inner.as_object().saturating_add(1)
        };
        Summary { other: cost, ..Summary::default() }
    }

    /// `first` or `last` (the larger if both), else the default page size.
    fn page_size(&self, field: &Field) -> u64 {
        let mut size = None;
        for (name, value) in &field.arguments {
            if matches!(name.node.as_str(), "first" | "last") {
                if let Some(n) = self.number(&value.node) {
                    size = Some(size.map_or(n, |s: u64| s.max(n)));
                }
            }
        }
        size.unwrap_or(self.default_page)
    }

    fn number(&self, v: &async_graphql_value::Value) -> Option<u64> {
        let n = match v {
            async_graphql_value::Value::Variable(name) => {
                let value = self.variables.get(name).cloned().or_else(|| {
                    let def = self.operation.variable_definitions.iter().find(|d| d.node.name.node == *name)?;
                    def.node.default_value.as_ref().map(|d| d.node.clone())
                })?;
                match value {
                    Value::Number(n) => n,
                    _ => return None,
                }
            }
            async_graphql_value::Value::Number(n) => n.clone(),
            _ => return None,
        };
        n.as_u64().or_else(|| n.as_i64().map(|_| 0)).or_else(|| n.as_f64().map(|f| f.max(0.0) as u64))
    }
}

/// The estimated objects of the operation `operation_name` selects in `doc`
/// (of every operation, the largest, when the choice is ambiguous).
pub fn estimate(doc: &ExecutableDocument, operation_name: Option<&str>, variables: &Variables, default_page: u64) -> u64 {
    let mut worst = 0u64;
    for (name, op) in doc.operations.iter() {
        if let Some(wanted) = operation_name {
            if name.map(|n| n.as_str()) != Some(wanted) {
                continue;
            }
        }
        let mut a = Analysis { doc, operation: &op.node, variables, default_page, fragments: HashMap::new(), visiting: Vec::new() };
        worst = worst.max(a.selection(&op.node.selection_set.node).as_object());
    }
    worst
}

/// The rows one request may still read: a hard cap behind the estimate,
/// counted on every statement the resolvers and the direct path run.
#[derive(Debug)]
pub struct RowBudget {
    left: std::sync::atomic::AtomicI64,
    limit: u64,
}

impl RowBudget {
    /// A budget of `limit` rows.
    pub fn new(limit: u64) -> RowBudget {
        RowBudget { left: std::sync::atomic::AtomicI64::new(i64::try_from(limit).unwrap_or(i64::MAX)), limit }
    }

    /// Takes `rows` from the budget: `LIMIT_EXCEEDED` once it is spent.
    pub fn take(&self, rows: usize) -> Result<(), crate::error::QuiverError> {
        let rows = i64::try_from(rows).unwrap_or(i64::MAX);
        if self.left.fetch_sub(rows, std::sync::atomic::Ordering::Relaxed) - rows < 0 {
            return Err(crate::error::QuiverError::LimitExceeded(format!("the request read more than {} rows", self.limit)));
        }
        Ok(())
    }
}

/// Put in a request's data when its cost is over the limit: the request is
/// refused with this error once it validated.
#[derive(Debug, Clone)]
pub struct OverLimit(pub ServerError);

/// The error of a request whose estimated cost exceeds `limit`: code
/// `QUERY_TOO_COMPLEX`, with `cost` and `limit` in `extensions`.
pub fn too_complex(cost: u64, limit: u64, what: &str) -> ServerError {
    let mut e = ServerError::new(
        format!("{what} may return up to {cost} objects, more than the limit of {limit}; ask for smaller pages (first/last) or fewer nested connections"),
        None,
    );
    let ext = e.extensions.get_or_insert_with(Default::default);
    ext.set("code", code::QUERY_TOO_COMPLEX);
    ext.set("cost", cost);
    ext.set("limit", limit);
    e
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cost(q: &str, vars: serde_json::Value) -> u64 {
        let doc = async_graphql::parser::parse_query(q).unwrap();
        estimate(&doc, None, &Variables::from_json(vars), 100)
    }

    #[test]
    fn page_sizes_multiply_through_nested_connections() {
        assert_eq!(cost("{ projects(first: 10) { nodes { id name } } }", serde_json::json!({})), 10);
        assert_eq!(cost("{ projects { nodes { id } } }", serde_json::json!({})), 100);
        // 10 projects, each with one workbench (to-one) and 5 assets.
        assert_eq!(
            cost("{ projects(first: 10) { nodes { workbench { id } assets(first: 5) { nodes { id } } } } }", serde_json::json!({})),
            10 + 10 + 50
        );
        let deep = "{ workbenches(first: 1000) { nodes { projects(first: 1000) { nodes { workbench { projects(first: 1000) { nodes { id } } } } } } } }";
        assert!(cost(deep, serde_json::json!({})) > 1_000_000_000);
    }

    #[test]
    fn variables_defaults_aliases_and_fragments_count() {
        let q = "query Q($n: Int = 7) { a: projects(first: $n) { ...P } b: projects(last: $n) { nodes { id } } }
                 fragment P on ProjectConnection { totalCount nodes { id } pageInfo { hasNextPage } }";
        assert_eq!(cost(q, serde_json::json!({})), 7 + 1 + 7);
        assert_eq!(cost(q, serde_json::json!({ "n": 20 })), 20 + 1 + 20);
        // edges count the edge and its node.
        assert_eq!(cost("{ projects(first: 3) { edges { cursor node { id } } } }", serde_json::json!({})), 3 * 2);
    }

    #[test]
    fn fragment_cycles_and_fan_out_stay_linear() {
        assert_eq!(cost("{ ...A } fragment A on QueryRoot { ...A }", serde_json::json!({})), 0);
        // 40 fragments each spreading the next twice: 2^40 expansions if not summarised once.
        let mut q = String::from("{ ...F0 }");
        for i in 0..40 {
            q.push_str(&format!(" fragment F{i} on QueryRoot {{ a: projects(first: 1) {{ nodes {{ id }} }} ...F{n} ...F{n} }}", n = i + 1));
        }
        q.push_str(" fragment F40 on QueryRoot { __typename }");
        assert!(cost(&q, serde_json::json!({})) > 1_000_000_000);
    }
}
