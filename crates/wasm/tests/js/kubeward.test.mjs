// Tests of the built npm package (crates/wasm/pkg) with Node's own test runner.
// Run by scripts/test-wasm.sh after build.sh and the `expected_reports` example.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";

import { initSync, Engine, checks, explain, version } from "../../pkg/kubeward_wasm.js";

const here = dirname(fileURLToPath(import.meta.url));
const crateDir = join(here, "..", "..");
const fixturesDir = join(crateDir, "tests", "fixtures");
const expectedDir = process.env.KUBEWARD_EXPECTED_DIR ?? join(crateDir, "..", "..", "target", "wasm-expected");

initSync({ module: readFileSync(join(crateDir, "pkg", "kubeward_wasm_bg.wasm")) });

const fixtures = readdirSync(fixturesDir).filter((name) => name.endsWith(".yaml")).sort();
const readFixture = (name) => readFileSync(join(fixturesDir, name), "utf8");

/** The report without the `from`/`to` the WebAssembly layer adds, counting them. */
function withoutUtf16(report) {
  let removed = 0;
  const copy = structuredClone(report);
  for (const section of ["documents", "findings", "errors"]) {
    for (const entry of copy[section]) {
      assert.equal(typeof entry.range.from, "number", `${section} range.from`);
      assert.equal(typeof entry.range.to, "number", `${section} range.to`);
      delete entry.range.from;
      delete entry.range.to;
      removed += 1;
    }
  }
  return { report: copy, removed };
}

/** Every range's UTF-16 slice equals the UTF-8 byte slice its offsets name. */
function assertOffsetsAgree(report, texts) {
  for (const section of ["documents", "findings", "errors"]) {
    for (const entry of report[section]) {
      const text = texts[entry.file];
      const bytes = Buffer.from(text, "utf8");
      const { start, end, from, to } = entry.range;
      assert.equal(
        text.slice(from, to),
        bytes.subarray(start.offset, end.offset).toString("utf8"),
        `${section} ${entry.check ?? entry.message ?? ""} in ${entry.file}`,
      );
    }
  }
}

/**
 * A Pod Security Standards result without the `from`/`to` the WebAssembly layer
 * adds to the range of every violation and error, counting them.
 */
function pssWithoutUtf16(result) {
  let removed = 0;
  const copy = structuredClone(result);
  for (const entry of copy.objects.flatMap((object) => object.violations).concat(copy.errors)) {
    assert.equal(typeof entry.range.from, "number", "range.from");
    assert.equal(typeof entry.range.to, "number", "range.to");
    delete entry.range.from;
    delete entry.range.to;
    removed += 1;
  }
  return { result: copy, removed };
}

/** Every violation's and error's UTF-16 slice equals the UTF-8 byte slice its offsets name. */
function assertPssOffsetsAgree(result, texts) {
  const entries = result.objects
    .flatMap((object) => object.violations.map((violation) => [object.file, violation]))
    .concat(result.errors.map((error) => [error.file, error]));
  for (const [file, entry] of entries) {
    const bytes = Buffer.from(texts[file], "utf8");
    const { start, end, from, to } = entry.range;
    assert.equal(texts[file].slice(from, to), bytes.subarray(start.offset, end.offset).toString("utf8"), file);
  }
}

/** Calls `fn` and asserts that it throws a plain `Error` (not a trap) whose message matches. */
function assertJsError(fn, pattern) {
  let thrown;
  try {
    fn();
  } catch (error) {
    thrown = error;
  }
  assert.ok(thrown instanceof Error, `expected an Error, got ${thrown}`);
  assert.ok(!(thrown instanceof WebAssembly.RuntimeError), `trapped: ${thrown}`);
  assert.match(thrown.message, pattern);
  return thrown;
}

const insecurePod = (prefix = "") =>
  `${prefix}apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: app\n    image: nginx\n    securityContext:\n      privileged: true\n`;

test("each fixture's report equals the Rust core's JSON, plus from/to", () => {
  assert.ok(fixtures.length >= 3);
  const engine = new Engine();
  for (const name of fixtures) {
    const text = readFixture(name);
    const report = engine.scan(text, name);
    const expected = JSON.parse(readFileSync(join(expectedDir, `${name}.json`), "utf8"));
    const { report: stripped, removed } = withoutUtf16(report);
    assert.ok(removed > 0, name);
    assert.deepStrictEqual(stripped, expected, name);
    assertOffsetsAgree(report, { [name]: text });
  }
});

test("scanMany equals the Rust core's scan of all fixtures together", () => {
  const engine = new Engine();
  const files = fixtures.map((name) => ({ name, text: readFixture(name) }));
  const report = engine.scanMany(files.slice().reverse());
  const expected = JSON.parse(readFileSync(join(expectedDir, "all.json"), "utf8"));
  assert.deepStrictEqual(withoutUtf16(report).report, expected);
  assertOffsetsAgree(report, Object.fromEntries(files.map((f) => [f.name, f.text])));
  assert.equal(report.summary.files, fixtures.length);
});

test("the scorecard's items, parsed when first read, behave as a plain property", () => {
  const engine = new Engine();
  const name = fixtures[0];
  const expected = JSON.parse(readFileSync(join(expectedDir, `${name}.json`), "utf8"));
  const report = engine.scan(readFixture(name), name);
  // The key keeps its place, and serializing the report parses the items.
  assert.deepStrictEqual(Object.keys(report.scorecard), Object.keys(expected.scorecard));
  assert.deepStrictEqual(JSON.parse(JSON.stringify(report.scorecard)), expected.scorecard);
  assert.equal(report.scorecard.items.length, expected.scorecard.items.length);
  assert.ok(report.scorecard.items.length > 50);
  // Read once, the same array afterwards; a value given is kept as given.
  assert.strictEqual(report.scorecard.items, report.scorecard.items);
  report.scorecard.items[0].status = "changed";
  assert.equal(report.scorecard.items[0].status, "changed");
  const other = engine.scan(readFixture(name), name);
  other.scorecard.items = [];
  assert.deepStrictEqual(other.scorecard.items, []);
  assert.deepStrictEqual(Object.keys(other.scorecard), Object.keys(expected.scorecard));
});

test("UTF-16 offsets are exact right after an emoji or a CJK comment", () => {
  const engine = new Engine();
  for (const prefix of ["# 😀\n", "# 漢字のコメント\n", "# 👩‍💻🚀 𝄞 é\n"]) {
    const text = insecurePod(prefix);
    const report = engine.scan(text, "pod.yaml");
    const finding = report.findings.find((f) => f.check === "no-privileged");
    assert.ok(finding, prefix);
    assert.equal(text.slice(finding.range.from, finding.range.to), "privileged: true");
    assert.equal(finding.range.from, text.indexOf("privileged: true"));
    assert.ok(finding.range.start.offset > finding.range.from, "bytes and UTF-16 units differ");
    assert.equal(finding.range.start.line, 11);
  }
  // Lone surrogates become U+FFFD, one unit each, so offsets after them still hold.
  const text = insecurePod("# \ud800 \udc00\n");
  const finding = engine.scan(text).findings.find((f) => f.check === "no-privileged");
  assert.equal(finding.range.from, text.indexOf("privileged: true"));
  assert.equal(finding.file, "input.yaml");
});

test("configuration: objects and text, and errors that name the key and position", () => {
  const severe = new Engine({ checks: { "no-privileged": { severity: "critical" } } });
  const finding = severe.scan(insecurePod()).findings.find((f) => f.check === "no-privileged");
  assert.equal(finding.severity, "critical");
  const off = new Engine("checks:\n  no-privileged:\n    enabled: false\n");
  assert.ok(!off.scan(insecurePod()).findings.some((f) => f.check === "no-privileged"));
  assert.ok(new Engine(null) instanceof Engine);
  assert.ok(new Engine('{"allowInlineIgnores": false}') instanceof Engine);

  const fromText = assertJsError(
    () => new Engine("checks: {}\nproduction:\n  namespace: [prod]\n"),
    /line 3, column 3.*unknown field `namespace`/,
  );
  assert.equal(fromText.line, 3);
  assert.equal(fromText.column, 3);
  assertJsError(() => new Engine({ production: { namespace: ["prod"] } }), /unknown field `namespace`.*production/);
  assertJsError(() => new Engine({ checks: { "no-such-check": {} } }), /unknown check `no-such-check`/);
  assertJsError(() => new Engine({ checks: { "no-privileged": { severity: "dire" } } }), /dire/);
  assertJsError(() => new Engine("checks: [\n"), /configuration line/);
  assertJsError(() => new Engine(42), /expected an object or YAML\/JSON text/);
  assertJsError(() => new Engine(() => 1), /expected an object/);
  const cyclic = {};
  cyclic.self = cyclic;
  assertJsError(() => new Engine(cyclic), /cannot be converted to JSON/);
  assertJsError(() => new Engine({ limits: { maxDepth: 10n } }), /cannot be converted to JSON/);
});

test("a 1 MB input is scanned, with offsets that agree", () => {
  const engine = new Engine();
  const one = insecurePod("# ünïcödé 😀\n");
  const copies = Math.ceil((1024 * 1024) / Buffer.byteLength(one)) + 1;
  // Each pod named apart: byte-identical copies would be one object, checked once.
  const text = Array.from({ length: copies }, (_, i) => one.replace("name: web", `name: web-${i}`)).join("---\n");
  assert.ok(Buffer.byteLength(text) > 1024 * 1024);
  const report = engine.scan(text, "big.yaml");
  assert.equal(report.documents.length, copies);
  const privileged = report.findings.filter((f) => f.check === "no-privileged");
  assert.equal(privileged.length, copies);
  const last = privileged[privileged.length - 1];
  assert.equal(text.slice(last.range.from, last.range.to), "privileged: true");
  assert.equal(last.range.from, text.lastIndexOf("privileged: true"));
});

test("hostile inputs give a report or an Error, never a trap, and the engine stays usable", () => {
  const engine = new Engine();
  const laughs =
    "a: &a [x, x, x, x, x, x, x, x, x, x]\n" +
    ["b", "c", "d", "e", "f", "g", "h"]
      .map((name, i) => `${name}: &${name} [${Array(10).fill("*" + "abcdefg"[i]).join(", ")}]`)
      .join("\n");
  const texts = [
    "",
    "\0".repeat(1000),
    "\ufeff\ufeff",
    "[".repeat(200000),
    "{a: ".repeat(50000),
    "- ".repeat(50000) + "x",
    laughs,
    "a: " + "x".repeat(2 * 1024 * 1024),
    "&a a: *a\n",
    "kind: List\napiVersion: v1\nitems: [1, null, {kind: Pod}, [[]]]\n",
    "apiVersion: v1\nkind: Pod\nmetadata: 7\nspec: {containers: 3}\n",
    "%YAML 9.9\n--- !!binary |\n  ????\n",
    "\ud800".repeat(1000),
  ];
  for (const text of texts) {
    const report = engine.scan(text, "hostile.yaml");
    assert.equal(report.tool.name, "kubeward");
    assertOffsetsAgree(report, { "hostile.yaml": text.replace(/[\ud800-\udfff]/g, "\ufffd") });
  }
  const failures = [
    [() => engine.scan(), /`text` must be a string/],
    [() => engine.scan(42), /`text` must be a string/],
    [() => engine.scan("a: 1", 7), /`fileName` must be a string/],
    [() => engine.scanMany("x"), /expected an array/],
    [() => engine.scanMany([null]), /item 0 is not/],
    [() => engine.scanMany([{ name: "a" }]), /item 0 has no string `text`/],
    [() => engine.scanMany([{ name: "a", text: "" }, { name: "a", text: "" }]), /`a` is given twice/],
    [() => explain(undefined), /`id` must be a string/],
  ];
  for (const [fn, pattern] of failures) {
    assertJsError(fn, pattern);
    // Usable after every failure.
    assert.ok(engine.scan(insecurePod()).findings.some((f) => f.check === "no-privileged"));
  }
  assert.deepStrictEqual(engine.scanMany([]).findings, []);
});

test("a text over limits.maxFileBytes is refused with an Error before it is copied in", () => {
  const small = new Engine({ limits: { maxFileBytes: 1000 } });
  assertJsError(() => small.scan("#".repeat(1001)), /scan: `text` is 1001 characters long.*maxFileBytes/);
  assertJsError(
    () => small.scanMany([{ name: "big.yaml", text: "#".repeat(5000) }]),
    /the text of `big.yaml` is 5000 characters long/,
  );
  // Within the limit in characters but over it in bytes: the core's error entry, not an Error.
  const report = small.scan("# " + "é".repeat(600));
  assert.equal(report.errors.length, 1);
  assert.equal(report.errors[0].range.from, 0);
  assert.equal(small.scan(insecurePod()).findings.length > 0, true);
});

test("pss equals the Rust core's result, plus from/to, at each level and version", () => {
  const engine = new Engine();
  const files = fixtures.map((name) => ({ name, text: readFixture(name) }));
  const texts = Object.fromEntries(files.map((f) => [f.name, f.text]));
  for (const [level, version] of [["restricted", "latest"], ["baseline", "v1.25"]]) {
    const result = engine.pss(files.slice().reverse(), level, version);
    const expected = JSON.parse(readFileSync(join(expectedDir, `pss-${level}-${version}.json`), "utf8"));
    const { result: stripped, removed } = pssWithoutUtf16(result);
    assert.ok(removed > 0, `${level} ${version}: no violation or error`);
    assert.deepStrictEqual(stripped, expected, `${level} ${version}`);
    assertPssOffsetsAgree(result, texts);
  }
  // One text: named input.yaml, exact offsets after an emoji and CJK comment.
  const text = insecurePod("# 😀 漢字\n");
  const result = engine.pss(text, "baseline", "latest");
  assert.deepStrictEqual(result, engine.pss([{ name: "input.yaml", text }], "baseline", "latest"));
  const privileged = result.objects[0].violations.find((v) => v.check === "privileged");
  assert.ok(privileged, JSON.stringify(result));
  assert.equal(text.slice(privileged.range.from, privileged.range.to), "privileged: true");
  assert.equal(privileged.range.from, text.indexOf("privileged: true"));
  assert.equal(result.objects[0].allowed, false);
  assert.equal(engine.pss(text, "privileged", "latest").objects[0].allowed, true);
});

test("pss: an unknown level or version throws an Error with the core's message", () => {
  const engine = new Engine();
  const text = insecurePod();
  assertJsError(() => engine.pss(text, "strict", "latest"), /unknown Pod Security level `strict`/);
  assertJsError(() => engine.pss(text, "Baseline", "latest"), /unknown Pod Security level `Baseline`/);
  assertJsError(() => engine.pss(text, "baseline", "1.25"), /invalid Pod Security version `1.25`.*v1\./);
  assertJsError(() => engine.pss(text, "baseline", "v1.05"), /leading zero/);
  assertJsError(() => engine.pss(text, "baseline"), /pss: `version` must be a string/);
  assertJsError(() => engine.pss(text, 3, "latest"), /pss: `level` must be a string/);
  assertJsError(() => engine.pss(42, "baseline", "latest"), /pss: expected a text or an array/);
  assertJsError(() => engine.pss([{ name: "a" }], "baseline", "latest"), /pss: item 0 has no string `text`/);
  assertJsError(
    () => engine.pss([{ name: "a", text }, { name: "a", text }], "baseline", "latest"),
    /pss: the file name `a` is given twice/,
  );
  // Usable afterwards.
  assert.equal(engine.pss(text, "restricted", "latest").level, "restricted");
});

test("rbacReview equals the Rust core's review", () => {
  const engine = new Engine();
  const files = fixtures.map((name) => ({ name, text: readFixture(name) }));
  const review = engine.rbacReview(files.slice().reverse());
  const expected = JSON.parse(readFileSync(join(expectedDir, "rbac.json"), "utf8"));
  assert.deepStrictEqual(review, expected);
  const zoe = review.subjects.find((subject) => subject.name === "zoë@example.com");
  assert.ok(zoe, JSON.stringify(review.subjects));
  assert.deepStrictEqual(zoe.grants[0].verbs, ["get", "list", "watch"]);
  assert.equal(zoe.grants[0].binding.file, "rbac.yaml");
  // One text is named input.yaml; no RBAC objects give no subjects.
  const alone = engine.rbacReview(readFixture("rbac.yaml"));
  assert.ok(alone.subjects.every((s) => s.grants.every((g) => g.binding.file === "input.yaml")));
  assert.deepStrictEqual(engine.rbacReview(insecurePod()).subjects, []);
  assertJsError(() => engine.rbacReview(), /rbacReview: expected a text or an array/);
  assertJsError(() => engine.rbacReview([null]), /rbacReview: item 0 is not/);
});

test("checks, explain and version", () => {
  const catalog = checks();
  assert.ok(catalog.length > 5);
  const privileged = catalog.find((c) => c.id === "no-privileged");
  assert.ok(privileged && privileged.title && privileged.remediation);
  assert.match(explain("no-privileged"), /^no-privileged: /);
  assert.equal(explain("no-such-check"), undefined);
  assert.match(version(), /^\d+\.\d+\.\d+/);
  assert.equal(new Engine().scan("").tool.version, version());
});

test("the package without policies refuses policy files", () => {
  const policy = "apiVersion: admissionregistration.k8s.io/v1\nkind: ValidatingAdmissionPolicy\nmetadata:\n  name: p\n";
  assert.throws(() => new Engine(null, [{ name: "p.yaml", text: policy }]), /the `policies` feature/);
  assert.throws(() => new Engine(null, "not a list"), /`policies` must be an array/);
  assert.ok(new Engine(null, []) instanceof Engine, "no policy files: the default engine");
});
