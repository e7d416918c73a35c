//! A `latest` image with a pull policy that lets nodes drift apart (item 5.6).

use crate::checks::images::images;
use crate::checks::{Check, CheckMeta, PodContext, Run, Severity, Sink};

pub(crate) const CHECK: Check = Check {
    meta: CheckMeta {
        id: "image-pull-policy",
        title: "Mutable image tag with a pull policy that lets nodes drift",
        severity: Severity::Low,
        items: &[("5.6", "a mutable tag with this pull policy lets nodes run different images")],
        section: "images",
        rationale: "With `imagePullPolicy: IfNotPresent` or `Never`, a node runs whatever it cached under the \
            tag: for `latest` (or no tag) that is a different image on every node that pulled at a different \
            time, and a fixed image never reaches nodes that already hold an old one. (Kubernetes defaults to \
            `Always` for `latest`; this check fires when the manifest overrides that.)",
        remediation: "Pin the image to a version tag and digest; if a mutable tag must be used, set \
            `imagePullPolicy: Always`.",
        fail_example: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: app\n    image: registry.example.com/app:latest\n    imagePullPolicy: IfNotPresent\n",
        pass_example: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: app\n    image: registry.example.com/app:1.4.2@sha256:4c2e7a1b9d3f5e6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1d2e3f4a5b6c7d8e9f0a\n    imagePullPolicy: IfNotPresent\n",
    },
    run: Run::Pod(run),
};

fn run(ctx: &PodContext<'_, '_>, sink: &mut Sink) {
    for (container, image, _) in images(ctx.pod) {
        if image.is_pinned() || !image.effective_tag().is_some_and(|t| t.eq_ignore_ascii_case("latest")) {
            continue;
        }
        let policy = container.view.get("imagePullPolicy");
        if let Some(value @ ("IfNotPresent" | "Never")) = policy.str().present() {
            sink.report_container(
                &policy,
                &container.name,
                message!(
                    "{} pulls the mutable tag latest of {} with imagePullPolicy {value}: nodes may run different images",
                    container.label(),
                    image.repository()
                ),
            );
        }
    }
}
