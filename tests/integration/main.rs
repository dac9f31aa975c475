//! Integration tests: every test runs against a real PostgreSQL (its own
//! database, copied from a migrated template) and, where it exercises the API,
//! a real Quiver server spoken to over HTTP.

mod auth;
mod batching;
mod bootstrap;
mod cli_help;
mod common;
mod conformance;
mod course;
mod demo_users;
mod direct;
mod errors;
mod existing_db;
mod fuzz;
mod http_edge;
mod js_clients;
mod layers;
mod metrics;
mod mutations;
mod orders_demo;
mod orders_domain;
mod orders_tenancy;
mod over_http;
mod platform;
mod queries;
mod realtime;
mod realtime_exact;
mod realtime_soak;
mod reports;
mod revocation;
mod rules_sql;
mod sdl;
mod security;
mod smoke;
mod structure;
mod supabase;
mod supabase_realtime;
mod topics;
mod write_oracles;
