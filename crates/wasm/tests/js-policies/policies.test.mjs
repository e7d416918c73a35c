// Tests of the npm package built with policies (build.sh with
// KUBEWARD_WASM_FEATURES=policies), run by scripts/test-wasm.sh: the example
// policy pack over its manifests gives the Rust core's report, and policy
// errors name the file, line and column.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..", "..", "..");
const pkg = process.env.KUBEWARD_POLICIES_PKG ?? join(root, "crates", "wasm", "pkg-policies");
const expectedDir = process.env.KUBEWARD_EXPECTED_DIR ?? join(root, "target", "wasm-expected");
const { initSync, Engine } = await import(join(pkg, "kubeward_wasm.js"));
initSync({ module: readFileSync(join(pkg, "kubeward_wasm_bg.wasm")) });

const files = (dir) =>
  readdirSync(join(root, "examples", "policies", dir))
    .sort()
    .map((name) => ({ name, text: readFileSync(join(root, "examples", "policies", dir, name), "utf8") }));

/** The report without the `from`/`to` the WebAssembly layer adds. */
function withoutUtf16(report) {
  const copy = structuredClone(report);
  for (const section of ["documents", "findings", "errors"]) {
    for (const entry of copy[section]) {
      delete entry.range.from;
      delete entry.range.to;
    }
  }
  return copy;
}

test("the example policy pack gives the Rust core's report", () => {
  const engine = new Engine(null, files("policies"));
  const report = engine.scanMany(files("k8s"));
  const expected = JSON.parse(readFileSync(join(expectedDir, "policies.json"), "utf8"));
  const actual = withoutUtf16(report);
  actual.scorecard.items = report.scorecard.items;
  assert.deepEqual(JSON.parse(JSON.stringify(actual)), expected);
  const replicas = report.findings.find((f) => f.check === "production-replicas");
  assert.equal(replicas.message, "at most 10 replicas, not 12");
  assert.deepEqual([replicas.range.start.line, replicas.range.start.column], [18, 3]);
});

test("a broken policy throws with its file, line and column", () => {
  const pack = files("policies").find((file) => file.name === "workloads.yaml");
  const broken = pack.text.replace("c.image.startsWith('registry.example.com/')", "c.image.beginsWith('x')");
  assert.throws(() => new Engine(null, [{ name: pack.name, text: broken }]), /^Error: \w+\.yaml:\d+:\d+: policy `allowed-registries`: function `\.beginsWith\(\)` is not supported/);
  assert.throws(() => new Engine(null, "nope"), /policies/);
});
