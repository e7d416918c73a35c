//! The fix each check declares: its class (safe, unsafe, or none and why)
//! and how a finding of it becomes operations on its document.
//!
//! A plan reads the finding (its check, JSON Pointer, container, object) and,
//! where the value is the file's own (limits from requests), the document.
//! The operations are rendered by [`crate::fix::render`], merged with the
//! other fixes of the same document.

use crate::fix::{lookup, scalar_value, tokens, FixClass, FixSafety, Op, Val};
use crate::yaml::{NodeId, Tree};
use crate::Config;

/// What a plan sees of one finding.
pub(crate) struct FixRequest<'r> {
    pub check: &'r str,
    /// The finding's JSON Pointer in its document.
    pub path: &'r str,
    /// `/items/N` for an item of a `List`, else empty: where the object's root is.
    pub object: &'r str,
    pub api_version: &'r str,
    pub kind: &'r str,
    pub name: Option<&'r str>,
    pub container: Option<&'r str>,
    pub message: &'r str,
    pub tree: &'r Tree,
    pub root: NodeId,
    pub config: &'r Config,
}

/// A planned fix: its title and operations.
pub(crate) struct Planned {
    pub title: String,
    pub safety: FixSafety,
    pub ops: Vec<Op>,
}

type Plan = fn(&FixRequest<'_>) -> Result<(String, Vec<Op>), String>;

const SAFE: FixClass = FixClass::Fixes(FixSafety::Safe);
const UNSAFE: FixClass = FixClass::Fixes(FixSafety::Unsafe);

/// Every check with a fix and its class, and the reasons of some that have
/// none. (The plans are found by [`planner`], apart: the catalog reads this
/// table without pulling the fix writer into a build that never fixes.)
static FIXES: &[(&str, FixClass)] = &[
    ("no-privilege-escalation", SAFE),
    ("seccomp-profile", SAFE),
    ("automount-service-account-token", SAFE),
    ("deprecated-api-version", SAFE),
    ("no-privileged", UNSAFE),
    ("read-only-root-filesystem", UNSAFE),
    ("run-as-non-root", UNSAFE),
    ("drop-all-capabilities", UNSAFE),
    ("no-host-namespaces", UNSAFE),
    ("resource-limits", UNSAFE),
    ("pss-namespace-labels", UNSAFE),
    ("pss-namespace-label-values", UNSAFE),
    ("namespace-default-deny", UNSAFE),
    ("image-digest", FixClass::None("the digest must come from the registry, which kubeward does not contact")),
    ("image-registry", FixClass::None("which registry mirrors the image is the user's to say")),
    ("secret-in-env", FixClass::None("moving a secret out of the manifest needs a secret store and a person")),
];

/// The plan of a check with a fix.
fn planner(check: &str) -> Option<Plan> {
    Some(match check {
        "no-privilege-escalation" => no_privilege_escalation,
        "seccomp-profile" => seccomp_profile,
        "automount-service-account-token" => automount,
        "deprecated-api-version" => api_version_rename,
        "no-privileged" => no_privileged,
        "read-only-root-filesystem" => read_only_root,
        "run-as-non-root" => run_as_non_root,
        "drop-all-capabilities" => drop_all,
        "no-host-namespaces" => host_namespaces,
        "resource-limits" => limits_from_requests,
        "pss-namespace-labels" | "pss-namespace-label-values" => pss_labels,
        "namespace-default-deny" => default_deny,
        _ => return None,
    })
}

/// Why a check not listed in [`FIXES`] has no fix.
const NO_MECHANICAL_REMEDY: &str = "the remedy depends on the workload or the cluster: see Remediation";

/// The fix class of a check.
pub(crate) fn class(check: &str) -> FixClass {
    FIXES.iter().find(|(id, _)| *id == check).map_or(FixClass::None(NO_MECHANICAL_REMEDY), |(_, class)| *class)
}

/// The check's own fix for a finding, when it has one: `Ok(None)` when the
/// check has no fix, `Err` when it has one but not for this finding (its
/// safety, and why).
pub(crate) fn plan(request: &FixRequest<'_>) -> Result<Option<Planned>, (FixSafety, String)> {
    let (Some(plan), FixClass::Fixes(safety)) = (planner(request.check), class(request.check)) else {
        return Ok(None);
    };
    let (title, ops) = plan(request).map_err(|why| (safety, why))?;
    Ok(Some(Planned { title, safety, ops }))
}

/// The exemption every finding offers: `kubeward.io/ignore` on its object, and a reason to write.
pub(crate) fn exemption(request: &FixRequest<'_>) -> Planned {
    let entry = match request.container {
        Some(container) => format!("{}:{container}", request.check),
        None => request.check.to_string(),
    };
    let annotations = format!("{}/metadata/annotations", request.object);
    let ignore = format!("{annotations}/kubeward.io~1ignore");
    let value = match lookup(request.tree, request.root, &ignore).and_then(|node| scalar_value(request.tree, node)) {
        Some(Val::Str(existing)) if !existing.trim().is_empty() => {
            if existing.split(',').any(|e| e.trim() == entry) {
                existing
            } else {
                format!("{}, {entry}", existing.trim_end())
            }
        }
        _ => entry.clone(),
    };
    let mut ops = vec![Op::Set { path: ignore, value: Val::Str(value) }];
    let reason = format!("{annotations}/kubeward.io~1ignore-reason");
    if lookup(request.tree, request.root, &reason).is_none() {
        ops.push(Op::Set { path: reason, value: Val::str("TODO: say why this is accepted") });
    }
    Planned {
        title: format!("Exempt from {entry} with a reason (kubeward.io/ignore)"),
        safety: FixSafety::Exemption,
        ops,
    }
}

fn last_token(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or_default()
}

/// `path` with its last token replaced by `name`.
fn sibling(path: &str, name: &str) -> String {
    match path.rsplit_once('/') {
        Some((parent, _)) => format!("{parent}/{name}"),
        None => format!("/{name}"),
    }
}

fn expect_field(request: &FixRequest<'_>, field: &str) -> Result<(), String> {
    if last_token(request.path) == field {
        Ok(())
    } else {
        Err(format!("the finding is not at {field}"))
    }
}

fn set_field(request: &FixRequest<'_>, field: &str, value: Val) -> Result<(String, Vec<Op>), String> {
    expect_field(request, field)?;
    let shown = match &value {
        Val::Bool(b) => b.to_string(),
        Val::Int(i) => i.to_string(),
        Val::Str(s) => s.clone(),
        _ => String::new(),
    };
    Ok((format!("Set {field}: {shown}"), vec![Op::Set { path: request.path.to_string(), value }]))
}

fn no_privilege_escalation(request: &FixRequest<'_>) -> Result<(String, Vec<Op>), String> {
    set_field(request, "allowPrivilegeEscalation", Val::Bool(false))
}

fn automount(request: &FixRequest<'_>) -> Result<(String, Vec<Op>), String> {
    set_field(request, "automountServiceAccountToken", Val::Bool(false))
}

fn no_privileged(request: &FixRequest<'_>) -> Result<(String, Vec<Op>), String> {
    set_field(request, "privileged", Val::Bool(false))
}

fn read_only_root(request: &FixRequest<'_>) -> Result<(String, Vec<Op>), String> {
    set_field(request, "readOnlyRootFilesystem", Val::Bool(true))
}

fn seccomp_profile(request: &FixRequest<'_>) -> Result<(String, Vec<Op>), String> {
    let title = "Set seccompProfile.type: RuntimeDefault".to_string();
    let path = request.path;
    if last_token(path) == "seccompProfile" {
        let value = Val::map([("type", Val::str("RuntimeDefault"))]);
        return Ok((title, vec![Op::Set { path: path.to_string(), value }]));
    }
    if path.ends_with("/seccompProfile/type") {
        return Ok((title, vec![Op::Set { path: path.to_string(), value: Val::str("RuntimeDefault") }]));
    }
    Err("the profile is chosen by an annotation; replace it with seccompProfile".into())
}

fn run_as_non_root(request: &FixRequest<'_>) -> Result<(String, Vec<Op>), String> {
    let user = request.config.fix.run_as_user;
    match last_token(request.path) {
        "runAsNonRoot" => {
            let mut ops = vec![Op::Set { path: request.path.to_string(), value: Val::Bool(true) }];
            let mut title = "Set runAsNonRoot: true".to_string();
            if let Some(uid) = user {
                ops.push(Op::Set { path: sibling(request.path, "runAsUser"), value: Val::Int(uid) });
                title.push_str(&format!(" and runAsUser: {uid}"));
            }
            Ok((title, ops))
        }
        "runAsUser" => match user {
            Some(uid) => Ok((
                format!("Set runAsUser: {uid}"),
                vec![Op::Set { path: request.path.to_string(), value: Val::Int(uid) }],
            )),
            None => {
                Err("which non-root UID to run as is the user's choice: set fix.runAsUser in the configuration".into())
            }
        },
        _ => Err("the finding is not at runAsNonRoot or runAsUser".into()),
    }
}

fn drop_all(request: &FixRequest<'_>) -> Result<(String, Vec<Op>), String> {
    if !request.path.ends_with("/capabilities/drop") {
        return Err("the finding is not at capabilities.drop".into());
    }
    Ok((
        "Drop ALL capabilities".into(),
        vec![Op::Append { path: request.path.to_string(), items: vec![Val::str("ALL")] }],
    ))
}

fn host_namespaces(request: &FixRequest<'_>) -> Result<(String, Vec<Op>), String> {
    let field = last_token(request.path);
    if !matches!(field, "hostNetwork" | "hostPID" | "hostIPC") {
        return Err("the finding is not at a host namespace field".into());
    }
    Ok((format!("Remove {field}"), vec![Op::Remove { path: request.path.to_string(), otherwise: Val::Bool(false) }]))
}

fn limits_from_requests(request: &FixRequest<'_>) -> Result<(String, Vec<Op>), String> {
    if !request.path.ends_with("/resources/limits") {
        return Err("the finding is not at resources.limits".into());
    }
    let requests = sibling(request.path, "requests");
    let mut ops = Vec::new();
    let mut named = Vec::new();
    for resource in ["cpu", "memory"] {
        let limit = format!("{}/{resource}", request.path);
        if lookup(request.tree, request.root, &limit).is_some() {
            continue;
        }
        let asked = lookup(request.tree, request.root, &format!("{requests}/{resource}"))
            .and_then(|node| scalar_value(request.tree, node));
        match asked {
            Some(value @ (Val::Str(_) | Val::Int(_))) => {
                ops.push(Op::Set { path: limit, value });
                named.push(resource);
            }
            _ => return Err(format!("the container requests no {resource}, so the limit is the user's to choose")),
        }
    }
    if ops.is_empty() {
        return Err("the limits are written but could not be read".into());
    }
    Ok((format!("Set the {} limit from the container's request", named.join(" and ")), ops))
}

fn pss_labels(request: &FixRequest<'_>) -> Result<(String, Vec<Op>), String> {
    let key = tokens(request.path).pop().unwrap_or_default();
    let Some(mode) = key.strip_prefix("pod-security.kubernetes.io/") else {
        return Err("the finding is not at a Pod Security label".into());
    };
    let fix = &request.config.fix;
    let level = fix.pod_security_level.clone().unwrap_or_else(|| "restricted".into());
    let version = fix.pod_security_version.clone().unwrap_or_else(|| "latest".into());
    if let Some(mode) = mode.strip_suffix("-version") {
        return Ok((
            format!("Set pod-security.kubernetes.io/{mode}-version: {version}"),
            vec![Op::Set { path: request.path.to_string(), value: Val::Str(version) }],
        ));
    }
    if !matches!(mode, "enforce" | "audit" | "warn") {
        return Err("an unknown Pod Security label: remove or rename it".into());
    }
    let mut ops = vec![Op::Set { path: request.path.to_string(), value: Val::Str(level.clone()) }];
    let version_path = format!("{}-version", request.path);
    if lookup(request.tree, request.root, &version_path).is_none() {
        ops.push(Op::Set { path: version_path, value: Val::Str(version.clone()) });
    }
    Ok((format!("Label the namespace pod-security.kubernetes.io/{mode}: {level} ({version})"), ops))
}

/// apiVersions whose replacement reads the same object: the conversion is a rename.
static RENAMES: &[(&str, &str, &str)] = &[
    ("rbac.authorization.k8s.io/v1alpha1", "*", "rbac.authorization.k8s.io/v1"),
    ("rbac.authorization.k8s.io/v1beta1", "*", "rbac.authorization.k8s.io/v1"),
    ("batch/v1beta1", "CronJob", "batch/v1"),
    ("batch/v2alpha1", "CronJob", "batch/v1"),
    ("autoscaling/v2beta2", "HorizontalPodAutoscaler", "autoscaling/v2"),
    ("scheduling.k8s.io/v1alpha1", "PriorityClass", "scheduling.k8s.io/v1"),
    ("scheduling.k8s.io/v1beta1", "PriorityClass", "scheduling.k8s.io/v1"),
    ("storage.k8s.io/v1beta1", "StorageClass", "storage.k8s.io/v1"),
    ("storage.k8s.io/v1beta1", "CSIDriver", "storage.k8s.io/v1"),
    ("storage.k8s.io/v1beta1", "CSIStorageCapacity", "storage.k8s.io/v1"),
    ("coordination.k8s.io/v1beta1", "Lease", "coordination.k8s.io/v1"),
    ("apiregistration.k8s.io/v1beta1", "APIService", "apiregistration.k8s.io/v1"),
    ("node.k8s.io/v1beta1", "RuntimeClass", "node.k8s.io/v1"),
    ("flowcontrol.apiserver.k8s.io/v1beta2", "*", "flowcontrol.apiserver.k8s.io/v1"),
    ("flowcontrol.apiserver.k8s.io/v1beta3", "*", "flowcontrol.apiserver.k8s.io/v1"),
];

fn api_version_rename(request: &FixRequest<'_>) -> Result<(String, Vec<Op>), String> {
    expect_field(request, "apiVersion")?;
    let to = RENAMES
        .iter()
        .find(|(from, kind, _)| *from == request.api_version && (*kind == "*" || *kind == request.kind))
        .map(|(_, _, to)| *to)
        .ok_or("the newer apiVersion changes fields as well: convert it by hand (kubectl convert)")?;
    Ok((format!("Change apiVersion to {to}"), vec![Op::Set { path: request.path.to_string(), value: Val::str(to) }]))
}

fn default_deny(request: &FixRequest<'_>) -> Result<(String, Vec<Op>), String> {
    if request.kind != "Namespace" || !request.object.is_empty() {
        return Err("there is no Namespace document to add the policy beside".into());
    }
    let namespace = request.name.ok_or("the Namespace has no name")?;
    let after = request.message.split(" for ").nth(1).unwrap_or_default().to_ascii_lowercase();
    let types: Vec<Val> =
        ["Ingress", "Egress"].into_iter().filter(|t| after.contains(&t.to_ascii_lowercase())).map(Val::str).collect();
    if types.is_empty() {
        return Err("the finding names no direction".into());
    }
    let name = match types.as_slice() {
        [Val::Str(one)] => format!("default-deny-{}", one.to_ascii_lowercase()),
        _ => "default-deny".into(),
    };
    let policy = Val::map([
        ("apiVersion", Val::str("networking.k8s.io/v1")),
        ("kind", Val::str("NetworkPolicy")),
        ("metadata", Val::map([("name", Val::str(&name)), ("namespace", Val::str(namespace))])),
        ("spec", Val::map([("podSelector", Val::Map(Vec::new())), ("policyTypes", Val::Seq(types))])),
    ]);
    Ok((format!("Add NetworkPolicy {name:?} to namespace {namespace:?}"), vec![Op::NewDocument { value: policy }]))
}
