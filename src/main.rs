//! The `quiver` binary: parses configuration, provides a database (the given
//! `DATABASE_URL` or a private cluster), and runs the chosen command.

use std::io::IsTerminal;

use anyhow::{bail, Context};
use clap::Parser;
use tokio::net::TcpListener;
use tracing_subscriber::EnvFilter;

use quiver::auth::jwt::{self, Claims};
use quiver::auth::secrets::Keyring;
use quiver::config::{Cli, Command, LogFormat, Options};
use quiver::db::cluster::PrivateCluster;
use quiver::db::demo::Step;
use quiver::{apps, db, server};

/// mimalloc: resolving large responses allocates heavily across threads,
/// where it measurably beats the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn init_logging(format: LogFormat) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    match format {
        LogFormat::Json => builder.json().init(),
        LogFormat::Text => builder.init(),
    }
}

/// Resolves when SIGINT or SIGTERM arrives.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
    tracing::info!("shutting down");
}

/// The database URL to use, starting a private cluster when none is configured.
async fn database(options: &Options) -> anyhow::Result<(String, Option<PrivateCluster>)> {
    if let Some(url) = &options.database_url {
        return Ok((url.clone(), None));
    }
    let cluster = PrivateCluster::start(&options.data_dir).await?;
    Ok((cluster.database_url(), Some(cluster)))
}

/// Reports the steps of long work on standard error: one line rewritten in
/// place on a terminal, a plain line per step otherwise (logs, CI).
fn progress(label: String) -> impl FnMut(Step) + Send + 'static {
    let terminal = std::io::stderr().is_terminal();
    let started = std::time::Instant::now();
    move |step: Step| {
        let elapsed = started.elapsed().as_secs_f32();
        if terminal {
            let width = step.total.to_string().len();
            eprint!("\r\x1b[2K{label} [{:>width$}/{}] {:>6.1}s {}", step.done, step.total, elapsed, step.what);
            if step.done == step.total {
                eprintln!();
            }
        } else if step.done < step.total {
            eprintln!("{label} {}/{}: {} ({elapsed:.1} s)", step.done + 1, step.total, step.what);
        }
    }
}

/// Parses `name=value` size settings.
fn parse_sizes(set: &[String]) -> anyhow::Result<Vec<(String, u32)>> {
    set.iter()
        .map(|s| {
            let (k, v) = s.split_once('=').context("--set takes NAME=VALUE")?;
            let v = v.trim().parse().with_context(|| format!("{k}: not a whole number"))?;
            Ok((k.trim().to_string(), v))
        })
        .collect()
}

/// Loads each served app's demo data into a fresh private cluster, so a
/// newcomer's first run has something to explore.
async fn load_demo_data(options: &Options, url: &str) -> anyhow::Result<()> {
    db::migrate(url).await?;
    for def in server::select_apps(&options.apps)? {
        if let Some(demo) = &def.demo {
            if demo.load_if_empty_with(def.app(), url, &[], &mut progress(format!("demo data {}", def.name()))).await? {
                tracing::info!(app = def.name(), "loaded demo data into the private cluster");
            }
        }
    }
    Ok(())
}

/// For a private (development) cluster without a configured JWT secret: a
/// secret kept in the data directory, and a service-role token GraphiQL
/// sends, so the demo data can be explored at once.
fn development_credentials(options: &mut Options) -> anyhow::Result<()> {
    if options.jwt_secret.is_some() {
        return Ok(());
    }
    let path = options.data_dir.join("dev-jwt-secret");
    let secret = match std::fs::read_to_string(&path) {
        Ok(s) if !s.trim().is_empty() => s.trim().to_string(),
        _ => {
            let secret = uuid::Uuid::new_v4().simple().to_string() + &uuid::Uuid::new_v4().simple().to_string();
            std::fs::write(&path, &secret).with_context(|| format!("cannot write {}", path.display()))?;
            secret
        }
    };
    let token = jwt::mint_hs256(&secret, &Claims::minted(None, "service_role", None, 30 * 86_400))?;
    tracing::info!(
        "development mode: tokens are signed with the secret in {}; GraphiQL sends a service-role token (bypasses row rules)",
        path.display()
    );
    options.jwt_secret = Some(secret);
    options.graphiql_token = Some(token);
    Ok(())
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    let mut options = cli.options;
    match cli.command.unwrap_or(Command::Serve) {
        Command::Token { sub, role, email, ttl, app, demo_user } => {
            let sub = match (app, demo_user) {
                (Some(app), Some(name)) => {
                    let def = apps::find(&app).with_context(|| format!("unknown app {app}"))?;
                    let demo = def.demo.with_context(|| format!("app {app} has no demo data"))?;
                    let known: Vec<_> = demo.users.iter().map(|u| u.name).collect();
                    let user =
                        demo.user(&name).with_context(|| format!("{app} has no demo user {name}; its demo users: {}", known.join(", ")))?;
                    Some(user.sub.to_string())
                }
                _ => sub,
            };
            if options.jwt_secret.is_none() {
                // The development secret of the private cluster, if there is one.
                if let Ok(s) = std::fs::read_to_string(options.data_dir.join("dev-jwt-secret")) {
                    options.jwt_secret = Some(s.trim().to_string());
                }
            }
            let secret = options.jwt_secret.as_deref().context("set QUIVER_JWT_SECRET (or --jwt-secret) to sign tokens")?;
            println!("{}", jwt::mint_hs256(secret, &Claims::minted(sub, &role, email, ttl))?);
            Ok(())
        }
        Command::Keygen { id } => {
            println!("{}", Keyring::generate(&id));
            Ok(())
        }
        Command::RotateKeys => {
            let keyring = options.keyring()?.context("set QUIVER_ENCRYPTION_KEY (new key first, old keys after it)")?;
            let (url, cluster) = database(&options).await?;
            server::migrate(&options, &url).await?;
            let mut total = 0;
            for (app, app_url) in server::placed_apps(&options, &url)? {
                let pool = db::Db::connect(&app_url, &options.pool())?;
                total += quiver::auth::sealer::reencrypt(app, &pool, &keyring).await?;
            }
            if let Some(c) = cluster {
                c.stop().await?;
            }
            println!("re-encrypted {total} value(s) under key {}", keyring.primary_id());
            Ok(())
        }
        Command::Schema { app } => {
            let def = apps::find(&app).with_context(|| format!("unknown app {app}"))?;
            print!("{}", def.sdl()?);
            Ok(())
        }
        Command::Structure { app, include } => {
            // The app need not be registered yet: its migration is enough.
            let (url, cluster) = database(&options).await?;
            db::migrate(&url).await?;
            let pool = db::Db::connect(&url, &options.pool())?;
            let include: Vec<&str> = match (&include, apps::find(&app)) {
                (Some(list), _) => list.split(',').map(str::trim).filter(|t| !t.is_empty()).collect(),
                (None, Some(def)) => def.decl.include.to_vec(),
                (None, None) => Vec::new(),
            };
            let shapes = db::introspect::shapes(&pool, &app, &include).await;
            if let Some(c) = cluster {
                c.stop().await?;
            }
            let shapes = shapes?;
            if shapes.is_empty() {
                bail!("schema {app} has no tables: write its migration first");
            }
            print!("{}", quiver::catalog::shape::render(&app, &shapes));
            Ok(())
        }
        Command::Migrate => {
            let (url, cluster) = database(&options).await?;
            // Apps placed in databases of their own get theirs migrated too.
            let placed = !options.app_database.is_empty() || !options.existing_database.is_empty();
            let applied =
                if placed { server::migrate(&options, &url).await? } else { db::migrate_with(&url, progress("migrate".into())).await? };
            println!("applied {} migration(s)", applied.len());
            if let Some(c) = cluster {
                c.stop().await?;
            }
            Ok(())
        }
        Command::Seed { app, set, bench } => {
            let def = apps::find(&app).with_context(|| format!("unknown app {app}"))?;
            let found = def.build()?;
            let demo = def.demo.with_context(|| format!("no demo data for app {app}"))?;
            let mut sizes: Vec<(String, u32)> =
                if bench { demo.bench.iter().map(|(k, v)| (k.to_string(), *v)).collect() } else { Vec::new() };
            sizes.extend(parse_sizes(&set)?);
            let (url, cluster) = database(&options).await?;
            db::migrate(&url).await?;
            let started = std::time::Instant::now();
            let loaded = demo.load_if_empty_with(found, &url, &sizes, &mut progress(format!("seed {app}"))).await;
            if let Some(c) = cluster {
                c.stop().await?;
            }
            if loaded? {
                println!("seeded {app} in {:.1?}", started.elapsed());
            } else {
                bail!("{app} already has data; demo data loads only into an empty app");
            }
            Ok(())
        }
        Command::Serve => {
            server::select_apps(&options.apps)?;
            let listener = TcpListener::bind(options.listen).await.with_context(|| format!("cannot listen on {}", options.listen))?;
            let (url, cluster) = database(&options).await?;
            if cluster.is_some() && !options.no_demo_data {
                load_demo_data(&options, &url).await?;
            }
            if cluster.is_some() {
                development_credentials(&mut options)?;
            }
            let result = server::serve(&options, &url, listener, shutdown_signal()).await;
            if let Some(c) = cluster {
                c.stop().await?;
            }
            Ok(result?)
        }
    }
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    init_logging(cli.options.log_format);
    match run(cli).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("quiver: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
