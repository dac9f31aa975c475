#!/usr/bin/env python3
"""Write the platform migration (seed 003, a Prisma model) from its fixture.

Usage:
    python3 scripts/platform_migration.py > migrations/2026-12-01-180000_platform/up.sql

The fixture (tests/fixtures/seeds/platform.tsv, derived from the seed by
scripts/seed_fixture.py) holds every table, column, type family, nullability,
primary, unique and foreign key of the seed. What the seed leaves open is
decided in the tables below, each with its reason, and repeated as comments in
the SQL so the migration reads on its own. Python 3 standard library only; the
output depends only on the fixture and this file.
"""

import collections
import os

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURE = os.path.join(REPO, "tests", "fixtures", "seeds", "platform.tsv")
SCHEMA = "platform"

# Enum values (the seed names 96 enum types and lists no values). Prisma
# SCREAMING_SNAKE; the first value is the default of NOT NULL columns of the type
# (Prisma models usually carry `@default(<first state>)`).
ENUMS = {
    "UserRole": ["USER", "ADMIN", "SUPER_ADMIN"],
    "ObjectiveType": ["AWARENESS", "TRAFFIC", "ENGAGEMENT", "LEADS", "CONVERSIONS", "SALES", "APP_INSTALLS"],
    "MarketingPlatform": ["GOOGLE_ADS", "FACEBOOK_ADS", "LINKEDIN_ADS", "TIKTOK_ADS"],
    "AppBuildStatus": ["PROMPTING", "WAITING", "DRAFTING", "BUILDING", "FINE_TUNING", "TEST", "LIVE", "FAILED", "ARCHIVED"],
    "RequirementPriority": ["LOW", "MEDIUM", "HIGH", "CRITICAL"],
    "RequirementStatus": ["PENDING", "IN_PROGRESS", "COMPLETED", "REJECTED"],
    "MonetizationType": ["FREE", "FREEMIUM", "ONE_TIME", "SUBSCRIPTION", "USAGE_BASED", "ADS"],
    "SubscriptionInterval": ["MONTHLY", "QUARTERLY", "YEARLY"],
    "AppMessageRole": ["USER", "AGENT", "SYSTEM"],
    "SubscriptionTier": ["FREE", "BASIC", "STANDARD", "PREMIUM"],
    "TokenTransactionType": ["EARN_REGENERATION", "EARN_PURCHASE", "EARN_BONUS", "EARN_REFERRAL", "SPEND_ENHANCEMENT", "SPEND_MCP", "REFUND", "ADJUSTMENT"],
    "StripePaymentStatus": ["PENDING", "SUCCEEDED", "FAILED", "REFUNDED"],
    "EnhancementTier": ["FREE", "TIER_1K", "TIER_2K", "TIER_4K"],
    "JobStatus": ["PENDING", "PROCESSING", "COMPLETED", "FAILED", "CANCELLED", "REFUNDED"],
    "PipelineStage": ["ANALYZING", "CROPPING", "PROMPTING", "GENERATING", "FINALIZING"],
    "SubscriptionStatus": ["ACTIVE", "TRIALING", "PAST_DUE", "CANCELED", "UNPAID", "INCOMPLETE"],
    "AlbumPrivacy": ["PRIVATE", "UNLISTED", "PUBLIC"],
    "VoucherType": ["FIXED_TOKENS", "PERCENTAGE_BONUS", "SUBSCRIPTION_TRIAL"],
    "VoucherStatus": ["ACTIVE", "INACTIVE", "EXPIRED", "DEPLETED"],
    "ReferralStatus": ["PENDING", "COMPLETED", "INVALID"],
    "AuditAction": ["CREATE", "UPDATE", "DELETE", "LOGIN", "LOGOUT", "ROLE_CHANGE", "MEMBER_INVITE", "MEMBER_REMOVE", "SETTINGS_CHANGE", "EXPORT", "PERMISSION_CHANGE"],
    "ErrorEnvironment": ["FRONTEND", "BACKEND"],
    "FeedbackType": ["BUG", "IDEA", "OTHER"],
    "FeedbackStatus": ["NEW", "REVIEWED", "RESOLVED", "DISMISSED"],
    "EscalationEventType": ["ESCALATED", "REASSIGNED", "DE_ESCALATED", "SLA_WARNING", "SLA_BREACHED", "RESOLVED"],
    "EscalationTrigger": ["MANUAL", "SLA_TIMEOUT", "SENTIMENT", "KEYWORD", "SYSTEM"],
    "GalleryCategory": ["PORTRAIT", "LANDSCAPE", "PRODUCT", "ARCHITECTURE", "FOOD", "OTHER"],
    "BoxStatus": ["CREATING", "STARTING", "RUNNING", "STOPPING", "STOPPED", "PAUSED", "ERROR", "TERMINATED"],
    "BoxActionType": ["CREATE", "START", "STOP", "RESTART", "DELETE", "CLONE"],
    "SandboxJobStatus": ["PENDING", "RUNNING", "COMPLETED", "FAILED", "TIMEOUT"],
    "EmailStatus": ["PENDING", "SENT", "DELIVERED", "OPENED", "CLICKED", "BOUNCED", "FAILED"],
    "McpJobType": ["GENERATE", "MODIFY"],
    "BoxMessageRole": ["USER", "AGENT", "SYSTEM"],
    "PipelineVisibility": ["PRIVATE", "PUBLIC", "LINK"],
    "AttributionType": ["FIRST_TOUCH", "LAST_TOUCH", "LINEAR"],
    "ConversionType": ["SIGNUP", "ENHANCEMENT", "PURCHASE"],
    "AudioStorageType": ["INDEXED_DB", "R2"],
    "PodProvider": ["PRODIGI", "PRINTFUL"],
    "MerchOrderStatus": ["PENDING", "PAYMENT_PENDING", "PAID", "SUBMITTED", "IN_PRODUCTION", "SHIPPED", "DELIVERED", "CANCELLED", "REFUNDED"],
    "ShipmentStatus": ["PENDING", "PROCESSING", "SHIPPED", "IN_TRANSIT", "DELIVERED", "FAILED"],
    "AgentProvider": ["JULES", "CODEX", "OTHER"],
    "ExternalAgentStatus": ["QUEUED", "PLANNING", "AWAITING_PLAN_APPROVAL", "AWAITING_USER_FEEDBACK", "IN_PROGRESS", "PAUSED", "FAILED", "COMPLETED"],
    "SocialPlatform": ["TWITTER", "LINKEDIN", "FACEBOOK", "INSTAGRAM", "TIKTOK", "YOUTUBE", "DISCORD", "SNAPCHAT", "PINTEREST"],
    "SocialAccountStatus": ["ACTIVE", "EXPIRED", "REVOKED", "ERROR"],
    "SocialPostStatus": ["DRAFT", "SCHEDULED", "PUBLISHING", "PUBLISHED", "FAILED"],
    "WorkspaceSubscriptionTier": ["FREE", "PRO", "BUSINESS"],
    "WorkspaceRole": ["OWNER", "ADMIN", "MEMBER", "VIEWER"],
    "ConnectionNextStep": ["NONE", "FOLLOW_UP", "SCHEDULE_MEETUP", "SEND_MESSAGE", "INTRODUCE"],
    "MeetupPipelineStatus": ["PROSPECTING", "INITIAL_CONTACT", "FOLLOW_UP", "MEETING_SCHEDULED", "MET", "CONNECTED", "DECLINED"],
    "ReminderType": ["FOLLOW_UP", "MEETUP", "BIRTHDAY", "CUSTOM"],
    "ReminderStatus": ["PENDING", "COMPLETED", "SNOOZED", "CANCELLED"],
    "GuardrailType": ["PROHIBITED_TOPIC", "REQUIRED_DISCLOSURE", "CONTENT_WARNING"],
    "GuardrailSeverity": ["LOW", "MEDIUM", "HIGH", "CRITICAL"],
    "VocabularyType": ["PREFERRED", "BANNED", "REPLACEMENT"],
    "ContentPlatform": ["TWITTER", "LINKEDIN", "INSTAGRAM", "FACEBOOK", "GENERAL"],
    "RewriteStatus": ["PENDING", "ANALYZING", "COMPLETED", "FAILED"],
    "ScheduledPostStatus": ["DRAFT", "PENDING", "SCHEDULED", "PUBLISHING", "PUBLISHED", "FAILED", "CANCELLED"],
    "ContentSuggestionStatus": ["PENDING", "ACCEPTED", "REJECTED", "USED"],
    "InboxItemType": ["MENTION", "COMMENT", "DIRECT_MESSAGE", "REPLY", "REVIEW"],
    "InboxItemStatus": ["UNREAD", "READ", "PENDING_REPLY", "REPLIED", "ARCHIVED", "IGNORED"],
    "InboxSentiment": ["POSITIVE", "NEUTRAL", "NEGATIVE", "MIXED"],
    "EscalationStatus": ["NONE", "PENDING", "IN_PROGRESS", "RESOLVED"],
    "RelayDraftStatus": ["PENDING", "APPROVED", "REJECTED", "SENT", "FAILED"],
    "DraftEditType": ["MINOR_TWEAK", "TONE_ADJUSTMENT", "CONTENT_REVISION", "COMPLETE_REWRITE"],
    "DraftAuditAction": ["CREATED", "EDITED", "APPROVED", "REJECTED", "SENT", "SEND_FAILED", "REGENERATED"],
    "CrisisSeverity": ["LOW", "MEDIUM", "HIGH", "CRITICAL"],
    "CrisisEventStatus": ["DETECTED", "ACKNOWLEDGED", "RESOLVED", "FALSE_ALARM"],
    "CrisisRuleType": ["SENTIMENT_DROP", "MENTION_SPIKE", "ENGAGEMENT_DROP", "FOLLOWER_LOSS", "KEYWORD_ALERT"],
    "AccountHealthStatus": ["HEALTHY", "DEGRADED", "UNHEALTHY", "CRITICAL"],
    "AccountIssueType": ["TOKEN_EXPIRED", "RATE_LIMITED", "PERMISSION_REVOKED", "API_ERROR", "ACCOUNT_SUSPENDED"],
    "IssueSeverity": ["INFO", "WARNING", "ERROR", "CRITICAL"],
    "AccountHealthEventType": ["STATUS_CHANGED", "SCORE_DECREASED", "SCORE_RECOVERED", "TOKEN_REFRESHED", "RATE_LIMIT_HIT", "ERROR_OCCURRED"],
    "PolicyCategory": ["CONTENT", "LEGAL", "BRAND", "PLATFORM", "ACCESSIBILITY"],
    "PolicyRuleType": ["KEYWORD", "REGEX", "AI_CLASSIFIER", "LENGTH", "LINK"],
    "PolicySeverity": ["INFO", "WARNING", "ERROR", "CRITICAL"],
    "PolicyContentType": ["POST", "REPLY", "COMMENT", "AD", "BIO"],
    "PolicyCheckScope": ["FULL", "QUICK", "CUSTOM"],
    "PolicyCheckStatus": ["PENDING", "RUNNING", "COMPLETED", "FAILED"],
    "PolicyCheckResult": ["PASSED", "PASSED_WITH_WARNINGS", "FAILED", "BLOCKED"],
    "SuggestionContentType": ["POST", "THREAD", "STORY", "REEL", "ARTICLE"],
    "SuggestionStatus": ["PENDING", "ACCEPTED", "REJECTED", "USED"],
    "AllocatorPlatform": ["GOOGLE_ADS", "META_ADS", "LINKEDIN_ADS", "TIKTOK_ADS"],
    "AutopilotMode": ["OFF", "RECOMMEND_ONLY", "AUTO_WITH_APPROVAL", "FULL_AUTO"],
    "AllocatorAlertType": ["BUDGET_EXCEEDED", "ROAS_BELOW_THRESHOLD", "CPA_ABOVE_THRESHOLD", "SPEND_ANOMALY", "CHANGE_LIMIT_REACHED"],
    "AlertSeverity": ["INFO", "WARNING", "CRITICAL"],
    "AutopilotExecutionStatus": ["PENDING", "EXECUTING", "COMPLETED", "FAILED", "ROLLED_BACK", "SKIPPED"],
    "WorkflowStatus": ["DRAFT", "ACTIVE", "PAUSED", "ARCHIVED"],
    "WorkflowStepType": ["TRIGGER", "ACTION", "CONDITION", "DELAY", "BRANCH"],
    "BranchType": ["IF_TRUE", "IF_FALSE", "DEFAULT"],
    "WorkflowRunStatus": ["PENDING", "RUNNING", "COMPLETED", "FAILED", "CANCELLED"],
    "StepRunStatus": ["PENDING", "RUNNING", "COMPLETED", "FAILED", "SKIPPED"],
    "WorkflowEventType": ["POST_PUBLISHED", "POST_FAILED", "INBOX_ITEM_RECEIVED", "MENTION_RECEIVED", "FOLLOWER_MILESTONE", "CRISIS_DETECTED", "SCHEDULE"],
    "AllocatorDecisionType": ["BUDGET_INCREASE", "BUDGET_DECREASE", "BUDGET_REALLOCATION", "CAMPAIGN_PAUSE", "CAMPAIGN_RESUME", "NO_ACTION"],
    "AllocatorDecisionOutcome": ["EXECUTED", "REJECTED_BY_GUARDRAIL", "PENDING_APPROVAL", "APPROVED", "DENIED", "FAILED"],
    "AbTestStatus": ["DRAFT", "RUNNING", "PAUSED", "COMPLETED"],
    "IdentifierType": ["EMAIL", "PHONE", "GITHUB", "TWITTER", "LINKEDIN", "DISCORD", "OTHER"],
}

# Decimal(p): Prisma shows the precision only. Money keeps cents; a rate four
# places; ROAS (a ratio) four places.
SCALE_DEFAULT = 2
SCALES = {
    ("social_metrics", "engagementRate"): 4,  # a rate 0..1 (precision 5: 0.0000 .. 9.9999)
    ("allocator_autopilot_configs", "minRoasThreshold"): 4,  # return on ad spend, a ratio
}

# The thirteen `String` columns with list-like names are Prisma `String[]` the
# markdown generator could not show: text[] NOT NULL DEFAULT '{}' (Prisma's
# scalar lists are never NULL). scripts/seed_fixture.py lists the same columns
# as a deliberate deviation (PLATFORM_LISTS).
LISTS = {
    ("campaign_target_audiences", "genders"),
    ("campaign_target_audiences", "locations"),
    ("campaign_target_audiences", "interests"),
    ("campaign_target_audiences", "behaviors"),
    ("monetization_models", "features"),
    ("app_images", "tags"),
    ("audit_retention_policies", "actionTypes"),
    ("calendar_content_suggestions", "keywords"),
    ("crisis_detection_events", "affectedAccountIds"),
    ("crisis_response_templates", "variables"),
    ("crisis_alert_rules", "notifyChannels"),
    ("content_suggestions", "suggestedPlatforms"),
    ("feature_flags", "enabledFor"),
}

# Composite primary keys of the five tables the seed shows without a key.
COMPOSITE_PKS = {
    "verification_tokens": ["identifier", "token"],  # NextAuth's @@unique([identifier, token])
    "asset_tag_assignments": ["assetId", "tagId"],
    "post_assets": ["postId", "assetId"],
    "scheduled_post_assets": ["postId", "assetId"],
    "_ConnectionToConnectionTag": ["A", "B"],  # Prisma's implicit m2m: @@id([A, B]) (Prisma 5: A_B_AB_pkey)
}

# Required foreign keys whose rows are parts of the referenced row: ON DELETE
# CASCADE. Every other required key is Prisma's default RESTRICT (deleting a
# user who still authored posts fails rather than erasing a workspace's
# history); every optional key is SET NULL. Every required key to `workspaces`
# cascades as well (deleting a workspace deletes its content).
CASCADE = {
    # NextAuth adapter schema: onDelete: Cascade.
    ("accounts", "userId"), ("sessions", "userId"),
    # A user's own balance, cart, memberships and workspace shortcuts.
    ("user_token_balances", "userId"), ("merch_carts", "userId"),
    ("workspace_members", "userId"), ("workspace_favorites", "userId"), ("workspace_recent_access", "userId"),
    ("campaign_target_audiences", "briefId"), ("campaign_objectives", "briefId"),
    ("google_ads_campaigns", "marketingAccountId"),
    ("requirements", "appId"), ("monetization_models", "appId"), ("app_messages", "appId"),
    ("app_status_history", "appId"), ("app_images", "appId"), ("app_code_versions", "appId"),
    ("sandbox_jobs", "appId"), ("app_attachments", "messageId"), ("app_attachments", "imageId"),
    ("album_images", "albumId"), ("album_images", "imageId"), ("image_enhancement_jobs", "imageId"),
    ("inbox_suggested_responses", "inboxItemId"), ("escalation_events", "inboxItemId"),
    ("box_actions", "boxId"), ("agent_tasks", "boxId"), ("box_messages", "boxId"),
    ("page_views", "sessionId"), ("analytics_events", "sessionId"),
    ("audio_tracks", "projectId"), ("merch_variants", "productId"), ("merch_cart_items", "cartId"),
    ("merch_order_items", "orderId"), ("merch_shipments", "orderId"), ("merch_order_events", "orderId"),
    ("agent_session_activities", "sessionId"), ("scout_competitor_posts", "competitorId"),
    ("social_post_accounts", "postId"), ("social_post_accounts", "accountId"),
    ("social_metrics", "accountId"), ("social_metric_anomalies", "accountId"),
    ("posting_time_recommendations", "accountId"), ("social_account_health", "accountId"),
    ("account_health_events", "accountId"), ("inbox_items", "accountId"),
    ("connection_platform_presence", "connectionId"), ("connection_reminders", "connectionId"),
    ("meetup_status_history", "connectionId"),
    ("brand_guardrails", "brandProfileId"), ("brand_vocabulary", "brandProfileId"),
    ("content_rewrites", "brandProfileId"),
    ("scheduled_post_accounts", "postId"), ("scheduled_post_accounts", "accountId"),
    ("relay_drafts", "inboxItemId"), ("draft_edit_history", "draftId"), ("draft_audit_logs", "draftId"),
    ("policy_violations", "checkId"), ("policy_violations", "ruleId"), ("scout_results", "topicId"),
    ("allocator_ad_sets", "campaignId"), ("allocator_autopilot_executions", "campaignId"),
    ("allocator_daily_budget_moves", "campaignId"),
    ("workflow_versions", "workflowId"), ("workflow_runs", "workflowId"), ("workflow_schedules", "workflowId"),
    ("workflow_webhooks", "workflowId"), ("workflow_event_subscriptions", "workflowId"),
    ("workflow_steps", "workflowVersionId"), ("workflow_run_logs", "workflowRunId"),
    ("AbTestVariant", "abTestId"), ("AbTestResult", "abTestVariantId"),
    ("asset_tag_assignments", "assetId"), ("asset_tag_assignments", "tagId"),
    ("post_assets", "postId"), ("post_assets", "assetId"),
    ("scheduled_post_assets", "postId"), ("scheduled_post_assets", "assetId"),
    ("identifiers", "identityId"),
    ("_ConnectionToConnectionTag", "A"), ("_ConnectionToConnectionTag", "B"),
}

# Boolean NOT NULL columns default to false, except these (on unless turned off).
TRUE_BOOLEANS = {"active", "isActive", "enabled", "isEnabled", "autoRecoverable", "notifyOnChange"}

# Further NOT NULL defaults, so a workspace can be created with a name and a
# slug only: the limits of the FREE tier (Prisma-style @default choices).
DEFAULTS = {
    ("workspaces", "maxSocialAccounts"): "3",
    ("workspaces", "maxScheduledPosts"): "30",
    ("workspaces", "maxAbTests"): "1",
    ("workspaces", "monthlyAiCredits"): "100",
    ("workspaces", "usedAiCredits"): "0",
    ("workspaces", "maxTeamMembers"): "3",
}

# Secret columns (write-only through the API), named here as the README asks.
SECRETS = [
    "users.passwordHash", "accounts.refresh_token", "accounts.access_token", "accounts.id_token",
    "marketing_accounts.accessToken", "marketing_accounts.refreshToken", "sessions.sessionToken",
    "verification_tokens.token", "api_keys.keyHash", "social_accounts.accessTokenEncrypted",
    "social_accounts.refreshTokenEncrypted", "allocator_autopilot_configs.encryptedSettings",
    "workflow_webhooks.webhookToken", "workflow_webhooks.secretHash",
]


def q(name):
    return '"' + name + '"'


def load():
    tables = collections.OrderedDict()
    pk, uk, fk = {}, collections.defaultdict(list), collections.defaultdict(list)
    numeric = {}
    with open(FIXTURE, encoding="utf-8") as f:
        for line in f:
            row = line.rstrip("\n").split("\t")
            if row[0].startswith("#"):
                continue
            kind = row[0]
            if kind == "@pk":
                pk[row[2]] = row[3].split(",")
            elif kind == "@unique":
                uk[row[2]].append(row[3].split(","))
            elif kind == "@fk":
                fk[row[2]].append((row[3], row[4].split(".", 1)[1]))
            elif kind == "@numeric":
                numeric[(row[2], row[3])] = int(row[4])
            elif kind.startswith("@"):
                continue
            else:
                tables.setdefault(row[1], []).append((row[2], row[3], row[4] == "yes"))
    return tables, pk, uk, fk, numeric


def column_sql(table, col, fam, nullable, numeric, pk_cols):
    key = (table, col)
    default = None
    if key in LISTS:
        ty, default = "text[]", "ARRAY[]::text[]"
    elif fam.startswith("enum:"):
        e = fam[5:]
        ty = "platform." + q(e)
        if not nullable:
            default = f"'{ENUMS[e][0]}'::platform.{q(e)}"
    elif fam == "timestamp":
        ty = "timestamp(3)"
        if col in ("createdAt", "updatedAt") and not nullable:
            default = "CURRENT_TIMESTAMP"
    elif fam == "numeric":
        ty = f"numeric({numeric[key]},{SCALES.get(key, SCALE_DEFAULT)})"
    elif fam == "boolean":
        ty = "boolean"
        if not nullable:
            default = "true" if col in TRUE_BOOLEANS else "false"
    elif fam == "integer":
        ty = "integer"
        if not nullable and (col.endswith("Count") or col in ("sortOrder", "currentUses", "retryCount", "attempts")):
            default = "0"
    else:
        ty = fam
    if key in DEFAULTS:
        default = DEFAULTS[key]
    if col == "id" and pk_cols == ["id"] and fam == "text":
        default = "gen_random_uuid()::text"
    out = f"    {q(col)} {ty}"
    if not nullable:
        out += " NOT NULL"
    if default:
        out += f" DEFAULT {default}"
    return out


HEADER = """\
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
--   * Secret columns (write-only through the API): {secrets}.
--   * Soft delete: workspaces, apps, app_messages and boxes carry deletedAt;
--     rows stay until deleted for good (the API's rules decide who sees them).

CREATE SCHEMA platform;
COMMENT ON SCHEMA platform IS 'Platform app: workspaces, social accounts and scheduled posts, inbox, brand, allocator, workflows, apps, image enhancement, merch.';
"""


def main():
    tables, pk, uk, fk, numeric = load()
    out = [HEADER.replace("{secrets}", ", ".join(SECRETS))]
    out.append("-- Enum types (values chosen; see the header).")
    used = []
    for cols in tables.values():
        for _, fam, _ in cols:
            if fam.startswith("enum:") and fam[5:] not in used:
                used.append(fam[5:])
    assert sorted(used) == sorted(ENUMS), set(used) ^ set(ENUMS)
    for e in used:
        vals = ", ".join(f"'{v}'" for v in ENUMS[e])
        out.append(f"CREATE TYPE platform.{q(e)} AS ENUM ({vals});")
    out.append("")
    index_lines = []
    for table, cols in tables.items():
        key = pk.get(table) or COMPOSITE_PKS[table]
        body = [column_sql(table, c, fam, n, numeric, key) for c, fam, n in cols]
        body.append(f"    CONSTRAINT {q(table + '_pkey')} PRIMARY KEY ({', '.join(q(c) for c in key)})")
        if table in COMPOSITE_PKS:
            out.append(f"-- No key in the seed: composite primary key ({', '.join(key)}).")
        out.append(f"CREATE TABLE platform.{q(table)} (\n" + ",\n".join(body) + "\n);")
        led = {tuple(key[:1])}
        for u in uk[table]:
            out.append(f"CREATE UNIQUE INDEX {q(table + '_' + '_'.join(u) + '_key')} ON platform.{q(table)} ({', '.join(q(c) for c in u)});")
            led.add(tuple(u[:1]))
        for col, _ in fk[table]:
            if (col,) not in led:
                out.append(f"CREATE INDEX {q(table + '_' + col + '_idx')} ON platform.{q(table)} ({q(col)});")
                led.add((col,))
        if any(c == "updatedAt" for c, _, _ in cols):
            index_lines.append(f"CREATE TRIGGER set_updated_at BEFORE UPDATE ON platform.{q(table)} FOR EACH ROW EXECUTE FUNCTION quiver.set_updated_at('updatedAt');")
        out.append("")
    out.append("-- Plain reference columns the access rules and subscriptions filter on.")
    out.append('CREATE INDEX "notifications_userId_idx" ON platform."notifications" ("userId");')
    out.append('CREATE INDEX "connection_reminders_workspaceId_idx" ON platform."connection_reminders" ("workspaceId");')
    out.append("")
    out.append("-- Foreign keys (192, one per relationship line of the seed).")
    n = 0
    for table, keys in fk.items():
        nullable = {c: nn for c, _, nn in tables[table]}
        for col, target in keys:
            n += 1
            if nullable[col]:
                action, why = "SET NULL", ""
            elif (table, col) in CASCADE or target == "workspaces":
                action, why = "CASCADE", "  -- CASCADE: part of its parent"
            else:
                action, why = "RESTRICT", ""
            out.append(
                f"ALTER TABLE platform.{q(table)} ADD CONSTRAINT {q(table + '_' + col + '_fkey')} "
                f"FOREIGN KEY ({q(col)}) REFERENCES platform.{q(target)} (\"id\") ON DELETE {action} ON UPDATE CASCADE;{why}"
            )
    assert n == 192, n
    fk_cols = {(t, c) for t, keys in fk.items() for c, _ in keys}
    assert CASCADE <= fk_cols, CASCADE - fk_cols
    out.append("")
    out.append("-- updatedAt kept by the database (see the header).")
    out.extend(index_lines)
    print("\n".join(out))


if __name__ == "__main__":
    main()
