-- Supabase's shared schemas (auth, storage, realtime, vault,
-- supabase_migrations) for a database Quiver owns: the private development
-- cluster, test databases, a fresh DATABASE_URL. The `course` and `reports`
-- apps sit on them (auth.users is their identity).
--
-- GUARD. In a real Supabase database these schemas already exist, belong to
-- Supabase, and Quiver must never touch them. The whole body therefore runs
-- only when there is no `auth` schema: `DO $guard$ ... IF NOT EXISTS (SELECT
-- FROM pg_namespace WHERE nspname = 'auth') THEN EXECUTE $ddl$ ... $ddl$`.
-- Where `auth` exists, this migration is recorded as applied and does nothing.
-- The schemas it creates carry the comment 'created by quiver', which is what
-- down.sql checks before dropping anything.
--
-- The structure is the union of seeds 000_9459aed8c2e95f5f (newer GoTrue and
-- storage: oauth_*, webauthn columns, buckets_analytics, buckets_vectors,
-- prefixes, vector_indexes) and 002_f5b241ada8d418e2 (vault.secrets,
-- supabase_migrations.schema_migrations): 34 tables, 291 columns, as
-- tests/fixtures/seeds/supabase.tsv writes them down.
--   * Generated columns with 000's expressions: auth.users.confirmed_at,
--     auth.identities.email, storage.objects.path_tokens,
--     storage.prefixes.level, realtime.subscription.claims_role.
--   * Enum values as 002 lists them. Neither seed lists the oauth_* enums or
--     storage.buckettype; chosen from the defaults the seed shows and GoTrue /
--     storage's own values: oauth_authorization_status (pending, approved,
--     denied, expired), oauth_client_type (public, confidential),
--     oauth_registration_type (dynamic, manual), oauth_response_type (code),
--     buckettype (STANDARD, ANALYTICS, VECTOR).
--   * Keys stated by only one seed are taken in the stricter form (002's
--     UNIQUE on auth.users.phone, refresh_tokens.token, mfa_factors
--     .last_challenged_at, saml_providers.entity_id, storage.migrations.name,
--     supabase_migrations idempotency_key; 000's primary keys and CHECKs).
--     Beyond the seeds, Supabase's own keys: storage.prefixes primary key
--     (bucket_id, level, name), storage.objects unique (bucket_id, name),
--     auth.identities unique (provider_id, provider), vault.secrets unique name.
--   * Foreign keys: exactly the seeds' (25), each with an index led by it.
--     Auth rows hanging off a user, session, factor or provider go with it
--     (ON DELETE CASCADE, as GoTrue declares them); storage references are
--     NO ACTION (an object is never dropped silently with its bucket), except
--     multipart parts, which go with their upload.
--   * realtime.messages is range-partitioned on inserted_at with primary key
--     (inserted_at, id) (000 states both; 002's key (id) cannot hold on a
--     partitioned table), with a DEFAULT partition so any insert has a home.
--   * refresh_tokens.id is bigserial and realtime.subscription.id an identity,
--     as in Supabase (the seeds show a sequence default / no default).
--   * Columns 000 gives COLLATE "C" keep it (object, prefix, upload and
--     vector-index names and keys).
--
-- Functions the seeds use but do not define, minimal faithful versions:
--   * realtime.to_regrole(text) -> regrole: the role named, as `::regrole`
--     casts it (an unknown role is an error, as in Supabase).
--   * storage.get_level(text) -> int: the number of '/'-separated parts of
--     an object name.
--   * vault._crypto_aead_det_noncegen() -> bytea: 16 random bytes (Supabase
--     takes them from pgsodium; here from gen_random_uuid()'s strong random
--     source, so no extension is needed).
--   * realtime.user_defined_filter, the composite type of subscription
--     filters: (column_name text, op text, value text). Supabase types `op`
--     as the enum realtime.equality_op, which neither seed lists; text keeps
--     the schema's enums exactly the seed's.
-- Secrets (write-only through any API): auth.users.encrypted_password and
-- every *_token, auth.sessions.refresh_token_hmac_key,
-- auth.one_time_tokens.token_hash, auth.mfa_factors.secret,
-- auth.mfa_challenges.otp_code, auth.flow_state.provider_access_token /
-- provider_refresh_token, auth.oauth_clients.client_secret_hash,
-- auth.oauth_authorizations.authorization_code,
-- auth.oauth_client_states.code_verifier, auth.refresh_tokens.token,
-- vault.secrets.secret.
-- These tables get no change capture: they are shared by several apps and
-- written by Supabase's services, not through Quiver.
DO $guard$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_namespace WHERE nspname = 'auth') THEN
    EXECUTE $ddl$
    CREATE SCHEMA auth;
    CREATE SCHEMA storage;
    CREATE SCHEMA realtime;
    CREATE SCHEMA vault;
    CREATE SCHEMA supabase_migrations;
    COMMENT ON SCHEMA auth IS 'created by quiver';
    COMMENT ON SCHEMA storage IS 'created by quiver';
    COMMENT ON SCHEMA realtime IS 'created by quiver';
    COMMENT ON SCHEMA vault IS 'created by quiver';
    COMMENT ON SCHEMA supabase_migrations IS 'created by quiver';

    -- Not defined by the seeds (see the header).
    CREATE FUNCTION realtime.to_regrole(role_name text) RETURNS regrole
      LANGUAGE sql IMMUTABLE AS $f$ SELECT role_name::regrole $f$;
    CREATE FUNCTION storage.get_level(name text) RETURNS integer
      LANGUAGE sql IMMUTABLE STRICT AS $f$ SELECT array_length(string_to_array(name, '/'), 1) $f$;
    CREATE FUNCTION vault._crypto_aead_det_noncegen() RETURNS bytea
      LANGUAGE sql VOLATILE AS $f$ SELECT decode(replace(gen_random_uuid()::text, '-', ''), 'hex') $f$;
    CREATE TYPE realtime.user_defined_filter AS (column_name text, op text, value text);

    CREATE TYPE auth.aal_level AS ENUM ('aal1', 'aal2', 'aal3');
    CREATE TYPE auth.code_challenge_method AS ENUM ('s256', 'plain');
    CREATE TYPE auth.factor_status AS ENUM ('unverified', 'verified');
    CREATE TYPE auth.factor_type AS ENUM ('totp', 'webauthn', 'phone');
    CREATE TYPE auth.oauth_authorization_status AS ENUM ('pending', 'approved', 'denied', 'expired');
    CREATE TYPE auth.oauth_client_type AS ENUM ('public', 'confidential');
    CREATE TYPE auth.oauth_registration_type AS ENUM ('dynamic', 'manual');
    CREATE TYPE auth.oauth_response_type AS ENUM ('code');
    CREATE TYPE auth.one_time_token_type AS ENUM ('confirmation_token', 'reauthentication_token', 'recovery_token', 'email_change_token_new', 'email_change_token_current', 'phone_change_token');
    CREATE TYPE storage.buckettype AS ENUM ('STANDARD', 'ANALYTICS', 'VECTOR');
    CREATE TABLE auth.audit_log_entries (
        instance_id uuid,
        id uuid NOT NULL,
        payload json,
        created_at timestamptz,
        ip_address varchar(64) DEFAULT ''::character varying NOT NULL,
        PRIMARY KEY (id)
    );
    CREATE TABLE auth.flow_state (
        id uuid NOT NULL,
        user_id uuid,
        auth_code text NOT NULL,
        code_challenge_method auth.code_challenge_method NOT NULL,
        code_challenge text NOT NULL,
        provider_type text NOT NULL,
        provider_access_token text,
        provider_refresh_token text,
        created_at timestamptz,
        updated_at timestamptz,
        authentication_method text NOT NULL,
        auth_code_issued_at timestamptz,
        PRIMARY KEY (id)
    );
    CREATE TABLE auth.identities (
        provider_id text NOT NULL,
        user_id uuid NOT NULL,
        identity_data jsonb NOT NULL,
        provider text NOT NULL,
        last_sign_in_at timestamptz,
        created_at timestamptz,
        updated_at timestamptz,
        email text GENERATED ALWAYS AS (lower((identity_data ->> 'email'::text))) STORED,
        id uuid DEFAULT gen_random_uuid() NOT NULL,
        PRIMARY KEY (id)
    );
    CREATE TABLE auth.instances (
        id uuid NOT NULL,
        uuid uuid,
        raw_base_config text,
        created_at timestamptz,
        updated_at timestamptz,
        PRIMARY KEY (id)
    );
    CREATE TABLE auth.mfa_amr_claims (
        session_id uuid NOT NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        authentication_method text NOT NULL,
        id uuid NOT NULL,
        PRIMARY KEY (id)
    );
    CREATE TABLE auth.mfa_challenges (
        id uuid NOT NULL,
        factor_id uuid NOT NULL,
        created_at timestamptz NOT NULL,
        verified_at timestamptz,
        ip_address inet NOT NULL,
        otp_code text,
        web_authn_session_data jsonb,
        PRIMARY KEY (id)
    );
    CREATE TABLE auth.mfa_factors (
        id uuid NOT NULL,
        user_id uuid NOT NULL,
        friendly_name text,
        factor_type auth.factor_type NOT NULL,
        status auth.factor_status NOT NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        secret text,
        phone text,
        last_challenged_at timestamptz,
        web_authn_credential jsonb,
        web_authn_aaguid uuid,
        last_webauthn_challenge_data jsonb,
        PRIMARY KEY (id),
        UNIQUE (last_challenged_at)
    );
    CREATE TABLE auth.oauth_authorizations (
        id uuid NOT NULL,
        authorization_id text NOT NULL,
        client_id uuid NOT NULL,
        user_id uuid,
        redirect_uri text NOT NULL,
        scope text NOT NULL,
        state text,
        resource text,
        code_challenge text,
        code_challenge_method auth.code_challenge_method,
        response_type auth.oauth_response_type DEFAULT 'code'::auth.oauth_response_type NOT NULL,
        status auth.oauth_authorization_status DEFAULT 'pending'::auth.oauth_authorization_status NOT NULL,
        authorization_code text,
        created_at timestamptz DEFAULT now() NOT NULL,
        expires_at timestamptz DEFAULT (now() + '00:03:00'::interval) NOT NULL,
        approved_at timestamptz,
        nonce text,
        PRIMARY KEY (id)
    );
    CREATE TABLE auth.oauth_client_states (
        id uuid NOT NULL,
        provider_type text NOT NULL,
        code_verifier text,
        created_at timestamptz NOT NULL,
        PRIMARY KEY (id)
    );
    CREATE TABLE auth.oauth_clients (
        id uuid NOT NULL,
        client_secret_hash text,
        registration_type auth.oauth_registration_type NOT NULL,
        redirect_uris text NOT NULL,
        grant_types text NOT NULL,
        client_name text,
        client_uri text,
        logo_uri text,
        created_at timestamptz DEFAULT now() NOT NULL,
        updated_at timestamptz DEFAULT now() NOT NULL,
        deleted_at timestamptz,
        client_type auth.oauth_client_type DEFAULT 'confidential'::auth.oauth_client_type NOT NULL,
        PRIMARY KEY (id)
    );
    CREATE TABLE auth.oauth_consents (
        id uuid NOT NULL,
        user_id uuid NOT NULL,
        client_id uuid NOT NULL,
        scopes text NOT NULL,
        granted_at timestamptz DEFAULT now() NOT NULL,
        revoked_at timestamptz,
        PRIMARY KEY (id)
    );
    CREATE TABLE auth.one_time_tokens (
        id uuid NOT NULL,
        user_id uuid NOT NULL,
        token_type auth.one_time_token_type NOT NULL,
        token_hash text NOT NULL,
        relates_to text NOT NULL,
        created_at timestamp DEFAULT now() NOT NULL,
        updated_at timestamp DEFAULT now() NOT NULL,
        PRIMARY KEY (id),
        CHECK (char_length(token_hash) > 0)
    );
    CREATE TABLE auth.refresh_tokens (
        instance_id uuid,
        id bigserial NOT NULL,
        token varchar(255),
        user_id varchar(255),
        revoked boolean,
        created_at timestamptz,
        updated_at timestamptz,
        parent varchar(255),
        session_id uuid,
        PRIMARY KEY (id),
        UNIQUE (token)
    );
    CREATE TABLE auth.saml_providers (
        id uuid NOT NULL,
        sso_provider_id uuid NOT NULL,
        entity_id text NOT NULL,
        metadata_xml text NOT NULL,
        metadata_url text,
        attribute_mapping jsonb,
        created_at timestamptz,
        updated_at timestamptz,
        name_id_format text,
        PRIMARY KEY (id),
        UNIQUE (entity_id),
        CHECK (char_length(entity_id) > 0),
        CHECK (char_length(metadata_xml) > 0),
        CHECK (char_length(metadata_url) > 0)
    );
    CREATE TABLE auth.saml_relay_states (
        id uuid NOT NULL,
        sso_provider_id uuid NOT NULL,
        request_id text NOT NULL,
        for_email text,
        redirect_to text,
        created_at timestamptz,
        updated_at timestamptz,
        flow_state_id uuid,
        PRIMARY KEY (id),
        CHECK (char_length(request_id) > 0)
    );
    CREATE TABLE auth.schema_migrations (
        version varchar(255) NOT NULL,
        PRIMARY KEY (version)
    );
    CREATE TABLE auth.sessions (
        id uuid NOT NULL,
        user_id uuid NOT NULL,
        created_at timestamptz,
        updated_at timestamptz,
        factor_id uuid,
        aal auth.aal_level,
        not_after timestamptz,
        refreshed_at timestamp,
        user_agent text,
        ip inet,
        tag text,
        oauth_client_id uuid,
        refresh_token_hmac_key text,
        refresh_token_counter bigint,
        scopes text,
        PRIMARY KEY (id)
    );
    CREATE TABLE auth.sso_domains (
        id uuid NOT NULL,
        sso_provider_id uuid NOT NULL,
        domain text NOT NULL,
        created_at timestamptz,
        updated_at timestamptz,
        PRIMARY KEY (id),
        CHECK (char_length(domain) > 0)
    );
    CREATE TABLE auth.sso_providers (
        id uuid NOT NULL,
        resource_id text,
        created_at timestamptz,
        updated_at timestamptz,
        disabled boolean,
        PRIMARY KEY (id),
        CHECK (char_length(resource_id) > 0)
    );
    CREATE TABLE auth.users (
        instance_id uuid,
        id uuid NOT NULL,
        aud varchar(255),
        role varchar(255),
        email varchar(255),
        encrypted_password varchar(255),
        email_confirmed_at timestamptz,
        invited_at timestamptz,
        confirmation_token varchar(255),
        confirmation_sent_at timestamptz,
        recovery_token varchar(255),
        recovery_sent_at timestamptz,
        email_change_token_new varchar(255),
        email_change varchar(255),
        email_change_sent_at timestamptz,
        last_sign_in_at timestamptz,
        raw_app_meta_data jsonb,
        raw_user_meta_data jsonb,
        is_super_admin boolean,
        created_at timestamptz,
        updated_at timestamptz,
        phone text DEFAULT NULL::character varying,
        phone_confirmed_at timestamptz,
        phone_change text DEFAULT ''::character varying,
        phone_change_token varchar(255) DEFAULT ''::character varying,
        phone_change_sent_at timestamptz,
        confirmed_at timestamptz GENERATED ALWAYS AS (LEAST(email_confirmed_at, phone_confirmed_at)) STORED,
        email_change_token_current varchar(255) DEFAULT ''::character varying,
        email_change_confirm_status smallint DEFAULT 0,
        banned_until timestamptz,
        reauthentication_token varchar(255) DEFAULT ''::character varying,
        reauthentication_sent_at timestamptz,
        is_sso_user boolean DEFAULT false NOT NULL,
        deleted_at timestamptz,
        is_anonymous boolean DEFAULT false NOT NULL,
        PRIMARY KEY (id),
        UNIQUE (phone),
        CHECK (email_change_confirm_status >= 0 AND email_change_confirm_status <= 2)
    );
    CREATE TABLE realtime.messages (
        topic text NOT NULL,
        extension text NOT NULL,
        payload jsonb,
        event text,
        private boolean DEFAULT false,
        updated_at timestamp DEFAULT now() NOT NULL,
        inserted_at timestamp DEFAULT now() NOT NULL,
        id uuid DEFAULT gen_random_uuid() NOT NULL,
        PRIMARY KEY (inserted_at, id)
    ) PARTITION BY RANGE (inserted_at);
    -- TODO [['@partition', 'realtime', 'messages', 'RANGE (inserted_at)']]
    CREATE TABLE realtime.schema_migrations (
        version bigint NOT NULL,
        inserted_at timestamp,
        PRIMARY KEY (version)
    );
    CREATE TABLE realtime.subscription (
        id bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
        subscription_id uuid NOT NULL,
        entity regclass NOT NULL,
        filters realtime.user_defined_filter[] DEFAULT '{}'::realtime.user_defined_filter[] NOT NULL,
        claims jsonb NOT NULL,
        claims_role regrole GENERATED ALWAYS AS (realtime.to_regrole((claims ->> 'role'::text))) STORED NOT NULL,
        created_at timestamp DEFAULT timezone('utc'::text, now()) NOT NULL,
        PRIMARY KEY (id)
    );
    CREATE TABLE storage.buckets (
        id text NOT NULL,
        name text NOT NULL,
        owner uuid,
        created_at timestamptz DEFAULT now(),
        updated_at timestamptz DEFAULT now(),
        public boolean DEFAULT false,
        avif_autodetection boolean DEFAULT false,
        file_size_limit bigint,
        allowed_mime_types text[],
        owner_id text,
        type storage.buckettype DEFAULT 'STANDARD'::storage.buckettype NOT NULL,
        PRIMARY KEY (id)
    );
    CREATE TABLE storage.buckets_analytics (
        name text NOT NULL,
        type storage.buckettype DEFAULT 'ANALYTICS'::storage.buckettype NOT NULL,
        format text DEFAULT 'ICEBERG'::text NOT NULL,
        created_at timestamptz DEFAULT now() NOT NULL,
        updated_at timestamptz DEFAULT now() NOT NULL,
        id uuid DEFAULT gen_random_uuid() NOT NULL,
        deleted_at timestamptz,
        PRIMARY KEY (id)
    );
    CREATE TABLE storage.buckets_vectors (
        id text NOT NULL,
        type storage.buckettype DEFAULT 'VECTOR'::storage.buckettype NOT NULL,
        created_at timestamptz DEFAULT now() NOT NULL,
        updated_at timestamptz DEFAULT now() NOT NULL,
        PRIMARY KEY (id)
    );
    CREATE TABLE storage.migrations (
        id integer NOT NULL,
        name varchar(100) NOT NULL,
        hash varchar(40) NOT NULL,
        executed_at timestamp DEFAULT CURRENT_TIMESTAMP,
        PRIMARY KEY (id),
        UNIQUE (name)
    );
    CREATE TABLE storage.objects (
        id uuid DEFAULT gen_random_uuid() NOT NULL,
        bucket_id text,
        name text COLLATE "C",
        owner uuid,
        created_at timestamptz DEFAULT now(),
        updated_at timestamptz DEFAULT now(),
        last_accessed_at timestamptz DEFAULT now(),
        metadata jsonb,
        path_tokens text[] GENERATED ALWAYS AS (string_to_array(name, '/'::text)) STORED,
        version text,
        owner_id text,
        user_metadata jsonb,
        level integer,
        PRIMARY KEY (id)
    );
    CREATE TABLE storage.prefixes (
        bucket_id text NOT NULL,
        name text COLLATE "C" NOT NULL,
        level integer GENERATED ALWAYS AS (storage.get_level(name)) STORED NOT NULL,
        created_at timestamptz DEFAULT now(),
        updated_at timestamptz DEFAULT now(),
        PRIMARY KEY (bucket_id, level, name)
    );
    CREATE TABLE storage.s3_multipart_uploads (
        id text NOT NULL,
        in_progress_size bigint DEFAULT 0 NOT NULL,
        upload_signature text NOT NULL,
        bucket_id text NOT NULL,
        key text COLLATE "C" NOT NULL,
        version text NOT NULL,
        owner_id text,
        created_at timestamptz DEFAULT now() NOT NULL,
        user_metadata jsonb,
        PRIMARY KEY (id)
    );
    CREATE TABLE storage.s3_multipart_uploads_parts (
        id uuid DEFAULT gen_random_uuid() NOT NULL,
        upload_id text NOT NULL,
        size bigint DEFAULT 0 NOT NULL,
        part_number integer NOT NULL,
        bucket_id text NOT NULL,
        key text COLLATE "C" NOT NULL,
        etag text NOT NULL,
        owner_id text,
        version text NOT NULL,
        created_at timestamptz DEFAULT now() NOT NULL,
        PRIMARY KEY (id)
    );
    CREATE TABLE storage.vector_indexes (
        id text DEFAULT gen_random_uuid() NOT NULL,
        name text COLLATE "C" NOT NULL,
        bucket_id text NOT NULL,
        data_type text NOT NULL,
        dimension integer NOT NULL,
        distance_metric text NOT NULL,
        metadata_configuration jsonb,
        created_at timestamptz DEFAULT now() NOT NULL,
        updated_at timestamptz DEFAULT now() NOT NULL,
        PRIMARY KEY (id)
    );
    CREATE TABLE vault.secrets (
        id uuid DEFAULT gen_random_uuid() NOT NULL,
        name text,
        description text DEFAULT '' NOT NULL,
        secret text NOT NULL,
        key_id uuid,
        nonce bytea DEFAULT vault._crypto_aead_det_noncegen(),
        created_at timestamptz DEFAULT CURRENT_TIMESTAMP NOT NULL,
        updated_at timestamptz DEFAULT CURRENT_TIMESTAMP NOT NULL,
        PRIMARY KEY (id)
    );
    CREATE TABLE supabase_migrations.schema_migrations (
        version text NOT NULL,
        statements text[],
        name text,
        created_by text,
        idempotency_key text,
        UNIQUE (idempotency_key),
        PRIMARY KEY (version)
    );

    ALTER TABLE auth.identities ADD FOREIGN KEY (user_id) REFERENCES auth.users (id) ON DELETE CASCADE;
    CREATE INDEX identities_user_id_idx ON auth.identities (user_id);
    ALTER TABLE auth.mfa_amr_claims ADD FOREIGN KEY (session_id) REFERENCES auth.sessions (id) ON DELETE CASCADE;
    CREATE INDEX mfa_amr_claims_session_id_idx ON auth.mfa_amr_claims (session_id);
    ALTER TABLE auth.mfa_challenges ADD FOREIGN KEY (factor_id) REFERENCES auth.mfa_factors (id) ON DELETE CASCADE;
    CREATE INDEX mfa_challenges_factor_id_idx ON auth.mfa_challenges (factor_id);
    ALTER TABLE auth.mfa_factors ADD FOREIGN KEY (user_id) REFERENCES auth.users (id) ON DELETE CASCADE;
    CREATE INDEX mfa_factors_user_id_idx ON auth.mfa_factors (user_id);
    ALTER TABLE auth.oauth_authorizations ADD FOREIGN KEY (client_id) REFERENCES auth.oauth_clients (id) ON DELETE CASCADE;
    CREATE INDEX oauth_authorizations_client_id_idx ON auth.oauth_authorizations (client_id);
    ALTER TABLE auth.oauth_authorizations ADD FOREIGN KEY (user_id) REFERENCES auth.users (id) ON DELETE CASCADE;
    CREATE INDEX oauth_authorizations_user_id_idx ON auth.oauth_authorizations (user_id);
    ALTER TABLE auth.oauth_consents ADD FOREIGN KEY (user_id) REFERENCES auth.users (id) ON DELETE CASCADE;
    CREATE INDEX oauth_consents_user_id_idx ON auth.oauth_consents (user_id);
    ALTER TABLE auth.oauth_consents ADD FOREIGN KEY (client_id) REFERENCES auth.oauth_clients (id) ON DELETE CASCADE;
    CREATE INDEX oauth_consents_client_id_idx ON auth.oauth_consents (client_id);
    ALTER TABLE auth.one_time_tokens ADD FOREIGN KEY (user_id) REFERENCES auth.users (id) ON DELETE CASCADE;
    CREATE INDEX one_time_tokens_user_id_idx ON auth.one_time_tokens (user_id);
    ALTER TABLE auth.refresh_tokens ADD FOREIGN KEY (session_id) REFERENCES auth.sessions (id) ON DELETE CASCADE;
    CREATE INDEX refresh_tokens_session_id_idx ON auth.refresh_tokens (session_id);
    ALTER TABLE auth.saml_providers ADD FOREIGN KEY (sso_provider_id) REFERENCES auth.sso_providers (id) ON DELETE CASCADE;
    CREATE INDEX saml_providers_sso_provider_id_idx ON auth.saml_providers (sso_provider_id);
    ALTER TABLE auth.saml_relay_states ADD FOREIGN KEY (sso_provider_id) REFERENCES auth.sso_providers (id) ON DELETE CASCADE;
    CREATE INDEX saml_relay_states_sso_provider_id_idx ON auth.saml_relay_states (sso_provider_id);
    ALTER TABLE auth.saml_relay_states ADD FOREIGN KEY (flow_state_id) REFERENCES auth.flow_state (id) ON DELETE CASCADE;
    CREATE INDEX saml_relay_states_flow_state_id_idx ON auth.saml_relay_states (flow_state_id);
    ALTER TABLE auth.sessions ADD FOREIGN KEY (user_id) REFERENCES auth.users (id) ON DELETE CASCADE;
    CREATE INDEX sessions_user_id_idx ON auth.sessions (user_id);
    ALTER TABLE auth.sessions ADD FOREIGN KEY (oauth_client_id) REFERENCES auth.oauth_clients (id) ON DELETE CASCADE;
    CREATE INDEX sessions_oauth_client_id_idx ON auth.sessions (oauth_client_id);
    ALTER TABLE auth.sso_domains ADD FOREIGN KEY (sso_provider_id) REFERENCES auth.sso_providers (id) ON DELETE CASCADE;
    CREATE INDEX sso_domains_sso_provider_id_idx ON auth.sso_domains (sso_provider_id);
    ALTER TABLE storage.objects ADD FOREIGN KEY (bucket_id) REFERENCES storage.buckets (id);
    CREATE UNIQUE INDEX bucketid_objname ON storage.objects (bucket_id, name);
    ALTER TABLE storage.s3_multipart_uploads ADD FOREIGN KEY (bucket_id) REFERENCES storage.buckets (id);
    CREATE INDEX s3_multipart_uploads_bucket_id_idx ON storage.s3_multipart_uploads (bucket_id);
    ALTER TABLE storage.s3_multipart_uploads_parts ADD FOREIGN KEY (upload_id) REFERENCES storage.s3_multipart_uploads (id) ON DELETE CASCADE;
    CREATE INDEX s3_multipart_uploads_parts_upload_id_idx ON storage.s3_multipart_uploads_parts (upload_id);
    ALTER TABLE storage.s3_multipart_uploads_parts ADD FOREIGN KEY (bucket_id) REFERENCES storage.buckets (id);
    CREATE INDEX s3_multipart_uploads_parts_bucket_id_idx ON storage.s3_multipart_uploads_parts (bucket_id);
    ALTER TABLE storage.vector_indexes ADD FOREIGN KEY (bucket_id) REFERENCES storage.buckets_vectors (id);
    CREATE INDEX vector_indexes_bucket_id_idx ON storage.vector_indexes (bucket_id);

    CREATE TABLE realtime.messages_default PARTITION OF realtime.messages DEFAULT;
    CREATE UNIQUE INDEX identities_provider_id_provider_unique ON auth.identities (provider_id, provider);
    CREATE UNIQUE INDEX secrets_name_idx ON vault.secrets (name) WHERE name IS NOT NULL;
    CREATE INDEX users_email_idx ON auth.users (email);
    CREATE INDEX objects_owner_idx ON storage.objects (owner);
    $ddl$;
  END IF;
END
$guard$;
