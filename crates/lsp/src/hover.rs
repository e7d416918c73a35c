//! Hover text: a check's explanation and remediation from the catalog.

use std::collections::HashMap;
use std::sync::OnceLock;

fn catalog() -> &'static HashMap<String, kubeward::CheckInfo> {
    static CATALOG: OnceLock<HashMap<String, kubeward::CheckInfo>> = OnceLock::new();
    CATALOG.get_or_init(|| kubeward::checks().into_iter().map(|check| (check.id.clone(), check)).collect())
}

/// Markdown for a diagnostic of check `id`: the finding, then what the check
/// is about and how to fix it (custom policies have no catalog entry).
pub(crate) fn explain(id: &str, message: &str) -> String {
    let Some(check) = catalog().get(id) else {
        return format!("**{id}**: {message}");
    };
    let mut text = format!("**{}** (`{id}`, {})\n\n{message}\n\n", check.title, check.severity);
    if !check.rationale.is_empty() {
        text.push_str(&format!("**Why:** {}\n\n", check.rationale));
    }
    if !check.remediation.is_empty() {
        text.push_str(&format!("**Fix:** {}\n\n", check.remediation));
    }
    if let Some(link) = crate::diagnostics::check_link(id) {
        text.push_str(&format!("[Documentation]({})", link.as_str()));
    }
    text
}
