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
