//! The `course` app (seed 002): an AI course assistant on Supabase —
//! conversations of a user with the assistant and their messages, usage logs,
//! runtime configuration (`app_config`) and invitation codes
//! (`signup_codes`). The seed's `public` tables live in the `course` schema;
//! identity is Supabase's `auth.users` (a token's `sub` is `auth.users.id`),
//! and file metadata is Supabase's `storage.buckets` / `storage.objects`,
//! declared here as tables of other schemas (`include`: shared, so they get
//! no change capture).
//!
//! Admins: a user is `admin` when they redeemed a signup code with
//! `is_admin = true` ([`admin`], resolved per request). There is no other
//! admin flag in the seed; Supabase's `is_super_admin` is GoTrue's own and is
//! not used.
//!
//! Row rules:
//! - conversations, messages (through their conversation) and usage logs
//!   are their owner's (`user_id`); admins also read every usage log;
//! - `app_config` is read by every signed-in user, written by admins;
//! - `signup_codes` are read and written by admins; a user reads the code
//!   they redeemed. Anyone signed in redeems a code with
//!   `redeemSignupCode(code)` ([`domain`]), which knows the code, not the row;
//! - `auth.users` is the service's; a signed-in user reads their own row,
//!   without its secrets (the password hash and every token are write-only);
//! - `storage.buckets`: a public bucket is readable by anyone, a bucket is
//!   its owner's to write; `storage.objects`: readable by its owner and by
//!   whoever can read its bucket (public buckets), written by its owner.
//!
//! `conversationMessages(conversationId, after)` streams a conversation's
//! new messages in commit order, resumable from a cursor.

pub mod admin;
pub mod domain;
#[rustfmt::skip]
pub mod structure;

use super::AppDef;
use crate::catalog::{rel, topic, write_only, AppDecl, Rule::*, TableDecl, Watch};
use crate::db::demo::{DemoData, DemoUser};
use crate::graphql::DomainMutation;

/// The course app, as registered in [`super::APPS`].
pub static APP: AppDef = AppDef::new(
    &DECL,
    &[DomainMutation { name: "redeemSignupCode", field: domain::redeem_signup_code }],
    Some(admin::resolver),
    Some(DemoData {
        script: include_str!("seed.sql"),
        defaults: SEED_DEFAULTS,
        bench: SEED_BENCH,
        guard_table: "conversations",
        users: DEMO_USERS,
    }),
);

/// The course app's declarations.
pub const DECL: AppDecl = AppDecl {
    name: "course",
    tables: &[AUTH_USERS, STORAGE_BUCKETS, STORAGE_OBJECTS, SIGNUP_CODES, CONVERSATIONS, MESSAGES, USAGE_LOGS, APP_CONFIG],
    structure: structure::ALL,
    include: &["auth.users", "storage.buckets", "storage.objects"],
    watches: &[Watch {
        field: "conversationMessages",
        table: "messages",
        column: "conversation_id",
        events: &["INSERT"],
        until: None,
        description: "New messages of one conversation, in commit order; pass the last cursor as `after` to resume.",
    }],
    api_keys: None,
    // A conversation's topic is its owner's (several devices, typing state).
    topics: &[topic("conversation", "conversations")],
};

/// Supabase's users (shared `auth` schema): the service's; a user reads their own row.
pub const AUTH_USERS: TableDecl = TableDecl::new(&structure::AUTH_USERS)
    .secrets(&[
        write_only("encrypted_password"),
        write_only("confirmation_token"),
        write_only("recovery_token"),
        write_only("email_change_token_new"),
        write_only("email_change_token_current"),
        write_only("phone_change_token"),
        write_only("reauthentication_token"),
    ])
    .rules(Owner("id"), ServiceOnly)
    .describe("Supabase Auth users (auth.users): the identity a token's `sub` names.");

/// Storage buckets (shared `storage` schema).
pub const STORAGE_BUCKETS: TableDecl = TableDecl::new(&structure::STORAGE_BUCKETS)
    .rules(AnyOf(&[IsTrue("public"), Owner("owner")]), Owner("owner"))
    .describe("Supabase Storage buckets (metadata only; public buckets are readable by anyone).");

/// Storage objects' metadata (shared `storage` schema); no blobs are served.
pub const STORAGE_OBJECTS: TableDecl = TableDecl::new(&structure::STORAGE_OBJECTS)
    .rules(AnyOf(&[Owner("owner"), Via("bucket_id")]), Owner("owner"))
    .describe("Supabase Storage object metadata (no blob serving).");

/// Invitation codes; admins manage them, users redeem them with `redeemSignupCode`.
pub const SIGNUP_CODES: TableDecl = TableDecl::new(&structure::SIGNUP_CODES)
    .relations(&[rel("used_by", "usedByUser", "redeemedSignupCodes"), rel("created_by", "createdByUser", "createdSignupCodes")])
    .rules(AnyOf(&[AppRole("admin"), Owner("used_by")]), AppRole("admin"))
    .describe("Manages invitation codes for user registration");

/// A user's chat conversations with the assistant.
pub const CONVERSATIONS: TableDecl = TableDecl::new(&structure::CONVERSATIONS)
    .rules(Owner("user_id"), Owner("user_id"))
    .describe("Stores chat conversations between users and the system");

/// Messages of a conversation (`role` is `USER` or `ASSISTANT`).
pub const MESSAGES: TableDecl = TableDecl::new(&structure::MESSAGES)
    .rules(Via("conversation_id"), Via("conversation_id"))
    .describe("Individual messages within conversations");

/// Usage and performance metrics of a user's questions.
pub const USAGE_LOGS: TableDecl = TableDecl::new(&structure::USAGE_LOGS)
    .rules(AnyOf(&[Owner("user_id"), AppRole("admin")]), Owner("user_id"))
    .describe("Tracks system usage and performance metrics");

/// Runtime configuration, read by every signed-in user and written by admins.
pub const APP_CONFIG: TableDecl = TableDecl::new(&structure::APP_CONFIG)
    .relations(&[rel("updated_by", "updatedByUser", "updatedAppConfig")])
    .rules(SignedIn, AppRole("admin"))
    .describe("Application configuration settings");

/// Users of the default demo data to sign in as (`auth.users`, ids `md5('course-user-<n>')::uuid`).
pub const DEMO_USERS: &[DemoUser] = &[
    DemoUser {
        name: "admin",
        sub: "5dcc9aff-2d97-a477-5a07-54a12ee862b5",
        about: "course-user-1, redeemed the admin code ADMIN-0001: reads everyone's usage, writes app_config and signup codes",
    },
    DemoUser {
        name: "student",
        sub: "459d9fae-2b23-f1b9-dbfe-b9a86cb6151e",
        about: "course-user-2, redeemed WELCOME-0002: their own conversations, messages and usage; reads app_config",
    },
    DemoUser {
        name: "newcomer",
        sub: "c832db64-6ede-86da-dc3d-379e3e89bc29",
        about: "course-user-3, no code redeemed yet: their own conversations; try redeemSignupCode(code: \"WELCOME-0003\")",
    },
];

/// Placeholders of `seed.sql` and their defaults.
pub const SEED_DEFAULTS: &[(&str, u32)] = &[("users", 4), ("conversations_per_user", 3), ("messages_per_conversation", 6)];

/// A larger data set for measurements.
pub const SEED_BENCH: &[(&str, u32)] = &[("users", 200), ("conversations_per_user", 10), ("messages_per_conversation", 20)];
