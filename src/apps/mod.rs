//! The apps Quiver serves, and the interface an app plugs in through.
//!
//! An app is one value, an [`AppDef`]: its declarations (tables on their
//! generated structure, domain subscriptions, API keys), its domain
//! mutations, how it completes a principal (the orders tenancy), and its demo
//! data. Registering an app is one line in [`APPS`]; shared code never looks
//! at an app's name.
//!
//! This module sits above every layer it plugs into (GraphQL, auth, the
//! database): those layers define the hook types, and apps fill them in.

pub mod course;
pub mod orders;
pub mod platform;
pub mod reports;
pub mod studio;

use std::sync::OnceLock;

use crate::auth::ResolvePrincipal;
use crate::catalog::{App, AppDecl};
use crate::db::demo::DemoData;
use crate::error::QuiverError;
use crate::graphql::DomainMutation;

/// Every app, in the order they are served and listed.
pub static APPS: &[&AppDef] = &[&studio::APP, &orders::APP, &platform::APP, &reports::APP, &course::APP];

/// One app: what it declares and what it adds.
pub struct AppDef {
    /// Tables, watches and API keys.
    pub decl: &'static AppDecl,
    /// Mutations beyond the generated ones.
    pub mutations: &'static [DomainMutation],
    /// Completes a principal with what the app keys access on, and may refuse it.
    pub principal: Option<ResolvePrincipal>,
    /// Its demo data set.
    pub demo: Option<DemoData>,
    built: OnceLock<Result<&'static App, String>>,
}

impl AppDef {
    /// An app: its declarations, domain mutations, principal resolution and demo data.
    pub const fn new(
        decl: &'static AppDecl,
        mutations: &'static [DomainMutation],
        principal: Option<ResolvePrincipal>,
        demo: Option<DemoData>,
    ) -> AppDef {
        AppDef { decl, mutations, principal, demo, built: OnceLock::new() }
    }

    /// The app's name (URL segment, and its PostgreSQL schema by default).
    pub fn name(&self) -> &'static str {
        self.decl.name
    }

    /// The app as served: its declarations merged with their structure and
    /// checked, once per process. Every problem is listed, one per line.
    pub fn build(&'static self) -> Result<&'static App, QuiverError> {
        self.built
            .get_or_init(|| self.decl.build().map_err(|p| p.join("\n")))
            .clone()
            .map_err(|p| QuiverError::Internal(format!("invalid declarations:\n{p}")))
    }

    /// The built app; declarations are checked by a test, so a failure here
    /// is a programming error.
    pub fn app(&'static self) -> &'static App {
        match self.build() {
            Ok(app) => app,
            Err(e) => panic!("{e}"),
        }
    }

    /// The app's GraphQL schema as SDL.
    pub fn sdl(&'static self) -> Result<String, QuiverError> {
        crate::graphql::sdl(self.build()?, self.mutations)
    }
}

/// Finds an app by name.
pub fn find(name: &str) -> Option<&'static AppDef> {
    APPS.iter().copied().find(|a| a.decl.name == name)
}

/// The apps named in `names` (all when empty), or an error naming the unknown one.
pub fn select(names: &[String]) -> Result<Vec<&'static AppDef>, QuiverError> {
    if names.is_empty() {
        return Ok(APPS.to_vec());
    }
    names
        .iter()
        .map(|n| {
            find(n.trim()).ok_or_else(|| {
                let known: Vec<_> = APPS.iter().map(|a| a.decl.name).collect();
                QuiverError::BadInput(format!("unknown app {n}; known apps: {}", known.join(", ")))
            })
        })
        .collect()
}
