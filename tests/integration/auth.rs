//! Auth and row rules on the studio app: who may read, change and hear about
//! which rows. Two users with their own workbenches and teams try to reach
//! each other's rows on every path; anonymous callers, bad tokens and API
//! keys get exactly what their credentials allow, and nothing leaks.

use std::time::Duration;

use serde_json::{json, Value};

use crate::common::ws::WsClient;
use crate::common::{self, TestServer};

/// How a request authenticates.
#[derive(Clone, Copy)]
enum As<'a> {
    Anon,
    Token(&'a str),
    Header(&'a str),
    ApiKey(&'a str),
}

/// POSTs a studio query with the given credentials; returns the status and body.
async fn post(server: &TestServer, who: As<'_>, query: &str, variables: Value) -> (u16, Value) {
    let request = reqwest::Client::new().post(server.endpoint("studio"));
    let request = match who {
        As::Anon => request,
        As::Token(t) => request.bearer_auth(t),
        As::Header(h) => request.header("authorization", h),
        As::ApiKey(k) => request.header("x-api-key", k),
    };
    let resp = request.json(&json!({ "query": query, "variables": variables })).send().await.expect("request sent");
    (resp.status().as_u16(), resp.json().await.expect("JSON body"))
}

/// `data` of a request that must succeed.
async fn data(server: &TestServer, who: As<'_>, query: &str, variables: Value) -> Value {
    let (status, body) = post(server, who, query, variables).await;
    assert!(status == 200 && body.get("errors").is_none(), "unexpected errors ({status}): {body:#}");
    body["data"].clone()
}

/// The `extensions.code` of a request that must fail (after execution).
async fn code(server: &TestServer, who: As<'_>, query: &str, variables: Value) -> String {
    let (_, body) = post(server, who, query, variables).await;
    body["errors"][0]["extensions"]["code"].as_str().unwrap_or_else(|| panic!("no error code in {body:#}")).to_string()
}

/// One value of a one-row SQL query.
async fn sql(server: &TestServer, query: &str) -> Value {
    let rows = server.db.rows(query).await;
    assert_eq!(rows.len(), 1, "{query}: {rows:?}");
    rows[0]["v"].clone()
}

/// Creates a row as the service role and returns its id.
async fn create(server: &TestServer, mutation: &str, input: Value) -> String {
    let query = format!("mutation($i: {mutation}CreateInput!) {{ create{mutation}(input: $i) {{ id }} }}");
    let d = data(server, As::Token(&common::service_token()), &query, json!({ "i": input })).await;
    d[format!("create{mutation}")]["id"].as_str().expect("an id").to_string()
}

/// One user's rows: a workbench with a project, an asset with a version, a team with a brand kit.
struct Owned {
    user: String,
    token: String,
    workbench: String,
    project: String,
    asset: String,
    version: String,
    team: String,
    kit: String,
}

async fn user_with_rows(server: &TestServer, name: &str) -> Owned {
    let user = create(server, "User", json!({ "email": format!("{name}@example.com") })).await;
    let workbench = create(server, "Workbench", json!({ "userId": user, "name": format!("{name}'s bench") })).await;
    let project = create(server, "Project", json!({ "workbenchId": workbench, "userId": user, "name": format!("{name}'s project") })).await;
    let asset = create(
        server,
        "Asset",
        json!({ "projectId": project, "userId": user, "name": format!("{name}'s asset"), "type": "UPLOADED",
                "filePath": "/a.png", "mimeType": "image/png", "format": "png" }),
    )
    .await;
    let version = create(server, "AssetVersion", json!({ "assetId": asset, "versionNumber": 1 })).await;
    let team = create(server, "Team", json!({ "name": format!("{name}'s team"), "ownerId": user })).await;
    create(server, "TeamMember", json!({ "teamId": team, "userId": user, "role": "OWNER" })).await;
    let kit =
        create(server, "BrandKit", json!({ "userId": user, "teamId": team, "name": format!("{name}'s kit"), "colors": {}, "fonts": {} }))
            .await;
    let token = common::token("authenticated", Some(&user), 3600);
    Owned { user, token, workbench, project, asset, version, team, kit }
}

/// Two users, each with their own rows.
async fn two_users() -> (TestServer, Owned, Owned) {
    let server = TestServer::start_with(&[crate::common::UNCAPPED_NODES]).await;
    let alice = user_with_rows(&server, "alice").await;
    let bob = user_with_rows(&server, "bob").await;
    (server, alice, bob)
}

/// Every credential that cannot be accepted gets 401 and `UNAUTHENTICATED`,
/// and nothing runs.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unacceptable_credentials_are_refused() {
    let server = TestServer::start().await;
    let now = quiver::auth::jwt::now();
    let claims = |exp: u64, nbf: Option<u64>, aud: Option<Value>, role: &str| quiver::auth::jwt::Claims {
        sub: Some("00000000-0000-4000-8000-000000000001".into()),
        role: Some(role.into()),
        email: None,
        exp,
        nbf,
        iat: Some(now),
        aud,
    };
    let mint = |secret: &str, c| quiver::auth::jwt::mint_hs256(secret, &c).unwrap();
    let aud = Some(json!("authenticated"));
    let b64 = |s: &str| base64_url(s.as_bytes());
    let alg_none = format!(
        "{}.{}.",
        b64(r#"{"alg":"none","typ":"JWT"}"#),
        b64(&format!(r#"{{"sub":"x","role":"service_role","exp":{}}}"#, now + 600))
    );
    let cases = [
        ("expired", mint(common::JWT_SECRET, claims(now - 120, None, aud.clone(), "authenticated"))),
        ("not yet valid", mint(common::JWT_SECRET, claims(now + 600, Some(now + 300), aud.clone(), "authenticated"))),
        ("forged", mint("some-other-secret-of-enough-length-123", claims(now + 600, None, aud.clone(), "service_role"))),
        ("wrong audience", mint(common::JWT_SECRET, claims(now + 600, None, Some(json!("someone-else")), "authenticated"))),
        ("no audience", mint(common::JWT_SECRET, claims(now + 600, None, None, "authenticated"))),
        ("unknown role", mint(common::JWT_SECRET, claims(now + 600, None, aud.clone(), "supabase_admin"))),
        ("alg none", alg_none),
        ("garbage", "not.a.token".to_string()),
    ];
    for (what, token) in &cases {
        let (status, body) = post(&server, As::Token(token), "{ users { totalCount } }", json!({})).await;
        assert_eq!(status, 401, "{what}: {body}");
        assert_eq!(body["errors"][0]["extensions"]["code"], "UNAUTHENTICATED", "{what}: {body}");
        assert!(body.get("data").is_none_or(Value::is_null), "{what}: nothing executed: {body}");
    }
    let (status, body) = post(&server, As::Header("Basic dXNlcjpwYXNz"), "{ users { totalCount } }", json!({})).await;
    assert_eq!((status, body["errors"][0]["extensions"]["code"].as_str()), (401, Some("UNAUTHENTICATED")), "{body}");
    // A refused mutation writes nothing.
    let forged = &cases[2].1;
    let (status, _) = post(
        &server,
        As::Token(forged),
        "mutation { createAIModel(input: {name: \"x\", provider: \"p\", taskType: TEXT_GENERATION}) { id } }",
        json!({}),
    )
    .await;
    assert_eq!(status, 401);
    assert_eq!(sql(&server, "SELECT count(*)::int AS v FROM studio.ai_models").await, 0);
}

/// Reads: lists, counts, lookups by id, relations, many-to-many links and
/// filters across relations only ever show the caller's own rows; another
/// user's row looks exactly like one that does not exist.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn users_read_only_their_own_rows() {
    let (server, alice, bob) = two_users().await;
    let me = As::Token(&alice.token);
    let d = data(
        &server,
        me,
        "{ projects { totalCount nodes { id } } assets { totalCount } assetVersions { totalCount } workbenches { totalCount }
           users { totalCount nodes { id } } teams { totalCount } brandKits { totalCount } }",
        json!({}),
    )
    .await;
    assert_eq!(d["projects"]["nodes"], json!([{ "id": alice.project }]));
    for list in ["projects", "assets", "assetVersions", "workbenches", "users", "teams", "brandKits"] {
        assert_eq!(d[list]["totalCount"], 1, "{list}: {d}");
    }
    assert_eq!(d["users"]["nodes"], json!([{ "id": alice.user }]));

    // By id: another user's rows are null, exactly like unknown ids.
    let d = data(
        &server,
        me,
        "query($p: UUID!, $u: UUID!, $v: UUID!, $k: UUID!, $t: UUID!) { project(id: $p) { id } user(id: $u) { id } assetVersion(id: $v) { id } brandKit(id: $k) { id } team(id: $t) { id } }",
        json!({ "p": bob.project, "u": bob.user, "v": bob.version, "k": bob.kit, "t": bob.team }),
    )
    .await;
    assert_eq!(d, json!({ "project": null, "user": null, "assetVersion": null, "brandKit": null, "team": null }));

    // Relations in both directions and the users ↔ teams link.
    let d = data(
        &server,
        me,
        "query($u: UUID!) { user(id: $u) { workbenches { nodes { projects { totalCount nodes { assets { nodes { versions { totalCount } } } } } } } teams { totalCount nodes { id members { totalCount } } } } }",
        json!({ "u": alice.user }),
    )
    .await;
    let bench = &d["user"]["workbenches"]["nodes"][0]["projects"];
    assert_eq!(bench["totalCount"], 1);
    assert_eq!(bench["nodes"][0]["assets"]["nodes"][0]["versions"]["totalCount"], 1);
    assert_eq!(d["user"]["teams"]["nodes"], json!([{ "id": alice.team, "members": { "totalCount": 1 } }]));

    // Bob's project is in the database, but a filter across relations never reaches it.
    assert_eq!(sql(&server, "SELECT count(*)::int AS v FROM studio.projects").await, 2);
    let d = data(
        &server,
        me,
        "query($w: UUID!, $u: UUID!) { byBench: projects(filter: {workbench: {id: {eq: $w}}}) { totalCount }
                                       byUser: assets(filter: {project: {user: {id: {eq: $u}}}}) { totalCount } }",
        json!({ "w": bob.workbench, "u": bob.user }),
    )
    .await;
    assert_eq!(d, json!({ "byBench": { "totalCount": 0 }, "byUser": { "totalCount": 0 } }));
}

/// Writes to another user's rows are refused and change nothing: the rows are
/// unknown to the caller (NOT_FOUND), and so are the rows a write would point
/// at (another's workbench or user: FOREIGN_KEY_VIOLATION, as for any unknown key).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn users_cannot_change_or_re_own_rows_of_others() {
    let (server, alice, bob) = two_users().await;
    let me = As::Token(&alice.token);
    let update = "mutation($id: UUID!, $p: ProjectPatch!) { updateProject(id: $id, patch: $p) { id name userId } }";
    let delete = "mutation($id: UUID!) { deleteProject(id: $id) { id } }";
    assert_eq!(code(&server, me, update, json!({ "id": bob.project, "p": { "name": "mine now" } })).await, "NOT_FOUND");
    assert_eq!(code(&server, me, delete, json!({ "id": bob.project })).await, "NOT_FOUND");
    assert_eq!(
        code(&server, me, "mutation($id: UUID!) { deleteAssetVersion(id: $id) { id } }", json!({ "id": bob.version })).await,
        "NOT_FOUND"
    );
    // Into someone else's workbench, or in someone else's name: she cannot
    // see Bob's workbench or user row, so they are as absent as any unknown key.
    let create = "mutation($i: ProjectCreateInput!) { createProject(input: $i) { id } }";
    let into_bob = json!({ "i": { "workbenchId": bob.workbench, "userId": alice.user, "name": "intruder" } });
    assert_eq!(code(&server, me, create, into_bob).await, "FOREIGN_KEY_VIOLATION");
    let as_bob = json!({ "i": { "workbenchId": alice.workbench, "userId": bob.user, "name": "forged" } });
    assert_eq!(code(&server, me, create, as_bob).await, "FOREIGN_KEY_VIOLATION");
    // Re-owning her own project to Bob: `user_id` is fixed once the row
    // exists, refused before the database is asked (whatever the ids name).
    assert_eq!(
        code(&server, me, update, json!({ "id": alice.project, "p": { "userId": bob.user, "workbenchId": bob.workbench } })).await,
        "FORBIDDEN"
    );
    // Into Bob's workbench alone: his workbench is as absent as any unknown key.
    assert_eq!(
        code(&server, me, update, json!({ "id": alice.project, "p": { "workbenchId": bob.workbench } })).await,
        "FOREIGN_KEY_VIOLATION"
    );
    // Her own workbench, in her own name, is fine.
    let own_bench = json!({ "i": { "workbenchId": alice.workbench, "userId": alice.user, "name": "fine" } });
    assert!(data(&server, me, create, own_bench).await["createProject"]["id"].is_string());
    server.db.exec("DELETE FROM studio.projects WHERE name = 'fine'").await;
    // Nothing changed.
    let rows = server.db.rows("SELECT name, user_id::text AS owner FROM studio.projects ORDER BY name").await;
    assert_eq!(
        rows,
        vec![json!({ "name": "alice's project", "owner": alice.user }), json!({ "name": "bob's project", "owner": bob.user })]
    );
    // Her own rows she can change.
    let d = data(&server, me, update, json!({ "id": alice.project, "p": { "name": "renamed" } })).await;
    assert_eq!(d["updateProject"]["name"], "renamed");
}

/// Team brand kits: every member reads them, Editors and up change them,
/// Viewers may read but not write (FORBIDDEN), non-members see nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn team_roles_decide_who_reads_and_writes() {
    let (server, alice, bob) = two_users().await;
    let member = create(&server, "TeamMember", json!({ "teamId": alice.team, "userId": bob.user, "role": "VIEWER" })).await;
    let bob_as = As::Token(&bob.token);
    let kit = "query($k: UUID!) { brandKit(id: $k) { name team { name } } }";
    let d = data(&server, bob_as, kit, json!({ "k": alice.kit })).await;
    assert_eq!(d["brandKit"], json!({ "name": "alice's kit", "team": { "name": "alice's team" } }));
    let rename = "mutation($k: UUID!) { updateBrandKit(id: $k, patch: {name: \"bob was here\"}) { name } }";
    assert_eq!(code(&server, bob_as, rename, json!({ "k": alice.kit })).await, "FORBIDDEN");
    // A Viewer cannot promote himself: memberships are changed by team owners and admins.
    let promote = "mutation($m: UUID!) { updateTeamMember(id: $m, patch: {role: ADMIN}) { role } }";
    assert_eq!(code(&server, bob_as, promote, json!({ "m": member })).await, "FORBIDDEN");
    let d = data(&server, As::Token(&alice.token), promote.replace("ADMIN", "EDITOR").as_str(), json!({ "m": member })).await;
    assert_eq!(d["updateTeamMember"]["role"], "EDITOR");
    let d = data(&server, bob_as, rename, json!({ "k": alice.kit })).await;
    assert_eq!(d["updateBrandKit"]["name"], "bob was here");
    // An Editor still cannot move the kit to a team he is not in (for him no such team exists)...
    let carol = user_with_rows(&server, "carol").await;
    let moving = "mutation($k: UUID!, $t: UUID!) { updateBrandKit(id: $k, patch: {teamId: $t}) { name } }";
    assert_eq!(code(&server, bob_as, moving, json!({ "k": alice.kit, "t": carol.team })).await, "FOREIGN_KEY_VIOLATION");
    // ...nor into one where he only views: he sees it, so that is FORBIDDEN.
    create(&server, "TeamMember", json!({ "teamId": carol.team, "userId": bob.user, "role": "VIEWER" })).await;
    assert_eq!(code(&server, bob_as, moving, json!({ "k": alice.kit, "t": carol.team })).await, "FORBIDDEN");
    assert_eq!(
        sql(&server, &format!("SELECT team_id::text AS v FROM studio.brand_kits WHERE id = '{}'", alice.kit)).await,
        json!(alice.team)
    );
    // Carol, not a member, sees neither the kit nor the team.
    let d = data(&server, As::Token(&carol.token), kit, json!({ "k": alice.kit })).await;
    assert_eq!(d["brandKit"], Value::Null);
}

/// Anonymous callers see public templates and active AI models, nothing else,
/// and write nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn anonymous_callers_see_only_public_rows() {
    let (server, alice, _) = two_users().await;
    let template = |public: bool, name: &str| json!({ "userId": alice.user, "name": name, "category": "c", "previewUrl": "/p", "sourceData": {}, "isPublic": public });
    create(&server, "Template", template(true, "shared")).await;
    create(&server, "Template", template(false, "draft")).await;
    create(&server, "AIModel", json!({ "name": "live", "provider": "p", "taskType": "TEXT_GENERATION", "isActive": true })).await;
    create(&server, "AIModel", json!({ "name": "retired", "provider": "p", "taskType": "TEXT_GENERATION", "isActive": false })).await;
    let d = data(
        &server,
        As::Anon,
        "{ templates { nodes { name } } aiModels { nodes { name } } projects { totalCount } users { totalCount } brandKits { totalCount } teamMembers { totalCount } }",
        json!({}),
    )
    .await;
    assert_eq!(
        d,
        json!({ "templates": { "nodes": [{ "name": "shared" }] }, "aiModels": { "nodes": [{ "name": "live" }] },
                "projects": { "totalCount": 0 }, "users": { "totalCount": 0 }, "brandKits": { "totalCount": 0 }, "teamMembers": { "totalCount": 0 } })
    );
    // Alice sees her draft too.
    let d = data(&server, As::Token(&alice.token), "{ templates { totalCount } }", json!({})).await;
    assert_eq!(d["templates"]["totalCount"], 2);
    let create_model = "mutation { createAIModel(input: {name: \"x\", provider: \"p\", taskType: TEXT_GENERATION}) { id } }";
    assert_eq!(code(&server, As::Anon, create_model, json!({})).await, "FORBIDDEN");
    assert_eq!(code(&server, As::Token(&alice.token), create_model, json!({})).await, "FORBIDDEN", "AI models are managed by the service");
    let create_user = "mutation { createUser(input: {email: \"anon@example.com\"}) { id } }";
    assert_eq!(code(&server, As::Anon, create_user, json!({})).await, "FORBIDDEN");
    assert_eq!(sql(&server, "SELECT count(*)::int AS v FROM studio.ai_models").await, 2);
    assert_eq!(sql(&server, "SELECT count(*)::int AS v FROM studio.users").await, 2);
    // Channels need a signed-in caller too.
    assert_eq!(code(&server, As::Anon, "mutation { broadcast(topic: \"t\", event: \"e\") }", json!({})).await, "UNAUTHENTICATED");
    // Alice's rows do not exist for anonymous writers.
    let rename = "mutation($id: UUID!) { updateProject(id: $id, patch: {name: \"anon\"}) { id } }";
    assert_eq!(code(&server, As::Anon, rename, json!({ "id": alice.project })).await, "NOT_FOUND");
    let delete = "mutation($id: UUID!) { deleteAsset(id: $id) { id } }";
    assert_eq!(code(&server, As::Anon, delete, json!({ "id": alice.asset })).await, "NOT_FOUND");
    let create_project = "mutation($i: ProjectCreateInput!) { createProject(input: $i) { id } }";
    let input = json!({ "i": { "workbenchId": alice.workbench, "userId": alice.user, "name": "anon's" } });
    assert_eq!(code(&server, As::Anon, create_project, input).await, "FOREIGN_KEY_VIOLATION", "her workbench does not exist for anon");
    assert_eq!(sql(&server, &format!("SELECT name AS v FROM studio.projects WHERE id = '{}'", alice.project)).await, "alice's project");
    assert_eq!(sql(&server, "SELECT count(*)::int AS v FROM studio.assets").await, 2);
    // Anonymous subscribers hear of public rows only.
    let mut ws = WsClient::connect_with(&server.base, "studio", "graphql-transport-ws", json!({})).await;
    ws.subscribe("p", "subscription { projectChanged { new { name } } }", json!({})).await;
    ws.subscribe("t", "subscription { templateChanged { new { name isPublic } } }", json!({})).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let service = As::Token(&common::service_token());
    data(
        &server,
        service,
        "mutation($id: UUID!) { updateProject(id: $id, patch: {name: \"renamed\"}) { id } }",
        json!({ "id": alice.project }),
    )
    .await;
    create(&server, "Template", template(false, "another draft")).await;
    create(&server, "Template", template(true, "another shared")).await;
    assert_eq!(ws.next_data("t").await["data"]["templateChanged"]["new"]["name"], "another shared");
    ws.expect_silence(Duration::from_millis(800)).await;
}

/// References cross no owners: Bob cannot file a project under Alice's
/// workbench or point his project at her private template; each fails as a
/// reference to nothing would. Her public templates he may use.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn references_to_rows_of_others_fail_as_if_they_did_not_exist() {
    let (server, alice, bob) = two_users().await;
    let template = |public: bool| json!({ "userId": alice.user, "name": "t", "category": "c", "previewUrl": "/p", "sourceData": {}, "isPublic": public });
    let (private, public) = (create(&server, "Template", template(false)).await, create(&server, "Template", template(true)).await);
    let create_project = "mutation($i: ProjectCreateInput!) { createProject(input: $i) { id templateId } }";
    let project = |workbench: &str, template: Option<&str>| json!({ "i": { "workbenchId": workbench, "userId": bob.user, "name": "bob's", "templateId": template } });
    let nothing = uuid::Uuid::new_v4().to_string();
    let error = |body: Value| (body["errors"][0]["extensions"].clone(), body["errors"][0]["message"].clone());
    let bob_as = As::Token(&bob.token);
    let (_, missing) = post(&server, bob_as, create_project, project(&nothing, None)).await;
    let (_, hers) = post(&server, bob_as, create_project, project(&alice.workbench, None)).await;
    assert_eq!(missing["errors"][0]["extensions"]["code"], "FOREIGN_KEY_VIOLATION", "{missing:#}");
    assert_eq!(error(hers), error(missing), "her workbench looks like no workbench");
    let (_, private_ref) = post(&server, bob_as, create_project, project(&bob.workbench, Some(&private))).await;
    assert_eq!(private_ref["errors"][0]["extensions"]["code"], "FOREIGN_KEY_VIOLATION", "{private_ref:#}");
    let made = data(&server, bob_as, create_project, project(&bob.workbench, Some(&public))).await;
    assert_eq!(made["createProject"]["templateId"], public.as_str());
    assert_eq!(sql(&server, &format!("SELECT count(*)::int AS v FROM studio.projects WHERE user_id = '{}'", bob.user)).await, 2);
    // Team owners add other users by id: that reference is declared open.
    let added = data(
        &server,
        As::Token(&alice.token),
        "mutation($t: UUID!, $u: UUID!) { createTeamMember(input: {teamId: $t, userId: $u, role: VIEWER}) { id } }",
        json!({ "t": alice.team, "u": bob.user }),
    )
    .await;
    assert!(added["createTeamMember"]["id"].is_string());
}

/// RS256 and ES256 tokens verified against a JWKS file (`--jwks-file`) act
/// for their user over HTTP; a token under an unknown key id is refused.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tokens_signed_with_jwks_keys_are_accepted() {
    use jsonwebtoken::{Algorithm, EncodingKey, Header};
    let jwks = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/keys/jwks.json");
    let server = TestServer::start_with(&[&format!("--jwks-file={jwks}")]).await;
    let alice = user_with_rows(&server, "alice").await;
    let der = |pem: &str| {
        use base64::Engine;
        let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
        base64::engine::general_purpose::STANDARD.decode(body).unwrap()
    };
    let rsa = EncodingKey::from_rsa_der(&der(include_str!("../fixtures/keys/rsa_private.pem")));
    let ec = EncodingKey::from_ec_der(&der(include_str!("../fixtures/keys/ec_private.pem")));
    let now = quiver::auth::jwt::now();
    let claims = json!({ "sub": alice.user, "role": "authenticated", "aud": "authenticated", "exp": now + 600, "iat": now });
    for (alg, key, kid) in [(Algorithm::RS256, &rsa, "rsa-test"), (Algorithm::ES256, &ec, "ec-test")] {
        let mut header = Header::new(alg);
        header.kid = Some(kid.to_string());
        let token = jsonwebtoken::encode(&header, &claims, key).unwrap();
        let d = data(&server, As::Token(&token), "{ projects { nodes { id } } users { totalCount } }", json!({})).await;
        assert_eq!(d["projects"]["nodes"], json!([{ "id": alice.project }]), "{alg:?}");
        assert_eq!(d["users"]["totalCount"], 1, "{alg:?}: only herself");
        header.kid = Some("unknown".into());
        let stranger = jsonwebtoken::encode(&header, &claims, key).unwrap();
        let (status, body) = post(&server, As::Token(&stranger), "{ projects { totalCount } }", json!({})).await;
        assert_eq!((status, body["errors"][0]["extensions"]["code"].as_str()), (401, Some("UNAUTHENTICATED")), "{body:#}");
    }
}

/// API keys (`X-API-Key: <apiKey>.<secret>`) act for their user, limited by
/// their permissions; wrong secrets, unknown and deactivated keys are refused.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn api_keys_act_for_their_user_within_their_permissions() {
    let (server, alice, bob) = two_users().await;
    let client = create(
        &server,
        "APIClient",
        json!({ "userId": alice.user, "name": "ci", "apiKey": "qv_test_alice", "secret": "s3cret-value",
                "permissions": { "projects": ["read"], "assets": ["read", "write"] } }),
    )
    .await;
    let stored = sql(&server, "SELECT secret_hash AS v FROM studio.api_clients").await;
    assert!(stored.as_str().is_some_and(|h| h.starts_with("$argon2id$")), "hashed at rest: {stored}");
    let key = As::ApiKey("qv_test_alice.s3cret-value");
    let d = data(&server, key, "{ projects { nodes { id } } assets { totalCount } workbenches { totalCount } }", json!({})).await;
    assert_eq!(d["projects"]["nodes"], json!([{ "id": alice.project }]), "only its user's rows");
    assert_eq!(d["assets"]["totalCount"], 1);
    assert_eq!(d["workbenches"]["totalCount"], 0, "not granted: nothing visible");
    // Granted writes work on its user's rows only; ungranted writes are refused.
    let rename = "mutation($a: UUID!) { updateAsset(id: $a, patch: {name: \"by key\"}) { name } }";
    assert_eq!(data(&server, key, rename, json!({ "a": alice.asset })).await["updateAsset"]["name"], "by key");
    assert_eq!(code(&server, key, rename, json!({ "a": bob.asset })).await, "NOT_FOUND");
    let project = "mutation($p: UUID!) { updateProject(id: $p, patch: {name: \"x\"}) { name } }";
    assert_eq!(code(&server, key, project, json!({ "p": alice.project })).await, "FORBIDDEN");
    // The secret is never readable.
    let (_, body) = post(&server, key, "{ apiClients { nodes { secretHash } } }", json!({})).await;
    assert_eq!(body["errors"][0]["extensions"]["code"], "GRAPHQL_VALIDATION_FAILED", "{body}");
    // Refused keys.
    for bad in ["qv_test_alice.wrong", "qv_unknown.s3cret-value", "no-dot-at-all"] {
        let (status, body) = post(&server, As::ApiKey(bad), "{ projects { totalCount } }", json!({})).await;
        assert_eq!((status, body["errors"][0]["extensions"]["code"].as_str()), (401, Some("UNAUTHENTICATED")), "{bad}: {body}");
    }
    server.db.exec(&format!("UPDATE studio.api_clients SET is_active = false WHERE id = '{client}'")).await;
    let (status, body) = post(&server, key, "{ projects { totalCount } }", json!({})).await;
    assert_eq!((status, body["errors"][0]["extensions"]["code"].as_str()), (401, Some("UNAUTHENTICATED")), "{body}");
}

/// Subscribers only hear about rows they may read at that moment: their own
/// projects (decided from the row), their teams' brand kits (decided by the
/// database), never another user's.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn subscriptions_deliver_only_readable_rows() {
    let (server, alice, bob) = two_users().await;
    let mut ws = WsClient::connect_as(&server.base, "studio", &alice.token).await;
    ws.subscribe("p", "subscription { projectChanged { event new { name } } }", json!({})).await;
    ws.subscribe("k", "subscription { brandKitChanged { event new { name } } }", json!({})).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let service = As::Token(&common::service_token());
    let rename =
        |what: &'static str| format!("mutation($id: UUID!, $n: String!) {{ update{what}(id: $id, patch: {{name: $n}}) {{ id }} }}");
    data(&server, service, &rename("Project"), json!({ "id": bob.project, "n": "bob private" })).await;
    data(&server, service, &rename("BrandKit"), json!({ "id": bob.kit, "n": "bob kit private" })).await;
    data(&server, service, &rename("Project"), json!({ "id": alice.project, "n": "alice visible" })).await;
    assert_eq!(ws.next_data("p").await["data"]["projectChanged"]["new"]["name"], "alice visible");
    ws.expect_silence(Duration::from_millis(800)).await;
    // Bob joins Alice's team: her kit's changes reach him, his own kit's too.
    create(&server, "TeamMember", json!({ "teamId": alice.team, "userId": bob.user, "role": "VIEWER" })).await;
    let mut bob_ws = WsClient::connect_as(&server.base, "studio", &bob.token).await;
    bob_ws.subscribe("k", "subscription { brandKitChanged { new { name } } }", json!({})).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    data(&server, service, &rename("BrandKit"), json!({ "id": alice.kit, "n": "shared kit" })).await;
    assert_eq!(bob_ws.next_data("k").await["data"]["brandKitChanged"]["new"]["name"], "shared kit");
    assert_eq!(ws.next_data("k").await["data"]["brandKitChanged"]["new"]["name"], "shared kit");
    ws.expect_silence(Duration::from_millis(500)).await;
}

/// A subscription ends with `UNAUTHENTICATED` when its token expires; a
/// connection with a bad token is closed at `connection_init`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn expired_tokens_end_subscriptions_and_bad_ones_are_refused() {
    let server = TestServer::start().await;
    let short = common::token("service_role", None, 2);
    let mut ws = WsClient::connect_as(&server.base, "studio", &short).await;
    ws.subscribe("s", "subscription { projectChanged { event } }", json!({})).await;
    let msg = ws.next_message_within(Duration::from_secs(10)).await.expect("an error when the token expires");
    assert_eq!(msg["id"], "s", "{msg}");
    let errors = if msg["type"] == "error" { msg["payload"].clone() } else { msg["payload"]["errors"].clone() };
    assert_eq!(errors[0]["extensions"]["code"], "UNAUTHENTICATED", "{msg}");
    let end = ws.next_message().await.expect("complete");
    assert_eq!((end["type"].as_str(), end["id"].as_str()), (Some("complete"), Some("s")), "{end}");
    // The connection stays open, but runs nothing more for the lapsed token:
    // neither a query nor a new subscription.
    for (id, operation) in [("q", "{ projects { totalCount } }"), ("s2", "subscription { projectChanged { event } }")] {
        ws.subscribe(id, operation, json!({})).await;
        let msg = ws.next_message_within(Duration::from_secs(5)).await.expect("an answer");
        assert_eq!(msg["id"], id, "{msg}");
        let errors = if msg["type"] == "error" { msg["payload"].clone() } else { msg["payload"]["errors"].clone() };
        assert_eq!(errors[0]["extensions"]["code"], "UNAUTHENTICATED", "{msg}");
        assert!(msg["payload"]["data"].is_null(), "{msg}");
        if msg["type"] == "next" {
            let end = ws.next_message().await.expect("complete");
            assert_eq!((end["type"].as_str(), end["id"].as_str()), (Some("complete"), Some(id)), "{end}");
        }
    }

    let expired = common::token("authenticated", Some("u"), -60);
    let reason = refused_reason(&server.base, json!({ "Authorization": format!("Bearer {expired}") })).await;
    assert!(reason.starts_with("UNAUTHENTICATED"), "{reason}");
}

/// Opens a WebSocket, sends `connection_init` with `payload`, and returns the
/// reason of the close the server answers with.
async fn refused_reason(base: &str, payload: Value) -> String {
    use futures_util::{SinkExt, StreamExt};
    use tokio_tungstenite::tungstenite::client::IntoClientRequest;
    use tokio_tungstenite::tungstenite::Message;
    let mut request = format!("{}/graphql/studio/ws", base.replacen("http://", "ws://", 1)).into_client_request().unwrap();
    request.headers_mut().insert("Sec-WebSocket-Protocol", "graphql-transport-ws".parse().unwrap());
    let (mut socket, _) = tokio_tungstenite::connect_async(request).await.expect("connects");
    let init = json!({ "type": "connection_init", "payload": payload }).to_string();
    socket.send(Message::Text(init.into())).await.unwrap();
    loop {
        match tokio::time::timeout(Duration::from_secs(10), socket.next()).await.expect("an answer") {
            Some(Ok(Message::Close(Some(frame)))) => return frame.reason.to_string(),
            Some(Ok(Message::Text(t))) => assert!(!t.contains("connection_ack"), "acknowledged a bad token: {t}"),
            Some(Ok(_)) => {}
            other => panic!("no close frame: {other:?}"),
        }
    }
}

/// Unpadded base64url, as JWTs encode their parts.
fn base64_url(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// Key rotation: with a new key first in the ring, `rotate-keys` re-encrypts
/// every encrypted value still under an older key (and plaintext loaded from
/// an existing database) under the new one; values stay readable throughout.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn encrypted_columns_are_re_encrypted_under_a_new_key() {
    use quiver::auth::secrets::Keyring;
    const OLD: &str = "k1:ERERERERERERERERERERERERERERERERERERERERERE=";
    const NEW: &str = "k2:IiIiIiIiIiIiIiIiIiIiIiIiIiIiIiIiIiIiIiIiIiI=";
    let server = TestServer::start_with(&[&format!("--encryption-key={OLD}")]).await;
    let user = create(&server, "User", json!({ "email": "mfa@example.com", "mfaSecret": "JBSWY3DPEHPK3PXP" })).await;
    // A row imported from the old database, its token still in plaintext.
    let connection = create(
        &server,
        "SocialMediaConnection",
        json!({ "userId": user, "platform": "INSTAGRAM", "externalUserId": "ig-1", "accessToken": "placeholder" }),
    )
    .await;
    server.db.exec(&format!("UPDATE studio.social_media_connections SET access_token = 'legacy-token' WHERE id = '{connection}'")).await;

    let ring = Keyring::parse(&format!("{NEW},{OLD}")).unwrap();
    let db = quiver::db::Db::connect(&server.db.url, &quiver::db::PoolOptions::default()).unwrap();
    let studio = quiver::apps::find("studio").unwrap().app();
    assert_eq!(quiver::auth::sealer::reencrypt(studio, &db, &ring).await.unwrap(), 2, "the MFA secret and the plaintext token");
    assert_eq!(quiver::auth::sealer::reencrypt(studio, &db, &ring).await.unwrap(), 0, "nothing left to do");

    let mfa = sql(&server, &format!("SELECT mfa_secret AS v FROM studio.users WHERE id = '{user}'")).await;
    let token = sql(&server, &format!("SELECT access_token AS v FROM studio.social_media_connections WHERE id = '{connection}'")).await;
    for (stored, context, plain) in
        [(&mfa, "studio.users.mfa_secret", "JBSWY3DPEHPK3PXP"), (&token, "studio.social_media_connections.access_token", "legacy-token")]
    {
        let stored = stored.as_str().unwrap();
        assert!(stored.starts_with("enc:v1:k2:"), "{stored}");
        assert_eq!(ring.decrypt(stored, context).unwrap(), plain);
        assert!(Keyring::parse(OLD).unwrap().decrypt(stored, context).is_err(), "the old key alone no longer reads it");
    }
}

/// Column write permissions: billing, tiers and verification flags are the
/// service's to write, ownership is fixed once a row exists, and a team changes
/// hands only at its owner's word. Each refusal comes before the database is
/// asked, so it reads the same whatever the key names.
#[tokio::test]
async fn users_cannot_grant_themselves_credits_tiers_or_ownership() {
    let server = TestServer::start().await;
    let (alice, bob) = (user_with_rows(&server, "alice").await, user_with_rows(&server, "bob").await);
    let me = As::Token(&alice.token);
    let update_user = "mutation($id: UUID!, $p: UserPatch!) { updateUser(id: $id, patch: $p) { id } }";
    for patch in [
        json!({ "creditBalance": "99999999.00" }),
        json!({ "subscriptionTier": "ENTERPRISE" }),
        json!({ "isEmailVerified": true }),
        json!({ "fullName": "Alice", "creditBalance": "1.00" }),
    ] {
        assert_eq!(code(&server, me, update_user, json!({ "id": alice.user, "p": patch })).await, "FORBIDDEN", "{patch}");
        // The same answer for a key that names nothing.
        let nobody = "5f0e0d4c-3b2a-4918-8a7b-6c5d4e3f2a10";
        assert_eq!(code(&server, me, update_user, json!({ "id": nobody, "p": patch })).await, "FORBIDDEN", "{patch}");
    }
    let stored = sql(&server, &format!("SELECT json_build_array(credit_balance::text, subscription_tier, is_email_verified, full_name) AS v FROM studio.users WHERE id = '{}'", alice.user)).await;
    assert_eq!(stored, json!(["0.00", "Free", false, null]), "nothing was written");
    // Her own profile fields stay hers to change; the service grants credits.
    assert!(
        data(&server, me, update_user, json!({ "id": alice.user, "p": { "fullName": "Alice A." } })).await["updateUser"]["id"].is_string()
    );
    let service = As::Token(&common::service_token());
    data(&server, service, update_user, json!({ "id": alice.user, "p": { "creditBalance": "10.00", "subscriptionTier": "PRO" } })).await;
    assert_eq!(
        sql(&server, &format!("SELECT credit_balance::text AS v FROM studio.users WHERE id = '{}'", alice.user)).await,
        json!("10.00")
    );

    // A team Admin may manage the team but not take it over.
    create(&server, "TeamMember", json!({ "teamId": alice.team, "userId": bob.user, "role": "ADMIN" })).await;
    let update_team = "mutation($id: UUID!, $p: TeamPatch!) { updateTeam(id: $id, patch: $p) { id ownerId name } }";
    let take_over = json!({ "id": alice.team, "p": { "ownerId": bob.user } });
    assert_eq!(code(&server, As::Token(&bob.token), update_team, take_over.clone()).await, "FORBIDDEN");
    let renamed = data(&server, As::Token(&bob.token), update_team, json!({ "id": alice.team, "p": { "name": "renamed by admin" } })).await;
    assert_eq!(renamed["updateTeam"]["ownerId"], json!(alice.user));
    // The owner hands it over.
    let handed = data(&server, me, update_team, take_over).await;
    assert_eq!(handed["updateTeam"]["ownerId"], json!(bob.user));
    // Nobody creates a team in someone else's name.
    let create_team = "mutation($i: TeamCreateInput!) { createTeam(input: $i) { id } }";
    assert_eq!(code(&server, me, create_team, json!({ "i": { "name": "forged", "ownerId": bob.user } })).await, "FORBIDDEN");
    assert!(data(&server, me, create_team, json!({ "i": { "name": "mine", "ownerId": alice.user } })).await["createTeam"]["id"].is_string());

    // Ownership columns are fixed once the row exists, even pointing at oneself.
    let update_bench = "mutation($id: UUID!, $p: WorkbenchPatch!) { updateWorkbench(id: $id, patch: $p) { id } }";
    assert_eq!(code(&server, me, update_bench, json!({ "id": alice.workbench, "p": { "userId": alice.user } })).await, "FORBIDDEN");
    // A generation request's status and cost are the pipeline's to write.
    let gen = "mutation($i: GenerationRequestCreateInput!) { createGenerationRequest(input: $i) { id } }";
    let forged = json!({ "i": { "userId": alice.user, "inputPrompt": "x", "status": "COMPLETED", "creditsCostFinal": "0" } });
    assert_eq!(code(&server, me, gen, forged).await, "FORBIDDEN");
}

/// A required reference to a row the caller may not read (a teammate's user
/// row) is refused on that field with FORBIDDEN, not an internal error.
#[tokio::test]
async fn a_required_reference_to_an_unreadable_row_is_forbidden_not_internal() {
    let server = TestServer::start().await;
    let (alice, bob) = (user_with_rows(&server, "alice").await, user_with_rows(&server, "bob").await);
    create(&server, "TeamMember", json!({ "teamId": alice.team, "userId": bob.user, "role": "VIEWER" })).await;
    let q = "query($t: UUID!) { team(id: $t) { memberships { nodes { role user { id } } } } }";
    let (status, body) = post(&server, As::Token(&bob.token), q, json!({ "t": alice.team })).await;
    assert_eq!(status, 200);
    let codes: Vec<&str> = body["errors"].as_array().expect("errors").iter().map(|e| e["extensions"]["code"].as_str().unwrap()).collect();
    assert!(!codes.is_empty() && codes.iter().all(|c| *c == "FORBIDDEN"), "{body:#}");
    // His own membership's user is his own row.
    let mine = "query($t: UUID!) { team(id: $t) { memberships(filter: {userId: {eq: $u}}) { nodes { user { id } } } } }";
    let mine = mine.replace("query($t: UUID!)", "query($t: UUID!, $u: UUID!)");
    let d = data(&server, As::Token(&bob.token), &mine, json!({ "t": alice.team, "u": bob.user })).await;
    assert_eq!(d["team"]["memberships"]["nodes"][0]["user"]["id"], json!(bob.user));
}
