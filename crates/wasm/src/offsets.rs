//! UTF-16 offsets for every range of a report.
//!
//! The core reports byte offsets (and lines and columns in Unicode scalar
//! values); browser editors such as CodeMirror and Monaco index documents by
//! UTF-16 code units. Every `range` of the report (of a document, a finding or
//! an input error) gains `from` and `to`: its start and end as UTF-16 offsets
//! into the text of the file the entry names; so does the range of every
//! violation and error of a Pod Security Standards result. They are computed
//! here, in one pass over each text, and attached to the parsed result on the
//! JavaScript side (the inline `attach_ranges` and `attach_pss_ranges` of
//! `lib.rs`), which is much cheaper than rewriting the JSON.

use std::collections::{BTreeMap, BTreeSet};

use kubeward::{PssReport, Range, Report};

/// Converts byte offsets into `text` to UTF-16 offsets in one pass over the
/// text. An offset inside a character counts that character; an offset past
/// the end maps to the text's UTF-16 length.
pub fn utf16_offsets(text: &str, byte_offsets: &BTreeSet<u64>) -> BTreeMap<u64, u64> {
    let mut converted = BTreeMap::new();
    let mut wanted = byte_offsets.iter().copied().peekable();
    let mut units: u64 = 0;
    for (at, character) in text.char_indices() {
        while let Some(offset) = wanted.next_if(|&offset| offset <= at as u64) {
            converted.insert(offset, units);
        }
        if wanted.peek().is_none() {
            return converted;
        }
        units += character.len_utf16() as u64;
    }
    for offset in wanted {
        converted.insert(offset, units);
    }
    converted
}

/// The UTF-16 `from` and `to` of every range of `report`, flattened in report
/// order: the documents' ranges, then the findings', then the errors' (two
/// numbers per entry). `texts` maps each file name to the text scanned under
/// it; an entry whose file is not there gets the byte offsets unchanged.
pub fn utf16_ranges(report: &Report, texts: &BTreeMap<&str, &str>) -> Vec<u32> {
    let entries: Vec<(&str, &Range)> = report
        .documents
        .iter()
        .map(|d| (d.file.as_str(), &d.range))
        .chain(report.findings.iter().map(|f| (&*f.file, &f.range)))
        .chain(report.errors.iter().map(|e| (e.file.as_str(), &e.range)))
        .collect();
    ranges_of(&entries, texts)
}

/// The UTF-16 `from` and `to` of every range of a Pod Security Standards
/// result, flattened in its order: each object's violations (objects in
/// order, violations in order), then the errors' (two numbers per entry).
/// `texts` is as for [`utf16_ranges`].
pub fn pss_utf16_ranges(report: &PssReport, texts: &BTreeMap<&str, &str>) -> Vec<u32> {
    let entries: Vec<(&str, &Range)> = report
        .objects
        .iter()
        .flat_map(|object| object.violations.iter().map(|v| (object.file.as_str(), &v.range)))
        .chain(report.errors.iter().map(|e| (e.file.as_str(), &e.range)))
        .collect();
    ranges_of(&entries, texts)
}

/// The UTF-16 `from` and `to` of each `(file, range)` entry, in order.
fn ranges_of(entries: &[(&str, &Range)], texts: &BTreeMap<&str, &str>) -> Vec<u32> {
    let mut wanted: BTreeMap<&str, BTreeSet<u64>> = BTreeMap::new();
    for &(file, range) in entries {
        let offsets = wanted.entry(file).or_default();
        offsets.insert(u64::from(range.start.offset));
        offsets.insert(u64::from(range.end.offset));
    }
    let tables: BTreeMap<&str, BTreeMap<u64, u64>> = wanted
        .into_iter()
        .filter_map(|(file, offsets)| Some((file, utf16_offsets(texts.get(file)?, &offsets))))
        .collect();
    let convert = |file: &str, offset: u32| -> u32 {
        tables
            .get(file)
            .and_then(|table| table.get(&u64::from(offset)))
            .map_or(offset, |&units| u32::try_from(units).unwrap_or(u32::MAX))
    };
    entries
        .iter()
        .flat_map(|&(file, range)| [convert(file, range.start.offset), convert(file, range.end.offset)])
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn convert(text: &str, offsets: &[u64]) -> Vec<u64> {
        let set: BTreeSet<u64> = offsets.iter().copied().collect();
        let table = utf16_offsets(text, &set);
        offsets.iter().map(|offset| table[offset]).collect()
    }

    #[test]
    fn ascii_offsets_are_unchanged() {
        assert_eq!(convert("abc\ndef", &[0, 3, 4, 7]), vec![0, 3, 4, 7]);
    }

    #[test]
    fn astral_characters_count_two_units_and_cjk_one() {
        // "😀" is 4 bytes and 2 UTF-16 units; "漢" is 3 bytes and 1 unit; "é" 2 bytes, 1 unit.
        let text = "# 😀漢é\nx";
        let x = text.find('x').unwrap() as u64;
        assert_eq!(convert(text, &[2, 6, 9, 11, x]), vec![2, 4, 5, 6, 7]);
        assert_eq!(x, 12);
    }

    #[test]
    fn offsets_inside_a_character_or_past_the_end_are_clamped() {
        let text = "😀a";
        // Byte 1 is inside the emoji: it counts the emoji.
        assert_eq!(convert(text, &[1, 4, 5, 99]), vec![2, 2, 3, 3]);
        assert_eq!(convert("", &[0, 10]), vec![0, 0]);
    }

    #[test]
    fn every_section_gains_from_and_to_in_report_order() {
        let engine = kubeward::Engine::default();
        let a = "# 😀\napiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  hostPID: true\n  containers: []\n";
        let b = "漢字: [";
        let report = engine
            .scan(&[kubeward::Source::new("a.yaml", a.as_bytes()), kubeward::Source::new("b.yaml", b.as_bytes())]);
        let texts = BTreeMap::from([("a.yaml", a), ("b.yaml", b)]);
        let ranges = utf16_ranges(&report, &texts);
        let count = report.documents.len() + report.findings.len() + report.errors.len();
        assert_eq!(ranges.len(), 2 * count);
        assert!(!report.findings.is_empty() && !report.errors.is_empty());
        let units: Vec<u16> = a.encode_utf16().collect();
        let first_finding = report.documents.len() * 2;
        let (from, to) = (ranges[first_finding] as usize, ranges[first_finding + 1] as usize);
        let f = &report.findings[0];
        assert_eq!(
            String::from_utf16(&units[from..to]).unwrap(),
            &a[f.range.start.offset as usize..f.range.end.offset as usize]
        );
        assert_eq!(from + 2, f.range.start.offset as usize);
    }

    #[test]
    fn pss_violations_and_errors_gain_from_and_to_in_result_order() {
        let engine = kubeward::Engine::default();
        let a = "# 😀 漢字\napiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  hostPID: true\n  containers:\n  - name: c\n    image: x\n    securityContext: {privileged: true}\n";
        let b = "漢字: [";
        let report = engine.pss(
            &[kubeward::Source::new("a.yaml", a.as_bytes()), kubeward::Source::new("b.yaml", b.as_bytes())],
            kubeward::PssLevel::Baseline,
            kubeward::PssVersion::LATEST,
        );
        let texts = BTreeMap::from([("a.yaml", a), ("b.yaml", b)]);
        let ranges = pss_utf16_ranges(&report, &texts);
        let violations: Vec<_> = report.objects.iter().flat_map(|o| o.violations.iter()).collect();
        assert!(violations.len() >= 2 && !report.errors.is_empty(), "{}", report.to_json());
        assert_eq!(ranges.len(), 2 * (violations.len() + report.errors.len()));
        let units: Vec<u16> = a.encode_utf16().collect();
        for (index, violation) in violations.iter().enumerate() {
            let (from, to) = (ranges[2 * index] as usize, ranges[2 * index + 1] as usize);
            let (start, end) = (violation.range.start.offset as usize, violation.range.end.offset as usize);
            assert_eq!(String::from_utf16(&units[from..to]).unwrap(), &a[start..end]);
            // The emoji counts 4 bytes but 2 units, each CJK character 3 bytes but 1.
            assert_eq!(from + 6, start);
        }
    }
}
