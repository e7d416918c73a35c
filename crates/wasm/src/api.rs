//! The binding's logic in plain Rust, so that it can be tested on the host:
//! configuration reading, scans that return the JSON report with UTF-16
//! offsets, and a panic guard. The `wasm_bindgen` layer only converts values.

use std::collections::BTreeMap;
use std::panic::{catch_unwind, AssertUnwindSafe};

use kubeward::{Config, ConfigError, Engine, PssLevel, PssVersion, Source};

use crate::findings::Encoded;

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

/// Where a configuration comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConfigText<'a> {
    /// None: the defaults.
    Default,
    /// YAML or JSON text written by the caller (errors carry its line and column).
    Text(&'a str),
    /// A JavaScript object turned into JSON (errors name the key path).
    Object(&'a str),
}

fn policy_failure(error: ConfigError) -> Failure {
    // A position in a policy file is in the message (file:line:column); only
    // a position in the configuration text is the error's own.
    let position = if error.file.is_none() { error.position.map(|p| (p.line, p.column)) } else { None };
    Failure { message: error.to_string(), position }
}

/// Builds an engine from a configuration and the text of policy files
/// (ValidatingAdmissionPolicies, their bindings and parameters). Policies need
/// the package built with the `policies` feature; without it any policy file
/// is an error.
pub fn engine_with_policies(config: ConfigText<'_>, policies: &[Input]) -> Result<Engine, Failure> {
    let config = match config {
        ConfigText::Default => Config::default(),
        ConfigText::Text(text) => Config::from_text(text).map_err(|error| Failure {
            message: error.to_string(),
            position: error.position.map(|p| (p.line, p.column)),
        })?,
        ConfigText::Object(json) => {
            Config::from_text(json).map_err(|error| Failure::new(format!("configuration: {}", error.message)))?
        }
    };
    texts_by_name(policies, "new Engine")?;
    Engine::with_policies(config, &sources(policies)).map_err(policy_failure)
}

/// One file to scan: its name in the report and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Input {
    /// The name findings carry.
    pub name: String,
    /// The file's text.
    pub text: String,
}

/// A scan's (or a Pod Security Standards evaluation's) outcome as the
/// JavaScript side takes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scanned {
    /// The result as compact JSON, exactly the core's, except that a scan's
    /// `findings` are an empty array here and given in `findings` instead.
    pub json: String,
    /// UTF-16 `from` and `to` of every range, in result order (see
    /// [`crate::offsets::utf16_ranges`] and [`crate::offsets::pss_utf16_ranges`]).
    pub ranges: Vec<u32>,
    /// A scan's findings, encoded (see [`crate::findings`]); empty for a
    /// Pod Security Standards evaluation.
    pub findings: Encoded,
    /// How many findings `findings` holds.
    pub finding_count: usize,
    /// A scan's scorecard items as a JSON array (`json` holds `"items":[]`):
    /// the JavaScript side parses them only when they are read, since an
    /// editor scanning on every keystroke seldom does and they are most of
    /// the rest of the report. Empty for a Pod Security Standards evaluation.
    pub scorecard_items: String,
}

/// Each input's text by its name, refusing a name given twice: offsets are
/// computed against the text each name stands for, and results name files.
/// `what` names the JavaScript method in the message.
fn texts_by_name<'a>(inputs: &'a [Input], what: &str) -> Result<BTreeMap<&'a str, &'a str>, Failure> {
    let mut texts: BTreeMap<&str, &str> = BTreeMap::new();
    for input in inputs {
        if texts.insert(&input.name, &input.text).is_some() {
            return Err(Failure::new(format!(
                "{what}: the file name `{}` is given twice; names must be distinct",
                input.name
            )));
        }
    }
    Ok(texts)
}

fn sources(inputs: &[Input]) -> Vec<Source<'_>> {
    inputs.iter().map(|input| Source::new(&input.name, input.text.as_bytes())).collect()
}

/// JSON the binding encoded, or a failure naming `what` could not be encoded.
fn encode(json: serde_json::Result<String>, what: &str) -> Result<String, Failure> {
    json.map_err(|error| Failure::new(format!("kubeward: cannot encode the {what}: {error}")))
}

/// Scans `inputs` together. File names must be distinct, since UTF-16 offsets
/// are computed against the text each name stands for.
pub fn scan(engine: &Engine, inputs: &[Input]) -> Result<Scanned, Failure> {
    let texts = texts_by_name(inputs, "scanMany")?;
    let mut report = engine.scan(&sources(inputs));
    let mut ranges = crate::offsets::utf16_ranges(&report, &texts);
    // The findings' offsets travel with them; the documents' and errors' stay in `ranges`.
    let findings_at = 2 * report.documents.len()..2 * (report.documents.len() + report.findings.len());
    let findings = crate::findings::encode(&report.findings, &ranges[findings_at.clone()]);
    ranges.drain(findings_at);
    let finding_count = std::mem::take(&mut report.findings).len();
    let (json, scorecard_items) = split_scorecard_items(&report.to_compact_json())
        .ok_or_else(|| Failure::new("kubeward: cannot find the scorecard's items in the report"))?;
    Ok(Scanned { json, ranges, findings, finding_count, scorecard_items })
}

#[cfg(feature = "fixes")]
/// The fixes of the findings of one text, as JSON: per finding that has any
/// (`finding` is its index in the report `scan` gives for the same text), its
/// check, path and UTF-16 range, and its fixes (the check's own first, then the
/// exemption) with their edits as UTF-16 `from`, `to` and `text`.
pub fn fixes_json(engine: &Engine, input: &Input) -> Result<String, Failure> {
    let sources = [Source::new(&input.name, input.text.as_bytes())];
    let mut report = engine.scan(&sources);
    engine.attach_fixes(&sources, &mut report);
    let offsets = crate::offsets::Utf16Offsets::new(&input.text);
    let at = |offset: u32| offsets.convert(offset);
    let list: Vec<serde_json::Value> = report
        .findings
        .iter()
        .enumerate()
        .filter(|(_, finding)| !finding.fixes.is_empty())
        .map(|(index, finding)| {
            let fixes: Vec<serde_json::Value> = finding
                .fixes
                .iter()
                .map(|fix| {
                    let edits: Vec<serde_json::Value> = fix
                        .edits
                        .iter()
                        .map(|edit| {
                            serde_json::json!({"from": at(edit.range.start.offset), "to": at(edit.range.end.offset), "text": edit.text})
                        })
                        .collect();
                    serde_json::json!({"title": fix.title, "safety": fix.safety.as_str(), "edits": edits})
                })
                .collect();
            serde_json::json!({"finding": index, "check": finding.check, "path": finding.path,
                "from": at(finding.range.start.offset), "to": at(finding.range.end.offset), "fixes": fixes})
        })
        .collect();
    encode(serde_json::to_string(&list), "fixes")
}

/// The compact JSON of a report with its scorecard's `items` left empty, and
/// those items' JSON array: the core's own bytes, cut where the items are.
/// They start after the first `"items":` that follows the top-level
/// `"scorecard":{` key, and end where the scorecard closes before the
/// `"inventory"` key (`items` is the scorecard's last field): no string can
/// hold these patterns, since they have unescaped quotes. The tests compare
/// the rejoined report with the core's, so a change of that layout fails them.
fn split_scorecard_items(json: &str) -> Option<(String, String)> {
    const SCORECARD: &str = "\"scorecard\":{";
    const ITEMS: &str = "\"items\":";
    const AFTER: &str = "},\"inventory\":";
    let find = |from: usize, pattern: &str| Some(from + json.get(from..)?.find(pattern)?);
    let start = find(find(0, SCORECARD)? + SCORECARD.len(), ITEMS)? + ITEMS.len();
    let end = find(start, AFTER)?;
    let items = json.get(start..end)?;
    if !(items.starts_with('[') && items.ends_with(']')) {
        return None;
    }
    let mut rest = String::with_capacity(json.len() - items.len() + 2);
    rest.push_str(json.get(..start)?);
    rest.push_str("[]");
    rest.push_str(json.get(end..)?);
    Some((rest, items.to_string()))
}

/// Reads a Pod Security Standards level and version as namespace labels spell
/// them (`restricted`, `v1.30`); the failure carries the core's message, which
/// names the value and what is expected.
pub fn pss_settings(level: &str, version: &str) -> Result<(PssLevel, PssVersion), Failure> {
    let level = level.parse::<PssLevel>().map_err(|error| Failure::new(error.message))?;
    let version = version.parse::<PssVersion>().map_err(|error| Failure::new(error.message))?;
    Ok((level, version))
}

/// Evaluates the objects of `inputs` against a Pod Security Standards level
/// and version. File names must be distinct, as for [`scan`].
pub fn pss(engine: &Engine, inputs: &[Input], level: PssLevel, version: PssVersion) -> Result<Scanned, Failure> {
    let texts = texts_by_name(inputs, "pss")?;
    let report = engine.pss(&sources(inputs), level, version);
    let ranges = crate::offsets::pss_utf16_ranges(&report, &texts);
    let json = encode(serde_json::to_string(&report), "Pod Security Standards result")?;
    Ok(Scanned { json, ranges, findings: Encoded::default(), finding_count: 0, scorecard_items: String::new() })
}

/// The RBAC review (who can do what) of `inputs` as compact JSON, exactly the
/// core's. File names must be distinct, since grants name their files.
pub fn rbac_review_json(engine: &Engine, inputs: &[Input]) -> Result<String, Failure> {
    texts_by_name(inputs, "rbacReview")?;
    encode(serde_json::to_string(&engine.rbac_review(&sources(inputs))), "RBAC review")
}

/// The catalog of checks as JSON.
pub fn checks_json() -> Result<String, Failure> {
    encode(serde_json::to_string(&kubeward::checks()), "catalog")
}

#[cfg(test)]
mod tests {
    use super::*;

    const INSECURE: &str = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web # 😀 漢字\nspec:\n  containers:\n  - name: app\n    image: nginx\n    securityContext:\n      privileged: true\n";

    /// What `build_report` in `lib.rs` does: the report with its findings
    /// decoded and `from` and `to` on every range.
    fn scan_to_value(engine: &Engine, inputs: &[Input]) -> Result<serde_json::Value, Failure> {
        let scanned = scan(engine, inputs)?;
        let mut report: serde_json::Value = serde_json::from_str(&scanned.json).unwrap();
        assert_eq!(report["findings"], serde_json::json!([]));
        report["findings"] = crate::findings::tests::decode(&scanned.findings, scanned.finding_count).into();
        assert_eq!(report["scorecard"]["items"], serde_json::json!([]));
        report["scorecard"]["items"] = serde_json::from_str(&scanned.scorecard_items).unwrap();
        let mut ranges = scanned.ranges.chunks(2);
        for section in ["documents", "errors"] {
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
    fn scorecard_items_are_cut_out_whole_whatever_their_strings_hold() {
        let json = r#"{"documents":[{"file":"\"scorecard\":{\"items\":[x"}],"scorecard":{"counts":{"pass":1},"items":[{"id":"1.1","reason":"a ] and }, \"inventory\": and \\"}]},"inventory":{"items":[1]}}"#;
        let (rest, items) = split_scorecard_items(json).unwrap();
        assert_eq!(items, r#"[{"id":"1.1","reason":"a ] and }, \"inventory\": and \\"}]"#);
        assert_eq!(
            rest,
            r#"{"documents":[{"file":"\"scorecard\":{\"items\":[x"}],"scorecard":{"counts":{"pass":1},"items":[]},"inventory":{"items":[1]}}"#
        );
        let parsed: serde_json::Value = serde_json::from_str(&items).unwrap();
        assert_eq!(parsed[0]["reason"], "a ] and }, \"inventory\": and \\");
        assert!(split_scorecard_items(r#"{"scorecard":{"items":[]}}"#).is_none());
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

    const RBAC: &str = "apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: admins, namespace: shop}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}\nsubjects:\n- {kind: User, name: zoë}\n";

    #[test]
    fn pss_without_from_and_to_is_the_core_result() {
        let engine = Engine::default();
        let inputs = [input("pod.yaml", INSECURE), input("broken.yaml", "a: [")];
        let (level, version) = pss_settings("baseline", "v1.30").unwrap();
        let evaluated = pss(&engine, &inputs, level, version).unwrap();
        let mut ours: serde_json::Value = serde_json::from_str(&evaluated.json).unwrap();
        let sources = [Source::new("pod.yaml", INSECURE.as_bytes()), Source::new("broken.yaml", b"a: [")];
        let core: serde_json::Value = serde_json::from_str(&engine.pss(&sources, level, version).to_json()).unwrap();
        assert_eq!(ours, core);
        // One pair of UTF-16 offsets per violation and error, the privileged one on its text.
        let violations: Vec<&serde_json::Value> =
            ours["objects"].as_array().unwrap().iter().flat_map(|o| o["violations"].as_array().unwrap()).collect();
        assert_eq!(evaluated.ranges.len(), 2 * (violations.len() + ours["errors"].as_array().unwrap().len()));
        let at = violations.iter().position(|v| v["check"] == "privileged").expect("a privileged violation");
        let units: Vec<u16> = INSECURE.encode_utf16().collect();
        let (from, to) = (evaluated.ranges[2 * at] as usize, evaluated.ranges[2 * at + 1] as usize);
        assert_eq!(String::from_utf16(&units[from..to]).unwrap(), "privileged: true");
        ours["level"] = "changed".into();
        assert_ne!(ours, core);
    }

    #[test]
    fn pss_settings_refuse_unknown_levels_and_versions_with_the_core_message() {
        assert_eq!(pss_settings("restricted", "latest").unwrap(), (PssLevel::Restricted, PssVersion::LATEST));
        let error = pss_settings("strict", "latest").unwrap_err();
        assert_eq!(error.message, "strict".parse::<PssLevel>().unwrap_err().message);
        let error = pss_settings("baseline", "v1.05").unwrap_err();
        assert!(error.message.contains("`v1.05`") && error.message.contains("leading zero"), "{error:?}");
        assert_eq!(error.position, None);
    }

    #[test]
    fn rbac_review_is_the_core_review_and_names_must_be_distinct() {
        let engine = Engine::default();
        let json = rbac_review_json(&engine, &[input("rbac.yaml", RBAC), input("pod.yaml", INSECURE)]).unwrap();
        let sources = [Source::new("pod.yaml", INSECURE.as_bytes()), Source::new("rbac.yaml", RBAC.as_bytes())];
        let core = engine.rbac_review(&sources);
        assert_eq!(serde_json::from_str::<serde_json::Value>(&json).unwrap(), serde_json::to_value(&core).unwrap());
        assert_eq!(core.subjects[0].name, "zoë");
        let error = rbac_review_json(&engine, &[input("a", RBAC), input("a", RBAC)]).unwrap_err();
        assert!(error.message.starts_with("rbacReview: the file name `a` is given twice"), "{error:?}");
        let error = pss(&engine, &[input("a", RBAC), input("a", RBAC)], PssLevel::Baseline, PssVersion::LATEST);
        assert!(error.unwrap_err().message.starts_with("pss: the file name `a` is given twice"));
    }
}
