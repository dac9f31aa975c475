//! The apps Quiver serves. Each is one PostgreSQL schema (created by its
//! migration under `migrations/`) and one GraphQL schema at `/graphql/<app>`,
//! declared in its own module.

pub mod studio;

use crate::catalog::App;

/// Every app, in the order they are served and listed.
pub static APPS: &[&App] = &[&studio::APP];

/// Finds an app by name.
pub fn find(name: &str) -> Option<&'static App> {
    APPS.iter().copied().find(|a| a.name == name)
}

/// Size parameters of a seed script: (placeholder, value) pairs.
pub type SeedSizes = &'static [(&'static str, u32)];

/// Demo data for an app: one SQL script with `{{name}}` integer placeholders,
/// the default sizes, and the benchmark sizes.
pub fn seed_script(name: &str) -> Option<(&'static str, SeedSizes, SeedSizes)> {
    match name {
        "studio" => Some((include_str!("studio/seed.sql"), studio::SEED_DEFAULTS, studio::SEED_BENCH)),
        _ => None,
    }
}
