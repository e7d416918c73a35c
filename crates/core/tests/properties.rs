//! Properties: scanning never panics, every document is accounted for, ranges
//! lie inside the input, and the report does not depend on input order.

use kubeward::{Engine, Source};
use proptest::prelude::*;

const SEED: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: shop\n  annotations:\n    kubeward.io/ignore: no-privileged:app\nspec:\n  template:\n    metadata:\n      annotations: {container.apparmor.security.beta.kubernetes.io/app: runtime/default}\n    spec:\n      securityContext: &sc\n        runAsNonRoot: true\n        seccompProfile: {type: RuntimeDefault}\n      initContainers:\n      - name: init\n        image: busybox\n      containers:\n      - name: app\n        image: \"registry.example.com/app:1.0\"\n        securityContext:\n          <<: *sc\n          privileged: yes\n          capabilities: {drop: [ALL], add: [NET_ADMIN]}\n        resources:\n          limits: {cpu: 1, memory: 1Gi}\n---\napiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: Pod, metadata: {name: p}, spec: {hostPID: true, containers: [{name: c, image: x}]}}\n- 7\n";

fn check_invariants(bytes: &[u8]) {
    let engine = Engine::default();
    let report = engine.scan(&[Source::new("input.yaml", bytes)]);
    assert!(!report.documents.is_empty(), "every input is accounted for");
    for document in &report.documents {
        assert!(document.range.end.offset as usize <= bytes.len());
    }
    for finding in &report.findings {
        assert!(finding.range.start.offset <= finding.range.end.offset);
        assert!(finding.range.end.offset as usize <= bytes.len());
        assert!(finding.range.start.line >= 1 && finding.range.start.column >= 1);
        assert!(report.documents.iter().any(|d| d.index == finding.document && d.item == finding.item));
    }
    for error in &report.errors {
        assert!(error.range.start.offset as usize <= bytes.len());
    }
    let json = report.to_json();
    let reparsed: serde_json::Value = serde_json::from_str(&json).expect("the report is JSON");
    assert!(reparsed.get("findings").is_some());
    assert_eq!(json, engine.scan(&[Source::new("input.yaml", bytes)]).to_json(), "deterministic");
}

#[derive(Debug, Clone)]
enum Mutation {
    Delete(usize, usize),
    Insert(usize, String),
    Duplicate(usize, usize),
}

fn apply(text: &str, mutation: &Mutation) -> Vec<u8> {
    let bytes = text.as_bytes();
    let clamp = |i: usize| i.min(bytes.len());
    let mut out = Vec::with_capacity(bytes.len() + 16);
    match mutation {
        Mutation::Delete(at, len) => {
            let start = clamp(*at);
            out.extend_from_slice(&bytes[..start]);
            out.extend_from_slice(&bytes[clamp(start + len)..]);
        }
        Mutation::Insert(at, piece) => {
            let at = clamp(*at);
            out.extend_from_slice(&bytes[..at]);
            out.extend_from_slice(piece.as_bytes());
            out.extend_from_slice(&bytes[at..]);
        }
        Mutation::Duplicate(at, len) => {
            let start = clamp(*at);
            let end = clamp(start + len);
            out.extend_from_slice(&bytes[..end]);
            out.extend_from_slice(&bytes[start..end]);
            out.extend_from_slice(&bytes[end..]);
        }
    }
    out
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let pieces = prop::sample::select(vec![
        "\n",
        "- ",
        ": ",
        "&a ",
        "*a",
        "<<: *sc\n",
        "{",
        "}",
        "[",
        "]",
        "\"",
        "'",
        "---\n",
        "...\n",
        "\t",
        "#",
        "|\n",
        "  ",
        "!!str ",
        "~",
        "\u{1F600}",
        "\u{feff}",
        "\r\n",
        "? ",
        "%YAML 1.1\n",
    ])
    .prop_map(str::to_string);
    prop_oneof![
        (0..SEED.len(), 1..40usize).prop_map(|(at, len)| Mutation::Delete(at, len)),
        (0..SEED.len(), pieces).prop_map(|(at, piece)| Mutation::Insert(at, piece)),
        (0..SEED.len(), 1..200usize).prop_map(|(at, len)| Mutation::Duplicate(at, len)),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        check_invariants(&bytes);
    }

    #[test]
    fn arbitrary_text_never_panics(text in "[ -~\\n\\t\u{e9}\u{1F600}]{0,400}") {
        check_invariants(text.as_bytes());
    }

    #[test]
    fn mutated_manifests_never_panic(mutations in prop::collection::vec(mutation(), 1..6)) {
        let mut text = SEED.as_bytes().to_vec();
        for m in &mutations {
            text = apply(&String::from_utf8_lossy(&text), m);
        }
        check_invariants(&text);
    }

    #[test]
    fn report_does_not_depend_on_file_order(order in Just(()).prop_perturb(|_, mut rng| {
        let mut indexes: Vec<usize> = (0..4).collect();
        for i in (1..indexes.len()).rev() {
            let j = (rng.next_u32() as usize) % (i + 1);
            indexes.swap(i, j);
        }
        indexes
    })) {
        let files = [
            ("a.yaml", SEED.to_string()),
            ("b.yaml", SEED.replace("web", "api")),
            ("c/d.yaml", "apiVersion: v1\nkind: Pod\nmetadata: {name: x}\nspec: {hostIPC: true, containers: []}\n".to_string()),
            ("e.json", "{\"apiVersion\": \"v1\", \"kind\": \"Pod\", \"metadata\": {\"name\": \"j\"}, \"spec\": {\"containers\": []}}".to_string()),
        ];
        let engine = Engine::default();
        let sorted: Vec<Source<'_>> = files.iter().map(|(n, t)| Source::new(n, t.as_bytes())).collect();
        let shuffled: Vec<Source<'_>> = order.iter().map(|&i| sorted[i]).collect();
        prop_assert_eq!(engine.scan(&sorted).to_json(), engine.scan(&shuffled).to_json());
    }

    /// Good documents give the same findings whether scanned alone or next to broken ones.
    #[test]
    fn broken_neighbours_change_nothing(position in 0..3usize, garbage in "[\\[\\]{}:&*!|>\"' a-z\\n]{1,60}") {
        let good = |name: &str| format!("apiVersion: v1\nkind: Pod\nmetadata: {{name: {name}}}\nspec:\n  hostPID: true\n  containers: [{{name: c, image: x}}]\n");
        let engine = Engine::default();
        let alone = [good("g1"), good("g2")].join("---\n");
        let mut documents = vec![good("g1"), good("g2")];
        documents.insert(position, garbage);
        let together = documents.join("\n---\n");
        let findings_of = |text: &str| -> Vec<(String, String, String)> {
            let report = engine.scan(&[Source::new("f.yaml", text.as_bytes())]);
            let mut findings: Vec<_> = report.findings.iter()
                .filter(|f| f.object.name.as_deref().is_some_and(|n| n == "g1" || n == "g2"))
                .map(|f| (f.object.name.clone().unwrap_or_default(), f.check.clone(), f.path.clone()))
                .collect();
            findings.sort();
            findings
        };
        let expected = findings_of(&alone);
        prop_assert!(expected.len() > 4);
        prop_assert_eq!(findings_of(&together), expected);
    }
}
