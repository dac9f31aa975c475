//! Integration tests: every test runs against a real PostgreSQL (its own
//! database, copied from a migrated template) and, where it exercises the API,
//! a real Quiver server spoken to over HTTP.

mod auth;
mod batching;
mod bootstrap;
mod catalog;
mod common;
mod direct;
mod errors;
mod http_edge;
mod mutations;
mod orders_catalog;
mod orders_domain;
mod orders_tenancy;
mod queries;
mod realtime;
mod realtime_exact;
mod realtime_soak;
mod sdl;
mod smoke;
