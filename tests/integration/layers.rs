//! The layers of `src/` depend one way: from the HTTP edge down to the
//! vocabulary. A module may use only modules of lower layers; this test reads
//! every source file and names each `crate::` path that points up or sideways.

use std::path::Path;

/// Layer of each top-level module, lowest first (see README, "Layout").
const LAYERS: &[(&str, u8)] = &[
    ("error", 0),
    ("catalog", 1),
    ("metrics", 1),
    ("sql", 2),
    ("db", 3),
    ("auth", 4),
    ("realtime", 4),
    ("graphql", 5),
    ("apps", 6),
    ("http", 7),
    ("config", 7),
    ("server", 8),
];

fn layer(module: &str) -> Option<u8> {
    LAYERS.iter().find(|(m, _)| *m == module).map(|(_, l)| *l)
}

fn files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn modules_depend_only_on_lower_layers() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut all = Vec::new();
    files(&src, &mut all);
    let mut problems = Vec::new();
    for path in all {
        let rel = path.strip_prefix(&src).unwrap().to_string_lossy().to_string();
        let top = rel.split('/').next().unwrap().trim_end_matches(".rs").to_string();
        let Some(own) = layer(&top) else { continue };
        let text = std::fs::read_to_string(&path).unwrap();
        for (n, line) in text.lines().enumerate() {
            let code = line.trim_start();
            if code.starts_with("//") {
                continue;
            }
            let mut rest = code;
            while let Some(i) = rest.find("crate::") {
                let name: String = rest[i + 7..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
                rest = &rest[i + 7..];
                if let Some(other) = layer(&name) {
                    if name != top && other >= own {
                        problems.push(format!("src/{rel}:{}: {top} (layer {own}) uses crate::{name} (layer {other})", n + 1));
                    }
                }
            }
        }
    }
    assert!(problems.is_empty(), "modules reach up or sideways:\n{}", problems.join("\n"));
}
