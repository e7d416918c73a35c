//! The API server encrypts Secrets at rest (item 4.1).

use crate::checks::cluster::flags::components;
use crate::checks::{Check, CheckMeta, PodContext, Run, Severity, Sink};
use crate::model::component::Component;

/// CIS Kubernetes Benchmark controls this check implements.
pub(crate) const CIS: &[&str] = &["1.2.27"];

pub(crate) const CHECK: Check = Check {
    meta: CheckMeta {
        id: "apiserver-encryption-config",
        title: "API server does not encrypt Secrets at rest",
        severity: Severity::High,
        items: &[("4.1", "the API server is given no encryption configuration for Secrets"), ("7.2", "a CIS Kubernetes Benchmark control fails")],
        section: "cluster",
        rationale: "Without `--encryption-provider-config` Secrets are stored in etcd as plain protobuf: anyone with an etcd backup, a snapshot of its disk or direct etcd access reads every token and password in the cluster.",
        remediation: "Write an EncryptionConfiguration that encrypts `secrets` with a KMS v2 provider (or aesgcm/aescbc with a key outside etcd) and start kube-apiserver with `--encryption-provider-config=<path>`.",
        fail_example: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: kube-apiserver\n  namespace: kube-system\nspec:\n  containers:\n  - name: kube-apiserver\n    image: registry.k8s.io/kube-apiserver:v1.34.1\n    command:\n    - kube-apiserver\n    - --anonymous-auth=false\n",
        pass_example: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: kube-apiserver\n  namespace: kube-system\nspec:\n  containers:\n  - name: kube-apiserver\n    image: registry.k8s.io/kube-apiserver:v1.34.1\n    command:\n    - kube-apiserver\n    - --encryption-provider-config=/etc/kubernetes/enc/encryption.yaml\n",
    },
    run: Run::Pod(run),
};

fn run(ctx: &PodContext<'_, '_>, sink: &mut Sink) {
    for (container, component, flags) in components(ctx.pod) {
        if component == Component::ApiServer && flags.value("encryption-provider-config").is_none_or(str::is_empty) {
            sink.report_container(
                flags.at("encryption-provider-config"),
                &container.name,
                message!(
                    "{} sets no --encryption-provider-config: Secrets are stored unencrypted in etcd",
                    container.label()
                ),
            );
        }
    }
}
