-- The platform app (seed 003_8b0305dac3e6c9f1: a Prisma schema rendered as a
-- mermaid diagram by prisma-markdown): 141 tables, 96 enum types, 192 foreign
-- keys, in schema "platform". Written by scripts/platform_migration.py from the
-- seed's fixture and the decisions listed there; hand edits go into the script.
-- Applied by diesel inside one transaction. Requires the core migration and
-- 2026-12-01-000007_stamp_any_column (quiver.set_updated_at(column)).
--
-- Conventions (Prisma's, so a database Prisma created from this model loads
-- its data unchanged, and Prisma's own object names are kept):
--   * Tables and columns exactly as the seed names them, in seed order
--     ("users", "AbTest", "_ConnectionToConnectionTag" with "A" and "B",
--     camelCase columns, NextAuth's snake_case ones in "accounts").
--   * String -> text. String ids default to gen_random_uuid()::text, so a
--     client may omit them (Prisma generates cuid()/uuid() client-side; both
--     fit text).
--   * DateTime -> timestamp(3) without time zone (Prisma's default on
--     PostgreSQL); NOT NULL createdAt / updatedAt default to CURRENT_TIMESTAMP.
--   * Json -> jsonb, Float -> double precision, Int -> integer.
--   * Decimal(p) -> numeric(p,2) for money (prices, amounts, budgets, spend);
--     social_metrics.engagementRate numeric(5,4) (a rate) and
--     allocator_autopilot_configs.minRoasThreshold numeric(10,4) (a ratio).
--   * Every enum is a PostgreSQL enum type named as in the seed. The seed
--     lists no values: the values below are chosen in Prisma's SCREAMING_SNAKE
--     style. A NOT NULL enum column defaults to its type's first value; a NOT
--     NULL Boolean to false (true for active/isActive/isEnabled/...); NOT NULL
--     counters (*Count, sortOrder, currentUses) to 0; a workspace's limits to
--     those of the FREE tier (3 social accounts, 30 scheduled posts, 1 A/B test,
--     100 AI credits a month, 3 team members). The seed states no
--     defaults; these are Prisma-style @default choices so creates can omit them.
--   * Hidden lists: the thirteen String columns with list-like names
--     (campaign_target_audiences.genders/locations/interests/behaviors,
--     monetization_models.features, app_images.tags,
--     audit_retention_policies.actionTypes, calendar_content_suggestions.keywords,
--     crisis_detection_events.affectedAccountIds, crisis_response_templates.variables,
--     crisis_alert_rules.notifyChannels, content_suggestions.suggestedPlatforms,
--     feature_flags.enabledFor) are all Prisma String[]: text[] NOT NULL DEFAULT
--     '{}'. Each holds a set of short tokens (platform names, ids, keywords),
--     never one free text.
--   * Keys: "<table>_pkey"; the five tables the seed shows without a key get
--     composite primary keys: verification_tokens (identifier, token) (NextAuth),
--     asset_tag_assignments (assetId, tagId), post_assets (postId, assetId),
--     scheduled_post_assets (postId, assetId), _ConnectionToConnectionTag (A, B).
--   * UK columns: unique indexes "<table>_<column>_key" (Prisma's). A unique
--     index also serves as its column's foreign-key index.
--   * Foreign keys "<table>_<column>_fkey", all added after the tables (the seed
--     references tables before defining them). Prisma's default actions:
--     required -> ON DELETE RESTRICT, optional -> ON DELETE SET NULL, always ON
--     UPDATE CASCADE; except ON DELETE CASCADE where the row is a part of its
--     parent: every required key to "workspaces" (deleting a workspace deletes
--     its content), join rows, children of apps/boxes/orders/carts/workflows/
--     campaigns/inbox items/drafts/connections/social accounts, and NextAuth's
--     accounts and sessions (marked "CASCADE: part of its parent" below).
--   * An index "<table>_<column>_idx" on every foreign-key column not already
--     leading a key or unique index.
--   * Reference-like columns without a relationship line stay plain columns,
--     deliberately: the seed's Prisma model has no @relation for them (so
--     Prisma would not have created a key either), several hold ids of rows
--     that may be gone by design (logs, archives), and some name external
--     objects: notifications.userId, albums.coverImageId,
--     connection_reminders.workspaceId, archived_audit_logs.workspaceId/userId,
--     error_logs.userId, allocator_audit_logs.userId, sandbox_jobs.messageId,
--     google_ads_campaigns.campaignId, tracked_urls, campaign_links,
--     external_agent_sessions, AbTestResult and similar. Indexes are added on
--     notifications.userId and connection_reminders.workspaceId, which the
--     access rules and myNotifications filter on.
--   * updatedAt is kept current by the database (Prisma's @updatedAt, done by
--     the database so writes from anywhere keep it): a trigger set_updated_at
--     running quiver.set_updated_at('updatedAt') on every table that has it.
--   * Secret columns (write-only through the API): users.passwordHash, accounts.refresh_token, accounts.access_token, accounts.id_token, marketing_accounts.accessToken, marketing_accounts.refreshToken, sessions.sessionToken, verification_tokens.token, api_keys.keyHash, social_accounts.accessTokenEncrypted, social_accounts.refreshTokenEncrypted, allocator_autopilot_configs.encryptedSettings, workflow_webhooks.webhookToken, workflow_webhooks.secretHash.
--   * Soft delete: workspaces, apps, app_messages and boxes carry deletedAt;
--     rows stay until deleted for good (the API's rules decide who sees them).

CREATE SCHEMA platform;
COMMENT ON SCHEMA platform IS 'Platform app: workspaces, social accounts and scheduled posts, inbox, brand, allocator, workflows, apps, image enhancement, merch.';

-- Enum types (values chosen; see the header).
CREATE TYPE platform."UserRole" AS ENUM ('USER', 'ADMIN', 'SUPER_ADMIN');
CREATE TYPE platform."ObjectiveType" AS ENUM ('AWARENESS', 'TRAFFIC', 'ENGAGEMENT', 'LEADS', 'CONVERSIONS', 'SALES', 'APP_INSTALLS');
CREATE TYPE platform."MarketingPlatform" AS ENUM ('GOOGLE_ADS', 'FACEBOOK_ADS', 'LINKEDIN_ADS', 'TIKTOK_ADS');
CREATE TYPE platform."AppBuildStatus" AS ENUM ('PROMPTING', 'WAITING', 'DRAFTING', 'BUILDING', 'FINE_TUNING', 'TEST', 'LIVE', 'FAILED', 'ARCHIVED');
CREATE TYPE platform."RequirementPriority" AS ENUM ('LOW', 'MEDIUM', 'HIGH', 'CRITICAL');
CREATE TYPE platform."RequirementStatus" AS ENUM ('PENDING', 'IN_PROGRESS', 'COMPLETED', 'REJECTED');
CREATE TYPE platform."MonetizationType" AS ENUM ('FREE', 'FREEMIUM', 'ONE_TIME', 'SUBSCRIPTION', 'USAGE_BASED', 'ADS');
CREATE TYPE platform."SubscriptionInterval" AS ENUM ('MONTHLY', 'QUARTERLY', 'YEARLY');
CREATE TYPE platform."AppMessageRole" AS ENUM ('USER', 'AGENT', 'SYSTEM');
CREATE TYPE platform."SubscriptionTier" AS ENUM ('FREE', 'BASIC', 'STANDARD', 'PREMIUM');
CREATE TYPE platform."TokenTransactionType" AS ENUM ('EARN_REGENERATION', 'EARN_PURCHASE', 'EARN_BONUS', 'EARN_REFERRAL', 'SPEND_ENHANCEMENT', 'SPEND_MCP', 'REFUND', 'ADJUSTMENT');
CREATE TYPE platform."StripePaymentStatus" AS ENUM ('PENDING', 'SUCCEEDED', 'FAILED', 'REFUNDED');
CREATE TYPE platform."EnhancementTier" AS ENUM ('FREE', 'TIER_1K', 'TIER_2K', 'TIER_4K');
CREATE TYPE platform."JobStatus" AS ENUM ('PENDING', 'PROCESSING', 'COMPLETED', 'FAILED', 'CANCELLED', 'REFUNDED');
CREATE TYPE platform."PipelineStage" AS ENUM ('ANALYZING', 'CROPPING', 'PROMPTING', 'GENERATING', 'FINALIZING');
CREATE TYPE platform."SubscriptionStatus" AS ENUM ('ACTIVE', 'TRIALING', 'PAST_DUE', 'CANCELED', 'UNPAID', 'INCOMPLETE');
CREATE TYPE platform."AlbumPrivacy" AS ENUM ('PRIVATE', 'UNLISTED', 'PUBLIC');
CREATE TYPE platform."VoucherType" AS ENUM ('FIXED_TOKENS', 'PERCENTAGE_BONUS', 'SUBSCRIPTION_TRIAL');
CREATE TYPE platform."VoucherStatus" AS ENUM ('ACTIVE', 'INACTIVE', 'EXPIRED', 'DEPLETED');
CREATE TYPE platform."ReferralStatus" AS ENUM ('PENDING', 'COMPLETED', 'INVALID');
CREATE TYPE platform."AuditAction" AS ENUM ('CREATE', 'UPDATE', 'DELETE', 'LOGIN', 'LOGOUT', 'ROLE_CHANGE', 'MEMBER_INVITE', 'MEMBER_REMOVE', 'SETTINGS_CHANGE', 'EXPORT', 'PERMISSION_CHANGE');
CREATE TYPE platform."ErrorEnvironment" AS ENUM ('FRONTEND', 'BACKEND');
CREATE TYPE platform."FeedbackType" AS ENUM ('BUG', 'IDEA', 'OTHER');
CREATE TYPE platform."FeedbackStatus" AS ENUM ('NEW', 'REVIEWED', 'RESOLVED', 'DISMISSED');
CREATE TYPE platform."EscalationEventType" AS ENUM ('ESCALATED', 'REASSIGNED', 'DE_ESCALATED', 'SLA_WARNING', 'SLA_BREACHED', 'RESOLVED');
CREATE TYPE platform."EscalationTrigger" AS ENUM ('MANUAL', 'SLA_TIMEOUT', 'SENTIMENT', 'KEYWORD', 'SYSTEM');
CREATE TYPE platform."GalleryCategory" AS ENUM ('PORTRAIT', 'LANDSCAPE', 'PRODUCT', 'ARCHITECTURE', 'FOOD', 'OTHER');
CREATE TYPE platform."BoxStatus" AS ENUM ('CREATING', 'STARTING', 'RUNNING', 'STOPPING', 'STOPPED', 'PAUSED', 'ERROR', 'TERMINATED');
CREATE TYPE platform."BoxActionType" AS ENUM ('CREATE', 'START', 'STOP', 'RESTART', 'DELETE', 'CLONE');
CREATE TYPE platform."SandboxJobStatus" AS ENUM ('PENDING', 'RUNNING', 'COMPLETED', 'FAILED', 'TIMEOUT');
CREATE TYPE platform."EmailStatus" AS ENUM ('PENDING', 'SENT', 'DELIVERED', 'OPENED', 'CLICKED', 'BOUNCED', 'FAILED');
CREATE TYPE platform."McpJobType" AS ENUM ('GENERATE', 'MODIFY');
CREATE TYPE platform."BoxMessageRole" AS ENUM ('USER', 'AGENT', 'SYSTEM');
CREATE TYPE platform."PipelineVisibility" AS ENUM ('PRIVATE', 'PUBLIC', 'LINK');
CREATE TYPE platform."AttributionType" AS ENUM ('FIRST_TOUCH', 'LAST_TOUCH', 'LINEAR');
CREATE TYPE platform."ConversionType" AS ENUM ('SIGNUP', 'ENHANCEMENT', 'PURCHASE');
CREATE TYPE platform."AudioStorageType" AS ENUM ('INDEXED_DB', 'R2');
CREATE TYPE platform."PodProvider" AS ENUM ('PRODIGI', 'PRINTFUL');
CREATE TYPE platform."MerchOrderStatus" AS ENUM ('PENDING', 'PAYMENT_PENDING', 'PAID', 'SUBMITTED', 'IN_PRODUCTION', 'SHIPPED', 'DELIVERED', 'CANCELLED', 'REFUNDED');
CREATE TYPE platform."ShipmentStatus" AS ENUM ('PENDING', 'PROCESSING', 'SHIPPED', 'IN_TRANSIT', 'DELIVERED', 'FAILED');
CREATE TYPE platform."AgentProvider" AS ENUM ('JULES', 'CODEX', 'OTHER');
CREATE TYPE platform."ExternalAgentStatus" AS ENUM ('QUEUED', 'PLANNING', 'AWAITING_PLAN_APPROVAL', 'AWAITING_USER_FEEDBACK', 'IN_PROGRESS', 'PAUSED', 'FAILED', 'COMPLETED');
CREATE TYPE platform."SocialPlatform" AS ENUM ('TWITTER', 'LINKEDIN', 'FACEBOOK', 'INSTAGRAM', 'TIKTOK', 'YOUTUBE', 'DISCORD', 'SNAPCHAT', 'PINTEREST');
CREATE TYPE platform."SocialAccountStatus" AS ENUM ('ACTIVE', 'EXPIRED', 'REVOKED', 'ERROR');
CREATE TYPE platform."SocialPostStatus" AS ENUM ('DRAFT', 'SCHEDULED', 'PUBLISHING', 'PUBLISHED', 'FAILED');
CREATE TYPE platform."WorkspaceSubscriptionTier" AS ENUM ('FREE', 'PRO', 'BUSINESS');
CREATE TYPE platform."WorkspaceRole" AS ENUM ('OWNER', 'ADMIN', 'MEMBER', 'VIEWER');
CREATE TYPE platform."ConnectionNextStep" AS ENUM ('NONE', 'FOLLOW_UP', 'SCHEDULE_MEETUP', 'SEND_MESSAGE', 'INTRODUCE');
CREATE TYPE platform."MeetupPipelineStatus" AS ENUM ('PROSPECTING', 'INITIAL_CONTACT', 'FOLLOW_UP', 'MEETING_SCHEDULED', 'MET', 'CONNECTED', 'DECLINED');
CREATE TYPE platform."ReminderType" AS ENUM ('FOLLOW_UP', 'MEETUP', 'BIRTHDAY', 'CUSTOM');
CREATE TYPE platform."ReminderStatus" AS ENUM ('PENDING', 'COMPLETED', 'SNOOZED', 'CANCELLED');
CREATE TYPE platform."GuardrailType" AS ENUM ('PROHIBITED_TOPIC', 'REQUIRED_DISCLOSURE', 'CONTENT_WARNING');
CREATE TYPE platform."GuardrailSeverity" AS ENUM ('LOW', 'MEDIUM', 'HIGH', 'CRITICAL');
CREATE TYPE platform."VocabularyType" AS ENUM ('PREFERRED', 'BANNED', 'REPLACEMENT');
CREATE TYPE platform."ContentPlatform" AS ENUM ('TWITTER', 'LINKEDIN', 'INSTAGRAM', 'FACEBOOK', 'GENERAL');
CREATE TYPE platform."RewriteStatus" AS ENUM ('PENDING', 'ANALYZING', 'COMPLETED', 'FAILED');
CREATE TYPE platform."ScheduledPostStatus" AS ENUM ('DRAFT', 'PENDING', 'SCHEDULED', 'PUBLISHING', 'PUBLISHED', 'FAILED', 'CANCELLED');
CREATE TYPE platform."ContentSuggestionStatus" AS ENUM ('PENDING', 'ACCEPTED', 'REJECTED', 'USED');
CREATE TYPE platform."InboxItemType" AS ENUM ('MENTION', 'COMMENT', 'DIRECT_MESSAGE', 'REPLY', 'REVIEW');
CREATE TYPE platform."InboxItemStatus" AS ENUM ('UNREAD', 'READ', 'PENDING_REPLY', 'REPLIED', 'ARCHIVED', 'IGNORED');
CREATE TYPE platform."InboxSentiment" AS ENUM ('POSITIVE', 'NEUTRAL', 'NEGATIVE', 'MIXED');
CREATE TYPE platform."EscalationStatus" AS ENUM ('NONE', 'PENDING', 'IN_PROGRESS', 'RESOLVED');
CREATE TYPE platform."RelayDraftStatus" AS ENUM ('PENDING', 'APPROVED', 'REJECTED', 'SENT', 'FAILED');
CREATE TYPE platform."DraftEditType" AS ENUM ('MINOR_TWEAK', 'TONE_ADJUSTMENT', 'CONTENT_REVISION', 'COMPLETE_REWRITE');
CREATE TYPE platform."DraftAuditAction" AS ENUM ('CREATED', 'EDITED', 'APPROVED', 'REJECTED', 'SENT', 'SEND_FAILED', 'REGENERATED');
CREATE TYPE platform."CrisisSeverity" AS ENUM ('LOW', 'MEDIUM', 'HIGH', 'CRITICAL');
CREATE TYPE platform."CrisisEventStatus" AS ENUM ('DETECTED', 'ACKNOWLEDGED', 'RESOLVED', 'FALSE_ALARM');
CREATE TYPE platform."CrisisRuleType" AS ENUM ('SENTIMENT_DROP', 'MENTION_SPIKE', 'ENGAGEMENT_DROP', 'FOLLOWER_LOSS', 'KEYWORD_ALERT');
CREATE TYPE platform."AccountHealthStatus" AS ENUM ('HEALTHY', 'DEGRADED', 'UNHEALTHY', 'CRITICAL');
CREATE TYPE platform."AccountIssueType" AS ENUM ('TOKEN_EXPIRED', 'RATE_LIMITED', 'PERMISSION_REVOKED', 'API_ERROR', 'ACCOUNT_SUSPENDED');
CREATE TYPE platform."IssueSeverity" AS ENUM ('INFO', 'WARNING', 'ERROR', 'CRITICAL');
CREATE TYPE platform."AccountHealthEventType" AS ENUM ('STATUS_CHANGED', 'SCORE_DECREASED', 'SCORE_RECOVERED', 'TOKEN_REFRESHED', 'RATE_LIMIT_HIT', 'ERROR_OCCURRED');
CREATE TYPE platform."PolicyCategory" AS ENUM ('CONTENT', 'LEGAL', 'BRAND', 'PLATFORM', 'ACCESSIBILITY');
CREATE TYPE platform."PolicyRuleType" AS ENUM ('KEYWORD', 'REGEX', 'AI_CLASSIFIER', 'LENGTH', 'LINK');
CREATE TYPE platform."PolicySeverity" AS ENUM ('INFO', 'WARNING', 'ERROR', 'CRITICAL');
CREATE TYPE platform."PolicyContentType" AS ENUM ('POST', 'REPLY', 'COMMENT', 'AD', 'BIO');
CREATE TYPE platform."PolicyCheckScope" AS ENUM ('FULL', 'QUICK', 'CUSTOM');
CREATE TYPE platform."PolicyCheckStatus" AS ENUM ('PENDING', 'RUNNING', 'COMPLETED', 'FAILED');
CREATE TYPE platform."PolicyCheckResult" AS ENUM ('PASSED', 'PASSED_WITH_WARNINGS', 'FAILED', 'BLOCKED');
CREATE TYPE platform."SuggestionContentType" AS ENUM ('POST', 'THREAD', 'STORY', 'REEL', 'ARTICLE');
CREATE TYPE platform."SuggestionStatus" AS ENUM ('PENDING', 'ACCEPTED', 'REJECTED', 'USED');
CREATE TYPE platform."AllocatorPlatform" AS ENUM ('GOOGLE_ADS', 'META_ADS', 'LINKEDIN_ADS', 'TIKTOK_ADS');
CREATE TYPE platform."AutopilotMode" AS ENUM ('OFF', 'RECOMMEND_ONLY', 'AUTO_WITH_APPROVAL', 'FULL_AUTO');
CREATE TYPE platform."AllocatorAlertType" AS ENUM ('BUDGET_EXCEEDED', 'ROAS_BELOW_THRESHOLD', 'CPA_ABOVE_THRESHOLD', 'SPEND_ANOMALY', 'CHANGE_LIMIT_REACHED');
CREATE TYPE platform."AlertSeverity" AS ENUM ('INFO', 'WARNING', 'CRITICAL');
CREATE TYPE platform."AutopilotExecutionStatus" AS ENUM ('PENDING', 'EXECUTING', 'COMPLETED', 'FAILED', 'ROLLED_BACK', 'SKIPPED');
CREATE TYPE platform."WorkflowStatus" AS ENUM ('DRAFT', 'ACTIVE', 'PAUSED', 'ARCHIVED');
CREATE TYPE platform."WorkflowStepType" AS ENUM ('TRIGGER', 'ACTION', 'CONDITION', 'DELAY', 'BRANCH');
CREATE TYPE platform."BranchType" AS ENUM ('IF_TRUE', 'IF_FALSE', 'DEFAULT');
CREATE TYPE platform."WorkflowRunStatus" AS ENUM ('PENDING', 'RUNNING', 'COMPLETED', 'FAILED', 'CANCELLED');
CREATE TYPE platform."StepRunStatus" AS ENUM ('PENDING', 'RUNNING', 'COMPLETED', 'FAILED', 'SKIPPED');
CREATE TYPE platform."WorkflowEventType" AS ENUM ('POST_PUBLISHED', 'POST_FAILED', 'INBOX_ITEM_RECEIVED', 'MENTION_RECEIVED', 'FOLLOWER_MILESTONE', 'CRISIS_DETECTED', 'SCHEDULE');
CREATE TYPE platform."AllocatorDecisionType" AS ENUM ('BUDGET_INCREASE', 'BUDGET_DECREASE', 'BUDGET_REALLOCATION', 'CAMPAIGN_PAUSE', 'CAMPAIGN_RESUME', 'NO_ACTION');
CREATE TYPE platform."AllocatorDecisionOutcome" AS ENUM ('EXECUTED', 'REJECTED_BY_GUARDRAIL', 'PENDING_APPROVAL', 'APPROVED', 'DENIED', 'FAILED');
CREATE TYPE platform."AbTestStatus" AS ENUM ('DRAFT', 'RUNNING', 'PAUSED', 'COMPLETED');
CREATE TYPE platform."IdentifierType" AS ENUM ('EMAIL', 'PHONE', 'GITHUB', 'TWITTER', 'LINKEDIN', 'DISCORD', 'OTHER');

CREATE TABLE platform."users" (
    "id" text NOT NULL DEFAULT gen_random_uuid()::text,
    "name" text,
    "email" text,
    "emailVerified" timestamp(3),
    "image" text,
    "createdAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "stripeCustomerId" text,
    "role" platform."UserRole" NOT NULL DEFAULT 'USER'::platform."UserRole",
    "referralCode" text,
    "referredById" text,
    "referralCount" integer NOT NULL DEFAULT 0,
    "passwordHash" text,
    CONSTRAINT "users_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "users_email_key" ON platform."users" ("email");
CREATE UNIQUE INDEX "users_stripeCustomerId_key" ON platform."users" ("stripeCustomerId");
CREATE UNIQUE INDEX "users_referralCode_key" ON platform."users" ("referralCode");
CREATE INDEX "users_referredById_idx" ON platform."users" ("referredById");

CREATE TABLE platform."campaign_briefs" (
    "id" text NOT NULL DEFAULT gen_random_uuid()::text,
    "userId" text NOT NULL,
    "name" text NOT NULL,
    "targetAudience" jsonb NOT NULL,
    "campaignObjectives" jsonb NOT NULL,
    "status" text NOT NULL,
    "createdAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "campaign_briefs_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "campaign_briefs_userId_idx" ON platform."campaign_briefs" ("userId");

CREATE TABLE platform."campaign_target_audiences" (
    "id" text NOT NULL DEFAULT gen_random_uuid()::text,
    "briefId" text NOT NULL,
    "ageMin" integer,
    "ageMax" integer,
    "genders" text[] NOT NULL DEFAULT ARRAY[]::text[],
    "locations" text[] NOT NULL DEFAULT ARRAY[]::text[],
    "interests" text[] NOT NULL DEFAULT ARRAY[]::text[],
    "behaviors" text[] NOT NULL DEFAULT ARRAY[]::text[],
    "createdAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "campaign_target_audiences_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "campaign_target_audiences_briefId_key" ON platform."campaign_target_audiences" ("briefId");

CREATE TABLE platform."campaign_objectives" (
    "id" text NOT NULL DEFAULT gen_random_uuid()::text,
    "briefId" text NOT NULL,
    "type" platform."ObjectiveType" NOT NULL DEFAULT 'AWARENESS'::platform."ObjectiveType",
    "metric" text NOT NULL,
    "targetValue" double precision,
    "deadline" timestamp(3),
    "priority" integer NOT NULL,
    "createdAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "campaign_objectives_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "campaign_objectives_briefId_idx" ON platform."campaign_objectives" ("briefId");

CREATE TABLE platform."accounts" (
    "id" text NOT NULL DEFAULT gen_random_uuid()::text,
    "userId" text NOT NULL,
    "type" text NOT NULL,
    "provider" text NOT NULL,
    "providerAccountId" text NOT NULL,
    "refresh_token" text,
    "access_token" text,
    "expires_at" integer,
    "token_type" text,
    "scope" text,
    "id_token" text,
    "session_state" text,
    CONSTRAINT "accounts_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "accounts_userId_idx" ON platform."accounts" ("userId");

CREATE TABLE platform."marketing_accounts" (
    "id" text NOT NULL DEFAULT gen_random_uuid()::text,
    "userId" text NOT NULL,
    "platform" platform."MarketingPlatform" NOT NULL DEFAULT 'GOOGLE_ADS'::platform."MarketingPlatform",
    "accountId" text NOT NULL,
    "accountName" text,
    "accessToken" text NOT NULL,
    "refreshToken" text,
    "expiresAt" timestamp(3),
    "isActive" boolean NOT NULL DEFAULT true,
    "createdAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "marketing_accounts_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "marketing_accounts_userId_idx" ON platform."marketing_accounts" ("userId");

CREATE TABLE platform."google_ads_campaigns" (
    "id" text NOT NULL DEFAULT gen_random_uuid()::text,
    "marketingAccountId" text NOT NULL,
    "campaignId" text NOT NULL,
    "name" text NOT NULL,
    "status" text NOT NULL,
    "spend" integer NOT NULL,
    "createdAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "google_ads_campaigns_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "google_ads_campaigns_campaignId_key" ON platform."google_ads_campaigns" ("campaignId");
CREATE INDEX "google_ads_campaigns_marketingAccountId_idx" ON platform."google_ads_campaigns" ("marketingAccountId");

CREATE TABLE platform."sessions" (
    "id" text NOT NULL DEFAULT gen_random_uuid()::text,
    "sessionToken" text NOT NULL,
    "userId" text NOT NULL,
    "expires" timestamp(3) NOT NULL,
    CONSTRAINT "sessions_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "sessions_sessionToken_key" ON platform."sessions" ("sessionToken");
CREATE INDEX "sessions_userId_idx" ON platform."sessions" ("userId");

-- No key in the seed: composite primary key (identifier, token).
CREATE TABLE platform."verification_tokens" (
    "identifier" text NOT NULL,
    "token" text NOT NULL,
    "expires" timestamp(3) NOT NULL,
    CONSTRAINT "verification_tokens_pkey" PRIMARY KEY ("identifier", "token")
);
CREATE UNIQUE INDEX "verification_tokens_token_key" ON platform."verification_tokens" ("token");

CREATE TABLE platform."apps" (
    "id" text NOT NULL DEFAULT gen_random_uuid()::text,
    "name" text NOT NULL,
    "slug" text,
    "description" text,
    "userId" text NOT NULL,
    "forkedFrom" text,
    "status" platform."AppBuildStatus" NOT NULL DEFAULT 'PROMPTING'::platform."AppBuildStatus",
    "domain" text,
    "codespaceId" text,
    "codespaceUrl" text,
    "isCurated" boolean NOT NULL DEFAULT false,
    "isPublic" boolean NOT NULL DEFAULT false,
    "lastAgentActivity" timestamp(3),
    "deletedAt" timestamp(3),
    "createdAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "apps_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "apps_slug_key" ON platform."apps" ("slug");
CREATE UNIQUE INDEX "apps_domain_key" ON platform."apps" ("domain");
CREATE UNIQUE INDEX "apps_codespaceId_key" ON platform."apps" ("codespaceId");
CREATE INDEX "apps_userId_idx" ON platform."apps" ("userId");
CREATE INDEX "apps_forkedFrom_idx" ON platform."apps" ("forkedFrom");

CREATE TABLE platform."requirements" (
    "id" text NOT NULL DEFAULT gen_random_uuid()::text,
    "appId" text NOT NULL,
    "description" text NOT NULL,
    "priority" platform."RequirementPriority" NOT NULL DEFAULT 'LOW'::platform."RequirementPriority",
    "status" platform."RequirementStatus" NOT NULL DEFAULT 'PENDING'::platform."RequirementStatus",
    "version" integer NOT NULL,
    "createdAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "requirements_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "requirements_appId_idx" ON platform."requirements" ("appId");

CREATE TABLE platform."monetization_models" (
    "id" text NOT NULL DEFAULT gen_random_uuid()::text,
    "appId" text NOT NULL,
    "type" platform."MonetizationType" NOT NULL DEFAULT 'FREE'::platform."MonetizationType",
    "price" numeric(10,2),
    "subscriptionInterval" platform."SubscriptionInterval",
    "features" text[] NOT NULL DEFAULT ARRAY[]::text[],
    "createdAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "monetization_models_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "monetization_models_appId_idx" ON platform."monetization_models" ("appId");

CREATE TABLE platform."app_messages" (
    "id" text NOT NULL DEFAULT gen_random_uuid()::text,
    "appId" text NOT NULL,
    "role" platform."AppMessageRole" NOT NULL DEFAULT 'USER'::platform."AppMessageRole",
    "content" text NOT NULL,
    "isRead" boolean NOT NULL DEFAULT false,
    "metadata" jsonb,
    "deletedAt" timestamp(3),
    "createdAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "app_messages_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "app_messages_appId_idx" ON platform."app_messages" ("appId");

CREATE TABLE platform."app_status_history" (
    "id" text NOT NULL DEFAULT gen_random_uuid()::text,
    "appId" text NOT NULL,
    "status" platform."AppBuildStatus" NOT NULL DEFAULT 'PROMPTING'::platform."AppBuildStatus",
    "message" text,
    "metadata" jsonb,
    "createdAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "app_status_history_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "app_status_history_appId_idx" ON platform."app_status_history" ("appId");

CREATE TABLE platform."app_images" (
    "id" text NOT NULL DEFAULT gen_random_uuid()::text,
    "appId" text NOT NULL,
    "originalUrl" text NOT NULL,
    "r2Key" text NOT NULL,
    "width" integer NOT NULL,
    "height" integer NOT NULL,
    "sizeBytes" integer NOT NULL,
    "format" text NOT NULL,
    "tags" text[] NOT NULL DEFAULT ARRAY[]::text[],
    "aiDescription" text,
    "analysisJson" jsonb,
    "createdAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "app_images_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "app_images_appId_idx" ON platform."app_images" ("appId");

CREATE TABLE platform."app_attachments" (
    "id" text NOT NULL DEFAULT gen_random_uuid()::text,
    "messageId" text NOT NULL,
    "imageId" text NOT NULL,
    "createdAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "app_attachments_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "app_attachments_messageId_idx" ON platform."app_attachments" ("messageId");
CREATE INDEX "app_attachments_imageId_idx" ON platform."app_attachments" ("imageId");

CREATE TABLE platform."app_code_versions" (
    "id" text NOT NULL DEFAULT gen_random_uuid()::text,
    "appId" text NOT NULL,
    "messageId" text,
    "code" text NOT NULL,
    "hash" text NOT NULL,
    "description" text,
    "createdAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "app_code_versions_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "app_code_versions_messageId_key" ON platform."app_code_versions" ("messageId");
CREATE INDEX "app_code_versions_appId_idx" ON platform."app_code_versions" ("appId");

CREATE TABLE platform."user_token_balances" (
    "id" text NOT NULL DEFAULT gen_random_uuid()::text,
    "userId" text NOT NULL,
    "balance" integer NOT NULL,
    "lastRegeneration" timestamp(3) NOT NULL,
    "tier" platform."SubscriptionTier" NOT NULL DEFAULT 'FREE'::platform."SubscriptionTier",
    "createdAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "user_token_balances_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "user_token_balances_userId_key" ON platform."user_token_balances" ("userId");

CREATE TABLE platform."token_transactions" (
    "id" text NOT NULL DEFAULT gen_random_uuid()::text,
    "userId" text NOT NULL,
    "amount" integer NOT NULL,
    "type" platform."TokenTransactionType" NOT NULL DEFAULT 'EARN_REGENERATION'::platform."TokenTransactionType",
    "source" text,
    "sourceId" text,
    "balanceAfter" integer NOT NULL,
    "metadata" jsonb,
    "createdAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "token_transactions_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "token_transactions_userId_idx" ON platform."token_transactions" ("userId");

CREATE TABLE platform."tokens_packages" (
    "id" text NOT NULL DEFAULT gen_random_uuid()::text,
    "name" text NOT NULL,
    "tokens" integer NOT NULL,
    "priceUSD" numeric(10,2) NOT NULL,
    "stripePriceId" text NOT NULL,
    "active" boolean NOT NULL DEFAULT true,
    "sortOrder" integer NOT NULL DEFAULT 0,
    "createdAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "tokens_packages_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "tokens_packages_stripePriceId_key" ON platform."tokens_packages" ("stripePriceId");

CREATE TABLE platform."stripe_payments" (
    "id" text NOT NULL DEFAULT gen_random_uuid()::text,
    "userId" text NOT NULL,
    "packageId" text NOT NULL,
    "tokensGranted" integer NOT NULL,
    "amountUSD" numeric(10,2) NOT NULL,
    "stripePaymentIntentId" text NOT NULL,
    "status" platform."StripePaymentStatus" NOT NULL DEFAULT 'PENDING'::platform."StripePaymentStatus",
    "metadata" jsonb,
    "createdAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "stripe_payments_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "stripe_payments_stripePaymentIntentId_key" ON platform."stripe_payments" ("stripePaymentIntentId");
CREATE INDEX "stripe_payments_packageId_idx" ON platform."stripe_payments" ("packageId");
CREATE INDEX "stripe_payments_userId_idx" ON platform."stripe_payments" ("userId");

CREATE TABLE platform."enhanced_images" (
    "id" text NOT NULL DEFAULT gen_random_uuid()::text,
    "userId" text NOT NULL,
    "name" text NOT NULL,
    "description" text,
    "originalUrl" text NOT NULL,
    "originalR2Key" text NOT NULL,
    "originalWidth" integer NOT NULL,
    "originalHeight" integer NOT NULL,
    "originalSizeBytes" integer NOT NULL,
    "originalFormat" text NOT NULL,
    "isPublic" boolean NOT NULL DEFAULT false,
    "viewCount" integer NOT NULL DEFAULT 0,
    "createdAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "shareToken" text,
    CONSTRAINT "enhanced_images_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "enhanced_images_shareToken_key" ON platform."enhanced_images" ("shareToken");
CREATE INDEX "enhanced_images_userId_idx" ON platform."enhanced_images" ("userId");

CREATE TABLE platform."image_enhancement_jobs" (
    "id" text NOT NULL DEFAULT gen_random_uuid()::text,
    "imageId" text NOT NULL,
    "userId" text NOT NULL,
    "tier" platform."EnhancementTier" NOT NULL DEFAULT 'FREE'::platform."EnhancementTier",
    "tokensCost" integer NOT NULL,
    "status" platform."JobStatus" NOT NULL DEFAULT 'PENDING'::platform."JobStatus",
    "currentStage" platform."PipelineStage",
    "enhancedUrl" text,
    "enhancedR2Key" text,
    "enhancedWidth" integer,
    "enhancedHeight" integer,
    "enhancedSizeBytes" integer,
    "errorMessage" text,
    "retryCount" integer NOT NULL DEFAULT 0,
    "maxRetries" integer NOT NULL,
    "geminiPrompt" text,
    "geminiModel" text,
    "geminiTemp" double precision,
    "processingStartedAt" timestamp(3),
    "processingCompletedAt" timestamp(3),
    "createdAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "workflowRunId" text,
    "analysisResult" jsonb,
    "analysisSource" text,
    "altText" text,
    "qualityScore" double precision,
    "wasCropped" boolean NOT NULL DEFAULT false,
    "cropDimensions" jsonb,
    "pipelineId" text,
    "sourceImageId" text,
    "isBlend" boolean NOT NULL DEFAULT false,
    "isAnonymous" boolean NOT NULL DEFAULT false,
    CONSTRAINT "image_enhancement_jobs_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "image_enhancement_jobs_pipelineId_idx" ON platform."image_enhancement_jobs" ("pipelineId");
CREATE INDEX "image_enhancement_jobs_sourceImageId_idx" ON platform."image_enhancement_jobs" ("sourceImageId");
CREATE INDEX "image_enhancement_jobs_imageId_idx" ON platform."image_enhancement_jobs" ("imageId");
CREATE INDEX "image_enhancement_jobs_userId_idx" ON platform."image_enhancement_jobs" ("userId");

CREATE TABLE platform."subscriptions" (
    "id" text NOT NULL DEFAULT gen_random_uuid()::text,
    "userId" text NOT NULL,
    "stripeSubscriptionId" text NOT NULL,
    "stripePriceId" text NOT NULL,
    "status" platform."SubscriptionStatus" NOT NULL DEFAULT 'ACTIVE'::platform."SubscriptionStatus",
    "tier" platform."SubscriptionTier" NOT NULL DEFAULT 'FREE'::platform."SubscriptionTier",
    "currentPeriodStart" timestamp(3) NOT NULL,
    "currentPeriodEnd" timestamp(3) NOT NULL,
    "cancelAtPeriodEnd" boolean NOT NULL DEFAULT false,
    "downgradeTo" platform."SubscriptionTier",
    "tokensPerMonth" integer NOT NULL,
    "rolloverTokens" integer NOT NULL,
    "maxRollover" integer NOT NULL,
    "createdAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "subscriptions_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "subscriptions_userId_key" ON platform."subscriptions" ("userId");
CREATE UNIQUE INDEX "subscriptions_stripeSubscriptionId_key" ON platform."subscriptions" ("stripeSubscriptionId");

CREATE TABLE platform."subscription_plans" (
    "id" text NOT NULL DEFAULT gen_random_uuid()::text,
    "name" text NOT NULL,
    "tokensPerMonth" integer NOT NULL,
    "priceGBP" numeric(10,2) NOT NULL,
    "stripePriceId" text NOT NULL,
    "maxRollover" integer NOT NULL,
    "priority" boolean NOT NULL DEFAULT false,
    "apiAccess" boolean NOT NULL DEFAULT false,
    "active" boolean NOT NULL DEFAULT true,
    "sortOrder" integer NOT NULL DEFAULT 0,
    "createdAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "subscription_plans_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "subscription_plans_stripePriceId_key" ON platform."subscription_plans" ("stripePriceId");

CREATE TABLE platform."albums" (
    "id" text NOT NULL DEFAULT gen_random_uuid()::text,
    "userId" text NOT NULL,
    "name" text NOT NULL,
    "description" text,
    "coverImageId" text,
    "privacy" platform."AlbumPrivacy" NOT NULL DEFAULT 'PRIVATE'::platform."AlbumPrivacy",
    "defaultTier" platform."EnhancementTier" NOT NULL DEFAULT 'FREE'::platform."EnhancementTier",
    "shareToken" text,
    "sortOrder" integer NOT NULL DEFAULT 0,
    "createdAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "pipelineId" text,
    CONSTRAINT "albums_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "albums_shareToken_key" ON platform."albums" ("shareToken");
CREATE INDEX "albums_pipelineId_idx" ON platform."albums" ("pipelineId");
CREATE INDEX "albums_userId_idx" ON platform."albums" ("userId");

CREATE TABLE platform."album_images" (
    "id" text NOT NULL DEFAULT gen_random_uuid()::text,
    "albumId" text NOT NULL,
    "imageId" text NOT NULL,
    "sortOrder" integer NOT NULL DEFAULT 0,
    "addedAt" timestamp(3) NOT NULL,
    CONSTRAINT "album_images_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "album_images_albumId_idx" ON platform."album_images" ("albumId");
CREATE INDEX "album_images_imageId_idx" ON platform."album_images" ("imageId");

CREATE TABLE platform."vouchers" (
    "id" text NOT NULL DEFAULT gen_random_uuid()::text,
    "code" text NOT NULL,
    "type" platform."VoucherType" NOT NULL DEFAULT 'FIXED_TOKENS'::platform."VoucherType",
    "value" integer NOT NULL,
    "maxUses" integer,
    "currentUses" integer NOT NULL DEFAULT 0,
    "expiresAt" timestamp(3),
    "status" platform."VoucherStatus" NOT NULL DEFAULT 'ACTIVE'::platform."VoucherStatus",
    "metadata" jsonb,
    "createdAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "vouchers_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "vouchers_code_key" ON platform."vouchers" ("code");

CREATE TABLE platform."voucher_redemptions" (
    "id" text NOT NULL DEFAULT gen_random_uuid()::text,
    "voucherId" text NOT NULL,
    "userId" text NOT NULL,
    "tokensGranted" integer NOT NULL,
    "redeemedAt" timestamp(3) NOT NULL,
    CONSTRAINT "voucher_redemptions_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "voucher_redemptions_userId_idx" ON platform."voucher_redemptions" ("userId");
CREATE INDEX "voucher_redemptions_voucherId_idx" ON platform."voucher_redemptions" ("voucherId");

CREATE TABLE platform."referrals" (
    "id" text NOT NULL DEFAULT gen_random_uuid()::text,
    "referrerId" text NOT NULL,
    "refereeId" text NOT NULL,
    "status" platform."ReferralStatus" NOT NULL DEFAULT 'PENDING'::platform."ReferralStatus",
    "tokensGranted" integer NOT NULL,
    "ipAddress" text,
    "createdAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "completedAt" timestamp(3),
    CONSTRAINT "referrals_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "referrals_refereeId_idx" ON platform."referrals" ("refereeId");
CREATE INDEX "referrals_referrerId_idx" ON platform."referrals" ("referrerId");

CREATE TABLE platform."audit_logs" (
    "id" text NOT NULL DEFAULT gen_random_uuid()::text,
    "userId" text NOT NULL,
    "action" platform."AuditAction" NOT NULL DEFAULT 'CREATE'::platform."AuditAction",
    "targetId" text,
    "targetType" text,
    "resourceId" text,
    "resourceType" text,
    "metadata" jsonb,
    "ipAddress" text,
    "userAgent" text,
    "sessionId" text,
    "createdAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "audit_logs_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "audit_logs_userId_idx" ON platform."audit_logs" ("userId");

CREATE TABLE platform."workspace_audit_logs" (
    "id" text NOT NULL DEFAULT gen_random_uuid()::text,
    "workspaceId" text NOT NULL,
    "userId" text NOT NULL,
    "action" platform."AuditAction" NOT NULL DEFAULT 'CREATE'::platform."AuditAction",
    "targetId" text,
    "targetType" text,
    "resourceId" text,
    "resourceType" text,
    "oldValue" jsonb,
    "newValue" jsonb,
    "metadata" jsonb,
    "ipAddress" text,
    "userAgent" text,
    "createdAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "workspace_audit_logs_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "workspace_audit_logs_workspaceId_idx" ON platform."workspace_audit_logs" ("workspaceId");
CREATE INDEX "workspace_audit_logs_userId_idx" ON platform."workspace_audit_logs" ("userId");

CREATE TABLE platform."ai_decision_logs" (
    "id" text NOT NULL DEFAULT gen_random_uuid()::text,
    "workspaceId" text,
    "userId" text,
    "requestType" text NOT NULL,
    "inputPrompt" text,
    "inputContext" jsonb,
    "outputResult" text,
    "outputMetadata" jsonb,
    "modelId" text,
    "modelVersion" text,
    "tokensUsed" integer,
    "latencyMs" integer,
    "status" text NOT NULL,
    "errorMessage" text,
    "createdAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ai_decision_logs_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "ai_decision_logs_workspaceId_idx" ON platform."ai_decision_logs" ("workspaceId");
CREATE INDEX "ai_decision_logs_userId_idx" ON platform."ai_decision_logs" ("userId");

CREATE TABLE platform."audit_retention_policies" (
    "id" text NOT NULL DEFAULT gen_random_uuid()::text,
    "workspaceId" text,
    "name" text NOT NULL,
    "description" text,
    "retentionDays" integer NOT NULL,
    "archiveAfterDays" integer,
    "deleteAfterDays" integer,
    "actionTypes" text[] NOT NULL DEFAULT ARRAY[]::text[],
    "isActive" boolean NOT NULL DEFAULT true,
    "createdAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "audit_retention_policies_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "audit_retention_policies_workspaceId_idx" ON platform."audit_retention_policies" ("workspaceId");

CREATE TABLE platform."archived_audit_logs" (
    "id" text NOT NULL DEFAULT gen_random_uuid()::text,
    "originalId" text NOT NULL,
    "workspaceId" text,
    "userId" text NOT NULL,
    "action" text NOT NULL,
    "targetId" text,
    "targetType" text,
    "resourceId" text,
    "resourceType" text,
    "metadata" jsonb,
    "ipAddress" text,
    "userAgent" text,
    "originalCreatedAt" timestamp(3) NOT NULL,
    "archivedAt" timestamp(3) NOT NULL,
    "retentionPolicyId" text,
    "archiveReason" text,
    CONSTRAINT "archived_audit_logs_pkey" PRIMARY KEY ("id")
);

CREATE TABLE platform."error_logs" (
    "id" text NOT NULL DEFAULT gen_random_uuid()::text,
    "timestamp" timestamp(3) NOT NULL,
    "message" text NOT NULL,
    "stack" text,
    "sourceFile" text,
    "sourceLine" integer,
    "sourceColumn" integer,
    "callerName" text,
    "userId" text,
    "route" text,
    "environment" platform."ErrorEnvironment" NOT NULL DEFAULT 'FRONTEND'::platform."ErrorEnvironment",
    "errorType" text,
    "errorCode" text,
    "metadata" jsonb,
    CONSTRAINT "error_logs_pkey" PRIMARY KEY ("id")
);

CREATE TABLE platform."feedback" (
    "id" text NOT NULL DEFAULT gen_random_uuid()::text,
    "userId" text,
    "email" text,
    "type" platform."FeedbackType" NOT NULL DEFAULT 'BUG'::platform."FeedbackType",
    "message" text NOT NULL,
    "page" text NOT NULL,
    "userAgent" text,
    "status" platform."FeedbackStatus" NOT NULL DEFAULT 'NEW'::platform."FeedbackStatus",
    "adminNote" text,
    "createdAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "feedback_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "feedback_userId_idx" ON platform."feedback" ("userId");

CREATE TABLE platform."inbox_suggested_responses" (
    "id" text NOT NULL DEFAULT gen_random_uuid()::text,
    "inboxItemId" text NOT NULL,
    "content" text NOT NULL,
    "tone" text NOT NULL,
    "confidenceScore" double precision NOT NULL,
    "category" text NOT NULL,
    "isPreferred" boolean NOT NULL DEFAULT false,
    "metadata" jsonb,
    "createdAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "inbox_suggested_responses_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "inbox_suggested_responses_inboxItemId_idx" ON platform."inbox_suggested_responses" ("inboxItemId");

CREATE TABLE platform."escalation_events" (
    "id" text NOT NULL DEFAULT gen_random_uuid()::text,
    "inboxItemId" text NOT NULL,
    "eventType" platform."EscalationEventType" NOT NULL DEFAULT 'ESCALATED'::platform."EscalationEventType",
    "fromLevel" integer NOT NULL,
    "toLevel" integer NOT NULL,
    "fromUserId" text,
    "toUserId" text,
    "reason" text,
    "triggeredBy" platform."EscalationTrigger" NOT NULL DEFAULT 'MANUAL'::platform."EscalationTrigger",
    "metadata" jsonb,
    "createdAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "escalation_events_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "escalation_events_inboxItemId_idx" ON platform."escalation_events" ("inboxItemId");

CREATE TABLE platform."featured_gallery_items" (
    "id" text NOT NULL DEFAULT gen_random_uuid()::text,
    "title" text NOT NULL,
    "description" text,
    "category" platform."GalleryCategory" NOT NULL DEFAULT 'PORTRAIT'::platform."GalleryCategory",
    "originalUrl" text NOT NULL,
    "enhancedUrl" text NOT NULL,
    "width" integer NOT NULL,
    "height" integer NOT NULL,
    "sourceImageId" text,
    "sourceJobId" text,
    "sortOrder" integer NOT NULL DEFAULT 0,
    "isActive" boolean NOT NULL DEFAULT true,
    "createdAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "createdBy" text NOT NULL,
    CONSTRAINT "featured_gallery_items_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "featured_gallery_items_sourceImageId_idx" ON platform."featured_gallery_items" ("sourceImageId");
CREATE INDEX "featured_gallery_items_sourceJobId_idx" ON platform."featured_gallery_items" ("sourceJobId");
CREATE INDEX "featured_gallery_items_createdBy_idx" ON platform."featured_gallery_items" ("createdBy");

CREATE TABLE platform."box_tiers" (
    "id" text NOT NULL DEFAULT gen_random_uuid()::text,
    "name" text NOT NULL,
    "description" text,
    "cpu" integer NOT NULL,
    "ram" integer NOT NULL,
    "storage" integer NOT NULL,
    "pricePerHour" integer NOT NULL,
    "pricePerMonth" integer NOT NULL,
    "isActive" boolean NOT NULL DEFAULT true,
    "sortOrder" integer NOT NULL DEFAULT 0,
    "createdAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "box_tiers_pkey" PRIMARY KEY ("id")
);

CREATE TABLE platform."boxes" (
    "id" text NOT NULL DEFAULT gen_random_uuid()::text,
    "name" text NOT NULL,
    "description" text,
    "userId" text NOT NULL,
    "tierId" text,
    "status" platform."BoxStatus" NOT NULL DEFAULT 'CREATING'::platform."BoxStatus",
    "connectionUrl" text,
    "storageVolumeId" text,
    "createdAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "deletedAt" timestamp(3),
    CONSTRAINT "boxes_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "boxes_userId_idx" ON platform."boxes" ("userId");
CREATE INDEX "boxes_tierId_idx" ON platform."boxes" ("tierId");

CREATE TABLE platform."box_actions" (
    "id" text NOT NULL DEFAULT gen_random_uuid()::text,
    "boxId" text NOT NULL,
    "action" platform."BoxActionType" NOT NULL DEFAULT 'CREATE'::platform."BoxActionType",
    "status" platform."JobStatus" NOT NULL DEFAULT 'PENDING'::platform."JobStatus",
    "metadata" jsonb,
    "error" text,
    "createdAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "box_actions_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "box_actions_boxId_idx" ON platform."box_actions" ("boxId");

CREATE TABLE platform."agent_tasks" (
    "id" text NOT NULL DEFAULT gen_random_uuid()::text,
    "boxId" text NOT NULL,
    "type" text NOT NULL,
    "payload" jsonb,
    "status" platform."JobStatus" NOT NULL DEFAULT 'PENDING'::platform."JobStatus",
    "result" jsonb,
    "error" text,
    "createdAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "agent_tasks_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "agent_tasks_boxId_idx" ON platform."agent_tasks" ("boxId");

CREATE TABLE platform."sandbox_jobs" (
    "id" text NOT NULL DEFAULT gen_random_uuid()::text,
    "appId" text NOT NULL,
    "messageId" text NOT NULL,
    "sandboxId" text,
    "requestId" text,
    "status" platform."SandboxJobStatus" NOT NULL DEFAULT 'PENDING'::platform."SandboxJobStatus",
    "result" jsonb,
    "error" text,
    "startedAt" timestamp(3) NOT NULL,
    "completedAt" timestamp(3),
    CONSTRAINT "sandbox_jobs_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "sandbox_jobs_messageId_key" ON platform."sandbox_jobs" ("messageId");
CREATE INDEX "sandbox_jobs_appId_idx" ON platform."sandbox_jobs" ("appId");

CREATE TABLE platform."email_logs" (
    "id" text NOT NULL DEFAULT gen_random_uuid()::text,
    "userId" text NOT NULL,
    "to" text NOT NULL,
    "subject" text NOT NULL,
    "template" text NOT NULL,
    "status" platform."EmailStatus" NOT NULL DEFAULT 'PENDING'::platform."EmailStatus",
    "resendId" text,
    "sentAt" timestamp(3) NOT NULL,
    "openedAt" timestamp(3),
    "clickedAt" timestamp(3),
    "bouncedAt" timestamp(3),
    "metadata" jsonb,
    CONSTRAINT "email_logs_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "email_logs_resendId_key" ON platform."email_logs" ("resendId");
CREATE INDEX "email_logs_userId_idx" ON platform."email_logs" ("userId");

CREATE TABLE platform."tracked_urls" (
    "id" text NOT NULL DEFAULT gen_random_uuid()::text,
    "path" text NOT NULL,
    "label" text,
    "isActive" boolean NOT NULL DEFAULT true,
    "createdAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "createdById" text NOT NULL,
    CONSTRAINT "tracked_urls_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "tracked_urls_path_key" ON platform."tracked_urls" ("path");
CREATE INDEX "tracked_urls_createdById_idx" ON platform."tracked_urls" ("createdById");

CREATE TABLE platform."api_keys" (
    "id" text NOT NULL DEFAULT gen_random_uuid()::text,
    "userId" text NOT NULL,
    "name" text NOT NULL,
    "keyHash" text NOT NULL,
    "keyPrefix" text NOT NULL,
    "lastUsedAt" timestamp(3),
    "isActive" boolean NOT NULL DEFAULT true,
    "createdAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "api_keys_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "api_keys_keyHash_key" ON platform."api_keys" ("keyHash");
CREATE INDEX "api_keys_userId_idx" ON platform."api_keys" ("userId");

CREATE TABLE platform."mcp_generation_jobs" (
    "id" text NOT NULL DEFAULT gen_random_uuid()::text,
    "userId" text NOT NULL,
    "apiKeyId" text,
    "type" platform."McpJobType" NOT NULL DEFAULT 'GENERATE'::platform."McpJobType",
    "tier" platform."EnhancementTier" NOT NULL DEFAULT 'FREE'::platform."EnhancementTier",
    "tokensCost" integer NOT NULL,
    "status" platform."JobStatus" NOT NULL DEFAULT 'PENDING'::platform."JobStatus",
    "prompt" text NOT NULL,
    "inputImageUrl" text,
    "inputImageR2Key" text,
    "outputImageUrl" text,
    "outputImageR2Key" text,
    "outputWidth" integer,
    "outputHeight" integer,
    "outputSizeBytes" integer,
    "errorMessage" text,
    "geminiModel" text,
    "processingStartedAt" timestamp(3),
    "processingCompletedAt" timestamp(3),
    "createdAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "mcp_generation_jobs_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "mcp_generation_jobs_userId_idx" ON platform."mcp_generation_jobs" ("userId");
CREATE INDEX "mcp_generation_jobs_apiKeyId_idx" ON platform."mcp_generation_jobs" ("apiKeyId");

CREATE TABLE platform."box_messages" (
    "id" text NOT NULL DEFAULT gen_random_uuid()::text,
    "boxId" text NOT NULL,
    "role" platform."BoxMessageRole" NOT NULL DEFAULT 'USER'::platform."BoxMessageRole",
    "content" text NOT NULL,
    "createdAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "box_messages_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "box_messages_boxId_idx" ON platform."box_messages" ("boxId");

CREATE TABLE platform."enhancement_pipelines" (
    "id" text NOT NULL DEFAULT gen_random_uuid()::text,
    "name" text NOT NULL,
    "description" text,
    "userId" text,
    "visibility" platform."PipelineVisibility" NOT NULL DEFAULT 'PRIVATE'::platform."PipelineVisibility",
    "shareToken" text,
    "tier" platform."EnhancementTier" NOT NULL DEFAULT 'FREE'::platform."EnhancementTier",
    "analysisConfig" jsonb,
    "autoCropConfig" jsonb,
    "promptConfig" jsonb,
    "generationConfig" jsonb,
    "usageCount" integer NOT NULL DEFAULT 0,
    "createdAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "enhancement_pipelines_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "enhancement_pipelines_shareToken_key" ON platform."enhancement_pipelines" ("shareToken");
CREATE INDEX "enhancement_pipelines_userId_idx" ON platform."enhancement_pipelines" ("userId");

CREATE TABLE platform."visitor_sessions" (
    "id" text NOT NULL DEFAULT gen_random_uuid()::text,
    "visitorId" text NOT NULL,
    "userId" text,
    "sessionStart" timestamp(3) NOT NULL,
    "sessionEnd" timestamp(3),
    "deviceType" text,
    "browser" text,
    "os" text,
    "ipCountry" text,
    "ipCity" text,
    "referrer" text,
    "landingPage" text NOT NULL,
    "exitPage" text,
    "pageViewCount" integer NOT NULL DEFAULT 0,
    "utmSource" text,
    "utmMedium" text,
    "utmCampaign" text,
    "utmTerm" text,
    "utmContent" text,
    "gclid" text,
    "fbclid" text,
    CONSTRAINT "visitor_sessions_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "visitor_sessions_userId_idx" ON platform."visitor_sessions" ("userId");

CREATE TABLE platform."page_views" (
    "id" text NOT NULL DEFAULT gen_random_uuid()::text,
    "sessionId" text NOT NULL,
    "path" text NOT NULL,
    "title" text,
    "timestamp" timestamp(3) NOT NULL,
    "timeOnPage" integer,
    "scrollDepth" integer,
    CONSTRAINT "page_views_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "page_views_sessionId_idx" ON platform."page_views" ("sessionId");

CREATE TABLE platform."analytics_events" (
    "id" text NOT NULL DEFAULT gen_random_uuid()::text,
    "sessionId" text NOT NULL,
    "name" text NOT NULL,
    "category" text,
    "value" double precision,
    "metadata" jsonb,
    "timestamp" timestamp(3) NOT NULL,
    CONSTRAINT "analytics_events_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "analytics_events_sessionId_idx" ON platform."analytics_events" ("sessionId");

CREATE TABLE platform."campaign_attributions" (
    "id" text NOT NULL DEFAULT gen_random_uuid()::text,
    "userId" text NOT NULL,
    "sessionId" text NOT NULL,
    "conversionId" text NOT NULL,
    "attributionType" platform."AttributionType" NOT NULL DEFAULT 'FIRST_TOUCH'::platform."AttributionType",
    "platform" text,
    "externalCampaignId" text,
    "utmCampaign" text,
    "utmSource" text,
    "utmMedium" text,
    "conversionType" platform."ConversionType" NOT NULL DEFAULT 'SIGNUP'::platform."ConversionType",
    "conversionValue" double precision,
    "convertedAt" timestamp(3) NOT NULL,
    CONSTRAINT "campaign_attributions_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "campaign_attributions_userId_idx" ON platform."campaign_attributions" ("userId");

CREATE TABLE platform."campaign_metrics_cache" (
    "id" text NOT NULL DEFAULT gen_random_uuid()::text,
    "cacheKey" text NOT NULL,
    "metrics" jsonb NOT NULL,
    "computedAt" timestamp(3) NOT NULL,
    "expiresAt" timestamp(3) NOT NULL,
    CONSTRAINT "campaign_metrics_cache_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "campaign_metrics_cache_cacheKey_key" ON platform."campaign_metrics_cache" ("cacheKey");

CREATE TABLE platform."campaign_links" (
    "id" text NOT NULL DEFAULT gen_random_uuid()::text,
    "utmCampaign" text NOT NULL,
    "platform" text NOT NULL,
    "externalCampaignId" text NOT NULL,
    "externalCampaignName" text,
    "createdAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "campaign_links_pkey" PRIMARY KEY ("id")
);

CREATE TABLE platform."audio_mixer_projects" (
    "id" text NOT NULL DEFAULT gen_random_uuid()::text,
    "userId" text NOT NULL,
    "name" text NOT NULL,
    "description" text,
    "createdAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "audio_mixer_projects_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "audio_mixer_projects_userId_idx" ON platform."audio_mixer_projects" ("userId");

CREATE TABLE platform."audio_tracks" (
    "id" text NOT NULL DEFAULT gen_random_uuid()::text,
    "projectId" text NOT NULL,
    "name" text NOT NULL,
    "fileUrl" text,
    "fileR2Key" text,
    "fileFormat" text NOT NULL,
    "duration" double precision NOT NULL,
    "fileSizeBytes" integer NOT NULL,
    "volume" double precision NOT NULL,
    "muted" boolean NOT NULL DEFAULT false,
    "solo" boolean NOT NULL DEFAULT false,
    "sortOrder" integer NOT NULL DEFAULT 0,
    "storageType" platform."AudioStorageType" NOT NULL DEFAULT 'INDEXED_DB'::platform."AudioStorageType",
    "createdAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "audio_tracks_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "audio_tracks_projectId_idx" ON platform."audio_tracks" ("projectId");

CREATE TABLE platform."merch_categories" (
    "id" text NOT NULL DEFAULT gen_random_uuid()::text,
    "name" text NOT NULL,
    "slug" text NOT NULL,
    "description" text,
    "icon" text,
    "sortOrder" integer NOT NULL DEFAULT 0,
    "isActive" boolean NOT NULL DEFAULT true,
    "createdAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "merch_categories_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "merch_categories_name_key" ON platform."merch_categories" ("name");
CREATE UNIQUE INDEX "merch_categories_slug_key" ON platform."merch_categories" ("slug");

CREATE TABLE platform."merch_products" (
    "id" text NOT NULL DEFAULT gen_random_uuid()::text,
    "name" text NOT NULL,
    "description" text,
    "categoryId" text NOT NULL,
    "provider" platform."PodProvider" NOT NULL DEFAULT 'PRODIGI'::platform."PodProvider",
    "providerSku" text NOT NULL,
    "basePrice" numeric(10,2) NOT NULL,
    "retailPrice" numeric(10,2) NOT NULL,
    "currency" text NOT NULL,
    "isActive" boolean NOT NULL DEFAULT true,
    "minDpi" integer NOT NULL,
    "minWidth" integer NOT NULL,
    "minHeight" integer NOT NULL,
    "printAreaWidth" integer,
    "printAreaHeight" integer,
    "mockupTemplate" text,
    "sortOrder" integer NOT NULL DEFAULT 0,
    "createdAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "merch_products_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "merch_products_categoryId_idx" ON platform."merch_products" ("categoryId");

CREATE TABLE platform."merch_variants" (
    "id" text NOT NULL DEFAULT gen_random_uuid()::text,
    "productId" text NOT NULL,
    "name" text NOT NULL,
    "providerSku" text NOT NULL,
    "priceDelta" numeric(10,2) NOT NULL,
    "isActive" boolean NOT NULL DEFAULT true,
    "attributes" jsonb,
    "createdAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "merch_variants_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "merch_variants_productId_idx" ON platform."merch_variants" ("productId");

CREATE TABLE platform."merch_carts" (
    "id" text NOT NULL DEFAULT gen_random_uuid()::text,
    "userId" text NOT NULL,
    "createdAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "merch_carts_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "merch_carts_userId_key" ON platform."merch_carts" ("userId");

CREATE TABLE platform."merch_cart_items" (
    "id" text NOT NULL DEFAULT gen_random_uuid()::text,
    "cartId" text NOT NULL,
    "productId" text NOT NULL,
    "variantId" text,
    "imageId" text,
    "uploadedImageR2Key" text,
    "uploadedImageUrl" text,
    "quantity" integer NOT NULL,
    "customText" text,
    "createdAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "merch_cart_items_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "merch_cart_items_cartId_idx" ON platform."merch_cart_items" ("cartId");
CREATE INDEX "merch_cart_items_productId_idx" ON platform."merch_cart_items" ("productId");
CREATE INDEX "merch_cart_items_variantId_idx" ON platform."merch_cart_items" ("variantId");
CREATE INDEX "merch_cart_items_imageId_idx" ON platform."merch_cart_items" ("imageId");

CREATE TABLE platform."merch_orders" (
    "id" text NOT NULL DEFAULT gen_random_uuid()::text,
    "userId" text NOT NULL,
    "orderNumber" text NOT NULL,
    "status" platform."MerchOrderStatus" NOT NULL DEFAULT 'PENDING'::platform."MerchOrderStatus",
    "subtotal" numeric(10,2) NOT NULL,
    "shippingCost" numeric(10,2) NOT NULL,
    "taxAmount" numeric(10,2) NOT NULL,
    "totalAmount" numeric(10,2) NOT NULL,
    "currency" text NOT NULL,
    "stripePaymentIntentId" text,
    "stripePaymentStatus" text,
    "shippingAddress" jsonb NOT NULL,
    "billingAddress" jsonb,
    "customerEmail" text NOT NULL,
    "customerPhone" text,
    "notes" text,
    "createdAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "paidAt" timestamp(3),
    CONSTRAINT "merch_orders_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "merch_orders_orderNumber_key" ON platform."merch_orders" ("orderNumber");
CREATE UNIQUE INDEX "merch_orders_stripePaymentIntentId_key" ON platform."merch_orders" ("stripePaymentIntentId");
CREATE INDEX "merch_orders_userId_idx" ON platform."merch_orders" ("userId");

CREATE TABLE platform."merch_order_items" (
    "id" text NOT NULL DEFAULT gen_random_uuid()::text,
    "orderId" text NOT NULL,
    "productId" text NOT NULL,
    "variantId" text,
    "productName" text NOT NULL,
    "variantName" text,
    "imageUrl" text NOT NULL,
    "imageR2Key" text NOT NULL,
    "quantity" integer NOT NULL,
    "unitPrice" numeric(10,2) NOT NULL,
    "totalPrice" numeric(10,2) NOT NULL,
    "customText" text,
    "podOrderId" text,
    "podStatus" text,
    "createdAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "shipmentId" text,
    CONSTRAINT "merch_order_items_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "merch_order_items_orderId_idx" ON platform."merch_order_items" ("orderId");
CREATE INDEX "merch_order_items_productId_idx" ON platform."merch_order_items" ("productId");
CREATE INDEX "merch_order_items_variantId_idx" ON platform."merch_order_items" ("variantId");
CREATE INDEX "merch_order_items_shipmentId_idx" ON platform."merch_order_items" ("shipmentId");

CREATE TABLE platform."merch_shipments" (
    "id" text NOT NULL DEFAULT gen_random_uuid()::text,
    "orderId" text NOT NULL,
    "provider" platform."PodProvider" NOT NULL DEFAULT 'PRODIGI'::platform."PodProvider",
    "providerShipId" text,
    "carrier" text,
    "trackingNumber" text,
    "trackingUrl" text,
    "status" platform."ShipmentStatus" NOT NULL DEFAULT 'PENDING'::platform."ShipmentStatus",
    "shippedAt" timestamp(3),
    "deliveredAt" timestamp(3),
    "createdAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "merch_shipments_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "merch_shipments_orderId_idx" ON platform."merch_shipments" ("orderId");

CREATE TABLE platform."merch_order_events" (
    "id" text NOT NULL DEFAULT gen_random_uuid()::text,
    "orderId" text NOT NULL,
    "type" text NOT NULL,
    "data" jsonb,
    "createdAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "merch_order_events_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "merch_order_events_orderId_idx" ON platform."merch_order_events" ("orderId");

CREATE TABLE platform."merch_webhook_events" (
    "id" text NOT NULL DEFAULT gen_random_uuid()::text,
    "provider" text NOT NULL,
    "eventId" text NOT NULL,
    "eventType" text NOT NULL,
    "processed" boolean NOT NULL DEFAULT false,
    "payload" jsonb NOT NULL,
    "processedAt" timestamp(3),
    "createdAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "merch_webhook_events_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "merch_webhook_events_eventId_key" ON platform."merch_webhook_events" ("eventId");

CREATE TABLE platform."external_agent_sessions" (
    "id" text NOT NULL DEFAULT gen_random_uuid()::text,
    "externalId" text NOT NULL,
    "provider" platform."AgentProvider" NOT NULL DEFAULT 'JULES'::platform."AgentProvider",
    "name" text NOT NULL,
    "description" text,
    "status" platform."ExternalAgentStatus" NOT NULL DEFAULT 'QUEUED'::platform."ExternalAgentStatus",
    "sourceRepo" text,
    "startingBranch" text,
    "outputBranch" text,
    "pullRequestUrl" text,
    "planSummary" text,
    "planApprovedAt" timestamp(3),
    "lastActivityAt" timestamp(3),
    "errorMessage" text,
    "metadata" jsonb,
    "createdAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "external_agent_sessions_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "external_agent_sessions_externalId_key" ON platform."external_agent_sessions" ("externalId");

CREATE TABLE platform."agent_session_activities" (
    "id" text NOT NULL DEFAULT gen_random_uuid()::text,
    "sessionId" text NOT NULL,
    "externalId" text,
    "type" text NOT NULL,
    "content" text,
    "metadata" jsonb,
    "createdAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "agent_session_activities_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "agent_session_activities_sessionId_idx" ON platform."agent_session_activities" ("sessionId");

CREATE TABLE platform."scout_competitors" (
    "id" text NOT NULL DEFAULT gen_random_uuid()::text,
    "workspaceId" text NOT NULL,
    "platform" platform."SocialPlatform" NOT NULL DEFAULT 'TWITTER'::platform."SocialPlatform",
    "handle" text NOT NULL,
    "name" text,
    "isActive" boolean NOT NULL DEFAULT true,
    "createdAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "scout_competitors_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "scout_competitors_workspaceId_idx" ON platform."scout_competitors" ("workspaceId");

CREATE TABLE platform."scout_competitor_posts" (
    "id" text NOT NULL DEFAULT gen_random_uuid()::text,
    "competitorId" text NOT NULL,
    "platformPostId" text NOT NULL,
    "content" text NOT NULL,
    "postedAt" timestamp(3) NOT NULL,
    "likes" integer NOT NULL,
    "comments" integer NOT NULL,
    "shares" integer NOT NULL,
    "metadata" jsonb,
    "createdAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "scout_competitor_posts_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "scout_competitor_posts_competitorId_idx" ON platform."scout_competitor_posts" ("competitorId");

CREATE TABLE platform."scout_benchmarks" (
    "id" text NOT NULL DEFAULT gen_random_uuid()::text,
    "workspaceId" text NOT NULL,
    "period" text NOT NULL,
    "ownMetrics" jsonb NOT NULL,
    "competitorMetrics" jsonb NOT NULL,
    "generatedAt" timestamp(3) NOT NULL,
    CONSTRAINT "scout_benchmarks_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "scout_benchmarks_workspaceId_idx" ON platform."scout_benchmarks" ("workspaceId");

CREATE TABLE platform."social_accounts" (
    "id" text NOT NULL DEFAULT gen_random_uuid()::text,
    "platform" platform."SocialPlatform" NOT NULL DEFAULT 'TWITTER'::platform."SocialPlatform",
    "accountId" text NOT NULL,
    "accountName" text NOT NULL,
    "accessTokenEncrypted" text NOT NULL,
    "refreshTokenEncrypted" text,
    "tokenExpiresAt" timestamp(3),
    "connectedAt" timestamp(3) NOT NULL,
    "status" platform."SocialAccountStatus" NOT NULL DEFAULT 'ACTIVE'::platform."SocialAccountStatus",
    "metadata" jsonb,
    "userId" text NOT NULL,
    "workspaceId" text NOT NULL,
    "createdAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "social_accounts_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "social_accounts_userId_idx" ON platform."social_accounts" ("userId");
CREATE INDEX "social_accounts_workspaceId_idx" ON platform."social_accounts" ("workspaceId");

CREATE TABLE platform."social_posts" (
    "id" text NOT NULL DEFAULT gen_random_uuid()::text,
    "content" text NOT NULL,
    "scheduledAt" timestamp(3),
    "publishedAt" timestamp(3),
    "status" platform."SocialPostStatus" NOT NULL DEFAULT 'DRAFT'::platform."SocialPostStatus",
    "metadata" jsonb,
    "createdById" text NOT NULL,
    "createdAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "social_posts_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "social_posts_createdById_idx" ON platform."social_posts" ("createdById");

CREATE TABLE platform."social_post_accounts" (
    "id" text NOT NULL DEFAULT gen_random_uuid()::text,
    "postId" text NOT NULL,
    "accountId" text NOT NULL,
    "platformPostId" text,
    "publishedAt" timestamp(3),
    "status" platform."SocialPostStatus" NOT NULL DEFAULT 'DRAFT'::platform."SocialPostStatus",
    "errorMessage" text,
    CONSTRAINT "social_post_accounts_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "social_post_accounts_postId_idx" ON platform."social_post_accounts" ("postId");
CREATE INDEX "social_post_accounts_accountId_idx" ON platform."social_post_accounts" ("accountId");

CREATE TABLE platform."social_metrics" (
    "id" text NOT NULL DEFAULT gen_random_uuid()::text,
    "accountId" text NOT NULL,
    "date" timestamp(3) NOT NULL,
    "followers" integer NOT NULL,
    "following" integer NOT NULL,
    "postsCount" integer NOT NULL DEFAULT 0,
    "engagementRate" numeric(5,4),
    "impressions" integer NOT NULL,
    "reach" integer NOT NULL,
    "likes" integer NOT NULL,
    "comments" integer NOT NULL,
    "shares" integer NOT NULL,
    "rawData" jsonb,
    "createdAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "social_metrics_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "social_metrics_accountId_idx" ON platform."social_metrics" ("accountId");

CREATE TABLE platform."social_metric_anomalies" (
    "id" text NOT NULL DEFAULT gen_random_uuid()::text,
    "accountId" text NOT NULL,
    "metricType" text NOT NULL,
    "detectedAt" timestamp(3) NOT NULL,
    "currentValue" double precision NOT NULL,
    "expectedValue" double precision NOT NULL,
    "zScore" double precision NOT NULL,
    "severity" text NOT NULL,
    "direction" text NOT NULL,
    "percentChange" double precision NOT NULL,
    "createdAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "social_metric_anomalies_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "social_metric_anomalies_accountId_idx" ON platform."social_metric_anomalies" ("accountId");

CREATE TABLE platform."workspaces" (
    "id" text NOT NULL DEFAULT gen_random_uuid()::text,
    "name" text NOT NULL,
    "slug" text NOT NULL,
    "description" text,
    "avatarUrl" text,
    "settings" jsonb,
    "isPersonal" boolean NOT NULL DEFAULT false,
    "createdAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "deletedAt" timestamp(3),
    "subscriptionTier" platform."WorkspaceSubscriptionTier" NOT NULL DEFAULT 'FREE'::platform."WorkspaceSubscriptionTier",
    "maxSocialAccounts" integer NOT NULL DEFAULT 3,
    "maxScheduledPosts" integer NOT NULL DEFAULT 30,
    "maxAbTests" integer NOT NULL DEFAULT 1,
    "monthlyAiCredits" integer NOT NULL DEFAULT 100,
    "usedAiCredits" integer NOT NULL DEFAULT 0,
    "maxTeamMembers" integer NOT NULL DEFAULT 3,
    "billingCycleStart" timestamp(3),
    "stripeSubscriptionId" text,
    CONSTRAINT "workspaces_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "workspaces_slug_key" ON platform."workspaces" ("slug");
CREATE UNIQUE INDEX "workspaces_stripeSubscriptionId_key" ON platform."workspaces" ("stripeSubscriptionId");

CREATE TABLE platform."workspace_favorites" (
    "id" text NOT NULL DEFAULT gen_random_uuid()::text,
    "userId" text NOT NULL,
    "workspaceId" text NOT NULL,
    "createdAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "workspace_favorites_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "workspace_favorites_userId_idx" ON platform."workspace_favorites" ("userId");
CREATE INDEX "workspace_favorites_workspaceId_idx" ON platform."workspace_favorites" ("workspaceId");

CREATE TABLE platform."workspace_recent_access" (
    "id" text NOT NULL DEFAULT gen_random_uuid()::text,
    "userId" text NOT NULL,
    "workspaceId" text NOT NULL,
    "accessedAt" timestamp(3) NOT NULL,
    CONSTRAINT "workspace_recent_access_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "workspace_recent_access_userId_idx" ON platform."workspace_recent_access" ("userId");
CREATE INDEX "workspace_recent_access_workspaceId_idx" ON platform."workspace_recent_access" ("workspaceId");

CREATE TABLE platform."workspace_members" (
    "id" text NOT NULL DEFAULT gen_random_uuid()::text,
    "workspaceId" text NOT NULL,
    "userId" text NOT NULL,
    "role" platform."WorkspaceRole" NOT NULL DEFAULT 'OWNER'::platform."WorkspaceRole",
    "invitedAt" timestamp(3) NOT NULL,
    "joinedAt" timestamp(3),
    "invitedById" text,
    "createdAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "workspace_members_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "workspace_members_workspaceId_idx" ON platform."workspace_members" ("workspaceId");
CREATE INDEX "workspace_members_userId_idx" ON platform."workspace_members" ("userId");
CREATE INDEX "workspace_members_invitedById_idx" ON platform."workspace_members" ("invitedById");

CREATE TABLE platform."connections" (
    "id" text NOT NULL DEFAULT gen_random_uuid()::text,
    "workspaceId" text NOT NULL,
    "identityId" text,
    "displayName" text NOT NULL,
    "avatarUrl" text,
    "notes" text,
    "warmthScore" integer NOT NULL,
    "warmthFactors" jsonb,
    "lastInteraction" timestamp(3),
    "interactionCount" integer NOT NULL DEFAULT 0,
    "nextStep" platform."ConnectionNextStep",
    "nextStepDueDate" timestamp(3),
    "nextStepNotes" text,
    "meetupStatus" platform."MeetupPipelineStatus" NOT NULL DEFAULT 'PROSPECTING'::platform."MeetupPipelineStatus",
    "meetupStatusUpdatedAt" timestamp(3),
    "createdAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "connections_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "connections_identityId_key" ON platform."connections" ("identityId");
CREATE INDEX "connections_workspaceId_idx" ON platform."connections" ("workspaceId");

CREATE TABLE platform."connection_platform_presence" (
    "id" text NOT NULL DEFAULT gen_random_uuid()::text,
    "connectionId" text NOT NULL,
    "platform" platform."SocialPlatform" NOT NULL DEFAULT 'TWITTER'::platform."SocialPlatform",
    "handle" text NOT NULL,
    "profileUrl" text,
    "lastSeenAt" timestamp(3),
    CONSTRAINT "connection_platform_presence_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "connection_platform_presence_connectionId_idx" ON platform."connection_platform_presence" ("connectionId");

CREATE TABLE platform."connection_tags" (
    "id" text NOT NULL DEFAULT gen_random_uuid()::text,
    "workspaceId" text NOT NULL,
    "name" text NOT NULL,
    "color" text NOT NULL,
    CONSTRAINT "connection_tags_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "connection_tags_workspaceId_idx" ON platform."connection_tags" ("workspaceId");

CREATE TABLE platform."connection_reminders" (
    "id" text NOT NULL DEFAULT gen_random_uuid()::text,
    "connectionId" text NOT NULL,
    "workspaceId" text NOT NULL,
    "type" platform."ReminderType" NOT NULL DEFAULT 'FOLLOW_UP'::platform."ReminderType",
    "title" text NOT NULL,
    "description" text,
    "dueDate" timestamp(3) NOT NULL,
    "status" platform."ReminderStatus" NOT NULL DEFAULT 'PENDING'::platform."ReminderStatus",
    "snoozedUntil" timestamp(3),
    "snoozeCount" integer NOT NULL DEFAULT 0,
    "completedAt" timestamp(3),
    "createdAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "connection_reminders_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "connection_reminders_connectionId_idx" ON platform."connection_reminders" ("connectionId");

CREATE TABLE platform."meetup_status_history" (
    "id" text NOT NULL DEFAULT gen_random_uuid()::text,
    "connectionId" text NOT NULL,
    "fromStatus" platform."MeetupPipelineStatus" NOT NULL DEFAULT 'PROSPECTING'::platform."MeetupPipelineStatus",
    "toStatus" platform."MeetupPipelineStatus" NOT NULL DEFAULT 'PROSPECTING'::platform."MeetupPipelineStatus",
    "notes" text,
    "updatedById" text,
    "createdAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "meetup_status_history_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "meetup_status_history_connectionId_idx" ON platform."meetup_status_history" ("connectionId");

CREATE TABLE platform."brand_profiles" (
    "id" text NOT NULL DEFAULT gen_random_uuid()::text,
    "workspaceId" text NOT NULL,
    "name" text NOT NULL,
    "mission" text,
    "values" jsonb,
    "toneDescriptors" jsonb,
    "logoUrl" text,
    "logoR2Key" text,
    "colorPalette" jsonb,
    "version" integer NOT NULL,
    "isActive" boolean NOT NULL DEFAULT true,
    "createdById" text NOT NULL,
    "updatedById" text,
    "createdAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "brand_profiles_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "brand_profiles_workspaceId_key" ON platform."brand_profiles" ("workspaceId");
CREATE INDEX "brand_profiles_createdById_idx" ON platform."brand_profiles" ("createdById");
CREATE INDEX "brand_profiles_updatedById_idx" ON platform."brand_profiles" ("updatedById");

CREATE TABLE platform."brand_guardrails" (
    "id" text NOT NULL DEFAULT gen_random_uuid()::text,
    "brandProfileId" text NOT NULL,
    "type" platform."GuardrailType" NOT NULL DEFAULT 'PROHIBITED_TOPIC'::platform."GuardrailType",
    "name" text NOT NULL,
    "description" text,
    "severity" platform."GuardrailSeverity" NOT NULL DEFAULT 'LOW'::platform."GuardrailSeverity",
    "ruleConfig" jsonb,
    "isActive" boolean NOT NULL DEFAULT true,
    "createdAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "brand_guardrails_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "brand_guardrails_brandProfileId_idx" ON platform."brand_guardrails" ("brandProfileId");

CREATE TABLE platform."brand_vocabulary" (
    "id" text NOT NULL DEFAULT gen_random_uuid()::text,
    "brandProfileId" text NOT NULL,
    "type" platform."VocabularyType" NOT NULL DEFAULT 'PREFERRED'::platform."VocabularyType",
    "term" text NOT NULL,
    "replacement" text,
    "context" text,
    "isActive" boolean NOT NULL DEFAULT true,
    "createdAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "brand_vocabulary_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "brand_vocabulary_brandProfileId_idx" ON platform."brand_vocabulary" ("brandProfileId");

CREATE TABLE platform."content_rewrites" (
    "id" text NOT NULL DEFAULT gen_random_uuid()::text,
    "workspaceId" text NOT NULL,
    "brandProfileId" text NOT NULL,
    "originalContent" text NOT NULL,
    "rewrittenContent" text,
    "platform" platform."ContentPlatform" NOT NULL DEFAULT 'TWITTER'::platform."ContentPlatform",
    "status" platform."RewriteStatus" NOT NULL DEFAULT 'PENDING'::platform."RewriteStatus",
    "characterLimit" integer,
    "changes" jsonb,
    "toneAnalysis" jsonb,
    "errorMessage" text,
    "processedAt" timestamp(3),
    "createdById" text NOT NULL,
    "createdAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "content_rewrites_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "content_rewrites_workspaceId_idx" ON platform."content_rewrites" ("workspaceId");
CREATE INDEX "content_rewrites_brandProfileId_idx" ON platform."content_rewrites" ("brandProfileId");
CREATE INDEX "content_rewrites_createdById_idx" ON platform."content_rewrites" ("createdById");

CREATE TABLE platform."scheduled_posts" (
    "id" text NOT NULL DEFAULT gen_random_uuid()::text,
    "content" text NOT NULL,
    "scheduledAt" timestamp(3) NOT NULL,
    "timezone" text NOT NULL,
    "recurrenceRule" text,
    "recurrenceEndAt" timestamp(3),
    "status" platform."ScheduledPostStatus" NOT NULL DEFAULT 'DRAFT'::platform."ScheduledPostStatus",
    "metadata" jsonb,
    "publishedAt" timestamp(3),
    "errorMessage" text,
    "retryCount" integer NOT NULL DEFAULT 0,
    "maxRetries" integer NOT NULL,
    "lastAttemptAt" timestamp(3),
    "nextOccurrenceAt" timestamp(3),
    "workspaceId" text NOT NULL,
    "createdById" text NOT NULL,
    "createdAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "scheduled_posts_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "scheduled_posts_workspaceId_idx" ON platform."scheduled_posts" ("workspaceId");
CREATE INDEX "scheduled_posts_createdById_idx" ON platform."scheduled_posts" ("createdById");

CREATE TABLE platform."scheduled_post_accounts" (
    "id" text NOT NULL DEFAULT gen_random_uuid()::text,
    "postId" text NOT NULL,
    "accountId" text NOT NULL,
    "platformPostId" text,
    "publishedAt" timestamp(3),
    "status" platform."ScheduledPostStatus" NOT NULL DEFAULT 'DRAFT'::platform."ScheduledPostStatus",
    "errorMessage" text,
    CONSTRAINT "scheduled_post_accounts_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "scheduled_post_accounts_postId_idx" ON platform."scheduled_post_accounts" ("postId");
CREATE INDEX "scheduled_post_accounts_accountId_idx" ON platform."scheduled_post_accounts" ("accountId");

CREATE TABLE platform."posting_time_recommendations" (
    "id" text NOT NULL DEFAULT gen_random_uuid()::text,
    "accountId" text NOT NULL,
    "dayOfWeek" integer NOT NULL,
    "hourUtc" integer NOT NULL,
    "score" double precision NOT NULL,
    "confidence" text NOT NULL,
    "reason" text NOT NULL,
    "lastUpdated" timestamp(3) NOT NULL,
    CONSTRAINT "posting_time_recommendations_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "posting_time_recommendations_accountId_idx" ON platform."posting_time_recommendations" ("accountId");

CREATE TABLE platform."calendar_content_suggestions" (
    "id" text NOT NULL DEFAULT gen_random_uuid()::text,
    "workspaceId" text NOT NULL,
    "content" text NOT NULL,
    "suggestedFor" timestamp(3) NOT NULL,
    "platform" platform."SocialPlatform" NOT NULL DEFAULT 'TWITTER'::platform."SocialPlatform",
    "reason" text NOT NULL,
    "status" platform."ContentSuggestionStatus" NOT NULL DEFAULT 'PENDING'::platform."ContentSuggestionStatus",
    "confidence" double precision NOT NULL,
    "keywords" text[] NOT NULL DEFAULT ARRAY[]::text[],
    "metadata" jsonb,
    "createdAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "acceptedAt" timestamp(3),
    "rejectedAt" timestamp(3),
    CONSTRAINT "calendar_content_suggestions_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "calendar_content_suggestions_workspaceId_idx" ON platform."calendar_content_suggestions" ("workspaceId");

CREATE TABLE platform."inbox_items" (
    "id" text NOT NULL DEFAULT gen_random_uuid()::text,
    "type" platform."InboxItemType" NOT NULL DEFAULT 'MENTION'::platform."InboxItemType",
    "status" platform."InboxItemStatus" NOT NULL DEFAULT 'UNREAD'::platform."InboxItemStatus",
    "platform" platform."SocialPlatform" NOT NULL DEFAULT 'TWITTER'::platform."SocialPlatform",
    "platformItemId" text NOT NULL,
    "content" text NOT NULL,
    "senderName" text NOT NULL,
    "senderHandle" text,
    "senderAvatarUrl" text,
    "originalPostId" text,
    "originalPostContent" text,
    "metadata" jsonb,
    "receivedAt" timestamp(3) NOT NULL,
    "readAt" timestamp(3),
    "repliedAt" timestamp(3),
    "resolvedAt" timestamp(3),
    "workspaceId" text NOT NULL,
    "accountId" text NOT NULL,
    "assignedToId" text,
    "createdAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sentiment" platform."InboxSentiment",
    "sentimentScore" double precision,
    "priorityScore" integer,
    "priorityFactors" jsonb,
    "routingAnalyzedAt" timestamp(3),
    "routingMetadata" jsonb,
    "escalationStatus" platform."EscalationStatus",
    "escalationLevel" integer,
    "escalatedAt" timestamp(3),
    "escalatedToId" text,
    "slaDeadline" timestamp(3),
    "slaBreach" boolean NOT NULL DEFAULT false,
    CONSTRAINT "inbox_items_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "inbox_items_workspaceId_idx" ON platform."inbox_items" ("workspaceId");
CREATE INDEX "inbox_items_accountId_idx" ON platform."inbox_items" ("accountId");
CREATE INDEX "inbox_items_assignedToId_idx" ON platform."inbox_items" ("assignedToId");
CREATE INDEX "inbox_items_escalatedToId_idx" ON platform."inbox_items" ("escalatedToId");

CREATE TABLE platform."relay_drafts" (
    "id" text NOT NULL DEFAULT gen_random_uuid()::text,
    "content" text NOT NULL,
    "confidenceScore" double precision NOT NULL,
    "status" platform."RelayDraftStatus" NOT NULL DEFAULT 'PENDING'::platform."RelayDraftStatus",
    "isPreferred" boolean NOT NULL DEFAULT false,
    "reason" text,
    "metadata" jsonb,
    "sentAt" timestamp(3),
    "errorMessage" text,
    "inboxItemId" text NOT NULL,
    "reviewedById" text,
    "reviewedAt" timestamp(3),
    "createdAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "relay_drafts_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "relay_drafts_inboxItemId_idx" ON platform."relay_drafts" ("inboxItemId");
CREATE INDEX "relay_drafts_reviewedById_idx" ON platform."relay_drafts" ("reviewedById");

CREATE TABLE platform."draft_edit_history" (
    "id" text NOT NULL DEFAULT gen_random_uuid()::text,
    "draftId" text NOT NULL,
    "originalContent" text NOT NULL,
    "editedContent" text NOT NULL,
    "editType" platform."DraftEditType" NOT NULL DEFAULT 'MINOR_TWEAK'::platform."DraftEditType",
    "changesSummary" text,
    "editDistance" integer,
    "editedById" text NOT NULL,
    "createdAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "draft_edit_history_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "draft_edit_history_editedById_idx" ON platform."draft_edit_history" ("editedById");
CREATE INDEX "draft_edit_history_draftId_idx" ON platform."draft_edit_history" ("draftId");

CREATE TABLE platform."draft_audit_logs" (
    "id" text NOT NULL DEFAULT gen_random_uuid()::text,
    "draftId" text NOT NULL,
    "action" platform."DraftAuditAction" NOT NULL DEFAULT 'CREATED'::platform."DraftAuditAction",
    "details" jsonb,
    "ipAddress" text,
    "userAgent" text,
    "performedById" text NOT NULL,
    "createdAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "draft_audit_logs_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "draft_audit_logs_performedById_idx" ON platform."draft_audit_logs" ("performedById");
CREATE INDEX "draft_audit_logs_draftId_idx" ON platform."draft_audit_logs" ("draftId");

CREATE TABLE platform."crisis_detection_events" (
    "id" text NOT NULL DEFAULT gen_random_uuid()::text,
    "workspaceId" text NOT NULL,
    "severity" platform."CrisisSeverity" NOT NULL DEFAULT 'LOW'::platform."CrisisSeverity",
    "status" platform."CrisisEventStatus" NOT NULL DEFAULT 'DETECTED'::platform."CrisisEventStatus",
    "triggerType" text NOT NULL,
    "triggerData" jsonb NOT NULL,
    "affectedAccountIds" text[] NOT NULL DEFAULT ARRAY[]::text[],
    "acknowledgedAt" timestamp(3),
    "acknowledgedById" text,
    "resolvedAt" timestamp(3),
    "resolvedById" text,
    "responseNotes" text,
    "detectedAt" timestamp(3) NOT NULL,
    "createdAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "crisis_detection_events_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "crisis_detection_events_workspaceId_idx" ON platform."crisis_detection_events" ("workspaceId");
CREATE INDEX "crisis_detection_events_acknowledgedById_idx" ON platform."crisis_detection_events" ("acknowledgedById");
CREATE INDEX "crisis_detection_events_resolvedById_idx" ON platform."crisis_detection_events" ("resolvedById");

CREATE TABLE platform."crisis_response_templates" (
    "id" text NOT NULL DEFAULT gen_random_uuid()::text,
    "workspaceId" text,
    "name" text NOT NULL,
    "category" text NOT NULL,
    "platform" platform."SocialPlatform",
    "content" text NOT NULL,
    "variables" text[] NOT NULL DEFAULT ARRAY[]::text[],
    "isActive" boolean NOT NULL DEFAULT true,
    "usageCount" integer NOT NULL DEFAULT 0,
    "createdAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "crisis_response_templates_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "crisis_response_templates_workspaceId_idx" ON platform."crisis_response_templates" ("workspaceId");

CREATE TABLE platform."crisis_alert_rules" (
    "id" text NOT NULL DEFAULT gen_random_uuid()::text,
    "workspaceId" text NOT NULL,
    "name" text NOT NULL,
    "description" text,
    "ruleType" platform."CrisisRuleType" NOT NULL DEFAULT 'SENTIMENT_DROP'::platform."CrisisRuleType",
    "conditions" jsonb NOT NULL,
    "severity" platform."CrisisSeverity" NOT NULL DEFAULT 'LOW'::platform."CrisisSeverity",
    "notifyChannels" text[] NOT NULL DEFAULT ARRAY[]::text[],
    "escalateAfterMinutes" integer,
    "isActive" boolean NOT NULL DEFAULT true,
    "createdAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "crisis_alert_rules_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "crisis_alert_rules_workspaceId_idx" ON platform."crisis_alert_rules" ("workspaceId");

CREATE TABLE platform."social_account_health" (
    "id" text NOT NULL DEFAULT gen_random_uuid()::text,
    "accountId" text NOT NULL,
    "healthScore" integer NOT NULL,
    "status" platform."AccountHealthStatus" NOT NULL DEFAULT 'HEALTHY'::platform."AccountHealthStatus",
    "lastSuccessfulSync" timestamp(3),
    "lastSyncAttempt" timestamp(3),
    "lastError" text,
    "lastErrorAt" timestamp(3),
    "consecutiveErrors" integer NOT NULL,
    "totalErrorsLast24h" integer NOT NULL,
    "rateLimitRemaining" integer,
    "rateLimitTotal" integer,
    "rateLimitResetAt" timestamp(3),
    "isRateLimited" boolean NOT NULL DEFAULT false,
    "tokenExpiresAt" timestamp(3),
    "tokenRefreshRequired" boolean NOT NULL DEFAULT false,
    "createdAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "social_account_health_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "social_account_health_accountId_key" ON platform."social_account_health" ("accountId");

CREATE TABLE platform."recovery_guidance" (
    "id" text NOT NULL DEFAULT gen_random_uuid()::text,
    "platform" platform."SocialPlatform",
    "issueType" platform."AccountIssueType" NOT NULL DEFAULT 'TOKEN_EXPIRED'::platform."AccountIssueType",
    "severity" platform."IssueSeverity" NOT NULL DEFAULT 'INFO'::platform."IssueSeverity",
    "title" text NOT NULL,
    "description" text NOT NULL,
    "steps" jsonb NOT NULL,
    "estimatedTime" text,
    "requiresAction" boolean NOT NULL DEFAULT false,
    "autoRecoverable" boolean NOT NULL DEFAULT true,
    "createdAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "recovery_guidance_pkey" PRIMARY KEY ("id")
);

CREATE TABLE platform."account_health_events" (
    "id" text NOT NULL DEFAULT gen_random_uuid()::text,
    "accountId" text NOT NULL,
    "workspaceId" text NOT NULL,
    "eventType" platform."AccountHealthEventType" NOT NULL DEFAULT 'STATUS_CHANGED'::platform."AccountHealthEventType",
    "severity" platform."IssueSeverity" NOT NULL DEFAULT 'INFO'::platform."IssueSeverity",
    "previousStatus" platform."AccountHealthStatus",
    "newStatus" platform."AccountHealthStatus" NOT NULL DEFAULT 'HEALTHY'::platform."AccountHealthStatus",
    "previousScore" integer,
    "newScore" integer NOT NULL,
    "message" text NOT NULL,
    "details" jsonb,
    "resolvedAt" timestamp(3),
    "resolvedById" text,
    "resolutionNotes" text,
    "createdAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "account_health_events_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "account_health_events_accountId_idx" ON platform."account_health_events" ("accountId");
CREATE INDEX "account_health_events_workspaceId_idx" ON platform."account_health_events" ("workspaceId");
CREATE INDEX "account_health_events_resolvedById_idx" ON platform."account_health_events" ("resolvedById");

CREATE TABLE platform."notifications" (
    "id" text NOT NULL DEFAULT gen_random_uuid()::text,
    "workspaceId" text NOT NULL,
    "userId" text,
    "type" text NOT NULL,
    "title" text NOT NULL,
    "message" text NOT NULL,
    "priority" text NOT NULL,
    "read" boolean NOT NULL DEFAULT false,
    "readAt" timestamp(3),
    "entityType" text,
    "entityId" text,
    "metadata" jsonb,
    "createdAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "notifications_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "notifications_workspaceId_idx" ON platform."notifications" ("workspaceId");

CREATE TABLE platform."policy_rules" (
    "id" text NOT NULL DEFAULT gen_random_uuid()::text,
    "workspaceId" text,
    "name" text NOT NULL,
    "description" text NOT NULL,
    "platform" platform."SocialPlatform",
    "category" platform."PolicyCategory" NOT NULL DEFAULT 'CONTENT'::platform."PolicyCategory",
    "ruleType" platform."PolicyRuleType" NOT NULL DEFAULT 'KEYWORD'::platform."PolicyRuleType",
    "conditions" jsonb NOT NULL,
    "severity" platform."PolicySeverity" NOT NULL DEFAULT 'INFO'::platform."PolicySeverity",
    "isBlocking" boolean NOT NULL DEFAULT false,
    "isActive" boolean NOT NULL DEFAULT true,
    "sourceUrl" text,
    "lastVerifiedAt" timestamp(3),
    "version" integer NOT NULL,
    "createdAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "policy_rules_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "policy_rules_workspaceId_idx" ON platform."policy_rules" ("workspaceId");

CREATE TABLE platform."policy_checks" (
    "id" text NOT NULL DEFAULT gen_random_uuid()::text,
    "workspaceId" text NOT NULL,
    "contentType" platform."PolicyContentType" NOT NULL DEFAULT 'POST'::platform."PolicyContentType",
    "contentId" text,
    "contentText" text NOT NULL,
    "contentMetadata" jsonb,
    "platform" platform."SocialPlatform",
    "checkScope" platform."PolicyCheckScope" NOT NULL DEFAULT 'FULL'::platform."PolicyCheckScope",
    "status" platform."PolicyCheckStatus" NOT NULL DEFAULT 'PENDING'::platform."PolicyCheckStatus",
    "passedRules" integer NOT NULL,
    "failedRules" integer NOT NULL,
    "warningRules" integer NOT NULL,
    "overallResult" platform."PolicyCheckResult",
    "summary" text,
    "startedAt" timestamp(3) NOT NULL,
    "completedAt" timestamp(3),
    "durationMs" integer,
    "checkedById" text,
    "createdAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "policy_checks_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "policy_checks_workspaceId_idx" ON platform."policy_checks" ("workspaceId");
CREATE INDEX "policy_checks_checkedById_idx" ON platform."policy_checks" ("checkedById");

CREATE TABLE platform."policy_violations" (
    "id" text NOT NULL DEFAULT gen_random_uuid()::text,
    "checkId" text NOT NULL,
    "ruleId" text NOT NULL,
    "workspaceId" text NOT NULL,
    "severity" platform."PolicySeverity" NOT NULL DEFAULT 'INFO'::platform."PolicySeverity",
    "message" text NOT NULL,
    "matchedContent" text,
    "matchLocation" jsonb,
    "confidence" double precision,
    "suggestedFix" text,
    "isOverridden" boolean NOT NULL DEFAULT false,
    "overriddenById" text,
    "overrideReason" text,
    "overriddenAt" timestamp(3),
    "createdAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "policy_violations_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "policy_violations_checkId_idx" ON platform."policy_violations" ("checkId");
CREATE INDEX "policy_violations_ruleId_idx" ON platform."policy_violations" ("ruleId");
CREATE INDEX "policy_violations_workspaceId_idx" ON platform."policy_violations" ("workspaceId");
CREATE INDEX "policy_violations_overriddenById_idx" ON platform."policy_violations" ("overriddenById");

CREATE TABLE platform."scout_topics" (
    "id" text NOT NULL DEFAULT gen_random_uuid()::text,
    "workspaceId" text NOT NULL,
    "name" text NOT NULL,
    "keywords" jsonb NOT NULL,
    "isActive" boolean NOT NULL DEFAULT true,
    "createdAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "scout_topics_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "scout_topics_workspaceId_idx" ON platform."scout_topics" ("workspaceId");

CREATE TABLE platform."scout_results" (
    "id" text NOT NULL DEFAULT gen_random_uuid()::text,
    "topicId" text NOT NULL,
    "platform" platform."SocialPlatform" NOT NULL DEFAULT 'TWITTER'::platform."SocialPlatform",
    "platformId" text NOT NULL,
    "content" text NOT NULL,
    "author" text NOT NULL,
    "authorUrl" text,
    "postUrl" text NOT NULL,
    "engagement" jsonb NOT NULL,
    "foundAt" timestamp(3) NOT NULL,
    CONSTRAINT "scout_results_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "scout_results_topicId_idx" ON platform."scout_results" ("topicId");

CREATE TABLE platform."content_suggestions" (
    "id" text NOT NULL DEFAULT gen_random_uuid()::text,
    "workspaceId" text NOT NULL,
    "title" text NOT NULL,
    "description" text NOT NULL,
    "draftContent" text NOT NULL,
    "contentType" platform."SuggestionContentType" NOT NULL DEFAULT 'POST'::platform."SuggestionContentType",
    "suggestedPlatforms" text[] NOT NULL DEFAULT ARRAY[]::text[],
    "trendData" jsonb NOT NULL,
    "relevanceScore" double precision NOT NULL,
    "timelinessScore" double precision NOT NULL,
    "brandAlignmentScore" double precision NOT NULL,
    "overallScore" double precision NOT NULL,
    "status" platform."SuggestionStatus" NOT NULL DEFAULT 'PENDING'::platform."SuggestionStatus",
    "generatedAt" timestamp(3) NOT NULL,
    "expiresAt" timestamp(3),
    "usedAt" timestamp(3),
    "dismissedAt" timestamp(3),
    "dismissalReason" text,
    "feedback" text,
    CONSTRAINT "content_suggestions_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "content_suggestions_workspaceId_idx" ON platform."content_suggestions" ("workspaceId");

CREATE TABLE platform."allocator_campaigns" (
    "id" text NOT NULL DEFAULT gen_random_uuid()::text,
    "workspaceId" text NOT NULL,
    "platform" platform."AllocatorPlatform" NOT NULL DEFAULT 'GOOGLE_ADS'::platform."AllocatorPlatform",
    "platformCampaignId" text NOT NULL,
    "name" text NOT NULL,
    "status" text NOT NULL,
    "budget" numeric(10,2),
    "spend" numeric(10,2) NOT NULL,
    "metrics" jsonb,
    "lastSyncAt" timestamp(3) NOT NULL,
    "createdAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "allocator_campaigns_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "allocator_campaigns_workspaceId_idx" ON platform."allocator_campaigns" ("workspaceId");

CREATE TABLE platform."allocator_ad_sets" (
    "id" text NOT NULL DEFAULT gen_random_uuid()::text,
    "campaignId" text NOT NULL,
    "platformAdSetId" text NOT NULL,
    "name" text NOT NULL,
    "status" text NOT NULL,
    "budget" numeric(10,2),
    "spend" numeric(10,2) NOT NULL,
    "createdAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "allocator_ad_sets_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "allocator_ad_sets_campaignId_idx" ON platform."allocator_ad_sets" ("campaignId");

CREATE TABLE platform."allocator_autopilot_configs" (
    "id" text NOT NULL DEFAULT gen_random_uuid()::text,
    "workspaceId" text NOT NULL,
    "campaignId" text,
    "isEnabled" boolean NOT NULL DEFAULT true,
    "mode" platform."AutopilotMode" NOT NULL DEFAULT 'OFF'::platform."AutopilotMode",
    "maxDailyBudgetChange" numeric(10,2) NOT NULL,
    "maxSingleChange" numeric(10,2) NOT NULL,
    "minRoasThreshold" numeric(10,4),
    "maxCpaThreshold" numeric(10,2),
    "pauseOnAnomaly" boolean NOT NULL DEFAULT false,
    "requireApprovalAbove" numeric(10,2),
    "encryptedSettings" text,
    "minBudget" numeric(12,2),
    "maxBudget" numeric(12,2),
    "cooldownMinutes" integer NOT NULL,
    "isEmergencyStopped" boolean NOT NULL DEFAULT false,
    "emergencyStoppedAt" timestamp(3),
    "emergencyStoppedBy" text,
    "emergencyStopReason" text,
    "createdAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "allocator_autopilot_configs_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "allocator_autopilot_configs_workspaceId_idx" ON platform."allocator_autopilot_configs" ("workspaceId");
CREATE INDEX "allocator_autopilot_configs_campaignId_idx" ON platform."allocator_autopilot_configs" ("campaignId");

CREATE TABLE platform."allocator_guardrail_alerts" (
    "id" text NOT NULL DEFAULT gen_random_uuid()::text,
    "workspaceId" text NOT NULL,
    "campaignId" text,
    "alertType" platform."AllocatorAlertType" NOT NULL DEFAULT 'BUDGET_EXCEEDED'::platform."AllocatorAlertType",
    "severity" platform."AlertSeverity" NOT NULL DEFAULT 'INFO'::platform."AlertSeverity",
    "message" text NOT NULL,
    "metadata" jsonb,
    "acknowledged" boolean NOT NULL DEFAULT false,
    "acknowledgedAt" timestamp(3),
    "acknowledgedBy" text,
    "createdAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "allocator_guardrail_alerts_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "allocator_guardrail_alerts_workspaceId_idx" ON platform."allocator_guardrail_alerts" ("workspaceId");
CREATE INDEX "allocator_guardrail_alerts_campaignId_idx" ON platform."allocator_guardrail_alerts" ("campaignId");

CREATE TABLE platform."allocator_autopilot_executions" (
    "id" text NOT NULL DEFAULT gen_random_uuid()::text,
    "workspaceId" text NOT NULL,
    "campaignId" text NOT NULL,
    "recommendationId" text,
    "recommendationType" text NOT NULL,
    "status" platform."AutopilotExecutionStatus" NOT NULL DEFAULT 'PENDING'::platform."AutopilotExecutionStatus",
    "previousBudget" numeric(10,2) NOT NULL,
    "newBudget" numeric(10,2) NOT NULL,
    "budgetChange" numeric(10,2) NOT NULL,
    "executedAt" timestamp(3) NOT NULL,
    "metadata" jsonb,
    "rollbackOfId" text,
    "rolledBackAt" timestamp(3),
    "rolledBackReason" text,
    "rolledBackByUserId" text,
    CONSTRAINT "allocator_autopilot_executions_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "allocator_autopilot_executions_rollbackOfId_key" ON platform."allocator_autopilot_executions" ("rollbackOfId");
CREATE INDEX "allocator_autopilot_executions_workspaceId_idx" ON platform."allocator_autopilot_executions" ("workspaceId");
CREATE INDEX "allocator_autopilot_executions_campaignId_idx" ON platform."allocator_autopilot_executions" ("campaignId");

CREATE TABLE platform."workflows" (
    "id" text NOT NULL DEFAULT gen_random_uuid()::text,
    "name" text NOT NULL,
    "description" text,
    "status" platform."WorkflowStatus" NOT NULL DEFAULT 'DRAFT'::platform."WorkflowStatus",
    "workspaceId" text NOT NULL,
    "createdById" text NOT NULL,
    "createdAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "workflows_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "workflows_workspaceId_idx" ON platform."workflows" ("workspaceId");
CREATE INDEX "workflows_createdById_idx" ON platform."workflows" ("createdById");

CREATE TABLE platform."workflow_versions" (
    "id" text NOT NULL DEFAULT gen_random_uuid()::text,
    "workflowId" text NOT NULL,
    "version" integer NOT NULL,
    "description" text,
    "isPublished" boolean NOT NULL DEFAULT false,
    "publishedAt" timestamp(3),
    "createdAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "workflow_versions_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "workflow_versions_workflowId_idx" ON platform."workflow_versions" ("workflowId");

CREATE TABLE platform."workflow_steps" (
    "id" text NOT NULL DEFAULT gen_random_uuid()::text,
    "workflowVersionId" text NOT NULL,
    "name" text NOT NULL,
    "type" platform."WorkflowStepType" NOT NULL DEFAULT 'TRIGGER'::platform."WorkflowStepType",
    "sequence" integer NOT NULL,
    "config" jsonb NOT NULL,
    "dependencies" jsonb,
    "createdAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "parentStepId" text,
    "branchType" platform."BranchType",
    "branchCondition" text,
    CONSTRAINT "workflow_steps_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "workflow_steps_workflowVersionId_idx" ON platform."workflow_steps" ("workflowVersionId");
CREATE INDEX "workflow_steps_parentStepId_idx" ON platform."workflow_steps" ("parentStepId");

CREATE TABLE platform."workflow_runs" (
    "id" text NOT NULL DEFAULT gen_random_uuid()::text,
    "workflowId" text NOT NULL,
    "status" platform."WorkflowRunStatus" NOT NULL DEFAULT 'PENDING'::platform."WorkflowRunStatus",
    "startedAt" timestamp(3) NOT NULL,
    "endedAt" timestamp(3),
    CONSTRAINT "workflow_runs_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "workflow_runs_workflowId_idx" ON platform."workflow_runs" ("workflowId");

CREATE TABLE platform."workflow_run_logs" (
    "id" text NOT NULL DEFAULT gen_random_uuid()::text,
    "workflowRunId" text NOT NULL,
    "stepId" text,
    "stepStatus" platform."StepRunStatus",
    "message" text NOT NULL,
    "metadata" jsonb,
    "timestamp" timestamp(3) NOT NULL,
    CONSTRAINT "workflow_run_logs_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "workflow_run_logs_workflowRunId_idx" ON platform."workflow_run_logs" ("workflowRunId");

CREATE TABLE platform."workflow_schedules" (
    "id" text NOT NULL DEFAULT gen_random_uuid()::text,
    "workflowId" text NOT NULL,
    "cronExpression" text NOT NULL,
    "timezone" text NOT NULL,
    "isActive" boolean NOT NULL DEFAULT true,
    "nextRunAt" timestamp(3),
    "lastRunAt" timestamp(3),
    "createdAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "workflow_schedules_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "workflow_schedules_workflowId_idx" ON platform."workflow_schedules" ("workflowId");

CREATE TABLE platform."workflow_webhooks" (
    "id" text NOT NULL DEFAULT gen_random_uuid()::text,
    "workflowId" text NOT NULL,
    "webhookToken" text NOT NULL,
    "secretHash" text,
    "isActive" boolean NOT NULL DEFAULT true,
    "lastTriggeredAt" timestamp(3),
    "createdAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "workflow_webhooks_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "workflow_webhooks_webhookToken_key" ON platform."workflow_webhooks" ("webhookToken");
CREATE INDEX "workflow_webhooks_workflowId_idx" ON platform."workflow_webhooks" ("workflowId");

CREATE TABLE platform."workflow_event_subscriptions" (
    "id" text NOT NULL DEFAULT gen_random_uuid()::text,
    "workflowId" text NOT NULL,
    "eventType" platform."WorkflowEventType" NOT NULL DEFAULT 'POST_PUBLISHED'::platform."WorkflowEventType",
    "filterConfig" jsonb,
    "isActive" boolean NOT NULL DEFAULT true,
    "createdAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "workflow_event_subscriptions_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "workflow_event_subscriptions_workflowId_idx" ON platform."workflow_event_subscriptions" ("workflowId");

CREATE TABLE platform."allocator_daily_budget_moves" (
    "id" text NOT NULL DEFAULT gen_random_uuid()::text,
    "campaignId" text NOT NULL,
    "date" timestamp(3) NOT NULL,
    "totalMoved" numeric(10,2) NOT NULL,
    "netChange" numeric(10,2) NOT NULL,
    "executionCount" integer NOT NULL DEFAULT 0,
    "createdAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "allocator_daily_budget_moves_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "allocator_daily_budget_moves_campaignId_idx" ON platform."allocator_daily_budget_moves" ("campaignId");

CREATE TABLE platform."allocator_audit_logs" (
    "id" text NOT NULL DEFAULT gen_random_uuid()::text,
    "workspaceId" text NOT NULL,
    "campaignId" text,
    "decisionType" platform."AllocatorDecisionType" NOT NULL DEFAULT 'BUDGET_INCREASE'::platform."AllocatorDecisionType",
    "decisionOutcome" platform."AllocatorDecisionOutcome" NOT NULL DEFAULT 'EXECUTED'::platform."AllocatorDecisionOutcome",
    "recommendationSnapshot" jsonb,
    "performanceSnapshot" jsonb,
    "configSnapshot" jsonb,
    "guardrailEvaluation" jsonb,
    "previousState" jsonb,
    "newState" jsonb,
    "aiReasoning" text,
    "supportingData" jsonb,
    "confidence" text,
    "executionId" text,
    "triggeredBy" text NOT NULL,
    "userId" text,
    "correlationId" text NOT NULL,
    "createdAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "allocator_audit_logs_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "allocator_audit_logs_workspaceId_idx" ON platform."allocator_audit_logs" ("workspaceId");
CREATE INDEX "allocator_audit_logs_executionId_idx" ON platform."allocator_audit_logs" ("executionId");

CREATE TABLE platform."AbTest" (
    "id" text NOT NULL DEFAULT gen_random_uuid()::text,
    "name" text NOT NULL,
    "description" text,
    "status" platform."AbTestStatus" NOT NULL DEFAULT 'DRAFT'::platform."AbTestStatus",
    "winnerVariantId" text,
    "significanceLevel" double precision NOT NULL,
    "createdAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "AbTest_pkey" PRIMARY KEY ("id")
);

CREATE TABLE platform."AbTestVariant" (
    "id" text NOT NULL DEFAULT gen_random_uuid()::text,
    "abTestId" text NOT NULL,
    "name" text NOT NULL,
    "splitPercentage" double precision NOT NULL,
    CONSTRAINT "AbTestVariant_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "AbTestVariant_abTestId_idx" ON platform."AbTestVariant" ("abTestId");

CREATE TABLE platform."AbTestResult" (
    "id" text NOT NULL DEFAULT gen_random_uuid()::text,
    "visitorSessionId" text NOT NULL,
    "abTestVariantId" text NOT NULL,
    "converted" boolean NOT NULL DEFAULT false,
    "createdAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "AbTestResult_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "AbTestResult_visitorSessionId_idx" ON platform."AbTestResult" ("visitorSessionId");
CREATE INDEX "AbTestResult_abTestVariantId_idx" ON platform."AbTestResult" ("abTestVariantId");

CREATE TABLE platform."feature_flags" (
    "id" text NOT NULL DEFAULT gen_random_uuid()::text,
    "name" text NOT NULL,
    "isEnabled" boolean NOT NULL DEFAULT true,
    "percentage" integer NOT NULL,
    "enabledFor" text[] NOT NULL DEFAULT ARRAY[]::text[],
    "createdAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "feature_flags_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "feature_flags_name_key" ON platform."feature_flags" ("name");

CREATE TABLE platform."asset_folders" (
    "id" text NOT NULL DEFAULT gen_random_uuid()::text,
    "name" text NOT NULL,
    "workspaceId" text NOT NULL,
    "parentId" text,
    "createdById" text NOT NULL,
    "createdAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "asset_folders_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "asset_folders_workspaceId_idx" ON platform."asset_folders" ("workspaceId");
CREATE INDEX "asset_folders_parentId_idx" ON platform."asset_folders" ("parentId");
CREATE INDEX "asset_folders_createdById_idx" ON platform."asset_folders" ("createdById");

CREATE TABLE platform."asset_tags" (
    "id" text NOT NULL DEFAULT gen_random_uuid()::text,
    "name" text NOT NULL,
    "workspaceId" text NOT NULL,
    "createdAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "asset_tags_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "asset_tags_workspaceId_idx" ON platform."asset_tags" ("workspaceId");

CREATE TABLE platform."assets" (
    "id" text NOT NULL DEFAULT gen_random_uuid()::text,
    "workspaceId" text NOT NULL,
    "folderId" text,
    "filename" text NOT NULL,
    "fileType" text NOT NULL,
    "sizeBytes" integer NOT NULL,
    "width" integer,
    "height" integer,
    "duration" double precision,
    "storageProvider" text NOT NULL,
    "r2Bucket" text NOT NULL,
    "r2Key" text NOT NULL,
    "altText" text,
    "qualityScore" double precision,
    "analysisJson" jsonb,
    "uploadedById" text NOT NULL,
    "createdAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "assets_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "assets_r2Key_key" ON platform."assets" ("r2Key");
CREATE INDEX "assets_workspaceId_idx" ON platform."assets" ("workspaceId");
CREATE INDEX "assets_folderId_idx" ON platform."assets" ("folderId");
CREATE INDEX "assets_uploadedById_idx" ON platform."assets" ("uploadedById");

-- No key in the seed: composite primary key (assetId, tagId).
CREATE TABLE platform."asset_tag_assignments" (
    "assetId" text NOT NULL,
    "tagId" text NOT NULL,
    "assignedAt" timestamp(3) NOT NULL,
    "assignedById" text NOT NULL,
    CONSTRAINT "asset_tag_assignments_pkey" PRIMARY KEY ("assetId", "tagId")
);
CREATE INDEX "asset_tag_assignments_tagId_idx" ON platform."asset_tag_assignments" ("tagId");
CREATE INDEX "asset_tag_assignments_assignedById_idx" ON platform."asset_tag_assignments" ("assignedById");

-- No key in the seed: composite primary key (postId, assetId).
CREATE TABLE platform."post_assets" (
    "postId" text NOT NULL,
    "assetId" text NOT NULL,
    CONSTRAINT "post_assets_pkey" PRIMARY KEY ("postId", "assetId")
);
CREATE INDEX "post_assets_assetId_idx" ON platform."post_assets" ("assetId");

-- No key in the seed: composite primary key (postId, assetId).
CREATE TABLE platform."scheduled_post_assets" (
    "postId" text NOT NULL,
    "assetId" text NOT NULL,
    CONSTRAINT "scheduled_post_assets_pkey" PRIMARY KEY ("postId", "assetId")
);
CREATE INDEX "scheduled_post_assets_assetId_idx" ON platform."scheduled_post_assets" ("assetId");

CREATE TABLE platform."identities" (
    "id" text NOT NULL DEFAULT gen_random_uuid()::text,
    "userId" text,
    "createdAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "identities_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "identities_userId_key" ON platform."identities" ("userId");

CREATE TABLE platform."identifiers" (
    "id" text NOT NULL DEFAULT gen_random_uuid()::text,
    "identityId" text NOT NULL,
    "type" platform."IdentifierType" NOT NULL DEFAULT 'EMAIL'::platform."IdentifierType",
    "value" text NOT NULL,
    "createdAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "identifiers_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "identifiers_identityId_idx" ON platform."identifiers" ("identityId");

-- No key in the seed: composite primary key (A, B).
CREATE TABLE platform."_ConnectionToConnectionTag" (
    "A" text NOT NULL,
    "B" text NOT NULL,
    CONSTRAINT "_ConnectionToConnectionTag_pkey" PRIMARY KEY ("A", "B")
);
CREATE INDEX "_ConnectionToConnectionTag_B_idx" ON platform."_ConnectionToConnectionTag" ("B");

-- Plain reference columns the access rules and subscriptions filter on.
CREATE INDEX "notifications_userId_idx" ON platform."notifications" ("userId");
CREATE INDEX "connection_reminders_workspaceId_idx" ON platform."connection_reminders" ("workspaceId");

-- Foreign keys (192, one per relationship line of the seed).
ALTER TABLE platform."users" ADD CONSTRAINT "users_referredById_fkey" FOREIGN KEY ("referredById") REFERENCES platform."users" ("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE platform."campaign_briefs" ADD CONSTRAINT "campaign_briefs_userId_fkey" FOREIGN KEY ("userId") REFERENCES platform."users" ("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE platform."campaign_target_audiences" ADD CONSTRAINT "campaign_target_audiences_briefId_fkey" FOREIGN KEY ("briefId") REFERENCES platform."campaign_briefs" ("id") ON DELETE CASCADE ON UPDATE CASCADE;  -- CASCADE: part of its parent
ALTER TABLE platform."campaign_objectives" ADD CONSTRAINT "campaign_objectives_briefId_fkey" FOREIGN KEY ("briefId") REFERENCES platform."campaign_briefs" ("id") ON DELETE CASCADE ON UPDATE CASCADE;  -- CASCADE: part of its parent
ALTER TABLE platform."accounts" ADD CONSTRAINT "accounts_userId_fkey" FOREIGN KEY ("userId") REFERENCES platform."users" ("id") ON DELETE CASCADE ON UPDATE CASCADE;  -- CASCADE: part of its parent
ALTER TABLE platform."marketing_accounts" ADD CONSTRAINT "marketing_accounts_userId_fkey" FOREIGN KEY ("userId") REFERENCES platform."users" ("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE platform."google_ads_campaigns" ADD CONSTRAINT "google_ads_campaigns_marketingAccountId_fkey" FOREIGN KEY ("marketingAccountId") REFERENCES platform."marketing_accounts" ("id") ON DELETE CASCADE ON UPDATE CASCADE;  -- CASCADE: part of its parent
ALTER TABLE platform."sessions" ADD CONSTRAINT "sessions_userId_fkey" FOREIGN KEY ("userId") REFERENCES platform."users" ("id") ON DELETE CASCADE ON UPDATE CASCADE;  -- CASCADE: part of its parent
ALTER TABLE platform."apps" ADD CONSTRAINT "apps_userId_fkey" FOREIGN KEY ("userId") REFERENCES platform."users" ("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE platform."apps" ADD CONSTRAINT "apps_forkedFrom_fkey" FOREIGN KEY ("forkedFrom") REFERENCES platform."apps" ("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE platform."requirements" ADD CONSTRAINT "requirements_appId_fkey" FOREIGN KEY ("appId") REFERENCES platform."apps" ("id") ON DELETE CASCADE ON UPDATE CASCADE;  -- CASCADE: part of its parent
ALTER TABLE platform."monetization_models" ADD CONSTRAINT "monetization_models_appId_fkey" FOREIGN KEY ("appId") REFERENCES platform."apps" ("id") ON DELETE CASCADE ON UPDATE CASCADE;  -- CASCADE: part of its parent
ALTER TABLE platform."app_messages" ADD CONSTRAINT "app_messages_appId_fkey" FOREIGN KEY ("appId") REFERENCES platform."apps" ("id") ON DELETE CASCADE ON UPDATE CASCADE;  -- CASCADE: part of its parent
ALTER TABLE platform."app_status_history" ADD CONSTRAINT "app_status_history_appId_fkey" FOREIGN KEY ("appId") REFERENCES platform."apps" ("id") ON DELETE CASCADE ON UPDATE CASCADE;  -- CASCADE: part of its parent
ALTER TABLE platform."app_images" ADD CONSTRAINT "app_images_appId_fkey" FOREIGN KEY ("appId") REFERENCES platform."apps" ("id") ON DELETE CASCADE ON UPDATE CASCADE;  -- CASCADE: part of its parent
ALTER TABLE platform."app_attachments" ADD CONSTRAINT "app_attachments_messageId_fkey" FOREIGN KEY ("messageId") REFERENCES platform."app_messages" ("id") ON DELETE CASCADE ON UPDATE CASCADE;  -- CASCADE: part of its parent
ALTER TABLE platform."app_attachments" ADD CONSTRAINT "app_attachments_imageId_fkey" FOREIGN KEY ("imageId") REFERENCES platform."app_images" ("id") ON DELETE CASCADE ON UPDATE CASCADE;  -- CASCADE: part of its parent
ALTER TABLE platform."app_code_versions" ADD CONSTRAINT "app_code_versions_appId_fkey" FOREIGN KEY ("appId") REFERENCES platform."apps" ("id") ON DELETE CASCADE ON UPDATE CASCADE;  -- CASCADE: part of its parent
ALTER TABLE platform."app_code_versions" ADD CONSTRAINT "app_code_versions_messageId_fkey" FOREIGN KEY ("messageId") REFERENCES platform."app_messages" ("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE platform."user_token_balances" ADD CONSTRAINT "user_token_balances_userId_fkey" FOREIGN KEY ("userId") REFERENCES platform."users" ("id") ON DELETE CASCADE ON UPDATE CASCADE;  -- CASCADE: part of its parent
ALTER TABLE platform."token_transactions" ADD CONSTRAINT "token_transactions_userId_fkey" FOREIGN KEY ("userId") REFERENCES platform."users" ("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE platform."stripe_payments" ADD CONSTRAINT "stripe_payments_packageId_fkey" FOREIGN KEY ("packageId") REFERENCES platform."tokens_packages" ("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE platform."stripe_payments" ADD CONSTRAINT "stripe_payments_userId_fkey" FOREIGN KEY ("userId") REFERENCES platform."users" ("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE platform."enhanced_images" ADD CONSTRAINT "enhanced_images_userId_fkey" FOREIGN KEY ("userId") REFERENCES platform."users" ("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE platform."image_enhancement_jobs" ADD CONSTRAINT "image_enhancement_jobs_pipelineId_fkey" FOREIGN KEY ("pipelineId") REFERENCES platform."enhancement_pipelines" ("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE platform."image_enhancement_jobs" ADD CONSTRAINT "image_enhancement_jobs_sourceImageId_fkey" FOREIGN KEY ("sourceImageId") REFERENCES platform."enhanced_images" ("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE platform."image_enhancement_jobs" ADD CONSTRAINT "image_enhancement_jobs_imageId_fkey" FOREIGN KEY ("imageId") REFERENCES platform."enhanced_images" ("id") ON DELETE CASCADE ON UPDATE CASCADE;  -- CASCADE: part of its parent
ALTER TABLE platform."image_enhancement_jobs" ADD CONSTRAINT "image_enhancement_jobs_userId_fkey" FOREIGN KEY ("userId") REFERENCES platform."users" ("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE platform."subscriptions" ADD CONSTRAINT "subscriptions_userId_fkey" FOREIGN KEY ("userId") REFERENCES platform."users" ("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE platform."albums" ADD CONSTRAINT "albums_pipelineId_fkey" FOREIGN KEY ("pipelineId") REFERENCES platform."enhancement_pipelines" ("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE platform."albums" ADD CONSTRAINT "albums_userId_fkey" FOREIGN KEY ("userId") REFERENCES platform."users" ("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE platform."album_images" ADD CONSTRAINT "album_images_albumId_fkey" FOREIGN KEY ("albumId") REFERENCES platform."albums" ("id") ON DELETE CASCADE ON UPDATE CASCADE;  -- CASCADE: part of its parent
ALTER TABLE platform."album_images" ADD CONSTRAINT "album_images_imageId_fkey" FOREIGN KEY ("imageId") REFERENCES platform."enhanced_images" ("id") ON DELETE CASCADE ON UPDATE CASCADE;  -- CASCADE: part of its parent
ALTER TABLE platform."voucher_redemptions" ADD CONSTRAINT "voucher_redemptions_userId_fkey" FOREIGN KEY ("userId") REFERENCES platform."users" ("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE platform."voucher_redemptions" ADD CONSTRAINT "voucher_redemptions_voucherId_fkey" FOREIGN KEY ("voucherId") REFERENCES platform."vouchers" ("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE platform."referrals" ADD CONSTRAINT "referrals_refereeId_fkey" FOREIGN KEY ("refereeId") REFERENCES platform."users" ("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE platform."referrals" ADD CONSTRAINT "referrals_referrerId_fkey" FOREIGN KEY ("referrerId") REFERENCES platform."users" ("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE platform."audit_logs" ADD CONSTRAINT "audit_logs_userId_fkey" FOREIGN KEY ("userId") REFERENCES platform."users" ("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE platform."workspace_audit_logs" ADD CONSTRAINT "workspace_audit_logs_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES platform."workspaces" ("id") ON DELETE CASCADE ON UPDATE CASCADE;  -- CASCADE: part of its parent
ALTER TABLE platform."workspace_audit_logs" ADD CONSTRAINT "workspace_audit_logs_userId_fkey" FOREIGN KEY ("userId") REFERENCES platform."users" ("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE platform."ai_decision_logs" ADD CONSTRAINT "ai_decision_logs_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES platform."workspaces" ("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE platform."ai_decision_logs" ADD CONSTRAINT "ai_decision_logs_userId_fkey" FOREIGN KEY ("userId") REFERENCES platform."users" ("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE platform."audit_retention_policies" ADD CONSTRAINT "audit_retention_policies_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES platform."workspaces" ("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE platform."feedback" ADD CONSTRAINT "feedback_userId_fkey" FOREIGN KEY ("userId") REFERENCES platform."users" ("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE platform."inbox_suggested_responses" ADD CONSTRAINT "inbox_suggested_responses_inboxItemId_fkey" FOREIGN KEY ("inboxItemId") REFERENCES platform."inbox_items" ("id") ON DELETE CASCADE ON UPDATE CASCADE;  -- CASCADE: part of its parent
ALTER TABLE platform."escalation_events" ADD CONSTRAINT "escalation_events_inboxItemId_fkey" FOREIGN KEY ("inboxItemId") REFERENCES platform."inbox_items" ("id") ON DELETE CASCADE ON UPDATE CASCADE;  -- CASCADE: part of its parent
ALTER TABLE platform."featured_gallery_items" ADD CONSTRAINT "featured_gallery_items_sourceImageId_fkey" FOREIGN KEY ("sourceImageId") REFERENCES platform."enhanced_images" ("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE platform."featured_gallery_items" ADD CONSTRAINT "featured_gallery_items_sourceJobId_fkey" FOREIGN KEY ("sourceJobId") REFERENCES platform."image_enhancement_jobs" ("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE platform."featured_gallery_items" ADD CONSTRAINT "featured_gallery_items_createdBy_fkey" FOREIGN KEY ("createdBy") REFERENCES platform."users" ("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE platform."boxes" ADD CONSTRAINT "boxes_userId_fkey" FOREIGN KEY ("userId") REFERENCES platform."users" ("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE platform."boxes" ADD CONSTRAINT "boxes_tierId_fkey" FOREIGN KEY ("tierId") REFERENCES platform."box_tiers" ("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE platform."box_actions" ADD CONSTRAINT "box_actions_boxId_fkey" FOREIGN KEY ("boxId") REFERENCES platform."boxes" ("id") ON DELETE CASCADE ON UPDATE CASCADE;  -- CASCADE: part of its parent
ALTER TABLE platform."agent_tasks" ADD CONSTRAINT "agent_tasks_boxId_fkey" FOREIGN KEY ("boxId") REFERENCES platform."boxes" ("id") ON DELETE CASCADE ON UPDATE CASCADE;  -- CASCADE: part of its parent
ALTER TABLE platform."sandbox_jobs" ADD CONSTRAINT "sandbox_jobs_appId_fkey" FOREIGN KEY ("appId") REFERENCES platform."apps" ("id") ON DELETE CASCADE ON UPDATE CASCADE;  -- CASCADE: part of its parent
ALTER TABLE platform."email_logs" ADD CONSTRAINT "email_logs_userId_fkey" FOREIGN KEY ("userId") REFERENCES platform."users" ("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE platform."tracked_urls" ADD CONSTRAINT "tracked_urls_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES platform."users" ("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE platform."api_keys" ADD CONSTRAINT "api_keys_userId_fkey" FOREIGN KEY ("userId") REFERENCES platform."users" ("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE platform."mcp_generation_jobs" ADD CONSTRAINT "mcp_generation_jobs_userId_fkey" FOREIGN KEY ("userId") REFERENCES platform."users" ("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE platform."mcp_generation_jobs" ADD CONSTRAINT "mcp_generation_jobs_apiKeyId_fkey" FOREIGN KEY ("apiKeyId") REFERENCES platform."api_keys" ("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE platform."box_messages" ADD CONSTRAINT "box_messages_boxId_fkey" FOREIGN KEY ("boxId") REFERENCES platform."boxes" ("id") ON DELETE CASCADE ON UPDATE CASCADE;  -- CASCADE: part of its parent
ALTER TABLE platform."enhancement_pipelines" ADD CONSTRAINT "enhancement_pipelines_userId_fkey" FOREIGN KEY ("userId") REFERENCES platform."users" ("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE platform."visitor_sessions" ADD CONSTRAINT "visitor_sessions_userId_fkey" FOREIGN KEY ("userId") REFERENCES platform."users" ("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE platform."page_views" ADD CONSTRAINT "page_views_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES platform."visitor_sessions" ("id") ON DELETE CASCADE ON UPDATE CASCADE;  -- CASCADE: part of its parent
ALTER TABLE platform."analytics_events" ADD CONSTRAINT "analytics_events_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES platform."visitor_sessions" ("id") ON DELETE CASCADE ON UPDATE CASCADE;  -- CASCADE: part of its parent
ALTER TABLE platform."campaign_attributions" ADD CONSTRAINT "campaign_attributions_userId_fkey" FOREIGN KEY ("userId") REFERENCES platform."users" ("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE platform."audio_mixer_projects" ADD CONSTRAINT "audio_mixer_projects_userId_fkey" FOREIGN KEY ("userId") REFERENCES platform."users" ("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE platform."audio_tracks" ADD CONSTRAINT "audio_tracks_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES platform."audio_mixer_projects" ("id") ON DELETE CASCADE ON UPDATE CASCADE;  -- CASCADE: part of its parent
ALTER TABLE platform."merch_products" ADD CONSTRAINT "merch_products_categoryId_fkey" FOREIGN KEY ("categoryId") REFERENCES platform."merch_categories" ("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE platform."merch_variants" ADD CONSTRAINT "merch_variants_productId_fkey" FOREIGN KEY ("productId") REFERENCES platform."merch_products" ("id") ON DELETE CASCADE ON UPDATE CASCADE;  -- CASCADE: part of its parent
ALTER TABLE platform."merch_carts" ADD CONSTRAINT "merch_carts_userId_fkey" FOREIGN KEY ("userId") REFERENCES platform."users" ("id") ON DELETE CASCADE ON UPDATE CASCADE;  -- CASCADE: part of its parent
ALTER TABLE platform."merch_cart_items" ADD CONSTRAINT "merch_cart_items_cartId_fkey" FOREIGN KEY ("cartId") REFERENCES platform."merch_carts" ("id") ON DELETE CASCADE ON UPDATE CASCADE;  -- CASCADE: part of its parent
ALTER TABLE platform."merch_cart_items" ADD CONSTRAINT "merch_cart_items_productId_fkey" FOREIGN KEY ("productId") REFERENCES platform."merch_products" ("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE platform."merch_cart_items" ADD CONSTRAINT "merch_cart_items_variantId_fkey" FOREIGN KEY ("variantId") REFERENCES platform."merch_variants" ("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE platform."merch_cart_items" ADD CONSTRAINT "merch_cart_items_imageId_fkey" FOREIGN KEY ("imageId") REFERENCES platform."enhanced_images" ("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE platform."merch_orders" ADD CONSTRAINT "merch_orders_userId_fkey" FOREIGN KEY ("userId") REFERENCES platform."users" ("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE platform."merch_order_items" ADD CONSTRAINT "merch_order_items_orderId_fkey" FOREIGN KEY ("orderId") REFERENCES platform."merch_orders" ("id") ON DELETE CASCADE ON UPDATE CASCADE;  -- CASCADE: part of its parent
ALTER TABLE platform."merch_order_items" ADD CONSTRAINT "merch_order_items_productId_fkey" FOREIGN KEY ("productId") REFERENCES platform."merch_products" ("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE platform."merch_order_items" ADD CONSTRAINT "merch_order_items_variantId_fkey" FOREIGN KEY ("variantId") REFERENCES platform."merch_variants" ("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE platform."merch_order_items" ADD CONSTRAINT "merch_order_items_shipmentId_fkey" FOREIGN KEY ("shipmentId") REFERENCES platform."merch_shipments" ("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE platform."merch_shipments" ADD CONSTRAINT "merch_shipments_orderId_fkey" FOREIGN KEY ("orderId") REFERENCES platform."merch_orders" ("id") ON DELETE CASCADE ON UPDATE CASCADE;  -- CASCADE: part of its parent
ALTER TABLE platform."merch_order_events" ADD CONSTRAINT "merch_order_events_orderId_fkey" FOREIGN KEY ("orderId") REFERENCES platform."merch_orders" ("id") ON DELETE CASCADE ON UPDATE CASCADE;  -- CASCADE: part of its parent
ALTER TABLE platform."agent_session_activities" ADD CONSTRAINT "agent_session_activities_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES platform."external_agent_sessions" ("id") ON DELETE CASCADE ON UPDATE CASCADE;  -- CASCADE: part of its parent
ALTER TABLE platform."scout_competitors" ADD CONSTRAINT "scout_competitors_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES platform."workspaces" ("id") ON DELETE CASCADE ON UPDATE CASCADE;  -- CASCADE: part of its parent
ALTER TABLE platform."scout_competitor_posts" ADD CONSTRAINT "scout_competitor_posts_competitorId_fkey" FOREIGN KEY ("competitorId") REFERENCES platform."scout_competitors" ("id") ON DELETE CASCADE ON UPDATE CASCADE;  -- CASCADE: part of its parent
ALTER TABLE platform."scout_benchmarks" ADD CONSTRAINT "scout_benchmarks_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES platform."workspaces" ("id") ON DELETE CASCADE ON UPDATE CASCADE;  -- CASCADE: part of its parent
ALTER TABLE platform."social_accounts" ADD CONSTRAINT "social_accounts_userId_fkey" FOREIGN KEY ("userId") REFERENCES platform."users" ("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE platform."social_accounts" ADD CONSTRAINT "social_accounts_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES platform."workspaces" ("id") ON DELETE CASCADE ON UPDATE CASCADE;  -- CASCADE: part of its parent
ALTER TABLE platform."social_posts" ADD CONSTRAINT "social_posts_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES platform."users" ("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE platform."social_post_accounts" ADD CONSTRAINT "social_post_accounts_postId_fkey" FOREIGN KEY ("postId") REFERENCES platform."social_posts" ("id") ON DELETE CASCADE ON UPDATE CASCADE;  -- CASCADE: part of its parent
ALTER TABLE platform."social_post_accounts" ADD CONSTRAINT "social_post_accounts_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES platform."social_accounts" ("id") ON DELETE CASCADE ON UPDATE CASCADE;  -- CASCADE: part of its parent
ALTER TABLE platform."social_metrics" ADD CONSTRAINT "social_metrics_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES platform."social_accounts" ("id") ON DELETE CASCADE ON UPDATE CASCADE;  -- CASCADE: part of its parent
ALTER TABLE platform."social_metric_anomalies" ADD CONSTRAINT "social_metric_anomalies_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES platform."social_accounts" ("id") ON DELETE CASCADE ON UPDATE CASCADE;  -- CASCADE: part of its parent
ALTER TABLE platform."workspace_favorites" ADD CONSTRAINT "workspace_favorites_userId_fkey" FOREIGN KEY ("userId") REFERENCES platform."users" ("id") ON DELETE CASCADE ON UPDATE CASCADE;  -- CASCADE: part of its parent
ALTER TABLE platform."workspace_favorites" ADD CONSTRAINT "workspace_favorites_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES platform."workspaces" ("id") ON DELETE CASCADE ON UPDATE CASCADE;  -- CASCADE: part of its parent
ALTER TABLE platform."workspace_recent_access" ADD CONSTRAINT "workspace_recent_access_userId_fkey" FOREIGN KEY ("userId") REFERENCES platform."users" ("id") ON DELETE CASCADE ON UPDATE CASCADE;  -- CASCADE: part of its parent
ALTER TABLE platform."workspace_recent_access" ADD CONSTRAINT "workspace_recent_access_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES platform."workspaces" ("id") ON DELETE CASCADE ON UPDATE CASCADE;  -- CASCADE: part of its parent
ALTER TABLE platform."workspace_members" ADD CONSTRAINT "workspace_members_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES platform."workspaces" ("id") ON DELETE CASCADE ON UPDATE CASCADE;  -- CASCADE: part of its parent
ALTER TABLE platform."workspace_members" ADD CONSTRAINT "workspace_members_userId_fkey" FOREIGN KEY ("userId") REFERENCES platform."users" ("id") ON DELETE CASCADE ON UPDATE CASCADE;  -- CASCADE: part of its parent
ALTER TABLE platform."workspace_members" ADD CONSTRAINT "workspace_members_invitedById_fkey" FOREIGN KEY ("invitedById") REFERENCES platform."users" ("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE platform."connections" ADD CONSTRAINT "connections_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES platform."workspaces" ("id") ON DELETE CASCADE ON UPDATE CASCADE;  -- CASCADE: part of its parent
ALTER TABLE platform."connections" ADD CONSTRAINT "connections_identityId_fkey" FOREIGN KEY ("identityId") REFERENCES platform."identities" ("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE platform."connection_platform_presence" ADD CONSTRAINT "connection_platform_presence_connectionId_fkey" FOREIGN KEY ("connectionId") REFERENCES platform."connections" ("id") ON DELETE CASCADE ON UPDATE CASCADE;  -- CASCADE: part of its parent
ALTER TABLE platform."connection_tags" ADD CONSTRAINT "connection_tags_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES platform."workspaces" ("id") ON DELETE CASCADE ON UPDATE CASCADE;  -- CASCADE: part of its parent
ALTER TABLE platform."connection_reminders" ADD CONSTRAINT "connection_reminders_connectionId_fkey" FOREIGN KEY ("connectionId") REFERENCES platform."connections" ("id") ON DELETE CASCADE ON UPDATE CASCADE;  -- CASCADE: part of its parent
ALTER TABLE platform."meetup_status_history" ADD CONSTRAINT "meetup_status_history_connectionId_fkey" FOREIGN KEY ("connectionId") REFERENCES platform."connections" ("id") ON DELETE CASCADE ON UPDATE CASCADE;  -- CASCADE: part of its parent
ALTER TABLE platform."brand_profiles" ADD CONSTRAINT "brand_profiles_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES platform."workspaces" ("id") ON DELETE CASCADE ON UPDATE CASCADE;  -- CASCADE: part of its parent
ALTER TABLE platform."brand_profiles" ADD CONSTRAINT "brand_profiles_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES platform."users" ("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE platform."brand_profiles" ADD CONSTRAINT "brand_profiles_updatedById_fkey" FOREIGN KEY ("updatedById") REFERENCES platform."users" ("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE platform."brand_guardrails" ADD CONSTRAINT "brand_guardrails_brandProfileId_fkey" FOREIGN KEY ("brandProfileId") REFERENCES platform."brand_profiles" ("id") ON DELETE CASCADE ON UPDATE CASCADE;  -- CASCADE: part of its parent
ALTER TABLE platform."brand_vocabulary" ADD CONSTRAINT "brand_vocabulary_brandProfileId_fkey" FOREIGN KEY ("brandProfileId") REFERENCES platform."brand_profiles" ("id") ON DELETE CASCADE ON UPDATE CASCADE;  -- CASCADE: part of its parent
ALTER TABLE platform."content_rewrites" ADD CONSTRAINT "content_rewrites_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES platform."workspaces" ("id") ON DELETE CASCADE ON UPDATE CASCADE;  -- CASCADE: part of its parent
ALTER TABLE platform."content_rewrites" ADD CONSTRAINT "content_rewrites_brandProfileId_fkey" FOREIGN KEY ("brandProfileId") REFERENCES platform."brand_profiles" ("id") ON DELETE CASCADE ON UPDATE CASCADE;  -- CASCADE: part of its parent
ALTER TABLE platform."content_rewrites" ADD CONSTRAINT "content_rewrites_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES platform."users" ("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE platform."scheduled_posts" ADD CONSTRAINT "scheduled_posts_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES platform."workspaces" ("id") ON DELETE CASCADE ON UPDATE CASCADE;  -- CASCADE: part of its parent
ALTER TABLE platform."scheduled_posts" ADD CONSTRAINT "scheduled_posts_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES platform."users" ("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE platform."scheduled_post_accounts" ADD CONSTRAINT "scheduled_post_accounts_postId_fkey" FOREIGN KEY ("postId") REFERENCES platform."scheduled_posts" ("id") ON DELETE CASCADE ON UPDATE CASCADE;  -- CASCADE: part of its parent
ALTER TABLE platform."scheduled_post_accounts" ADD CONSTRAINT "scheduled_post_accounts_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES platform."social_accounts" ("id") ON DELETE CASCADE ON UPDATE CASCADE;  -- CASCADE: part of its parent
ALTER TABLE platform."posting_time_recommendations" ADD CONSTRAINT "posting_time_recommendations_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES platform."social_accounts" ("id") ON DELETE CASCADE ON UPDATE CASCADE;  -- CASCADE: part of its parent
ALTER TABLE platform."calendar_content_suggestions" ADD CONSTRAINT "calendar_content_suggestions_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES platform."workspaces" ("id") ON DELETE CASCADE ON UPDATE CASCADE;  -- CASCADE: part of its parent
ALTER TABLE platform."inbox_items" ADD CONSTRAINT "inbox_items_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES platform."workspaces" ("id") ON DELETE CASCADE ON UPDATE CASCADE;  -- CASCADE: part of its parent
ALTER TABLE platform."inbox_items" ADD CONSTRAINT "inbox_items_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES platform."social_accounts" ("id") ON DELETE CASCADE ON UPDATE CASCADE;  -- CASCADE: part of its parent
ALTER TABLE platform."inbox_items" ADD CONSTRAINT "inbox_items_assignedToId_fkey" FOREIGN KEY ("assignedToId") REFERENCES platform."workspace_members" ("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE platform."inbox_items" ADD CONSTRAINT "inbox_items_escalatedToId_fkey" FOREIGN KEY ("escalatedToId") REFERENCES platform."workspace_members" ("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE platform."relay_drafts" ADD CONSTRAINT "relay_drafts_inboxItemId_fkey" FOREIGN KEY ("inboxItemId") REFERENCES platform."inbox_items" ("id") ON DELETE CASCADE ON UPDATE CASCADE;  -- CASCADE: part of its parent
ALTER TABLE platform."relay_drafts" ADD CONSTRAINT "relay_drafts_reviewedById_fkey" FOREIGN KEY ("reviewedById") REFERENCES platform."users" ("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE platform."draft_edit_history" ADD CONSTRAINT "draft_edit_history_editedById_fkey" FOREIGN KEY ("editedById") REFERENCES platform."users" ("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE platform."draft_edit_history" ADD CONSTRAINT "draft_edit_history_draftId_fkey" FOREIGN KEY ("draftId") REFERENCES platform."relay_drafts" ("id") ON DELETE CASCADE ON UPDATE CASCADE;  -- CASCADE: part of its parent
ALTER TABLE platform."draft_audit_logs" ADD CONSTRAINT "draft_audit_logs_performedById_fkey" FOREIGN KEY ("performedById") REFERENCES platform."users" ("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE platform."draft_audit_logs" ADD CONSTRAINT "draft_audit_logs_draftId_fkey" FOREIGN KEY ("draftId") REFERENCES platform."relay_drafts" ("id") ON DELETE CASCADE ON UPDATE CASCADE;  -- CASCADE: part of its parent
ALTER TABLE platform."crisis_detection_events" ADD CONSTRAINT "crisis_detection_events_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES platform."workspaces" ("id") ON DELETE CASCADE ON UPDATE CASCADE;  -- CASCADE: part of its parent
ALTER TABLE platform."crisis_detection_events" ADD CONSTRAINT "crisis_detection_events_acknowledgedById_fkey" FOREIGN KEY ("acknowledgedById") REFERENCES platform."users" ("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE platform."crisis_detection_events" ADD CONSTRAINT "crisis_detection_events_resolvedById_fkey" FOREIGN KEY ("resolvedById") REFERENCES platform."users" ("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE platform."crisis_response_templates" ADD CONSTRAINT "crisis_response_templates_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES platform."workspaces" ("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE platform."crisis_alert_rules" ADD CONSTRAINT "crisis_alert_rules_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES platform."workspaces" ("id") ON DELETE CASCADE ON UPDATE CASCADE;  -- CASCADE: part of its parent
ALTER TABLE platform."social_account_health" ADD CONSTRAINT "social_account_health_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES platform."social_accounts" ("id") ON DELETE CASCADE ON UPDATE CASCADE;  -- CASCADE: part of its parent
ALTER TABLE platform."account_health_events" ADD CONSTRAINT "account_health_events_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES platform."social_accounts" ("id") ON DELETE CASCADE ON UPDATE CASCADE;  -- CASCADE: part of its parent
ALTER TABLE platform."account_health_events" ADD CONSTRAINT "account_health_events_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES platform."workspaces" ("id") ON DELETE CASCADE ON UPDATE CASCADE;  -- CASCADE: part of its parent
ALTER TABLE platform."account_health_events" ADD CONSTRAINT "account_health_events_resolvedById_fkey" FOREIGN KEY ("resolvedById") REFERENCES platform."users" ("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE platform."notifications" ADD CONSTRAINT "notifications_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES platform."workspaces" ("id") ON DELETE CASCADE ON UPDATE CASCADE;  -- CASCADE: part of its parent
ALTER TABLE platform."policy_rules" ADD CONSTRAINT "policy_rules_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES platform."workspaces" ("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE platform."policy_checks" ADD CONSTRAINT "policy_checks_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES platform."workspaces" ("id") ON DELETE CASCADE ON UPDATE CASCADE;  -- CASCADE: part of its parent
ALTER TABLE platform."policy_checks" ADD CONSTRAINT "policy_checks_checkedById_fkey" FOREIGN KEY ("checkedById") REFERENCES platform."users" ("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE platform."policy_violations" ADD CONSTRAINT "policy_violations_checkId_fkey" FOREIGN KEY ("checkId") REFERENCES platform."policy_checks" ("id") ON DELETE CASCADE ON UPDATE CASCADE;  -- CASCADE: part of its parent
ALTER TABLE platform."policy_violations" ADD CONSTRAINT "policy_violations_ruleId_fkey" FOREIGN KEY ("ruleId") REFERENCES platform."policy_rules" ("id") ON DELETE CASCADE ON UPDATE CASCADE;  -- CASCADE: part of its parent
ALTER TABLE platform."policy_violations" ADD CONSTRAINT "policy_violations_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES platform."workspaces" ("id") ON DELETE CASCADE ON UPDATE CASCADE;  -- CASCADE: part of its parent
ALTER TABLE platform."policy_violations" ADD CONSTRAINT "policy_violations_overriddenById_fkey" FOREIGN KEY ("overriddenById") REFERENCES platform."users" ("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE platform."scout_topics" ADD CONSTRAINT "scout_topics_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES platform."workspaces" ("id") ON DELETE CASCADE ON UPDATE CASCADE;  -- CASCADE: part of its parent
ALTER TABLE platform."scout_results" ADD CONSTRAINT "scout_results_topicId_fkey" FOREIGN KEY ("topicId") REFERENCES platform."scout_topics" ("id") ON DELETE CASCADE ON UPDATE CASCADE;  -- CASCADE: part of its parent
ALTER TABLE platform."content_suggestions" ADD CONSTRAINT "content_suggestions_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES platform."workspaces" ("id") ON DELETE CASCADE ON UPDATE CASCADE;  -- CASCADE: part of its parent
ALTER TABLE platform."allocator_campaigns" ADD CONSTRAINT "allocator_campaigns_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES platform."workspaces" ("id") ON DELETE CASCADE ON UPDATE CASCADE;  -- CASCADE: part of its parent
ALTER TABLE platform."allocator_ad_sets" ADD CONSTRAINT "allocator_ad_sets_campaignId_fkey" FOREIGN KEY ("campaignId") REFERENCES platform."allocator_campaigns" ("id") ON DELETE CASCADE ON UPDATE CASCADE;  -- CASCADE: part of its parent
ALTER TABLE platform."allocator_autopilot_configs" ADD CONSTRAINT "allocator_autopilot_configs_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES platform."workspaces" ("id") ON DELETE CASCADE ON UPDATE CASCADE;  -- CASCADE: part of its parent
ALTER TABLE platform."allocator_autopilot_configs" ADD CONSTRAINT "allocator_autopilot_configs_campaignId_fkey" FOREIGN KEY ("campaignId") REFERENCES platform."allocator_campaigns" ("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE platform."allocator_guardrail_alerts" ADD CONSTRAINT "allocator_guardrail_alerts_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES platform."workspaces" ("id") ON DELETE CASCADE ON UPDATE CASCADE;  -- CASCADE: part of its parent
ALTER TABLE platform."allocator_guardrail_alerts" ADD CONSTRAINT "allocator_guardrail_alerts_campaignId_fkey" FOREIGN KEY ("campaignId") REFERENCES platform."allocator_campaigns" ("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE platform."allocator_autopilot_executions" ADD CONSTRAINT "allocator_autopilot_executions_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES platform."workspaces" ("id") ON DELETE CASCADE ON UPDATE CASCADE;  -- CASCADE: part of its parent
ALTER TABLE platform."allocator_autopilot_executions" ADD CONSTRAINT "allocator_autopilot_executions_campaignId_fkey" FOREIGN KEY ("campaignId") REFERENCES platform."allocator_campaigns" ("id") ON DELETE CASCADE ON UPDATE CASCADE;  -- CASCADE: part of its parent
ALTER TABLE platform."allocator_autopilot_executions" ADD CONSTRAINT "allocator_autopilot_executions_rollbackOfId_fkey" FOREIGN KEY ("rollbackOfId") REFERENCES platform."allocator_autopilot_executions" ("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE platform."workflows" ADD CONSTRAINT "workflows_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES platform."workspaces" ("id") ON DELETE CASCADE ON UPDATE CASCADE;  -- CASCADE: part of its parent
ALTER TABLE platform."workflows" ADD CONSTRAINT "workflows_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES platform."users" ("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE platform."workflow_versions" ADD CONSTRAINT "workflow_versions_workflowId_fkey" FOREIGN KEY ("workflowId") REFERENCES platform."workflows" ("id") ON DELETE CASCADE ON UPDATE CASCADE;  -- CASCADE: part of its parent
ALTER TABLE platform."workflow_steps" ADD CONSTRAINT "workflow_steps_workflowVersionId_fkey" FOREIGN KEY ("workflowVersionId") REFERENCES platform."workflow_versions" ("id") ON DELETE CASCADE ON UPDATE CASCADE;  -- CASCADE: part of its parent
ALTER TABLE platform."workflow_steps" ADD CONSTRAINT "workflow_steps_parentStepId_fkey" FOREIGN KEY ("parentStepId") REFERENCES platform."workflow_steps" ("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE platform."workflow_runs" ADD CONSTRAINT "workflow_runs_workflowId_fkey" FOREIGN KEY ("workflowId") REFERENCES platform."workflows" ("id") ON DELETE CASCADE ON UPDATE CASCADE;  -- CASCADE: part of its parent
ALTER TABLE platform."workflow_run_logs" ADD CONSTRAINT "workflow_run_logs_workflowRunId_fkey" FOREIGN KEY ("workflowRunId") REFERENCES platform."workflow_runs" ("id") ON DELETE CASCADE ON UPDATE CASCADE;  -- CASCADE: part of its parent
ALTER TABLE platform."workflow_schedules" ADD CONSTRAINT "workflow_schedules_workflowId_fkey" FOREIGN KEY ("workflowId") REFERENCES platform."workflows" ("id") ON DELETE CASCADE ON UPDATE CASCADE;  -- CASCADE: part of its parent
ALTER TABLE platform."workflow_webhooks" ADD CONSTRAINT "workflow_webhooks_workflowId_fkey" FOREIGN KEY ("workflowId") REFERENCES platform."workflows" ("id") ON DELETE CASCADE ON UPDATE CASCADE;  -- CASCADE: part of its parent
ALTER TABLE platform."workflow_event_subscriptions" ADD CONSTRAINT "workflow_event_subscriptions_workflowId_fkey" FOREIGN KEY ("workflowId") REFERENCES platform."workflows" ("id") ON DELETE CASCADE ON UPDATE CASCADE;  -- CASCADE: part of its parent
ALTER TABLE platform."allocator_daily_budget_moves" ADD CONSTRAINT "allocator_daily_budget_moves_campaignId_fkey" FOREIGN KEY ("campaignId") REFERENCES platform."allocator_campaigns" ("id") ON DELETE CASCADE ON UPDATE CASCADE;  -- CASCADE: part of its parent
ALTER TABLE platform."allocator_audit_logs" ADD CONSTRAINT "allocator_audit_logs_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES platform."workspaces" ("id") ON DELETE CASCADE ON UPDATE CASCADE;  -- CASCADE: part of its parent
ALTER TABLE platform."allocator_audit_logs" ADD CONSTRAINT "allocator_audit_logs_executionId_fkey" FOREIGN KEY ("executionId") REFERENCES platform."allocator_autopilot_executions" ("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE platform."AbTestVariant" ADD CONSTRAINT "AbTestVariant_abTestId_fkey" FOREIGN KEY ("abTestId") REFERENCES platform."AbTest" ("id") ON DELETE CASCADE ON UPDATE CASCADE;  -- CASCADE: part of its parent
ALTER TABLE platform."AbTestResult" ADD CONSTRAINT "AbTestResult_visitorSessionId_fkey" FOREIGN KEY ("visitorSessionId") REFERENCES platform."visitor_sessions" ("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE platform."AbTestResult" ADD CONSTRAINT "AbTestResult_abTestVariantId_fkey" FOREIGN KEY ("abTestVariantId") REFERENCES platform."AbTestVariant" ("id") ON DELETE CASCADE ON UPDATE CASCADE;  -- CASCADE: part of its parent
ALTER TABLE platform."asset_folders" ADD CONSTRAINT "asset_folders_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES platform."workspaces" ("id") ON DELETE CASCADE ON UPDATE CASCADE;  -- CASCADE: part of its parent
ALTER TABLE platform."asset_folders" ADD CONSTRAINT "asset_folders_parentId_fkey" FOREIGN KEY ("parentId") REFERENCES platform."asset_folders" ("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE platform."asset_folders" ADD CONSTRAINT "asset_folders_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES platform."users" ("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE platform."asset_tags" ADD CONSTRAINT "asset_tags_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES platform."workspaces" ("id") ON DELETE CASCADE ON UPDATE CASCADE;  -- CASCADE: part of its parent
ALTER TABLE platform."assets" ADD CONSTRAINT "assets_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES platform."workspaces" ("id") ON DELETE CASCADE ON UPDATE CASCADE;  -- CASCADE: part of its parent
ALTER TABLE platform."assets" ADD CONSTRAINT "assets_folderId_fkey" FOREIGN KEY ("folderId") REFERENCES platform."asset_folders" ("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE platform."assets" ADD CONSTRAINT "assets_uploadedById_fkey" FOREIGN KEY ("uploadedById") REFERENCES platform."users" ("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE platform."asset_tag_assignments" ADD CONSTRAINT "asset_tag_assignments_assetId_fkey" FOREIGN KEY ("assetId") REFERENCES platform."assets" ("id") ON DELETE CASCADE ON UPDATE CASCADE;  -- CASCADE: part of its parent
ALTER TABLE platform."asset_tag_assignments" ADD CONSTRAINT "asset_tag_assignments_tagId_fkey" FOREIGN KEY ("tagId") REFERENCES platform."asset_tags" ("id") ON DELETE CASCADE ON UPDATE CASCADE;  -- CASCADE: part of its parent
ALTER TABLE platform."asset_tag_assignments" ADD CONSTRAINT "asset_tag_assignments_assignedById_fkey" FOREIGN KEY ("assignedById") REFERENCES platform."users" ("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE platform."post_assets" ADD CONSTRAINT "post_assets_postId_fkey" FOREIGN KEY ("postId") REFERENCES platform."social_posts" ("id") ON DELETE CASCADE ON UPDATE CASCADE;  -- CASCADE: part of its parent
ALTER TABLE platform."post_assets" ADD CONSTRAINT "post_assets_assetId_fkey" FOREIGN KEY ("assetId") REFERENCES platform."assets" ("id") ON DELETE CASCADE ON UPDATE CASCADE;  -- CASCADE: part of its parent
ALTER TABLE platform."scheduled_post_assets" ADD CONSTRAINT "scheduled_post_assets_postId_fkey" FOREIGN KEY ("postId") REFERENCES platform."scheduled_posts" ("id") ON DELETE CASCADE ON UPDATE CASCADE;  -- CASCADE: part of its parent
ALTER TABLE platform."scheduled_post_assets" ADD CONSTRAINT "scheduled_post_assets_assetId_fkey" FOREIGN KEY ("assetId") REFERENCES platform."assets" ("id") ON DELETE CASCADE ON UPDATE CASCADE;  -- CASCADE: part of its parent
ALTER TABLE platform."identities" ADD CONSTRAINT "identities_userId_fkey" FOREIGN KEY ("userId") REFERENCES platform."users" ("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE platform."identifiers" ADD CONSTRAINT "identifiers_identityId_fkey" FOREIGN KEY ("identityId") REFERENCES platform."identities" ("id") ON DELETE CASCADE ON UPDATE CASCADE;  -- CASCADE: part of its parent
ALTER TABLE platform."_ConnectionToConnectionTag" ADD CONSTRAINT "_ConnectionToConnectionTag_A_fkey" FOREIGN KEY ("A") REFERENCES platform."connections" ("id") ON DELETE CASCADE ON UPDATE CASCADE;  -- CASCADE: part of its parent
ALTER TABLE platform."_ConnectionToConnectionTag" ADD CONSTRAINT "_ConnectionToConnectionTag_B_fkey" FOREIGN KEY ("B") REFERENCES platform."connection_tags" ("id") ON DELETE CASCADE ON UPDATE CASCADE;  -- CASCADE: part of its parent

-- updatedAt kept by the database (see the header).
CREATE TRIGGER set_updated_at BEFORE UPDATE ON platform."users" FOR EACH ROW EXECUTE FUNCTION quiver.set_updated_at('updatedAt');
CREATE TRIGGER set_updated_at BEFORE UPDATE ON platform."campaign_briefs" FOR EACH ROW EXECUTE FUNCTION quiver.set_updated_at('updatedAt');
CREATE TRIGGER set_updated_at BEFORE UPDATE ON platform."campaign_target_audiences" FOR EACH ROW EXECUTE FUNCTION quiver.set_updated_at('updatedAt');
CREATE TRIGGER set_updated_at BEFORE UPDATE ON platform."campaign_objectives" FOR EACH ROW EXECUTE FUNCTION quiver.set_updated_at('updatedAt');
CREATE TRIGGER set_updated_at BEFORE UPDATE ON platform."marketing_accounts" FOR EACH ROW EXECUTE FUNCTION quiver.set_updated_at('updatedAt');
CREATE TRIGGER set_updated_at BEFORE UPDATE ON platform."google_ads_campaigns" FOR EACH ROW EXECUTE FUNCTION quiver.set_updated_at('updatedAt');
CREATE TRIGGER set_updated_at BEFORE UPDATE ON platform."apps" FOR EACH ROW EXECUTE FUNCTION quiver.set_updated_at('updatedAt');
CREATE TRIGGER set_updated_at BEFORE UPDATE ON platform."requirements" FOR EACH ROW EXECUTE FUNCTION quiver.set_updated_at('updatedAt');
CREATE TRIGGER set_updated_at BEFORE UPDATE ON platform."monetization_models" FOR EACH ROW EXECUTE FUNCTION quiver.set_updated_at('updatedAt');
CREATE TRIGGER set_updated_at BEFORE UPDATE ON platform."user_token_balances" FOR EACH ROW EXECUTE FUNCTION quiver.set_updated_at('updatedAt');
CREATE TRIGGER set_updated_at BEFORE UPDATE ON platform."tokens_packages" FOR EACH ROW EXECUTE FUNCTION quiver.set_updated_at('updatedAt');
CREATE TRIGGER set_updated_at BEFORE UPDATE ON platform."stripe_payments" FOR EACH ROW EXECUTE FUNCTION quiver.set_updated_at('updatedAt');
CREATE TRIGGER set_updated_at BEFORE UPDATE ON platform."enhanced_images" FOR EACH ROW EXECUTE FUNCTION quiver.set_updated_at('updatedAt');
CREATE TRIGGER set_updated_at BEFORE UPDATE ON platform."image_enhancement_jobs" FOR EACH ROW EXECUTE FUNCTION quiver.set_updated_at('updatedAt');
CREATE TRIGGER set_updated_at BEFORE UPDATE ON platform."subscriptions" FOR EACH ROW EXECUTE FUNCTION quiver.set_updated_at('updatedAt');
CREATE TRIGGER set_updated_at BEFORE UPDATE ON platform."subscription_plans" FOR EACH ROW EXECUTE FUNCTION quiver.set_updated_at('updatedAt');
CREATE TRIGGER set_updated_at BEFORE UPDATE ON platform."albums" FOR EACH ROW EXECUTE FUNCTION quiver.set_updated_at('updatedAt');
CREATE TRIGGER set_updated_at BEFORE UPDATE ON platform."vouchers" FOR EACH ROW EXECUTE FUNCTION quiver.set_updated_at('updatedAt');
CREATE TRIGGER set_updated_at BEFORE UPDATE ON platform."audit_retention_policies" FOR EACH ROW EXECUTE FUNCTION quiver.set_updated_at('updatedAt');
CREATE TRIGGER set_updated_at BEFORE UPDATE ON platform."feedback" FOR EACH ROW EXECUTE FUNCTION quiver.set_updated_at('updatedAt');
CREATE TRIGGER set_updated_at BEFORE UPDATE ON platform."featured_gallery_items" FOR EACH ROW EXECUTE FUNCTION quiver.set_updated_at('updatedAt');
CREATE TRIGGER set_updated_at BEFORE UPDATE ON platform."box_tiers" FOR EACH ROW EXECUTE FUNCTION quiver.set_updated_at('updatedAt');
CREATE TRIGGER set_updated_at BEFORE UPDATE ON platform."boxes" FOR EACH ROW EXECUTE FUNCTION quiver.set_updated_at('updatedAt');
CREATE TRIGGER set_updated_at BEFORE UPDATE ON platform."box_actions" FOR EACH ROW EXECUTE FUNCTION quiver.set_updated_at('updatedAt');
CREATE TRIGGER set_updated_at BEFORE UPDATE ON platform."agent_tasks" FOR EACH ROW EXECUTE FUNCTION quiver.set_updated_at('updatedAt');
CREATE TRIGGER set_updated_at BEFORE UPDATE ON platform."tracked_urls" FOR EACH ROW EXECUTE FUNCTION quiver.set_updated_at('updatedAt');
CREATE TRIGGER set_updated_at BEFORE UPDATE ON platform."api_keys" FOR EACH ROW EXECUTE FUNCTION quiver.set_updated_at('updatedAt');
CREATE TRIGGER set_updated_at BEFORE UPDATE ON platform."mcp_generation_jobs" FOR EACH ROW EXECUTE FUNCTION quiver.set_updated_at('updatedAt');
CREATE TRIGGER set_updated_at BEFORE UPDATE ON platform."enhancement_pipelines" FOR EACH ROW EXECUTE FUNCTION quiver.set_updated_at('updatedAt');
CREATE TRIGGER set_updated_at BEFORE UPDATE ON platform."campaign_links" FOR EACH ROW EXECUTE FUNCTION quiver.set_updated_at('updatedAt');
CREATE TRIGGER set_updated_at BEFORE UPDATE ON platform."audio_mixer_projects" FOR EACH ROW EXECUTE FUNCTION quiver.set_updated_at('updatedAt');
CREATE TRIGGER set_updated_at BEFORE UPDATE ON platform."audio_tracks" FOR EACH ROW EXECUTE FUNCTION quiver.set_updated_at('updatedAt');
CREATE TRIGGER set_updated_at BEFORE UPDATE ON platform."merch_categories" FOR EACH ROW EXECUTE FUNCTION quiver.set_updated_at('updatedAt');
CREATE TRIGGER set_updated_at BEFORE UPDATE ON platform."merch_products" FOR EACH ROW EXECUTE FUNCTION quiver.set_updated_at('updatedAt');
CREATE TRIGGER set_updated_at BEFORE UPDATE ON platform."merch_variants" FOR EACH ROW EXECUTE FUNCTION quiver.set_updated_at('updatedAt');
CREATE TRIGGER set_updated_at BEFORE UPDATE ON platform."merch_carts" FOR EACH ROW EXECUTE FUNCTION quiver.set_updated_at('updatedAt');
CREATE TRIGGER set_updated_at BEFORE UPDATE ON platform."merch_cart_items" FOR EACH ROW EXECUTE FUNCTION quiver.set_updated_at('updatedAt');
CREATE TRIGGER set_updated_at BEFORE UPDATE ON platform."merch_orders" FOR EACH ROW EXECUTE FUNCTION quiver.set_updated_at('updatedAt');
CREATE TRIGGER set_updated_at BEFORE UPDATE ON platform."merch_order_items" FOR EACH ROW EXECUTE FUNCTION quiver.set_updated_at('updatedAt');
CREATE TRIGGER set_updated_at BEFORE UPDATE ON platform."merch_shipments" FOR EACH ROW EXECUTE FUNCTION quiver.set_updated_at('updatedAt');
CREATE TRIGGER set_updated_at BEFORE UPDATE ON platform."external_agent_sessions" FOR EACH ROW EXECUTE FUNCTION quiver.set_updated_at('updatedAt');
CREATE TRIGGER set_updated_at BEFORE UPDATE ON platform."scout_competitors" FOR EACH ROW EXECUTE FUNCTION quiver.set_updated_at('updatedAt');
CREATE TRIGGER set_updated_at BEFORE UPDATE ON platform."social_accounts" FOR EACH ROW EXECUTE FUNCTION quiver.set_updated_at('updatedAt');
CREATE TRIGGER set_updated_at BEFORE UPDATE ON platform."social_posts" FOR EACH ROW EXECUTE FUNCTION quiver.set_updated_at('updatedAt');
CREATE TRIGGER set_updated_at BEFORE UPDATE ON platform."social_metrics" FOR EACH ROW EXECUTE FUNCTION quiver.set_updated_at('updatedAt');
CREATE TRIGGER set_updated_at BEFORE UPDATE ON platform."workspaces" FOR EACH ROW EXECUTE FUNCTION quiver.set_updated_at('updatedAt');
CREATE TRIGGER set_updated_at BEFORE UPDATE ON platform."workspace_members" FOR EACH ROW EXECUTE FUNCTION quiver.set_updated_at('updatedAt');
CREATE TRIGGER set_updated_at BEFORE UPDATE ON platform."connections" FOR EACH ROW EXECUTE FUNCTION quiver.set_updated_at('updatedAt');
CREATE TRIGGER set_updated_at BEFORE UPDATE ON platform."connection_reminders" FOR EACH ROW EXECUTE FUNCTION quiver.set_updated_at('updatedAt');
CREATE TRIGGER set_updated_at BEFORE UPDATE ON platform."brand_profiles" FOR EACH ROW EXECUTE FUNCTION quiver.set_updated_at('updatedAt');
CREATE TRIGGER set_updated_at BEFORE UPDATE ON platform."brand_guardrails" FOR EACH ROW EXECUTE FUNCTION quiver.set_updated_at('updatedAt');
CREATE TRIGGER set_updated_at BEFORE UPDATE ON platform."brand_vocabulary" FOR EACH ROW EXECUTE FUNCTION quiver.set_updated_at('updatedAt');
CREATE TRIGGER set_updated_at BEFORE UPDATE ON platform."content_rewrites" FOR EACH ROW EXECUTE FUNCTION quiver.set_updated_at('updatedAt');
CREATE TRIGGER set_updated_at BEFORE UPDATE ON platform."scheduled_posts" FOR EACH ROW EXECUTE FUNCTION quiver.set_updated_at('updatedAt');
CREATE TRIGGER set_updated_at BEFORE UPDATE ON platform."inbox_items" FOR EACH ROW EXECUTE FUNCTION quiver.set_updated_at('updatedAt');
CREATE TRIGGER set_updated_at BEFORE UPDATE ON platform."relay_drafts" FOR EACH ROW EXECUTE FUNCTION quiver.set_updated_at('updatedAt');
CREATE TRIGGER set_updated_at BEFORE UPDATE ON platform."crisis_detection_events" FOR EACH ROW EXECUTE FUNCTION quiver.set_updated_at('updatedAt');
CREATE TRIGGER set_updated_at BEFORE UPDATE ON platform."crisis_response_templates" FOR EACH ROW EXECUTE FUNCTION quiver.set_updated_at('updatedAt');
CREATE TRIGGER set_updated_at BEFORE UPDATE ON platform."crisis_alert_rules" FOR EACH ROW EXECUTE FUNCTION quiver.set_updated_at('updatedAt');
CREATE TRIGGER set_updated_at BEFORE UPDATE ON platform."social_account_health" FOR EACH ROW EXECUTE FUNCTION quiver.set_updated_at('updatedAt');
CREATE TRIGGER set_updated_at BEFORE UPDATE ON platform."recovery_guidance" FOR EACH ROW EXECUTE FUNCTION quiver.set_updated_at('updatedAt');
CREATE TRIGGER set_updated_at BEFORE UPDATE ON platform."policy_rules" FOR EACH ROW EXECUTE FUNCTION quiver.set_updated_at('updatedAt');
CREATE TRIGGER set_updated_at BEFORE UPDATE ON platform."scout_topics" FOR EACH ROW EXECUTE FUNCTION quiver.set_updated_at('updatedAt');
CREATE TRIGGER set_updated_at BEFORE UPDATE ON platform."allocator_campaigns" FOR EACH ROW EXECUTE FUNCTION quiver.set_updated_at('updatedAt');
CREATE TRIGGER set_updated_at BEFORE UPDATE ON platform."allocator_ad_sets" FOR EACH ROW EXECUTE FUNCTION quiver.set_updated_at('updatedAt');
CREATE TRIGGER set_updated_at BEFORE UPDATE ON platform."allocator_autopilot_configs" FOR EACH ROW EXECUTE FUNCTION quiver.set_updated_at('updatedAt');
CREATE TRIGGER set_updated_at BEFORE UPDATE ON platform."workflows" FOR EACH ROW EXECUTE FUNCTION quiver.set_updated_at('updatedAt');
CREATE TRIGGER set_updated_at BEFORE UPDATE ON platform."workflow_schedules" FOR EACH ROW EXECUTE FUNCTION quiver.set_updated_at('updatedAt');
CREATE TRIGGER set_updated_at BEFORE UPDATE ON platform."workflow_webhooks" FOR EACH ROW EXECUTE FUNCTION quiver.set_updated_at('updatedAt');
CREATE TRIGGER set_updated_at BEFORE UPDATE ON platform."workflow_event_subscriptions" FOR EACH ROW EXECUTE FUNCTION quiver.set_updated_at('updatedAt');
CREATE TRIGGER set_updated_at BEFORE UPDATE ON platform."allocator_daily_budget_moves" FOR EACH ROW EXECUTE FUNCTION quiver.set_updated_at('updatedAt');
CREATE TRIGGER set_updated_at BEFORE UPDATE ON platform."AbTest" FOR EACH ROW EXECUTE FUNCTION quiver.set_updated_at('updatedAt');
CREATE TRIGGER set_updated_at BEFORE UPDATE ON platform."feature_flags" FOR EACH ROW EXECUTE FUNCTION quiver.set_updated_at('updatedAt');
CREATE TRIGGER set_updated_at BEFORE UPDATE ON platform."asset_folders" FOR EACH ROW EXECUTE FUNCTION quiver.set_updated_at('updatedAt');
CREATE TRIGGER set_updated_at BEFORE UPDATE ON platform."assets" FOR EACH ROW EXECUTE FUNCTION quiver.set_updated_at('updatedAt');
CREATE TRIGGER set_updated_at BEFORE UPDATE ON platform."identities" FOR EACH ROW EXECUTE FUNCTION quiver.set_updated_at('updatedAt');
