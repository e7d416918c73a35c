//! The scanning thread: scans run off the message loop, and a scan whose
//! group has changed since it was asked for is dropped, before or after it runs.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crossbeam_channel::{Receiver, Sender};

use crate::diagnostics;
use crate::text::Encoding;

/// A scan to run: every file of one group, as the server holds them now.
pub(crate) struct Job {
    pub(crate) group: u64,
    pub(crate) generation: u64,
    /// The group's current generation: the job is outdated once it moves on.
    pub(crate) current: Arc<AtomicU64>,
    pub(crate) engine: Arc<kubeward::Engine>,
    pub(crate) files: Arc<BTreeMap<PathBuf, Arc<str>>>,
    pub(crate) encoding: Encoding,
}

/// A finished scan: the new diagnostics of the group's files whose
/// diagnostics changed since its last scan, with the text they were placed in.
pub(crate) struct Done {
    pub(crate) group: u64,
    pub(crate) generation: u64,
    pub(crate) diagnostics: Vec<diagnostics::Changed>,
    pub(crate) elapsed: Duration,
}

/// Runs jobs until `jobs` closes.
pub(crate) fn run(jobs: Receiver<Job>, done: Sender<Done>) {
    // Per group: what its last scan gave each file.
    let mut caches: HashMap<u64, Caches> = HashMap::new();
    while let Ok(first) = jobs.recv() {
        // Only the newest job of each group counts.
        let mut newest: Vec<Job> = vec![first];
        while let Ok(job) = jobs.try_recv() {
            newest.retain(|kept| kept.group != job.group);
            newest.push(job);
        }
        for job in newest {
            if job.current.load(Ordering::SeqCst) != job.generation {
                continue;
            }
            let started = Instant::now();
            let caches = caches.entry(job.group).or_insert_with(|| Caches::new(&job.engine));
            if !Arc::ptr_eq(&caches.engine, &job.engine) {
                *caches = Caches::new(&job.engine);
            }
            // Sent even when outdated while it ran: the diagnostics of the files
            // whose text it saw are still those of their text (see `Server::finished`).
            let diagnostics = scan(&job, caches);
            let elapsed = started.elapsed();
            if done.send(Done { group: job.group, generation: job.generation, diagnostics, elapsed }).is_err() {
                return;
            }
            caches.diagnostics.release();
        }
    }
}

/// What the last scan of a group kept, for the next (with the engine it was made with).
pub(crate) struct Caches {
    engine: Arc<kubeward::Engine>,
    scan: kubeward::ScanCache,
    diagnostics: diagnostics::Cache,
}

impl Caches {
    pub(crate) fn new(engine: &Arc<kubeward::Engine>) -> Caches {
        Caches {
            engine: engine.clone(),
            scan: kubeward::ScanCache::default(),
            diagnostics: diagnostics::Cache::default(),
        }
    }
}

/// Scans a job's files together, reusing the work of the group's last scan
/// on the files that did not change, and places the diagnostics.
pub(crate) fn scan(job: &Job, caches: &mut Caches) -> Vec<diagnostics::Changed> {
    let sources: Vec<kubeward::Source<'_>> = job
        .files
        .iter()
        .filter_map(|(path, text)| Some(kubeward::Source::new(path.to_str()?, text.as_bytes())))
        .collect();
    let started = Instant::now();
    let report = job.engine.scan_by_file(&sources, &mut caches.scan);
    let scanned = started.elapsed();
    let diagnostics = diagnostics::of_report(report, &job.files, job.encoding, &mut caches.diagnostics);
    crate::server::log_debug(&format!("scan {scanned:?}, diagnostics {:?}", started.elapsed() - scanned));
    diagnostics
}
