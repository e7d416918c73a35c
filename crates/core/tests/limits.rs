//! Every resource bound: its documented default, and a hostile input that crosses
//! it failing with a positioned error while the rest of the input is still read.
//! Time is never asserted: a hang would show as a test that does not end.

use kubeward::{Config, DocumentStatus, Engine, Limits, Report, Source};

mod support;
use support::invariants::check_report;

const POD: &str =
    "apiVersion: v1\nkind: Pod\nmetadata:\n  name: ok\nspec:\n  containers:\n  - name: app\n    image: x\n";

/// `count` different pods (byte-identical ones would be one object, checked once).
fn pods(count: usize) -> Vec<String> {
    (0..count).map(|n| POD.replace("name: ok", &format!("name: ok-{n}"))).collect()
}

fn engine(limits: impl FnOnce(&mut Limits)) -> Engine {
    let mut config = Config::default();
    limits(&mut config.limits);
    Engine::new(config).expect("valid limits")
}

fn scan(engine: &Engine, bytes: &[u8]) -> Report {
    let report = engine.scan(&[Source::new("input.yaml", bytes)]);
    check_report("input.yaml", bytes, &report, &engine.config().limits);
    report
}

fn statuses(report: &Report) -> Vec<DocumentStatus> {
    report.documents.iter().map(|d| d.status).collect()
}

/// Runs `body` on a thread with a 256 KiB stack, as small as a browser's WebAssembly stack.
fn on_small_stack(body: impl FnOnce() + Send + 'static) {
    std::thread::Builder::new()
        .stack_size(256 * 1024)
        .spawn(body)
        .expect("thread")
        .join()
        .expect("no panic, no overflow");
}

#[test]
fn the_documented_defaults() {
    let limits = Limits::default();
    assert_eq!(limits.max_file_bytes, 64 * 1024 * 1024);
    assert_eq!(limits.max_depth, 128);
    assert_eq!(limits.max_expanded_nodes, 1_000_000);
    assert_eq!(limits.max_documents, 100_000);
    assert_eq!(limits.max_scalar_bytes, 16 * 1024 * 1024);
    assert_eq!(limits.max_findings_per_object, 1_000);
    let readme = include_str!("../../../docs/reliability.md");
    for row in [
        "| `maxFileBytes` | 64 MiB |",
        "| `maxDepth` | 128 |",
        "| `maxExpandedNodes` | 1,000,000 per document |",
        "| `maxDocuments` | 100,000 per file |",
        "| `maxScalarBytes` | 16 MiB |",
        "| `maxFindingsPerObject` | 1,000 |",
    ] {
        assert!(readme.contains(row), "docs/reliability.md's Limits table lacks {row}");
    }
}

#[test]
fn input_size_just_over_the_limit_is_a_file_error() {
    let engine = engine(|l| l.max_file_bytes = POD.len() as u64);
    assert_eq!(statuses(&scan(&engine, POD.as_bytes())), [DocumentStatus::Evaluated]);
    let bigger = format!("{POD}#");
    let report = scan(&engine, bigger.as_bytes());
    assert_eq!(statuses(&report), [DocumentStatus::Error]);
    assert!(report.errors[0].message.contains("maxFileBytes"));
    assert_eq!((report.errors[0].range.start.line, report.errors[0].range.start.column), (1, 1));
}

#[test]
fn nesting_at_the_limit_is_read_and_one_deeper_is_an_error_at_the_level_that_crosses_it() {
    let engine = engine(|l| l.max_depth = 10);
    // Depth 10: the root mapping and nine nested lists.
    let at_limit =
        format!("apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: a}}\na: {}x{}\n", "[".repeat(9), "]".repeat(9));
    assert!(scan(&engine, at_limit.as_bytes()).errors.is_empty());
    let deeper = format!("{POD}---\na: {}x{}\n---\n{}", "[".repeat(10), "]".repeat(10), pods(1)[0]);
    let report = scan(&engine, deeper.as_bytes());
    assert_eq!(statuses(&report), [DocumentStatus::Evaluated, DocumentStatus::Error, DocumentStatus::Evaluated]);
    let error = &report.errors[0];
    assert!(error.message.contains("maxDepth"), "{}", error.message);
    // The tenth `[` is the one that crosses the limit.
    assert_eq!(error.range.start.offset as usize, deeper.find("a: [").unwrap() + 3 + 9);
}

#[test]
fn ten_thousand_levels_of_block_and_flow_nesting_fail_fast() {
    for text in [format!("{}x\n", "- ".repeat(10_000)), format!("k: {}{}\n", "{a: ".repeat(10_000), "}".repeat(10_000))]
    {
        let report = scan(&Engine::default(), text.as_bytes());
        assert_eq!(statuses(&report), [DocumentStatus::Error]);
        assert!(report.errors[0].message.contains("nesting"), "{}", report.errors[0].message);
        assert!(report.errors[0].range.start.offset < 2 * 256 + 8);
    }
}

#[test]
fn alias_expansion_just_over_the_limit() {
    let engine = engine(|l| l.max_expanded_nodes = 100);
    // Each alias of the list weighs its 11 nodes.
    let mut text =
        String::from("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\na: &x [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]\n");
    let mut aliases = 0;
    loop {
        let candidate = format!("{text}b{aliases}: *x\n");
        if scan(&engine, candidate.as_bytes()).errors.is_empty() {
            text = candidate;
            aliases += 1;
        } else {
            break;
        }
    }
    assert!(aliases >= 6, "{aliases} aliases fit in 100 nodes");
    let over = format!("{POD}---\n{text}b{aliases}: *x\n");
    let report = scan(&engine, over.as_bytes());
    assert_eq!(statuses(&report)[1], DocumentStatus::Error);
    assert_eq!(report.errors.len(), 1);
    assert!(report.errors[0].message.contains("maxExpandedNodes"));
    assert_eq!(report.errors[0].range.start.line, over.lines().count() as u32);
}

#[test]
fn documents_at_the_limit_are_read_and_one_more_is_a_file_error() {
    let engine = engine(|l| l.max_documents = 5);
    let five = pods(5).join("---\n");
    let report = scan(&engine, five.as_bytes());
    assert_eq!(statuses(&report), [DocumentStatus::Evaluated; 5]);
    let six = pods(6).join("---\n");
    let report = scan(&engine, six.as_bytes());
    assert_eq!(statuses(&report), [DocumentStatus::Error]);
    assert!(report.errors[0].message.contains("maxDocuments"));
    // Positioned at the marker that starts the sixth document... or later, never at line 1.
    assert!(report.errors[0].range.start.line > 1);
}

#[test]
fn a_million_empty_documents_are_one_file_error() {
    let text = "---\n".repeat(1_000_000);
    let report = scan(&Engine::default(), text.as_bytes());
    assert_eq!(statuses(&report), [DocumentStatus::Error]);
    assert!(report.errors[0].message.contains("maxDocuments"));
    assert_eq!(report.errors[0].range.start.line, 100_002);
}

#[test]
fn scalar_length_just_over_the_limit() {
    let engine = engine(|l| l.max_scalar_bytes = 16);
    let ok = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: sixteen-bytes-ok}\n";
    assert!(scan(&engine, ok.as_bytes()).errors.is_empty());
    let long = format!("{POD}---\napiVersion: v1\nkind: ConfigMap\nmetadata: {{name: seventeen-bytes-x}}\n");
    let report = scan(&engine, long.as_bytes());
    assert_eq!(statuses(&report)[1], DocumentStatus::Error);
    assert!(report.errors[0].message.contains("maxScalarBytes"));
    assert_eq!((report.errors[0].range.start.line, report.errors[0].range.start.column), (12, 18));
}

#[test]
fn findings_per_object_are_capped_and_the_rest_counted() {
    // One container per finding source: 40 privileged containers give far more than 5 findings.
    let mut pod = String::from("apiVersion: v1\nkind: Pod\nmetadata: {name: many}\nspec:\n  containers:\n");
    for i in 0..40 {
        pod.push_str(&format!("  - {{name: c{i}, image: x, securityContext: {{privileged: true}}}}\n"));
    }
    let uncapped = scan(&Engine::default(), pod.as_bytes()).findings.len();
    assert!(uncapped > 6);
    let engine = engine(|l| l.max_findings_per_object = 5);
    let report = scan(&engine, pod.as_bytes());
    assert_eq!(report.findings.len(), 6);
    let last = report.findings.last().unwrap();
    assert_eq!(last.check, "too-many-findings");
    assert!(last.message.starts_with(&format!("{} more findings", uncapped - 5)), "{}", last.message);
}

#[test]
fn many_keys_in_one_mapping_scan_and_configure_in_linear_time() {
    // Before the merge-key lookup used a hash map, 50,000 keys took 30 s to configure.
    let mut pod = String::from("apiVersion: v1\nkind: Pod\nmetadata:\n  name: keys\n  annotations:\n");
    let mut config = String::from("checks:\n");
    for i in 0..50_000 {
        pod.push_str(&format!("    k{i}: v\n"));
        config.push_str(&format!("  unknown-check-{i}: {{enabled: false}}\n"));
    }
    pod.push_str("spec:\n  containers: []\n");
    let report = scan(&Engine::default(), pod.as_bytes());
    assert_eq!(statuses(&report), [DocumentStatus::Evaluated]);
    let error = Engine::from_config_text(&config).expect_err("unknown checks");
    assert!(error.message.contains("unknown-check-"), "{}", error.message);
}

#[test]
fn merge_keys_keep_written_keys_first_and_the_first_merge_wins() {
    let text = "apiVersion: v1\nkind: Pod\nmetadata: {name: m}\nspec:\n  containers:\n  - name: app\n    image: x\n    securityContext:\n      <<: [{privileged: false}, {privileged: true, runAsUser: 0}]\n      runAsUser: 1000\n";
    let report = scan(&Engine::default(), text.as_bytes());
    assert!(!report.findings.iter().any(|f| f.check == "no-privileged"), "the first merged mapping wins");
    assert!(!report.findings.iter().any(|f| f.message.contains("UID 0")), "a written key beats a merged one");
}

#[test]
fn configuration_nested_deep_through_aliases_is_an_error_on_a_small_stack() {
    // 120 anchors, each 20 levels deep around an alias of the one before: 2,400
    // levels once expanded, 20 as written. It used to overflow a 256 KiB stack.
    let mut text = String::new();
    for i in 0..120 {
        let inner = if i == 0 { "x".to_string() } else { format!("*a{}", i - 1) };
        text.push_str(&format!("a{i}: &a{i} {}{inner}{}\n", "[".repeat(20), "]".repeat(20)));
    }
    on_small_stack(move || {
        let error = Config::from_text(&text).expect_err("too deep");
        assert!(error.message.contains("nests deeper than 32"), "{}", error.message);
        let position = error.position.expect("positioned");
        assert!(position.line >= 2, "{position:?}");
    });
}

#[test]
fn hostile_scans_fit_a_small_stack() {
    on_small_stack(|| {
        let mut inputs: Vec<String> = vec![
            format!("{}x\n", "- ".repeat(10_000)),
            format!("a: {}x{}\n", "[".repeat(127), "]".repeat(127)),
            format!("{POD}  securityContext: {}x{}\n", "{a: ".repeat(120), "}".repeat(120)),
        ];
        // Aliases deepen the tree the checks walk without deepening the text.
        let mut deep = String::from("apiVersion: v1\nkind: Pod\nmetadata: {name: deep}\nx0: &x0 [1]\n");
        for i in 1..60 {
            deep.push_str(&format!("x{i}: &x{i} {}*x{}{}\n", "[".repeat(100), i - 1, "]".repeat(100)));
        }
        deep.push_str(
            "spec:\n  securityContext: {<<: *x59}\n  containers:\n  - {name: c, image: x, securityContext: *x59}\n",
        );
        inputs.push(deep);
        let engine = Engine::default();
        for input in inputs {
            let report = engine.scan(&[Source::new("input.yaml", input.as_bytes())]);
            assert!(!report.documents.is_empty());
            let _ = report.to_json();
        }
    });
}

#[test]
fn many_duplicate_keys_in_one_object_and_across_a_list() {
    // One walk of the document per duplicate key made this quadratic.
    let mut text = String::from("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: d}\ndata:\n");
    for i in 0..20_000 {
        text.push_str(&format!("  k{}: v\n", i % 2));
    }
    let report = scan(&Engine::default(), text.as_bytes());
    let duplicates: Vec<_> = report.findings.iter().filter(|f| f.check == "duplicate-key").collect();
    assert_eq!(duplicates.len(), 1_000, "capped by maxFindingsPerObject");
    assert_eq!(duplicates[0].path, "/data/k0");
    assert_eq!(duplicates[0].range.start.line, 7);
    // A List: each item finds its own duplicates, and only its own.
    let mut list = String::from("apiVersion: v1\nkind: List\nitems:\n");
    for i in 0..5_000 {
        list.push_str(&format!("- {{apiVersion: v1, kind: ConfigMap, metadata: {{name: c{i}, name: c{i}}}}}\n"));
    }
    let report = scan(&Engine::default(), list.as_bytes());
    let duplicates: Vec<_> = report.findings.iter().filter(|f| f.check == "duplicate-key").collect();
    assert_eq!(duplicates.len(), 5_000);
    for (i, finding) in duplicates.iter().enumerate() {
        assert_eq!(finding.item, Some(i));
        assert_eq!(finding.path, format!("/items/{i}/metadata/name"));
        assert_eq!(finding.range.start.line, i as u32 + 4);
    }
}
