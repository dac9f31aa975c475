//! The `reports` app (seed 000): a Django site generating AI reports —
//! `seydam_reports` with their generation and reference jobs, outline, JSON
//! and HTML, references, project directory, plus uploads, token usage,
//! payments and surveys of a user — beside Django's auth and admin tables,
//! allauth (`account_*`, `socialaccount_*`) and DRF tokens. The seed's
//! `public` tables live in the `reports` schema.
//!
//! Identity is Supabase's `auth.users` (a token's `sub`); the Django user is
//! found through `seydam_customuser.auth_user_id`, the explicit link the
//! migration adds (unique, nullable; filled for existing rows by
//! `reports.link_customusers_to_auth()`, by confirmed e-mail, see the
//! migration `2026-12-01-000012_reports`).
//!
//! Row rules: a signed-in user sees and changes only the rows of their own,
//! active Django user ([`OWN`]): their reports and everything hanging off
//! them or off the user. Rows the site's back end writes are read-only to
//! the user: generation and reference jobs, token usage, payments, e-mail
//! addresses. A user reads their own `seydam_customuser` and `auth.users`
//! rows (without secrets) and changes neither (flags such as `is_staff`
//! are the site's). Django's `auth_*`, `django_*`, `authtoken_*`,
//! `account_emailconfirmation`, `socialaccount_*`, the e-mail OTPs, contact
//! and waitlist submissions are service-only.
//!
//! Secret (write-only) columns, stored as written (Django hashes its own):
//! `seydam_customuser.password`, `authtoken_token.key`,
//! `django_session.session_data`, `account_emailconfirmation.key`,
//! `seydam_emailotp.otp`, `socialaccount_socialapp.secret` / `.key`,
//! `socialaccount_socialtoken.token` / `.token_secret`, and the auth.users
//! password hash and tokens.
//!
//! `reportJob(reportId)` streams the report's generation job (`status`,
//! `stage`, `progress`) as it changes and ends once its status is
//! `completed` or `failed`.

#[rustfmt::skip]
pub mod structure;

use super::AppDef;
use crate::catalog::{topic, write_only, AppDecl, Membership, Rel, Rule::*, TableDecl, Watch};
use crate::db::demo::{DemoData, DemoUser};

/// The reports app, as registered in [`super::APPS`].
pub static APP: AppDef = AppDef::new(
    &DECL,
    &[],
    None,
    Some(DemoData {
        script: include_str!("seed.sql"),
        defaults: SEED_DEFAULTS,
        bench: SEED_BENCH,
        guard_table: "seydam_customuser",
        users: DEMO_USERS,
    }),
);

/// The reports app's declarations.
pub const DECL: AppDecl = AppDecl {
    name: "reports",
    tables: &[
        AUTH_USERS,
        SEYDAM_CUSTOMUSER,
        SEYDAM_REPORTS,
        SEYDAM_REPORTJOBID,
        SEYDAM_REFERENCEJOBID,
        SEYDAM_OUTLINE,
        SEYDAM_JSONREPORT,
        SEYDAM_RAWHTMLCODE,
        SEYDAM_REFERENCES,
        SEYDAM_REPORTDIRECTORY,
        SEYDAM_UPLOADEDIMAGE,
        SEYDAM_TOKENUSAGE,
        SEYDAM_PAYMENT,
        SEYDAM_SURVEYRESPONSE,
        SEYDAM_EMAILOTP,
        SEYDAM_CONTACTUS,
        SEYDAM_WAITLIST,
        SEYDAM_CUSTOMUSER_GROUPS,
        SEYDAM_CUSTOMUSER_USER_PERMISSIONS,
        ACCOUNT_EMAILADDRESS,
        ACCOUNT_EMAILCONFIRMATION,
        AUTH_GROUP,
        AUTH_GROUP_PERMISSIONS,
        AUTH_PERMISSION,
        AUTHTOKEN_TOKEN,
        DJANGO_ADMIN_LOG,
        DJANGO_CONTENT_TYPE,
        DJANGO_MIGRATIONS,
        DJANGO_SESSION,
        DJANGO_SITE,
        SOCIALACCOUNT_SOCIALACCOUNT,
        SOCIALACCOUNT_SOCIALAPP,
        SOCIALACCOUNT_SOCIALAPP_SITES,
        SOCIALACCOUNT_SOCIALTOKEN,
    ],
    structure: structure::ALL,
    include: &["auth.users"],
    watches: &[Watch {
        field: "reportJob",
        table: "seydam_reportjobid",
        column: "report_id",
        events: &["INSERT", "UPDATE", "DELETE"],
        until: Some(("status", &["completed", "failed"])),
        description: "Status, stage and progress of a report's generation job as they change, until it completes or fails.",
    }],
    api_keys: None,
    // A report's topic is its owner's (live generation progress, several tabs).
    topics: &[topic("report", "seydam_reports")],
};

/// A row is the caller's when its `user_id` is the active Django user linked
/// to the caller's `auth.users` id.
pub const OWN: Membership =
    Membership { column: "user_id", table: "seydam_customuser", group: "id", user: "auth_user_id", roles: Some(("is_active", &["true"])) };

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

/// Django users, linked to Supabase Auth by `auth_user_id`.
pub const SEYDAM_CUSTOMUSER: TableDecl = TableDecl::new(&structure::SEYDAM_CUSTOMUSER)
    .secrets(&[write_only("password")])
    .rules(Owner("auth_user_id"), ServiceOnly)
    .describe("Django users of the site; authUserId links each to its Supabase Auth user.");

/// A user's reports.
pub const SEYDAM_REPORTS: TableDecl =
    TableDecl::new(&structure::SEYDAM_REPORTS).rules(Member(&OWN), Member(&OWN)).describe("Stores metadata for AI-generated reports.");

/// Background generation jobs of reports (written by the site's workers).
pub const SEYDAM_REPORTJOBID: TableDecl = TableDecl::new(&structure::SEYDAM_REPORTJOBID)
    .relations(&[Rel::reverse("report_id", "jobs")])
    .rules(Member(&OWN), ServiceOnly)
    .describe("Tracks the status of background report generation jobs.");

/// Background reference-gathering jobs of reports (written by the site's workers).
pub const SEYDAM_REFERENCEJOBID: TableDecl = TableDecl::new(&structure::SEYDAM_REFERENCEJOBID)
    .relations(&[Rel::reverse("report_id", "referenceJobs")])
    .rules(Member(&OWN), ServiceOnly)
    .describe("Tracks background reference-gathering jobs of reports.");

/// Outlines of reports.
pub const SEYDAM_OUTLINE: TableDecl = TableDecl::new(&structure::SEYDAM_OUTLINE)
    .relations(&[Rel::reverse("report_id", "outlines")])
    .rules(Member(&OWN), Member(&OWN))
    .describe("The outline of a report.");

/// Full JSON of generated reports.
pub const SEYDAM_JSONREPORT: TableDecl = TableDecl::new(&structure::SEYDAM_JSONREPORT)
    .relations(&[Rel::reverse("report_id", "jsonReports")])
    .rules(Member(&OWN), Member(&OWN))
    .describe("Stores the full JSON structure of generated reports.");

/// Raw HTML of reports.
pub const SEYDAM_RAWHTMLCODE: TableDecl = TableDecl::new(&structure::SEYDAM_RAWHTMLCODE)
    .relations(&[Rel::reverse("report_id", "htmlCodes")])
    .rules(Member(&OWN), Member(&OWN))
    .describe("The raw HTML of a report.");

/// Reference lists of reports.
pub const SEYDAM_REFERENCES: TableDecl = TableDecl::new(&structure::SEYDAM_REFERENCES)
    .relations(&[Rel::reverse("report_id", "referenceLists")])
    .rules(Member(&OWN), Member(&OWN))
    .describe("The reference list of a report.");

/// Project directories of reports.
pub const SEYDAM_REPORTDIRECTORY: TableDecl = TableDecl::new(&structure::SEYDAM_REPORTDIRECTORY)
    .relations(&[Rel::reverse("project_id", "directories")])
    .rules(Member(&OWN), Member(&OWN))
    .describe("The project directory of a report.");

/// Images a user uploaded.
pub const SEYDAM_UPLOADEDIMAGE: TableDecl =
    TableDecl::new(&structure::SEYDAM_UPLOADEDIMAGE).rules(Member(&OWN), Member(&OWN)).describe("Images a user uploaded.");

/// Tokens a user's generations used (written by the site).
pub const SEYDAM_TOKENUSAGE: TableDecl =
    TableDecl::new(&structure::SEYDAM_TOKENUSAGE).rules(Member(&OWN), ServiceOnly).describe("Output tokens a user's generations used.");

/// A user's payments (written by the site).
pub const SEYDAM_PAYMENT: TableDecl =
    TableDecl::new(&structure::SEYDAM_PAYMENT).rules(Member(&OWN), ServiceOnly).describe("A user's payments and paid reports.");

/// A user's survey answers.
pub const SEYDAM_SURVEYRESPONSE: TableDecl = TableDecl::new(&structure::SEYDAM_SURVEYRESPONSE)
    .rules(Member(&OWN), Member(&OWN))
    .describe("A user's answers to the satisfaction survey.");

/// One-time e-mail codes (the code is write-only).
pub const SEYDAM_EMAILOTP: TableDecl =
    TableDecl::new(&structure::SEYDAM_EMAILOTP).secrets(&[write_only("otp")]).describe("One-time codes sent by e-mail.");

/// Contact form submissions.
pub const SEYDAM_CONTACTUS: TableDecl = TableDecl::new(&structure::SEYDAM_CONTACTUS).describe("Contact form submissions.");

/// Waitlist sign-ups.
pub const SEYDAM_WAITLIST: TableDecl = TableDecl::new(&structure::SEYDAM_WAITLIST).describe("Waitlist sign-ups.");

/// Django user ↔ group (service-only).
pub const SEYDAM_CUSTOMUSER_GROUPS: TableDecl = TableDecl::new(&structure::SEYDAM_CUSTOMUSER_GROUPS);
/// Django user ↔ permission (service-only).
pub const SEYDAM_CUSTOMUSER_USER_PERMISSIONS: TableDecl = TableDecl::new(&structure::SEYDAM_CUSTOMUSER_USER_PERMISSIONS);

/// A user's e-mail addresses (allauth; managed by the site).
pub const ACCOUNT_EMAILADDRESS: TableDecl =
    TableDecl::new(&structure::ACCOUNT_EMAILADDRESS).rules(Member(&OWN), ServiceOnly).describe("A user's e-mail addresses (allauth).");
/// E-mail confirmations (allauth; the key is write-only).
pub const ACCOUNT_EMAILCONFIRMATION: TableDecl =
    TableDecl::new(&structure::ACCOUNT_EMAILCONFIRMATION).secrets(&[write_only("key")]).describe("E-mail confirmations (allauth).");

/// Django groups (service-only).
pub const AUTH_GROUP: TableDecl = TableDecl::new(&structure::AUTH_GROUP);
/// Django group ↔ permission (service-only).
pub const AUTH_GROUP_PERMISSIONS: TableDecl = TableDecl::new(&structure::AUTH_GROUP_PERMISSIONS);
/// Django permissions (service-only).
pub const AUTH_PERMISSION: TableDecl = TableDecl::new(&structure::AUTH_PERMISSION);
/// DRF tokens (service-only; the key is write-only).
pub const AUTHTOKEN_TOKEN: TableDecl = TableDecl::new(&structure::AUTHTOKEN_TOKEN).secrets(&[write_only("key")]);
/// Django admin log (service-only).
pub const DJANGO_ADMIN_LOG: TableDecl = TableDecl::new(&structure::DJANGO_ADMIN_LOG);
/// Django content types (service-only).
pub const DJANGO_CONTENT_TYPE: TableDecl = TableDecl::new(&structure::DJANGO_CONTENT_TYPE);
/// Django migrations (service-only).
pub const DJANGO_MIGRATIONS: TableDecl = TableDecl::new(&structure::DJANGO_MIGRATIONS);
/// Django sessions (service-only; the data is write-only).
pub const DJANGO_SESSION: TableDecl = TableDecl::new(&structure::DJANGO_SESSION).secrets(&[write_only("session_data")]);
/// Django sites (service-only).
pub const DJANGO_SITE: TableDecl = TableDecl::new(&structure::DJANGO_SITE);
/// Social accounts (allauth; service-only).
pub const SOCIALACCOUNT_SOCIALACCOUNT: TableDecl = TableDecl::new(&structure::SOCIALACCOUNT_SOCIALACCOUNT);
/// Social apps (allauth; service-only; secret and key write-only).
pub const SOCIALACCOUNT_SOCIALAPP: TableDecl =
    TableDecl::new(&structure::SOCIALACCOUNT_SOCIALAPP).secrets(&[write_only("secret"), write_only("key")]);
/// Social app ↔ site (service-only).
pub const SOCIALACCOUNT_SOCIALAPP_SITES: TableDecl = TableDecl::new(&structure::SOCIALACCOUNT_SOCIALAPP_SITES);
/// Social tokens (allauth; service-only; tokens write-only).
pub const SOCIALACCOUNT_SOCIALTOKEN: TableDecl =
    TableDecl::new(&structure::SOCIALACCOUNT_SOCIALTOKEN).secrets(&[write_only("token"), write_only("token_secret")]);

/// Users of the default demo data to sign in as (`auth.users`, ids `md5('reports-user-<n>')::uuid`).
pub const DEMO_USERS: &[DemoUser] = &[
    DemoUser {
        name: "writer",
        sub: "a3649fe2-72a8-9c7b-0617-72e692464f4e",
        about: "reports-user-1, linked Django user user1: their own reports, jobs, outlines and uploads only",
    },
    DemoUser {
        name: "other-writer",
        sub: "2fe54eae-4495-4074-ddc3-068aba2ca091",
        about: "reports-user-2: their own reports; user1's do not exist for them",
    },
];

/// Placeholders of `seed.sql` and their defaults.
pub const SEED_DEFAULTS: &[(&str, u32)] = &[("users", 3), ("reports_per_user", 4)];

/// A larger data set for measurements.
pub const SEED_BENCH: &[(&str, u32)] = &[("users", 200), ("reports_per_user", 20)];
