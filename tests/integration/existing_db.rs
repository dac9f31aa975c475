//! Serving an existing database in place: the course app pointed at the
//! `public` schema of a database laid out like a Supabase project (built by
//! the test: Supabase's `auth` and `storage`, and the course tables in
//! `public`), with `--existing-database`. Quiver checks the catalog, creates
//! or alters none of the tables, installs only its `quiver` schema and the
//! capture triggers, and serves rules and subscriptions there; a database
//! that does not match gets the app refused with a report naming each
//! problem, while the other apps serve.

use serde_json::{json, Value};

use crate::common::ws::WsClient;
use crate::common::{client_with_token, token, RawDb, TestServer};

const USER_A: &str = "0000000a-0000-4000-8000-00000000000a";
const USER_B: &str = "0000000b-0000-4000-8000-00000000000b";

/// A Supabase project's layout, from Quiver's own migrations: the shared
/// Supabase schemas (as Supabase has them), then the course tables exactly
/// as the course migration writes them, but in `public` and without Quiver's
/// `set_updated_at` triggers (a Supabase project has no `quiver` schema).
fn supabase_project() -> String {
    let migration = |dir: &str| std::fs::read_to_string(format!("{}/migrations/{dir}/up.sql", env!("CARGO_MANIFEST_DIR"))).unwrap();
    let course: String = migration("2026-12-01-000011_course")
        .lines()
        .filter(|l| !l.starts_with("CREATE SCHEMA course") && !l.contains("quiver.set_updated_at"))
        .map(|l| l.replace("course.", "public.") + "\n")
        .collect();
    let users = format!(
        "INSERT INTO auth.users (id, email, is_sso_user, is_anonymous) VALUES ('{USER_A}', 'a@example.com', false, false), \
         ('{USER_B}', 'b@example.com', false, false);"
    );
    format!("{}\n{course}\n{users}", migration("2026-12-01-000010_supabase_shared"))
}

/// Everything of the project's schemas but triggers: relations, columns
/// with types, nullability and defaults, constraints and index definitions.
const CATALOG: &str = "SELECT string_agg(x, E'\\n' ORDER BY x) FROM (
    SELECT n.nspname || '.' || c.relname || ' ' || c.relkind::text AS x
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname IN ('public', 'auth', 'storage')
    UNION ALL
    SELECT n.nspname || '.' || c.relname || '.' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod) || ' ' || a.attnotnull
           || ' ' || coalesce(pg_get_expr(d.adbin, d.adrelid), '')
      FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
     WHERE n.nspname IN ('public', 'auth', 'storage') AND a.attnum > 0 AND NOT a.attisdropped
    UNION ALL
    SELECT k.conrelid::regclass::text || ' ' || k.conname || ' ' || pg_get_constraintdef(k.oid)
      FROM pg_constraint k JOIN pg_namespace n ON n.oid = k.connamespace WHERE n.nspname IN ('public', 'auth', 'storage')
    UNION ALL
    SELECT pg_get_indexdef(i.indexrelid)
      FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname IN ('public', 'auth', 'storage')) s";

const SCHEMAS: &str =
    "SELECT string_agg(nspname, ',' ORDER BY nspname) FROM pg_namespace WHERE nspname NOT LIKE 'pg\\_%' AND nspname <> 'information_schema'";

/// Tables carrying Quiver's capture trigger, and how many other triggers there are.
const TRIGGERS: &str = "SELECT coalesce(string_agg(c.relname, ',' ORDER BY c.relname) FILTER (WHERE t.tgname = 'quiver_capture'), '')
       || ' / ' || count(*) FILTER (WHERE t.tgname <> 'quiver_capture')
  FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE NOT t.tgisinternal AND n.nspname IN ('public', 'auth', 'storage')";

/// A server whose course app is served in place in `raw`'s `public`; studio from its own test database.
async fn serve_in_place(raw: &RawDb) -> TestServer {
    let database = format!("--app-database=course={}", raw.url);
    TestServer::start_with(&["--apps=studio,course", &database, "--app-schema=course=public", "--existing-database=course"]).await
}

/// POSTs a course query as user `sub`; returns the body.
async fn as_user(server: &TestServer, sub: &str, query: &str, variables: Value) -> Value {
    let http = client_with_token(&token("authenticated", Some(sub), 600));
    let resp = http.post(server.endpoint("course")).json(&json!({ "query": query, "variables": variables })).send().await.unwrap();
    assert_eq!(resp.status(), 200);
    resp.json().await.unwrap()
}

fn ok(body: Value) -> Value {
    assert!(body.get("errors").is_none(), "unexpected errors: {body:#}");
    body["data"].clone()
}

/// A matching database is served in place: writes and reads under the row
/// rules, a redeemed signup code, a resumable message stream fed by writes
/// through the API and from outside it. The tables are exactly as before;
/// Quiver added only its `quiver` schema and the capture triggers.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_matching_supabase_database_is_served_in_place_and_left_unaltered() {
    let raw = RawDb::new("inplace").await;
    raw.exec(&supabase_project()).await;
    raw.exec("INSERT INTO public.signup_codes (code, is_admin) VALUES ('JOIN-1', false)").await;
    let (catalog, schemas, triggers) = (raw.text(CATALOG).await, raw.text(SCHEMAS).await, raw.text(TRIGGERS).await);
    assert_eq!(triggers, " / 0", "a Supabase project has no triggers of Quiver's yet");
    let server = serve_in_place(&raw).await;

    let created = ok(as_user(
        &server,
        USER_A,
        "mutation($u: UUID!) { createConversation(input: {userId: $u, title: \"in place\"}) { id userId } }",
        json!({ "u": USER_A }),
    )
    .await);
    let conv = created["createConversation"]["id"].as_str().unwrap().to_string();
    assert_eq!(raw.text(&format!("SELECT title FROM public.conversations WHERE id = '{conv}'")).await, "in place", "written to public");
    ok(as_user(
        &server,
        USER_A,
        "mutation($c: UUID!) { createMessage(input: {conversationId: $c, role: USER, content: \"first\"}) { id } }",
        json!({ "c": conv }),
    )
    .await);
    let query = "{ conversations { totalCount nodes { title messages { nodes { role content } } } } }";
    let mine = ok(as_user(&server, USER_A, query, json!({})).await);
    assert_eq!(mine["conversations"]["totalCount"], 1);
    assert_eq!(mine["conversations"]["nodes"][0]["messages"]["nodes"][0], json!({ "role": "USER", "content": "first" }));
    let theirs = ok(as_user(&server, USER_B, query, json!({})).await);
    assert_eq!(theirs["conversations"]["totalCount"], 0, "row rules hold in place: B sees none of A's conversations");
    let steal = as_user(
        &server,
        USER_B,
        "mutation($c: UUID!) { createMessage(input: {conversationId: $c, role: USER, content: \"x\"}) { id } }",
        json!({ "c": conv }),
    )
    .await;
    assert_eq!(steal["errors"][0]["extensions"]["code"], "FOREIGN_KEY_VIOLATION", "{steal}");
    // The admin lookup and the domain mutation read public.signup_codes.
    let redeemed = ok(as_user(&server, USER_B, "mutation { redeemSignupCode(code: \"JOIN-1\") { code usedBy } }", json!({})).await);
    assert_eq!(redeemed["redeemSignupCode"], json!({ "code": "JOIN-1", "usedBy": USER_B }));

    // The stream: the backlog from the start of the outbox, then a live change written outside Quiver.
    let sub = "subscription($c: UUID!, $a: String) { conversationMessages(conversationId: $c, after: $a) { event new { content } } }";
    let mut ws = WsClient::connect_as(&server.base, "course", &token("authenticated", Some(USER_A), 600)).await;
    ws.subscribe("m", sub, json!({ "c": conv, "a": "0.0" })).await;
    let event = |payload: &Value| payload["data"]["conversationMessages"].clone();
    assert_eq!(event(&ws.next_data("m").await), json!({ "event": "INSERT", "new": { "content": "first" } }));
    raw.exec(&format!("INSERT INTO public.messages (conversation_id, role, content) VALUES ('{conv}', 'assistant', 'second')")).await;
    assert_eq!(event(&ws.next_data("m").await), json!({ "event": "INSERT", "new": { "content": "second" } }));
    ws.close().await;

    assert_eq!(raw.text(CATALOG).await, catalog, "no table, column, constraint or index of the project changed");
    let mut with_quiver: Vec<&str> = schemas.split(',').chain(["quiver"]).collect();
    with_quiver.sort();
    assert_eq!(raw.text(SCHEMAS).await, with_quiver.join(","), "only `quiver` is new");
    assert_eq!(
        raw.text(TRIGGERS).await,
        "app_config,conversations,messages,signup_codes,usage_logs / 0",
        "capture on course's own tables only"
    );
    assert_eq!(
        raw.text("SELECT count(*) FROM quiver.__diesel_schema_migrations").await,
        "3",
        "the core migrations only, recorded in quiver"
    );
}

/// A database missing a table and a column, with a changed type and a
/// changed nullability: course is refused with a report naming each, its
/// endpoint answers 503 with it, /readyz lists it, nothing is installed on
/// its tables, and studio serves as usual.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_mismatched_database_gets_a_report_and_its_app_refused_while_others_serve() {
    let raw = RawDb::new("mismatch").await;
    raw.exec(&supabase_project()).await;
    raw.exec(
        "ALTER TABLE public.messages DROP COLUMN content;
         ALTER TABLE public.usage_logs ALTER COLUMN tokens_used TYPE text;
         ALTER TABLE public.conversations ALTER COLUMN user_id DROP NOT NULL;
         DROP TABLE public.app_config;",
    )
    .await;
    let server = serve_in_place(&raw).await;

    let expected = [
        "app course is not served",
        "table public.messages: column content: missing (the app needs text)",
        "table public.usage_logs: column tokens_used: type is text, the app needs integer",
        "table public.conversations: column user_id: is nullable, the app needs NOT NULL",
        "table public.app_config: missing",
    ];
    let ready = reqwest::get(format!("{}/readyz", server.base)).await.unwrap();
    assert_eq!(ready.status(), 200, "the other apps are ready");
    let report = ready.text().await.unwrap();
    for line in expected {
        assert!(report.contains(line), "/readyz names {line:?}:\n{report}");
    }
    let resp =
        server.http.post(server.endpoint("course")).json(&json!({ "query": "{ conversations { totalCount } }" })).send().await.unwrap();
    assert_eq!(resp.status(), 503);
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body["errors"][0]["extensions"]["code"], "SERVICE_UNAVAILABLE");
    let message = body["errors"][0]["message"].as_str().unwrap();
    for line in expected {
        assert!(message.contains(line), "the refusal names {line:?}: {message}");
    }
    assert!(!message.contains("signup_codes"), "matching tables are not reported: {message}");
    assert_eq!(raw.text(TRIGGERS).await, " / 0", "nothing is attached to a refused app's tables");
    assert_eq!(raw.text("to_regnamespace('quiver') IS NULL").await, "true", "nor is the quiver schema created for it");

    let studio = server.data("{ users { totalCount } }", json!({})).await;
    assert_eq!(studio["users"]["totalCount"], 0, "studio serves from its own database");
}
