//! Fixes on generated manifests in many styles (indentation 2 and 4, flush or
//! indented lists, flow mappings, comments everywhere, CRLF, JSON, Lists):
//! after every fix the text still parses, the objects equal the originals but
//! for the fixed fields, every comment survives, the fixed checks no longer
//! fire, and a second pass changes nothing.

use kubeward::{Config, Engine, FixSafety, Source};
use proptest::prelude::*;
use serde_json::{json, Map, Value};

/// How a generated manifest is written.
#[derive(Debug, Clone)]
struct Style {
    indent: usize,
    indented_lists: bool,
    flow_security_context: bool,
    comments: bool,
    crlf: bool,
    json: bool,
    list: bool,
}

fn style() -> impl Strategy<Value = Style> {
    (
        prop_oneof![Just(2usize), Just(4)],
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
        0..5u8,
        any::<bool>(),
    )
        .prop_map(|(indent, indented_lists, flow, comments, crlf, json, list)| Style {
            indent,
            indented_lists,
            flow_security_context: flow,
            comments,
            crlf,
            json: json == 0,
            list,
        })
}

/// A container: its security context (none, empty, or some fields) and requests.
fn container(index: usize) -> impl Strategy<Value = Value> {
    let context = prop_oneof![
        Just(None),
        Just(Some(json!({}))),
        Just(Some(json!({"privileged": true, "allowPrivilegeEscalation": true}))),
        Just(Some(json!({"runAsUser": 0, "readOnlyRootFilesystem": false}))),
        Just(Some(json!({"capabilities": {"drop": ["NET_RAW"]}, "seccompProfile": {"type": "Unconfined"}}))),
        Just(Some(json!({"runAsNonRoot": false, "capabilities": {"add": ["NET_BIND_SERVICE"]}}))),
    ];
    (context, any::<bool>()).prop_map(move |(context, requests)| {
        let mut c = Map::new();
        c.insert("name".into(), json!(format!("c{index}")));
        c.insert("image".into(), json!(format!("registry.example.com/app{index}:1.0")));
        if let Some(context) = context {
            c.insert("securityContext".into(), context);
        }
        if requests {
            c.insert("resources".into(), json!({"requests": {"cpu": "100m", "memory": "64Mi"}}));
        }
        Value::Object(c)
    })
}

fn object() -> impl Strategy<Value = Value> {
    (1..4usize, any::<bool>(), any::<bool>(), any::<bool>()).prop_flat_map(|(n, deployment, host, automount)| {
        let containers: Vec<_> = (0..n).map(container).collect();
        containers.prop_map(move |containers| {
            let mut spec = Map::new();
            if host {
                spec.insert("hostNetwork".into(), json!(true));
            }
            spec.insert("containers".into(), Value::Array(containers));
            if automount {
                spec.insert("automountServiceAccountToken".into(), json!(true));
            }
            if deployment {
                json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web", "namespace": "shop"},
                    "spec": {"selector": {"matchLabels": {"app": "web"}},
                        "template": {"metadata": {"labels": {"app": "web"}}, "spec": Value::Object(spec)}}})
            } else {
                json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "web", "namespace": "shop"}, "spec": Value::Object(spec)})
            }
        })
    })
}

/// Writes YAML in `style`, with a numbered comment before keys and after scalars.
struct Writer<'s> {
    style: &'s Style,
    out: String,
    comments: usize,
}

impl Writer<'_> {
    fn comment(&mut self) -> String {
        self.comments += 1;
        format!("# note {}", self.comments)
    }

    fn scalar(value: &Value) -> String {
        match value {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        }
    }

    fn flow(value: &Value) -> String {
        match value {
            Value::Object(map) => {
                let inner: Vec<String> = map.iter().map(|(k, v)| format!("{k}: {}", Self::flow(v))).collect();
                format!("{{{}}}", inner.join(", "))
            }
            Value::Array(items) => format!("[{}]", items.iter().map(Self::flow).collect::<Vec<_>>().join(", ")),
            other => Self::scalar(other),
        }
    }

    fn map(&mut self, map: &Map<String, Value>, indent: usize, first_inline: bool) {
        for (index, (key, value)) in map.iter().enumerate() {
            let pad = " ".repeat(indent);
            let lead = if index == 0 && first_inline { String::new() } else { pad.clone() };
            if self.style.comments && !(index == 0 && first_inline) {
                let c = self.comment();
                self.out.push_str(&format!("{pad}{c}\n"));
            }
            match value {
                Value::Object(inner)
                    if inner.is_empty() || (key == "securityContext" && self.style.flow_security_context) =>
                {
                    self.out.push_str(&format!("{lead}{key}: {}\n", Self::flow(value)));
                }
                Value::Object(inner) => {
                    self.out.push_str(&format!("{lead}{key}:\n"));
                    self.map(inner, indent + self.style.indent, false);
                }
                Value::Array(items) if items.iter().all(|i| !i.is_object()) => {
                    self.out.push_str(&format!("{lead}{key}: {}\n", Self::flow(value)));
                }
                Value::Array(items) => {
                    self.out.push_str(&format!("{lead}{key}:\n"));
                    let dash = indent + if self.style.indented_lists { self.style.indent } else { 0 };
                    for item in items {
                        self.out.push_str(&format!("{}- ", " ".repeat(dash)));
                        match item {
                            Value::Object(inner) => self.map(inner, dash + 2, true),
                            other => self.out.push_str(&format!("{}\n", Self::scalar(other))),
                        }
                    }
                }
                scalar => {
                    let trailing = if self.style.comments { format!(" {}", self.comment()) } else { String::new() };
                    self.out.push_str(&format!("{lead}{key}: {}{trailing}\n", Self::scalar(scalar)));
                }
            }
        }
    }
}

/// The manifest's text, and how many comments it holds.
fn write(objects: &[Value], style: &Style) -> (String, usize) {
    let objects: Vec<Value> =
        if style.list { vec![json!({"apiVersion": "v1", "kind": "List", "items": objects})] } else { objects.to_vec() };
    if style.json {
        let mut out = Vec::new();
        let indent = " ".repeat(style.indent);
        let formatter = serde_json::ser::PrettyFormatter::with_indent(indent.as_bytes());
        let mut serializer = serde_json::Serializer::with_formatter(&mut out, formatter);
        serde::Serialize::serialize(&objects[0], &mut serializer).unwrap();
        let text = String::from_utf8(out).unwrap() + "\n";
        return (if style.crlf { text.replace('\n', "\r\n") } else { text }, 0);
    }
    let mut writer = Writer { style, out: String::new(), comments: 0 };
    for (index, object) in objects.iter().enumerate() {
        if index > 0 || style.comments {
            writer.out.push_str("---\n");
        }
        writer.map(object.as_object().unwrap(), 0, false);
    }
    if style.comments {
        let c = writer.comment();
        writer.out.push_str(&format!("{c}\n"));
    }
    let text = if style.crlf { writer.out.replace('\n', "\r\n") } else { writer.out };
    (text, writer.comments)
}

/// The fields fixes write, and the mappings left empty without them.
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

fn strip(value: &Value) -> Value {
    match value {
        Value::Object(map) => {
            let mut out = Map::new();
            for (key, value) in map {
                if FIXED.contains(&key.as_str()) || key.starts_with("pod-security.kubernetes.io/") {
                    continue;
                }
                let value = strip(value);
                if matches!(key.as_str(), "securityContext" | "resources" | "labels")
                    && (value == json!({}) || value.is_null())
                {
                    continue;
                }
                out.insert(key.clone(), value);
            }
            Value::Object(out)
        }
        Value::Array(items) => Value::Array(items.iter().map(strip).collect()),
        other => other.clone(),
    }
}

fn documents(text: &str) -> Vec<Value> {
    kubeward::__dev::documents_as_json(text.as_bytes())
        .expect("the file reads")
        .into_iter()
        .map(|document| document.value.expect("every document parses"))
        .collect()
}

fn engine() -> Engine {
    Engine::new(Config::from_text("fix: {runAsUser: 10001}\n").unwrap()).unwrap()
}

fn fix(engine: &Engine, text: &str, unsafe_too: bool) -> String {
    let report = engine.scan(&[Source::new("m.yaml", text.as_bytes())]);
    let outcome = engine.apply_fixes("m.yaml", text, &report, &|_, safety| {
        safety == FixSafety::Safe || (unsafe_too && safety == FixSafety::Unsafe)
    });
    assert!(outcome.notes.iter().all(|note| !note.contains("left alone")), "{:?}\n{text}", outcome.notes);
    outcome.text
}

fn active_checks(engine: &Engine, text: &str) -> Vec<String> {
    let report = engine.scan(&[Source::new("m.yaml", text.as_bytes())]);
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    report.active_findings().map(|f| f.check.clone()).collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(192))]

    #[test]
    fn fixes_keep_everything_but_the_fixed_fields(objects in proptest::collection::vec(object(), 1..3), style in style()) {
        let objects = if style.json { objects[..1].to_vec() } else { objects };
        let (text, comments) = write(&objects, &style);
        let original = documents(&text);
        let engine = engine();
        for unsafe_too in [false, true] {
            let fixed = fix(&engine, &text, unsafe_too);
            // It parses, and the objects are the same but for the fixed fields.
            let after = documents(&fixed);
            prop_assert_eq!(after.iter().map(strip).collect::<Vec<_>>(), original.iter().map(strip).collect::<Vec<_>>(), "{}\n{}", text, fixed);
            // Every comment survives; line endings are kept.
            for n in 1..=comments {
                let needle = format!("# note {n}");
                prop_assert!(fixed.contains(&needle), "{} lost\n{}", needle, fixed);
            }
            if style.crlf {
                prop_assert!(!fixed.replace("\r\n", "").contains('\n'), "LF in a CRLF file:\n{:?}", fixed);
            }
            if style.json {
                prop_assert!(serde_json::from_str::<Value>(&fixed).is_ok(), "not JSON any more:\n{}", fixed);
            }
            // The fixed checks no longer fire.
            let left = active_checks(&engine, &fixed);
            let mut cleared = vec!["no-privilege-escalation", "seccomp-profile", "automount-service-account-token"];
            if unsafe_too {
                cleared.extend(["read-only-root-filesystem", "run-as-non-root", "drop-all-capabilities", "no-privileged", "no-host-namespaces"]);
            }
            for check in cleared {
                prop_assert!(!left.iter().any(|c| c == check), "{} still fires:\n{}", check, fixed);
            }
            // A second pass changes nothing.
            prop_assert_eq!(fix(&engine, &fixed, unsafe_too), fixed.clone());
        }
    }
}

#[test]
fn a_commented_list_with_indented_dashes_and_flow_contexts_is_fixed_in_place() {
    let style = Style {
        indent: 4,
        indented_lists: true,
        flow_security_context: true,
        comments: true,
        crlf: false,
        json: false,
        list: true,
    };
    let pod = json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "web"}, "spec": {"containers": [
        {"name": "a", "image": "registry.example.com/a:1", "securityContext": {"privileged": true}},
        {"name": "b", "image": "registry.example.com/b:1", "resources": {"requests": {"cpu": "1", "memory": "1Gi"}}}]}});
    let (text, _) = write(&[pod], &style);
    let fixed = fix(&engine(), &text, true);
    // The flow context stays flow, on its line; the new one is block, indented by 4, dashes indented.
    assert!(
        fixed.contains("\n                securityContext: {privileged: false, capabilities: {drop: [ALL]}, "),
        "{fixed}"
    );
    assert!(fixed.contains(
        "\n                    limits:\n                        cpu: 1\n                        memory: 1Gi\n"
    ));
    assert!(fixed.contains("\n                        drop:\n                            - ALL\n"), "{fixed}");
    assert!(
        fixed.ends_with("          automountServiceAccountToken: false\n# note 25\nkind: List # note 26\n# note 27\n")
    );
}

/// A seed in many shapes at once, for the mutation property below (the fuzz
/// target `fix` makes the same checks on any input).
const SEED: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: shop\n  annotations:\n    kubeward.io/ignore: no-privileged:app\nspec:\n  template:\n    spec:\n      hostPID: true\n      initContainers:\n      - name: init\n        image: busybox\n        securityContext:\n      containers:\n      - name: app\n        image: \"registry.example.com/app:1.0\"\n        securityContext: {privileged: yes, capabilities: {drop: [NET_RAW]}}\n        resources:\n          requests: {cpu: 1, memory: 1Gi}\n          limits: {}\n---\napiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: Pod, metadata: {name: p}, spec: {hostPID: true, containers: [{name: c, image: x}]}}\n- apiVersion: rbac.authorization.k8s.io/v1beta1\n  kind: Role\n  metadata: {name: r, namespace: shop}\n---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels:\n    pod-security.kubernetes.io/enforce: baseline\n";

fn parsed(text: &str) -> usize {
    kubeward::__dev::documents_as_json(text.as_bytes())
        .map(|d| d.iter().filter(|d| d.value.is_ok()).count())
        .unwrap_or(0)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn fixes_on_mutated_text_keep_it_readable_and_settle(at in 0..SEED.len(), len in 0..12usize, piece in "[ a-z:{}\\[\\],#\\n-]{0,8}") {
        let mut at = at;
        while !SEED.is_char_boundary(at) { at -= 1; }
        let end = (at + len).min(SEED.len());
        let text = format!("{}{}{}", &SEED[..at], piece, &SEED[end..]);
        let engine = Engine::new(Config::from_text("production:\n  namespaces: [shop]\n").unwrap()).unwrap();
        let sources = [Source::new("m.yaml", text.as_bytes())];
        let mut report = engine.scan(&sources);
        engine.attach_fixes(&sources, &mut report);
        for fix in report.findings.iter().flat_map(|f| &f.fixes) {
            let mut last = 0;
            for edit in &fix.edits {
                let (start, end) = (edit.range.start.offset as usize, edit.range.end.offset as usize);
                prop_assert!(last <= start && start <= end && end <= text.len());
                last = end;
            }
        }
        let all = |_: &str, safety: FixSafety| safety != FixSafety::Exemption;
        let fixed = engine.apply_fixes("m.yaml", &text, &report, &all).text;
        if fixed != text {
            prop_assert!(parsed(&fixed) >= parsed(&text), "a document stopped parsing:\n{}\n=>\n{}", text, fixed);
            // The objects are the same but for the fixed fields (the renamed apiVersion, the new policy).
            let objects = |text: &str| -> Vec<Value> {
                let text = text.replace("rbac.authorization.k8s.io/v1beta1", "rbac.authorization.k8s.io/v1");
                kubeward::__dev::documents_as_json(text.as_bytes())
                    .map(|documents| documents.into_iter().filter_map(|d| d.value.ok()).collect::<Vec<_>>())
                    .unwrap_or_default()
                    .iter()
                    .filter(|v| v["kind"] != "NetworkPolicy")
                    .map(strip)
                    .collect()
            };
            prop_assert_eq!(objects(&fixed), objects(&text), "objects changed:\n{}\n=>\n{}", text, fixed);
            let again = engine.scan(&[Source::new("m.yaml", fixed.as_bytes())]);
            let second = engine.apply_fixes("m.yaml", &fixed, &again, &all).text;
            prop_assert_eq!(second, fixed.clone(), "second pass changed:\n{}", text);
        }
    }
}

#[test]
fn the_mutation_seed_is_fixed_everywhere_it_can_be() {
    let engine = Engine::new(Config::from_text("production:\n  namespaces: [shop]\n").unwrap()).unwrap();
    let report = engine.scan(&[Source::new("m.yaml", SEED.as_bytes())]);
    let outcome = engine.apply_fixes("m.yaml", SEED, &report, &|_, safety| safety != FixSafety::Exemption);
    let text = &outcome.text;
    // `securityContext:` with nothing after it gets its block on the next lines.
    assert!(
        text.contains("        securityContext:\n          capabilities:\n            drop:\n            - ALL\n"),
        "{text}"
    );
    // A flow context grows in place; the exempted `privileged: yes` stays.
    assert!(text.contains("securityContext: {privileged: yes, capabilities: {drop: [NET_RAW, ALL]}, "), "{text}");
    assert!(text.contains("limits: {cpu: 1, memory: 1Gi}"), "{text}");
    // In a List, the flow item is edited; the rename keeps the Role.
    assert!(text.contains("spec: {hostPID: false, containers: [{name: c, image: x, securityContext: {"), "{text}");
    assert!(text.contains("- apiVersion: rbac.authorization.k8s.io/v1\n"), "{text}");
    // The namespace: labels, then the policy as a new document after it.
    assert!(text.contains("    pod-security.kubernetes.io/enforce: restricted\n"), "{text}");
    assert!(text.ends_with("---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: default-deny\n  namespace: shop\nspec:\n  podSelector: {}\n  policyTypes:\n  - Ingress\n  - Egress\n"), "{text}");
    assert!(outcome.notes.iter().all(|note| note.contains("resource-limits")), "{:?}", outcome.notes);
}
