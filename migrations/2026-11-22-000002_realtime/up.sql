-- Change capture for realtime subscriptions: PostgreSQL itself records every
-- row change, so writes from psql or any other service reach subscribers
-- exactly like writes made through Quiver, and every Quiver instance sees all.
--
-- Ordering. A bigserial assigned while a row changes is not commit order:
-- concurrent transactions commit out of id order, and a reader that only asks
-- for `id > last` can skip a row for good. So each writing transaction gets
-- its commit sequence number at commit time instead: a deferred constraint
-- trigger takes a transaction-level advisory lock, draws `quiver.commit_seq`
-- and notifies. The lock is held until the transaction has committed, so when
-- sequence N+1 is visible, the transaction that drew N has finished: readers
-- asking for `seq > last` never skip, and gaps (rolled-back draws) are final.
-- The cost is that the commit step of writing transactions is serialised.
--
-- Rows of any size arrive whole: the notification only carries the sequence
-- number; listeners read the rows from `quiver.changes`.

-- One row per writing transaction; `seq` is set at commit.
CREATE TABLE quiver.commits (
  txid         xid8 PRIMARY KEY,
  seq          bigint UNIQUE,
  committed_at timestamptz
);

-- One row per changed row, in statement order within its transaction.
CREATE TABLE quiver.changes (
  id         bigserial PRIMARY KEY,
  txid       xid8 NOT NULL,
  app        text NOT NULL,
  table_name text NOT NULL,
  op         text NOT NULL CHECK (op IN ('INSERT', 'UPDATE', 'DELETE')),
  new_row    jsonb,
  old_row    jsonb
);
CREATE INDEX changes_txid ON quiver.changes (txid, id);

-- How far retention has pruned: cursors at or below it have expired.
CREATE TABLE quiver.outbox_state (
  only_row        boolean PRIMARY KEY DEFAULT true CHECK (only_row),
  pruned_through  bigint NOT NULL DEFAULT 0
);
INSERT INTO quiver.outbox_state DEFAULT VALUES;

CREATE SEQUENCE quiver.commit_seq;

-- Row trigger attached by Quiver to every declared table:
--   quiver.capture_change('<table>', '<secret column>', ...)
-- The first argument is the declared table name (partitions report their own
-- name in TG_TABLE_NAME); the rest are columns never written to the outbox.
CREATE FUNCTION quiver.capture_change() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  secrets text[] := TG_ARGV[1:];
BEGIN
  INSERT INTO quiver.commits (txid) VALUES (pg_current_xact_id()) ON CONFLICT DO NOTHING;
  INSERT INTO quiver.changes (txid, app, table_name, op, new_row, old_row)
  VALUES (
    pg_current_xact_id(), TG_TABLE_SCHEMA, TG_ARGV[0], TG_OP,
    CASE WHEN TG_OP <> 'DELETE' THEN to_jsonb(NEW) - secrets END,
    CASE WHEN TG_OP <> 'INSERT' THEN to_jsonb(OLD) - secrets END
  );
  RETURN NULL;
END;
$$;

-- Deferred to commit: stamps the commit order (see above) and wakes listeners.
CREATE FUNCTION quiver.stamp_commit() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  n bigint;
BEGIN
  PERFORM pg_advisory_xact_lock(8426915627);
  n := nextval('quiver.commit_seq');
  UPDATE quiver.commits SET seq = n, committed_at = clock_timestamp() WHERE txid = NEW.txid;
  PERFORM pg_notify('quiver_changes', n::text);
  RETURN NULL;
END;
$$;

CREATE CONSTRAINT TRIGGER stamp_commit AFTER INSERT ON quiver.commits
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION quiver.stamp_commit();
