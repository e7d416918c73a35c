//! The engine: configuration checked once, then pure, deterministic scans.
//!
//! A scan runs these stages, one module each, in this order:
//! - [`read`]: where the files come from, and each file read into documents;
//! - [`layout`]: what the files say about each other (the namespaces and
//!   inputs kustomizations name), read before the objects are;
//! - [`foresight`]: the Pod Security level each namespace enforces, foreseen
//!   before the objects are checked;
//! - [`account`]: every document accounted for (evaluated, skipped with a
//!   reason, or an input error), and the objects to evaluate;
//! - [`evaluate`]: each object's own checks, and its summary for the next stage;
//! - [`copies`]: byte-identical copies of an object folded into one;
//! - [`cross_object`]: the set checks over every object's summary;
//! - [`place`]: findings given their ranges, severities and order;
//! - [`suppress`]: exemptions from the configuration and annotations;
//! - [`summarize`]: the counts and the checklist scorecard.
//!
//! [`reuse`] runs the same stages sharing with the last scan of the same files
//! what did not change ([`Engine::scan_by_file`]).
//!
//! [`reviews`] holds the two other ways in: the Pod Security evaluation and the
//! RBAC review.

mod account;
mod copies;
mod cross_object;
mod evaluate;
mod fixes;
mod foresight;
mod layout;
mod place;
mod policies;
mod read;
mod reuse;
mod reviews;
mod summarize;

pub use fixes::FixOutcome;
mod suppress;

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::Arc;

use crate::checks::{self, Check, CheckMeta};
use crate::config::{Config, ConfigError};
use crate::model::view::ObjectTree;
use crate::model::Object;
use crate::report::{Report, ReportByFile, Summary, Tool, SCHEMA_VERSION};
use evaluate::{FileBody, FileLines, ScannedFile};
use read::{fingerprint, Held, Inputs, OnDemand};
pub use reuse::ScanCache;

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
    /// The custom policies, compiled.
    #[cfg(feature = "policies")]
    policies: Option<Arc<crate::policy::PolicySet>>,
}

fn items_of(meta: &CheckMeta) -> Arc<[String]> {
    meta.items.iter().map(|(item, _)| item.to_string()).collect()
}

impl Default for Engine {
    fn default() -> Self {
        Engine::new(Config::default()).unwrap_or_else(|_| unreachable!("the default configuration is valid"))
    }
}

impl Engine {
    /// Validates the configuration and builds an engine.
    ///
    /// A configuration that names policy files (`policies`) needs their text:
    /// see [`Engine::with_policies`].
    pub fn new(config: Config) -> Result<Engine, ConfigError> {
        if !config.policies.is_empty() {
            return Err(ConfigError::new(
                "the configuration names policy files (`policies`): build the engine with their text (Engine::with_policies)",
            ));
        }
        Engine::build(config, &[])
    }

    /// Validates the configuration, compiles the custom policies of `policies`
    /// (files of ValidatingAdmissionPolicies, their bindings and parameter
    /// objects; see docs/policies.md) and builds an engine. Every expression is
    /// compiled and checked now: a problem is an error with its file, line and
    /// column. The configuration's `policies` paths are taken to be these files.
    ///
    /// ```
    /// # #[cfg(feature = "policies")] {
    /// use kubeward::{Config, Engine, Source};
    /// let policy = "apiVersion: admissionregistration.k8s.io/v1
    /// kind: ValidatingAdmissionPolicy
    /// metadata:
    ///   name: replica-limit
    /// spec:
    ///   matchConstraints:
    ///     resourceRules:
    ///     - apiGroups: [apps]
    ///       apiVersions: [v1]
    ///       operations: [CREATE, UPDATE]
    ///       resources: [deployments]
    ///   validations:
    ///   - expression: object.spec.replicas <= 5
    ///     message: at most 5 replicas
    /// ";
    /// let engine = Engine::with_policies(Config::default(), &[Source::new("policies.yaml", policy.as_bytes())]).unwrap();
    /// let manifest = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 9\n";
    /// let report = engine.scan(&[Source::new("web.yaml", manifest.as_bytes())]);
    /// let finding = report.findings.iter().find(|f| f.check == "replica-limit").unwrap();
    /// assert_eq!((finding.range.start.line, finding.range.start.column), (6, 3));
    /// assert_eq!(finding.message, "at most 5 replicas");
    /// # }
    /// ```
    ///
    /// Without the `policies` feature, any policy file is an error.
    pub fn with_policies(config: Config, policies: &[Source<'_>]) -> Result<Engine, ConfigError> {
        if policies.is_empty() && !config.policies.is_empty() {
            return Err(ConfigError::new("the configuration names policy files (`policies`), but none were given"));
        }
        Engine::build(config, policies)
    }

    fn build(config: Config, policies: &[Source<'_>]) -> Result<Engine, ConfigError> {
        #[cfg(not(feature = "policies"))]
        if !policies.is_empty() || config.input_policies == Some(true) {
            return Err(ConfigError::new("custom policies need kubeward built with the `policies` feature"));
        }
        let mut engine = Engine {
            config,
            active: Vec::new(),
            items: HashMap::new(),
            item_checks: Vec::new(),
            threads: 1,
            #[cfg(feature = "policies")]
            policies: None,
        };
        #[cfg(feature = "policies")]
        engine.compile_policies(policies)?;
        let names = engine.policy_names();
        if let Some(name) = names.iter().find(|name| checks::find(name).is_some()) {
            return Err(ConfigError::new(format!(
                "policy `{name}` has the name of a built-in check; rename the policy (its name is its check id)"
            )));
        }
        let config = &engine.config;
        config.validate(|id| checks::find(id).is_some() || names.iter().any(|name| name == id))?;
        let active = checks::all()
            .iter()
            .map(|&check| {
                let (enabled, severity) = config.check_settings(check.meta.id, check.meta.severity);
                (check, enabled, severity)
            })
            .collect();
        let items = checks::all_meta().map(|meta| (meta.id, items_of(meta))).collect();
        let mut item_checks = crate::scorecard::enabled_checks_by_item(config);
        for (name, items) in engine.policy_items() {
            if let Some(item) = items.iter().find(|item| crate::checklist::item(item).is_none()) {
                return Err(ConfigError::new(format!(
                    "policy `{name}`: unknown checklist item `{item}` in its kubeward.io/items annotation"
                )));
            }
            if config.check_settings(&name, crate::Severity::High).0 {
                crate::scorecard::add_policy_items(&mut item_checks, &name, &items);
            }
        }
        engine.active = active;
        engine.items = items;
        engine.item_checks = item_checks;
        Ok(engine)
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

    /// Sets today's date (YYYY-MM-DD), against which exemption expiry dates are
    /// compared, unless the configuration sets `today`. The engine never reads
    /// the clock: each door passes its own (see [`date_of_unix_time`](crate::date_of_unix_time)).
    pub fn with_today(mut self, today: &str) -> Engine {
        if self.config.today.is_none() {
            self.config.today = Some(today.to_string());
        }
        self
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

    /// Scans as [`Engine::scan`] does (the report is the same), reusing what
    /// `cache` kept of the previous scan's files: see [`Engine::scan_by_file`],
    /// of which this is the report joined into one.
    ///
    /// ```
    /// use kubeward::{Engine, ScanCache, Source};
    /// let engine = Engine::default();
    /// let mut cache = ScanCache::default();
    /// let pod = b"apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\nspec:\n  hostPID: true\n";
    /// let service = b"apiVersion: v1\nkind: Service\nmetadata:\n  name: s\n";
    /// let files = [Source::new("pod.yaml", pod), Source::new("service.yaml", service)];
    /// let first = engine.scan_reusing(&files, &mut cache);
    /// assert_eq!(first.to_json(), engine.scan(&files).to_json());
    /// let edited = [Source::new("pod.yaml", b"apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n"), files[1]];
    /// assert_eq!(engine.scan_reusing(&edited, &mut cache).to_json(), engine.scan(&edited).to_json());
    /// ```
    pub fn scan_reusing(&self, sources: &[Source<'_>], cache: &mut ScanCache) -> Report {
        self.scan_by_file(sources, cache).into_report()
    }

    /// Scans as [`Engine::scan`] does, for an editor that scans a workspace
    /// again after each edit, and gives the report file by file
    /// ([`ReportByFile::into_report`] joins it into [`Engine::scan`]'s).
    ///
    /// `cache` keeps what each scan learnt of its files for the next: a file
    /// whose name, bytes and place in the layout are unchanged is not read or
    /// checked again, and when the cross-object checks found the same in it,
    /// its [`FileResults`](crate::FileResults) are those of the last scan, shared (`Arc::ptr_eq`
    /// tells an editor which files it need not look at again). The
    /// cross-object checks and the summary run over every file each time. The
    /// cache belongs to this engine.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use kubeward::{Engine, ScanCache, Source};
    /// let engine = Engine::default();
    /// let mut cache = ScanCache::default();
    /// let pod = b"apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\nspec:\n  hostPID: true\n";
    /// let service = b"apiVersion: v1\nkind: Service\nmetadata:\n  name: s\n";
    /// let first = engine.scan_by_file(&[Source::new("pod.yaml", pod), Source::new("service.yaml", service)], &mut cache);
    /// let edited = b"apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n";
    /// let second = engine.scan_by_file(&[Source::new("pod.yaml", edited), Source::new("service.yaml", service)], &mut cache);
    /// assert!(!Arc::ptr_eq(&first.files[0].findings, &second.files[0].findings));
    /// assert!(Arc::ptr_eq(&first.files[1].findings, &second.files[1].findings));
    /// ```
    pub fn scan_by_file(&self, sources: &[Source<'_>], cache: &mut ScanCache) -> ReportByFile {
        self.scan_reusing_inputs(&Held::sorted(sources), cache)
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

    /// The stages of a scan, in order (see the module's documentation).
    fn scan_inputs<I: Inputs>(&self, inputs: &I) -> Report {
        let mut report = self.empty_report();
        let count = inputs.count();
        let (foreseen, policy_errors) = self.foresee(inputs);
        report.errors.extend(policy_errors);
        // Read, account for and evaluate each file, on the engine's threads.
        let mut scanned = self.each_file(count, |index| {
            let name = inputs.name(index);
            match inputs.bytes(index) {
                Ok(bytes) => {
                    let fingerprint = inputs.rereads().then(|| fingerprint(&bytes));
                    self.scan_file(index, (name, &bytes), count, &foreseen, fingerprint)
                }
                Err(message) => ScannedFile::unreadable(name, message),
            }
        });
        copies::fold(&mut scanned);
        // Sized once: these lists hold an entry per object of the input.
        let objects = scanned.iter().map(|file| file.body.objects.len()).sum();
        report.documents.reserve_exact(scanned.iter().map(|file| file.body.documents.len()).sum());
        let mut files = Vec::with_capacity(scanned.len());
        let mut evaluated = Vec::with_capacity(objects);
        let mut summaries = Vec::with_capacity(objects);
        let mut kept_trees = Vec::with_capacity(scanned.iter().map(|file| file.kept_trees.len()).sum());
        let mut kept = Vec::new();
        for file in scanned {
            // Not shared (a plain scan keeps nothing for the next), so taken without a copy.
            let FileBody { lines, fingerprint, documents, errors, objects } = Arc::unwrap_or_clone(file.body);
            report.documents.extend(documents);
            report.errors.extend(errors);
            for (object, kept_node) in objects.into_iter().zip(file.kept.into_iter().chain(std::iter::repeat(None))) {
                if let Some((tree, node)) = kept_node {
                    kept.push((evaluated.len(), kept_trees.len() + tree, node));
                }
                evaluated.push(object.evaluated);
                summaries.push(object.summary);
            }
            kept_trees.extend(file.kept_trees);
            files.push(FileLines { name: file.name, lines: Cow::Owned(lines), fingerprint });
        }
        // The cross-object checks, over every object's summary.
        let facts = crate::inventory::components::Facts::of(&summaries, self.config.scope);
        report.inventory = crate::ClusterInventory::from_facts(&facts);
        let (set_findings, invalid, input_facts) =
            self.run_set_checks(inputs, &files, &evaluated, &summaries, (&kept_trees, &kept), &facts);
        drop(kept_trees);
        for (object, finding) in set_findings {
            if let Some(object) = evaluated.get_mut(object) {
                object.findings.push(finding);
            }
        }
        for (object, field) in invalid {
            if let Some(object) = evaluated.get_mut(object) {
                cross_object::add_invalid_field(&mut object.findings, field);
            }
        }
        for (object, summary) in evaluated.iter_mut().zip(summaries) {
            object.identity = summary.identity;
        }
        self.place_findings(inputs, &files, evaluated, &mut report);
        report.findings.extend(self.configuration_findings());
        (report.summary, report.scorecard) = self.summarize(
            count,
            (&report.documents, &report.findings, report.errors.len()),
            &report.inventory,
            input_facts,
        );
        report
    }

    /// What a scan knows before it checks objects, and the custom policies' errors.
    fn foresee<I: Inputs>(&self, inputs: &I) -> (foresight::Foreseen, Vec<crate::InputError>) {
        let (scene, policy_errors) = self.foresee_policies(inputs);
        let foreseen = foresight::Foreseen {
            layout: self.foresee_layout(inputs),
            enforcement: self.foresee_enforcement(inputs),
            scene,
        };
        (foreseen, policy_errors)
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

    /// `f` applied to each of `count` files, on the engine's threads; the results
    /// come back in file order, so the outcome does not depend on the number of threads.
    fn each_file<T: Send>(&self, count: usize, f: impl Fn(usize) -> T + Sync) -> Vec<T> {
        crate::parallel::each_index(self.threads, count, f)
    }

    /// `f` applied to every item, on the engine's threads; the results come back
    /// in the order of `items`.
    fn parallel_map<T: Send, R: Send>(&self, items: Vec<T>, f: impl Fn(T) -> R + Sync) -> Vec<R> {
        crate::parallel::map_in_runs(self.threads, items, f)
    }

    /// Scans one text (one file).
    pub fn scan_text(&self, name: &str, text: &str) -> Report {
        self.scan(&[Source::new(name, text.as_bytes())])
    }
}
