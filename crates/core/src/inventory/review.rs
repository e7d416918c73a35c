//! The who-can-do-what review (item 2.5): per subject, what it may do, where,
//! and through which binding and role.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::rbac::{Rbac, RoleTarget, SubjectKind};
use crate::model::Object;

/// Version of the review's JSON shape.
pub const RBAC_REVIEW_SCHEMA_VERSION: &str = "1";

/// Who can do what, from the Role, ClusterRole, RoleBinding and ClusterRoleBinding objects of the input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[non_exhaustive]
pub struct RbacReview {
    /// Version of this review's JSON shape.
    pub schema_version: String,
    /// Every subject named by a binding, in (kind, namespace, name) order.
    pub subjects: Vec<SubjectAccess>,
}

/// One subject and everything bound to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[non_exhaustive]
pub struct SubjectAccess {
    /// `User`, `Group` or `ServiceAccount`.
    pub kind: String,
    /// The subject's name.
    pub name: String,
    /// For service accounts, their namespace.
    pub namespace: Option<String>,
    /// What the subject may do, one entry per rule of each binding's role.
    pub grants: Vec<Grant>,
}

/// What one rule of one bound role lets a subject do, and where.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[non_exhaustive]
pub struct Grant {
    /// The namespace the grant applies in; `None` means cluster-wide.
    pub namespace: Option<String>,
    /// Verbs (`*` is every verb).
    pub verbs: Vec<String>,
    /// API groups (`""` is the core group, `*` every group).
    pub api_groups: Vec<String>,
    /// Resources, `pods/exec` style for subresources (`*` is every resource).
    pub resources: Vec<String>,
    /// When not empty, the grant covers only these objects.
    pub resource_names: Vec<String>,
    /// Non-resource URLs (`/metrics`), for ClusterRoles bound cluster-wide.
    pub non_resource_urls: Vec<String>,
    /// The binding that grants it.
    pub binding: BindingRef,
    /// The role (and rule) it comes from.
    pub role: RoleRef,
}

/// A RoleBinding or ClusterRoleBinding, and where it is written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[non_exhaustive]
pub struct BindingRef {
    /// `RoleBinding` or `ClusterRoleBinding`.
    pub kind: String,
    /// The binding's namespace (RoleBindings).
    pub namespace: Option<String>,
    /// The binding's name.
    pub name: String,
    /// The file it is in.
    pub file: String,
    /// 1-based line of its subject entry.
    pub line: u32,
}

/// The role a grant comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[non_exhaustive]
pub struct RoleRef {
    /// `Role` or `ClusterRole`.
    pub kind: String,
    /// The role's name.
    pub name: String,
    /// Whether the role is in the input. When it is not, its permissions are unknown:
    /// the grant lists no verbs or resources and `note` says so (the built-in
    /// `cluster-admin` is the one exception, known to be everything).
    pub found: bool,
    /// The rule's JSON Pointer in the role (`/rules/0`), when it comes from one.
    pub rule: Option<String>,
    /// When the rule comes from another ClusterRole through aggregation, that ClusterRole's name.
    pub aggregated_from: Option<String>,
    /// The file and 1-based line of the rule, when the role is in the input.
    pub file: Option<String>,
    /// See `file`.
    pub line: Option<u32>,
    /// Anything the reader should know about this grant.
    pub note: Option<String>,
}

impl RbacReview {
    /// The review as pretty-printed JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// The review as a plain-text table, one block per subject.
    pub fn to_text(&self) -> String {
        if self.subjects.is_empty() {
            return "no RBAC bindings in the input\n".to_string();
        }
        let mut out = String::new();
        for subject in &self.subjects {
            let who = match &subject.namespace {
                Some(namespace) => format!("{} {}/{}", subject.kind, namespace, subject.name),
                None => format!("{} {}", subject.kind, subject.name),
            };
            out.push_str(&who);
            out.push('\n');
            for grant in &subject.grants {
                let scope =
                    grant.namespace.as_deref().map_or_else(|| "cluster-wide".to_string(), |ns| format!("in {ns}"));
                let what = if !grant.role.found && grant.verbs.is_empty() {
                    "(unknown: role not in the input)".to_string()
                } else if !grant.non_resource_urls.is_empty() {
                    format!("{} {}", grant.verbs.join(","), grant.non_resource_urls.join(","))
                } else {
                    let resources: Vec<String> = grant
                        .resources
                        .iter()
                        .flat_map(|resource| {
                            grant.api_groups.iter().map(move |group| match group.as_str() {
                                "" => resource.clone(),
                                group => format!("{resource}.{group}"),
                            })
                        })
                        .collect();
                    let names = if grant.resource_names.is_empty() {
                        String::new()
                    } else {
                        format!(" [{}]", grant.resource_names.join(","))
                    };
                    format!("{} {}{names}", grant.verbs.join(","), resources.join(","))
                };
                let binding = match &grant.binding.namespace {
                    Some(namespace) => format!("{} {}/{}", grant.binding.kind, namespace, grant.binding.name),
                    None => format!("{} {}", grant.binding.kind, grant.binding.name),
                };
                let via = match &grant.role.aggregated_from {
                    Some(from) => format!(" (aggregated from ClusterRole {from})"),
                    None => String::new(),
                };
                let rule = match (&grant.role.rule, &grant.role.file, grant.role.line) {
                    (Some(rule), Some(file), Some(line)) => format!(" {rule} ({file}:{line})"),
                    (Some(rule), _, _) => format!(" {rule}"),
                    _ => String::new(),
                };
                out.push_str(&format!(
                    "  {scope:<20} {what}\n  {:<20}   via {binding} ({}:{}) -> {} {}{rule}{via}\n",
                    "", grant.binding.file, grant.binding.line, grant.role.kind, grant.role.name,
                ));
                if let Some(note) = &grant.role.note {
                    out.push_str(&format!("  {:<20}   note: {note}\n", ""));
                }
            }
        }
        out
    }
}

type Ranges<'r> = &'r dyn Fn(usize, (u32, u32)) -> Option<crate::Range>;

/// Builds the review from the objects of one input set.
pub(crate) fn review(objects: &[Object<'_>], range: Ranges<'_>) -> RbacReview {
    let rbac = Rbac::build(objects.iter().enumerate());
    let mut subjects: BTreeMap<(SubjectKind, Option<String>, String), Vec<Grant>> = BTreeMap::new();
    for binding in &rbac.bindings {
        let file = objects.get(binding.object).map_or_else(String::new, |object| object.file.to_string());
        for subject in &binding.subjects {
            let binding_ref = BindingRef {
                kind: if binding.cluster { "ClusterRoleBinding" } else { "RoleBinding" }.to_string(),
                namespace: binding.scope().map(str::to_string),
                name: binding.name.clone(),
                file: file.clone(),
                line: range(binding.object, subject.view.span).map_or(0, |r| r.start.line),
            };
            let namespace = binding.scope().map(str::to_string);
            let role_ref = |found: bool, note: Option<String>| RoleRef {
                kind: binding.role_kind.clone(),
                name: binding.role_name.clone(),
                found,
                rule: None,
                aggregated_from: None,
                file: None,
                line: None,
                note,
            };
            let grants = subjects.entry((subject.kind, subject.namespace.clone(), subject.name.clone())).or_default();
            match binding.target {
                RoleTarget::Missing => grants.push(Grant {
                    namespace,
                    verbs: Vec::new(),
                    api_groups: Vec::new(),
                    resources: Vec::new(),
                    resource_names: Vec::new(),
                    non_resource_urls: Vec::new(),
                    binding: binding_ref,
                    role: role_ref(
                        false,
                        Some("the role is not in the input; its permissions were not evaluated".into()),
                    ),
                }),
                RoleTarget::ClusterAdmin => {
                    let all = vec!["*".to_string()];
                    grants.push(Grant {
                        namespace,
                        verbs: all.clone(),
                        api_groups: all.clone(),
                        resources: all,
                        resource_names: Vec::new(),
                        non_resource_urls: Vec::new(),
                        binding: binding_ref,
                        role: role_ref(false, Some("built-in ClusterRole cluster-admin: every permission".into())),
                    });
                }
                RoleTarget::Found(role) => {
                    let own = rbac.roles.get(role);
                    for (from, rule) in rbac.effective_rules(role) {
                        let source = rbac.roles.get(from);
                        let strings =
                            |list: &[(&str, u32)]| list.iter().map(|&(s, _)| s.to_string()).collect::<Vec<_>>();
                        let object = source.map_or(binding.object, |source| source.object);
                        let at = range(object, rule.view.span);
                        grants.push(Grant {
                            namespace: namespace.clone(),
                            verbs: strings(&rule.verbs),
                            api_groups: strings(&rule.api_groups),
                            resources: strings(&rule.resources),
                            resource_names: rule.resource_names.iter().map(|s| s.to_string()).collect(),
                            non_resource_urls: rule.non_resource_urls.iter().map(|s| s.to_string()).collect(),
                            binding: binding_ref.clone(),
                            role: RoleRef {
                                kind: own
                                    .map_or("Role", |r| if r.cluster { "ClusterRole" } else { "Role" })
                                    .to_string(),
                                name: own.map_or_else(String::new, |r| r.name.clone()),
                                found: true,
                                rule: Some(rule.view.pointer()),
                                aggregated_from: (from != role)
                                    .then(|| source.map_or_else(String::new, |s| s.name.clone())),
                                file: objects.get(object).map(|o| o.file.to_string()),
                                line: at.map(|r| r.start.line),
                                note: None,
                            },
                        });
                    }
                }
            }
        }
    }
    RbacReview {
        schema_version: RBAC_REVIEW_SCHEMA_VERSION.into(),
        subjects: subjects
            .into_iter()
            .map(|((kind, namespace, name), mut grants)| {
                grants.sort_by(|a, b| {
                    (
                        &a.namespace,
                        &a.binding.kind,
                        &a.binding.namespace,
                        &a.binding.name,
                        &a.role.rule,
                        &a.role.aggregated_from,
                    )
                        .cmp(&(
                            &b.namespace,
                            &b.binding.kind,
                            &b.binding.namespace,
                            &b.binding.name,
                            &b.role.rule,
                            &b.role.aggregated_from,
                        ))
                });
                grants.dedup();
                SubjectAccess { kind: kind.as_str().to_string(), name, namespace, grants }
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Engine;

    #[test]
    fn the_review_has_a_json_schema_naming_its_fields() {
        let schema = serde_json::to_string(&schemars::schema_for!(RbacReview)).unwrap_or_default();
        for field in ["subjects", "grants", "verbs", "resources", "binding", "role", "found", "note"] {
            assert!(schema.contains(&format!("\"{field}\"")), "{field} missing from the schema");
        }
    }

    #[test]
    fn an_empty_input_says_so() {
        let review = Engine::default().rbac_review(&[]);
        assert!(review.subjects.is_empty());
        assert_eq!(review.to_text(), "no RBAC bindings in the input\n");
    }
}
