//! Relation batching: every relation level of a query costs one SQL statement
//! (per distinct argument set), however many parent rows the level has.
//!
//! Each test reads the server's SQL statement counter (`/metrics`) before and
//! after one request, and also checks the request's data against the same
//! question asked of PostgreSQL, so a cheap but wrong answer cannot pass.
//!
//! The data set is the demo seed at 10 users × 2 workbenches × 6 projects ×
//! 12 assets × 6 versions: 20 workbenches, 120 projects, 1,440 assets and
//! 8,640 versions, enough that the page sizes below bite at every level.

use std::collections::HashMap;

use serde_json::{json, Value};

use crate::common::TestServer;

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

/// A JSON scalar as text (strings unquoted).
fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// A connection's nodes (`nodes`, or `edges[].node`).
fn nodes(connection: &Value) -> Vec<Value> {
    if let Some(n) = connection["nodes"].as_array() {
        return n.clone();
    }
    let edges = connection["edges"].as_array().unwrap_or_else(|| panic!("no nodes or edges in {connection:#}"));
    edges.iter().map(|e| e["node"].clone()).collect()
}

/// The ids of a connection's nodes.
fn ids(connection: &Value) -> Vec<String> {
    nodes(connection).iter().map(|n| text(&n["id"])).collect()
}

/// Waits until the server's statement counter has stood still for a while.
///
/// The counter also counts the realtime listener's background reads of the
/// change outbox (`src/realtime/feed.rs`): a catch-up after every write —
/// thousands of changes after seeding — and one read per 2 s health tick.
/// Measurements start once the catch-up after setup is over.
async fn settle(server: &TestServer) {
    let mut last = server.statements().await;
    for _ in 0..200 {
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        let now = server.statements().await;
        if now == last {
            return;
        }
        last = now;
    }
    panic!("the statement counter never settles");
}

/// Runs a query that must succeed and returns the SQL statements it cost, with
/// its data. The query runs three times and the least count is taken: the
/// listener's periodic outbox read may land inside one run and can only add
/// to a count, never hide one.
async fn counted(server: &TestServer, query: &str, variables: Value) -> (u64, Value) {
    let mut least = u64::MAX;
    let mut data = Value::Null;
    for _ in 0..3 {
        let before = server.statements().await;
        data = server.data(query, variables.clone()).await;
        let after = server.statements().await;
        least = least.min(after - before);
    }
    (least, data)
}

/// The first `limit` ids (by id) of `table` per value of `fk`, as SQL sees them.
async fn children(server: &TestServer, table: &str, fk: &str, limit: usize) -> HashMap<String, Vec<String>> {
    server
        .db
        .rows(&format!(
            "SELECT parent, json_agg(id ORDER BY rn) AS ids FROM (
               SELECT {fk}::text AS parent, id::text AS id, row_number() OVER (PARTITION BY {fk} ORDER BY id) AS rn
               FROM studio.{table}) s
             WHERE rn <= {limit} GROUP BY parent"
        ))
        .await
        .into_iter()
        .map(|r| (text(&r["parent"]), r["ids"].as_array().unwrap().iter().map(text).collect()))
        .collect()
}

/// The first `n` ids of a table, by id.
async fn first_ids(server: &TestServer, table: &str, n: usize) -> Vec<String> {
    server
        .db
        .rows(&format!("SELECT id::text AS key FROM studio.{table} ORDER BY id LIMIT {n}"))
        .await
        .iter()
        .map(|r| text(&r["key"]))
        .collect()
}

/// A server over the demo seed at the sizes described in the module docs.
async fn seeded() -> TestServer {
    let server = TestServer::start_with(&[crate::common::UNCAPPED_NODES]).await;
    server
        .db
        .seed_studio(&[
            ("users", 10),
            ("workbenches_per_user", 2),
            ("projects_per_workbench", 6),
            ("assets_per_project", 12),
            ("versions_per_asset", 6),
        ])
        .await;
    settle(&server).await;
    server
}

/// The four-level query: workbenches → projects → assets → versions, with
/// page sizes `$w`, `$p`, `$a`, `$v`, in the `nodes` or the `edges` shape.
fn four_levels(edges: bool) -> String {
    let conn = |inner: &str| {
        if edges {
            format!("edges {{ node {{ id {inner} }} }}")
        } else {
            format!("nodes {{ id {inner} }}")
        }
    };
    let versions = format!("versions(first: $v) {{ {} }}", conn(""));
    let assets = format!("assets(first: $a) {{ {} }}", conn(&versions));
    let projects = format!("projects(first: $p) {{ {} }}", conn(&assets));
    format!("query($w: Int, $p: Int, $a: Int, $v: Int) {{ workbenches(first: $w) {{ {} }} }}", conn(&projects))
}

/// Checks a four-level result against SQL: the root page, then every parent's
/// own page at each level.
async fn check_four_levels(server: &TestServer, data: &Value, (w, p, a, v): (usize, usize, usize, usize)) {
    let projects = children(server, "projects", "workbench_id", p).await;
    let assets = children(server, "assets", "project_id", a).await;
    let versions = children(server, "asset_versions", "asset_id", v).await;
    let wbs = nodes(&data["workbenches"]);
    assert_eq!(ids(&data["workbenches"]), first_ids(server, "workbenches", w).await);
    let (mut np, mut na, mut nv) = (0, 0, 0);
    for wb in &wbs {
        assert_eq!(ids(&wb["projects"]), projects[&text(&wb["id"])], "projects of workbench {}", wb["id"]);
        for project in nodes(&wb["projects"]) {
            np += 1;
            assert_eq!(ids(&project["assets"]), assets[&text(&project["id"])], "assets of project {}", project["id"]);
            for asset in nodes(&project["assets"]) {
                na += 1;
                assert_eq!(ids(&asset["versions"]), versions[&text(&asset["id"])], "versions of asset {}", asset["id"]);
                nv += nodes(&asset["versions"]).len();
            }
        }
    }
    // The seed's sizes (6 projects, 12 assets, 6 versions per parent) capped by the page sizes.
    let np_want = w * p.min(6);
    assert_eq!((np, na, nv), (np_want, np_want * a.min(12), np_want * a.min(12) * v.min(6)));
}

// ---------------------------------------------------------------------------
// One statement per level
// ---------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn four_levels_cost_four_statements() {
    let server = seeded().await;
    let sizes = json!({ "w": 20, "p": 10, "a": 10, "v": 5 });
    let (statements, data) = counted(&server, &four_levels(false), sizes.clone()).await;
    assert_eq!(statements, 4, "one statement per relation level");
    check_four_levels(&server, &data, (20, 10, 10, 5)).await;

    // The edges shape loads the same rows the same way.
    let (statements, edges) = counted(&server, &four_levels(true), sizes).await;
    assert_eq!(statements, 4, "edges {{ node }}: one statement per relation level");
    check_four_levels(&server, &edges, (20, 10, 10, 5)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn statement_count_does_not_grow_with_parents() {
    let server = seeded().await;
    let mut seen = Vec::new();
    for n in [1, 2, 5, 20] {
        let sizes = json!({ "w": n, "p": n, "a": n, "v": n });
        let (statements, data) = counted(&server, &four_levels(false), sizes).await;
        check_four_levels(&server, &data, (n, n, n, n)).await;
        seen.push((n, statements));
    }
    assert_eq!(seen, [(1, 4), (2, 4), (5, 4), (20, 4)], "(page size at every level, statements)");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn total_count_adds_one_statement_per_level() {
    let server = seeded().await;
    let q = |root: &str, projects: &str, assets: &str, versions: &str| {
        format!(
            "{{ workbenches(first: 20) {{ {root} nodes {{ id projects(first: 10) {{ {projects} nodes {{ id
                 assets(first: 10) {{ {assets} nodes {{ id versions(first: 5) {{ {versions} nodes {{ id }} }} }} }} }} }} }} }} }}"
        )
    };
    let cases = [
        (q("", "", "", ""), 4),
        (q("", "totalCount", "", ""), 5),
        (q("", "", "totalCount", ""), 5),
        (q("", "", "", "totalCount"), 5),
        (q("", "totalCount", "totalCount", ""), 6),
        (q("totalCount", "totalCount", "totalCount", "totalCount"), 8),
    ];
    for (query, want) in &cases {
        let (statements, data) = counted(&server, query, json!({})).await;
        assert_eq!(statements, *want, "{query}");
        // The counts are per parent and ignore the page.
        if !data["workbenches"]["totalCount"].is_null() {
            assert_eq!(data["workbenches"]["totalCount"], 20);
        }
        for wb in nodes(&data["workbenches"]) {
            for p in nodes(&wb["projects"]) {
                if !wb["projects"]["totalCount"].is_null() {
                    assert_eq!(wb["projects"]["totalCount"], 6);
                }
                if !p["assets"]["totalCount"].is_null() {
                    assert_eq!(p["assets"]["totalCount"], 12);
                }
                for a in nodes(&p["assets"]) {
                    if !a["versions"]["totalCount"].is_null() {
                        assert_eq!(a["versions"]["totalCount"], 6);
                    }
                }
            }
        }
    }
    // Counts under a per-parent filter, against SQL.
    let (statements, data) = counted(
        &server,
        "{ projects(first: 50) { nodes { id assets(first: 1, filter: {type: {eq: DERIVED}}) { totalCount } } } }",
        json!({}),
    )
    .await;
    assert_eq!(statements, 3, "list, nested page, nested count");
    let derived: HashMap<String, i64> = server
        .db
        .rows("SELECT project_id::text AS p, count(*) AS n FROM studio.assets WHERE type = 'Derived' GROUP BY project_id")
        .await
        .into_iter()
        .map(|r| (text(&r["p"]), r["n"].as_i64().unwrap()))
        .collect();
    for p in nodes(&data["projects"]) {
        assert_eq!(p["assets"]["totalCount"], derived[&text(&p["id"])]);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn to_one_fields_cost_one_statement_per_level() {
    let server = seeded().await;
    let cases = [
        ("{ assets(first: 200) { nodes { id } } }", 1),
        ("{ assets(first: 200) { nodes { id project { id name } } } }", 2),
        ("{ assets(first: 200) { nodes { id project { id name workbench { id name } } } } }", 3),
        ("{ assets(first: 200) { nodes { id project { id name workbench { id name user { id email } } } } } }", 4),
        // Two to-one fields of one level to different tables: one statement each, still per level.
        // (The asset owner asks for different columns than the workbench owner, so the
        // request's loader cache cannot answer the second from the first.)
        ("{ assets(first: 200) { nodes { id user { id email fullName } project { id name workbench { id name user { id email } } } } } }", 5),
    ];
    let expected: HashMap<String, Value> = server
        .db
        .rows(
            "SELECT a.id::text AS a, json_build_object('id', p.id, 'name', p.name, 'workbench',
                  json_build_object('id', w.id, 'name', w.name, 'user', json_build_object('id', u.id, 'email', u.email))) AS project,
                json_build_object('id', au.id, 'email', au.email, 'fullName', au.full_name) AS owner
         FROM studio.assets a JOIN studio.projects p ON p.id = a.project_id JOIN studio.workbenches w ON w.id = p.workbench_id
         JOIN studio.users u ON u.id = w.user_id JOIN studio.users au ON au.id = a.user_id",
        )
        .await
        .into_iter()
        .map(|r| (text(&r["a"]), r))
        .collect();
    let first_assets = first_ids(&server, "assets", 200).await;
    for (query, want) in cases {
        let (statements, data) = counted(&server, query, json!({})).await;
        assert_eq!(statements, want, "{query}");
        assert_eq!(ids(&data["assets"]), first_assets);
        if want == 4 || want == 5 {
            for a in nodes(&data["assets"]) {
                let e = &expected[&text(&a["id"])];
                assert_eq!(a["project"], e["project"], "asset {}", a["id"]);
                if want == 5 {
                    assert_eq!(a["user"], e["owner"]);
                }
            }
        }
    }
    // To-one fields below to-many levels: versions → asset → project → workbench.
    let q = "query($n: Int) { projects(first: $n) { nodes { id assets(first: $n) { nodes { versions(first: $n) { nodes {
               id asset { id project { id workbench { id } } } } } } } } } }";
    for n in [2, 20] {
        let (statements, data) = counted(&server, q, json!({ "n": n })).await;
        assert_eq!(statements, 6, "3 to-many levels + 3 to-one levels, {n} per page");
        for p in nodes(&data["projects"]) {
            for a in nodes(&p["assets"]) {
                for v in nodes(&a["versions"]) {
                    assert_eq!(v["asset"]["project"]["id"], p["id"]);
                    assert_eq!(v["asset"]["project"]["workbench"]["id"], expected[&text(&v["asset"]["id"])]["project"]["workbench"]["id"]);
                }
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn many_to_many_costs_one_statement_per_level() {
    let server = seeded().await;
    // Put every user into a second team too, so both directions have several rows per parent.
    server
        .db
        .exec(
            "INSERT INTO studio.team_members (team_id, user_id, role)
               SELECT t.id, u.id, 'Viewer' FROM studio.users u CROSS JOIN studio.teams t
               WHERE NOT EXISTS (SELECT 1 FROM studio.team_members m WHERE m.user_id = u.id AND m.team_id = t.id)",
        )
        .await;
    settle(&server).await;
    let teams_of = server
        .db
        .grouped("SELECT user_id::text AS k, json_agg(team_id::text ORDER BY team_id) AS ids FROM studio.team_members GROUP BY user_id")
        .await;
    let members_of = server
        .db
        .grouped("SELECT team_id::text AS k, json_agg(user_id::text ORDER BY user_id) AS ids FROM studio.team_members GROUP BY team_id")
        .await;
    assert!(teams_of.values().all(|t| t.len() == 2) && members_of.values().all(|m| m.len() == 10));

    // The innermost level asks for other columns than the second, so the request's
    // loader cache cannot answer it from the second level's rows.
    let q =
        "query($n: Int) { users(first: $n) { nodes { id teams { nodes { id members { nodes { id teams { nodes { id name } } } } } } } } }";
    for n in [2, 10] {
        let (statements, data) = counted(&server, q, json!({ "n": n })).await;
        assert_eq!(statements, 4, "users → teams → members → teams, {n} users");
        let users = nodes(&data["users"]);
        assert_eq!(users.len(), n);
        for u in &users {
            assert_eq!(ids(&u["teams"]), teams_of[&text(&u["id"])]);
            for t in nodes(&u["teams"]) {
                assert_eq!(ids(&t["members"]), members_of[&text(&t["id"])]);
                for m in nodes(&t["members"]) {
                    assert_eq!(ids(&m["teams"]), teams_of[&text(&m["id"])]);
                }
            }
        }
    }
    let (statements, data) =
        counted(&server, "{ users(first: 10) { nodes { teams { totalCount nodes { members { totalCount } } } } } }", json!({})).await;
    assert_eq!(statements, 5, "users, teams, teams' count, members, members' count");
    for u in nodes(&data["users"]) {
        assert_eq!(u["teams"]["totalCount"], 2);
        for t in nodes(&u["teams"]) {
            assert_eq!(t["members"]["totalCount"], 10);
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_statement_per_distinct_argument_set() {
    let server = seeded().await;
    let q = "query($n: Int) { workbenches(first: $n) { nodes { id projects(first: 10) { nodes { id
               a: assets(first: 1) { nodes { id } }
               b: assets(first: 2) { nodes { id } } } } } } }";
    let first1 = children(&server, "assets", "project_id", 1).await;
    let first2 = children(&server, "assets", "project_id", 2).await;
    let mut counts = Vec::new();
    for n in [5, 20] {
        let (statements, data) = counted(&server, q, json!({ "n": n })).await;
        counts.push(statements);
        let wbs = nodes(&data["workbenches"]);
        assert_eq!(wbs.len(), n);
        for wb in &wbs {
            for p in nodes(&wb["projects"]) {
                let id = text(&p["id"]);
                assert_eq!(ids(&p["a"]), first1[&id]);
                assert_eq!(ids(&p["b"]), first2[&id]);
            }
        }
    }
    assert_eq!(counts, [4, 4], "workbenches, projects, assets(first: 1), assets(first: 2) — at 5 and at 20 workbenches");

    // Different filters and orderings are different argument sets too.
    let q = "query($n: Int) { projects(first: $n) { nodes { id
               ai: assets(filter: {type: {eq: AI_GENERATED}}, first: 3) { nodes { id type } }
               up: assets(filter: {type: {eq: UPLOADED}}, first: 3) { nodes { id type } }
               byName: assets(orderBy: [{field: NAME, direction: DESC}], first: 3) { nodes { id name } } } } }";
    let mut counts = Vec::new();
    for n in [3, 60] {
        let (statements, data) = counted(&server, q, json!({ "n": n })).await;
        counts.push(statements);
        for p in nodes(&data["projects"]) {
            assert!(nodes(&p["ai"]).iter().all(|a| a["type"] == "AI_GENERATED") && nodes(&p["ai"]).len() == 3);
            assert!(nodes(&p["up"]).iter().all(|a| a["type"] == "UPLOADED") && nodes(&p["up"]).len() == 3);
            let names: Vec<String> = nodes(&p["byName"]).iter().map(|a| text(&a["name"])).collect();
            let mut sorted = names.clone();
            sorted.sort_by(|x, y| y.cmp(x));
            assert_eq!(names.len(), 3);
            assert_eq!(names, sorted);
        }
    }
    assert_eq!(counts, [4, 4], "projects + three argument sets, at 3 and at 60 projects");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn root_lookups_are_batched_too() {
    let server = seeded().await;
    let projects = first_ids(&server, "projects", 5).await;
    let q = "query($a: UUID!, $b: UUID!, $c: UUID!) {
               a: project(id: $a) { id name assets(first: 3) { nodes { id } } }
               b: project(id: $b) { id name assets(first: 3) { nodes { id } } }
               c: project(id: $c) { id name assets(first: 3) { nodes { id } } } }";
    let (statements, data) = counted(&server, q, json!({ "a": projects[0], "b": projects[2], "c": projects[4] })).await;
    assert_eq!(statements, 2, "one statement for the three lookups, one for their assets");
    let assets = children(&server, "assets", "project_id", 3).await;
    for (alias, id) in [("a", &projects[0]), ("b", &projects[2]), ("c", &projects[4])] {
        assert_eq!(&text(&data[alias]["id"]), id);
        assert_eq!(ids(&data[alias]["assets"]), assets[id]);
    }
}

/// Two aliases with the same arguments are the same argument set: they should
/// share one statement.
///
/// Regression guard: nested objects resolve their fields one after another in
/// async-graphql 7.2.1, so `c` is requested after `a`'s batch has loaded; the
/// per-request loader cache must answer it (2 statements, not 3).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn identical_argument_sets_share_one_statement() {
    let server = seeded().await;
    let q = "query($n: Int) { projects(first: $n) { nodes { id
               a: assets(first: 1) { nodes { id } }
               c: assets(first: 1) { nodes { id } } } } }";
    let first1 = children(&server, "assets", "project_id", 1).await;
    for n in [1, 20] {
        let (statements, data) = counted(&server, q, json!({ "n": n })).await;
        for p in nodes(&data["projects"]) {
            let id = text(&p["id"]);
            assert_eq!(ids(&p["a"]), first1[&id]);
            assert_eq!(ids(&p["c"]), first1[&id], "same arguments, same page");
        }
        assert_eq!(statements, 2, "identical aliases share one batch ({n} projects)");
    }
}
