DROP TRIGGER IF EXISTS check_proposed_order_items ON orders.proposed_orders;
DROP TRIGGER IF EXISTS stamp_proposed_order_insert ON orders.proposed_orders;
DROP FUNCTION IF EXISTS orders.check_proposed_order_items(), orders.stamp_proposed_order_insert();
