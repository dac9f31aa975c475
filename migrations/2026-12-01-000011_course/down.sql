-- Drops every course object at once.
DROP SCHEMA IF EXISTS course CASCADE;
