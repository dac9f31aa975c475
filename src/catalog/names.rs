//! How SQL names become GraphQL names. One place, so the schema stays consistent.

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
    chars
        .iter()
        .enumerate()
        .map(|(i, c)| if i < lower_upto { c.to_ascii_lowercase() } else { *c })
        .collect()
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

/// The root field listing rows (`projects`).
pub fn plural(table: &Table) -> String {
    let p = camel(table.name);
    if p == single(table) {
        format!("{p}List")
    } else {
        p
    }
}

/// GraphQL enum type name of an enum column.
pub fn enum_type(table: &Table, column: &Column) -> String {
    match column.ty {
        ColumnType::PgEnum(name, _) => pascal(name),
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
    let mut names: Vec<String> =
        table.columns.iter().filter(|c| c.readable()).map(field).collect();
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
}
