//! HTTP load driver for a running Quiver server.
//!
//! Sends one GraphQL operation over and over from `--concurrency` workers for
//! `--duration` seconds (after `--warmup` seconds that are not recorded) and
//! prints throughput, latency percentiles, SQL statements per request and the
//! response size:
//!
//! ```text
//! cargo run --release --example load -- --concurrency 32 --duration 30
//! cargo run --release --example load -- --url http://127.0.0.1:8080/graphql/studio \
//!     --query-file q.graphql --variables '{"first": 10}'
//! ```
//!
//! How a run goes:
//!
//! 1. One preflight request. Its size is printed, and the run stops with a
//!    non-zero exit code if it fails, has `errors`, or has no `data`.
//! 2. Warm-up: the workers run for `--warmup` seconds; nothing is recorded.
//!    All warm-up requests finish before the measured window starts.
//! 3. `quiver_sql_statements_total` is read from `--metrics-url` (all series
//!    summed), the workers run for `--duration` seconds recording every
//!    request's latency, and the counter is read again once they have all
//!    finished. The difference divided by the measured requests is the number
//!    of SQL statements per request ("n/a" when the metrics can't be read).
//!
//! A request fails if it gets no response, a non-2xx status, a body that is
//! not a GraphQL response, or a response with `errors` (or without `data`).
//! Failed requests are counted and their latency is recorded all the same.
//!
//! The whole run is bounded: it ends by itself within
//! `warmup + duration + 5` seconds of starting, abandoning any request still
//! in flight at that point (and saying so). Proxy environment variables are
//! ignored so that requests go straight to the server.

#[path = "support/stats.rs"]
mod stats;

use stats::{format_ms, percentile};
use std::error::Error;
use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use clap::Parser;
use reqwest::header::{ACCEPT, CONTENT_TYPE};
use reqwest::{Client, Url};
use serde::de::IgnoredAny;
use serde::Deserialize;
use serde_json::Value;
use tokio::task::JoinSet;
use tokio::time::{timeout_at, Instant};

/// The benchmark query: 50 projects × 20 assets × 5 versions.
const DEFAULT_QUERY: &str = "{ projects(first: 50) { nodes { name assets(first: 20) { nodes { name versions(first: 5) { nodes { versionNumber createdAt } } } } } } }";

/// The Prometheus counter of SQL statements the server sent.
const SQL_COUNTER: &str = "quiver_sql_statements_total";

/// Slack on top of warm-up + duration for the preflight request, the metrics
/// reads and requests still in flight when a phase ends.
const SLACK: Duration = Duration::from_secs(5);

/// Part of the slack kept back for reading the metrics after the run.
const METRICS_RESERVE: Duration = Duration::from_millis(500);

/// Longest wait for one metrics read.
const METRICS_TIMEOUT: Duration = Duration::from_secs(2);

/// Pause after a transport error so a dead server doesn't cause a busy loop.
const TRANSPORT_ERROR_BACKOFF: Duration = Duration::from_millis(50);

type BoxError = Box<dyn Error + Send + Sync>;

/// Load driver for a running Quiver server: runs one GraphQL query at a fixed
/// concurrency and reports throughput, latency and SQL statements per request.
#[derive(Parser, Debug)]
#[command(name = "load", version, about, long_about = None)]
struct Args {
    /// GraphQL endpoint to POST the query to.
    #[arg(long, default_value = "http://127.0.0.1:8080/graphql/studio")]
    url: String,

    /// GraphQL document to send [default: the projects → assets → versions
    /// benchmark query].
    #[arg(long, conflicts_with = "query_file")]
    query: Option<String>,

    /// Read the GraphQL document from this file instead of --query.
    #[arg(long, value_name = "PATH")]
    query_file: Option<PathBuf>,

    /// Variables for the query, as a JSON object.
    #[arg(long, value_name = "JSON")]
    variables: Option<String>,

    /// Number of workers, each with one request in flight at a time.
    #[arg(long, default_value_t = 16, value_parser = clap::value_parser!(u32).range(1..=100_000))]
    concurrency: u32,

    /// Length of the measured window, in seconds.
    #[arg(long, default_value_t = 20.0, value_name = "SECONDS", value_parser = parse_positive_secs)]
    duration: f64,

    /// Unrecorded warm-up before the measured window, in seconds (0 for none).
    #[arg(long, default_value_t = 3.0, value_name = "SECONDS", value_parser = parse_secs)]
    warmup: f64,

    /// Prometheus text endpoint to read quiver_sql_statements_total from
    /// [default: scheme://host:port/metrics of --url].
    #[arg(long, value_name = "URL")]
    metrics_url: Option<String>,

    /// Bearer token sent with every request (e.g. from `quiver token`).
    #[arg(long, env = "QUIVER_TOKEN", hide_env_values = true)]
    token: Option<String>,
}

fn parse_secs(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(secs) if secs.is_finite() && (0.0..=86_400.0).contains(&secs) => Ok(secs),
        _ => Err(format!("`{text}` is not a number of seconds between 0 and 86400")),
    }
}

fn parse_positive_secs(text: &str) -> Result<f64, String> {
    match parse_secs(text)? {
        secs if secs > 0.0 => Ok(secs),
        _ => Err("must be more than 0 seconds".to_string()),
    }
}

/// What every worker sends: the endpoint and the serialized request body.
#[derive(Debug)]
struct Target {
    url: Url,
    /// `{"query": …, "variables": …}`, serialized once and shared by all
    /// requests (leaked: it lives as long as the process anyway).
    body: &'static [u8],
}

impl Target {
    fn from_args(args: &Args) -> Result<Target, BoxError> {
        let url = Url::parse(&args.url).map_err(|e| format!("--url {}: {e}", args.url))?;
        let query = match (&args.query, &args.query_file) {
            (Some(query), _) => query.clone(),
            (None, Some(path)) => std::fs::read_to_string(path).map_err(|e| format!("--query-file {}: {e}", path.display()))?,
            (None, None) => DEFAULT_QUERY.to_string(),
        };
        let variables = match &args.variables {
            None => Value::Null,
            Some(text) => match serde_json::from_str(text) {
                Ok(value @ (Value::Object(_) | Value::Null)) => value,
                Ok(_) => return Err("--variables must be a JSON object".into()),
                Err(e) => return Err(format!("--variables is not valid JSON: {e}").into()),
            },
        };
        let body = serde_json::to_vec(&serde_json::json!({
            "query": query,
            "variables": variables,
        }))?;
        Ok(Target { url, body: Box::leak(body.into_boxed_slice()) })
    }
}

/// `--metrics-url`, or `scheme://host:port/metrics` of the GraphQL endpoint.
fn metrics_url(args: &Args, endpoint: &Url) -> Result<Url, BoxError> {
    if let Some(text) = &args.metrics_url {
        return Url::parse(text).map_err(|e| format!("--metrics-url {text}: {e}").into());
    }
    let mut url = endpoint.clone();
    url.set_path("/metrics");
    url.set_query(None);
    url.set_fragment(None);
    Ok(url)
}

fn build_client(concurrency: usize, token: Option<&str>) -> Result<Client, BoxError> {
    let mut headers = reqwest::header::HeaderMap::new();
    if let Some(token) = token {
        headers.insert(reqwest::header::AUTHORIZATION, format!("Bearer {token}").parse()?);
    }
    Ok(Client::builder()
        .default_headers(headers)
        .pool_max_idle_per_host(concurrency)
        .tcp_nodelay(true)
        .connect_timeout(Duration::from_secs(2))
        .no_proxy()
        .build()?)
}

// ---------------------------------------------------------------------------
// One request
// ---------------------------------------------------------------------------

/// Why a request counted as failed.
#[derive(Debug)]
enum Failure {
    /// No response: connection refused or reset, timeout, …
    Transport(String),
    /// A response with a non-2xx status.
    Status(u16),
    /// A 2xx response that isn't a GraphQL response, or has no `data`.
    Malformed(String),
    /// A GraphQL response with `errors`.
    GraphQl,
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Failure::Transport(why) => write!(f, "no response: {why}"),
            Failure::Status(status) => write!(f, "HTTP {status}"),
            Failure::Malformed(why) => f.write_str(why),
            Failure::GraphQl => f.write_str("response has errors"),
        }
    }
}

/// The parts of a GraphQL response the load loop looks at; everything else is
/// skipped without being built.
#[derive(Deserialize)]
struct Envelope {
    #[serde(default)]
    data: Option<IgnoredAny>,
    #[serde(default)]
    errors: Option<Vec<IgnoredAny>>,
}

/// Sends the request and reads the whole body, returning the status and body.
async fn send(client: &Client, target: &Target) -> Result<(u16, impl AsRef<[u8]>), Failure> {
    let response = client
        .post(target.url.clone())
        .header(CONTENT_TYPE, "application/json")
        .header(ACCEPT, "application/json")
        .body(target.body)
        .send()
        .await
        .map_err(|e| Failure::Transport(error_chain(&e)))?;
    let status = response.status().as_u16();
    let body = response.bytes().await.map_err(|e| Failure::Transport(error_chain(&e)))?;
    Ok((status, body))
}

/// Classifies a received response.
fn check_response(status: u16, body: &[u8]) -> Result<(), Failure> {
    if !(200..300).contains(&status) {
        return Err(Failure::Status(status));
    }
    let envelope: Envelope =
        serde_json::from_slice(body).map_err(|e| Failure::Malformed(format!("body is not a GraphQL response: {e}")))?;
    if envelope.errors.is_some_and(|errors| !errors.is_empty()) {
        return Err(Failure::GraphQl);
    }
    if envelope.data.is_none() {
        return Err(Failure::Malformed("response has no data".to_string()));
    }
    Ok(())
}

/// One request's latency (until the whole body arrived) and outcome.
async fn execute(client: &Client, target: &Target) -> (Duration, Result<(), Failure>) {
    let started = Instant::now();
    match send(client, target).await {
        Ok((status, body)) => {
            let latency = started.elapsed();
            (latency, check_response(status, body.as_ref()))
        }
        Err(failure) => (started.elapsed(), Err(failure)),
    }
}

/// `error` and its sources, joined with ": ".
fn error_chain(error: &dyn Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

// ---------------------------------------------------------------------------
// Preflight
// ---------------------------------------------------------------------------

/// Sends the request once and checks that it succeeds; returns the body size.
async fn preflight(client: &Client, target: &Target, deadline: Instant) -> Result<usize, BoxError> {
    let (status, body) = match timeout_at(deadline, send(client, target)).await {
        Err(_) => return Err("preflight request timed out".into()),
        Ok(Err(failure)) => return Err(format!("preflight request failed: {failure}").into()),
        Ok(Ok(received)) => received,
    };
    let body = body.as_ref();
    if !(200..300).contains(&status) {
        return Err(format!("preflight: HTTP {status}: {}", snippet(body)).into());
    }
    let response: Value = serde_json::from_slice(body).map_err(|e| format!("preflight: body is not JSON ({e}): {}", snippet(body)))?;
    if let Some(errors) = response.get("errors").filter(|e| !e.is_null()) {
        eprintln!("{}", serde_json::to_string_pretty(errors).unwrap_or_default());
        return Err("preflight response has errors (printed above)".into());
    }
    if response.get("data").is_none_or(Value::is_null) {
        return Err(format!("preflight response has no data: {}", snippet(body)).into());
    }
    println!("preflight: HTTP {status}, {} ({} bytes), data present, no errors", format_size(body.len()), body.len());
    Ok(body.len())
}

/// The start of a body, for error messages.
fn snippet(body: &[u8]) -> String {
    const MAX: usize = 500;
    let text = String::from_utf8_lossy(&body[..body.len().min(MAX)]).into_owned();
    if body.len() > MAX {
        format!("{text}…")
    } else {
        text
    }
}

// ---------------------------------------------------------------------------
// Workers
// ---------------------------------------------------------------------------

/// When a phase's workers stop.
#[derive(Debug, Clone, Copy)]
struct Window {
    /// No request is started at or after this instant.
    end: Instant,
    /// Requests still in flight at this instant are abandoned.
    cutoff: Instant,
}

/// What one or all workers saw in a phase.
#[derive(Debug, Default)]
struct PhaseReport {
    /// Latency of every completed request, in microseconds.
    latencies_us: Vec<u128>,
    transport_errors: u64,
    bad_status: u64,
    malformed: u64,
    graphql_errors: u64,
    /// Requests cut off by the hard deadline (not in `latencies_us`).
    abandoned: u64,
    /// The first failure seen, for the report.
    first_failure: Option<String>,
}

impl PhaseReport {
    fn completed(&self) -> usize {
        self.latencies_us.len()
    }

    fn failed(&self) -> u64 {
        self.transport_errors + self.bad_status + self.malformed + self.graphql_errors
    }

    fn record(&mut self, latency: Duration, outcome: Result<(), Failure>) {
        self.latencies_us.push(latency.as_micros());
        let Err(failure) = outcome else { return };
        match &failure {
            Failure::Transport(_) => self.transport_errors += 1,
            Failure::Status(_) => self.bad_status += 1,
            Failure::Malformed(_) => self.malformed += 1,
            Failure::GraphQl => self.graphql_errors += 1,
        }
        self.first_failure.get_or_insert_with(|| failure.to_string());
    }

    fn merge(&mut self, other: PhaseReport) {
        self.latencies_us.extend(other.latencies_us);
        self.transport_errors += other.transport_errors;
        self.bad_status += other.bad_status;
        self.malformed += other.malformed;
        self.graphql_errors += other.graphql_errors;
        self.abandoned += other.abandoned;
        if self.first_failure.is_none() {
            self.first_failure = other.first_failure;
        }
    }
}

/// One worker: sends requests back to back until the window ends.
async fn worker(client: Client, target: Arc<Target>, window: Window) -> PhaseReport {
    let mut report = PhaseReport { latencies_us: Vec::with_capacity(1024), ..PhaseReport::default() };
    while Instant::now() < window.end {
        let Ok((latency, outcome)) = timeout_at(window.cutoff, execute(&client, &target)).await else {
            report.abandoned += 1;
            break;
        };
        let backoff = matches!(outcome, Err(Failure::Transport(_)));
        report.record(latency, outcome);
        if backoff {
            tokio::time::sleep(TRANSPORT_ERROR_BACKOFF).await;
        }
    }
    report
}

/// Runs `concurrency` workers until `window` ends and merges what they saw.
async fn run_phase(client: &Client, target: &Arc<Target>, concurrency: usize, window: Window) -> PhaseReport {
    let mut workers = JoinSet::new();
    for _ in 0..concurrency {
        workers.spawn(worker(client.clone(), Arc::clone(target), window));
    }
    let mut merged = PhaseReport::default();
    while let Some(joined) = workers.join_next().await {
        match joined {
            Ok(report) => merged.merge(report),
            Err(e) => eprintln!("warning: a worker panicked: {e}"),
        }
    }
    merged
}

// ---------------------------------------------------------------------------
// Metrics
// ---------------------------------------------------------------------------

/// Reads the SQL statement counter, or says why it couldn't.
async fn read_sql_counter(client: &Client, url: &Url, deadline: Instant) -> Result<f64, String> {
    let deadline = deadline.min(Instant::now() + METRICS_TIMEOUT);
    let fetch = async {
        let response = client.get(url.clone()).send().await.map_err(|e| error_chain(&e))?;
        if !response.status().is_success() {
            return Err(format!("HTTP {}", response.status().as_u16()));
        }
        response.text().await.map_err(|e| error_chain(&e))
    };
    let text = timeout_at(deadline, fetch).await.map_err(|_| "timed out".to_string())??;
    sum_series(&text, SQL_COUNTER).ok_or_else(|| format!("no {SQL_COUNTER} in the metrics"))
}

/// Sums every series of the metric `name` in Prometheus text format, or
/// `None` if it has none.
fn sum_series(text: &str, name: &str) -> Option<f64> {
    let mut total = None;
    for line in text.lines().map(str::trim_start) {
        if line.starts_with('#') {
            continue;
        }
        let Some(rest) = line.strip_prefix(name) else {
            continue;
        };
        let rest = if rest.starts_with('{') {
            match skip_labels(rest) {
                Some(rest) => rest,
                None => continue,
            }
        } else if rest.starts_with([' ', '\t']) {
            rest
        } else {
            continue; // another metric whose name starts with `name`
        };
        if let Some(value) = rest.split_whitespace().next().and_then(|v| v.parse::<f64>().ok()) {
            *total.get_or_insert(0.0) += value;
        }
    }
    total
}

/// Given text starting with `{`, returns what follows the matching `}`
/// (label values are quoted and may contain `}` and escaped quotes).
fn skip_labels(text: &str) -> Option<&str> {
    let mut in_quotes = false;
    let mut escaped = false;
    for (i, c) in text.char_indices().skip(1) {
        match c {
            _ if escaped => escaped = false,
            '\\' if in_quotes => escaped = true,
            '"' => in_quotes = !in_quotes,
            '}' if !in_quotes => return Some(&text[i + 1..]),
            _ => {}
        }
    }
    None
}

// ---------------------------------------------------------------------------
// Report
// ---------------------------------------------------------------------------

fn format_size(bytes: usize) -> String {
    let kib = bytes as f64 / 1024.0;
    match bytes {
        0..1024 => format!("{bytes} B"),
        _ if kib < 10.0 => format!("{kib:.1} KiB"),
        _ => format!("{kib:.0} KiB"),
    }
}

fn print_report(report: &mut PhaseReport, elapsed: Duration, sql_per_request: Option<f64>, response_size: usize) {
    let secs = elapsed.as_secs_f64();
    let completed = report.completed();
    println!("requests: {completed} in {secs:.1} s ({} failed)", report.failed());
    println!("throughput: {:.1} req/s", completed as f64 / secs.max(f64::EPSILON));
    report.latencies_us.sort_unstable();
    let sorted = &report.latencies_us;
    if sorted.is_empty() {
        println!("latency: n/a");
    } else {
        println!(
            "latency: p50 {}, p90 {}, p99 {}, max {}",
            format_ms(percentile(sorted, 50.0)),
            format_ms(percentile(sorted, 90.0)),
            format_ms(percentile(sorted, 99.0)),
            format_ms(sorted[sorted.len() - 1]),
        );
    }
    match sql_per_request {
        Some(ratio) => println!("sql statements/request: {ratio:.2}"),
        None => println!("sql statements/request: n/a"),
    }
    println!("response size: {}", format_size(response_size));
    print_failures(report);
}

fn print_failures(report: &PhaseReport) {
    if report.failed() > 0 {
        eprintln!(
            "failures: {} transport, {} non-2xx, {} malformed, {} with errors; first: {}",
            report.transport_errors,
            report.bad_status,
            report.malformed,
            report.graphql_errors,
            report.first_failure.as_deref().unwrap_or("?"),
        );
    }
    if report.abandoned > 0 {
        eprintln!("warning: {} requests still in flight at the hard deadline were abandoned", report.abandoned);
    }
}

/// SQL statements per measured request from two counter readings.
fn sql_per_request(before: Result<f64, String>, after: Result<f64, String>, requests: usize) -> Option<f64> {
    match (before, after) {
        (Ok(before), Ok(after)) if requests > 0 => Some((after - before) / requests as f64),
        (Ok(_), Ok(_)) => None,
        (Err(why), _) | (_, Err(why)) => {
            eprintln!("note: sql statements/request unavailable: {why}");
            None
        }
    }
}

// ---------------------------------------------------------------------------
// Main
// ---------------------------------------------------------------------------

async fn run(args: Args) -> Result<i32, BoxError> {
    let started = Instant::now();
    let warmup = Duration::from_secs_f64(args.warmup);
    let duration = Duration::from_secs_f64(args.duration);
    let hard_deadline = started + warmup + duration + SLACK;
    let cutoff = hard_deadline - METRICS_RESERVE;

    let concurrency = args.concurrency as usize;
    let target = Arc::new(Target::from_args(&args)?);
    let metrics_url = metrics_url(&args, &target.url)?;
    let client = build_client(concurrency, args.token.as_deref())?;

    println!(
        "target: {} (concurrency {concurrency}, warm-up {:.1} s, duration {:.1} s, metrics {metrics_url})",
        target.url, args.warmup, args.duration
    );
    let response_size = preflight(&client, &target, cutoff).await?;

    if !warmup.is_zero() {
        let window = Window { end: (Instant::now() + warmup).min(cutoff), cutoff };
        let warm = run_phase(&client, &target, concurrency, window).await;
        println!("warm-up: {} requests ({} failed)", warm.completed(), warm.failed());
    }

    let before = read_sql_counter(&client, &metrics_url, cutoff).await;
    let measure_start = Instant::now();
    let window = Window { end: (measure_start + duration).min(cutoff), cutoff };
    let mut report = run_phase(&client, &target, concurrency, window).await;
    let elapsed = measure_start.elapsed();
    let after = read_sql_counter(&client, &metrics_url, hard_deadline).await;

    let ratio = sql_per_request(before, after, report.completed());
    print_report(&mut report, elapsed, ratio, response_size);

    let succeeded = report.completed() as u64 - report.failed();
    Ok(if succeeded > 0 { 0 } else { 1 })
}

#[tokio::main]
async fn main() {
    let code = match run(Args::parse()).await {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e}");
            1
        }
    };
    let _ = std::io::stdout().flush();
    // Exit right away rather than waiting for the runtime to wind down
    // (e.g. a blocking DNS lookup), so the run's time bound holds.
    std::process::exit(code);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sums_all_series_of_the_counter() {
        let text = "# HELP quiver_sql_statements_total SQL statements.\n\
                    # TYPE quiver_sql_statements_total counter\n\
                    quiver_sql_statements_total{app=\"studio\",kind=\"a}b \\\"q\\\"\"} 10\n\
                    quiver_sql_statements_total{app=\"other\"} 2.5 1700000000\n\
                    quiver_sql_statements_total_created 123\n\
                    quiver_requests_total 99\n";
        assert_eq!(sum_series(text, SQL_COUNTER), Some(12.5));
        assert_eq!(sum_series("quiver_sql_statements_total 7\n", SQL_COUNTER), Some(7.0));
        assert_eq!(sum_series("other 1\n", SQL_COUNTER), None);
    }

    #[test]
    fn percentiles_use_nearest_rank() {
        let samples: Vec<u128> = (1..=100).collect();
        assert_eq!(percentile(&samples, 50.0), 50);
        assert_eq!(percentile(&samples, 99.0), 99);
        assert_eq!(percentile(&samples, 100.0), 100);
        assert_eq!(percentile(&[7], 90.0), 7);
    }

    #[test]
    fn classifies_responses() {
        assert!(check_response(200, br#"{"data":{"x":1}}"#).is_ok());
        assert!(check_response(200, br#"{"data":{"x":1},"errors":[]}"#).is_ok());
        assert!(matches!(check_response(200, br#"{"data":null,"errors":[{"message":"x"}]}"#), Err(Failure::GraphQl)));
        assert!(matches!(check_response(502, b"bad gateway"), Err(Failure::Status(502))));
        assert!(matches!(check_response(200, b"<html>"), Err(Failure::Malformed(_))));
    }

    #[test]
    fn derives_metrics_url_from_endpoint() {
        let args = Args::parse_from(["load"]);
        let endpoint = Url::parse("http://127.0.0.1:8080/graphql/studio?x=1").unwrap();
        assert_eq!(metrics_url(&args, &endpoint).unwrap().as_str(), "http://127.0.0.1:8080/metrics");
    }
}
