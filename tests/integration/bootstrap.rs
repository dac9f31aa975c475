//! Start-up without `DATABASE_URL`: the `quiver` binary starts its own
//! PostgreSQL cluster from the installed binaries, migrates, serves, and stops
//! the cluster cleanly on SIGTERM, with demo data loaded on first start. Also
//! `quiver migrate` on a given database.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::TestDb;

/// A scratch directory the `postgres` system user can reach (the test may run
/// as root from a private checkout), removed afterwards.
struct ScratchDir(PathBuf);

impl ScratchDir {
    fn new(tag: &str) -> ScratchDir {
        let dir = std::env::temp_dir().join(format!("quiver-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        ScratchDir(dir)
    }
}

impl Drop for ScratchDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// Whether any process still runs with `pgdata` on its command line.
fn postgres_running_in(pgdata: &Path) -> bool {
    let out = Command::new("pgrep").arg("-f").arg(pgdata).output().expect("pgrep");
    !out.stdout.is_empty()
}

async fn wait_ready(http: &reqwest::Client, base: &str, child: &mut std::process::Child) {
    let deadline = Instant::now() + Duration::from_secs(90);
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            panic!("quiver exited early with {status}");
        }
        if let Ok(r) = http.get(format!("{base}/readyz")).send().await {
            if r.status() == 200 {
                return;
            }
        }
        assert!(Instant::now() < deadline, "quiver did not become ready");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serves_from_a_private_cluster_and_stops_it_on_sigterm() {
    let dir = ScratchDir::new("bootstrap");
    let data_dir = dir.0.join("data");
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let mut child = Command::new(env!("CARGO_BIN_EXE_quiver"))
        .args(["--listen", &format!("127.0.0.1:{port}"), "--data-dir"])
        .arg(&data_dir)
        .env_remove("DATABASE_URL")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("quiver starts");
    let http = reqwest::Client::new();
    wait_ready(&http, &base, &mut child).await;

    // Development mode: GraphiQL carries a service-role token signed with the
    // cluster's own secret, so the demo data can be explored at once.
    let page = http.get(format!("{base}/graphql/studio")).send().await.unwrap().text().await.unwrap();
    let token = page
        .split("data-token=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .filter(|t| t.split('.').count() == 3)
        .unwrap_or_else(|| panic!("GraphiQL page carries a development token"))
        .to_string();
    let anon = http.post(format!("{base}/graphql/studio")).json(&serde_json::json!({ "query": "{ projects { totalCount } }" }));
    let anon: serde_json::Value = anon.send().await.unwrap().json().await.unwrap();
    assert_eq!(anon["data"]["projects"]["totalCount"], 0, "without the token no project is visible: {anon}");

    // Migrated and serving: a write and a read through the API.
    let post = |query: &'static str| {
        let request = http.post(format!("{base}/graphql/studio")).bearer_auth(&token).json(&serde_json::json!({ "query": query }));
        async move { request.send().await.unwrap().json::<serde_json::Value>().await.unwrap() }
    };
    let body =
        post("mutation { createAIModel(input: {name: \"bootstrap-model\", provider: \"local\", taskType: TEXT_GENERATION}) { name } }")
            .await;
    let created = body["data"]["createAIModel"]["name"].as_str().map(str::to_string);
    let body = post("{ projects { totalCount } aiModels(filter: {name: {eq: \"bootstrap-model\"}}) { totalCount nodes { name } } }").await;

    let pgdata = data_dir.join("pgdata");
    assert!(pgdata.join("PG_VERSION").exists(), "cluster initialised in the data dir");
    assert!(postgres_running_in(&pgdata), "private postgres runs");

    let kill = Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap();
    assert!(kill.success());
    let deadline = Instant::now() + Duration::from_secs(60);
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        assert!(Instant::now() < deadline, "quiver did not exit after SIGTERM");
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert!(status.success(), "clean exit, got {status}");
    assert!(!postgres_running_in(&pgdata), "private postgres stopped with quiver");
    assert_eq!(created.as_deref(), Some("bootstrap-model"), "create answered: {body}");
    assert_eq!(body["data"]["aiModels"]["totalCount"], 1, "read answered: {body}");
    let demo_projects = body["data"]["projects"]["totalCount"].as_i64().unwrap_or(0);
    assert!(demo_projects > 0, "demo data loaded into the fresh private cluster: {body}");
    assert_eq!(body["data"]["aiModels"]["nodes"][0]["name"], "bootstrap-model");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn migrate_command_applies_migrations_to_database_url() {
    // A database with nothing in it: `quiver migrate` must create the schemas.
    let db = TestDb::new().await;
    let apps: String = quiver::apps::APPS.iter().map(|a| format!("DROP SCHEMA {} CASCADE; ", a.name())).collect();
    db.exec(&format!("{apps}DROP SCHEMA quiver CASCADE; DROP TABLE __diesel_schema_migrations;")).await;
    let out =
        Command::new(env!("CARGO_BIN_EXE_quiver")).arg("migrate").env("DATABASE_URL", &db.url).env("RUST_LOG", "warn").output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let migrations = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/migrations"))
        .unwrap()
        .filter(|e| e.as_ref().unwrap().path().is_dir())
        .count();
    assert!(stdout.contains(&format!("applied {migrations} migration(s)")), "{stdout}");
    db.exec("SELECT count(*) FROM studio.users").await;
}

#[test]
fn help_documents_every_setting() {
    let out = Command::new(env!("CARGO_BIN_EXE_quiver")).arg("--help").output().unwrap();
    let help = String::from_utf8_lossy(&out.stdout);
    for setting in [
        "QUIVER_LISTEN",
        "DATABASE_URL",
        "QUIVER_APPS",
        "QUIVER_POOL_SIZE",
        "QUIVER_MAX_DEPTH",
        "QUIVER_MAX_COMPLEXITY",
        "QUIVER_BODY_LIMIT",
        "QUIVER_CORS_ORIGINS",
        "QUIVER_LOG_FORMAT",
        "QUIVER_DATA_DIR",
    ] {
        assert!(help.contains(setting), "--help mentions {setting}");
    }
}
