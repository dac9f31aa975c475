-- Quiver now sets `quiver.user_id` on every write transaction to the signed-in
-- user's id (the token's `sub`). Tokens of other issuers may carry a `sub`
-- that is no UUID; such a caller is no orders user, and the audit row records
-- changed_by NULL instead of failing the write on the cast.
CREATE OR REPLACE FUNCTION orders.audit_row() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  -- TG_ARGV is NULL (not empty) when the trigger names no secret column.
  secrets text[] := coalesce(TG_ARGV, '{}');
  actor text := current_setting('quiver.user_id', true);
BEGIN
  INSERT INTO orders.audit_logs (table_name, action, old_data, new_data, changed_by)
  VALUES (
    TG_TABLE_NAME,
    TG_OP,
    CASE WHEN TG_OP <> 'INSERT' THEN to_jsonb(OLD) - secrets END,
    CASE WHEN TG_OP <> 'DELETE' THEN to_jsonb(NEW) - secrets END,
    CASE WHEN actor ~* '^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$' THEN actor::uuid END
  );
  RETURN NULL;
END;
$$;
