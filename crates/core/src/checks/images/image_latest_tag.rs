//! Images never use `latest` or no tag (item 5.6).

use crate::checks::images::images;
use crate::checks::{Check, CheckMeta, PodContext, Run, Severity, Sink};

pub(crate) const CHECK: Check = Check {
    meta: CheckMeta {
        id: "image-latest-tag",
        title: "Image uses the latest tag or no tag",
        severity: Severity::Medium,
        items: &[("5.6", "the image uses latest, or no tag, which means latest")],
        section: "images",
        rationale: "`latest` (which is what an image without tag or digest means) changes with every push: a \
            rollback redeploys the new code, two replicas can run different versions, and nobody can tell from \
            the manifest what is running or whether it was scanned.",
        remediation: "Reference an immutable version tag, and preferably its digest: \
            `registry.example.com/app:1.4.2@sha256:<digest>`.",
        fail_example: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: app\n    image: registry.example.com/app\n  - name: proxy\n    image: registry.example.com/proxy:latest\n",
        pass_example: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: app\n    image: registry.example.com/app:1.4.2\n",
    },
    run: Run::Pod(run),
};

fn run(ctx: &PodContext<'_, '_>, sink: &mut Sink) {
    for (container, image, view) in images(ctx.pod) {
        if image.is_pinned() {
            continue;
        }
        let message = match image.tag {
            None => message!("{} has no tag, so it pulls {}:latest", container.label(), image.repository()),
            Some(tag) if tag.eq_ignore_ascii_case("latest") => {
                message!("{} uses the mutable tag latest of {}", container.label(), image.repository())
            }
            Some(_) => continue,
        };
        sink.report_container(&view, &container.name, message);
    }
}
