-- quiver.set_updated_at() keeps any column current, not only `updated_at`:
-- apps whose columns are camelCase (Prisma's `updatedAt`) name it as the
-- trigger's argument:
--   CREATE TRIGGER set_updated_at BEFORE UPDATE ON <schema>.<table>
--     FOR EACH ROW EXECUTE FUNCTION quiver.set_updated_at('updatedAt');
-- Without an argument it sets `updated_at`, as before. `quiver structure`
-- reads the argument and declares that column kept by the database.
CREATE OR REPLACE FUNCTION quiver.set_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_NARGS = 0 THEN
    NEW.updated_at := now();
  ELSE
    NEW := jsonb_populate_record(NEW, jsonb_build_object(TG_ARGV[0], now()));
  END IF;
  RETURN NEW;
END;
$$;
