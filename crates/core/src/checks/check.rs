//! How a check is declared, and what it hands back.

use crate::inventory::summary::{Anchor, Place, SetObject};
use crate::inventory::Inventory;
use crate::model::view::View;
use crate::model::{Object, Pod};
use crate::severity::Severity;
use crate::Config;

/// What a check is: its identity, the checklist items it evidences, its
/// documentation and its examples. Declared once, next to the check's logic.
#[derive(Debug, Clone, Copy)]
pub(crate) struct CheckMeta {
    /// Stable kebab-case id, used in ignore annotations and configuration.
    pub id: &'static str,
    pub title: &'static str,
    pub severity: Severity,
    /// The checklist items (`"1.2"`) this check gives evidence against, each
    /// with why, in one line, read against the item's own words.
    pub items: &'static [(&'static str, &'static str)],
    /// Checklist section folder the check lives in (`pod`, `rbac`, ...).
    pub section: &'static str,
    /// Why it matters.
    pub rationale: &'static str,
    /// What to write instead.
    pub remediation: &'static str,
    /// A manifest (set) the check must flag.
    pub fail_example: &'static str,
    /// A manifest (set) the check must not flag.
    pub pass_example: &'static str,
}

/// Where a check looks.
#[derive(Clone, Copy)]
pub(crate) enum Run {
    /// Once for every pod (the pod template of every workload kind).
    Pod(fn(&PodContext<'_, '_>, &mut Sink)),
    /// Once for every evaluated object.
    Object(fn(&ObjectContext<'_, '_>, &mut Sink)),
    /// Once for the whole input set (cross-object checks).
    Set(fn(&SetContext<'_, '_>, &mut SetSink)),
}

/// A check: its metadata and its logic.
#[derive(Clone, Copy)]
pub(crate) struct Check {
    pub meta: CheckMeta,
    pub run: Run,
}

/// What a pod check receives: the object, one of its pods and the configuration.
pub(crate) struct PodContext<'o, 'a> {
    pub object: &'o Object<'a>,
    pub pod: &'o Pod<'a>,
    #[allow(dead_code)] // for checks with settings of their own; none reads it yet
    pub config: &'o Config,
}

impl PodContext<'_, '_> {
    /// How a message names the pod as its subject: the object (`Deployment
    /// "web"`), or `pod template "Worker" of MPIJob "pi"` when the object holds several pods.
    pub(crate) fn subject(&self) -> String {
        crate::model::pod::subject(&self.object.identity, self.pod.name.as_deref())
    }
}

/// What an object check receives.
pub(crate) struct ObjectContext<'o, 'a> {
    pub object: &'o Object<'a>,
    #[allow(dead_code)] // for checks with settings of their own; none reads it yet
    pub config: &'o Config,
}

/// What a set check receives: every evaluated object of the scan, in input
/// order (summaries, and whole objects of the kinds in `read_in_full`).
pub(crate) struct SetContext<'o, 'a> {
    pub objects: &'o [SetObject<'o, 'a>],
    pub config: &'o Config,
    /// Cross-object facts (namespaces, policy selection, the RBAC graph), computed once per scan.
    pub inventory: &'o Inventory<'a>,
    /// The cluster components found in the objects, computed once per scan.
    pub facts: &'o crate::inventory::components::Facts,
    /// Whole objects the scan did not keep, read again from their files.
    pub reread: &'o dyn Reread,
}

/// What a set check that must see whole objects the scan did not keep (a
/// workload's pod spec, say) uses: the engine reads their files again.
pub(crate) trait Reread: Sync {
    /// Calls `judge` on each of `objects` (indices into [`SetContext::objects`]),
    /// on the engine's threads, and returns what it found, in the order of `objects`.
    fn reread(&self, objects: &[usize], judge: &Judge<'_>) -> Vec<(usize, Anchor, String)>;
}

/// A judgement of one whole object: where each of its findings attaches, and its message.
pub(crate) type Judge<'j> = dyn Fn(&Object<'_>) -> Vec<(Anchor, String)> + Sync + 'j;

/// One raw finding, before positions are resolved and ignores applied.
#[derive(Debug, Clone)]
pub(crate) struct RawFinding {
    pub check: &'static CheckMeta,
    pub message: String,
    pub pointer: String,
    pub span: (u32, u32),
    pub container: Option<String>,
    /// Overrides the check's default severity (e.g. a critical instance).
    pub severity: Option<Severity>,
    /// The check's items this finding counts against, when only some of them
    /// apply to it (see [`Sink::count_only_against`]).
    pub items: Option<&'static [&'static str]>,
}

/// Equal findings of the same check (its declaration compared by address).
impl PartialEq for RawFinding {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self.check, other.check)
            && self.span == other.span
            && self.severity == other.severity
            && self.items == other.items
            && self.pointer == other.pointer
            && self.message == other.message
            && self.container == other.container
    }
}

/// Collects the findings of one check run.
pub(crate) struct Sink {
    pub(crate) check: &'static CheckMeta,
    pub(crate) findings: Vec<RawFinding>,
}

impl Sink {
    pub(crate) fn new(check: &'static CheckMeta) -> Self {
        Sink { check, findings: Vec::new() }
    }

    /// Reports a finding at a field (its range, or its nearest existing ancestor's).
    pub(crate) fn report(&mut self, at: &View<'_>, message: impl Into<String>) {
        self.push(at, message.into(), None, None);
    }

    /// Reports a finding about one container.
    pub(crate) fn report_container(&mut self, at: &View<'_>, container: &str, message: impl Into<String>) {
        self.push(at, message.into(), Some(container.to_string()), None);
    }

    /// Reports a finding with a severity other than the check's default.
    pub(crate) fn report_with_severity(
        &mut self,
        at: &View<'_>,
        container: Option<&str>,
        severity: Severity,
        message: impl Into<String>,
    ) {
        self.push(at, message.into(), container.map(str::to_string), Some(severity));
    }

    fn push(&mut self, at: &View<'_>, message: String, container: Option<String>, severity: Option<Severity>) {
        self.findings.push(RawFinding {
            check: self.check,
            message,
            pointer: at.pointer(),
            span: at.span,
            container,
            severity,
            items: None,
        });
    }

    /// Makes the findings reported so far count only against `items` (some of
    /// the check's): for a check whose items apply to some objects only.
    pub(crate) fn count_only_against(&mut self, items: &'static [&'static str]) {
        for finding in &mut self.findings {
            finding.items = Some(items);
        }
    }
}

/// Collects the findings of a set check, each attached to one object.
pub(crate) struct SetSink {
    pub(crate) check: &'static CheckMeta,
    pub(crate) findings: Vec<(usize, RawFinding)>,
}

impl SetSink {
    pub(crate) fn new(check: &'static CheckMeta) -> Self {
        SetSink { check, findings: Vec::new() }
    }

    /// Reports a finding attached to `objects[object]`, at a field of that object.
    pub(crate) fn report(&mut self, object: usize, at: &impl Place, message: impl Into<String>) {
        self.report_with_severity(object, at, None, message);
    }

    /// Reports a finding with a severity other than the check's default.
    pub(crate) fn report_with_severity(
        &mut self,
        object: usize,
        at: &impl Place,
        severity: Option<Severity>,
        message: impl Into<String>,
    ) {
        self.findings.push((
            object,
            RawFinding {
                check: self.check,
                message: message.into(),
                pointer: at.pointer(),
                span: at.span(),
                container: None,
                severity,
                items: None,
            },
        ));
    }
}
