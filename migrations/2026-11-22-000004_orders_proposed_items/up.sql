-- Proposed orders are edited live from several devices; every writer (Quiver,
-- psql, other services) must leave their items valid, so the database checks
-- them: order_items is a JSON array whose elements name a product of the same
-- tenant (`productId`) and a whole, positive `quantity`. A violation is a
-- check_violation on constraint `proposed_order_items_valid` (Quiver answers
-- BAD_USER_INPUT). An empty or NULL item list is allowed (a draft).
CREATE FUNCTION orders.check_proposed_order_items() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  item jsonb;
  n int := 0;
BEGIN
  IF NEW.order_items IS NULL THEN
    RETURN NEW;
  END IF;
  IF jsonb_typeof(NEW.order_items) <> 'array' THEN
    RAISE EXCEPTION 'order_items must be a JSON array'
      USING ERRCODE = 'check_violation', CONSTRAINT = 'proposed_order_items_valid';
  END IF;
  FOR item IN SELECT * FROM jsonb_array_elements(NEW.order_items) LOOP
    n := n + 1;
    IF jsonb_typeof(item) <> 'object'
       OR NOT (item ? 'productId')
       OR (item->>'productId') !~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' THEN
      RAISE EXCEPTION 'order_items[%]: productId must be a UUID', n
        USING ERRCODE = 'check_violation', CONSTRAINT = 'proposed_order_items_valid';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM orders.products p
                   WHERE p.id = (item->>'productId')::uuid AND p.tenant_id = NEW.tenant_id) THEN
      RAISE EXCEPTION 'order_items[%]: productId is not a product of this tenant', n
        USING ERRCODE = 'check_violation', CONSTRAINT = 'proposed_order_items_valid';
    END IF;
    IF jsonb_typeof(item->'quantity') IS DISTINCT FROM 'number'
       OR (item->>'quantity')::numeric <= 0
       OR (item->>'quantity')::numeric <> trunc((item->>'quantity')::numeric) THEN
      RAISE EXCEPTION 'order_items[%]: quantity must be a whole number above 0', n
        USING ERRCODE = 'check_violation', CONSTRAINT = 'proposed_order_items_valid';
    END IF;
  END LOOP;
  RETURN NEW;
END;
$$;

CREATE TRIGGER check_proposed_order_items
  BEFORE INSERT OR UPDATE OF order_items, tenant_id ON orders.proposed_orders
  FOR EACH ROW EXECUTE FUNCTION orders.check_proposed_order_items();

-- The version devices send back with every update: kept current on every
-- change, so two devices editing from the same version cannot both win.
-- (The seed's updated_at has no default; a new proposed order starts at its
-- creation time instead of NULL.)
CREATE FUNCTION orders.stamp_proposed_order_insert() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  NEW.updated_at := coalesce(NEW.updated_at, NEW.created_at, now());
  RETURN NEW;
END;
$$;

CREATE TRIGGER stamp_proposed_order_insert
  BEFORE INSERT ON orders.proposed_orders
  FOR EACH ROW EXECUTE FUNCTION orders.stamp_proposed_order_insert();
