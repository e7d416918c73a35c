//! Every production namespace has a default-deny policy for ingress and egress (item 3.1).

use crate::checks::{Check, CheckMeta, Run, SetContext, SetSink, Severity};
use crate::inventory::Direction;

pub(crate) const CHECK: Check = Check {
    meta: CheckMeta {
        id: "namespace-default-deny",
        title: "Namespace has no default-deny NetworkPolicy",
        severity: Severity::High,
        items: &[("3.1", "the production namespace has no default-deny policy for ingress and egress")],
        section: "network",
        rationale: "Pods accept traffic from, and send traffic to, anything until a NetworkPolicy selects them. A \
            policy that selects every pod of the namespace and allows nothing makes each later policy an explicit \
            allow-list, and keeps a new workload closed until someone opens it. The namespaces checked are those \
            declared by a Namespace object or running a workload in the input, when they count as production.",
        remediation: "Add a NetworkPolicy with `podSelector: {}`, `policyTypes: [Ingress, Egress]` and no rules to \
            every production namespace, then allow the flows each workload needs (DNS included).",
        fail_example: "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: deny-ingress\n  namespace: shop\nspec:\n  podSelector: {}\n  policyTypes: [Ingress]\n",
        pass_example: "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: default-deny\n  namespace: shop\nspec:\n  podSelector: {}\n  policyTypes: [Ingress, Egress]\n",
    },
    run: Run::Set(run),
};

fn run(ctx: &SetContext<'_, '_>, sink: &mut SetSink) {
    let inventory = ctx.inventory;
    for namespace in
        inventory.namespaces.values().filter(|ns| ns.is_owned() && ctx.config.production.is_production(Some(&ns.name)))
    {
        let policies: Vec<_> =
            inventory.policies_in(&namespace.name).iter().filter_map(|&p| inventory.policies.get(p)).collect();
        let missing: Vec<&str> = [Direction::Ingress, Direction::Egress]
            .into_iter()
            .filter(|&direction| !policies.iter().any(|policy| policy.is_default_deny(direction)))
            .map(Direction::as_str)
            .collect();
        if missing.is_empty() {
            continue;
        }
        let Some((object, at, note)) = inventory.namespace_anchor(namespace, ctx.objects) else { continue };
        sink.report(
            object,
            &at,
            message!(
                "namespace \"{}\" has no default-deny NetworkPolicy for {}{note}",
                namespace.name,
                missing.join(" and ")
            ),
        );
    }
}
