//! The RBAC graph of the input: roles by (namespace, name), bindings resolved to
//! their role, subjects, and the rules each binding grants.

use std::collections::{BTreeMap, HashMap};

use super::selector::{read_labels, Labels, Selector};
use crate::model::object::namespaced_label;
use crate::model::rbac::Rule;
use crate::model::view::View;
use crate::model::{Identity, Object};

const RBAC_GROUP: &str = "rbac.authorization.k8s.io";

/// A Role or ClusterRole of the input.
#[derive(Debug, Clone)]
pub(crate) struct Role<'a> {
    /// Index of the object in the scan.
    pub object: usize,
    /// ClusterRole (true) or Role.
    pub cluster: bool,
    pub namespace: String,
    pub name: String,
    pub labels: Labels,
    pub rules: Vec<Rule<'a>>,
    /// The `aggregationRule` field, when written.
    pub aggregation: Option<View<'a>>,
    /// Its `clusterRoleSelectors`.
    pub aggregation_selectors: Vec<Selector>,
    /// ClusterRoles (indices into [`Rbac::roles`]) whose rules this one aggregates.
    pub aggregated_from: Vec<usize>,
}

impl Role<'_> {
    /// `ClusterRole "view"` or `Role "shop/reader"`, for messages.
    pub(crate) fn label(&self) -> String {
        if self.cluster {
            format!("ClusterRole \"{}\"", self.name)
        } else {
            namespaced_label("Role", &self.namespace, &self.name)
        }
    }

    /// `rbac.authorization.k8s.io/aggregate-to-*` labels set to `"true"`.
    pub(crate) fn aggregate_to_labels(&self) -> Vec<&str> {
        self.labels
            .iter()
            .filter(|(key, value)| {
                key.starts_with("rbac.authorization.k8s.io/aggregate-to-") && value.as_str() == "true"
            })
            .map(|(key, _)| key.as_str())
            .collect()
    }
}

/// Kinds of RBAC subjects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum SubjectKind {
    User,
    Group,
    ServiceAccount,
}

impl SubjectKind {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            SubjectKind::User => "User",
            SubjectKind::Group => "Group",
            SubjectKind::ServiceAccount => "ServiceAccount",
        }
    }
}

/// One subject of a binding.
#[derive(Debug, Clone)]
pub(crate) struct Subject<'a> {
    pub kind: SubjectKind,
    pub name: String,
    /// For service accounts: their namespace (the binding's when a RoleBinding leaves it out).
    pub namespace: Option<String>,
    pub view: View<'a>,
}

impl Subject<'_> {
    /// `ServiceAccount "shop/app"`, `Group "system:masters"`, for messages.
    pub(crate) fn label(&self) -> String {
        match &self.namespace {
            Some(namespace) => format!("{} \"{}/{}\"", self.kind.as_str(), namespace, self.name),
            None => format!("{} \"{}\"", self.kind.as_str(), self.name),
        }
    }
}

/// What a binding's `roleRef` resolves to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RoleTarget {
    /// A role of the input (index into [`Rbac::roles`]).
    Found(usize),
    /// The built-in `cluster-admin` ClusterRole, which need not be in the input.
    ClusterAdmin,
    /// Not in the input: its permissions are unknown and not guessed.
    Missing,
}

/// A RoleBinding or ClusterRoleBinding of the input.
#[derive(Debug, Clone)]
pub(crate) struct Binding<'a> {
    pub object: usize,
    /// ClusterRoleBinding (true) or RoleBinding.
    pub cluster: bool,
    pub namespace: String,
    pub name: String,
    /// `roleRef.kind` and `roleRef.name`.
    pub role_kind: String,
    pub role_name: String,
    pub role_ref: View<'a>,
    pub target: RoleTarget,
    pub subjects: Vec<Subject<'a>>,
}

impl Binding<'_> {
    /// `ClusterRoleBinding "x"` or `RoleBinding "shop/x"`, for messages.
    pub(crate) fn label(&self) -> String {
        if self.cluster {
            format!("ClusterRoleBinding \"{}\"", self.name)
        } else {
            namespaced_label("RoleBinding", &self.namespace, &self.name)
        }
    }

    /// `ClusterRole "view"`, for messages about the role it refers to.
    pub(crate) fn role_label(&self) -> String {
        if self.role_kind == "ClusterRole" {
            format!("ClusterRole \"{}\"", self.role_name)
        } else {
            namespaced_label("Role", &self.namespace, &self.role_name)
        }
    }

    /// Where the binding grants: `None` cluster-wide, or one namespace.
    pub(crate) fn scope(&self) -> Option<&str> {
        if self.cluster {
            None
        } else {
            Some(&self.namespace)
        }
    }
}

/// The RBAC objects of a scan, indexed.
#[derive(Debug, Default)]
pub(crate) struct Rbac<'a> {
    pub roles: Vec<Role<'a>>,
    pub bindings: Vec<Binding<'a>>,
    /// Roles by (namespace, name); ClusterRoles under the namespace `""`.
    by_name: HashMap<(String, String), usize>,
    /// Bindings by service account (namespace, name).
    by_service_account: HashMap<(String, String), Vec<usize>>,
}

/// The namespace a namespaced object lives in (`default` when it names none).
pub(crate) fn namespace_of(identity: &Identity) -> String {
    identity.namespace_key().into_owned()
}

impl<'a> Rbac<'a> {
    /// Indexes the RBAC objects among `objects` (index in the scan, object).
    pub(crate) fn build<'o>(objects: impl IntoIterator<Item = (usize, &'o Object<'a>)>) -> Rbac<'a>
    where
        'a: 'o,
    {
        let mut rbac = Rbac::default();
        for (index, object) in objects {
            let group = object.identity.api_version.rsplit_once('/').map_or("", |(group, _)| group);
            if group != RBAC_GROUP {
                continue;
            }
            let name = object.identity.name.clone().unwrap_or_default();
            match object.identity.kind.as_str() {
                kind @ ("Role" | "ClusterRole") => {
                    let cluster = kind == "ClusterRole";
                    let aggregation = object.root.get("aggregationRule");
                    let aggregation_selectors =
                        aggregation.get("clusterRoleSelectors").items().iter().filter_map(Selector::read).collect();
                    let role = Role {
                        object: index,
                        cluster,
                        namespace: if cluster { String::new() } else { namespace_of(&object.identity) },
                        name,
                        labels: read_labels(&object.root.path(&["metadata", "labels"])),
                        rules: object
                            .root
                            .get("rules")
                            .items()
                            .into_iter()
                            .filter(View::is_map)
                            .map(Rule::read)
                            .collect(),
                        aggregation: aggregation.exists().then_some(aggregation),
                        aggregation_selectors,
                        aggregated_from: Vec::new(),
                    };
                    rbac.by_name.entry((role.namespace.clone(), role.name.clone())).or_insert(rbac.roles.len());
                    rbac.roles.push(role);
                }
                kind @ ("RoleBinding" | "ClusterRoleBinding") => {
                    let cluster = kind == "ClusterRoleBinding";
                    let namespace = if cluster { String::new() } else { namespace_of(&object.identity) };
                    let role_ref = object.root.get("roleRef");
                    let subjects = object
                        .root
                        .get("subjects")
                        .items()
                        .into_iter()
                        .filter_map(|view| {
                            let kind = match view.get("kind").str().present()? {
                                "User" => SubjectKind::User,
                                "Group" => SubjectKind::Group,
                                "ServiceAccount" => SubjectKind::ServiceAccount,
                                _ => return None,
                            };
                            let name = view.get("name").str().present()?.to_string();
                            let written = view.get("namespace").str().present().map(str::to_string);
                            let namespace = match kind {
                                SubjectKind::ServiceAccount => {
                                    written.or_else(|| (!cluster).then(|| namespace.clone()))
                                }
                                _ => None,
                            };
                            Some(Subject { kind, name, namespace, view })
                        })
                        .collect();
                    rbac.bindings.push(Binding {
                        object: index,
                        cluster,
                        namespace,
                        name,
                        role_kind: role_ref.get("kind").str().present().unwrap_or_default().to_string(),
                        role_name: role_ref.get("name").str().present().unwrap_or_default().to_string(),
                        role_ref,
                        target: RoleTarget::Missing,
                        subjects,
                    });
                }
                _ => {}
            }
        }
        rbac.resolve();
        rbac
    }

    fn resolve(&mut self) {
        // Aggregation: ClusterRoles whose labels match a selector of an aggregating ClusterRole.
        let mut by_label: HashMap<(&str, &str), Vec<usize>> = HashMap::new();
        for (index, role) in self.roles.iter().enumerate() {
            if role.cluster {
                for (key, value) in &role.labels {
                    by_label.entry((key, value)).or_default().push(index);
                }
            }
        }
        let cluster_roles: Vec<usize> =
            (0..self.roles.len()).filter(|&i| self.roles.get(i).is_some_and(|r| r.cluster)).collect();
        let mut aggregated: Vec<(usize, Vec<usize>)> = Vec::new();
        for (index, role) in self.roles.iter().enumerate() {
            if !role.cluster || role.aggregation_selectors.is_empty() {
                continue;
            }
            let mut from = Vec::new();
            for selector in &role.aggregation_selectors {
                let candidates = match selector
                    .match_labels
                    .iter()
                    .filter_map(|(k, v)| by_label.get(&(k.as_str(), v.as_str())))
                    .min_by_key(|list| list.len())
                {
                    Some(list) => list.clone(),
                    None if selector.match_labels.is_empty() => cluster_roles.clone(),
                    None => Vec::new(),
                };
                for candidate in candidates {
                    if candidate != index
                        && !from.contains(&candidate)
                        && self.roles.get(candidate).is_some_and(|other| selector.matches(&other.labels))
                    {
                        from.push(candidate);
                    }
                }
            }
            from.sort_unstable();
            aggregated.push((index, from));
        }
        for (index, from) in aggregated {
            if let Some(role) = self.roles.get_mut(index) {
                role.aggregated_from = from;
            }
        }
        for (binding_index, binding) in self.bindings.iter_mut().enumerate() {
            let key = match binding.role_kind.as_str() {
                "ClusterRole" => Some((String::new(), binding.role_name.clone())),
                "Role" if !binding.cluster => Some((binding.namespace.clone(), binding.role_name.clone())),
                _ => None,
            };
            binding.target = match key.and_then(|key| self.by_name.get(&key)) {
                Some(&role) => RoleTarget::Found(role),
                None if binding.role_kind == "ClusterRole" && binding.role_name == "cluster-admin" => {
                    RoleTarget::ClusterAdmin
                }
                None => RoleTarget::Missing,
            };
            for subject in &binding.subjects {
                if let (SubjectKind::ServiceAccount, Some(namespace)) = (subject.kind, &subject.namespace) {
                    let list = self.by_service_account.entry((namespace.clone(), subject.name.clone())).or_default();
                    if !list.contains(&binding_index) {
                        list.push(binding_index);
                    }
                }
            }
        }
    }

    /// The rules a role grants: its own, and those of the ClusterRoles it aggregates.
    pub(crate) fn effective_rules(&self, role: usize) -> Vec<(usize, &Rule<'a>)> {
        let Some(own) = self.roles.get(role) else {
            return Vec::new();
        };
        let mut rules: Vec<(usize, &Rule<'a>)> = own.rules.iter().map(|rule| (role, rule)).collect();
        for &from in &own.aggregated_from {
            if let Some(other) = self.roles.get(from) {
                rules.extend(other.rules.iter().map(|rule| (from, rule)));
            }
        }
        rules
    }

    /// Bindings (indices) that name this service account as a subject.
    pub(crate) fn bindings_of_service_account(&self, namespace: &str, name: &str) -> &[usize] {
        self.by_service_account.get(&(namespace.to_string(), name.to_string())).map_or(&[], Vec::as_slice)
    }

    /// Does the role equal cluster-admin (every verb on every resource of every group)?
    pub(crate) fn is_cluster_admin_equivalent(&self, role: usize) -> bool {
        self.effective_rules(role).iter().any(|(_, rule)| rule.is_full_wildcard())
    }

    /// What a binding can do that is worth naming: the capabilities of [`Capability`].
    pub(crate) fn capabilities(&self, binding: &Binding<'a>) -> Vec<(Capability, Option<(usize, &Rule<'a>)>)> {
        match binding.target {
            RoleTarget::ClusterAdmin => {
                vec![(Capability::ClusterAdmin, None)]
            }
            RoleTarget::Missing => Vec::new(),
            RoleTarget::Found(role) => {
                let mut found: BTreeMap<Capability, (usize, &Rule<'a>)> = BTreeMap::new();
                for (from, rule) in self.effective_rules(role) {
                    for capability in Capability::ALL {
                        if !found.contains_key(&capability) && capability.granted_by(rule) {
                            found.insert(capability, (from, rule));
                        }
                    }
                }
                // Cluster admin subsumes the rest.
                if let Some(admin) = found.get(&Capability::ClusterAdmin).copied() {
                    return vec![(Capability::ClusterAdmin, Some(admin))];
                }
                found.into_iter().map(|(capability, at)| (capability, Some(at))).collect()
            }
        }
    }
}

/// Sensitive things a subject can do, as the workload-permission join names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Capability {
    ClusterAdmin,
    ReadSecrets,
    ExecIntoPods,
}

impl Capability {
    pub(crate) const ALL: [Capability; 3] =
        [Capability::ClusterAdmin, Capability::ReadSecrets, Capability::ExecIntoPods];

    pub(crate) fn describe(self) -> &'static str {
        match self {
            Capability::ClusterAdmin => "administer the cluster (every verb on every resource)",
            Capability::ReadSecrets => "read secrets",
            Capability::ExecIntoPods => "exec into pods",
        }
    }

    fn granted_by(self, rule: &Rule<'_>) -> bool {
        match self {
            Capability::ClusterAdmin => rule.is_full_wildcard(),
            Capability::ReadSecrets => ["get", "list", "watch"].iter().any(|verb| rule.grants("", "secrets", verb)),
            Capability::ExecIntoPods => rule.grants("", "pods/exec", "create"),
        }
    }
}
