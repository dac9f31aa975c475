//! The shared Supabase schemas: created only in a database without an `auth`
//! schema; in a database laid out like a Supabase project, Quiver's
//! migrations leave `auth` exactly as they found it, create none of the other
//! Supabase schemas, and the apps' tables reference the existing `auth.users`.

use crate::common::{RawDb, TestDb};

/// What a Supabase project already has: its own `auth` schema (here a
/// stand-in with the columns the apps use, and one row), and `public`.
const SUPABASE_LAYOUT: &str = "
    CREATE SCHEMA auth;
    COMMENT ON SCHEMA auth IS 'Supabase auth';
    CREATE TABLE auth.users (id uuid PRIMARY KEY, email varchar(255), email_confirmed_at timestamptz, deleted_at timestamptz, aud varchar(255));
    CREATE TABLE auth.sentinel (note text);
    INSERT INTO auth.users (id, email) VALUES ('00000000-0000-0000-0000-000000000001', 'existing@example.com');
    CREATE TABLE public.todos (id serial PRIMARY KEY, title text);";

const AUTH_SHAPE: &str = "SELECT string_agg(c.relname || ':' || c.relkind::text || ':' || c.relnatts, ',' ORDER BY c.relname)
       FROM pg_class c WHERE c.relnamespace = 'auth'::regnamespace";

/// In a database laid out like a Supabase project, migrating creates none of
/// the Supabase schemas and changes nothing in `auth`; the apps' foreign keys
/// point at the existing auth.users, and undoing the shared migration leaves
/// `auth` in place.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_existing_auth_schema_is_never_touched() {
    let db = RawDb::new("existing").await;
    db.exec(SUPABASE_LAYOUT).await;
    let before = db.text(AUTH_SHAPE).await;
    quiver::db::migrate(&db.url).await.expect("migrations apply next to an existing auth schema");
    assert_eq!(db.text(AUTH_SHAPE).await, before, "auth unchanged: same relations, kinds and column counts");
    assert_eq!(db.text("obj_description('auth'::regnamespace, 'pg_namespace')").await, "Supabase auth");
    assert_eq!(db.text("SELECT count(*) FROM auth.users").await, "1");
    assert_eq!(
        db.text("SELECT count(*) FROM pg_namespace WHERE nspname IN ('storage', 'realtime', 'vault', 'supabase_migrations')").await,
        "0",
        "no other Supabase schema is created"
    );
    assert_eq!(
        db.text("SELECT string_agg(DISTINCT confrelid::regclass::text, ',') FROM pg_constraint WHERE contype = 'f' AND connamespace IN ('course'::regnamespace, 'reports'::regnamespace) AND confrelid::regclass::text LIKE 'auth.%'").await,
        "auth.users"
    );
    // The shared migration's down step drops only schemas it created.
    let down =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/migrations/2026-12-01-000010_supabase_shared/down.sql")).unwrap();
    db.exec("DROP SCHEMA course CASCADE; DROP SCHEMA reports CASCADE;").await;
    db.exec(&down).await;
    assert_eq!(db.text(AUTH_SHAPE).await, before, "down.sql leaves a Supabase auth schema alone");
}

/// In a database Quiver owns, the shared migration creates the five schemas
/// (34 tables, 291 columns, realtime.messages partitioned by range) and its
/// down step removes them again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_database_quiver_owns_gets_the_shared_schemas() {
    let db = TestDb::new().await;
    let schemas = "('auth', 'storage', 'realtime', 'vault', 'supabase_migrations')";
    let tables = db
        .rows(&format!(
            "SELECT count(*)::int AS n FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
              WHERE n.nspname IN {schemas} AND c.relkind IN ('r', 'p') AND NOT c.relispartition"
        ))
        .await;
    assert_eq!(tables[0]["n"], 34);
    let columns = db
        .rows(&format!(
            "SELECT count(*)::int AS n FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
              WHERE n.nspname IN {schemas} AND c.relkind IN ('r', 'p') AND NOT c.relispartition AND a.attnum > 0 AND NOT a.attisdropped"
        ))
        .await;
    assert_eq!(columns[0]["n"], 291);
    // Generated columns compute what 000 says; the functions the seeds use exist and work.
    db.exec(
        "INSERT INTO auth.users (id, email_confirmed_at, phone_confirmed_at, is_sso_user, is_anonymous)
           VALUES ('00000000-0000-0000-0000-0000000000aa', '2025-01-02Z', '2025-01-01Z', false, false);
         INSERT INTO auth.identities (provider_id, user_id, identity_data, provider)
           VALUES ('p', '00000000-0000-0000-0000-0000000000aa', '{\"email\": \"MiXeD@Example.com\"}', 'email');
         INSERT INTO storage.buckets (id, name) VALUES ('b', 'b');
         INSERT INTO storage.objects (bucket_id, name) VALUES ('b', 'a/b/c.txt');
         INSERT INTO storage.prefixes (bucket_id, name) VALUES ('b', 'a/b');
         INSERT INTO realtime.subscription (subscription_id, entity, claims) VALUES (gen_random_uuid(), 'auth.users', '{\"role\": \"postgres\"}');
         INSERT INTO realtime.messages (topic, extension) VALUES ('t', 'broadcast');
         INSERT INTO vault.secrets (secret) VALUES ('s');",
    )
    .await;
    let got = db
        .rows(
            "SELECT (SELECT confirmed_at = '2025-01-01Z' FROM auth.users) AS confirmed,
                    (SELECT email FROM auth.identities) AS email,
                    (SELECT path_tokens::text FROM storage.objects) AS tokens,
                    (SELECT level FROM storage.prefixes) AS level,
                    (SELECT claims_role::text FROM realtime.subscription) AS role,
                    (SELECT length(nonce) FROM vault.secrets) AS nonce",
        )
        .await;
    assert_eq!(got[0]["confirmed"], true, "confirmed_at = LEAST(email, phone)");
    assert_eq!(got[0]["email"], "mixed@example.com");
    assert_eq!(got[0]["tokens"], "{a,b,c.txt}");
    assert_eq!(got[0]["level"], 2);
    assert_eq!(got[0]["role"], "postgres");
    assert_eq!(got[0]["nonce"], 16);
    let key = db.rows("SELECT pg_get_partkeydef('realtime.messages'::regclass) AS k").await;
    assert_eq!(key[0]["k"], "RANGE (inserted_at)");
}
