//! `cargo bench -p kubeward-benches`: the full scan (load, model, checks,
//! positions) and the JSON report, on a generated corpus.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use kubeward::{Engine, Source};

fn scan(c: &mut Criterion) {
    let engine = Engine::default();
    let mut group = c.benchmark_group("scan");
    group.sample_size(10);
    for objects in [1_000usize, 10_000] {
        let files = kubeward_benches::corpus(objects, 1);
        let bytes: usize = files.iter().map(|f| f.text.len()).sum();
        let sources: Vec<Source<'_>> = files.iter().map(|f| Source::new(&f.name, f.text.as_bytes())).collect();
        group.throughput(Throughput::Bytes(bytes as u64));
        group.bench_with_input(BenchmarkId::new("full", objects), &sources, |b, sources| {
            b.iter(|| engine.scan(sources));
        });
        group.bench_with_input(BenchmarkId::new("full+json", objects), &sources, |b, sources| {
            b.iter(|| engine.scan(sources).to_json());
        });
    }
    group.finish();
}

criterion_group!(benches, scan);
criterion_main!(benches);
