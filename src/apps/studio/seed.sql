-- Studio demo data, loaded by `quiver seed studio` in one transaction.
--
-- Placeholders (substituted textually before the script runs):
--   {{users}}                  number of users
--   {{workbenches_per_user}}   workbenches per user
--   {{projects_per_workbench}} projects per workbench
--   {{assets_per_project}}     assets per project
--   {{versions_per_asset}}     asset versions per asset
--
-- Deterministic: every id is md5('<kind>-<number>')::uuid, every timestamp is
-- timestamptz '2025-01-01 00:00:00+00' plus a whole number of minutes/hours (no
-- 'day' or 'month' arithmetic, so the session TimeZone does not matter), no
-- random(), no now(). usage_logs.id (bigserial) is filled in a fixed ORDER BY.
-- All inserts are set-based (INSERT ... SELECT FROM generate_series).
--
-- Numbering: users n = 1..U; workbench w = (n-1)*WB + k; project
-- p = (w-1)*PW + j; asset a = (p-1)*AP + k; generation requests g = 2p-1, 2p
-- (two per project); teams t = 1..ceil(U/5), team t = users 5t-4 .. 5t.
--
-- The project timeline spreads over ~2.85 years from 2025-01-01, whatever the
-- sizes, so credit_transactions and notifications land in many quarterly
-- partitions; user 1 signed up in 2024 (its first purchase lands in
-- credit_transactions_default).
--
-- Needs an empty studio schema.

DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM studio.users) THEN
    RAISE EXCEPTION 'studio seed: studio.users is not empty; the demo data set only loads into an empty studio schema';
  END IF;
END
$$;

-- ---------------------------------------------------------------------------
-- Working tables (temporary, dropped at the end; a failed run rolls them back).
-- ---------------------------------------------------------------------------
-- One row per user: the values several tables derive from.
CREATE TEMP TABLE _seed_user AS
SELECT n,
       md5('user-' || n)::uuid AS id,
       CASE WHEN (n - 1) % 5 = 0 THEN CASE WHEN (n - 1) % 10 = 0 THEN 'Enterprise' ELSE 'Team' END
            WHEN (n - 1) % 5 IN (1, 4) THEN 'Pro'
            ELSE 'Free' END AS tier,
       timestamptz '2025-01-01 00:00:00+00'
         + interval '1 minute' * ((n - 1)::bigint * 1500000 / {{users}})
         - interval '720 hours' AS uc,
       (ARRAY['Ada','Ben','Chloe','Daniel','Elena','Felix','Grace','Hiro','Isabel','Jonas','Kira','Liam',
              'Maya','Noah','Olivia','Pablo','Quinn','Rosa','Samuel','Tara','Umar','Vera','Wei','Yara'])[(n - 1) % 24 + 1] AS fn,
       (ARRAY['Andersen','Brooks','Castillo','Dubois','Eriksen','Fischer','Garcia','Hoffmann','Ito','Jensen','Kowalski','Larsen',
              'Moreau','Nakamura','Okafor','Petrov','Quintero','Rossi','Schmidt','Tanaka','Usman','Varga','Walsh','Zhang'])[((n - 1) / 24 + (n - 1) * 7) % 24 + 1] AS ln
FROM generate_series(1, {{users}}) AS n;

-- One row per generation request: status cycles through all eight values.
CREATE TEMP TABLE _seed_gr AS
SELECT g, p, i, u, status, m,
       CASE WHEN status IN ('AwaitingSelection','ProcessingFinal','Completed','Cancelled')
            THEN (2 + m)::numeric(10,2) END AS sample_cost,
       CASE WHEN status = 'Completed' THEN (10 + (g % 3) * 2.5)::numeric(10,2) END AS final_cost,
       timestamptz '2025-01-01 00:00:00+00'
         + interval '1 minute' * ((p - 1)::bigint * 1500000 / ({{users}} * {{workbenches_per_user}} * {{projects_per_workbench}}))
         + interval '5 minutes' * i AS created_at
FROM (
  SELECT g, (g - 1) / 2 + 1 AS p, (g - 1) % 2 + 1 AS i,
         ((g - 1) / 2) / ({{workbenches_per_user}} * {{projects_per_workbench}}) + 1 AS u,
         (ARRAY['Pending','ProcessingSamples','AwaitingSelection','ProcessingFinal',
                'Completed','Failed','Cancelled','ContentRejected'])[(g - 1) % 8 + 1] AS status,
         (g - 1) % 3 + 1 AS m  -- image model 1..3 (see ai_models)
  FROM generate_series(1, 2 * {{users}} * {{workbenches_per_user}} * {{projects_per_workbench}}) AS g
) s;

-- All credit transactions; users.credit_balance is their sum.
CREATE TEMP TABLE _seed_ct AS
-- purchase: one credit pack per user, an hour after sign-up
SELECT md5('credit-tx-purchase-' || su.n)::uuid AS id, su.id AS user_id,
       'INV/' || to_char((su.uc + interval '1 hour') AT TIME ZONE 'UTC', 'YYYY') || '/' || lpad(su.n::text, 5, '0') AS odoo_invoice_id,
       NULL::uuid AS generation_request_id, NULL::varchar AS api_call_id,
       (CASE su.tier WHEN 'Enterprise' THEN 10000 WHEN 'Team' THEN 2000 WHEN 'Pro' THEN 500 ELSE 250 END)::numeric(10,2) AS amount,
       'purchase'::varchar AS action_type,
       su.tier || ' credit pack' AS description,
       su.uc + interval '1 hour' AS created_at
FROM _seed_user su
UNION ALL
-- sample_generation: charged once samples exist
SELECT md5('credit-tx-sample-' || gr.g)::uuid, md5('user-' || gr.u)::uuid, NULL,
       md5('generation-request-' || gr.g)::uuid, NULL, -gr.sample_cost, 'sample_generation',
       'Sample generation (4 samples)', gr.created_at + interval '2 minutes'
FROM _seed_gr gr WHERE gr.sample_cost IS NOT NULL
UNION ALL
-- final_generation: charged for completed requests
SELECT md5('credit-tx-final-' || gr.g)::uuid, md5('user-' || gr.u)::uuid, NULL,
       md5('generation-request-' || gr.g)::uuid, NULL, -gr.final_cost, 'final_generation',
       'Final generation in full resolution', gr.created_at + interval '30 minutes'
FROM _seed_gr gr WHERE gr.final_cost IS NOT NULL
UNION ALL
-- failed requests: charged, then refunded
SELECT md5('credit-tx-failcharge-' || gr.g)::uuid, md5('user-' || gr.u)::uuid, NULL,
       md5('generation-request-' || gr.g)::uuid, NULL, -3.00, 'sample_generation',
       'Sample generation (failed)', gr.created_at + interval '2 minutes'
FROM _seed_gr gr WHERE gr.status = 'Failed'
UNION ALL
SELECT md5('credit-tx-refund-' || gr.g)::uuid, md5('user-' || gr.u)::uuid, NULL,
       md5('generation-request-' || gr.g)::uuid, NULL, 3.00, 'refund',
       'Refund for failed generation', gr.created_at + interval '20 minutes'
FROM _seed_gr gr WHERE gr.status = 'Failed'
UNION ALL
-- export_hd: every second user exported one asset in HD
SELECT md5('credit-tx-export-' || su.n)::uuid, su.id, NULL, NULL, NULL, -1.50, 'export_hd',
       'HD export', su.uc + interval '800 hours'
FROM _seed_user su WHERE su.n % 2 = 0
UNION ALL
-- api_generation: paying users called the API once (see api_clients)
SELECT md5('credit-tx-api-' || su.n)::uuid, su.id, NULL, NULL,
       'call_' || substr(md5('api-call-' || su.n), 1, 24), -2.00, 'api_generation',
       'Generation via API', su.uc + interval '900 hours'
FROM _seed_user su WHERE su.tier <> 'Free';

-- ---------------------------------------------------------------------------
-- users
-- ---------------------------------------------------------------------------
INSERT INTO studio.users (
  id, email, password_hash, social_provider, social_provider_id, is_email_verified,
  email_verification_token, password_reset_token, password_reset_expires, full_name, username,
  profile_picture_url, language_preference, timezone, mfa_enabled, mfa_secret, subscription_tier,
  credit_balance, last_login_at, created_at, updated_at, deleted_at)
SELECT su.id,
       lower(su.fn || '.' || su.ln || su.n || '@example.com'),
       '$argon2id$v=19$m=65536,t=3,p=4$' || rtrim(encode(decode(md5('salt-' || su.n), 'hex'), 'base64'), '=')
         || '$' || rtrim(encode(decode(md5('pw-' || su.n) || md5('pw2-' || su.n), 'hex'), 'base64'), '='),
       CASE WHEN su.n % 3 = 0 THEN (ARRAY['google','facebook','apple'])[(su.n / 3 - 1) % 3 + 1] END,
       CASE WHEN su.n % 3 = 0 THEN lpad(((su.n::bigint * 7919) % 1000000007)::text, 21, '1') END,
       su.n % 6 <> 5,
       CASE WHEN su.n % 6 = 5 THEN 'evt_' || md5('email-verification-' || su.n) END,
       CASE WHEN su.n % 8 = 4 THEN 'prt_' || md5('password-reset-' || su.n) END,
       CASE WHEN su.n % 8 = 4 THEN su.uc + interval '1001 hours' END,
       su.fn || ' ' || su.ln,
       lower(su.fn || '.' || su.ln || su.n),
       CASE WHEN su.n % 3 <> 0 THEN 'https://cdn.quiver.example/avatars/' || md5('user-' || su.n) || '.png' END,
       (ARRAY['en-US','en-GB','de-DE','fr-FR','es-ES','ja-JP','pt-BR','en-US'])[su.n % 8 + 1],
       (ARRAY['America/New_York','Europe/London','Europe/Berlin','Europe/Paris','Europe/Madrid','Asia/Tokyo','America/Sao_Paulo','UTC'])[su.n % 8 + 1],
       su.tier IN ('Team','Enterprise') OR su.n % 9 = 0,
       CASE WHEN su.tier IN ('Team','Enterprise') OR su.n % 9 = 0
            THEN 'enc:v1:' || upper(substr(md5('mfa-' || su.n), 1, 32)) END,
       su.tier,
       (SELECT coalesce(sum(ct.amount), 0) FROM _seed_ct ct WHERE ct.user_id = su.id),
       su.uc + interval '1000 hours' + interval '1 minute' * su.n,
       su.uc,
       su.uc + interval '1000 hours' + interval '1 minute' * su.n,
       CASE WHEN su.n % 20 = 0 THEN su.uc + interval '1200 hours' END
FROM _seed_user su
ORDER BY su.n;

-- ---------------------------------------------------------------------------
-- teams and team_members: team t = users 5t-4 .. 5t, owned by user 5t-4.
-- Roles by position in the team: Owner, Admin, Editor, Viewer, Editor.
-- ---------------------------------------------------------------------------
INSERT INTO studio.teams (id, name, owner_id, created_at, updated_at)
SELECT md5('team-' || t)::uuid,
       (ARRAY['Northwind Creative','Blue Harbor Studio','Lumen Labs','Paper Kite Agency','Atlas Brands',
              'Copper Fox Media','Evergreen Collective','Solstice Design'])[(t - 1) % 8 + 1]
         || CASE WHEN t > 8 THEN ' ' || ((t - 1) / 8 + 1) ELSE '' END,
       md5('user-' || (5 * t - 4))::uuid,
       su.uc + interval '24 hours',
       su.uc + interval '48 hours'
FROM generate_series(1, ({{users}} + 4) / 5) AS t
JOIN _seed_user su ON su.n = 5 * t - 4;

INSERT INTO studio.team_members (id, team_id, user_id, role, joined_at)
SELECT md5('team-member-' || su.n)::uuid,
       md5('team-' || ((su.n - 1) / 5 + 1))::uuid,
       su.id,
       (ARRAY['Owner','Admin','Editor','Viewer','Editor'])[(su.n - 1) % 5 + 1],
       greatest(su.uc, (SELECT o.uc FROM _seed_user o WHERE o.n = 5 * ((su.n - 1) / 5) + 1)) + interval '25 hours'
FROM _seed_user su
ORDER BY su.n;

-- ---------------------------------------------------------------------------
-- brand_kits: one personal default kit per user, one kit per team.
-- ---------------------------------------------------------------------------
INSERT INTO studio.brand_kits (id, user_id, team_id, name, colors, fonts, logos, style_preferences, is_default, created_at, updated_at)
SELECT md5('brand-kit-user-' || su.n)::uuid, su.id, NULL,
       su.fn || '''s brand kit',
       jsonb_build_array(
         jsonb_build_object('name', 'Primary',   'hex', '#' || upper(substr(md5('c1-' || su.n), 1, 6)), 'variable', '--color-primary'),
         jsonb_build_object('name', 'Secondary', 'hex', '#' || upper(substr(md5('c2-' || su.n), 1, 6)), 'variable', '--color-secondary'),
         jsonb_build_object('name', 'Accent',    'hex', '#' || upper(substr(md5('c3-' || su.n), 1, 6)), 'variable', '--color-accent')),
       jsonb_build_array(
         jsonb_build_object('name', 'Heading', 'family', (ARRAY['Inter','Playfair Display','Montserrat','Roboto Slab'])[su.n % 4 + 1],
                            'url', 'https://fonts.example/heading-' || su.n % 4 || '.woff2'),
         jsonb_build_object('name', 'Body', 'family', (ARRAY['Source Sans 3','Lato','Open Sans'])[su.n % 3 + 1],
                            'url', 'https://fonts.example/body-' || su.n % 3 || '.woff2')),
       CASE WHEN su.n % 2 = 1 THEN jsonb_build_array(
         jsonb_build_object('name', 'Main Logo', 'path', 'studio-brand/' || su.id || '/logo.png', 'format', 'png')) END,
       jsonb_build_object('tone', (ARRAY['playful','professional','bold','minimal'])[su.n % 4 + 1],
                          'industry', (ARRAY['retail','food','tech','travel','fitness'])[su.n % 5 + 1]),
       true,
       su.uc + interval '2 hours',
       su.uc + interval '3 hours'
FROM _seed_user su
UNION ALL
SELECT md5('brand-kit-team-' || t)::uuid, md5('user-' || (5 * t - 4))::uuid, md5('team-' || t)::uuid,
       'Team brand kit ' || t,
       jsonb_build_array(
         jsonb_build_object('name', 'Primary', 'hex', '#' || upper(substr(md5('tc1-' || t), 1, 6)), 'variable', '--color-primary'),
         jsonb_build_object('name', 'Neutral', 'hex', '#1F2933', 'variable', '--color-neutral')),
       jsonb_build_array(jsonb_build_object('name', 'Heading', 'family', 'Manrope', 'url', 'https://fonts.example/manrope.woff2')),
       jsonb_build_array(
         jsonb_build_object('name', 'Main Logo', 'path', 'studio-brand/team-' || t || '/logo.svg', 'format', 'svg'),
         jsonb_build_object('name', 'Icon', 'path', 'studio-brand/team-' || t || '/icon.png', 'format', 'png')),
       NULL,
       false,
       su.uc + interval '26 hours',
       su.uc + interval '27 hours'
FROM generate_series(1, ({{users}} + 4) / 5) AS t
JOIN _seed_user su ON su.n = 5 * t - 4;

-- ---------------------------------------------------------------------------
-- templates: 8 public system templates, private templates of every third user.
-- ---------------------------------------------------------------------------
INSERT INTO studio.templates (id, user_id, name, description, category, preview_url, source_data, tags, is_public, created_at, updated_at)
SELECT md5('template-system-' || i)::uuid, NULL,
       (ARRAY['Product Launch Post','Flash Sale Story','Event Banner','Quote Card','Recipe Carousel',
              'Podcast Cover','Job Opening','Travel Reel Cover'])[i],
       'System template: ' || lower((ARRAY['Product Launch Post','Flash Sale Story','Event Banner','Quote Card','Recipe Carousel',
              'Podcast Cover','Job Opening','Travel Reel Cover'])[i]) || '.',
       (ARRAY['social_post','story','banner','social_post','carousel','cover','social_post','story'])[i],
       'https://cdn.quiver.example/templates/system-' || i || '.png',
       jsonb_build_object('width', (ARRAY[1080,1080,1920,1080,1080,3000,1200,1080])[i],
                          'height', (ARRAY[1080,1920,600,1080,1350,3000,628,1920])[i],
                          'layers', jsonb_build_array(
                             jsonb_build_object('type', 'background', 'fill', '#FFFFFF'),
                             jsonb_build_object('type', 'text', 'role', 'headline', 'x', 80, 'y', 120),
                             jsonb_build_object('type', 'image', 'role', 'hero', 'x', 0, 'y', 300))),
       (ARRAY['["launch","product","announcement"]','["sale","discount","story"]','["event","banner","web"]',
              '["quote","inspiration"]','["food","recipe","carousel"]','["podcast","audio","cover"]',
              '["hiring","jobs","linkedin"]','["travel","reel","video"]'])[i]::jsonb,
       true,
       timestamptz '2024-10-01 00:00:00+00' + interval '1 hour' * i,
       timestamptz '2024-10-15 00:00:00+00' + interval '1 hour' * i
FROM generate_series(1, 8) AS i
UNION ALL
SELECT md5('template-user-' || su.n)::uuid, su.id,
       su.fn || '''s ' || (ARRAY['weekly promo','newsletter header','story layout'])[su.n % 3 + 1],
       NULL,
       (ARRAY['social_post','banner','story'])[su.n % 3 + 1],
       'https://cdn.quiver.example/templates/user-' || su.n || '.png',
       jsonb_build_object('width', 1080, 'height', 1080, 'basedOn', md5('template-system-' || (su.n % 8 + 1))::uuid),
       jsonb_build_array('custom', lower(su.fn)),
       false,
       su.uc + interval '200 hours',
       su.uc + interval '210 hours'
FROM _seed_user su
WHERE su.n % 3 = 0;

-- ---------------------------------------------------------------------------
-- workbenches and projects
-- ---------------------------------------------------------------------------
INSERT INTO studio.workbenches (id, user_id, name, default_brand_kit_id, created_at, updated_at)
SELECT md5('workbench-' || w)::uuid,
       su.id,
       (ARRAY['Social Campaigns','Client Work','Product Marketing','Personal Projects','Seasonal Promos','Brand Refresh'])[(w - 1) % 6 + 1]
         || CASE WHEN {{workbenches_per_user}} > 6 THEN ' ' || ((w - 1) % {{workbenches_per_user}} + 1) ELSE '' END,
       CASE WHEN w % 3 <> 0 THEN md5('brand-kit-user-' || su.n)::uuid END,
       su.uc + interval '4 hours' + interval '1 minute' * ((w - 1) % {{workbenches_per_user}}),
       su.uc + interval '5 hours' + interval '1 minute' * ((w - 1) % {{workbenches_per_user}})
FROM generate_series(1, {{users}} * {{workbenches_per_user}}) AS w
JOIN _seed_user su ON su.n = (w - 1) / {{workbenches_per_user}} + 1;

INSERT INTO studio.projects (id, workbench_id, user_id, template_id, brand_kit_id, name, target_platform,
                             collaboration_state, last_collaborated_at, created_at, updated_at, deleted_at)
SELECT md5('project-' || p)::uuid,
       md5('workbench-' || ((p - 1) / {{projects_per_workbench}} + 1))::uuid,
       md5('user-' || u)::uuid,
       CASE WHEN p % 3 = 1 THEN md5('template-system-' || ((p - 1) % 8 + 1))::uuid END,
       CASE WHEN p % 4 = 0 THEN md5('brand-kit-team-' || ((u - 1) / 5 + 1))::uuid END,
       (ARRAY['Summer Sale','Product Launch','Holiday Greetings','Brand Awareness','Webinar Promo',
              'Back to School','Black Friday','New Collection','Customer Stories','Spring Refresh'])[(p - 1) % 10 + 1]
         || ' ' || p,
       (ARRAY['InstagramPost','InstagramStory','TikTok','LinkedIn','Facebook','Pinterest', NULL])[(p - 1) % 7 + 1],
       CASE WHEN p % 5 = 0 THEN jsonb_build_object('version', p % 7 + 1, 'canvas',
              jsonb_build_object('width', 1080, 'height', 1080, 'objects', 3 + p % 4)) END,
       CASE WHEN p % 5 = 0 THEN tp + interval '48 hours' END,
       tp,
       tp + interval '72 hours',
       CASE WHEN p % 23 = 0 THEN tp + interval '96 hours' END
FROM (
  SELECT p, ((p - 1) / {{projects_per_workbench}}) / {{workbenches_per_user}} + 1 AS u,
         timestamptz '2025-01-01 00:00:00+00'
           + interval '1 minute' * ((p - 1)::bigint * 1500000 / ({{users}} * {{workbenches_per_user}} * {{projects_per_workbench}})) AS tp
  FROM generate_series(1, {{users}} * {{workbenches_per_user}} * {{projects_per_workbench}}) AS p
) s;

-- ---------------------------------------------------------------------------
-- generation_requests and assets, in one statement: they reference each other
-- (generation_requests.final_asset_id <-> assets.generation_request_id), and
-- foreign keys are checked at the end of the statement.
-- Asset k of a project: k % 3 = 1 Uploaded, 2 AIGenerated, 0 Derived.
-- AIGenerated asset k belongs to request 2p-1 or 2p (alternating); asset k = 2
-- is the final asset of request 2p-1 when that request is Completed.
-- ---------------------------------------------------------------------------
WITH ins_gr AS (
  INSERT INTO studio.generation_requests (
    id, user_id, project_id, input_prompt, style_guidance, input_parameters, status, error_message,
    sample_assets, selected_sample_id, final_asset_id, credits_cost_sample, credits_cost_final,
    ai_model_used, processing_time_ms, created_at, updated_at)
  SELECT md5('generation-request-' || gr.g)::uuid,
         md5('user-' || gr.u)::uuid,
         md5('project-' || gr.p)::uuid,
         (ARRAY['A flat-lay of summer cocktails on a turquoise table, bright daylight',
                'Minimalist product shot of a ceramic mug on a linen background',
                'Bold sale banner with neon typography, 40% off, night city backdrop',
                'Cozy autumn cafe scene with steaming coffee and warm lighting',
                'Sleek smartphone floating above a gradient background, studio light',
                'Hand-drawn illustration of a mountain trail for a travel story'])[(gr.g - 1) % 6 + 1],
         CASE WHEN gr.g % 2 = 0 THEN (ARRAY['photorealistic','watercolor','flat vector','3D render'])[gr.g % 4 + 1] END,
         jsonb_build_object('format', (ARRAY['png','jpg','webp'])[gr.g % 3 + 1],
                            'resolution', (ARRAY['1080x1080','1080x1920','1920x1080'])[gr.g % 3 + 1],
                            'samples', 4,
                            'brandKit', gr.g % 4 = 0),
         gr.status,
         CASE gr.status WHEN 'Failed' THEN 'Worker timed out after 120000 ms while rendering samples'
                        WHEN 'ContentRejected' THEN 'Prompt rejected by content safety policy (category: trademark)' END,
         CASE WHEN gr.status IN ('AwaitingSelection','ProcessingFinal','Completed','Cancelled') THEN
           (SELECT jsonb_agg(jsonb_build_object('id', md5('sample-' || gr.g || '-' || s)::uuid,
                                                'url', 'studio-samples/' || md5('generation-request-' || gr.g) || '/' || s || '.png',
                                                'resolution', '512x512') ORDER BY s)
            FROM generate_series(1, 4) AS s) END,
         CASE WHEN gr.status IN ('ProcessingFinal','Completed') THEN md5('sample-' || gr.g || '-' || (gr.g % 4 + 1))::uuid END,
         CASE WHEN gr.status = 'Completed' AND gr.i = 1 AND {{assets_per_project}} >= 2
              THEN md5('asset-' || ((gr.p - 1) * {{assets_per_project}} + 2))::uuid END,
         gr.sample_cost,
         gr.final_cost,
         CASE WHEN gr.status NOT IN ('Pending','ContentRejected')
              THEN (ARRAY['studio-diffusion-xl','dall-e-3','stable-diffusion-3'])[gr.m] || ':2.0' END,
         CASE WHEN gr.status IN ('Completed','Failed','Cancelled','AwaitingSelection')
              THEN 4000 + (gr.g * 7919) % 50000 END,
         gr.created_at,
         gr.created_at + CASE WHEN gr.status = 'Pending' THEN interval '0 minutes' ELSE interval '31 minutes' END
  FROM _seed_gr gr
  ORDER BY gr.g
  RETURNING 1
)
INSERT INTO studio.assets (id, project_id, user_id, generation_request_id, name, type, file_path, mime_type,
                           format, resolution, is_final, metadata, created_at, updated_at, deleted_at)
SELECT md5('asset-' || a.a)::uuid,
       md5('project-' || a.p)::uuid,
       md5('user-' || a.u)::uuid,
       CASE WHEN a.type = 'AIGenerated' THEN md5('generation-request-' || a.g)::uuid END,
       (ARRAY['Hero banner','Story frame','Product shot','Logo variant','Carousel slide',
              'Background texture','Promo clip','Thumbnail'])[a.k % 8 + 1] || ' ' || a.k,
       a.type,
       'studio-assets/' || md5('user-' || a.u)::uuid || '/' || md5('project-' || a.p)::uuid || '/'
         || md5('asset-' || a.a)::uuid || '.' || a.fmt,
       (ARRAY['image/png','image/jpeg','image/webp','video/mp4','image/svg+xml'])[a.k % 5 + 1],
       a.fmt,
       CASE WHEN a.fmt <> 'svg' THEN (ARRAY['1080x1080','1080x1920','1920x1080','512x512'])[a.k % 4 + 1] END,
       (a.type = 'AIGenerated' AND a.k = 2 AND coalesce(gr.status, '') = 'Completed') OR (a.type = 'Derived' AND a.k % 6 = 0),
       CASE WHEN a.k % 2 = 0 THEN jsonb_build_object(
              'tags', jsonb_build_array((ARRAY['summer','product','sale','food','travel'])[a.a % 5 + 1], 'demo'),
              'dominantColors', jsonb_build_array('#' || upper(substr(md5('dc-' || a.a), 1, 6)))) END,
       a.tp + interval '10 minutes' * a.k,
       a.tp + interval '10 minutes' * a.k + interval '2 hours',
       CASE WHEN a.k % 17 = 0 THEN a.tp + interval '10 minutes' * a.k + interval '100 hours' END
FROM (
  SELECT a, p, k, u, tp,
         CASE k % 3 WHEN 1 THEN 'Uploaded' WHEN 2 THEN 'AIGenerated' ELSE 'Derived' END AS type,
         2 * (p - 1) + 1 + ((k - 2) / 3) % 2 AS g,
         (ARRAY['png','jpg','webp','mp4','svg'])[k % 5 + 1] AS fmt
  FROM (
    SELECT a, (a - 1) / {{assets_per_project}} + 1 AS p, (a - 1) % {{assets_per_project}} + 1 AS k,
           ((a - 1) / {{assets_per_project}}) / ({{workbenches_per_user}} * {{projects_per_workbench}}) + 1 AS u,
           timestamptz '2025-01-01 00:00:00+00'
             + interval '1 minute' * (((a - 1) / {{assets_per_project}})::bigint * 1500000
                                      / ({{users}} * {{workbenches_per_user}} * {{projects_per_workbench}})) AS tp
    FROM generate_series(1, {{users}} * {{workbenches_per_user}} * {{projects_per_workbench}} * {{assets_per_project}}) AS a
  ) a0
) a
LEFT JOIN _seed_gr gr ON a.type = 'AIGenerated' AND gr.g = a.g
ORDER BY a.a;

-- ---------------------------------------------------------------------------
-- asset_versions: version_number 1..VA per asset; every third version was
-- made by a teammate.
-- ---------------------------------------------------------------------------
INSERT INTO studio.asset_versions (id, asset_id, project_id, version_number, file_path, state_data, description, created_by_user_id, created_at)
SELECT md5('asset-version-' || a || '-' || v)::uuid,
       md5('asset-' || a)::uuid,
       md5('project-' || p)::uuid,
       v,
       'studio-assets/versions/' || md5('asset-' || a)::uuid || '/v' || v || '.png',
       jsonb_build_object('layers', 2 + v, 'crop', jsonb_build_object('x', 0, 'y', 0, 'w', 1080, 'h', 1080)),
       CASE WHEN v = 1 THEN 'Initial version'
            ELSE (ARRAY['Adjusted colors to brand palette','Cropped for story format','Replaced headline copy',
                        'Increased contrast','Swapped background'])[(a + v) % 5 + 1] END,
       CASE WHEN v % 3 = 0 AND 5 * ((u - 1) / 5) + (u + v - 1) % 5 + 1 <= {{users}}
            THEN md5('user-' || (5 * ((u - 1) / 5) + (u + v - 1) % 5 + 1))::uuid
            ELSE md5('user-' || u)::uuid END,
       tp + interval '10 minutes' * k + interval '1 hour' * v
FROM (
  SELECT a, v, (a - 1) / {{assets_per_project}} + 1 AS p, (a - 1) % {{assets_per_project}} + 1 AS k,
         ((a - 1) / {{assets_per_project}}) / ({{workbenches_per_user}} * {{projects_per_workbench}}) + 1 AS u,
         timestamptz '2025-01-01 00:00:00+00'
           + interval '1 minute' * (((a - 1) / {{assets_per_project}})::bigint * 1500000
                                    / ({{users}} * {{workbenches_per_user}} * {{projects_per_workbench}})) AS tp
  FROM generate_series(1, {{users}} * {{workbenches_per_user}} * {{projects_per_workbench}} * {{assets_per_project}}) AS a,
       generate_series(1, {{versions_per_asset}}) AS v
) s
ORDER BY a, v;

-- ---------------------------------------------------------------------------
-- credit_transactions (partitioned; rows land in 2024 -> default partition
-- for user 1, then quarterly partitions 2025q1 .. 2027q4)
-- ---------------------------------------------------------------------------
INSERT INTO studio.credit_transactions (id, user_id, odoo_invoice_id, generation_request_id, api_call_id,
                                        amount, action_type, description, created_at, synced_at)
SELECT id, user_id, odoo_invoice_id, generation_request_id, api_call_id, amount, action_type, description,
       created_at, created_at + interval '5 minutes'
FROM _seed_ct
ORDER BY created_at, id;

-- ---------------------------------------------------------------------------
-- social_media_connections: user n connects 1 + n % 3 platforms.
-- ---------------------------------------------------------------------------
INSERT INTO studio.social_media_connections (id, user_id, platform, external_user_id, access_token, refresh_token,
                                             expires_at, created_at, updated_at)
SELECT md5('social-' || su.n || '-' || c)::uuid,
       su.id,
       (ARRAY['Instagram','Facebook','LinkedIn','Twitter','Pinterest','TikTok'])[(su.n + c) % 6 + 1],
       ((su.n::bigint * 104729 + c * 7919) % 9000000000 + 1000000000)::text,
       'enc:v1:' || md5('access-' || su.n || '-' || c) || md5('access2-' || su.n || '-' || c),
       CASE WHEN (su.n + c) % 6 + 1 <> 4 THEN 'enc:v1:' || md5('refresh-' || su.n || '-' || c) END,
       su.uc + interval '1440 hours' + interval '1 hour' * c,
       su.uc + interval '6 hours' + interval '1 hour' * c,
       su.uc + interval '700 hours' + interval '1 hour' * c
FROM _seed_user su, generate_series(1, 3) AS c
WHERE c <= 1 + su.n % 3
ORDER BY su.n, c;

-- ---------------------------------------------------------------------------
-- api_clients: one per paying user, a second (revoked) key for Enterprise.
-- ---------------------------------------------------------------------------
INSERT INTO studio.api_clients (id, user_id, name, api_key, secret_hash, permissions, is_active, created_at, updated_at)
SELECT md5('api-client-' || su.n || '-' || c)::uuid,
       su.id,
       CASE c WHEN 1 THEN 'Production integration' ELSE 'Old CI key' END,
       'qv_live_' || md5('api-key-' || su.n || '-' || c),
       '$argon2id$v=19$m=65536,t=3,p=4$' || rtrim(encode(decode(md5('api-salt-' || su.n || '-' || c), 'hex'), 'base64'), '=')
         || '$' || rtrim(encode(decode(md5('api-secret-' || su.n || '-' || c) || md5('api-secret2-' || su.n || '-' || c), 'hex'), 'base64'), '='),
       CASE c WHEN 1 THEN '{"generate": true, "assets": ["read", "write"], "projects": ["read"]}'::jsonb
              ELSE '{"generate": false, "assets": ["read"]}'::jsonb END,
       c = 1,
       su.uc + interval '300 hours' + interval '1 hour' * c,
       su.uc + interval '310 hours' + interval '1 hour' * c
FROM _seed_user su, generate_series(1, 2) AS c
WHERE su.tier <> 'Free' AND (c = 1 OR su.tier = 'Enterprise')
ORDER BY su.n, c;

-- ---------------------------------------------------------------------------
-- subscriptions: a current one per paying user (Active; n % 6 = 0 Trial,
-- n % 6 = 4 Suspended) and an earlier one for every third user
-- (Cancelled or Expired).
-- ---------------------------------------------------------------------------
INSERT INTO studio.subscriptions (id, user_id, odoo_sale_order_id, plan_id, status, current_period_start, current_period_end,
                                  payment_provider, payment_provider_subscription_id, payment_method_id, created_at, updated_at)
SELECT md5('subscription-current-' || su.n)::uuid,
       su.id,
       'SO' || lpad(su.n::text, 6, '0'),
       lower(su.tier) || CASE WHEN su.n % 2 = 0 THEN '_annual' ELSE '_monthly' END,
       CASE su.n % 6 WHEN 0 THEN 'Trial' WHEN 4 THEN 'Suspended' ELSE 'Active' END,
       timestamptz '2027-01-01 00:00:00+00' + interval '1 hour' * su.n,
       timestamptz '2027-01-01 00:00:00+00' + interval '1 hour' * su.n
         + CASE WHEN su.n % 2 = 0 THEN interval '8760 hours' ELSE interval '744 hours' END,
       (ARRAY['Stripe','PayPal','OdooManual'])[su.n % 3 + 1],
       CASE su.n % 3 WHEN 0 THEN 'sub_' || substr(md5('stripe-sub-' || su.n), 1, 24)
                     WHEN 1 THEN 'I-' || upper(substr(md5('paypal-sub-' || su.n), 1, 12)) END,
       CASE su.n % 3 WHEN 0 THEN 'pm_' || substr(md5('stripe-pm-' || su.n), 1, 24)
                     WHEN 1 THEN 'BA-' || upper(substr(md5('paypal-pm-' || su.n), 1, 16)) END,
       su.uc + interval '1 hour',
       su.uc + interval '1100 hours'
FROM _seed_user su
WHERE su.tier <> 'Free'
UNION ALL
SELECT md5('subscription-past-' || su.n)::uuid,
       su.id,
       'SO' || lpad(su.n::text, 6, '0') || '-OLD',
       'pro_monthly',
       CASE WHEN su.n % 2 = 0 THEN 'Cancelled' ELSE 'Expired' END,
       su.uc + interval '2 hours',
       su.uc + interval '746 hours',
       'Stripe',
       'sub_' || substr(md5('stripe-sub-old-' || su.n), 1, 24),
       NULL,
       su.uc + interval '2 hours',
       su.uc + interval '750 hours'
FROM _seed_user su
WHERE su.n % 3 = 0;

-- ---------------------------------------------------------------------------
-- sessions: two per user, one long expired, one current.
-- ---------------------------------------------------------------------------
INSERT INTO studio.sessions (id, user_id, device_info, ip_address, user_agent, last_activity, expires_at, created_at)
SELECT md5('session-' || su.n || '-' || s)::uuid,
       su.id,
       CASE s WHEN 1 THEN (ARRAY['MacBook Pro (macOS 14)','Windows 11 desktop','ThinkPad (Ubuntu 24.04)'])[su.n % 3 + 1]
              ELSE (ARRAY['iPhone 15 (iOS 18)','Pixel 8 (Android 15)','iPad Air (iPadOS 18)'])[su.n % 3 + 1] END,
       CASE s WHEN 1 THEN '10.' || (su.n / 65536) % 256 || '.' || (su.n / 256) % 256 || '.' || su.n % 256
              ELSE '2001:db8::' || to_hex(su.n) || ':1' END,
       CASE s WHEN 1 THEN 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15'
              ELSE 'QuiverStudio/3.2 (iOS 18.0; mobile)' END,
       CASE s WHEN 1 THEN su.uc + interval '1000 hours' ELSE timestamptz '2027-06-01 00:00:00+00' + interval '1 minute' * su.n END,
       CASE s WHEN 1 THEN su.uc + interval '1720 hours' ELSE timestamptz '2028-06-01 00:00:00+00' + interval '1 minute' * su.n END,
       CASE s WHEN 1 THEN su.uc + interval '720 hours' ELSE timestamptz '2027-05-01 00:00:00+00' + interval '1 minute' * su.n END
FROM _seed_user su, generate_series(1, 2) AS s
ORDER BY su.n, s;

-- ---------------------------------------------------------------------------
-- notifications (partitioned): four per user, the first two read.
-- ---------------------------------------------------------------------------
INSERT INTO studio.notifications (id, user_id, type, message, metadata, is_read, created_at, updated_at)
SELECT md5('notification-' || su.n || '-' || s)::uuid,
       su.id,
       (ARRAY['generation_complete','collaboration_invite','billing_alert','system_update'])[s],
       CASE s WHEN 1 THEN 'Your generation "' || (ARRAY['Summer Sale','Product Launch','Holiday Greetings'])[su.n % 3 + 1] || '" is ready.'
              WHEN 2 THEN 'You were invited to collaborate on a project.'
              WHEN 3 THEN 'Your credit balance is running low.'
              ELSE 'New: brand kits now support variable fonts.' END,
       CASE s WHEN 1 THEN jsonb_build_object('projectId', md5('project-' || ((su.n - 1) * {{workbenches_per_user}} * {{projects_per_workbench}} + 1))::uuid,
                                             'status', 'Completed')
              WHEN 2 THEN jsonb_build_object('teamId', md5('team-' || ((su.n - 1) / 5 + 1))::uuid)
              WHEN 3 THEN jsonb_build_object('threshold', 20)
              ELSE NULL END,
       s <= 2,
       su.uc + interval '720 hours' + interval '1 hour' * ((su.n::bigint * 1500000 / {{users}}) / 60 % 24) + interval '240 hours' * s,
       su.uc + interval '720 hours' + interval '1 hour' * ((su.n::bigint * 1500000 / {{users}}) / 60 % 24) + interval '240 hours' * s
         + CASE WHEN s <= 2 THEN interval '3 hours' ELSE interval '0 hours' END
FROM _seed_user su, generate_series(1, 4) AS s
ORDER BY su.n, s;

-- ---------------------------------------------------------------------------
-- AI models: 8 models covering every task type (one inactive), 4 versions
-- each ('1.0','1.1','2.0','2.1-beta'), validation results, deployments.
-- Admin user 1 created/validated/deployed them.
-- ---------------------------------------------------------------------------
INSERT INTO studio.ai_models (id, name, description, provider, task_type, is_active, created_at, updated_at)
SELECT md5('ai-model-' || m)::uuid, name, description, provider, task_type, is_active,
       timestamptz '2024-09-01 00:00:00+00' + interval '1 hour' * m,
       timestamptz '2024-12-01 00:00:00+00' + interval '1 hour' * m
FROM (VALUES
  (1, 'studio-diffusion-xl',   'In-house diffusion model tuned for social media creatives.', 'Internal',    'ImageGeneration',     true),
  (2, 'dall-e-3',              'OpenAI image generation via API.',                           'OpenAI',      'ImageGeneration',     true),
  (3, 'stable-diffusion-3',    'Stability AI image generation via API.',                     'StabilityAI', 'ImageGeneration',     true),
  (4, 'gpt-4o-copywriter',     'Caption and headline suggestions.',                          'OpenAI',      'TextGeneration',      true),
  (5, 'studio-upscaler',       '4x super-resolution for final exports.',                     'Internal',    'ImageTransformation', true),
  (6, 'studio-style-transfer', 'Applies brand kit styles to existing assets.',                'Internal',    'StyleTransfer',       true),
  (7, 'studio-safety-guard',   'Prompt and image content safety classifier.',                'Internal',    'ContentSafety',       true),
  (8, 'legacy-gan-v1',         'Retired GAN-based generator, kept for audit.',               'Internal',    'ImageGeneration',     false)
) AS t(m, name, description, provider, task_type, is_active);

-- Version status: v1 Deprecated/Archived, v2 Deprecated/Failed, v3 Production
-- (Archived for the inactive model), v4 Staged. Result r = 1 for every
-- version; Production versions also have a later result r = 2 (their first
-- run failed functionally). validation_result_id points at the latest result.
CREATE TEMP TABLE _seed_mv AS
SELECT m, v,
       CASE v WHEN 1 THEN CASE WHEN m % 2 = 0 THEN 'Archived' ELSE 'Deprecated' END
              WHEN 2 THEN CASE WHEN m % 3 = 0 THEN 'Failed' ELSE 'Deprecated' END
              WHEN 3 THEN CASE WHEN m = 8 THEN 'Archived' ELSE 'Production' END
              ELSE 'Staged' END AS status,
       timestamptz '2024-09-01 00:00:00+00' + interval '1 hour' * m + interval '720 hours' * v AS created_at
FROM generate_series(1, 8) AS m, generate_series(1, 4) AS v;

WITH ins_mv AS (
  INSERT INTO studio.ai_model_versions (id, model_id, version_number, source_path, format, parameters, status,
                                        validation_result_id, created_by_user_id, release_notes, created_at, updated_at)
  SELECT md5('ai-model-version-' || mv.m || '-' || mv.v)::uuid,
         md5('ai-model-' || mv.m)::uuid,
         (ARRAY['1.0','1.1','2.0','2.1-beta'])[mv.v],
         CASE WHEN mv.m NOT IN (2, 3, 4) THEN 'studio-models/' || md5('ai-model-' || mv.m) || '/v' || mv.v || '/model.onnx' END,
         CASE WHEN mv.m IN (2, 3, 4) THEN 'API' ELSE 'ONNX' END,
         jsonb_build_object('steps', 20 + 5 * mv.v, 'guidance', 7.5, 'maxResolution', (ARRAY['1024x1024','1024x1024','2048x2048','2048x2048'])[mv.v]),
         mv.status,
         md5('ai-validation-' || mv.m || '-' || mv.v || '-' || CASE WHEN mv.status = 'Production' THEN 2 ELSE 1 END)::uuid,
         md5('user-1')::uuid,
         CASE mv.v WHEN 1 THEN 'Initial release.' WHEN 2 THEN 'Quality and latency improvements.'
                   WHEN 3 THEN 'New architecture, higher resolution.' ELSE 'Beta: experimental sampler.' END,
         mv.created_at,
         mv.created_at + interval '240 hours'
  FROM _seed_mv mv
  ORDER BY mv.m, mv.v
  RETURNING 1
)
INSERT INTO studio.ai_model_validation_results (id, model_version_id, validation_timestamp, security_scan_status, functional_status,
                                                performance_benchmark, results, validated_by_user_id, created_at)
SELECT md5('ai-validation-' || mv.m || '-' || mv.v || '-' || r)::uuid,
       md5('ai-model-version-' || mv.m || '-' || mv.v)::uuid,
       mv.created_at + interval '24 hours' * r,
       CASE WHEN mv.status = 'Staged' THEN CASE WHEN mv.m % 2 = 0 THEN 'Pending' ELSE 'Skipped' END
            WHEN mv.status = 'Failed' THEN 'Failed'
            ELSE 'Passed' END,
       CASE WHEN mv.status = 'Staged' THEN 'Pending'
            WHEN mv.status = 'Failed' THEN 'Failed'
            WHEN mv.status = 'Production' AND r = 1 THEN 'Failed'
            WHEN mv.m = 7 AND mv.v = 1 THEN 'Skipped'
            ELSE 'Passed' END,
       CASE WHEN mv.status <> 'Staged' THEN jsonb_build_object('p50LatencyMs', 800 + 37 * mv.m * mv.v, 'throughputPerMin', 60 + mv.m * 3,
                                                               'fid', round((12.5 - mv.v * 1.1)::numeric, 2)) END,
       jsonb_build_object('tool', 'quiver-validate 1.4', 'run', r, 'checks', 42, 'warnings', (mv.m + mv.v + r) % 3),
       md5('user-1')::uuid,
       mv.created_at + interval '24 hours' * r
FROM _seed_mv mv, generate_series(1, 2) AS r
WHERE r = 1 OR mv.status = 'Production'
ORDER BY mv.m, mv.v, r;

-- Deployments: Production versions run in production (Active) and staging
-- (Inactive); Deprecated/Archived ones were RolledBack or Inactive in
-- production; Failed versions failed in staging; Staged versions are
-- Deploying (testing) or Initiated (staging).
INSERT INTO studio.ai_model_deployments (id, model_version_id, environment, status, deployment_strategy, endpoint,
                                         kubernetes_details, deployed_by_user_id, deployment_timestamp, created_at, updated_at)
SELECT md5('ai-deployment-' || d.m || '-' || d.v || '-' || d.env)::uuid,
       md5('ai-model-version-' || d.m || '-' || d.v)::uuid,
       d.env, d.status,
       (ARRAY['blue_green','canary','rolling_update'])[(d.m + d.v) % 3 + 1],
       'http://model-' || d.m || '-v' || d.v || '.' || d.env || '.svc.cluster.local:8080/predict',
       jsonb_build_object('deployment', 'model-' || d.m || '-v' || d.v, 'namespace', 'studio-' || d.env,
                          'replicas', CASE d.status WHEN 'Active' THEN 3 ELSE 0 END),
       md5('user-1')::uuid,
       d.created_at + interval '72 hours',
       d.created_at + interval '72 hours',
       d.created_at + interval '96 hours'
FROM (
  SELECT mv.m, mv.v, mv.created_at, e.env,
         CASE WHEN mv.status = 'Production' THEN CASE e.env WHEN 'production' THEN 'Active' ELSE 'Inactive' END
              WHEN mv.status IN ('Deprecated','Archived') THEN CASE WHEN mv.v = 1 THEN 'RolledBack' ELSE 'Inactive' END
              WHEN mv.status = 'Failed' THEN 'Failed'
              ELSE CASE e.env WHEN 'testing' THEN 'Deploying' ELSE 'Initiated' END END AS status
  FROM _seed_mv mv
  JOIN (VALUES ('production'), ('staging'), ('testing')) AS e(env)
    ON (mv.status IN ('Production') AND e.env IN ('production','staging'))
    OR (mv.status IN ('Deprecated','Archived') AND e.env = 'production')
    OR (mv.status = 'Failed' AND e.env = 'staging')
    OR (mv.status = 'Staged' AND e.env = CASE WHEN mv.m % 2 = 0 THEN 'testing' ELSE 'staging' END)
) d
ORDER BY d.m, d.v, d.env;

-- Feedback: rated feedback on every Completed request, unrated complaints on
-- Failed ones; both point at the production version (2.0) of the model used.
INSERT INTO studio.ai_model_feedback (id, user_id, generation_request_id, model_version_id, rating, comment,
                                      feedback_timestamp, details, created_at)
SELECT md5('ai-feedback-' || gr.g)::uuid,
       md5('user-' || gr.u)::uuid,
       md5('generation-request-' || gr.g)::uuid,
       md5('ai-model-version-' || gr.m || '-3')::uuid,
       CASE WHEN gr.status = 'Completed' THEN (gr.g / 8) % 5 + 1 END,
       CASE WHEN gr.status = 'Completed'
            THEN (ARRAY['Off-brand colors.','Text came out garbled.','Fine, needed edits.','Great composition.','Exactly what I wanted!'])[(gr.g / 8) % 5 + 1]
            ELSE 'Generation failed twice, please check.' END,
       gr.created_at + interval '45 minutes',
       CASE WHEN gr.status = 'Completed' THEN jsonb_build_object('usedInPost', gr.g % 2 = 0, 'editsNeeded', (gr.g / 8) % 3) END,
       gr.created_at + interval '45 minutes'
FROM _seed_gr gr
WHERE gr.status IN ('Completed','Failed')
ORDER BY gr.g;

-- ---------------------------------------------------------------------------
-- usage_logs (bigserial id, filled in one fixed order)
-- ---------------------------------------------------------------------------
INSERT INTO studio.usage_logs (user_id, generation_request_id, api_client_id, action_type, details, credits_cost, "timestamp")
SELECT user_id, generation_request_id, api_client_id, action_type, details, credits_cost, ts
FROM (
  SELECT su.id AS user_id, NULL::uuid AS generation_request_id, NULL::uuid AS api_client_id, 'login_success' AS action_type,
         jsonb_build_object('method', CASE WHEN su.n % 3 = 0 THEN 'social' ELSE 'password' END, 'mfa', su.tier IN ('Team','Enterprise') OR su.n % 9 = 0) AS details,
         NULL::numeric(10,2) AS credits_cost, su.uc + interval '720 hours' AS ts
  FROM _seed_user su
  UNION ALL
  SELECT md5('user-' || gr.u)::uuid, md5('generation-request-' || gr.g)::uuid, NULL, 'sample_generation_initiated',
         jsonb_build_object('samples', 4, 'model', (ARRAY['studio-diffusion-xl','dall-e-3','stable-diffusion-3'])[gr.m]),
         gr.sample_cost, gr.created_at + interval '1 minute'
  FROM _seed_gr gr WHERE gr.status <> 'Pending'
  UNION ALL
  SELECT md5('user-' || gr.u)::uuid, md5('generation-request-' || gr.g)::uuid, NULL, 'final_generation_completed',
         jsonb_build_object('resolution', '2048x2048', 'durationMs', 4000 + (gr.g * 7919) % 50000),
         gr.final_cost, gr.created_at + interval '30 minutes'
  FROM _seed_gr gr WHERE gr.status = 'Completed'
  UNION ALL
  SELECT su.id, NULL, md5('api-client-' || su.n || '-1')::uuid, 'api_call_success',
         jsonb_build_object('endpoint', '/v1/generations', 'httpStatus', 201, 'durationMs', 850 + su.n),
         2.00, su.uc + interval '900 hours'
  FROM _seed_user su WHERE su.tier <> 'Free'
  UNION ALL
  SELECT su.id, NULL, NULL, 'subscription_change',
         jsonb_build_object('from', 'Free', 'to', su.tier), NULL, su.uc + interval '1 hour'
  FROM _seed_user su WHERE su.tier <> 'Free'
  UNION ALL
  SELECT su.id, NULL, NULL, 'asset_exported',
         jsonb_build_object('format', 'png', 'resolution', '4096x4096', 'hd', true), 1.50, su.uc + interval '800 hours'
  FROM _seed_user su WHERE su.n % 2 = 0
) l
ORDER BY ts, action_type, user_id, generation_request_id;

DROP TABLE _seed_user, _seed_gr, _seed_ct, _seed_mv;
