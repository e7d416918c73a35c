// Copied into a fresh project that installed the packed kubeward-wasm tarball:
// `require` (Node.js 20.19 or newer loads the package's ES module), no
// initialisation, and the findings equal the CLI's.
//   node node-require.cjs MANIFEST EXPECTED.json   (with src/summarize.mjs beside it)
const assert = require("node:assert/strict");
const { readFileSync } = require("node:fs");
const { basename } = require("node:path");
const { Engine, version } = require("kubeward-wasm");
const { summarize } = require("./summarize.mjs");

const [manifest, expectedFile] = process.argv.slice(2);
const expected = JSON.parse(readFileSync(expectedFile, "utf8"));
const report = new Engine().scan(readFileSync(manifest, "utf8"), basename(manifest));
const rows = summarize(report);
assert.equal(version(), expected.version);
assert.deepEqual(rows, expected.findings);
console.log(`require: ${rows.length} findings, equal to the CLI's`);
