//! Workloads do not run as the default service account (item 2.7).

use super::pod_label;
use crate::checks::{Check, CheckMeta, PodContext, Run, Severity, Sink};

pub(crate) const CHECK: Check = Check {
    meta: CheckMeta {
        id: "default-service-account",
        title: "Workload runs as the default service account",
        severity: Severity::Medium,
        items: &[("2.7", "the workload runs as the default service account")],
        section: "rbac",
        rationale: "Every pod of a namespace that names no service account shares `default`: a permission granted \
            to one of them is granted to all, and nobody can tell from RBAC which workload needs what.",
        remediation: "Create a ServiceAccount per workload (with `automountServiceAccountToken: false` unless it \
            calls the API) and set `serviceAccountName` in the pod template.",
        fail_example: "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  template:\n    spec:\n      containers:\n      - name: app\n        image: registry.example.com/app:1.0\n",
        pass_example: "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  template:\n    spec:\n      serviceAccountName: web\n      containers:\n      - name: app\n        image: registry.example.com/app:1.0\n",
    },
    run: Run::Pod(run),
};

fn run(ctx: &PodContext<'_, '_>, sink: &mut Sink) {
    let (name, at) = ctx.pod.service_account();
    if name != "default" {
        return;
    }
    let how = if at.written() { "sets serviceAccountName: default" } else { "names no service account" };
    sink.report(
        &at,
        message!(
            "{} {how}, so it runs as the namespace's default service account",
            pod_label(&ctx.object.identity, ctx.pod.name.as_deref())
        ),
    );
}
