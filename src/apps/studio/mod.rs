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

#[rustfmt::skip]
pub mod structure;

use super::AppDef;
use crate::catalog::{
    encrypted, fixed, hashed, m2m, service_writes, topic, writable_when, write_only, ActsAs, ApiKeys, AppDecl, Membership, Rel, Rule::*,
    TableDecl, Watch,
};
use crate::db::demo::{DemoData, DemoUser};

/// The studio app, as registered in [`super::APPS`].
pub static APP: AppDef = AppDef::new(
    &DECL,
    &[],
    None,
    Some(DemoData {
        script: include_str!("seed.sql"),
        defaults: SEED_DEFAULTS,
        bench: SEED_BENCH,
        guard_table: "users",
        users: DEMO_USERS,
    }),
);

/// Users of the default demo data to sign in as: team 1 ("Northwind
/// Creative") has one member of each role. Ids are `md5('user-<n>')::uuid`.
pub const DEMO_USERS: &[DemoUser] = &[
    DemoUser {
        name: "ada",
        sub: "d6d77053-92bc-7af6-3332-8bea8c4c6904",
        about: "user 1, Enterprise tier, Owner of team Northwind Creative: her own rows, and all of her team's",
    },
    DemoUser {
        name: "ben",
        sub: "3d58ce20-fe80-2793-e0b2-21905baa60b3",
        about: "user 2, Pro tier, Admin of Northwind Creative: manages its members and brand kits, cannot take it over",
    },
    DemoUser {
        name: "chloe",
        sub: "134ad24e-9980-6ca1-1119-7065657dbf5e",
        about: "user 3, Free tier, Editor of Northwind Creative: edits the team's brand kits",
    },
    DemoUser {
        name: "daniel",
        sub: "24b299d7-67a9-79b1-ef4b-2e634067c8ad",
        about: "user 4, Free tier, Viewer of Northwind Creative: reads the team's kits, changes only his own rows",
    },
];

/// The studio app's declarations: its tables, in dependency order.
pub const DECL: AppDecl = AppDecl {
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
    structure: structure::ALL,
    include: &[],
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
    // Team members talk on their team's topic; a project's and a user's own
    // topics are their owner's alone.
    topics: &[topic("team", "teams"), topic("project", "projects"), topic("user", "users")],
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
pub const USERS: TableDecl = TableDecl::new(&structure::USERS)
    .secrets(&[
        hashed("password_hash", "password"),
        write_only("email_verification_token"),
        write_only("password_reset_token"),
        encrypted("mfa_secret"),
    ])
    .columns(&[
        service_writes("is_email_verified"),
        service_writes("subscription_tier"),
        service_writes("credit_balance"),
        service_writes("last_login_at"),
        service_writes("social_provider"),
        service_writes("social_provider_id"),
        service_writes("email_verification_token"),
        service_writes("password_reset_token"),
        service_writes("password_reset_expires"),
    ])
    .rules(Owner("id"), Owner("id"))
    .describe("Represents a registered user account.");

/// Collaboration groups for team accounts.
pub const TEAMS: TableDecl = TableDecl::new(&structure::TEAMS)
    .relations(&[Rel::reverse("owner_id", "ownedTeams")])
    // Only the owner hands the team over, to any user (whose row they cannot read).
    .open(&["owner_id"])
    .columns(&[writable_when("owner_id", Owner("owner_id"))])
    .rules(AnyOf(&[Owner("owner_id"), Member(&TEAM_READERS)]), AnyOf(&[Owner("owner_id"), Member(&TEAM_ADMINS)]))
    .describe("Collaboration group for team accounts.");

/// Memberships of users in teams (the users ↔ teams join table).
pub const TEAM_MEMBERS: TableDecl = TableDecl::new(&structure::TEAM_MEMBERS)
    .relations(&[Rel::reverse("team_id", "memberships"), Rel::reverse("user_id", "teamMemberships")])
    // Owners add other users, whose rows they cannot read, by id.
    .open(&["user_id"])
    // User.teams and Team.members; no clash with either type's columns or relations.
    .many_to_many(&[m2m("user_id", "teams", "team_id", "members")])
    .columns(&[fixed("team_id"), fixed("user_id")])
    // The team's owners write any membership; its admins (who may write the
    // team) only memberships below Owner, before and after the change: an
    // Admin can neither grant Owner (to anyone, themself included) nor
    // demote or remove an Owner.
    .rules(
        AnyOf(&[Owner("user_id"), Via("team_id")]),
        AnyOf(&[Member(&TEAM_OWNER_MEMBERS), Member(&TEAM_OWNER), AllOf(&[Via("team_id"), OneOf("role", &["Admin", "Editor", "Viewer"])])]),
    )
    .describe("Association between users and teams.");

/// Owner members of a membership's team.
const TEAM_OWNER_MEMBERS: Membership =
    Membership { column: "team_id", table: "team_members", group: "team_id", user: "user_id", roles: Some(("role", &["Owner"])) };
/// The owner (`teams.owner_id`) of a membership's team.
const TEAM_OWNER: Membership = Membership { column: "team_id", table: "teams", group: "id", user: "owner_id", roles: None };

/// Brand kits: brand assets and preferences of a user or team.
pub const BRAND_KITS: TableDecl = TableDecl::new(&structure::BRAND_KITS)
    .rules(
        AnyOf(&[Owner("user_id"), Member(&BRAND_KIT_VIEWERS)]),
        AnyOf(&[AllOf(&[Owner("user_id"), IsNull("team_id")]), Member(&BRAND_KIT_EDITORS)]),
    )
    .describe("Collection of brand assets and preferences. Can belong to a user or a team.");

/// Workbenches: containers organizing a user's creative projects.
pub const WORKBENCHES: TableDecl = TableDecl::new(&structure::WORKBENCHES)
    .columns(&[fixed("user_id")])
    .columns(&[fixed("user_id")])
    .rules(Owner("user_id"), Owner("user_id"))
    .describe("Container for organizing creative projects.");

/// Predefined (system) or user-saved creative templates.
pub const TEMPLATES: TableDecl = TableDecl::new(&structure::TEMPLATES)
    .rules(AnyOf(&[IsTrue("is_public"), Owner("user_id")]), Owner("user_id"))
    .describe("Predefined or user-saved creative templates.");

/// Creative projects, grouped in workbenches.
pub const PROJECTS: TableDecl = TableDecl::new(&structure::PROJECTS)
    .columns(&[fixed("user_id")])
    .columns(&[fixed("user_id")])
    .rules(Owner("user_id"), AllOf(&[Owner("user_id"), Via("workbench_id")]))
    .describe("Creative project containing assets and generation requests.");

/// Creative asset files, uploaded or AI-generated.
pub const ASSETS: TableDecl = TableDecl::new(&structure::ASSETS)
    .rules(Owner("user_id"), AllOf(&[Owner("user_id"), AnyOf(&[IsNull("project_id"), Via("project_id")])]))
    .describe("Represents a specific creative asset file (uploaded or AI-generated).");

/// AI creative generation requests and their results.
pub const GENERATION_REQUESTS: TableDecl = TableDecl::new(&structure::GENERATION_REQUESTS)
    .relations(&[Rel::reverse("final_asset_id", "finalizedGenerationRequests")])
    .columns(&[fixed("user_id")])
    .columns(&[
        fixed("user_id"),
        service_writes("status"),
        service_writes("error_message"),
        service_writes("sample_assets"),
        service_writes("final_asset_id"),
        service_writes("credits_cost_sample"),
        service_writes("credits_cost_final"),
        service_writes("ai_model_used"),
        service_writes("processing_time_ms"),
    ])
    .rules(Owner("user_id"), AllOf(&[Owner("user_id"), AnyOf(&[IsNull("project_id"), Via("project_id")])]))
    .scope("generate")
    .describe("AI creative generation request details and results.");

/// Version history of assets or project states.
pub const ASSET_VERSIONS: TableDecl = TableDecl::new(&structure::ASSET_VERSIONS)
    .relations(&[Rel::reverse("asset_id", "versions"), Rel::reverse("created_by_user_id", "createdAssetVersions")])
    .rules(AnyOf(&[Via("asset_id"), Via("project_id")]), AnyOf(&[Via("asset_id"), Via("project_id")]))
    .scope("assets")
    .describe("Version history for creative assets or project states.");

/// A user's connected social media accounts (OAuth tokens are write-only).
pub const SOCIAL_MEDIA_CONNECTIONS: TableDecl = TableDecl::new(&structure::SOCIAL_MEDIA_CONNECTIONS)
    .secrets(&[encrypted("access_token"), encrypted("refresh_token")])
    .columns(&[fixed("user_id")])
    .rules(Owner("user_id"), Owner("user_id"))
    .describe("User's connected social media accounts.");

/// API access credentials for developers (the secret hash is write-only).
pub const API_CLIENTS: TableDecl = TableDecl::new(&structure::API_CLIENTS)
    .named("APIClient")
    .secrets(&[hashed("secret_hash", "secret")])
    .columns(&[fixed("user_id"), fixed("api_key")])
    .rules(Owner("user_id"), Owner("user_id"))
    .describe("API access credentials for developers.");

/// User subscriptions, synced with Odoo.
pub const SUBSCRIPTIONS: TableDecl =
    TableDecl::new(&structure::SUBSCRIPTIONS).rules(Owner("user_id"), ServiceOnly).describe("User subscription details, synced with Odoo.");

/// Credit usage and purchase records, synced from Odoo.
// Partitioned by range on created_at: the SQL primary key is (id, created_at),
// but `id` alone (a UUID) identifies a row for the API.
pub const CREDIT_TRANSACTIONS: TableDecl = TableDecl::new(&structure::CREDIT_TRANSACTIONS)
    // Partitioned by created_at, which widens the primary key; id alone identifies a row.
    .key("id")
    .rules(Owner("user_id"), ServiceOnly)
    .describe("Credit usage and purchase records, synced from Odoo.");

/// Log of billable or trackable user actions (bigserial key).
pub const USAGE_LOGS: TableDecl = TableDecl::new(&structure::USAGE_LOGS)
    .rules(Owner("user_id"), ServiceOnly)
    .describe("Detailed log of billable or trackable user actions.");

/// User authentication sessions.
pub const SESSIONS: TableDecl =
    TableDecl::new(&structure::SESSIONS).rules(Owner("user_id"), Owner("user_id")).describe("User authentication sessions.");

/// System notifications for users.
// Partitioned by range on created_at: the SQL primary key is (id, created_at),
// but `id` alone (a UUID) identifies a row for the API.
pub const NOTIFICATIONS: TableDecl = TableDecl::new(&structure::NOTIFICATIONS)
    // Partitioned by created_at, which widens the primary key; id alone identifies a row.
    .key("id")
    .columns(&[fixed("user_id"), service_writes("expires_at")])
    .columns(&[fixed("user_id")])
    .rules(Owner("user_id"), Owner("user_id"))
    .describe("System notifications for users.");

/// AI models available on the platform.
pub const AI_MODELS: TableDecl = TableDecl::new(&structure::AI_MODELS)
    .named("AIModel")
    .rules(IsTrue("is_active"), ServiceOnly)
    .describe("Metadata for AI models available on the platform.");

/// Specific versions of AI models.
pub const AI_MODEL_VERSIONS: TableDecl = TableDecl::new(&structure::AI_MODEL_VERSIONS)
    .named("AIModelVersion")
    .relations(&[
        Rel::reverse("model_id", "versions"),
        Rel::reverse("validation_result_id", "referencingModelVersions"),
        Rel::reverse("created_by_user_id", "createdModelVersions"),
    ])
    .rules(Via("model_id"), ServiceOnly)
    .describe("Specific versions of AI models.");

/// Results from validating an AI model version.
pub const AI_MODEL_VALIDATION_RESULTS: TableDecl = TableDecl::new(&structure::AI_MODEL_VALIDATION_RESULTS)
    .named("AIModelValidationResult")
    .relations(&[Rel::reverse("model_version_id", "validationResults"), Rel::reverse("validated_by_user_id", "validationResults")])
    .rules(ServiceOnly, ServiceOnly)
    .describe("Results from validating an AI model version.");

/// Deployments of AI model versions.
pub const AI_MODEL_DEPLOYMENTS: TableDecl = TableDecl::new(&structure::AI_MODEL_DEPLOYMENTS)
    .named("AIModelDeployment")
    .relations(&[Rel::reverse("model_version_id", "deployments"), Rel::reverse("deployed_by_user_id", "deployments")])
    .rules(ServiceOnly, ServiceOnly)
    .describe("Record of AI model version deployments.");

/// User feedback on outputs of specific AI models.
pub const AI_MODEL_FEEDBACK: TableDecl = TableDecl::new(&structure::AI_MODEL_FEEDBACK)
    .named("AIModelFeedback")
    .relations(&[
        Rel::reverse("user_id", "modelFeedback"),
        Rel::reverse("generation_request_id", "feedback"),
        Rel::reverse("model_version_id", "feedback"),
    ])
    .columns(&[fixed("user_id")])
    .rules(Owner("user_id"), Owner("user_id"))
    .describe("User feedback on outputs from specific AI models.");

/// Placeholders of `seed.sql` and their defaults (a small demo set); the
/// benchmark set is `users=50 workbenches_per_user=2 projects_per_workbench=5
/// assets_per_project=20 versions_per_asset=5` (500 × 20 × 5).
pub const SEED_DEFAULTS: &[(&str, u32)] =
    &[("users", 10), ("workbenches_per_user", 2), ("projects_per_workbench", 3), ("assets_per_project", 5), ("versions_per_asset", 3)];

/// The benchmark data set: 500 projects × 20 assets × 5 versions.
pub const SEED_BENCH: &[(&str, u32)] =
    &[("users", 50), ("workbenches_per_user", 2), ("projects_per_workbench", 5), ("assets_per_project", 20), ("versions_per_asset", 5)];
