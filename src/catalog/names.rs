//! How SQL names become GraphQL names: one rule, in one place, so every
//! schema stays consistent and any table name works.
//!
//! The rule (declarations may override the first three per table or relation):
//! - **Type**: the table name's last word made singular, then PascalCase
//!   (`asset_versions` → `AssetVersion`, `AbTest` → `AbTest`, `feedback` →
//!   `Feedback`, `app_status_history` → `AppStatusHistory`,
//!   `_ConnectionToConnectionTag` → `ConnectionToConnectionTag`). Mass nouns
//!   and words ending in `ss`, `us`, `is` or `history`/`health` stay as they are.
//! - **To-one field** of a foreign key: its column without the `_id`/`Id`
//!   suffix, camelCase (`workbench_id` → `workbench`, `assignedToId` →
//!   `assignedTo`, `A` → `a`).
//! - **To-many field** on the referenced type: the referencing table's list
//!   field (`projects`); when that table has several foreign keys to the same
//!   target, suffixed `By<ToOneField>` (`ticketsByAssignedTo`). A unique
//!   foreign key is one-to-one: the field is the referencing type's one-row
//!   name (`userPreference`), a single object, not a connection.
//! - **Root fields**: one row is the type name with its first word lowered
//!   (`APIClient` → `apiClient`); the list is the table name in camelCase
//!   with its first letter lowered (`asset_versions` → `assetVersions`), or
//!   the one-row name plus `List` when the two coincide (`feedbackList`).
//! - **Columns** are camelCase (`created_at` → `createdAt`; `userId` stays);
//!   enum values SCREAMING_SNAKE (`in-progress` → `IN_PROGRESS`).
//! - **Derived types** append a suffix to the type name (`ProjectConnection`,
//!   `ProjectFilter`, …); CHECK enums are `<Type><Column>`, PostgreSQL enums
//!   keep their type's name in PascalCase.
//!
//! [`clashes`] lists every collision the rule (or a declaration) produces,
//! so start-up reports them instead of failing inside the GraphQL library.

use super::{App, Column, ColumnType, Table};

/// `created_at` → `createdAt`; `userId` stays `userId`.
pub fn camel(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut upper = false;
    for ch in name.chars() {
        if ch == '_' || ch == '-' || ch == ' ' {
            upper = !out.is_empty();
        } else if upper {
            out.extend(ch.to_uppercase());
            upper = false;
        } else {
            out.push(ch);
        }
    }
    out
}

/// `created_at` → `CreatedAt`.
pub fn pascal(name: &str) -> String {
    let c = camel(name);
    let mut chars = c.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => c,
    }
}

/// `APIClient` → `apiClient`, `AIModelVersion` → `aiModelVersion`, `User` → `user`.
pub fn lower_first_word(type_name: &str) -> String {
    let chars: Vec<char> = type_name.chars().collect();
    let run = chars.iter().take_while(|c| c.is_uppercase()).count();
    let lower_upto = match run {
        0 => 0,
        1 => 1,
        n if n == chars.len() => n,
        // Keep the last capital of an acronym when a word follows it.
        n if chars[n].is_lowercase() => n - 1,
        n => n,
    };
    chars.iter().enumerate().map(|(i, c)| if i < lower_upto { c.to_ascii_lowercase() } else { *c }).collect()
}

/// `createdAt` / `created_at` / `en-US` → `CREATED_AT` / `EN_US` (enum value names).
pub fn screaming(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 4);
    let chars: Vec<char> = name.chars().collect();
    let mut prev_lower = false;
    for (i, &ch) in chars.iter().enumerate() {
        if ch.is_ascii_alphanumeric() {
            let prev_upper = i > 0 && chars[i - 1].is_uppercase();
            let next_lower = chars.get(i + 1).is_some_and(|c| c.is_lowercase());
            if ch.is_uppercase() && (prev_lower || (prev_upper && next_lower)) {
                out.push('_');
            }
            out.push(ch.to_ascii_uppercase());
            prev_lower = ch.is_lowercase() || ch.is_ascii_digit();
        } else {
            if !out.ends_with('_') && !out.is_empty() {
                out.push('_');
            }
            prev_lower = false;
        }
    }
    let out = out.trim_end_matches('_').to_string();
    if out.starts_with(|c: char| c.is_ascii_digit()) || out.is_empty() {
        format!("_{out}")
    } else {
        out
    }
}

/// The GraphQL field name of a column.
pub fn field(column: &Column) -> String {
    camel(column.name)
}

/// A column's field name in create and patch inputs: a hashed column takes
/// the secret itself under its own name (`password` for `password_hash`).
pub fn input_field(column: &Column) -> String {
    match column.storage {
        super::Storage::Hashed(input) => input.to_string(),
        _ => field(column),
    }
}

/// The root field returning one row by key (`project`).
pub fn single(table: &Table) -> String {
    lower_first_word(table.type_name)
}

/// The root field listing rows (`projects`; `realtimeMessages` for `realtime.messages`).
pub fn plural(table: &Table) -> String {
    list_field(table.name, &single(table))
}

/// The list root field of table `name` whose one-row field is `single`.
pub fn list_field(name: &str, single: &str) -> String {
    let p = lower_first_word(&camel(&name.replace('.', "_")));
    if p == single {
        format!("{p}List")
    } else {
        p
    }
}

/// Words whose singular is themselves.
const UNCOUNTED: &[&str] = &[
    "feedback",
    "history",
    "health",
    "data",
    "metadata",
    "media",
    "news",
    "info",
    "analytics",
    "settings",
    "status",
    "series",
    "species",
    "equipment",
    "information",
    "software",
    "staff",
    "content",
    "inventory",
    "allowlist",
];

/// The singular of an English word (the last word of a table name).
pub fn singular(word: &str) -> String {
    let lower = word.to_ascii_lowercase();
    if UNCOUNTED.iter().any(|u| lower.ends_with(u)) || lower.len() < 3 {
        return word.to_string();
    }
    let cut = |n: usize, add: &str| format!("{}{add}", &word[..word.len() - n]);
    if lower.ends_with("ies") {
        cut(3, if word.ends_with("IES") { "Y" } else { "y" })
    } else if ["sses", "xes", "ches", "shes", "zzes"].iter().any(|e| lower.ends_with(e)) {
        cut(2, "")
    } else if lower.ends_with("ss") || lower.ends_with("us") || lower.ends_with("is") {
        word.to_string()
    } else if lower.ends_with('s') {
        cut(1, "")
    } else {
        word.to_string()
    }
}

/// The GraphQL type name of a table by the rule (`asset_versions` →
/// `AssetVersion`). A table of another schema than the app's is named
/// `schema.table` and gets its schema as a prefix (`realtime.messages` →
/// `RealtimeMessage`, beside the app's own `messages` → `Message`).
pub fn type_name(table: &str) -> String {
    if let Some((schema, name)) = table.split_once('.') {
        return format!("{}{}", pascal(schema), type_name(name));
    }
    let trimmed = table.trim_start_matches('_');
    // The last word: after the last underscore, or the last capital of a PascalCase name.
    let split = match trimmed.rfind('_') {
        Some(i) => i + 1,
        None => trimmed.char_indices().rfind(|(_, c)| c.is_uppercase()).map(|(i, _)| i).unwrap_or(0),
    };
    let (head, last) = trimmed.split_at(split);
    pascal(&format!("{head}{}", singular(last)))
}

/// The to-one field of a foreign-key column (`workbench_id` → `workbench`).
pub fn to_one_field(column: &str) -> String {
    let base = ["_id", "Id", "_ID", "ID"].iter().find_map(|s| column.strip_suffix(s).filter(|b| !b.is_empty())).unwrap_or(column);
    lower_first_word(&camel(base))
}

/// The field a one-to-one reference (a unique foreign key) gives its target:
/// the referencing type's one-row name (`userPreference`), suffixed like
/// [`to_many_field`] when ambiguous.
pub fn to_one_reverse_field(child_type: &str, field: &str, ambiguous: bool) -> String {
    let one = lower_first_word(child_type);
    if ambiguous {
        format!("{one}By{}", pascal(field))
    } else {
        one
    }
}

/// The to-many field a referencing table `child` gives its target, for the
/// foreign key whose to-one field is `field`; `ambiguous` when the child
/// has several foreign keys to that target.
pub fn to_many_field(child: &str, field: &str, ambiguous: bool) -> String {
    let list = lower_first_word(&camel(child));
    if ambiguous {
        format!("{list}By{}", pascal(field))
    } else {
        list
    }
}

/// GraphQL enum type name of an enum column.
pub fn enum_type(table: &Table, column: &Column) -> String {
    match column.ty {
        ColumnType::PgEnum(e) => pascal(e.name),
        _ => format!("{}{}", table.type_name, pascal(column.name)),
    }
}

/// Names of the types derived from a table.
pub fn connection(table: &Table) -> String {
    format!("{}Connection", table.type_name)
}
/// Edge type.
pub fn edge(table: &Table) -> String {
    format!("{}Edge", table.type_name)
}
/// Filter input.
pub fn filter(table: &Table) -> String {
    format!("{}Filter", table.type_name)
}
/// Order field enum.
pub fn order_field(table: &Table) -> String {
    format!("{}OrderField", table.type_name)
}
/// Order input.
pub fn order_by(table: &Table) -> String {
    format!("{}OrderBy", table.type_name)
}
/// Create input.
pub fn create_input(table: &Table) -> String {
    format!("{}CreateInput", table.type_name)
}
/// Patch input.
pub fn patch_input(table: &Table) -> String {
    format!("{}Patch", table.type_name)
}

/// Every field name of a table's object type: readable columns, to-one
/// fields, and the to-many fields other tables' declarations give it.
pub fn object_field_names(app: &App, table: &Table) -> Vec<String> {
    let mut names: Vec<String> = table.columns.iter().filter(|c| c.readable()).map(field).collect();
    names.extend(table.belongs_to.iter().map(|fk| fk.field.to_string()));
    for other in app.tables {
        for fk in other.belongs_to.iter().filter(|fk| fk.target == table.name) {
            names.push(fk.reverse.to_string());
        }
        for m in other.many_to_many {
            let side = |col: &str| other.belongs_to.iter().find(|fk| fk.column == col).map(|fk| fk.target);
            if side(m.left_column) == Some(table.name) {
                names.push(m.left_field.to_string());
            }
            if side(m.right_column) == Some(table.name) {
                names.push(m.right_field.to_string());
            }
        }
    }
    names
}

/// Type names Quiver registers in every schema, whatever the app.
pub const FIXED_TYPES: &[&str] = &[
    "QueryRoot",
    "MutationRoot",
    "SubscriptionRoot",
    "String",
    "Int",
    "Float",
    "Boolean",
    "ID",
    "UUID",
    "DateTime",
    "Date",
    "Decimal",
    "BigInt",
    "JSON",
    "StringFilter",
    "IntFilter",
    "FloatFilter",
    "BooleanFilter",
    "UUIDFilter",
    "DateTimeFilter",
    "DateFilter",
    "DecimalFilter",
    "BigIntFilter",
    "JSONFilter",
    "StringListFilter",
    "SortDirection",
    "NullsOrder",
    "PageInfo",
    "ChangeOp",
    "PresenceEventKind",
    "BroadcastMessage",
    "BroadcastSender",
    "PresenceMember",
    "PresenceEvent",
];

/// Root fields Quiver adds to every schema: (operation, field).
pub const FIXED_ROOT_FIELDS: &[(&str, &str)] = &[("mutation", "broadcast"), ("subscription", "channel"), ("subscription", "presence")];

/// Every name collision in `app`'s GraphQL schema: types, root fields,
/// object fields, input fields and enum values. Each is one line saying
/// which two declarations produce the same name.
pub fn clashes(app: &App) -> Vec<String> {
    use std::collections::HashMap;
    let mut problems = Vec::new();
    let mut types: HashMap<String, String> = FIXED_TYPES.iter().map(|t| (t.to_string(), "Quiver itself".into())).collect();
    let mut roots: HashMap<(&str, String), String> =
        FIXED_ROOT_FIELDS.iter().map(|(op, f)| ((*op, f.to_string()), "Quiver itself".into())).collect();
    let mut claim_type = |name: String, by: String, problems: &mut Vec<String>| {
        if let Some(other) = types.get(&name) {
            problems.push(format!("app {}: GraphQL type {name} of {by} clashes with {other}", app.name));
        } else {
            types.insert(name, by);
        }
    };
    for t in app.tables {
        let by = format!("table {}", t.name);
        for name in [
            t.type_name.to_string(),
            connection(t),
            edge(t),
            filter(t),
            order_field(t),
            order_by(t),
            create_input(t),
            patch_input(t),
            format!("{}ChangeEvent", t.type_name),
            format!("{}ChangeFilter", t.type_name),
        ] {
            claim_type(name, by.clone(), &mut problems);
        }
        for c in t.columns.iter().filter(|c| c.readable()) {
            let by = format!("column {}.{}", t.name, c.name);
            match c.ty {
                ColumnType::Enum(values) => {
                    let e = enum_type(t, c);
                    claim_type(format!("{e}Filter"), by.clone(), &mut problems);
                    claim_type(e, by.clone(), &mut problems);
                    enum_value_clashes(app, &by, values, &mut problems);
                }
                ColumnType::PgEnum(pg) => {
                    // One GraphQL enum per PostgreSQL type, registered by its first column.
                    let first = app
                        .tables
                        .iter()
                        .flat_map(|o| o.columns.iter().map(move |oc| (o, oc)))
                        .find(|(_, oc)| matches!(oc.ty, ColumnType::PgEnum(p) if p == pg));
                    if first.is_some_and(|(o, oc)| o.name == t.name && oc.name == c.name) {
                        let e = enum_type(t, c);
                        claim_type(format!("{e}Filter"), by.clone(), &mut problems);
                        claim_type(e, by.clone(), &mut problems);
                        enum_value_clashes(app, &by, pg.values, &mut problems);
                    }
                }
                _ => {}
            }
        }
        let mut root = |op: &'static str, field: String, problems: &mut Vec<String>| match roots.get(&(op, field.clone())) {
            Some(other) => problems.push(format!("app {}: {op} field {field} of {by} clashes with {other}", app.name)),
            None => {
                roots.insert((op, field), by.clone());
            }
        };
        root("query", single(t), &mut problems);
        root("query", plural(t), &mut problems);
        for verb in ["create", "update", "delete"] {
            root("mutation", format!("{verb}{}", t.type_name), &mut problems);
        }
        if !t.is_foreign() {
            root("subscription", format!("{}Changed", single(t)), &mut problems);
        }
        let mut fields: HashMap<String, usize> = HashMap::new();
        for f in object_field_names(app, t) {
            *fields.entry(f).or_default() += 1;
        }
        let mut twice: Vec<_> = fields.into_iter().filter(|(_, n)| *n > 1).map(|(f, _)| f).collect();
        twice.sort();
        for f in twice {
            problems.push(format!(
                "app {}: table {}: GraphQL field {f} is produced twice (a column and a relation, or two relations)",
                app.name, t.name
            ));
        }
        let mut inputs: HashMap<String, &str> = HashMap::new();
        for c in t.columns.iter().filter(|c| !c.managed) {
            if let Some(other) = inputs.insert(input_field(c), c.name) {
                problems.push(format!(
                    "app {}: table {}: input field {} of column {} clashes with column {other}",
                    app.name,
                    t.name,
                    input_field(c),
                    c.name
                ));
            }
        }
    }
    for w in app.watches {
        if let Some(other) = roots.get(&("subscription", w.field.to_string())) {
            problems.push(format!("app {}: watch {} clashes with {other}", app.name, w.field));
        }
    }
    problems
}

fn enum_value_clashes(app: &App, by: &str, values: &[&str], problems: &mut Vec<String>) {
    let mut seen: Vec<(String, &str)> = Vec::new();
    for v in values {
        let n = screaming(v);
        if let Some((_, other)) = seen.iter().find(|(s, _)| *s == n) {
            problems.push(format!("app {}: {by}: enum values '{v}' and '{other}' are both {n}", app.name));
        } else {
            seen.push((n, v));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(camel("created_at"), "createdAt");
        assert_eq!(camel("userId"), "userId");
        assert_eq!(pascal("subscription_tier"), "SubscriptionTier");
        assert_eq!(lower_first_word("APIClient"), "apiClient");
        assert_eq!(lower_first_word("AIModelVersion"), "aiModelVersion");
        assert_eq!(lower_first_word("User"), "user");
        assert_eq!(lower_first_word("URL"), "url");
        assert_eq!(screaming("createdAt"), "CREATED_AT");
        assert_eq!(screaming("in_progress"), "IN_PROGRESS");
        assert_eq!(screaming("en-US"), "EN_US");
        assert_eq!(screaming("Free"), "FREE");
        assert_eq!(screaming("3d"), "_3D");
        assert_eq!(screaming("AIGenerated"), "AI_GENERATED");
        assert_eq!(screaming("RolledBack"), "ROLLED_BACK");
    }

    #[test]
    fn awkward_table_names() {
        let cases = [
            ("asset_versions", "AssetVersion"),
            ("users", "User"),
            ("AbTest", "AbTest"),
            ("AbTests", "AbTest"),
            ("feedback", "Feedback"),
            ("ai_model_feedback", "AiModelFeedback"),
            ("app_status_history", "AppStatusHistory"),
            ("social_account_health", "SocialAccountHealth"),
            ("_ConnectionToConnectionTag", "ConnectionToConnectionTag"),
            ("categories", "Category"),
            ("addresses", "Address"),
            ("boxes", "Box"),
            ("batches", "Batch"),
            ("access", "Access"),
            ("status", "Status"),
            ("campaign_target_audiences", "CampaignTargetAudience"),
            ("ip_allowlist", "IpAllowlist"),
            ("messages", "Message"),
            ("realtime.messages", "RealtimeMessage"),
            ("auth.users", "AuthUser"),
        ];
        for (table, ty) in cases {
            assert_eq!(type_name(table), ty, "{table}");
        }
        // Root fields: one row, then the list.
        let roots = [
            ("asset_versions", "assetVersion", "assetVersions"),
            ("AbTest", "abTest", "abTestList"),
            ("feedback", "feedback", "feedbackList"),
            ("app_status_history", "appStatusHistory", "appStatusHistoryList"),
            ("_ConnectionToConnectionTag", "connectionToConnectionTag", "connectionToConnectionTagList"),
            ("messages", "message", "messages"),
            ("realtime.messages", "realtimeMessage", "realtimeMessages"),
        ];
        for (table, one, list) in roots {
            let single = lower_first_word(&type_name(table));
            assert_eq!((single.as_str(), list_field(table, &single).as_str()), (one, list), "{table}");
        }
        assert_eq!(lower_first_word("APIClient"), "apiClient");
    }

    #[test]
    fn relation_fields() {
        assert_eq!(to_one_field("workbench_id"), "workbench");
        assert_eq!(to_one_field("assignedToId"), "assignedTo");
        assert_eq!(to_one_field("parentAppId"), "parentApp");
        assert_eq!(to_one_field("A"), "a");
        assert_eq!(to_one_field("id"), "id");
        assert_eq!(to_many_field("scheduled_posts", "workspace", false), "scheduledPosts");
        assert_eq!(to_many_field("tickets", "assignedTo", true), "ticketsByAssignedTo");
        assert_eq!(to_many_field("AbTest", "app", false), "abTest");
        assert_eq!(to_one_reverse_field("UserPreference", "user", false), "userPreference");
        assert_eq!(to_one_reverse_field("Account", "owner", true), "accountByOwner");
    }
}
