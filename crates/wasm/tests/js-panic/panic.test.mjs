// The panic hook, on a build with the `test-panic` feature (scripts/test-wasm.sh
// builds it into target/wasm-panic-pkg): a panic reaches JavaScript as an Error
// with the panic's message, not as a trap, and the module works again after it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const pkg = process.env.KUBEWARD_PANIC_PKG ?? join(here, "..", "..", "..", "..", "target", "wasm-panic-pkg");
const { initSync, Engine, testPanic, version } = await import(pathToFileURL(join(pkg, "kubeward_wasm.js")).href);
initSync({ module: readFileSync(join(pkg, "kubeward_wasm_bg.wasm")) });

const pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  hostPID: true\n  containers: []\n";

test("a panic becomes an Error with its message, and a fresh instance serves the next calls", () => {
  const before = new Engine();
  assert.ok(before.scan(pod).findings.length > 0);
  const errors = [];
  const consoleError = console.error;
  console.error = (message) => errors.push(String(message));
  let thrown;
  try {
    testPanic();
  } catch (error) {
    thrown = error;
  } finally {
    console.error = consoleError;
  }
  assert.ok(thrown instanceof Error);
  assert.ok(!(thrown instanceof WebAssembly.RuntimeError), `trapped: ${thrown}`);
  assert.match(thrown.message, /kubeward: internal error: .*a panic on purpose/);
  assert.ok(errors.some((line) => line.includes("a panic on purpose")));

  // A second panic is handled the same way (the hook lives in the new instance too).
  assert.throws(() => testPanic(), (error) => error instanceof Error && /a panic on purpose/.test(error.message));

  // New engines work; one made before the panic says it is stale, with an Error.
  const after = new Engine({ checks: { "no-host-namespaces": { severity: "critical" } } });
  const finding = after.scan(pod).findings.find((f) => f.check === "no-host-namespaces");
  assert.equal(finding.severity, "critical");
  assert.equal(typeof finding.range.from, "number");
  assert.match(version(), /^\d+\.\d+\.\d+/);
  assert.throws(() => before.scan(pod), (error) => error instanceof Error && /stale/.test(error.message));
});
