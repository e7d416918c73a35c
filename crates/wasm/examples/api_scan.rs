//! Runs the binding's scan (`api::scan`: the core's scan, the UTF-16 offsets,
//! the findings' encoding and the rest of the report's JSON) natively on one
//! file many times, for profiling what the WebAssembly build does per scan:
//! `valgrind --tool=callgrind target/release/examples/api_scan FILE 20`.
//!
//! `api_scan FILE [TIMES]` prints the median time of a scan.
fn main() {
    let mut args = std::env::args().skip(1);
    let path = args.next().expect("usage: api_scan FILE [TIMES]");
    let times: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(200).max(1);
    let text = std::fs::read_to_string(&path).expect("a readable UTF-8 file");
    let engine = kubeward::Engine::default();
    let inputs = [kubeward_wasm::api::Input { name: "bench.yaml".into(), text }];
    let mut samples = Vec::with_capacity(times);
    for _ in 0..times {
        let started = std::time::Instant::now();
        let scanned = kubeward_wasm::api::scan(&engine, &inputs).expect("a scan");
        std::hint::black_box(scanned);
        samples.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    samples.sort_by(f64::total_cmp);
    println!("scan median {:.3} ms over {times} runs", samples[times / 2]);
}
