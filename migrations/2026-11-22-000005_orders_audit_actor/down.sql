CREATE OR REPLACE FUNCTION orders.audit_row() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  secrets text[] := coalesce(TG_ARGV, '{}');
BEGIN
  INSERT INTO orders.audit_logs (table_name, action, old_data, new_data, changed_by)
  VALUES (
    TG_TABLE_NAME,
    TG_OP,
    CASE WHEN TG_OP <> 'INSERT' THEN to_jsonb(OLD) - secrets END,
    CASE WHEN TG_OP <> 'DELETE' THEN to_jsonb(NEW) - secrets END,
    NULLIF(current_setting('quiver.user_id', true), '')::uuid
  );
  RETURN NULL;
END;
$$;
