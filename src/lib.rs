//! Quiver: typed GraphQL APIs with realtime subscriptions over PostgreSQL.
//!
//! Layout:
//! - [`auth`]: credentials (JWTs, API keys) and secret columns;
//! - [`catalog`]: the declaration vocabulary tables are described in;
//! - [`apps`]: each app's table declarations (one module per app);
//! - [`sql`]: SQL generation from declarations;
//! - [`db`]: pool, migrations, the private PostgreSQL cluster;
//! - [`graphql`]: schema building, resolvers, batched loaders;
//! - [`http`]: the axum edge;
//! - [`realtime`]: change capture, the listener and fan-out, broadcast, presence;
//! - [`server`]: wiring it together; [`config`]: flags and environment;
//! - [`error`]: the error type and its GraphQL codes; [`metrics`]: the
//!   counters and histograms of `/metrics`.

pub mod apps;
pub mod auth;
pub mod catalog;
pub mod config;
pub mod db;
pub mod error;
pub mod graphql;
pub mod http;
pub mod metrics;
pub mod realtime;
pub mod server;
pub mod sql;
