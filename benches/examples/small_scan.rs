//! Scans one ~200-line manifest many times (the editor's keystroke case);
//! `small_scan FILE [TIMES]` prints the median time of a scan plus its JSON.
fn main() {
    let mut args = std::env::args().skip(1);
    let path = args.next().expect("usage: small_scan FILE [TIMES]");
    let times: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(200);
    let text = std::fs::read(&path).expect("readable file");
    let engine = kubeward::Engine::default();
    let mut samples = Vec::with_capacity(times);
    let mut findings = 0;
    for _ in 0..times {
        let started = std::time::Instant::now();
        let report = engine.scan(&[kubeward::Source::new("bench.yaml", &text)]);
        let json = report.to_json();
        samples.push(started.elapsed().as_secs_f64() * 1000.0);
        findings = report.findings.len();
        std::hint::black_box(json);
    }
    samples.sort_by(f64::total_cmp);
    println!(
        "{} bytes, {findings} findings: scan + JSON median {:.3} ms over {times} runs",
        text.len(),
        samples[times / 2]
    );
}
