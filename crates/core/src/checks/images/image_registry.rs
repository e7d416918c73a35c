//! Images come from allowed, private registries, never Docker Hub (item 5.1).

use crate::checks::images::images;
use crate::checks::{Check, CheckMeta, PodContext, Run, Severity, Sink};

pub(crate) const CHECK: Check = Check {
    meta: CheckMeta {
        id: "image-registry",
        title: "Image pulled from a registry that is not allowed",
        severity: Severity::High,
        items: &[("5.1", "the image comes from Docker Hub or a registry that is not allowed")],
        section: "images",
        rationale: "Public registries serve whatever their publishers push, have been used to distribute \
            typosquatted and backdoored images, and rate-limit pulls; a private registry (or a pull-through \
            mirror) is where images are scanned, signed and kept. An image with no registry host comes from \
            Docker Hub. The allowed registries are configured in `images.allowedRegistries`; when none are, every \
            registry except Docker Hub is allowed. Only production namespaces are checked (see `production` in the \
            configuration).",
        remediation: "Push the image to (or mirror it through) an allowed private registry and reference it by \
            that registry's host, e.g. `registry.example.com/team/app:1.4.2`, or add the registry to \
            `images.allowedRegistries`.",
        fail_example: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: app\n    image: nginx:1.27\n",
        pass_example: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: app\n    image: registry.example.com/web/nginx:1.27\n",
    },
    run: Run::Pod(run),
};

fn run(ctx: &PodContext<'_, '_>, sink: &mut Sink) {
    if !ctx.object.production {
        return;
    }
    let allowed = &ctx.config.images.allowed_registries;
    for (container, image, view) in images(ctx.pod) {
        let message = if allowed.is_empty() {
            if !image.is_docker_hub() {
                continue;
            }
            message!("{} pulls {} from Docker Hub", container.label(), image.repository())
        } else {
            if allowed.iter().any(|pattern| image.matches_registry(pattern)) {
                continue;
            }
            message!(
                "{} pulls {} from {}, which is not in images.allowedRegistries",
                container.label(),
                image.repository(),
                image.registry()
            )
        };
        sink.report_container(&view, &container.name, message);
    }
}
