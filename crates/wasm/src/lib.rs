//! WebAssembly bindings of kubeward, for browser editors and Node.js.
//!
//! A thin layer over the core: it reads the configuration (a JavaScript object
//! or YAML/JSON text), scans texts, and hands back the core's JSON report as a
//! plain JavaScript object in which every `range` also carries `from` and `to`,
//! UTF-16 offsets into the scanned text (what CodeMirror and Monaco index by).
//!
//! Every failure reaches JavaScript as an `Error` with a message; the engine
//! stays usable afterwards (after an internal panic, which no known input
//! causes, the module restarts and engines must be made again: see
//! `install_panic_hook`).
//!
//! ```js
//! import init, { Engine } from "kubeward-wasm";
//! await init();
//! const engine = new Engine({ checks: { "run-as-non-root": { severity: "critical" } } });
//! const report = engine.scan(text, "deployment.yaml");
//! for (const f of report.findings) console.log(f.range.from, f.range.to, f.check, f.message);
//! ```
//!
//! The engine also evaluates Pod Security Standards (`engine.pss(input, level,
//! version)`, whose violations' ranges carry `from` and `to` too) and reviews
//! RBAC (`engine.rbacReview(input)`), returning the core's results as objects.

#![warn(missing_docs)]

pub mod api;
pub mod findings;
pub mod offsets;

use js_sys::{Array, Reflect, JSON};
use wasm_bindgen::prelude::*;

use crate::api::{Failure, Input};

/// Today's date (UTC, YYYY-MM-DD) from the host's clock.
fn host_today() -> String {
    let iso = String::from(js_sys::Date::new_0().to_iso_string());
    iso.get(..10).unwrap_or_default().to_string()
}

/// The TypeScript declarations of the report, the configuration and the
/// catalog, generated from the Rust types by `tests/typescript.rs`.
#[wasm_bindgen(typescript_custom_section)]
const TYPES: &str = include_str!("../types/kubeward.d.ts");

/// Name given to a text scanned without a file name.
pub const DEFAULT_FILE_NAME: &str = "input.yaml";

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = console, js_name = error)]
    fn console_error(message: &str);
}

/// Turns a panic, should one ever happen (no known input causes one), into a
/// JavaScript `Error` with the panic's message instead of a bare
/// `RuntimeError: unreachable` trap, and schedules a fresh WebAssembly
/// instance for the next call, since the panicking one is left half-way.
/// Engines made before the panic then throw ("stale object") and must be
/// made again; everything else keeps working.
///
/// With `panic = "abort"` (the wasm32 standard library cannot unwind) the
/// hook is the last Rust code that runs: throwing from it abandons the
/// panicking call's frames, which is what the trap would have done anyway.
fn install_panic_hook() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if cfg!(target_arch = "wasm32") {
                console_error(&format!("kubeward panicked: {info}"));
                let payload = info.payload();
                let message = payload
                    .downcast_ref::<&str>()
                    .copied()
                    .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
                    .unwrap_or("panic");
                let location =
                    info.location().map(|at| format!(" (at {}:{})", at.file(), at.line())).unwrap_or_default();
                wasm_bindgen::handler::schedule_reinit();
                wasm_bindgen::throw_str(&format!("kubeward: internal error: {message}{location}"));
            } else {
                default(info);
            }
        }));
    });
}

/// Panics on purpose, to test the panic hook (only in builds with the
/// `test-panic` feature; never in the published package).
#[cfg(feature = "test-panic")]
#[wasm_bindgen(js_name = testPanic)]
pub fn test_panic() {
    install_panic_hook();
    panic!("a panic on purpose");
}

/// A JavaScript `Error` carrying the failure's message, and `line` and
/// `column` properties when the failure has a position.
fn to_js_error(failure: Failure) -> JsValue {
    let error = js_sys::Error::new(&failure.message);
    if let Some((line, column)) = failure.position {
        // Setting a property on a fresh Error cannot fail; ignore the result.
        let _ = Reflect::set(&error, &"line".into(), &line.into());
        let _ = Reflect::set(&error, &"column".into(), &column.into());
    }
    error.into()
}

/// Parses JSON the binding itself produced into a JavaScript value.
fn parse_json(json: &str) -> Result<JsValue, Failure> {
    JSON::parse(json).map_err(|_| Failure::new("kubeward: cannot decode the result"))
}

#[wasm_bindgen(inline_js = "
const ABSENT = 0xffffffff;
export function build_report(json, ranges, strings, numbers, count, items) {
  const report = JSON.parse(json);
  lazy_json(report.scorecard, 'items', items);
  let i = 0;
  for (const entry of report.documents) {
    entry.range.from = ranges[i++];
    entry.range.to = ranges[i++];
  }
  for (const entry of report.errors) {
    entry.range.from = ranges[i++];
    entry.range.to = ranges[i++];
  }
  report.findings = decode_findings(strings, numbers, count);
  return report;
}
// Makes `object[key]` the parse of `json` when it is first read (or the value
// it is first given), keeping the key where it stands among the others.
function lazy_json(object, key, json) {
  const settle = (target, value) => {
    Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
    return value;
  };
  Object.defineProperty(object, key, {
    get() { return settle(this, JSON.parse(json)); },
    set(value) { settle(this, value); },
    enumerable: true,
    configurable: true,
  });
}
function decode_findings(strings, numbers, count) {
  let n = 0;
  let at = 0;
  const text = (length) => strings.slice(at, (at += length));
  const optional = (length) => (length === ABSENT ? null : text(length));
  const findings = new Array(count);
  for (let f = 0; f < count; f++) {
    const check = text(numbers[n++]);
    const severity = text(numbers[n++]);
    const message = text(numbers[n++]);
    const items = new Array(numbers[n++]);
    for (let k = 0; k < items.length; k++) items[k] = text(numbers[n++]);
    const apiVersion = text(numbers[n++]);
    const kind = text(numbers[n++]);
    const namespace = optional(numbers[n++]);
    const object = { apiVersion, kind, namespace, name: optional(numbers[n++]) };
    const finding = { check, severity, message, items, object, file: text(numbers[n++]), document: numbers[n++] };
    const item = numbers[n++];
    if (item !== ABSENT) finding.item = item;
    finding.path = text(numbers[n++]);
    const start = { line: numbers[n], column: numbers[n + 1], offset: numbers[n + 2] };
    const end = { line: numbers[n + 3], column: numbers[n + 4], offset: numbers[n + 5] };
    finding.range = { start, end, from: numbers[n + 6], to: numbers[n + 7] };
    n += 8;
    const container = numbers[n++];
    if (container !== ABSENT) finding.container = text(container);
    if (numbers[n++] === 1) {
      const suppressed = { by: text(numbers[n++]), reason: text(numbers[n++]) };
      const expires = numbers[n++];
      if (expires !== ABSENT) suppressed.expires = text(expires);
      finding.suppressed = suppressed;
    }
    findings[f] = finding;
  }
  return findings;
}
export function attach_pss_ranges(json, ranges) {
  const report = JSON.parse(json);
  let i = 0;
  const entries = report.objects.flatMap((object) => object.violations).concat(report.errors);
  for (const entry of entries) {
    entry.range.from = ranges[i++];
    entry.range.to = ranges[i++];
  }
  return report;
}")]
extern "C" {
    /// Parses the report's JSON, sets `from` and `to` on the range of each
    /// document and error, in report order, from `ranges` (see
    /// [`offsets::utf16_ranges`]), puts in the `count` findings decoded
    /// from `strings` and `numbers` (see [`findings`]), and makes the
    /// scorecard's `items` the parse of `items` when they are first read.
    #[wasm_bindgen(catch)]
    fn build_report(
        json: &str,
        ranges: &[u32],
        strings: &str,
        numbers: &[u32],
        count: usize,
        items: &str,
    ) -> Result<JsValue, JsValue>;

    /// Parses a Pod Security Standards result's JSON and sets `from` and `to`
    /// on the range of each violation and error, in result order, from
    /// `ranges` (see [`offsets::pss_utf16_ranges`]).
    #[wasm_bindgen(catch)]
    fn attach_pss_ranges(json: &str, ranges: &[u32]) -> Result<JsValue, JsValue>;
}

/// The report of a scan as a JavaScript object with UTF-16 offsets.
fn report_value(scanned: api::Scanned) -> Result<JsValue, Failure> {
    let api::Scanned { json, ranges, findings, finding_count, scorecard_items } = scanned;
    build_report(&json, &ranges, &findings.strings, &findings.numbers, finding_count, &scorecard_items)
        .map_err(|_| Failure::new("kubeward: cannot decode the report"))
}

/// A Pod Security Standards result as a JavaScript object with UTF-16 offsets.
fn pss_value(evaluated: api::Scanned) -> Result<JsValue, Failure> {
    attach_pss_ranges(&evaluated.json, &evaluated.ranges)
        .map_err(|_| Failure::new("kubeward: cannot decode the Pod Security Standards result"))
}

/// Runs `work` behind the panic guard and converts its outcome for JavaScript.
fn run<T>(what: &str, work: impl FnOnce() -> Result<T, Failure>) -> Result<T, JsValue> {
    install_panic_hook();
    api::guard(what, work).map_err(to_js_error)
}

/// A string argument, or a failure naming the argument.
fn string_argument(value: &JsValue, what: &str) -> Result<String, Failure> {
    value.as_string().ok_or_else(|| Failure::new(format!("{what} must be a string")))
}

/// A text argument, or a failure that says it is missing (`missing`) or too
/// long. A text longer than the configured `limits.maxFileBytes` is refused
/// before it is copied into WebAssembly memory (a text of `n` UTF-16 units
/// needs at least `n` bytes of UTF-8), so that a huge string cannot exhaust
/// the module's memory.
fn text_argument(value: &JsValue, missing: &str, what: &str, max_bytes: u64) -> Result<String, Failure> {
    let Some(text) = value.dyn_ref::<js_sys::JsString>() else {
        return Err(Failure::new(missing));
    };
    let units = u64::from(text.length());
    if units > max_bytes {
        return Err(Failure::new(format!(
            "{what} is {units} characters long, over the limit of {max_bytes} bytes \
             (`limits.maxFileBytes` in the configuration)"
        )));
    }
    text.as_string().ok_or_else(|| Failure::new(missing))
}

/// Policy files given to the constructor (read with the default file-size limit).
fn policy_files(files: &JsValue) -> Result<Vec<Input>, Failure> {
    files_of(files, "new Engine: policies", kubeward::Limits::default().max_file_bytes)
}

/// An array of `{ name, text }` objects as inputs; `what` names the argument in messages.
fn files_of(files: &JsValue, what: &str, max: u64) -> Result<Vec<Input>, Failure> {
    let files = Array::from(files);
    let mut inputs = Vec::with_capacity(files.length() as usize);
    for (index, file) in files.iter().enumerate() {
        if !file.is_object() {
            return Err(Failure::new(format!("{what}: item {index} is not a {{ name, text }} object")));
        }
        let field = |key: &str| Reflect::get(&file, &key.into()).ok();
        let name = field("name")
            .and_then(|value| value.as_string())
            .ok_or_else(|| Failure::new(format!("{what}: item {index} has no string `name`")))?;
        let text = text_argument(
            &field("text").unwrap_or(JsValue::UNDEFINED),
            &format!("{what}: item {index} has no string `text`"),
            &format!("{what}: the text of `{name}`"),
            max,
        )?;
        inputs.push(Input { name, text });
    }
    Ok(inputs)
}

/// The kubeward engine: a validated configuration, ready to scan.
#[wasm_bindgen]
pub struct Engine {
    inner: kubeward::Engine,
}

#[wasm_bindgen]
impl Engine {
    /// Builds an engine. `config` is a configuration object, YAML or JSON
    /// text, or absent for the defaults. A bad configuration throws an `Error`
    /// whose message names the key (and, for text, its line and column, which
    /// are also the error's `line` and `column` properties).
    ///
    /// `policies` (the package built with policies, see the README) is an
    /// array of `{ name, text }` policy files: ValidatingAdmissionPolicies,
    /// their bindings and parameter objects, compiled now; a problem in one
    /// throws an `Error` whose message starts with `name:line:column:`.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_optional_param_type = "Config | string | null")] config: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "ScanInput[] | null")] policies: JsValue,
    ) -> Result<Engine, JsValue> {
        run("new Engine", || {
            let json;
            let text;
            let source = if config.is_undefined() || config.is_null() {
                api::ConfigText::Default
            } else if let Some(value) = config.as_string() {
                text = value;
                api::ConfigText::Text(&text)
            } else if config.is_object() && !config.is_function() {
                json = JSON::stringify(&config)
                    .ok()
                    .and_then(|json| json.as_string())
                    .ok_or_else(|| Failure::new("configuration: the object cannot be converted to JSON"))?;
                api::ConfigText::Object(&json)
            } else {
                return Err(Failure::new("configuration: expected an object or YAML/JSON text"));
            };
            let files = if policies.is_undefined() || policies.is_null() {
                Vec::new()
            } else if Array::is_array(&policies) {
                policy_files(&policies)?
            } else {
                return Err(Failure::new("new Engine: `policies` must be an array of { name, text } objects"));
            };
            let inner = match (source, files.is_empty()) {
                (api::ConfigText::Default, true) => kubeward::Engine::default(),
                (api::ConfigText::Text(text), true) => api::engine_from_text(text)?,
                (api::ConfigText::Object(json), true) => api::engine_from_object_json(json)?,
                (source, false) => api::engine_with_policies(source, &files)?,
            };
            // Expired exemptions stop applying on the host's today, unless the configuration sets `today`.
            Ok(Engine { inner: inner.with_today(&host_today()) })
        })
    }

    /// Scans one text and returns the report. `fileName` (default
    /// `input.yaml`) is the name the report gives the file.
    #[wasm_bindgen(unchecked_return_type = "Report")]
    pub fn scan(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] text: JsValue,
        #[wasm_bindgen(js_name = fileName, unchecked_optional_param_type = "string")] file_name: JsValue,
    ) -> Result<JsValue, JsValue> {
        run("scan", || {
            let max = self.inner.config().limits.max_file_bytes;
            let text = text_argument(&text, "scan: `text` must be a string", "scan: `text`", max)?;
            let name = if file_name.is_undefined() || file_name.is_null() {
                DEFAULT_FILE_NAME.to_string()
            } else {
                string_argument(&file_name, "scan: `fileName`")?
            };
            report_value(api::scan(&self.inner, &[Input { name, text }])?)
        })
    }

    /// The fixes the findings of `text` offer, for an editor's quick fixes
    /// (with the `fixes` feature, on by default):
    /// per finding with any (`finding` is its index in `scan(text, fileName)`'s
    /// findings), its UTF-16 range and its fixes, the check's own first (`safe`
    /// or `unsafe`), then the exemption; each edit replaces the UTF-16 range
    /// `from..to` of `text` with `text`. See docs/fixes.md.
    #[cfg(feature = "fixes")]
    #[wasm_bindgen(
        unchecked_return_type = "{ finding: number; check: string; path: string; from: number; to: number; \
        fixes: { title: string; safety: \"safe\" | \"unsafe\" | \"exemption\"; edits: { from: number; to: number; text: string }[] }[] }[]"
    )]
    pub fn fixes(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] text: JsValue,
        #[wasm_bindgen(js_name = fileName, unchecked_optional_param_type = "string")] file_name: JsValue,
    ) -> Result<JsValue, JsValue> {
        run("fixes", || {
            let max = self.inner.config().limits.max_file_bytes;
            let text = text_argument(&text, "fixes: `text` must be a string", "fixes: `text`", max)?;
            let name = if file_name.is_undefined() || file_name.is_null() {
                DEFAULT_FILE_NAME.to_string()
            } else {
                string_argument(&file_name, "fixes: `fileName`")?
            };
            parse_json(&api::fixes_json(&self.inner, &Input { name, text })?)
        })
    }

    /// Scans several files together (cross-object checks see all of them) and
    /// returns one report. File names must be distinct.
    #[wasm_bindgen(js_name = scanMany, unchecked_return_type = "Report")]
    pub fn scan_many(
        &self,
        #[wasm_bindgen(unchecked_param_type = "ScanInput[]")] files: JsValue,
    ) -> Result<JsValue, JsValue> {
        run("scanMany", || {
            if !Array::is_array(&files) {
                return Err(Failure::new("scanMany: expected an array of { name, text } objects"));
            }
            let inputs = self.files_argument(&files, "scanMany")?;
            report_value(api::scan(&self.inner, &inputs)?)
        })
    }

    /// Evaluates every object of `input` (one text, named `input.yaml`, or an
    /// array of `{ name, text }` files with distinct names) against a Pod
    /// Security Standards `level` (`privileged`, `baseline`, `restricted`) and
    /// `version` (`latest` or `v1.<minor>`, e.g. `v1.30`), and returns the
    /// result: the core's, with UTF-16 `from` and `to` added to the range of
    /// every violation and error. An unknown level or version throws an
    /// `Error` whose message names it.
    #[wasm_bindgen(unchecked_return_type = "PssReport")]
    pub fn pss(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string | ScanInput[]")] input: JsValue,
        #[wasm_bindgen(unchecked_param_type = "PssLevel")] level: JsValue,
        #[wasm_bindgen(unchecked_param_type = "PssVersion")] version: JsValue,
    ) -> Result<JsValue, JsValue> {
        run("pss", || {
            let inputs = self.input_argument(&input, "pss")?;
            let level = string_argument(&level, "pss: `level`")?;
            let version = string_argument(&version, "pss: `version`")?;
            let (level, version) = api::pss_settings(&level, &version)?;
            pss_value(api::pss(&self.inner, &inputs, level, version)?)
        })
    }

    /// Reviews the RBAC objects of `input` (one text, named `input.yaml`, or
    /// an array of `{ name, text }` files with distinct names) and returns who
    /// can do what: per subject, each grant with its verbs, resources and
    /// scope, and the binding and role rule it comes from (the core's review).
    #[wasm_bindgen(js_name = rbacReview, unchecked_return_type = "RbacReview")]
    pub fn rbac_review(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string | ScanInput[]")] input: JsValue,
    ) -> Result<JsValue, JsValue> {
        run("rbacReview", || {
            let inputs = self.input_argument(&input, "rbacReview")?;
            parse_json(&api::rbac_review_json(&self.inner, &inputs)?)
        })
    }
}

impl Engine {
    /// Reads an array of `{ name, text }` objects; `what` names the method in
    /// failure messages. Texts over `limits.maxFileBytes` are refused before
    /// they are copied in.
    fn files_argument(&self, files: &JsValue, what: &str) -> Result<Vec<Input>, Failure> {
        files_of(files, what, self.inner.config().limits.max_file_bytes)
    }

    /// Reads the input of `pss` and `rbacReview`: one text (named
    /// `input.yaml`) or an array of `{ name, text }` objects.
    fn input_argument(&self, input: &JsValue, what: &str) -> Result<Vec<Input>, Failure> {
        if Array::is_array(input) {
            return self.files_argument(input, what);
        }
        if input.dyn_ref::<js_sys::JsString>().is_none() {
            return Err(Failure::new(format!("{what}: expected a text or an array of {{ name, text }} objects")));
        }
        let max = self.inner.config().limits.max_file_bytes;
        let text =
            text_argument(input, &format!("{what}: `input` must be a string"), &format!("{what}: `input`"), max)?;
        Ok(vec![Input { name: DEFAULT_FILE_NAME.to_string(), text }])
    }
}

/// Every check, in catalog order.
#[wasm_bindgen(unchecked_return_type = "CheckInfo[]")]
pub fn checks() -> Result<JsValue, JsValue> {
    run("checks", || parse_json(&api::checks_json()?))
}

/// The text `kubeward explain ID` prints, or `undefined` for an unknown id.
#[wasm_bindgen(unchecked_return_type = "string | undefined")]
pub fn explain(#[wasm_bindgen(unchecked_param_type = "string")] id: JsValue) -> Result<JsValue, JsValue> {
    run("explain", || {
        let id = string_argument(&id, "explain: `id`")?;
        Ok(kubeward::explain(&id).map_or(JsValue::UNDEFINED, |text| text.into()))
    })
}

/// The version of kubeward.
#[wasm_bindgen]
pub fn version() -> String {
    kubeward::VERSION.to_string()
}
