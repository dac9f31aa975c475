//! The `platform` app (seed 003, a Prisma model): workspaces with their
//! members, social accounts, scheduled and published posts, the inbox and its
//! drafts, brand profiles, crisis and policy checks, the ad-budget allocator,
//! workflows, digital assets and connections; besides them user-owned apps,
//! boxes, image enhancement, albums, merch orders, billing and analytics.
//!
//! Structure: `structure.rs`, generated from the migration
//! `2026-12-01-180000_platform` (written by `scripts/platform_migration.py`,
//! whose header lists every choice the seed leaves open).
//!
//! Secret (write-only) columns: `users.passwordHash`, `api_keys.keyHash` and
//! `workflow_webhooks.secretHash` are stored as argon2id hashes of what is
//! written (`password`, `key`, `secret`); the OAuth tokens of `accounts` and
//! `marketing_accounts`, `social_accounts.accessTokenEncrypted` /
//! `.refreshTokenEncrypted` and `allocator_autopilot_configs.encryptedSettings`
//! are encrypted with the server key; `sessions.sessionToken`,
//! `verification_tokens.token` and `workflow_webhooks.webhookToken` are stored
//! as written and never read back. Capability tokens that stay readable, by
//! the only callers who can read their rows: `shareToken` of enhanced images,
//! albums and pipelines (their owner hands the link out), `users.referralCode`
//! (its user and the people sharing a workspace with them, who may pass it
//! on), `api_keys.keyPrefix` (to tell keys apart); voucher codes are in
//! a service-only table. API keys are presented as `<api_keys.id>.<secret>`
//! (`X-API-Key`) and act for their user while `isActive`.
//!
//! Row rules. A workspace's rows are read by its members (`workspace_members`,
//! any `WorkspaceRole`) and written by `OWNER`, `ADMIN` and `MEMBER` (not
//! `VIEWER`); the workspace itself (settings, billing), its members, audit
//! retention and autopilot settings by `OWNER` and `ADMIN`. Tables under a
//! workspace row follow their parent (`Via`). Rows collected by the service
//! (metrics, health, alerts, executions, order lines) are read like their
//! parent and written by the service. Logs and audit tables are read by the
//! admins of their workspace and written by the service (`draft_audit_logs`
//! carry no workspace: they are read like their draft; `audit_logs`,
//! `error_logs` and `email_logs` carry none either and are service-only). User-owned tables
//! follow `userId`. A user's own row (`users`) is read by that user and by
//! the people sharing a workspace with them (`SharesGroup`, any role: member
//! lists show names and pictures), and written by that user alone. Public
//! albums (`privacy = PUBLIC`) and pipelines (`visibility = PUBLIC`) are read
//! by everyone (`OneOf`); `UNLISTED` albums and `LINK` pipelines stay their
//! owner's. Billing rows (balances, transactions, payments,
//! subscriptions, orders) are read by their user and written by the service.
//! Global catalogs (plans, token packages, box tiers, merch catalogue, feature
//! flags, recovery guidance, active gallery items) are public and written by
//! the service. NextAuth's `accounts`, `sessions`, `verification_tokens`,
//! analytics, A/B tests, vouchers and external agent sessions are service-only.
//!
//! Soft delete (`deletedAt` on `workspaces`, `apps`, `app_messages`,
//! `boxes`): lists hide soft-deleted rows, and the rows under a soft-deleted
//! workspace or app (they are read `Via` it), unless asked for with
//! `includeDeleted: true` (`AskedForDeleted`) by someone who may see them: a
//! workspace's owner and admins (to restore it), an app's or box's owner.
//! Members never see a soft-deleted workspace or its rows. Lookups by key
//! (root lookups and references) show a soft-deleted row to those same
//! callers without being asked; change events never show one.

pub mod domain;
#[rustfmt::skip]
pub mod structure;

use super::AppDef;
use crate::catalog::{
    encrypted, hashed, m2m, rel, topic, write_only, ActsAs, ApiKeys, AppDecl, Membership, Rel, Rule, Rule::*, TableDecl, Watch,
};
use crate::db::demo::{DemoData, DemoUser};
use crate::graphql::DomainMutation;

/// The platform app, as registered in [`super::APPS`].
pub static APP: AppDef = AppDef::new(
    &DECL,
    &[DomainMutation { name: "createOwnedWorkspace", field: domain::create_owned_workspace }],
    None,
    Some(DemoData {
        script: include_str!("seed.sql"),
        defaults: SEED_DEFAULTS,
        bench: SEED_BENCH,
        guard_table: "users",
        users: DEMO_USERS,
    }),
);

/// Users of the default demo data to sign in as: workspace `ws-1` has one
/// member of each `WorkspaceRole` (ids are the seed's readable `user-<n>`).
pub const DEMO_USERS: &[DemoUser] = &[
    DemoUser { name: "owner", sub: "user-1", about: "OWNER of workspace ws-1: all of its rows, its settings, members and billing" },
    DemoUser { name: "admin", sub: "user-2", about: "ADMIN of ws-1: its content, settings, members and audit logs" },
    DemoUser { name: "member", sub: "user-3", about: "MEMBER of ws-1: reads and writes its content, not its settings" },
    DemoUser { name: "viewer", sub: "user-4", about: "VIEWER of ws-1 (and OWNER of ws-2): reads ws-1, writes nothing there" },
];

/// The default demo data set: 12 users, 4 workspaces with a member of every
/// role, 4 social accounts and 7 scheduled posts (one per status) on 2
/// accounts each, inbox items, notifications, workflows with runs, merch orders.
pub const SEED_DEFAULTS: &[(&str, u32)] = &[
    ("users", 12),
    ("workspaces", 4),
    ("accounts_per_workspace", 4),
    ("posts_per_workspace", 7),
    ("accounts_per_post", 2),
    ("inbox_per_workspace", 5),
];

/// The benchmark data set: 200 workspaces × 50 scheduled posts × 3 accounts
/// each, out of 10 social accounts per workspace.
pub const SEED_BENCH: &[(&str, u32)] = &[
    ("users", 400),
    ("workspaces", 200),
    ("accounts_per_workspace", 10),
    ("posts_per_workspace", 50),
    ("accounts_per_post", 3),
    ("inbox_per_workspace", 10),
];

/// The platform app's declarations: its tables, in seed order.
pub const DECL: AppDecl = AppDecl {
    name: "platform",
    tables: &[
        USERS,
        CAMPAIGN_BRIEFS,
        CAMPAIGN_TARGET_AUDIENCES,
        CAMPAIGN_OBJECTIVES,
        ACCOUNTS,
        MARKETING_ACCOUNTS,
        GOOGLE_ADS_CAMPAIGNS,
        SESSIONS,
        VERIFICATION_TOKENS,
        APPS,
        REQUIREMENTS,
        MONETIZATION_MODELS,
        APP_MESSAGES,
        APP_STATUS_HISTORY,
        APP_IMAGES,
        APP_ATTACHMENTS,
        APP_CODE_VERSIONS,
        USER_TOKEN_BALANCES,
        TOKEN_TRANSACTIONS,
        TOKENS_PACKAGES,
        STRIPE_PAYMENTS,
        ENHANCED_IMAGES,
        IMAGE_ENHANCEMENT_JOBS,
        SUBSCRIPTIONS,
        SUBSCRIPTION_PLANS,
        ALBUMS,
        ALBUM_IMAGES,
        VOUCHERS,
        VOUCHER_REDEMPTIONS,
        REFERRALS,
        AUDIT_LOGS,
        WORKSPACE_AUDIT_LOGS,
        AI_DECISION_LOGS,
        AUDIT_RETENTION_POLICIES,
        ARCHIVED_AUDIT_LOGS,
        ERROR_LOGS,
        FEEDBACK,
        INBOX_SUGGESTED_RESPONSES,
        ESCALATION_EVENTS,
        FEATURED_GALLERY_ITEMS,
        BOX_TIERS,
        BOXES,
        BOX_ACTIONS,
        AGENT_TASKS,
        SANDBOX_JOBS,
        EMAIL_LOGS,
        TRACKED_URLS,
        API_KEYS,
        MCP_GENERATION_JOBS,
        BOX_MESSAGES,
        ENHANCEMENT_PIPELINES,
        VISITOR_SESSIONS,
        PAGE_VIEWS,
        ANALYTICS_EVENTS,
        CAMPAIGN_ATTRIBUTIONS,
        CAMPAIGN_METRICS_CACHE,
        CAMPAIGN_LINKS,
        AUDIO_MIXER_PROJECTS,
        AUDIO_TRACKS,
        MERCH_CATEGORIES,
        MERCH_PRODUCTS,
        MERCH_VARIANTS,
        MERCH_CARTS,
        MERCH_CART_ITEMS,
        MERCH_ORDERS,
        MERCH_ORDER_ITEMS,
        MERCH_SHIPMENTS,
        MERCH_ORDER_EVENTS,
        MERCH_WEBHOOK_EVENTS,
        EXTERNAL_AGENT_SESSIONS,
        AGENT_SESSION_ACTIVITIES,
        SCOUT_COMPETITORS,
        SCOUT_COMPETITOR_POSTS,
        SCOUT_BENCHMARKS,
        SOCIAL_ACCOUNTS,
        SOCIAL_POSTS,
        SOCIAL_POST_ACCOUNTS,
        SOCIAL_METRICS,
        SOCIAL_METRIC_ANOMALIES,
        WORKSPACES,
        WORKSPACE_FAVORITES,
        WORKSPACE_RECENT_ACCESS,
        WORKSPACE_MEMBERS,
        CONNECTIONS,
        CONNECTION_PLATFORM_PRESENCE,
        CONNECTION_TAGS,
        CONNECTION_REMINDERS,
        MEETUP_STATUS_HISTORY,
        BRAND_PROFILES,
        BRAND_GUARDRAILS,
        BRAND_VOCABULARY,
        CONTENT_REWRITES,
        SCHEDULED_POSTS,
        SCHEDULED_POST_ACCOUNTS,
        POSTING_TIME_RECOMMENDATIONS,
        CALENDAR_CONTENT_SUGGESTIONS,
        INBOX_ITEMS,
        RELAY_DRAFTS,
        DRAFT_EDIT_HISTORY,
        DRAFT_AUDIT_LOGS,
        CRISIS_DETECTION_EVENTS,
        CRISIS_RESPONSE_TEMPLATES,
        CRISIS_ALERT_RULES,
        SOCIAL_ACCOUNT_HEALTH,
        RECOVERY_GUIDANCE,
        ACCOUNT_HEALTH_EVENTS,
        NOTIFICATIONS,
        POLICY_RULES,
        POLICY_CHECKS,
        POLICY_VIOLATIONS,
        SCOUT_TOPICS,
        SCOUT_RESULTS,
        CONTENT_SUGGESTIONS,
        ALLOCATOR_CAMPAIGNS,
        ALLOCATOR_AD_SETS,
        ALLOCATOR_AUTOPILOT_CONFIGS,
        ALLOCATOR_GUARDRAIL_ALERTS,
        ALLOCATOR_AUTOPILOT_EXECUTIONS,
        WORKFLOWS,
        WORKFLOW_VERSIONS,
        WORKFLOW_STEPS,
        WORKFLOW_RUNS,
        WORKFLOW_RUN_LOGS,
        WORKFLOW_SCHEDULES,
        WORKFLOW_WEBHOOKS,
        WORKFLOW_EVENT_SUBSCRIPTIONS,
        ALLOCATOR_DAILY_BUDGET_MOVES,
        ALLOCATOR_AUDIT_LOGS,
        AB_TEST,
        AB_TEST_VARIANT,
        AB_TEST_RESULT,
        FEATURE_FLAGS,
        ASSET_FOLDERS,
        ASSET_TAGS,
        ASSETS,
        ASSET_TAG_ASSIGNMENTS,
        POST_ASSETS,
        SCHEDULED_POST_ASSETS,
        IDENTITIES,
        IDENTIFIERS,
        CONNECTION_TO_CONNECTION_TAG,
    ],
    structure: structure::ALL,
    include: &[],
    watches: &[
        Watch {
            field: "myNotifications",
            table: "notifications",
            column: "userId",
            events: &["INSERT", "UPDATE"],
            until: None,
            description: "New notifications of a user and changes to their read state.",
        },
        Watch {
            field: "workspaceInboxItems",
            table: "inbox_items",
            column: "workspaceId",
            events: &["INSERT", "UPDATE", "DELETE"],
            until: None,
            description: "Inbox items of a workspace as they arrive, change status or are removed.",
        },
        Watch {
            field: "workspaceScheduledPosts",
            table: "scheduled_posts",
            column: "workspaceId",
            events: &["INSERT", "UPDATE", "DELETE"],
            until: None,
            description: "Scheduled posts of a workspace: new ones and status changes.",
        },
        Watch {
            field: "accountScheduledPosts",
            table: "scheduled_post_accounts",
            column: "accountId",
            events: &["INSERT", "UPDATE", "DELETE"],
            until: None,
            description: "The per-account publishing status of scheduled posts on one social account.",
        },
    ],
    // A key is presented as `<api_keys.id>.<secret>` and acts for its user;
    // the secret is written once as `key` and kept as an argon2id hash.
    api_keys: Some(ApiKeys {
        table: "api_keys",
        lookup: "id",
        secret: "keyHash",
        active: "isActive",
        expires: None,
        acts_as: ActsAs::User("userId"),
        permissions: None,
    }),
    // A workspace's members share its topic; an app's topic is its owner's.
    topics: &[topic("workspace", "workspaces"), topic("app", "apps")],
};

/// Any member of the workspace a row belongs to (`workspaceId`).
const WS_READERS: Membership =
    Membership { column: "workspaceId", table: "workspace_members", group: "workspaceId", user: "userId", roles: None };
/// Members above the read-only `VIEWER` role change a workspace's content.
const WS_WRITERS: Membership = Membership {
    column: "workspaceId",
    table: "workspace_members",
    group: "workspaceId",
    user: "userId",
    roles: Some(("role", &["OWNER", "ADMIN", "MEMBER"])),
};
/// Owners and admins of the row's workspace (members, settings, audit).
const WS_ADMINS: Membership = Membership {
    column: "workspaceId",
    table: "workspace_members",
    group: "workspaceId",
    user: "userId",
    roles: Some(("role", &["OWNER", "ADMIN"])),
};
/// Any member of the workspace itself (`workspaces.id`).
const WORKSPACE_READERS: Membership =
    Membership { column: "id", table: "workspace_members", group: "workspaceId", user: "userId", roles: None };
/// Owners and admins of the workspace itself (settings, billing).
const WORKSPACE_ADMINS: Membership = Membership {
    column: "id",
    table: "workspace_members",
    group: "workspaceId",
    user: "userId",
    roles: Some(("role", &["OWNER", "ADMIN"])),
};

/// The people of a workspace see each other's `users` rows (any role).
const WORKSPACE_PEERS: Membership =
    Membership { column: "id", table: "workspace_members", group: "workspaceId", user: "userId", roles: None };

/// Not soft-deleted (`deletedAt` is NULL), unless soft-deleted rows were asked for.
const LIVE: Rule = AnyOf(&[IsNull("deletedAt"), AskedForDeleted]);

/// `platform.users`: each user and the people sharing a workspace with them.
pub const USERS: TableDecl = TableDecl::new(&structure::USERS)
    .secrets(&[hashed("passwordHash", "password")])
    .relations(&[Rel::reverse("referredById", "referredUsers")])
    .rules(AnyOf(&[Owner("id"), SharesGroup(&WORKSPACE_PEERS)]), Owner("id"));

/// `platform.campaign_briefs`.
pub const CAMPAIGN_BRIEFS: TableDecl = TableDecl::new(&structure::CAMPAIGN_BRIEFS).rules(Owner("userId"), Owner("userId"));

/// `platform.campaign_target_audiences`.
pub const CAMPAIGN_TARGET_AUDIENCES: TableDecl =
    TableDecl::new(&structure::CAMPAIGN_TARGET_AUDIENCES).rules(Via("briefId"), Via("briefId"));

/// `platform.campaign_objectives`.
pub const CAMPAIGN_OBJECTIVES: TableDecl = TableDecl::new(&structure::CAMPAIGN_OBJECTIVES)
    // CampaignBrief has a JSON column campaignObjectives.
    .relations(&[Rel::reverse("briefId", "objectives")])
    .rules(Via("briefId"), Via("briefId"));

/// `platform.accounts`.
pub const ACCOUNTS: TableDecl = TableDecl::new(&structure::ACCOUNTS)
    .secrets(&[encrypted("refresh_token"), encrypted("access_token"), encrypted("id_token")])
    .rules(ServiceOnly, ServiceOnly);

/// `platform.marketing_accounts`.
pub const MARKETING_ACCOUNTS: TableDecl = TableDecl::new(&structure::MARKETING_ACCOUNTS)
    .secrets(&[encrypted("accessToken"), encrypted("refreshToken")])
    .rules(Owner("userId"), Owner("userId"));

/// `platform.google_ads_campaigns`.
pub const GOOGLE_ADS_CAMPAIGNS: TableDecl =
    TableDecl::new(&structure::GOOGLE_ADS_CAMPAIGNS).rules(Via("marketingAccountId"), Via("marketingAccountId"));

/// `platform.sessions`.
pub const SESSIONS: TableDecl = TableDecl::new(&structure::SESSIONS).secrets(&[write_only("sessionToken")]).rules(ServiceOnly, ServiceOnly);

/// `platform.verification_tokens`.
pub const VERIFICATION_TOKENS: TableDecl =
    TableDecl::new(&structure::VERIFICATION_TOKENS).secrets(&[write_only("token")]).rules(ServiceOnly, ServiceOnly);

/// `platform.apps`.
pub const APPS: TableDecl = TableDecl::new(&structure::APPS)
    // The seed labels the self-reference `forkedFrom` as `parentApp`.
    .relations(&[rel("forkedFrom", "parentApp", "forks")])
    .rules(AllOf(&[Owner("userId"), LIVE]), Owner("userId"));

/// `platform.requirements`.
pub const REQUIREMENTS: TableDecl = TableDecl::new(&structure::REQUIREMENTS).rules(Via("appId"), Via("appId"));

/// `platform.monetization_models`.
pub const MONETIZATION_MODELS: TableDecl = TableDecl::new(&structure::MONETIZATION_MODELS).rules(Via("appId"), Via("appId"));

/// `platform.app_messages`.
pub const APP_MESSAGES: TableDecl = TableDecl::new(&structure::APP_MESSAGES).rules(AllOf(&[Via("appId"), LIVE]), Via("appId"));

/// `platform.app_status_history`.
pub const APP_STATUS_HISTORY: TableDecl = TableDecl::new(&structure::APP_STATUS_HISTORY).rules(Via("appId"), Via("appId"));

/// `platform.app_images`.
pub const APP_IMAGES: TableDecl = TableDecl::new(&structure::APP_IMAGES).rules(Via("appId"), Via("appId"));

/// `platform.app_attachments`.
pub const APP_ATTACHMENTS: TableDecl = TableDecl::new(&structure::APP_ATTACHMENTS)
    .many_to_many(&[m2m("messageId", "images", "imageId", "messages")])
    .rules(Via("messageId"), AllOf(&[Via("messageId"), Via("imageId")]));

/// `platform.app_code_versions`.
pub const APP_CODE_VERSIONS: TableDecl = TableDecl::new(&structure::APP_CODE_VERSIONS).rules(Via("appId"), Via("appId"));

/// `platform.user_token_balances`.
pub const USER_TOKEN_BALANCES: TableDecl = TableDecl::new(&structure::USER_TOKEN_BALANCES).rules(Owner("userId"), ServiceOnly);

/// `platform.token_transactions`.
pub const TOKEN_TRANSACTIONS: TableDecl = TableDecl::new(&structure::TOKEN_TRANSACTIONS).rules(Owner("userId"), ServiceOnly);

/// `platform.tokens_packages`.
pub const TOKENS_PACKAGES: TableDecl = TableDecl::new(&structure::TOKENS_PACKAGES).rules(Public, ServiceOnly);

/// `platform.stripe_payments`.
pub const STRIPE_PAYMENTS: TableDecl = TableDecl::new(&structure::STRIPE_PAYMENTS).rules(Owner("userId"), ServiceOnly);

/// `platform.enhanced_images`.
pub const ENHANCED_IMAGES: TableDecl = TableDecl::new(&structure::ENHANCED_IMAGES).rules(Owner("userId"), Owner("userId"));

/// `platform.image_enhancement_jobs`.
pub const IMAGE_ENHANCEMENT_JOBS: TableDecl = TableDecl::new(&structure::IMAGE_ENHANCEMENT_JOBS).rules(Owner("userId"), Owner("userId"));

/// `platform.subscriptions`.
pub const SUBSCRIPTIONS: TableDecl = TableDecl::new(&structure::SUBSCRIPTIONS).rules(Owner("userId"), ServiceOnly);

/// `platform.subscription_plans`.
pub const SUBSCRIPTION_PLANS: TableDecl = TableDecl::new(&structure::SUBSCRIPTION_PLANS).rules(Public, ServiceOnly);

/// `platform.albums`.
pub const ALBUMS: TableDecl =
    TableDecl::new(&structure::ALBUMS).rules(AnyOf(&[Owner("userId"), OneOf("privacy", &["PUBLIC"])]), Owner("userId"));

/// `platform.album_images`.
pub const ALBUM_IMAGES: TableDecl = TableDecl::new(&structure::ALBUM_IMAGES)
    .many_to_many(&[m2m("albumId", "images", "imageId", "albums")])
    .rules(Via("albumId"), AllOf(&[Via("albumId"), Via("imageId")]));

/// `platform.vouchers`.
pub const VOUCHERS: TableDecl = TableDecl::new(&structure::VOUCHERS).rules(ServiceOnly, ServiceOnly);

/// `platform.voucher_redemptions`.
pub const VOUCHER_REDEMPTIONS: TableDecl = TableDecl::new(&structure::VOUCHER_REDEMPTIONS).rules(Owner("userId"), ServiceOnly);

/// `platform.referrals`.
pub const REFERRALS: TableDecl =
    TableDecl::new(&structure::REFERRALS).rules(AnyOf(&[Owner("referrerId"), Owner("refereeId")]), ServiceOnly);

/// `platform.audit_logs`.
pub const AUDIT_LOGS: TableDecl = TableDecl::new(&structure::AUDIT_LOGS).rules(ServiceOnly, ServiceOnly);

/// `platform.workspace_audit_logs`.
pub const WORKSPACE_AUDIT_LOGS: TableDecl = TableDecl::new(&structure::WORKSPACE_AUDIT_LOGS).rules(Member(&WS_ADMINS), ServiceOnly);

/// `platform.ai_decision_logs`.
pub const AI_DECISION_LOGS: TableDecl = TableDecl::new(&structure::AI_DECISION_LOGS).rules(Member(&WS_ADMINS), ServiceOnly);

/// `platform.audit_retention_policies`.
pub const AUDIT_RETENTION_POLICIES: TableDecl =
    TableDecl::new(&structure::AUDIT_RETENTION_POLICIES).rules(Member(&WS_ADMINS), Member(&WS_ADMINS));

/// `platform.archived_audit_logs`.
pub const ARCHIVED_AUDIT_LOGS: TableDecl = TableDecl::new(&structure::ARCHIVED_AUDIT_LOGS).rules(Member(&WS_ADMINS), ServiceOnly);

/// `platform.error_logs`.
pub const ERROR_LOGS: TableDecl = TableDecl::new(&structure::ERROR_LOGS).rules(ServiceOnly, ServiceOnly);

/// `platform.feedback`.
pub const FEEDBACK: TableDecl = TableDecl::new(&structure::FEEDBACK).rules(Owner("userId"), Owner("userId"));

/// `platform.inbox_suggested_responses`.
pub const INBOX_SUGGESTED_RESPONSES: TableDecl =
    TableDecl::new(&structure::INBOX_SUGGESTED_RESPONSES).rules(Via("inboxItemId"), Via("inboxItemId"));

/// `platform.escalation_events`.
pub const ESCALATION_EVENTS: TableDecl = TableDecl::new(&structure::ESCALATION_EVENTS).rules(Via("inboxItemId"), Via("inboxItemId"));

/// `platform.featured_gallery_items`.
pub const FEATURED_GALLERY_ITEMS: TableDecl = TableDecl::new(&structure::FEATURED_GALLERY_ITEMS)
    // The seed labels `createdBy` as `creator`.
    .relations(&[Rel::field("createdBy", "creator")])
    .rules(IsTrue("isActive"), ServiceOnly);

/// `platform.box_tiers`.
pub const BOX_TIERS: TableDecl = TableDecl::new(&structure::BOX_TIERS).rules(Public, ServiceOnly);

/// `platform.boxes`.
pub const BOXES: TableDecl = TableDecl::new(&structure::BOXES).rules(AllOf(&[Owner("userId"), LIVE]), Owner("userId"));

/// `platform.box_actions`.
pub const BOX_ACTIONS: TableDecl = TableDecl::new(&structure::BOX_ACTIONS).rules(Via("boxId"), Via("boxId"));

/// `platform.agent_tasks`.
pub const AGENT_TASKS: TableDecl = TableDecl::new(&structure::AGENT_TASKS).rules(Via("boxId"), Via("boxId"));

/// `platform.sandbox_jobs`.
pub const SANDBOX_JOBS: TableDecl = TableDecl::new(&structure::SANDBOX_JOBS).rules(Via("appId"), Via("appId"));

/// `platform.email_logs`.
pub const EMAIL_LOGS: TableDecl = TableDecl::new(&structure::EMAIL_LOGS).rules(ServiceOnly, ServiceOnly);

/// `platform.tracked_urls`.
pub const TRACKED_URLS: TableDecl = TableDecl::new(&structure::TRACKED_URLS).rules(ServiceOnly, ServiceOnly);

/// `platform.api_keys`.
pub const API_KEYS: TableDecl =
    TableDecl::new(&structure::API_KEYS).secrets(&[hashed("keyHash", "key")]).rules(Owner("userId"), Owner("userId"));

/// `platform.mcp_generation_jobs`.
pub const MCP_GENERATION_JOBS: TableDecl = TableDecl::new(&structure::MCP_GENERATION_JOBS).rules(Owner("userId"), Owner("userId"));

/// `platform.box_messages`.
pub const BOX_MESSAGES: TableDecl = TableDecl::new(&structure::BOX_MESSAGES).rules(Via("boxId"), Via("boxId"));

/// `platform.enhancement_pipelines`.
pub const ENHANCEMENT_PIPELINES: TableDecl = TableDecl::new(&structure::ENHANCEMENT_PIPELINES)
    .rules(AnyOf(&[Owner("userId"), IsNull("userId"), OneOf("visibility", &["PUBLIC"])]), Owner("userId"));

/// `platform.visitor_sessions`.
pub const VISITOR_SESSIONS: TableDecl = TableDecl::new(&structure::VISITOR_SESSIONS).rules(ServiceOnly, ServiceOnly);

/// `platform.page_views`.
pub const PAGE_VIEWS: TableDecl = TableDecl::new(&structure::PAGE_VIEWS).rules(ServiceOnly, ServiceOnly);

/// `platform.analytics_events`.
pub const ANALYTICS_EVENTS: TableDecl = TableDecl::new(&structure::ANALYTICS_EVENTS).rules(ServiceOnly, ServiceOnly);

/// `platform.campaign_attributions`.
pub const CAMPAIGN_ATTRIBUTIONS: TableDecl = TableDecl::new(&structure::CAMPAIGN_ATTRIBUTIONS).rules(ServiceOnly, ServiceOnly);

/// `platform.campaign_metrics_cache`.
pub const CAMPAIGN_METRICS_CACHE: TableDecl = TableDecl::new(&structure::CAMPAIGN_METRICS_CACHE).rules(ServiceOnly, ServiceOnly);

/// `platform.campaign_links`.
pub const CAMPAIGN_LINKS: TableDecl = TableDecl::new(&structure::CAMPAIGN_LINKS).rules(ServiceOnly, ServiceOnly);

/// `platform.audio_mixer_projects`.
pub const AUDIO_MIXER_PROJECTS: TableDecl = TableDecl::new(&structure::AUDIO_MIXER_PROJECTS).rules(Owner("userId"), Owner("userId"));

/// `platform.audio_tracks`.
pub const AUDIO_TRACKS: TableDecl = TableDecl::new(&structure::AUDIO_TRACKS).rules(Via("projectId"), Via("projectId"));

/// `platform.merch_categories`.
pub const MERCH_CATEGORIES: TableDecl = TableDecl::new(&structure::MERCH_CATEGORIES).rules(Public, ServiceOnly);

/// `platform.merch_products`.
pub const MERCH_PRODUCTS: TableDecl = TableDecl::new(&structure::MERCH_PRODUCTS).rules(Public, ServiceOnly);

/// `platform.merch_variants`.
pub const MERCH_VARIANTS: TableDecl = TableDecl::new(&structure::MERCH_VARIANTS).rules(Public, ServiceOnly);

/// `platform.merch_carts`.
pub const MERCH_CARTS: TableDecl = TableDecl::new(&structure::MERCH_CARTS).rules(Owner("userId"), Owner("userId"));

/// `platform.merch_cart_items`.
pub const MERCH_CART_ITEMS: TableDecl = TableDecl::new(&structure::MERCH_CART_ITEMS).rules(Via("cartId"), Via("cartId"));

/// `platform.merch_orders`.
pub const MERCH_ORDERS: TableDecl = TableDecl::new(&structure::MERCH_ORDERS).rules(Owner("userId"), ServiceOnly);

/// `platform.merch_order_items`.
pub const MERCH_ORDER_ITEMS: TableDecl = TableDecl::new(&structure::MERCH_ORDER_ITEMS).rules(Via("orderId"), ServiceOnly);

/// `platform.merch_shipments`.
pub const MERCH_SHIPMENTS: TableDecl = TableDecl::new(&structure::MERCH_SHIPMENTS).rules(Via("orderId"), ServiceOnly);

/// `platform.merch_order_events`.
pub const MERCH_ORDER_EVENTS: TableDecl = TableDecl::new(&structure::MERCH_ORDER_EVENTS).rules(Via("orderId"), ServiceOnly);

/// `platform.merch_webhook_events`.
pub const MERCH_WEBHOOK_EVENTS: TableDecl = TableDecl::new(&structure::MERCH_WEBHOOK_EVENTS).rules(ServiceOnly, ServiceOnly);

/// `platform.external_agent_sessions`.
pub const EXTERNAL_AGENT_SESSIONS: TableDecl = TableDecl::new(&structure::EXTERNAL_AGENT_SESSIONS).rules(ServiceOnly, ServiceOnly);

/// `platform.agent_session_activities`.
pub const AGENT_SESSION_ACTIVITIES: TableDecl = TableDecl::new(&structure::AGENT_SESSION_ACTIVITIES).rules(ServiceOnly, ServiceOnly);

/// `platform.scout_competitors`.
pub const SCOUT_COMPETITORS: TableDecl = TableDecl::new(&structure::SCOUT_COMPETITORS).rules(Via("workspaceId"), Member(&WS_WRITERS));

/// `platform.scout_competitor_posts`.
pub const SCOUT_COMPETITOR_POSTS: TableDecl =
    TableDecl::new(&structure::SCOUT_COMPETITOR_POSTS).rules(Via("competitorId"), Via("competitorId"));

/// `platform.scout_benchmarks`.
pub const SCOUT_BENCHMARKS: TableDecl = TableDecl::new(&structure::SCOUT_BENCHMARKS).rules(Via("workspaceId"), Member(&WS_WRITERS));

/// `platform.social_accounts`.
pub const SOCIAL_ACCOUNTS: TableDecl = TableDecl::new(&structure::SOCIAL_ACCOUNTS)
    .secrets(&[encrypted("accessTokenEncrypted"), encrypted("refreshTokenEncrypted")])
    .rules(Via("workspaceId"), Member(&WS_WRITERS));

/// `platform.social_posts`.
pub const SOCIAL_POSTS: TableDecl = TableDecl::new(&structure::SOCIAL_POSTS).rules(Owner("createdById"), Owner("createdById"));

/// `platform.social_post_accounts`.
pub const SOCIAL_POST_ACCOUNTS: TableDecl = TableDecl::new(&structure::SOCIAL_POST_ACCOUNTS)
    .many_to_many(&[m2m("postId", "socialAccounts", "accountId", "socialPosts")])
    .rules(Via("postId"), AllOf(&[Via("postId"), Via("accountId")]));

/// `platform.social_metrics`.
pub const SOCIAL_METRICS: TableDecl = TableDecl::new(&structure::SOCIAL_METRICS).rules(Via("accountId"), ServiceOnly);

/// `platform.social_metric_anomalies`.
pub const SOCIAL_METRIC_ANOMALIES: TableDecl = TableDecl::new(&structure::SOCIAL_METRIC_ANOMALIES).rules(Via("accountId"), ServiceOnly);

/// `platform.workspaces`.
pub const WORKSPACES: TableDecl = TableDecl::new(&structure::WORKSPACES).rules(
    AnyOf(&[AllOf(&[IsNull("deletedAt"), Member(&WORKSPACE_READERS)]), AllOf(&[AskedForDeleted, Member(&WORKSPACE_ADMINS)])]),
    Member(&WORKSPACE_ADMINS),
);

/// `platform.workspace_favorites`.
pub const WORKSPACE_FAVORITES: TableDecl = TableDecl::new(&structure::WORKSPACE_FAVORITES)
    .many_to_many(&[m2m("workspaceId", "favoritedBy", "userId", "favoriteWorkspaces")])
    .rules(Owner("userId"), AllOf(&[Owner("userId"), Member(&WS_READERS)]));

/// `platform.workspace_recent_access`.
pub const WORKSPACE_RECENT_ACCESS: TableDecl =
    TableDecl::new(&structure::WORKSPACE_RECENT_ACCESS).rules(Owner("userId"), AllOf(&[Owner("userId"), Member(&WS_READERS)]));

/// `platform.workspace_members`.
pub const WORKSPACE_MEMBERS: TableDecl = TableDecl::new(&structure::WORKSPACE_MEMBERS)
    .relations(&[Rel::reverse("userId", "workspaceMemberships"), Rel::reverse("invitedById", "sentWorkspaceInvitations")])
    // Admins add users, whose rows they cannot read, by id.
    .open(&["userId", "invitedById"])
    .many_to_many(&[m2m("workspaceId", "members", "userId", "workspaces")])
    .rules(AnyOf(&[Owner("userId"), Via("workspaceId")]), Member(&WS_ADMINS));

/// `platform.connections`.
pub const CONNECTIONS: TableDecl = TableDecl::new(&structure::CONNECTIONS).rules(Via("workspaceId"), Member(&WS_WRITERS));

/// `platform.connection_platform_presence`.
pub const CONNECTION_PLATFORM_PRESENCE: TableDecl =
    TableDecl::new(&structure::CONNECTION_PLATFORM_PRESENCE).rules(Via("connectionId"), Via("connectionId"));

/// `platform.connection_tags`.
pub const CONNECTION_TAGS: TableDecl = TableDecl::new(&structure::CONNECTION_TAGS).rules(Via("workspaceId"), Member(&WS_WRITERS));

/// `platform.connection_reminders`.
pub const CONNECTION_REMINDERS: TableDecl =
    TableDecl::new(&structure::CONNECTION_REMINDERS).rules(Via("connectionId"), Via("connectionId"));

/// `platform.meetup_status_history`.
pub const MEETUP_STATUS_HISTORY: TableDecl =
    TableDecl::new(&structure::MEETUP_STATUS_HISTORY).rules(Via("connectionId"), Via("connectionId"));

/// `platform.brand_profiles`.
pub const BRAND_PROFILES: TableDecl = TableDecl::new(&structure::BRAND_PROFILES).rules(Via("workspaceId"), Member(&WS_WRITERS));

/// `platform.brand_guardrails`.
pub const BRAND_GUARDRAILS: TableDecl = TableDecl::new(&structure::BRAND_GUARDRAILS).rules(Via("brandProfileId"), Via("brandProfileId"));

/// `platform.brand_vocabulary`.
pub const BRAND_VOCABULARY: TableDecl = TableDecl::new(&structure::BRAND_VOCABULARY).rules(Via("brandProfileId"), Via("brandProfileId"));

/// `platform.content_rewrites`.
pub const CONTENT_REWRITES: TableDecl = TableDecl::new(&structure::CONTENT_REWRITES).rules(Via("workspaceId"), Member(&WS_WRITERS));

/// `platform.scheduled_posts`.
pub const SCHEDULED_POSTS: TableDecl = TableDecl::new(&structure::SCHEDULED_POSTS).rules(Via("workspaceId"), Member(&WS_WRITERS));

/// `platform.scheduled_post_accounts`.
pub const SCHEDULED_POST_ACCOUNTS: TableDecl = TableDecl::new(&structure::SCHEDULED_POST_ACCOUNTS)
    .many_to_many(&[m2m("postId", "socialAccounts", "accountId", "scheduledPosts")])
    .rules(Via("postId"), AllOf(&[Via("postId"), Via("accountId")]));

/// `platform.posting_time_recommendations`.
pub const POSTING_TIME_RECOMMENDATIONS: TableDecl =
    TableDecl::new(&structure::POSTING_TIME_RECOMMENDATIONS).rules(Via("accountId"), ServiceOnly);

/// `platform.calendar_content_suggestions`.
pub const CALENDAR_CONTENT_SUGGESTIONS: TableDecl =
    TableDecl::new(&structure::CALENDAR_CONTENT_SUGGESTIONS).rules(Via("workspaceId"), Member(&WS_WRITERS));

/// `platform.inbox_items`.
pub const INBOX_ITEMS: TableDecl = TableDecl::new(&structure::INBOX_ITEMS).rules(Via("workspaceId"), Member(&WS_WRITERS));

/// `platform.relay_drafts`.
pub const RELAY_DRAFTS: TableDecl = TableDecl::new(&structure::RELAY_DRAFTS).rules(Via("inboxItemId"), Via("inboxItemId"));

/// `platform.draft_edit_history`.
pub const DRAFT_EDIT_HISTORY: TableDecl = TableDecl::new(&structure::DRAFT_EDIT_HISTORY).rules(Via("draftId"), Via("draftId"));

/// `platform.draft_audit_logs`.
pub const DRAFT_AUDIT_LOGS: TableDecl = TableDecl::new(&structure::DRAFT_AUDIT_LOGS).rules(Via("draftId"), ServiceOnly);

/// `platform.crisis_detection_events`.
pub const CRISIS_DETECTION_EVENTS: TableDecl =
    TableDecl::new(&structure::CRISIS_DETECTION_EVENTS).rules(Via("workspaceId"), Member(&WS_WRITERS));

/// `platform.crisis_response_templates`.
pub const CRISIS_RESPONSE_TEMPLATES: TableDecl =
    TableDecl::new(&structure::CRISIS_RESPONSE_TEMPLATES).rules(AnyOf(&[IsNull("workspaceId"), Via("workspaceId")]), Member(&WS_WRITERS));

/// `platform.crisis_alert_rules`.
pub const CRISIS_ALERT_RULES: TableDecl = TableDecl::new(&structure::CRISIS_ALERT_RULES).rules(Via("workspaceId"), Member(&WS_WRITERS));

/// `platform.social_account_health`.
pub const SOCIAL_ACCOUNT_HEALTH: TableDecl = TableDecl::new(&structure::SOCIAL_ACCOUNT_HEALTH).rules(Via("accountId"), ServiceOnly);

/// `platform.recovery_guidance`.
pub const RECOVERY_GUIDANCE: TableDecl = TableDecl::new(&structure::RECOVERY_GUIDANCE).rules(Public, ServiceOnly);

/// `platform.account_health_events`.
pub const ACCOUNT_HEALTH_EVENTS: TableDecl = TableDecl::new(&structure::ACCOUNT_HEALTH_EVENTS).rules(Via("workspaceId"), ServiceOnly);

/// `platform.notifications`.
pub const NOTIFICATIONS: TableDecl = TableDecl::new(&structure::NOTIFICATIONS)
    .rules(AnyOf(&[Owner("userId"), AllOf(&[IsNull("userId"), Via("workspaceId")])]), Owner("userId"));

/// `platform.policy_rules`.
pub const POLICY_RULES: TableDecl =
    TableDecl::new(&structure::POLICY_RULES).rules(AnyOf(&[IsNull("workspaceId"), Via("workspaceId")]), Member(&WS_WRITERS));

/// `platform.policy_checks`.
pub const POLICY_CHECKS: TableDecl = TableDecl::new(&structure::POLICY_CHECKS).rules(Via("workspaceId"), Member(&WS_WRITERS));

/// `platform.policy_violations`.
pub const POLICY_VIOLATIONS: TableDecl = TableDecl::new(&structure::POLICY_VIOLATIONS).rules(Via("workspaceId"), Member(&WS_WRITERS));

/// `platform.scout_topics`.
pub const SCOUT_TOPICS: TableDecl = TableDecl::new(&structure::SCOUT_TOPICS).rules(Via("workspaceId"), Member(&WS_WRITERS));

/// `platform.scout_results`.
pub const SCOUT_RESULTS: TableDecl = TableDecl::new(&structure::SCOUT_RESULTS).rules(Via("topicId"), Via("topicId"));

/// `platform.content_suggestions`.
pub const CONTENT_SUGGESTIONS: TableDecl = TableDecl::new(&structure::CONTENT_SUGGESTIONS).rules(Via("workspaceId"), Member(&WS_WRITERS));

/// `platform.allocator_campaigns`.
pub const ALLOCATOR_CAMPAIGNS: TableDecl = TableDecl::new(&structure::ALLOCATOR_CAMPAIGNS).rules(Via("workspaceId"), Member(&WS_WRITERS));

/// `platform.allocator_ad_sets`.
pub const ALLOCATOR_AD_SETS: TableDecl = TableDecl::new(&structure::ALLOCATOR_AD_SETS).rules(Via("campaignId"), Via("campaignId"));

/// `platform.allocator_autopilot_configs`.
pub const ALLOCATOR_AUTOPILOT_CONFIGS: TableDecl = TableDecl::new(&structure::ALLOCATOR_AUTOPILOT_CONFIGS)
    .secrets(&[encrypted("encryptedSettings")])
    .rules(Via("workspaceId"), Member(&WS_ADMINS));

/// `platform.allocator_guardrail_alerts`.
pub const ALLOCATOR_GUARDRAIL_ALERTS: TableDecl =
    TableDecl::new(&structure::ALLOCATOR_GUARDRAIL_ALERTS).rules(Via("workspaceId"), ServiceOnly);

/// `platform.allocator_autopilot_executions`.
pub const ALLOCATOR_AUTOPILOT_EXECUTIONS: TableDecl = TableDecl::new(&structure::ALLOCATOR_AUTOPILOT_EXECUTIONS)
    .relations(&[Rel::reverse("rollbackOfId", "rollback")])
    .rules(Via("workspaceId"), ServiceOnly);

/// `platform.workflows`.
pub const WORKFLOWS: TableDecl = TableDecl::new(&structure::WORKFLOWS).rules(Via("workspaceId"), Member(&WS_WRITERS));

/// `platform.workflow_versions`.
pub const WORKFLOW_VERSIONS: TableDecl = TableDecl::new(&structure::WORKFLOW_VERSIONS).rules(Via("workflowId"), Via("workflowId"));

/// `platform.workflow_steps`.
pub const WORKFLOW_STEPS: TableDecl = TableDecl::new(&structure::WORKFLOW_STEPS)
    .relations(&[Rel::reverse("parentStepId", "childSteps")])
    .rules(Via("workflowVersionId"), Via("workflowVersionId"));

/// `platform.workflow_runs`.
pub const WORKFLOW_RUNS: TableDecl = TableDecl::new(&structure::WORKFLOW_RUNS).rules(Via("workflowId"), Via("workflowId"));

/// `platform.workflow_run_logs`.
pub const WORKFLOW_RUN_LOGS: TableDecl = TableDecl::new(&structure::WORKFLOW_RUN_LOGS).rules(Via("workflowRunId"), Via("workflowRunId"));

/// `platform.workflow_schedules`.
pub const WORKFLOW_SCHEDULES: TableDecl = TableDecl::new(&structure::WORKFLOW_SCHEDULES).rules(Via("workflowId"), Via("workflowId"));

/// `platform.workflow_webhooks`.
pub const WORKFLOW_WEBHOOKS: TableDecl = TableDecl::new(&structure::WORKFLOW_WEBHOOKS)
    .secrets(&[write_only("webhookToken"), hashed("secretHash", "secret")])
    .rules(Via("workflowId"), Via("workflowId"));

/// `platform.workflow_event_subscriptions`.
pub const WORKFLOW_EVENT_SUBSCRIPTIONS: TableDecl =
    TableDecl::new(&structure::WORKFLOW_EVENT_SUBSCRIPTIONS).rules(Via("workflowId"), Via("workflowId"));

/// `platform.allocator_daily_budget_moves`.
pub const ALLOCATOR_DAILY_BUDGET_MOVES: TableDecl =
    TableDecl::new(&structure::ALLOCATOR_DAILY_BUDGET_MOVES).rules(Via("campaignId"), ServiceOnly);

/// `platform.allocator_audit_logs`.
pub const ALLOCATOR_AUDIT_LOGS: TableDecl = TableDecl::new(&structure::ALLOCATOR_AUDIT_LOGS).rules(Member(&WS_ADMINS), ServiceOnly);

/// `platform.AbTest`.
pub const AB_TEST: TableDecl = TableDecl::new(&structure::AB_TEST).rules(ServiceOnly, ServiceOnly);

/// `platform.AbTestVariant`.
pub const AB_TEST_VARIANT: TableDecl =
    TableDecl::new(&structure::AB_TEST_VARIANT).relations(&[Rel::reverse("abTestId", "variants")]).rules(ServiceOnly, ServiceOnly);

/// `platform.AbTestResult`.
pub const AB_TEST_RESULT: TableDecl = TableDecl::new(&structure::AB_TEST_RESULT)
    .relations(&[Rel::reverse("visitorSessionId", "abTestResults"), Rel::reverse("abTestVariantId", "results")])
    .rules(ServiceOnly, ServiceOnly);

/// `platform.feature_flags`.
pub const FEATURE_FLAGS: TableDecl = TableDecl::new(&structure::FEATURE_FLAGS).rules(Public, ServiceOnly);

/// `platform.asset_folders`.
pub const ASSET_FOLDERS: TableDecl = TableDecl::new(&structure::ASSET_FOLDERS)
    .relations(&[Rel::reverse("parentId", "subfolders")])
    .rules(Via("workspaceId"), Member(&WS_WRITERS));

/// `platform.asset_tags`.
pub const ASSET_TAGS: TableDecl = TableDecl::new(&structure::ASSET_TAGS).rules(Via("workspaceId"), Member(&WS_WRITERS));

/// `platform.assets`.
pub const ASSETS: TableDecl = TableDecl::new(&structure::ASSETS).rules(Via("workspaceId"), Member(&WS_WRITERS));

/// `platform.asset_tag_assignments`.
pub const ASSET_TAG_ASSIGNMENTS: TableDecl = TableDecl::new(&structure::ASSET_TAG_ASSIGNMENTS)
    .many_to_many(&[m2m("assetId", "tags", "tagId", "assets")])
    .rules(Via("assetId"), AllOf(&[Via("assetId"), Via("tagId")]));

/// `platform.post_assets`.
pub const POST_ASSETS: TableDecl = TableDecl::new(&structure::POST_ASSETS)
    .many_to_many(&[m2m("postId", "assets", "assetId", "socialPosts")])
    .rules(Via("postId"), AllOf(&[Via("postId"), Via("assetId")]));

/// `platform.scheduled_post_assets`.
pub const SCHEDULED_POST_ASSETS: TableDecl = TableDecl::new(&structure::SCHEDULED_POST_ASSETS)
    .many_to_many(&[m2m("postId", "assets", "assetId", "scheduledPosts")])
    .rules(Via("postId"), AllOf(&[Via("postId"), Via("assetId")]));

/// `platform.identities`.
pub const IDENTITIES: TableDecl = TableDecl::new(&structure::IDENTITIES).rules(Owner("userId"), Owner("userId"));

/// `platform.identifiers`.
pub const IDENTIFIERS: TableDecl = TableDecl::new(&structure::IDENTIFIERS).rules(Via("identityId"), Via("identityId"));

/// `platform._ConnectionToConnectionTag`.
pub const CONNECTION_TO_CONNECTION_TAG: TableDecl = TableDecl::new(&structure::CONNECTION_TO_CONNECTION_TAG)
    // Prisma's implicit many-to-many: A is the connection, B the tag.
    .relations(&[rel("A", "connection", "tagLinks"), rel("B", "connectionTag", "connectionLinks")])
    .many_to_many(&[m2m("A", "tags", "B", "connections")])
    .rules(Via("A"), AllOf(&[Via("A"), Via("B")]));
