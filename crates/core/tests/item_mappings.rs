//! Every check-to-item mapping is reviewed: a check that gives evidence
//! against a checklist item says why in one line, against the item's own
//! words (CHECKS.md shows the line), and the pair is listed here. A new check,
//! or a new item on an old one, fails this test until someone has read the
//! item and added the pair.

use std::collections::BTreeSet;

/// (item, check): the mappings reviewed against each item's words.
const REVIEWED: &[(&str, &str)] = &[
    ("1.1", "pss-namespace-enforcement"),
    ("1.1", "pss-namespace-label-values"),
    ("1.1", "pss-namespace-labels"),
    ("1.2", "run-as-non-root"),
    ("1.3", "no-privilege-escalation"),
    ("1.4", "dangerous-capabilities"),
    ("1.4", "drop-all-capabilities"),
    ("1.5", "read-only-root-filesystem"),
    ("1.6", "seccomp-profile"),
    ("1.7", "no-host-namespaces"),
    ("1.8", "resource-limits"),
    ("1.9", "no-privileged"),
    ("1.10", "mac-profile"),
    ("2.1", "cluster-admin-service-account"),
    ("2.2", "cluster-role-binding-namespaced"),
    ("2.3", "rbac-wildcard"),
    ("2.4", "automount-service-account-token"),
    ("2.4", "legacy-service-account-token"),
    ("2.7", "default-service-account"),
    ("2.8", "aggregated-clusterrole-sensitive"),
    ("3.1", "namespace-default-deny"),
    ("3.1", "workload-without-network-policy"),
    ("3.2", "netpol-allow-all-egress"),
    ("3.2", "workload-without-network-policy"),
    ("3.3", "netpol-allow-all-ingress"),
    ("3.3", "service-exposed"),
    ("3.3", "workload-without-network-policy"),
    ("3.4", "netpol-dns-egress-unrestricted"),
    ("3.5", "netpol-allow-all-egress"),
    ("3.5", "netpol-internet-egress"),
    ("3.5", "workload-without-network-policy"),
    ("3.6", "service-mesh-mtls"),
    ("3.7", "dangerous-component"),
    ("3.8", "apiserver-etcd-tls"),
    ("3.8", "etcd-tls"),
    ("4.1", "apiserver-encryption-config"),
    ("4.1", "encryption-provider"),
    ("4.2", "secret-volume-not-external"),
    ("4.3", "secret-in-env"),
    ("4.4", "hardcoded-credential"),
    ("4.4", "plain-secret"),
    ("4.6", "secret-in-env"),
    ("4.6", "secret-volume-not-external"),
    ("4.7", "plain-secret"),
    ("5.1", "image-registry"),
    ("5.4", "image-signature-policy"),
    ("5.5", "image-signature-policy"),
    ("5.6", "image-digest"),
    ("5.6", "image-latest-tag"),
    ("5.6", "image-pull-policy"),
    ("5.7", "base-image"),
    ("6.1", "runtime-detection"),
    ("7.1", "apiserver-audit-log"),
    ("7.1", "audit-policy"),
    ("7.2", "apiserver-admission-plugins"),
    ("7.2", "apiserver-anonymous-auth"),
    ("7.2", "apiserver-audit-log"),
    ("7.2", "apiserver-authorization-mode"),
    ("7.2", "apiserver-encryption-config"),
    ("7.2", "apiserver-etcd-tls"),
    ("7.2", "apiserver-oidc"),
    ("7.2", "audit-policy"),
    ("7.2", "control-plane-profiling"),
    ("7.2", "encryption-provider"),
    ("7.2", "etcd-tls"),
    ("7.2", "kubelet-config"),
    ("7.2", "secret-in-env"),
    ("7.5", "control-plane-version"),
    ("7.5", "deprecated-api-version"),
    ("7.5", "frozen-registry"),
    ("8.1", "apiserver-authorization-mode"),
    ("8.1", "kubelet-config"),
    ("8.2", "apiserver-anonymous-auth"),
    ("8.2", "kubelet-config"),
    ("8.3", "apiserver-oidc"),
    ("8.4", "apiserver-admission-plugins"),
    ("8.4", "policy-engine"),
    ("8.5", "numeric-user-id"),
    ("8.5", "run-as-non-root"),
    ("8.6", "namespace-quotas"),
    ("8.7", "network-policy-cni"),
];

#[test]
fn every_mapping_is_reviewed_and_says_why() {
    let mut declared = BTreeSet::new();
    for check in kubeward::checks() {
        assert_eq!(check.items.len(), check.item_reasons.len(), "{}", check.id);
        for reason in &check.item_reasons {
            assert!(
                reason.reason.len() >= 20 && !reason.reason.contains('\n'),
                "{} -> {}: a reason is one line that says why",
                check.id,
                reason.item
            );
            declared.insert((reason.item.clone(), check.id.clone()));
        }
    }
    let reviewed: BTreeSet<(String, String)> =
        REVIEWED.iter().map(|(item, check)| (item.to_string(), check.to_string())).collect();
    let unreviewed: Vec<_> = declared.difference(&reviewed).collect();
    let gone: Vec<_> = reviewed.difference(&declared).collect();
    assert!(
        unreviewed.is_empty() && gone.is_empty(),
        "mappings not reviewed (read the item's words, then add the pair here): {unreviewed:?}; \
         reviewed pairs no check declares any more: {gone:?}"
    );
}

#[test]
fn every_mapped_item_exists() {
    let items: BTreeSet<String> = kubeward::checklist().into_iter().map(|item| item.id).collect();
    for (item, check) in REVIEWED {
        assert!(items.contains(*item), "{check} names item {item}, which the checklist does not have");
    }
}
