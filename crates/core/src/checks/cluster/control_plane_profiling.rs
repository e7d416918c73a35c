//! Profiling endpoints of control-plane components are off (item 7.2).

use crate::checks::cluster::flags::{components, is_true};
use crate::checks::{Check, CheckMeta, PodContext, Run, Severity, Sink};
use crate::model::component::Component;

/// CIS Kubernetes Benchmark controls this check implements.
pub(crate) const CIS: &[&str] = &["1.2.15", "1.3.2", "1.4.1"];

pub(crate) const CHECK: Check = Check {
    meta: CheckMeta {
        id: "control-plane-profiling",
        title: "Control-plane component exposes profiling",
        severity: Severity::Low,
        items: &[("7.2", "a CIS Kubernetes Benchmark control fails")],
        section: "cluster",
        rationale: "`--profiling` defaults to true on kube-apiserver, kube-controller-manager and kube-scheduler: `/debug/pprof` reveals the program's internals and lets a caller make it spend CPU on profiles.",
        remediation: "Start kube-apiserver, kube-controller-manager and kube-scheduler with `--profiling=false`.",
        fail_example: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: kube-apiserver\n  namespace: kube-system\nspec:\n  containers:\n  - name: kube-apiserver\n    image: registry.k8s.io/kube-apiserver:v1.34.1\n    command:\n    - kube-apiserver\n    - --profiling=true\n",
        pass_example: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: kube-apiserver\n  namespace: kube-system\nspec:\n  containers:\n  - name: kube-apiserver\n    image: registry.k8s.io/kube-apiserver:v1.34.1\n    command:\n    - kube-apiserver\n    - --profiling=false\n",
    },
    run: Run::Pod(run),
};

fn run(ctx: &PodContext<'_, '_>, sink: &mut Sink) {
    for (container, component, flags) in components(ctx.pod) {
        if !matches!(component, Component::ApiServer | Component::ControllerManager | Component::Scheduler) {
            continue;
        }
        match flags.value("profiling") {
            Some(value) if !is_true(value) => {}
            Some(_) => sink.report_container(
                flags.at("profiling"),
                &container.name,
                message!("{} ({}) enables profiling", container.label(), component.name()),
            ),
            None => sink.report_container(
                flags.at("profiling"),
                &container.name,
                message!("{} ({}) does not set --profiling=false (on by default)", container.label(), component.name()),
            ),
        }
    }
}
