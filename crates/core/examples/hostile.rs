//! Measures time and peak memory of a scan of hostile inputs, each in a child
//! process of its own so that peak memory (VmHWM) is the case's own.
//!
//! ```text
//! cargo run --release -p kubeward --example hostile            # every case, a table
//! cargo run --release -p kubeward --example hostile -- CASE    # one case
//! cargo run --release -p kubeward --example hostile -- --file PATH   # any file (a slow fuzz input)
//! ```
//! Linux only for memory (it reads `/proc/self/status`); elsewhere memory shows as `?`.

use std::process::Command;
use std::time::Instant;

use kubeward::{Config, Engine, Limits, Source};

/// (name, description)
const CASES: &[(&str, &str)] = &[
    ("deep-flow", "10,000-deep flow nesting `[[[…]]]`"),
    ("deep-block", "10,000-deep block nesting `- - - …`"),
    ("laughs", "billion laughs (10 levels of 10 aliases)"),
    ("scalar-100m", "100 MB file of one scalar, default limits"),
    ("scalar-100m-raised", "100 MB file of one scalar, maxFileBytes and maxScalarBytes raised to 128 MiB"),
    ("docs-1m", "1,000,000 empty documents (`---` lines), default limits"),
    ("docs-1m-raised", "1,000,000 empty documents, maxDocuments raised to 2,000,000"),
    ("docs-100k-pods", "100,000 small Pod documents"),
    ("keys-200k", "200,000 keys in one mapping"),
    ("annotations-100k", "a Pod with 100,000 annotations (read through merge-key expansion)"),
    ("duplicates-20k", "20,000 duplicate keys in one object"),
    ("list-dups-20k", "a List of 20,000 items, each with a duplicate key"),
    ("merge-fan", "merge keys fanned out 2^16 ways"),
    ("one-line-list", "a one-line JSON List of 5,000 Pods (findings on one long line)"),
];

fn input(case: &str) -> (Vec<u8>, Limits) {
    let mut limits = Limits::default();
    if let Some(path) = case.strip_prefix("--file=") {
        return (std::fs::read(path).expect("readable file"), limits);
    }
    let bytes = match case {
        "deep-flow" => format!("k: {}{}\n", "[".repeat(10_000), "]".repeat(10_000)).into_bytes(),
        "deep-block" => format!("{}x\n", "- ".repeat(10_000)).into_bytes(),
        "laughs" => {
            let mut text = String::from("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
            for i in 1..10 {
                let refs: Vec<String> = (0..10).map(|_| format!("*a{}", i - 1)).collect();
                text.push_str(&format!("a{i}: &a{i} [{}]\n", refs.join(", ")));
            }
            text.into_bytes()
        }
        "scalar-100m" | "scalar-100m-raised" => {
            if case.ends_with("raised") {
                limits.max_file_bytes = 128 << 20;
                limits.max_scalar_bytes = 128 << 20;
            }
            let mut bytes = b"apiVersion: v1\nkind: ConfigMap\nmetadata: {name: big}\ndata:\n  blob: ".to_vec();
            bytes.resize(100_000_000, b'x');
            bytes.push(b'\n');
            bytes
        }
        "docs-1m" | "docs-1m-raised" => {
            if case.ends_with("raised") {
                limits.max_documents = 2_000_000;
            }
            "---\n".repeat(1_000_000).into_bytes()
        }
        "docs-100k-pods" => {
            let mut text = String::new();
            for i in 0..100_000 {
                text.push_str(&format!("---\napiVersion: v1\nkind: Pod\nmetadata: {{name: p{i}}}\nspec: {{}}\n"));
            }
            text.into_bytes()
        }
        "keys-200k" => {
            let mut text = String::from("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: keys}\ndata:\n");
            for i in 0..200_000 {
                text.push_str(&format!("  k{i}: v\n"));
            }
            text.into_bytes()
        }
        "annotations-100k" => {
            let mut text = String::from("apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  annotations:\n");
            for i in 0..100_000 {
                text.push_str(&format!("    k{i}: v\n"));
            }
            text.push_str("spec:\n  containers: [{name: c, image: x}]\n");
            text.into_bytes()
        }
        "duplicates-20k" => {
            let mut text = String::from("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: d}\ndata:\n");
            for i in 0..20_000 {
                text.push_str(&format!("  k{}: v\n", i % 2));
            }
            text.into_bytes()
        }
        "list-dups-20k" => {
            let mut text = String::from("apiVersion: v1\nkind: List\nitems:\n");
            for i in 0..20_000 {
                text.push_str(&format!(
                    "- {{apiVersion: v1, kind: ConfigMap, metadata: {{name: c{i}, name: c{i}}}}}\n"
                ));
            }
            text.into_bytes()
        }
        "merge-fan" => {
            let mut text = String::from("b0: &b0 {x: 1}\n");
            for i in 1..=16 {
                text.push_str(&format!("b{i}: &b{i} {{<<: [*b{p}, *b{p}], y{i}: 1}}\n", p = i - 1));
            }
            text.push_str("apiVersion: v1\nkind: Pod\nmetadata: {name: m}\nspec:\n  securityContext: {<<: *b16}\n  containers:\n  - name: c\n    image: x\n    securityContext: {<<: *b16}\n");
            text.into_bytes()
        }
        "one-line-list" => {
            let pod = r#"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"spec":{"hostPID":true,"containers":[{"name":"c","image":"x","securityContext":{"privileged":true}}]}}"#;
            let items: Vec<&str> = (0..5_000).map(|_| pod).collect();
            format!(r#"{{"apiVersion":"v1","kind":"List","items":[{}]}}"#, items.join(",")).into_bytes()
        }
        other => panic!("unknown case {other}"),
    };
    (bytes, limits)
}

fn peak_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn run(case: &str) {
    let (bytes, limits) = input(case);
    let before = peak_kib();
    let mut config = Config::default();
    config.limits = limits;
    let engine = Engine::new(config).expect("valid limits");
    let started = Instant::now();
    let report = engine.scan(&[Source::new("input.yaml", &bytes)]);
    let json = report.to_json();
    let elapsed = started.elapsed();
    let first_error = report
        .errors
        .first()
        .map(|e| format!("{}:{}: {}", e.range.start.line, e.range.start.column, e.message))
        .unwrap_or_else(|| "-".into());
    let mib = |kib: Option<u64>| kib.map_or("?".to_string(), |k| format!("{:.1}", k as f64 / 1024.0));
    println!(
        "{case}\t{}\t{:.3}\t{}\t{}\t{}\t{}\t{}\t{first_error}",
        bytes.len(),
        elapsed.as_secs_f64(),
        mib(before),
        mib(peak_kib()),
        report.documents.len(),
        report.findings.len(),
        json.len(),
    );
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let [flag, path] = args.as_slice() {
        if flag == "--file" {
            run(&format!("--file={path}"));
            return;
        }
    }
    if let Some(case) = args.first() {
        run(case);
        return;
    }
    println!("case\tinput bytes\tscan s\tpeak MiB before scan (input built)\tpeak MiB\tdocument entries\tfindings\treport bytes\tfirst error");
    let exe = std::env::current_exe().expect("own path");
    for (case, description) in CASES {
        eprintln!("{case}: {description}");
        let output = Command::new(&exe).arg(case).output().expect("runs");
        print!("{}", String::from_utf8_lossy(&output.stdout));
        if !output.status.success() {
            println!(
                "{case}\tFAILED ({}): {}",
                output.status,
                String::from_utf8_lossy(&output.stderr).lines().last().unwrap_or("")
            );
        }
    }
}
