//! Workloads meet the Pod Security level their namespace enforces (item 1.1).

use std::collections::HashMap;

use crate::checks::{Check, CheckMeta, Run, SetContext, SetSink, Severity};
use crate::pss::{self, labels, PssLevel};

pub(crate) const CHECK: Check = Check {
    meta: CheckMeta {
        id: "pss-namespace-enforcement",
        title: "Workload violates the Pod Security level its namespace enforces",
        severity: Severity::High,
        items: &["1.1"],
        section: "pod",
        rationale: "Admission rejects every pod that violates its namespace's `enforce` level. A Deployment or \
            Job is itself accepted with only a warning, but none of its pods will start, which surfaces as an outage \
            at deploy time rather than a failed review.",
        remediation: "Change the pod template so that it meets the namespace's level (the violations are listed), \
            or move the workload to a namespace whose level it is meant to run under.",
        fail_example: "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels:\n    pod-security.kubernetes.io/enforce: baseline\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  hostNetwork: true\n  containers:\n  - name: app\n    image: registry.example.com/app:1.0\n",
        pass_example: "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels:\n    pod-security.kubernetes.io/enforce: baseline\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  containers:\n  - name: app\n    image: registry.example.com/app:1.0\n",
    },
    run: Run::Set(run),
};

fn run(ctx: &SetContext<'_, '_>, sink: &mut SetSink) {
    // Declared Namespaces by name, once.
    let namespaces: HashMap<&str, usize> = ctx
        .objects
        .iter()
        .enumerate()
        .filter(|(_, object)| object.identity.kind == "Namespace" && object.identity.api_version == "v1")
        .filter_map(|(index, object)| object.identity.name.as_deref().map(|name| (name, index)))
        .collect();
    if namespaces.is_empty() {
        return;
    }
    for (index, object) in ctx.objects.iter().enumerate() {
        let Some(pod) = &object.pod else { continue };
        let namespace = object.identity.namespace.as_deref().unwrap_or("default");
        let Some(namespace_object) = namespaces.get(namespace).and_then(|&at| ctx.objects.get(at)) else {
            continue;
        };
        let (level, version) = labels::enforced(&namespace_object.root.path(&["metadata", "labels"]));
        if level == PssLevel::Privileged {
            continue;
        }
        let violations = pss::evaluate(pod, level, version);
        let Some(first) = violations.first() else { continue };
        let listed: Vec<String> =
            violations.iter().map(|violation| format!("{}: {}", violation.control, violation.reason)).collect();
        let subject =
            if object.identity.kind == "Pod" { object.label() } else { format!("the pods of {}", object.label()) };
        sink.report(
            index,
            &first.at,
            format!(
                "namespace {namespace:?} enforces Pod Security {level}/{version}; admission would reject {subject}: {}",
                listed.join("; ")
            ),
        );
    }
}
