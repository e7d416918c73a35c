//! `examples/rbac-network`: the hardened variant raises no RBAC or network finding,
//! the insecure one raises every one of them.

use std::collections::BTreeSet;
use std::path::Path;

use kubeward::{Engine, Report, Source};

/// The YAML files of one variant of the example, as (name, bytes), in name order.
fn example_files(variant: &str) -> Vec<(String, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/rbac-network").join(variant);
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|error| panic!("{}: {error}", dir.display()))
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "yaml"))
        .map(|path| {
            let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            (name, std::fs::read(&path).unwrap_or_default())
        })
        .collect();
    files.sort();
    files
}

fn scan(variant: &str) -> Report {
    let files = example_files(variant);
    assert!(files.len() >= 4, "{variant}: expected several files");
    let sources: Vec<Source<'_>> = files.iter().map(|(name, bytes)| Source::new(name, bytes)).collect();
    let report = Engine::default().scan(&sources);
    assert!(report.errors.is_empty(), "{variant}: {:?}", report.errors);
    report
}

fn ours() -> BTreeSet<String> {
    // The mesh check (item 3.6) needs cluster-level input, which this application example is not.
    kubeward::checks()
        .into_iter()
        .filter(|c| (c.section == "rbac" || c.section == "network") && c.id != "service-mesh-mtls")
        .map(|c| c.id)
        .collect()
}

#[test]
fn hardened_variant_has_no_rbac_or_network_findings() {
    let ours = ours();
    let report = scan("hardened");
    let found: Vec<String> = report
        .findings
        .iter()
        .filter(|f| ours.contains(&f.check))
        .map(|f| format!("{}:{}: {} {}", f.file, f.range.start.line, f.check, f.message))
        .collect();
    assert!(found.is_empty(), "{found:#?}");
    assert!(report.documents.iter().filter(|d| d.status == kubeward::DocumentStatus::Evaluated).count() >= 20);
}

#[test]
fn insecure_variant_raises_every_rbac_and_network_check() {
    let ours = ours();
    let report = scan("insecure");
    let fired: BTreeSet<String> =
        report.findings.iter().map(|f| f.check.clone()).filter(|c| ours.contains(c)).collect();
    let missing: Vec<&String> = ours.difference(&fired).collect();
    assert!(missing.is_empty(), "not raised on the insecure example: {missing:?}");
}

#[test]
fn review_of_the_insecure_variant_names_who_can_do_what() {
    let files = example_files("insecure");
    let sources: Vec<Source<'_>> = files.iter().map(|(name, bytes)| Source::new(name, bytes)).collect();
    let review = Engine::default().rbac_review(&sources);
    let mut reversed = sources.clone();
    reversed.reverse();
    assert_eq!(review, Engine::default().rbac_review(&reversed), "independent of input order");
    if std::env::var("KUBEWARD_SHOW").is_ok() {
        eprintln!("{}", review.to_text());
    }
    let who: Vec<String> = review
        .subjects
        .iter()
        .map(|s| {
            format!("{} {}{}", s.kind, s.namespace.as_deref().map_or(String::new(), |ns| format!("{ns}/")), s.name)
        })
        .collect();
    // Subjects in (kind, namespace, name) order: groups, then service accounts.
    assert_eq!(
        who,
        [
            "Group shop-developers",
            "Group system:authenticated",
            "ServiceAccount shop/api",
            "ServiceAccount shop/deployer"
        ]
    );
    let api = &review.subjects[2];
    let secrets = api.grants.iter().find(|g| g.resources.contains(&"secrets".to_string())).expect("api reads secrets");
    assert_eq!(secrets.namespace.as_deref(), Some("shop"));
    assert_eq!(secrets.verbs, ["get", "list", "watch"]);
    assert_eq!(
        (secrets.binding.kind.as_str(), secrets.binding.name.as_str(), secrets.binding.file.as_str()),
        ("RoleBinding", "api", "rbac.yaml")
    );
    assert_eq!(
        (secrets.role.rule.as_deref(), secrets.role.file.as_deref(), secrets.role.line),
        (Some("/rules/0"), Some("rbac.yaml"), Some(45))
    );
    let unknown = api.grants.iter().find(|g| !g.role.found).expect("the api-extra binding's role is missing");
    assert!(unknown.verbs.is_empty() && unknown.role.note.as_deref().is_some_and(|n| n.contains("not in the input")));
    let deployer = &review.subjects[3];
    assert_eq!(deployer.grants.len(), 1);
    assert_eq!(
        (deployer.grants[0].namespace.as_deref(), deployer.grants[0].verbs.as_slice()),
        (None, &["*".to_string()][..])
    );
    let json: serde_json::Value = serde_json::from_str(&review.to_json()).expect("valid JSON");
    assert_eq!(json["subjects"][3]["grants"][0]["binding"]["kind"], "ClusterRoleBinding");
    assert!(review.to_text().contains("ServiceAccount shop/api\n  in shop"));
}
