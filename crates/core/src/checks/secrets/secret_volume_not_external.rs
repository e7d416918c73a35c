//! Production workloads read Kubernetes Secrets instead of an external store (items 4.2, 4.6).

use crate::checks::{Check, CheckMeta, PodContext, Run, Severity, Sink};

pub(crate) const CHECK: Check = Check {
    meta: CheckMeta {
        id: "secret-volume-not-external",
        title: "Production workload mounts a Kubernetes Secret instead of an external secrets store",
        severity: Severity::Low,
        items: &[("4.2", "the production workload's secret comes from a Kubernetes Secret, not an external manager"), ("4.6", "the production workload does not read the secret through the CSI secrets store")],
        section: "secrets",
        rationale: "A Secret object lives in etcd, base64-encoded, readable by anyone who may `get secrets` in \
            the namespace, and it has to come from somewhere: usually a manifest in Git or a hand-run command. \
            The Secrets Store CSI driver mounts the value straight from an external manager (Vault, a cloud \
            secret manager) into the pod, with the manager's access control, audit trail and rotation, and \
            nothing stored in the cluster.",
        remediation: "In production namespaces, mount secrets through a `csi` volume with the driver \
            `secrets-store.csi.k8s.io` and a SecretProviderClass that names the external manager, instead of a \
            `secret` volume (or a `projected` volume with `secret` sources).",
        fail_example: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  containers:\n  - name: app\n    image: registry.example.com/app:1.0\n    volumeMounts:\n    - name: db\n      mountPath: /var/run/secrets/db\n  volumes:\n  - name: db\n    secret:\n      secretName: db-credentials\n",
        pass_example: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  containers:\n  - name: app\n    image: registry.example.com/app:1.0\n    volumeMounts:\n    - name: db\n      mountPath: /var/run/secrets/db\n      readOnly: true\n  volumes:\n  - name: db\n    csi:\n      driver: secrets-store.csi.k8s.io\n      readOnly: true\n      volumeAttributes:\n        secretProviderClass: db-credentials\n",
    },
    run: Run::Pod(run),
};

fn run(ctx: &PodContext<'_, '_>, sink: &mut Sink) {
    if !ctx.object.production {
        return;
    }
    for volume in ctx.pod.volumes() {
        let name = volume.get("name").str().present().unwrap_or("?");
        let secret = volume.get("secret");
        if secret.exists() {
            let secret_name = secret.get("secretName").str().present().unwrap_or("?");
            sink.report(
                &secret,
                message!("{} mounts Secret \"{secret_name}\" as volume \"{name}\"; production secrets should come from an external store through the CSI driver", ctx.subject()),
            );
            continue;
        }
        for source in volume.path(&["projected", "sources"]).items() {
            let secret = source.get("secret");
            if secret.exists() {
                let secret_name = secret.get("name").str().present().unwrap_or("?");
                sink.report(
                    &secret,
                    message!("{} projects Secret \"{secret_name}\" into volume \"{name}\"; production secrets should come from an external store through the CSI driver", ctx.subject()),
                );
            }
        }
    }
}
