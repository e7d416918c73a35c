//! Properties: scanning never panics, every document is accounted for, ranges
//! lie inside the input, the report does not depend on input order, and nothing
//! is lost: generated multi-document inputs (Pods, Lists, JSON, broken documents)
//! report every document, and good documents as if they were alone.

use kubeward::{DocumentStatus, Engine, Source};
use proptest::prelude::*;
use serde_json::{json, Value};

mod support;

const SEED: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: shop\n  annotations:\n    kubeward.io/ignore: no-privileged:app\nspec:\n  template:\n    metadata:\n      annotations: {container.apparmor.security.beta.kubernetes.io/app: runtime/default}\n    spec:\n      securityContext: &sc\n        runAsNonRoot: true\n        seccompProfile: {type: RuntimeDefault}\n      initContainers:\n      - name: init\n        image: busybox\n      containers:\n      - name: app\n        image: \"registry.example.com/app:1.0\"\n        securityContext:\n          <<: *sc\n          privileged: yes\n          capabilities: {drop: [ALL], add: [NET_ADMIN]}\n        resources:\n          limits: {cpu: 1, memory: 1Gi}\n---\napiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: Pod, metadata: {name: p}, spec: {hostPID: true, containers: [{name: c, image: x}]}}\n- 7\n";

/// Every invariant of `support::invariants` (documents accounted for, ranges
/// inside the input with line/column agreeing with offsets, JSON round trip,
/// determinism), the same checks the fuzz targets make.
fn check_invariants(bytes: &[u8]) {
    support::invariants::scan_and_check(&Engine::default(), bytes);
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

/// One generated document: a Pod, a `List` of Pods, broken input, or YAML
/// that may be readable but is no Kubernetes object.
#[derive(Debug, Clone)]
enum Doc {
    Object { value: Value, style: Style },
    List { items: Vec<Value>, style: Style },
    Broken(Vec<u8>),
    NotAnObject(Vec<u8>),
}

#[derive(Debug, Clone, Copy)]
enum Style {
    Block,
    Flow,
    Json,
}

fn pod(name: String, host_pid: Option<bool>, containers: Vec<(Option<bool>, Option<i64>)>) -> Value {
    let containers: Vec<Value> = containers
        .into_iter()
        .enumerate()
        .map(|(i, (privileged, run_as_user))| {
            let mut context = serde_json::Map::new();
            if let Some(privileged) = privileged {
                context.insert("privileged".into(), json!(privileged));
            }
            if let Some(user) = run_as_user {
                context.insert("runAsUser".into(), json!(user));
            }
            json!({"name": format!("c{i}"), "image": "registry.example.com/app:1", "securityContext": context})
        })
        .collect();
    let mut spec = json!({"containers": containers});
    if let Some(host_pid) = host_pid {
        spec["hostPID"] = json!(host_pid);
    }
    json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name, "namespace": "shop"}, "spec": spec})
}

/// YAML in block style; every string here is a plain-safe scalar.
fn block(value: &Value, indent: usize, out: &mut String) {
    let pad = " ".repeat(indent);
    match value {
        Value::Object(map) if !map.is_empty() => {
            for (key, value) in map {
                out.push_str(&format!("{pad}{key}:"));
                inline_or_block(value, indent + 2, out);
            }
        }
        Value::Array(items) if !items.is_empty() => {
            for item in items {
                out.push_str(&format!("{pad}-"));
                inline_or_block(item, indent + 2, out);
            }
        }
        other => out.push_str(&format!("{pad}{other}\n")),
    }
}

fn inline_or_block(value: &Value, indent: usize, out: &mut String) {
    match value {
        Value::Object(map) if !map.is_empty() => {
            out.push('\n');
            block(value, indent, out);
        }
        Value::Array(items) if !items.is_empty() => {
            out.push('\n');
            block(value, indent, out);
        }
        Value::String(s) => out.push_str(&format!(" {s}\n")),
        other => out.push_str(&format!(" {other}\n")),
    }
}

fn flow(value: &Value) -> String {
    match value {
        Value::Object(map) => {
            let entries: Vec<String> = map.iter().map(|(k, v)| format!("{k}: {}", flow(v))).collect();
            format!("{{{}}}", entries.join(", "))
        }
        Value::Array(items) => format!("[{}]", items.iter().map(flow).collect::<Vec<_>>().join(", ")),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn render(value: &Value, style: Style) -> String {
    match style {
        Style::Block => {
            let mut out = String::new();
            block(value, 0, &mut out);
            out
        }
        Style::Flow => format!("{}\n", flow(value)),
        Style::Json => format!("{}\n", serde_json::to_string_pretty(value).expect("JSON")),
    }
}

impl Doc {
    fn bytes(&self) -> Vec<u8> {
        match self {
            Doc::Object { value, style } => render(value, *style).into_bytes(),
            Doc::List { items, style } => {
                render(&json!({"apiVersion": "v1", "kind": "List", "items": items}), *style).into_bytes()
            }
            Doc::Broken(bytes) | Doc::NotAnObject(bytes) => bytes.clone(),
        }
    }
}

fn style() -> impl Strategy<Value = Style> {
    prop_oneof![Just(Style::Block), Just(Style::Flow), Just(Style::Json)]
}

fn pod_value() -> impl Strategy<Value = Value> {
    (
        any::<u16>(),
        prop::option::of(any::<bool>()),
        prop::collection::vec(
            (prop::option::of(any::<bool>()), prop::option::of(prop_oneof![Just(0i64), Just(1000)])),
            1..4,
        ),
    )
        .prop_map(|(name, host_pid, containers)| pod(format!("p{name}"), host_pid, containers))
}

fn broken() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        Just(b"kind: [unclosed\n".to_vec()),
        Just(b"apiVersion: v1\nkind: Pod\nmetadata: {name: x\n".to_vec()),
        Just(b"apiVersion: v1\nkind: Pod\nmetadata:\n  name: \xff\xfe\n".to_vec()),
        Just(b"a: *undefined\n".to_vec()),
        Just(b"a: &x [*x]\n".to_vec()),
        Just(b"key: \"unterminated\n".to_vec()),
        Just(b"apiVersion: v1\nkind: Pod\nmetadata: {name: deep}\nspec: \x5b\x5b\x5b\x5b\x5b\n".to_vec()),
    ]
}

/// YAML that is not a Kubernetes object, or garbage that may not be YAML at all.
fn not_an_object() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        Just(b"- just\n- a list\n".to_vec()),
        Just(b"just a scalar\n".to_vec()),
        Just(b"replicaCount: 2\nimage: {repository: nginx}\n".to_vec()),
        "x: \\[[\\[\\]{}:,&*!|>'\" a-z]{0,30}".prop_map(|s| format!("{s}\n").into_bytes()),
    ]
}

fn doc() -> impl Strategy<Value = Doc> {
    prop_oneof![
        4 => (pod_value(), style()).prop_map(|(value, style)| Doc::Object { value, style }),
        1 => (prop::collection::vec(pod_value(), 1..4), style()).prop_map(|(items, style)| Doc::List { items, style }),
        1 => broken().prop_map(Doc::Broken),
        1 => not_an_object().prop_map(Doc::NotAnObject),
    ]
}

/// Names and namespaces made unique per generated input (so no cross-object
/// check, such as a namespace's default-deny policy, links two documents).
fn uniquely_named(mut docs: Vec<Doc>) -> Vec<Doc> {
    let mut n = 0;
    let mut rename = |value: &mut Value| {
        value["metadata"]["name"] = json!(format!("pod-{n}"));
        value["metadata"]["namespace"] = json!(format!("ns-{n}"));
        n += 1;
    };
    for doc in &mut docs {
        match doc {
            Doc::Object { value, .. } => rename(value),
            Doc::List { items, .. } => items.iter_mut().for_each(&mut rename),
            Doc::Broken(_) | Doc::NotAnObject(_) => {}
        }
    }
    docs
}

/// (check, path, message, severity, start offset relative to the document, end offset relative)
type Seen = Vec<(String, String, String, String, u32, u32)>;

fn findings_of(report: &kubeward::Report, document: usize, base: u32) -> Seen {
    let mut seen: Seen = report
        .findings
        .iter()
        .filter(|f| f.document == document)
        .map(|f| {
            (
                f.check.clone(),
                f.path.clone(),
                f.message.clone(),
                format!("{:?}", f.severity),
                f.range.start.offset - base,
                f.range.end.offset - base,
            )
        })
        .collect();
    seen.sort();
    seen
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    /// Nothing lost: every generated document is in the report with the status it
    /// deserves (a List once per item), and every good document gives the same
    /// findings, at the same offsets relative to its start, as when scanned alone.
    #[test]
    fn every_document_is_accounted_for_and_good_ones_are_unaffected(
        docs in prop::collection::vec(doc(), 1..7).prop_map(uniquely_named),
        separators in prop::collection::vec(prop_oneof![Just("---\n"), Just("--- # next\n"), Just("...\n---\n")], 7),
        leading_marker in any::<bool>(),
    ) {
        let engine = Engine::default();
        let mut input = Vec::new();
        let mut starts = Vec::new();
        for (i, doc) in docs.iter().enumerate() {
            if i > 0 || leading_marker {
                input.extend_from_slice(separators[i].as_bytes());
            }
            starts.push(input.len() as u32);
            input.extend_from_slice(&doc.bytes());
        }
        let report = support::invariants::scan_and_check(&engine, &input);
        let mut indexes: Vec<usize> = report.documents.iter().map(|d| d.index).collect();
        indexes.dedup();
        prop_assert_eq!(indexes.len(), docs.len(), "one report document per input document");
        for (i, doc) in docs.iter().enumerate() {
            let entries: Vec<_> = report.documents.iter().filter(|d| d.index == i).collect();
            match doc {
                Doc::Object { value, .. } => {
                    prop_assert_eq!(entries.len(), 1);
                    prop_assert_eq!(entries[0].status, DocumentStatus::Evaluated);
                    prop_assert_eq!(entries[0].name.as_deref(), value["metadata"]["name"].as_str());
                }
                Doc::List { items, .. } => {
                    prop_assert_eq!(entries.len(), items.len());
                    for (k, entry) in entries.iter().enumerate() {
                        prop_assert_eq!(entry.item, Some(k));
                        prop_assert_eq!(entry.status, DocumentStatus::Evaluated);
                    }
                }
                Doc::Broken(_) => {
                    prop_assert_eq!(entries.len(), 1);
                    prop_assert_eq!(entries[0].status, DocumentStatus::Error);
                }
                Doc::NotAnObject(_) => {
                    // Skipped when it reads as YAML, an error when it does not; never evaluated.
                    prop_assert_eq!(entries.len(), 1);
                    prop_assert!(entries[0].status != DocumentStatus::Evaluated);
                    prop_assert!(entries[0].reason.is_some());
                }
            }
            if !matches!(doc, Doc::Broken(_) | Doc::NotAnObject(_)) {
                let alone = doc.bytes();
                let alone_report = engine.scan(&[Source::new("input.yaml", &alone)]);
                let expected = findings_of(&alone_report, 0, 0);
                prop_assert!(!expected.is_empty(), "a generated Pod always has findings");
                prop_assert_eq!(findings_of(&report, i, starts[i]), expected);
            }
        }
    }
}
