//! The core's layers read one way: a module may use the modules of its own
//! layer and of the layers below it, never one above.
//!
//! The layers, lowest first, follow the data path: shared foundations, YAML,
//! configuration, the object model, the Pod Security evaluation, the
//! cross-object inventory, the checks, the report, the engine that runs them
//! all, and the catalog generated from the checks. A module's layer is that of
//! its top-level module under `src/`. Paths are read from the source text:
//! `crate::module` and the names `lib.rs` re-exports (`crate::Severity` is the
//! `severity` module's). Unit tests at the bottom of a file (after
//! `#[cfg(test)]`) may reach anywhere, as integration tests do.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Each layer's top-level modules, lowest layer first.
const LAYERS: &[&[&str]] = &[
    &["limits", "position", "text", "swar", "severity", "parallel", "checklist"],
    &["yaml"],
    &["fix"],
    &["config"],
    &["model"],
    &["pss"],
    &["inventory"],
    &["checks", "policy"],
    &["report", "scorecard"],
    &["engine"],
    &["catalog"],
];

fn layer_of(module: &str) -> Option<usize> {
    LAYERS.iter().position(|layer| layer.contains(&module))
}

fn source_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir).expect("src is readable").flatten().map(|e| e.path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            source_files(&path, out);
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            out.push(path);
        }
    }
}

/// The top-level module a file belongs to (`engine/place.rs` → `engine`, `report.rs` → `report`).
fn top_module(src: &Path, file: &Path) -> String {
    let relative = file.strip_prefix(src).expect("under src");
    let first = relative.components().next().expect("non-empty").as_os_str().to_string_lossy();
    first.trim_end_matches(".rs").to_string()
}

/// The names `lib.rs` re-exports, with the top-level module each comes from.
fn re_exports(lib: &str) -> HashMap<String, String> {
    let mut names = HashMap::new();
    let flat = lib.replace('\n', " ");
    for statement in flat.split(';') {
        let Some(path) = statement.trim().strip_prefix("pub use ") else { continue };
        let module = path.split("::").next().unwrap_or_default().trim().to_string();
        let list = match (path.find('{'), path.rfind('}')) {
            (Some(open), Some(close)) => path[open + 1..close].to_string(),
            _ => path.rsplit("::").next().unwrap_or_default().to_string(),
        };
        for name in list.split(',').map(str::trim).filter(|name| !name.is_empty()) {
            names.insert(name.to_string(), module.clone());
        }
    }
    names
}

/// Every `crate::name` in the code of a file (comments and unit tests left out).
fn crate_paths(text: &str) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    for (number, line) in text.lines().enumerate() {
        let code = line.trim_start();
        if code.starts_with("#[cfg(test)]") {
            break;
        }
        if code.starts_with("//") {
            continue;
        }
        let mut rest = code;
        while let Some(at) = rest.find("crate::") {
            let after = &rest[at + "crate::".len()..];
            let name: String = after.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
            if name.is_empty() {
                // `crate::{a, b}`: each name of the group.
                if let Some(group) = after.strip_prefix('{') {
                    let end = group.find('}').unwrap_or(group.len());
                    for part in group[..end].split(',') {
                        let part = part.trim().split("::").next().unwrap_or_default().trim();
                        if !part.is_empty() {
                            found.push((number + 1, part.to_string()));
                        }
                    }
                }
            } else {
                found.push((number + 1, name));
            }
            rest = after;
        }
    }
    found
}

#[test]
fn no_module_uses_a_layer_above_its_own() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let lib = std::fs::read_to_string(src.join("lib.rs")).expect("lib.rs");
    let exported = re_exports(&lib);
    let mut files = Vec::new();
    source_files(&src, &mut files);
    let mut violations = Vec::new();
    let mut unplaced = Vec::new();
    for file in &files {
        let module = top_module(&src, file);
        if module == "lib" {
            continue;
        }
        let Some(own) = layer_of(&module) else {
            unplaced.push(module);
            continue;
        };
        let text = std::fs::read_to_string(file).expect("readable");
        for (line, name) in crate_paths(&text) {
            // A module's own name wins over a re-exported function of the same name (`checks()`).
            let target = if layer_of(&name).is_some() {
                name.clone()
            } else {
                exported.get(&name).cloned().unwrap_or(name.clone())
            };
            let Some(used) = layer_of(&target) else {
                if name == "VERSION" {
                    continue; // a constant of lib.rs itself
                }
                unplaced.push(format!("{target} (used at {}:{line})", file.display()));
                continue;
            };
            if used > own {
                violations.push(format!(
                    "{}:{line}: `{module}` (layer {own}) uses `crate::{name}` of `{target}` (layer {used})",
                    file.strip_prefix(&src).unwrap_or(file).display()
                ));
            }
        }
    }
    unplaced.sort();
    unplaced.dedup();
    assert!(unplaced.is_empty(), "modules missing from LAYERS in tests/layers.rs: {unplaced:?}");
    assert!(violations.is_empty(), "lower layers reach up:\n{}", violations.join("\n"));
}

#[test]
fn the_reader_sees_paths_and_groups() {
    let text = "use crate::model::view::View;\nuse crate::{Limits, Severity};\n// crate::engine in a comment\nlet x = crate::checks::all();\n#[cfg(test)]\nuse crate::engine::Engine;\n";
    let names: Vec<String> = crate_paths(text).into_iter().map(|(_, name)| name).collect();
    assert_eq!(names, ["model", "Limits", "Severity", "checks"]);
    let exported = re_exports("pub use severity::Severity;\npub use report::{\n    Finding, Report,\n};\n");
    assert_eq!(exported.get("Severity").map(String::as_str), Some("severity"));
    assert_eq!(exported.get("Report").map(String::as_str), Some("report"));
}
