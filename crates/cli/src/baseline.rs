//! Baselines: the findings a repository accepted when it adopted kubeward
//! (`scan --write-baseline FILE`), reported as baselined by later runs
//! (`scan --baseline FILE`). See docs/cli.md and schemas/baseline.schema.json.

use std::collections::BTreeMap;

use kubeward::{Finding, Report};
use serde::{Deserialize, Serialize};

/// The JSON Schema of a baseline file (a copy is checked in as schemas/baseline.schema.json).
pub(crate) const SCHEMA: &str = include_str!("baseline.schema.json");

/// The version of the format.
const VERSION: u32 = 1;

/// One accepted finding: matched by everything but `file` (and never by line).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct Entry {
    pub check: String,
    pub api_version: String,
    pub kind: String,
    #[serde(default)]
    pub namespace: Option<String>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub container: Option<String>,
    pub path: String,
    /// Where the finding was; informative.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
}

impl Entry {
    fn of(finding: &Finding) -> Entry {
        Entry {
            check: finding.check.clone(),
            api_version: finding.object.api_version.clone(),
            kind: finding.object.kind.clone(),
            namespace: finding.object.namespace.clone(),
            name: finding.object.name.clone(),
            container: finding.container.clone(),
            path: finding.path.clone(),
            file: Some(finding.file.to_string()),
        }
    }

    /// What an entry is matched by.
    fn key(&self) -> Entry {
        Entry { file: None, ..self.clone() }
    }

    /// `Kind namespace/name check (container) path`, for the list of fixed entries.
    pub(crate) fn describe(&self) -> String {
        let name = self.name.as_deref().unwrap_or("(unnamed)");
        let object = match &self.namespace {
            Some(namespace) => format!("{} {namespace}/{name}", self.kind),
            None => format!("{} {name}", self.kind),
        };
        let container = self.container.as_deref().map(|c| format!(" container \"{c}\"")).unwrap_or_default();
        format!("{object}: {}{container} at {}", self.check, self.path)
    }
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct File {
    kubeward_baseline: u32,
    findings: Vec<Entry>,
}

/// A baseline read from its file.
pub(crate) struct Baseline {
    name: String,
    entries: Vec<Entry>,
}

impl Baseline {
    /// Reads and checks a baseline file.
    pub(crate) fn read(path: &str) -> Result<Baseline, String> {
        let text = std::fs::read_to_string(path).map_err(|error| format!("cannot read baseline {path}: {error}"))?;
        let file: File = serde_json::from_str(&text).map_err(|error| format!("{path}: not a baseline: {error}"))?;
        if file.kubeward_baseline != VERSION {
            return Err(format!("{path}: baseline version {} (this kubeward reads {VERSION})", file.kubeward_baseline));
        }
        Ok(Baseline { name: path.to_string(), entries: file.findings })
    }

    /// Marks the findings the baseline lists as baselined (suppressed `by:
    /// baseline`); returns how many, and the entries no finding matched (fixed).
    pub(crate) fn apply(&self, report: &mut Report) -> (usize, Vec<Entry>) {
        let mut remaining: BTreeMap<Entry, Vec<&Entry>> = BTreeMap::new();
        for entry in &self.entries {
            remaining.entry(entry.key()).or_default().push(entry);
        }
        let matched: Vec<usize> = report
            .findings
            .iter()
            .enumerate()
            .filter(|(_, finding)| finding.suppressed.is_none())
            .filter_map(|(index, finding)| {
                let left = remaining.get_mut(&Entry::of(finding).key())?;
                left.pop().map(|_| index)
            })
            .collect();
        let reason = format!("in the baseline {}", self.name);
        for &index in &matched {
            report.suppress_finding(index, "baseline", &reason);
        }
        let fixed = remaining.into_values().flatten().cloned().collect();
        (matched.len(), fixed)
    }
}

/// Writes the findings that count, and those an earlier baseline accepted, as a baseline.
pub(crate) fn write(path: &str, report: &Report) -> std::io::Result<()> {
    let mut findings: Vec<Entry> = report
        .findings
        .iter()
        .filter(|finding| finding.suppressed.as_ref().is_none_or(|s| s.by == "baseline"))
        .map(Entry::of)
        .collect();
    findings.sort();
    let file = File { kubeward_baseline: VERSION, findings };
    let mut text = serde_json::to_string_pretty(&file).map_err(std::io::Error::other)?;
    text.push('\n');
    std::fs::write(path, text)
}
