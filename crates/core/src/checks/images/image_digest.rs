//! Images are pinned to a digest (item 5.6).

use crate::checks::images::images;
use crate::checks::{Check, CheckMeta, PodContext, Run, Severity, Sink};

pub(crate) const CHECK: Check = Check {
    meta: CheckMeta {
        id: "image-digest",
        title: "Image not pinned to a digest",
        severity: Severity::Low,
        items: &[("5.6", "the image is not pinned by digest")],
        section: "images",
        rationale: "A tag is a movable name: whoever can push to the repository can point `1.4.2` at other \
            content, and nodes that pull at different times run different code under the same manifest. A \
            digest (`@sha256:...`) names exactly one image, so what was scanned and signed is what runs.",
        remediation: "Reference the image by digest, keeping the tag for readers: \
            `registry.example.com/app:1.4.2@sha256:<digest>` (tools such as `crane digest` print it).",
        fail_example: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: app\n    image: registry.example.com/app:1.4.2\n",
        pass_example: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: app\n    image: registry.example.com/app:1.4.2@sha256:4c2e7a1b9d3f5e6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1d2e3f4a5b6c7d8e9f0a\n",
    },
    run: Run::Pod(run),
};

fn run(ctx: &PodContext<'_, '_>, sink: &mut Sink) {
    for (container, image, view) in images(ctx.pod) {
        if image.is_pinned() {
            continue;
        }
        let tag = image.effective_tag().unwrap_or("latest");
        sink.report_container(
            &view,
            &container.name,
            message!("{} uses {}:{tag} without a digest", container.label(), image.repository()),
        );
    }
}
