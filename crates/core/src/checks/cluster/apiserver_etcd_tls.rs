//! The API server talks to etcd over TLS with a client certificate (item 3.8).

use crate::checks::cluster::flags::running;
use crate::checks::{Check, CheckMeta, PodContext, Run, Severity, Sink};
use crate::model::component::Component;

/// CIS Kubernetes Benchmark controls this check implements.
pub(crate) const CIS: &[&str] = &["1.2.23", "1.2.26"];

pub(crate) const CHECK: Check = Check {
    meta: CheckMeta {
        id: "apiserver-etcd-tls",
        title: "API server talks to etcd without TLS or a client certificate",
        severity: Severity::High,
        items: &[("3.8", "the API server reaches etcd without TLS or a client certificate"), ("7.2", "a CIS Kubernetes Benchmark control fails")],
        section: "cluster",
        rationale: "Every object the API server stores crosses the connection to etcd; without TLS it can be read and altered on the wire, and without a client certificate etcd cannot require one from the API server (and so from anyone).",
        remediation: "Start kube-apiserver with `--etcd-cafile`, `--etcd-certfile` and `--etcd-keyfile`, and https:// URLs in `--etcd-servers`.",
        fail_example: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: kube-apiserver\n  namespace: kube-system\nspec:\n  containers:\n  - name: kube-apiserver\n    image: registry.k8s.io/kube-apiserver:v1.34.1\n    command:\n    - kube-apiserver\n    - --etcd-servers=http://127.0.0.1:2379\n",
        pass_example: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: kube-apiserver\n  namespace: kube-system\nspec:\n  containers:\n  - name: kube-apiserver\n    image: registry.k8s.io/kube-apiserver:v1.34.1\n    command:\n    - kube-apiserver\n    - --etcd-servers=https://127.0.0.1:2379\n    - --etcd-cafile=/etc/kubernetes/pki/etcd/ca.crt\n    - --etcd-certfile=/etc/kubernetes/pki/apiserver-etcd-client.crt\n    - --etcd-keyfile=/etc/kubernetes/pki/apiserver-etcd-client.key\n",
    },
    run: Run::Pod(run),
};

fn run(ctx: &PodContext<'_, '_>, sink: &mut Sink) {
    for (container, flags) in running(ctx.pod, Component::ApiServer) {
        let label = container.label();
        for flag in ["etcd-cafile", "etcd-certfile", "etcd-keyfile"] {
            if flags.value(flag).is_none_or(str::is_empty) {
                sink.report_container(flags.at(flag), &container.name, message!("{label} does not set --{flag}"));
            }
        }
        if let Some((url, flag)) = flags.list("etcd-servers").into_iter().find(|(url, _)| url.starts_with("http://")) {
            sink.report_container(&flag.view, &container.name, message!("{label} talks to etcd at {url} without TLS"));
        }
    }
}
