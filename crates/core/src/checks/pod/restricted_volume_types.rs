//! Only the volume types the restricted Pod Security level allows (`restrictedVolumes`;
//! `hostPath` volumes are reported by `host-path-volume`).

use crate::checks::{Check, CheckMeta, PodContext, Run, Severity, Sink};
use crate::pss::{control, PssVersion};

pub(crate) const CHECK: Check = Check {
    meta: CheckMeta {
        id: "restricted-volume-types",
        title: "Volume type outside the restricted set",
        severity: Severity::Medium,
        items: &[],
        section: "pod",
        rationale: "Network and in-tree storage volumes (`nfs`, `iscsi`, `rbd`, `gitRepo`, `flexVolume`...) are \
            mounted by the node on the pod's behalf, with node credentials and drivers that run as root; \
            `gitRepo` even runs git on the node. The restricted level allows only volumes that stay inside the \
            pod or go through a PersistentVolumeClaim or CSI driver.",
        remediation: "Use `configMap`, `secret`, `downwardAPI`, `projected`, `emptyDir`, `ephemeral`, `image`, `csi` \
            or a `persistentVolumeClaim` bound to a PersistentVolume of the storage you need.",
        fail_example: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: app\n    image: registry.example.com/app:1.0\n  volumes:\n  - name: shared\n    nfs:\n      server: nfs.example.com\n      path: /exports\n",
        pass_example: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: app\n    image: registry.example.com/app:1.0\n  volumes:\n  - name: shared\n    persistentVolumeClaim:\n      claimName: shared\n",
    },
    run: Run::Pod(run),
};

fn run(ctx: &PodContext<'_, '_>, sink: &mut Sink) {
    for violation in control::RESTRICTED_VOLUMES.violations(ctx.pod, PssVersion::LATEST) {
        if violation.subject.as_deref() != Some("hostPath") {
            sink.report(&violation.at, violation.reason);
        }
    }
}
