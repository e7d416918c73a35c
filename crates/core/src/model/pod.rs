//! One view of the pod spec of every workload kind, its containers, and the
//! effective security settings of each container. An object may hold several
//! pods (the Launcher and the Workers of an MPIJob); [`pods_of`] finds them all.

use std::sync::Arc;

use super::image::{is_valid_reference, ImageRef};
use super::pod_locations::{self, Location, Step};
use super::pod_shape::{self, PathStep};
use super::view::{Value, View};
use super::Identity;

/// How a pod is written where it is found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Layout {
    /// A pod template: `metadata` and `spec` (a pod spec).
    Template,
    /// A pod spec whose metadata is the object's own (a bare Pod, a Knative Revision).
    Spec,
    /// A pod spec written inline beside `labels` and `annotations` (a KServe
    /// component); each key of `extra` holds one more container, named
    /// `extra_name` unless it names itself.
    Inline { extra: &'static [&'static str], extra_name: &'static str },
    /// An Argo template: `container`, `script`, `containerSet.containers`,
    /// `initContainers` and `sidecars`, with the pod's fields beside them; the
    /// fields a template leaves out come from the spec at `defaults` (its
    /// workflow's). A workflow template with no container, script or
    /// containerSet runs no pod of its own (steps, dag, resource, suspend).
    Argo { defaults: Option<&'static str> },
    /// A Spark operator driver or executor: the main container (named `main`)
    /// is the mapping itself (`image`, `securityContext`, `env`), beside
    /// `podSecurityContext`, `serviceAccount`, `hostNetwork`, `sidecars` and
    /// `initContainers`; the volumes are the application's, in the spec at `app`.
    Spark { main: &'static str, app: &'static str },
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

/// One pod of a workload: its spec and its metadata (the template's, for controllers).
#[derive(Debug, Clone)]
pub(crate) struct Pod<'a> {
    /// Where the pod's own fields are written (read them with [`Pod::field`],
    /// which knows the layouts that spell or place some of them elsewhere).
    pub spec: View<'a>,
    pub metadata: View<'a>,
    pub containers: Vec<Container<'a>>,
    /// The containers that run a control-plane component (index, component),
    /// found once per pod for the many checks that ask (see `checks::cluster::flags`).
    pub control_plane: std::cell::OnceCell<Vec<(usize, crate::model::component::Component)>>,
    /// Where the pod is written: its template, or its spec when it has none.
    pub at: View<'a>,
    /// How messages name the pod when its object holds several (`Worker`);
    /// `None` for an object's only pod.
    pub name: Option<Arc<str>>,
    /// Where the pod's fields are read (see [`Pod::field`]).
    fields: Fields<'a>,
}

/// Where a pod's fields are read.
#[derive(Debug, Clone)]
enum Fields<'a> {
    /// In the spec, under their Kubernetes names.
    Own,
    /// In the spec, else in a spec of defaults (an Argo workflow's).
    Defaults(View<'a>),
    /// A Spark pod's spelling, with the application's spec (for `volumes`).
    Spark(View<'a>),
}

/// One container with its kind, name and security context.
#[derive(Debug, Clone)]
pub(crate) struct Container<'a> {
    pub kind: ContainerKind,
    pub name: String,
    /// The container's list item (or its mapping, when it is not in a list).
    pub view: View<'a>,
    /// `securityContext` of the container (may be missing).
    pub security_context: View<'a>,
    /// The parsed `image` and its field, read once for its several readers
    /// (see [`Container::parsed_image`]).
    pub image: std::cell::OnceCell<Option<(ImageRef<'a>, View<'a>)>>,
    /// The name of the container's pod, when its object holds several (see [`Pod::name`]).
    pub pod: Option<Arc<str>>,
}

impl<'a> Container<'a> {
    fn of(kind: ContainerKind, name: String, view: View<'a>) -> Container<'a> {
        let security_context = view.get("securityContext");
        Container { kind, name, view, security_context, image: Default::default(), pod: None }
    }

    /// The container's parsed image reference and its `image` field: parsed for
    /// the first reader that asks (the image checks, the components), then kept.
    /// `None` when the image is not a valid reference (`invalid-image-reference`
    /// reports that once; the other image checks have nothing to judge).
    pub(crate) fn parsed_image(&self) -> Option<&(ImageRef<'a>, View<'a>)> {
        self.image
            .get_or_init(|| {
                let view = self.view.get("image");
                let text = view.str().present().filter(|text| is_valid_reference(text))?;
                Some((ImageRef::parse(text)?, view))
            })
            .as_ref()
    }

    /// `container "app"`, for messages: written straight into the message
    /// that names it, without a string of its own (findings on containers
    /// are the most frequent).
    pub(crate) fn label(&self) -> ContainerLabel<'_> {
        ContainerLabel { kind: self.kind, name: &self.name, pod: self.pod.as_deref() }
    }
}

/// How a message names a container (see [`Container::label`]): `container "app"`,
/// or `container "app" of pod template "Worker"` when its object holds several pods.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ContainerLabel<'c> {
    kind: ContainerKind,
    name: &'c str,
    pod: Option<&'c str>,
}

impl std::fmt::Display for ContainerLabel<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.kind.noun())?;
        f.write_str(" \"")?;
        f.write_str(self.name)?;
        f.write_str("\"")?;
        if let Some(pod) = self.pod {
            f.write_str(" of ")?;
            std::fmt::Display::fmt(&PodLabel(Some(pod)), f)?;
        }
        Ok(())
    }
}

/// How a message names a pod (see [`Pod::label`]): `pod`, or `pod template "Worker"`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct PodLabel<'p>(Option<&'p str>);

impl std::fmt::Display for PodLabel<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0 {
            None => f.write_str("pod"),
            Some(name) => write!(f, "pod template {name:?}"),
        }
    }
}

/// How a message names a workload's pod as its subject: the object
/// (`Deployment "web"`) when it holds one pod, `pod template "Worker" of
/// MPIJob "pi"` when it holds several (`pod` is the pod's name).
pub(crate) fn subject(identity: &Identity, pod: Option<&str>) -> String {
    match pod {
        None => identity.label(),
        Some(_) => format!("{} of {}", PodLabel(pod), identity.label()),
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

/// Every pod an object holds: where its kind's table line says (see
/// [`pod_locations`]), in the line's order, or, for a kind without one, what
/// the shape rule finds, in document order (see [`pod_shape`]). Pods are named
/// when there are several (see [`Pod::name`]).
pub(crate) fn pods_of<'a>(root: &View<'a>, api_version: &str, kind: &str) -> Vec<Pod<'a>> {
    // Each pod's name is kept in `Pod::name` until the count says whether it is needed.
    let mut pods: Vec<Pod<'a>> = Vec::new();
    if let Some(locations) = pod_locations::lookup(api_version, kind) {
        for location in locations {
            resolve(root, location, &mut |at, name| {
                if let Some(mut pod) = Pod::build(at, location.layout, root) {
                    pod.name = name.or_else(|| (!location.label.is_empty()).then(|| Arc::from(location.label)));
                    pods.push(pod);
                }
            });
        }
    } else if pod_shape::applies(api_version, kind) {
        if let Some(node) = root.node() {
            let tree = root.tree();
            for steps in pod_shape::survey(tree, node, "").specs {
                let name = pod_shape::item_name(tree, node, &steps);
                if let Some(mut pod) = shaped(root, &steps) {
                    pod.name = name.map(Arc::from);
                    pods.push(pod);
                }
            }
        }
    }
    match pods.as_mut_slice() {
        [] => {}
        [only] => only.name = None,
        several => name_pods(root, several),
    }
    pods
}

/// Gives each of several pods its name: its own (a replica type, a list
/// item's name) or its location's label, or, when it has none or shares it,
/// where it is written; and names each container's pod.
fn name_pods(root: &View<'_>, pods: &mut [Pod<'_>]) {
    let prefix = root.pointer();
    let mut uses: std::collections::HashMap<Arc<str>, usize> = std::collections::HashMap::new();
    for name in pods.iter().filter_map(|pod| pod.name.clone()) {
        *uses.entry(name).or_default() += 1;
    }
    for pod in pods.iter_mut() {
        let shared = pod.name.as_ref().is_some_and(|name| uses.get(name).is_some_and(|&count| count > 1));
        if pod.name.is_none() || shared {
            let pointer = pod.at.pointer();
            pod.name = Some(Arc::from(pointer.strip_prefix(prefix.as_str()).unwrap_or(&pointer)));
        }
        for container in &mut pod.containers {
            container.pod = pod.name.clone();
        }
    }
}

/// Calls `found` with each place a location's path reaches in an object and
/// the name the path gives it (a list item's name, a mapping's key): the
/// written places, or the one place of a pod the kind always holds.
fn resolve<'a>(root: &View<'a>, location: &Location, found: &mut dyn FnMut(View<'a>, Option<Arc<str>>)) {
    fn walk<'a>(
        view: View<'a>,
        name: Option<Arc<str>>,
        mut steps: impl Iterator<Item = Step<'static>> + Clone,
        location: &Location,
        found: &mut dyn FnMut(View<'a>, Option<Arc<str>>),
    ) {
        let Some(step) = steps.next() else {
            if location.always || view.written() {
                found(view, name);
            }
            return;
        };
        match step {
            Step::Key(key) => walk(view.get(key), name, steps, location, found),
            Step::EachItem { key, name_field } => {
                for item in view.get(key).items() {
                    let own = item.get(name_field).str().present().map(Arc::from);
                    walk(item, own.or_else(|| name.clone()), steps.clone(), location, found);
                }
            }
            Step::EachValue(key) => {
                for (own, value) in view.get(key).entries() {
                    walk(value, Some(Arc::from(own.as_ref())), steps.clone(), location, found);
                }
            }
        }
    }
    walk(root.clone(), None, pod_locations::steps(location.path), location, found);
}

/// The pod of a pod spec the shape rule found at `steps`: a template when the
/// spec is a mapping's `spec`, the object's own pod when it is the root,
/// otherwise a spec with its labels and annotations beside it.
fn shaped<'a>(root: &View<'a>, steps: &[PathStep]) -> Option<Pod<'a>> {
    let tree = root.tree();
    let mut views = vec![root.clone()];
    for step in steps {
        let view = views.last()?;
        let next = match *step {
            PathStep::Key(key) => view.get(tree.as_str(key)?),
            PathStep::Index(index) => view.item(index as usize),
        };
        views.push(next);
    }
    let spec = views.pop()?;
    let under_spec = matches!(steps.last(), Some(PathStep::Key(key)) if tree.as_str(*key) == Some("spec"));
    match views.pop() {
        None => Pod::build(spec, Layout::Spec, root),
        Some(parent) if under_spec => Pod::build(parent, Layout::Template, root),
        Some(_) => Pod::build(spec, Layout::Inline { extra: &[], extra_name: "" }, root),
    }
}

/// Adds the containers of the list at `list` to `into`.
fn list_of<'a>(kind: ContainerKind, list: &View<'a>, into: &mut Vec<Container<'a>>) {
    for (index, item) in list.items().into_iter().enumerate() {
        if item.exists() && !item.is_map() {
            // Records the wrong type once; the item is not a container.
            let _ = item.get("name");
            continue;
        }
        let name = item.get("name").str().present().map_or_else(|| format!("#{index}"), str::to_string);
        into.push(Container::of(kind, name, item));
    }
}

/// Adds the container written at `view` (alone, not in a list), when written,
/// named `default` unless it names itself.
fn one_of<'a>(view: View<'a>, default: &str, into: &mut Vec<Container<'a>>) {
    if !view.written() {
        return;
    }
    let name = view.get("name").str().present().unwrap_or(default).to_string();
    into.push(Container::of(ContainerKind::Regular, name, view));
}

/// The view at a dotted path of keys from `root`.
fn at_path<'a>(root: &View<'a>, path: &str) -> View<'a> {
    path.split('.').fold(root.clone(), |view, key| view.get(key))
}

impl<'a> Pod<'a> {
    /// The pod written at `at` with `layout`, or `None` for an Argo workflow
    /// template that runs no pod of its own.
    fn build(at: View<'a>, layout: Layout, root: &View<'a>) -> Option<Pod<'a>> {
        let mut containers = Vec::new();
        let (spec, metadata, fields) = match layout {
            Layout::Template | Layout::Spec | Layout::Inline { .. } => {
                let (spec, metadata) = match layout {
                    Layout::Template => (at.get("spec"), at.get("metadata")),
                    Layout::Spec => (at.clone(), root.get("metadata")),
                    _ => (at.clone(), at.clone()),
                };
                for kind in [ContainerKind::Init, ContainerKind::Regular, ContainerKind::Ephemeral] {
                    list_of(kind, &spec.get(kind.field()), &mut containers);
                    if let (ContainerKind::Regular, Layout::Inline { extra, extra_name }) = (kind, layout) {
                        for key in extra {
                            one_of(spec.get(key), extra_name, &mut containers);
                        }
                    }
                }
                (spec, metadata, Fields::Own)
            }
            Layout::Argo { defaults } => {
                if defaults.is_some() && !["container", "script", "containerSet"].iter().any(|key| at.has_key(key)) {
                    return None;
                }
                list_of(ContainerKind::Init, &at.get("initContainers"), &mut containers);
                one_of(at.get("container"), "main", &mut containers);
                one_of(at.get("script"), "main", &mut containers);
                list_of(ContainerKind::Regular, &at.path(&["containerSet", "containers"]), &mut containers);
                list_of(ContainerKind::Regular, &at.get("sidecars"), &mut containers);
                let fields = match defaults {
                    Some(path) => Fields::Defaults(at_path(root, path)),
                    None => Fields::Own,
                };
                (at.clone(), at.get("metadata"), fields)
            }
            Layout::Spark { main, app } => {
                list_of(ContainerKind::Init, &at.get("initContainers"), &mut containers);
                containers.push(Container::of(ContainerKind::Regular, main.to_string(), at.clone()));
                list_of(ContainerKind::Regular, &at.get("sidecars"), &mut containers);
                (at.clone(), at.clone(), Fields::Spark(at_path(root, app)))
            }
        };
        Some(Pod { spec, metadata, containers, control_plane: std::cell::OnceCell::new(), at, name: None, fields })
    }

    /// The pod field `name` where this pod's layout writes it: in the spec, or
    /// (when the spec leaves it out) in its workflow's spec, or under Spark's
    /// spelling (`podSecurityContext` for `securityContext`, `serviceAccount`
    /// for `serviceAccountName`, no deprecated `serviceAccount`, and the
    /// application's `volumes`).
    pub(crate) fn field(&self, name: &str) -> View<'a> {
        match &self.fields {
            Fields::Own => self.spec.get(name),
            Fields::Defaults(defaults) => {
                let own = self.spec.get(name);
                if own.written() {
                    return own;
                }
                let default = defaults.get(name);
                if default.written() {
                    default
                } else {
                    own
                }
            }
            Fields::Spark(app) => match name {
                "securityContext" => self.spec.get("podSecurityContext"),
                "serviceAccountName" => self.spec.get("serviceAccount"),
                "serviceAccount" => self.spec.missing("serviceAccount"),
                "volumes" => app.get("volumes"),
                _ => self.spec.get(name),
            },
        }
    }

    /// The pod's volumes (an Argo template's and its workflow's: Argo mounts both).
    pub(crate) fn volumes(&self) -> Vec<View<'a>> {
        match &self.fields {
            Fields::Defaults(defaults) => {
                let mut volumes = self.spec.get("volumes").items();
                volumes.extend(defaults.get("volumes").items());
                volumes
            }
            _ => self.field("volumes").items(),
        }
    }

    /// `pod`, or `pod template "Worker"` when its object holds several, for messages.
    pub(crate) fn label(&self) -> PodLabel<'_> {
        PodLabel(self.name.as_deref())
    }

    /// `volume "data"`, or `volume "data" of pod template "Worker"` when its
    /// object holds several pods, for messages.
    pub(crate) fn volume_label(&self, volume: &str) -> String {
        match &self.name {
            None => format!("volume {volume:?}"),
            Some(_) => format!("volume {volume:?} of {}", self.label()),
        }
    }

    /// The service account a pod runs as, and the field that decides it
    /// (`serviceAccountName`, the deprecated `serviceAccount`, or the missing
    /// `serviceAccountName` when neither is written: the `default` account).
    pub(crate) fn service_account(&self) -> (String, View<'a>) {
        let name = self.field("serviceAccountName");
        if let Some(value) = name.str().present().filter(|value| !value.is_empty()) {
            return (value.to_string(), name);
        }
        let deprecated = self.field("serviceAccount");
        if let Some(value) = deprecated.str().present().filter(|value| !value.is_empty()) {
            return (value.to_string(), deprecated);
        }
        ("default".to_string(), name)
    }

    /// The pod-level `securityContext`.
    pub(crate) fn security_context(&self) -> View<'a> {
        self.field("securityContext")
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
