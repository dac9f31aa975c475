//! The `quiver` binary: parses configuration, provides a database (the given
//! `DATABASE_URL` or a private cluster), and runs the chosen command.

use anyhow::{bail, Context};
use clap::Parser;
use tokio::net::TcpListener;
use tracing_subscriber::EnvFilter;

use quiver::config::{Cli, Command, LogFormat, Options};
use quiver::db::cluster::PrivateCluster;
use quiver::{apps, db, graphql, server};

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

/// Parses `name=value` size settings over an app's defaults.
fn seed_params(defaults: &[(&str, u32)], bench: &[(&str, u32)], set: &[String]) -> anyhow::Result<Vec<(String, u32)>> {
    let mut params: Vec<(String, u32)> = defaults.iter().map(|(k, v)| (k.to_string(), *v)).collect();
    let mut apply = |k: &str, v: u32| -> anyhow::Result<()> {
        match params.iter_mut().find(|(name, _)| name == k) {
            Some(p) => p.1 = v,
            None => bail!("unknown seed parameter {k}; known: {}", defaults.iter().map(|d| d.0).collect::<Vec<_>>().join(", ")),
        }
        Ok(())
    };
    for (k, v) in bench {
        apply(k, *v)?;
    }
    for s in set {
        let (k, v) = s.split_once('=').context("--set takes NAME=VALUE")?;
        apply(k.trim(), v.trim().parse().with_context(|| format!("{k}: not a whole number"))?)?;
    }
    Ok(params)
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    let options = cli.options;
    match cli.command.unwrap_or(Command::Serve) {
        Command::Schema { app } => {
            let app = apps::find(&app).with_context(|| format!("unknown app {app}"))?;
            print!("{}", graphql::sdl(app)?);
            Ok(())
        }
        Command::Migrate => {
            let (url, cluster) = database(&options).await?;
            let applied = db::migrate(&url).await?;
            println!("applied {} migration(s)", applied.len());
            if let Some(c) = cluster {
                c.stop().await?;
            }
            Ok(())
        }
        Command::Seed { app, set, bench } => {
            let (script, defaults, bench_sizes) = apps::seed_script(&app).with_context(|| format!("no demo data for app {app}"))?;
            let params = seed_params(defaults, if bench { bench_sizes } else { &[] }, &set)?;
            let (url, cluster) = database(&options).await?;
            db::migrate(&url).await?;
            let mut sql = script.to_string();
            for (k, v) in &params {
                sql = sql.replace(&format!("{{{{{k}}}}}"), &v.to_string());
            }
            let started = std::time::Instant::now();
            db::execute_script(&url, &format!("BEGIN;\n{sql}\nCOMMIT;")).await?;
            println!("seeded {app} ({}) in {:.1?}", params.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(" "), started.elapsed());
            if let Some(c) = cluster {
                c.stop().await?;
            }
            Ok(())
        }
        Command::Serve => {
            server::select_apps(&options.apps)?;
            let listener = TcpListener::bind(options.listen).await.with_context(|| format!("cannot listen on {}", options.listen))?;
            let (url, cluster) = database(&options).await?;
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
