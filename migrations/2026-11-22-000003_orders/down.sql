-- Drops every orders object (tables, enum types, functions, triggers, indexes) at once.
DROP SCHEMA IF EXISTS orders CASCADE;
