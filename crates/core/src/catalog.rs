//! The public catalog of checks, and the documentation generated from it.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::checks::{self, CheckMeta};
use crate::Severity;

/// Everything a user needs to know about one check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[non_exhaustive]
pub struct CheckInfo {
    /// Stable id, used in ignore annotations and configuration.
    pub id: String,
    /// One-line title.
    pub title: String,
    /// Default severity.
    pub severity: Severity,
    /// Checklist items the check gives evidence against.
    pub items: Vec<String>,
    /// Why each of `items` is one, in one line read against the item's own words.
    pub item_reasons: Vec<ItemReason>,
    /// Checklist section folder (`pod`, `structure`, ...).
    pub section: String,
    /// Why it matters.
    pub rationale: String,
    /// What to write instead.
    pub remediation: String,
    /// A manifest the check flags.
    pub fail_example: String,
    /// A manifest the check does not flag.
    pub pass_example: String,
    /// CIS Kubernetes Benchmark controls (v1.9 numbering) the check implements, if any.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cis: Vec<String>,
    /// What `kubeward fix` can do for its findings: `safe` (applied by
    /// default), `unsafe` (applied with `--unsafe`) or `none` (see `fix_reason`).
    pub fix: String,
    /// Why the check offers no fix, when `fix` is `none`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fix_reason: Option<String>,
}

/// Why a check's findings count against a checklist item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[non_exhaustive]
pub struct ItemReason {
    /// The item id (`"1.2"`).
    pub item: String,
    /// Why, in one line.
    pub reason: String,
}

impl From<&CheckMeta> for CheckInfo {
    fn from(meta: &CheckMeta) -> Self {
        CheckInfo {
            id: meta.id.into(),
            title: meta.title.into(),
            severity: meta.severity,
            items: meta.items.iter().map(|(item, _)| item.to_string()).collect(),
            item_reasons: meta
                .items
                .iter()
                .map(|(item, reason)| ItemReason { item: item.to_string(), reason: reason.to_string() })
                .collect(),
            section: meta.section.into(),
            rationale: meta.rationale.into(),
            remediation: meta.remediation.into(),
            fail_example: meta.fail_example.into(),
            pass_example: meta.pass_example.into(),
            cis: checks::cis(meta.id).iter().map(|control| control.to_string()).collect(),
            fix: fix_class(meta.id).0.to_string(),
            fix_reason: fix_class(meta.id).1.map(str::to_string),
        }
    }
}

/// A check's fix class as the catalog shows it, and why there is none.
fn fix_class(id: &str) -> (&'static str, Option<&'static str>) {
    match checks::fixes::class(id) {
        crate::fix::FixClass::Fixes(safety) => (safety.as_str(), None),
        crate::fix::FixClass::None(reason) => ("none", Some(reason)),
    }
}

/// One checklist item with the checks behind it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[non_exhaustive]
pub struct ChecklistItem {
    /// Item id (`"1.2"`).
    pub id: String,
    /// Section number (1–8; sections 1–7 are scored out of 50).
    pub section: u32,
    /// Stable slug.
    pub slug: String,
    /// What the item asks for.
    pub title: String,
    /// What can show it.
    pub evidence: Vec<crate::Evidence>,
    /// The checks that give evidence for it (none: attestation only).
    pub checks: Vec<String>,
}

/// The 57 checklist items and the checks behind each.
///
/// ```
/// let items = kubeward::checklist();
/// assert_eq!(items.len(), 57);
/// assert!(items.iter().find(|i| i.id == "1.9").unwrap().checks.contains(&"no-privileged".to_string()));
/// ```
pub fn checklist() -> Vec<ChecklistItem> {
    crate::checklist::ITEMS
        .iter()
        .map(|item| ChecklistItem {
            id: item.id.into(),
            section: item.section(),
            slug: item.slug.into(),
            title: item.title.into(),
            evidence: item.evidence.to_vec(),
            checks: checks::all_meta()
                .filter(|m| m.items.iter().any(|(id, _)| *id == item.id))
                .map(|m| m.id.to_string())
                .collect(),
        })
        .collect()
}

/// The JSON Schema of the report (`kubeward schema report`).
pub fn report_schema() -> String {
    let schema = schemars::schema_for!(crate::Report);
    serde_json::to_string_pretty(&schema).unwrap_or_default() + "\n"
}

/// The JSON Schema of the configuration (`kubeward schema config`).
pub fn config_schema() -> String {
    let schema = schemars::schema_for!(crate::Config);
    serde_json::to_string_pretty(&schema).unwrap_or_default() + "\n"
}

/// Every check, in catalog order.
///
/// ```
/// let checks = kubeward::checks();
/// assert!(checks.iter().any(|check| check.id == "no-privileged"));
/// ```
pub fn checks() -> Vec<CheckInfo> {
    checks::all_meta().map(CheckInfo::from).collect()
}

/// The text `kubeward explain ID` prints, or `None` for an unknown id.
///
/// ```
/// assert!(kubeward::explain("run-as-non-root").unwrap().contains("runAsNonRoot"));
/// ```
pub fn explain(id: &str) -> Option<String> {
    let meta = checks::find(id)?;
    let mut items = if meta.items.is_empty() {
        "none".to_string()
    } else {
        meta.items.iter().map(|(item, reason)| format!("\n  {item}: {reason}")).collect()
    };
    let cis = checks::cis(meta.id);
    if !cis.is_empty() {
        items = format!("{items}\nCIS Kubernetes Benchmark: {}", cis.join(", "));
    }
    Some(format!(
        "{id}: {title}\n\nseverity: {severity}\nchecklist items: {items}\n\nWhy it matters\n{rationale}\n\nHow to fix it\n{remediation}\n\nFlagged\n{fail}\nNot flagged\n{pass}",
        id = meta.id,
        title = meta.title,
        severity = meta.severity,
        rationale = wrap(meta.rationale),
        remediation = wrap(meta.remediation),
        fail = indent(meta.fail_example),
        pass = indent(meta.pass_example),
    ))
}

/// A check's item ids, `1.2, 8.5`.
fn item_ids(meta: &CheckMeta) -> String {
    meta.items.iter().map(|(item, _)| *item).collect::<Vec<_>>().join(", ")
}

fn wrap(text: &str) -> String {
    let mut out = String::new();
    let mut width = 0;
    for word in text.split_whitespace() {
        if width > 0 && width + word.len() + 1 > 88 {
            out.push('\n');
            width = 0;
        } else if width > 0 {
            out.push(' ');
            width += 1;
        }
        out.push_str(word);
        width += word.len();
    }
    out
}

fn indent(text: &str) -> String {
    text.lines().map(|line| format!("    {line}\n")).collect()
}

/// `CHECKS.md`: the catalog, per section, generated from the declarations.
pub fn catalog_markdown() -> String {
    let mut out = String::from(
        "# kubeward checks\n\n<!-- Generated from the check declarations by `kubeward::catalog_markdown()`. \
         Regenerate with `UPDATE_GENERATED=1 cargo test -p kubeward --test generated`. -->\n\n",
    );
    let sections = [
        ("pod", "1. Pod security"),
        ("rbac", "2. RBAC"),
        ("network", "3. Network security"),
        ("secrets", "4. Secrets management"),
        ("images", "5. Image security"),
        ("runtime", "6. Runtime security"),
        ("audit", "7. Audit and compliance"),
        ("cluster", "8. Cluster configuration"),
        ("structure", "Manifest structure"),
    ];
    let all: Vec<&CheckMeta> = checks::all_meta().collect();
    out.push_str("| id | severity | items | title |\n| --- | --- | --- | --- |\n");
    for (section, _) in sections {
        for meta in all.iter().filter(|meta| meta.section == section) {
            out.push_str(&format!(
                "| [`{id}`](#{id}) | {severity} | {items} | {title} |\n",
                id = meta.id,
                severity = meta.severity,
                items = item_ids(meta),
                title = meta.title
            ));
        }
    }
    out.push_str("\n## Checklist coverage\n\nWhich checks give evidence for each item of the checklist. Items without checks can only be \
        attested in the configuration (`attestations:`); the scorecard reports them as not assessed until then.\n\n\
        | item | title | evidence | checks |\n| --- | --- | --- | --- |\n");
    for item in checklist() {
        let evidence: Vec<String> = item
            .evidence
            .iter()
            .map(|e| serde_json::to_value(e).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default())
            .collect();
        let checks = if item.checks.is_empty() {
            "attestation only".to_string()
        } else {
            item.checks.iter().map(|c| format!("[`{c}`](#{c})")).collect::<Vec<_>>().join(", ")
        };
        out.push_str(&format!("| {} | {} | {} | {} |\n", item.id, item.title, evidence.join(", "), checks));
    }
    for (section, heading) in sections {
        let in_section: Vec<&&CheckMeta> = all.iter().filter(|meta| meta.section == section).collect();
        if in_section.is_empty() {
            continue;
        }
        out.push_str(&format!("\n## {heading}\n"));
        for meta in in_section {
            let cis = checks::cis(meta.id);
            let cis = if cis.is_empty() {
                String::new()
            } else {
                format!(" · CIS Kubernetes Benchmark: {}", cis.join(", "))
            };
            // One line per item: why the check's findings count against it.
            let reasons: String = if meta.items.is_empty() {
                "\nChecklist items: none (no item's words cover it; its findings do not move the scorecard).\n"
                    .to_string()
            } else {
                let lines: String = meta.items.iter().map(|(item, reason)| format!("- {item}: {reason}\n")).collect();
                format!("\nChecklist items:\n\n{lines}")
            };
            out.push_str(&format!(
                "\n### {id}\n\n**{title}** · severity `{severity}`{cis}\n{reasons}\n{rationale}\n\n**Fix:** {remediation}\n\n**`kubeward fix`:** {automatic}\n\nFlagged:\n\n```yaml\n{fail}```\n\nNot flagged:\n\n```yaml\n{pass}```\n",
                id = meta.id,
                title = meta.title,
                severity = meta.severity,
                rationale = meta.rationale.split_whitespace().collect::<Vec<_>>().join(" "),
                remediation = meta.remediation.split_whitespace().collect::<Vec<_>>().join(" "),
                fail = meta.fail_example,
                pass = meta.pass_example,
                automatic = match fix_class(meta.id) {
                    ("safe", _) => "`safe`, applied by default".to_string(),
                    ("unsafe", _) => "`unsafe`, applied with `--unsafe` after a human look".to_string(),
                    (_, reason) => format!("`none`: {}", reason.unwrap_or_default()),
                },
            ));
        }
    }
    out
}
