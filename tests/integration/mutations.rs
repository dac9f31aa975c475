//! Mutations against a real server and database: `create<T>` returns the row
//! with database defaults filled in and resolvable relations, secrets are
//! write-only, `update<T>` applies exactly the patch (null clears, managed and
//! immutable fields are not patchable, the `updated_at` trigger runs),
//! `delete<T>` returns the row as it was and the database's ON DELETE actions
//! apply, and a failed mutation leaves no trace.
//!
//! Every claim about stored state is checked with SQL, not only through the API.

use diesel::sql_types::{Nullable, Text};
use diesel::QueryableByName;
use diesel_async::RunQueryDsl;
use serde_json::{json, Value};

use crate::common::TestServer;

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

#[derive(QueryableByName)]
struct Scalar {
    #[diesel(sql_type = Nullable<Text>)]
    v: Option<String>,
}

/// The single value `v` of a one-row SQL query, as text (`None` for NULL).
async fn sql_value(server: &TestServer, sql: &str) -> Option<String> {
    let mut conn = server.db.conn().await;
    diesel::sql_query(sql).get_result::<Scalar>(&mut conn).await.unwrap_or_else(|e| panic!("{e}\n{sql}")).v
}

/// Rows of `studio.<table>` matching `condition`.
async fn count(server: &TestServer, table: &str, condition: &str) -> i64 {
    sql_value(server, &format!("SELECT count(*)::text AS v FROM studio.{table} WHERE {condition}")).await.unwrap().parse().unwrap()
}

/// Whether timestamp `a` is strictly later than `b` (compared by PostgreSQL).
async fn later(server: &TestServer, a: &str, b: &str) -> bool {
    sql_value(server, &format!("SELECT ('{a}'::timestamptz > '{b}'::timestamptz)::text AS v")).await.as_deref() == Some("true")
}

fn str_of<'a>(v: &'a Value, path: &str) -> &'a str {
    v.pointer(path).and_then(Value::as_str).unwrap_or_else(|| panic!("no string at {path} in {v:#}"))
}

async fn create_user(server: &TestServer, email: &str) -> String {
    let data = server.data("mutation($e: String!) { createUser(input: { email: $e }) { id } }", json!({ "e": email })).await;
    str_of(&data, "/createUser/id").to_string()
}

async fn create_workbench(server: &TestServer, user: &str, name: &str) -> String {
    let data = server
        .data(
            "mutation($u: UUID!, $n: String!) { createWorkbench(input: { userId: $u, name: $n }) { id } }",
            json!({ "u": user, "n": name }),
        )
        .await;
    str_of(&data, "/createWorkbench/id").to_string()
}

async fn create_project(server: &TestServer, workbench: &str, user: &str, name: &str) -> String {
    let data = server
        .data(
            "mutation($w: UUID!, $u: UUID!, $n: String!) { createProject(input: { workbenchId: $w, userId: $u, name: $n }) { id } }",
            json!({ "w": workbench, "u": user, "n": name }),
        )
        .await;
    str_of(&data, "/createProject/id").to_string()
}

async fn create_asset(server: &TestServer, project: &str, user: &str, name: &str) -> String {
    let data = server
        .data(
            "mutation($p: UUID!, $u: UUID!, $n: String!) {
               createAsset(input: { projectId: $p, userId: $u, name: $n, type: UPLOADED,
                                    filePath: \"/a.png\", mimeType: \"image/png\", format: \"png\" }) { id }
             }",
            json!({ "p": project, "u": user, "n": name }),
        )
        .await;
    str_of(&data, "/createAsset/id").to_string()
}

// ---------------------------------------------------------------------------
// Create
// ---------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn create_user_returns_row_with_database_defaults() {
    let server = TestServer::start().await;
    let data = server
        .data(
            "mutation { createUser(input: { email: \"ada@example.com\", fullName: \"Ada\" }) {
                id email fullName username subscriptionTier creditBalance isEmailVerified mfaEnabled
                languagePreference timezone createdAt updatedAt } }",
            json!({}),
        )
        .await;
    let user = &data["createUser"];
    let id = str_of(user, "/id");
    assert!(uuid::Uuid::parse_str(id).is_ok(), "generated id is a UUID: {id}");
    assert_eq!(user["email"], "ada@example.com");
    assert_eq!(user["fullName"], "Ada");
    assert_eq!(user["username"], Value::Null);
    assert_eq!(user["subscriptionTier"], "FREE");
    assert_eq!(user["creditBalance"], "0.00");
    assert_eq!(user["isEmailVerified"], false);
    assert_eq!(user["mfaEnabled"], false);
    assert_eq!(user["languagePreference"], "en-US");
    assert_eq!(user["timezone"], "UTC");
    let created = str_of(user, "/createdAt");
    assert!(created.len() >= 19 && created.contains('T'), "createdAt is a timestamp: {created}");

    // The row is stored as returned.
    assert_eq!(
        sql_value(
            &server,
            &format!("SELECT email || '|' || subscription_tier || '|' || credit_balance::text AS v FROM studio.users WHERE id = '{id}'")
        )
        .await
        .as_deref(),
        Some("ada@example.com|Free|0.00")
    );
    assert_eq!(
        sql_value(&server, &format!("SELECT (created_at = '{created}'::timestamptz)::text AS v FROM studio.users WHERE id = '{id}'"))
            .await
            .as_deref(),
        Some("true"),
        "createdAt returned is the stored created_at"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn create_workbench_and_project_resolve_relations_on_returned_row() {
    let server = TestServer::start().await;
    let user = create_user(&server, "owner@example.com").await;
    let data = server
        .data(
            "mutation($u: UUID!) { createWorkbench(input: { userId: $u, name: \"Bench\" }) {
                id name userId user { email } projects { totalCount } } }",
            json!({ "u": user }),
        )
        .await;
    let wb = &data["createWorkbench"];
    let wb_id = str_of(wb, "/id").to_string();
    assert_eq!(wb["name"], "Bench");
    assert_eq!(wb["userId"], user.as_str());
    assert_eq!(wb["user"]["email"], "owner@example.com");
    assert_eq!(wb["projects"]["totalCount"], 0);

    let data = server
        .data(
            "mutation($w: UUID!, $u: UUID!) { createProject(input: { workbenchId: $w, userId: $u, name: \"Launch\" }) {
                id name workbenchId targetPlatform workbench { name } user { email } } }",
            json!({ "w": wb_id, "u": user }),
        )
        .await;
    let p = &data["createProject"];
    let p_id = str_of(p, "/id");
    assert_eq!(p["name"], "Launch");
    assert_eq!(p["workbenchId"], wb_id.as_str());
    assert_eq!(p["targetPlatform"], Value::Null);
    assert_eq!(p["workbench"]["name"], "Bench");
    assert_eq!(p["user"]["email"], "owner@example.com");

    assert_eq!(
        sql_value(&server, &format!("SELECT workbench_id::text || '|' || name AS v FROM studio.projects WHERE id = '{p_id}'")).await,
        Some(format!("{wb_id}|Launch"))
    );
    // The new project is visible from its workbench in a follow-up query.
    let data = server.data("query($w: UUID!) { workbench(id: $w) { projects { nodes { id } } } }", json!({ "w": wb_id })).await;
    assert_eq!(data["workbench"]["projects"]["nodes"], json!([{ "id": p_id }]));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn create_asset_and_asset_version_fill_defaults_and_relations() {
    let server = TestServer::start().await;
    let user = create_user(&server, "artist@example.com").await;
    let wb = create_workbench(&server, &user, "Bench").await;
    let project = create_project(&server, &wb, &user, "Poster").await;

    let data = server
        .data(
            "mutation($p: UUID!, $u: UUID!) {
               createAsset(input: { projectId: $p, userId: $u, name: \"hero.png\", type: AI_GENERATED,
                                    filePath: \"/minio/hero.png\", mimeType: \"image/png\", format: \"png\",
                                    metadata: { colors: [\"#fff\"] } }) {
                 id type isFinal resolution metadata createdAt project { name } } }",
            json!({ "p": project, "u": user }),
        )
        .await;
    let asset = &data["createAsset"];
    let asset_id = str_of(asset, "/id").to_string();
    assert_eq!(asset["type"], "AI_GENERATED");
    assert_eq!(asset["isFinal"], false, "is_final defaults to false");
    assert_eq!(asset["resolution"], Value::Null);
    assert_eq!(asset["metadata"], json!({ "colors": ["#fff"] }));
    assert_eq!(asset["project"]["name"], "Poster");
    assert_eq!(
        sql_value(
            &server,
            &format!(
                "SELECT type || '|' || is_final::text || '|' || (metadata->'colors'->>0) AS v FROM studio.assets WHERE id = '{asset_id}'"
            )
        )
        .await
        .as_deref(),
        Some("AIGenerated|false|#fff"),
        "the enum is stored as its database value"
    );

    let data = server
        .data(
            "mutation($a: UUID!, $p: UUID!, $u: UUID!) {
               createAssetVersion(input: { assetId: $a, projectId: $p, versionNumber: 1, createdByUserId: $u }) {
                 id versionNumber filePath createdAt asset { name } project { name } createdByUser { email } } }",
            json!({ "a": asset_id, "p": project, "u": user }),
        )
        .await;
    let v = &data["createAssetVersion"];
    let v_id = str_of(v, "/id");
    assert_eq!(v["versionNumber"], 1);
    assert_eq!(v["filePath"], Value::Null);
    assert!(v["createdAt"].is_string());
    assert_eq!(v["asset"]["name"], "hero.png");
    assert_eq!(v["project"]["name"], "Poster");
    assert_eq!(v["createdByUser"]["email"], "artist@example.com");
    assert_eq!(
        sql_value(
            &server,
            &format!("SELECT asset_id::text || '|' || version_number::text AS v FROM studio.asset_versions WHERE id = '{v_id}'")
        )
        .await,
        Some(format!("{asset_id}|1"))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn create_team_member_links_user_and_team() {
    let server = TestServer::start().await;
    let owner = create_user(&server, "owner@example.com").await;
    let member = create_user(&server, "member@example.com").await;
    let data = server
        .data("mutation($o: UUID!) { createTeam(input: { name: \"Crew\", ownerId: $o }) { id owner { email } } }", json!({ "o": owner }))
        .await;
    assert_eq!(data["createTeam"]["owner"]["email"], "owner@example.com");
    let team = str_of(&data, "/createTeam/id").to_string();

    let data = server
        .data(
            "mutation($t: UUID!, $u: UUID!) { createTeamMember(input: { teamId: $t, userId: $u, role: EDITOR }) {
                id role joinedAt team { name } user { email } } }",
            json!({ "t": team, "u": member }),
        )
        .await;
    let tm = &data["createTeamMember"];
    assert!(uuid::Uuid::parse_str(str_of(tm, "/id")).is_ok());
    assert_eq!(tm["role"], "EDITOR");
    assert!(tm["joinedAt"].is_string(), "joined_at defaulted: {tm}");
    assert_eq!(tm["team"]["name"], "Crew");
    assert_eq!(tm["user"]["email"], "member@example.com");
    assert_eq!(
        sql_value(&server, &format!("SELECT role AS v FROM studio.team_members WHERE team_id = '{team}' AND user_id = '{member}'"))
            .await
            .as_deref(),
        Some("Editor")
    );
    // The many-to-many relation sees the new membership.
    let data = server.data("query($u: UUID!) { user(id: $u) { teams { nodes { name } } } }", json!({ "u": member })).await;
    assert_eq!(data["user"]["teams"]["nodes"], json!([{ "name": "Crew" }]));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nullable_custom_scalar_fields_read_back_as_null() {
    // Regression guard: a NULL in a nullable custom-scalar column (UUID, DateTime,
    // Decimal) must read back as null, not as a scalar validation error.
    let server = TestServer::start().await;
    let user = create_user(&server, "nulls@example.com").await;
    let data = server
        .data(
            "mutation($u: UUID!) {
               createWorkbench(input: { userId: $u, name: \"W\" }) { name defaultBrandKitId createdAt }
               createGenerationRequest(input: { userId: $u, inputPrompt: \"p\" }) { inputPrompt projectId creditsCostSample finalAssetId }
             }",
            json!({ "u": user }),
        )
        .await;
    assert_eq!(data["createWorkbench"]["name"], "W");
    assert_eq!(data["createWorkbench"]["defaultBrandKitId"], Value::Null);
    assert_eq!(data["createGenerationRequest"]["projectId"], Value::Null);
    assert_eq!(data["createGenerationRequest"]["creditsCostSample"], Value::Null);
    let data =
        server.data("query($u: UUID!) { user(id: $u) { email deletedAt lastLoginAt passwordResetExpires } }", json!({ "u": user })).await;
    assert_eq!(data["user"], json!({ "email": "nulls@example.com", "deletedAt": null, "lastLoginAt": null, "passwordResetExpires": null }));
}

// ---------------------------------------------------------------------------
// Secrets
// ---------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn secrets_are_stored_but_never_readable() {
    let key_flag = "--encryption-key=k1:ERERERERERERERERERERERERERERERERERERERERERE=";
    let server = TestServer::start_with(&[key_flag]).await;
    let data = server
        .data(
            "mutation { createUser(input: { email: \"s@example.com\", password: \"hunter2\", mfaSecret: \"TOTPSECRET\" }) { id email } }",
            json!({}),
        )
        .await;
    let id = str_of(&data, "/createUser/id");
    let stored = |column: &'static str| {
        let id = id.to_owned();
        let server = &server;
        async move { sql_value(server, &format!("SELECT {column} AS v FROM studio.users WHERE id = '{id}'")).await.unwrap() }
    };
    // The password is stored as an argon2id hash of what was written.
    let hash = stored("password_hash").await;
    assert!(hash.starts_with("$argon2id$"), "{hash}");
    assert!(quiver::auth::secrets::verify_secret("hunter2", &hash));
    assert!(!quiver::auth::secrets::verify_secret("hunter3", &hash));
    // The MFA secret is encrypted at rest under the server key, bound to its column.
    let sealed = stored("mfa_secret").await;
    assert!(sealed.starts_with("enc:v1:k1:") && !sealed.contains("TOTPSECRET"), "{sealed}");
    let ring = quiver::auth::secrets::Keyring::parse("k1:ERERERERERERERERERERERERERERERERERERERERERE=").unwrap();
    assert_eq!(ring.decrypt(&sealed, "studio.users.mfa_secret").unwrap(), "TOTPSECRET");
    assert!(ring.decrypt(&sealed, "studio.users.password_reset_token").is_err(), "bound to its column");

    // No output field, filter field or order field exposes a secret.
    let data = server
        .data(
            "{ user: __type(name: \"User\") { fields { name } }
               filter: __type(name: \"UserFilter\") { inputFields { name } }
               order: __type(name: \"UserOrderField\") { enumValues { name } } }",
            json!({}),
        )
        .await;
    let all = data.to_string();
    for secret in ["passwordHash", "password", "mfaSecret", "emailVerificationToken", "passwordResetToken", "PASSWORD_HASH", "MFA_SECRET"] {
        assert!(!all.contains(&format!("\"{secret}\"")), "{secret} is exposed: {all}");
    }
    assert!(all.contains("\"email\""), "sanity: the introspection listed fields: {all}");

    // Selecting it is a validation error, and the response does not leak it.
    let body =
        server.gql("mutation { updateUser(id: \"00000000-0000-0000-0000-000000000000\", patch: {}) { passwordHash } }", json!({})).await;
    assert_eq!(body["errors"][0]["extensions"]["code"], "GRAPHQL_VALIDATION_FAILED");
    let body = server.gql("query($id: UUID!) { user(id: $id) { passwordHash } }", json!({ "id": id })).await;
    assert_eq!(body["errors"][0]["extensions"]["code"], "GRAPHQL_VALIDATION_FAILED");
    assert!(!body.to_string().contains("argon2id"));

    // Updating a secret also works write-only, and is hashed again.
    let data = server
        .data("mutation($id: UUID!) { updateUser(id: $id, patch: { password: \"new password\" }) { email } }", json!({ "id": id }))
        .await;
    assert_eq!(data["updateUser"]["email"], "s@example.com");
    assert!(quiver::auth::secrets::verify_secret("new password", &stored("password_hash").await));
}

/// Without a server key, an encrypted column cannot be written (and nothing is).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn encrypted_columns_need_a_server_key() {
    let server = TestServer::start().await;
    let code =
        server.error_code("mutation { createUser(input: { email: \"k@example.com\", mfaSecret: \"TOTP\" }) { id } }", json!({})).await;
    assert_eq!(code, "BAD_USER_INPUT");
    assert_eq!(sql_value(&server, "SELECT count(*)::text AS v FROM studio.users").await.as_deref(), Some("0"));
}

// ---------------------------------------------------------------------------
// Update
// ---------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn update_changes_only_the_given_fields() {
    let server = TestServer::start().await;
    server
        .db.exec("INSERT INTO studio.users (id, email, full_name, username, timezone) VALUES ('11111111-1111-1111-1111-111111111111', 'u@example.com', 'Old Name', 'olduser', 'Europe/Paris')")
        .await;
    let data = server
        .data(
            "mutation { updateUser(id: \"11111111-1111-1111-1111-111111111111\", patch: { fullName: \"New Name\", subscriptionTier: PRO, creditBalance: \"12.50\" }) {
                email fullName username timezone subscriptionTier creditBalance } }",
            json!({}),
        )
        .await;
    assert_eq!(
        data["updateUser"],
        json!({ "email": "u@example.com", "fullName": "New Name", "username": "olduser", "timezone": "Europe/Paris",
                "subscriptionTier": "PRO", "creditBalance": "12.50" })
    );
    assert_eq!(
        sql_value(&server, "SELECT concat_ws('|', email, full_name, username, timezone, subscription_tier, credit_balance::text) AS v FROM studio.users WHERE id = '11111111-1111-1111-1111-111111111111'").await.as_deref(),
        Some("u@example.com|New Name|olduser|Europe/Paris|Pro|12.50")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn update_with_explicit_null_clears_a_nullable_field() {
    let server = TestServer::start().await;
    let data = server
        .data("mutation { createUser(input: { email: \"n@example.com\", username: \"nina\", fullName: \"Nina\" }) { id } }", json!({}))
        .await;
    let id = str_of(&data, "/createUser/id").to_string();
    // Null as a literal and as a variable both clear.
    let data = server
        .data("mutation($id: UUID!) { updateUser(id: $id, patch: { username: null }) { username fullName } }", json!({ "id": id }))
        .await;
    assert_eq!(data["updateUser"], json!({ "username": null, "fullName": "Nina" }));
    let data = server
        .data(
            "mutation($id: UUID!, $p: UserPatch!) { updateUser(id: $id, patch: $p) { username fullName } }",
            json!({ "id": id, "p": { "fullName": null } }),
        )
        .await;
    assert_eq!(data["updateUser"], json!({ "username": null, "fullName": null }));
    assert_eq!(
        sql_value(&server, &format!("SELECT (username IS NULL AND full_name IS NULL AND email = 'n@example.com')::text AS v FROM studio.users WHERE id = '{id}'")).await.as_deref(),
        Some("true")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn update_with_null_for_non_nullable_field_is_bad_user_input_and_changes_nothing() {
    let server = TestServer::start().await;
    let id = create_user(&server, "keep@example.com").await;
    for patch in ["{ email: null }", "{ fullName: \"Changed\", timezone: null }"] {
        let query = format!("mutation($id: UUID!) {{ updateUser(id: $id, patch: {patch}) {{ id }} }}");
        let body = server.gql(&query, json!({ "id": id })).await;
        assert_eq!(body["errors"][0]["extensions"]["code"], "BAD_USER_INPUT", "{patch}: {body:#}");
        assert_eq!(body["data"], Value::Null);
    }
    assert_eq!(
        sql_value(
            &server,
            &format!("SELECT concat_ws('|', email, coalesce(full_name, '-'), timezone) AS v FROM studio.users WHERE id = '{id}'")
        )
        .await
        .as_deref(),
        Some("keep@example.com|-|UTC")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn update_moves_updated_at_forward_through_the_trigger() {
    let server = TestServer::start().await;
    // Start from a known old timestamp (INSERT does not fire the BEFORE UPDATE trigger).
    server
        .db.exec("INSERT INTO studio.users (id, email, created_at, updated_at) VALUES ('22222222-2222-2222-2222-222222222222', 't@example.com', '2020-01-01T00:00:00Z', '2020-01-01T00:00:00Z')")
        .await;
    let data = server
        .data(
            "mutation { updateUser(id: \"22222222-2222-2222-2222-222222222222\", patch: { fullName: \"T\" }) { createdAt updatedAt } }",
            json!({}),
        )
        .await;
    let updated = str_of(&data, "/updateUser/updatedAt").to_string();
    let created = str_of(&data, "/updateUser/createdAt").to_string();
    assert!(later(&server, &updated, "2020-01-01T00:00:00Z").await, "updatedAt {updated} moved forward");
    assert!(later(&server, &updated, &created).await);
    assert!(!later(&server, &created, "2020-01-01T00:00:00Z").await, "createdAt {created} untouched");
    // What the mutation returned is what the trigger stored.
    assert_eq!(
        sql_value(&server, &format!("SELECT (updated_at = '{updated}'::timestamptz AND updated_at > now() - interval '1 minute')::text AS v FROM studio.users WHERE id = '22222222-2222-2222-2222-222222222222'")).await.as_deref(),
        Some("true")
    );

    // A second update moves it again.
    let data = server
        .data("mutation { updateUser(id: \"22222222-2222-2222-2222-222222222222\", patch: { fullName: \"T2\" }) { updatedAt } }", json!({}))
        .await;
    assert!(later(&server, str_of(&data, "/updateUser/updatedAt"), &updated).await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn managed_and_immutable_fields_are_not_in_the_patch_input() {
    let server = TestServer::start().await;
    let id = create_user(&server, "m@example.com").await;
    let data = server
        .data(
            "{ patch: __type(name: \"UserPatch\") { inputFields { name } }
               create: __type(name: \"UserCreateInput\") { inputFields { name } } }",
            json!({}),
        )
        .await;
    let names = |v: &Value| -> Vec<String> {
        v["inputFields"].as_array().unwrap().iter().map(|f| f["name"].as_str().unwrap().to_string()).collect()
    };
    let (patch, create) = (names(&data["patch"]), names(&data["create"]));
    assert!(patch.contains(&"fullName".to_string()));
    assert!(!patch.contains(&"id".to_string()) && !patch.contains(&"updatedAt".to_string()), "{patch:?}");
    assert!(!create.contains(&"updatedAt".to_string()), "{create:?}");
    assert!(create.contains(&"id".to_string()), "a generated key may be given on create");

    for (field, value) in [("updatedAt", "\"2030-01-01T00:00:00Z\""), ("id", "\"33333333-3333-3333-3333-333333333333\"")] {
        let query = format!("mutation($id: UUID!) {{ updateUser(id: $id, patch: {{ {field}: {value} }}) {{ id }} }}");
        let body = server.gql(&query, json!({ "id": id })).await;
        let error = &body["errors"][0];
        // An unknown input field in an argument literal: async-graphql rejects it in
        // validation ("Invalid value for argument"), which Quiver reports as BAD_USER_INPUT.
        assert_eq!(error["extensions"]["code"], "BAD_USER_INPUT", "{field}: {body:#}");
        assert!(error["message"].as_str().unwrap().contains(field), "{body:#}");
        assert_eq!(body["data"], Value::Null, "nothing executed");
    }
    assert_eq!(count(&server, "users", &format!("id = '{id}' AND updated_at < '2030-01-01'")).await, 1);
    assert_eq!(count(&server, "users", "id = '33333333-3333-3333-3333-333333333333'").await, 0);
}

// ---------------------------------------------------------------------------
// Delete
// ---------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn delete_returns_the_row_as_it_was_and_removes_it() {
    let server = TestServer::start().await;
    let user = create_user(&server, "d@example.com").await;
    let wb = create_workbench(&server, &user, "Doomed").await;
    let data =
        server.data("mutation($id: UUID!) { deleteWorkbench(id: $id) { id name userId user { email } } }", json!({ "id": wb })).await;
    assert_eq!(data["deleteWorkbench"], json!({ "id": wb, "name": "Doomed", "userId": user, "user": { "email": "d@example.com" } }));
    assert_eq!(count(&server, "workbenches", &format!("id = '{wb}'")).await, 0);
    assert_eq!(count(&server, "users", &format!("id = '{user}'")).await, 1, "the parent stays");
    let data = server.data("query($id: UUID!) { workbench(id: $id) { id } }", json!({ "id": wb })).await;
    assert_eq!(data["workbench"], Value::Null);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn delete_project_applies_the_migrations_on_delete_actions() {
    let server = TestServer::start().await;
    let user = create_user(&server, "c@example.com").await;
    let wb = create_workbench(&server, &user, "Bench").await;
    let project = create_project(&server, &wb, &user, "Gone").await;
    let other = create_project(&server, &wb, &user, "Stays").await;
    let asset = create_asset(&server, &project, &user, "a.png").await;
    server
        .db
        .exec(&format!(
            "INSERT INTO studio.asset_versions (asset_id, project_id, version_number) VALUES
               ('{asset}', '{project}', 1), ('{asset}', '{project}', 2), (NULL, '{other}', 1);
             INSERT INTO studio.generation_requests (user_id, project_id, input_prompt) VALUES ('{user}', '{project}', 'a cat');"
        ))
        .await;

    let data = server.data("mutation($id: UUID!) { deleteProject(id: $id) { id name workbenchId } }", json!({ "id": project })).await;
    assert_eq!(data["deleteProject"], json!({ "id": project, "name": "Gone", "workbenchId": wb }));

    assert_eq!(count(&server, "projects", &format!("id = '{project}'")).await, 0);
    // asset_versions.project_id: ON DELETE CASCADE.
    assert_eq!(count(&server, "asset_versions", &format!("project_id = '{project}'")).await, 0);
    assert_eq!(count(&server, "asset_versions", &format!("asset_id = '{asset}'")).await, 0);
    assert_eq!(count(&server, "asset_versions", &format!("project_id = '{other}'")).await, 1, "other project's versions stay");
    // assets.project_id and generation_requests.project_id: ON DELETE SET NULL.
    assert_eq!(count(&server, "assets", &format!("id = '{asset}' AND project_id IS NULL")).await, 1);
    assert_eq!(count(&server, "generation_requests", &format!("user_id = '{user}' AND project_id IS NULL")).await, 1);
}

// ---------------------------------------------------------------------------
// Failed mutations
// ---------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn create_violating_a_check_leaves_the_table_unchanged() {
    let server = TestServer::start().await;
    let ok = server.data("mutation { createAIModelFeedback(input: { rating: 5 }) { rating } }", json!({})).await;
    assert_eq!(ok["createAIModelFeedback"]["rating"], 5);
    assert_eq!(count(&server, "ai_model_feedback", "true").await, 1);

    let body = server.gql("mutation { createAIModelFeedback(input: { rating: 7, comment: \"too good\" }) { id } }", json!({})).await;
    assert_eq!(body["errors"][0]["extensions"]["code"], "BAD_USER_INPUT", "{body:#}");
    assert_eq!(body["data"], Value::Null);
    assert_eq!(count(&server, "ai_model_feedback", "true").await, 1);
    assert_eq!(count(&server, "ai_model_feedback", "comment = 'too good'").await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_mutations_in_one_request_are_not_atomic_first_commits_and_failed_second_leaves_no_row() {
    // GraphQL runs root mutation fields one after another, each on its own; a
    // later failure does not roll back an earlier success. Since the fields are
    // non-null, the error nulls `data` as a whole even though the first write happened.
    let server = TestServer::start().await;
    let body = server
        .gql(
            "mutation {
               first: createUser(input: { email: \"first@example.com\" }) { id }
               second: createAIModelFeedback(input: { rating: 0, comment: \"second\" }) { id }
             }",
            json!({}),
        )
        .await;
    let errors = body["errors"].as_array().expect("errors");
    assert_eq!(errors.len(), 1, "{body:#}");
    assert_eq!(errors[0]["extensions"]["code"], "BAD_USER_INPUT");
    assert!(errors[0]["message"].as_str().unwrap().contains("ck_ai_model_feedback_rating"), "{body:#}");
    // async-graphql's serial executor keeps the fields resolved before the failure
    // (`data.first`) and leaves the failed one out.
    let first = sql_value(&server, "SELECT id::text AS v FROM studio.users WHERE email = 'first@example.com'").await;
    assert_eq!(body["data"], json!({ "first": { "id": first.expect("first mutation committed") } }), "{body:#}");
    assert_eq!(count(&server, "ai_model_feedback", "true").await, 0, "second left no row");

    // Same with a unique violation as the second write: the duplicate is not stored.
    let body = server
        .gql(
            "mutation {
               a: createUser(input: { email: \"a@example.com\" }) { id }
               b: createUser(input: { email: \"a@example.com\" }) { id }
             }",
            json!({}),
        )
        .await;
    assert_eq!(body["errors"][0]["extensions"]["code"], "CONFLICT", "{body:#}");
    assert!(body["data"]["a"]["id"].is_string() && body["data"].get("b").is_none(), "{body:#}");
    assert_eq!(count(&server, "users", "email = 'a@example.com'").await, 1);
}

/// Generated integer keys come from their sequence: a create cannot choose
/// one (it is no input field), and the database numbers the rows. UUID keys
/// a client may choose.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sequenced_keys_are_the_databases_to_choose() {
    let server = TestServer::start().await;
    let chosen = server.gql("mutation { createUsageLog(input: {id: \"7\", actionType: \"export\"}) { id } }", json!({})).await;
    assert_eq!(chosen["errors"][0]["extensions"]["code"], "BAD_USER_INPUT", "{chosen:#}");
    assert!(chosen["errors"][0]["message"].as_str().unwrap().contains("\"id\""), "{chosen:#}");
    let first = server.data("mutation { createUsageLog(input: {actionType: \"export\"}) { id } }", json!({})).await;
    let second = server.data("mutation { createUsageLog(input: {actionType: \"export\"}) { id } }", json!({})).await;
    let n = |d: &Value| d["createUsageLog"]["id"].as_str().expect("a BigInt id, as a string").parse::<i64>().unwrap();
    assert_eq!(n(&second), n(&first) + 1);
    assert_eq!(count(&server, "usage_logs", "TRUE").await, 2);
    let id = uuid::Uuid::new_v4().to_string();
    let mine = server
        .data("mutation($id: UUID!) { createUser(input: {id: $id, email: \"chosen@example.com\"}) { id } }", json!({ "id": id }))
        .await;
    assert_eq!(mine["createUser"]["id"], id.as_str());
}
