//! The engine: configuration checked once, then pure, deterministic scans.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use crate::checks::{
    self, Check, CheckMeta, Judge, ObjectContext, PodContext, RawFinding, Reread, Run, SetContext, SetSink, Sink,
};
use crate::config::{glob_match, Config, ConfigError};
use crate::inputs::{fingerprint, Held, Inputs, OnDemand};
use crate::inventory::Inventory;
use crate::model::object::{identity, objects_of, NotAnObject, ObjectNode};
use crate::model::summary::{self, Anchor, PssJudgement, SetObject};
use crate::model::view::{ObjectTree, View};
use crate::model::{is_known_kind, Identity, Object, Pod};
use crate::position::LineIndex;
use crate::pss::{object_entry, PssLevel, PssReport, PssVersion};
use crate::report::{
    DocumentEntry, DocumentStatus, Finding, InputError, ObjectRef, Report, Summary, Suppression, Tool, SCHEMA_VERSION,
};
use crate::scorecard::InputFacts;
use crate::yaml::{document_ranges, load_document_at, load_documents, LoadedDocument, Tree};

/// One input file: a name for the report and its bytes.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct Source<'a> {
    /// The name findings carry (a path, `-` for standard input, an editor's buffer name).
    pub name: &'a str,
    /// The file's bytes; need not be valid UTF-8 (bad documents become errors).
    pub content: &'a [u8],
}

impl<'a> Source<'a> {
    /// A named input.
    pub fn new(name: &'a str, content: &'a [u8]) -> Self {
        Source { name, content }
    }
}

/// The policy engine. Build it once; scan as often as you like, from any thread.
///
/// ```
/// use kubeward::{Engine, Source};
/// let engine = Engine::default();
/// let manifest = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: app\n    image: nginx\n    securityContext:\n      privileged: true\n";
/// let report = engine.scan(&[Source::new("pod.yaml", manifest.as_bytes())]);
/// let finding = report.findings.iter().find(|f| f.check == "no-privileged").unwrap();
/// assert_eq!((finding.range.start.line, finding.range.start.column), (10, 7));
/// ```
#[derive(Debug, Clone)]
pub struct Engine {
    config: Config,
    active: Vec<(&'static Check, bool, crate::Severity)>,
    /// Every check's checklist items, made once and shared by its findings.
    items: HashMap<&'static str, Arc<[String]>>,
    /// The enabled checks of every checklist item, for the scorecard.
    item_checks: Vec<Vec<String>>,
    threads: usize,
}

fn items_of(meta: &CheckMeta) -> Arc<[String]> {
    meta.items.iter().map(|item| item.to_string()).collect()
}

impl Default for Engine {
    fn default() -> Self {
        Engine::new(Config::default()).unwrap_or_else(|_| unreachable!("the default configuration is valid"))
    }
}

/// Can this target run threads? WebAssembly (without its threads proposal)
/// cannot, so its builds leave the threaded paths out altogether.
pub(crate) const THREADS: bool = !cfg!(target_family = "wasm");

/// A file and its documents, read once per scan.
struct LoadedFile<'s> {
    name: &'s str,
    bytes: &'s [u8],
    lines: LineIndex,
    documents: Result<Vec<LoadedDocument>, crate::yaml::LoadError>,
}

/// An object to evaluate and where it comes from.
struct Slot<'t> {
    file: usize,
    document: usize,
    /// The document's text, as a byte range of the file.
    text: (u32, u32),
    node: ObjectNode,
    identity: Identity,
    tree: &'t Tree,
}

/// What one file adds to a report: its documents and input errors, and the objects to evaluate.
struct Accounted<'t> {
    documents: Vec<DocumentEntry>,
    errors: Vec<InputError>,
    slots: Vec<Slot<'t>>,
}

/// Everything learnt about one object while scanning, before positions are resolved.
struct Evaluated {
    file: usize,
    document: usize,
    /// The document's text, as a byte range of the file (to read it again).
    text: (u32, u32),
    item: Option<usize>,
    identity: Identity,
    findings: Vec<RawFinding>,
    ignores: Vec<InlineIgnore>,
}

/// One file after its objects have been checked: its line table for positions,
/// its documents and errors, its objects, and the trees the set checks read.
struct ScannedFile<'n> {
    /// The file's name and line table (its text goes with its trees).
    file: FileLines<'n>,
    documents: Vec<DocumentEntry>,
    errors: Vec<InputError>,
    /// Each object, with its tree (an index into `kept_trees`) and node when it is kept.
    objects: Vec<(CheckedObject, Option<(usize, ObjectNode)>)>,
    kept_trees: Vec<Tree>,
}

/// What a scan keeps of a file to place its findings: its name and line table,
/// and, for a file read on demand, a fingerprint to tell whether it changed
/// before it was read again.
struct FileLines<'n> {
    name: &'n str,
    lines: LineIndex,
    fingerprint: Option<u64>,
}

/// One object after its own checks: what they found, and its summary.
struct CheckedObject {
    evaluated: Evaluated,
    summary: summary::Summary,
}

/// Reads again, for a set check, whole objects whose trees a scan dropped.
struct Rereader<'e, I> {
    engine: &'e Engine,
    inputs: &'e I,
    files: &'e [FileLines<'e>],
    /// Where each object is (file, document, item).
    evaluated: &'e [Evaluated],
    summaries: &'e [summary::Summary],
    /// Invalid fields found by the reads, per object.
    invalid: std::sync::Mutex<Vec<(usize, RawFinding)>>,
}

impl<I: Inputs> Reread for Rereader<'_, I> {
    fn reread(&self, objects: &[usize], judge: &Judge<'_>) -> Vec<(usize, Anchor, String)> {
        let mut by_file: Vec<(usize, Vec<usize>)> = Vec::new();
        for &object in objects {
            let Some(place) = self.evaluated.get(object) else { continue };
            match by_file.last_mut() {
                Some((file, list)) if *file == place.file => list.push(object),
                _ => by_file.push((place.file, vec![object])),
            }
        }
        let found = self.engine.parallel_map(by_file, |(file, objects)| {
            let mut found = Vec::new();
            let mut invalid = Vec::new();
            let (Some(lines), Ok(bytes)) = (self.files.get(file), self.inputs.bytes(file)) else {
                return (found, invalid);
            };
            if lines.fingerprint.is_some_and(|seen| seen != fingerprint(&bytes)) {
                return (found, invalid); // changed since the scan: reported when its findings are placed
            }
            // Objects come in scan order, so the items of one List are read one after another.
            let mut document: Option<(usize, Tree, Vec<ObjectNode>)> = None;
            for object in objects {
                let (Some(place), Some(summary)) = (self.evaluated.get(object), self.summaries.get(object)) else {
                    continue;
                };
                if document.as_ref().is_none_or(|(index, _, _)| *index != place.document) {
                    document = load_document_at(&bytes, place.text, &self.engine.config.limits).and_then(|tree| {
                        let nodes = objects_of(&tree).ok()?;
                        Some((place.document, tree, nodes))
                    });
                }
                let Some((_, tree, nodes)) = &document else { continue };
                // A List's items come in order: item N is the Nth object (without a quadratic search).
                let Some(node) = nodes.get(place.item.unwrap_or(0)).filter(|node| node.item == place.item) else {
                    continue;
                };
                let object_tree = ObjectTree::new(tree);
                let model = self.engine.model(node, summary.identity.clone(), &object_tree, lines.name);
                if let Some((at, message)) = judge(&model) {
                    found.push((object, at, message));
                }
                drop(model);
                invalid
                    .extend(checks::structure::invalid_fields(&object_tree).into_iter().map(|field| (object, field)));
            }
            (found, invalid)
        });
        let mut all = Vec::new();
        let mut invalid_fields = self.invalid.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        for (found, invalid) in found {
            all.extend(found);
            invalid_fields.extend(invalid);
        }
        all
    }
}

/// Adds an invalid field read by a set check, unless the object's own checks
/// already recorded that field (the first reading wins, as within one object).
fn add_invalid_field(findings: &mut Vec<RawFinding>, field: RawFinding) {
    if !findings.iter().any(|seen| std::ptr::eq(seen.check, field.check) && seen.pointer == field.pointer) {
        findings.push(field);
    }
}

/// One entry of a `kubeward.io/ignore` annotation.
#[derive(Debug, Clone)]
struct InlineIgnore {
    check: String,
    container: Option<String>,
    expires: Option<String>,
    reason: String,
}

const IGNORE_ANNOTATION: &str = "kubeward.io/ignore";
const IGNORE_REASON_ANNOTATION: &str = "kubeward.io/ignore-reason";

impl Engine {
    /// Validates the configuration and builds an engine.
    pub fn new(config: Config) -> Result<Engine, ConfigError> {
        config.validate(|id| checks::find(id).is_some())?;
        let active = checks::all()
            .iter()
            .map(|&check| {
                let (enabled, severity) = config.check_settings(check.meta.id, check.meta.severity);
                (check, enabled, severity)
            })
            .collect();
        let items = checks::all_meta().map(|meta| (meta.id, items_of(meta))).collect();
        let item_checks = crate::scorecard::enabled_checks_by_item(&config);
        Ok(Engine { config, active, items, item_checks, threads: 1 })
    }

    /// Reads and parses the files of a scan on up to `threads` threads (1, the
    /// default, reads them on the calling thread; 0 means one per available core).
    /// The report is the same, byte for byte, whatever the number of threads.
    ///
    /// ```
    /// use kubeward::{Engine, Source};
    /// let text = b"apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\nspec:\n  containers:\n  - name: c\n    image: nginx\n";
    /// let files = [Source::new("a.yaml", text), Source::new("b.yaml", text)];
    /// let sequential = Engine::default().scan(&files).to_json();
    /// assert_eq!(Engine::default().with_threads(4).scan(&files).to_json(), sequential);
    /// ```
    #[must_use]
    pub fn with_threads(mut self, threads: usize) -> Engine {
        self.threads = if threads == 0 { std::thread::available_parallelism().map_or(1, usize::from) } else { threads };
        self
    }

    /// `f` applied to each of `count` files, on the engine's threads; the results
    /// come back in file order, so the outcome does not depend on the number of
    /// threads. Files are handed out one at a time as threads come free.
    fn each_file<T: Send>(&self, count: usize, f: impl Fn(usize) -> T + Sync) -> Vec<T> {
        let threads = self.threads.min(count);
        if !THREADS || threads <= 1 {
            return (0..count).map(f).collect();
        }
        let next = std::sync::atomic::AtomicUsize::new(0);
        let work = || {
            let mut done = Vec::new();
            loop {
                let file = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                if file >= count {
                    return done;
                }
                done.push((file, f(file)));
            }
        };
        let mut results: Vec<Option<T>> = (0..count).map(|_| None).collect();
        std::thread::scope(|scope| {
            let handles: Vec<_> = (0..threads).map(|_| scope.spawn(work)).collect();
            for handle in handles {
                for (file, result) in handle.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)) {
                    results[file] = Some(result);
                }
            }
        });
        results.into_iter().flatten().collect()
    }

    /// Reads a YAML or JSON configuration and builds an engine.
    pub fn from_config_text(text: &str) -> Result<Engine, ConfigError> {
        Engine::new(Config::from_text(text)?)
    }

    /// The configuration in force.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Scans a set of files together. The report does not depend on the order of
    /// `sources`: files are reported in name order.
    ///
    /// Each file is read, its objects checked one by one and summarized for the
    /// cross-object checks, and its trees dropped, on the engine's threads; only
    /// the documents of the kinds the cross-object checks read in full are kept
    /// until they have run. Memory so follows the input, the largest file's trees,
    /// the summaries and the findings; [`Engine::scan_files`] does not hold the
    /// input either.
    pub fn scan(&self, sources: &[Source<'_>]) -> Report {
        self.scan_inputs(&Held::sorted(sources))
    }

    /// Scans files that are read only when needed: `read(i)` gives the bytes of
    /// `names[i]`. A file is read when a thread comes to it and dropped once its
    /// objects are checked, so memory holds a file per thread, not the whole
    /// input; a file with many non-ASCII characters (more than one byte in 32
    /// continuing one) is read again to place its findings, since columns count
    /// characters, and any file may be read again for the cross-object checks.
    /// The report is the one [`Engine::scan`] gives for the same files, in name
    /// order (equal names keep the order given). A file that cannot be read is
    /// an input error; so is one whose bytes changed between two reads (its
    /// findings are then placed in its new content).
    ///
    /// ```
    /// use kubeward::{Engine, Source};
    /// let text = b"apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\nspec:\n  containers:\n  - name: c\n    image: nginx\n";
    /// let report = Engine::default().scan_files(&["a.yaml"], |_| Ok(text.to_vec()));
    /// assert_eq!(report.to_json(), Engine::default().scan(&[Source::new("a.yaml", text)]).to_json());
    /// ```
    pub fn scan_files<R>(&self, names: &[&str], read: R) -> Report
    where
        R: Fn(usize) -> std::io::Result<Vec<u8>> + Sync,
    {
        self.scan_inputs(&OnDemand::sorted(names, read))
    }

    fn scan_inputs<I: Inputs>(&self, inputs: &I) -> Report {
        let mut report = self.empty_report();
        let count = inputs.count();
        let foreseen = self.foresee_enforcement(inputs);
        let scanned = self.each_file(count, |index| {
            let name = inputs.name(index);
            match inputs.bytes(index) {
                Ok(bytes) => {
                    let mut scanned = self.scan_file(index, (name, &bytes), count, &foreseen);
                    scanned.file.fingerprint = inputs.rereads().then(|| fingerprint(&bytes));
                    scanned
                }
                Err(message) => ScannedFile {
                    file: FileLines { name, lines: LineIndex::new(&[]), fingerprint: None },
                    documents: Vec::new(),
                    errors: vec![InputError { file: name.into(), document: None, range: origin(), message }],
                    objects: Vec::new(),
                    kept_trees: Vec::new(),
                },
            }
        });
        // Sized once: these lists hold an entry per object of the input.
        let objects = scanned.iter().map(|file| file.objects.len()).sum();
        report.documents.reserve_exact(scanned.iter().map(|file| file.documents.len()).sum());
        let mut files = Vec::with_capacity(scanned.len());
        let mut evaluated = Vec::with_capacity(objects);
        let mut summaries = Vec::with_capacity(objects);
        let mut kept_trees = Vec::with_capacity(scanned.iter().map(|file| file.kept_trees.len()).sum());
        let mut kept = Vec::new();
        for file in scanned {
            report.documents.extend(file.documents);
            report.errors.extend(file.errors);
            for (object, kept_node) in file.objects {
                if let Some((tree, node)) = kept_node {
                    kept.push((evaluated.len(), kept_trees.len() + tree, node));
                }
                evaluated.push(object.evaluated);
                summaries.push(object.summary);
            }
            kept_trees.extend(file.kept_trees);
            files.push(file.file);
        }
        let facts = crate::components::Facts::of(&summaries);
        report.inventory = crate::ClusterInventory::from_facts(&facts);
        let has_pods = summaries.iter().any(|summary| summary.pod.is_some());
        let (set_findings, invalid) =
            self.run_set_checks(inputs, &files, &evaluated, &summaries, (&kept_trees, &kept), &facts);
        drop(kept_trees);
        for (object, finding) in set_findings {
            if let Some(object) = evaluated.get_mut(object) {
                object.findings.push(finding);
            }
        }
        for (object, field) in invalid {
            if let Some(object) = evaluated.get_mut(object) {
                add_invalid_field(&mut object.findings, field);
            }
        }
        for (object, summary) in evaluated.iter_mut().zip(summaries) {
            object.identity = summary.identity;
        }
        self.place_findings(inputs, &files, evaluated, &mut report);
        report.summary = summarize(&report, count);
        let facts = InputFacts::gather(&report.documents, &report.inventory, has_pods);
        report.scorecard =
            crate::scorecard::score(&report.findings, &facts, &report.inventory, &self.config, &self.item_checks);
        report
    }

    /// Resolves the findings of every object (positions, severities,
    /// suppressions, order, limit) into `report`, a batch of files at a time on
    /// the engine's threads, each file's bytes had again for the columns.
    fn place_findings<I: Inputs>(
        &self,
        inputs: &I,
        files: &[FileLines<'_>],
        evaluated: Vec<Evaluated>,
        report: &mut Report,
    ) {
        // The findings are the largest part of a report: room for all of them is
        // taken once (an object reports at most its limit plus one), and they are
        // resolved a batch at a time, so that none is held twice.
        let most = self.config.limits.max_findings_per_object as usize + 1;
        report.findings.reserve_exact(evaluated.iter().map(|object| object.findings.len().min(most)).sum());
        const BATCH: usize = 4096;
        let mut evaluated = evaluated.into_iter().peekable();
        loop {
            let mut batch: Vec<(usize, Vec<Evaluated>)> = Vec::new();
            let mut size = 0;
            while size < BATCH {
                let Some(file) = evaluated.peek().map(|object| object.file) else { break };
                let objects: Vec<Evaluated> =
                    std::iter::from_fn(|| evaluated.next_if(|object| object.file == file)).collect();
                size += objects.len();
                batch.push((file, objects));
            }
            if batch.is_empty() {
                break;
            }
            let placed = self.parallel_map(batch, |(file, objects)| {
                let Some(lines) = files.get(file) else { return (Vec::new(), None) };
                // A file read on demand is not read again when its line table places every offset
                // by itself (an ASCII file, or one with few non-ASCII characters).
                let (bytes, problem) = if inputs.rereads() && !lines.lines.needs_bytes() {
                    (Cow::Borrowed(&[][..]), None)
                } else {
                    match inputs.bytes(file) {
                        Ok(bytes) if lines.fingerprint.is_none_or(|seen| seen == fingerprint(&bytes)) => (bytes, None),
                        Ok(bytes) => (
                            bytes,
                            Some(
                                "file changed while it was scanned: its findings are placed in its new content".into(),
                            ),
                        ),
                        Err(message) => {
                            (Cow::Borrowed(&[][..]), Some(format!("{message} (again, to place its findings)")))
                        }
                    }
                };
                // A changed file gets a line table of its own: the old one does not fit its bytes.
                let fresh = problem.as_ref().map(|_| LineIndex::new(&bytes));
                let table = fresh.as_ref().unwrap_or(&lines.lines);
                let name: Arc<str> = lines.name.into();
                // Sized once (an object reports at most its limit plus one): collecting the
                // objects' findings one by one would grow the list, copying it, many times.
                let mut findings: Vec<Finding> =
                    Vec::with_capacity(objects.iter().map(|object| object.findings.len().min(most)).sum());
                for object in objects {
                    findings.extend(self.resolve_findings(object, &name, table, &bytes));
                }
                let error = problem.map(|message| InputError {
                    file: lines.name.into(),
                    document: None,
                    range: origin(),
                    message,
                });
                (findings, error)
            });
            for (findings, error) in placed {
                report.findings.extend(findings);
                report.errors.extend(error);
            }
        }
    }

    /// Reads one file, checks each of its objects and summarizes it, and keeps
    /// the trees of the documents the set checks read in full. With fewer files
    /// than threads, the objects of the file are checked on the engine's threads.
    fn scan_file<'n>(
        &self,
        index: usize,
        (name, bytes): (&'n str, &[u8]),
        files: usize,
        foreseen: &HashMap<String, (PssLevel, PssVersion)>,
    ) -> ScannedFile<'n> {
        let mut file = self.load_file(&Source::new(name, bytes));
        let mut part = Accounted { documents: Vec::new(), errors: Vec::new(), slots: Vec::new() };
        self.account_file(index, &file, &mut part);
        let Accounted { documents, errors, slots } = part;
        let check = |slot: Slot<'_>| {
            let object_tree = ObjectTree::new(slot.tree);
            let object = self.model(&slot.node, slot.identity, &object_tree, file.name);
            let components = crate::components::components_of(&object);
            let mut findings = self.evaluate(&object);
            let mut summary = summary::Summary::of(&object, components);
            if let Some(pod) = &mut summary.pod {
                let namespace = object.identity.namespace.as_deref().unwrap_or("default");
                pod.pss = foreseen.get(namespace).map(|&(level, version)| PssJudgement {
                    at: (level, version),
                    finding: checks::pod::pss_namespace_enforcement::judge(&object, level, version),
                });
            }
            let ignores = read_inline_ignores(&object);
            drop(object);
            findings.extend(checks::structure::invalid_fields(&object_tree));
            findings.extend(checks::structure::duplicate_keys(
                slot.tree,
                slot.node.node,
                &slot.node.pointer,
                slot.node.span,
            ));
            // Kept until the end of the scan: without the slack of its growth.
            let findings = if findings.capacity() > findings.len() {
                let mut exact = Vec::with_capacity(findings.len());
                exact.extend(findings);
                exact
            } else {
                findings
            };
            let evaluated = Evaluated {
                file: index,
                document: slot.document,
                text: slot.text,
                item: slot.node.item,
                identity: Identity::default(),
                findings,
                ignores,
            };
            let kept = summary::read_in_full(&summary.identity).then_some((slot.document, slot.node));
            (CheckedObject { evaluated, summary }, kept)
        };
        let checked: Vec<_> = if files < self.threads && slots.len() > 1 {
            self.parallel_map(slots, check)
        } else {
            slots.into_iter().map(check).collect()
        };
        // The documents to keep, and where each kept object's tree lands among them.
        let mut kept_trees = Vec::new();
        let mut tree_of_document: Vec<Option<usize>> = Vec::new();
        if let Ok(loaded) = &mut file.documents {
            let mut wanted = vec![false; loaded.len()];
            for (document, _) in checked.iter().filter_map(|(_, kept)| kept.as_ref()) {
                if let Some(flag) = wanted.get_mut(*document) {
                    *flag = true;
                }
            }
            tree_of_document = vec![None; loaded.len()];
            for document in std::mem::take(loaded) {
                if let (Some(true), Ok(tree)) = (wanted.get(document.index).copied(), document.tree) {
                    tree_of_document[document.index] = Some(kept_trees.len());
                    kept_trees.push(tree);
                }
            }
        }
        let objects = checked
            .into_iter()
            .map(|(object, kept)| {
                let kept =
                    kept.and_then(|(document, node)| Some((tree_of_document.get(document).copied().flatten()?, node)));
                (object, kept)
            })
            .collect();
        let file = FileLines { name, lines: file.lines, fingerprint: None };
        ScannedFile { file, documents, errors, objects, kept_trees }
    }

    /// The Pod Security level and version each Namespace of the input enforces,
    /// foreseen before the scan from the only documents that can set one (those
    /// that name the `enforce` label), so that workloads are judged against it
    /// while their trees are there. Only levels other than privileged are kept,
    /// and none when the check is off. A foresight saves work and nothing more:
    /// `pss-namespace-enforcement` reads again every pod it foresaw wrongly.
    fn foresee_enforcement(&self, inputs: &impl Inputs) -> HashMap<String, (PssLevel, PssVersion)> {
        const LABEL: &[u8] = b"pod-security.kubernetes.io/enforce";
        if !self.active.iter().any(|(check, enabled, _)| *enabled && check.meta.id == "pss-namespace-enforcement") {
            return HashMap::new();
        }
        let limits = &self.config.limits;
        // One searcher for every file and document: building one costs more than searching a document.
        let label = memchr::memmem::Finder::new(LABEL);
        let per_file = self.each_file(inputs.count(), |file| {
            let mut found = Vec::new();
            let Ok(bytes) = inputs.bytes(file) else { return found };
            if label.find(&bytes).is_none() {
                return found;
            }
            for range in document_ranges(&bytes, limits) {
                let text = bytes.get(range.0 as usize..range.1 as usize).unwrap_or_default();
                if label.find(text).is_none() {
                    continue;
                }
                let Some(tree) = load_document_at(&bytes, range, limits) else { continue };
                for node in objects_of(&tree).unwrap_or_default() {
                    let identity = identity(&tree, node.node);
                    let object_tree = ObjectTree::new(&tree);
                    let root = View::root(&object_tree, node.node, node.pointer, node.span);
                    if let Some((name, at)) = checks::pod::pss_namespace_enforcement::enforcement(&identity, &root) {
                        found.push((name.to_string(), at));
                    }
                }
            }
            found
        });
        // The last declaration of a name wins, as in the check.
        let mut foreseen: HashMap<String, (PssLevel, PssVersion)> = per_file.into_iter().flatten().collect();
        foreseen.retain(|_, (level, _)| *level != PssLevel::Privileged);
        foreseen
    }

    /// Runs the set checks over the summaries of every object and the kept
    /// objects in full; returns their findings and the invalid fields their reads found.
    #[allow(clippy::type_complexity)]
    fn run_set_checks<I: Inputs>(
        &self,
        inputs: &I,
        files: &[FileLines<'_>],
        evaluated: &[Evaluated],
        summaries: &[summary::Summary],
        (kept_trees, kept): (&[Tree], &[(usize, usize, ObjectNode)]),
        facts: &crate::components::Facts,
    ) -> (Vec<(usize, RawFinding)>, Vec<(usize, RawFinding)>) {
        let object_trees: Vec<ObjectTree<'_>> =
            kept.iter().map(|&(_, tree, _)| ObjectTree::new(&kept_trees[tree])).collect();
        let mut objects: Vec<SetObject<'_, '_>> = summaries
            .iter()
            .zip(evaluated)
            .map(|(summary, object)| SetObject {
                summary,
                file: files.get(object.file).map_or("", |file| file.name),
                document: object.document,
                full: None,
            })
            .collect();
        for ((object, _, node), object_tree) in kept.iter().zip(&object_trees) {
            if let Some(entry) = objects.get_mut(*object) {
                entry.full = Some(Box::new(self.model(node, entry.summary.identity.clone(), object_tree, entry.file)));
            }
        }
        let inventory = Inventory::build(&objects);
        let reread =
            Rereader { engine: self, inputs, files, evaluated, summaries, invalid: std::sync::Mutex::default() };
        let mut findings = Vec::new();
        for &(check, enabled, _) in &self.active {
            if let (true, Run::Set(run)) = (enabled, check.run) {
                let mut sink = SetSink::new(&check.meta);
                let context = SetContext {
                    objects: &objects,
                    config: &self.config,
                    inventory: &inventory,
                    facts,
                    reread: &reread,
                };
                run(&context, &mut sink);
                findings.extend(sink.findings);
            }
        }
        drop(inventory);
        drop(objects);
        let mut invalid = reread.invalid.into_inner().unwrap_or_else(|poisoned| poisoned.into_inner());
        for ((object, _, _), object_tree) in kept.iter().zip(&object_trees) {
            invalid.extend(checks::structure::invalid_fields(object_tree).into_iter().map(|field| (*object, field)));
        }
        (findings, invalid)
    }

    /// `f` applied to every item, on up to `self.threads` threads, each taking a
    /// contiguous run of items; the results come back in the order of `items`.
    fn parallel_map<T: Send, R: Send>(&self, items: Vec<T>, f: impl Fn(T) -> R + Sync) -> Vec<R> {
        let threads = self.threads.min(items.len());
        if !THREADS || threads <= 1 {
            return items.into_iter().map(f).collect();
        }
        let share = items.len().div_ceil(threads);
        let mut chunks: Vec<Vec<T>> = Vec::with_capacity(threads);
        let mut items = items.into_iter();
        loop {
            let chunk: Vec<T> = items.by_ref().take(share).collect();
            if chunk.is_empty() {
                break;
            }
            chunks.push(chunk);
        }
        let f = &f;
        std::thread::scope(|scope| {
            let handles: Vec<_> = chunks
                .into_iter()
                .map(|chunk| scope.spawn(move || chunk.into_iter().map(f).collect::<Vec<R>>()))
                .collect();
            handles
                .into_iter()
                .flat_map(|handle| handle.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)))
                .collect()
        })
    }

    /// Does the object belong to a production namespace? A Namespace object is judged by its own name.
    fn is_production(&self, identity: &Identity) -> bool {
        let namespace = if identity.kind == "Namespace" && identity.api_version == "v1" {
            identity.name.as_deref()
        } else {
            identity.namespace.as_deref()
        };
        self.config.production.is_production(namespace)
    }

    /// Evaluates every object of the input against a Pod Security Standards
    /// level and version, exactly as the Kubernetes Pod Security Admission
    /// reference would. Objects that hold no pod are listed as not applicable;
    /// input that cannot be read is listed in `errors`. Like [`Engine::scan`],
    /// the result does not depend on the order of `sources`.
    ///
    /// ```
    /// use kubeward::{Engine, PssLevel, PssVersion, Source};
    /// let manifest = b"apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n      - name: app\n        image: nginx\n        ports:\n        - containerPort: 80\n          hostPort: 80\n";
    /// let report = Engine::default().pss(&[Source::new("web.yaml", manifest)], PssLevel::Baseline, PssVersion::LATEST);
    /// let web = &report.objects[0];
    /// assert!(web.applicable && !web.allowed);
    /// let violation = &web.violations[0];
    /// assert_eq!(violation.check, "hostPorts");
    /// assert_eq!(violation.path, "/spec/template/spec/containers/0/ports/0/hostPort");
    /// assert_eq!((violation.range.start.line, violation.range.start.column), (13, 11));
    /// ```
    pub fn pss(&self, sources: &[Source<'_>], level: PssLevel, version: PssVersion) -> PssReport {
        let files = self.load_sorted(sources);
        let mut accounted = self.empty_report();
        let slots = self.account(&files, &mut accounted);
        let mut pss = PssReport::new(level, version);
        let mut slots = slots.iter();
        for document in &accounted.documents {
            let object_ref = |identity: &Identity| ObjectRef {
                api_version: identity.api_version.clone(),
                kind: identity.kind.clone(),
                namespace: identity.namespace.clone(),
                name: identity.name.clone(),
            };
            match document.status {
                DocumentStatus::Evaluated => {
                    let Some(slot) = slots.next() else { break };
                    let Some(file) = files.get(slot.file) else { continue };
                    let range = |start: u32, end: u32| file.lines.range(file.bytes, start, end);
                    let tree = ObjectTree::new(slot.tree);
                    let root = View::root(&tree, slot.node.node, slot.node.pointer.clone(), slot.node.span);
                    let pod = Pod::of(&root, &slot.identity.api_version, &slot.identity.kind);
                    pss.objects.push(object_entry(
                        file.name,
                        slot.document,
                        slot.node.item,
                        object_ref(&slot.identity),
                        pod.as_ref(),
                        (level, version),
                        &range,
                    ));
                }
                DocumentStatus::Skipped if document.kind.is_some() => {
                    let identity = Identity {
                        api_version: document.api_version.clone().unwrap_or_default(),
                        kind: document.kind.clone().unwrap_or_default(),
                        namespace: document.namespace.clone(),
                        name: document.name.clone(),
                    };
                    pss.objects.push(object_entry(
                        &document.file,
                        document.index,
                        document.item,
                        object_ref(&identity),
                        None,
                        (level, version),
                        &|_, _| document.range,
                    ));
                }
                _ => {}
            }
        }
        pss.errors = accounted.errors;
        pss
    }

    /// The input files in name order (then content, for equal names), read and parsed.
    fn load_sorted<'s>(&self, sources: &[Source<'s>]) -> Vec<LoadedFile<'s>> {
        let held = Held::sorted(sources);
        self.each_file(held.sources.len(), |file| self.load_file(held.sources[file]))
    }

    /// Puts every document of every file in `report`, and returns the objects to evaluate.
    /// Files are accounted for on the engine's threads, and their parts joined in file order.
    fn account<'t>(&self, files: &'t [LoadedFile<'_>], report: &mut Report) -> Vec<Slot<'t>> {
        let parts = self.parallel_map(files.iter().enumerate().collect(), |(file_index, file)| {
            let mut part = Accounted { documents: Vec::new(), errors: Vec::new(), slots: Vec::new() };
            self.account_file(file_index, file, &mut part);
            part
        });
        report.documents.reserve(parts.iter().map(|part| part.documents.len()).sum());
        let mut slots = Vec::with_capacity(parts.iter().map(|part| part.slots.len()).sum());
        for part in parts {
            report.documents.extend(part.documents);
            report.errors.extend(part.errors);
            slots.extend(part.slots);
        }
        slots
    }

    fn empty_report(&self) -> Report {
        Report {
            tool: Tool::default(),
            schema_version: SCHEMA_VERSION.into(),
            documents: Vec::new(),
            findings: Vec::new(),
            errors: Vec::new(),
            summary: Summary::default(),
            scorecard: crate::scorecard::Scorecard::pending(),
            inventory: crate::ClusterInventory::default(),
        }
    }

    /// Loads `sources` as [`Engine::scan`] does and hands the evaluated objects to `f`,
    /// with a function that turns an object's byte span into a range in its file.
    pub(crate) fn with_objects<R>(
        &self,
        sources: &[Source<'_>],
        f: impl FnOnce(&[Object<'_>], &dyn Fn(usize, (u32, u32)) -> Option<crate::Range>) -> R,
    ) -> R {
        let mut report = self.empty_report();
        let files = self.load_sorted(sources);
        let slots = self.account(&files, &mut report);
        let object_trees: Vec<ObjectTree<'_>> = slots.iter().map(|slot| ObjectTree::new(slot.tree)).collect();
        let objects = self.objects(&slots, &object_trees, &files);
        let range = |object: usize, (start, end): (u32, u32)| {
            slots.get(object).and_then(|slot| files.get(slot.file)).map(|file| file.lines.range(file.bytes, start, end))
        };
        f(&objects, &range)
    }

    /// Benchmarking aid: reads and parses `sources` as a scan does (line tables
    /// and YAML trees) and returns how many documents they hold. Not a stable API.
    #[doc(hidden)]
    pub fn bench_load(&self, sources: &[Source<'_>]) -> usize {
        self.each_file(sources.len(), |file| self.load_file(&sources[file]))
            .iter()
            .map(|file| file.documents.as_ref().map_or(0, Vec::len))
            .sum()
    }

    /// Benchmarking aid: loads `sources` and builds the object model (identities,
    /// views, pods) as a scan does, without running checks; returns the number of
    /// objects. Not a stable API.
    #[doc(hidden)]
    pub fn bench_model(&self, sources: &[Source<'_>]) -> usize {
        self.with_objects(sources, |objects, _| objects.len())
    }

    /// The model of every evaluated object.
    fn objects<'a>(
        &self,
        slots: &[Slot<'a>],
        trees: &'a [ObjectTree<'a>],
        files: &[LoadedFile<'a>],
    ) -> Vec<Object<'a>> {
        slots.iter().zip(trees).map(|(slot, object_tree)| self.object(slot, object_tree, files)).collect()
    }

    /// The model of one evaluated object, read through `object_tree`.
    fn object<'a>(&self, slot: &Slot<'_>, object_tree: &'a ObjectTree<'a>, files: &[LoadedFile<'a>]) -> Object<'a> {
        let file = files.get(slot.file).map_or("", |file| file.name);
        self.model(&slot.node, slot.identity.clone(), object_tree, file)
    }

    /// The model of the object at `node`, read through `object_tree`.
    fn model<'a>(
        &self,
        node: &ObjectNode,
        identity: Identity,
        object_tree: &'a ObjectTree<'a>,
        file: &'a str,
    ) -> Object<'a> {
        let root = View::root(object_tree, node.node, node.pointer.clone(), node.span);
        let production = self.is_production(&identity);
        Object::new(root, identity, production, file)
    }

    /// Scans one text (one file).
    pub fn scan_text(&self, name: &str, text: &str) -> Report {
        self.scan(&[Source::new(name, text.as_bytes())])
    }

    fn load_file<'s>(&self, source: &Source<'s>) -> LoadedFile<'s> {
        // A refused file's error is at offset 0: indexing its lines would only cost time.
        let refused = crate::yaml::refuses_file(source.content.len(), &self.config.limits);
        LoadedFile {
            name: source.name,
            bytes: source.content,
            lines: LineIndex::new(if refused { &[] } else { source.content }),
            documents: load_documents(source.content, &self.config.limits),
        }
    }

    /// Puts every document of a file in the report, and every object to evaluate in `slots`.
    fn account_file<'t>(&self, file_index: usize, file: &'t LoadedFile<'_>, part: &mut Accounted<'t>) {
        let Accounted { documents: entries, errors, slots } = part;
        let bytes = file.bytes;
        let name = file.name;
        let range = |start: u32, end: u32| file.lines.range(bytes, start, end);
        let documents = match &file.documents {
            Ok(documents) => documents,
            Err(error) => {
                let at = range(error.offset, error.offset);
                errors.push(InputError {
                    file: name.into(),
                    document: None,
                    range: at,
                    message: error.message.clone(),
                });
                entries.push(document_entry(
                    name,
                    0,
                    None,
                    at,
                    None,
                    None,
                    DocumentStatus::Error,
                    Some(error.message.clone()),
                ));
                return;
            }
        };
        if documents.is_empty() {
            let reason = if bytes.iter().all(u8::is_ascii_whitespace) {
                "file is empty"
            } else {
                "file holds no YAML document (only comments)"
            };
            entries.push(document_entry(
                name,
                0,
                None,
                range(0, bytes.len() as u32),
                None,
                None,
                DocumentStatus::Skipped,
                Some(format!("{reason}: no Kubernetes objects")),
            ));
            return;
        }
        for document in documents {
            let helm = document.helm_source.clone();
            let tree = match &document.tree {
                Ok(tree) => tree,
                Err(error) => {
                    let at = range(error.offset, error.offset);
                    errors.push(InputError {
                        file: name.into(),
                        document: Some(document.index),
                        range: at,
                        message: error.message.clone(),
                    });
                    entries.push(document_entry(
                        name,
                        document.index,
                        None,
                        range(document.start, document.end),
                        None,
                        helm,
                        DocumentStatus::Error,
                        Some(error.message.clone()),
                    ));
                    continue;
                }
            };
            let objects = match objects_of(tree) {
                Ok(objects) => objects,
                Err(not_an_object) => {
                    let root = tree.raw(tree.root);
                    let at = range(root.start, root.end);
                    let (status, reason) = match not_an_object {
                        NotAnObject::NotAMapping(found) => {
                            let message = format!("document is a {found}, not a Kubernetes object");
                            errors.push(InputError {
                                file: name.into(),
                                document: Some(document.index),
                                range: at,
                                message: message.clone(),
                            });
                            (DocumentStatus::Error, message)
                        }
                        NotAnObject::EmptyList => (DocumentStatus::Skipped, "List has no items".to_string()),
                    };
                    entries.push(document_entry(name, document.index, None, at, None, helm, status, Some(reason)));
                    continue;
                }
            };
            for object in objects {
                let identity = identity(tree, object.node);
                let at = range(object.span.0, object.span.1);
                let (status, reason) = self.classify(tree, &object, &identity);
                if status == DocumentStatus::Error {
                    let message = reason.clone().unwrap_or_default();
                    errors.push(InputError { file: name.into(), document: Some(document.index), range: at, message });
                }
                entries.push(document_entry(
                    name,
                    document.index,
                    object.item,
                    at,
                    Some(&identity),
                    helm.clone(),
                    status,
                    reason,
                ));
                if status == DocumentStatus::Evaluated {
                    slots.push(Slot {
                        file: file_index,
                        document: document.index,
                        text: (document.start, document.end),
                        node: object,
                        identity,
                        tree,
                    });
                }
            }
        }
    }

    fn classify(&self, tree: &Tree, object: &ObjectNode, identity: &Identity) -> (DocumentStatus, Option<String>) {
        if !tree.is_map(object.node) {
            return (
                DocumentStatus::Error,
                Some(format!("list item is a {}, not a Kubernetes object", tree.type_name(object.node))),
            );
        }
        match (identity.api_version.is_empty(), identity.kind.is_empty()) {
            (true, true) => return (DocumentStatus::Error, Some("object has no apiVersion and no kind".into())),
            (true, false) => return (DocumentStatus::Error, Some("object has no apiVersion".into())),
            (false, true) => return (DocumentStatus::Error, Some("object has no kind".into())),
            _ => {}
        }
        if is_known_kind(&identity.api_version, &identity.kind) {
            (DocumentStatus::Evaluated, None)
        } else {
            (
                DocumentStatus::Skipped,
                Some(format!("kind {} ({}) is not one kubeward checks", identity.kind, identity.api_version)),
            )
        }
    }

    /// Runs the per-object and per-pod checks on one object.
    fn evaluate(&self, object: &Object<'_>) -> Vec<RawFinding> {
        let mut findings = Vec::new();
        for &(check, enabled, _) in &self.active {
            if !enabled {
                continue;
            }
            let mut sink = Sink::new(&check.meta);
            match check.run {
                Run::Object(run) => run(&ObjectContext { object, config: &self.config }, &mut sink),
                Run::Pod(run) => {
                    if let Some(pod) = &object.pod {
                        run(&PodContext { object, pod, config: &self.config }, &mut sink);
                    }
                }
                Run::Set(_) => {}
            }
            findings.extend(sink.findings);
        }
        findings
    }

    /// The findings of one object as the report gives them: enabled, with their
    /// severity, suppression and range, in position order, within the per-object limit.
    fn resolve_findings(&self, object: Evaluated, file: &Arc<str>, lines: &LineIndex, bytes: &[u8]) -> Vec<Finding> {
        let range = |start: u32, end: u32| lines.range(bytes, start, end);
        let Identity { api_version, kind, namespace, name } = object.identity;
        let object_ref = Arc::new(ObjectRef { api_version, kind, namespace, name });
        let mut findings: Vec<Finding> = Vec::with_capacity(object.findings.len());
        for raw in object.findings {
            let (enabled, configured) = self.config.check_settings(raw.check.id, raw.check.severity);
            if !enabled {
                continue;
            }
            // A check that raises one instance's severity keeps it unless the user overrode the check.
            let severity = match (self.config.checks.get(raw.check.id).and_then(|c| c.severity), raw.severity) {
                (Some(overridden), _) => overridden,
                (None, Some(instance)) => instance,
                (None, None) => configured,
            };
            let suppressed = self.suppression(&object_ref, &object.ignores, raw.check.id, raw.container.as_deref());
            findings.push(Finding {
                check: raw.check.id.to_string(),
                severity,
                message: raw.message,
                items: self.items.get(raw.check.id).cloned().unwrap_or_else(|| items_of(raw.check)),
                object: Arc::clone(&object_ref),
                file: Arc::clone(file),
                document: object.document,
                item: object.item,
                path: raw.pointer,
                range: range(raw.span.0, raw.span.1),
                container: raw.container,
                suppressed: suppressed.map(Box::new),
            });
        }
        findings.sort_by(|a, b| {
            (a.range.start.offset, a.range.end.offset, &a.check, &a.path, &a.message).cmp(&(
                b.range.start.offset,
                b.range.end.offset,
                &b.check,
                &b.path,
                &b.message,
            ))
        });
        findings.dedup();
        let limit = self.config.limits.max_findings_per_object as usize;
        if findings.len() > limit {
            let dropped = findings.len() - limit;
            findings.truncate(limit);
            if let Some(last) = findings.last().cloned() {
                findings.push(Finding {
                    check: "too-many-findings".into(),
                    severity: crate::Severity::Info,
                    message: format!(
                        "{dropped} more findings on this object were not reported (limits.maxFindingsPerObject)"
                    ),
                    items: Arc::new([]),
                    suppressed: None,
                    container: None,
                    ..last
                });
            }
        }
        findings
    }

    fn suppression(
        &self,
        object: &ObjectRef,
        inline: &[InlineIgnore],
        check: &str,
        container: Option<&str>,
    ) -> Option<Suppression> {
        let today = self.config.today.as_deref();
        let current = |expires: &Option<String>| match (expires, today) {
            (Some(expires), Some(today)) => today <= expires.as_str(),
            _ => true,
        };
        let container_matches = |wanted: &Option<String>| match wanted {
            None => true,
            Some(wanted) => container == Some(wanted.as_str()),
        };
        for ignore in &self.config.ignores {
            let matches = ignore.check == check
                && ignore.kind.as_deref().is_none_or(|kind| kind == object.kind)
                && ignore
                    .namespace
                    .as_deref()
                    .is_none_or(|p| glob_match(p, object.namespace.as_deref().unwrap_or("default")))
                && ignore
                    .name
                    .as_deref()
                    .is_none_or(|p| object.name.as_deref().is_some_and(|name| glob_match(p, name)))
                && container_matches(&ignore.container)
                && current(&ignore.expires);
            if matches {
                return Some(Suppression {
                    by: "config".into(),
                    reason: ignore.reason.clone(),
                    expires: ignore.expires.clone(),
                });
            }
        }
        if self.config.allow_inline_ignores == Some(false) {
            return None;
        }
        inline
            .iter()
            .find(|ignore| ignore.check == check && container_matches(&ignore.container) && current(&ignore.expires))
            .map(|ignore| Suppression {
                by: "annotation".into(),
                reason: ignore.reason.clone(),
                expires: ignore.expires.clone(),
            })
    }
}

/// Reads `kubeward.io/ignore: "check[:container][@YYYY-MM-DD], ..."` from the
/// object's metadata and, for workloads, from the pod template's.
fn read_inline_ignores(object: &Object<'_>) -> Vec<InlineIgnore> {
    let mut metadatas = vec![object.root.get("metadata")];
    if let Some(pod) = &object.pod {
        metadatas.push(pod.metadata.clone());
    }
    let mut ignores = Vec::new();
    for metadata in metadatas {
        let annotations = metadata.get("annotations");
        let Some(list) = annotations.get(IGNORE_ANNOTATION).str().present() else {
            continue;
        };
        let reason = annotations
            .get(IGNORE_REASON_ANNOTATION)
            .str()
            .present()
            .map_or_else(|| "no reason given (kubeward.io/ignore-reason is missing)".to_string(), str::to_string);
        for entry in list.split(',').map(str::trim).filter(|entry| !entry.is_empty()) {
            let (entry, expires) = match entry.split_once('@') {
                Some((entry, date)) => (entry, Some(date.trim().to_string())),
                None => (entry, None),
            };
            let (check, container) = match entry.split_once(':') {
                Some((check, container)) => (check.trim(), Some(container.trim().to_string())),
                None => (entry.trim(), None),
            };
            ignores.push(InlineIgnore { check: check.to_string(), container, expires, reason: reason.clone() });
        }
    }
    ignores
}

#[allow(clippy::too_many_arguments)]
fn document_entry(
    file: &str,
    index: usize,
    item: Option<usize>,
    range: crate::Range,
    identity: Option<&Identity>,
    helm_source: Option<String>,
    status: DocumentStatus,
    reason: Option<String>,
) -> DocumentEntry {
    let non_empty = |s: &String| if s.is_empty() { None } else { Some(s.clone()) };
    DocumentEntry {
        file: file.into(),
        index,
        item,
        range,
        api_version: identity.and_then(|i| non_empty(&i.api_version)),
        kind: identity.and_then(|i| non_empty(&i.kind)),
        namespace: identity.and_then(|i| i.namespace.clone()),
        name: identity.and_then(|i| i.name.clone()),
        helm_source,
        status,
        reason,
    }
}

fn summarize(report: &Report, files: usize) -> Summary {
    let mut documents = BTreeMap::new();
    for status in [DocumentStatus::Evaluated, DocumentStatus::Skipped, DocumentStatus::Error] {
        documents.insert(status, 0);
    }
    for document in &report.documents {
        *documents.entry(document.status).or_insert(0) += 1;
    }
    let mut findings = BTreeMap::new();
    for severity in crate::Severity::ALL {
        findings.insert(severity, 0);
    }
    for finding in report.active_findings() {
        *findings.entry(finding.severity).or_insert(0) += 1;
    }
    Summary {
        files,
        documents,
        findings,
        suppressed: report.findings.iter().filter(|f| f.suppressed.is_some()).count(),
        errors: report.errors.len(),
    }
}

/// Line 1, column 1: where an error about a whole file is reported.
fn origin() -> crate::Range {
    let start = crate::Position { line: 1, column: 1, offset: 0 };
    crate::Range { start, end: start }
}
