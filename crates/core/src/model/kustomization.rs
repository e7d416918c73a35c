//! What a kustomization says about the files beside it: the namespace it gives
//! the objects it lists, the other kustomizations it builds on, and the files
//! that are kustomize's inputs (patches, generator sources, transformer
//! configuration) rather than objects.

use crate::yaml::{NodeId, Tree};

/// The parts of a kustomization kubeward reads. Paths are as written, relative
/// to the kustomization's directory.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Kustomization {
    /// `namespace:`, which kustomize gives every object it builds.
    pub namespace: Option<String>,
    /// `resources:`, `bases:`, `components:` and `crds:`: object files, or
    /// directories holding other kustomizations.
    pub resources: Vec<String>,
    /// Files that are kustomize's inputs, with what each is.
    pub inputs: Vec<(String, &'static str)>,
}

impl Kustomization {
    /// Reads the kustomization at the root of a document.
    pub(crate) fn read(tree: &Tree) -> Kustomization {
        let root = tree.root;
        let strings = |key: &str| -> Vec<String> { string_items(tree, root, key) };
        let mut kustomization = Kustomization {
            namespace: tree.get(root, "namespace").and_then(|e| tree.as_str(e.value)).map(str::to_string),
            ..Kustomization::default()
        };
        for key in ["resources", "bases", "components", "crds"] {
            kustomization.resources.extend(strings(key));
        }
        let mut input = |path: String, what: &'static str| kustomization.inputs.push((path, what));
        for path in strings("patchesStrategicMerge") {
            // An entry is a file, or a patch written inline (YAML text with a line break).
            if !path.contains('\n') {
                input(path, "a strategic-merge patch");
            }
        }
        for (key, what) in
            [("patches", "a patch"), ("patchesJson6902", "a JSON 6902 patch"), ("replacements", "a replacements file")]
        {
            for item in items(tree, root, key) {
                if let Some(path) = field(tree, item, "path") {
                    input(path, what);
                }
            }
        }
        for (key, what) in [
            ("configurations", "a transformer configuration"),
            ("generators", "a generator plugin configuration"),
            ("transformers", "a transformer plugin configuration"),
            ("validators", "a validator plugin configuration"),
        ] {
            for path in strings(key) {
                input(path, what);
            }
        }
        for key in ["configMapGenerator", "secretGenerator"] {
            for item in items(tree, root, key) {
                // `files:` entries are `path` or `key=path`.
                for file in string_items(tree, item, "files") {
                    let path = file.split_once('=').map_or(file.as_str(), |(_, path)| path).to_string();
                    input(path, "a ConfigMap or Secret generator's source");
                }
                for env in string_items(tree, item, "envs").into_iter().chain(field(tree, item, "env")) {
                    input(env, "a ConfigMap or Secret generator's source");
                }
            }
        }
        for item in items(tree, root, "helmCharts") {
            if let Some(path) = field(tree, item, "valuesFile") {
                input(path, "a Helm values file");
            }
        }
        if let Some(openapi) = tree.get(root, "openapi") {
            if let Some(path) = field(tree, openapi.value, "path") {
                input(path, "an OpenAPI schema");
            }
        }
        kustomization
    }
}

fn items(tree: &Tree, map: NodeId, key: &str) -> Vec<NodeId> {
    tree.get(map, key)
        .map(|entry| tree.items(entry.value).iter().map(|&item| tree.resolve(item)).collect())
        .unwrap_or_default()
}

fn string_items(tree: &Tree, map: NodeId, key: &str) -> Vec<String> {
    items(tree, map, key).into_iter().filter_map(|item| tree.as_str(item)).map(str::to_string).collect()
}

fn field(tree: &Tree, map: NodeId, key: &str) -> Option<String> {
    tree.get(map, key).and_then(|entry| tree.as_str(entry.value)).map(str::to_string)
}

/// `directory/path` with `.` and `..` steps resolved as far as the text allows
/// (a `..` above the start is kept), with `/` separators. A remote resource
/// (`https://...`, `github.com/...?ref=`) gives `None`.
pub(crate) fn join(directory: &str, path: &str) -> Option<String> {
    if path.contains("://") || path.contains("?ref=") || path.starts_with("git@") {
        return None;
    }
    let joined =
        if path.starts_with('/') || directory.is_empty() { path.to_string() } else { format!("{directory}/{path}") };
    Some(normalize(&joined))
}

/// A path with `.` and `..` steps resolved lexically and `\` read as `/`.
pub(crate) fn normalize(path: &str) -> String {
    let absolute = path.starts_with('/');
    let mut steps: Vec<&str> = Vec::new();
    for step in path.split(['/', '\\']) {
        match step {
            "" | "." => {}
            ".." if steps.last().is_some_and(|last| *last != "..") => {
                steps.pop();
            }
            ".." if absolute => {}
            step => steps.push(step),
        }
    }
    let joined = steps.join("/");
    if absolute {
        format!("/{joined}")
    } else {
        joined
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::load_documents;

    fn read(text: &str) -> Kustomization {
        let documents = load_documents(text.as_bytes(), &crate::Limits::default()).expect("loads");
        let tree = documents.into_iter().next().and_then(|d| d.tree.ok()).expect("one document");
        Kustomization::read(&tree)
    }

    #[test]
    fn reads_namespace_resources_and_inputs() {
        let k = read(
            "namespace: shop\nresources:\n- deploy.yaml\n- ../base\ncomponents: [../comp]\n\
             patches:\n- path: replicas.yaml\n  target: {kind: Deployment}\n- patch: |-\n    - op: remove\n      path: /x\n\
             patchesStrategicMerge:\n- memory.yaml\n- |-\n  apiVersion: v1\n  kind: X\n\
             patchesJson6902:\n- path: ops.yaml\nconfigurations: [kconfig.yaml]\n\
             configMapGenerator:\n- name: c\n  files: [app.yaml, extra=conf/extra.yaml]\n  envs: [app.env]\n\
             helmCharts:\n- name: x\n  valuesFile: values-x.yaml\n",
        );
        assert_eq!(k.namespace.as_deref(), Some("shop"));
        assert_eq!(k.resources, ["deploy.yaml", "../base", "../comp"]);
        let inputs: Vec<&str> = k.inputs.iter().map(|(path, _)| path.as_str()).collect();
        assert_eq!(
            inputs,
            [
                "memory.yaml",
                "replicas.yaml",
                "ops.yaml",
                "kconfig.yaml",
                "app.yaml",
                "conf/extra.yaml",
                "app.env",
                "values-x.yaml"
            ]
        );
    }

    #[test]
    fn paths_are_joined_and_normalized() {
        assert_eq!(join("a/overlays/prod", "../../base").as_deref(), Some("a/base"));
        assert_eq!(join("", "./x.yaml").as_deref(), Some("x.yaml"));
        assert_eq!(join("../shared/k", "../x").as_deref(), Some("../shared/x"));
        assert_eq!(join("a", "https://example.com/x.yaml"), None);
        assert_eq!(join("a", "github.com/org/repo//dir?ref=v1"), None);
        assert_eq!(normalize("./a/./b/../c"), "a/c");
        assert_eq!(normalize("../../a"), "../../a");
        assert_eq!(normalize("/a/../../b"), "/b");
    }
}
