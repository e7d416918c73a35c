//! The audit policy records Secret access, RBAC changes and exec/attach (item 7.1).

use crate::checks::{Check, CheckMeta, ObjectContext, Run, Severity, Sink};
use crate::model::view::View;

/// CIS Kubernetes Benchmark controls this check implements.
pub(crate) const CIS: &[&str] = &["3.2.2"];

pub(crate) const CHECK: Check = Check {
    meta: CheckMeta {
        id: "audit-policy",
        title: "Audit policy misses Secret access, RBAC changes or exec",
        severity: Severity::Medium,
        items: &[("7.1", "the audit policy misses Secret access, RBAC changes or exec"), ("7.2", "a CIS Kubernetes Benchmark control fails")],
        section: "audit",
        rationale: "An audit log is only as good as its policy: the events an investigation needs first are who \
            read Secrets, who changed Roles and bindings, and who exec'ed into or attached to a pod. Rules are \
            evaluated in order and the first that matches decides; a request no rule matches is not recorded. \
            Secrets logged at `Request` or `RequestResponse` copy their values into the log, so Secrets belong \
            at `Metadata`. Rules limited to some users, groups, namespaces or resource names are not counted as \
            covering everyone.",
        remediation: "Start the policy with rules such as: `level: Metadata` for `secrets`, `configmaps` and \
            `tokenreviews`; `level: RequestResponse` for the `rbac.authorization.k8s.io` group; `level: \
            Metadata` (or `Request`) for `pods/exec`, `pods/attach` and `pods/portforward`; then the rest.",
        fail_example: "apiVersion: audit.k8s.io/v1\nkind: Policy\nmetadata:\n  name: audit\nrules:\n- level: None\n  resources:\n  - group: \"\"\n    resources: [secrets]\n- level: Metadata\n  resources:\n  - group: \"\"\n    resources: [pods]\n",
        pass_example: "apiVersion: audit.k8s.io/v1\nkind: Policy\nmetadata:\n  name: audit\nrules:\n- level: Metadata\n  resources:\n  - group: \"\"\n    resources: [secrets, configmaps]\n- level: RequestResponse\n  resources:\n  - group: rbac.authorization.k8s.io\n- level: Metadata\n  resources:\n  - group: \"\"\n    resources: [pods/exec, pods/attach, pods/portforward]\n- level: Metadata\n",
    },
    run: Run::Object(run),
};

/// A request the policy must record.
struct Request {
    what: &'static str,
    group: &'static str,
    resource: &'static str,
    subresource: &'static str,
    verb: &'static str,
}

const REQUIRED: &[Request] = &[
    Request { what: "reads of Secrets", group: "", resource: "secrets", subresource: "", verb: "get" },
    Request {
        what: "changes to ClusterRoleBindings",
        group: "rbac.authorization.k8s.io",
        resource: "clusterrolebindings",
        subresource: "",
        verb: "create",
    },
    Request {
        what: "changes to RoleBindings",
        group: "rbac.authorization.k8s.io",
        resource: "rolebindings",
        subresource: "",
        verb: "create",
    },
    Request { what: "exec into pods", group: "", resource: "pods", subresource: "exec", verb: "create" },
    Request { what: "attach to pods", group: "", resource: "pods", subresource: "attach", verb: "create" },
];

fn strings(view: &View<'_>) -> Vec<String> {
    view.strings().into_iter().map(|(s, _)| s.to_string()).collect()
}

/// Does this rule apply to this request for every user, namespace and name?
fn matches(rule: &View<'_>, request: &Request) -> bool {
    let limited = ["users", "userGroups", "namespaces", "nonResourceURLs"]
        .iter()
        .any(|field| !rule.get(field).items().is_empty());
    if limited {
        return false;
    }
    let verbs = strings(&rule.get("verbs"));
    if !verbs.is_empty() && !verbs.iter().any(|v| v == request.verb || v == "*") {
        return false;
    }
    let groups = rule.get("resources").items();
    if groups.is_empty() {
        return true;
    }
    let combined = if request.subresource.is_empty() {
        request.resource.to_string()
    } else {
        format!("{}/{}", request.resource, request.subresource)
    };
    groups.iter().any(|group| {
        let name = group.get("group").str().present().unwrap_or("");
        if name != request.group && name != "*" {
            return false;
        }
        if !group.get("resourceNames").items().is_empty() {
            return false;
        }
        let resources = strings(&group.get("resources"));
        resources.is_empty()
            || resources.iter().any(|r| {
                r == "*"
                    || *r == combined
                    || (!request.subresource.is_empty()
                        && (*r == format!("{}/*", request.resource) || *r == format!("*/{}", request.subresource)))
            })
    })
}

fn run(ctx: &ObjectContext<'_, '_>, sink: &mut Sink) {
    if !ctx.object.identity.is("audit.k8s.io", "Policy") {
        return;
    }
    let label = ctx.object.label();
    let rules_view = ctx.object.root.get("rules");
    let rules = rules_view.items();
    for request in REQUIRED {
        let decided = rules.iter().find(|rule| matches(rule, request));
        let level = decided.and_then(|rule| rule.get("level").str().present()).unwrap_or("None");
        match (decided, level) {
            (None, _) => sink.report(&rules_view, message!("audit {label} has no rule that records {}", request.what)),
            (Some(rule), "None") => sink.report(
                rule,
                message!("audit {label} does not record {}: the first matching rule has level None", request.what),
            ),
            (Some(rule), "Request" | "RequestResponse") if request.resource == "secrets" => sink.report(
                rule,
                message!(
                    "audit {label} records {} at level {level}, which copies Secret values into the audit log",
                    request.what
                ),
            ),
            _ => {}
        }
    }
}
