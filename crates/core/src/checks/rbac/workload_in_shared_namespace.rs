//! User workloads do not run in `default` or `kube-system`.

use super::pod_label;
use crate::checks::{Check, CheckMeta, PodContext, Run, Severity, Sink};

pub(crate) const CHECK: Check = Check {
    meta: CheckMeta {
        id: "workload-in-shared-namespace",
        title: "Workload in the default or kube-system namespace",
        severity: Severity::Low,
        items: &[],
        section: "rbac",
        rationale: "`default` is where everything without a namespace lands, so its RBAC, quotas and network \
            policies are shared by unrelated workloads; `kube-system` holds the cluster's own components and \
            their powerful service accounts. Application workloads in either escape per-application isolation.",
        remediation: "Give each application its own namespace and set `metadata.namespace` explicitly.",
        fail_example: "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: default\nspec:\n  template:\n    spec:\n      containers:\n      - name: app\n        image: registry.example.com/app:1.0\n",
        pass_example: "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  template:\n    spec:\n      containers:\n      - name: app\n        image: registry.example.com/app:1.0\n",
    },
    run: Run::Pod(run),
};

/// Pod labels of the cluster's own components, which belong in kube-system.
fn is_cluster_component(ctx: &PodContext<'_, '_>) -> bool {
    let labels = ctx.pod.metadata.get("labels");
    let tier = labels.get("tier").str().present();
    let component = labels.get("component").str().present().or(labels.get("k8s-app").str().present());
    tier == Some("control-plane")
        || component.is_some_and(|c| {
            matches!(
                c,
                "kube-apiserver"
                    | "kube-controller-manager"
                    | "kube-scheduler"
                    | "etcd"
                    | "kube-proxy"
                    | "kube-dns"
                    | "coredns"
                    | "metrics-server"
                    | "cloud-controller-manager"
            )
        })
}

fn run(ctx: &PodContext<'_, '_>, sink: &mut Sink) {
    let field = ctx.object.root.path(&["metadata", "namespace"]);
    let Some(namespace) = field.str().present() else {
        return;
    };
    // Said once per object, not once per pod: it is the object's namespace.
    let first_pod = ctx.object.pods.first().is_some_and(|first| std::ptr::eq(first, ctx.pod));
    match namespace {
        "default" if first_pod => {
            let subject = if ctx.object.pods.len() > 1 {
                format!("the pod templates of {}", ctx.object.label())
            } else {
                pod_label(&ctx.object.identity, None)
            };
            sink.report(
                &field,
                message!("{subject} run{} in the \"default\" namespace, shared by everything that names none", if ctx.object.pods.len() > 1 { "" } else { "s" }),
            );
        }
        "kube-system" if !is_cluster_component(ctx) => sink.report(
            &field,
            message!(
                "{} runs in \"kube-system\" but is not a cluster component: it shares that namespace's powerful service accounts",
                pod_label(&ctx.object.identity, ctx.pod.name.as_deref())
            ),
        ),
        _ => {}
    }
}
