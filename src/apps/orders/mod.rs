//! The `orders` app (seed 004): a multi-tenant call-centre ordering system —
//! tenants with their users, role assignments and agents, customers, a product
//! catalogue with specials, call logs, orders with items, and the proposed
//! order that several devices build together during a call (followed live
//! through the `proposedOrder(callId)` subscription).
//!
//! Columns are exactly the seed's, in seed order (see the migration
//! `2026-11-22-000003_orders` for the defaults the seed leaves blank). The
//! foreign keys are the ones the `*_id` names imply; the seed declares none.
//! Not foreign keys: `messages.user_id` (text, while `users.id` is a uuid),
//! `proposed_orders.last_updated_by` and `audit_logs.changed_by`.
//!
//! Secret (write-only) columns: `users.password_hash` and `api_keys.key`,
//! both stored as argon2id hashes of what is written. An API key is presented
//! as `<api_keys.id>.<secret>` and acts for its tenant.
//!
//! Row rules: every table with a `tenant_id` belongs to that tenant, and only
//! its users see or touch it (the tenant comes from the signed-in user, see
//! [`tenancy`]); user roles, the IP allow-list and API keys are managed by
//! tenant admins; the audit trail is read by tenant admins and the service. Every table with a `tenant_id` is audited into `audit_logs` by a
//! trigger, leaving the secrets out; `audit_logs` itself only accepts rows
//! from that trigger, so its generated mutations are refused (BAD_USER_INPUT).
//!
//! `user_roles` is not declared as a many-to-many link: besides its two keys
//! it carries `tenant_id` and `is_active`, and a `User.roles` that listed
//! deactivated assignments would mislead; clients read
//! `User.userRoles { isActive role { … } }`.
//!
//! The seed's eight PostgreSQL enum types are created by the migration but no
//! seed column uses one (`orders.status` and `proposed_orders.status` are
//! text), so no column here is a `PgEnum`.

pub mod domain;
#[rustfmt::skip]
pub mod structure;
pub mod tenancy;

use super::AppDef;
use crate::catalog::{fixed, hashed, service_writes, topic, writable_when, ActsAs, ApiKeys, AppDecl, Rel, Rule::*, TableDecl, Watch};
use crate::db::demo::{DemoData, DemoUser};
use crate::graphql::DomainMutation;

/// The orders app, as registered in [`super::APPS`].
pub static APP: AppDef = AppDef::new(
    &DECL,
    &[DomainMutation { name: "acceptProposedOrder", field: domain::accept_proposed_order }],
    Some(tenancy::resolver),
    Some(DemoData {
        script: include_str!("seed.sql"),
        defaults: SEED_DEFAULTS,
        bench: SEED_BENCH,
        guard_table: "tenants",
        users: DEMO_USERS,
    }),
);

/// Users of the default demo data to sign in as: tenant 1 has an admin, a
/// manager, an agent and an agent who is also a viewer; tenant 2's admin sees
/// none of tenant 1. Ids are `md5('user-<tenant>-<n>')::uuid`.
pub const DEMO_USERS: &[DemoUser] = &[
    DemoUser {
        name: "t1-admin",
        sub: "41736019-9537-d1fc-6d33-1305cf4d6d14",
        about: "tenant 1's admin: every tenant 1 row, its users, roles, allow-list, API keys and audit trail",
    },
    DemoUser {
        name: "t1-manager",
        sub: "e6f76e1a-2ecf-4676-cbed-98130d36d9d8",
        about: "tenant 1's manager: tenant 1's customers, products, orders and calls; no administration",
    },
    DemoUser {
        name: "t1-agent",
        sub: "2c12392f-34dc-d18d-2ace-007330c7f2e5",
        about: "a tenant 1 call-centre agent: tenant 1's customers, calls and proposed orders",
    },
    DemoUser {
        name: "t1-viewer",
        sub: "4642658d-8864-d128-289c-e2d5ca608764",
        about: "a tenant 1 agent who is also a viewer: as t1-agent",
    },
    DemoUser {
        name: "t2-admin",
        sub: "d700abf6-ea9c-ef2f-655a-98ac1a560097",
        about: "tenant 2's admin: tenant 2 only; tenant 1 does not exist for them",
    },
];

/// The orders app's declarations: its tables, in dependency order.
pub const DECL: AppDecl = AppDecl {
    name: "orders",
    tables: &[
        TENANTS,
        INDUSTRIES,
        ROLES,
        USERS,
        USER_ROLES,
        USER_PREFERENCES,
        AGENTS,
        PRODUCT_CATEGORIES,
        PRODUCT_TYPES,
        PRODUCTS,
        PRODUCT_SPECIALS,
        CUSTOMERS,
        CUSTOMER_PREFERENCES,
        ORDERS,
        ORDER_ITEMS,
        CALL_LOGS,
        PROPOSED_ORDERS,
        PROPOSED_ORDERS_DATA,
        MESSAGES,
        ACCESS_PHONES,
        IP_ALLOWLIST,
        API_KEYS,
        AUDIT_LOGS,
    ],
    structure: structure::ALL,
    include: &[],
    watches: &[Watch {
        field: "proposedOrder",
        table: "proposed_orders",
        column: "call_id",
        events: &["INSERT", "UPDATE", "DELETE"],
        until: None,
        description: "Every change of the proposed order being built on a call.",
    }],
    api_keys: Some(ApiKeys {
        table: "api_keys",
        lookup: "id",
        secret: "key",
        active: "is_active",
        expires: Some("expires_at"),
        acts_as: ActsAs::Tenant("tenant_id"),
        permissions: Some("permissions"),
    }),
    // A tenant's users and API keys share their tenant's topic.
    topics: &[topic("tenant", "tenants")],
};

/// Organisations using the system.
pub const TENANTS: TableDecl = TableDecl::new(&structure::TENANTS)
    .rules(Tenant("id"), AllOf(&[Tenant("id"), AppRole("admin")]))
    .describe("Contains tenant/organization information for multi-tenant setup");

/// Industries customers work in (shared by all tenants).
pub const INDUSTRIES: TableDecl = TableDecl::new(&structure::INDUSTRIES)
    .columns(&[service_writes("is_active")])
    .rules(SignedIn, ServiceOnly)
    .describe("Industries customers work in, shared by all tenants.");

/// Roles with their permissions (shared by all tenants; assigned per tenant).
pub const ROLES: TableDecl = TableDecl::new(&structure::ROLES)
    .rules(SignedIn, ServiceOnly)
    .describe("Roles and their permissions, shared by all tenants and assigned per tenant.");

/// User accounts of a tenant (the password hash is write-only).
pub const USERS: TableDecl = TableDecl::new(&structure::USERS)
    .secrets(&[hashed("password_hash", "password")])
    .columns(&[fixed("tenant_id"), writable_when("is_active", AppRole("admin")), service_writes("last_login")])
    .rules(Tenant("tenant_id"), AllOf(&[Tenant("tenant_id"), AnyOf(&[AppRole("admin"), Owner("id")])]))
    .describe("User authentication and identification information across tenants");

/// Role assignments of users, per tenant.
pub const USER_ROLES: TableDecl = TableDecl::new(&structure::USER_ROLES)
    .rules(Tenant("tenant_id"), AllOf(&[Tenant("tenant_id"), AppRole("admin")]))
    .describe("Role assignments for users across tenants");

/// A user's personal, business and ordering preferences.
pub const USER_PREFERENCES: TableDecl = TableDecl::new(&structure::USER_PREFERENCES)
    .relations(&[Rel::reverse("user_id", "preferences")])
    .rules(Via("user_id"), Via("user_id"))
    .describe("A user's personal, business and ordering preferences.");

/// Customer service agents who handle calls and orders.
pub const AGENTS: TableDecl = TableDecl::new(&structure::AGENTS)
    .rules(Tenant("tenant_id"), Tenant("tenant_id"))
    .describe("Customer service agents who handle calls and orders");

/// Product categories of a tenant's catalogue.
pub const PRODUCT_CATEGORIES: TableDecl = TableDecl::new(&structure::PRODUCT_CATEGORIES)
    .columns(&[fixed("tenant_id")])
    .columns(&[fixed("tenant_id")])
    .rules(Tenant("tenant_id"), Tenant("tenant_id"))
    .scope("products")
    .describe("Categories of a tenant's product catalogue.");

/// Product types of a tenant's catalogue, optionally within a category.
pub const PRODUCT_TYPES: TableDecl = TableDecl::new(&structure::PRODUCT_TYPES)
    .rules(Tenant("tenant_id"), Tenant("tenant_id"))
    .scope("products")
    .describe("Types of products in a tenant's catalogue, optionally within a category.");

/// Products available for ordering.
pub const PRODUCTS: TableDecl = TableDecl::new(&structure::PRODUCTS)
    .columns(&[fixed("tenant_id")])
    .columns(&[fixed("tenant_id")])
    .rules(Tenant("tenant_id"), Tenant("tenant_id"))
    .describe("Products available for ordering");

/// Time-limited specials (promotions) on products.
pub const PRODUCT_SPECIALS: TableDecl = TableDecl::new(&structure::PRODUCT_SPECIALS)
    .relations(&[Rel::reverse("product_id", "specials")])
    .columns(&[fixed("tenant_id")])
    .rules(Tenant("tenant_id"), Tenant("tenant_id"))
    .scope("products")
    .describe("Time-limited specials (promotions) on products.");

/// Customers of a tenant.
pub const CUSTOMERS: TableDecl = TableDecl::new(&structure::CUSTOMERS)
    .rules(Tenant("tenant_id"), Tenant("tenant_id"))
    .describe("Customer information across all tenants");

/// A customer's preferences and favourite products.
pub const CUSTOMER_PREFERENCES: TableDecl = TableDecl::new(&structure::CUSTOMER_PREFERENCES)
    .relations(&[Rel::reverse("customer_id", "preferences")])
    .rules(Via("customer_id"), Via("customer_id"))
    .scope("customers")
    .describe("A customer's personal, business and ordering preferences and favourite products.");

/// Customer orders.
pub const ORDERS: TableDecl =
    TableDecl::new(&structure::ORDERS).rules(Tenant("tenant_id"), Tenant("tenant_id")).describe("Customer orders placed across the system");

/// Lines of an order: a product and a quantity.
pub const ORDER_ITEMS: TableDecl = TableDecl::new(&structure::ORDER_ITEMS)
    .relations(&[Rel::reverse("order_id", "items")])
    .columns(&[fixed("tenant_id")])
    .columns(&[fixed("tenant_id")])
    .rules(Tenant("tenant_id"), AllOf(&[Tenant("tenant_id"), Via("order_id")]))
    .scope("orders")
    .describe("Lines of an order: a product and its quantity.");

/// Records of customer interactions via phone.
pub const CALL_LOGS: TableDecl = TableDecl::new(&structure::CALL_LOGS)
    .relations(&[Rel::reverse("reorder_id", "reorderCallLogs")])
    .columns(&[fixed("tenant_id")])
    .rules(Tenant("tenant_id"), Tenant("tenant_id"))
    .describe("Records of customer interactions via phone");

/// Draft orders being built on a call, shared live between devices.
pub const PROPOSED_ORDERS: TableDecl = TableDecl::new(&structure::PROPOSED_ORDERS)
    .managed(&["last_updated_by"])
    .versioned("updated_at")
    .columns(&[fixed("tenant_id")])
    .rules(Tenant("tenant_id"), Tenant("tenant_id"))
    .scope("orders")
    .describe(
        "Temporary storage for draft orders being prepared during customer calls. Acts as a coordination point between different devices.",
    );

/// Cached order, specials and favourites data of a call (a Redis stand-in).
pub const PROPOSED_ORDERS_DATA: TableDecl = TableDecl::new(&structure::PROPOSED_ORDERS_DATA)
    .named("ProposedOrderData")
    .columns(&[fixed("tenant_id")])
    .rules(Tenant("tenant_id"), Tenant("tenant_id"))
    .scope("orders")
    .describe("Standin for Redis, temporarily holds order, specials and favorites data");

/// Messages (`user_id` is text and no foreign key; integer identity key).
pub const MESSAGES: TableDecl = TableDecl::new(&structure::MESSAGES)
    .rules(Owner("user_id"), Owner("user_id"))
    .describe("Messages between users and devices; userId is an opaque text identity.");

/// Phone numbers through which a tenant's customers call in.
pub const ACCESS_PHONES: TableDecl = TableDecl::new(&structure::ACCESS_PHONES)
    .rules(Tenant("tenant_id"), AllOf(&[Tenant("tenant_id"), AppRole("admin")]))
    .scope("tenant")
    .describe("Phone numbers through which a tenant is reached.");

/// Networks (CIDR) a tenant's users may connect from.
pub const IP_ALLOWLIST: TableDecl = TableDecl::new(&structure::IP_ALLOWLIST)
    .named("IpAllowlistEntry")
    .columns(&[fixed("tenant_id")])
    .columns(&[fixed("tenant_id")])
    .rules(AllOf(&[Tenant("tenant_id"), AppRole("admin")]), AllOf(&[Tenant("tenant_id"), AppRole("admin")]))
    .scope("tenant")
    .describe("Networks (CIDR) a tenant's users may connect from.");

/// API keys of a tenant (the key hash is write-only).
pub const API_KEYS: TableDecl = TableDecl::new(&structure::API_KEYS)
    .secrets(&[hashed("key", "key")])
    .columns(&[fixed("tenant_id")])
    .rules(AllOf(&[Tenant("tenant_id"), AppRole("admin")]), AllOf(&[Tenant("tenant_id"), AppRole("admin")]))
    .scope("tenant")
    .describe("API keys of a tenant; the key (a hash) is write-only.");

/// The audit trail, written by a trigger on every tenant table.
pub const AUDIT_LOGS: TableDecl = TableDecl::new(&structure::AUDIT_LOGS)
    .rules(AllOf(&[AppRole("admin"), AnyOf(&[TenantJson("new_data", "tenant_id"), TenantJson("old_data", "tenant_id")])]), ServiceOnly)
    .scope("audit")
    .describe("System-wide audit trail for tracking changes");

/// Placeholders of `seed.sql` and their defaults (a small demo set: 2 tenants,
/// 16 customers, 48 orders).
pub const SEED_DEFAULTS: &[(&str, u32)] = &[
    ("tenants", 2),
    ("users_per_tenant", 4),
    ("agents_per_tenant", 3),
    ("products_per_tenant", 12),
    ("customers_per_tenant", 8),
    ("orders_per_customer", 3),
    ("items_per_order", 3),
    ("calls_per_customer", 2),
];

/// The benchmark data set: 5 tenants × 200 customers × 10 orders × 5 items
/// (10,000 orders, 50,000 items).
pub const SEED_BENCH: &[(&str, u32)] = &[
    ("tenants", 5),
    ("users_per_tenant", 20),
    ("agents_per_tenant", 10),
    ("products_per_tenant", 200),
    ("customers_per_tenant", 200),
    ("orders_per_customer", 10),
    ("items_per_order", 5),
    ("calls_per_customer", 3),
];
