DROP TABLE IF EXISTS quiver.changes, quiver.commits, quiver.outbox_state;
DROP SEQUENCE IF EXISTS quiver.commit_seq;
DROP FUNCTION IF EXISTS quiver.capture_change(), quiver.stamp_commit();
