//! Sensitive permissions granted by a Role or ClusterRole, even without wildcards
//! (items 2.2 and 2.3). One template, one instance per kind of grant.

use crate::checks::{Check, CheckMeta, ObjectContext, Run, Severity, Sink};
use crate::model::rbac::{Rule, RuleList};
use crate::model::view::View;
use crate::model::Object;

/// One way of granting the sensitive permission.
pub(crate) struct Pattern {
    /// API group (`""` is the core group); `None`: any.
    pub group: Option<&'static str>,
    /// Resource (`pods/exec` for a subresource); `None`: any resource.
    pub resource: Option<&'static str>,
    /// Verbs; empty: any verb.
    pub verbs: &'static [&'static str],
}

/// The rules of a Role or ClusterRole object, with how messages name it
/// (read on the first call, kept on the object for the other checks).
pub(crate) fn role_rules<'o, 'a>(object: &'o Object<'a>) -> Option<&'o (String, Vec<Rule<'a>>)> {
    object
        .role_rules
        .get_or_init(|| {
            let group = object.identity.api_version.rsplit_once('/').map_or("", |(group, _)| group);
            if group != "rbac.authorization.k8s.io" || !matches!(object.identity.kind.as_str(), "Role" | "ClusterRole")
            {
                return None;
            }
            let rules = object.root.get("rules").items().into_iter().filter(View::is_map).map(Rule::read).collect();
            Some((object.label(), rules))
        })
        .as_ref()
}

/// One severity lower, for grants limited to named objects (`resourceNames`).
pub(crate) fn lower(severity: Severity) -> Severity {
    match severity {
        Severity::Critical => Severity::High,
        Severity::High => Severity::Medium,
        Severity::Medium => Severity::Low,
        _ => Severity::Info,
    }
}

/// Where a rule grants a pattern: the list entry to report (see [`Rule::entry`]) and a description.
/// The resource must be named (verbs may be `*`); grants through `resources: ["*"]` are left to `rbac-wildcard`.
pub(crate) fn matches(rule: &Rule<'_>, pattern: &Pattern) -> Option<((RuleList, u32), String)> {
    if let Some(group) = pattern.group {
        if !rule.covers_group(group) {
            return None;
        }
    }
    // The verb: an explicit one first, then `*`.
    let explicit = rule
        .verbs
        .iter()
        .find(|&&(verb, _)| verb != "*" && (pattern.verbs.is_empty() || pattern.verbs.contains(&verb)));
    let (verb, verb_index, verb_explicit) = match explicit {
        Some(&(verb, index)) => (verb.to_string(), index, true),
        None => {
            let &(_, index) = rule.verbs.iter().find(|&&(verb, _)| verb == "*")?;
            (pattern.verbs.first().map_or_else(|| "*".to_string(), |v| (*v).to_string()), index, false)
        }
    };
    match pattern.resource {
        None => {
            if !verb_explicit || rule.resources.is_empty() {
                return None;
            }
            let resources: Vec<&str> = rule.resources.iter().map(|&(r, _)| r).collect();
            Some(((RuleList::Verbs, verb_index), format!("{verb} on {}", resources.join(", "))))
        }
        Some(resource) => {
            // Resources must be named: `*` resources are `rbac-wildcard`'s finding.
            let entry = rule.resource_index(resource, true)?;
            let verb = if verb_explicit { verb } else { format!("{verb} (through verbs: [\"*\"])") };
            Some(((RuleList::Resources, entry), format!("{verb} on {resource}")))
        }
    }
}

/// Reports every rule of a role that grants one of `patterns`.
pub(crate) fn run_patterns(ctx: &ObjectContext<'_, '_>, sink: &mut Sink, patterns: &[Pattern], what: &str) {
    let Some((label, rules)) = role_rules(ctx.object) else {
        return;
    };
    for (index, rule) in rules.iter().enumerate() {
        let Some(((list, item), grant)) = patterns.iter().find_map(|pattern| matches(rule, pattern)) else {
            continue;
        };
        let at = rule.entry(list, item);
        let mut message = message!("{label} grants {grant} (rule {index}), which {what}");
        let severity = if rule.is_name_restricted() {
            message.push_str("; limited to the objects named in resourceNames");
            Some(lower(sink.check.severity))
        } else {
            None
        };
        match severity {
            Some(severity) => sink.report_with_severity(&at, None, severity, message),
            None => sink.report(&at, message),
        }
    }
}

macro_rules! sensitive_grant {
    ($name:ident, $run:ident, $what:expr, $patterns:ident = [$($pattern:expr),+ $(,)?], $meta:expr) => {
        pub(crate) const $name: Check = Check { meta: $meta, run: Run::Object($run) };
        const $patterns: &[Pattern] = &[$($pattern),+];
        fn $run(ctx: &ObjectContext<'_, '_>, sink: &mut Sink) {
            run_patterns(ctx, sink, $patterns, $what);
        }
    };
}

const fn pattern(group: &'static str, resource: &'static str, verbs: &'static [&'static str]) -> Pattern {
    Pattern { group: Some(group), resource: Some(resource), verbs }
}

/// A Role named `app` in `shop` with these rules, for examples.
macro_rules! role_example {
    ($rules:literal) => {
        concat!(
            "apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: app\n  namespace: shop\nrules:\n",
            $rules
        )
    };
}
/// A ClusterRole named `ops` with these rules, for examples.
macro_rules! cluster_role_example {
    ($rules:literal) => {
        concat!("apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: ops\nrules:\n", $rules)
    };
}

sensitive_grant!(
    SECRETS_READ,
    secrets_read,
    "lets its holders read every secret in scope (tokens, passwords, keys)",
    SECRETS_READ_PATTERNS = [pattern("", "secrets", &["get", "list", "watch"])],
    CheckMeta {
        id: "rbac-secrets-read",
        title: "Role can read secrets",
        severity: Severity::High,
        items: &[],
        section: "rbac",
        rationale: "Reading secrets hands over every credential stored in them, service-account tokens of more \
            privileged identities included; `list` and `watch` return the values of all of them at once.",
        remediation: "Grant secrets access only to the controllers that need it, with `resourceNames` naming the \
            secrets, and mount secrets into pods instead of reading them through the API.",
        fail_example: role_example!("- apiGroups: [\"\"]\n  resources: [secrets]\n  verbs: [get, list]\n"),
        pass_example: role_example!("- apiGroups: [\"\"]\n  resources: [configmaps]\n  verbs: [get, list]\n"),
    }
);

sensitive_grant!(
    POD_EXEC,
    pod_exec,
    "lets its holders run commands in (or attach to) running pods and act with their identities",
    POD_EXEC_PATTERNS = [pattern("", "pods/exec", &["create", "get"]), pattern("", "pods/attach", &["create", "get"]),],
    CheckMeta {
        id: "rbac-pod-exec",
        title: "Role can exec into or attach to pods",
        severity: Severity::High,
        items: &[],
        section: "rbac",
        rationale: "`create` on `pods/exec` or `pods/attach` is a shell in every pod in scope: the holder reads \
            the pods' mounted secrets and tokens and acts with their service accounts. Over WebSockets the same \
            access is requested with `get`, so both verbs count.",
        remediation: "Keep exec and attach for break-glass roles bound to people for a limited time, not to \
            service accounts or standing groups.",
        fail_example: role_example!("- apiGroups: [\"\"]\n  resources: [pods/exec]\n  verbs: [create]\n"),
        pass_example: role_example!("- apiGroups: [\"\"]\n  resources: [pods, pods/log]\n  verbs: [get, list]\n"),
    }
);

sensitive_grant!(
    ESCALATION_VERBS,
    escalation_verbs,
    "lets its holders give themselves permissions they do not have",
    ESCALATION_PATTERNS = [Pattern { group: None, resource: None, verbs: &["bind", "escalate", "impersonate"] }],
    CheckMeta {
        id: "rbac-escalation-verbs",
        title: "Role grants bind, escalate or impersonate",
        severity: Severity::Critical,
        items: &[],
        section: "rbac",
        rationale: "`escalate` lets a subject write roles with more permissions than it holds, `bind` lets it bind \
            roles it does not hold, and `impersonate` lets it act as any user, group or service account: each is \
            a direct path to cluster-admin.",
        remediation: "Remove these verbs; if a controller must manage roles, limit `bind` and `escalate` with \
            `resourceNames` to the roles it hands out, and never grant `impersonate` to a workload.",
        fail_example: cluster_role_example!(
            "- apiGroups: [\"\"]\n  resources: [users, groups, serviceaccounts]\n  verbs: [impersonate]\n"
        ),
        pass_example: cluster_role_example!(
            "- apiGroups: [\"\"]\n  resources: [serviceaccounts]\n  verbs: [get, list]\n"
        ),
    }
);

sensitive_grant!(
    CREATE_BINDINGS,
    create_bindings,
    "lets its holders bind roles to any subject, themselves included",
    CREATE_BINDINGS_PATTERNS = [
        pattern("rbac.authorization.k8s.io", "clusterrolebindings", &["create", "update", "patch"]),
        pattern("rbac.authorization.k8s.io", "rolebindings", &["create", "update", "patch"]),
    ],
    CheckMeta {
        id: "rbac-create-bindings",
        title: "Role can create or change role bindings",
        severity: Severity::High,
        items: &[],
        section: "rbac",
        rationale: "Whoever can write bindings can attach any role they may bind to any subject; together with \
            `bind` or an existing powerful role that is privilege escalation.",
        remediation: "Leave binding management to cluster administrators and GitOps pipelines; workloads should \
            not create or edit RoleBindings or ClusterRoleBindings.",
        fail_example: role_example!(
            "- apiGroups: [rbac.authorization.k8s.io]\n  resources: [rolebindings]\n  verbs: [create]\n"
        ),
        pass_example: role_example!(
            "- apiGroups: [rbac.authorization.k8s.io]\n  resources: [rolebindings]\n  verbs: [get, list]\n"
        ),
    }
);

sensitive_grant!(
    NODES_PROXY,
    nodes_proxy,
    "gives direct access to the kubelet API, exec into every pod of the node included",
    NODES_PROXY_PATTERNS = [pattern("", "nodes/proxy", &[])],
    CheckMeta {
        id: "rbac-nodes-proxy",
        title: "Role can use nodes/proxy",
        severity: Severity::High,
        items: &[],
        section: "rbac",
        rationale: "`nodes/proxy` reaches the kubelet API through the API server: it can run commands in any pod \
            on the node, and such requests bypass admission and are barely audited.",
        remediation: "Read node metrics from `nodes/metrics` (or the metrics API) instead of `nodes/proxy`.",
        fail_example: cluster_role_example!("- apiGroups: [\"\"]\n  resources: [nodes/proxy]\n  verbs: [get]\n"),
        pass_example: cluster_role_example!("- apiGroups: [\"\"]\n  resources: [nodes/metrics]\n  verbs: [get]\n"),
    }
);

sensitive_grant!(
    SERVICE_ACCOUNT_TOKEN,
    service_account_token,
    "lets its holders mint tokens for service accounts and act as them",
    SERVICE_ACCOUNT_TOKEN_PATTERNS = [pattern("", "serviceaccounts/token", &["create"])],
    CheckMeta {
        id: "rbac-serviceaccount-token",
        title: "Role can create service-account tokens",
        severity: Severity::High,
        items: &[],
        section: "rbac",
        rationale: "`create` on `serviceaccounts/token` issues a token for any service account in scope, so the \
            holder gains the permissions of the most privileged one.",
        remediation: "Remove the grant, or limit it with `resourceNames` to the one service account whose tokens \
            the holder must request.",
        fail_example: role_example!("- apiGroups: [\"\"]\n  resources: [serviceaccounts/token]\n  verbs: [create]\n"),
        pass_example: role_example!("- apiGroups: [\"\"]\n  resources: [serviceaccounts]\n  verbs: [get]\n"),
    }
);

sensitive_grant!(
    CSR_APPROVAL,
    csr_approval,
    "lets its holders approve certificate requests and so issue client certificates for any identity",
    CSR_APPROVAL_PATTERNS = [
        pattern("certificates.k8s.io", "certificatesigningrequests/approval", &["update", "patch"]),
        pattern("certificates.k8s.io", "signers", &["approve"]),
    ],
    CheckMeta {
        id: "rbac-csr-approval",
        title: "Role can approve certificate signing requests",
        severity: Severity::High,
        items: &[],
        section: "rbac",
        rationale: "Approving a CertificateSigningRequest for the cluster's client signer yields a certificate \
            for any user or group, `system:masters` included.",
        remediation: "Leave CSR approval to the controller manager and to administrators; never grant it to \
            workloads.",
        fail_example: cluster_role_example!("- apiGroups: [certificates.k8s.io]\n  resources: [certificatesigningrequests/approval]\n  verbs: [update]\n- apiGroups: [certificates.k8s.io]\n  resources: [signers]\n  verbs: [approve]\n"),
        pass_example: cluster_role_example!("- apiGroups: [certificates.k8s.io]\n  resources: [certificatesigningrequests]\n  verbs: [get, list]\n"),
    }
);

/// Every sensitive grant, for checks that look for any of them (aggregated roles).
pub(crate) const ALL_PATTERNS: &[&[Pattern]] = &[
    SECRETS_READ_PATTERNS,
    POD_EXEC_PATTERNS,
    ESCALATION_PATTERNS,
    CREATE_BINDINGS_PATTERNS,
    NODES_PROXY_PATTERNS,
    SERVICE_ACCOUNT_TOKEN_PATTERNS,
    CSR_APPROVAL_PATTERNS,
];

/// The first sensitive permission a rule grants (a wildcard counts), described for a message.
pub(crate) fn sensitive(rule: &Rule<'_>) -> Option<String> {
    if rule.is_full_wildcard() {
        return Some("every verb on every resource".to_string());
    }
    if let Some(grant) = ALL_PATTERNS.iter().flat_map(|patterns| patterns.iter()).find_map(|p| matches(rule, p)) {
        return Some(grant.1);
    }
    for (field, list) in [("apiGroups", &rule.api_groups), ("resources", &rule.resources), ("verbs", &rule.verbs)] {
        if list.iter().any(|&(value, _)| value == "*") {
            return Some(format!("`*` in {field}"));
        }
    }
    None
}
