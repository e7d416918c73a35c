//! Fix application on any UTF-8 text: every fix a finding offers edits inside
//! the text at character boundaries; applying all safe and unsafe fixes keeps
//! every document that parsed parsing and the same number of documents or
//! more; a second pass changes nothing.
#![no_main]

use kubeward::{Engine, FixSafety, Source};
use libfuzzer_sys::fuzz_target;

fn parsed(text: &str) -> usize {
    kubeward::__dev::documents_as_json(text.as_bytes())
        .map(|documents| documents.iter().filter(|d| d.value.is_ok()).count())
        .unwrap_or(0)
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let engine = Engine::default();
    let sources = [Source::new("m.yaml", text.as_bytes())];
    let mut report = engine.scan(&sources);
    engine.attach_fixes(&sources, &mut report);
    for finding in &report.findings {
        for fix in &finding.fixes {
            let mut last = 0;
            for edit in &fix.edits {
                let (start, end) = (edit.range.start.offset as usize, edit.range.end.offset as usize);
                assert!(last <= start && start <= end && end <= text.len(), "edits in order and in bounds");
                assert!(text.is_char_boundary(start) && text.is_char_boundary(end));
                last = end;
            }
        }
    }
    let all = |_: &str, safety: FixSafety| safety != FixSafety::Exemption;
    let fixed = engine.apply_fixes("m.yaml", text, &report, &all).text;
    if fixed != text {
        assert!(parsed(&fixed) >= parsed(text), "a document stopped parsing:\n{text}\n=>\n{fixed}");
        let again = engine.scan(&[Source::new("m.yaml", fixed.as_bytes())]);
        let second = engine.apply_fixes("m.yaml", &fixed, &again, &all).text;
        assert_eq!(second, fixed, "a second pass changed something");
    }
});
