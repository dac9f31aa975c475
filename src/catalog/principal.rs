//! The principal: who a request acts for, as every rule sees it, and which
//! of a table's rules applies ([`Mode`]). Credentials are turned into a
//! principal by [`crate::auth`]; rules are compiled against it by [`crate::sql`].

use std::collections::BTreeMap;
use std::net::IpAddr;

use super::Table;

/// Which rule of a table applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Reading rows.
    Read,
    /// Creating, changing or deleting rows.
    Write,
}

/// What an API key's permissions grant on one resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Grant {
    /// Reading rows.
    pub read: bool,
    /// Writing rows.
    pub write: bool,
}

impl Grant {
    /// Reads a permission value: `["read", "write"]`, `true`/`false`, or `{"read": true, "write": false}`.
    pub fn parse(v: &serde_json::Value) -> Grant {
        use serde_json::Value as J;
        match v {
            J::Bool(b) => Grant { read: *b, write: *b },
            J::Array(items) => Grant { read: items.iter().any(|i| i == "read" || i == "write"), write: items.iter().any(|i| i == "write") },
            J::Object(o) => {
                let write = o.get("write") == Some(&J::Bool(true));
                Grant { read: write || o.get("read") == Some(&J::Bool(true)), write }
            }
            _ => Grant::default(),
        }
    }
}

/// Per-resource grants of an API key (`None` on a principal: no restriction).
pub type Grants = BTreeMap<String, Grant>;

/// Parses a permissions column: an object of resource → grant. Anything else grants nothing.
pub fn parse_grants(v: &serde_json::Value) -> Grants {
    match v {
        serde_json::Value::Object(o) => o.iter().map(|(k, g)| (k.clone(), Grant::parse(g))).collect(),
        _ => Grants::new(),
    }
}

/// The caller's role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    /// No credentials (or Supabase's anon key).
    Anon,
    /// A signed-in user, or an API key acting for a user or tenant.
    Authenticated,
    /// Back-office and tests: passes every row rule.
    Service,
}

/// Who a request acts for.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Principal {
    /// The role.
    pub role: Role,
    /// The user id (`sub`), when acting for a user.
    pub user_id: Option<String>,
    /// The email claim, if any.
    pub email: Option<String>,
    /// The caller's tenant (apps with tenants), resolved per request.
    pub tenant: Option<String>,
    /// App roles the caller holds (e.g. `admin`), resolved per request.
    pub app_roles: Vec<String>,
    /// API-key permissions: only the named resources, read or written as granted.
    pub grants: Option<Grants>,
    /// When the credentials expire (seconds since the epoch), if they do.
    pub expires_at: Option<u64>,
    /// The client's address, as the edge determined it.
    pub client_ip: Option<IpAddr>,
    /// The caller asked for soft-deleted rows (`includeDeleted: true` on the
    /// list being read): what [`crate::catalog::Rule::AskedForDeleted`] tests.
    pub include_deleted: bool,
}

impl Principal {
    /// This caller, asking for soft-deleted rows when `asked` (borrowed as it is otherwise).
    pub fn asking_for_deleted(&self, asked: bool) -> std::borrow::Cow<'_, Principal> {
        if asked == self.include_deleted {
            std::borrow::Cow::Borrowed(self)
        } else {
            std::borrow::Cow::Owned(Principal { include_deleted: asked, ..self.clone() })
        }
    }

    /// An anonymous caller.
    pub fn anon() -> Principal {
        Principal {
            role: Role::Anon,
            user_id: None,
            email: None,
            tenant: None,
            app_roles: Vec::new(),
            grants: None,
            expires_at: None,
            client_ip: None,
            include_deleted: false,
        }
    }

    /// The service role (internal work, back-office).
    pub fn service() -> Principal {
        Principal { role: Role::Service, ..Principal::anon() }
    }

    /// A signed-in user.
    pub fn user(id: impl Into<String>) -> Principal {
        Principal { role: Role::Authenticated, user_id: Some(id.into()), ..Principal::anon() }
    }

    /// Whether row rules are skipped.
    pub fn is_service(&self) -> bool {
        self.role == Role::Service
    }

    /// Whether API-key permissions (if any) allow `mode` on `table` at all;
    /// row rules apply on top.
    pub fn may(&self, table: &Table, mode: Mode) -> bool {
        match &self.grants {
            None => true,
            Some(g) => g.get(table.scope_name()).is_some_and(|g| match mode {
                Mode::Read => g.read,
                Mode::Write => g.write,
            }),
        }
    }

    /// Whether the credentials have expired by now (a WebSocket connection
    /// outlives the token it was opened with).
    pub fn has_expired(&self) -> bool {
        self.expires_at.is_some_and(|at| at <= unix_now())
    }

    /// Whether the caller holds an app role.
    pub fn has_app_role(&self, role: &str) -> bool {
        self.app_roles.iter().any(|r| r.eq_ignore_ascii_case(role))
    }
}

/// Seconds since the Unix epoch.
pub fn unix_now() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0)
}
