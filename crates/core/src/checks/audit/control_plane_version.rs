//! Control-plane images no more than one minor behind the target version (item 7.5).

use crate::checks::cluster::flags::components;
use crate::checks::{Check, CheckMeta, PodContext, Run, Severity, Sink};
use crate::config::parse_minor_version;
use crate::model::component::Component;
use crate::model::image::ImageRef;

pub(crate) const CHECK: Check = Check {
    meta: CheckMeta {
        id: "control-plane-version",
        title: "Control-plane component more than one minor version behind",
        severity: Severity::Medium,
        items: &[("7.5", "a control-plane component is more than one minor version behind")],
        section: "audit",
        rationale: "Kubernetes supports the three latest minor releases; a control plane that falls more than \
            one behind the target stops receiving security fixes soon and makes the next upgrade a multi-step \
            migration. The target version is `kubernetesVersion` in the configuration (default 1.34).",
        remediation: "Upgrade the control plane one minor version at a time (kubeadm upgrade, or your \
            provider's upgrade) until it is within one minor of the target.",
        fail_example: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: kube-apiserver\n  namespace: kube-system\nspec:\n  containers:\n  - name: kube-apiserver\n    image: registry.k8s.io/kube-apiserver:v1.29.4\n    command: [kube-apiserver]\n",
        pass_example: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: kube-apiserver\n  namespace: kube-system\nspec:\n  containers:\n  - name: kube-apiserver\n    image: registry.k8s.io/kube-apiserver:v1.33.5\n    command: [kube-apiserver]\n",
    },
    run: Run::Pod(run),
};

fn run(ctx: &PodContext<'_, '_>, sink: &mut Sink) {
    let (target_major, target) = ctx.config.target_version();
    for (container, component, _) in components(ctx.pod) {
        if component == Component::Etcd {
            continue;
        }
        let view = container.view.get("image");
        let Some(tag) = view.str().present().and_then(ImageRef::parse).and_then(|image| image.tag) else {
            continue;
        };
        let version = tag.split(['-', '+']).next().unwrap_or(tag);
        let Some((major, minor)) = parse_minor_version(version) else {
            continue;
        };
        if major == target_major && minor + 1 < target {
            sink.report_container(
                &view,
                &container.name,
                message!(
                    "{} ({}) runs 1.{minor}, {} minor versions behind the target 1.{target}",
                    container.label(),
                    component.name(),
                    target - minor
                ),
            );
        }
    }
}
