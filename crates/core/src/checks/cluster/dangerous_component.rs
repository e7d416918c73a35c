//! Components known to open the cluster: Tiller, an exposed Kubernetes dashboard (item 3.7).

use crate::checks::images::images;
use crate::checks::{Check, CheckMeta, ObjectContext, Run, Severity, Sink};

pub(crate) const CHECK: Check = Check {
    meta: CheckMeta {
        id: "dangerous-component",
        title: "Known-dangerous component: Tiller, or an exposed dashboard",
        severity: Severity::High,
        items: &[("3.7", "Tiller or an exposed dashboard answers for the API server, with its rights, from the network")],
        section: "cluster",
        rationale: "Tiller (Helm 2) serves an unauthenticated gRPC port with the cluster-admin rights it usually \
            runs with: anyone who reaches it installs what they like. The Kubernetes dashboard with \
            `--enable-skip-login` or `--enable-insecure-login` lets visitors act as its service account, and \
            publishing it through a LoadBalancer or NodePort Service puts that on the network (the 2018 Tesla \
            cryptojacking began this way).",
        remediation: "Remove Tiller (Helm 3 needs no in-cluster component). Run the dashboard without \
            `--enable-skip-login`/`--enable-insecure-login`, behind `kubectl proxy` or an authenticating \
            ingress, with a ClusterIP Service.",
        fail_example: "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: tiller-deploy\n  namespace: kube-system\nspec:\n  selector:\n    matchLabels: {app: helm}\n  template:\n    metadata:\n      labels: {app: helm}\n    spec:\n      containers:\n      - name: tiller\n        image: gcr.io/kubernetes-helm/tiller:v2.16.12\n",
        pass_example: "apiVersion: v1\nkind: Service\nmetadata:\n  name: kubernetes-dashboard\n  namespace: kubernetes-dashboard\nspec:\n  type: ClusterIP\n  selector:\n    k8s-app: kubernetes-dashboard\n  ports:\n  - port: 443\n    targetPort: 8443\n",
    },
    run: Run::Object(run),
};

fn is_dashboard_name(text: &str) -> bool {
    text.contains("kubernetes-dashboard")
}

fn run(ctx: &ObjectContext<'_, '_>, sink: &mut Sink) {
    for pod in &ctx.object.pods {
        for (container, image, view) in images(pod) {
            let path = image.path.to_ascii_lowercase();
            if image.base_name() == "tiller" {
                sink.report_container(
                    &view,
                    &container.name,
                    message!(
                        "{} runs Tiller, which serves cluster-wide installs without authentication",
                        container.label()
                    ),
                );
            }
            if path.contains("kubernetesui/dashboard") || is_dashboard_name(&path) {
                for list in ["args", "command"] {
                    for (arg, item) in container.view.get(list).strings() {
                        let flag = arg.split('=').next().unwrap_or(arg);
                        let on = arg.split_once('=').is_none_or(|(_, value)| value == "true");
                        if on && matches!(flag, "--enable-skip-login" | "--enable-insecure-login") {
                            sink.report_container(
                                &item,
                                &container.name,
                                message!("{} runs the Kubernetes dashboard with {flag}", container.label()),
                            );
                        }
                    }
                }
            }
        }
    }
    if ctx.object.identity.is("", "Service") {
        let root = &ctx.object.root;
        let name = ctx.object.identity.name.as_deref().unwrap_or("");
        let selects = root
            .path(&["spec", "selector"])
            .entries()
            .iter()
            .any(|(_, v)| v.str().present().is_some_and(is_dashboard_name));
        let kind = root.path(&["spec", "type"]);
        if let Some(exposed @ ("LoadBalancer" | "NodePort")) = kind.str().present() {
            if is_dashboard_name(name) || selects {
                sink.report(
                    &kind,
                    message!("{} exposes the Kubernetes dashboard as a {exposed} Service", ctx.object.label()),
                );
            }
        }
    }
}
