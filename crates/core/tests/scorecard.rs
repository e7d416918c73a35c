//! The checklist scorecard: every line traceable to findings or configuration.

use std::path::Path;

use kubeward::{Config, Engine, ItemStatus, Report, Source};

fn scan_dir(engine: &Engine, dir: &str) -> Report {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").join(dir);
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| (p.display().to_string(), std::fs::read(&p).unwrap()))
        .collect();
    files.sort();
    let sources: Vec<Source<'_>> = files.iter().map(|(n, c)| Source::new(n, c)).collect();
    engine.scan(&sources)
}

fn status(report: &Report, id: &str) -> ItemStatus {
    report.scorecard.items.iter().find(|i| i.id == id).unwrap().status
}

#[test]
fn insecure_examples_fail_pod_items_with_their_findings() {
    let report = scan_dir(&Engine::default(), "examples/manifests/insecure");
    for id in ["1.2", "1.3", "1.4", "1.5", "1.6", "1.7", "1.8", "1.9", "1.10", "8.5"] {
        assert_eq!(status(&report, id), ItemStatus::Fail, "{id}");
        let item = report.scorecard.items.iter().find(|i| i.id == id).unwrap();
        let behind =
            report.findings.iter().filter(|f| f.suppressed.is_none() && f.items.contains(&id.to_string())).count();
        assert_eq!(item.findings, behind, "item {id} counts exactly the findings that name it");
    }
    assert_eq!(report.scorecard.out_of, 50);
}

#[test]
fn hardened_examples_pass_pod_items_and_unseen_items_are_not_assessed() {
    let report = scan_dir(&Engine::default(), "examples/manifests/hardened");
    for id in ["1.2", "1.3", "1.4", "1.5", "1.6", "1.7", "1.8", "1.9", "1.10", "8.5"] {
        assert_eq!(status(&report, id), ItemStatus::Pass, "{id}");
    }
    // No control-plane manifests, no process answers: not assessed, never passed.
    for id in ["2.6", "5.2", "6.5", "7.3"] {
        assert_eq!(status(&report, id), ItemStatus::NotAssessed, "{id}");
    }
    let card = &report.scorecard;
    let passing = card.items.iter().filter(|i| i.section <= 7 && i.status == ItemStatus::Pass).count();
    assert_eq!(card.score, passing);
    assert_eq!(
        card.not_assessed
            + card.score
            + card.items.iter().filter(|i| i.section <= 7 && i.status == ItemStatus::Fail).count(),
        50
    );
}

#[test]
fn attestations_count_and_expire() {
    let config = Config::from_text(
        "today: 2026-11-23\nattestations:\n- item: \"2.6\"\n  by: alice@example.com\n  date: 2026-06-01\n  evidence: https://wiki.example.com/break-glass\n- item: \"7.3\"\n  by: bob@example.com\n  date: 2024-01-10\n  evidence: https://wiki.example.com/pentest-2024\n  validDays: 365\n",
    )
    .unwrap();
    let report = scan_dir(&Engine::new(config).unwrap(), "examples/manifests/hardened");
    assert_eq!(status(&report, "2.6"), ItemStatus::Attested);
    assert_eq!(status(&report, "7.3"), ItemStatus::Expired);
    let attested = report.scorecard.items.iter().find(|i| i.id == "2.6").unwrap();
    assert_eq!(attested.attestation.as_ref().unwrap().by, "alice@example.com");
    assert!(Engine::new(
        Config::from_text("attestations:\n- {item: \"9.9\", by: a, date: 2026-01-01, evidence: x}\n").unwrap()
    )
    .is_err());
}

#[test]
fn suppressed_findings_do_not_fail_an_item_but_are_counted() {
    let manifest = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations:\n    kubeward.io/ignore: no-host-namespaces\n    kubeward.io/ignore-reason: node agent\nspec:\n  hostPID: true\n  containers: []\n";
    let report = Engine::default().scan(&[Source::new("p.yaml", manifest.as_bytes())]);
    let item = report.scorecard.items.iter().find(|i| i.id == "1.7").unwrap();
    assert_eq!(item.status, ItemStatus::Pass);
    assert_eq!(item.suppressed, 1);
}

#[test]
fn disabled_checks_leave_their_items() {
    let everything = scan_dir(&Engine::default(), "examples/manifests/hardened");
    // An item with several checks loses one of them; an item whose checks are all disabled is not assessed.
    let items = &everything.scorecard.items;
    let alone = items.iter().find(|i| i.checks.len() == 1 && i.status == ItemStatus::Pass);
    let alone = alone.expect("a passing item with one check");
    let shared = items.iter().find(|i| i.checks.len() >= 2 && !i.checks[..1].contains(&alone.checks[0]));
    let shared = shared.expect("an item with two checks, the first another");
    let config =
        format!("checks:\n  {}: {{enabled: false}}\n  {}: {{enabled: false}}\n", shared.checks[0], alone.checks[0]);
    let engine = Engine::new(Config::from_text(&config).unwrap()).unwrap();
    for _ in 0..2 {
        // The engine's per-item lists serve every scan alike.
        let report = scan_dir(&engine, "examples/manifests/hardened");
        let item = |id: &str| report.scorecard.items.iter().find(|i| i.id == id).unwrap();
        let left: Vec<&String> = shared.checks[1..].iter().filter(|&check| check != &alone.checks[0]).collect();
        assert_eq!(item(&shared.id).checks.iter().collect::<Vec<_>>(), left);
        assert_eq!((item(&alone.id).status, item(&alone.id).checks.len()), (ItemStatus::NotAssessed, 0));
        assert_eq!(item(&alone.id).reason, "no enabled check gives evidence for it");
    }
}

/// The embedded checklist matches `../shared/checklist.yaml` item for item.
#[test]
fn embedded_checklist_matches_the_shared_one() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/checklist.yaml");
    let Ok(text) = std::fs::read_to_string(&path) else {
        assert!(std::env::var("CI").map_or(true, |v| v != "true"), "CI needs ../shared/checklist.yaml");
        eprintln!("SKIPPED: {} is missing", path.display());
        return;
    };
    let mut shared = Vec::new();
    let mut id = None;
    for line in text.lines() {
        let line = line.trim();
        if let Some(rest) = line.strip_prefix("- id: ") {
            id = Some(rest.trim_matches('"').to_string());
        } else if let (Some(rest), Some(current)) = (line.strip_prefix("slug: "), id.take()) {
            shared.push((current, rest.to_string()));
        }
    }
    let ours: Vec<(String, String)> = kubeward::checklist().into_iter().map(|i| (i.id, i.slug)).collect();
    assert_eq!(ours, shared);
}
