-- Drops every reports object at once.
DROP SCHEMA IF EXISTS reports CASCADE;
