//! No `*` in verbs, resources or apiGroups (item 2.3).

use super::sensitive_grant::{lower, role_rules};
use crate::checks::{Check, CheckMeta, ObjectContext, Run, Severity, Sink};
use crate::model::rbac::{Rule, RuleList};

pub(crate) const CHECK: Check = Check {
    meta: CheckMeta {
        id: "rbac-wildcard",
        title: "Role uses a wildcard in verbs, resources or apiGroups",
        severity: Severity::High,
        items: &[("2.3", "a role uses `*` in verbs, resources or apiGroups")],
        section: "rbac",
        rationale: "A wildcard grants everything that exists today and everything added later (new resources, \
            CRDs, subresources such as `pods/exec`). `*` verbs on `*` resources in `*` groups is cluster-admin \
            under another name.",
        remediation: "List the API groups, resources and verbs the subject needs, one by one.",
        fail_example: "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: ops\nrules:\n- apiGroups: [\"*\"]\n  resources: [\"*\"]\n  verbs: [\"*\"]\n",
        pass_example: "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: ops\nrules:\n- apiGroups: [apps]\n  resources: [deployments]\n  verbs: [get, list, watch]\n",
    },
    run: Run::Object(run),
};

fn run(ctx: &ObjectContext<'_, '_>, sink: &mut Sink) {
    let Some((label, rules)) = role_rules(ctx.object) else {
        return;
    };
    for (index, rule) in rules.iter().enumerate() {
        if rule.is_full_wildcard() {
            let at = rule
                .verbs
                .iter()
                .find(|&&(verb, _)| verb == "*")
                .map_or_else(|| rule.view.clone(), |&(_, index)| rule.entry(RuleList::Verbs, index));
            sink.report_with_severity(
                &at,
                None,
                Severity::Critical,
                message!("{label} grants every verb on every resource in every API group (rule {index}): it is equivalent to cluster-admin"),
            );
            continue;
        }
        let includes = includes(rule);
        for list in [RuleList::ApiGroups, RuleList::Resources, RuleList::Verbs] {
            if let Some(&(_, item)) = rule.list(list).iter().find(|&&(value, _)| value == "*") {
                let at = &rule.entry(list, item);
                let field = list.field();
                let message = message!("{label} uses `*` in {field} (rule {index}){includes}");
                if rule.is_name_restricted() {
                    sink.report_with_severity(
                        at,
                        None,
                        lower(Severity::High),
                        message!("{message}; limited to the objects named in resourceNames"),
                    );
                } else {
                    sink.report(at, message);
                }
            }
        }
    }
}

/// What a wildcard rule grants that is sensitive, named for the message.
fn includes(rule: &Rule<'_>) -> String {
    let mut what = Vec::new();
    if let Some(verb) = ["get", "list", "watch"].into_iter().find(|verb| rule.grants("", "secrets", verb)) {
        what.push(format!("{verb} on secrets"));
    }
    if let Some(verb) = ["create", "get"].into_iter().find(|verb| rule.grants("", "pods/exec", verb)) {
        what.push(format!("{verb} on pods/exec"));
    }
    if let Some(verb) = ["create", "patch", "update"]
        .into_iter()
        .find(|verb| rule.grants("rbac.authorization.k8s.io", "clusterrolebindings", verb))
    {
        what.push(format!("{verb} on clusterrolebindings"));
    }
    if what.is_empty() {
        String::new()
    } else {
        format!(", which includes {}", what.join(", "))
    }
}
