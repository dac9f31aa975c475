-- Course demo data, loaded by `quiver seed course` in one transaction.
--
-- Placeholders (substituted textually before the script runs):
--   {{users}}                      number of auth.users (at least 2)
--   {{conversations_per_user}}     conversations per user
--   {{messages_per_conversation}}  messages per conversation (user and assistant take turns)
--
-- Deterministic: ids are md5('course-<kind>-<number>')::uuid, timestamps are
-- timestamptz '2025-03-01 00:00:00+00' plus whole minutes, no random().
-- User n is course-user-n@example.com. User 1 redeemed the admin code
-- ADMIN-0001 and so is an admin; user 2 redeemed WELCOME-0002. Signup codes
-- in every state: used (admin and not), unused without expiry, unused valid
-- until 2099, expired in 2025.
--
-- Needs an empty course schema; the auth.users rows it adds must not exist.

INSERT INTO auth.users (instance_id, id, aud, role, email, email_confirmed_at, raw_app_meta_data, raw_user_meta_data, created_at, updated_at)
SELECT '00000000-0000-0000-0000-000000000000'::uuid, md5('course-user-' || n)::uuid, 'authenticated', 'authenticated',
       'course-user-' || n || '@example.com',
       timestamptz '2025-03-01 00:00:00+00' + n * interval '1 minute',
       '{"provider": "email", "providers": ["email"]}'::jsonb,
       jsonb_build_object('full_name', 'Course User ' || n),
       timestamptz '2025-03-01 00:00:00+00' + n * interval '1 minute',
       timestamptz '2025-03-01 00:00:00+00' + n * interval '1 minute'
FROM generate_series(1, greatest({{users}}, 2)) AS n;

INSERT INTO course.signup_codes (id, code, expires_at, used_by, used_at, created_by, created_at, is_admin) VALUES
  (md5('course-code-1')::uuid, 'ADMIN-0001', NULL, md5('course-user-1')::uuid, timestamptz '2025-03-01 00:10:00+00', NULL, timestamptz '2025-03-01 00:00:00+00', true),
  (md5('course-code-2')::uuid, 'WELCOME-0002', timestamptz '2099-01-01 00:00:00+00', md5('course-user-2')::uuid, timestamptz '2025-03-01 00:20:00+00', md5('course-user-1')::uuid, timestamptz '2025-03-01 00:05:00+00', false),
  (md5('course-code-3')::uuid, 'WELCOME-0003', NULL, NULL, NULL, md5('course-user-1')::uuid, timestamptz '2025-03-01 00:06:00+00', false),
  (md5('course-code-4')::uuid, 'WELCOME-0004', timestamptz '2099-01-01 00:00:00+00', NULL, NULL, md5('course-user-1')::uuid, timestamptz '2025-03-01 00:07:00+00', false),
  (md5('course-code-5')::uuid, 'EXPIRED-0005', timestamptz '2025-04-01 00:00:00+00', NULL, NULL, md5('course-user-1')::uuid, timestamptz '2025-03-01 00:08:00+00', false),
  (md5('course-code-6')::uuid, 'ADMIN-0006', timestamptz '2099-01-01 00:00:00+00', NULL, NULL, md5('course-user-1')::uuid, timestamptz '2025-03-01 00:09:00+00', true);

INSERT INTO course.conversations (id, user_id, title, created_at, updated_at, is_active)
SELECT md5('course-conversation-' || ((u - 1) * {{conversations_per_user}} + c))::uuid, md5('course-user-' || u)::uuid,
       'Question ' || c || ' of user ' || u,
       timestamptz '2025-03-02 00:00:00+00' + ((u - 1) * {{conversations_per_user}} + c) * interval '10 minutes',
       timestamptz '2025-03-02 00:00:00+00' + ((u - 1) * {{conversations_per_user}} + c) * interval '10 minutes',
       c % 4 <> 0
FROM generate_series(1, greatest({{users}}, 2)) AS u, generate_series(1, {{conversations_per_user}}) AS c;

INSERT INTO course.messages (id, conversation_id, role, content, metadata, created_at)
SELECT md5('course-message-' || (k - 1) * {{messages_per_conversation}} + m)::uuid,
       md5('course-conversation-' || k)::uuid,
       CASE WHEN m % 2 = 1 THEN 'user' ELSE 'assistant' END,
       CASE WHEN m % 2 = 1 THEN 'How do I pick a product to sell (' || m || ')?' ELSE 'Look for steady demand and low competition (' || m || ').' END,
       CASE WHEN m % 2 = 0 THEN jsonb_build_object('model', 'demo', 'tokens', 40 + m) END,
       timestamptz '2025-03-02 00:00:00+00' + k * interval '10 minutes' + m * interval '1 minute'
FROM generate_series(1, greatest({{users}}, 2) * {{conversations_per_user}}) AS k, generate_series(1, {{messages_per_conversation}}) AS m;

INSERT INTO course.usage_logs (id, user_id, question_text, response_time_ms, tokens_used, pinecone_results, created_at)
SELECT md5('course-usage-' || k)::uuid, c.user_id, 'Question of ' || c.title, 400 + (k * 37) % 900, 80 + (k * 13) % 300,
       jsonb_build_array(jsonb_build_object('id', 'lesson-' || k % 7, 'score', 0.9)), c.created_at
FROM (SELECT row_number() OVER (ORDER BY id) AS k, user_id, title, created_at FROM course.conversations) AS c;

INSERT INTO course.app_config (key, value, updated_at, updated_by) VALUES
  ('model', '{"name": "gpt-4o-mini", "temperature": 0.2}', timestamptz '2025-03-01 00:30:00+00', md5('course-user-1')::uuid),
  ('signup_required', 'true', timestamptz '2025-03-01 00:30:00+00', md5('course-user-1')::uuid),
  ('daily_question_limit', '50', timestamptz '2025-03-01 00:30:00+00', NULL);

-- Storage metadata (no blobs): a public bucket of course material owned by
-- user 1, and a private bucket per user with one upload each.
INSERT INTO storage.buckets (id, name, owner, public, created_at, updated_at) VALUES
  ('course-material', 'course-material', md5('course-user-1')::uuid, true, timestamptz '2025-03-01 00:00:00+00', timestamptz '2025-03-01 00:00:00+00');
INSERT INTO storage.buckets (id, name, owner, public, created_at, updated_at)
SELECT 'uploads-' || n, 'uploads-' || n, md5('course-user-' || n)::uuid, false, timestamptz '2025-03-01 00:00:00+00', timestamptz '2025-03-01 00:00:00+00'
FROM generate_series(1, greatest({{users}}, 2)) AS n;
INSERT INTO storage.objects (id, bucket_id, name, owner, metadata, created_at, updated_at, last_accessed_at) VALUES
  (md5('course-object-lesson-1')::uuid, 'course-material', 'lessons/01-intro.pdf', md5('course-user-1')::uuid,
   '{"size": 102400, "mimetype": "application/pdf"}', timestamptz '2025-03-01 00:00:00+00', timestamptz '2025-03-01 00:00:00+00', timestamptz '2025-03-01 00:00:00+00');
INSERT INTO storage.objects (id, bucket_id, name, owner, metadata, created_at, updated_at, last_accessed_at)
SELECT md5('course-object-upload-' || n)::uuid, 'uploads-' || n, 'notes/week-1.txt', md5('course-user-' || n)::uuid,
       '{"size": 2048, "mimetype": "text/plain"}', timestamptz '2025-03-01 00:00:00+00', timestamptz '2025-03-01 00:00:00+00', timestamptz '2025-03-01 00:00:00+00'
FROM generate_series(1, greatest({{users}}, 2)) AS n;
