-- proposed_orders.last_updated_by names the user who last changed a proposed
-- order. The database records it, from the signed-in user Quiver names on every
-- write transaction (`quiver.user_id`, see 2026-11-22-000005), so no client can
-- attribute its edit to someone else; the API offers the column read-only.
-- Writers that name no user (psql, other services, API keys acting for a whole
-- tenant) keep what they write. As for audit rows, a subject that is no UUID
-- is no orders user and leaves the column alone.
CREATE FUNCTION orders.record_last_updated_by() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  actor text := current_setting('quiver.user_id', true);
BEGIN
  IF actor ~* '^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$' THEN
    NEW.last_updated_by := actor::uuid;
  END IF;
  RETURN NEW;
END;
$$;

CREATE TRIGGER proposed_orders_last_updated_by
  BEFORE INSERT OR UPDATE ON orders.proposed_orders
  FOR EACH ROW EXECUTE FUNCTION orders.record_last_updated_by();
