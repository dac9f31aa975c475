//! Demo users one can be: every app's demo data has the users its README
//! table lists, `quiver token --app <app> --as <name>` signs in as one, and
//! the orders demo admits a caller on this machine.

use std::process::Command;

use serde_json::json;

use crate::common::{self, TestServer};

/// Loads every app's default demo data into the test database.
async fn with_all_demo_data(server: &TestServer) {
    for def in quiver::apps::APPS {
        if let Some(demo) = def.demo {
            assert!(demo.load_if_empty(def.app(), &server.db.url, &[]).await.expect("demo data loads"), "{} was empty", def.name());
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_demo_user_is_in_the_demo_data() {
    let server = TestServer::start().await;
    with_all_demo_data(&server).await;
    for def in quiver::apps::APPS {
        let Some(demo) = def.demo else { continue };
        assert!(!demo.users.is_empty(), "{} lists no demo users", def.name());
        for user in demo.users {
            // The user's row is in one of the app's tables (its `users`, or `auth.users`).
            let app = def.app();
            let mut found = false;
            for table in app.tables.iter().filter(|t| !t.composite_key()) {
                let (schema, name) = table.sql_name(app);
                let rows = server
                    .db
                    .rows(&format!("SELECT 1 AS v FROM \"{schema}\".\"{name}\" WHERE \"{}\"::text = '{}'", table.key, user.sub))
                    .await;
                found |= !rows.is_empty();
            }
            assert!(found, "{}: demo user {} ({}) is in no table", def.name(), user.name, user.sub);
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_demo_users_token_acts_as_them() {
    let server = TestServer::start().await;
    with_all_demo_data(&server).await;
    let token = |app: &str, name: &str| {
        let out = Command::new(env!("CARGO_BIN_EXE_quiver"))
            .args(["token", "--app", app, "--as", name])
            .env("QUIVER_JWT_SECRET", common::JWT_SECRET)
            .output()
            .expect("quiver runs");
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap().trim().to_string()
    };
    // Ada owns her rows and reads her team's; Daniel, a Viewer, sees fewer projects.
    let me = "{ users { nodes { id } } projects { totalCount } teams { nodes { name } } }";
    let ada = common::client_with_token(&token("studio", "ada"));
    let body: serde_json::Value =
        ada.post(server.endpoint("studio")).json(&json!({ "query": me })).send().await.unwrap().json().await.unwrap();
    let ada_id = quiver::apps::find("studio").unwrap().demo.unwrap().user("ada").unwrap().sub;
    assert_eq!(body["data"]["users"]["nodes"], json!([{ "id": ada_id }]), "{body}");
    assert_eq!(body["data"]["teams"]["nodes"], json!([{ "name": "Northwind Creative" }]), "{body}");

    // An orders agent calling from this machine is admitted by the demo allow-list
    // and sees only tenant 1.
    let agent = common::client_with_token(&token("orders", "t1-agent"));
    let q = "{ customers { totalCount nodes { tenantId } } }";
    let body: serde_json::Value =
        agent.post(server.endpoint("orders")).json(&json!({ "query": q })).send().await.unwrap().json().await.unwrap();
    assert!(body.get("errors").is_none(), "{body}");
    let tenant_1 = server.db.rows("SELECT md5('tenant-1')::uuid::text AS v").await[0]["v"].clone();
    let nodes = body["data"]["customers"]["nodes"].as_array().unwrap();
    assert!(!nodes.is_empty() && nodes.iter().all(|n| n["tenantId"] == tenant_1), "{body}");

    // Unknown names are refused with the list of known ones.
    let out = Command::new(env!("CARGO_BIN_EXE_quiver"))
        .args(["token", "--app", "studio", "--as", "mallory"])
        .env("QUIVER_JWT_SECRET", common::JWT_SECRET)
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("ada, ben, chloe, daniel"), "{}", String::from_utf8_lossy(&out.stderr));
}

/// `quiver seed` and `quiver migrate` report their steps; without a terminal
/// as plain lines, one per statement or migration.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn seeding_and_migrating_report_progress_as_plain_lines() {
    let db = crate::common::TestDb::new().await;
    let out = Command::new(env!("CARGO_BIN_EXE_quiver"))
        .args(["seed", "studio", "--set", "users=3"])
        .env("DATABASE_URL", &db.url)
        .output()
        .expect("quiver runs");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    let lines: Vec<&str> = err.lines().filter(|l| l.starts_with("seed studio ")).collect();
    assert!(lines.len() > 10, "one line per statement: {err}");
    assert!(lines.iter().any(|l| l.contains("INSERT INTO studio.users")), "{err}");
    assert!(lines.last().unwrap().contains(&format!("{n}/{n}", n = lines.len())), "counted to the end: {err}");
    assert!(!err.contains('\r'), "no terminal control without a terminal");
    assert_eq!(db.rows("SELECT count(*)::int AS v FROM studio.users").await[0]["v"], json!(3));
    // Nothing left to migrate: no step lines, and it says so.
    let out = Command::new(env!("CARGO_BIN_EXE_quiver")).args(["migrate"]).env("DATABASE_URL", &db.url).output().unwrap();
    assert!(out.status.success());
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "applied 0 migration(s)");
}
