//! The `studio` app (seed 001): creative AI studio — users and teams, brand
//! kits, workbenches → projects → assets → versions, AI generation requests,
//! billing (subscriptions, credits, usage) and the AI model lifecycle.
//!
//! Secret (write-only) columns: users.password_hash and api_clients.secret_hash
//! (the seed marks them hashed: stored as argon2id hashes of what is written),
//! users.mfa_secret and social_media_connections.access_token / .refresh_token
//! (marked encrypted: encrypted at rest with the server key), and
//! users.email_verification_token / .password_reset_token (stored as written).
//! api_clients.api_key is the public half of the key pair ("Public API key
//! identifier"): an API key is presented as `<apiKey>.<secret>`.
//!
//! Row rules: a user reads and writes their own rows (`user_id`); teams and
//! their brand kits are read by every member and changed by Editors and up
//! (team memberships by Owners and Admins); public templates and active AI
//! models are readable by anyone; billing and usage rows are the service's to
//! write; AI model management is service-only.
//!
//! Two FK cycles exist in the seed (assets.generation_request_id ↔
//! generation_requests.final_asset_id, and ai_model_versions.validation_result_id
//! ↔ ai_model_validation_results.model_version_id); the order below puts the
//! table with the nullable back-reference first.
use crate::catalog::{col, fk, m2m, ActsAs, ApiKeys, App, ColumnType::*, Membership, Rule::*, Table, Watch};

/// The studio app: its tables, in dependency order.
pub const APP: App = App {
    name: "studio",
    tables: &[
        USERS,
        TEAMS,
        TEAM_MEMBERS,
        BRAND_KITS,
        WORKBENCHES,
        TEMPLATES,
        PROJECTS,
        ASSETS,
        GENERATION_REQUESTS,
        ASSET_VERSIONS,
        SOCIAL_MEDIA_CONNECTIONS,
        API_CLIENTS,
        SUBSCRIPTIONS,
        CREDIT_TRANSACTIONS,
        USAGE_LOGS,
        SESSIONS,
        NOTIFICATIONS,
        AI_MODELS,
        AI_MODEL_VERSIONS,
        AI_MODEL_VALIDATION_RESULTS,
        AI_MODEL_DEPLOYMENTS,
        AI_MODEL_FEEDBACK,
    ],
    watches: &[
        Watch {
            field: "myNotifications",
            table: "notifications",
            column: "user_id",
            events: &["INSERT", "UPDATE"],
            until: None,
            description: "New notifications of a user and changes to their read state.",
        },
        Watch {
            field: "generationRequest",
            table: "generation_requests",
            column: "id",
            events: &["INSERT", "UPDATE", "DELETE"],
            until: Some(("status", &["Completed", "Failed", "Cancelled", "ContentRejected"])),
            description: "Status changes of one generation request, until it reaches a terminal status.",
        },
    ],
    api_keys: Some(ApiKeys {
        table: "api_clients",
        lookup: "api_key",
        secret: "secret_hash",
        active: "is_active",
        expires: None,
        acts_as: ActsAs::User("user_id"),
        permissions: Some("permissions"),
    }),
};

/// Team members of any role read a team.
const TEAM_READERS: Membership = Membership { column: "id", table: "team_members", group: "team_id", user: "user_id", roles: None };
/// Team owners and admins change a team and its memberships.
const TEAM_ADMINS: Membership =
    Membership { column: "id", table: "team_members", group: "team_id", user: "user_id", roles: Some(("role", &["Owner", "Admin"])) };
/// Every member of a brand kit's team reads it (Viewer and up).
const BRAND_KIT_VIEWERS: Membership =
    Membership { column: "team_id", table: "team_members", group: "team_id", user: "user_id", roles: None };
/// Editors and up change a team's brand kits.
const BRAND_KIT_EDITORS: Membership = Membership {
    column: "team_id",
    table: "team_members",
    group: "team_id",
    user: "user_id",
    roles: Some(("role", &["Owner", "Admin", "Editor"])),
};

/// Registered user accounts.
pub const USERS: Table = Table::new("users", "User", "id", &[
    col("id", Uuid).generated(),
    col("email", Text).max_len(255),
    col("password_hash", Text).max_len(255).null().hashed("password"),
    col("social_provider", Enum(&["google", "facebook", "apple"])).max_len(50).null(),
    col("social_provider_id", Text).max_len(255).null(),
    col("is_email_verified", Bool).default(),
    col("email_verification_token", Text).max_len(255).null().secret(),
    col("password_reset_token", Text).max_len(255).null().secret(),
    col("password_reset_expires", Timestamp).null(),
    col("full_name", Text).max_len(100).null(),
    col("username", Text).max_len(50).null(),
    col("profile_picture_url", Text).max_len(1024).null(),
    col("language_preference", Text).max_len(10).default(),
    col("timezone", Text).max_len(50).default(),
    col("mfa_enabled", Bool).default(),
    col("mfa_secret", Text).max_len(255).null().encrypted(),
    col("subscription_tier", Enum(&["Free", "Pro", "Team", "Enterprise"])).max_len(20).default(),
    col("credit_balance", Decimal).default(),
    col("last_login_at", Timestamp).null(),
    col("created_at", Timestamp).default(),
    col("updated_at", Timestamp).managed(),
    col("deleted_at", Timestamp).null(),
])
.rules(Owner("id"), Owner("id"))
.describe("Represents a registered user account.");

/// Collaboration groups for team accounts.
pub const TEAMS: Table = Table::new("teams", "Team", "id", &[
    col("id", Uuid).generated(),
    col("name", Text).max_len(100),
    col("owner_id", Uuid),
    col("created_at", Timestamp).default(),
    col("updated_at", Timestamp).managed(),
])
.belongs_to(&[fk("owner", "owner_id", "users", "ownedTeams")])
.rules(AnyOf(&[Owner("owner_id"), Member(&TEAM_READERS)]), AnyOf(&[Owner("owner_id"), Member(&TEAM_ADMINS)]))
.describe("Collaboration group for team accounts.");

/// Memberships of users in teams (the users ↔ teams join table).
pub const TEAM_MEMBERS: Table = Table::new("team_members", "TeamMember", "id", &[
    col("id", Uuid).generated(),
    col("team_id", Uuid),
    col("user_id", Uuid),
    col("role", Enum(&["Owner", "Admin", "Editor", "Viewer"])).max_len(20),
    col("joined_at", Timestamp).default(),
])
.belongs_to(&[
    fk("team", "team_id", "teams", "memberships"),
    // Owners add other users, whose rows they cannot read, by id.
    fk("user", "user_id", "users", "teamMemberships").open(),
])
// User.teams and Team.members; no clash with either type's columns or relations.
.many_to_many(&[m2m("user_id", "teams", "team_id", "members")])
.rules(AnyOf(&[Owner("user_id"), Via("team_id")]), Via("team_id"))
.describe("Association between users and teams.");

/// Brand kits: brand assets and preferences of a user or team.
pub const BRAND_KITS: Table = Table::new("brand_kits", "BrandKit", "id", &[
    col("id", Uuid).generated(),
    col("user_id", Uuid),
    col("team_id", Uuid).null(),
    col("name", Text).max_len(100),
    col("colors", Json),
    col("fonts", Json),
    col("logos", Json).null(),
    col("style_preferences", Json).null(),
    col("is_default", Bool).default(),
    col("created_at", Timestamp).default(),
    col("updated_at", Timestamp).managed(),
])
.belongs_to(&[
    fk("user", "user_id", "users", "brandKits"),
    fk("team", "team_id", "teams", "brandKits"),
])
.rules(
    AnyOf(&[Owner("user_id"), Member(&BRAND_KIT_VIEWERS)]),
    AnyOf(&[AllOf(&[Owner("user_id"), IsNull("team_id")]), Member(&BRAND_KIT_EDITORS)]),
)
.describe("Collection of brand assets and preferences. Can belong to a user or a team.");

/// Workbenches: containers organizing a user's creative projects.
pub const WORKBENCHES: Table = Table::new("workbenches", "Workbench", "id", &[
    col("id", Uuid).generated(),
    col("user_id", Uuid),
    col("name", Text).max_len(100),
    col("default_brand_kit_id", Uuid).null(),
    col("created_at", Timestamp).default(),
    col("updated_at", Timestamp).managed(),
])
.belongs_to(&[
    fk("user", "user_id", "users", "workbenches"),
    fk("defaultBrandKit", "default_brand_kit_id", "brand_kits", "workbenches"),
])
.rules(Owner("user_id"), Owner("user_id"))
.describe("Container for organizing creative projects.");

/// Predefined (system) or user-saved creative templates.
pub const TEMPLATES: Table = Table::new("templates", "Template", "id", &[
    col("id", Uuid).generated(),
    col("user_id", Uuid).null(),
    col("name", Text).max_len(100),
    col("description", Text).null(),
    col("category", Text).max_len(50),
    col("preview_url", Text).max_len(1024),
    col("source_data", Json),
    col("tags", Json).null(),
    col("is_public", Bool).default(),
    col("created_at", Timestamp).default(),
    col("updated_at", Timestamp).managed(),
])
.belongs_to(&[fk("user", "user_id", "users", "templates")])
.rules(AnyOf(&[IsTrue("is_public"), Owner("user_id")]), Owner("user_id"))
.describe("Predefined or user-saved creative templates.");

/// Creative projects, grouped in workbenches.
pub const PROJECTS: Table = Table::new("projects", "Project", "id", &[
    col("id", Uuid).generated(),
    col("workbench_id", Uuid),
    col("user_id", Uuid),
    col("template_id", Uuid).null(),
    col("brand_kit_id", Uuid).null(),
    col("name", Text).max_len(100),
    col("target_platform", Text).max_len(50).null(),
    col("collaboration_state", Json).null(),
    col("last_collaborated_at", Timestamp).null(),
    col("created_at", Timestamp).default(),
    col("updated_at", Timestamp).managed(),
    col("deleted_at", Timestamp).null(),
])
.belongs_to(&[
    fk("workbench", "workbench_id", "workbenches", "projects"),
    fk("user", "user_id", "users", "projects"),
    fk("template", "template_id", "templates", "projects"),
    fk("brandKit", "brand_kit_id", "brand_kits", "projects"),
])
.rules(Owner("user_id"), AllOf(&[Owner("user_id"), Via("workbench_id")]))
.describe("Creative project containing assets and generation requests.");

/// Creative asset files, uploaded or AI-generated.
pub const ASSETS: Table = Table::new("assets", "Asset", "id", &[
    col("id", Uuid).generated(),
    col("project_id", Uuid).null(),
    col("user_id", Uuid),
    col("generation_request_id", Uuid).null(),
    col("name", Text).max_len(255),
    col("type", Enum(&["Uploaded", "AIGenerated", "Derived"])).max_len(20),
    col("file_path", Text).max_len(1024),
    col("mime_type", Text).max_len(50),
    col("format", Text).max_len(10),
    col("resolution", Text).max_len(20).null(),
    col("is_final", Bool).default(),
    col("metadata", Json).null(),
    col("created_at", Timestamp).default(),
    col("updated_at", Timestamp).managed(),
    col("deleted_at", Timestamp).null(),
])
.belongs_to(&[
    fk("project", "project_id", "projects", "assets"),
    fk("user", "user_id", "users", "assets"),
    fk("generationRequest", "generation_request_id", "generation_requests", "assets"),
])
.rules(Owner("user_id"), AllOf(&[Owner("user_id"), AnyOf(&[IsNull("project_id"), Via("project_id")])]))
.describe("Represents a specific creative asset file (uploaded or AI-generated).");

/// AI creative generation requests and their results.
pub const GENERATION_REQUESTS: Table = Table::new("generation_requests", "GenerationRequest", "id", &[
    col("id", Uuid).generated(),
    col("user_id", Uuid),
    col("project_id", Uuid).null(),
    col("input_prompt", Text),
    col("style_guidance", Text).null(),
    col("input_parameters", Json).null(),
    col(
        "status",
        Enum(&[
            "Pending",
            "ProcessingSamples",
            "AwaitingSelection",
            "ProcessingFinal",
            "Completed",
            "Failed",
            "Cancelled",
            "ContentRejected",
        ]),
    )
    .max_len(50)
    .default(),
    col("error_message", Text).null(),
    col("sample_assets", Json).null(),
    // Not a declared foreign key in the seed (only a note that it refers to an asset).
    col("selected_sample_id", Uuid).null(),
    col("final_asset_id", Uuid).null(),
    col("credits_cost_sample", Decimal).null(),
    col("credits_cost_final", Decimal).null(),
    col("ai_model_used", Text).max_len(100).null(),
    col("processing_time_ms", Int).null(),
    col("created_at", Timestamp).default(),
    col("updated_at", Timestamp).managed(),
])
.belongs_to(&[
    fk("user", "user_id", "users", "generationRequests"),
    fk("project", "project_id", "projects", "generationRequests"),
    fk("finalAsset", "final_asset_id", "assets", "finalizedGenerationRequests"),
])
.rules(Owner("user_id"), AllOf(&[Owner("user_id"), AnyOf(&[IsNull("project_id"), Via("project_id")])]))
.scope("generate")
.describe("AI creative generation request details and results.");

/// Version history of assets or project states.
pub const ASSET_VERSIONS: Table = Table::new("asset_versions", "AssetVersion", "id", &[
    col("id", Uuid).generated(),
    col("asset_id", Uuid).null(),
    col("project_id", Uuid).null(),
    col("version_number", Int),
    col("file_path", Text).max_len(1024).null(),
    col("state_data", Json).null(),
    col("description", Text).null(),
    col("created_by_user_id", Uuid).null(),
    col("created_at", Timestamp).default(),
])
.belongs_to(&[
    fk("asset", "asset_id", "assets", "versions"),
    fk("project", "project_id", "projects", "assetVersions"),
    fk("createdByUser", "created_by_user_id", "users", "createdAssetVersions"),
])
.rules(AnyOf(&[Via("asset_id"), Via("project_id")]), AnyOf(&[Via("asset_id"), Via("project_id")]))
.scope("assets")
.describe("Version history for creative assets or project states.");

/// A user's connected social media accounts (OAuth tokens are write-only).
pub const SOCIAL_MEDIA_CONNECTIONS: Table = Table::new("social_media_connections", "SocialMediaConnection", "id", &[
    col("id", Uuid).generated(),
    col("user_id", Uuid),
    col("platform", Enum(&["Instagram", "Facebook", "LinkedIn", "Twitter", "Pinterest", "TikTok"])).max_len(20),
    col("external_user_id", Text).max_len(100),
    col("access_token", Text).encrypted(),
    col("refresh_token", Text).null().encrypted(),
    col("expires_at", Timestamp).null(),
    col("created_at", Timestamp).default(),
    col("updated_at", Timestamp).managed(),
])
.belongs_to(&[fk("user", "user_id", "users", "socialMediaConnections")])
.rules(Owner("user_id"), Owner("user_id"))
.describe("User's connected social media accounts.");

/// API access credentials for developers (the secret hash is write-only).
pub const API_CLIENTS: Table = Table::new("api_clients", "APIClient", "id", &[
    col("id", Uuid).generated(),
    col("user_id", Uuid),
    col("name", Text).max_len(100),
    col("api_key", Text).max_len(100),
    col("secret_hash", Text).max_len(255).hashed("secret"),
    col("permissions", Json).null(),
    col("is_active", Bool).default(),
    col("created_at", Timestamp).default(),
    col("updated_at", Timestamp).managed(),
])
.belongs_to(&[fk("user", "user_id", "users", "apiClients")])
.rules(Owner("user_id"), Owner("user_id"))
.describe("API access credentials for developers.");

/// User subscriptions, synced with Odoo.
pub const SUBSCRIPTIONS: Table = Table::new("subscriptions", "Subscription", "id", &[
    col("id", Uuid).generated(),
    col("user_id", Uuid),
    col("odoo_sale_order_id", Text).max_len(255),
    col("plan_id", Text).max_len(50),
    col("status", Enum(&["Active", "Trial", "Suspended", "Cancelled", "Expired"])).max_len(20).default(),
    col("current_period_start", Timestamp),
    col("current_period_end", Timestamp),
    col("payment_provider", Enum(&["Stripe", "PayPal", "OdooManual"])).max_len(50),
    col("payment_provider_subscription_id", Text).max_len(255).null(),
    col("payment_method_id", Text).max_len(255).null(),
    col("created_at", Timestamp).default(),
    col("updated_at", Timestamp).managed(),
])
.belongs_to(&[fk("user", "user_id", "users", "subscriptions")])
.rules(Owner("user_id"), ServiceOnly)
.describe("User subscription details, synced with Odoo.");

/// Credit usage and purchase records, synced from Odoo.
// Partitioned by range on created_at: the SQL primary key is (id, created_at),
// but `id` alone (a UUID) identifies a row for the API.
pub const CREDIT_TRANSACTIONS: Table = Table::new("credit_transactions", "CreditTransaction", "id", &[
    col("id", Uuid).generated(),
    col("user_id", Uuid),
    col("odoo_invoice_id", Text).max_len(255).null(),
    col("generation_request_id", Uuid).null(),
    col("api_call_id", Text).max_len(255).null(),
    col("amount", Decimal),
    col("action_type", Text).max_len(50),
    col("description", Text).null(),
    col("created_at", Timestamp).default(),
    col("synced_at", Timestamp).default(),
])
.belongs_to(&[
    fk("user", "user_id", "users", "creditTransactions"),
    fk("generationRequest", "generation_request_id", "generation_requests", "creditTransactions"),
])
.rules(Owner("user_id"), ServiceOnly)
.describe("Credit usage and purchase records, synced from Odoo.");

/// Log of billable or trackable user actions (bigserial key).
pub const USAGE_LOGS: Table = Table::new("usage_logs", "UsageLog", "id", &[
    col("id", BigInt).generated(),
    col("user_id", Uuid).null(),
    col("generation_request_id", Uuid).null(),
    col("api_client_id", Uuid).null(),
    col("action_type", Text).max_len(100),
    col("details", Json).null(),
    col("credits_cost", Decimal).null(),
    col("timestamp", Timestamp).default(),
])
.belongs_to(&[
    fk("user", "user_id", "users", "usageLogs"),
    fk("generationRequest", "generation_request_id", "generation_requests", "usageLogs"),
    fk("apiClient", "api_client_id", "api_clients", "usageLogs"),
])
.rules(Owner("user_id"), ServiceOnly)
.describe("Detailed log of billable or trackable user actions.");

/// User authentication sessions.
pub const SESSIONS: Table = Table::new("sessions", "Session", "id", &[
    col("id", Uuid).generated(),
    col("user_id", Uuid),
    col("device_info", Text).max_len(255),
    col("ip_address", Text).max_len(45),
    col("user_agent", Text).null(),
    col("last_activity", Timestamp).default(),
    col("expires_at", Timestamp),
    col("created_at", Timestamp).default(),
])
.belongs_to(&[fk("user", "user_id", "users", "sessions")])
.rules(Owner("user_id"), Owner("user_id"))
.describe("User authentication sessions.");

/// System notifications for users.
// Partitioned by range on created_at: the SQL primary key is (id, created_at),
// but `id` alone (a UUID) identifies a row for the API.
pub const NOTIFICATIONS: Table = Table::new("notifications", "Notification", "id", &[
    col("id", Uuid).generated(),
    col("user_id", Uuid),
    col("type", Text).max_len(50),
    col("message", Text),
    col("metadata", Json).null(),
    col("is_read", Bool).default(),
    col("created_at", Timestamp).default(),
    col("updated_at", Timestamp).managed(),
])
.belongs_to(&[fk("user", "user_id", "users", "notifications")])
.rules(Owner("user_id"), Owner("user_id"))
.describe("System notifications for users.");

/// AI models available on the platform.
pub const AI_MODELS: Table = Table::new("ai_models", "AIModel", "id", &[
    col("id", Uuid).generated(),
    col("name", Text).max_len(100),
    col("description", Text).null(),
    col("provider", Text).max_len(50),
    col(
        "task_type",
        Enum(&["ImageGeneration", "TextGeneration", "ImageTransformation", "StyleTransfer", "ContentSafety"]),
    )
    .max_len(50),
    col("is_active", Bool).default(),
    col("created_at", Timestamp).default(),
    col("updated_at", Timestamp).managed(),
])
.rules(IsTrue("is_active"), ServiceOnly)
.describe("Metadata for AI models available on the platform.");

/// Specific versions of AI models.
pub const AI_MODEL_VERSIONS: Table = Table::new("ai_model_versions", "AIModelVersion", "id", &[
    col("id", Uuid).generated(),
    col("model_id", Uuid),
    col("version_number", Text).max_len(50),
    col("source_path", Text).max_len(1024).null(),
    col("format", Text).max_len(50).null(),
    col("parameters", Json).null(),
    col("status", Enum(&["Staged", "Production", "Deprecated", "Archived", "Failed"])).max_len(50).default(),
    col("validation_result_id", Uuid).null(),
    col("created_by_user_id", Uuid).null(),
    col("release_notes", Text).null(),
    col("created_at", Timestamp).default(),
    col("updated_at", Timestamp).managed(),
])
.belongs_to(&[
    fk("model", "model_id", "ai_models", "versions"),
    // The seed's diagram calls this the version's latest validation result.
    fk("validationResult", "validation_result_id", "ai_model_validation_results", "referencingModelVersions"),
    fk("createdByUser", "created_by_user_id", "users", "createdModelVersions"),
])
.rules(Via("model_id"), ServiceOnly)
.describe("Specific versions of AI models.");

/// Results from validating an AI model version.
pub const AI_MODEL_VALIDATION_RESULTS: Table = Table::new("ai_model_validation_results", "AIModelValidationResult", "id", &[
    col("id", Uuid).generated(),
    col("model_version_id", Uuid),
    col("validation_timestamp", Timestamp).default(),
    col("security_scan_status", Enum(&["Passed", "Failed", "Pending", "Skipped"])).max_len(50),
    col("functional_status", Enum(&["Passed", "Failed", "Pending", "Skipped"])).max_len(50),
    col("performance_benchmark", Json).null(),
    col("results", Json).null(),
    col("validated_by_user_id", Uuid).null(),
    col("created_at", Timestamp).default(),
])
.belongs_to(&[
    fk("modelVersion", "model_version_id", "ai_model_versions", "validationResults"),
    fk("validatedByUser", "validated_by_user_id", "users", "validationResults"),
])
.rules(ServiceOnly, ServiceOnly)
.describe("Results from validating an AI model version.");

/// Deployments of AI model versions.
pub const AI_MODEL_DEPLOYMENTS: Table = Table::new("ai_model_deployments", "AIModelDeployment", "id", &[
    col("id", Uuid).generated(),
    col("model_version_id", Uuid),
    col("environment", Enum(&["staging", "production", "testing"])).max_len(50),
    col(
        "status",
        Enum(&["Initiated", "Deploying", "Active", "Inactive", "Failed", "RolledBack"]),
    )
    .max_len(50)
    .default(),
    col("deployment_strategy", Text).max_len(50).null(),
    col("endpoint", Text).max_len(255).null(),
    col("kubernetes_details", Json).null(),
    col("deployed_by_user_id", Uuid).null(),
    col("deployment_timestamp", Timestamp).default(),
    col("created_at", Timestamp).default(),
    col("updated_at", Timestamp).managed(),
])
.belongs_to(&[
    fk("modelVersion", "model_version_id", "ai_model_versions", "deployments"),
    fk("deployedByUser", "deployed_by_user_id", "users", "deployments"),
])
.rules(ServiceOnly, ServiceOnly)
.describe("Record of AI model version deployments.");

/// User feedback on outputs of specific AI models.
pub const AI_MODEL_FEEDBACK: Table = Table::new("ai_model_feedback", "AIModelFeedback", "id", &[
    col("id", Uuid).generated(),
    col("user_id", Uuid).null(),
    col("generation_request_id", Uuid).null(),
    col("model_version_id", Uuid).null(),
    col("rating", Int).null(),
    col("comment", Text).null(),
    col("feedback_timestamp", Timestamp).default(),
    col("details", Json).null(),
    col("created_at", Timestamp).default(),
])
.belongs_to(&[
    fk("user", "user_id", "users", "modelFeedback"),
    fk("generationRequest", "generation_request_id", "generation_requests", "feedback"),
    fk("modelVersion", "model_version_id", "ai_model_versions", "feedback"),
])
.rules(Owner("user_id"), Owner("user_id"))
.describe("User feedback on outputs from specific AI models.");

/// Placeholders of `seed.sql` and their defaults (a small demo set); the
/// benchmark set is `users=50 workbenches_per_user=2 projects_per_workbench=5
/// assets_per_project=20 versions_per_asset=5` (500 × 20 × 5).
pub const SEED_DEFAULTS: &[(&str, u32)] = &[
    ("users", 10),
    ("workbenches_per_user", 2),
    ("projects_per_workbench", 3),
    ("assets_per_project", 5),
    ("versions_per_asset", 3),
];

/// The benchmark data set: 500 projects × 20 assets × 5 versions.
pub const SEED_BENCH: &[(&str, u32)] = &[
    ("users", 50),
    ("workbenches_per_user", 2),
    ("projects_per_workbench", 5),
    ("assets_per_project", 20),
    ("versions_per_asset", 5),
];
