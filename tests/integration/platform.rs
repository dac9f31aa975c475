//! The platform app end to end over HTTP and WebSocket, on its demo data
//! (`src/apps/platform/seed.sql`): workspace members of every role and of
//! different workspaces on root lists, lookups, counts, relation filters,
//! many-to-many connections, mutations and subscriptions; soft-deleted
//! workspaces; creating a workspace with its owner in one transaction;
//! cascades; composite keys; write-only secrets; and one SQL statement per
//! level for `workspaces → scheduledPosts → socialAccounts`.
//!
//! Demo membership (default sizes: 12 users, 4 workspaces): workspace w has
//! user ((w-1)*3 + k-1) % 12 + 1 as OWNER (k = 1), ADMIN, MEMBER, VIEWER
//! (k = 4). So `user-1` owns ws-1 and views ws-4, `user-2` is ADMIN of ws-1,
//! `user-3` MEMBER of ws-1, `user-4` VIEWER of ws-1 and OWNER of ws-2, and
//! `user-12` only a MEMBER of ws-4. Each workspace has 4 social accounts and
//! 7 scheduled posts (one per status), each post on 2 accounts.

use std::time::Duration;

use serde_json::{json, Value};

use crate::common::ws::WsClient;
use crate::common::{self, TestServer};

const APP: &str = "platform";

/// A server over a fresh database holding the platform demo data (`sizes` over the defaults).
async fn seeded(sizes: &[(&str, u32)]) -> TestServer {
    let server = TestServer::start().await;
    let def = quiver::apps::find(APP).unwrap();
    let sizes: Vec<(String, u32)> = sizes.iter().map(|(k, v)| (k.to_string(), *v)).collect();
    assert!(def.demo.unwrap().load_if_empty(def.app(), &server.db.url, &sizes).await.expect("demo data loads"));
    server
}

/// POSTs a query to the platform endpoint as `user` (`None`: the service role); the whole body.
async fn gql_as(server: &TestServer, user: Option<&str>, query: &str, variables: Value) -> Value {
    let token = match user {
        Some(u) => common::token("authenticated", Some(u), 3600),
        None => common::service_token(),
    };
    let resp = common::client_with_token(&token)
        .post(server.endpoint(APP))
        .json(&json!({ "query": query, "variables": variables }))
        .send()
        .await
        .expect("request sent");
    assert_eq!(resp.status(), 200, "status");
    resp.json().await.expect("JSON body")
}

/// [`gql_as`] for a query that must succeed; its `data`.
async fn data_as(server: &TestServer, user: Option<&str>, query: &str, variables: Value) -> Value {
    let body = gql_as(server, user, query, variables).await;
    assert!(body.get("errors").is_none(), "unexpected errors for {user:?}: {body:#}");
    body["data"].clone()
}

/// [`gql_as`] for a query that must fail; the first error's code.
async fn code_as(server: &TestServer, user: Option<&str>, query: &str, variables: Value) -> String {
    let body = gql_as(server, user, query, variables).await;
    body["errors"][0]["extensions"]["code"].as_str().unwrap_or_else(|| panic!("no error code for {user:?}: {body:#}")).to_string()
}

/// The single value `v` of a one-row SQL query.
async fn sql_value(server: &TestServer, query: &str) -> Value {
    let rows = server.db.rows(query).await;
    assert_eq!(rows.len(), 1, "{query}: {rows:?}");
    rows[0]["v"].clone()
}

/// The `id`s of a GraphQL connection's nodes, sorted.
fn ids(connection: &Value) -> Vec<String> {
    let mut out: Vec<String> = connection["nodes"].as_array().unwrap().iter().map(|n| n["id"].as_str().unwrap().to_string()).collect();
    out.sort();
    out
}

/// The ids of an SQL query's `id` column, sorted.
async fn sql_ids(server: &TestServer, query: &str) -> Vec<String> {
    let mut out: Vec<String> = server.db.rows(query).await.iter().map(|r| r["id"].as_str().unwrap().to_string()).collect();
    out.sort();
    out
}

const LISTS: &str = "{ workspaces { totalCount nodes { id } } scheduledPosts { totalCount } socialAccounts { totalCount }
    scheduledPostAccounts { totalCount } inboxItems { totalCount } workspaceMembers { totalCount } }";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn members_see_exactly_their_workspaces_rows_on_lists_and_counts() {
    let server = seeded(&[]).await;
    // (caller, workspaces they belong to)
    let cases: [(Option<&str>, &[&str]); 5] = [
        (Some("user-4"), &["ws-1", "ws-2"]), // VIEWER of ws-1, OWNER of ws-2
        (Some("user-1"), &["ws-1", "ws-4"]), // OWNER of ws-1, VIEWER of ws-4
        (Some("user-12"), &["ws-4"]),        // MEMBER of ws-4
        (Some("user-99"), &[]),              // signed in, member of nothing
        (None, &["ws-1", "ws-2", "ws-3", "ws-4"]),
    ];
    for (user, workspaces) in cases {
        let d = data_as(&server, user, LISTS, json!({})).await;
        let n = workspaces.len() as u64;
        assert_eq!(ids(&d["workspaces"]), workspaces.iter().map(|s| s.to_string()).collect::<Vec<_>>(), "{user:?}");
        assert_eq!(d["workspaces"]["totalCount"], n, "{user:?}");
        assert_eq!(d["scheduledPosts"]["totalCount"], 7 * n, "{user:?}: 7 posts per workspace");
        assert_eq!(d["socialAccounts"]["totalCount"], 4 * n, "{user:?}");
        assert_eq!(d["scheduledPostAccounts"]["totalCount"], 14 * n, "{user:?}: join rows follow their post");
        assert_eq!(d["inboxItems"]["totalCount"], 5 * n, "{user:?}");
        // Memberships: those of their workspaces (each has 4), plus none of others'.
        assert_eq!(d["workspaceMembers"]["totalCount"], 4 * n, "{user:?}");
    }
    // Anonymous callers see nothing of a workspace, and the public catalogs.
    let anon = reqwest::Client::new()
        .post(server.endpoint(APP))
        .json(&json!({ "query": "{ workspaces { totalCount } subscriptionPlans { totalCount } featureFlags { totalCount } sessions { totalCount } }" }))
        .send()
        .await
        .unwrap()
        .json::<Value>()
        .await
        .unwrap();
    assert_eq!(
        anon["data"],
        json!({ "workspaces": { "totalCount": 0 }, "subscriptionPlans": { "totalCount": 3 },
        "featureFlags": { "totalCount": 2 }, "sessions": { "totalCount": 0 } }),
        "{anon:#}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lookups_relations_filters_and_many_to_many_follow_membership() {
    let server = seeded(&[]).await;
    let u4 = Some("user-4");
    // Lookups: another workspace's rows do not exist for the caller.
    let d = data_as(
        &server,
        u4,
        r#"{ a: workspace(id: "ws-3") { id } b: socialAccount(id: "sa-3-1") { id } c: scheduledPost(id: "sp-3-1") { id }
        d: workspace(id: "ws-2") { id name } e: scheduledPost(id: "sp-1-1") { id workspace { id } } }"#,
        json!({}),
    )
    .await;
    assert_eq!(d["a"], Value::Null);
    assert_eq!(d["b"], Value::Null);
    assert_eq!(d["c"], Value::Null);
    assert_eq!(d["d"]["id"], "ws-2");
    assert_eq!(d["e"]["workspace"]["id"], "ws-1");

    // A filter across a to-one relation, and counts under it.
    let d = data_as(
        &server,
        u4,
        r#"{ scheduledPosts(filter: { workspace: { slug: { eq: "workspace-2" } } }) { totalCount }
        other: scheduledPosts(filter: { workspace: { slug: { eq: "workspace-3" } } }) { totalCount }
        published: scheduledPosts(filter: { status: { eq: PUBLISHED } }) { totalCount nodes { id } } }"#,
        json!({}),
    )
    .await;
    assert_eq!(d["scheduledPosts"]["totalCount"], 7);
    assert_eq!(d["other"]["totalCount"], 0, "a filter on a workspace one is not in finds nothing");
    assert_eq!(ids(&d["published"]), vec!["sp-1-5", "sp-2-5"]);

    // Many-to-many both ways, checked against SQL.
    let d = data_as(
        &server,
        u4,
        r#"{ scheduledPost(id: "sp-2-4") { socialAccounts { totalCount nodes { id platform } } }
        socialAccount(id: "sa-2-1") { scheduledPosts { totalCount nodes { id } } workspace { id } } }"#,
        json!({}),
    )
    .await;
    let want = sql_ids(&server, "SELECT \"accountId\" AS id FROM platform.scheduled_post_accounts WHERE \"postId\" = 'sp-2-4'").await;
    assert_eq!(ids(&d["scheduledPost"]["socialAccounts"]), want);
    assert_eq!(want.len(), 2);
    let want = sql_ids(&server, "SELECT \"postId\" AS id FROM platform.scheduled_post_accounts WHERE \"accountId\" = 'sa-2-1'").await;
    assert_eq!(ids(&d["socialAccount"]["scheduledPosts"]), want);
    assert_eq!(d["socialAccount"]["scheduledPosts"]["totalCount"], want.len());

    // Self-reference and a one-to-one (unique foreign key) reverse field.
    let d = data_as(
        &server,
        None,
        r#"{ user(id: "user-5") { referredBy { id } } u4: user(id: "user-4") { referredUsers { nodes { id } } } }"#,
        json!({}),
    )
    .await;
    assert_eq!(d["user"]["referredBy"]["id"], "user-4");
    assert_eq!(ids(&d["u4"]["referredUsers"]), vec!["user-5"]);
    server.db.exec("INSERT INTO platform.brand_profiles (id, \"workspaceId\", name, version, \"createdById\") VALUES ('bp-2', 'ws-2', 'Brand 2', 1, 'user-4')").await;
    let d = data_as(&server, u4, r#"{ workspace(id: "ws-2") { brandProfile { id workspace { id } } } }"#, json!({})).await;
    assert_eq!(d["workspace"]["brandProfile"], json!({ "id": "bp-2", "workspace": { "id": "ws-2" } }));
    let d = data_as(&server, Some("user-7"), r#"{ brandProfile(id: "bp-2") { id } }"#, json!({})).await;
    assert_eq!(d["brandProfile"]["id"], "bp-2", "user-7 is VIEWER of ws-2");
    let d = data_as(&server, Some("user-12"), r#"{ brandProfile(id: "bp-2") { id } }"#, json!({})).await;
    assert_eq!(d["brandProfile"], Value::Null, "user-12 is not in ws-2");
}

const CREATE_POST: &str =
    "mutation($input: ScheduledPostCreateInput!) { createScheduledPost(input: $input) { id status workspace { id } } }";
const UPDATE_POST: &str =
    "mutation($id: String!, $patch: ScheduledPostPatch!) { updateScheduledPost(id: $id, patch: $patch) { id content workspaceId } }";

fn post_input(workspace: &str, user: &str) -> Value {
    json!({ "input": { "content": "hello", "scheduledAt": "2025-05-01T10:00:00Z", "timezone": "UTC", "maxRetries": 3,
                       "workspaceId": workspace, "createdById": user } })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn writes_need_a_role_above_viewer_and_settings_need_an_admin() {
    let server = seeded(&[]).await;
    // ws-1: user-1 OWNER, user-2 ADMIN, user-3 MEMBER, user-4 VIEWER.
    assert_eq!(code_as(&server, Some("user-4"), CREATE_POST, post_input("ws-1", "user-4")).await, "FORBIDDEN", "a VIEWER writes nothing");
    let d = data_as(&server, Some("user-3"), CREATE_POST, post_input("ws-1", "user-3")).await;
    assert_eq!(d["createScheduledPost"]["workspace"]["id"], "ws-1");
    assert_eq!(d["createScheduledPost"]["status"], "DRAFT", "the enum's default");
    let new_id = d["createScheduledPost"]["id"].as_str().unwrap().to_string();
    // Another workspace's post does not exist for the caller; moving one's own post there is refused.
    assert_eq!(code_as(&server, Some("user-3"), UPDATE_POST, json!({ "id": "sp-3-1", "patch": { "content": "x" } })).await, "NOT_FOUND");
    let code = code_as(&server, Some("user-3"), UPDATE_POST, json!({ "id": new_id, "patch": { "workspaceId": "ws-3" } })).await;
    assert_eq!(code, "FOREIGN_KEY_VIOLATION", "a workspace one cannot read is as good as none");
    let d = data_as(&server, Some("user-4"), UPDATE_POST, json!({ "id": "sp-2-1", "patch": { "content": "owner edit" } })).await;
    assert_eq!(d["updateScheduledPost"]["content"], "owner edit", "user-4 owns ws-2");
    assert_eq!(
        sql_value(&server, &format!("SELECT \"workspaceId\" AS v FROM platform.scheduled_posts WHERE id = '{new_id}'")).await,
        "ws-1"
    );

    // A join row may only link rows the writer may write: a post of ws-1 to an account of ws-2 fails for user-3.
    let link = "mutation($input: ScheduledPostAccountCreateInput!) { createScheduledPostAccount(input: $input) { id post { id } account { id } } }";
    let code = code_as(&server, Some("user-3"), link, json!({ "input": { "postId": new_id, "accountId": "sa-2-1" } })).await;
    assert_eq!(code, "FOREIGN_KEY_VIOLATION");
    let d = data_as(&server, Some("user-3"), link, json!({ "input": { "postId": new_id, "accountId": "sa-1-2" } })).await;
    assert_eq!(d["createScheduledPostAccount"]["account"]["id"], "sa-1-2");
    let d = data_as(
        &server,
        Some("user-3"),
        &format!(r#"{{ scheduledPost(id: "{new_id}") {{ socialAccounts {{ nodes {{ id }} }} }} }}"#),
        json!({}),
    )
    .await;
    assert_eq!(ids(&d["scheduledPost"]["socialAccounts"]), vec!["sa-1-2"]);

    // Workspace settings and members: admins and owners only.
    let rename = r#"mutation($id: String!) { updateWorkspace(id: $id, patch: { name: "Renamed" }) { name } }"#;
    assert_eq!(code_as(&server, Some("user-3"), rename, json!({ "id": "ws-1" })).await, "FORBIDDEN", "a MEMBER");
    assert_eq!(data_as(&server, Some("user-2"), rename, json!({ "id": "ws-1" })).await["updateWorkspace"]["name"], "Renamed", "an ADMIN");
    let invite = "mutation($input: WorkspaceMemberCreateInput!) { createWorkspaceMember(input: $input) { id role userId } }";
    let input = json!({ "input": { "workspaceId": "ws-1", "userId": "user-9", "role": "VIEWER", "invitedAt": "2025-05-01T10:00:00Z" } });
    assert_eq!(code_as(&server, Some("user-3"), invite, input.clone()).await, "FORBIDDEN");
    let d = data_as(&server, Some("user-2"), invite, input).await;
    assert_eq!(d["createWorkspaceMember"]["role"], "VIEWER");
    assert_eq!(d["createWorkspaceMember"]["userId"], "user-9", "admins add users by id without reading them");
    let d = data_as(&server, Some("user-9"), "{ workspaces { nodes { id } } }", json!({})).await;
    assert_eq!(ids(&d["workspaces"]), vec!["ws-1", "ws-3"], "the invited user now sees ws-1");
    // updatedAt is kept by the database and is not an input.
    let before = sql_value(&server, "SELECT \"updatedAt\"::text AS v FROM platform.workspaces WHERE id = 'ws-2'").await;
    data_as(&server, Some("user-4"), rename, json!({ "id": "ws-2" })).await;
    let after = sql_value(&server, "SELECT \"updatedAt\"::text AS v FROM platform.workspaces WHERE id = 'ws-2'").await;
    assert_ne!(before, after, "the trigger moved updatedAt");
    let code = code_as(
        &server,
        Some("user-4"),
        r#"mutation { updateWorkspace(id: "ws-2", patch: { updatedAt: "2020-01-01T00:00:00Z" }) { id } }"#,
        json!({}),
    )
    .await;
    assert_eq!(code, "BAD_USER_INPUT", "updatedAt is no patch field");
}

const CREATE_WORKSPACE: &str = r#"mutation($slug: String!) { createOwnedWorkspace(name: "Fresh", slug: $slug) { id slug workspaceMembers { nodes { role userId } } } }"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn creating_a_workspace_makes_the_creator_its_owner_in_one_transaction() {
    let server = seeded(&[]).await;
    let d = data_as(&server, Some("user-12"), CREATE_WORKSPACE, json!({ "slug": "fresh" })).await;
    let ws = &d["createOwnedWorkspace"];
    assert_eq!(ws["slug"], "fresh");
    assert_eq!(ws["workspaceMembers"]["nodes"], json!([{ "role": "OWNER", "userId": "user-12" }]));
    let id = ws["id"].as_str().unwrap();
    // The owner may now change its settings; nobody else sees it.
    let rename = r#"mutation($id: String!) { updateWorkspace(id: $id, patch: { name: "Mine" }) { name } }"#;
    assert_eq!(data_as(&server, Some("user-12"), rename, json!({ "id": id })).await["updateWorkspace"]["name"], "Mine");
    let d = data_as(&server, Some("user-1"), &format!(r#"{{ workspace(id: "{id}") {{ id }} }}"#), json!({})).await;
    assert_eq!(d["workspace"], Value::Null);
    // A taken slug: CONFLICT, and neither row is written.
    let before = sql_value(&server, "SELECT count(*) AS v FROM platform.workspace_members").await;
    assert_eq!(code_as(&server, Some("user-11"), CREATE_WORKSPACE, json!({ "slug": "workspace-1" })).await, "CONFLICT");
    assert_eq!(sql_value(&server, "SELECT count(*) AS v FROM platform.workspace_members").await, before);
    assert_eq!(sql_value(&server, "SELECT count(*) AS v FROM platform.workspaces").await, 5);
    // Without a signed-in user there is no owner; a user may not create an ownerless workspace either.
    assert_eq!(code_as(&server, None, CREATE_WORKSPACE, json!({ "slug": "svc" })).await, "FORBIDDEN");
    let plain = r#"mutation { createWorkspace(input: { name: "x", slug: "x", maxSocialAccounts: 1, maxScheduledPosts: 1, maxAbTests: 1,
        monthlyAiCredits: 1, usedAiCredits: 0, maxTeamMembers: 1 }) { id } }"#;
    assert_eq!(code_as(&server, Some("user-12"), plain, json!({})).await, "FORBIDDEN");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn soft_deleted_rows_are_hidden_unless_asked_for_by_who_may_see_them() {
    let server = seeded(&[]).await;
    let soft_delete = r#"mutation { updateWorkspace(id: "ws-1", patch: { deletedAt: "2025-06-01T00:00:00Z" }) { id deletedAt } }"#;
    assert_eq!(code_as(&server, Some("user-3"), soft_delete, json!({})).await, "FORBIDDEN", "a MEMBER may not delete");
    let d = data_as(&server, Some("user-2"), soft_delete, json!({})).await;
    assert_eq!(d["updateWorkspace"]["id"], "ws-1", "the admin's mutation returns the row");
    let q = r#"query($all: Boolean!) { workspaces(includeDeleted: $all) { totalCount nodes { id } }
        scheduledPosts(includeDeleted: $all, filter: { workspaceId: { eq: "ws-1" } }) { totalCount }
        scheduledPostAccounts(includeDeleted: $all, filter: { accountId: { eq: "sa-1-1" } }) { totalCount }
        socialAccount(id: "sa-1-1") { id } }"#;
    // user-4: VIEWER of the deleted ws-1, OWNER of ws-2: never sees ws-1, asked or not.
    for all in [false, true] {
        let d = data_as(&server, Some("user-4"), q, json!({ "all": all })).await;
        assert_eq!(ids(&d["workspaces"]), vec!["ws-2"], "asked: {all}");
        assert_eq!(d["workspaces"]["totalCount"], 1);
        assert_eq!(d["scheduledPosts"]["totalCount"], 0);
        assert_eq!(d["scheduledPostAccounts"]["totalCount"], 0, "grandchildren follow");
        assert_eq!(d["socialAccount"], Value::Null, "nor by key");
    }
    // user-1, its owner: hidden from lists unless asked for; by key it is there.
    let d = data_as(&server, Some("user-1"), q, json!({ "all": false })).await;
    assert_eq!(ids(&d["workspaces"]), vec!["ws-4"]);
    assert_eq!(d["workspaces"]["totalCount"], 1);
    assert_eq!(d["scheduledPosts"]["totalCount"], 0);
    assert_eq!(d["socialAccount"]["id"], "sa-1-1");
    let d = data_as(&server, Some("user-1"), q, json!({ "all": true })).await;
    assert_eq!(ids(&d["workspaces"]), vec!["ws-1", "ws-4"]);
    assert_eq!(d["workspaces"]["totalCount"], 2);
    assert_eq!(d["scheduledPosts"]["totalCount"], 7);
    let on_account =
        sql_value(&server, "SELECT count(*)::int AS v FROM platform.scheduled_post_accounts WHERE \"accountId\" = 'sa-1-1'").await;
    assert_eq!(d["scheduledPostAccounts"]["totalCount"], on_account);
    // The resolvers (WebSocket queries) read the same.
    let mut ws = WsClient::connect_as(&server.base, APP, &common::token("authenticated", Some("user-1"), 3600)).await;
    ws.subscribe("q", q, json!({ "all": true })).await;
    assert_eq!(ws.next_data("q").await["data"], d);
    // Nested lists ask for themselves.
    let nested = r#"{ workspaces(includeDeleted: true, filter: { id: { eq: "ws-1" } }) { nodes { scheduledPosts { totalCount }
        all: scheduledPosts(includeDeleted: true) { totalCount } } } }"#;
    let d = data_as(&server, Some("user-1"), nested, json!({})).await;
    assert_eq!(d["workspaces"]["nodes"][0]["scheduledPosts"]["totalCount"], 0);
    assert_eq!(d["workspaces"]["nodes"][0]["all"]["totalCount"], 7);
    data_as(&server, Some("user-1"), r#"mutation { updateWorkspace(id: "ws-1", patch: { deletedAt: null }) { id } }"#, json!({})).await;
    let d = data_as(&server, Some("user-4"), q, json!({ "all": false })).await;
    assert_eq!(ids(&d["workspaces"]), vec!["ws-1", "ws-2"], "restored");
    assert_eq!(d["scheduledPosts"]["totalCount"], 7);

    // A user-owned app: its owner asks for it; its messages follow it.
    server.db.exec("INSERT INTO platform.apps (id, \"userId\", name, \"deletedAt\") VALUES ('app-gone', 'user-5', 'gone', now())").await;
    server.db.exec("INSERT INTO platform.app_messages (id, \"appId\", role, content) VALUES ('am-1', 'app-gone', 'USER', 'hi')").await;
    let apps =
        r#"query($all: Boolean!) { apps(includeDeleted: $all) { nodes { id } } appMessages(includeDeleted: $all) { nodes { id } } }"#;
    let d = data_as(&server, Some("user-5"), apps, json!({ "all": false })).await;
    assert!(!ids(&d["apps"]).contains(&"app-gone".to_string()) && ids(&d["appMessages"]).is_empty(), "{d}");
    let d = data_as(&server, Some("user-5"), apps, json!({ "all": true })).await;
    assert!(ids(&d["apps"]).contains(&"app-gone".to_string()), "{d}");
    assert_eq!(ids(&d["appMessages"]), vec!["am-1"]);
    let d = data_as(&server, Some("user-6"), apps, json!({ "all": true })).await;
    assert!(!ids(&d["apps"]).contains(&"app-gone".to_string()), "not another user's: {d}");
    // Tables without soft delete take no such argument.
    assert_eq!(
        code_as(&server, Some("user-5"), "{ albums(includeDeleted: true) { totalCount } }", json!({})).await,
        "GRAPHQL_VALIDATION_FAILED"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deleting_a_workspace_cascades_to_its_content_and_composite_keys_work() {
    let server = seeded(&[]).await;
    // A composite-key join row: an asset on a scheduled post.
    server.db.exec("INSERT INTO platform.assets (id, \"workspaceId\", \"uploadedById\", filename, \"fileType\", \"sizeBytes\", \"storageProvider\", \"r2Key\", \"r2Bucket\")
        SELECT 'as-2', 'ws-2', 'user-4', 'a.png', 'image/png', 10, 'r2', 'k/a.png', 'bucket'").await;
    let link = r#"mutation { createScheduledPostAsset(input: { postId: "sp-2-1", assetId: "as-2" }) { postId assetId post { id } asset { id } } }"#;
    assert_eq!(code_as(&server, Some("user-7"), link, json!({})).await, "FORBIDDEN", "user-7 only views ws-2");
    let d = data_as(&server, Some("user-4"), link, json!({})).await;
    assert_eq!(
        d["createScheduledPostAsset"],
        json!({ "postId": "sp-2-1", "assetId": "as-2", "post": { "id": "sp-2-1" }, "asset": { "id": "as-2" } })
    );
    let d = data_as(
        &server,
        Some("user-7"),
        r#"{ scheduledPostAsset(postId: "sp-2-1", assetId: "as-2") { postId } scheduledPost(id: "sp-2-1") { assets { nodes { id } } } }"#,
        json!({}),
    )
    .await;
    assert_eq!(d["scheduledPostAsset"]["postId"], "sp-2-1");
    assert_eq!(ids(&d["scheduledPost"]["assets"]), vec!["as-2"]);
    assert_eq!(
        code_as(
            &server,
            Some("user-1"),
            r#"mutation { deleteScheduledPostAsset(postId: "sp-2-1", assetId: "as-2") { postId } }"#,
            json!({})
        )
        .await,
        "NOT_FOUND"
    );

    // Deleting for good is a workspace setting (owners and admins); the content goes with it.
    let delete = r#"mutation { deleteWorkspace(id: "ws-3") { id } }"#;
    assert_eq!(code_as(&server, Some("user-10"), delete, json!({})).await, "FORBIDDEN", "user-10 is VIEWER of ws-3");
    data_as(&server, Some("user-7"), delete, json!({})).await;
    for table in ["scheduled_posts", "social_accounts", "inbox_items", "workspace_members", "notifications", "workflows"] {
        let n = sql_value(&server, &format!("SELECT count(*) AS v FROM platform.{table} WHERE \"workspaceId\" = 'ws-3'")).await;
        assert_eq!(n, 0, "{table}");
    }
    let n = sql_value(&server, "SELECT count(*) AS v FROM platform.scheduled_post_accounts WHERE \"postId\" LIKE 'sp-3-%'").await;
    assert_eq!(n, 0, "join rows of its posts");
    assert_eq!(sql_value(&server, "SELECT count(*) AS v FROM platform.users").await, 12, "users stay");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn secrets_are_write_only() {
    let server = seeded(&[]).await;
    let fields = |t: &str| format!(r#"{{ __type(name: "{t}") {{ fields {{ name }} }} }}"#);
    for (ty, secret) in [
        ("User", "passwordHash"),
        ("SocialAccount", "accessTokenEncrypted"),
        ("SocialAccount", "refreshTokenEncrypted"),
        ("Account", "access_token"),
        ("Session", "sessionToken"),
        ("ApiKey", "keyHash"),
        ("WorkflowWebhook", "webhookToken"),
        ("WorkflowWebhook", "secretHash"),
        ("AllocatorAutopilotConfig", "encryptedSettings"),
        ("MarketingAccount", "accessToken"),
    ] {
        let d = data_as(&server, None, &fields(ty), json!({})).await;
        let names: Vec<&str> = d["__type"]["fields"].as_array().unwrap().iter().map(|f| f["name"].as_str().unwrap()).collect();
        assert!(!names.is_empty() && !names.contains(&secret), "{ty}.{secret} is readable: {names:?}");
    }
    // A hashed secret is written under its input name and stored as an argon2id hash.
    let d = data_as(
        &server,
        Some("user-3"),
        r#"mutation { createApiKey(input: { userId: "user-3", name: "ci", key: "s3cret-key", keyPrefix: "qk_1" }) { id keyPrefix } }"#,
        json!({}),
    )
    .await;
    let id = d["createApiKey"]["id"].as_str().unwrap();
    let stored = sql_value(&server, &format!("SELECT \"keyHash\" AS v FROM platform.api_keys WHERE id = '{id}'")).await;
    assert!(stored.as_str().unwrap().starts_with("$argon2id$"), "{stored}");

    // The key acts for its user (user-3: MEMBER of ws-1 only) while active; a wrong secret is UNAUTHENTICATED.
    let endpoint = server.endpoint(APP);
    let with_key = async |key: String| {
        let resp = reqwest::Client::new()
            .post(&endpoint)
            .header("X-API-Key", key)
            .json(&json!({ "query": "{ workspaces { nodes { id } } }" }))
            .send()
            .await
            .unwrap();
        (resp.status().as_u16(), resp.json::<Value>().await.unwrap())
    };
    let (status, body) = with_key(format!("{id}.s3cret-key")).await;
    assert_eq!((status, ids(&body["data"]["workspaces"])), (200, vec!["ws-1".to_string()]), "{body:#}");
    let (status, body) = with_key(format!("{id}.wrong")).await;
    assert_eq!((status, body["errors"][0]["extensions"]["code"].as_str()), (401, Some("UNAUTHENTICATED")));
    server.db.exec(&format!("UPDATE platform.api_keys SET \"isActive\" = false WHERE id = '{id}'")).await;
    let (status, _) = with_key(format!("{id}.s3cret-key")).await;
    assert_eq!(status, 401, "an inactive key is refused");
}

/// The benchmark's query shape, three relation levels.
const THREE_LEVELS: &str = "query($w: Int!, $p: Int!) { workspaces(first: $w) { nodes { id name scheduledPosts(first: $p) {
    nodes { id content status socialAccounts { nodes { id platform accountName } } } } } } }";

/// Statements the server sends for one request (the least of three runs, so
/// background reads such as the outbox health tick do not count).
async fn counted(server: &TestServer, user: Option<&str>, query: &str, variables: Value) -> (u64, Value) {
    let mut least = u64::MAX;
    let mut data = Value::Null;
    for _ in 0..3 {
        let before = server.statements().await;
        data = data_as(server, user, query, variables.clone()).await;
        least = least.min(server.statements().await - before);
    }
    (least, data)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn workspaces_posts_accounts_cost_one_statement_per_level() {
    let server =
        seeded(&[("users", 60), ("workspaces", 25), ("accounts_per_workspace", 6), ("posts_per_workspace", 12), ("accounts_per_post", 3)])
            .await;
    for user in [None, Some("user-4")] {
        let (statements, data) = counted(&server, user, THREE_LEVELS, json!({ "w": 20, "p": 10 })).await;
        assert_eq!(statements, 3, "{user:?}: one statement per level, the many-to-many level included");
        let workspaces = data["workspaces"]["nodes"].as_array().unwrap();
        let visible = match user {
            None => 20,
            Some(u) => sql_value(
                &server,
                &format!("SELECT count(DISTINCT \"workspaceId\") AS v FROM platform.workspace_members WHERE \"userId\" = '{u}'"),
            )
            .await
            .as_u64()
            .unwrap(),
        };
        assert!(visible > 1, "{user:?} belongs to several workspaces");
        assert_eq!(workspaces.len() as u64, visible.min(20), "{user:?}");
        for w in workspaces {
            let posts = w["scheduledPosts"]["nodes"].as_array().unwrap();
            assert_eq!(posts.len(), 10);
            for p in posts {
                let mut got: Vec<String> =
                    p["socialAccounts"]["nodes"].as_array().unwrap().iter().map(|a| a["id"].as_str().unwrap().to_string()).collect();
                got.sort();
                let want = sql_ids(
                    &server,
                    &format!(
                        "SELECT \"accountId\" AS id FROM platform.scheduled_post_accounts WHERE \"postId\" = '{}'",
                        p["id"].as_str().unwrap()
                    ),
                )
                .await;
                assert_eq!(got, want, "{}", p["id"]);
                assert_eq!(got.len(), 3);
            }
        }
    }
    // The same through the resolvers (no direct read path): three statements, the same body.
    let resolvers = server.second_instance(&["--no-direct-reads"]).await;
    let token = common::token("authenticated", Some("user-4"), 3600);
    let client = common::client_with_token(&token);
    let metric = async || -> u64 {
        let text = client.get(format!("{}/metrics", resolvers.base)).send().await.unwrap().text().await.unwrap();
        text.lines().find_map(|l| l.strip_prefix("quiver_sql_statements_total ")).and_then(|v| v.trim().parse().ok()).unwrap()
    };
    let body = json!({ "query": THREE_LEVELS, "variables": { "w": 20, "p": 10 } });
    let mut least = u64::MAX;
    let mut via_resolvers = Value::Null;
    for _ in 0..3 {
        let before = metric().await;
        via_resolvers =
            client.post(format!("{}/graphql/{APP}", resolvers.base)).json(&body).send().await.unwrap().json::<Value>().await.unwrap();
        least = least.min(metric().await - before);
    }
    assert_eq!(least, 3, "resolvers: one statement per level");
    let direct = data_as(&server, Some("user-4"), THREE_LEVELS, json!({ "w": 20, "p": 10 })).await;
    assert_eq!(via_resolvers["data"], direct);
}

const SETTLE: Duration = Duration::from_millis(300);
const SILENCE: Duration = Duration::from_secs(1);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn subscriptions_deliver_only_what_the_subscriber_may_read() {
    let server = seeded(&[]).await;
    let inbox = "subscription($w: String!) { workspaceInboxItems(workspaceId: $w) { event new { id content account { id } } } }";
    // user-3 is a MEMBER of ws-1; user-12 is not.
    let mut member = WsClient::connect_as(&server.base, APP, &common::token("authenticated", Some("user-3"), 3600)).await;
    let mut outsider = WsClient::connect_as(&server.base, APP, &common::token("authenticated", Some("user-12"), 3600)).await;
    member.subscribe("i", inbox, json!({ "w": "ws-1" })).await;
    outsider.subscribe("i", inbox, json!({ "w": "ws-1" })).await;
    let notes = "subscription($u: String!) { myNotifications(userId: $u) { event new { id title read } } }";
    member.subscribe("n", notes, json!({ "u": "user-3" })).await;
    let posts = "subscription($a: String!) { accountScheduledPosts(accountId: $a) { event new { status post { id } } } }";
    member.subscribe("p", posts, json!({ "a": "sa-1-1" })).await;
    tokio::time::sleep(SETTLE).await;
    server.db.exec("INSERT INTO platform.inbox_items (id, platform, \"platformItemId\", content, \"senderName\", \"receivedAt\", \"workspaceId\", \"accountId\")
        VALUES ('ii-x', 'TWITTER', 'x', 'new mention', 'someone', '2025-05-01', 'ws-1', 'sa-1-1'),
               ('ii-y', 'TWITTER', 'y', 'other workspace', 'someone', '2025-05-01', 'ws-2', 'sa-2-1')").await;
    server
        .db
        .exec(
            "INSERT INTO platform.notifications (id, \"workspaceId\", \"userId\", type, title, message, priority)
        VALUES ('nt-x', 'ws-1', 'user-3', 'T', 'for user-3', 'm', 'normal'), ('nt-y', 'ws-1', 'user-2', 'T', 'for user-2', 'm', 'normal')",
        )
        .await;
    server
        .db
        .exec("UPDATE platform.scheduled_post_accounts SET status = 'PUBLISHED' WHERE \"accountId\" = 'sa-1-1' AND \"postId\" = 'sp-1-1'")
        .await;
    let mut got = Vec::new();
    for _ in 0..3 {
        let msg = member.next_message().await.expect("an event");
        got.push((msg["id"].as_str().unwrap().to_string(), msg["payload"]["data"].clone()));
    }
    got.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(got[0].0, "i");
    assert_eq!(got[0].1["workspaceInboxItems"]["new"], json!({ "id": "ii-x", "content": "new mention", "account": { "id": "sa-1-1" } }));
    assert_eq!(got[1].0, "n");
    assert_eq!(got[1].1["myNotifications"]["new"], json!({ "id": "nt-x", "title": "for user-3", "read": false }));
    assert_eq!(got[2].0, "p");
    assert_eq!(
        got[2].1["accountScheduledPosts"],
        json!({ "event": "UPDATE", "new": { "status": "PUBLISHED", "post": { "id": "sp-1-1" } } })
    );
    member.expect_silence(SILENCE).await;
    outsider.expect_silence(SILENCE).await;
}

/// A `timestamp(3)` value (Prisma's `DateTime`, no time zone, UTC by
/// convention) reads as an RFC 3339 instant on the resolver path (mutation
/// results) and the direct path alike.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mutation_results_carry_timestamps_without_time_zone() {
    let server = seeded(&[]).await;
    let d = data_as(
        &server,
        Some("user-4"),
        r#"mutation { updateWorkspace(id: "ws-2", patch: { name: "x" }) { createdAt updatedAt } }"#,
        json!({}),
    )
    .await;
    // `timestamp(3)` holds UTC: spelled as an RFC 3339 instant on every path.
    assert_eq!(d["updateWorkspace"]["createdAt"], "2025-01-01T02:00:00+00:00");
    let q = r#"{ workspace(id: "ws-2") { createdAt } }"#;
    assert_eq!(data_as(&server, Some("user-4"), q, json!({})).await["workspace"]["createdAt"], "2025-01-01T02:00:00+00:00");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn audit_logs_are_for_admins_children_follow_their_parents_and_catalogs_are_public() {
    let server = seeded(&[]).await;
    server
        .db
        .exec(
            "INSERT INTO platform.workspace_audit_logs (id, \"workspaceId\", \"userId\", action) VALUES ('al-1', 'ws-1', 'user-3', 'SETTINGS_CHANGE');
             INSERT INTO platform.workflow_run_logs (id, \"workflowRunId\", message, timestamp) VALUES ('rl-1', 'wr-1-1-1', 'step 1 done', '2025-03-03 00:01')",
        )
        .await;
    let q = r#"{ workspaceAuditLogs { totalCount } workflowRunLogs { nodes { id workflowRun { workflow { workspace { id } } } } }
        workflowRuns(filter: { workflow: { workspaceId: { eq: "ws-1" } } }) { totalCount } }"#;
    // ws-1: user-1 OWNER, user-2 ADMIN, user-3 MEMBER, user-4 VIEWER; user-12 is elsewhere.
    for (user, logs, run_logs, runs) in
        [("user-1", 1, 1, 6), ("user-2", 1, 1, 6), ("user-3", 0, 1, 6), ("user-4", 0, 1, 6), ("user-12", 0, 0, 0)]
    {
        let d = data_as(&server, Some(user), q, json!({})).await;
        assert_eq!(d["workspaceAuditLogs"]["totalCount"], logs, "{user}: audit logs are for admins");
        assert_eq!(
            d["workflowRunLogs"]["nodes"].as_array().unwrap().len(),
            run_logs,
            "{user}: a run log follows run → workflow → workspace"
        );
        assert_eq!(d["workflowRuns"]["totalCount"], runs, "{user}");
    }
    let d = data_as(&server, Some("user-4"), q, json!({})).await;
    assert_eq!(d["workflowRunLogs"]["nodes"][0]["workflowRun"]["workflow"]["workspace"]["id"], "ws-1");
    // Audit rows are written by the service only, admins included.
    let log = r#"mutation { createWorkspaceAuditLog(input: { workspaceId: "ws-1", userId: "user-1", action: LOGIN }) { id } }"#;
    assert_eq!(code_as(&server, Some("user-1"), log, json!({})).await, "FORBIDDEN");
    data_as(&server, None, log, json!({})).await;
    // Catalogs: everyone reads, only the service writes.
    let plan = r#"mutation { updateSubscriptionPlan(id: "plan-basic", patch: { name: "Cheap" }) { name } }"#;
    assert_eq!(code_as(&server, Some("user-1"), plan, json!({})).await, "FORBIDDEN");
    assert_eq!(data_as(&server, None, plan, json!({})).await["updateSubscriptionPlan"]["name"], "Cheap");
    // NextAuth's tables are the service's alone.
    let d = data_as(
        &server,
        Some("user-1"),
        "{ sessions { totalCount } accounts { totalCount } verificationTokens { totalCount } }",
        json!({}),
    )
    .await;
    assert_eq!(d, json!({ "sessions": { "totalCount": 0 }, "accounts": { "totalCount": 0 }, "verificationTokens": { "totalCount": 0 } }));
}

/// `text[]` columns filter by `contains` (every given element) and
/// `overlaps` (any of them), in SQL, like PostgreSQL's `@>` and `&&`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn list_columns_filter_by_contains_and_overlaps() {
    let server = TestServer::start().await;
    server
        .db
        .exec(
            "INSERT INTO platform.feature_flags (id, name, percentage, \"enabledFor\") VALUES
               ('f1', 'beta-editor', 10, '{ws-1,ws-2}'), ('f2', 'dark-mode', 50, '{ws-2}'),
               ('f3', 'ai-captions', 0, '{}'), ('f4', 'bulk-upload', 5, '{ws-1,ws-3}')",
        )
        .await;
    let server = &server;
    let names = |filter: &str| {
        let q = format!("{{ featureFlags(filter: {filter}, orderBy: [{{field: NAME}}]) {{ totalCount nodes {{ name }} }} }}");
        async move {
            let d = data_as(server, None, &q, json!({})).await;
            let nodes: Vec<String> =
                d["featureFlags"]["nodes"].as_array().unwrap().iter().map(|n| n["name"].as_str().unwrap().to_string()).collect();
            assert_eq!(d["featureFlags"]["totalCount"], json!(nodes.len()), "counts follow the filter");
            nodes
        }
    };
    assert_eq!(names(r#"{enabledFor: {contains: ["ws-1"]}}"#).await, ["beta-editor", "bulk-upload"]);
    assert_eq!(names(r#"{enabledFor: {contains: ["ws-1", "ws-2"]}}"#).await, ["beta-editor"]);
    assert_eq!(names(r#"{enabledFor: {overlaps: ["ws-2", "ws-3"]}}"#).await, ["beta-editor", "bulk-upload", "dark-mode"]);
    assert_eq!(names(r#"{enabledFor: {overlaps: []}}"#).await, Vec::<String>::new());
    assert_eq!(names(r#"{not: {enabledFor: {overlaps: ["ws-1"]}}}"#).await, ["ai-captions", "dark-mode"]);
}

/// `users` rows are read by their user and by the people sharing a workspace
/// with them (`SharesGroup`), on lists, counts, lookups and change events;
/// public albums by everyone (`OneOf` on an enum), private and unlisted ones
/// by their owner alone.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn people_of_a_workspace_see_each_other_and_public_albums_are_public() {
    let server = seeded(&[]).await;
    let peers = |user: &str| {
        format!(
            "SELECT DISTINCT b.\"userId\" AS id FROM platform.workspace_members a JOIN platform.workspace_members b
             ON a.\"workspaceId\" = b.\"workspaceId\" WHERE a.\"userId\" = '{user}' ORDER BY 1"
        )
    };
    let users = "{ users(first: 100) { totalCount nodes { id } } }";
    for user in ["user-1", "user-12"] {
        let expected = sql_ids(&server, &peers(user)).await;
        assert!(expected.len() > 1 && expected.len() < 12, "demo data gives {user} some peers, not everyone: {expected:?}");
        let data = data_as(&server, Some(user), users, json!({})).await;
        let mut got = ids(&data["users"]);
        got.sort();
        assert_eq!(got, expected, "{user} sees itself and its workspaces' people");
        assert_eq!(data["users"]["totalCount"], json!(expected.len()), "{user}: count");
    }
    // user-5 shares no workspace with user-12 (ws-2 holds users 4..7).
    assert!(!sql_ids(&server, &peers("user-12")).await.contains(&"user-5".to_string()));
    let lookup = "query($id: String!) { user(id: $id) { id name } }";
    assert_eq!(data_as(&server, Some("user-12"), lookup, json!({ "id": "user-5" })).await["user"], Value::Null);
    assert_eq!(data_as(&server, Some("user-12"), lookup, json!({ "id": "user-10" })).await["user"]["id"], json!("user-10"));
    assert_eq!(data_as(&server, None, "{ users { totalCount } }", json!({})).await["users"]["totalCount"], json!(12));

    // A peer's change reaches a subscriber, a stranger's does not.
    let mut sub = WsClient::connect_as(&server.base, APP, &common::token("authenticated", Some("user-12"), 3600)).await;
    sub.subscribe("u", "subscription { userChanged { event new { id name } } }", json!({})).await;
    tokio::time::sleep(SETTLE).await;
    server.db.exec("UPDATE platform.users SET name = 'stranger' WHERE id = 'user-5'").await;
    server.db.exec("UPDATE platform.users SET name = 'peer' WHERE id = 'user-10'").await;
    let event = sub.next_data("u").await;
    assert_eq!(event["data"]["userChanged"], json!({ "event": "UPDATE", "new": { "id": "user-10", "name": "peer" } }));
    sub.expect_silence(SILENCE).await;
    // Deleting a peer removes its memberships in the same commit (a
    // cascade): the DELETE still reaches who could read the row before it.
    let mut deletes = WsClient::connect_as(&server.base, APP, &common::token("authenticated", Some("user-12"), 3600)).await;
    deletes.subscribe("d", "subscription { userChanged(events: [DELETE]) { event old { id } } }", json!({})).await;
    tokio::time::sleep(SETTLE).await;
    server.db.exec("INSERT INTO platform.users (id, name) VALUES ('user-x', 'leaving')").await;
    server.db.exec("INSERT INTO platform.workspace_members (id, \"workspaceId\", \"userId\", role, \"invitedAt\") VALUES ('wm-x', 'ws-4', 'user-x', 'MEMBER', now())").await;
    server.db.exec("INSERT INTO platform.users (id, name) VALUES ('user-y', 'stranger')").await;
    server.db.exec("DELETE FROM platform.users WHERE id IN ('user-x', 'user-y')").await;
    let event = deletes.next_data("d").await;
    assert_eq!(event["data"]["userChanged"], json!({ "event": "DELETE", "old": { "id": "user-x" } }));
    deletes.expect_silence(SILENCE).await;

    server
        .db
        .exec(
            "INSERT INTO platform.albums (id, \"userId\", name, privacy) VALUES
             ('al-pub', 'user-1', 'public', 'PUBLIC'), ('al-priv', 'user-1', 'private', 'PRIVATE'),
             ('al-unl', 'user-1', 'unlisted', 'UNLISTED')",
        )
        .await;
    let albums = "{ albums(orderBy: [{field: ID, direction: ASC}]) { totalCount nodes { id } } }";
    let seen = |data: Value| ids(&data["albums"]).into_iter().filter(|id| id.starts_with("al-")).collect::<Vec<_>>();
    assert_eq!(seen(data_as(&server, Some("user-1"), albums, json!({})).await), ["al-priv", "al-pub", "al-unl"]);
    assert_eq!(seen(data_as(&server, Some("user-12"), albums, json!({})).await), ["al-pub"]);
    let anon = reqwest::Client::new().post(server.endpoint(APP)).json(&json!({ "query": albums })).send().await.expect("request sent");
    let anon: Value = anon.json().await.expect("JSON");
    assert_eq!(seen(anon["data"].clone()), ["al-pub"], "{anon:#}");
}
