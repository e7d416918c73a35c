//! UTF-16 offsets for every range of a report.
//!
//! The core reports byte offsets (and lines and columns in Unicode scalar
//! values); browser editors such as CodeMirror and Monaco index documents by
//! UTF-16 code units. Every `range` of the JSON report (of a document, a
//! finding or an input error) gains `from` and `to`: its start and end as
//! UTF-16 offsets into the text of the file the entry names.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

/// The sections of a report whose entries carry a `file` and a `range`.
const SECTIONS: [&str; 3] = ["documents", "findings", "errors"];

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

/// The byte offsets of a `range` object's `start` and `end`.
fn range_offsets(range: &Value) -> Option<(u64, u64)> {
    let start = range.get("start")?.get("offset")?.as_u64()?;
    let end = range.get("end")?.get("offset")?.as_u64()?;
    Some((start, end))
}

/// Every entry of the report's sections that has a `file` and a `range`, with both.
fn entries_mut(report: &mut Value) -> impl Iterator<Item = &mut Map<String, Value>> {
    let sections: Vec<&mut Value> = match report.as_object_mut() {
        Some(object) => object
            .iter_mut()
            .filter(|(key, _)| SECTIONS.contains(&key.as_str()))
            .map(|(_, value)| value)
            .collect(),
        None => Vec::new(),
    };
    sections
        .into_iter()
        .filter_map(Value::as_array_mut)
        .flatten()
        .filter_map(Value::as_object_mut)
}

/// Adds `from` and `to` (UTF-16 offsets) to every range of a JSON report.
///
/// `texts` maps each file name of the report to the text that was scanned
/// under that name; an entry whose file is not in `texts` is left as it is.
pub fn add_utf16_offsets(report: &mut Value, texts: &BTreeMap<&str, &str>) {
    let mut wanted: BTreeMap<String, BTreeSet<u64>> = BTreeMap::new();
    for entry in entries_mut(report) {
        let (Some(file), Some((start, end))) = (
            entry.get("file").and_then(Value::as_str),
            entry.get("range").and_then(range_offsets),
        ) else {
            continue;
        };
        let offsets = wanted.entry(file.to_string()).or_default();
        offsets.insert(start);
        offsets.insert(end);
    }
    let converted: BTreeMap<String, BTreeMap<u64, u64>> = wanted
        .into_iter()
        .filter_map(|(file, offsets)| {
            let text = texts.get(file.as_str())?;
            Some((file, utf16_offsets(text, &offsets)))
        })
        .collect();
    for entry in entries_mut(report) {
        let Some(table) = entry
            .get("file")
            .and_then(Value::as_str)
            .and_then(|file| converted.get(file))
        else {
            continue;
        };
        let Some(range) = entry.get_mut("range") else {
            continue;
        };
        let Some((start, end)) = range_offsets(range) else {
            continue;
        };
        if let (Some(&from), Some(&to), Some(range)) =
            (table.get(&start), table.get(&end), range.as_object_mut())
        {
            range.insert("from".into(), Value::from(from));
            range.insert("to".into(), Value::from(to));
        }
    }
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
    fn every_section_gains_from_and_to() {
        let range = |start: u64, end: u64| {
            serde_json::json!({"start": {"line": 1, "column": 1, "offset": start},
                               "end": {"line": 1, "column": 1, "offset": end}})
        };
        let mut report = serde_json::json!({
            "documents": [{"file": "a.yaml", "range": range(0, 9)}],
            "findings": [{"file": "a.yaml", "range": range(7, 9)},
                         {"file": "unknown.yaml", "range": range(0, 1)}],
            "errors": [{"file": "b.yaml", "range": range(0, 4)}],
            "summary": {"range": range(0, 1)}
        });
        let texts = BTreeMap::from([("a.yaml", "# 😀\nk: v"), ("b.yaml", "漢字")]);
        add_utf16_offsets(&mut report, &texts);
        assert_eq!(report["documents"][0]["range"]["from"], 0);
        assert_eq!(report["documents"][0]["range"]["to"], 7);
        assert_eq!(report["findings"][0]["range"]["from"], 5);
        // Byte 4 is inside "字": it counts it.
        assert_eq!(report["errors"][0]["range"]["to"], 2);
        assert!(report["findings"][1]["range"].get("from").is_none());
        assert!(report["summary"]["range"].get("from").is_none());
    }
}
