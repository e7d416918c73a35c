//! `cargo bench -p kubeward-benches`: each stage of a scan on one core, on
//! generated corpora of 1,000 and 10,000 objects.
//!
//! - `parser`: saphyr-parser's events alone, the floor under loading;
//! - `load`: line tables and YAML trees of every file;
//! - `model`: loading plus identities, views and pods of every object;
//! - `full`: the whole scan (checks, set checks, positions, scorecard);
//! - `json`: the JSON report of a finished scan;
//! - `full+json`: what a `--format json` run does after reading files;
//! - `section/<name>`: the whole scan with only the checks of one section of the
//!   catalog enabled (its cost is this minus `model`, plus the fixed costs of a
//!   scan: positions, the scorecard, the invalid-field and duplicate-key reports).
//!
//! 100,000 objects: `cargo run --release -p kubeward-benches --example scan_corpus -- 100000`.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use kubeward::{Engine, Source};

fn stages(c: &mut Criterion) {
    let engine = Engine::default();
    let mut group = c.benchmark_group("scan");
    group.sample_size(10);
    for objects in [1_000usize, 10_000] {
        let files = kubeward_benches::corpus(objects, 1);
        let bytes: usize = files.iter().map(|f| f.text.len()).sum();
        let sources: Vec<Source<'_>> = files.iter().map(|f| Source::new(&f.name, f.text.as_bytes())).collect();
        group.throughput(Throughput::Bytes(bytes as u64));
        group.bench_with_input(BenchmarkId::new("parser", objects), &files, |b, files| {
            b.iter(|| files.iter().map(|f| kubeward_benches::parser_events(&f.text)).sum::<usize>());
        });
        group.bench_with_input(BenchmarkId::new("load", objects), &sources, |b, sources| {
            b.iter(|| engine.bench_load(sources));
        });
        group.bench_with_input(BenchmarkId::new("model", objects), &sources, |b, sources| {
            b.iter(|| engine.bench_model(sources));
        });
        group.bench_with_input(BenchmarkId::new("full", objects), &sources, |b, sources| {
            b.iter(|| engine.scan(sources));
        });
        let report = engine.scan(&sources);
        group.bench_with_input(BenchmarkId::new("json", objects), &report, |b, report| {
            b.iter(|| report.to_json());
        });
        group.bench_with_input(BenchmarkId::new("full+json", objects), &sources, |b, sources| {
            b.iter(|| engine.scan(sources).to_json());
        });
    }
    group.finish();
}

/// An engine that runs only the checks of `section`.
fn section_engine(section: &str) -> Engine {
    let mut config = String::from("checks:\n");
    for check in kubeward::checks().iter().filter(|check| check.section != section) {
        config.push_str(&format!("  {}: {{enabled: false}}\n", check.id));
    }
    Engine::from_config_text(&config).expect("a valid configuration")
}

fn sections(c: &mut Criterion) {
    let mut names: Vec<String> = kubeward::checks().into_iter().map(|check| check.section).collect();
    names.sort();
    names.dedup();
    let files = kubeward_benches::corpus(10_000, 1);
    let bytes: usize = files.iter().map(|f| f.text.len()).sum();
    let sources: Vec<Source<'_>> = files.iter().map(|f| Source::new(&f.name, f.text.as_bytes())).collect();
    let mut group = c.benchmark_group("section");
    group.sample_size(10);
    group.throughput(Throughput::Bytes(bytes as u64));
    for name in &names {
        let engine = section_engine(name);
        group.bench_with_input(BenchmarkId::new(name.as_str(), 10_000), &sources, |b, sources| {
            b.iter(|| engine.scan(sources));
        });
    }
    group.finish();
}

criterion_group!(benches, stages, sections);
criterion_main!(benches);
