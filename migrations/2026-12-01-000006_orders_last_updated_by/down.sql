DROP TRIGGER IF EXISTS proposed_orders_last_updated_by ON orders.proposed_orders;
DROP FUNCTION IF EXISTS orders.record_last_updated_by();
