//! Scans a generated corpus once and prints the throughput; used for profiling
//! (`valgrind --tool=callgrind target/release/examples/scan_corpus 2000`).

use std::time::Instant;

fn main() {
    let objects: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(10_000);
    let files = kubeward_benches::corpus(objects, 1);
    let bytes: usize = files.iter().map(|f| f.text.len()).sum();
    let sources: Vec<kubeward::Source<'_>> =
        files.iter().map(|f| kubeward::Source::new(&f.name, f.text.as_bytes())).collect();
    let engine = kubeward::Engine::default();
    let started = Instant::now();
    let report = engine.scan(&sources);
    let json = report.to_json();
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "{} objects, {:.2} MiB, {} findings, {} bytes of JSON: {:.3} s, {:.1} MiB/s, {:.0} objects/s",
        report.documents.len(),
        bytes as f64 / 1048576.0,
        report.findings.len(),
        json.len(),
        seconds,
        bytes as f64 / 1048576.0 / seconds,
        report.documents.len() as f64 / seconds
    );
}
