//! Images from the frozen `k8s.gcr.io` registry (items 5.1, 7.5).

use crate::checks::images::images;
use crate::checks::{Check, CheckMeta, PodContext, Run, Severity, Sink};

pub(crate) const CHECK: Check = Check {
    meta: CheckMeta {
        id: "frozen-registry",
        title: "Image from the frozen k8s.gcr.io registry",
        severity: Severity::Medium,
        items: &[("7.5", "the frozen registry serves no release newer than April 2023: the image is far behind")],
        section: "images",
        rationale: "The Kubernetes project froze `k8s.gcr.io` in April 2023: it receives no new images or \
            security fixes, so an image from it is at best an old release and may stop being served. \
            `registry.k8s.io` replaced it.",
        remediation: "Pull the current release of the image from `registry.k8s.io` (or your mirror of it).",
        fail_example: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: dns\nspec:\n  containers:\n  - name: coredns\n    image: k8s.gcr.io/coredns/coredns:v1.8.6\n",
        pass_example: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: dns\nspec:\n  containers:\n  - name: coredns\n    image: registry.k8s.io/coredns/coredns:v1.12.1\n",
    },
    run: Run::Pod(run),
};

fn run(ctx: &PodContext<'_, '_>, sink: &mut Sink) {
    for (container, image, view) in images(ctx.pod) {
        let frozen = image.host.is_some_and(|host| {
            let host = host.to_ascii_lowercase();
            host == "k8s.gcr.io" || host.ends_with(".k8s.gcr.io")
        });
        if frozen {
            sink.report_container(
                &view,
                &container.name,
                message!("{} pulls {} from the frozen registry k8s.gcr.io", container.label(), image.path),
            );
        }
    }
}
