//! Scans a generated corpus once and prints the throughput of each stage; used
//! for profiling (`valgrind --tool=callgrind target/release/examples/scan_corpus 2000`)
//! and for the 100,000-object run that criterion's default set leaves out.
//!
//! `scan_corpus [OBJECTS] [THREADS]`: THREADS (default 1) read and parse the files.

use std::time::Instant;

fn main() {
    let mut args = std::env::args().skip(1);
    let objects: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(10_000);
    let threads: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(1);
    let files = kubeward_benches::corpus(objects, 1);
    let bytes: usize = files.iter().map(|f| f.text.len()).sum();
    let mib = bytes as f64 / 1048576.0;
    let sources: Vec<kubeward::Source<'_>> =
        files.iter().map(|f| kubeward::Source::new(&f.name, f.text.as_bytes())).collect();
    let engine = kubeward::Engine::default().with_threads(threads);
    let started = Instant::now();
    let report = engine.scan(&sources);
    let scanned = started.elapsed().as_secs_f64();
    let json = report.to_json();
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "{} objects, {:.2} MiB, {} findings, {} bytes of JSON: scan {:.3} s ({:.1} MiB/s, {:.0} objects/s), \
         scan+json {:.3} s ({:.1} MiB/s)",
        report.documents.len(),
        mib,
        report.findings.len(),
        json.len(),
        scanned,
        mib / scanned,
        report.documents.len() as f64 / scanned,
        seconds,
        mib / seconds,
    );
}
