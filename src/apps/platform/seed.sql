-- Platform demo data, loaded by `quiver seed platform` in one transaction.
--
-- Placeholders (substituted textually before the script runs):
--   {{users}}                   number of users (at least 4)
--   {{workspaces}}              number of workspaces
--   {{accounts_per_workspace}}  social accounts per workspace
--   {{posts_per_workspace}}     scheduled posts per workspace
--   {{accounts_per_post}}       social accounts each scheduled post goes to (at most accounts_per_workspace)
--   {{inbox_per_workspace}}     inbox items per workspace
--
-- Deterministic and readable ids: 'user-<u>', 'ws-<w>', 'wm-<w>-<k>',
-- 'sa-<w>-<a>', 'sp-<w>-<p>', 'spa-<w>-<p>-<j>', ... Timestamps are
-- timestamp '2025-01-01 00:00' plus whole minutes or hours; no random(), no now().
--
-- Workspace w has four members, one of each WorkspaceRole: k = 1 OWNER,
-- 2 ADMIN, 3 MEMBER, 4 VIEWER, user ((w-1)*3 + k-1) % users + 1 (so
-- neighbouring workspaces share users in different roles). Its social
-- accounts are connected by its owner; scheduled post p goes to accounts
-- (p-1+j-1) % accounts_per_workspace + 1 for j = 1..accounts_per_post and is
-- created by its owner, admin or member in turn.
--
-- Needs an empty platform schema.

DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM platform.users) THEN
    RAISE EXCEPTION 'platform seed: platform.users is not empty; the demo data set only loads into an empty platform schema';
  END IF;
  IF {{users}} < 4 OR {{accounts_per_post}} > {{accounts_per_workspace}} THEN
    RAISE EXCEPTION 'platform seed: needs users >= 4 and accounts_per_post <= accounts_per_workspace';
  END IF;
END
$$;

-- Global catalogs.
INSERT INTO platform.subscription_plans (id, name, "tokensPerMonth", "priceGBP", "stripePriceId", "maxRollover", priority, "apiAccess", active, "sortOrder")
VALUES ('plan-basic', 'Basic', 100, 4.99, 'price_basic', 50, false, false, true, 1),
       ('plan-standard', 'Standard', 500, 14.99, 'price_standard', 250, false, true, true, 2),
       ('plan-premium', 'Premium', 2000, 39.99, 'price_premium', 1000, true, true, true, 3);
INSERT INTO platform.tokens_packages (id, name, tokens, "priceUSD", "stripePriceId", active, "sortOrder")
VALUES ('pkg-starter', 'Starter', 50, 2.99, 'price_tokens_50', true, 1),
       ('pkg-pro', 'Pro', 500, 19.99, 'price_tokens_500', true, 2);
INSERT INTO platform.box_tiers (id, name, cpu, ram, storage, "pricePerHour", "pricePerMonth", "sortOrder")
VALUES ('tier-small', 'Small', 2, 4096, 20, 5, 2000, 1),
       ('tier-large', 'Large', 8, 16384, 100, 20, 8000, 2);
INSERT INTO platform.feature_flags (id, name, "isEnabled", percentage, "enabledFor")
VALUES ('flag-relay', 'relay-drafts', true, 100, '{}'),
       ('flag-allocator', 'allocator-autopilot', true, 10, ARRAY['ws-1']);

-- Users.
INSERT INTO platform.users (id, name, email, "emailVerified", image, "createdAt", "updatedAt", role, "referralCode", "referredById", "passwordHash")
SELECT 'user-' || u,
       (ARRAY['Ada','Ben','Chloe','Daniel','Elena','Felix','Grace','Hiro','Isabel','Jonas','Kira','Liam'])[(u - 1) % 12 + 1]
         || ' ' || (ARRAY['Andersen','Brooks','Castillo','Dubois','Eriksen','Fischer','Garcia','Hoffmann'])[(u - 1) % 8 + 1],
       'user' || u || '@example.com',
       timestamp '2025-01-01 00:00' + interval '1 hour' * u,
       'https://avatars.example.com/' || u || '.png',
       timestamp '2025-01-01 00:00' + interval '1 hour' * u,
       timestamp '2025-01-01 00:00' + interval '1 hour' * u,
       CASE WHEN u = 1 THEN 'ADMIN' ELSE 'USER' END::platform."UserRole",
       'REF' || lpad(u::text, 5, '0'),
       NULL,
       '$argon2id$v=19$m=65536,t=3,p=4$' || rtrim(encode(decode(md5('salt-' || u), 'hex'), 'base64'), '=')
         || '$' || rtrim(encode(decode(md5('pw-' || u) || md5('pw2-' || u), 'hex'), 'base64'), '=')
FROM generate_series(1, {{users}}) AS u;
-- Every fifth user was referred by the user before them.
UPDATE platform.users SET "referredById" = 'user-' || (substr(id, 6)::int - 1)
WHERE substr(id, 6)::int % 5 = 0;
UPDATE platform.users u SET "referralCount" = (SELECT count(*) FROM platform.users r WHERE r."referredById" = u.id);

-- Workspaces: the first is a personal one; the tiers cycle.
INSERT INTO platform.workspaces (id, name, slug, description, "isPersonal", "createdAt", "updatedAt", "subscriptionTier",
                                 "maxSocialAccounts", "maxScheduledPosts", "maxAbTests", "monthlyAiCredits", "usedAiCredits", "maxTeamMembers")
SELECT 'ws-' || w,
       (ARRAY['Northwind','Blue Harbor','Cedar & Co','Lumen Studio','Kite Labs','Orbit Foods'])[(w - 1) % 6 + 1] || ' ' || w,
       'workspace-' || w,
       'Demo workspace ' || w,
       w = 1,
       timestamp '2025-01-01 00:00' + interval '1 hour' * w,
       timestamp '2025-01-01 00:00' + interval '1 hour' * w,
       (ARRAY['FREE','PRO','BUSINESS'])[(w - 1) % 3 + 1]::platform."WorkspaceSubscriptionTier",
       (ARRAY[3, 10, 50])[(w - 1) % 3 + 1], (ARRAY[30, 500, 5000])[(w - 1) % 3 + 1], (ARRAY[1, 5, 20])[(w - 1) % 3 + 1],
       (ARRAY[100, 1000, 10000])[(w - 1) % 3 + 1], (w * 7) % 100, (ARRAY[3, 10, 100])[(w - 1) % 3 + 1]
FROM generate_series(1, {{workspaces}}) AS w;

-- Members: one of each role per workspace (see the header).
INSERT INTO platform.workspace_members (id, "workspaceId", "userId", role, "invitedAt", "joinedAt", "invitedById")
SELECT 'wm-' || w || '-' || k,
       'ws-' || w,
       'user-' || (((w - 1) * 3 + k - 1) % {{users}} + 1),
       (ARRAY['OWNER','ADMIN','MEMBER','VIEWER'])[k]::platform."WorkspaceRole",
       timestamp '2025-01-01 00:00' + interval '1 hour' * w + interval '1 minute' * k,
       timestamp '2025-01-01 00:00' + interval '1 hour' * w + interval '10 minutes' * k,
       CASE WHEN k > 1 THEN 'user-' || (((w - 1) * 3) % {{users}} + 1) END
FROM generate_series(1, {{workspaces}}) AS w, generate_series(1, 4) AS k;

-- Social accounts, connected by the workspace's owner.
INSERT INTO platform.social_accounts (id, platform, "accountId", "accountName", "accessTokenEncrypted", "refreshTokenEncrypted",
                                      "tokenExpiresAt", "connectedAt", status, "userId", "workspaceId")
SELECT 'sa-' || w || '-' || a,
       (ARRAY['TWITTER','LINKEDIN','FACEBOOK','INSTAGRAM','TIKTOK','YOUTUBE'])[(a - 1) % 6 + 1]::platform."SocialPlatform",
       (1000000 + w * 100 + a)::text,
       '@ws' || w || '_' || lower((ARRAY['TWITTER','LINKEDIN','FACEBOOK','INSTAGRAM','TIKTOK','YOUTUBE'])[(a - 1) % 6 + 1]) || '_' || a,
       'enc:v1:' || md5('access-' || w || '-' || a),
       'enc:v1:' || md5('refresh-' || w || '-' || a),
       timestamp '2025-06-01 00:00' + interval '1 hour' * a,
       timestamp '2025-01-02 00:00' + interval '1 hour' * w + interval '1 minute' * a,
       CASE WHEN a % 7 = 0 THEN 'EXPIRED' ELSE 'ACTIVE' END::platform."SocialAccountStatus",
       'user-' || (((w - 1) * 3) % {{users}} + 1),
       'ws-' || w
FROM generate_series(1, {{workspaces}}) AS w, generate_series(1, {{accounts_per_workspace}}) AS a;

-- Scheduled posts; the status cycles through every ScheduledPostStatus.
INSERT INTO platform.scheduled_posts (id, content, "scheduledAt", timezone, status, "publishedAt", "retryCount", "maxRetries",
                                      "workspaceId", "createdById", "createdAt", "updatedAt")
SELECT 'sp-' || w || '-' || p,
       'Post ' || p || ' of workspace ' || w || ': '
         || (ARRAY['Launch day!','Behind the scenes','Customer story','Weekly tips','Product update','Event recap','Hiring'])[(p - 1) % 7 + 1],
       timestamp '2025-03-01 09:00' + interval '1 hour' * (w * 24 + p * 6),
       (ARRAY['Europe/London','America/New_York','Asia/Tokyo'])[(w - 1) % 3 + 1],
       (ARRAY['DRAFT','PENDING','SCHEDULED','PUBLISHING','PUBLISHED','FAILED','CANCELLED'])[(p - 1) % 7 + 1]::platform."ScheduledPostStatus",
       CASE WHEN (p - 1) % 7 + 1 = 5 THEN timestamp '2025-03-01 09:00' + interval '1 hour' * (w * 24 + p * 6) END,
       CASE WHEN (p - 1) % 7 + 1 = 6 THEN 3 ELSE 0 END,
       3,
       'ws-' || w,
       'user-' || (((w - 1) * 3 + (p - 1) % 3) % {{users}} + 1),
       timestamp '2025-02-01 00:00' + interval '1 hour' * w + interval '1 minute' * p,
       timestamp '2025-02-01 00:00' + interval '1 hour' * w + interval '1 minute' * p
FROM generate_series(1, {{workspaces}}) AS w, generate_series(1, {{posts_per_workspace}}) AS p;

-- Each post on accounts_per_post of its workspace's accounts.
INSERT INTO platform.scheduled_post_accounts (id, "postId", "accountId", "platformPostId", "publishedAt", status)
SELECT 'spa-' || w || '-' || p || '-' || j,
       'sp-' || w || '-' || p,
       'sa-' || w || '-' || ((p - 1 + j - 1) % {{accounts_per_workspace}} + 1),
       CASE WHEN sp.status = 'PUBLISHED' THEN 'ext-' || w || '-' || p || '-' || j END,
       sp."publishedAt",
       sp.status
FROM generate_series(1, {{workspaces}}) AS w, generate_series(1, {{posts_per_workspace}}) AS p,
     generate_series(1, {{accounts_per_post}}) AS j, platform.scheduled_posts sp
WHERE sp.id = 'sp-' || w || '-' || p;

-- Inbox items, every other one assigned to the workspace's member.
INSERT INTO platform.inbox_items (id, type, status, platform, "platformItemId", content, "senderName", "senderHandle",
                                  "receivedAt", "workspaceId", "accountId", "assignedToId", sentiment, "priorityScore")
SELECT 'ii-' || w || '-' || i,
       (ARRAY['MENTION','COMMENT','DIRECT_MESSAGE','REPLY','REVIEW'])[(i - 1) % 5 + 1]::platform."InboxItemType",
       (ARRAY['UNREAD','READ','PENDING_REPLY','REPLIED','ARCHIVED'])[(i - 1) % 5 + 1]::platform."InboxItemStatus",
       sa.platform,
       'msg-' || w || '-' || i,
       'Message ' || i || ' to workspace ' || w,
       'Sender ' || i,
       '@sender' || i,
       timestamp '2025-03-01 00:00' + interval '1 hour' * w + interval '1 minute' * i,
       'ws-' || w,
       sa.id,
       CASE WHEN i % 2 = 0 THEN 'wm-' || w || '-3' END,
       (ARRAY['POSITIVE','NEUTRAL','NEGATIVE','MIXED'])[(i - 1) % 4 + 1]::platform."InboxSentiment",
       (i * 13) % 100
FROM generate_series(1, {{workspaces}}) AS w, generate_series(1, {{inbox_per_workspace}}) AS i, platform.social_accounts sa
WHERE sa.id = 'sa-' || w || '-' || ((i - 1) % {{accounts_per_workspace}} + 1);

-- Notifications: one for each member, and one for the whole workspace.
INSERT INTO platform.notifications (id, "workspaceId", "userId", type, title, message, priority, read, "createdAt")
SELECT 'nt-' || w || '-' || k,
       'ws-' || w,
       CASE WHEN k <= 4 THEN 'user-' || (((w - 1) * 3 + k - 1) % {{users}} + 1) END,
       CASE WHEN k <= 4 THEN 'POST_PUBLISHED' ELSE 'WORKSPACE_ANNOUNCEMENT' END,
       CASE WHEN k <= 4 THEN 'Your post was published' ELSE 'New billing period' END,
       'Notification ' || k || ' of workspace ' || w,
       CASE WHEN k = 5 THEN 'high' ELSE 'normal' END,
       k % 2 = 0,
       timestamp '2025-03-02 00:00' + interval '1 hour' * w + interval '1 minute' * k
FROM generate_series(1, {{workspaces}}) AS w, generate_series(1, 5) AS k;

-- Workflows with versions and runs: two per workspace, three runs each.
INSERT INTO platform.workflows (id, name, description, status, "workspaceId", "createdById")
SELECT 'wf-' || w || '-' || f,
       (ARRAY['Auto-reply to mentions','Cross-post launches'])[f],
       'Workflow ' || f || ' of workspace ' || w,
       (ARRAY['ACTIVE','DRAFT'])[f]::platform."WorkflowStatus",
       'ws-' || w,
       'user-' || (((w - 1) * 3) % {{users}} + 1)
FROM generate_series(1, {{workspaces}}) AS w, generate_series(1, 2) AS f;
INSERT INTO platform.workflow_runs (id, "workflowId", status, "startedAt", "endedAt")
SELECT 'wr-' || w || '-' || f || '-' || r,
       'wf-' || w || '-' || f,
       (ARRAY['COMPLETED','FAILED','RUNNING'])[r]::platform."WorkflowRunStatus",
       timestamp '2025-03-03 00:00' + interval '1 hour' * w + interval '1 minute' * (f * 10 + r),
       CASE WHEN r < 3 THEN timestamp '2025-03-03 00:05' + interval '1 hour' * w + interval '1 minute' * (f * 10 + r) END
FROM generate_series(1, {{workspaces}}) AS w, generate_series(1, 2) AS f, generate_series(1, 3) AS r;

-- Merch: a small catalogue, and an order of two lines for every odd user.
INSERT INTO platform.merch_categories (id, name, slug, description, "sortOrder")
VALUES ('cat-prints', 'Prints', 'prints', 'Fine art prints', 1),
       ('cat-apparel', 'Apparel', 'apparel', 'T-shirts and hoodies', 2);
INSERT INTO platform.merch_products (id, name, "categoryId", provider, "providerSku", "basePrice", "retailPrice", currency, "minDpi", "minWidth", "minHeight")
VALUES ('prod-print-a4', 'A4 print', 'cat-prints', 'PRODIGI', 'GLOBAL-FAP-A4', 6.50, 19.99, 'GBP', 150, 1240, 1754),
       ('prod-print-a3', 'A3 print', 'cat-prints', 'PRODIGI', 'GLOBAL-FAP-A3', 9.00, 29.99, 'GBP', 150, 1754, 2480),
       ('prod-tee', 'T-shirt', 'cat-apparel', 'PRINTFUL', 'TEE-UNISEX', 11.00, 24.99, 'GBP', 150, 1800, 2400);
INSERT INTO platform.merch_orders (id, "userId", "orderNumber", status, subtotal, "shippingCost", "taxAmount", "totalAmount", currency,
                                   "shippingAddress", "customerEmail")
SELECT 'mo-' || u, 'user-' || u, 'ORD-' || lpad(u::text, 6, '0'),
       (ARRAY['PAID','SHIPPED','DELIVERED','PENDING'])[(u / 2) % 4 + 1]::platform."MerchOrderStatus",
       49.98, 4.99, 10.99, 65.96, 'GBP',
       jsonb_build_object('line1', u || ' High Street', 'city', 'London', 'postalCode', 'N1 ' || u || 'AA', 'country', 'GB'),
       'user' || u || '@example.com'
FROM generate_series(1, {{users}}) AS u WHERE u % 2 = 1;
INSERT INTO platform.merch_order_items (id, "orderId", "productId", "productName", "imageUrl", "imageR2Key", quantity, "unitPrice", "totalPrice")
SELECT 'moi-' || u || '-' || l, 'mo-' || u,
       (ARRAY['prod-print-a4','prod-tee'])[l], (ARRAY['A4 print','T-shirt'])[l],
       'https://images.example.com/' || u || '-' || l || '.jpg', 'orders/' || u || '/' || l || '.jpg',
       1, (ARRAY[19.99, 29.99])[l], (ARRAY[19.99, 29.99])[l]
FROM generate_series(1, {{users}}) AS u, generate_series(1, 2) AS l WHERE u % 2 = 1;
