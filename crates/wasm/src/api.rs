//! The binding's logic in plain Rust, so that it can be tested on the host:
//! configuration reading, scans that return the JSON report with UTF-16
//! offsets, and a panic guard. The `wasm_bindgen` layer only converts values.

use std::collections::BTreeMap;
use std::panic::{catch_unwind, AssertUnwindSafe};

use kubeward::{Engine, Source};

/// An error to hand to JavaScript as an `Error`: a message and, for a
/// configuration read from text, where the problem is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// What went wrong, naming the offending key or argument.
    pub message: String,
    /// 1-based line and column in the configuration text, when known.
    pub position: Option<(u32, u32)>,
}

impl Failure {
    /// A failure without a position.
    pub fn new(message: impl Into<String>) -> Self {
        Failure { message: message.into(), position: None }
    }
}

/// Runs `work`, turning a panic into a [`Failure`] instead of letting it cross
/// the boundary. (On `wasm32-unknown-unknown` the standard library is built to
/// abort, so this guards host builds of the binding; the core is written so
/// that no input reaches a panic.)
pub fn guard<T>(what: &str, work: impl FnOnce() -> Result<T, Failure>) -> Result<T, Failure> {
    match catch_unwind(AssertUnwindSafe(work)) {
        Ok(result) => result,
        Err(payload) => {
            let detail = payload
                .downcast_ref::<&str>()
                .map(|text| text.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".into());
            Err(Failure::new(format!("kubeward: internal error in {what}: {detail}")))
        }
    }
}

/// Builds an engine from YAML or JSON configuration text.
pub fn engine_from_text(text: &str) -> Result<Engine, Failure> {
    Engine::from_config_text(text)
        .map_err(|error| Failure { message: error.to_string(), position: error.position.map(|p| (p.line, p.column)) })
}

/// Builds an engine from a configuration given as a JavaScript object, already
/// turned into JSON text. Positions in that text mean nothing to the caller, so
/// the message names the key path instead (`at \`production.namespace\``).
pub fn engine_from_object_json(json: &str) -> Result<Engine, Failure> {
    Engine::from_config_text(json).map_err(|error| Failure::new(format!("configuration: {}", error.message)))
}

/// One file to scan: its name in the report and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Input {
    /// The name findings carry.
    pub name: String,
    /// The file's text.
    pub text: String,
}

/// A scan's outcome as the JavaScript side takes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scanned {
    /// The report as compact JSON, exactly the core's report.
    pub json: String,
    /// UTF-16 `from` and `to` of every range, in report order (see
    /// [`crate::offsets::utf16_ranges`]).
    pub ranges: Vec<u32>,
}

/// Scans `inputs` together. File names must be distinct, since UTF-16 offsets
/// are computed against the text each name stands for.
pub fn scan(engine: &Engine, inputs: &[Input]) -> Result<Scanned, Failure> {
    let mut texts: BTreeMap<&str, &str> = BTreeMap::new();
    for input in inputs {
        if texts.insert(&input.name, &input.text).is_some() {
            return Err(Failure::new(format!(
                "scanMany: the file name `{}` is given twice; names must be distinct",
                input.name
            )));
        }
    }
    let sources: Vec<Source<'_>> = inputs.iter().map(|input| Source::new(&input.name, input.text.as_bytes())).collect();
    let report = engine.scan(&sources);
    let ranges = crate::offsets::utf16_ranges(&report, &texts);
    let json = serde_json::to_string(&report)
        .map_err(|error| Failure::new(format!("kubeward: cannot encode the report: {error}")))?;
    Ok(Scanned { json, ranges })
}

/// The catalog of checks as JSON.
pub fn checks_json() -> Result<String, Failure> {
    serde_json::to_string(&kubeward::checks())
        .map_err(|error| Failure::new(format!("kubeward: cannot encode the catalog: {error}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    const INSECURE: &str = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web # 😀 漢字\nspec:\n  containers:\n  - name: app\n    image: nginx\n    securityContext:\n      privileged: true\n";

    /// What `attach.js` does: the report with `from` and `to` on every range.
    fn scan_to_value(engine: &Engine, inputs: &[Input]) -> Result<serde_json::Value, Failure> {
        let scanned = scan(engine, inputs)?;
        let mut report: serde_json::Value = serde_json::from_str(&scanned.json).unwrap();
        let mut ranges = scanned.ranges.chunks(2);
        for section in ["documents", "findings", "errors"] {
            for entry in report[section].as_array_mut().unwrap() {
                let pair = ranges.next().unwrap();
                entry["range"]["from"] = pair[0].into();
                entry["range"]["to"] = pair[1].into();
            }
        }
        assert!(ranges.next().is_none());
        Ok(report)
    }

    fn input(name: &str, text: &str) -> Input {
        Input { name: name.into(), text: text.into() }
    }

    #[test]
    fn findings_carry_utf16_offsets_that_point_at_the_same_text() {
        let engine = Engine::default();
        let report = scan_to_value(&engine, &[input("pod.yaml", INSECURE)]).unwrap();
        let finding = report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["check"] == "no-privileged")
            .expect("no-privileged finding");
        let from = finding["range"]["from"].as_u64().unwrap() as usize;
        let to = finding["range"]["to"].as_u64().unwrap() as usize;
        let units: Vec<u16> = INSECURE.encode_utf16().collect();
        assert_eq!(String::from_utf16(&units[from..to]).unwrap(), "privileged: true");
        // The emoji and the CJK characters before it make bytes and units differ.
        assert!(finding["range"]["start"]["offset"].as_u64().unwrap() > from as u64);
    }

    #[test]
    fn without_from_and_to_the_report_is_the_core_report() {
        let engine = Engine::default();
        let mut ours = scan_to_value(&engine, &[input("pod.yaml", INSECURE)]).unwrap();
        for section in ["documents", "findings", "errors"] {
            for entry in ours[section].as_array_mut().unwrap() {
                let range = entry["range"].as_object_mut().unwrap();
                assert!(range.remove("from").is_some() && range.remove("to").is_some());
            }
        }
        let core: serde_json::Value = serde_json::from_str(&engine.scan_text("pod.yaml", INSECURE).to_json()).unwrap();
        assert_eq!(ours, core);
    }

    #[test]
    fn duplicate_names_are_refused() {
        let engine = Engine::default();
        let error = scan(&engine, &[input("a", ""), input("a", "")]).unwrap_err();
        assert!(error.message.contains("`a` is given twice"), "{error:?}");
    }

    #[test]
    fn config_errors_name_the_key_and_position() {
        let error = engine_from_text("production:\n  namespace: [prod]\n").unwrap_err();
        assert!(error.message.contains("namespace"), "{error:?}");
        assert_eq!(error.position, Some((2, 3)));
        let error = engine_from_object_json(r#"{"production":{"namespace":["prod"]}}"#).unwrap_err();
        assert!(
            error.message.contains("unknown field `namespace`") && error.message.contains("production"),
            "{error:?}"
        );
        assert_eq!(error.position, None);
    }

    #[test]
    fn panics_become_failures() {
        let result: Result<(), Failure> = guard("test", || panic!("boom"));
        let error = result.unwrap_err();
        assert!(error.message.contains("internal error in test: boom"));
        assert_eq!(guard("test", || Ok(7)), Ok(7));
    }

    #[test]
    fn hostile_inputs_give_reports() {
        let engine = Engine::default();
        let deep = "[".repeat(100_000);
        let aliases = "a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\ng: [*f, *f, *f, *f, *f, *f, *f, *f, *f, *f]\n";
        for text in [
            "",
            "\u{feff}",
            "\0\0\0",
            "---\n---\n...\n",
            ": : :\n- - -",
            "\u{fffd}\u{1F600}: [",
            "kind: List\nitems: [1, {kind: Pod}]",
            deep.as_str(),
            aliases,
        ] {
            let report = scan_to_value(&engine, &[input("x.yaml", text)]).unwrap();
            assert_eq!(report["tool"]["name"], "kubeward", "{text:?}");
        }
    }
}
