//! The `course` app on Supabase's shared schemas: owner isolation across
//! root fields, relations, counts and writes; admins made by redeemed admin
//! codes; `auth.users` readable only as one's own row and without secrets;
//! `redeemSignupCode` (its three refusals and the race of two redemptions);
//! the `conversationMessages` stream resumed from a cursor.

use serde_json::{json, Value};

use crate::common::ws::WsClient;
use crate::common::{client_with_token, token, TestServer};

/// A server over a database with the course demo data (4 users, 3
/// conversations each, 6 messages each; user 1 is the admin), and the demo
/// users' ids: `users[n]` is `course-user-<n>@example.com` (`users[0]` is empty).
async fn seeded() -> (TestServer, Vec<String>) {
    let server = TestServer::start().await;
    let def = quiver::apps::find("course").expect("course is registered");
    assert!(def.demo.unwrap().load_if_empty(def.app(), &server.db.url, &[]).await.expect("demo data loads"));
    let mut users = vec![String::new()];
    for n in 1..=4 {
        let row = server.db.rows(&format!("SELECT id::text AS id FROM auth.users WHERE email = 'course-user-{n}@example.com'")).await;
        users.push(row[0]["id"].as_str().unwrap().to_string());
    }
    (server, users)
}

/// POSTs a course query as the user `sub` (empty: anonymous); returns the JSON body.
async fn as_user(server: &TestServer, sub: &str, query: &str, variables: Value) -> Value {
    let http = match sub {
        "" => reqwest::Client::new(),
        sub => client_with_token(&token("authenticated", Some(sub), 600)),
    };
    let resp = http.post(server.endpoint("course")).json(&json!({ "query": query, "variables": variables })).send().await.unwrap();
    assert_eq!(resp.status(), 200);
    resp.json().await.unwrap()
}

fn code(body: &Value) -> &str {
    body["errors"][0]["extensions"]["code"].as_str().unwrap_or("")
}

fn ok(body: Value) -> Value {
    assert!(body.get("errors").is_none(), "unexpected errors: {body:#}");
    body["data"].clone()
}

/// Every read path shows a user only their own conversations, messages and
/// usage, and their own auth.users row (without secrets); writes to rows of
/// others are NOT_FOUND, FORBIDDEN or FOREIGN_KEY_VIOLATION as for every app.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn owners_see_and_write_only_their_own_rows() {
    let (server, users) = seeded().await;
    let (u1, u2) = (users[1].clone(), users[2].clone());

    let mine = ok(as_user(
        &server,
        &users[2],
        "{ conversations { totalCount nodes { userId messages(orderBy: [{field: CREATED_AT}]) { totalCount nodes { role } } } }
           messages { totalCount } usageLogs { totalCount } authUsers { totalCount nodes { id email } } }",
        json!({}),
    )
    .await);
    assert_eq!(mine["conversations"]["totalCount"], 3);
    for c in mine["conversations"]["nodes"].as_array().unwrap() {
        assert_eq!(c["userId"], u2.as_str());
        assert_eq!(c["messages"]["totalCount"], 6);
        assert_eq!(c["messages"]["nodes"][0]["role"], "USER", "role is an enum");
        assert_eq!(c["messages"]["nodes"][1]["role"], "ASSISTANT");
    }
    assert_eq!(mine["messages"]["totalCount"], 18, "messages of own conversations only");
    assert_eq!(mine["usageLogs"]["totalCount"], 3);
    assert_eq!(mine["authUsers"]["totalCount"], 1, "only one's own auth.users row");
    assert_eq!(mine["authUsers"]["nodes"][0]["id"], u2.as_str());

    // Another user's rows are absent on lookups, relations and filters.
    let theirs = server.db.rows(&format!("SELECT id::text AS id FROM course.conversations WHERE user_id = '{u1}' LIMIT 1")).await;
    let c1 = theirs[0]["id"].as_str().unwrap();
    let probe = ok(as_user(
        &server,
        &users[2],
        "query($c: UUID!, $u: UUID!) { conversation(id: $c) { id } authUser(id: $u) { id }
           messages(filter: {conversationId: {eq: $c}}) { totalCount } }",
        json!({ "c": c1, "u": u1 }),
    )
    .await);
    assert_eq!(probe["conversation"], Value::Null);
    assert_eq!(probe["authUser"], Value::Null);
    assert_eq!(probe["messages"]["totalCount"], 0);

    // Secrets are not readable at all.
    let secret = as_user(&server, &users[2], "query($u: UUID!) { authUser(id: $u) { encryptedPassword } }", json!({ "u": u2 })).await;
    assert_eq!(code(&secret), "GRAPHQL_VALIDATION_FAILED", "{secret}");

    // Writes.
    let upd = as_user(
        &server,
        &users[2],
        "mutation($c: UUID!) { updateConversation(id: $c, patch: {title: \"mine now\"}) { id } }",
        json!({ "c": c1 }),
    )
    .await;
    assert_eq!(code(&upd), "NOT_FOUND", "{upd}");
    let steal = as_user(
        &server,
        &users[2],
        "mutation($u: UUID!) { createConversation(input: {userId: $u, title: \"x\"}) { id } }",
        json!({ "u": u1 }),
    )
    .await;
    // Naming another user is naming a row one cannot read: as if it did not exist.
    assert_eq!(code(&steal), "FOREIGN_KEY_VIOLATION", "{steal}");
    let written = server.db.rows(&format!("SELECT count(*)::int AS n FROM course.conversations WHERE user_id = '{u1}'")).await;
    assert_eq!(written[0]["n"], 3, "nothing was written for the other user");
    let inject = as_user(
        &server,
        &users[2],
        "mutation($c: UUID!) { createMessage(input: {conversationId: $c, role: USER, content: \"hi\"}) { id } }",
        json!({ "c": c1 }),
    )
    .await;
    assert_eq!(code(&inject), "FOREIGN_KEY_VIOLATION", "{inject}");
    let bad_role = as_user(
        &server,
        &users[2],
        "mutation($c: UUID!) { createMessage(input: {conversationId: $c, role: SYSTEM, content: \"hi\"}) { id } }",
        json!({ "c": c1 }),
    )
    .await;
    assert!(bad_role.get("errors").is_some(), "SYSTEM is not a role: {bad_role}");
    let own = ok(as_user(
        &server,
        &users[2],
        "mutation($u: UUID!) { createConversation(input: {userId: $u, title: \"new\"}) { id user { id } } }",
        json!({ "u": u2 }),
    )
    .await);
    let own_id = own["createConversation"]["id"].as_str().unwrap();
    assert_eq!(own["createConversation"]["user"]["id"], u2.as_str());
    ok(as_user(
        &server,
        &users[2],
        "mutation($c: UUID!) { createMessage(input: {conversationId: $c, role: USER, content: \"hi\"}) { id } }",
        json!({ "c": own_id }),
    )
    .await);
    let auth_write = as_user(
        &server,
        &users[2],
        "mutation($u: UUID!) { updateAuthUser(id: $u, patch: {email: \"x@example.com\"}) { id } }",
        json!({ "u": u2 }),
    )
    .await;
    assert_eq!(code(&auth_write), "FORBIDDEN", "auth.users is the service's to write: {auth_write}");
}

/// The admin (user 1, who redeemed an admin code) reads every usage log and
/// signup code and writes app_config; a plain user reads app_config and only
/// the code they redeemed; an anonymous caller reads none of it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admins_are_the_users_who_redeemed_an_admin_code() {
    let (server, users) = seeded().await;
    let q = "{ usageLogs { totalCount } signupCodes { totalCount nodes { code usedBy } } appConfigList { totalCount } }";
    let admin = ok(as_user(&server, &users[1], q, json!({})).await);
    assert_eq!(admin["usageLogs"]["totalCount"], 12, "an admin reads all usage");
    assert_eq!(admin["signupCodes"]["totalCount"], 6);
    let plain = ok(as_user(&server, &users[2], q, json!({})).await);
    assert_eq!(plain["usageLogs"]["totalCount"], 3);
    assert_eq!(plain["signupCodes"]["totalCount"], 1, "only the code one redeemed");
    assert_eq!(plain["signupCodes"]["nodes"][0]["code"], "WELCOME-0002");
    assert_eq!(plain["appConfigList"]["totalCount"], 3, "every signed-in user reads app_config");
    let anon = ok(as_user(&server, &users[0], q, json!({})).await);
    assert_eq!(anon["appConfigList"]["totalCount"], 0);
    assert_eq!(anon["signupCodes"]["totalCount"], 0);

    let set = "mutation { updateAppConfig(key: \"daily_question_limit\", patch: {value: 10}) { key value } }";
    assert_eq!(code(&as_user(&server, &users[2], set, json!({})).await), "FORBIDDEN");
    let done = ok(as_user(&server, &users[1], set, json!({})).await);
    assert_eq!(done["updateAppConfig"]["value"], 10);
    let create = "mutation { createSignupCode(input: {code: \"NEW-1\"}) { code } }";
    assert_eq!(code(&as_user(&server, &users[2], create, json!({})).await), "FORBIDDEN");
    ok(as_user(&server, &users[1], create, json!({})).await);

    // Redeeming an admin code makes user 4 an admin from the next request on.
    ok(as_user(&server, &users[4], "mutation { redeemSignupCode(code: \"ADMIN-0006\") { code } }", json!({})).await);
    let now_admin = ok(as_user(&server, &users[4], q, json!({})).await);
    assert_eq!(now_admin["signupCodes"]["totalCount"], 7);
}

const REDEEM: &str = "mutation($c: String!) { redeemSignupCode(code: $c) { code usedBy usedAt usedByUser { id } } }";

/// Unknown, expired and used codes are refused with distinct codes; a
/// redemption records who and when.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redeeming_records_the_user_and_refuses_unknown_expired_and_used_codes() {
    let (server, users) = seeded().await;
    let u3 = users[3].clone();
    let won = ok(as_user(&server, &users[3], REDEEM, json!({ "c": "WELCOME-0003" })).await);
    assert_eq!(won["redeemSignupCode"]["usedBy"], u3.as_str());
    assert_eq!(won["redeemSignupCode"]["usedByUser"]["id"], u3.as_str());
    assert!(won["redeemSignupCode"]["usedAt"].is_string());
    let stored =
        server.db.rows("SELECT used_by::text AS by, used_at IS NOT NULL AS at FROM course.signup_codes WHERE code = 'WELCOME-0003'").await;
    assert_eq!(stored[0]["by"], u3.as_str());
    assert_eq!(stored[0]["at"], true);

    let again = as_user(&server, &users[4], REDEEM, json!({ "c": "WELCOME-0003" })).await;
    assert_eq!(code(&again), "CONFLICT", "{again}");
    assert!(again["errors"][0]["message"].as_str().unwrap().contains("already been used"));
    let twice = as_user(&server, &users[3], REDEEM, json!({ "c": "WELCOME-0003" })).await;
    assert_eq!(code(&twice), "CONFLICT", "the redeemer too: {twice}");
    let expired = as_user(&server, &users[4], REDEEM, json!({ "c": "EXPIRED-0005" })).await;
    assert_eq!(code(&expired), "BAD_USER_INPUT", "{expired}");
    assert!(expired["errors"][0]["message"].as_str().unwrap().contains("expired"));
    let unknown = as_user(&server, &users[4], REDEEM, json!({ "c": "NO-SUCH-CODE" })).await;
    assert_eq!(code(&unknown), "NOT_FOUND", "{unknown}");
    let anon = as_user(&server, &users[0], REDEEM, json!({ "c": "WELCOME-0004" })).await;
    assert_eq!(code(&anon), "FORBIDDEN", "{anon}");
    let untouched = server
        .db
        .rows("SELECT count(*)::int AS n FROM course.signup_codes WHERE used_by IS NULL AND code IN ('EXPIRED-0005', 'WELCOME-0004')")
        .await;
    assert_eq!(untouched[0]["n"], 2, "refused redemptions write nothing");
}

/// Two users redeem the same code at the same moment, over and over: each
/// time exactly one wins and the other gets CONFLICT, and the row names the winner.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn of_two_concurrent_redemptions_exactly_one_wins() {
    let (server, users) = seeded().await;
    let rounds = 20;
    server.db.exec(&format!("INSERT INTO course.signup_codes (code) SELECT 'RACE-' || n FROM generate_series(1, {rounds}) n")).await;
    for n in 1..=rounds {
        let c = format!("RACE-{n}");
        let (a, b) =
            tokio::join!(as_user(&server, &users[3], REDEEM, json!({ "c": c })), as_user(&server, &users[4], REDEEM, json!({ "c": c })));
        let wins = [&a, &b].iter().filter(|r| r.get("errors").is_none()).count();
        assert_eq!(wins, 1, "round {n}: exactly one wins: {a} {b}");
        let (winner, loser, who) = if a.get("errors").is_none() { (&a, &b, users[3].clone()) } else { (&b, &a, users[4].clone()) };
        assert_eq!(code(loser), "CONFLICT", "round {n}: {loser}");
        assert_eq!(winner["data"]["redeemSignupCode"]["usedBy"], who.as_str());
        let stored = server.db.rows(&format!("SELECT used_by::text AS by FROM course.signup_codes WHERE code = '{c}'")).await;
        assert_eq!(stored[0]["by"], who.as_str(), "round {n}: the row names the winner");
    }
}

/// A conversation's messages stream live to its owner; after a disconnect,
/// `after: <last cursor>` delivers exactly the messages committed since, in
/// order, then live ones. Another user's subscription to it stays empty.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_message_stream_resumes_after_a_cursor() {
    let (server, users) = seeded().await;
    let (u1, u2) = (users[1].clone(), users[2].clone());
    let conv = server.db.rows(&format!("SELECT id::text AS id FROM course.conversations WHERE user_id = '{u1}' ORDER BY id LIMIT 1")).await;
    let conv = conv[0]["id"].as_str().unwrap().to_string();
    let other =
        server.db.rows(&format!("SELECT id::text AS id FROM course.conversations WHERE user_id = '{u1}' ORDER BY id DESC LIMIT 1")).await;
    let other = other[0]["id"].as_str().unwrap().to_string();
    let sub = "subscription($c: UUID!, $a: String) { conversationMessages(conversationId: $c, after: $a) { event cursor new { content role conversationId } } }";
    let insert = |content: &str, c: &str| {
        format!("INSERT INTO course.messages (conversation_id, role, content) VALUES ('{c}', 'user', '{content}')")
    };

    let token1 = token("authenticated", Some(&u1), 600);
    let mut ws = WsClient::connect_as(&server.base, "course", &token1).await;
    ws.subscribe("m", sub, json!({ "c": conv })).await;
    // A subscription without `after` starts once it is registered.
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    server.db.exec(&insert("m1", &conv)).await;
    let first = ws.next_data("m").await;
    let first = event_of(&first);
    assert_eq!(first["new"]["content"], "m1", "{first}");
    assert_eq!(first["event"], "INSERT");
    let cursor = first["cursor"].as_str().unwrap().to_string();
    ws.close().await;

    // While nobody listens: two messages here, one in another conversation.
    server.db.exec(&insert("m2", &conv)).await;
    server.db.exec(&insert("elsewhere", &other)).await;
    server.db.exec(&insert("m3", &conv)).await;

    // Another user resuming from the same cursor on this conversation sees
    // nothing of it: the first event they get is of their own conversation.
    let own2 = server.db.rows(&format!("SELECT id::text AS id FROM course.conversations WHERE user_id = '{u2}' LIMIT 1")).await;
    let own2 = own2[0]["id"].as_str().unwrap().to_string();
    let mut spy = WsClient::connect_as(&server.base, "course", &token("authenticated", Some(&u2), 600)).await;
    spy.subscribe("theirs", sub, json!({ "c": conv, "a": cursor })).await;
    spy.subscribe("own", sub, json!({ "c": own2, "a": cursor })).await;

    let mut ws = WsClient::connect_as(&server.base, "course", &token1).await;
    ws.subscribe("m", sub, json!({ "c": conv, "a": cursor })).await;
    let mut seen = Vec::new();
    for _ in 0..2 {
        let e = ws.next_data("m").await;
        seen.push(event_of(&e)["new"]["content"].as_str().unwrap().to_string());
    }
    assert_eq!(seen, ["m2", "m3"], "exactly the messages since the cursor, in commit order");
    server.db.exec(&insert("m4", &conv)).await;
    let live = ws.next_data("m").await;
    assert_eq!(event_of(&live)["new"]["content"], "m4", "then live ones");

    server.db.exec(&insert("u2-own", &own2)).await;
    let got = spy.next_message().await.expect("the spy's own event arrives");
    assert_eq!(got["id"], "own", "no event of another user's conversation is delivered: {got}");
    assert_eq!(event_of(&got)["new"]["content"], "u2-own");
}

/// The event object of a `next` message.
fn event_of(message: &Value) -> &Value {
    let payload = if message.get("payload").is_some() { &message["payload"] } else { message };
    &payload["data"]["conversationMessages"]
}

/// Storage metadata: public buckets and their objects are readable by
/// anyone; private ones only by their owner; objects are written by their
/// owner, into buckets they can read; no other user's object is reachable.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn storage_metadata_follows_owner_and_public_bucket_rules() {
    let (server, users) = seeded().await;
    let q = "{ storageBuckets(orderBy: [{field: ID}]) { nodes { id public } } storageObjects(orderBy: [{field: NAME}]) { nodes { name bucketId pathTokens bucket { id } } } }";
    let anon = ok(as_user(&server, "", q, json!({})).await);
    assert_eq!(anon["storageBuckets"]["nodes"], json!([{ "id": "course-material", "public": true }]));
    assert_eq!(anon["storageObjects"]["nodes"][0]["name"], "lessons/01-intro.pdf");
    assert_eq!(anon["storageObjects"]["nodes"][0]["pathTokens"], json!(["lessons", "01-intro.pdf"]), "generated column");
    assert_eq!(anon["storageObjects"]["nodes"].as_array().unwrap().len(), 1);
    let two = ok(as_user(&server, &users[2], q, json!({})).await);
    let buckets: Vec<&str> = two["storageBuckets"]["nodes"].as_array().unwrap().iter().map(|b| b["id"].as_str().unwrap()).collect();
    assert_eq!(buckets, ["course-material", "uploads-2"]);
    let objects: Vec<&str> = two["storageObjects"]["nodes"].as_array().unwrap().iter().map(|o| o["bucketId"].as_str().unwrap()).collect();
    assert_eq!(objects, ["course-material", "uploads-2"]);

    let put =
        "mutation($b: String!, $n: String!, $o: UUID!) { createStorageObject(input: {bucketId: $b, name: $n, owner: $o}) { id owner } }";
    ok(as_user(&server, &users[2], put, json!({ "b": "uploads-2", "n": "x/y.txt", "o": users[2] })).await);
    let into_private = as_user(&server, &users[2], put, json!({ "b": "uploads-3", "n": "x/y.txt", "o": users[2] })).await;
    assert_eq!(code(&into_private), "FOREIGN_KEY_VIOLATION", "another user's private bucket is as if absent: {into_private}");
    let as_other = as_user(&server, &users[2], put, json!({ "b": "uploads-2", "n": "x/z.txt", "o": users[3] })).await;
    assert_eq!(code(&as_other), "FORBIDDEN", "an object is owned by its writer: {as_other}");
    let theirs = server.db.rows("SELECT id::text AS id FROM storage.objects WHERE bucket_id = 'uploads-3'").await;
    let del =
        as_user(&server, &users[2], "mutation($id: UUID!) { deleteStorageObject(id: $id) { id } }", json!({ "id": theirs[0]["id"] })).await;
    assert_eq!(code(&del), "NOT_FOUND", "{del}");
}
