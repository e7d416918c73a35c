//! Every check's declared examples are tests: the failing one is flagged, the
//! passing one is not. And every declared check is registered.

use std::path::Path;

use kubeward::{Engine, Source};

fn findings_of(check: &str, manifest: &str) -> Vec<kubeward::Finding> {
    let report = Engine::default().scan(&[Source::new("example.yaml", manifest.as_bytes())]);
    assert!(report.errors.is_empty(), "example for {check} does not load: {:?}", report.errors);
    report.findings.into_iter().filter(|f| f.check == check).collect()
}

#[test]
fn failing_examples_are_flagged_and_passing_examples_are_not() {
    let checks = kubeward::checks();
    assert!(checks.len() >= 10);
    for check in checks {
        assert!(!check.fail_example.is_empty() && !check.pass_example.is_empty(), "{} lacks examples", check.id);
        let flagged = findings_of(&check.id, &check.fail_example);
        assert!(!flagged.is_empty(), "the failing example of {} is not flagged", check.id);
        for finding in &flagged {
            assert!(finding.range.start.line >= 1 && finding.range.start.column >= 1);
            assert!(finding.range.end.offset >= finding.range.start.offset);
            assert!(finding.path.is_empty() || finding.path.starts_with('/'), "{}: {}", check.id, finding.path);
            assert_eq!(finding.items[..], check.items[..]);
        }
        let passing = findings_of(&check.id, &check.pass_example);
        assert!(passing.is_empty(), "the passing example of {} is flagged: {passing:?}", check.id);
    }
}

#[test]
fn metadata_is_complete_and_ids_are_unique_kebab_case() {
    let checks = kubeward::checks();
    let mut ids: Vec<&str> = checks.iter().map(|c| c.id.as_str()).collect();
    ids.sort_unstable();
    let before = ids.len();
    ids.dedup();
    assert_eq!(before, ids.len(), "duplicate check ids");
    for check in &checks {
        assert!(check.id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'), "{}", check.id);
        assert!(
            !check.title.is_empty() && !check.rationale.is_empty() && !check.remediation.is_empty(),
            "{}",
            check.id
        );
        assert!(check.remediation.trim_end().ends_with('.'), "remediation of {} is not a sentence", check.id);
        // Prose is shown as written (reports, `explain`, editors): no runs of spaces left by line breaks.
        for text in [&check.title, &check.rationale, &check.remediation] {
            assert!(!text.contains("  ") && !text.contains('\n'), "{}: prose with a run of spaces: {text}", check.id);
        }
        for item in &check.items {
            let (section, number) = item.split_once('.').expect("item id like 1.2");
            assert!((1..=8).contains(&section.parse::<u32>().unwrap()) && number.parse::<u32>().is_ok(), "{item}");
        }
    }
}

/// Every file under `src/checks/` that declares a check is in the registry.
#[test]
fn every_declared_check_is_registered() {
    let registered: Vec<String> = kubeward::checks().into_iter().map(|c| c.id).collect();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/checks");
    let mut declared = Vec::new();
    let mut stack = vec![root];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            if !(text.contains("const CHECK: Check") || text.contains(": CheckMeta = CheckMeta")) {
                continue;
            }
            for line in text.lines() {
                if let Some(rest) = line.trim().strip_prefix("id: \"") {
                    declared.push((path.display().to_string(), rest.trim_end_matches("\",").to_string()));
                }
            }
        }
    }
    assert!(!declared.is_empty());
    for (file, id) in declared {
        assert!(registered.contains(&id), "check `{id}` declared in {file} is not in the registry");
    }
}
