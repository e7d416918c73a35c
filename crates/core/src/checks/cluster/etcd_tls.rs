//! etcd serves clients and peers over TLS with client certificates (item 3.8).

use crate::checks::cluster::flags::{components, is_true, Flags};
use crate::checks::{Check, CheckMeta, PodContext, Run, Severity, Sink};
use crate::model::component::Component;
use crate::model::pod::Container;

/// CIS Kubernetes Benchmark controls this check implements.
pub(crate) const CIS: &[&str] = &["2.1", "2.2", "2.3", "2.4", "2.5", "2.6"];

pub(crate) const CHECK: Check = Check {
    meta: CheckMeta {
        id: "etcd-tls",
        title: "etcd accepts clients or peers without TLS and client certificates",
        severity: Severity::Critical,
        items: &[("3.8", "etcd accepts clients or peers without TLS client certificates"), ("7.2", "a CIS Kubernetes Benchmark control fails")],
        section: "cluster",
        rationale: "etcd holds every object of the cluster, Secrets included, and has no authorization of its own worth the name: whoever can talk to it owns the cluster. TLS with client-certificate authentication, for clients (the API server) and for peers (other etcd members), is the only thing between etcd and the network. Self-signed `--auto-tls` certificates authenticate nobody.",
        remediation: "Start etcd with `--cert-file`, `--key-file`, `--client-cert-auth=true`, `--trusted-ca-file`, `--peer-cert-file`, `--peer-key-file`, `--peer-client-cert-auth=true` and `--peer-trusted-ca-file`, https:// listen URLs, and without `--auto-tls` or `--peer-auto-tls`.",
        fail_example: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: etcd\n  namespace: kube-system\nspec:\n  containers:\n  - name: etcd\n    image: registry.k8s.io/etcd:3.6.4-0\n    command:\n    - etcd\n    - --listen-client-urls=http://0.0.0.0:2379\n    - --auto-tls=true\n",
        pass_example: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: etcd\n  namespace: kube-system\nspec:\n  containers:\n  - name: etcd\n    image: registry.k8s.io/etcd:3.6.4-0\n    command:\n    - etcd\n    - --listen-client-urls=https://127.0.0.1:2379,https://10.0.0.10:2379\n    - --cert-file=/etc/kubernetes/pki/etcd/server.crt\n    - --key-file=/etc/kubernetes/pki/etcd/server.key\n    - --client-cert-auth=true\n    - --trusted-ca-file=/etc/kubernetes/pki/etcd/ca.crt\n    - --peer-cert-file=/etc/kubernetes/pki/etcd/peer.crt\n    - --peer-key-file=/etc/kubernetes/pki/etcd/peer.key\n    - --peer-client-cert-auth=true\n    - --peer-trusted-ca-file=/etc/kubernetes/pki/etcd/ca.crt\n",
    },
    run: Run::Pod(run),
};

fn run(ctx: &PodContext<'_, '_>, sink: &mut Sink) {
    for (container, component, flags) in components(ctx.pod) {
        if component == Component::Etcd {
            check(container, &flags, sink);
        }
    }
}

fn check(container: &Container<'_>, flags: &Flags<'_>, sink: &mut Sink) {
    let label = container.label();
    let mut report = |flag: &str, message: String| sink.report_container(flags.at(flag), &container.name, message);
    for flag in ["cert-file", "key-file", "trusted-ca-file", "peer-cert-file", "peer-key-file", "peer-trusted-ca-file"]
    {
        if flags.value(flag).is_none_or(str::is_empty) {
            report(flag, message!("{label} does not set --{flag}"));
        }
    }
    for flag in ["client-cert-auth", "peer-client-cert-auth"] {
        if !flags.value(flag).is_some_and(is_true) {
            report(flag, message!("{label} does not set --{flag}=true: any client with network access is accepted"));
        }
    }
    for flag in ["auto-tls", "peer-auto-tls"] {
        if flags.value(flag).is_some_and(is_true) {
            report(flag, message!("{label} sets --{flag}: self-signed certificates authenticate nobody"));
        }
    }
    for flag in ["listen-client-urls", "advertise-client-urls", "listen-peer-urls", "initial-advertise-peer-urls"] {
        if let Some((url, _)) = flags.list(flag).into_iter().find(|(url, _)| url.starts_with("http://")) {
            report(flag, message!("{label} serves {url} without TLS (--{flag})"));
        }
    }
}
