//! Every read path of the generated API, checked against PostgreSQL itself:
//!
//! - root lookups by key (found, unknown, key spelling) and the secrecy of
//!   write-only columns;
//! - root lists: page sizes, `totalCount`, `nodes` / `edges`, `pageInfo`;
//! - Relay pagination forwards and backwards (also across NULLs), and the
//!   pagination arguments that must be rejected;
//! - ordering on several columns, both directions, NULL placement;
//! - filters: every operator of every scalar type, enums, JSON, boolean
//!   combinations, filters through to-one relations and on nested connections;
//! - relations in all three shapes, each parent paginated on its own;
//! - how column values are encoded (enums, Decimal, BigInt, DateTime, JSON).
//!
//! Expectations come from small fixture rows inserted here (where exact values
//! matter) or from the same question asked of PostgreSQL in SQL (where the demo
//! seed gives volume).

use std::collections::HashMap;

use serde_json::{json, Value};

use crate::common::TestServer;

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

/// The `key` column (as text) of an SQL query's rows, in order. (Named `key`
/// so that `ORDER BY id` still means the table's column, not the text.)
async fn sql_ids(server: &TestServer, query: &str) -> Vec<String> {
    server.db.rows(query).await.iter().map(|r| text(&r["key"])).collect()
}

/// The single number `n` an SQL query returns.
async fn sql_count(server: &TestServer, query: &str) -> i64 {
    server.db.rows(query).await[0]["n"].as_i64().expect("an `n` column")
}

/// A JSON scalar as text (strings unquoted).
fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// The `id`s of a connection's `nodes`.
fn ids(connection: &Value) -> Vec<String> {
    nodes(connection).iter().map(|n| text(&n["id"])).collect()
}

/// A connection's `nodes`.
fn nodes(connection: &Value) -> &Vec<Value> {
    connection["nodes"].as_array().unwrap_or_else(|| panic!("no nodes in {connection:#}"))
}

/// One field of every node of a connection, as text.
fn field_of(connection: &Value, field: &str) -> Vec<String> {
    nodes(connection).iter().map(|n| text(&n[field])).collect()
}

/// Fixture UUIDs: kind (1 users, 2 teams, 3 workbenches, 4 projects,
/// 5 assets, 6 asset versions, 7 templates, 8 team members) and number.
/// Within a kind, UUID order is number order.
fn uid(kind: u32, n: u32) -> String {
    format!("00000000-0000-0000-{kind:04}-{n:012}")
}

/// The SQL expression of fixture UUID `kind` / `n_expr` (an SQL integer expression).
fn sql_uid(kind: u32, n_expr: &str) -> String {
    format!("('00000000-0000-0000-{kind:04}-' || lpad(({n_expr})::text, 12, '0'))::uuid")
}

/// A server over the demo data at its default sizes (10 users, 20 workbenches,
/// 60 projects, 300 assets, 900 versions).
async fn seeded() -> TestServer {
    let server = TestServer::start_with(&[crate::common::UNCAPPED_NODES]).await;
    server.db.seed_studio(&[]).await;
    server
}

/// A server over a small, exactly known data set:
///
/// - users U1 ada (Pro, google), U2 ben (Team), U3 cy (Free, no full name);
/// - teams T1 "Red" (members U1, U2) and T2 "Blue" (members U2, U3);
/// - workbenches W1 "Alpha" (U1; projects P1 Poster, P2 Reel, P3 Story) and
///   W2 "Beta" (U2; project P4 Empty);
/// - assets A(p*10+k) "Asset k", k = 1..5, for p = 1..3, typed by k:
///   1 AIGenerated, 2 Derived, 3 Uploaded, 4 AIGenerated, 5 Derived;
/// - versions V((p*10+k)*10+v), v = 1..2, for the assets of P1 and P2;
/// - usage logs 7 and 9007199254740993 (beyond 2^53).
async fn fixture() -> TestServer {
    let server = TestServer::start_with(&[crate::common::UNCAPPED_NODES]).await;
    let (u1, u2, u3) = (uid(1, 1), uid(1, 2), uid(1, 3));
    let (t1, t2) = (uid(2, 1), uid(2, 2));
    let (w1, w2) = (uid(3, 1), uid(3, 2));
    let p = |n| uid(4, n);
    let asset_id = sql_uid(5, "p * 10 + k");
    let project_id = sql_uid(4, "p");
    let version_id = sql_uid(6, "(p * 10 + k) * 10 + v");
    let version_asset = sql_uid(5, "p * 10 + k");
    server
        .db
        .exec(&format!(
            "INSERT INTO studio.users (id, email, password_hash, mfa_secret, email_verification_token, password_reset_token,
                                       full_name, social_provider, subscription_tier, credit_balance, created_at) VALUES
               ('{u1}', 'ada@example.com', 'hash-1', 'mfa-1', 'evt-1', 'prt-1', 'Ada Lovelace', 'google', 'Pro', 99999999.99,
                '2025-03-04 05:06:07.123456+00'),
               ('{u2}', 'ben@example.com', 'hash-2', NULL, NULL, NULL, 'Ben Ito', NULL, 'Team', 0.05, '2025-03-05 00:00:00+00'),
               ('{u3}', 'cy@example.com', NULL, NULL, NULL, NULL, NULL, NULL, 'Free', 0, '2025-03-06 00:00:00+00');
             INSERT INTO studio.teams (id, name, owner_id) VALUES ('{t1}', 'Red', '{u1}'), ('{t2}', 'Blue', '{u2}');
             INSERT INTO studio.team_members (id, team_id, user_id, role) VALUES
               ('{m1}', '{t1}', '{u1}', 'Owner'), ('{m2}', '{t1}', '{u2}', 'Editor'),
               ('{m3}', '{t2}', '{u2}', 'Owner'), ('{m4}', '{t2}', '{u3}', 'Viewer');
             INSERT INTO studio.workbenches (id, user_id, name) VALUES ('{w1}', '{u1}', 'Alpha'), ('{w2}', '{u2}', 'Beta');
             INSERT INTO studio.projects (id, workbench_id, user_id, name) VALUES
               ('{p1}', '{w1}', '{u1}', 'Poster'), ('{p2}', '{w1}', '{u1}', 'Reel'),
               ('{p3}', '{w1}', '{u1}', 'Story'), ('{p4}', '{w2}', '{u2}', 'Empty');
             INSERT INTO studio.assets (id, project_id, user_id, name, type, file_path, mime_type, format, metadata)
               SELECT {asset_id}, {project_id}, '{u1}', 'Asset ' || k,
                      (ARRAY['Uploaded', 'AIGenerated', 'Derived'])[k % 3 + 1], 'f/' || p || '/' || k, 'image/png', 'png',
                      jsonb_build_object('k', k, 'tags', jsonb_build_array('demo'))
               FROM generate_series(1, 3) AS p, generate_series(1, 5) AS k;
             INSERT INTO studio.asset_versions (id, asset_id, project_id, version_number)
               SELECT {version_id}, {version_asset}, {project_id}, v
               FROM generate_series(1, 2) AS p, generate_series(1, 5) AS k, generate_series(1, 2) AS v;
             INSERT INTO studio.usage_logs (id, user_id, action_type, details, credits_cost, \"timestamp\") VALUES
               (7, '{u2}', 'asset_uploaded', NULL, NULL, '2025-03-04 00:00:00+00'),
               (9007199254740993, '{u1}', 'login_success', '{{\"method\": \"password\", \"mfa\": true}}', 1.25,
                '2025-03-04 05:06:07+00');",
            m1 = uid(8, 1),
            m2 = uid(8, 2),
            m3 = uid(8, 3),
            m4 = uid(8, 4),
            p1 = p(1),
            p2 = p(2),
            p3 = p(3),
            p4 = p(4),
        ))
        .await;
    server
}

/// Asserts `s` is an RFC 3339 timestamp denoting UTC instant `utc`
/// (`YYYY-MM-DDTHH:MM:SS[.ffffff]`), with offset `Z` or `+00:00`.
fn assert_rfc3339_utc(s: &str, utc: &str) {
    let (stamp, offset) = if let Some(stamp) = s.strip_suffix('Z') { (stamp, "Z") } else { s.split_at(s.len().saturating_sub(6)) };
    assert!(offset == "Z" || offset == "+00:00", "{s}: offset should be UTC");
    let bytes = stamp.as_bytes();
    let digit = |i: usize| bytes.get(i).is_some_and(u8::is_ascii_digit);
    let shape_ok = stamp.len() >= 19
        && [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18].iter().all(|&i| digit(i))
        && &stamp[4..5] == "-"
        && &stamp[7..8] == "-"
        && &stamp[10..11] == "T"
        && &stamp[13..14] == ":"
        && &stamp[16..17] == ":"
        && (stamp.len() == 19 || (&stamp[19..20] == "." && stamp.len() > 20 && (20..stamp.len()).all(digit)));
    assert!(shape_ok, "{s} is not RFC 3339");
    assert_eq!(stamp, utc, "{s} is not the expected instant");
}

/// A GraphQL list query over root field `root` (type `ty`) with `first`/`after`
/// or `last`/`before` and an ordering, selecting edges, nodes and pageInfo.
fn page_query(root: &str, ty: &str, backward: bool) -> String {
    let (count, cursor) = if backward { ("last", "before") } else { ("first", "after") };
    format!(
        "query($n: Int, $c: String, $o: [{ty}OrderBy!]) {{
           {root}({count}: $n, {cursor}: $c, orderBy: $o) {{
             edges {{ cursor node {{ id }} }}
             nodes {{ id }}
             pageInfo {{ hasNextPage hasPreviousPage startCursor endCursor }}
           }}
         }}"
    )
}

/// Walks a whole root list page by page (forwards with `first`/`after`, or
/// backwards with `last`/`before`), checking every page's `pageInfo`, and
/// returns the ids in display order.
async fn walk(server: &TestServer, root: &str, ty: &str, order: Value, page: usize, backward: bool) -> Vec<String> {
    let query = page_query(root, ty, backward);
    let mut pages: Vec<Vec<String>> = Vec::new();
    let mut cursor: Option<String> = None;
    for _ in 0..10_000 {
        let data = server.data(&query, json!({ "n": page, "c": cursor, "o": order })).await;
        let conn = &data[root];
        let info = &conn["pageInfo"];
        let edges = conn["edges"].as_array().unwrap();
        let page_ids: Vec<String> = edges.iter().map(|e| text(&e["node"]["id"])).collect();
        assert_eq!(page_ids, ids(conn), "edges and nodes agree");
        assert!(page_ids.len() <= page, "page too long");
        let (more, came_from) = if backward {
            (info["hasPreviousPage"].as_bool().unwrap(), info["hasNextPage"].as_bool().unwrap())
        } else {
            (info["hasNextPage"].as_bool().unwrap(), info["hasPreviousPage"].as_bool().unwrap())
        };
        assert_eq!(came_from, cursor.is_some(), "the flag towards the pages already seen");
        if !edges.is_empty() {
            assert_eq!(info["startCursor"], edges[0]["cursor"]);
            assert_eq!(info["endCursor"], edges[edges.len() - 1]["cursor"]);
        } else {
            assert!(info["startCursor"].is_null() && info["endCursor"].is_null());
        }
        if more {
            assert_eq!(page_ids.len(), page, "only the last page may be short");
        }
        pages.push(page_ids);
        if !more {
            if backward {
                pages.reverse();
            }
            return pages.concat();
        }
        let next = if backward { &info["startCursor"] } else { &info["endCursor"] };
        cursor = Some(next.as_str().unwrap().to_string());
    }
    panic!("pagination does not end");
}

/// Asserts every id occurs once.
fn assert_unique(ids: &[String]) {
    let mut seen = std::collections::HashSet::new();
    for id in ids {
        assert!(seen.insert(id), "{id} seen twice");
    }
}

// ---------------------------------------------------------------------------
// Root lookups and secrets
// ---------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lookup_by_key_returns_the_row_or_null() {
    let server = fixture().await;
    let data = server
        .data(
            "query($p: UUID!, $nope: UUID!) {
               project(id: $p) { id name workbenchId userId templateId }
               missing: project(id: $nope) { id name }
               usageLog(id: \"7\") { id actionType userId }
             }",
            json!({ "p": uid(4, 2), "nope": uid(4, 999) }),
        )
        .await;
    assert_eq!(
        data["project"],
        json!({ "id": uid(4, 2), "name": "Reel", "workbenchId": uid(3, 1), "userId": uid(1, 1), "templateId": null })
    );
    assert_eq!(data["missing"], Value::Null);
    assert_eq!(data["usageLog"], json!({ "id": "7", "actionType": "asset_uploaded", "userId": uid(1, 2) }));
}

/// UUIDs are case-insensitive (RFC 4122 §3; PostgreSQL and the `UUID` scalar
/// both accept upper case), so a lookup by an upper-case key must find the row.
///
/// Regression guard: keys are canonicalised (UUID case, integer spelling), so a
/// lookup finds the row however the client spells its key.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lookup_by_key_accepts_any_spelling_of_the_key() {
    let server = fixture().await;
    let id = "abcdef01-0000-4000-8000-00000000000a";
    server
        .db
        .exec(&format!(
            "INSERT INTO studio.projects (id, workbench_id, user_id, name) VALUES ('{id}', '{}', '{}', 'Upper')",
            uid(3, 1),
            uid(1, 1)
        ))
        .await;
    let upper = id.to_uppercase();
    // The lower-case spelling works, through the by-key lookup and a filter.
    let data = server
        .data("query($p: UUID!) { project(id: $p) { id name } projects(filter: {id: {eq: $p}}) { nodes { id } } }", json!({ "p": id }))
        .await;
    assert_eq!(data["project"], json!({ "id": id, "name": "Upper" }));
    // A filter already treats the upper-case spelling as the same key.
    let data = server.data("query($p: UUID!) { projects(filter: {id: {eq: $p}}) { nodes { id } } }", json!({ "p": upper })).await;
    assert_eq!(ids(&data["projects"]), [id]);
    // The by-key lookup does not. Nor does a BigInt key with a leading zero
    // (accepted by the `BigInt` scalar as 7, fetched, filed under "7").
    let data = server.data("query($p: UUID!) { project(id: $p) { id name } usageLog(id: \"007\") { id } }", json!({ "p": upper })).await;
    assert_eq!(
        (&data["project"], &data["usageLog"]),
        (&json!({ "id": id, "name": "Upper" }), &json!({ "id": "7" })),
        "a key spelled differently from its canonical text finds its row"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn secret_columns_are_never_readable() {
    let server = fixture().await;
    let secrets = [
        ("User", ["passwordHash", "mfaSecret", "emailVerificationToken", "passwordResetToken"].as_slice()),
        ("APIClient", ["secretHash"].as_slice()),
        ("SocialMediaConnection", ["accessToken", "refreshToken"].as_slice()),
    ];
    let data = server.data("{ __schema { types { name fields { name } inputFields { name } enumValues { name } } } }", json!({})).await;
    let types = data["__schema"]["types"].as_array().unwrap();
    let names_in = |t: &Value| -> Vec<String> {
        ["fields", "inputFields", "enumValues"]
            .iter()
            .flat_map(|k| t[*k].as_array().cloned().unwrap_or_default())
            .map(|f| text(&f["name"]))
            .collect()
    };
    // The object types themselves: the readable columns are there, the secrets are not.
    for (ty, fields) in secrets {
        let t = types.iter().find(|t| t["name"] == ty).unwrap_or_else(|| panic!("type {ty}"));
        let names = names_in(t);
        assert!(names.contains(&"id".to_string()) && names.contains(&"createdAt".to_string()), "{ty}: {names:?}");
        for f in fields {
            assert!(!names.contains(&f.to_string()), "{ty}.{f} is readable");
        }
    }
    // Nowhere else either (no filter, no order field, no other output type):
    // only the create and patch inputs may name them.
    let all: Vec<&str> = secrets.iter().flat_map(|(_, f)| f.iter().copied()).collect();
    let screaming =
        ["PASSWORD_HASH", "MFA_SECRET", "EMAIL_VERIFICATION_TOKEN", "PASSWORD_RESET_TOKEN", "SECRET_HASH", "ACCESS_TOKEN", "REFRESH_TOKEN"];
    for t in types {
        let ty = text(&t["name"]);
        if ty.ends_with("CreateInput") || ty.ends_with("Patch") {
            continue;
        }
        for name in names_in(t) {
            assert!(!all.contains(&name.as_str()) && !screaming.contains(&name.as_str()), "{ty}.{name} exposes a secret");
        }
    }
    // Asking for one is a validation error, and the stored secret never leaks.
    assert_eq!(
        server.error_code("query($u: UUID!) { user(id: $u) { email passwordHash } }", json!({ "u": uid(1, 1) })).await,
        "GRAPHQL_VALIDATION_FAILED"
    );
    // Nor can one be filtered on (a filter would be an oracle): an invalid argument.
    let body = server.gql("{ users(filter: {mfaSecret: {eq: \"mfa-1\"}}) { totalCount } }", json!({})).await;
    assert!(body["data"].is_null(), "{body}");
    assert_eq!(body["errors"][0]["extensions"]["code"], "BAD_USER_INPUT", "{body}");
    let body = server.gql("{ users { nodes { id email fullName } } }", json!({})).await;
    let dump = body.to_string();
    for secret in ["hash-1", "mfa-1", "evt-1", "prt-1"] {
        assert!(!dump.contains(secret), "{secret} leaked: {dump}");
    }
    assert_eq!(body["data"]["users"]["nodes"].as_array().unwrap().len(), 3);
}

// ---------------------------------------------------------------------------
// Root lists
// ---------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn root_list_pages_counts_and_page_info() {
    let server = seeded().await;
    let all = sql_ids(&server, "SELECT id::text AS key FROM studio.assets ORDER BY id").await;
    assert_eq!(all.len(), 300);

    // No first/last: the default page of 100.
    let data = server.data("{ assets { totalCount nodes { id } pageInfo { hasNextPage hasPreviousPage } } }", json!({})).await;
    assert_eq!(ids(&data["assets"]), all[..100]);
    assert_eq!(data["assets"]["totalCount"], 300);
    assert_eq!(data["assets"]["pageInfo"], json!({ "hasNextPage": true, "hasPreviousPage": false }));

    // first: 7, with edges and cursors agreeing with nodes and pageInfo.
    let data = server
        .data(
            "{ assets(first: 7) { totalCount nodes { id name } edges { cursor node { id name } }
                 pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }",
            json!({}),
        )
        .await;
    let c = &data["assets"];
    assert_eq!(ids(c), all[..7]);
    let edges = c["edges"].as_array().unwrap();
    assert_eq!(edges.iter().map(|e| e["node"].clone()).collect::<Vec<_>>(), *nodes(c));
    assert_eq!(c["pageInfo"]["startCursor"], edges[0]["cursor"]);
    assert_eq!(c["pageInfo"]["endCursor"], edges[6]["cursor"]);
    assert_eq!(c["pageInfo"]["hasNextPage"], true);
    assert_eq!(c["pageInfo"]["hasPreviousPage"], false);
    assert_eq!(c["totalCount"], 300);
    let cursors: Vec<&Value> = edges.iter().map(|e| &e["cursor"]).collect();
    assert!(cursors.windows(2).all(|w| w[0] != w[1]), "cursors are distinct");

    // totalCount follows the filter and ignores the page.
    let ai = sql_count(&server, "SELECT count(*) AS n FROM studio.assets WHERE type = 'AIGenerated'").await;
    assert!(ai > 3 && ai < 300);
    let data = server
        .data("{ assets(first: 3, filter: {type: {eq: AI_GENERATED}}) { totalCount nodes { type } pageInfo { hasNextPage } } }", json!({}))
        .await;
    assert_eq!(data["assets"]["totalCount"], ai);
    assert_eq!(field_of(&data["assets"], "type"), ["AI_GENERATED"; 3]);

    // A page holding everything: no next page; first: 0 returns nothing but knows there is more.
    let data = server
        .data(
            "{ workbenches(first: 1000) { totalCount nodes { id } pageInfo { hasNextPage hasPreviousPage } }
               none: workbenches(first: 0) { nodes { id } pageInfo { hasNextPage startCursor endCursor } } }",
            json!({}),
        )
        .await;
    let wbs = sql_ids(&server, "SELECT id::text AS key FROM studio.workbenches ORDER BY id").await;
    assert_eq!(ids(&data["workbenches"]), wbs);
    assert_eq!(data["workbenches"]["totalCount"], 20);
    assert_eq!(data["workbenches"]["pageInfo"], json!({ "hasNextPage": false, "hasPreviousPage": false }));
    assert_eq!(data["none"], json!({ "nodes": [], "pageInfo": { "hasNextPage": true, "startCursor": null, "endCursor": null } }));

    // last: 4 without a cursor: the final four rows, in display order.
    let data = server.data("{ assets(last: 4) { nodes { id } pageInfo { hasNextPage hasPreviousPage } } }", json!({})).await;
    assert_eq!(ids(&data["assets"]), all[296..]);
    assert_eq!(data["assets"]["pageInfo"], json!({ "hasNextPage": false, "hasPreviousPage": true }));
}

// ---------------------------------------------------------------------------
// Pagination
// ---------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forward_and_backward_pagination_visit_every_row_once() {
    let server = seeded().await;
    let expected = sql_ids(&server, "SELECT id::text AS key FROM studio.projects ORDER BY id").await;
    assert_eq!(expected.len(), 60);
    for page in [1, 7, 20, 60, 100] {
        let forward = walk(&server, "projects", "Project", Value::Null, page, false).await;
        assert_eq!(forward, expected, "forward, page {page}");
        let backward = walk(&server, "projects", "Project", Value::Null, page, true).await;
        assert_eq!(backward, expected, "backward, page {page}");
    }
    // Under an ordering with many ties (workbench, then name descending).
    let order = json!([{ "field": "WORKBENCH_ID" }, { "field": "USER_ID", "direction": "DESC" }]);
    let expected = sql_ids(&server, "SELECT id::text AS key FROM studio.projects ORDER BY workbench_id, user_id DESC, id").await;
    assert_eq!(walk(&server, "projects", "Project", order.clone(), 4, false).await, expected);
    assert_eq!(walk(&server, "projects", "Project", order, 4, true).await, expected);
    // A BigInt-keyed table.
    let expected = sql_ids(&server, "SELECT id::text AS key FROM studio.usage_logs ORDER BY id").await;
    assert!(expected.len() > 20);
    let walked = walk(&server, "usageLogs", "UsageLog", Value::Null, 9, false).await;
    assert_unique(&walked);
    assert_eq!(walked, expected);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cursor_pages_continue_exactly_after_and_before() {
    let server = seeded().await;
    let all = sql_ids(&server, "SELECT id::text AS key FROM studio.projects ORDER BY name, id").await;
    let order = json!([{ "field": "NAME" }]);
    let q = "query($o: [ProjectOrderBy!], $a: String, $b: String, $f: Int, $l: Int) {
               projects(orderBy: $o, after: $a, before: $b, first: $f, last: $l) {
                 edges { cursor node { id } } pageInfo { hasNextPage hasPreviousPage } } }";
    let data = server.data(q, json!({ "o": order, "f": 60 })).await;
    let edges = data["projects"]["edges"].as_array().unwrap().clone();
    let cursor = |i: usize| edges[i]["cursor"].clone();
    let edge_ids = |d: &Value| d["projects"]["edges"].as_array().unwrap().iter().map(|e| text(&e["node"]["id"])).collect::<Vec<_>>();
    // first after row 9: rows 10..15.
    let d = server.data(q, json!({ "o": order, "a": cursor(9), "f": 5 })).await;
    assert_eq!(edge_ids(&d), all[10..15]);
    assert_eq!(d["projects"]["pageInfo"], json!({ "hasNextPage": true, "hasPreviousPage": true }));
    // last before row 9: rows 4..9.
    let d = server.data(q, json!({ "o": order, "b": cursor(9), "l": 5 })).await;
    assert_eq!(edge_ids(&d), all[4..9]);
    assert_eq!(d["projects"]["pageInfo"], json!({ "hasNextPage": true, "hasPreviousPage": true }));
    // Between two cursors.
    let d = server.data(q, json!({ "o": order, "a": cursor(20), "b": cursor(30), "f": 100 })).await;
    assert_eq!(edge_ids(&d), all[21..30]);
    let d = server.data(q, json!({ "o": order, "a": cursor(20), "b": cursor(30), "l": 3 })).await;
    assert_eq!(edge_ids(&d), all[27..30]);
    // After the last row: nothing.
    let d = server.data(q, json!({ "o": order, "a": cursor(59), "f": 5 })).await;
    assert!(edge_ids(&d).is_empty());
    assert_eq!(d["projects"]["pageInfo"]["hasNextPage"], false);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invalid_pagination_arguments_are_rejected() {
    let server = seeded().await;
    let data = server
        .data(
            "{ byName: projects(first: 2, orderBy: [{field: NAME}]) { pageInfo { endCursor } }
               byId: projects(first: 2) { pageInfo { endCursor } }
               nullsFirst: projects(first: 2, orderBy: [{field: TEMPLATE_ID, nulls: FIRST}]) { pageInfo { endCursor } } }",
            json!({}),
        )
        .await;
    let by_name = data["byName"]["pageInfo"]["endCursor"].clone();
    let by_id = data["byId"]["pageInfo"]["endCursor"].clone();
    let nulls_first = data["nullsFirst"]["pageInfo"]["endCursor"].clone();
    let q = "query($a: String, $o: [ProjectOrderBy!]) { projects(first: 2, after: $a, orderBy: $o) { nodes { id } } }";
    let qb = "query($b: String, $o: [ProjectOrderBy!]) { projects(last: 2, before: $b, orderBy: $o) { nodes { id } } }";
    // A cursor of one ordering is refused by another.
    for (vars, what) in [
        (json!({ "a": by_name, "o": null }), "name cursor, id ordering"),
        (json!({ "a": by_id, "o": [{ "field": "NAME" }] }), "id cursor, name ordering"),
        (json!({ "a": by_name, "o": [{ "field": "NAME", "direction": "DESC" }] }), "ASC cursor, DESC ordering"),
        (json!({ "a": nulls_first, "o": [{ "field": "TEMPLATE_ID", "nulls": "LAST" }] }), "NULLS FIRST cursor, NULLS LAST ordering"),
        (json!({ "a": "not-a-cursor", "o": null }), "garbage cursor"),
    ] {
        assert_eq!(server.error_code(q, vars).await, "BAD_USER_INPUT", "{what}");
    }
    assert_eq!(server.error_code(qb, json!({ "b": by_name, "o": null })).await, "BAD_USER_INPUT", "before, wrong ordering");
    // The matching ordering accepts it.
    let ok = server.data(q, json!({ "a": by_name, "o": [{ "field": "NAME" }] })).await;
    assert_eq!(nodes(&ok["projects"]).len(), 2);
    // Page sizes.
    for (q, what) in [
        ("{ projects(first: 2, last: 2) { nodes { id } } }", "first and last"),
        ("{ projects(first: 1001) { nodes { id } } }", "first over the maximum"),
        ("{ projects(last: 1001) { nodes { id } } }", "last over the maximum"),
        ("{ projects(first: -1) { nodes { id } } }", "negative first"),
        ("{ projects(last: -5) { nodes { id } } }", "negative last"),
        ("{ workbenches(first: 1) { nodes { projects(first: 1001) { nodes { id } } } } }", "nested first over the maximum"),
        ("{ workbenches(first: 1) { nodes { projects(first: 1, last: 1) { nodes { id } } } } }", "nested first and last"),
    ] {
        assert_eq!(server.error_code(q, json!({})).await, "BAD_USER_INPUT", "{what}");
    }
    // The maximum itself is fine.
    let data = server.data("{ assets(first: 1000) { nodes { id } } }", json!({})).await;
    assert_eq!(nodes(&data["assets"]).len(), 300);
}

// ---------------------------------------------------------------------------
// Ordering
// ---------------------------------------------------------------------------

/// The ids of a whole root list under `order`, in one page.
async fn ordered_ids(server: &TestServer, root: &str, ty: &str, order: Value) -> Vec<String> {
    let q = format!("query($o: [{ty}OrderBy!]) {{ {root}(first: 1000, orderBy: $o) {{ nodes {{ id }} }} }}");
    ids(&server.data(&q, json!({ "o": order })).await[root])
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ordering_on_several_columns_and_directions() {
    let server = seeded().await;
    let cases = [
        ("projects", "Project", json!([{ "field": "NAME" }]), "studio.projects", "name, id"),
        ("projects", "Project", json!([{ "field": "NAME", "direction": "DESC" }]), "studio.projects", "name DESC, id"),
        (
            "projects",
            "Project",
            json!([{ "field": "WORKBENCH_ID", "direction": "DESC" }, { "field": "CREATED_AT" }]),
            "studio.projects",
            "workbench_id DESC, created_at, id",
        ),
        (
            "users",
            "User",
            json!([{ "field": "SUBSCRIPTION_TIER" }, { "field": "CREDIT_BALANCE", "direction": "DESC" }]),
            "studio.users",
            "subscription_tier, credit_balance DESC, id",
        ),
        (
            "assets",
            "Asset",
            json!([{ "field": "TYPE", "direction": "DESC" }, { "field": "IS_FINAL", "direction": "DESC" }, { "field": "FORMAT" }]),
            "studio.assets",
            "type DESC, is_final DESC, format, id",
        ),
        ("assets", "Asset", json!([{ "field": "ID", "direction": "DESC" }]), "studio.assets", "id DESC"),
        (
            "assetVersions",
            "AssetVersion",
            json!([{ "field": "VERSION_NUMBER", "direction": "DESC" }, { "field": "CREATED_AT", "direction": "DESC" }]),
            "studio.asset_versions",
            "version_number DESC, created_at DESC, id",
        ),
        ("usageLogs", "UsageLog", json!([{ "field": "CREDITS_COST", "direction": "DESC" }]), "studio.usage_logs", "credits_cost DESC, id"),
    ];
    for (root, ty, order, table, sql_order) in cases {
        let expected = sql_ids(&server, &format!("SELECT id::text AS key FROM {table} ORDER BY {sql_order}")).await;
        assert!(expected.len() > 5);
        assert_eq!(ordered_ids(&server, root, ty, order.clone()).await, expected, "{root} ORDER BY {sql_order}");
    }
    // The sort keys are really applied: names come back sorted.
    let data = server.data("{ projects(first: 5, orderBy: [{field: NAME, direction: DESC}]) { nodes { name } } }", json!({})).await;
    let names = server.db.rows("SELECT name FROM studio.projects ORDER BY name DESC, id LIMIT 5").await;
    assert_eq!(field_of(&data["projects"], "name"), names.iter().map(|r| text(&r["name"])).collect::<Vec<_>>());
}

/// A seeded server with extra users whose `full_name` is NULL or repeated, so
/// orderings on it have NULLs and ties.
async fn seeded_with_null_names() -> TestServer {
    let server = seeded().await;
    server
        .db
        .exec(&format!(
            "INSERT INTO studio.users (id, email, full_name)
             SELECT {id}, 'extra' || n || '@example.com', CASE WHEN n <= 7 THEN NULL ELSE 'Ada Andersen' END
             FROM generate_series(1, 10) AS n",
            id = sql_uid(1, "n * 7 % 11")
        ))
        .await;
    server
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nulls_first_and_last_with_ties_broken_by_id() {
    let server = seeded_with_null_names().await;
    let combos = [
        (json!({ "field": "FULL_NAME" }), "full_name ASC NULLS LAST"),
        (json!({ "field": "FULL_NAME", "nulls": "FIRST" }), "full_name ASC NULLS FIRST"),
        (json!({ "field": "FULL_NAME", "direction": "DESC" }), "full_name DESC NULLS FIRST"),
        (json!({ "field": "FULL_NAME", "direction": "DESC", "nulls": "LAST" }), "full_name DESC NULLS LAST"),
    ];
    for (order, sql) in &combos {
        let expected = sql_ids(&server, &format!("SELECT id::text AS key FROM studio.users ORDER BY {sql}, id")).await;
        assert_eq!(expected.len(), 20);
        assert_eq!(ordered_ids(&server, "users", "User", json!([order])).await, expected, "{sql}");
    }
    // Where the NULLs went, concretely.
    let data =
        server.data("{ users(first: 8, orderBy: [{field: FULL_NAME, direction: DESC}]) { nodes { id fullName } } }", json!({})).await;
    let names = field_of(&data["users"], "fullName");
    assert_eq!(names[..7], ["null"; 7]);
    assert_ne!(names[7], "null");
    let null_ids: Vec<String> = ids(&data["users"])[..7].to_vec();
    let mut sorted = null_ids.clone();
    sorted.sort();
    assert_eq!(null_ids, sorted, "ties broken by id ascending");
    // The same on projects.template_id (a nullable foreign key, most rows NULL).
    for (order, sql) in [
        (json!({ "field": "TEMPLATE_ID" }), "template_id ASC NULLS LAST"),
        (json!({ "field": "TEMPLATE_ID", "nulls": "FIRST" }), "template_id ASC NULLS FIRST"),
        (json!({ "field": "TEMPLATE_ID", "direction": "DESC" }), "template_id DESC NULLS FIRST"),
        (json!({ "field": "TEMPLATE_ID", "direction": "DESC", "nulls": "LAST" }), "template_id DESC NULLS LAST"),
    ] {
        let expected = sql_ids(&server, &format!("SELECT id::text AS key FROM studio.projects ORDER BY {sql}, id")).await;
        assert_eq!(ordered_ids(&server, "projects", "Project", json!([order])).await, expected, "{sql}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pagination_across_nulls_returns_every_row_once() {
    let server = seeded_with_null_names().await;
    let nulls = sql_count(&server, "SELECT count(*) AS n FROM studio.projects WHERE template_id IS NULL").await;
    assert_eq!(nulls, 40, "the NULL block is 40 rows: pages of 7 cross its edge mid-page");
    for (dir, nulls, sql) in [
        ("DESC", "FIRST", "template_id DESC NULLS FIRST"),
        ("DESC", "LAST", "template_id DESC NULLS LAST"),
        ("ASC", "FIRST", "template_id ASC NULLS FIRST"),
        ("ASC", "LAST", "template_id ASC NULLS LAST"),
    ] {
        let order = json!([{ "field": "TEMPLATE_ID", "direction": dir, "nulls": nulls }]);
        let expected = sql_ids(&server, &format!("SELECT id::text AS key FROM studio.projects ORDER BY {sql}, id")).await;
        for page in [1, 7, 13] {
            let forward = walk(&server, "projects", "Project", order.clone(), page, false).await;
            assert_unique(&forward);
            assert_eq!(forward, expected, "forward {sql}, page {page}");
            let backward = walk(&server, "projects", "Project", order.clone(), page, true).await;
            assert_eq!(backward, expected, "backward {sql}, page {page}");
        }
        // Two keys, the first nullable: users by full name (NULLs, ties) then email.
        let order =
            json!([{ "field": "FULL_NAME", "direction": dir, "nulls": nulls }, { "field": "LANGUAGE_PREFERENCE", "direction": "DESC" }]);
        let sql = sql.replace("template_id", "full_name");
        let expected =
            sql_ids(&server, &format!("SELECT id::text AS key FROM studio.users ORDER BY {sql}, language_preference DESC, id")).await;
        for page in [3, 4] {
            assert_eq!(walk(&server, "users", "User", order.clone(), page, false).await, expected, "forward users {sql}");
            assert_eq!(walk(&server, "users", "User", order.clone(), page, true).await, expected, "backward users {sql}");
        }
    }
}

// ---------------------------------------------------------------------------
// Filters
// ---------------------------------------------------------------------------

/// Runs `filter` on root field `root` (filter type `<ty>Filter`) and checks
/// the ids and `totalCount` against `SELECT … FROM <table> t WHERE <sql>`;
/// the case must select some rows but not all. Returns the match count.
async fn check_filter(server: &TestServer, root: &str, ty: &str, table: &str, filter: Value, sql: &str) -> usize {
    let q = format!("query($f: {ty}Filter) {{ {root}(filter: $f, first: 1000) {{ totalCount nodes {{ id }} }} }}");
    let data = server.data(&q, json!({ "f": filter })).await;
    let expected = sql_ids(server, &format!("SELECT t.id::text AS key FROM studio.{table} t WHERE {sql} ORDER BY t.id")).await;
    let total = sql_count(server, &format!("SELECT count(*) AS n FROM studio.{table}")).await as usize;
    assert_eq!(ids(&data[root]), expected, "{root}(filter: {filter}) vs WHERE {sql}");
    assert_eq!(data[root]["totalCount"], expected.len(), "{root}(filter: {filter}) totalCount");
    assert!(!expected.is_empty() && expected.len() < total, "case {filter} should be selective ({} of {total})", expected.len());
    expected.len()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn string_filters() {
    let server = seeded_with_null_names().await;
    let cases = [
        (json!({ "email": { "eq": "ada.andersen1@example.com" } }), "email = 'ada.andersen1@example.com'"),
        (json!({ "email": { "neq": "ada.andersen1@example.com" } }), "email <> 'ada.andersen1@example.com'"),
        (
            json!({ "email": { "in": ["ada.andersen1@example.com", "ben.hoffmann2@example.com", "nobody@example.com"] } }),
            "email IN ('ada.andersen1@example.com', 'ben.hoffmann2@example.com')",
        ),
        (json!({ "email": { "lt": "e" } }), "email < 'e'"),
        (json!({ "email": { "lte": "ben.hoffmann2@example.com" } }), "email <= 'ben.hoffmann2@example.com'"),
        (json!({ "email": { "gt": "ben.hoffmann2@example.com" } }), "email > 'ben.hoffmann2@example.com'"),
        (json!({ "email": { "gte": "ben.hoffmann2@example.com" } }), "email >= 'ben.hoffmann2@example.com'"),
        (json!({ "email": { "gte": "b", "lt": "f" } }), "email >= 'b' AND email < 'f'"),
        (json!({ "fullName": { "like": "Ada%" } }), "full_name LIKE 'Ada%'"),
        (json!({ "fullName": { "like": "%a_e%" } }), "full_name LIKE '%a_e%'"),
        (json!({ "fullName": { "ilike": "%AN%" } }), "full_name ILIKE '%an%'"),
        (json!({ "fullName": { "isNull": true } }), "full_name IS NULL"),
        (json!({ "fullName": { "isNull": false } }), "full_name IS NOT NULL"),
        (json!({ "fullName": { "neq": "Ada Andersen" } }), "full_name <> 'Ada Andersen'"),
        (json!({ "profilePictureUrl": { "isNull": true }, "email": { "like": "%@example.com" } }), "profile_picture_url IS NULL"),
    ];
    for (filter, sql) in cases {
        check_filter(&server, "users", "User", "users", filter, sql).await;
    }
    // like is case-sensitive, ilike is not.
    let data = server
        .data("{ a: users(filter: {fullName: {like: \"ada%\"}}) { totalCount } b: users(filter: {fullName: {ilike: \"ada%\"}}) { totalCount } }", json!({}))
        .await;
    assert_eq!(data["a"]["totalCount"], 0);
    assert_eq!(data["b"]["totalCount"], sql_count(&server, "SELECT count(*) AS n FROM studio.users WHERE full_name ILIKE 'ada%'").await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn uuid_boolean_int_decimal_datetime_and_bigint_filters() {
    let server = seeded().await;
    let users = sql_ids(&server, "SELECT id::text AS key FROM studio.users ORDER BY id").await;
    let wbs = sql_ids(&server, "SELECT id::text AS key FROM studio.workbenches ORDER BY id").await;
    let (u1, u2, w1) = (&users[1], &users[4], &wbs[3]);
    let user_cases = [
        (json!({ "id": { "eq": u1 } }), format!("id = '{u1}'")),
        (json!({ "id": { "neq": u1 } }), format!("id <> '{u1}'")),
        (json!({ "id": { "in": [u1, u2, uid(1, 424242)] } }), format!("id IN ('{u1}', '{u2}')")),
        (json!({ "isEmailVerified": { "eq": false } }), "NOT is_email_verified".into()),
        (json!({ "mfaEnabled": { "eq": true } }), "mfa_enabled".into()),
        (json!({ "mfaEnabled": { "neq": true } }), "NOT mfa_enabled".into()),
        (json!({ "creditBalance": { "gt": "1000" } }), "credit_balance > 1000".into()),
        (json!({ "creditBalance": { "lte": 480.5 } }), "credit_balance <= 480.5".into()),
        (json!({ "creditBalance": { "gte": "100.25", "lt": "2000" } }), "credit_balance >= 100.25 AND credit_balance < 2000".into()),
        (
            json!({ "createdAt": { "gte": "2025-01-01T00:00:00Z", "lt": "2026-01-01T00:00:00+02:00" } }),
            "created_at >= '2025-01-01T00:00:00Z' AND created_at < '2026-01-01T00:00:00+02:00'".into(),
        ),
        (json!({ "createdAt": { "lte": "2025-06-15T12:00:00Z" } }), "created_at <= '2025-06-15T12:00:00Z'".into()),
        (json!({ "passwordResetExpires": { "isNull": false } }), "password_reset_expires IS NOT NULL".into()),
        (
            json!({ "deletedAt": { "isNull": true }, "lastLoginAt": { "gt": "2025-05-01T00:00:00Z" } }),
            "deleted_at IS NULL AND last_login_at > '2025-05-01T00:00:00Z'".into(),
        ),
    ];
    for (filter, sql) in user_cases {
        check_filter(&server, "users", "User", "users", filter, &sql).await;
    }
    // Exact decimal equality, on a value the seed computes.
    let balance = text(&server.db.rows(&format!("SELECT credit_balance::text AS b FROM studio.users WHERE id = '{u1}'")).await[0]["b"]);
    check_filter(&server, "users", "User", "users", json!({ "creditBalance": { "eq": balance } }), &format!("credit_balance = {balance}"))
        .await;

    check_filter(&server, "projects", "Project", "projects", json!({ "workbenchId": { "eq": w1 } }), &format!("workbench_id = '{w1}'"))
        .await;
    check_filter(&server, "projects", "Project", "projects", json!({ "templateId": { "isNull": false } }), "template_id IS NOT NULL").await;
    let version_cases = [
        (json!({ "versionNumber": { "eq": 2 } }), "version_number = 2"),
        (json!({ "versionNumber": { "neq": 2 } }), "version_number <> 2"),
        (json!({ "versionNumber": { "in": [1, 3] } }), "version_number IN (1, 3)"),
        (json!({ "versionNumber": { "gt": 1, "lte": 2 } }), "version_number > 1 AND version_number <= 2"),
        (json!({ "versionNumber": { "lt": 2 } }), "version_number < 2"),
        (json!({ "versionNumber": { "gte": 3 } }), "version_number >= 3"),
    ];
    for (filter, sql) in version_cases {
        check_filter(&server, "assetVersions", "AssetVersion", "asset_versions", filter, sql).await;
    }
    let request_cases = [
        (json!({ "processingTimeMs": { "gte": 20000 } }), "processing_time_ms >= 20000"),
        (json!({ "processingTimeMs": { "isNull": true } }), "processing_time_ms IS NULL"),
        (json!({ "creditsCostFinal": { "gte": "12.5" } }), "credits_cost_final >= 12.5"),
        (json!({ "creditsCostSample": { "in": ["3.00", 4] } }), "credits_cost_sample IN (3, 4)"),
    ];
    for (filter, sql) in request_cases {
        check_filter(&server, "generationRequests", "GenerationRequest", "generation_requests", filter, sql).await;
    }
    let log_cases = [
        (json!({ "id": { "gt": "5", "lte": 20 } }), "id > 5 AND id <= 20"),
        (json!({ "id": { "in": ["1", 2, "3"] } }), "id IN (1, 2, 3)"),
        (json!({ "creditsCost": { "isNull": false } }), "credits_cost IS NOT NULL"),
        (json!({ "timestamp": { "lt": "2025-09-01T00:00:00Z" } }), "\"timestamp\" < '2025-09-01T00:00:00Z'"),
    ];
    for (filter, sql) in log_cases {
        check_filter(&server, "usageLogs", "UsageLog", "usage_logs", filter, sql).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn enum_json_and_boolean_combination_filters() {
    let server = seeded().await;
    let user_cases = [
        (json!({ "subscriptionTier": { "in": ["PRO", "TEAM"] } }), "subscription_tier IN ('Pro', 'Team')"),
        (json!({ "subscriptionTier": { "eq": "ENTERPRISE" } }), "subscription_tier = 'Enterprise'"),
        (json!({ "subscriptionTier": { "neq": "FREE" } }), "subscription_tier <> 'Free'"),
        (json!({ "socialProvider": { "isNull": true } }), "social_provider IS NULL"),
        // neq never matches NULLs …
        (json!({ "socialProvider": { "neq": "GOOGLE" } }), "social_provider <> 'google'"),
        // … but not(eq) does.
        (json!({ "not": { "socialProvider": { "eq": "GOOGLE" } } }), "social_provider IS DISTINCT FROM 'google'"),
        (
            json!({ "or": [{ "subscriptionTier": { "eq": "FREE" } }, { "and": [{ "mfaEnabled": { "eq": true } }, { "isEmailVerified": { "eq": false } }] }] }),
            "subscription_tier = 'Free' OR (mfa_enabled AND NOT is_email_verified)",
        ),
        (json!({ "not": { "subscriptionTier": { "in": ["FREE", "PRO"] } } }), "subscription_tier NOT IN ('Free', 'Pro')"),
        (
            json!({ "and": [{ "creditBalance": { "gt": "100" } }, { "not": { "or": [{ "subscriptionTier": { "eq": "ENTERPRISE" } }, { "mfaEnabled": { "eq": false } }] } }] }),
            "credit_balance > 100 AND NOT (subscription_tier = 'Enterprise' OR NOT mfa_enabled)",
        ),
        (json!({ "or": [] , "email": { "like": "%" } }), "FALSE"),
    ];
    for (filter, sql) in user_cases {
        if sql == "FALSE" {
            // An empty `or` holds for no row.
            let data = server.data("query($f: UserFilter) { users(filter: $f) { totalCount nodes { id } } }", json!({ "f": filter })).await;
            assert_eq!(data["users"], json!({ "totalCount": 0, "nodes": [] }));
            continue;
        }
        check_filter(&server, "users", "User", "users", filter, sql).await;
    }
    // An empty `and` holds for every row.
    let data = server.data("{ users(filter: {and: []}) { totalCount } }", json!({})).await;
    assert_eq!(data["users"]["totalCount"], 10);

    let asset_cases = [
        (json!({ "type": { "eq": "AI_GENERATED" } }), "type = 'AIGenerated'"),
        (
            json!({ "type": { "in": ["UPLOADED", "AI_GENERATED"] }, "isFinal": { "eq": true } }),
            "type IN ('Uploaded', 'AIGenerated') AND is_final",
        ),
        (json!({ "metadata": { "contains": { "tags": ["demo"] } } }), "metadata @> '{\"tags\": [\"demo\"]}'"),
        (json!({ "metadata": { "contains": { "tags": ["sale", "demo"] } } }), "metadata @> '{\"tags\": [\"sale\", \"demo\"]}'"),
        (json!({ "metadata": { "isNull": true } }), "metadata IS NULL"),
        (json!({ "resolution": { "isNull": true } }), "resolution IS NULL"),
    ];
    for (filter, sql) in asset_cases {
        check_filter(&server, "assets", "Asset", "assets", filter, sql).await;
    }
    check_filter(
        &server,
        "projects",
        "Project",
        "projects",
        json!({ "collaborationState": { "contains": { "canvas": { "objects": 3 } } } }),
        "collaboration_state @> '{\"canvas\": {\"objects\": 3}}'",
    )
    .await;
    check_filter(
        &server,
        "generationRequests",
        "GenerationRequest",
        "generation_requests",
        json!({ "status": { "in": ["COMPLETED", "FAILED", "CONTENT_REJECTED"] } }),
        "status IN ('Completed', 'Failed', 'ContentRejected')",
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn filters_through_to_one_relations() {
    let server = seeded().await;
    // One level.
    let n = check_filter(
        &server,
        "projects",
        "Project",
        "projects",
        json!({ "workbench": { "name": { "eq": "Client Work" } } }),
        "EXISTS (SELECT 1 FROM studio.workbenches w WHERE w.id = t.workbench_id AND w.name = 'Client Work')",
    )
    .await;
    assert_eq!(n % 3, 0, "whole workbenches of 3 projects each");
    check_filter(
        &server,
        "assets",
        "Asset",
        "assets",
        json!({ "project": { "name": { "like": "Summer Sale%" } }, "type": { "eq": "DERIVED" } }),
        "t.type = 'Derived' AND EXISTS (SELECT 1 FROM studio.projects p WHERE p.id = t.project_id AND p.name LIKE 'Summer Sale%')",
    )
    .await;
    // Two levels.
    check_filter(
        &server,
        "assets",
        "Asset",
        "assets",
        json!({ "project": { "workbench": { "name": { "eq": "Social Campaigns" } } } }),
        "EXISTS (SELECT 1 FROM studio.projects p JOIN studio.workbenches w ON w.id = p.workbench_id
                 WHERE p.id = t.project_id AND w.name = 'Social Campaigns')",
    )
    .await;
    // Three levels, mixed with a column condition and a negation.
    check_filter(
        &server,
        "assetVersions",
        "AssetVersion",
        "asset_versions",
        json!({ "versionNumber": { "eq": 1 }, "not": { "asset": { "project": { "workbench": { "user": { "subscriptionTier": { "eq": "PRO" } } } } } } }),
        "t.version_number = 1 AND NOT EXISTS (SELECT 1 FROM studio.assets a JOIN studio.projects p ON p.id = a.project_id
                 JOIN studio.workbenches w ON w.id = p.workbench_id JOIN studio.users u ON u.id = w.user_id
                 WHERE a.id = t.asset_id AND u.subscription_tier = 'Pro')",
    )
    .await;
    // A nullable foreign key: rows without a template never match a template condition.
    check_filter(
        &server,
        "projects",
        "Project",
        "projects",
        json!({ "template": { "category": { "eq": "social_post" } } }),
        "EXISTS (SELECT 1 FROM studio.templates x WHERE x.id = t.template_id AND x.category = 'social_post')",
    )
    .await;
    // Inside `or`.
    check_filter(
        &server,
        "projects",
        "Project",
        "projects",
        json!({ "or": [{ "workbench": { "name": { "eq": "Client Work" } } }, { "user": { "subscriptionTier": { "eq": "ENTERPRISE" } } }] }),
        "EXISTS (SELECT 1 FROM studio.workbenches w WHERE w.id = t.workbench_id AND w.name = 'Client Work')
         OR EXISTS (SELECT 1 FROM studio.users u WHERE u.id = t.user_id AND u.subscription_tier = 'Enterprise')",
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn filters_on_nested_connections() {
    let server = seeded().await;
    let data = server
        .data(
            "{ workbenches(first: 20) { nodes { id
                 untemplated: projects(filter: {templateId: {isNull: true}}) { totalCount nodes { id } }
                 all: projects { totalCount } } } }",
            json!({}),
        )
        .await;
    let expected = server
        .db
        .rows(
            "SELECT w.id::text AS id, coalesce(json_agg(p.id::text ORDER BY p.id) FILTER (WHERE p.id IS NOT NULL), '[]') AS projects
         FROM studio.workbenches w LEFT JOIN studio.projects p ON p.workbench_id = w.id AND p.template_id IS NULL
         GROUP BY w.id ORDER BY w.id",
        )
        .await;
    let wbs = nodes(&data["workbenches"]);
    assert_eq!(wbs.len(), 20);
    for (wb, exp) in wbs.iter().zip(&expected) {
        assert_eq!(wb["id"], exp["id"]);
        let want: Vec<String> = exp["projects"].as_array().unwrap().iter().map(text).collect();
        assert_eq!(ids(&wb["untemplated"]), want);
        assert_eq!(wb["untemplated"]["totalCount"], want.len());
        assert_eq!(wb["all"]["totalCount"], 3);
    }
    let total: usize = wbs.iter().map(|w| w["untemplated"]["totalCount"].as_u64().unwrap() as usize).sum();
    assert_eq!(total, 40);

    // A relation filter on a nested connection: each user's assets in their 'Client Work' workbench.
    let data = server
        .data(
            "{ users(first: 10) { nodes { id assets(filter: {project: {workbench: {name: {eq: \"Client Work\"}}}, type: {neq: UPLOADED}}, first: 1000) { totalCount nodes { id } } } } }",
            json!({}),
        )
        .await;
    let expected: HashMap<String, Vec<String>> = server
        .db
        .rows(
            "SELECT a.user_id::text AS u, json_agg(a.id::text ORDER BY a.id) AS ids FROM studio.assets a
         JOIN studio.projects p ON p.id = a.project_id JOIN studio.workbenches w ON w.id = p.workbench_id
         WHERE w.name = 'Client Work' AND a.type <> 'Uploaded' GROUP BY a.user_id",
        )
        .await
        .into_iter()
        .map(|r| (text(&r["u"]), r["ids"].as_array().unwrap().iter().map(text).collect()))
        .collect();
    let mut matched = 0;
    for user in nodes(&data["users"]) {
        let want = expected.get(&text(&user["id"])).cloned().unwrap_or_default();
        assert_eq!(ids(&user["assets"]), want);
        assert_eq!(user["assets"]["totalCount"], want.len());
        matched += want.len();
    }
    assert!(matched > 0 && expected.len() < 10, "some users match, some do not");
}

// ---------------------------------------------------------------------------
// Relations
// ---------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn to_one_relations() {
    let server = fixture().await;
    let data = server
        .data(
            "query($a: UUID!, $v: UUID!, $p: UUID!) {
               asset(id: $a) { name project { id name workbench { name user { email } } } }
               assetVersion(id: $v) { versionNumber asset { id name project { name } } project { name } }
               project(id: $p) { workbench { id name } user { email } template { id } }
             }",
            json!({ "a": uid(5, 32), "v": uid(6, 242), "p": uid(4, 4) }),
        )
        .await;
    assert_eq!(
        data,
        json!({
            "asset": { "name": "Asset 2", "project": { "id": uid(4, 3), "name": "Story", "workbench": { "name": "Alpha", "user": { "email": "ada@example.com" } } } },
            "assetVersion": { "versionNumber": 2, "asset": { "id": uid(5, 24), "name": "Asset 4", "project": { "name": "Reel" } }, "project": { "name": "Reel" } },
            "project": { "workbench": { "id": uid(3, 2), "name": "Beta" }, "user": { "email": "ben@example.com" }, "template": null },
        })
    );
    // Many rows at once, against SQL.
    let server = seeded().await;
    let data = server.data("{ assets(first: 1000) { nodes { id project { id name workbench { id name } } } } }", json!({})).await;
    let expected = server
        .db
        .rows(
            "SELECT a.id::text AS id, p.id::text AS pid, p.name AS pname, w.id::text AS wid, w.name AS wname
         FROM studio.assets a JOIN studio.projects p ON p.id = a.project_id JOIN studio.workbenches w ON w.id = p.workbench_id
         ORDER BY a.id",
        )
        .await;
    let got = nodes(&data["assets"]);
    assert_eq!(got.len(), expected.len());
    for (g, e) in got.iter().zip(&expected) {
        assert_eq!(
            g,
            &json!({ "id": e["id"], "project": { "id": e["pid"], "name": e["pname"], "workbench": { "id": e["wid"], "name": e["wname"] } } })
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn to_many_relations_with_counts() {
    let server = fixture().await;
    let data = server
        .data(
            "{ workbenches { nodes { name projects { totalCount nodes { name assets { totalCount nodes { name } } } } } }
               users(orderBy: [{field: EMAIL}]) { nodes { email projects { totalCount nodes { name } } } } }",
            json!({}),
        )
        .await;
    let assets = json!({ "totalCount": 5, "nodes": [{ "name": "Asset 1" }, { "name": "Asset 2" }, { "name": "Asset 3" }, { "name": "Asset 4" }, { "name": "Asset 5" }] });
    assert_eq!(
        data["workbenches"]["nodes"],
        json!([
            { "name": "Alpha", "projects": { "totalCount": 3, "nodes": [
                { "name": "Poster", "assets": assets }, { "name": "Reel", "assets": assets }, { "name": "Story", "assets": assets } ] } },
            { "name": "Beta", "projects": { "totalCount": 1, "nodes": [{ "name": "Empty", "assets": { "totalCount": 0, "nodes": [] } }] } },
        ])
    );
    assert_eq!(
        data["users"]["nodes"],
        json!([
            { "email": "ada@example.com", "projects": { "totalCount": 3, "nodes": [{ "name": "Poster" }, { "name": "Reel" }, { "name": "Story" }] } },
            { "email": "ben@example.com", "projects": { "totalCount": 1, "nodes": [{ "name": "Empty" }] } },
            { "email": "cy@example.com", "projects": { "totalCount": 0, "nodes": [] } },
        ])
    );
    let data = server
        .data(
            "query($p: UUID!) { project(id: $p) { assets { nodes { name versions { totalCount nodes { id versionNumber } } } } } }",
            json!({ "p": uid(4, 2) }),
        )
        .await;
    let got = nodes(&data["project"]["assets"]);
    assert_eq!(got.len(), 5);
    for (k, a) in (1u32..=5).zip(got) {
        let v = |n: u32| json!({ "id": uid(6, (20 + k) * 10 + n), "versionNumber": n });
        assert_eq!(a["versions"], json!({ "totalCount": 2, "nodes": [v(1), v(2)] }), "asset {k}");
    }

    // At volume: every project's assets and every asset's versions, against SQL.
    let server = seeded().await;
    let data = server
        .data(
            "{ projects(first: 1000) { nodes { id assets(first: 1000) { totalCount nodes { id versions { totalCount } } } } } }",
            json!({}),
        )
        .await;
    let expected: HashMap<String, Vec<String>> = server
        .db
        .rows("SELECT project_id::text AS p, json_agg(id::text ORDER BY id) AS ids FROM studio.assets GROUP BY project_id")
        .await
        .into_iter()
        .map(|r| (text(&r["p"]), r["ids"].as_array().unwrap().iter().map(text).collect()))
        .collect();
    let versions: HashMap<String, i64> = server
        .db
        .rows("SELECT asset_id::text AS a, count(*) AS n FROM studio.asset_versions GROUP BY asset_id")
        .await
        .into_iter()
        .map(|r| (text(&r["a"]), r["n"].as_i64().unwrap()))
        .collect();
    let projects = nodes(&data["projects"]);
    assert_eq!(projects.len(), 60);
    for p in projects {
        assert_eq!(ids(&p["assets"]), expected[&text(&p["id"])]);
        assert_eq!(p["assets"]["totalCount"], 5);
        for a in nodes(&p["assets"]) {
            assert_eq!(a["versions"]["totalCount"], versions[&text(&a["id"])]);
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn many_to_many_relations() {
    let server = fixture().await;
    let data = server
        .data(
            "{ users(orderBy: [{field: EMAIL}]) { nodes { email teams { totalCount nodes { name } } } }
               teams { nodes { name owner { email } members { totalCount nodes { email } } memberships { totalCount nodes { role } } } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        data["users"]["nodes"],
        json!([
            { "email": "ada@example.com", "teams": { "totalCount": 1, "nodes": [{ "name": "Red" }] } },
            { "email": "ben@example.com", "teams": { "totalCount": 2, "nodes": [{ "name": "Red" }, { "name": "Blue" }] } },
            { "email": "cy@example.com", "teams": { "totalCount": 1, "nodes": [{ "name": "Blue" }] } },
        ])
    );
    assert_eq!(
        data["teams"]["nodes"],
        json!([
            { "name": "Red", "owner": { "email": "ada@example.com" },
              "members": { "totalCount": 2, "nodes": [{ "email": "ada@example.com" }, { "email": "ben@example.com" }] },
              "memberships": { "totalCount": 2, "nodes": [{ "role": "OWNER" }, { "role": "EDITOR" }] } },
            { "name": "Blue", "owner": { "email": "ben@example.com" },
              "members": { "totalCount": 2, "nodes": [{ "email": "ben@example.com" }, { "email": "cy@example.com" }] },
              "memberships": { "totalCount": 2, "nodes": [{ "role": "OWNER" }, { "role": "VIEWER" }] } },
        ])
    );
    // Per-parent arguments on a many-to-many connection.
    let data = server
        .data(
            "{ users(orderBy: [{field: EMAIL}]) { nodes {
                 first: teams(first: 1) { nodes { name } pageInfo { hasNextPage hasPreviousPage } }
                 last: teams(last: 1) { nodes { name } pageInfo { hasNextPage hasPreviousPage } }
                 byName: teams(orderBy: [{field: NAME}]) { nodes { name } }
                 blue: teams(filter: {name: {eq: \"Blue\"}}) { totalCount nodes { name } }
                 members: teams { nodes { members(filter: {subscriptionTier: {neq: FREE}}) { totalCount } } } } } }",
            json!({}),
        )
        .await;
    let users = nodes(&data["users"]);
    let get = |i: usize, f: &str| field_of(&users[i][f], "name");
    assert_eq!(
        (get(0, "first"), get(1, "first"), get(2, "first")),
        (vec!["Red".to_string()], vec!["Red".to_string()], vec!["Blue".to_string()])
    );
    assert_eq!(users[1]["first"]["pageInfo"], json!({ "hasNextPage": true, "hasPreviousPage": false }));
    assert_eq!(users[0]["first"]["pageInfo"], json!({ "hasNextPage": false, "hasPreviousPage": false }));
    assert_eq!(get(1, "last"), ["Blue"]);
    assert_eq!(users[1]["last"]["pageInfo"], json!({ "hasNextPage": false, "hasPreviousPage": true }));
    assert_eq!(get(1, "byName"), ["Blue", "Red"]);
    assert_eq!(users.iter().map(|u| u["blue"]["totalCount"].clone()).collect::<Vec<_>>(), [json!(0), json!(1), json!(1)]);
    assert_eq!(users[1]["members"]["nodes"], json!([{ "members": { "totalCount": 2 } }, { "members": { "totalCount": 1 } }]));

    // At volume: the seed's memberships against SQL, both directions.
    let server = seeded().await;
    server
        .db
        .exec(
            "INSERT INTO studio.team_members (team_id, user_id, role)
               SELECT (SELECT id FROM studio.teams ORDER BY id LIMIT 1), u.id, 'Viewer'
               FROM studio.users u WHERE u.id NOT IN (SELECT user_id FROM studio.team_members tm JOIN studio.teams t ON t.id = tm.team_id
                                                       WHERE t.id = (SELECT id FROM studio.teams ORDER BY id LIMIT 1))",
        )
        .await;
    let data = server
        .data("{ users(first: 100) { nodes { id teams { totalCount nodes { id } } } } teams { nodes { id members(first: 100) { totalCount nodes { id } } } } }", json!({}))
        .await;
    let teams_of = server
        .db
        .grouped("SELECT user_id::text AS k, json_agg(team_id::text ORDER BY team_id) AS ids FROM studio.team_members GROUP BY user_id")
        .await;
    let members_of = server
        .db
        .grouped("SELECT team_id::text AS k, json_agg(user_id::text ORDER BY user_id) AS ids FROM studio.team_members GROUP BY team_id")
        .await;
    for u in nodes(&data["users"]) {
        let want = &teams_of[&text(&u["id"])];
        assert_eq!(&ids(&u["teams"]), want);
        assert_eq!(u["teams"]["totalCount"], want.len());
    }
    assert!(teams_of.values().any(|t| t.len() == 2), "someone is in two teams");
    for t in nodes(&data["teams"]) {
        let want = &members_of[&text(&t["id"])];
        assert_eq!(&ids(&t["members"]), want);
        assert_eq!(t["members"]["totalCount"], want.len());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nested_pagination_is_per_parent() {
    let server = fixture().await;
    let q = "query($after: String) { projects(orderBy: [{field: NAME}]) { nodes { name
               first: assets(first: 2) { totalCount nodes { id } pageInfo { hasNextPage hasPreviousPage endCursor } }
               last: assets(last: 2) { nodes { id } pageInfo { hasNextPage hasPreviousPage } }
               desc: assets(first: 3, orderBy: [{field: NAME, direction: DESC}]) { nodes { name } }
               derived: assets(filter: {type: {eq: DERIVED}}) { totalCount nodes { name } }
               after: assets(first: 2, after: $after) { nodes { id } pageInfo { hasNextPage hasPreviousPage } }
             } } }";
    // A cursor is a position: the one after P1's second asset (by id) applies to every parent.
    let data = server.data(q, json!({ "after": Value::Null })).await;
    let projects = nodes(&data["projects"]);
    let names: Vec<String> = projects.iter().map(|p| text(&p["name"])).collect();
    assert_eq!(names, ["Empty", "Poster", "Reel", "Story"]);
    let cursor = projects[1]["first"]["pageInfo"]["endCursor"].clone();
    for (p, project) in [(4u32, &projects[0]), (1, &projects[1]), (2, &projects[2]), (3, &projects[3])] {
        let a = |k: u32| uid(5, p * 10 + k);
        if p == 4 {
            assert_eq!(
                project["first"],
                json!({ "totalCount": 0, "nodes": [], "pageInfo": { "hasNextPage": false, "hasPreviousPage": false, "endCursor": null } })
            );
            assert_eq!(project["last"]["nodes"], json!([]));
            continue;
        }
        assert_eq!(ids(&project["first"]), [a(1), a(2)], "project {p}: first 2");
        assert_eq!(project["first"]["totalCount"], 5);
        assert_eq!(project["first"]["pageInfo"]["hasNextPage"], true);
        assert_eq!(project["first"]["pageInfo"]["hasPreviousPage"], false);
        assert_eq!(ids(&project["last"]), [a(4), a(5)], "project {p}: last 2");
        assert_eq!(project["last"]["pageInfo"], json!({ "hasNextPage": false, "hasPreviousPage": true }));
        assert_eq!(field_of(&project["desc"], "name"), ["Asset 5", "Asset 4", "Asset 3"]);
        assert_eq!(project["derived"], json!({ "totalCount": 2, "nodes": [{ "name": "Asset 2" }, { "name": "Asset 5" }] }));
        assert_eq!(ids(&project["after"]), [a(1), a(2)]);
    }
    let data = server.data(q, json!({ "after": cursor })).await;
    let projects = nodes(&data["projects"]);
    for (p, project) in [(1u32, &projects[1]), (2, &projects[2]), (3, &projects[3])] {
        let a = |k: u32| uid(5, p * 10 + k);
        // P1 continues after its own asset 2; later projects' ids all sort after it.
        let want = if p == 1 { [a(3), a(4)] } else { [a(1), a(2)] };
        assert_eq!(ids(&project["after"]), want, "project {p}: after the cursor");
        assert_eq!(project["after"]["pageInfo"], json!({ "hasNextPage": true, "hasPreviousPage": true }));
    }
    assert_eq!(projects[0]["after"]["nodes"], json!([]));

    // Paging through one parent's children with its own cursors.
    let q = "query($p: UUID!, $after: String) { project(id: $p) { assets(first: 2, after: $after) { nodes { id } pageInfo { hasNextPage endCursor } } } }";
    let mut seen = Vec::new();
    let mut after = Value::Null;
    loop {
        let data = server.data(q, json!({ "p": uid(4, 3), "after": after })).await;
        let conn = &data["project"]["assets"];
        seen.extend(ids(conn));
        if conn["pageInfo"]["hasNextPage"] == false {
            break;
        }
        after = conn["pageInfo"]["endCursor"].clone();
    }
    assert_eq!(seen, (1..=5).map(|k| uid(5, 30 + k)).collect::<Vec<_>>());

    // At volume: per-parent limits inside one batched load match SQL window functions.
    let server = seeded().await;
    let data = server
        .data(
            "{ workbenches(first: 20) { nodes { id projects(first: 2, orderBy: [{field: NAME, direction: DESC}]) { nodes { id } pageInfo { hasNextPage } } } } }",
            json!({}),
        )
        .await;
    let expected: HashMap<String, Vec<String>> = server
        .db
        .rows(
            "SELECT w AS k, json_agg(id ORDER BY rn) AS ids FROM (
           SELECT workbench_id::text AS w, id::text AS id, row_number() OVER (PARTITION BY workbench_id ORDER BY name DESC, id) AS rn
           FROM studio.projects) s WHERE rn <= 2 GROUP BY w",
        )
        .await
        .into_iter()
        .map(|r| (text(&r["k"]), r["ids"].as_array().unwrap().iter().map(text).collect()))
        .collect();
    for wb in nodes(&data["workbenches"]) {
        assert_eq!(ids(&wb["projects"]), expected[&text(&wb["id"])]);
        assert_eq!(wb["projects"]["pageInfo"]["hasNextPage"], true);
    }
}

// ---------------------------------------------------------------------------
// Value encodings
// ---------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn column_values_are_encoded_by_type() {
    let server = fixture().await;
    let data = server
        .data(
            "query($u1: UUID!, $u2: UUID!, $u3: UUID!, $a: UUID!) {
               ada: user(id: $u1) { subscriptionTier socialProvider creditBalance createdAt fullName isEmailVerified languagePreference }
               ben: user(id: $u2) { subscriptionTier socialProvider creditBalance }
               cy: user(id: $u3) { subscriptionTier creditBalance fullName }
               asset(id: $a) { type metadata isFinal }
               usageLog(id: \"9007199254740993\") { id userId creditsCost details timestamp }
               small: usageLog(id: 7) { id creditsCost details }
               versions: assetVersions(first: 1) { nodes { versionNumber } }
             }",
            json!({ "u1": uid(1, 1), "u2": uid(1, 2), "u3": uid(1, 3), "a": uid(5, 11) }),
        )
        .await;
    let ada = &data["ada"];
    assert_eq!(ada["subscriptionTier"], "PRO");
    assert_eq!(ada["socialProvider"], "GOOGLE");
    assert_eq!(ada["creditBalance"], "99999999.99", "Decimal is an exact string");
    assert_eq!(ada["fullName"], "Ada Lovelace");
    assert_eq!(ada["isEmailVerified"], false);
    assert_eq!(ada["languagePreference"], "en-US");
    assert_rfc3339_utc(ada["createdAt"].as_str().unwrap(), "2025-03-04T05:06:07.123456");
    assert_eq!(data["ben"], json!({ "subscriptionTier": "TEAM", "socialProvider": null, "creditBalance": "0.05" }));
    assert_eq!(data["cy"], json!({ "subscriptionTier": "FREE", "creditBalance": "0.00", "fullName": null }));
    assert_eq!(data["asset"], json!({ "type": "AI_GENERATED", "metadata": { "k": 1, "tags": ["demo"] }, "isFinal": false }));
    let log = &data["usageLog"];
    assert_eq!(log["id"], "9007199254740993", "BigInt is an exact string beyond 2^53");
    assert_eq!(log["userId"], uid(1, 1));
    assert_eq!(log["creditsCost"], "1.25");
    assert_eq!(log["details"], json!({ "method": "password", "mfa": true }));
    assert_rfc3339_utc(log["timestamp"].as_str().unwrap(), "2025-03-04T05:06:07");
    assert_eq!(data["small"], json!({ "id": "7", "creditsCost": null, "details": null }));
    assert_eq!(data["versions"]["nodes"][0]["versionNumber"], 1, "Int is a number");

    // The same encodings through filters and ordering: enum and BigInt round-trip.
    let data = server
        .data(
            "{ usageLogs(filter: {id: {gt: \"9007199254740992\"}}) { nodes { id } }
               usersDesc: users(orderBy: [{field: CREDIT_BALANCE, direction: DESC}]) { nodes { creditBalance } }
               aiAssets: assets(filter: {type: {eq: AI_GENERATED}}) { totalCount nodes { type } } }",
            json!({}),
        )
        .await;
    assert_eq!(data["usageLogs"]["nodes"], json!([{ "id": "9007199254740993" }]));
    assert_eq!(field_of(&data["usersDesc"], "creditBalance"), ["99999999.99", "0.05", "0.00"]);
    assert_eq!(data["aiAssets"]["totalCount"], 6);
    assert!(field_of(&data["aiAssets"], "type").iter().all(|t| t == "AI_GENERATED"));

    // All timestamps of a seeded table are RFC 3339 and equal to the stored instants.
    let server = seeded().await;
    let data = server.data("{ users { nodes { id createdAt lastLoginAt deletedAt } } }", json!({})).await;
    let expected = server.db.rows("SELECT id::text AS id, to_char(created_at, 'YYYY-MM-DD\"T\"HH24:MI:SS') AS c, to_char(last_login_at, 'YYYY-MM-DD\"T\"HH24:MI:SS') AS l,
                deleted_at IS NULL AS d FROM studio.users ORDER BY id",
    )
    .await;
    for (u, e) in nodes(&data["users"]).iter().zip(&expected) {
        assert_eq!(u["id"], e["id"]);
        assert_rfc3339_utc(u["createdAt"].as_str().unwrap(), e["c"].as_str().unwrap());
        assert_rfc3339_utc(u["lastLoginAt"].as_str().unwrap(), e["l"].as_str().unwrap());
        assert_eq!(u["deletedAt"].is_null(), e["d"].as_bool().unwrap());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fragments_select_the_same_columns_as_fields() {
    let server = fixture().await;
    let data = server
        .data(
            "query($p: UUID!) {
               project(id: $p) { ...P workbench { ... on Workbench { name } } }
               projects(first: 1) { edges { node { ...P } } }
             }
             fragment P on Project { name assets(first: 1) { nodes { ... on Asset { name type } } } }",
            json!({ "p": uid(4, 2) }),
        )
        .await;
    assert_eq!(
        data,
        json!({
            "project": { "name": "Reel", "assets": { "nodes": [{ "name": "Asset 1", "type": "AI_GENERATED" }] }, "workbench": { "name": "Alpha" } },
            "projects": { "edges": [{ "node": { "name": "Poster", "assets": { "nodes": [{ "name": "Asset 1", "type": "AI_GENERATED" }] } } }] },
        })
    );
}
