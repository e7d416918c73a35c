//! The deprecated `serviceAccount` field (item 2.7).

use super::pod_label;
use crate::checks::{Check, CheckMeta, PodContext, Run, Severity, Sink};

pub(crate) const CHECK: Check = Check {
    meta: CheckMeta {
        id: "deprecated-service-account-field",
        title: "Pod uses the deprecated serviceAccount field",
        severity: Severity::Low,
        items: &[],
        section: "rbac",
        rationale: "`serviceAccount` is a deprecated alias of `serviceAccountName`. When both are written and \
            differ, readers and tools disagree about which identity the pod has.",
        remediation: "Write `serviceAccountName` and remove `serviceAccount`.",
        fail_example: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  serviceAccount: web\n  containers:\n  - name: app\n    image: registry.example.com/app:1.0\n",
        pass_example: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  serviceAccountName: web\n  containers:\n  - name: app\n    image: registry.example.com/app:1.0\n",
    },
    run: Run::Pod(run),
};

fn run(ctx: &PodContext<'_, '_>, sink: &mut Sink) {
    let field = ctx.pod.field("serviceAccount");
    let Some(value) = field.str().present().filter(|value| !value.is_empty()) else {
        return;
    };
    let current = ctx.pod.field("serviceAccountName").str().present();
    let detail = match current {
        Some(name) if name != value => {
            format!("; it disagrees with serviceAccountName \"{name}\", which is the one Kubernetes uses")
        }
        Some(_) => String::new(),
        None => "; write serviceAccountName instead".to_string(),
    };
    sink.report(
        &field,
        message!(
            "{} sets the deprecated serviceAccount: \"{value}\"{detail}",
            pod_label(&ctx.object.identity, ctx.pod.name.as_deref())
        ),
    );
}
