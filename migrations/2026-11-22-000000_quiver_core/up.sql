-- Quiver's own objects, shared by every app schema.
CREATE SCHEMA IF NOT EXISTS quiver;

-- Keeps an `updated_at` column current on every UPDATE. Apps attach it with
--   CREATE TRIGGER set_updated_at BEFORE UPDATE ON <schema>.<table>
--     FOR EACH ROW EXECUTE FUNCTION quiver.set_updated_at();
CREATE FUNCTION quiver.set_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  NEW.updated_at := now();
  RETURN NEW;
END;
$$;
