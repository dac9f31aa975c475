-- Reports demo data, loaded by `quiver seed reports` in one transaction.
--
-- Placeholders (substituted textually before the script runs):
--   {{users}}             Django users linked to Supabase Auth (at least 2)
--   {{reports_per_user}}  reports per user (at least 4: one per job stage)
--
-- Deterministic: uuids are md5('reports-<kind>-<number>')::uuid, timestamps
-- timestamptz '2025-05-01 00:00:00+00' plus whole minutes. Identity ids are
-- generated (never given), so later inserts through the API do not collide.
-- User n is reports-user-n@example.com in auth.users (confirmed) and in
-- seydam_customuser, linked by reports.link_customusers_to_auth() exactly as
-- existing rows would be. One more Django user, legacy@example.com, has no
-- Supabase account and stays unlinked. Report r of a user has a generation
-- job in stage (r mod 4): queued (pending), writing (running), done
-- (completed), error (failed).
--
-- Needs an empty reports schema; the auth.users rows it adds must not exist.

INSERT INTO auth.users (instance_id, id, aud, role, email, email_confirmed_at, raw_app_meta_data, raw_user_meta_data, created_at, updated_at)
SELECT '00000000-0000-0000-0000-000000000000'::uuid, md5('reports-user-' || n)::uuid, 'authenticated', 'authenticated',
       'reports-user-' || n || '@example.com', timestamptz '2025-05-01 00:00:00+00' + n * interval '1 minute',
       '{"provider": "email", "providers": ["email"]}'::jsonb, '{}'::jsonb,
       timestamptz '2025-05-01 00:00:00+00' + n * interval '1 minute', timestamptz '2025-05-01 00:00:00+00' + n * interval '1 minute'
FROM generate_series(1, greatest({{users}}, 2)) AS n;

INSERT INTO reports.seydam_customuser (password, last_login, is_superuser, first_name, last_name, is_staff, is_active, date_joined, username, email)
SELECT 'pbkdf2_sha256$600000$demo$' || md5('reports-password-' || n), NULL::timestamptz, false, 'User', 'Number ' || n, false, true,
       timestamptz '2025-05-01 00:00:00+00' + n * interval '1 minute', 'user' || n, 'reports-user-' || n || '@example.com'
FROM generate_series(1, greatest({{users}}, 2)) AS n
UNION ALL
SELECT 'pbkdf2_sha256$600000$demo$legacy', NULL, false, 'Legacy', 'User', false, true, timestamptz '2024-01-01 00:00:00+00', 'legacy', 'legacy@example.com';

SELECT reports.link_customusers_to_auth();

CREATE TEMP TABLE _seed_report ON COMMIT DROP AS
SELECT md5('reports-report-' || ((u - 1) * {{reports_per_user}} + r))::uuid AS id, (u - 1) * {{reports_per_user}} + r AS k, r,
       c.id AS user_id,
       (ARRAY['pending', 'running', 'completed', 'failed'])[1 + r % 4] AS status,
       (ARRAY['queued', 'writing', 'done', 'error'])[1 + r % 4] AS stage,
       (ARRAY[0, 45, 100, 60])[1 + r % 4] AS progress
FROM generate_series(1, greatest({{users}}, 2)) AS u
JOIN reports.seydam_customuser c ON c.email = 'reports-user-' || u || '@example.com'
CROSS JOIN generate_series(1, greatest({{reports_per_user}}, 4)) AS r;

INSERT INTO reports.seydam_reports (id, report_topic, description, status, amounted_credits, used_credits, is_free, created_at, user_id)
SELECT id, 'Market study ' || k, 'A demo report on topic ' || k, status, 10, CASE WHEN status = 'completed' THEN 10 ELSE 0 END, r = 1,
       timestamptz '2025-05-02 00:00:00+00' + k * interval '5 minutes', user_id
FROM _seed_report;

INSERT INTO reports.seydam_reportjobid (job_id, status, attempts, last_checked, last_error, created_at, updated_at, stage, progress, report_id, user_id)
SELECT 'job-' || k, status, CASE WHEN status = 'failed' THEN 3 ELSE 1 END, timestamptz '2025-05-02 00:00:00+00' + k * interval '5 minutes',
       CASE WHEN status = 'failed' THEN 'model timeout' END,
       timestamptz '2025-05-02 00:00:00+00' + k * interval '5 minutes', timestamptz '2025-05-02 00:00:00+00' + k * interval '5 minutes',
       stage, progress, id, user_id
FROM _seed_report;

INSERT INTO reports.seydam_referencejobid (job_id, status, attempts, last_checked, last_error, created_at, updated_at, report_id, user_id)
SELECT 'refs-' || k, CASE WHEN status = 'pending' THEN 'pending' ELSE 'completed' END, 1, NULL, NULL,
       timestamptz '2025-05-02 00:00:00+00' + k * interval '5 minutes', timestamptz '2025-05-02 00:00:00+00' + k * interval '5 minutes', id, user_id
FROM _seed_report;

INSERT INTO reports.seydam_outline (outline, report_id, user_id)
SELECT jsonb_build_array('Introduction', 'Findings ' || k, 'Conclusion'), id, user_id FROM _seed_report WHERE status <> 'pending';

INSERT INTO reports.seydam_jsonreport (report_json, created_at, report_id, user_id)
SELECT jsonb_build_object('title', 'Market study ' || k, 'sections', 3), timestamptz '2025-05-03 00:00:00+00' + k * interval '5 minutes', id, user_id
FROM _seed_report WHERE status = 'completed';

INSERT INTO reports.seydam_rawhtmlcode (html, saved_at, report_id, user_id)
SELECT '<h1>Market study ' || k || '</h1>', timestamptz '2025-05-03 00:00:00+00' + k * interval '5 minutes', id, user_id
FROM _seed_report WHERE status = 'completed';

INSERT INTO reports.seydam_references (reference_list, report_id, user_id)
SELECT jsonb_build_array(jsonb_build_object('title', 'Source ' || k, 'url', 'https://example.com/' || k)), id, user_id
FROM _seed_report WHERE status IN ('running', 'completed');

INSERT INTO reports.seydam_reportdirectory (project_directory, project_id, user_id)
SELECT 'projects/' || k, id, user_id FROM _seed_report;

INSERT INTO reports.seydam_tokenusage (output_tokens, user_id)
SELECT 1000 + k * 17, user_id FROM _seed_report WHERE status = 'completed';

INSERT INTO reports.seydam_uploadedimage (description, image, uploaded_at, user_id)
SELECT 'Logo of user ' || c.username, 'uploads/' || c.username || '.png', timestamptz '2025-05-01 12:00:00+00', c.id
FROM reports.seydam_customuser c WHERE c.auth_user_id IS NOT NULL;

INSERT INTO reports.seydam_payment (reports_paid, last_reference, last_amount, last_status, created_at, updated_at, user_id)
SELECT 2, 'ref-' || c.username, 5000, 'success', timestamptz '2025-05-01 12:00:00+00', timestamptz '2025-05-01 12:00:00+00', c.id
FROM reports.seydam_customuser c WHERE c.auth_user_id IS NOT NULL;

INSERT INTO reports.seydam_surveyresponse (satisfaction_score, recommend_score, process_easy, process_feedback, met_expectations, most_valuable_feature, submitted_at, user_id)
SELECT 4, '9', true, NULL, true, 'references', timestamptz '2025-05-04 00:00:00+00', c.id
FROM reports.seydam_customuser c WHERE c.username = 'user1';

INSERT INTO reports.account_emailaddress (email, verified, "primary", user_id)
SELECT c.email, true, true, c.id FROM reports.seydam_customuser c;

INSERT INTO reports.seydam_emailotp (email, otp, created_at) VALUES ('reports-user-1@example.com', 482913, timestamptz '2025-05-01 00:01:00+00');
INSERT INTO reports.seydam_waitlist (email, created_at) VALUES ('waiting@example.com', timestamptz '2025-04-01 00:00:00+00');
INSERT INTO reports.seydam_contactus (name, email, subject, message, created_at)
VALUES ('Visitor', 'visitor@example.com', 'Pricing', 'How much is a report?', timestamptz '2025-04-02 00:00:00+00');

INSERT INTO reports.django_site (domain, name) VALUES ('reports.example.com', 'Reports');
INSERT INTO reports.django_content_type (app_label, model) VALUES ('seydam', 'reports'), ('seydam', 'customuser');
INSERT INTO reports.auth_permission (name, content_type_id, codename)
SELECT 'Can view ' || model, id, 'view_' || model FROM reports.django_content_type;
INSERT INTO reports.auth_group (name) VALUES ('editors');
INSERT INTO reports.socialaccount_socialapp (provider, name, client_id, secret, key, provider_id, settings)
VALUES ('google', 'Google', 'demo-client-id', 'demo-client-secret', '', '', '{}');
INSERT INTO reports.authtoken_token (key, created, user_id)
SELECT substr(md5('reports-token-' || c.id), 1, 40), timestamptz '2025-05-01 00:00:00+00', c.id FROM reports.seydam_customuser c WHERE c.username = 'user1';
INSERT INTO reports.django_migrations (app, name, applied) VALUES ('seydam', '0001_initial', timestamptz '2025-01-01 00:00:00+00');
