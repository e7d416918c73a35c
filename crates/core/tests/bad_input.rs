//! Bad input gives a clear, positioned error and never hides the rest of the report.

use kubeward::{Config, DocumentStatus, Engine, Source};

/// Two different pods (byte-identical ones would be one object, checked once).
const OTHER_POD: &str = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: other\nspec:\n  containers:\n  - name: app\n    image: x\n    securityContext:\n      privileged: true\n";
const GOOD_POD: &str = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: good\nspec:\n  containers:\n  - name: app\n    image: x\n    securityContext:\n      privileged: true\n";

fn scan(bytes: &[u8]) -> kubeward::Report {
    Engine::default().scan(&[Source::new("input.yaml", bytes)])
}

fn statuses(report: &kubeward::Report) -> Vec<DocumentStatus> {
    report.documents.iter().map(|d| d.status).collect()
}

#[test]
fn broken_yaml_between_two_good_documents() {
    let text = format!("{GOOD_POD}---\nkind: [unclosed\n  - x: {{\n---\n{OTHER_POD}");
    let report = scan(text.as_bytes());
    assert_eq!(statuses(&report), [DocumentStatus::Evaluated, DocumentStatus::Error, DocumentStatus::Evaluated]);
    assert_eq!(report.errors.len(), 1);
    assert_eq!(report.errors[0].document, Some(1));
    assert!(report.errors[0].range.start.line >= 12, "{:?}", report.errors[0]);
    assert!(report.errors[0].message.contains("YAML"), "{}", report.errors[0].message);
    assert_eq!(report.findings.iter().filter(|f| f.check == "no-privileged").count(), 2);
    assert_eq!(report.findings.iter().filter(|f| f.check == "no-privileged" && f.document == 2).count(), 1);
}

#[test]
fn scalar_and_sequence_documents_are_skipped_and_strict_makes_them_errors() {
    let text = format!("just a string\n---\n- a\n- b\n---\n{GOOD_POD}");
    let report = scan(text.as_bytes());
    assert_eq!(statuses(&report), [DocumentStatus::Skipped, DocumentStatus::Skipped, DocumentStatus::Evaluated]);
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    assert!(report.documents[0].reason.as_deref().unwrap().contains("YAML string"));
    assert!(report.documents[1].reason.as_deref().unwrap().contains("YAML list"));
    assert_eq!(report.documents[1].range.start.line, 3);

    let strict = Engine::from_config_text("strict: true\n").unwrap();
    let report = strict.scan(&[Source::new("input.yaml", text.as_bytes())]);
    assert_eq!(statuses(&report), [DocumentStatus::Error, DocumentStatus::Error, DocumentStatus::Evaluated]);
    assert!(report.errors[0].message.contains("string"));
    assert!(report.errors[1].message.contains("list"));
    assert_eq!(report.errors[1].range.start.line, 3);
}

#[test]
fn objects_without_kind_or_api_version_are_reported() {
    let report = scan(b"metadata:\n  name: x\n---\nkind: Pod\n---\napiVersion: v1\n");
    // A mapping with neither is YAML that is not an object; one with only one of them was meant as one.
    assert_eq!(statuses(&report), [DocumentStatus::Skipped, DocumentStatus::Error, DocumentStatus::Error]);
    assert!(report.documents[0].reason.as_deref().unwrap().contains("no apiVersion and no kind"));
    assert!(report.documents[1].reason.as_deref().unwrap().contains("kind Pod but no apiVersion"));
    assert!(report.documents[2].reason.as_deref().unwrap().contains("apiVersion v1 but no kind"));
    assert_eq!(report.errors.len(), 2);
}

#[test]
fn unknown_kinds_are_skipped_with_a_reason() {
    let report = scan(b"apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\n");
    assert_eq!(statuses(&report), [DocumentStatus::Skipped]);
    assert!(report.documents[0].reason.as_deref().unwrap().contains("Widget"));
    assert!(report.errors.is_empty());
}

#[test]
fn wrong_typed_fields_are_findings_and_other_checks_still_run() {
    let manifest = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: w\nspec:\n  hostPID: true\n  containers:\n  - name: app\n    image: x\n    securityContext:\n      privileged: \"maybe\"\n      runAsUser: root\n";
    let report = scan(manifest.as_bytes());
    let invalid: Vec<_> = report.findings.iter().filter(|f| f.check == "invalid-field").collect();
    assert_eq!(invalid.len(), 2, "{invalid:#?}");
    let privileged = invalid.iter().find(|f| f.path.ends_with("/privileged")).unwrap();
    assert_eq!((privileged.range.start.line, privileged.range.start.column), (11, 7));
    assert!(privileged.message.contains("string") && privileged.message.contains("boolean"));
    assert!(report.findings.iter().any(|f| f.check == "no-host-namespaces"));
    assert!(report.findings.iter().any(|f| f.check == "drop-all-capabilities"));
}

#[test]
fn containers_of_the_wrong_shape() {
    let report = scan(b"apiVersion: v1\nkind: Pod\nmetadata:\n  name: w\nspec:\n  containers: app\n");
    assert_eq!(statuses(&report), [DocumentStatus::Evaluated]);
    let invalid = report.findings.iter().find(|f| f.check == "invalid-field").unwrap();
    assert_eq!(invalid.path, "/spec/containers");
    let report = scan(b"apiVersion: v1\nkind: Pod\nmetadata:\n  name: w\nspec:\n  containers:\n  - just-a-name\n");
    assert!(report.findings.iter().any(|f| f.check == "invalid-field" && f.path == "/spec/containers/0"));
}

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    let text = format!("{GOOD_POD}---\nkey: {}{}\n---\n{OTHER_POD}", "[".repeat(100_000), "]".repeat(100_000));
    let report = scan(text.as_bytes());
    assert_eq!(statuses(&report), [DocumentStatus::Evaluated, DocumentStatus::Error, DocumentStatus::Evaluated]);
}

#[test]
fn alias_bomb_fails_fast() {
    let mut text = String::from("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: lol}\ndata:\n  a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for i in 1..20 {
        let refs: Vec<String> = (0..10).map(|_| format!("*a{}", i - 1)).collect();
        text.push_str(&format!("  a{i}: &a{i} [{}]\n", refs.join(", ")));
    }
    let report = scan(text.as_bytes());
    assert_eq!(statuses(&report), [DocumentStatus::Error]);
    assert!(report.errors[0].message.contains("maxExpandedNodes"));
}

#[test]
fn empty_input_and_comment_only_files_are_reported() {
    let report = scan(b"");
    assert_eq!(statuses(&report), [DocumentStatus::Skipped]);
    assert!(report.documents[0].reason.as_deref().unwrap().contains("empty"));
    let report = scan(b"# nothing here\n---\n");
    assert_eq!(statuses(&report), [DocumentStatus::Skipped]);
    assert!(report.documents[0].reason.as_deref().unwrap().contains("no Kubernetes objects"));
}

#[test]
fn non_utf8_bytes_affect_only_their_document() {
    let mut bytes = GOOD_POD.as_bytes().to_vec();
    bytes.extend_from_slice(b"---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: \xff\xfe\n");
    bytes.extend_from_slice(b"---\n");
    bytes.extend_from_slice(OTHER_POD.as_bytes());
    let report = scan(&bytes);
    assert_eq!(statuses(&report), [DocumentStatus::Evaluated, DocumentStatus::Error, DocumentStatus::Evaluated]);
    assert!(report.errors[0].message.contains("UTF-8"));
    assert_eq!(report.errors[0].range.start.line, 15);
}

#[test]
fn size_and_document_limits_are_positioned_errors() {
    let mut config = Config::default();
    config.limits.max_file_bytes = 100;
    let engine = Engine::new(config).unwrap();
    let report = engine.scan(&[Source::new("big.yaml", GOOD_POD.as_bytes()), Source::new("ok.yaml", b"a: 1\n")]);
    assert_eq!(report.errors.len(), 1);
    assert!(report.errors.iter().any(|e| e.file == "big.yaml" && e.message.contains("maxFileBytes")));

    let mut config = Config::default();
    config.limits.max_documents = 10;
    let engine = Engine::new(config).unwrap();
    let report = engine.scan(&[Source::new("many.yaml", "---\n".repeat(50).as_bytes())]);
    assert!(report.errors[0].message.contains("maxDocuments"));
}

#[test]
fn list_items_are_objects_and_bad_items_are_errors() {
    let list = "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Pod\n  metadata: {name: a}\n  spec:\n    hostIPC: true\n    containers: []\n- 42\n- apiVersion: v1\n  kind: Service\n  metadata: {name: s}\n";
    let report = scan(list.as_bytes());
    assert_eq!(statuses(&report), [DocumentStatus::Evaluated, DocumentStatus::Error, DocumentStatus::Evaluated]);
    assert_eq!(report.documents[0].item, Some(0));
    assert_eq!(report.documents[0].range.start.line, 4);
    let host = report.findings.iter().find(|f| f.check == "no-host-namespaces").unwrap();
    assert_eq!(host.path, "/items/0/spec/hostIPC");
    assert_eq!(host.item, Some(0));
    assert_eq!(host.range.start.line, 8);
    let empty = scan(b"apiVersion: v1\nkind: List\nitems: []\n");
    assert_eq!(statuses(&empty), [DocumentStatus::Skipped]);
}
