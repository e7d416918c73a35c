//! Exemptions that do not do what they say: a `kubeward.io/ignore` entry (or
//! an entry of the configuration's `ignores`) that names no check, lacks a
//! reason, or suppresses nothing. The engine produces these findings while it
//! applies the exemptions (see `engine::place` and `engine::suppress`).

use crate::checks::{CheckMeta, Severity};

/// An exemption naming an unknown check, or without a reason.
pub(crate) static INVALID_EXEMPTION: CheckMeta = CheckMeta {
    id: "invalid-exemption",
    title: "Exemption names an unknown check or gives no reason",
    severity: Severity::Low,
    items: &[],
    section: "structure",
    rationale: "A mistyped check id exempts nothing; an exemption without a reason cannot be reviewed.",
    remediation: "Name a check `kubeward checks` lists; say why in `kubeward.io/ignore-reason` (in the configuration, the entry's `reason`).",
    fail_example: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  annotations:\n    kubeward.io/ignore: no-privilegd\n    kubeward.io/ignore-reason: agent\nspec:\n  containers: []\n",
    pass_example: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers: []\n",
};

/// An exemption that suppresses no finding.
pub(crate) static UNUSED_EXEMPTION: CheckMeta = CheckMeta {
    id: "unused-exemption",
    title: "Exemption suppresses nothing",
    severity: Severity::Info,
    items: &[],
    section: "structure",
    rationale: "An exemption left after a fix would hide the problem if it came back.",
    remediation: "Remove the entry from `kubeward.io/ignore`.",
    fail_example: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  annotations:\n    kubeward.io/ignore: no-privileged\n    kubeward.io/ignore-reason: agent\nspec:\n  containers: []\n",
    pass_example: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers: []\n",
};
