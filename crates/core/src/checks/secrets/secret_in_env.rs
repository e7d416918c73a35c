//! Secrets handed to containers as environment variables (item 4.3).

use crate::checks::{Check, CheckMeta, PodContext, Run, Severity, Sink};

pub(crate) const CHECK: Check = Check {
    meta: CheckMeta {
        id: "secret-in-env",
        title: "Secret exposed as an environment variable",
        severity: Severity::Medium,
        items: &[("4.3", "a Secret is passed in an environment variable"), ("4.6", "a production workload reads a Secret through its environment, not the CSI secrets store"), ("7.2", "CIS control 5.4.1 asks for secrets as files, not environment variables")],
        section: "secrets",
        rationale: "Environment variables leak: they are inherited by every child process, printed by crash \
            reporters and debug endpoints, visible in `/proc/<pid>/environ` to anyone who can read it, and they \
            never change while the container runs, so a rotated Secret needs a restart. Files mounted from a \
            Secret volume are updated in place and can be read only by the process that needs them (CIS \
            Kubernetes Benchmark 5.4.1).",
        remediation: "Mount the Secret as a volume (`volumes[].secret` with `defaultMode: 0400`) and have the \
            application read the file, instead of `env[].valueFrom.secretKeyRef` or `envFrom[].secretRef`.",
        fail_example: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: app\n    image: registry.example.com/app:1.0\n    env:\n    - name: DB_PASSWORD\n      valueFrom:\n        secretKeyRef:\n          name: db\n          key: password\n",
        pass_example: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: app\n    image: registry.example.com/app:1.0\n    volumeMounts:\n    - name: db\n      mountPath: /var/run/secrets/db\n      readOnly: true\n  volumes:\n  - name: db\n    secret:\n      secretName: db\n      defaultMode: 0400\n",
    },
    run: Run::Pod(run),
};

fn run(ctx: &PodContext<'_, '_>, sink: &mut Sink) {
    for container in &ctx.pod.containers {
        for item in container.view.get("env").items() {
            let reference = item.path(&["valueFrom", "secretKeyRef"]);
            if !reference.exists() {
                continue;
            }
            let variable = item.get("name").str().present().unwrap_or("?");
            let secret = reference.get("name").str().present().unwrap_or("?");
            sink.report_container(
                &reference,
                &container.name,
                message!("{} reads Secret \"{secret}\" into environment variable {variable}", container.label()),
            );
        }
        for item in container.view.get("envFrom").items() {
            let reference = item.get("secretRef");
            if !reference.exists() {
                continue;
            }
            let secret = reference.get("name").str().present().unwrap_or("?");
            sink.report_container(
                &reference,
                &container.name,
                message!("{} loads every key of Secret \"{secret}\" into its environment", container.label()),
            );
        }
    }
    // Item 4.6 asks it of production workloads only.
    if !ctx.object.production {
        sink.count_only_against(&["4.3", "7.2"]);
    }
}
