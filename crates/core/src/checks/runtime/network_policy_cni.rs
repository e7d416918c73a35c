//! A CNI that enforces NetworkPolicy is deployed (item 8.7).

use crate::checks::runtime::report_missing;
use crate::checks::{Check, CheckMeta, Run, SetContext, SetSink, Severity};
use crate::model::component::Component;

pub(crate) const CHECK: Check = Check {
    meta: CheckMeta {
        id: "network-policy-cni",
        title: "No CNI that enforces NetworkPolicy in the cluster",
        severity: Severity::Medium,
        items: &[("8.7", "the cluster's CNI does not enforce NetworkPolicy")],
        section: "cluster",
        rationale: "NetworkPolicy objects are only a wish list: the CNI plugin enforces them, and some (flannel, \
            the default of several distributions) silently ignore them. Calico, Cilium and Antrea enforce them. \
            Reported only for cluster-level input.",
        remediation: "Run a CNI that enforces NetworkPolicy (Calico, Cilium or Antrea), or your provider's \
            network policy add-on.",
        fail_example: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: kube-apiserver\n  namespace: kube-system\nspec:\n  containers:\n  - name: kube-apiserver\n    image: registry.k8s.io/kube-apiserver:v1.34.1\n    command: [kube-apiserver]\n",
        pass_example: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: kube-apiserver\n  namespace: kube-system\nspec:\n  containers:\n  - name: kube-apiserver\n    image: registry.k8s.io/kube-apiserver:v1.34.1\n    command: [kube-apiserver]\n---\napiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: cilium\n  namespace: kube-system\nspec:\n  selector:\n    matchLabels: {k8s-app: cilium}\n  template:\n    metadata:\n      labels: {k8s-app: cilium}\n    spec:\n      containers:\n      - name: cilium-agent\n        image: quay.io/cilium/cilium:v1.18.2\n",
    },
    run: Run::Set(run),
};

fn run(ctx: &SetContext<'_, '_>, sink: &mut SetSink) {
    report_missing(
        ctx,
        sink,
        &[Component::Calico, Component::Cilium, Component::Antrea],
        "CNI that enforces NetworkPolicy (Calico, Cilium or Antrea)",
    );
}
