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
    /// Checklist items the check gives evidence for.
    pub items: Vec<String>,
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
}

impl From<&CheckMeta> for CheckInfo {
    fn from(meta: &CheckMeta) -> Self {
        CheckInfo {
            id: meta.id.into(),
            title: meta.title.into(),
            severity: meta.severity,
            items: meta.items.iter().map(|item| item.to_string()).collect(),
            section: meta.section.into(),
            rationale: meta.rationale.into(),
            remediation: meta.remediation.into(),
            fail_example: meta.fail_example.into(),
            pass_example: meta.pass_example.into(),
            cis: checks::cis(meta.id).iter().map(|control| control.to_string()).collect(),
        }
    }
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
    let mut items = if meta.items.is_empty() { "none".to_string() } else { meta.items.join(", ") };
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
                items = meta.items.join(", "),
                title = meta.title
            ));
        }
    }
    for (section, heading) in sections {
        let in_section: Vec<&&CheckMeta> = all.iter().filter(|meta| meta.section == section).collect();
        if in_section.is_empty() {
            continue;
        }
        out.push_str(&format!("\n## {heading}\n"));
        for meta in in_section {
            let items = if meta.items.is_empty() { "none".to_string() } else { meta.items.join(", ") };
            let cis = checks::cis(meta.id);
            let items =
                if cis.is_empty() { items } else { format!("{items} · CIS Kubernetes Benchmark: {}", cis.join(", ")) };
            out.push_str(&format!(
                "\n### {id}\n\n**{title}** · severity `{severity}` · checklist items: {items}\n\n{rationale}\n\n**Fix:** {remediation}\n\nFlagged:\n\n```yaml\n{fail}```\n\nNot flagged:\n\n```yaml\n{pass}```\n",
                id = meta.id,
                title = meta.title,
                severity = meta.severity,
                rationale = meta.rationale.split_whitespace().collect::<Vec<_>>().join(" "),
                remediation = meta.remediation.split_whitespace().collect::<Vec<_>>().join(" "),
                fail = meta.fail_example,
                pass = meta.pass_example,
            ));
        }
    }
    out
}
