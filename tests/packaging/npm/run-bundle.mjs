// Runs a bundle built from src/main.js in Node.js as a browser would run it:
// `fetch` reads the file: URLs that a page served from the bundle's folder
// would request. Checks that the bundler emitted the WebAssembly module beside
// the bundle and that the scan's findings equal the expected rows.
//   node run-bundle.mjs BUNDLE.js MANIFEST EXPECTED.json
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { basename, dirname, relative, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const [bundle, manifest, expectedFile] = process.argv.slice(2).map((arg) => resolve(arg));
const fetched = [];
globalThis.fetch = async (url) => {
  const path = fileURLToPath(new URL(url));
  fetched.push(path);
  return new Response(readFileSync(path), { headers: { "Content-Type": "application/wasm" } });
};
globalThis.kubewardBundleInput = { name: basename(manifest), text: readFileSync(manifest, "utf8") };

await import(pathToFileURL(bundle).href);
const result = await globalThis.kubewardBundleResult;

assert.equal(fetched.length, 1, `one fetch, of the .wasm module (got ${fetched.join(", ")})`);
assert.ok(fetched[0].endsWith(".wasm"), `fetched ${fetched[0]}`);
assert.ok(dirname(fetched[0]).startsWith(dirname(bundle)), "the .wasm module was emitted with the bundle");
const expected = JSON.parse(readFileSync(expectedFile, "utf8"));
assert.equal(result.version, expected.version);
assert.deepEqual(result.findings, expected.findings);
console.log(`${relative(process.cwd(), bundle)}: ${result.findings.length} findings, equal to the CLI's; module ${basename(fetched[0])}`);
