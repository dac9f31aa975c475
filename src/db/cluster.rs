//! Private PostgreSQL cluster, used when Quiver runs without `DATABASE_URL`.
//!
//! [`PrivateCluster::start`] finds the installed PostgreSQL server binaries, initialises a
//! cluster in `<data_dir>/pgdata` on first use, starts it listening only on 127.0.0.1 (on a
//! free port, Unix socket in `<data_dir>`, server log in `<data_dir>/postgres.log`) and makes
//! sure database `quiver` exists. [`PrivateCluster::stop`] — or, as a fallback, `Drop` —
//! shuts it down with `pg_ctl stop -m fast`. PostgreSQL refuses to run as root, so when
//! Quiver runs as root the server tools run as the `postgres` system user.

use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command as StdCommand, Output, Stdio};
use std::time::{Duration, Instant};

use tokio::process::Command;
use tracing::{info, warn};

/// OS user the server runs as when Quiver runs as root; also the database superuser name.
const PG_USER: &str = "postgres";
/// Database created for Quiver.
const DB_NAME: &str = "quiver";
/// How many ports to try when the chosen port is taken before the postmaster binds it.
const START_ATTEMPTS: u32 = 5;
/// Lines of command stderr / server log included in errors.
const STDERR_TAIL: usize = 20;
const LOG_TAIL: usize = 30;
/// `sizeof(sun_path)` on Linux; the socket path `<dir>/.s.PGSQL.<port>` must be shorter.
const SUN_PATH_LEN: usize = 108;
const VERSIONED_BIN_GLOB: &str = "/usr/lib/postgresql/*/bin";

/// A running PostgreSQL cluster owned by this process.
///
/// Stop it with [`PrivateCluster::stop`]; if it is dropped instead, `Drop` stops it
/// synchronously (best effort).
#[derive(Debug)]
pub struct PrivateCluster {
    /// Absolute, canonical data directory (holds `pgdata/`, `postgres.log`, the socket).
    data_dir: PathBuf,
    pgdata: PathBuf,
    log_file: PathBuf,
    port: u16,
    /// Directory the server binaries really live in (symlinks resolved).
    bin_dir: PathBuf,
    pg_ctl: PathBuf,
    run_as: RunAs,
    /// Whether this handle still has to stop the server.
    running: bool,
}

/// Errors from starting or stopping the private cluster.
#[derive(Debug, thiserror::Error)]
pub enum ClusterError {
    #[error(
        "PostgreSQL server binaries (initdb, pg_ctl, postgres) were not found on PATH or under \
         /usr/lib/postgresql/*/bin (searched: {searched}). Install PostgreSQL (Debian/Ubuntu: \
         apt-get install postgresql) or set DATABASE_URL to an existing database."
    )]
    /// No PostgreSQL server binaries were found.
    NoBinaries {
        /// Where they were looked for.
        searched: String,
    },

    #[error(
        "Quiver is running as root, PostgreSQL refuses to run as root, and there is no \
         `postgres` system user to run it as. Create one (e.g. `useradd --system --home-dir \
         /var/lib/postgresql --shell /bin/sh postgres`, or install the postgresql package), run \
         Quiver as a non-root user, or set DATABASE_URL to an existing database."
    )]
    /// Running as root with no `postgres` user to run the server as.
    NoUnprivilegedUser,

    #[error(
        "the private PostgreSQL data directory {data_dir} is not usable by system user \
         `{user}`, which runs the server because Quiver runs as root: {blocked} is not \
         {need} for that user. Grant access (e.g. chmod o+x on each parent directory), choose a \
         data directory it can reach (e.g. under /var/lib or /tmp), or set DATABASE_URL."
    )]
    /// The data directory cannot be reached by the user running the server.
    DataDirNotAccessible {
        /// The data directory.
        data_dir: String,
        /// The system user running the server.
        user: String,
        /// The first path component the user cannot get through.
        blocked: String,
        /// "traversable" or "writable".
        need: &'static str,
    },

    #[error("{what} failed ({status}){}", detail_suffix(.detail))]
    /// A PostgreSQL program failed.
    Command {
        /// What was being done, including the program.
        what: String,
        /// Exit status, or why the program could not be run.
        status: String,
        /// Tail of the command's stderr (and of postgres.log when starting).
        detail: String,
    },

    #[error("neither createdb nor psql was found (searched {searched}); cannot create database `quiver`")]
    /// Neither `createdb` nor `psql` was found.
    NoClient {
        /// Where they were looked for.
        searched: String,
    },

    #[error("I/O error: {0}")]
    /// An I/O error.
    Io(#[from] std::io::Error),

    #[error("the private PostgreSQL server started but 127.0.0.1:{port} does not accept connections: {detail}")]
    /// The server started but does not accept connections.
    NotReady {
        /// Its port.
        port: u16,
        /// The connection error.
        detail: String,
    },
}

fn detail_suffix(detail: &str) -> String {
    if detail.trim().is_empty() {
        String::new()
    } else {
        format!(":\n{}", detail.trim_end())
    }
}

/// How external server tools are run.
#[derive(Debug, Clone)]
enum RunAs {
    /// Directly, as the current (non-root) user.
    CurrentUser,
    /// `runuser -u <user> -- <cmd> ...` (we are root).
    Runuser { runuser: PathBuf, user: String },
    /// `su -s /bin/sh -c '<cmd> ...' <user>` (we are root, no runuser).
    Su { su: PathBuf, user: String },
}

impl RunAs {
    fn user(&self) -> Option<&str> {
        match self {
            RunAs::CurrentUser => None,
            RunAs::Runuser { user, .. } | RunAs::Su { user, .. } => Some(user),
        }
    }
}

struct Binaries {
    pg_ctl: PathBuf,
    initdb: PathBuf,
    bin_dir: PathBuf,
}

impl PrivateCluster {
    /// Starts (initialising on first use) a cluster in `data_dir`, on a free loopback port.
    pub async fn start(data_dir: &Path) -> Result<PrivateCluster, ClusterError> {
        let bins = find_binaries()?;
        let run_as = detect_run_as().await?;
        let data_dir = prepare_data_dir(data_dir, run_as.user().is_some())?;
        let mut cluster = PrivateCluster {
            pgdata: data_dir.join("pgdata"),
            log_file: data_dir.join("postgres.log"),
            data_dir,
            port: 0,
            bin_dir: bins.bin_dir.clone(),
            pg_ctl: bins.pg_ctl.clone(),
            run_as,
            running: false,
        };
        info!(
            data_dir = %cluster.data_dir.display(),
            bin_dir = %cluster.bin_dir.display(),
            run_as = cluster.run_as.user().unwrap_or("current user"),
            "starting private PostgreSQL cluster"
        );

        cluster.hand_over_to_server_user().await?;
        cluster.clear_leftover_server().await?;
        if !cluster.pgdata.join("PG_VERSION").is_file() {
            cluster.initdb(&bins.initdb).await?;
        }
        fix_pgdata_mode(&cluster.pgdata);
        cluster.start_server().await?;

        // From here on the server runs: on failure, stop it before reporting.
        if let Err(e) = cluster.finish_start().await {
            if let Err(stop_err) = cluster.stop().await {
                warn!(error = %stop_err, "could not stop private PostgreSQL cluster after failed start");
            }
            return Err(e);
        }
        info!(
            data_dir = %cluster.data_dir.display(),
            port = cluster.port,
            "private PostgreSQL cluster ready"
        );
        Ok(cluster)
    }

    /// `postgres://postgres@127.0.0.1:<port>/quiver` — database `quiver` exists (created on first start).
    pub fn database_url(&self) -> String {
        format!("postgres://{PG_USER}@127.0.0.1:{}/{DB_NAME}", self.port)
    }

    /// The loopback TCP port the server listens on.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Fast shutdown (`pg_ctl stop -m fast`), waits for it.
    pub async fn stop(mut self) -> Result<(), ClusterError> {
        if !self.running {
            return Ok(());
        }
        self.running = false; // whatever happens, Drop must not try again
        info!(data_dir = %self.data_dir.display(), port = self.port, "stopping private PostgreSQL cluster");
        let fast = self.run_pg_ctl("stopping PostgreSQL (pg_ctl stop -m fast)", &["stop", "-m", "fast", "-w", "-t", "60"]).await?;
        if fast.status.success() {
            info!(data_dir = %self.data_dir.display(), "private PostgreSQL cluster stopped");
            return Ok(());
        }
        let fast_err = command_error("stopping PostgreSQL (pg_ctl stop -m fast)", &fast, None);
        if !self.server_running().await {
            warn!(error = %fast_err, "private PostgreSQL cluster was already stopped");
            return Ok(());
        }
        warn!(error = %fast_err, "fast shutdown failed; trying immediate shutdown");
        let immediate =
            self.run_pg_ctl("stopping PostgreSQL (pg_ctl stop -m immediate)", &["stop", "-m", "immediate", "-w", "-t", "60"]).await?;
        if immediate.status.success() {
            warn!("private PostgreSQL cluster stopped with immediate shutdown");
            Ok(())
        } else {
            Err(fast_err)
        }
    }

    // ----- start steps -------------------------------------------------------------------

    /// As root: give the server user the data directory, and check it can reach it.
    async fn hand_over_to_server_user(&self) -> Result<(), ClusterError> {
        let Some(user) = self.run_as.user() else {
            return Ok(());
        };
        // Only what the cluster uses: data_dir itself (socket, log), and pgdata/log recursively.
        chown(user, false, &[self.data_dir.as_path()]).await?;
        let owned: Vec<&Path> = [self.pgdata.as_path(), self.log_file.as_path()].into_iter().filter(|p| p.exists()).collect();
        if !owned.is_empty() {
            chown(user, true, &owned).await?;
        }

        let dir = self.data_dir.as_os_str();
        if self.run_as_user_ok(&[OsStr::new("-x"), dir, OsStr::new("-a"), OsStr::new("-w"), dir]).await {
            return Ok(());
        }
        let mut blocked = (self.data_dir.clone(), "writable");
        let mut ancestors: Vec<&Path> = self.data_dir.ancestors().collect();
        ancestors.reverse();
        for dir in ancestors {
            if !self.run_as_user_ok(&[OsStr::new("-x"), dir.as_os_str()]).await {
                blocked = (dir.to_path_buf(), "traversable");
                break;
            }
        }
        Err(ClusterError::DataDirNotAccessible {
            data_dir: self.data_dir.display().to_string(),
            user: user.to_string(),
            blocked: blocked.0.display().to_string(),
            need: blocked.1,
        })
    }

    /// `test <args>` as the server user; true if it succeeds.
    async fn run_as_user_ok(&self, test_args: &[&OsStr]) -> bool {
        let cmd = build_command(&self.run_as, Path::new("test"), test_args, Path::new("/"));
        matches!(Command::from(cmd).output().await, Ok(out) if out.status.success())
    }

    /// Handles a `postmaster.pid` left by an earlier run: a server still running on this data
    /// directory (a previous Quiver that did not stop it) is stopped; a stale file is removed.
    async fn clear_leftover_server(&self) -> Result<(), ClusterError> {
        let pid_file = self.pgdata.join("postmaster.pid");
        let Ok(contents) = std::fs::read_to_string(&pid_file) else {
            return Ok(());
        };
        let pid = contents.lines().next().and_then(|l| l.trim().parse::<u32>().ok());
        let ours = match pid {
            Some(pid) => self.is_our_postmaster(pid),
            None => Some(false), // unreadable/corrupt: the server would refuse to start
        };
        if ours == Some(false) {
            warn!(pid_file = %pid_file.display(), "removing stale postmaster.pid left by a crashed server");
            std::fs::remove_file(&pid_file).map_err(|e| io_context(e, format!("removing stale {}", pid_file.display())))?;
            return Ok(());
        }
        if !self.server_running().await {
            return Ok(()); // the postmaster itself deals with a stale file whose PID is gone
        }
        warn!(
            data_dir = %self.data_dir.display(),
            pid = pid.unwrap_or(0),
            "a PostgreSQL server from a previous run is still running on this data directory; stopping it"
        );
        for mode in ["fast", "immediate"] {
            let what = format!("stopping leftover PostgreSQL server (pg_ctl stop -m {mode})");
            let out = self.run_pg_ctl(&what, &["stop", "-m", mode, "-w", "-t", "60"]).await?;
            if out.status.success() || !self.server_running().await {
                return Ok(());
            }
            if mode == "immediate" {
                return Err(command_error(&what, &out, None));
            }
        }
        Ok(())
    }

    /// Whether `pid` (from postmaster.pid) is a postmaster serving our pgdata.
    /// `None` when that cannot be told (no /proc, or a postgres process of unknown data dir).
    fn is_our_postmaster(&self, pid: u32) -> Option<bool> {
        if !Path::new("/proc/self").exists() {
            return None;
        }
        if pid == std::process::id() {
            return Some(false);
        }
        let proc_dir = PathBuf::from(format!("/proc/{pid}"));
        if !proc_dir.exists() {
            return Some(false);
        }
        let pgdata = std::fs::canonicalize(&self.pgdata).unwrap_or_else(|_| self.pgdata.clone());
        // A postmaster's working directory is its data directory.
        if let Ok(cwd) = std::fs::read_link(proc_dir.join("cwd")) {
            return Some(cwd == pgdata);
        }
        // cwd unreadable (no ptrace permission): judge by the command line.
        let cmdline = std::fs::read(proc_dir.join("cmdline")).ok()?;
        let args: Vec<&[u8]> = cmdline.split(|b| *b == 0).collect();
        let is_postgres = args.first().is_some_and(|a0| {
            let name = Path::new(OsStr::from_bytes(a0));
            name.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with("postgres") || n.starts_with("postmaster"))
        });
        if !is_postgres {
            return Some(false);
        }
        let data_arg = args.windows(2).find(|w| w[0] == b"-D").map(|w| w[1]);
        match data_arg.map(|d| Path::new(OsStr::from_bytes(d))) {
            Some(d) if d.is_absolute() => Some(std::fs::canonicalize(d).map(|d| d == pgdata).unwrap_or(false)),
            _ => None,
        }
    }

    /// `pg_ctl status` exit code 0.
    async fn server_running(&self) -> bool {
        match self.run_pg_ctl("checking server status (pg_ctl status)", &["status"]).await {
            Ok(out) => out.status.code() == Some(0),
            Err(_) => false,
        }
    }

    /// First use: `initdb` (locale C.UTF-8, falling back to C).
    async fn initdb(&self, initdb: &Path) -> Result<(), ClusterError> {
        if self.pgdata.exists() {
            // No PG_VERSION: an initialisation that never finished.
            warn!(pgdata = %self.pgdata.display(), "removing incompletely initialised cluster directory");
            std::fs::remove_dir_all(&self.pgdata).map_err(|e| io_context(e, format!("removing {}", self.pgdata.display())))?;
        }
        info!(pgdata = %self.pgdata.display(), "initialising private PostgreSQL cluster (initdb)");
        let mut last_err = None;
        for locale in ["C.UTF-8", "C"] {
            let what = format!("initialising PostgreSQL cluster ({} --locale={locale})", initdb.display());
            let locale_arg = format!("--locale={locale}");
            let args: [&OsStr; 9] = [
                "-D".as_ref(),
                self.pgdata.as_os_str(),
                "-U".as_ref(),
                PG_USER.as_ref(),
                "--auth=trust".as_ref(),
                "-E".as_ref(),
                "UTF8".as_ref(),
                locale_arg.as_ref(),
                "--no-instructions".as_ref(),
            ];
            let mut out = self.run_tool(&what, initdb, &args).await?;
            if !out.status.success() && String::from_utf8_lossy(&out.stderr).contains("--no-instructions") {
                // initdb older than PostgreSQL 14.
                out = self.run_tool(&what, initdb, &args[..8]).await?;
            }
            if out.status.success() {
                return Ok(());
            }
            let err = command_error(&what, &out, None);
            warn!(error = %err, "initdb failed");
            if self.pgdata.exists() && !self.pgdata.join("PG_VERSION").is_file() {
                let _ = std::fs::remove_dir_all(&self.pgdata);
            }
            if self.pgdata.join("PG_VERSION").is_file() {
                return Err(err); // not a locale problem; don't clobber what initdb left
            }
            last_err = Some(err);
        }
        Err(last_err.expect("at least one initdb attempt"))
    }

    /// `pg_ctl start` on a free port, retrying with another port if it got taken meanwhile.
    async fn start_server(&mut self) -> Result<(), ClusterError> {
        let socket_dir = socket_dir_option(&self.data_dir);
        for attempt in 1..=START_ATTEMPTS {
            let port = free_port()?;
            let options = format!("-p {port} -c listen_addresses=127.0.0.1 -c {socket_dir}");
            let log_offset = std::fs::metadata(&self.log_file).map(|m| m.len()).unwrap_or(0);
            let what = format!("starting PostgreSQL ({} start)", self.pg_ctl.display());
            let out = self
                .run_pg_ctl(
                    &what,
                    &[
                        "-l".as_ref(),
                        self.log_file.as_os_str(),
                        "-w".as_ref(),
                        "-t".as_ref(),
                        "60".as_ref(),
                        "-o".as_ref(),
                        options.as_ref(),
                        "start".as_ref(),
                    ],
                )
                .await?;
            if out.status.success() {
                self.port = port;
                self.running = true;
                return Ok(());
            }
            let log_tail = read_log_since(&self.log_file, log_offset);
            // pg_ctl may have given up waiting while the server still comes up.
            if self.server_running().await {
                let _ = self.run_pg_ctl("stopping PostgreSQL after failed start", &["stop", "-m", "immediate"]).await;
            }
            let port_taken = log_tail.contains("Address already in use") || log_tail.contains("could not bind");
            if port_taken && attempt < START_ATTEMPTS {
                warn!(port, attempt, "port was taken before PostgreSQL could bind it; retrying with another port");
                continue;
            }
            return Err(command_error(&what, &out, Some((&self.log_file, &log_tail))));
        }
        unreachable!("the last attempt returns")
    }

    /// After `pg_ctl start` succeeded: TCP check and database creation.
    async fn finish_start(&self) -> Result<(), ClusterError> {
        wait_for_tcp(self.port).await.map_err(|detail| ClusterError::NotReady { port: self.port, detail })?;
        self.ensure_database().await
    }

    /// Creates database `quiver` unless it exists.
    async fn ensure_database(&self) -> Result<(), ClusterError> {
        let psql = self.client_tool("psql");
        let createdb = self.client_tool("createdb");
        let port = self.port.to_string();
        let conn: [&str; 6] = ["-h", "127.0.0.1", "-p", &port, "-U", PG_USER];
        if let Some(psql) = &psql {
            let query = format!("SELECT 1 FROM pg_database WHERE datname = '{DB_NAME}'");
            let mut args: Vec<&str> = vec!["-X", "-q", "-t", "-A"];
            args.extend(conn);
            args.extend(["-d", "postgres", "-c", &query]);
            let what = format!("checking for database {DB_NAME} ({})", psql.display());
            let out = self.run_client(&what, psql, &args).await?;
            if !out.status.success() {
                return Err(command_error(&what, &out, None));
            }
            if String::from_utf8_lossy(&out.stdout).trim() == "1" {
                return Ok(());
            }
        }
        let create_sql = format!("CREATE DATABASE {DB_NAME}");
        let (program, args): (&Path, Vec<&str>) = match (&createdb, &psql) {
            (Some(createdb), _) => (createdb, conn.iter().copied().chain([DB_NAME]).collect()),
            (None, Some(psql)) => {
                (psql, ["-X", "-q", "-v", "ON_ERROR_STOP=1"].into_iter().chain(conn).chain(["-d", "postgres", "-c", &create_sql]).collect())
            }
            (None, None) => return Err(ClusterError::NoClient { searched: format!("{} and PATH", self.bin_dir.display()) }),
        };
        let what = format!("creating database {DB_NAME} ({})", program.display());
        let out = self.run_client(&what, program, &args).await?;
        if out.status.success() {
            info!(database = DB_NAME, "created database");
            Ok(())
        } else if String::from_utf8_lossy(&out.stderr).contains("already exists") {
            Ok(())
        } else {
            Err(command_error(&what, &out, None))
        }
    }

    /// A client program from the server's bin directory, else from PATH.
    fn client_tool(&self, name: &str) -> Option<PathBuf> {
        let local = self.bin_dir.join(name);
        if is_executable(&local) {
            Some(local)
        } else {
            which(name)
        }
    }

    // ----- running commands ----------------------------------------------------------------

    /// `pg_ctl -D <pgdata> <args>` as the server user. Errors only if it cannot be run.
    async fn run_pg_ctl<S: AsRef<OsStr>>(&self, what: &str, args: &[S]) -> Result<Output, ClusterError> {
        let mut full: Vec<&OsStr> = vec!["-D".as_ref(), self.pgdata.as_os_str()];
        full.extend(args.iter().map(AsRef::as_ref));
        self.run_tool(what, &self.pg_ctl, &full).await
    }

    /// A server tool as the server user. Errors only if it cannot be run.
    async fn run_tool<S: AsRef<OsStr>>(&self, what: &str, program: &Path, args: &[S]) -> Result<Output, ClusterError> {
        spawn_output(what, build_command(&self.run_as, program, args, &self.data_dir)).await
    }

    /// A client tool (connects over TCP) as the current user. Errors only if it cannot be run.
    async fn run_client<S: AsRef<OsStr>>(&self, what: &str, program: &Path, args: &[S]) -> Result<Output, ClusterError> {
        let mut cmd = build_command(&RunAs::CurrentUser, program, args, &self.data_dir);
        cmd.env("PGCONNECT_TIMEOUT", "10");
        spawn_output(what, cmd).await
    }
}

impl Drop for PrivateCluster {
    /// Best-effort synchronous `pg_ctl stop -m fast` if [`PrivateCluster::stop`] was not called.
    fn drop(&mut self) {
        if !self.running {
            return;
        }
        self.running = false;
        info!(data_dir = %self.data_dir.display(), "stopping private PostgreSQL cluster (on drop)");
        let args: [&OsStr; 9] = [
            "-D".as_ref(),
            self.pgdata.as_os_str(),
            "stop".as_ref(),
            "-m".as_ref(),
            "fast".as_ref(),
            "-w".as_ref(),
            "-t".as_ref(),
            "60".as_ref(),
            "-s".as_ref(),
        ];
        match build_command(&self.run_as, &self.pg_ctl, &args, &self.data_dir).output() {
            Ok(out) if out.status.success() => info!("private PostgreSQL cluster stopped"),
            Ok(out) => {
                warn!(error = %command_error("pg_ctl stop -m fast", &out, None), "could not stop private PostgreSQL cluster")
            }
            Err(e) => warn!(error = %e, "could not run pg_ctl to stop private PostgreSQL cluster"),
        }
    }
}

// ----- helpers ---------------------------------------------------------------------------------

/// Builds `program args` run as `run_as`, in `cwd`, with stdin from /dev/null, libpq variables
/// from our environment removed and messages in English (we match on them).
fn build_command<S: AsRef<OsStr>>(run_as: &RunAs, program: &Path, args: &[S], cwd: &Path) -> StdCommand {
    let mut cmd = match run_as {
        RunAs::CurrentUser => {
            let mut c = StdCommand::new(program);
            c.args(args);
            c
        }
        RunAs::Runuser { runuser, user } => {
            let mut c = StdCommand::new(runuser);
            c.arg("-u").arg(user).arg("--").arg(program).args(args);
            c
        }
        RunAs::Su { su, user } => {
            let mut line = shell_quote(program.as_os_str());
            for a in args {
                line.push(' ');
                line.push_str(&shell_quote(a.as_ref()));
            }
            let mut c = StdCommand::new(su);
            c.args(["-s", "/bin/sh", "-c"]).arg(line).arg(user);
            c
        }
    };
    for (key, _) in std::env::vars_os() {
        if key.to_string_lossy().starts_with("PG") {
            cmd.env_remove(key);
        }
    }
    cmd.env("LC_ALL", "C").current_dir(cwd).stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped());
    cmd
}

async fn spawn_output(what: &str, cmd: StdCommand) -> Result<Output, ClusterError> {
    Command::from(cmd).output().await.map_err(|e| ClusterError::Command {
        what: what.to_string(),
        status: "could not be run".to_string(),
        detail: e.to_string(),
    })
}

/// Error for a command that ran and failed; `log` adds the tail of the server log.
fn command_error(what: &str, out: &Output, log: Option<(&Path, &str)>) -> ClusterError {
    let mut detail = tail(&String::from_utf8_lossy(&out.stderr), STDERR_TAIL);
    if detail.trim().is_empty() {
        detail = tail(&String::from_utf8_lossy(&out.stdout), STDERR_TAIL);
    }
    if let Some((path, log_tail)) = log {
        if !log_tail.trim().is_empty() {
            detail.push_str(&format!("\n--- last lines of {} ---\n{}", path.display(), log_tail));
        }
    }
    ClusterError::Command { what: what.to_string(), status: out.status.to_string(), detail }
}

fn tail(text: &str, lines: usize) -> String {
    let all: Vec<&str> = text.lines().collect();
    all[all.len().saturating_sub(lines)..].join("\n")
}

/// Last lines written to the server log after byte `offset`.
fn read_log_since(log: &Path, offset: u64) -> String {
    let Ok(bytes) = std::fs::read(log) else {
        return String::new();
    };
    let start = if (offset as usize) <= bytes.len() { offset as usize } else { 0 };
    tail(&String::from_utf8_lossy(&bytes[start..]), LOG_TAIL)
}

fn io_context(e: std::io::Error, context: String) -> ClusterError {
    ClusterError::Io(std::io::Error::new(e.kind(), format!("{context}: {e}")))
}

fn shell_quote(s: &OsStr) -> String {
    format!("'{}'", s.to_string_lossy().replace('\'', r"'\''"))
}

/// Finds pg_ctl and initdb: on PATH if both are there (and `postgres` is next to the real
/// pg_ctl), else in the highest-versioned /usr/lib/postgresql/*/bin holding all three.
fn find_binaries() -> Result<Binaries, ClusterError> {
    if let (Some(pg_ctl), Some(initdb)) = (which("pg_ctl"), which("initdb")) {
        let real = std::fs::canonicalize(&pg_ctl).unwrap_or_else(|_| pg_ctl.clone());
        let bin_dir = real.parent().map(Path::to_path_buf).unwrap_or_default();
        if is_executable(&bin_dir.join("postgres")) {
            return Ok(Binaries { pg_ctl, initdb, bin_dir });
        }
        warn!(pg_ctl = %pg_ctl.display(), "pg_ctl on PATH has no postgres binary next to it; ignoring it");
    }
    let mut versions: Vec<(Vec<u64>, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| {
            let name = entry.file_name().to_string_lossy().into_owned();
            let version: Option<Vec<u64>> = name.split('.').map(|p| p.parse().ok()).collect();
            Some((version?, entry.path().join("bin")))
        })
        .collect();
    versions.sort_by(|a, b| b.0.cmp(&a.0));
    for (_, bin) in &versions {
        if ["pg_ctl", "initdb", "postgres"].iter().all(|b| is_executable(&bin.join(b))) {
            let bin_dir = std::fs::canonicalize(bin).unwrap_or_else(|_| bin.clone());
            return Ok(Binaries { pg_ctl: bin_dir.join("pg_ctl"), initdb: bin_dir.join("initdb"), bin_dir });
        }
    }
    let path = std::env::var("PATH").unwrap_or_default();
    let checked = if versions.is_empty() {
        "none present".to_string()
    } else {
        versions.iter().map(|(_, b)| b.display().to_string()).collect::<Vec<_>>().join(", ")
    };
    Err(ClusterError::NoBinaries { searched: format!("PATH={path}; {VERSIONED_BIN_GLOB}: {checked}") })
}

fn which(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).map(|d| d.join(name)).find(|p| is_executable(p))
}

fn is_executable(path: &Path) -> bool {
    std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

/// As root, the server tools run as `postgres` (via runuser, else su).
async fn detect_run_as() -> Result<RunAs, ClusterError> {
    if current_euid().await != Some(0) {
        return Ok(RunAs::CurrentUser);
    }
    if !user_exists(PG_USER).await {
        return Err(ClusterError::NoUnprivilegedUser);
    }
    let find = |name: &str| {
        which(name)
            .or_else(|| ["/usr/sbin", "/sbin", "/usr/bin", "/bin"].iter().map(|d| Path::new(d).join(name)).find(|p| is_executable(p)))
    };
    let user = PG_USER.to_string();
    if let Some(runuser) = find("runuser") {
        Ok(RunAs::Runuser { runuser, user })
    } else if let Some(su) = find("su") {
        Ok(RunAs::Su { su, user })
    } else {
        Err(ClusterError::Io(std::io::Error::new(
            std::io::ErrorKind::NotFound,
            "running as root, but neither runuser nor su is available to run PostgreSQL as user postgres",
        )))
    }
}

/// Effective uid from /proc/self/status, else `id -u`.
async fn current_euid() -> Option<u32> {
    if let Ok(status) = std::fs::read_to_string("/proc/self/status") {
        let euid = status
            .lines()
            .find_map(|l| l.strip_prefix("Uid:"))
            .and_then(|ids| ids.split_whitespace().nth(1))
            .and_then(|id| id.parse().ok());
        if euid.is_some() {
            return euid;
        }
    }
    let out = Command::new("id").arg("-u").stdin(Stdio::null()).output().await.ok()?;
    String::from_utf8_lossy(&out.stdout).trim().parse().ok()
}

/// Whether system user `name` exists (/etc/passwd, else `id -u <name>` for NSS users).
async fn user_exists(name: &str) -> bool {
    if let Ok(passwd) = std::fs::read_to_string("/etc/passwd") {
        if passwd.lines().any(|l| l.split(':').next() == Some(name)) {
            return true;
        }
    }
    matches!(
        Command::new("id").arg("-u").arg(name).stdin(Stdio::null()).output().await,
        Ok(out) if out.status.success()
    )
}

/// Makes `data_dir` absolute, creates it, and returns its canonical path. As root, parent
/// directories created here are made traversable for the server user.
fn prepare_data_dir(data_dir: &Path, as_root: bool) -> Result<PathBuf, ClusterError> {
    let abs = if data_dir.is_absolute() {
        data_dir.to_path_buf()
    } else {
        std::env::current_dir().map_err(|e| io_context(e, "determining the current directory".into()))?.join(data_dir)
    };
    let created: Vec<PathBuf> = abs.ancestors().skip(1).take_while(|p| !p.exists()).map(Path::to_path_buf).collect();
    std::fs::create_dir_all(&abs).map_err(|e| io_context(e, format!("creating data directory {}", abs.display())))?;
    if as_root {
        for dir in &created {
            if let Ok(meta) = std::fs::metadata(dir) {
                let mode = meta.permissions().mode();
                let _ = std::fs::set_permissions(dir, std::fs::Permissions::from_mode(mode | 0o011));
            }
        }
    }
    std::fs::canonicalize(&abs).map_err(|e| io_context(e, format!("resolving data directory {}", abs.display())))
}

/// `chown [-R] <user> -- <paths>`.
async fn chown(user: &str, recursive: bool, paths: &[&Path]) -> Result<(), ClusterError> {
    let mut cmd = Command::new("chown");
    if recursive {
        cmd.arg("-R");
    }
    cmd.arg(user).arg("--").args(paths).stdin(Stdio::null());
    let what = format!("handing the data directory to user {user} (chown)");
    let out = cmd.output().await.map_err(|e| ClusterError::Command {
        what: what.clone(),
        status: "could not be run".into(),
        detail: e.to_string(),
    })?;
    if out.status.success() {
        Ok(())
    } else {
        Err(command_error(&what, &out, None))
    }
}

/// PostgreSQL refuses a data directory accessible to group/others beyond 0750.
fn fix_pgdata_mode(pgdata: &Path) {
    if let Ok(meta) = std::fs::metadata(pgdata) {
        let mode = meta.permissions().mode() & 0o777;
        if mode & 0o027 != 0 {
            let _ = std::fs::set_permissions(pgdata, std::fs::Permissions::from_mode(0o700));
        }
    }
}

/// The `-c unix_socket_directories=...` server option, quoted for the shell pg_ctl uses. Falls
/// back to no Unix socket when the path would exceed the socket path limit.
fn socket_dir_option(data_dir: &Path) -> String {
    let dir = data_dir.to_string_lossy();
    let socket_path_len = dir.len() + "/.s.PGSQL.65535".len();
    if socket_path_len >= SUN_PATH_LEN || dir.contains('"') {
        warn!(
            data_dir = %dir,
            "data directory path is unusable for a Unix socket; the private cluster listens on TCP only"
        );
        return "unix_socket_directories=''".to_string();
    }
    // Double quotes protect the value inside PostgreSQL's list syntax.
    shell_quote(OsStr::new(&format!("unix_socket_directories=\"{dir}\"")))
}

/// A free loopback port: bind 127.0.0.1:0 and release it.
fn free_port() -> Result<u16, ClusterError> {
    let listener = std::net::TcpListener::bind(("127.0.0.1", 0)).map_err(|e| io_context(e, "finding a free port on 127.0.0.1".into()))?;
    Ok(listener.local_addr()?.port())
}

/// Waits (up to 10 s) until 127.0.0.1:port accepts a TCP connection.
async fn wait_for_tcp(port: u16) -> Result<(), String> {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let err = match tokio::time::timeout(Duration::from_secs(2), tokio::net::TcpStream::connect(("127.0.0.1", port))).await {
            Ok(Ok(_)) => return Ok(()),
            Ok(Err(e)) => e.to_string(),
            Err(_) => "connection attempt timed out".to_string(),
        };
        if Instant::now() >= deadline {
            return Err(err);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
