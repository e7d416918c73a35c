//! Runtime threat detection is deployed (items 6.1-6.4).

use crate::checks::runtime::report_missing;
use crate::checks::{Check, CheckMeta, Run, SetContext, SetSink, Severity};
use crate::model::component::Component;

pub(crate) const CHECK: Check = Check {
    meta: CheckMeta {
        id: "runtime-detection",
        title: "No runtime threat detection in the cluster",
        severity: Severity::Medium,
        items: &[("6.1", "no runtime threat detection runs in the cluster")],
        section: "runtime",
        rationale: "Admission policies decide what may start; only a runtime sensor sees what happens after: a \
            shell spawned in a container, a write to /etc, a connection to a mining pool. Falco, Tetragon, the \
            Kubescape node agent and the Sysdig agent watch system calls on every node. Reported only for \
            cluster-level input; the inventory also lists the rules found (Falco rules, Tetragon \
            TracingPolicies) as evidence for items 6.2-6.4.",
        remediation: "Deploy a runtime sensor as a DaemonSet on every node (Falco, Tetragon, the Kubescape node \
            agent or Sysdig) with rules for unexpected processes, file changes in critical paths and unusual \
            connections, and route its alerts to the on-call channel.",
        fail_example: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: kube-apiserver\n  namespace: kube-system\nspec:\n  containers:\n  - name: kube-apiserver\n    image: registry.k8s.io/kube-apiserver:v1.34.1\n    command: [kube-apiserver]\n",
        pass_example: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: kube-apiserver\n  namespace: kube-system\nspec:\n  containers:\n  - name: kube-apiserver\n    image: registry.k8s.io/kube-apiserver:v1.34.1\n    command: [kube-apiserver]\n---\napiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: falco\n  namespace: falco\nspec:\n  selector:\n    matchLabels: {app: falco}\n  template:\n    metadata:\n      labels: {app: falco}\n    spec:\n      containers:\n      - name: falco\n        image: docker.io/falcosecurity/falco:0.41.3\n",
    },
    run: Run::Set(run),
};

fn run(ctx: &SetContext<'_, '_>, sink: &mut SetSink) {
    report_missing(
        ctx,
        sink,
        &[Component::Falco, Component::Tetragon, Component::KubescapeNodeAgent, Component::SysdigAgent],
        "runtime threat detection (Falco, Tetragon, Kubescape node agent or Sysdig agent)",
    );
}
