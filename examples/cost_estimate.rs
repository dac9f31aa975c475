//! How long the query cost estimate ([`quiver::graphql::cost`]) takes, next
//! to parsing the same document: a typical nested query, a wide aliased one
//! and a fragment fan-out.
//!
//! `cargo run --release --example cost_estimate`

use std::time::Instant;

use async_graphql::Variables;

fn time(label: &str, query: &str, rounds: u32) {
    let doc = async_graphql::parser::parse_query(query).expect("parses");
    let vars = Variables::default();
    let started = Instant::now();
    for _ in 0..rounds {
        std::hint::black_box(async_graphql::parser::parse_query(std::hint::black_box(query)).unwrap());
    }
    let parse = started.elapsed() / rounds;
    let started = Instant::now();
    let mut cost = 0;
    for _ in 0..rounds {
        cost = std::hint::black_box(quiver::graphql::cost::estimate(std::hint::black_box(&doc), None, &vars, 100));
    }
    let estimate = started.elapsed() / rounds;
    println!("{label:<28} {:>7} bytes  parse {parse:>10.2?}  estimate {estimate:>10.2?}  cost {cost}", query.len());
}

fn main() {
    time(
        "README example (4 levels)",
        "query { workbenches(first: 2, orderBy: [{field: NAME}]) { totalCount nodes { name projects(first: 3, filter: {name: {ilike: \"%sale%\"}}) {
           pageInfo { hasNextPage endCursor } nodes { name assets(first: 5, orderBy: [{field: CREATED_AT, direction: DESC}]) {
           nodes { name type versions(first: 3) { nodes { versionNumber createdAt } } } } } } } } }",
        20_000,
    );
    let aliased: String = (0..500).map(|i| format!("a{i}: projects(first: 10) {{ nodes {{ id name workbench {{ name }} }} }} ")).collect();
    time("500 aliased connections", &format!("{{ {aliased} }}"), 500);
    let mut fanout = String::from("{ ...F0 }");
    for i in 0..60 {
        fanout
            .push_str(&format!(" fragment F{i} on QueryRoot {{ a: projects(first: 1) {{ nodes {{ id }} }} ...F{n} ...F{n} }}", n = i + 1));
    }
    fanout.push_str(" fragment F60 on QueryRoot { __typename }");
    time("fragment fan-out (2^60)", &fanout, 2_000);
}
