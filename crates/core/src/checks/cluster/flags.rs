//! Command-line flags of control-plane containers, parsed once: `--flag=value`,
//! `--flag value`, bare boolean flags, repeated flags, comma lists, flags split
//! across `command` and `args`, and shell strings (`sh -c "kube-apiserver --a=b"`).

use crate::inventory::components::control_plane_component;
use crate::model::component::Component;
use crate::model::pod::{Container, Pod};
use crate::model::view::View;

/// One flag as written, and the list item it was written in.
#[derive(Debug, Clone)]
pub(crate) struct Flag<'a> {
    /// The name without leading dashes (`anonymous-auth`).
    pub name: String,
    /// The value (`None` for a bare `--profiling`).
    pub value: Option<String>,
    /// The `command` or `args` item that holds the flag.
    pub view: View<'a>,
}

/// The flags of one container.
#[derive(Debug, Clone)]
pub(crate) struct Flags<'a> {
    pub flags: Vec<Flag<'a>>,
    /// Where a missing flag is reported: the `command` list, else `args`, else the container.
    pub missing_at: View<'a>,
}

impl<'a> Flags<'a> {
    pub(crate) fn of(container: &Container<'a>) -> Flags<'a> {
        let command = container.view.get("command");
        let args = container.view.get("args");
        let mut words: Vec<(String, View<'a>)> = Vec::new();
        for list in [&command, &args] {
            for (text, view) in list.strings() {
                if text.contains(char::is_whitespace) && text.contains("--") {
                    words.extend(text.split_whitespace().map(|word| (word.to_string(), view.clone())));
                } else {
                    words.push((text.to_string(), view));
                }
            }
        }
        let mut flags = Vec::new();
        let mut index = 0;
        while let Some((word, view)) = words.get(index) {
            index += 1;
            let Some(stripped) = word.strip_prefix("--").or_else(|| word.strip_prefix('-')) else {
                continue;
            };
            if stripped.is_empty() {
                continue;
            }
            let (name, value) = match stripped.split_once('=') {
                Some((name, value)) => (name.to_string(), Some(value.to_string())),
                None => match words.get(index) {
                    Some((next, _)) if !next.starts_with('-') => {
                        index += 1;
                        (stripped.to_string(), Some(next.clone()))
                    }
                    _ => (stripped.to_string(), None),
                },
            };
            flags.push(Flag { name, value, view: view.clone() });
        }
        let missing_at = if command.exists() {
            command
        } else if args.exists() {
            args
        } else {
            container.view.clone()
        };
        Flags { flags, missing_at }
    }

    /// The last occurrence of a flag (the one that wins for a single-valued flag).
    pub(crate) fn get(&self, name: &str) -> Option<&Flag<'a>> {
        self.flags.iter().rev().find(|flag| flag.name == name)
    }

    /// The value of a flag; a bare flag reads as `"true"`.
    pub(crate) fn value(&self, name: &str) -> Option<&str> {
        self.get(name).map(|flag| flag.value.as_deref().unwrap_or("true"))
    }

    /// Every comma-separated value of every occurrence of a list flag, with its item.
    pub(crate) fn list(&self, name: &str) -> Vec<(String, &Flag<'a>)> {
        self.flags
            .iter()
            .filter(|flag| flag.name == name)
            .flat_map(|flag| {
                flag.value
                    .as_deref()
                    .unwrap_or("")
                    .split(',')
                    .map(str::trim)
                    .filter(|v| !v.is_empty())
                    .map(move |v| (v.to_string(), flag))
            })
            .collect()
    }

    /// Where to report a flag: the item that sets it, or where it is missing.
    pub(crate) fn at(&self, name: &str) -> &View<'a> {
        self.get(name).map_or(&self.missing_at, |flag| &flag.view)
    }
}

/// The containers of a pod that run a control-plane component, with their flags.
pub(crate) fn components<'p, 'a>(pod: &'p Pod<'a>) -> Vec<(&'p Container<'a>, Component, Flags<'a>)> {
    with_flags(pod, |_| true)
}

/// The containers of a pod that run `wanted`, with their flags.
pub(crate) fn running<'p, 'a>(pod: &'p Pod<'a>, wanted: Component) -> Vec<(&'p Container<'a>, Flags<'a>)> {
    with_flags(pod, |component| component == wanted)
        .into_iter()
        .map(|(container, _, flags)| (container, flags))
        .collect()
}

/// The control-plane containers of a pod whose component passes `keep`, with
/// their flags (read only for those: the components are found once per pod).
fn with_flags<'p, 'a>(
    pod: &'p Pod<'a>,
    keep: impl Fn(Component) -> bool,
) -> Vec<(&'p Container<'a>, Component, Flags<'a>)> {
    pod.control_plane
        .get_or_init(|| {
            pod.containers
                .iter()
                .enumerate()
                .filter_map(|(index, container)| component_of(container).map(|component| (index, component)))
                .collect()
        })
        .iter()
        .filter(|&&(_, component)| keep(component))
        .filter_map(|&(index, component)| {
            let container = pod.containers.get(index)?;
            Some((container, component, Flags::of(container)))
        })
        .collect()
}

/// The control-plane component a container runs, by its command or image.
fn component_of(container: &Container<'_>) -> Option<Component> {
    let command = container.view.get("command");
    let first = command.strings().into_iter().next().map(|(text, _)| text);
    let first = first.map(|text| {
        text.split_whitespace().find(|w| w.contains("kube") || *w == "etcd" || w.ends_with("/etcd")).unwrap_or(text)
    });
    let image = container.parsed_image().map(|(image, _)| image);
    control_plane_component(first, image)
}

/// Reads a boolean flag value the way Go's `strconv.ParseBool` does.
pub(crate) fn is_true(value: &str) -> bool {
    matches!(value, "1" | "t" | "T" | "true" | "TRUE" | "True")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::view::ObjectTree;
    use crate::yaml::load_documents;
    use crate::Limits;

    #[test]
    fn flag_forms() {
        let text = "spec:\n  containers:\n  - name: kube-apiserver\n    image: registry.k8s.io/kube-apiserver:v1.34.0\n    command:\n    - kube-apiserver\n    - --anonymous-auth=false\n    - --enable-admission-plugins=NodeRestriction\n    - --enable-admission-plugins=PodSecurity,EventRateLimit\n    - --profiling\n    args:\n    - --audit-log-path\n    - /var/log/audit.log\n    - --authorization-mode=Node,RBAC\n";
        let documents = load_documents(text.as_bytes(), &Limits::default()).unwrap();
        let tree = documents.into_iter().next().unwrap().tree.unwrap();
        let object = ObjectTree::new(&tree);
        let root = View::root(&object, tree.root, String::new(), (0, text.len() as u32));
        let pod = crate::model::pod::pods_of(&root, "v1", "Pod").remove(0);
        let found = components(&pod);
        assert_eq!(found.len(), 1);
        let (_, component, flags) = &found[0];
        assert_eq!(*component, Component::ApiServer);
        assert_eq!(flags.value("anonymous-auth"), Some("false"));
        assert_eq!(flags.value("profiling"), Some("true"));
        assert_eq!(flags.value("audit-log-path"), Some("/var/log/audit.log"));
        let plugins: Vec<String> = flags.list("enable-admission-plugins").into_iter().map(|(v, _)| v).collect();
        assert_eq!(plugins, ["NodeRestriction", "PodSecurity", "EventRateLimit"]);
        assert_eq!(flags.at("authorization-mode").pointer(), "/spec/containers/0/args/2");
        assert_eq!(flags.at("oidc-issuer-url").pointer(), "/spec/containers/0/command");
        assert!(is_true("true") && !is_true("false"));
    }
}
