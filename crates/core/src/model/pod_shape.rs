//! The shape rule: in an object of a kind kubeward has no table line for (see
//! [`super::pod_locations`]), a mapping that holds `containers` as a list of
//! mappings that each have a `name` and an `image` is read as a pod spec.
//!
//! The search walks the object once (each node at most once per path that
//! reaches it, with the loader's bound on alias expansion), on an explicit
//! stack, and does not look inside `metadata`, the object's `status`, or a pod
//! spec it has found. Kinds whose contents describe or match pods rather than
//! run them (CustomResourceDefinitions, the policy engines' kinds) are not
//! searched; in the Kubernetes API groups, whose kinds with pods are all in the
//! table, what looks like a pod is named in the skip reason but not checked.

use super::pod_locations::{group_of, not_a_pod};
use crate::text::escape_token;
use crate::yaml::{NodeId, Tree};

/// How deep a pod spec is looked for: keys and list items from the object root.
pub(crate) const MAX_DEPTH: usize = 16;

/// One step from an object's root to a pod spec.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PathStep {
    /// The value of the key written in this (string) node.
    Key(NodeId),
    /// A list item.
    Index(u32),
}

/// What an object of an unknown kind holds.
#[derive(Debug, Default)]
pub(crate) struct Survey {
    /// The pod specs found, in document order: the steps from the object root to each.
    pub specs: Vec<Vec<PathStep>>,
    /// When none is found, the first thing that looks like part of a pod, and
    /// why it is not read as one (for the document's skip reason).
    pub hint: Option<String>,
}

/// The Kubernetes API groups: their kinds with pods are all in the table.
fn is_kubernetes_group(group: &str) -> bool {
    matches!(group, "" | "apps" | "batch" | "extensions" | "policy" | "autoscaling")
        || group == "k8s.io"
        || group.ends_with(".k8s.io")
}

/// API groups whose kinds describe or match pods rather than run them: the
/// Kubernetes groups (a CustomResourceDefinition's schema and examples mention
/// `containers`) and the policy engines (whose patterns look like containers).
fn never_searched(group: &str) -> bool {
    is_kubernetes_group(group) || describes_pods(group)
}

/// Groups whose kinds hold pod-like text that is no pod at all, not even one to mention.
fn describes_pods(group: &str) -> bool {
    group == "apiextensions.k8s.io"
        || matches!(group, "kyverno.io" | "policies.kyverno.io" | "reports.kyverno.io" | "wgpolicyk8s.io")
        || group == "gatekeeper.sh"
        || group.ends_with(".gatekeeper.sh")
}

/// Does the shape rule search objects of this kind (one without a table line)?
pub(crate) fn applies(api_version: &str, kind: &str) -> bool {
    !never_searched(group_of(api_version)) && not_a_pod(api_version, kind).is_none()
}

/// What an object of a kind without a table line holds: the pod specs the
/// shape rule finds, or a hint for its skip reason. `pointer` is the object's
/// JSON Pointer within its document (`""`, or `/items/N` in a List).
pub(crate) fn survey_kind(tree: &Tree, object: NodeId, pointer: &str, api_version: &str, kind: &str) -> Survey {
    let group = group_of(api_version);
    if describes_pods(group) {
        return Survey::default();
    }
    if is_kubernetes_group(group) {
        // A Kubernetes kind outside the table that holds a pod spec all the same
        // (a ControllerRevision's copy of its owner's template) is named, not checked.
        let found = survey(tree, object, pointer);
        let hint = found
            .specs
            .first()
            .map(|steps| {
                format!(
                    "it holds a pod spec at {pointer}{}, which kubeward does not check in this kind",
                    render(tree, steps)
                )
            })
            .or(found.hint);
        return Survey { specs: Vec::new(), hint };
    }
    if let Some(why) = not_a_pod(api_version, kind) {
        return Survey { specs: Vec::new(), hint: Some(format!("it holds containers, but {why}")) };
    }
    survey(tree, object, pointer)
}

/// Is `object` its document's root (so that the document's strings are its own)?
fn is_whole_document(tree: &Tree, object: NodeId) -> bool {
    tree.resolve(tree.root) == tree.resolve(object)
}

/// What kind of `containers` a mapping holds.
enum Containers {
    /// None, and no other container list either.
    None,
    /// A pod spec's: a non-empty list of mappings that each have a name and an image.
    Pod,
    /// A `containers` list of something else (the key node).
    Other(NodeId),
    /// Only `initContainers` or `ephemeralContainers` (the key node).
    OnlyOthers(NodeId),
}

fn containers_of(tree: &Tree, map: NodeId) -> Containers {
    if let Some(entry) = tree.get(map, "containers") {
        let list = tree.resolve(entry.value);
        if !tree.is_seq(list) {
            // A mapping or a scalar: a schema, a setting, not a list of containers.
            return Containers::None;
        }
        let items = tree.items(list);
        let is_container = |&item: &NodeId| {
            let item = tree.resolve(item);
            tree.is_map(item) && tree.get(item, "name").is_some() && tree.get(item, "image").is_some()
        };
        return if !items.is_empty() && items.iter().all(is_container) {
            Containers::Pod
        } else {
            Containers::Other(entry.key)
        };
    }
    for key in ["initContainers", "ephemeralContainers"] {
        if let Some(entry) = tree.get(map, key) {
            if tree.is_seq(tree.resolve(entry.value)) {
                return Containers::OnlyOthers(entry.key);
            }
        }
    }
    Containers::None
}

/// Walks the object at `object` for pod specs (see the module's documentation).
pub(crate) fn survey(tree: &Tree, object: NodeId, pointer: &str) -> Survey {
    let mut found = Survey::default();
    // The whole document's strings are the object's: without `ontainers` in them
    // (containers, initContainers, ephemeralContainers) there is nothing to find.
    if is_whole_document(tree, object) && !tree.strings_contain("ontainers") {
        return found;
    }
    let mut hint: Option<(Vec<PathStep>, Hint)> = None;
    let mut path: Vec<PathStep> = Vec::new();
    let mut stack: Vec<(NodeId, usize, Option<PathStep>)> = vec![(object, 0, None)];
    while let Some((node, depth, step)) = stack.pop() {
        path.truncate(depth.saturating_sub(1));
        if let Some(step) = step {
            path.push(step);
        }
        let node = tree.resolve(node);
        if tree.is_map(node) {
            match containers_of(tree, node) {
                Containers::Pod if depth <= MAX_DEPTH => {
                    found.specs.push(path.clone());
                    continue;
                }
                Containers::Pod => {
                    hint.get_or_insert_with(|| (path.clone(), Hint::TooDeep));
                    continue;
                }
                Containers::Other(key) => {
                    hint.get_or_insert_with(|| (with(&path, PathStep::Key(key)), Hint::NotContainers));
                }
                Containers::OnlyOthers(key) => {
                    hint.get_or_insert_with(|| (with(&path, PathStep::Key(key)), Hint::OnlyOthers));
                }
                Containers::None => {}
            }
            let at = stack.len();
            for entry in tree.entries(node) {
                let Some(key) = tree.as_str(entry.key) else { continue };
                let skipped = key == "metadata" || key == "<<" || (depth == 0 && key == "status");
                let value = tree.resolve(entry.value);
                if !skipped && (tree.is_map(value) || tree.is_seq(value)) {
                    stack.push((value, depth + 1, Some(PathStep::Key(entry.key))));
                }
            }
            // In document order: the first entry is taken first.
            stack[at..].reverse();
        } else if tree.is_seq(node) {
            let at = stack.len();
            for (index, &item) in tree.items(node).iter().enumerate() {
                let item = tree.resolve(item);
                if tree.is_map(item) || tree.is_seq(item) {
                    stack.push((item, depth + 1, Some(PathStep::Index(index as u32))));
                }
            }
            stack[at..].reverse();
        }
    }
    if found.specs.is_empty() {
        found.hint = hint.map(|(steps, hint)| {
            let at = format!("{pointer}{}", render(tree, &steps));
            let at = if at.is_empty() { "its root".to_string() } else { at };
            match hint {
                Hint::NotContainers => format!(
                    "it holds a `containers` list at {at} whose items are not all containers with a name and an image, \
                     so nothing in it was checked as a pod"
                ),
                Hint::OnlyOthers => format!(
                    "it holds a container list at {at} but no `containers` beside it, so nothing in it was checked as a pod"
                ),
                Hint::TooDeep => format!(
                    "it holds a pod spec at {at}, deeper than the {MAX_DEPTH} levels kubeward searches, so it was not checked"
                ),
            }
        });
    }
    found
}

/// Why something pod-like is not read as a pod.
#[derive(Debug, Clone, Copy)]
enum Hint {
    NotContainers,
    OnlyOthers,
    TooDeep,
}

fn with(path: &[PathStep], step: PathStep) -> Vec<PathStep> {
    let mut path = path.to_vec();
    path.push(step);
    path
}

/// The JSON Pointer of `steps` from the object root.
pub(crate) fn render(tree: &Tree, steps: &[PathStep]) -> String {
    let mut out = String::new();
    for step in steps {
        out.push('/');
        match *step {
            PathStep::Key(key) => out.push_str(&escape_token(tree.as_str(key).unwrap_or_default())),
            PathStep::Index(index) => out.push_str(&index.to_string()),
        }
    }
    out
}

/// The `name` of the innermost list item on the way to a pod spec, to name the
/// pod in messages.
pub(crate) fn item_name(tree: &Tree, object: NodeId, steps: &[PathStep]) -> Option<String> {
    let mut node = tree.resolve(object);
    let mut name = None;
    for step in steps {
        node = match *step {
            PathStep::Key(key) => tree.get(node, tree.as_str(key)?)?.value,
            PathStep::Index(index) => *tree.items(node).get(index as usize)?,
        };
        node = tree.resolve(node);
        if matches!(step, PathStep::Index(_)) {
            if let Some(entry) = tree.get(node, "name") {
                name = tree.as_str(entry.value).map(str::to_string).or(name);
            }
        }
    }
    name
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::load_documents;

    fn survey_of(text: &str) -> (Vec<String>, Option<String>) {
        let documents = load_documents(text.as_bytes(), &crate::Limits::default()).expect("loads");
        let tree = documents[0].tree.as_ref().expect("parses");
        let found = survey(tree, tree.root, "");
        (found.specs.iter().map(|steps| render(tree, steps)).collect(), found.hint)
    }

    #[test]
    fn finds_every_pod_spec_in_document_order_without_looking_inside_one() {
        let (specs, hint) = survey_of(
            "kind: Thing\nmetadata:\n  annotations: {containers: x}\nspec:\n  a:\n    containers:\n    - {name: one, image: x}\n    nested:\n      containers:\n      - {name: two, image: y}\n  b:\n  - spec:\n      containers:\n      - {name: three, image: z}\nstatus:\n  containers:\n  - {name: four, image: w}\n",
        );
        assert_eq!(specs, ["/spec/a", "/spec/b/0/spec"]);
        assert_eq!(hint, None);
    }

    #[test]
    fn a_schema_or_a_list_of_other_things_is_not_a_pod_spec() {
        let (specs, hint) =
            survey_of("spec:\n  properties:\n    containers:\n      type: array\n      items: {type: object}\n");
        assert!(specs.is_empty());
        assert_eq!(hint, None, "a mapping under `containers` is not pod-like");
        let (specs, hint) = survey_of("spec:\n  x:\n    containers:\n    - name: a\n");
        assert!(specs.is_empty());
        assert!(hint.is_some_and(|hint| hint.contains("/spec/x/containers") && hint.contains("name and an image")));
        let (_, hint) = survey_of("spec:\n  initContainers:\n  - {name: a, image: b}\n");
        assert!(hint.is_some_and(|hint| hint.contains("/spec/initContainers") && hint.contains("no `containers`")));
    }

    #[test]
    fn a_pod_spec_deeper_than_the_bound_is_named_in_the_hint() {
        let mut text = String::from("spec:\n");
        let mut indent = String::from("  ");
        for level in 0..MAX_DEPTH {
            text.push_str(&format!("{indent}l{level}:\n"));
            indent.push_str("  ");
        }
        text.push_str(&format!("{indent}containers:\n{indent}- {{name: a, image: b}}\n"));
        let (specs, hint) = survey_of(&text);
        assert!(specs.is_empty());
        let hint = hint.expect("a hint");
        assert!(hint.contains("/spec/l0/l1") && hint.contains("deeper than the 16 levels"), "{hint}");
    }
}
