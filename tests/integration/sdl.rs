//! The checked-in SDL under `schema/` is the public contract: it must equal
//! what the code builds, for every app.

use std::path::Path;

#[test]
fn checked_in_sdl_matches_the_code() {
    for def in quiver::apps::APPS {
        let app = def.app();
        let built = def.sdl().expect("schema builds");
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("schema").join(format!("{}.graphql", app.name));
        let checked_in = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            built == checked_in,
            "{} differs from the schema the code builds; if the change is intended, run\n  cargo run -q -- schema {} > schema/{}.graphql",
            path.display(),
            app.name,
            app.name
        );
    }
}

/// Where each field name appears: (block header such as `type User` or
/// `input UserFilter`, field name).
fn fields_by_block(sdl: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut block = String::new();
    for line in sdl.lines() {
        let t = line.trim();
        if let Some(header) = t.strip_suffix('{') {
            block = header.trim().to_string();
        } else if t == "}" {
            block.clear();
        } else if !block.is_empty() && !t.starts_with('"') {
            let name: String = t.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
            if !name.is_empty() {
                out.push((block.clone(), name));
            }
        }
    }
    out
}

/// Secrets are write-only: they may appear in create and patch inputs, and
/// nowhere else — no output type, no filter (a filter would be an oracle), no
/// order field.
#[test]
fn sdl_exposes_no_secret_column() {
    for def in quiver::apps::APPS {
        let app = def.app();
        let sdl = def.sdl().expect("schema builds");
        let fields = fields_by_block(&sdl);
        for table in app.tables {
            for column in table.columns.iter().filter(|c| c.secret) {
                let field = quiver::catalog::names::field(column);
                let order_value = quiver::catalog::names::screaming(&field);
                for (block, name) in &fields {
                    let writable = block.starts_with("input ") && (block.ends_with("CreateInput") || block.ends_with("Patch"));
                    // Types every app has whatever its tables (`PresenceMember.key`,
                    // `PageInfo`, the roots, scalar filters) may share a secret's name.
                    let block_type = block.split_whitespace().nth(1).unwrap_or_default();
                    let from_tables = app.tables.iter().any(|t| block_type.starts_with(t.type_name));
                    assert!(
                        writable || !from_tables || (name != &field && name != &order_value),
                        "secret column {}.{} appears as {name} in `{block}`",
                        table.name,
                        column.name
                    );
                }
                let input = quiver::catalog::names::input_field(column);
                assert!(
                    fields.iter().any(|(b, n)| b == &format!("input {}CreateInput", table.type_name) && n == &input),
                    "secret {}.{} should still be writable on create",
                    table.name,
                    column.name
                );
            }
        }
    }
}
