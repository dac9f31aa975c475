//! The listening connection and the outbox reader behind it, plus retention.

use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use diesel::sql_types::{Array, BigInt, Text};
use diesel::QueryableByName;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl, SimpleAsyncConnection};
use futures_util::{FutureExt, StreamExt};

use super::{ChangeRow, Cursor, Inner, Wire};
use crate::error::QuiverError;

/// Most changes read per outbox query.
const BATCH: i64 = 1000;

#[derive(QueryableByName)]
struct Position {
    #[diesel(sql_type = BigInt)]
    seq: i64,
}

/// The position after every change committed so far.
pub(super) async fn current_position(inner: &Inner) -> Result<Cursor, QuiverError> {
    let mut conn = inner.db.conn().await?;
    let p: Position = diesel::sql_query("SELECT coalesce(max(seq), 0) AS seq FROM quiver.commits")
        .get_result(&mut conn)
        .await?;
    Ok(Cursor { seq: p.seq, id: i64::MAX })
}

/// How far retention has pruned.
pub(super) async fn pruned_through(inner: &Inner) -> Result<i64, QuiverError> {
    let mut conn = inner.db.conn().await?;
    let p: Position = diesel::sql_query("SELECT pruned_through AS seq FROM quiver.outbox_state")
        .get_result(&mut conn)
        .await?;
    Ok(p.seq)
}

/// Changes after `after` in commit order (of one app, or of all served apps).
pub(super) async fn fetch(inner: &Inner, after: Cursor, app: Option<&str>, limit: i64) -> Result<Vec<ChangeRow>, QuiverError> {
    let apps: Vec<String> = match app {
        Some(a) => vec![a.to_string()],
        None => inner.models.keys().map(|a| a.to_string()).collect(),
    };
    let mut conn = inner.db.conn().await?;
    inner.db.stats.outbox_reads.fetch_add(1, Ordering::Relaxed);
    // Commits first (a range scan of the seq index, bounded by the batch), then
    // each commit's changes by (txid, id): no scan of the whole outbox, however
    // large it grows, and a plan that does not depend on the parameters.
    Ok(diesel::sql_query(
        "SELECT c.seq, ch.id, \
                to_char(c.committed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"') AS committed_at, \
                ch.app, ch.table_name, ch.op, ch.new_row::text AS new_row, ch.old_row::text AS old_row \
         FROM (SELECT txid, seq, committed_at FROM quiver.commits WHERE seq >= $1 ORDER BY seq LIMIT $4) c \
         CROSS JOIN LATERAL (SELECT * FROM quiver.changes x WHERE x.txid = c.txid AND (c.seq > $1 OR x.id > $2) \
                             AND x.app = ANY($3) ORDER BY x.id) ch \
         ORDER BY c.seq, ch.id LIMIT $4",
    )
    .bind::<BigInt, _>(after.seq)
    .bind::<BigInt, _>(after.id)
    .bind::<Array<Text>, _>(apps)
    .bind::<BigInt, _>(limit)
    .load(&mut conn)
    .await?)
}

/// Publishes every change after the last published one, one batch per outbox
/// read, until a read comes back empty.
async fn catch_up(inner: &Inner) -> Result<(), QuiverError> {
    loop {
        let after = *inner.published.lock().expect("cursor lock");
        let rows = fetch(inner, after, None, BATCH).await?;
        let Some(last) = rows.last().map(|r| Cursor { seq: r.seq, id: r.id }) else { return Ok(()) };
        let changes: Vec<_> = rows.into_iter().filter_map(|r| inner.decode(r)).collect();
        {
            let mut registry = inner.registry.lock().expect("registry lock");
            for change in &changes {
                registry.dispatch(change);
            }
        }
        *inner.published.lock().expect("cursor lock") = last;
    }
}

/// The listener's URL: the database URL tagged with an application name, so
/// operators (and tests) can find the listening backend.
fn listener_url(url: &str) -> String {
    let sep = if url.contains('?') { '&' } else { '?' };
    format!("{url}{sep}application_name=quiver_listener")
}

/// Listens until the connection fails (error) or shutdown (Ok).
async fn listen(inner: &Arc<Inner>, shutdown: &mut tokio::sync::watch::Receiver<bool>) -> Result<(), QuiverError> {
    let mut conn = AsyncPgConnection::establish(&listener_url(&inner.url))
        .await
        .map_err(|e| QuiverError::Unavailable(e.to_string()))?;
    conn.batch_execute("LISTEN quiver_changes; LISTEN quiver_realtime").await?;
    // Listening before reading: nothing committed from here on can be missed.
    catch_up(inner).await?;
    inner.presence_hello().await;
    let mut tick = tokio::time::interval(inner.options.poll_interval);
    loop {
        let mut health_check = false;
        {
            let mut stream = std::pin::pin!(conn.notifications_stream());
            tokio::select! {
                _ = shutdown.changed() => return Ok(()),
                n = stream.next() => match n {
                    None => return Err(QuiverError::Unavailable("the listening connection closed".into())),
                    Some(Err(e)) => return Err(e.into()),
                    Some(Ok(n)) if n.channel == "quiver_changes" => {
                        // One catch-up serves every commit notified so far: drain the
                        // notifications already queued instead of reading once per commit.
                        while let Some(Some(Ok(more))) = stream.next().now_or_never() {
                            if more.channel != "quiver_changes" {
                                inner.dispatch(&more.payload).await;
                            }
                        }
                    }
                    Some(Ok(n)) => {
                        inner.dispatch(&n.payload).await;
                        continue;
                    }
                },
                _ = tick.tick() => health_check = true,
            }
        }
        if health_check {
            // Prove the listening connection is alive; a dead one errors here.
            conn.batch_execute("SELECT 1").await?;
            inner.presence.sweep();
        }
        catch_up(inner).await?;
    }
}

impl Inner {
    /// Hands a `quiver_realtime` message (broadcast or presence) to local subscribers.
    async fn dispatch(&self, payload: &str) {
        match serde_json::from_str::<Wire>(payload) {
            Ok(Wire::Broadcast(m)) => {
                let _ = self.messages.send(Arc::new(m));
            }
            Ok(Wire::Presence(p)) => self.presence_wire(p).await,
            Err(e) => tracing::warn!(error = %e, "unreadable realtime message"),
        }
    }
}

/// Runs the listener, reconnecting with backoff until shutdown.
pub(super) fn spawn(inner: Arc<Inner>) {
    tokio::spawn(async move {
        let mut shutdown = inner.shutdown.subscribe();
        let mut backoff = Duration::from_millis(100);
        loop {
            match listen(&inner, &mut shutdown).await {
                Ok(()) => return,
                Err(e) => tracing::warn!(error = %e, retry_in = ?backoff, "realtime listener lost; reconnecting"),
            }
            tokio::select! {
                _ = shutdown.changed() => return,
                _ = tokio::time::sleep(backoff) => {}
            }
            backoff = (backoff * 2).min(Duration::from_secs(5));
        }
    });
}

/// Deletes changes older than the retention window (one instance at a time)
/// and records how far it pruned, so expired cursors are recognised.
pub(super) fn spawn_pruner(inner: Arc<Inner>) {
    tokio::spawn(async move {
        let mut shutdown = inner.shutdown.subscribe();
        let period = (inner.options.retention / 10).clamp(Duration::from_secs(1), Duration::from_secs(60));
        let mut tick = tokio::time::interval(period);
        loop {
            tokio::select! {
                _ = shutdown.changed() => return,
                _ = tick.tick() => {
                    if let Err(e) = prune(&inner).await {
                        tracing::warn!(error = %e, "outbox pruning failed");
                    }
                }
            }
        }
    });
}

async fn prune(inner: &Inner) -> Result<(), QuiverError> {
    let mut conn = inner.db.conn().await?;
    diesel::sql_query(
        "WITH lock AS (SELECT pg_try_advisory_xact_lock(8426915628) AS ok), \
         old AS (DELETE FROM quiver.commits c WHERE (SELECT ok FROM lock) AND c.seq IS NOT NULL \
                 AND c.committed_at < now() - make_interval(secs => $1) RETURNING c.txid, c.seq), \
         gone AS (DELETE FROM quiver.changes ch USING old WHERE ch.txid = old.txid RETURNING 1) \
         UPDATE quiver.outbox_state SET pruned_through = GREATEST(pruned_through, (SELECT coalesce(max(seq), 0) FROM old)) \
         WHERE (SELECT count(*) FROM gone) >= 0",
    )
    .bind::<diesel::sql_types::Double, _>(inner.options.retention.as_secs_f64())
    .execute(&mut conn)
    .await?;
    Ok(())
}
