//! Services exposed outside the cluster: NodePort, LoadBalancer and externalIPs (item 3.3).

use crate::checks::{Check, CheckMeta, ObjectContext, Run, Severity, Sink};

pub(crate) const CHECK: Check = Check {
    meta: CheckMeta {
        id: "service-exposed",
        title: "Service exposed through NodePort, LoadBalancer or externalIPs",
        severity: Severity::Low,
        items: &[("3.3", "a NodePort, LoadBalancer or external IP without source ranges takes traffic from anywhere")],
        section: "network",
        rationale: "A NodePort opens the port on every node; a LoadBalancer usually puts it on the internet, \
            bypassing the ingress controller's TLS, authentication and logging. `externalIPs` let whoever writes \
            the Service capture traffic for any address (CVE-2020-8554).",
        remediation: "Keep Services `ClusterIP` and expose HTTP through an Ingress or Gateway with TLS; when a \
            load balancer is required, restrict `loadBalancerSourceRanges`. Block `externalIPs` with an admission \
            policy.",
        fail_example: "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  type: LoadBalancer\n  selector: {app: web}\n  ports:\n  - port: 80\n",
        pass_example: "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  selector: {app: web}\n  ports:\n  - port: 80\n",
    },
    run: Run::Object(run),
};

fn run(ctx: &ObjectContext<'_, '_>, sink: &mut Sink) {
    let object = ctx.object;
    if object.identity.api_version != "v1" || object.identity.kind != "Service" {
        return;
    }
    let spec = object.root.get("spec");
    let kind = spec.get("type");
    match kind.str().present() {
        Some("NodePort") => {
            sink.report(&kind, message!("{} is of type NodePort: its ports are open on every node", object.label()));
        }
        Some("LoadBalancer") => {
            let ranges = spec.get("loadBalancerSourceRanges").items();
            let restriction = if ranges.is_empty() {
                " with no loadBalancerSourceRanges, so any address can reach it"
            } else {
                " (restricted by loadBalancerSourceRanges)"
            };
            sink.report(&kind, message!("{} is of type LoadBalancer{restriction}", object.label()));
        }
        _ => {}
    }
    let external = spec.get("externalIPs");
    let addresses: Vec<&str> = external.strings().into_iter().map(|(address, _)| address).collect();
    if !addresses.is_empty() {
        sink.report_with_severity(
            &external,
            None,
            Severity::Medium,
            message!(
                "{} sets externalIPs ({}): it receives traffic for those addresses",
                object.label(),
                addresses.join(", ")
            ),
        );
    }
}
