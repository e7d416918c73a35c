//! Loading on several threads gives the same report, byte for byte, as one thread.

use kubeward::{Engine, PssLevel, PssVersion, Source};

fn texts() -> Vec<(String, String)> {
    (0..97)
        .map(|index| {
            let text = match index % 6 {
                0 => format!("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p{index}\nspec:\n  containers:\n  - name: c\n    image: nginx\n    securityContext:\n      privileged: true\n"),
                1 => format!("---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d{index}\nspec:\n  template:\n    spec:\n      hostPID: true\n      containers:\n      - name: c\n        image: nginx:latest\n        env:\n        - name: PASSWORD\n          value: hunter2hunter2\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: s{index}\n"),
                2 => "kind: Pod\nmetadata: {name: bad\nspec: [\n".to_string(),
                3 => String::new(),
                4 => format!("apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: r{index}\nrules:\n- apiGroups: ['*']\n  resources: ['*']\n  verbs: ['*']\n"),
                _ => "# only a comment, caf\u{e9} \u{65e5}\u{672c}\n".repeat(index % 4 + 1),
            };
            (format!("dir{}/file{index}.yaml", index % 5), text)
        })
        .collect()
}

#[test]
fn reports_do_not_depend_on_the_number_of_threads() {
    let texts = texts();
    let sources: Vec<Source<'_>> = texts.iter().map(|(name, text)| Source::new(name, text.as_bytes())).collect();
    let one = Engine::default().scan(&sources).to_json();
    let pss =
        serde_json::to_string(&Engine::default().pss(&sources, PssLevel::Restricted, PssVersion::LATEST)).unwrap();
    for threads in [0, 2, 3, 7, 200] {
        let engine = Engine::default().with_threads(threads);
        assert!(engine.scan(&sources).to_json() == one, "scan differs with {threads} threads");
        let other = serde_json::to_string(&engine.pss(&sources, PssLevel::Restricted, PssVersion::LATEST)).unwrap();
        assert!(other == pss, "pss differs with {threads} threads");
    }
}

#[test]
fn write_json_writes_the_bytes_of_to_json() {
    let texts = texts();
    let sources: Vec<Source<'_>> = texts.iter().map(|(name, text)| Source::new(name, text.as_bytes())).collect();
    let report = Engine::default().scan(&sources);
    let mut written = Vec::new();
    report.write_json(&mut written).unwrap();
    assert!(written == report.to_json().into_bytes());
}

/// Objects whose fields have the wrong type (read by several checks, some of them
/// cross-object), inline ignores, and more objects than one resolution batch.
fn tricky_texts() -> Vec<(String, String)> {
    (0..4500)
        .map(|index| {
            let text = match index % 4 {
                0 => format!("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p{index}\n  namespace: team{}\n  labels: {{app: a{index}}}\n  annotations:\n    kubeward.io/ignore: \"image-latest-tag, resource-limits:c\"\nspec:\n  serviceAccountName: [not, a, string]\n  containers:\n  - name: c\n    image: nginx\n    ports: {{containerPort: 80}}\n    securityContext:\n      privileged: maybe\n      runAsNonRoot: 1\n", index % 7),
                1 => format!("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d{index}\n  labels: [x]\nspec:\n  selector: {{matchLabels: {{app: a}}}}\n  template:\n    metadata:\n      labels: {{app: 3}}\n      annotations: {{kubeward.io/ignore: 5}}\n    spec:\n      automountServiceAccountToken: sometimes\n      containers:\n      - name: c\n        image: 7\n        resources: {{limits: {{cpu: [1]}}}}\n"),
                2 => format!("apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: n{index}\n  namespace: team{}\nspec:\n  podSelector: {{matchLabels: 4}}\n  ingress: {{from: []}}\n", index % 7),
                _ => format!("apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n  name: b{index}\n  namespace: team{}\nsubjects: {{kind: User}}\nroleRef: {{kind: ClusterRole, name: [admin]}}\n", index % 7),
            };
            (format!("f{:05}.yaml", index / 3), text)
        })
        .collect()
}

#[test]
fn invalid_fields_and_ignores_do_not_depend_on_the_number_of_threads() {
    let texts = tricky_texts();
    let sources: Vec<Source<'_>> = texts.iter().map(|(name, text)| Source::new(name, text.as_bytes())).collect();
    let report = Engine::default().scan(&sources);
    assert!(report.findings.iter().any(|f| f.check == "invalid-field"), "the corpus has invalid fields");
    assert!(report.findings.iter().any(|f| f.suppressed.is_some()), "the corpus has inline ignores");
    let one = report.to_json();
    for threads in [2, 3] {
        assert!(Engine::default().with_threads(threads).scan(&sources).to_json() == one, "{threads} threads differ");
    }
}

/// The shared corpora of real manifests, each scanned on one and on two threads.
#[test]
fn real_corpora_do_not_depend_on_the_number_of_threads() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpora");
    if !dir.is_dir() {
        assert!(std::env::var("CI").as_deref() != Ok("true"), "the shared corpora are missing at {}", dir.display());
        eprintln!("SKIPPED: the shared corpora are not at {}", dir.display());
        return;
    }
    let mut files = Vec::new();
    let mut pending = vec![dir];
    while let Some(path) = pending.pop() {
        if path.is_dir() {
            pending.extend(std::fs::read_dir(&path).unwrap().map(|entry| entry.unwrap().path()));
        } else if matches!(path.extension().and_then(|e| e.to_str()), Some("yaml" | "yml" | "json")) {
            files.push((path.display().to_string(), std::fs::read(&path).unwrap()));
        }
    }
    assert!(files.len() > 100, "the corpora hold hundreds of files");
    let sources: Vec<Source<'_>> = files.iter().map(|(name, text)| Source::new(name, text)).collect();
    let one = Engine::default().scan(&sources).to_json();
    assert!(Engine::default().with_threads(2).scan(&sources).to_json() == one, "two threads differ");
}
