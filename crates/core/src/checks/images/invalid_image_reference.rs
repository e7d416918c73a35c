//! Images are valid references (a container whose image is not one never starts).

use crate::checks::{Check, CheckMeta, PodContext, Run, Severity, Sink};
use crate::model::image::is_valid_reference;

pub(crate) const CHECK: Check = Check {
    meta: CheckMeta {
        id: "invalid-image-reference",
        title: "Image is not a valid image reference",
        severity: Severity::Low,
        items: &[],
        section: "images",
        rationale: "A container runtime refuses an image that is not a reference it can parse \
            (`[registry/]path[:tag][@digest]`, the path in lower case): the pod stays in `InvalidImageName` and \
            never starts. It is usually a placeholder left unfilled (`{IMAGE}`, `${TAG}`) by a templating step \
            that did not run, which also means nothing can be said about where the image would come from: the \
            other image checks leave it alone.",
        remediation: "Render the manifest first, or write the full reference: \
            `registry.example.com/team/app:1.4.2`.",
        fail_example: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: app\n    image: \"{IMAGE}\"\n    imagePullPolicy: Never\n",
        pass_example: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: app\n    image: registry.example.com/app:1.4.2\n",
    },
    run: Run::Pod(run),
};

fn run(ctx: &PodContext<'_, '_>, sink: &mut Sink) {
    for container in &ctx.pod.containers {
        // A written image that the container's parsed reference does not keep is not a valid one.
        if container.parsed_image().is_some() {
            continue;
        }
        let view = container.view.get("image");
        let Some(text) = view.str().present() else { continue };
        if !is_valid_reference(text) {
            sink.report_container(
                &view,
                &container.name,
                message!(
                    "{} has image {text:?}, which is not a valid image reference: the container cannot start",
                    container.label()
                ),
            );
        }
    }
}
