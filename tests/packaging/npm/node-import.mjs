// Copied into a fresh project that installed the packed kubeward-wasm tarball:
// a plain `import`, no initialisation, and the findings equal the CLI's.
//   node node-import.mjs MANIFEST EXPECTED.json   (with src/summarize.mjs beside it)
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { Engine, checks, version } from "kubeward-wasm";
import { summarize } from "./summarize.mjs";

const [manifest, expectedFile] = process.argv.slice(2);
const expected = JSON.parse(readFileSync(expectedFile, "utf8"));
const report = new Engine().scan(readFileSync(manifest, "utf8"), basename(manifest));
const rows = summarize(report);
assert.equal(version(), expected.version);
assert.deepEqual(rows, expected.findings);
assert.ok(checks().length > 0);
console.log(`import: ${rows.length} findings, equal to the CLI's`);
