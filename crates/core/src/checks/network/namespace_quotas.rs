//! LimitRange and ResourceQuota in every namespace (item 8.6).

use crate::checks::{Check, CheckMeta, Run, SetContext, SetSink, Severity};

pub(crate) const CHECK: Check = Check {
    meta: CheckMeta {
        id: "namespace-quotas",
        title: "Namespace has no LimitRange or ResourceQuota",
        severity: Severity::Medium,
        items: &[("8.6", "the namespace has no LimitRange or no ResourceQuota")],
        section: "network",
        rationale: "Without a ResourceQuota one namespace can take the whole cluster's capacity; without a \
            LimitRange, containers that declare no requests or limits get none, so a single runaway pod starves \
            its node. The namespaces checked are those declared by a Namespace object or running a workload in \
            the input.",
        remediation: "Add a LimitRange with default requests and limits and a ResourceQuota sized for the \
            namespace's workloads.",
        fail_example: "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n",
        pass_example: "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n---\napiVersion: v1\nkind: LimitRange\nmetadata:\n  name: defaults\n  namespace: shop\nspec:\n  limits:\n  - type: Container\n    default: {cpu: 500m, memory: 256Mi}\n    defaultRequest: {cpu: 100m, memory: 128Mi}\n---\napiVersion: v1\nkind: ResourceQuota\nmetadata:\n  name: quota\n  namespace: shop\nspec:\n  hard: {requests.cpu: \"4\", requests.memory: 8Gi, limits.cpu: \"8\", limits.memory: 16Gi}\n",
    },
    run: Run::Set(run),
};

fn run(ctx: &SetContext<'_, '_>, sink: &mut SetSink) {
    let inventory = ctx.inventory;
    for namespace in inventory.namespaces.values().filter(|ns| ns.is_owned()) {
        let mut missing = Vec::new();
        if namespace.limit_ranges == 0 {
            missing.push("LimitRange");
        }
        if namespace.resource_quotas == 0 {
            missing.push("ResourceQuota");
        }
        if missing.is_empty() {
            continue;
        }
        let Some((object, at, note)) = inventory.namespace_anchor(namespace, ctx.objects) else { continue };
        sink.report(
            object,
            &at,
            message!("namespace \"{}\" has no {}{note}", namespace.name, missing.join(" and no ")),
        );
    }
}
