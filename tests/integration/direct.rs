//! The direct read path against the ordinary executor.
//!
//! Two Quiver instances serve one database: one answers read-only queries on
//! the direct path, the other (`--no-direct-reads`) always through
//! async-graphql's resolvers. Every query below goes to both; the bodies must
//! agree in every value and in the order of every object's keys, and the
//! direct-read counter on `/metrics` shows which path answered.

use serde_json::{json, Value};

use crate::common::{client_with_token, token, Instance, TestServer};

/// Both instances over the studio and orders demo data.
async fn pair() -> (TestServer, Instance) {
    let server = TestServer::start_with(&[crate::common::UNCAPPED_NODES]).await;
    server.db.seed_studio(&[("users", 4), ("projects_per_workbench", 3), ("assets_per_project", 4)]).await;
    let orders = quiver::apps::find("orders").unwrap().app();
    let demo = quiver::apps::find("orders").unwrap().demo.unwrap();
    assert!(demo.load_if_empty(orders, &server.db.url, &[]).await.expect("orders demo data loads"));
    server.db.exec("UPDATE orders.ip_allowlist SET is_active = false").await;
    let ordinary = server.second_instance(&["--no-direct-reads", crate::common::UNCAPPED_NODES]).await;
    (server, ordinary)
}

/// A JSON body in a canonical spelling that keeps key order: parsed into
/// async-graphql's ordered value and printed compactly.
fn canonical(body: &str) -> String {
    let value: async_graphql::Value = serde_json::from_str(body).unwrap_or_else(|e| panic!("not JSON ({e}): {body}"));
    serde_json::to_string(&value).unwrap()
}

async fn direct_reads(http: &reqwest::Client, base: &str) -> u64 {
    let text = http.get(format!("{base}/metrics")).send().await.unwrap().text().await.unwrap();
    text.lines()
        .find_map(|l| l.strip_prefix("quiver_direct_reads_total "))
        .and_then(|v| v.trim().parse().ok())
        .expect("direct-read counter in /metrics")
}

/// Which path is expected to answer.
#[derive(Clone, Copy, PartialEq, Debug)]
enum Path {
    Direct,
    Ordinary,
}

/// Sends `query` to both instances as `bearer`; asserts equal statuses and
/// bodies and that the direct instance answered on `path`. Returns the body.
async fn same(server: &TestServer, ordinary: &Instance, bearer: &str, app: &str, query: &str, variables: Value, path: Path) -> Value {
    let http = if bearer.is_empty() { reqwest::Client::new() } else { client_with_token(bearer) };
    let before = direct_reads(&http, &server.base).await;
    let mut bodies = Vec::new();
    for base in [&server.base, &ordinary.base] {
        let resp = http
            .post(format!("{base}/graphql/{app}"))
            .json(&json!({ "query": query, "variables": variables }))
            .send()
            .await
            .expect("request sent");
        let status = resp.status().as_u16();
        bodies.push((status, resp.text().await.unwrap()));
    }
    let answered = direct_reads(&http, &server.base).await - before;
    assert_eq!(answered, u64::from(path == Path::Direct), "expected the {path:?} path for {query}: {}", bodies[0].1);
    assert_eq!(direct_reads(&http, &ordinary.base).await, 0, "the ordinary instance answered directly");
    let (direct, plain) = (&bodies[0], &bodies[1]);
    assert_eq!(direct.0, plain.0, "statuses differ for {query}");
    let body: Value = serde_json::from_str(&direct.1).unwrap();
    if path == Path::Direct {
        assert!(body.get("errors").is_none(), "errors on the direct path: {body:#}");
    }
    // Request ids differ between instances; everything else must not.
    let strip = |text: &str| {
        let mut v: Value = serde_json::from_str(text).unwrap();
        for e in v["errors"].as_array_mut().into_iter().flatten() {
            if let Some(x) = e["extensions"].as_object_mut() {
                x.remove("requestId");
            }
        }
        canonical(&v.to_string())
    };
    let (a, b) = (canonical(&direct.1), canonical(&plain.1));
    if a != b {
        assert_eq!(strip(&direct.1), strip(&plain.1), "bodies differ for {query}");
    }
    body
}

async fn first_id(server: &TestServer, sql: &str) -> String {
    server.db.rows(sql).await[0]["id"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn deep_reads_agree_with_the_resolvers() {
    let (server, ordinary) = pair().await;
    let service = crate::common::service_token();
    let deep = r#"
        query Deep($w: Int!, $after: String) {
          workbenches(first: $w, after: $after, orderBy: [{field: NAME}, {field: CREATED_AT, direction: DESC, nulls: FIRST}]) {
            __typename
            totalCount
            pageInfo { hasNextPage hasPreviousPage startCursor endCursor __typename }
            edges {
              cursor __typename
              node {
                id name __typename
                user { id email creditBalance subscriptionTier isEmailVerified lastLoginAt }
                defaultBrandKit { id }
                projects(first: 2) {
                  totalCount
                  nodes {
                    id name collaborationState updatedAt
                    assets(last: 3) {
                      pageInfo { hasPreviousPage hasNextPage startCursor endCursor }
                      edges {
                        cursor
                        node {
                          name type isFinal metadata createdAt deletedAt
                          versions(first: 2, orderBy: {field: VERSION_NUMBER, direction: DESC}) {
                            totalCount
                            nodes { versionNumber stateData createdAt asset { id name } createdByUser { email } }
                          }
                        }
                      }
                    }
                  }
                }
              }
            }
          }
        }"#;
    let page = same(&server, &ordinary, &service, "studio", deep, json!({ "w": 3 }), Path::Direct).await;
    let end = page["data"]["workbenches"]["pageInfo"]["endCursor"].as_str().unwrap().to_string();
    assert!(page["data"]["workbenches"]["edges"].as_array().unwrap().len() == 3);
    // The next page, through the cursor either path wrote.
    same(&server, &ordinary, &service, "studio", deep, json!({ "w": 2, "after": end }), Path::Direct).await;
    // Backward pages.
    let back = "query($before: String) { workbenches(last: 2, before: $before) { pageInfo { hasNextPage hasPreviousPage startCursor } nodes { name } } }";
    same(&server, &ordinary, &service, "studio", back, json!({ "before": null }), Path::Direct).await;
    let tail = same(&server, &ordinary, &service, "studio", back, json!({}), Path::Direct).await;
    let start = tail["data"]["workbenches"]["pageInfo"]["startCursor"].as_str().unwrap().to_string();
    same(&server, &ordinary, &service, "studio", back, json!({ "before": start }), Path::Direct).await;
}

#[tokio::test]
async fn fragments_aliases_directives_and_lookups_agree() {
    let (server, ordinary) = pair().await;
    let service = crate::common::service_token();
    let user = first_id(&server, "SELECT id::text AS id FROM studio.users ORDER BY email LIMIT 1").await;
    let project = first_id(&server, "SELECT id::text AS id FROM studio.projects ORDER BY name LIMIT 1").await;
    let query = r#"
        query Shapes($skip: Boolean!, $inc: Boolean = true, $user: UUID!, $project: UUID!, $missing: UUID!) {
          __typename
          a: users(first: 2) { ...Users }
          b: users(first: 2, orderBy: {field: EMAIL, direction: DESC}) {
            nodes { ... on User { email } id @skip(if: $skip) fullName @include(if: $inc) }
            nodes { languagePreference }
          }
          me: user(id: $user) { email ...More teamMemberships(first: 2) { nodes { role joinedAt team { name owner { email } } } } }
          again: user(id: $user) { id }
          project(id: $project) { name workbench { name user { email } } template { name } }
          nobody: user(id: $missing) { id }
          ... @include(if: $inc) { templates(first: 2) { nodes { name } } }
        }
        fragment Users on UserConnection { totalCount nodes { id email ...More } }
        fragment More on User { teams(first: 3) { totalCount nodes { name } } ownedTeams { nodes { members(first: 2) { nodes { email } } } } }
    "#;
    let vars = json!({ "skip": true, "user": user, "project": project, "missing": "00000000-0000-4000-8000-000000000000" });
    let body = same(&server, &ordinary, &service, "studio", query, vars.clone(), Path::Direct).await;
    assert!(body["data"]["nobody"].is_null());
    let email = server.db.rows(&format!("SELECT email AS id FROM studio.users WHERE id = '{user}'")).await[0]["id"].clone();
    assert_eq!(body["data"]["me"]["email"], email);
    same(
        &server,
        &ordinary,
        &service,
        "studio",
        query,
        json!({ "skip": false, "inc": false, "user": user, "project": project, "missing": user }),
        Path::Direct,
    )
    .await;
}

#[tokio::test]
async fn filters_exact_numbers_and_json_agree() {
    let (server, ordinary) = pair().await;
    let service = crate::common::service_token();
    let query = r#"
        query($kinds: [AssetType!]) {
          assets(first: 10, filter: {
              or: [{type: {in: $kinds}}, {name: {ilike: "%1%"}}],
              not: {isFinal: {eq: true}},
              project: {name: {like: "%"}}
            }, orderBy: [{field: TYPE}, {field: NAME, direction: DESC}]) {
            totalCount
            nodes { id name type project { name } generationRequest { status creditsCostSample inputParameters sampleAssets processingTimeMs } }
          }
          usageLogs(first: 5, orderBy: {field: ID, direction: DESC}) { nodes { id details creditsCost timestamp user { creditBalance } } }
          creditTransactions(first: 5, filter: {amount: {gte: "0"}}) { totalCount nodes { amount actionType syncedAt } }
          generationRequests(first: 5) { nodes { status user { subscriptionTier } creditTransactions { totalCount } } }
        }"#;
    let body = same(&server, &ordinary, &service, "studio", query, json!({ "kinds": ["AI_GENERATED", "DERIVED"] }), Path::Direct).await;
    assert!(body["data"]["usageLogs"]["nodes"][0]["id"].is_string(), "BigInt travels as a string: {body:#}");
}

#[tokio::test]
async fn orders_reads_agree() {
    let (server, ordinary) = pair().await;
    let service = crate::common::service_token();
    let query = r#"{
        tenants {
          nodes {
            name
            customers(first: 3, orderBy: {field: LAST_NAME}) {
              totalCount
              nodes { firstName email isActive industry { name } orders { nodes { status orderDate items { nodes { quantity product { name sku category { name } } } } } } }
            }
            ipAllowlist { nodes { ipAddress isActive } }
            productSpecials(first: 2) { nodes { name startDate product { name } } }
          }
        }
        proposedOrders { nodes { orderItems status lastDeviceId call { callDate duration agent { name } reorder { id } } customer { lastName } } }
    }"#;
    same(&server, &ordinary, &service, "orders", query, json!({}), Path::Direct).await;
}

#[tokio::test]
async fn row_rules_apply_on_the_direct_path_too() {
    let (server, ordinary) = pair().await;
    let user = first_id(&server, "SELECT user_id::text AS id FROM studio.team_members ORDER BY joined_at LIMIT 1").await;
    let caller = token("authenticated", Some(&user), 600);
    let query = r#"{
        workbenches { totalCount nodes { name projects { totalCount nodes { name assets { nodes { name versions { nodes { versionNumber } } } } } } } }
        teams { nodes { name members { totalCount nodes { email } } brandKits { nodes { name } } } }
        projects { totalCount }
        templates(first: 3) { nodes { name } }
    }"#;
    let body = same(&server, &ordinary, &caller, "studio", query, json!({}), Path::Direct).await;
    let all: i64 = server.db.rows("SELECT count(*)::int AS n FROM studio.projects").await[0]["n"].as_i64().unwrap();
    let own = body["data"]["projects"]["totalCount"].as_i64().unwrap();
    assert!(own > 0 && own < all, "a user sees some projects, not all: {own} of {all}");
    // Anonymous callers see only public rows, on both paths alike.
    same(&server, &ordinary, "", "studio", query, json!({}), Path::Direct).await;
}

#[tokio::test]
async fn what_the_direct_path_declines_the_resolvers_answer() {
    let (server, ordinary) = pair().await;
    let service = crate::common::service_token();
    // Introspection, a bad cursor, a bad argument, a mutation: the ordinary path,
    // with the same data and the same error codes either way.
    for query in [
        "{ __schema { queryType { name } } projects(first: 1) { nodes { id } } }",
        "{ __type(name: \"Project\") { name } }",
        "{ projects(after: \"not-a-cursor\") { nodes { id } } }",
        "{ projects(first: -1) { nodes { id } } }",
        "{ user(id: \"not-a-uuid\") { id } }",
    ] {
        same(&server, &ordinary, &service, "studio", query, json!({}), Path::Ordinary).await;
    }
    // A required relation the caller may not see (a team's owner, to a member
    // who is not the owner): the resolvers report it, with its path.
    let member = first_id(
        &server,
        "SELECT tm.user_id::text AS id FROM studio.team_members tm JOIN studio.teams t ON t.id = tm.team_id WHERE tm.user_id <> t.owner_id LIMIT 1",
    )
    .await;
    let caller = token("authenticated", Some(&member), 600);
    let body = same(&server, &ordinary, &caller, "studio", "{ teams { nodes { name owner { email } } } }", json!({}), Path::Ordinary).await;
    assert!(body["errors"].as_array().is_some_and(|e| !e.is_empty()), "{body:#}");
    // Without the owner, the same member's teams are answered directly.
    same(&server, &ordinary, &caller, "studio", "{ teams { nodes { name ownerId } } }", json!({}), Path::Direct).await;
}
