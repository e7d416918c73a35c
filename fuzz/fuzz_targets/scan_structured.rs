//! The full scan on structure-aware mutations of valid manifests: every document
//! written is in the report (the count is known exactly), plus every invariant of
//! `scan_bytes`. With `KUBEWARD_FUZZ_DUMP=path`, the generated input is written
//! to `path` in `scan_bytes` form (engine byte, then the YAML) before the scan.
#![no_main]

use std::sync::OnceLock;

use arbitrary::Unstructured;
use kubeward::Engine;
use kubeward_fuzz::invariants::{engines, scan_and_check};
use kubeward_fuzz::structured::{seed_documents, stream, Node};
use libfuzzer_sys::fuzz_target;

static STATE: OnceLock<([Engine; 2], Vec<Node>)> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let (engines, seeds) = STATE.get_or_init(|| (engines(), seed_documents()));
    let mut u = Unstructured::new(data);
    let Ok(tight) = u.arbitrary::<bool>() else { return };
    let Ok(stream) = stream(&mut u, seeds) else { return };
    let engine = &engines[usize::from(tight)];
    if let Some(path) = std::env::var_os("KUBEWARD_FUZZ_DUMP") {
        // Replaying a crash: keep the YAML it generated, the form regressions are kept in.
        let mut dump = vec![u8::from(tight)];
        dump.extend_from_slice(&stream.text);
        std::fs::write(path, dump).expect("writes the dump");
    }
    let report = scan_and_check(engine, &stream.text);
    if report.errors.iter().all(|e| e.document.is_some()) {
        let mut indexes: Vec<usize> = report.documents.iter().map(|d| d.index).collect();
        indexes.dedup();
        assert_eq!(indexes.len(), stream.documents, "documents written vs. reported");
    }
});
