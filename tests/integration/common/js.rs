//! Runs the JavaScript clients under `tests/js/` with Node.js. Their
//! packages (pinned by `tests/js/package-lock.json`) are installed with
//! `npm ci` into `target/js/node_modules`, again only when the lockfile
//! changed; the scripts are copied next to them so Node resolves the packages.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::Mutex;

/// `tests/js` in the source tree.
fn source_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/js")
}

/// `target/js`: where the packages are installed and the scripts run.
pub fn work_dir() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).parent().expect("target dir").join("js")
}

static INSTALL: Mutex<bool> = Mutex::new(false);

/// Installs the pinned packages unless the installed ones match the lockfile
/// (`target/js/.installed-lock` keeps the lockfile they came from).
fn install() {
    let mut done = INSTALL.lock().unwrap_or_else(|e| e.into_inner());
    if *done {
        return;
    }
    let (src, dir) = (source_dir(), work_dir());
    std::fs::create_dir_all(&dir).unwrap();
    let lock = std::fs::read(src.join("package-lock.json")).expect("tests/js/package-lock.json");
    let stamp = dir.join(".installed-lock");
    if std::fs::read(&stamp).ok().as_ref() != Some(&lock) || !dir.join("node_modules").is_dir() {
        std::fs::copy(src.join("package.json"), dir.join("package.json")).unwrap();
        std::fs::write(dir.join("package-lock.json"), &lock).unwrap();
        let out = std::process::Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel=error"])
            .current_dir(&dir)
            .output()
            .expect("npm runs (Node.js 20 and npm are needed for the JavaScript client tests)");
        assert!(out.status.success(), "npm ci failed:\n{}", String::from_utf8_lossy(&out.stderr));
        std::fs::write(&stamp, &lock).unwrap();
    }
    *done = true;
}

/// Installs the pinned packages now (what [`node`] does first), e.g. before
/// minting a short-lived token for a script.
pub async fn ensure_installed() {
    tokio::task::spawn_blocking(install).await.unwrap();
}

/// What a script printed and how it ended.
pub struct NodeRun {
    /// Exit code (`None` when killed).
    pub code: Option<i32>,
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
}

impl NodeRun {
    /// Asserts exit code 0; returns stdout.
    pub fn success(&self) -> &str {
        assert_eq!(self.code, Some(0), "the script failed:\n--- stdout\n{}\n--- stderr\n{}", self.stdout, self.stderr);
        &self.stdout
    }
}

/// Runs `node tests/js/<script> <args…>` (from `target/js`), with
/// `env` added to its environment. A script that hangs is killed after
/// three minutes (a safety net, not an assertion on time).
pub async fn node(script: &str, args: &[&str], env: &[(&str, &str)]) -> NodeRun {
    node_with(&[], script, args, env).await
}

/// Runs `node <flags…> tests/js/<script> <args…>`, as [`node`] does
/// (e.g. `--experimental-websocket`, which Node 20 needs for a global `WebSocket`).
pub async fn node_with(flags: &[&str], script: &str, args: &[&str], env: &[(&str, &str)]) -> NodeRun {
    tokio::task::spawn_blocking(install).await.unwrap();
    let dir = work_dir();
    for entry in std::fs::read_dir(source_dir()).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "mjs") {
            std::fs::copy(&path, dir.join(path.file_name().unwrap())).unwrap();
        }
    }
    let mut command = tokio::process::Command::new("node");
    command.args(flags).arg(dir.join(script)).args(args).current_dir(&dir).stdin(Stdio::null()).kill_on_drop(true);
    for (k, v) in env {
        command.env(k, v);
    }
    let child = command.output();
    let out = tokio::time::timeout(std::time::Duration::from_secs(180), child)
        .await
        .unwrap_or_else(|_| panic!("node {script} did not finish"))
        .expect("node runs");
    NodeRun {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}
