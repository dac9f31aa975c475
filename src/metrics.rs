//! The metric registry behind `/metrics`, written out in Prometheus' text
//! format (version 0.0.4) by [`Metrics::render`].
//!
//! One [`Metrics`] per server instance (held by [`crate::db::Db`], so every
//! layer that has the database can count); one [`AppMetrics`] per served app,
//! which resolvers and the HTTP edge hold directly: counting is a relaxed
//! atomic add, with no lock and no allocation on the request path. Every label
//! has a bounded set of values: apps, operation types, subscription kinds and
//! the error codes of [`crate::error::code::ALL`] (anything else is `OTHER`).
//! Never a topic, a user or query text.

use std::fmt::Write;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::error::code;

/// Upper bounds (seconds) of the histogram buckets, `+Inf` aside.
const BUCKETS: [f64; 14] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0];

/// A histogram of durations with the fixed [`BUCKETS`].
#[derive(Debug, Default)]
pub struct Histogram {
    /// Observations per bucket (not cumulative; the last one is `+Inf`).
    counts: [AtomicU64; BUCKETS.len() + 1],
    /// Sum of the observations, in microseconds.
    sum_micros: AtomicU64,
}

impl Histogram {
    /// Records one observation.
    pub fn observe(&self, d: Duration) {
        let seconds = d.as_secs_f64();
        let bucket = BUCKETS.iter().position(|b| seconds <= *b).unwrap_or(BUCKETS.len());
        self.counts[bucket].fetch_add(1, Ordering::Relaxed);
        self.sum_micros.fetch_add(d.as_micros().min(u64::MAX as u128) as u64, Ordering::Relaxed);
    }

    /// Writes the `_bucket`, `_sum` and `_count` lines of one series.
    fn render(&self, out: &mut String, name: &str, labels: &str) {
        let mut total = 0;
        for (i, count) in self.counts.iter().enumerate() {
            total += count.load(Ordering::Relaxed);
            let le = BUCKETS.get(i).map_or_else(|| "+Inf".to_string(), |b| b.to_string());
            let _ = writeln!(out, "{name}_bucket{{{labels},le=\"{le}\"}} {total}");
        }
        let sum = self.sum_micros.load(Ordering::Relaxed) as f64 / 1e6;
        let _ = writeln!(out, "{name}_sum{{{labels}}} {sum}");
        let _ = writeln!(out, "{name}_count{{{labels}}} {total}");
    }
}

/// The type of a GraphQL operation (label `operation`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operation {
    /// A query.
    Query,
    /// A mutation.
    Mutation,
    /// A subscription.
    Subscription,
    /// A document that does not parse or names no operation it has.
    Unknown,
}

impl Operation {
    const ALL: [Operation; 4] = [Operation::Query, Operation::Mutation, Operation::Subscription, Operation::Unknown];

    /// The label value.
    pub fn label(self) -> &'static str {
        match self {
            Operation::Query => "query",
            Operation::Mutation => "mutation",
            Operation::Subscription => "subscription",
            Operation::Unknown => "unknown",
        }
    }
}

/// The kind of a subscription (label `kind`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SubscriptionKind {
    /// `<type>Changed`: a table's row changes.
    RowChange,
    /// A domain watch of the app.
    Watch,
    /// `channel`: broadcast messages.
    Channel,
    /// `presence`.
    Presence,
}

impl SubscriptionKind {
    const ALL: [SubscriptionKind; 4] =
        [SubscriptionKind::RowChange, SubscriptionKind::Watch, SubscriptionKind::Channel, SubscriptionKind::Presence];

    /// The label value.
    pub fn label(self) -> &'static str {
        match self {
            SubscriptionKind::RowChange => "row_change",
            SubscriptionKind::Watch => "watch",
            SubscriptionKind::Channel => "channel",
            SubscriptionKind::Presence => "presence",
        }
    }
}

/// Counters of one subscription kind.
#[derive(Debug, Default)]
struct KindCounts {
    active: AtomicI64,
    started: AtomicU64,
    delivered: AtomicU64,
    dropped: AtomicU64,
}

/// The metrics of one served app.
#[derive(Debug)]
pub struct AppMetrics {
    /// The app's name (label `app`).
    pub app: &'static str,
    latency: [Histogram; 4],
    /// Errors by code: [`code::ALL`], then `OTHER`.
    errors: [AtomicU64; code::ALL.len() + 1],
    ws_open: AtomicI64,
    ws_total: AtomicU64,
    kinds: [KindCounts; 4],
    lag: Histogram,
}

impl AppMetrics {
    fn new(app: &'static str) -> AppMetrics {
        AppMetrics {
            app,
            latency: Default::default(),
            errors: Default::default(),
            ws_open: AtomicI64::new(0),
            ws_total: AtomicU64::new(0),
            kinds: Default::default(),
            lag: Histogram::default(),
        }
    }

    /// Records how long an operation of type `op` took.
    pub fn observe(&self, op: Operation, took: Duration) {
        self.latency[op as usize].observe(took);
    }

    /// Counts one error sent to a client, by its `extensions.code`.
    pub fn error(&self, code: &str) {
        let i = code::ALL.iter().position(|c| *c == code).unwrap_or(code::ALL.len());
        self.errors[i].fetch_add(1, Ordering::Relaxed);
    }

    /// Counts the errors of a GraphQL response.
    pub fn errors(&self, errors: &[async_graphql::ServerError]) {
        for e in errors {
            let code = e.extensions.as_ref().and_then(|x| x.get("code")).and_then(|v| match v {
                async_graphql::Value::String(s) => Some(s.as_str()),
                _ => None,
            });
            self.error(code.unwrap_or(""));
        }
    }

    /// An open WebSocket connection, counted until the returned guard drops.
    pub fn ws_connection(self: &Arc<Self>) -> WsConnection {
        self.ws_open.fetch_add(1, Ordering::Relaxed);
        self.ws_total.fetch_add(1, Ordering::Relaxed);
        WsConnection(self.clone())
    }

    /// A subscription of `kind` that was set up in `setup`, active until the
    /// returned handle drops.
    pub fn subscription(self: &Arc<Self>, kind: SubscriptionKind, setup: Duration) -> LiveSubscription {
        self.observe(Operation::Subscription, setup);
        let counts = &self.kinds[kind as usize];
        counts.active.fetch_add(1, Ordering::Relaxed);
        counts.started.fetch_add(1, Ordering::Relaxed);
        LiveSubscription { app: self.clone(), kind }
    }
}

/// An open WebSocket connection of an app (see [`AppMetrics::ws_connection`]).
#[derive(Debug)]
pub struct WsConnection(Arc<AppMetrics>);

impl Drop for WsConnection {
    fn drop(&mut self) {
        self.0.ws_open.fetch_sub(1, Ordering::Relaxed);
    }
}

/// An active subscription (see [`AppMetrics::subscription`]): counts what it
/// delivers and drops.
#[derive(Debug)]
pub struct LiveSubscription {
    app: Arc<AppMetrics>,
    kind: SubscriptionKind,
}

impl LiveSubscription {
    /// One event handed to the subscriber.
    pub fn delivered(&self) {
        self.app.kinds[self.kind as usize].delivered.fetch_add(1, Ordering::Relaxed);
    }

    /// `n` events the subscriber lost by falling behind (slow consumer).
    pub fn dropped(&self, n: u64) {
        self.app.kinds[self.kind as usize].dropped.fetch_add(n, Ordering::Relaxed);
    }

    /// The time from a change's commit to its delivery.
    pub fn lag(&self, lag: Duration) {
        self.app.lag.observe(lag);
    }
}

impl Drop for LiveSubscription {
    fn drop(&mut self) {
        self.app.kinds[self.kind as usize].active.fetch_sub(1, Ordering::Relaxed);
    }
}

/// The database pool's state at a scrape.
#[derive(Debug, Clone, Copy, Default)]
pub struct PoolState {
    /// Largest number of connections.
    pub max: usize,
    /// Open connections.
    pub open: usize,
    /// Open connections nobody holds.
    pub idle: usize,
    /// Requests waiting for a connection.
    pub waiting: usize,
}

/// The metrics of one server instance.
#[derive(Debug, Default)]
pub struct Metrics {
    /// Registered apps; locked only to register one and to render.
    apps: Mutex<Vec<Arc<AppMetrics>>>,
    /// Times the realtime feed's listening connection was lost and re-opened.
    pub listener_reconnects: AtomicU64,
}

impl Metrics {
    /// The metrics of `app`, registered on first use.
    pub fn app(&self, app: &'static str) -> Arc<AppMetrics> {
        let mut apps = self.apps.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(m) = apps.iter().find(|m| m.app == app) {
            return m.clone();
        }
        let m = Arc::new(AppMetrics::new(app));
        apps.push(m.clone());
        m
    }

    /// Appends every family in Prometheus' text format, with `pool` as the
    /// database pool's state.
    pub fn render(&self, out: &mut String, pool: PoolState) {
        let apps = self.apps.lock().unwrap_or_else(|p| p.into_inner()).clone();
        let family = |out: &mut String, name: &str, kind: &str, help: &str| {
            let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} {kind}");
        };

        let name = "quiver_request_duration_seconds";
        family(
            out,
            name,
            "histogram",
            "GraphQL operations by app and type, from the executor taking them to their response (subscriptions: until set up).",
        );
        for a in &apps {
            for op in Operation::ALL {
                a.latency[op as usize].render(out, name, &format!("app=\"{}\",operation=\"{}\"", a.app, op.label()));
            }
        }

        family(out, "quiver_errors_total", "counter", "Errors sent to clients, by app and extensions.code.");
        for a in &apps {
            for (i, n) in a.errors.iter().enumerate() {
                let code = code::ALL.get(i).copied().unwrap_or("OTHER");
                let _ = writeln!(out, "quiver_errors_total{{app=\"{}\",code=\"{code}\"}} {}", a.app, n.load(Ordering::Relaxed));
            }
        }

        family(out, "quiver_websocket_connections", "gauge", "Open GraphQL WebSocket connections.");
        for a in &apps {
            let _ = writeln!(out, "quiver_websocket_connections{{app=\"{}\"}} {}", a.app, a.ws_open.load(Ordering::Relaxed));
        }
        family(out, "quiver_websocket_connections_total", "counter", "GraphQL WebSocket connections opened.");
        for a in &apps {
            let _ = writeln!(out, "quiver_websocket_connections_total{{app=\"{}\"}} {}", a.app, a.ws_total.load(Ordering::Relaxed));
        }

        let per_kind = |out: &mut String, name: &str, kind: &str, help: &str, get: fn(&KindCounts) -> i64| {
            family(out, name, kind, help);
            for a in &apps {
                for k in SubscriptionKind::ALL {
                    let v = get(&a.kinds[k as usize]);
                    let _ = writeln!(out, "{name}{{app=\"{}\",kind=\"{}\"}} {v}", a.app, k.label());
                }
            }
        };
        per_kind(out, "quiver_subscriptions", "gauge", "Active subscriptions by kind.", |k| k.active.load(Ordering::Relaxed));
        per_kind(out, "quiver_subscriptions_total", "counter", "Subscriptions started, by kind.", |k| {
            k.started.load(Ordering::Relaxed) as i64
        });
        per_kind(out, "quiver_events_delivered_total", "counter", "Subscription events handed to subscribers.", |k| {
            k.delivered.load(Ordering::Relaxed) as i64
        });
        per_kind(
            out,
            "quiver_events_dropped_total",
            "counter",
            "Events subscribers lost by falling behind (SLOW_CONSUMER): the messages skipped on channels and presence, \
             one per row-change or watch subscriber ended.",
            |k| k.dropped.load(Ordering::Relaxed) as i64,
        );

        let name = "quiver_commit_to_delivery_seconds";
        family(out, name, "histogram", "Time from a row change's commit to its delivery to a subscriber.");
        for a in &apps {
            a.lag.render(out, name, &format!("app=\"{}\"", a.app));
        }

        family(
            out,
            "quiver_realtime_listener_reconnects_total",
            "counter",
            "Times the realtime feed's listening connection was re-opened.",
        );
        let _ = writeln!(out, "quiver_realtime_listener_reconnects_total {}", self.listener_reconnects.load(Ordering::Relaxed));

        family(out, "quiver_db_pool_connections", "gauge", "Database pool connections, by state (in_use, idle).");
        let _ = writeln!(out, "quiver_db_pool_connections{{state=\"in_use\"}} {}", pool.open.saturating_sub(pool.idle));
        let _ = writeln!(out, "quiver_db_pool_connections{{state=\"idle\"}} {}", pool.idle);
        family(out, "quiver_db_pool_max_connections", "gauge", "Largest number of database pool connections.");
        let _ = writeln!(out, "quiver_db_pool_max_connections {}", pool.max);
        family(out, "quiver_db_pool_waiting", "gauge", "Requests waiting for a database pool connection.");
        let _ = writeln!(out, "quiver_db_pool_waiting {}", pool.waiting);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn histograms_are_cumulative_and_codes_bounded() {
        let metrics = Metrics::default();
        let app = metrics.app("studio");
        assert!(Arc::ptr_eq(&app, &metrics.app("studio")), "one registration per app");
        app.observe(Operation::Query, Duration::from_micros(500));
        app.observe(Operation::Query, Duration::from_millis(20));
        app.observe(Operation::Query, Duration::from_secs(60));
        app.error(code::FORBIDDEN);
        app.error("SOMETHING_ELSE");
        let mut out = String::new();
        metrics.render(&mut out, PoolState::default());
        let line = |l: &str| assert!(out.lines().any(|x| x == l), "{l} in\n{out}");
        line("quiver_request_duration_seconds_bucket{app=\"studio\",operation=\"query\",le=\"0.001\"} 1");
        line("quiver_request_duration_seconds_bucket{app=\"studio\",operation=\"query\",le=\"0.025\"} 2");
        line("quiver_request_duration_seconds_bucket{app=\"studio\",operation=\"query\",le=\"30\"} 2");
        line("quiver_request_duration_seconds_bucket{app=\"studio\",operation=\"query\",le=\"+Inf\"} 3");
        line("quiver_request_duration_seconds_count{app=\"studio\",operation=\"query\"} 3");
        line("quiver_request_duration_seconds_sum{app=\"studio\",operation=\"query\"} 60.0205");
        line("quiver_errors_total{app=\"studio\",code=\"FORBIDDEN\"} 1");
        line("quiver_errors_total{app=\"studio\",code=\"OTHER\"} 1");
        {
            let _sub = app.subscription(SubscriptionKind::Presence, Duration::ZERO);
            let mut out = String::new();
            metrics.render(&mut out, PoolState::default());
            assert!(out.contains("quiver_subscriptions{app=\"studio\",kind=\"presence\"} 1\n"), "{out}");
        }
        let mut out = String::new();
        metrics.render(&mut out, PoolState { max: 4, open: 3, idle: 1, waiting: 2 });
        assert!(out.contains("quiver_subscriptions{app=\"studio\",kind=\"presence\"} 0\n"), "{out}");
        assert!(out.contains("quiver_subscriptions_total{app=\"studio\",kind=\"presence\"} 1\n"), "{out}");
        assert!(out.contains("quiver_db_pool_connections{state=\"in_use\"} 2\n"), "{out}");
        assert!(out.contains("quiver_db_pool_waiting 2\n"), "{out}");
    }
}
