-- Course app schema (seed 002_f5b241ada8d418e2, its `public` tables): an
-- AI course assistant's conversations and messages, usage logs, runtime
-- configuration and invitation (signup) codes. Identity is Supabase's
-- auth.users (migration 2026-12-01-000010_supabase_shared creates it where
-- Quiver owns the database; a Supabase database has it already).
--
--   * Columns in seed order with the seed's types (its `varchar` without a
--     length is text), nullability and defaults.
--   * messages.role: the seed's `CHECK ('user' OR 'assistant')` is not a
--     valid constraint; it is the real one, `role IN ('user', 'assistant')`,
--     which the API exposes as an enum.
--   * Foreign keys are the seed's, with the ON DELETE each needs: a user's
--     conversations, messages and usage go with the user (CASCADE); who used,
--     created or last changed a code or setting is history (SET NULL).
--     Every foreign key has an index led by it.
--   * conversations.updated_at and app_config.updated_at are kept by
--     quiver.set_updated_at().
--   * Admins: a user who redeemed a signup code with is_admin = true (see
--     src/apps/course/mod.rs). idx_signup_codes_used_by_admin finds them.
CREATE SCHEMA course;

CREATE TABLE course.signup_codes (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    code text NOT NULL,
    expires_at timestamptz,
    used_by uuid,
    used_at timestamptz,
    created_by uuid,
    created_at timestamptz DEFAULT now(),
    is_admin boolean DEFAULT false,
    CONSTRAINT signup_codes_pkey PRIMARY KEY (id),
    CONSTRAINT signup_codes_code_key UNIQUE (code)
);

CREATE TABLE course.conversations (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    user_id uuid NOT NULL,
    title text,
    created_at timestamptz DEFAULT now(),
    updated_at timestamptz DEFAULT now(),
    is_active boolean DEFAULT true,
    CONSTRAINT conversations_pkey PRIMARY KEY (id)
);

CREATE TABLE course.messages (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    conversation_id uuid NOT NULL,
    role text NOT NULL,
    content text NOT NULL,
    metadata jsonb,
    created_at timestamptz DEFAULT now(),
    CONSTRAINT messages_pkey PRIMARY KEY (id),
    CONSTRAINT messages_role_check CHECK (role IN ('user', 'assistant'))
);

CREATE TABLE course.usage_logs (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    user_id uuid NOT NULL,
    question_text text,
    response_time_ms integer,
    tokens_used integer,
    pinecone_results jsonb,
    created_at timestamptz DEFAULT now(),
    CONSTRAINT usage_logs_pkey PRIMARY KEY (id)
);

CREATE TABLE course.app_config (
    key text NOT NULL,
    value jsonb,
    updated_at timestamptz DEFAULT now(),
    updated_by uuid,
    CONSTRAINT app_config_pkey PRIMARY KEY (key)
);

ALTER TABLE course.signup_codes ADD CONSTRAINT fk_signup_codes_used_by FOREIGN KEY (used_by) REFERENCES auth.users (id) ON DELETE SET NULL;
ALTER TABLE course.signup_codes ADD CONSTRAINT fk_signup_codes_created_by FOREIGN KEY (created_by) REFERENCES auth.users (id) ON DELETE SET NULL;
ALTER TABLE course.conversations ADD CONSTRAINT fk_conversations_user_id FOREIGN KEY (user_id) REFERENCES auth.users (id) ON DELETE CASCADE;
ALTER TABLE course.messages ADD CONSTRAINT fk_messages_conversation_id FOREIGN KEY (conversation_id) REFERENCES course.conversations (id) ON DELETE CASCADE;
ALTER TABLE course.usage_logs ADD CONSTRAINT fk_usage_logs_user_id FOREIGN KEY (user_id) REFERENCES auth.users (id) ON DELETE CASCADE;
ALTER TABLE course.app_config ADD CONSTRAINT fk_app_config_updated_by FOREIGN KEY (updated_by) REFERENCES auth.users (id) ON DELETE SET NULL;

CREATE INDEX idx_signup_codes_used_by_admin ON course.signup_codes (used_by, is_admin);
CREATE INDEX idx_signup_codes_created_by ON course.signup_codes (created_by);
CREATE INDEX idx_conversations_user_id ON course.conversations (user_id, updated_at);
CREATE INDEX idx_messages_conversation_id ON course.messages (conversation_id, created_at);
CREATE INDEX idx_usage_logs_user_id ON course.usage_logs (user_id, created_at);
CREATE INDEX idx_app_config_updated_by ON course.app_config (updated_by);

CREATE TRIGGER set_updated_at BEFORE UPDATE ON course.conversations FOR EACH ROW EXECUTE FUNCTION quiver.set_updated_at();
CREATE TRIGGER set_updated_at BEFORE UPDATE ON course.app_config FOR EACH ROW EXECUTE FUNCTION quiver.set_updated_at();
