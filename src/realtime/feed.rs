//! The listening connection and the outbox reader behind it, plus retention.

use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use diesel::sql_types::{Array, BigInt, Nullable, Text};
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

/// The position after every change committed so far (at least as far as
/// retention has pruned, for an outbox pruned empty).
pub(super) async fn current_position(inner: &Inner) -> Result<Cursor, QuiverError> {
    let mut conn = inner.db.conn().await?;
    let p: Position = diesel::sql_query(
        "SELECT greatest(coalesce((SELECT max(seq) FROM quiver.commits), 0), \
                         (SELECT pruned_through FROM quiver.outbox_state)) AS seq",
    )
    .get_result(&mut conn)
    .await?;
    Ok(Cursor { seq: p.seq, id: i64::MAX })
}

/// Which changes an outbox read selects, decided in SQL: the apps, and
/// optionally one table, some operations and column equalities (each must hold
/// on the new or the old row image, as text).
pub(super) struct Scope {
    /// PostgreSQL schemas of the apps (the outbox's `app` column).
    pub apps: Vec<String>,
    /// Declared table name.
    pub table: Option<String>,
    /// `TG_OP` values.
    pub ops: Vec<String>,
    /// (column name, text value) pairs.
    pub equals: Vec<(String, String)>,
}

/// One bounded read of the outbox.
pub(super) struct Page {
    /// The selected changes, in commit order.
    pub rows: Vec<ChangeRow>,
    /// Where the next read starts: past the last returned change, or past
    /// every commit scanned when none of them had a selected change.
    pub next: Cursor,
    /// Whether the read reached the end of everything committed at its snapshot.
    pub at_end: bool,
}

/// Whether a position is before what retention has pruned: some change after
/// it may be gone. `id == i64::MAX` stands for "after the whole commit".
pub(super) fn expired(after: Cursor, pruned_through: i64) -> bool {
    pruned_through > after.seq || (pruned_through > 0 && pruned_through == after.seq && after.id != i64::MAX)
}

/// Reads the changes selected by `scope` after `after`, in commit order,
/// scanning at most `commits` commits and returning at most `rows` changes.
///
/// Paging is by commits scanned, not by rows returned: commits of other apps
/// or tables advance the position even though they yield nothing, so a
/// reader never mistakes a window of foreign commits for the end. How far
/// retention has pruned is read in the same statement (one snapshot): a prune
/// between two reads can never leave a silent gap, the read fails with
/// `CURSOR_EXPIRED` instead.
pub(super) async fn read(inner: &Inner, after: Cursor, scope: &Scope, commits: i64, rows: i64) -> Result<Page, QuiverError> {
    // The first commit to look at, and the change id after which it counts.
    let (start_seq, start_id) = if after.id == i64::MAX { (after.seq.saturating_add(1), 0) } else { (after.seq, after.id) };
    let (columns, values): (Vec<String>, Vec<String>) = scope.equals.iter().cloned().unzip();
    let mut conn = inner.db.conn().await?;
    inner.db.stats.outbox_reads.fetch_add(1, Ordering::Relaxed);
    // Commits first (a range scan of the seq index, bounded), then each
    // commit's selected changes by (txid, id); a last marker row (op '')
    // carries the scanned window (seq = its last commit, id = its size) and
    // `pruned_through` (in new_row).
    let mut all: Vec<ChangeRow> = diesel::sql_query(
        "WITH c AS MATERIALIZED (SELECT txid, seq, committed_at FROM quiver.commits WHERE seq >= $1 ORDER BY seq LIMIT $4), \
         r AS (SELECT c.seq, ch.id, \
                      to_char(c.committed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"') AS committed_at, \
                      ch.app, ch.table_name, ch.op, ch.new_row::text AS new_row, ch.old_row::text AS old_row, ch.txid::text AS txid \
               FROM c CROSS JOIN LATERAL ( \
                 SELECT * FROM quiver.changes x WHERE x.txid = c.txid AND (c.seq > $1 OR x.id > $2) \
                   AND x.app = ANY($3) AND ($6::text IS NULL OR x.table_name = $6) AND x.op = ANY($7) \
                   AND NOT EXISTS (SELECT 1 FROM unnest($8::text[], $9::text[]) f(col, val) \
                                   WHERE (x.new_row ->> f.col) IS DISTINCT FROM f.val AND (x.old_row ->> f.col) IS DISTINCT FROM f.val) \
                 ORDER BY x.id) ch \
               ORDER BY c.seq, ch.id LIMIT $5) \
         SELECT * FROM r \
         UNION ALL \
         SELECT coalesce((SELECT max(seq) FROM c), 0), (SELECT count(*) FROM c), '', '', '', '', \
                (SELECT pruned_through FROM quiver.outbox_state)::text, NULL, ''",
    )
    .bind::<BigInt, _>(start_seq)
    .bind::<BigInt, _>(start_id)
    .bind::<Array<Text>, _>(scope.apps.clone())
    .bind::<BigInt, _>(commits)
    .bind::<BigInt, _>(rows)
    .bind::<Nullable<Text>, _>(scope.table.clone())
    .bind::<Array<Text>, _>(scope.ops.clone())
    .bind::<Array<Text>, _>(columns)
    .bind::<Array<Text>, _>(values)
    .load(&mut conn)
    .await?;
    let marker = all.iter().position(|r| r.op.is_empty()).ok_or_else(|| QuiverError::Internal("outbox read without its marker".into()))?;
    let marker = all.swap_remove(marker);
    let pruned: i64 = marker.new_row.as_deref().and_then(|p| p.parse().ok()).unwrap_or(0);
    if expired(after, pruned) {
        return Err(QuiverError::CursorExpired);
    }
    all.sort_unstable_by_key(|r| (r.seq, r.id));
    let (last_scanned, scanned) = (marker.seq, marker.id);
    let next = if all.len() as i64 >= rows {
        let last = all.last().expect("rows > 0");
        Cursor { seq: last.seq, id: last.id }
    } else if scanned > 0 {
        Cursor { seq: last_scanned, id: i64::MAX }
    } else {
        after
    };
    Ok(Page { at_end: (all.len() as i64) < rows && scanned < commits, rows: all, next })
}

/// Publishes every change after the last published one, one bounded read at
/// a time, until a read reaches the end. Returns `CURSOR_EXPIRED` when
/// retention pruned changes the feed never published (it was disconnected
/// for longer than the retention window).
async fn catch_up(inner: &Inner) -> Result<(), QuiverError> {
    let scope = Scope {
        apps: inner.models.values().map(|m| m.app.schema.to_string()).collect(),
        table: None,
        ops: vec!["INSERT".into(), "UPDATE".into(), "DELETE".into()],
        equals: Vec::new(),
    };
    loop {
        let after = *inner.published.lock().expect("cursor lock");
        let page = read(inner, after, &scope, BATCH, BATCH).await?;
        let changes: Vec<_> = page.rows.into_iter().filter_map(|r| inner.decode(r)).collect();
        {
            let mut registry = inner.registry.lock().expect("registry lock");
            for change in &changes {
                registry.dispatch(change);
            }
        }
        *inner.published.lock().expect("cursor lock") = page.next;
        if page.at_end {
            return Ok(());
        }
    }
}

/// Catches up; when the feed's own position has expired, every live
/// subscriber may have missed changes: they are ended with `CURSOR_EXPIRED`
/// (so they resume and learn it) and the feed starts over from now.
async fn catch_up_or_expire(inner: &Inner) -> Result<(), QuiverError> {
    match catch_up(inner).await {
        Err(QuiverError::CursorExpired) => {
            tracing::warn!("the realtime feed fell behind the retention window; live subscriptions end with CURSOR_EXPIRED");
            let now = current_position(inner).await?;
            inner.registry.lock().expect("registry lock").expire_all();
            *inner.published.lock().expect("cursor lock") = now;
            Ok(())
        }
        other => other,
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
    let mut conn = AsyncPgConnection::establish(&listener_url(&inner.url)).await.map_err(|e| QuiverError::Unavailable(e.to_string()))?;
    conn.batch_execute("LISTEN quiver_changes; LISTEN quiver_realtime").await?;
    // Listening before reading: nothing committed from here on can be missed.
    catch_up_or_expire(inner).await?;
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
        catch_up_or_expire(inner).await?;
    }
}

impl Inner {
    /// Hands a `quiver_realtime` message (broadcast or presence) to local subscribers.
    async fn dispatch(&self, payload: &str) {
        match serde_json::from_str::<Wire>(payload) {
            Ok(Wire::Broadcast(m)) => {
                let (app, topic) = (m.app.clone(), m.topic.clone());
                self.messages.send(&app, &topic, Arc::new(m));
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
                Err(e) => {
                    inner.db.metrics.listener_reconnects.fetch_add(1, Ordering::Relaxed);
                    tracing::warn!(error = %e, retry_in = ?backoff, "realtime listener lost; reconnecting")
                }
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
