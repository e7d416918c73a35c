//! YAML that is not a Kubernetes object, recognized for what it is.
//!
//! A repository holds more YAML than manifests: kustomize files, Helm charts
//! (their metadata, values and unrendered templates), CI and build
//! configuration, JSON patch lists. Such a document is skipped with a reason
//! that says what it looks like; it is never an input error (unless the
//! configuration asks for `strict`). Input errors are kept for YAML that
//! cannot be read and for documents clearly meant as objects that cannot be
//! one (a `kind` without an `apiVersion`).

use crate::yaml::{NodeId, NodeKind, Tree};

/// The last path component of a file name (`a/b/values.yaml` → `values.yaml`).
pub(crate) fn base_name(file: &str) -> &str {
    file.rsplit(['/', '\\']).next().unwrap_or(file)
}

/// The directory part of a file name, without its trailing separator (`""` at the top).
pub(crate) fn directory_of(file: &str) -> &str {
    file.rfind(['/', '\\']).map_or("", |at| &file[..at])
}

/// Does a file name say it is a kustomization?
pub(crate) fn is_kustomization_file(file: &str) -> bool {
    matches!(base_name(file), "kustomization.yaml" | "kustomization.yml" | "Kustomization")
}

/// Is the file inside a Helm chart's `templates/` folder (at any depth below it)?
fn in_chart_templates(file: &str) -> bool {
    let directory = directory_of(file);
    directory.split(['/', '\\']).any(|component| component == "templates")
}

/// How a skipped template is explained.
pub(crate) const TEMPLATE_REASON: &str = "unrendered template (Go template actions `{{ }}`, as in a Helm chart's \
    templates/): not YAML kubeward can check until it is rendered, e.g. `helm template CHART | kubeward scan -`";

/// Does a file hold unrendered Go templates (Helm's `{{ }}` actions) as a whole?
/// True for a file under a `templates/` folder whose text has an action: each of
/// its documents is part of the template, even one without an action of its own.
pub(crate) fn is_template_file(file: &str, bytes: &[u8]) -> bool {
    in_chart_templates(file) && memchr::memmem::find(bytes, b"{{").is_some()
}

/// Is one document (its text, and its tree when it could be read) an unrendered
/// template? When the YAML could not be read, any `{{` says so; when it was
/// read, only an action where YAML sees structure does (`name: {{ .Values.x }}`
/// reads as a mapping), not one inside a string, where it is often meant (an
/// alerting rule's `{{ $labels.instance }}`).
pub(crate) fn is_template_document(text: &[u8], tree: Option<&Tree>, bytes: &[u8]) -> bool {
    if memchr::memmem::find(text, b"{{").is_none() {
        return false;
    }
    let Some(tree) = tree else { return true };
    tree.nodes.iter().any(|node| {
        matches!(node.kind, NodeKind::Map { .. } | NodeKind::Seq { .. })
            && bytes.get(node.start as usize..).is_some_and(|rest| rest.starts_with(b"{{"))
    })
}

/// Why a document that holds no Kubernetes object is skipped: what it looks
/// like, from the file's name and the document's top-level keys. `root` is the
/// document's root node.
pub(crate) fn describe_non_object(file: &str, tree: &Tree, root: NodeId) -> String {
    let name = base_name(file);
    if is_kustomization_file(file) {
        return "kustomize kustomization (not an object itself: build it with `kubectl kustomize DIR | kubeward scan -` \
                to check what it produces)"
            .into();
    }
    if !tree.is_map(root) {
        if is_patch_list(tree, root) {
            return "JSON patch operations (RFC 6902, as kustomize patches are written): not a Kubernetes object"
                .into();
        }
        return format!("YAML {} with no apiVersion and kind: not a Kubernetes object", tree.type_name(root));
    }
    let has = |key: &str| tree.get(root, key).is_some();
    let what = if name == "Chart.yaml" && has("name") && has("version") {
        "Helm chart metadata (Chart.yaml)"
    } else if is_values_file(file) {
        "Helm values file"
    } else if name.starts_with("cloudbuild") && has("steps") {
        "Google Cloud Build configuration"
    } else if name == "kustomizeconfig.yaml"
        || ["nameReference", "namePrefix", "varReference", "commonLabels", "commonAnnotations"].iter().any(|k| has(k))
    {
        "kustomize transformer configuration"
    } else if has("suite") && has("tests") {
        "helm-unittest test suite"
    } else if has("jobs") && (has("on") || has("true") || has("stages") || has("workflow")) {
        "CI pipeline configuration"
    } else if has("services") && (has("version") || name.starts_with("docker-compose") || name.starts_with("compose")) {
        "Compose file"
    } else {
        "YAML mapping with no apiVersion and no kind"
    };
    format!("{what}: not a Kubernetes object")
}

/// Is the document a Helm values file (`values.yaml`, `values-prod.yaml`,
/// `x-values.yaml`, or any YAML in a chart's `ci/` folder)?
fn is_values_file(file: &str) -> bool {
    let name = base_name(file);
    let stem = name.trim_end_matches(".yaml").trim_end_matches(".yml");
    stem == "values"
        || stem.starts_with("values-")
        || stem.starts_with("values.")
        || stem.ends_with("-values")
        || stem.ends_with(".values")
        || base_name(directory_of(file)) == "ci"
}

/// A sequence of `{op, path}` mappings: RFC 6902 JSON patch operations.
fn is_patch_list(tree: &Tree, root: NodeId) -> bool {
    let items = tree.items(root);
    !items.is_empty()
        && items.iter().all(|&item| {
            let item = tree.resolve(item);
            tree.get(item, "op").is_some() && tree.get(item, "path").is_some()
        })
}

/// Documents that name an apiVersion and a kind but describe a local tool's
/// configuration, not an object for a cluster (kustomize, skaffold, Helm's
/// plugin manifests): what they are, when the pair is one of them.
pub(crate) fn tool_configuration(api_version: &str, kind: &str) -> Option<&'static str> {
    let group = api_version.rsplit_once('/').map_or(api_version, |(group, _)| group);
    match (group, kind) {
        ("kustomize.config.k8s.io", "Kustomization" | "Component") => Some(
            "kustomize kustomization (not an object itself: build it with `kubectl kustomize DIR | kubeward scan -` \
             to check what it produces)",
        ),
        ("builtin", _) | ("kustomize.config.k8s.io" | "config.kubernetes.io", _) => {
            Some("kustomize plugin configuration: not a Kubernetes object")
        }
        (group, "Config") if group.starts_with("skaffold") => Some("skaffold configuration: not a Kubernetes object"),
        (group, _) if group.starts_with("skaffold") => Some("skaffold configuration: not a Kubernetes object"),
        ("kind.x-k8s.io", "Cluster") => Some("kind cluster configuration: not a Kubernetes object"),
        ("ctlptl.dev", _) => Some("ctlptl configuration: not a Kubernetes object"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::load_documents;

    fn tree(text: &str) -> Tree {
        let documents = load_documents(text.as_bytes(), &crate::Limits::default()).expect("loads");
        documents.into_iter().next().and_then(|d| d.tree.ok()).expect("one document")
    }

    #[test]
    fn file_names_and_directories() {
        assert_eq!(base_name("a/b/values.yaml"), "values.yaml");
        assert_eq!(directory_of("a/b/values.yaml"), "a/b");
        assert_eq!(directory_of("values.yaml"), "");
        assert!(is_kustomization_file("overlays/prod/kustomization.yml"));
        assert!(!is_kustomization_file("overlays/prod/kustomization-notes.yaml"));
        assert!(is_values_file("chart/values.yaml"));
        assert!(is_values_file("chart/ci/port.yaml"));
        assert!(is_values_file("env/prod-values.yml"));
        assert!(!is_values_file("k8s/deployment.yaml"));
    }

    #[test]
    fn templates_are_told_from_strings_that_hold_braces() {
        // An action where YAML sees structure reads as a mapping key, which kubectl (and so the loader) refuses.
        let file = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Values.name }}\n";
        let documents = load_documents(file.as_bytes(), &crate::Limits::default()).expect("splits");
        assert!(documents[0].tree.is_err());
        assert!(is_template_document(file.as_bytes(), None, file.as_bytes()));
        // Read leniently, a flow mapping opening with `{{` would still say so.
        let flow = "a: {b: 1}\n";
        let read = tree(flow);
        assert!(is_template_document(b"a: {{b: 1}}", Some(&read), b"a: {{b: 1}}\n"));
        let rule = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: rules\ndata:\n  summary: \"{{ $labels.pod }} is down\"\n  text: |\n    {{ $value }}\n";
        let read = tree(rule);
        assert!(!is_template_document(rule.as_bytes(), Some(&read), rule.as_bytes()));
        assert!(is_template_document(b"{{- if .Values.on }}\nkind: x\n", None, b""));
        assert!(!is_template_document(b"kind: x\n", None, b""));
        assert!(is_template_file("chart/templates/deploy.yaml", b"name: {{ x }}"));
        assert!(!is_template_file("chart/templates/deploy.yaml", b"name: x"));
        assert!(!is_template_file("chart/crds/crd.yaml", b"description: \"{{ x }}\""));
    }

    #[test]
    fn non_objects_are_described() {
        let chart = tree("apiVersion: v2\nname: web\nversion: 1.0.0\n");
        assert!(describe_non_object("web/Chart.yaml", &chart, chart.root).starts_with("Helm chart metadata"));
        let values = tree("replicaCount: 1\nimage:\n  repository: nginx\n");
        assert!(describe_non_object("web/values.yaml", &values, values.root).starts_with("Helm values file"));
        let patch = tree("- op: replace\n  path: /spec/replicas\n  value: 3\n");
        assert!(describe_non_object("patch.yaml", &patch, patch.root).starts_with("JSON patch operations"));
        let list = tree("- a\n- b\n");
        assert_eq!(
            describe_non_object("list.yaml", &list, list.root),
            "YAML list with no apiVersion and kind: not a Kubernetes object"
        );
        let build = tree("steps:\n- name: gcr.io/cloud-builders/docker\n");
        assert!(describe_non_object("cloudbuild.yaml", &build, build.root).starts_with("Google Cloud Build"));
        let kustomization = tree("resources:\n- deploy.yaml\n");
        assert!(describe_non_object("kustomization.yaml", &kustomization, kustomization.root).starts_with("kustomize"));
        assert!(tool_configuration("kustomize.config.k8s.io/v1beta1", "Kustomization").is_some());
        assert!(tool_configuration("skaffold/v4beta6", "Config").is_some());
        assert!(tool_configuration("apps/v1", "Deployment").is_none());
    }
}
