//! `/metrics` in Prometheus' text format: after queries, a mutation, failing
//! requests, subscriptions and a change, a scrape shows every family with
//! plausible counts, and only labels of bounded cardinality.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::json;

use crate::common::ws::WsClient;
use crate::common::{self, TestServer};

/// One scrape: each series (name with labels) and its value.
struct Scrape {
    text: String,
    series: BTreeMap<String, f64>,
}

impl Scrape {
    async fn of(server: &TestServer) -> Scrape {
        let resp = server.http.get(format!("{}/metrics", server.base)).send().await.unwrap();
        assert_eq!(resp.status(), 200);
        let media = resp.headers()["content-type"].to_str().unwrap().to_string();
        assert!(media.starts_with("text/plain; version=0.0.4"), "{media}");
        let text = resp.text().await.unwrap();
        let series = text
            .lines()
            .filter(|l| !l.starts_with('#') && !l.is_empty())
            .map(|l| {
                let (name, value) = l.rsplit_once(' ').unwrap_or_else(|| panic!("not a sample: {l}"));
                (name.to_string(), value.parse::<f64>().unwrap_or_else(|_| panic!("not a number: {l}")))
            })
            .collect();
        Scrape { text, series }
    }

    /// The value of a series, spelled as in the text.
    fn get(&self, series: &str) -> f64 {
        *self.series.get(series).unwrap_or_else(|| panic!("{series} is not in /metrics:\n{}", self.text))
    }
}

/// Scrapes until `ready` holds (the server counts on its own tasks).
async fn scrape_until(server: &TestServer, what: &str, ready: impl Fn(&Scrape) -> bool) -> Scrape {
    for _ in 0..400 {
        let scrape = Scrape::of(server).await;
        if ready(&scrape) {
            return scrape;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    panic!("/metrics never showed {what}:\n{}", Scrape::of(server).await.text)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_show_latency_errors_pool_websockets_subscriptions_and_lag() {
    let server = TestServer::start().await;
    let q = |s: &str| format!("{{app=\"studio\",{s}}}");

    // Queries and a mutation over HTTP.
    for _ in 0..3 {
        server.data("{ users { totalCount } }", json!({})).await;
    }
    server.data(r#"mutation { createUser(input: { email: "m@example.com" }) { id } }"#, json!({})).await;
    // A query that does not validate, and a request with a bad token.
    assert_eq!(server.error_code("{ noSuchField }", json!({})).await, "GRAPHQL_VALIDATION_FAILED");
    let stranger = common::client_with_token("not.a.token");
    let resp = stranger.post(server.endpoint("studio")).json(&json!({ "query": "{ users { totalCount } }" })).send().await.unwrap();
    assert_eq!(resp.status(), 401);

    // A row-change subscription and a presence subscription over one WebSocket.
    let mut ws = WsClient::connect(&server.base, "studio").await;
    ws.subscribe("rows", "subscription { userChanged(events: [INSERT]) { event new { email } } }", json!({})).await;
    ws.subscribe("here", r#"subscription { presence(topic: "room-secret-7") { kind } }"#, json!({})).await;
    let sync = ws.next_data("here").await;
    assert_eq!(sync["data"]["presence"]["kind"], "SYNC", "{sync}");
    let row_changes = format!("quiver_subscriptions{}", q("kind=\"row_change\""));
    scrape_until(&server, "the row-change subscription", |s| s.get(&row_changes) >= 1.0).await;
    // A change, written until its event arrives (the subscription starts
    // reading a moment after it is registered).
    let mut arrived = None;
    for n in 0..40 {
        let email = format!("live-{n}@example.com");
        server.db.exec(&format!("INSERT INTO studio.users (email) VALUES ('{email}')")).await;
        if let Some(msg) = ws.next_message_within(std::time::Duration::from_millis(500)).await {
            assert_eq!(msg["id"], "rows", "{msg}");
            arrived = Some(msg);
            break;
        }
    }
    let event = arrived.expect("a row-change event arrived");
    assert_eq!(event["payload"]["data"]["userChanged"]["event"], "INSERT", "{event}");

    let s = Scrape::of(&server).await;
    let m = |name: &str, labels: &str| s.get(&format!("{name}{}", q(labels)));

    // Latency histograms per operation type: counts, cumulative buckets.
    let queries = m("quiver_request_duration_seconds_count", "operation=\"query\"");
    assert!(queries >= 4.0, "3 queries and the failing one: {queries}");
    assert_eq!(m("quiver_request_duration_seconds_bucket", "operation=\"query\",le=\"+Inf\""), queries);
    assert!(m("quiver_request_duration_seconds_bucket", "operation=\"query\",le=\"0.001\"") <= queries);
    assert!(m("quiver_request_duration_seconds_sum", "operation=\"query\"") > 0.0);
    assert!(m("quiver_request_duration_seconds_count", "operation=\"mutation\"") >= 1.0);
    assert!(m("quiver_request_duration_seconds_count", "operation=\"subscription\"") >= 2.0, "set-up of both subscriptions");

    // Errors by code, on the executor's path and the HTTP edge's.
    assert!(m("quiver_errors_total", "code=\"GRAPHQL_VALIDATION_FAILED\"") >= 1.0);
    assert!(m("quiver_errors_total", "code=\"UNAUTHENTICATED\"") >= 1.0);
    assert_eq!(m("quiver_errors_total", "code=\"INTERNAL\""), 0.0);

    // The WebSocket and its subscriptions, by kind.
    assert_eq!(s.get("quiver_websocket_connections{app=\"studio\"}"), 1.0);
    assert!(s.get("quiver_websocket_connections_total{app=\"studio\"}") >= 1.0);
    assert_eq!(m("quiver_subscriptions", "kind=\"row_change\""), 1.0);
    assert_eq!(m("quiver_subscriptions", "kind=\"presence\""), 1.0);
    assert_eq!(m("quiver_subscriptions", "kind=\"channel\""), 0.0);
    assert!(m("quiver_events_delivered_total", "kind=\"row_change\"") >= 1.0);
    assert!(m("quiver_events_delivered_total", "kind=\"presence\"") >= 1.0, "the SYNC event");
    assert_eq!(m("quiver_events_dropped_total", "kind=\"row_change\""), 0.0);
    let lag = s.get("quiver_commit_to_delivery_seconds_count{app=\"studio\"}");
    assert!(lag >= 1.0, "the delivered change's lag: {lag}");
    assert_eq!(s.get("quiver_commit_to_delivery_seconds_bucket{app=\"studio\",le=\"+Inf\"}"), lag);

    // The pool: what is open is in use or idle, within the maximum.
    let (in_use, idle) = (s.get("quiver_db_pool_connections{state=\"in_use\"}"), s.get("quiver_db_pool_connections{state=\"idle\"}"));
    assert!(in_use + idle >= 1.0 && in_use + idle <= s.get("quiver_db_pool_max_connections"), "{in_use} + {idle}");
    assert!(s.get("quiver_db_pool_waiting") >= 0.0);
    assert_eq!(s.get("quiver_realtime_listener_reconnects_total"), 0.0);

    // Bounded labels only: known names and values, never a topic, a user or query text.
    let apps: BTreeSet<&str> = quiver::apps::select(&[]).unwrap().iter().map(|d| d.name()).collect();
    for series in s.series.keys() {
        let Some((_, labels)) = series.split_once('{') else { continue };
        for pair in labels.trim_end_matches('}').split(',') {
            let (key, value) = pair.split_once('=').unwrap();
            let value = value.trim_matches('"');
            let known = match key {
                "app" => apps.contains(value),
                "operation" => ["query", "mutation", "subscription", "unknown"].contains(&value),
                "code" => quiver::error::code::ALL.contains(&value) || value == "OTHER",
                "kind" => ["row_change", "watch", "channel", "presence"].contains(&value),
                "state" => ["in_use", "idle"].contains(&value),
                "le" => value == "+Inf" || value.parse::<f64>().is_ok(),
                _ => false,
            };
            assert!(known, "unbounded or unknown label {key}={value} in {series}");
        }
    }
    for secret in ["room-secret-7", "live-0@example.com", "noSuchField", "totalCount"] {
        assert!(!s.text.contains(secret), "{secret} leaked into /metrics");
    }

    // The listener's connection lost: the feed reconnects and says so.
    server
        .db
        .rows(
            "SELECT pg_terminate_backend(pid) AS k FROM pg_stat_activity \
             WHERE application_name = 'quiver_listener' AND datname = current_database()",
        )
        .await;
    scrape_until(&server, "a listener reconnect", |s| s.get("quiver_realtime_listener_reconnects_total") >= 1.0).await;

    // Closed: the gauges go back to zero, the totals stay.
    ws.close().await;
    let s = scrape_until(&server, "the closed WebSocket and its ended subscriptions", |s| {
        s.get("quiver_websocket_connections{app=\"studio\"}") == 0.0 && s.get(&row_changes) == 0.0
    })
    .await;
    assert!(s.get(&format!("quiver_subscriptions_total{}", q("kind=\"row_change\""))) >= 1.0);
}
