// Benchmark of the WebAssembly package (not a test): size of the .wasm raw and
// gzipped, compile/instantiate time, and the median time to scan a ~200-line
// manifest in Node and, when Chromium is available, in headless Chromium.
//
//   bash crates/wasm/build.sh && node scripts/bench-wasm.mjs
//
// Chromium is driven with playwright-core from examples/web-editor (run
// `npm ci` there first); set CHROMIUM to another binary than /usr/bin/chromium.
import { readFileSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { hardenedManifest, insecureManifest } from "./wasm-bench-manifests.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const pkg = join(root, "crates", "wasm", "pkg");
const wasmPath = join(pkg, "kubeward_wasm_bg.wasm");
const bytes = readFileSync(wasmPath);

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};
const ms = (value) => `${value.toFixed(2)} ms`;

// A ~200-line manifest: the insecure Deployment fixture, eight times, renamed.
const manifest = insecureManifest();
const lines = manifest.split("\n").length;

console.log(`kubeward_wasm_bg.wasm: ${bytes.length} bytes raw, ${gzipSync(bytes, { level: 9 }).length} bytes gzipped (-9)`);

const compileTimes = [];
for (let i = 0; i < 10; i += 1) {
  const start = performance.now();
  new WebAssembly.Module(bytes);
  compileTimes.push(performance.now() - start);
}
console.log(`Node ${process.version}: compile (new WebAssembly.Module) median of 10: ${ms(median(compileTimes))}`);

const { initSync, Engine } = await import(pathToFileURL(join(pkg, "kubeward_wasm.js")).href);
let start = performance.now();
initSync({ module: bytes });
console.log(`Node: first initSync (compile + instantiate): ${ms(performance.now() - start)}`);
start = performance.now();
const engine = new Engine();
console.log(`Node: new Engine(): ${ms(performance.now() - start)}`);

function timeScans(scan) {
  for (let i = 0; i < 20; i += 1) scan();
  const times = [];
  for (let i = 0; i < 200; i += 1) {
    const t = performance.now();
    scan();
    times.push(performance.now() - t);
  }
  return median(times);
}
const findings = engine.scan(manifest, "bench.yaml").findings.length;
console.log(`Node: scan of a ${lines}-line manifest (${Buffer.byteLength(manifest)} bytes, ${findings} findings), median of 200: ${ms(timeScans(() => engine.scan(manifest, "bench.yaml")))}`);

// A hardened manifest of about the same length, as an editor mostly sees: few findings to report.
const hardened = hardenedManifest();
const hardenedFindings = engine.scan(hardened, "hardened.yaml").findings.length;
console.log(`Node: scan of a ${hardened.split("\n").length}-line hardened manifest (${Buffer.byteLength(hardened)} bytes, ${hardenedFindings} findings), median of 200: ${ms(timeScans(() => engine.scan(hardened, "hardened.yaml")))}`);

// A 1 MB input: insecure Pods with non-ASCII comments (UTF-16 offsets to compute), three runs.
const pod = "# caf\u00e9 \u{1F600}\napiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: app\n    image: nginx\n    securityContext:\n      privileged: true\n";
const copies = Math.ceil((1024 * 1024) / Buffer.byteLength(pod)) + 1;
// Each Pod named apart: byte-identical copies would be one object, checked once.
const big = Array.from({ length: copies }, (_, i) => pod.replace("name: web", `name: web-${i}`)).join("---\n");
const bigTimes = [];
let bigFindings = 0;
for (let i = 0; i < 3; i += 1) {
  const t = performance.now();
  bigFindings = engine.scan(big, "big.yaml").findings.length;
  bigTimes.push(performance.now() - t);
}
console.log(`Node: scan of a 1 MB input (${copies} Pods, ${bigFindings} findings), 3 runs: ${bigTimes.map(ms).join(", ")}`);

// Headless Chromium, if it and playwright-core are here.
const editor = join(root, "examples", "web-editor");
const executablePath = process.env.CHROMIUM ?? "/usr/bin/chromium";
if (!existsSync(executablePath) || !existsSync(join(editor, "node_modules", "playwright-core"))) {
  console.log("Chromium: skipped (needs /usr/bin/chromium and `npm ci` in examples/web-editor)");
} else {
  const { chromium } = createRequire(join(editor, "package.json"))("playwright-core");
  const { serve } = await import(pathToFileURL(join(editor, "serve.mjs")).href);
  const server = await serve(pkg);
  const profile = mkdtempSync(join(tmpdir(), "kubeward-bench-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  try {
    const page = await context.newPage();
    const base = `http://127.0.0.1:${server.address().port}`;
    await page.goto(`${base}/package.json`);
    const result = await page.evaluate(async ({ base, manifest }) => {
      const median = (values) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)];
      const module = await import(`${base}/kubeward_wasm.js`);
      let t = performance.now();
      await module.default({ module_or_path: `${base}/kubeward_wasm_bg.wasm` });
      const init = performance.now() - t;
      const engine = new module.Engine();
      for (let i = 0; i < 20; i += 1) engine.scan(manifest, "bench.yaml");
      const times = [];
      for (let i = 0; i < 200; i += 1) {
        t = performance.now();
        engine.scan(manifest, "bench.yaml");
        times.push(performance.now() - t);
      }
      return { init, scan: median(times), agent: navigator.userAgent.match(/Chrome\/[\d.]+/)?.[0] };
    }, { base, manifest });
    console.log(`Chromium (${result.agent}): fetch + compile + instantiate: ${ms(result.init)}; scan median of 200: ${ms(result.scan)}`);
  } finally {
    await context.close();
    server.close();
    rmSync(profile, { recursive: true, force: true });
  }
}
