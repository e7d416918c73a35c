//! Services talk over mutual TLS (item 3.6).

use crate::checks::runtime::report_missing;
use crate::checks::{Check, CheckMeta, Run, SetContext, SetSink, Severity};
use crate::model::component::Component;

pub(crate) const CHECK: Check = Check {
    meta: CheckMeta {
        id: "service-mesh-mtls",
        title: "Service traffic is not mutually authenticated and encrypted",
        severity: Severity::Medium,
        items: &[("3.6", "the cluster's services do not talk over mutual TLS")],
        section: "network",
        rationale: "Inside the cluster network any pod can read and spoof plain-text traffic between services. \
            A mesh with strict mutual TLS (Istio PeerAuthentication STRICT, Linkerd-injected namespaces, Cilium \
            mutual authentication) encrypts it and gives each workload a verifiable identity. An Istio \
            PeerAuthentication in PERMISSIVE or DISABLE mode accepts plain text and is reported wherever it is \
            found; a missing mesh is reported only for cluster-level input.",
        remediation: "Enable strict mTLS: a PeerAuthentication with `mtls.mode: STRICT` in the Istio root \
            namespace (mesh-wide) or in every production namespace, `linkerd.io/inject: enabled` on the \
            namespaces, or Cilium network policies with `authentication.mode: required`.",
        fail_example: "apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata:\n  name: default\n  namespace: istio-system\nspec:\n  mtls:\n    mode: PERMISSIVE\n",
        pass_example: "apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata:\n  name: default\n  namespace: istio-system\nspec:\n  mtls:\n    mode: STRICT\n",
    },
    run: Run::Set(run),
};

fn run(ctx: &SetContext<'_, '_>, sink: &mut SetSink) {
    for (index, object) in ctx.objects.iter().enumerate() {
        let Some(object) = &object.full else { continue };
        if !object.identity.is("security.istio.io", "PeerAuthentication") {
            continue;
        }
        let mode = object.root.path(&["spec", "mtls", "mode"]);
        if let Some(value @ ("PERMISSIVE" | "DISABLE")) = mode.str().present() {
            sink.report(index, &mode, message!("{} accepts plain-text traffic (mtls.mode: {value})", object.label()));
        }
        for (port, view) in object.root.path(&["spec", "portLevelMtls"]).entries() {
            let mode = view.get("mode");
            if let Some(value @ ("PERMISSIVE" | "DISABLE")) = mode.str().present() {
                sink.report(
                    index,
                    &mode,
                    message!("{} accepts plain-text traffic on port {port} ({value})", object.label()),
                );
            }
        }
    }
    report_missing(
        ctx,
        sink,
        &[Component::IstioStrictMtls, Component::Linkerd, Component::CiliumMutualAuth],
        "service mesh with strict mutual TLS (Istio STRICT, Linkerd or Cilium mutual authentication)",
    );
}
