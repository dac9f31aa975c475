-- Drops every platform object (tables, enum types, indexes, triggers) at once.
DROP SCHEMA IF EXISTS platform CASCADE;
