//! Integration tests: every test runs against a real PostgreSQL (its own
//! database, copied from a migrated template) and, where it exercises the API,
//! a real Quiver server spoken to over HTTP.

mod auth;
mod batching;
mod bootstrap;
mod common;
mod conformance;
mod direct;
mod errors;
mod http_edge;
mod layers;
mod mutations;
mod orders_demo;
mod orders_domain;
mod orders_tenancy;
mod platform;
mod queries;
mod realtime;
mod rules_sql;
mod sdl;
mod structure;
mod smoke;
