//! The cost of custom policies: the 20 policies of `examples/policies/policies`
//! over a generated corpus, compiled once per engine and evaluated per object.
//!
//! `cargo run --release -p kubeward-benches --features policies --example policy_corpus [OBJECTS] [RUNS]`
//!
//! Prints the time to build the engine (compiling the pack), and the median
//! scan time over RUNS runs (default 5) with and without the policies, on one
//! thread, and the difference per object. For instruction counts, run it under
//! `valgrind --tool=callgrind` with RUNS = 1 and compare the two scans'
//! inclusive counts (`callgrind_annotate`).

use std::path::Path;
use std::time::Instant;

use kubeward::{Config, Engine, Source};

fn median(mut samples: Vec<f64>) -> f64 {
    samples.sort_by(f64::total_cmp);
    samples[samples.len() / 2]
}

fn main() {
    let mut args = std::env::args().skip(1);
    let objects: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(10_000);
    let runs: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(5).max(1);
    let pack = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/policies/policies");
    let mut files: Vec<_> = std::fs::read_dir(&pack).expect("policy pack").map(|e| e.expect("entry").path()).collect();
    files.sort();
    let texts: Vec<(String, Vec<u8>)> =
        files.iter().map(|p| (p.display().to_string(), std::fs::read(p).expect("policy file"))).collect();
    let policies: Vec<Source<'_>> = texts.iter().map(|(name, bytes)| Source::new(name, bytes)).collect();
    let corpus = kubeward_benches::corpus(objects, 1);
    let sources: Vec<Source<'_>> = corpus.iter().map(|f| Source::new(&f.name, f.text.as_bytes())).collect();

    let started = Instant::now();
    let with = Engine::with_policies(Config::default(), &policies).expect("the pack compiles");
    let compile = started.elapsed().as_secs_f64();
    let without = Engine::default();

    let mut plain = Vec::new();
    let mut policed = Vec::new();
    let mut counts = (0, 0, 0);
    for _ in 0..runs {
        let started = Instant::now();
        let report = without.scan(&sources);
        plain.push(started.elapsed().as_secs_f64());
        let started = Instant::now();
        let report_with = with.scan(&sources);
        policed.push(started.elapsed().as_secs_f64());
        counts = (report.documents.len(), report.findings.len(), report_with.findings.len());
    }
    let (plain, policed) = (median(plain), median(policed));
    let (documents, findings, findings_with) = counts;
    println!(
        "{} policies compiled in {:.1} ms; {documents} objects: scan {:.3} s without policies ({findings} findings), \
         {:.3} s with ({findings_with} findings): {:.1} µs more per object (median of {runs})",
        texts
            .iter()
            .map(|(_, t)| String::from_utf8_lossy(t).matches("kind: ValidatingAdmissionPolicy\n").count())
            .sum::<usize>(),
        compile * 1e3,
        plain,
        policed,
        (policed - plain) / documents as f64 * 1e6,
    );
}
