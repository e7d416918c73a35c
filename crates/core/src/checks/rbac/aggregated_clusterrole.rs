//! Aggregated ClusterRoles carrying sensitive permissions (item 2.8).

use super::sensitive_grant::sensitive;
use crate::checks::{Check, CheckMeta, Run, SetContext, SetSink, Severity};

pub(crate) const CHECK: Check = Check {
    meta: CheckMeta {
        id: "aggregated-clusterrole-sensitive",
        title: "Aggregated ClusterRole carries sensitive permissions",
        severity: Severity::High,
        items: &[("2.8", "an aggregated ClusterRole takes in sensitive permissions from the roles it selects")],
        section: "rbac",
        rationale: "Aggregation adds rules to a ClusterRole without anyone editing it: a ClusterRole labelled \
            `rbac.authorization.k8s.io/aggregate-to-view` silently extends every binding of `view`. A sensitive \
            rule that travels this way reaches subjects nobody reviewed it for.",
        remediation: "Keep aggregated ClusterRoles to plain read and write of the resources they describe; grant \
            secrets, exec, escalation and wildcards through dedicated roles bound explicitly.",
        fail_example: "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: widgets-view\n  labels:\n    rbac.authorization.k8s.io/aggregate-to-view: \"true\"\nrules:\n- apiGroups: [\"\"]\n  resources: [secrets]\n  verbs: [get, list]\n",
        pass_example: "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: widgets-view\n  labels:\n    rbac.authorization.k8s.io/aggregate-to-view: \"true\"\nrules:\n- apiGroups: [example.com]\n  resources: [widgets]\n  verbs: [get, list, watch]\n",
    },
    run: Run::Set(run),
};

fn run(ctx: &SetContext<'_, '_>, sink: &mut SetSink) {
    let rbac = &ctx.inventory.rbac;
    for role in rbac.roles.iter().filter(|role| role.cluster) {
        let targets = role.aggregate_to_labels();
        if !targets.is_empty() {
            let into: Vec<&str> = targets
                .iter()
                .map(|label| label.trim_start_matches("rbac.authorization.k8s.io/aggregate-to-"))
                .collect();
            for (index, rule) in role.rules.iter().enumerate() {
                if let Some(grant) = sensitive(rule) {
                    sink.report(
                        role.object,
                        &rule.view,
                        message!(
                            "{} is aggregated into \"{}\" and grants {grant} (rule {index}) to every subject bound to it",
                            role.label(),
                            into.join("\", \"")
                        ),
                    );
                }
            }
        }
        let Some(aggregation) = &role.aggregation else { continue };
        for &from in &role.aggregated_from {
            let Some(source) = rbac.roles.get(from) else { continue };
            for (index, rule) in source.rules.iter().enumerate() {
                if let Some(grant) = sensitive(rule) {
                    sink.report(
                        role.object,
                        aggregation,
                        message!("{} aggregates {}, whose rule {index} grants {grant}", role.label(), source.label()),
                    );
                }
            }
        }
    }
}
