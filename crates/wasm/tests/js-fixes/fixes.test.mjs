// The package's fixes (the `fixes` feature, on by default; scripts/test-wasm.sh
// names the package in KUBEWARD_FIXES_PKG): each finding's fixes, as UTF-16 edits.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";

const pkg = process.env.KUBEWARD_FIXES_PKG;
if (!pkg) throw new Error("KUBEWARD_FIXES_PKG must name the package built with the fixes feature");
const { initSync, Engine } = await import(join(pkg, "kubeward_wasm.js"));
initSync({ module: readFileSync(join(pkg, "kubeward_wasm_bg.wasm")) });

test("fixes: each finding's fixes as UTF-16 edits that clear it when applied", () => {
  const engine = new Engine();
  // A non-ASCII comment before the edits, so UTF-16 and byte offsets differ.
  const text =
    "# Überwachung 🚀\napiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: app\n    image: registry.example.com/app:1.0\n    securityContext: {}\n";
  const report = engine.scan(text);
  const fixes = engine.fixes(text);
  const entry = fixes.find((f) => f.check === "no-privilege-escalation");
  assert.ok(entry, "the finding offers fixes");
  assert.equal(report.findings[entry.finding].check, "no-privilege-escalation");
  assert.equal(entry.from, report.findings[entry.finding].range.from);
  assert.deepEqual(entry.fixes.map((fix) => fix.safety), ["safe", "exemption"]);
  const [edit] = entry.fixes[0].edits;
  assert.equal(text.slice(edit.from, edit.to), "");
  assert.equal(edit.text, "allowPrivilegeEscalation: false");
  const fixed = text.slice(0, edit.from) + edit.text + text.slice(edit.to);
  assert.ok(fixed.includes("    securityContext: {allowPrivilegeEscalation: false}\n"));
  assert.ok(!engine.scan(fixed).findings.some((f) => f.check === "no-privilege-escalation"));
});
