//! The EncryptionConfiguration encrypts Secrets with a real provider first (item 4.1).

use crate::checks::{Check, CheckMeta, ObjectContext, Run, Severity, Sink};

/// CIS Kubernetes Benchmark controls this check implements.
pub(crate) const CIS: &[&str] = &["1.2.28"];

pub(crate) const CHECK: Check = Check {
    meta: CheckMeta {
        id: "encryption-provider",
        title: "EncryptionConfiguration does not encrypt Secrets with a strong provider",
        severity: Severity::High,
        items: &[("4.1", "the encryption configuration does not encrypt Secrets with a strong provider"), ("7.2", "a CIS Kubernetes Benchmark control fails")],
        section: "cluster",
        rationale: "The API server encrypts new writes with the first provider listed for a resource. With \
            `identity` first (or no entry for `secrets`) Secrets are stored in plain text even though a config \
            file exists. `aescbc`, `aesgcm` and `secretbox` keep their key in the same file on the control-plane \
            node, and KMS v1 is deprecated; KMS v2 keeps the key in an external KMS (reported at low severity).",
        remediation: "List `secrets` in a `resources` entry whose first provider is `kms` with `apiVersion: v2` \
            (or at least `aesgcm`/`aescbc`), keep `identity: {}` last for reading old data, and rewrite existing \
            Secrets (`kubectl get secrets -A -o json | kubectl replace -f -`).",
        fail_example: "apiVersion: apiserver.config.k8s.io/v1\nkind: EncryptionConfiguration\nresources:\n- resources: [secrets]\n  providers:\n  - identity: {}\n  - aescbc:\n      keys:\n      - name: key1\n        secret: c2VjcmV0IGlzIHNlY3VyZSwgb3IgaXMgaXQ/Cg==\n",
        pass_example: "apiVersion: apiserver.config.k8s.io/v1\nkind: EncryptionConfiguration\nresources:\n- resources: [secrets]\n  providers:\n  - kms:\n      apiVersion: v2\n      name: cloud-kms\n      endpoint: unix:///var/run/kms/socket.sock\n  - identity: {}\n",
    },
    run: Run::Object(run),
};

fn run(ctx: &ObjectContext<'_, '_>, sink: &mut Sink) {
    let identity = &ctx.object.identity;
    if identity.kind != "EncryptionConfiguration" {
        return;
    }
    let resources = ctx.object.root.get("resources");
    let entry = resources.items().into_iter().find(|entry| {
        entry.get("resources").strings().iter().any(|(r, _)| matches!(*r, "secrets" | "*.*" | "*." | "secrets."))
    });
    let Some(entry) = entry else {
        sink.report(&resources, "EncryptionConfiguration has no entry for secrets: Secrets are stored unencrypted");
        return;
    };
    let providers = entry.get("providers");
    let Some(first) = providers.items().into_iter().next() else {
        sink.report(&providers, "EncryptionConfiguration lists no provider for secrets");
        return;
    };
    let Some((name, config)) = first.entries().into_iter().next() else {
        return;
    };
    match &*name {
        "identity" => sink.report(
            &first,
            "EncryptionConfiguration writes Secrets with the identity provider first: they are stored unencrypted",
        ),
        "aescbc" | "aesgcm" | "secretbox" => sink.report_with_severity(
            &first,
            None,
            Severity::Low,
            message!("EncryptionConfiguration encrypts Secrets with {name}, whose key sits in this file on the node; KMS v2 keeps it outside"),
        ),
        "kms" if config.get("apiVersion").str().present() != Some("v2") => sink.report_with_severity(
            &first,
            None,
            Severity::Low,
            "EncryptionConfiguration encrypts Secrets with KMS v1, which is deprecated; use apiVersion: v2",
        ),
        _ => {}
    }
}
