//! The findings of a report in a form JavaScript turns into objects quickly:
//! their strings one after the other in one text, and their numbers (each
//! string's length, counts, positions) in one `Uint32Array`.
//!
//! Findings are most of a report. Given as JSON, `JSON.parse` spent more time
//! on them than the whole scan took in WebAssembly; decoded from this form
//! (`decode_findings` in `lib.rs`) they cost a few hundredths of that. The
//! objects are the same as `JSON.parse` gives for the core's JSON, plus the
//! UTF-16 `from` and `to` of each range.
//!
//! Layout of the numbers, per finding (a string is its length in UTF-16 units
//! in `strings`, taken in order; `ABSENT` stands for a field that is not there):
//! `check, severity, message, item count, items…, apiVersion, kind, namespace,
//! name, file, document, item, path, start line, column, offset, end line,
//! column, offset, from, to, container, suppressed` and, when `suppressed` is
//! 1, `by, reason, expires`.

use kubeward::Finding;

/// A field that is not there (an optional string or number left out).
pub const ABSENT: u32 = u32::MAX;

/// The findings of a report, encoded.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Encoded {
    /// Every string of every finding, in order.
    pub strings: String,
    /// The numbers, laid out as the module documentation says.
    pub numbers: Vec<u32>,
}

impl Encoded {
    fn string(&mut self, text: &str) {
        self.strings.push_str(text);
        let units = if text.is_ascii() { text.len() } else { text.encode_utf16().count() };
        self.numbers.push(u32::try_from(units).unwrap_or(ABSENT - 1));
    }

    fn optional_string(&mut self, text: Option<&str>) {
        match text {
            Some(text) => self.string(text),
            None => self.numbers.push(ABSENT),
        }
    }

    fn number(&mut self, value: usize) {
        self.numbers.push(u32::try_from(value).unwrap_or(ABSENT - 1));
    }
}

/// Encodes `findings`; `utf16` holds the UTF-16 `from` and `to` of each
/// finding's range, in order.
pub fn encode(findings: &[Finding], utf16: &[u32]) -> Encoded {
    let mut encoded = Encoded {
        strings: String::with_capacity(findings.len() * 256),
        numbers: Vec::with_capacity(findings.len() * 28),
    };
    for (finding, from_to) in findings.iter().zip(utf16.chunks(2)) {
        encoded.string(&finding.check);
        encoded.string(finding.severity.as_str());
        encoded.string(&finding.message);
        encoded.number(finding.items.len());
        for item in finding.items.iter() {
            encoded.string(item);
        }
        let object = &finding.object;
        encoded.string(&object.api_version);
        encoded.string(&object.kind);
        encoded.optional_string(object.namespace.as_deref());
        encoded.optional_string(object.name.as_deref());
        encoded.string(&finding.file);
        encoded.number(finding.document);
        match finding.item {
            Some(item) => encoded.number(item),
            None => encoded.numbers.push(ABSENT),
        }
        encoded.string(&finding.path);
        for position in [finding.range.start, finding.range.end] {
            encoded.numbers.extend([position.line, position.column, position.offset]);
        }
        encoded.numbers.extend(from_to);
        encoded.optional_string(finding.container.as_deref());
        match &finding.suppressed {
            Some(suppressed) => {
                encoded.numbers.push(1);
                encoded.string(&suppressed.by);
                encoded.string(&suppressed.reason);
                encoded.optional_string(suppressed.expires.as_deref());
            }
            None => encoded.numbers.push(0),
        }
    }
    encoded
}

#[cfg(test)]
pub(crate) mod tests {
    use serde_json::{json, Map, Value};

    use super::*;

    /// What `decode_findings` in `lib.rs` does, in Rust: the findings as the
    /// JSON values JavaScript gets.
    pub(crate) fn decode(encoded: &Encoded, count: usize) -> Vec<Value> {
        let units: Vec<u16> = encoded.strings.encode_utf16().collect();
        let mut numbers = encoded.numbers.iter().copied();
        let mut at = 0usize;
        let mut next = || numbers.next().expect("a number");
        let mut text = |length: u32| {
            let slice = String::from_utf16(&units[at..at + length as usize]).unwrap();
            at += length as usize;
            slice
        };
        let mut findings = Vec::with_capacity(count);
        for _ in 0..count {
            let mut finding = Map::new();
            finding.insert("check".into(), text(next()).into());
            finding.insert("severity".into(), text(next()).into());
            finding.insert("message".into(), text(next()).into());
            let items: Vec<Value> = (0..next()).map(|_| text(next()).into()).collect();
            finding.insert("items".into(), items.into());
            let optional = |length: u32, text: &mut dyn FnMut(u32) -> String| {
                if length == ABSENT {
                    Value::Null
                } else {
                    text(length).into()
                }
            };
            let (api_version, kind) = (text(next()), text(next()));
            let namespace = optional(next(), &mut text);
            let name = optional(next(), &mut text);
            finding.insert(
                "object".into(),
                json!({"apiVersion": api_version, "kind": kind, "namespace": namespace, "name": name}),
            );
            finding.insert("file".into(), text(next()).into());
            finding.insert("document".into(), next().into());
            let item = next();
            if item != ABSENT {
                finding.insert("item".into(), item.into());
            }
            finding.insert("path".into(), text(next()).into());
            let mut position = || json!({"line": next(), "column": next(), "offset": next()});
            let (start, end) = (position(), position());
            finding.insert("range".into(), json!({"start": start, "end": end, "from": next(), "to": next()}));
            let container = next();
            if container != ABSENT {
                finding.insert("container".into(), text(container).into());
            }
            if next() == 1 {
                let mut suppressed = Map::new();
                suppressed.insert("by".into(), text(next()).into());
                suppressed.insert("reason".into(), text(next()).into());
                let expires = next();
                if expires != ABSENT {
                    suppressed.insert("expires".into(), text(expires).into());
                }
                finding.insert("suppressed".into(), suppressed.into());
            }
            findings.push(finding.into());
        }
        assert!(numbers.next().is_none(), "numbers left over");
        assert_eq!(at, units.len(), "strings left over");
        findings
    }

    #[test]
    fn decoded_findings_are_the_core_json_with_from_and_to() {
        let text = "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Pod\n  metadata:\n    name: wéb # 😀\n    annotations:\n      kubeward.io/ignore: \"no-privileged:app@2999-01-01\"\n      kubeward.io/ignore-reason: \"a \\\"quoted\\\" reason\"\n  spec:\n    containers:\n    - name: app\n      image: nginx\n      securityContext:\n        privileged: true\n";
        let report = kubeward::Engine::default().scan_text("a/b.yaml", text);
        assert!(report.findings.iter().any(|finding| finding.suppressed.is_some()), "a suppressed finding");
        assert!(report.findings.iter().all(|finding| finding.item == Some(0)), "findings on a List item");
        let utf16: Vec<u32> = (0..2 * report.findings.len() as u32).collect();
        let decoded = decode(&encode(&report.findings, &utf16), report.findings.len());
        let core: Value = serde_json::from_str(&report.to_json()).unwrap();
        let mut expected = core["findings"].as_array().unwrap().clone();
        for (index, finding) in expected.iter_mut().enumerate() {
            finding["range"]["from"] = (2 * index).into();
            finding["range"]["to"] = (2 * index + 1).into();
        }
        assert_eq!(decoded, expected);
    }
}
