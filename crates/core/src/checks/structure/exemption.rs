//! Exemptions that do not do what they say: a `kubeward.io/ignore` entry that
//! names no check, lacks a reason, or suppresses nothing. The engine produces
//! these findings while it applies the exemptions (see `engine::place`).

use crate::checks::{CheckMeta, Severity};

/// An exemption naming an unknown check, or without a reason.
pub(crate) static INVALID_EXEMPTION: CheckMeta = CheckMeta {
    id: "invalid-exemption",
    title: "Exemption names an unknown check or gives no reason",
    severity: Severity::Low,
    items: &[],
    section: "structure",
    rationale: "A mistyped check id in `kubeward.io/ignore` exempts nothing, so the finding it meant to accept \
        stays; an exemption without `kubeward.io/ignore-reason` leaves reviewers no way to judge it.",
    remediation: "Name a check that `kubeward checks` lists, and say why in `kubeward.io/ignore-reason`.",
    fail_example: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  annotations:\n    kubeward.io/ignore: no-privilegd\n    kubeward.io/ignore-reason: a node agent\nspec:\n  containers: []\n",
    pass_example: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers: []\n",
};

/// An exemption that suppresses no finding.
pub(crate) static UNUSED_EXEMPTION: CheckMeta = CheckMeta {
    id: "unused-exemption",
    title: "Exemption suppresses nothing",
    severity: Severity::Info,
    items: &[],
    section: "structure",
    rationale: "An exemption left after its finding was fixed would silently accept the problem if it came back.",
    remediation: "Remove the entry from `kubeward.io/ignore`.",
    fail_example: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  annotations:\n    kubeward.io/ignore: no-privileged\n    kubeward.io/ignore-reason: a node agent\nspec:\n  containers: []\n",
    pass_example: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers: []\n",
};
