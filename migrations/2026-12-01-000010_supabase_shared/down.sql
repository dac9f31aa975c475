-- Drops the Supabase schemas only where this migration created them (they
-- carry the comment 'created by quiver'); a real Supabase database's schemas
-- are never touched.
DO $guard$
BEGIN
  IF obj_description('auth'::regnamespace, 'pg_namespace') IS NOT DISTINCT FROM 'created by quiver' THEN
    DROP SCHEMA supabase_migrations, vault, realtime, storage, auth CASCADE;
  END IF;
EXCEPTION WHEN invalid_schema_name THEN
  NULL; -- no auth schema: nothing of ours
END
$guard$;
