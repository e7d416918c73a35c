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

use std::collections::BTreeMap;

use kubeward::{PssReport, Range, Report};

/// UTF-16 code units in `bytes` of UTF-8: every byte that does not continue a
/// character starts a unit, and a four-byte character's lead byte (`0xF0` and
/// above) counts a second one (a surrogate pair).
fn utf16_units(bytes: &[u8]) -> u32 {
    bytes.iter().map(|&byte| u32::from((byte & 0xC0) != 0x80) + u32::from(byte >= 0xF0)).sum()
}

/// Bytes between two checkpoints of a [`Utf16Offsets`].
const STRIDE: usize = 64;

/// Converts byte offsets into one text to UTF-16 offsets. An offset inside a
/// character counts that character; an offset past the end maps to the text's
/// UTF-16 length. An ASCII text (what most manifests are) needs no table;
/// any other keeps the UTF-16 offset of every 64th byte, so that a
/// conversion counts at most that many bytes.
#[derive(Debug, Clone)]
pub struct Utf16Offsets<'t> {
    text: &'t [u8],
    /// `checkpoints[i]`: UTF-16 units in `text[..i * STRIDE]`; empty for an ASCII text.
    checkpoints: Vec<u32>,
}

impl<'t> Utf16Offsets<'t> {
    /// The converter for `text`, made in one pass over it.
    pub fn new(text: &'t str) -> Self {
        let text = text.as_bytes();
        let mut checkpoints = Vec::new();
        if !text.is_ascii() {
            checkpoints.reserve(text.len() / STRIDE + 1);
            let mut units = 0;
            checkpoints.push(0);
            for block in text.chunks(STRIDE) {
                units += utf16_units(block);
                checkpoints.push(units);
            }
        }
        Utf16Offsets { text, checkpoints }
    }

    /// The UTF-16 offset of byte `offset`.
    pub fn convert(&self, offset: u32) -> u32 {
        let offset = (offset as usize).min(self.text.len());
        if self.checkpoints.is_empty() {
            return offset as u32;
        }
        let block = offset / STRIDE;
        let before = self.checkpoints.get(block).copied().unwrap_or_default();
        before + utf16_units(self.text.get(block * STRIDE..offset).unwrap_or_default())
    }
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
    let converters: BTreeMap<&str, Utf16Offsets<'_>> =
        texts.iter().map(|(&file, text)| (file, Utf16Offsets::new(text))).collect();
    // Entries come file by file: the last file's converter is kept at hand.
    let mut last: Option<(&str, Option<&Utf16Offsets<'_>>)> = None;
    let mut ranges = Vec::with_capacity(2 * entries.len());
    for &(file, range) in entries {
        let converter = match last {
            Some((name, converter)) if name == file => converter,
            _ => converters.get(file),
        };
        last = Some((file, converter));
        for offset in [range.start.offset, range.end.offset] {
            ranges.push(converter.map_or(offset, |converter| converter.convert(offset)));
        }
    }
    ranges
}

#[cfg(test)]
mod tests {
    use super::*;

    fn convert(text: &str, offsets: &[u32]) -> Vec<u32> {
        let converter = Utf16Offsets::new(text);
        offsets.iter().map(|&offset| converter.convert(offset)).collect()
    }

    /// UTF-16 units of `text[..offset]` counted by the standard library, the
    /// offset first moved up to the end of the character it falls in.
    fn reference(text: &str, offset: usize) -> u32 {
        let mut end = offset.min(text.len());
        while !text.is_char_boundary(end) {
            end += 1;
        }
        text[..end].encode_utf16().count() as u32
    }

    #[test]
    fn every_offset_of_mixed_texts_converts_as_the_standard_library_counts() {
        let long = format!("{}é{}😀{}", "a".repeat(63), "b".repeat(64), "漢".repeat(40));
        for text in ["", "a", "é", "漢字 x", "😀", "a😀b\nçé漢😀😀z", "# café 😀\napiVersion: v1\n", &long]
        {
            let offsets: Vec<u32> = (0..=text.len() as u32 + 2).collect();
            let expected: Vec<u32> = offsets.iter().map(|&offset| reference(text, offset as usize)).collect();
            assert_eq!(convert(text, &offsets), expected, "{text:?}");
        }
    }

    #[test]
    fn ascii_offsets_are_unchanged() {
        assert_eq!(convert("abc\ndef", &[0, 3, 4, 7]), vec![0, 3, 4, 7]);
    }

    #[test]
    fn astral_characters_count_two_units_and_cjk_one() {
        // "😀" is 4 bytes and 2 UTF-16 units; "漢" is 3 bytes and 1 unit; "é" 2 bytes, 1 unit.
        let text = "# 😀漢é\nx";
        let x = text.find('x').unwrap() as u32;
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
