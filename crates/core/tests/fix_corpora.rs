//! Fixes on real manifests written by others (`../shared/corpora`, read in
//! place): every fix, safe and then with the unsafe ones, keeps every document
//! that parsed parsing, the objects equal but for the fixed fields, every
//! comment line, and leaves no fix still offered; a second pass is a no-op.
//! Prints the share of findings with a fix and the share the fixes clear
//! (`cargo test -p kubeward --release --test fix_corpora -- --nocapture`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use kubeward::{Config, Engine, FixSafety, Report, Source};
use serde_json::{Map, Value};

mod support;

fn corpora_dir() -> Option<PathBuf> {
    support::corpora_dir("corpus fix tests")
}

fn manifests(dir: &Path, out: &mut Vec<(String, String)>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            manifests(&path, out);
        } else if matches!(path.extension().and_then(|e| e.to_str()), Some("yaml" | "yml" | "json")) {
            if let Ok(text) = String::from_utf8(std::fs::read(&path).unwrap()) {
                out.push((path.display().to_string(), text));
            }
        }
    }
}

/// Fields fixes write (or remove), left out when objects are compared.
const FIXED: &[&str] = &[
    "allowPrivilegeEscalation",
    "seccompProfile",
    "readOnlyRootFilesystem",
    "runAsNonRoot",
    "runAsUser",
    "privileged",
    "capabilities",
    "automountServiceAccountToken",
    "limits",
    "hostNetwork",
    "hostPID",
    "hostIPC",
];

fn strip(value: &Value, depth: usize) -> Value {
    match value {
        Value::Object(map) => {
            let mut out = Map::new();
            for (key, value) in map {
                if FIXED.contains(&key.as_str())
                    || key.starts_with("pod-security.kubernetes.io/")
                    || (depth == 0 && key == "apiVersion")
                {
                    continue;
                }
                let value = strip(value, depth + 1);
                if matches!(key.as_str(), "securityContext" | "resources" | "labels")
                    && value == Value::Object(Map::new())
                {
                    continue;
                }
                out.insert(key.clone(), value);
            }
            Value::Object(out)
        }
        Value::Array(items) => Value::Array(items.iter().map(|item| strip(item, depth + 1)).collect()),
        other => other.clone(),
    }
}

/// The documents that parse, stripped, without the default-deny policies fixes add.
fn objects(text: &str) -> (Vec<Value>, usize) {
    let documents = kubeward::__dev::documents_as_json(text.as_bytes()).unwrap_or_default();
    let parsed: Vec<Value> = documents.into_iter().filter_map(|d| d.value.ok()).collect();
    let added = |v: &Value| {
        v["kind"] == "NetworkPolicy" && v["metadata"]["name"].as_str().is_some_and(|n| n.starts_with("default-deny"))
    };
    let count = parsed.len();
    (parsed.iter().filter(|v| !added(v)).map(|v| strip(v, 0)).collect(), count)
}

fn comment_lines(text: &str) -> BTreeMap<&str, usize> {
    let mut lines = BTreeMap::new();
    for line in text.lines().map(str::trim).filter(|line| line.starts_with('#')) {
        *lines.entry(line).or_insert(0) += 1;
    }
    lines
}

fn scan(engine: &Engine, files: &[(String, String)]) -> Report {
    let sources: Vec<Source<'_>> = files.iter().map(|(n, t)| Source::new(n, t.as_bytes())).collect();
    engine.scan(&sources)
}

/// Findings that offer a fix of `safety`, once fixes are attached.
fn offering(engine: &Engine, files: &[(String, String)], safety: FixSafety) -> Vec<String> {
    let sources: Vec<Source<'_>> = files.iter().map(|(n, t)| Source::new(n, t.as_bytes())).collect();
    let mut report = engine.scan(&sources);
    engine.attach_fixes(&sources, &mut report);
    report
        .active_findings()
        .filter(|f| f.fixes.iter().any(|fix| fix.safety == safety))
        .map(|f| format!("{}:{} {} {}", f.file, f.range.start.line, f.check, f.message))
        .collect()
}

fn fix_all(engine: &Engine, files: &[(String, String)], unsafe_too: bool) -> Vec<(String, String)> {
    let report = scan(engine, files);
    let choose = |_: &str, safety: FixSafety| safety == FixSafety::Safe || (unsafe_too && safety == FixSafety::Unsafe);
    files.iter().map(|(name, text)| (name.clone(), engine.apply_fixes(name, text, &report, &choose).text)).collect()
}

fn check_invariants(before: &[(String, String)], after: &[(String, String)]) {
    for ((name, old), (_, new)) in before.iter().zip(after) {
        if old == new {
            continue;
        }
        let (old_objects, old_count) = objects(old);
        let (new_objects, new_count) = objects(new);
        assert!(new_count >= old_count, "{name}: a document stopped parsing");
        assert_eq!(new_objects, old_objects, "{name}: objects changed beyond the fixed fields");
        let (old_comments, new_comments) = (comment_lines(old), comment_lines(new));
        for (line, count) in &old_comments {
            assert!(new_comments.get(line).copied().unwrap_or(0) >= *count, "{name}: comment {line:?} lost");
        }
        if old.contains("\r\n") && !old.replace("\r\n", "").contains('\n') {
            assert!(!new.replace("\r\n", "").contains('\n'), "{name}: LF in a CRLF file");
        }
    }
}

#[test]
fn every_corpus_fixed_safe_then_unsafe_keeps_its_invariants() {
    let Some(dir) = corpora_dir() else { return };
    let engine = Engine::new(Config::from_text("fix: {runAsUser: 10001}\n").unwrap()).unwrap();
    let mut corpora: Vec<PathBuf> =
        std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).filter(|p| p.is_dir()).collect();
    corpora.sort();
    let (mut total, mut with_fix, mut with_safe, mut left_safe, mut left_unsafe) = (0, 0, 0, 0, 0);
    let started = Instant::now();
    for corpus in corpora {
        let mut files = Vec::new();
        manifests(&corpus, &mut files);
        let sources: Vec<Source<'_>> = files.iter().map(|(n, t)| Source::new(n, t.as_bytes())).collect();
        let mut report = engine.scan(&sources);
        engine.attach_fixes(&sources, &mut report);
        let active: Vec<_> = report.active_findings().collect();
        total += active.len();
        with_fix += active.iter().filter(|f| f.fixes.iter().any(|fix| fix.safety != FixSafety::Exemption)).count();
        with_safe += active.iter().filter(|f| f.fixes.iter().any(|fix| fix.safety == FixSafety::Safe)).count();
        // Every finding offers the exemption, except in Helm output (fixed in the template) and
        // in documents with YAML aliases (one edit could change several places).
        for finding in &active {
            let helm = report
                .documents
                .iter()
                .any(|d| d.file == *finding.file && d.index == finding.document && d.helm_source.is_some());
            let aliased = files.iter().any(|(name, text)| name == &*finding.file && text.contains('*'));
            let exempt = finding.fixes.iter().any(|fix| fix.safety == FixSafety::Exemption);
            assert!(
                exempt || helm || aliased,
                "{}: no exemption offered for {} {}",
                finding.file,
                finding.check,
                finding.message
            );
        }

        let safe = fix_all(&engine, &files, false);
        check_invariants(&files, &safe);
        let still = offering(&engine, &safe, FixSafety::Safe);
        assert!(still.is_empty(), "{}: safe fixes still offered after fixing: {still:#?}", corpus.display());
        assert_eq!(fix_all(&engine, &safe, false), safe, "{}: a second safe pass changed something", corpus.display());
        left_safe += scan(&engine, &safe).active_findings().count();

        let all = fix_all(&engine, &safe, true);
        check_invariants(&safe, &all);
        let still = offering(&engine, &all, FixSafety::Unsafe);
        assert!(still.is_empty(), "{}: unsafe fixes still offered after fixing: {still:#?}", corpus.display());
        assert_eq!(fix_all(&engine, &all, true), all, "{}: a second unsafe pass changed something", corpus.display());
        left_unsafe += scan(&engine, &all).active_findings().count();
    }
    let share = |n: usize| 100.0 * n as f64 / total.max(1) as f64;
    println!(
        "corpora: {total} findings; {:.1}% carry a fix ({:.1}% a safe one); safe fixes clear {:.1}%, safe and unsafe {:.1}%; {:.1} s",
        share(with_fix),
        share(with_safe),
        share(total.saturating_sub(left_safe)),
        share(total.saturating_sub(left_unsafe)),
        started.elapsed().as_secs_f64()
    );
    assert!(total > 0 && with_fix > 0);
}
