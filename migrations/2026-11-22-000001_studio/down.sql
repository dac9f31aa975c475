-- Drops every studio object (tables, partitions, indexes, triggers) at once.
DROP SCHEMA IF EXISTS studio CASCADE;
