//! SQL scripts split into statements, so long scripts (demo data sets) can
//! run one statement at a time and report their progress.

/// The statements of `script`, split at top-level semicolons: semicolons in
/// quoted literals and identifiers, dollar-quoted bodies and comments do not
/// end a statement. Blank and comment-only pieces are dropped.
pub fn statements(script: &str) -> Vec<&str> {
    let bytes = script.as_bytes();
    let mut out = Vec::new();
    let (mut start, mut i) = (0, 0);
    let mut meaningful = false;
    while i < bytes.len() {
        match bytes[i] {
            b'\'' | b'"' => {
                let quote = bytes[i];
                i += 1;
                while i < bytes.len() {
                    if bytes[i] == quote {
                        // A doubled quote is an escaped one.
                        if bytes.get(i + 1) == Some(&quote) {
                            i += 2;
                            continue;
                        }
                        break;
                    }
                    i += 1;
                }
                meaningful = true;
            }
            b'-' if bytes.get(i + 1) == Some(&b'-') => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                i += 2;
                while i + 1 < bytes.len() && !(bytes[i] == b'*' && bytes[i + 1] == b'/') {
                    i += 1;
                }
                i += 1;
            }
            b'$' => {
                // `$tag$ … $tag$` (the tag may be empty); `$1` is a parameter.
                let tag_end = script[i + 1..].find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).map(|n| i + 1 + n);
                match tag_end {
                    Some(e) if bytes[e] == b'$' && !bytes[i + 1].is_ascii_digit() => {
                        let tag = &script[i..=e];
                        match script[e + 1..].find(tag) {
                            Some(close) => i = e + 1 + close + tag.len() - 1,
                            None => i = bytes.len(),
                        }
                    }
                    _ => {}
                }
                meaningful = true;
            }
            b';' => {
                if meaningful {
                    out.push(script[start..=i].trim());
                }
                start = i + 1;
                meaningful = false;
            }
            c if !c.is_ascii_whitespace() => meaningful = true,
            _ => {}
        }
        i += 1;
    }
    if meaningful && start < bytes.len() {
        out.push(script[start..].trim());
    }
    out
}

/// A short description of a statement for progress lines: its first words
/// up to the table it acts on (`INSERT INTO studio.projects`).
pub fn summary(statement: &str) -> String {
    let code: String = statement.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with("--")).collect::<Vec<_>>().join(" ");
    let words: Vec<&str> = code.split_whitespace().take(4).collect();
    let mut s = words.join(" ");
    if let Some(cut) = s.find('(') {
        s.truncate(cut);
    }
    s.trim_end().chars().take(60).collect()
}

#[cfg(test)]
mod tests {
    use super::{statements, summary};

    #[test]
    fn splits_at_top_level_semicolons_only() {
        let script = "-- a comment; not a statement\nINSERT INTO t VALUES ('a;b', \"c;d\");\n\
                      DO $$ BEGIN PERFORM 1; END $$;\n/* x; y */ SELECT $tag$ ; $tag$, $1;\n  \n";
        assert_eq!(
            statements(script),
            vec![
                "-- a comment; not a statement\nINSERT INTO t VALUES ('a;b', \"c;d\");",
                "DO $$ BEGIN PERFORM 1; END $$;",
                "/* x; y */ SELECT $tag$ ; $tag$, $1;",
            ]
        );
        assert_eq!(statements("SELECT 'it''s; fine'"), vec!["SELECT 'it''s; fine'"]);
        assert!(statements("-- only a comment;\n").is_empty());
    }

    #[test]
    fn summaries_name_the_table() {
        assert_eq!(summary("-- users\nINSERT INTO studio.users (id, email)\nSELECT 1"), "INSERT INTO studio.users");
        assert_eq!(summary("CREATE TEMP TABLE _seed_user AS SELECT 1"), "CREATE TEMP TABLE _seed_user");
    }
}
