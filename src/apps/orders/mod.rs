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
pub mod tenancy;

use crate::catalog::{col, fk, ActsAs, ApiKeys, App, ColumnType::*, Rule::*, Table, Watch};

/// The orders app: its tables, in dependency order.
pub const APP: App = App {
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
};

/// Organisations using the system.
pub const TENANTS: Table = Table::new("tenants", "Tenant", "id", &[
    col("id", Uuid).generated(),
    col("name", Text),
    col("domain", Text).null(),
    col("settings", Json).null().default(),
    col("is_active", Bool).null().default(),
    col("created_at", Timestamp).null().default(),
    col("updated_at", Timestamp).null().managed(),
])
.rules(Tenant("id"), AllOf(&[Tenant("id"), AppRole("admin")]))
.describe("Contains tenant/organization information for multi-tenant setup");

/// Industries customers work in (shared by all tenants).
pub const INDUSTRIES: Table = Table::new("industries", "Industry", "id", &[
    col("id", Uuid).generated(),
    col("name", Text),
    col("description", Text).null(),
    col("is_active", Bool).null().default(),
    col("created_at", Timestamp).null().default(),
    col("updated_at", Timestamp).null().managed(),
])
.rules(SignedIn, ServiceOnly)
.describe("Industries customers work in, shared by all tenants.");

/// Roles with their permissions (shared by all tenants; assigned per tenant).
pub const ROLES: Table = Table::new("roles", "Role", "id", &[
    col("id", Uuid).generated(),
    col("name", Text),
    col("description", Text).null(),
    col("permissions", Json).null().default(),
    col("is_active", Bool).null().default(),
    col("created_at", Timestamp).null().default(),
    col("updated_at", Timestamp).null().managed(),
])
.rules(SignedIn, ServiceOnly)
.describe("Roles and their permissions, shared by all tenants and assigned per tenant.");

/// User accounts of a tenant (the password hash is write-only).
pub const USERS: Table = Table::new("users", "User", "id", &[
    col("id", Uuid).generated(),
    col("tenant_id", Uuid),
    col("email", Text),
    col("username", Text).null(),
    col("password_hash", Text).null().hashed("password"),
    col("last_login", Timestamp).null(),
    col("is_active", Bool).null().default(),
    col("created_at", Timestamp).null().default(),
    col("updated_at", Timestamp).null().managed(),
])
.belongs_to(&[fk("tenant", "tenant_id", "tenants", "users")])
.rules(Tenant("tenant_id"), AllOf(&[Tenant("tenant_id"), AnyOf(&[AppRole("admin"), Owner("id")])]))
.describe("User authentication and identification information across tenants");

/// Role assignments of users, per tenant.
pub const USER_ROLES: Table = Table::new("user_roles", "UserRole", "id", &[
    col("id", Uuid).generated(),
    col("user_id", Uuid),
    col("role_id", Uuid),
    col("tenant_id", Uuid),
    col("is_active", Bool).null().default(),
    col("created_at", Timestamp).null().default(),
    col("updated_at", Timestamp).null().managed(),
])
.belongs_to(&[
    fk("user", "user_id", "users", "userRoles"),
    fk("role", "role_id", "roles", "userRoles"),
    fk("tenant", "tenant_id", "tenants", "userRoles"),
])
.rules(Tenant("tenant_id"), AllOf(&[Tenant("tenant_id"), AppRole("admin")]))
.describe("Role assignments for users across tenants");

/// A user's personal, business and ordering preferences.
pub const USER_PREFERENCES: Table = Table::new("user_preferences", "UserPreference", "id", &[
    col("id", Uuid).generated(),
    col("user_id", Uuid),
    col("personal", Json).null().default(),
    col("business", Json).null().default(),
    col("orders", Json).null().default(),
    col("created_at", Timestamp).null().default(),
    col("updated_at", Timestamp).null().managed(),
])
.belongs_to(&[fk("user", "user_id", "users", "preferences")])
.rules(Via("user_id"), Via("user_id"))
.describe("A user's personal, business and ordering preferences.");

/// Customer service agents who handle calls and orders.
pub const AGENTS: Table = Table::new("agents", "Agent", "id", &[
    col("id", Uuid).generated(),
    col("tenant_id", Uuid),
    col("user_id", Uuid).null(),
    col("name", Text),
    col("email", Text).null(),
    col("phone_number", Text).null(),
    col("department", Text).null(),
    col("is_active", Bool).null().default(),
    col("created_at", Timestamp).null().default(),
    col("updated_at", Timestamp).null().managed(),
])
.belongs_to(&[
    fk("tenant", "tenant_id", "tenants", "agents"),
    fk("user", "user_id", "users", "agents"),
])
.rules(Tenant("tenant_id"), Tenant("tenant_id"))
.describe("Customer service agents who handle calls and orders");

/// Product categories of a tenant's catalogue.
pub const PRODUCT_CATEGORIES: Table = Table::new("product_categories", "ProductCategory", "id", &[
    col("id", Uuid).generated(),
    col("tenant_id", Uuid),
    col("name", Text),
    col("description", Text).null(),
    col("is_active", Bool).null().default(),
    col("created_at", Timestamp).null().default(),
    col("updated_at", Timestamp).null().managed(),
])
.belongs_to(&[fk("tenant", "tenant_id", "tenants", "productCategories")])
.rules(Tenant("tenant_id"), Tenant("tenant_id"))
.scope("products")
.describe("Categories of a tenant's product catalogue.");

/// Product types of a tenant's catalogue, optionally within a category.
pub const PRODUCT_TYPES: Table = Table::new("product_types", "ProductType", "id", &[
    col("id", Uuid).generated(),
    col("tenant_id", Uuid),
    col("category_id", Uuid).null(),
    col("name", Text),
    col("description", Text).null(),
    col("is_active", Bool).null().default(),
    col("created_at", Timestamp).null().default(),
    col("updated_at", Timestamp).null().managed(),
])
.belongs_to(&[
    fk("tenant", "tenant_id", "tenants", "productTypes"),
    fk("category", "category_id", "product_categories", "productTypes"),
])
.rules(Tenant("tenant_id"), Tenant("tenant_id"))
.scope("products")
.describe("Types of products in a tenant's catalogue, optionally within a category.");

/// Products available for ordering.
pub const PRODUCTS: Table = Table::new("products", "Product", "id", &[
    col("id", Uuid).generated(),
    col("tenant_id", Uuid),
    col("name", Text),
    col("description", Text).null(),
    col("product_type_id", Uuid).null(),
    col("category_id", Uuid).null(),
    col("sku", Text).null(),
    col("is_active", Bool).null().default(),
    col("created_at", Timestamp).null().default(),
    col("updated_at", Timestamp).null().managed(),
    col("size", Text).null(),
])
.belongs_to(&[
    fk("tenant", "tenant_id", "tenants", "products"),
    fk("productType", "product_type_id", "product_types", "products"),
    fk("category", "category_id", "product_categories", "products"),
])
.rules(Tenant("tenant_id"), Tenant("tenant_id"))
.describe("Products available for ordering");

/// Time-limited specials (promotions) on products.
pub const PRODUCT_SPECIALS: Table = Table::new("product_specials", "ProductSpecial", "id", &[
    col("id", Uuid).generated(),
    col("tenant_id", Uuid),
    col("product_id", Uuid),
    col("name", Text),
    col("start_date", Timestamp).null(),
    col("end_date", Timestamp).null(),
    col("is_active", Bool).null().default(),
    col("created_at", Timestamp).null().default(),
    col("updated_at", Timestamp).null().managed(),
])
.belongs_to(&[
    fk("tenant", "tenant_id", "tenants", "productSpecials"),
    fk("product", "product_id", "products", "specials"),
])
.rules(Tenant("tenant_id"), Tenant("tenant_id"))
.scope("products")
.describe("Time-limited specials (promotions) on products.");

/// Customers of a tenant.
pub const CUSTOMERS: Table = Table::new("customers", "Customer", "id", &[
    col("id", Uuid).generated(),
    col("tenant_id", Uuid),
    col("user_id", Uuid).null(),
    col("first_name", Text),
    col("last_name", Text),
    col("email", Text).null(),
    col("phone", Text).null(),
    col("address", Text).null(),
    col("city", Text).null(),
    col("state", Text).null(),
    col("postal_code", Text).null(),
    col("country", Text).null(),
    col("industry_id", Uuid).null(),
    col("company", Text).null(),
    col("is_active", Bool).null().default(),
    col("created_at", Timestamp).null().default(),
    col("updated_at", Timestamp).null().managed(),
])
.belongs_to(&[
    fk("tenant", "tenant_id", "tenants", "customers"),
    fk("user", "user_id", "users", "customers"),
    fk("industry", "industry_id", "industries", "customers"),
])
.rules(Tenant("tenant_id"), Tenant("tenant_id"))
.describe("Customer information across all tenants");

/// A customer's preferences and favourite products.
pub const CUSTOMER_PREFERENCES: Table = Table::new("customer_preferences", "CustomerPreference", "id", &[
    col("id", Uuid).generated(),
    col("customer_id", Uuid),
    col("personal", Json).null().default(),
    col("business", Json).null().default(),
    col("orders", Json).null().default(),
    col("created_at", Timestamp).null().default(),
    col("updated_at", Timestamp).null().managed(),
    col("favorites", Json).null().default(),
])
.belongs_to(&[fk("customer", "customer_id", "customers", "preferences")])
.rules(Via("customer_id"), Via("customer_id"))
.scope("customers")
.describe("A customer's personal, business and ordering preferences and favourite products.");

/// Customer orders.
pub const ORDERS: Table = Table::new("orders", "Order", "id", &[
    col("id", Uuid).generated(),
    col("tenant_id", Uuid),
    col("customer_id", Uuid).null(),
    col("order_date", Timestamp).null().default(),
    col("status", Text),
    col("notes", Text).null(),
    col("created_at", Timestamp).null().default(),
    col("updated_at", Timestamp).null().managed(),
])
.belongs_to(&[
    fk("tenant", "tenant_id", "tenants", "orders"),
    fk("customer", "customer_id", "customers", "orders"),
])
.rules(Tenant("tenant_id"), Tenant("tenant_id"))
.describe("Customer orders placed across the system");

/// Lines of an order: a product and a quantity.
pub const ORDER_ITEMS: Table = Table::new("order_items", "OrderItem", "id", &[
    col("id", Uuid).generated(),
    col("tenant_id", Uuid),
    col("order_id", Uuid),
    col("product_id", Uuid).null(),
    col("quantity", Int),
    col("created_at", Timestamp).null().default(),
    col("updated_at", Timestamp).null().managed(),
])
.belongs_to(&[
    fk("tenant", "tenant_id", "tenants", "orderItems"),
    fk("order", "order_id", "orders", "items"),
    fk("product", "product_id", "products", "orderItems"),
])
.rules(Tenant("tenant_id"), AllOf(&[Tenant("tenant_id"), Via("order_id")]))
.scope("orders")
.describe("Lines of an order: a product and its quantity.");

/// Records of customer interactions via phone.
pub const CALL_LOGS: Table = Table::new("call_logs", "CallLog", "id", &[
    col("id", Uuid).generated(),
    col("tenant_id", Uuid),
    col("customer_id", Uuid).null(),
    col("agent_id", Uuid).null(),
    col("call_date", Timestamp).null().default(),
    col("duration", Int).null(),
    col("notes", Text).null(),
    col("follow_up_date", Timestamp).null(),
    col("reorder_id", Uuid).null(),
    col("created_at", Timestamp).null().default(),
    col("updated_at", Timestamp).null().managed(),
])
.belongs_to(&[
    fk("tenant", "tenant_id", "tenants", "callLogs"),
    fk("customer", "customer_id", "customers", "callLogs"),
    fk("agent", "agent_id", "agents", "callLogs"),
    fk("reorder", "reorder_id", "orders", "reorderCallLogs"),
])
.rules(Tenant("tenant_id"), Tenant("tenant_id"))
.describe("Records of customer interactions via phone");

/// Draft orders being built on a call, shared live between devices.
pub const PROPOSED_ORDERS: Table = Table::new("proposed_orders", "ProposedOrder", "id", &[
    col("id", Uuid).generated(),
    col("tenant_id", Uuid),
    col("customer_id", Uuid),
    col("call_id", Uuid),
    col("proposed_date", Timestamp).default(),
    col("status", Text).default(),
    col("order_items", Json).default(),
    // Recorded by the database from the signed-in user (migration 2026-12-01-000006).
    col("last_updated_by", Uuid).null().managed(),
    col("last_device_id", Text).null(),
    col("created_at", Timestamp).default(),
    // No database default (NULL until the first update); the trigger keeps it.
    col("updated_at", Timestamp).null().managed(),
])
.belongs_to(&[
    fk("tenant", "tenant_id", "tenants", "proposedOrders"),
    fk("customer", "customer_id", "customers", "proposedOrders"),
    fk("call", "call_id", "call_logs", "proposedOrders"),
])
.versioned("updated_at")
.rules(Tenant("tenant_id"), Tenant("tenant_id"))
.scope("orders")
.describe(
    "Temporary storage for draft orders being prepared during customer calls. Acts as a coordination point between different devices.",
);

/// Cached order, specials and favourites data of a call (a Redis stand-in).
pub const PROPOSED_ORDERS_DATA: Table = Table::new("proposed_orders_data", "ProposedOrderData", "id", &[
    col("id", Uuid).generated(),
    col("created_at", Timestamp).default(),
    // The seed gives these three a gen_random_uuid() default, which the
    // foreign keys always reject: pass them.
    col("call_id", Uuid).default(),
    col("customer_id", Uuid).default(),
    col("tenant_id", Uuid).default(),
    col("data", Json).null(),
    col("data_type", Text).null(),
    col("customer_phone", Text).null(),
    col("sms_number", Text).null(),
])
.belongs_to(&[
    fk("call", "call_id", "call_logs", "proposedOrdersData"),
    fk("customer", "customer_id", "customers", "proposedOrdersData"),
    fk("tenant", "tenant_id", "tenants", "proposedOrdersData"),
])
.rules(Tenant("tenant_id"), Tenant("tenant_id"))
.scope("orders")
.describe("Standin for Redis, temporarily holds order, specials and favorites data");

/// Messages (`user_id` is text and no foreign key; integer identity key).
pub const MESSAGES: Table = Table::new("messages", "Message", "id", &[
    col("id", Int).generated(),
    col("content", Text),
    col("user_id", Text),
    col("created_at", Timestamp).null().default(),
    col("updated_at", Timestamp).null().managed(),
])
.rules(Owner("user_id"), Owner("user_id"))
.describe("Messages between users and devices; userId is an opaque text identity.");

/// Phone numbers through which a tenant's customers call in.
pub const ACCESS_PHONES: Table = Table::new("access_phones", "AccessPhone", "id", &[
    col("id", Uuid).generated(),
    col("tenant_id", Uuid),
    col("number", Text),
    col("description", Text).null(),
    col("is_active", Bool).null().default(),
    col("created_at", Timestamp).null().default(),
    col("updated_at", Timestamp).null().managed(),
])
.belongs_to(&[fk("tenant", "tenant_id", "tenants", "accessPhones")])
.rules(Tenant("tenant_id"), AllOf(&[Tenant("tenant_id"), AppRole("admin")]))
.scope("tenant")
.describe("Phone numbers through which a tenant is reached.");

/// Networks (CIDR) a tenant's users may connect from.
pub const IP_ALLOWLIST: Table = Table::new("ip_allowlist", "IpAllowlistEntry", "id", &[
    col("id", Uuid).generated(),
    col("tenant_id", Uuid),
    col("ip_address", Cidr),
    col("description", Text).null(),
    col("is_active", Bool).null().default(),
    col("created_at", Timestamp).null().default(),
    col("updated_at", Timestamp).null().managed(),
])
.belongs_to(&[fk("tenant", "tenant_id", "tenants", "ipAllowlist")])
.rules(AllOf(&[Tenant("tenant_id"), AppRole("admin")]), AllOf(&[Tenant("tenant_id"), AppRole("admin")]))
.scope("tenant")
.describe("Networks (CIDR) a tenant's users may connect from.");

/// API keys of a tenant (the key hash is write-only).
pub const API_KEYS: Table = Table::new("api_keys", "ApiKey", "id", &[
    col("id", Uuid).generated(),
    col("tenant_id", Uuid),
    col("key", Text).hashed("key"),
    col("name", Text),
    col("permissions", Json).null().default(),
    col("expires_at", Timestamp).null(),
    col("is_active", Bool).null().default(),
    col("created_at", Timestamp).null().default(),
    col("updated_at", Timestamp).null().managed(),
])
.belongs_to(&[fk("tenant", "tenant_id", "tenants", "apiKeys")])
.rules(AllOf(&[Tenant("tenant_id"), AppRole("admin")]), AllOf(&[Tenant("tenant_id"), AppRole("admin")]))
.scope("tenant")
.describe("API keys of a tenant; the key (a hash) is write-only.");

/// The audit trail, written by a trigger on every tenant table.
pub const AUDIT_LOGS: Table = Table::new("audit_logs", "AuditLog", "id", &[
    col("id", Uuid).generated(),
    col("table_name", Text),
    col("action", Text),
    col("old_data", Json).null(),
    col("new_data", Json).null(),
    col("changed_by", Uuid).null(),
    col("changed_at", Timestamp).null().default(),
])
.rules(
    AllOf(&[AppRole("admin"), AnyOf(&[TenantJson("new_data", "tenant_id"), TenantJson("old_data", "tenant_id")])]),
    ServiceOnly,
)
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
