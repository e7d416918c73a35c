//! One view of the pod spec of every workload kind, its containers, and the
//! effective security settings of each container.

use super::image::ImageRef;
use super::view::{Value, View};

/// Where each workload kind keeps its pod template, as keys from the object root.
/// Returns the path to the template (which holds `metadata` and `spec`), or
/// `None` for a bare Pod whose own `metadata` and `spec` are the pod's.
pub(crate) fn template_path(api_version: &str, kind: &str) -> Option<Option<&'static [&'static str]>> {
    let group = api_version.rsplit_once('/').map_or("", |(group, _)| group);
    match (group, kind) {
        ("", "Pod") => Some(None),
        ("", "PodTemplate") => Some(Some(&["template"])),
        ("" | "apps" | "extensions", "ReplicationController" | "ReplicaSet" | "Deployment" | "DaemonSet")
        | ("apps", "StatefulSet")
        | ("batch", "Job")
        | ("argoproj.io", "Rollout") => Some(Some(&["spec", "template"])),
        ("batch", "CronJob") => Some(Some(&["spec", "jobTemplate", "spec", "template"])),
        _ => None,
    }
}

/// The three lists of containers a pod can have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ContainerKind {
    Init,
    Regular,
    Ephemeral,
}

impl ContainerKind {
    pub(crate) fn field(self) -> &'static str {
        match self {
            ContainerKind::Init => "initContainers",
            ContainerKind::Regular => "containers",
            ContainerKind::Ephemeral => "ephemeralContainers",
        }
    }

    /// How a message names the container (`container "app"`, `init container "setup"`).
    pub(crate) fn noun(self) -> &'static str {
        match self {
            ContainerKind::Init => "init container",
            ContainerKind::Regular => "container",
            ContainerKind::Ephemeral => "ephemeral container",
        }
    }
}

/// The pod of a workload: its spec and its metadata (the template's, for controllers).
#[derive(Debug, Clone)]
pub(crate) struct Pod<'a> {
    pub spec: View<'a>,
    pub metadata: View<'a>,
    pub containers: Vec<Container<'a>>,
    /// The containers that run a control-plane component (index, component),
    /// found once per pod for the many checks that ask (see `checks::cluster::flags`).
    pub control_plane: std::cell::OnceCell<Vec<(usize, crate::model::component::Component)>>,
}

/// One container with its kind, name and security context.
#[derive(Debug, Clone)]
pub(crate) struct Container<'a> {
    pub kind: ContainerKind,
    pub name: String,
    /// The container's list item.
    pub view: View<'a>,
    /// `securityContext` of the container (may be missing).
    pub security_context: View<'a>,
    /// The parsed `image` and its field, read once for its several readers
    /// (see [`Container::parsed_image`]).
    pub image: std::cell::OnceCell<Option<(ImageRef<'a>, View<'a>)>>,
}

impl<'a> Container<'a> {
    /// The container's parsed image reference and its `image` field: parsed for
    /// the first reader that asks (the image checks, the components), then kept.
    pub(crate) fn parsed_image(&self) -> Option<&(ImageRef<'a>, View<'a>)> {
        self.image
            .get_or_init(|| {
                let view = self.view.get("image");
                let image = ImageRef::parse(view.str().present()?)?;
                Some((image, view))
            })
            .as_ref()
    }

    /// `container "app"`, for messages: written straight into the message
    /// that names it, without a string of its own (findings on containers
    /// are the most frequent).
    pub(crate) fn label(&self) -> ContainerLabel<'_> {
        ContainerLabel { kind: self.kind, name: &self.name }
    }
}

/// How a message names a container (see [`Container::label`]).
#[derive(Debug, Clone, Copy)]
pub(crate) struct ContainerLabel<'c> {
    kind: ContainerKind,
    name: &'c str,
}

impl std::fmt::Display for ContainerLabel<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.kind.noun())?;
        f.write_str(" \"")?;
        f.write_str(self.name)?;
        f.write_str("\"")
    }
}

/// A setting as it applies to a container, and the field that decided it.
#[derive(Debug, Clone)]
pub(crate) struct Effective<'a, T> {
    pub value: Value<T>,
    /// The field that decided the value; when neither level sets it, the
    /// container-level field (missing), whose range is its nearest ancestor.
    pub decided_by: View<'a>,
}

impl<'a> Pod<'a> {
    /// Builds the pod view of an object root, or `None` for kinds without pods.
    pub(crate) fn of(root: &View<'a>, api_version: &str, kind: &str) -> Option<Pod<'a>> {
        let template = match template_path(api_version, kind)? {
            None => root.clone(),
            Some(path) => root.path(path),
        };
        let spec = template.get("spec");
        let metadata = template.get("metadata");
        let mut containers = Vec::new();
        for kind in [ContainerKind::Init, ContainerKind::Regular, ContainerKind::Ephemeral] {
            for (index, item) in spec.get(kind.field()).items().into_iter().enumerate() {
                if item.exists() && !item.is_map() {
                    // Records the wrong type once; the item is not a container.
                    let _ = item.get("name");
                    continue;
                }
                let name = item.get("name").str().present().map_or_else(|| format!("#{index}"), str::to_string);
                let security_context = item.get("securityContext");
                containers.push(Container { kind, name, view: item, security_context, image: Default::default() });
            }
        }
        Some(Pod { spec, metadata, containers, control_plane: std::cell::OnceCell::new() })
    }

    /// The service account a pod runs as, and the field that decides it
    /// (`serviceAccountName`, the deprecated `serviceAccount`, or the missing
    /// `serviceAccountName` when neither is written: the `default` account).
    pub(crate) fn service_account(&self) -> (String, View<'a>) {
        let name = self.spec.get("serviceAccountName");
        if let Some(value) = name.str().present().filter(|value| !value.is_empty()) {
            return (value.to_string(), name);
        }
        let deprecated = self.spec.get("serviceAccount");
        if let Some(value) = deprecated.str().present().filter(|value| !value.is_empty()) {
            return (value.to_string(), deprecated);
        }
        ("default".to_string(), name)
    }

    /// The pod-level `securityContext`.
    pub(crate) fn security_context(&self) -> View<'a> {
        self.spec.get("securityContext")
    }

    /// A setting that exists at both levels: the container's value wins, then the pod's.
    pub(crate) fn effective<T>(
        &self,
        container: &Container<'a>,
        path: &[&str],
        read: impl Fn(&View<'a>) -> Value<T>,
    ) -> Effective<'a, T> {
        let own = container.security_context.path(path);
        let own_value = read(&own);
        if !own_value.is_absent() {
            return Effective { value: own_value, decided_by: own };
        }
        let pod = self.security_context().path(path);
        let pod_value = read(&pod);
        if !pod_value.is_absent() {
            return Effective { value: pod_value, decided_by: pod };
        }
        Effective { value: Value::Absent, decided_by: own }
    }

    /// The pod's annotations as (key, value) pairs with their views.
    pub(crate) fn annotations(&self) -> Vec<(std::borrow::Cow<'a, str>, View<'a>)> {
        self.metadata.get("annotations").entries()
    }
}
