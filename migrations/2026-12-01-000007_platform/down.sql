-- Drops every platform object (tables, enum types, indexes, triggers) at once,
-- then the camelCase updatedAt function this migration added.
DROP SCHEMA IF EXISTS platform CASCADE;
DROP FUNCTION IF EXISTS quiver.set_updated_at_camel();
