//! A refused write answers the same whatever the data (issue 14, hole 4):
//! a create or update the caller may not make is not answered `CONFLICT` by
//! a unique key first, a delete blocked by referencing rows names no
//! constraint, and a team Admin cannot hand out the Owner role.

use serde_json::{json, Value};

use crate::common::{self, TestServer};

/// POSTs `query` to `app` as user `sub`; the whole body.
async fn as_user(server: &TestServer, app: &str, sub: &str, query: &str, variables: Value) -> Value {
    post_as(server, app, &common::token("authenticated", Some(sub), 3600), query, variables).await
}

/// POSTs `query` to `app` with bearer `token`; the whole body.
async fn post_as(server: &TestServer, app: &str, token: &str, query: &str, variables: Value) -> Value {
    let response = common::client_with_token(token)
        .post(server.endpoint(app))
        .json(&json!({ "query": query, "variables": variables }))
        .send()
        .await
        .expect("request sent");
    assert_eq!(response.status(), 200);
    response.json().await.expect("JSON body")
}

/// The first error of a body, as the client sees it (code, message and the rest).
fn first_error(body: &Value) -> Value {
    let e = &body["errors"][0];
    assert!(e.is_object(), "expected an error: {body:#}");
    json!({ "message": e["message"], "extensions": e["extensions"] })
}

/// The `extensions.code` of a body's first error (`None` when it succeeded).
fn code(body: &Value) -> Option<&str> {
    body["errors"][0]["extensions"]["code"].as_str()
}

/// A studio user created by the service role; its id.
async fn studio_user(server: &TestServer, name: &str) -> String {
    let data = server
        .data("mutation($e: String!) { createUser(input: { email: $e }) { id } }", json!({ "e": format!("{name}@example.com") }))
        .await;
    data["createUser"]["id"].as_str().unwrap().to_string()
}

/// A membership created by the service role; its id.
async fn membership(server: &TestServer, team: &str, user: &str, role: &str) -> String {
    let create = "mutation($t: UUID!, $u: UUID!, $r: TeamRole!) { createTeamMember(input: {teamId: $t, userId: $u, role: $r}) { id } }";
    let data = server.data(&create.replace("TeamRole", &role_type(server).await), json!({ "t": team, "u": user, "r": role })).await;
    data["createTeamMember"]["id"].as_str().unwrap().to_string()
}

/// The GraphQL enum type of `TeamMember.role`.
async fn role_type(server: &TestServer) -> String {
    let data = server.data("{ __type(name: \"TeamMember\") { fields { name type { name ofType { name } } } } }", json!({})).await;
    let field = data["__type"]["fields"].as_array().unwrap().iter().find(|f| f["name"] == "role").unwrap().clone();
    field["type"]["name"].as_str().or_else(|| field["type"]["ofType"]["name"].as_str()).unwrap().to_string()
}

const CREATE_MEMBER: &str =
    "mutation($t: UUID!, $u: UUID!, $r: ROLE!) { createTeamMember(input: {teamId: $t, userId: $u, role: $r}) { id role } }";
const UPDATE_MEMBER: &str = "mutation($id: UUID!, $r: ROLE!) { updateTeamMember(id: $id, patch: {role: $r}) { id role } }";
const DELETE_MEMBER: &str = "mutation($id: UUID!) { deleteTeamMember(id: $id) { id } }";

/// A team Admin manages memberships below Owner only: they cannot promote
/// anyone (themself included) to Owner, on create or update, nor demote or
/// remove an Owner; the team's owner can. A non-member's create of a
/// membership answers alike whether the user is already a member or not
/// (no `CONFLICT` on the team's unique key), and so does an Admin's create
/// of an Owner membership.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn team_admins_cannot_grant_owner_and_refused_creates_do_not_tell_who_is_a_member() {
    let server = TestServer::start().await;
    let role = role_type(&server).await;
    let (create, update) = (CREATE_MEMBER.replace("ROLE", &role), UPDATE_MEMBER.replace("ROLE", &role));
    let [alice, bob, carol, dave, eve] = [
        studio_user(&server, "alice").await,
        studio_user(&server, "bob").await,
        studio_user(&server, "carol").await,
        studio_user(&server, "dave").await,
        studio_user(&server, "eve").await,
    ];
    let team = server.data("mutation($o: UUID!) { createTeam(input: {name: \"T\", ownerId: $o}) { id } }", json!({ "o": alice })).await;
    let team = team["createTeam"]["id"].as_str().unwrap().to_string();
    let alices = membership(&server, &team, &alice, "OWNER").await;
    let bobs = membership(&server, &team, &bob, "ADMIN").await;
    let carols = membership(&server, &team, &carol, "VIEWER").await;

    // The Admin: below Owner only.
    let bob_does = |q: String, v: Value| {
        let server = &server;
        let bob = bob.clone();
        async move { as_user(server, "studio", &bob, &q, v).await }
    };
    assert_eq!(code(&bob_does(update.clone(), json!({ "id": carols, "r": "OWNER" })).await), Some("FORBIDDEN"), "promote to Owner");
    assert_eq!(code(&bob_does(update.clone(), json!({ "id": bobs, "r": "OWNER" })).await), Some("FORBIDDEN"), "promote oneself");
    assert_eq!(code(&bob_does(update.clone(), json!({ "id": alices, "r": "VIEWER" })).await), Some("FORBIDDEN"), "demote the Owner");
    assert_eq!(code(&bob_does(DELETE_MEMBER.into(), json!({ "id": alices })).await), Some("FORBIDDEN"), "remove the Owner");
    let body = bob_does(update.clone(), json!({ "id": carols, "r": "EDITOR" })).await;
    assert_eq!(body["data"]["updateTeamMember"]["role"], "EDITOR", "{body:#}");
    let owner_for_dave = bob_does(create.clone(), json!({ "t": team, "u": dave, "r": "OWNER" })).await;
    let owner_for_carol = bob_does(create.clone(), json!({ "t": team, "u": carol, "r": "OWNER" })).await;
    assert_eq!(code(&owner_for_dave), Some("FORBIDDEN"), "{owner_for_dave:#}");
    assert_eq!(first_error(&owner_for_carol), first_error(&owner_for_dave), "a member or not, the same refusal");
    let body = bob_does(create.clone(), json!({ "t": team, "u": dave, "r": "VIEWER" })).await;
    assert_eq!(body["data"]["createTeamMember"]["role"], "VIEWER", "{body:#}");
    let stored = server.db.rows(&format!("SELECT role FROM studio.team_members WHERE team_id = '{team}' ORDER BY role")).await;
    assert_eq!(stored.iter().map(|r| r["role"].as_str().unwrap()).collect::<Vec<_>>(), ["Admin", "Editor", "Owner", "Viewer"]);

    // The owner may.
    let body = as_user(&server, "studio", &alice, &update, json!({ "id": carols, "r": "OWNER" })).await;
    assert_eq!(body["data"]["updateTeamMember"]["role"], "OWNER", "{body:#}");

    // An outsider learns nothing about who is a member.
    let member = as_user(&server, "studio", &eve, &create, json!({ "t": team, "u": carol, "r": "VIEWER" })).await;
    let stranger = as_user(&server, "studio", &eve, &create, json!({ "t": team, "u": eve, "r": "VIEWER" })).await;
    assert_ne!(code(&member), Some("CONFLICT"), "{member:#}");
    assert_eq!(first_error(&member), first_error(&stranger), "a member or not, the same refusal");
}

/// An update the caller may not make (handing one's platform app to another
/// user) is refused alike whether its new slug is taken or not; an update
/// the caller may make still learns of the taken slug (`CONFLICT`).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_update_answers_alike_whether_a_unique_value_is_taken() {
    let server = TestServer::start().await;
    let def = quiver::apps::find("platform").unwrap();
    assert!(def.demo.unwrap().load_if_empty(def.app(), &server.db.url, &[]).await.expect("demo data loads"));
    let create = "mutation($u: String!, $s: String!) { createApp(input: {name: \"app\", userId: $u, slug: $s}) { id } }";
    let mut ids = Vec::new();
    for (user, slug) in [("user-1", "mine"), ("user-2", "taken")] {
        let body = post_as(&server, "platform", &common::service_token(), create, json!({ "u": user, "s": slug })).await;
        ids.push(body["data"]["createApp"]["id"].as_str().unwrap_or_else(|| panic!("{body:#}")).to_string());
    }
    let update = "mutation($id: String!, $p: AppPatch!) { updateApp(id: $id, patch: $p) { id slug userId } }";
    let give = |slug: &str| json!({ "id": ids[0], "p": { "userId": "user-2", "slug": slug } });
    let taken = as_user(&server, "platform", "user-1", update, give("taken")).await;
    let free = as_user(&server, "platform", "user-1", update, give("free")).await;
    assert_ne!(code(&taken), Some("CONFLICT"), "{taken:#}");
    assert!(matches!(code(&free), Some("FORBIDDEN" | "FOREIGN_KEY_VIOLATION")), "{free:#}");
    assert_eq!(first_error(&taken), first_error(&free), "the same answer whatever the slugs");
    let allowed = as_user(&server, "platform", "user-1", update, json!({ "id": ids[0], "p": { "slug": "taken" } })).await;
    assert_eq!(code(&allowed), Some("CONFLICT"), "{allowed:#}");
    let stored = server.db.rows(&format!("SELECT slug, \"userId\" FROM platform.apps WHERE id = '{}'", ids[0])).await;
    assert_eq!(stored[0]["slug"], "mine");
    assert_eq!(stored[0]["userId"], "user-1");
}

/// A delete blocked by rows still referring to the row is
/// `FOREIGN_KEY_VIOLATION` without the referencing constraint's name for a
/// signed-in caller (the rows may be ones they cannot read); the service
/// role gets the name.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_blocked_delete_names_no_constraint_to_callers() {
    let server = TestServer::start().await;
    let alice = studio_user(&server, "alice").await;
    server.data("mutation($o: UUID!) { createTeam(input: {name: \"T\", ownerId: $o}) { id } }", json!({ "o": alice })).await;
    let delete = "mutation($id: UUID!) { deleteUser(id: $id) { id } }";
    let body = as_user(&server, "studio", &alice, delete, json!({ "id": alice })).await;
    let e = first_error(&body);
    assert_eq!(e["extensions"]["code"], "FOREIGN_KEY_VIOLATION", "{e:#}");
    assert!(e["extensions"].get("constraint").is_none(), "{e:#}");
    assert_eq!(e["message"], "the row is still referenced by other rows", "{e:#}");
    let e = first_error(&server.gql(delete, json!({ "id": alice })).await);
    assert_eq!(e["extensions"]["constraint"], "fk_teams_owner_id", "the service role: {e:#}");
}
