//! The `reports` app: a Supabase token reaches exactly the rows of its linked,
//! active Django user (reports, what hangs off them, uploads, usage,
//! payments) on every read path and write; Django's own tables and every
//! secret stay out of reach; the link is filled only from confirmed,
//! unambiguous e-mail addresses; `reportJob(reportId)` streams a job until it
//! completes.

use serde_json::{json, Value};

use crate::common::ws::WsClient;
use crate::common::{client_with_token, token, TestServer};

/// A server over the reports demo data (3 linked users with 4 reports each,
/// one unlinked legacy Django user); `users[n]` is the auth.users id of
/// reports-user-<n>@example.com.
async fn seeded() -> (TestServer, Vec<String>) {
    // Nested connections at the default page size: over the default node limit.
    let server = TestServer::start_with(&[crate::common::UNCAPPED_NODES]).await;
    let def = quiver::apps::find("reports").expect("reports is registered");
    assert!(def.demo.unwrap().load_if_empty(def.app(), &server.db.url, &[]).await.expect("demo data loads"));
    let mut users = vec![String::new()];
    for n in 1..=3 {
        let row = server.db.rows(&format!("SELECT id::text AS id FROM auth.users WHERE email = 'reports-user-{n}@example.com'")).await;
        users.push(row[0]["id"].as_str().unwrap().to_string());
    }
    (server, users)
}

async fn as_user(server: &TestServer, sub: &str, query: &str, variables: Value) -> Value {
    let http = client_with_token(&token("authenticated", Some(sub), 600));
    let resp = http.post(server.endpoint("reports")).json(&json!({ "query": query, "variables": variables })).send().await.unwrap();
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

const MINE: &str = "{
  seydamCustomuserList { totalCount nodes { id email authUserId
    seydamReports { totalCount nodes { id user { email } jobs { nodes { status stage progress } } outlines { totalCount } directories { totalCount } } } } }
  seydamReports { totalCount }
  seydamReportjobidList { totalCount }
  seydamTokenusageList { totalCount }
  seydamPaymentList { totalCount }
  seydamUploadedimageList { totalCount }
  accountEmailaddressList { totalCount }
  authUsers { totalCount }
  authGroupList { totalCount } authPermissionList { totalCount } djangoSiteList { totalCount } authtokenTokenList { totalCount }
  socialaccountSocialappList { totalCount } djangoMigrations { totalCount } seydamEmailotpList { totalCount } seydamWaitlistList { totalCount }
}";

/// A user reaches their own Django user, reports and everything hanging off
/// them, and nothing of other users or of Django's own tables.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_user_sees_only_their_own_reports_and_what_hangs_off_them() {
    let (server, users) = seeded().await;
    let mine = ok(as_user(&server, &users[1], MINE, json!({})).await);
    assert_eq!(mine["seydamCustomuserList"]["totalCount"], 1);
    let me = &mine["seydamCustomuserList"]["nodes"][0];
    assert_eq!(me["email"], "reports-user-1@example.com");
    assert_eq!(me["authUserId"], users[1].as_str());
    assert_eq!(me["seydamReports"]["totalCount"], 4);
    for r in me["seydamReports"]["nodes"].as_array().unwrap() {
        assert_eq!(r["user"]["email"], "reports-user-1@example.com");
        assert_eq!(r["jobs"]["nodes"].as_array().unwrap().len(), 1);
        assert_eq!(r["directories"]["totalCount"], 1);
    }
    let mut stages: Vec<&str> =
        me["seydamReports"]["nodes"].as_array().unwrap().iter().map(|r| r["jobs"]["nodes"][0]["stage"].as_str().unwrap()).collect();
    stages.sort();
    assert_eq!(stages, ["done", "error", "queued", "writing"], "jobs in several stages");
    for (field, n) in [
        ("seydamReports", 4),
        ("seydamReportjobidList", 4),
        ("seydamTokenusageList", 1),
        ("seydamPaymentList", 1),
        ("seydamUploadedimageList", 1),
        ("accountEmailaddressList", 1),
        ("authUsers", 1),
    ] {
        assert_eq!(mine[field]["totalCount"], n, "{field}");
    }
    for field in [
        "authGroupList",
        "authPermissionList",
        "djangoSiteList",
        "authtokenTokenList",
        "socialaccountSocialappList",
        "djangoMigrations",
        "seydamEmailotpList",
        "seydamWaitlistList",
    ] {
        assert_eq!(mine[field]["totalCount"], 0, "{field} is service-only");
    }
    let all = ok(server.gql_app("reports", MINE, json!({})).await);
    assert_eq!(all["seydamCustomuserList"]["totalCount"], 4, "the service sees every Django user");
    assert_eq!(all["seydamReports"]["totalCount"], 12);
    assert_eq!(all["authGroupList"]["totalCount"], 1);

    // Another user's report is absent on lookups and filters.
    let theirs = server
        .db
        .rows(&format!(
            "SELECT r.id::text AS id, r.user_id::text AS uid FROM reports.seydam_reports r JOIN reports.seydam_customuser c ON c.id = r.user_id WHERE c.auth_user_id = '{}' LIMIT 1",
            users[2]
        ))
        .await;
    let (report2, user2) = (theirs[0]["id"].as_str().unwrap().to_string(), theirs[0]["uid"].as_str().unwrap().to_string());
    let probe = ok(as_user(
        &server,
        &users[1],
        "query($r: UUID!, $u: BigInt!) { seydamReport(id: $r) { id } seydamCustomuser(id: $u) { id }
           seydamReportjobidList(filter: {reportId: {eq: $r}}) { totalCount } }",
        json!({ "r": report2, "u": user2 }),
    )
    .await);
    assert_eq!(probe["seydamReport"], Value::Null);
    assert_eq!(probe["seydamCustomuser"], Value::Null);
    assert_eq!(probe["seydamReportjobidList"]["totalCount"], 0);
}

/// Writes: a user creates and changes their own reports and outlines; naming
/// another user or their report is FOREIGN_KEY_VIOLATION; another's report is
/// NOT_FOUND; rows the site's back end writes are FORBIDDEN; a deactivated
/// Django user reaches nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn writes_stay_within_the_users_own_rows() {
    let (server, users) = seeded().await;
    let ids = server
        .db
        .rows("SELECT c.auth_user_id::text AS sub, c.id::text AS uid, (SELECT r.id::text FROM reports.seydam_reports r WHERE r.user_id = c.id ORDER BY r.id LIMIT 1) AS report
               FROM reports.seydam_customuser c WHERE c.auth_user_id IS NOT NULL ORDER BY c.email")
        .await;
    let (uid1, report1) = (ids[0]["uid"].as_str().unwrap(), ids[0]["report"].as_str().unwrap());
    let (uid2, report2) = (ids[1]["uid"].as_str().unwrap(), ids[1]["report"].as_str().unwrap());
    assert_eq!(ids[0]["sub"], users[1].as_str());
    let create = "mutation($u: BigInt!) { createSeydamReport(input: {reportTopic: \"New\", description: \"d\", status: \"pending\",
        amountedCredits: 0, usedCredits: 0, isFree: true, createdAt: \"2025-06-01T00:00:00Z\", userId: $u}) { id user { email } } }";
    let created = ok(as_user(&server, &users[1], create, json!({ "u": uid1 })).await);
    assert_eq!(created["createSeydamReport"]["user"]["email"], "reports-user-1@example.com");
    let other = as_user(&server, &users[1], create, json!({ "u": uid2 })).await;
    assert_eq!(code(&other), "FOREIGN_KEY_VIOLATION", "{other}");

    let outline = "mutation($r: UUID!, $u: BigInt!) { createSeydamOutline(input: {outline: [\"a\"], reportId: $r, userId: $u}) { id } }";
    ok(as_user(&server, &users[1], outline, json!({ "r": report1, "u": uid1 })).await);
    let foreign = as_user(&server, &users[1], outline, json!({ "r": report2, "u": uid1 })).await;
    assert_eq!(code(&foreign), "FOREIGN_KEY_VIOLATION", "another user's report cannot be named: {foreign}");

    let rename = "mutation($r: UUID!) { updateSeydamReport(id: $r, patch: {reportTopic: \"Renamed\"}) { reportTopic } }";
    assert_eq!(ok(as_user(&server, &users[1], rename, json!({ "r": report1 })).await)["updateSeydamReport"]["reportTopic"], "Renamed");
    assert_eq!(code(&as_user(&server, &users[1], rename, json!({ "r": report2 })).await), "NOT_FOUND");
    let delete = "mutation($r: UUID!) { deleteSeydamReport(id: $r) { id } }";
    assert_eq!(code(&as_user(&server, &users[1], delete, json!({ "r": report2 })).await), "NOT_FOUND");

    let job = server.db.rows(&format!("SELECT id::text AS id FROM reports.seydam_reportjobid WHERE report_id = '{report1}'")).await;
    let job = job[0]["id"].as_str().unwrap();
    let finish = as_user(
        &server,
        &users[1],
        "mutation($j: BigInt!) { updateSeydamReportjobid(id: $j, patch: {status: \"completed\"}) { id } }",
        json!({ "j": job }),
    )
    .await;
    assert_eq!(code(&finish), "FORBIDDEN", "jobs are the workers' to write: {finish}");
    let staff = as_user(
        &server,
        &users[1],
        "mutation($u: BigInt!) { updateSeydamCustomuser(id: $u, patch: {isStaff: true}) { id } }",
        json!({ "u": uid1 }),
    )
    .await;
    assert_eq!(code(&staff), "FORBIDDEN", "a user cannot make themselves staff: {staff}");

    server.db.exec(&format!("UPDATE reports.seydam_customuser SET is_active = false WHERE id = {uid1}")).await;
    let gone = ok(as_user(&server, &users[1], "{ seydamReports { totalCount } seydamPaymentList { totalCount } }", json!({})).await);
    assert_eq!(gone["seydamReports"]["totalCount"], 0, "an inactive Django user reaches nothing");
    assert_eq!(gone["seydamPaymentList"]["totalCount"], 0);
}

/// Secret columns are in no output type.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn secrets_are_never_readable() {
    let server = TestServer::start().await;
    for (ty_query, field) in [
        ("seydamCustomuserList", "password"),
        ("authtokenTokenList", "key"),
        ("djangoSessionList", "sessionData"),
        ("accountEmailconfirmationList", "key"),
        ("seydamEmailotpList", "otp"),
        ("socialaccountSocialappList", "secret"),
        ("socialaccountSocialappList", "key"),
        ("socialaccountSocialtokenList", "token"),
        ("socialaccountSocialtokenList", "tokenSecret"),
        ("authUsers", "encryptedPassword"),
        ("authUsers", "recoveryToken"),
    ] {
        let body = server.gql_app("reports", &format!("{{ {ty_query} {{ nodes {{ {field} }} }} }}"), json!({})).await;
        assert_eq!(code(&body), "GRAPHQL_VALIDATION_FAILED", "{ty_query}.{field} must not be readable: {body}");
    }
    // Written through the API, kept, and still not echoed.
    let body = server
        .gql_app(
            "reports",
            "mutation { createSocialaccountSocialapp(input: {provider: \"github\", name: \"GH\", clientId: \"c\", secret: \"s3cret\", key: \"k\", providerId: \"\", settings: {}}) { id name } }",
            json!({}),
        )
        .await;
    assert!(body.get("errors").is_none(), "{body}");
    let stored = server.db.rows("SELECT secret FROM reports.socialaccount_socialapp WHERE name = 'GH'").await;
    assert_eq!(stored[0]["secret"], "s3cret");
}

/// The link function fills auth_user_id from confirmed, unambiguous e-mail
/// addresses only, and never twice.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn existing_django_users_are_linked_only_by_confirmed_unambiguous_email() {
    let server = TestServer::start().await;
    server
        .db
        .exec(
            "INSERT INTO auth.users (id, email, email_confirmed_at) VALUES
               ('00000000-0000-0000-0000-00000000000a', 'Alice@Example.com', now()),
               ('00000000-0000-0000-0000-00000000000b', 'bob@example.com', NULL),
               ('00000000-0000-0000-0000-00000000000c', 'twin@example.com', now());
             INSERT INTO reports.seydam_customuser (password, is_superuser, first_name, last_name, is_staff, is_active, date_joined, username, email) VALUES
               ('x', false, '', '', false, true, now(), 'alice', 'alice@example.com'),
               ('x', false, '', '', false, true, now(), 'bob', 'bob@example.com'),
               ('x', false, '', '', false, true, now(), 'twin1', 'twin@example.com'),
               ('x', false, '', '', false, true, now(), 'twin2', 'TWIN@example.com'),
               ('x', false, '', '', false, true, now(), 'nobody', 'nobody@example.com');",
        )
        .await;
    let linked = server.db.rows("SELECT reports.link_customusers_to_auth() AS n").await;
    assert_eq!(linked[0]["n"], 1, "only alice");
    let rows = server.db.rows("SELECT username, auth_user_id::text AS a FROM reports.seydam_customuser ORDER BY username").await;
    let by: std::collections::HashMap<String, Value> =
        rows.iter().map(|r| (r["username"].as_str().unwrap().to_string(), r["a"].clone())).collect();
    assert_eq!(by["alice"], "00000000-0000-0000-0000-00000000000a", "case-insensitive match on a confirmed address");
    assert_eq!(by["bob"], Value::Null, "an unconfirmed Supabase address links nothing");
    assert_eq!(by["twin1"], Value::Null, "two Django users with one address: ambiguous");
    assert_eq!(by["twin2"], Value::Null);
    assert_eq!(by["nobody"], Value::Null);
    assert_eq!(server.db.rows("SELECT reports.link_customusers_to_auth() AS n").await[0]["n"], 0, "running again changes nothing");
    // The link is unique: one Supabase user cannot own two Django users.
    let mut conn = server.db.conn().await;
    use diesel_async::SimpleAsyncConnection;
    let dup = conn
        .batch_execute("UPDATE reports.seydam_customuser SET auth_user_id = '00000000-0000-0000-0000-00000000000a' WHERE username = 'bob'")
        .await;
    assert!(dup.unwrap_err().to_string().contains("seydam_customuser_auth_user_id_key"));
}

/// `reportJob(reportId)` streams the job's status, stage and progress to the
/// report's owner and ends once the job completes.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn report_job_streams_progress_until_it_completes() {
    let (server, users) = seeded().await;
    let row = server
        .db
        .rows(&format!(
            "SELECT j.report_id::text AS r FROM reports.seydam_reportjobid j JOIN reports.seydam_customuser c ON c.id = j.user_id
             WHERE c.auth_user_id = '{}' AND j.status = 'pending' LIMIT 1",
            users[1]
        ))
        .await;
    let report = row[0]["r"].as_str().unwrap().to_string();
    let mut ws = WsClient::connect_as(&server.base, "reports", &token("authenticated", Some(&users[1]), 600)).await;
    ws.subscribe(
        "job",
        "subscription($r: UUID!) { reportJob(reportId: $r) { event new { status stage progress } } }",
        json!({ "r": report }),
    )
    .await;
    // A subscription without `after` starts once it is registered.
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    let step = |status: &str, stage: &str, progress: i32| {
        format!("UPDATE reports.seydam_reportjobid SET status = '{status}', stage = '{stage}', progress = {progress} WHERE report_id = '{report}'")
    };
    server.db.exec(&step("running", "outline", 20)).await;
    server.db.exec(&step("running", "writing", 70)).await;
    server.db.exec(&step("completed", "done", 100)).await;
    let mut seen = Vec::new();
    for _ in 0..3 {
        let e = ws.next_data("job").await;
        let new = &e["data"]["reportJob"]["new"];
        seen.push((
            new["status"].as_str().unwrap().to_string(),
            new["stage"].as_str().unwrap().to_string(),
            new["progress"].as_i64().unwrap(),
        ));
    }
    assert_eq!(
        seen,
        [("running".into(), "outline".into(), 20), ("running".into(), "writing".into(), 70), ("completed".into(), "done".into(), 100)]
    );
    let end = ws.next_for("job").await;
    assert_eq!(end["type"], "complete", "the stream ends on a terminal status: {end}");
}

/// Change events follow the same rule: a user subscribed to every job change
/// receives their own jobs' changes and never another user's.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn change_events_reach_only_the_owner() {
    let (server, users) = seeded().await;
    let mut ws = WsClient::connect_as(&server.base, "reports", &token("authenticated", Some(&users[2]), 600)).await;
    ws.subscribe("jobs", "subscription { seydamReportjobidChanged { event new { jobId user { email } } } }", json!({})).await;
    // A subscription without `after` starts once it is registered.
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    let bump = |n: u32| {
        format!(
            "UPDATE reports.seydam_reportjobid j SET attempts = attempts + 1 FROM reports.seydam_customuser c
              WHERE c.id = j.user_id AND c.email = 'reports-user-{n}@example.com'"
        )
    };
    server.db.exec(&bump(1)).await;
    server.db.exec(&bump(3)).await;
    server.db.exec(&bump(2)).await;
    for _ in 0..4 {
        let e = ws.next_data("jobs").await;
        assert_eq!(e["data"]["seydamReportjobidChanged"]["new"]["user"]["email"], "reports-user-2@example.com", "{e}");
    }
}
