// Scans the 208-line insecure manifest of bench-wasm.mjs (or the 222-line
// hardened one) N times after 30 scans of warm-up, for counting the
// instructions Node executes per scan, which, unlike wall time, a noisy
// machine does not blur:
//
//   bash crates/wasm/build.sh
//   valgrind --tool=callgrind --smc-check=all --callgrind-out-file=/dev/null \
//     node --single-threaded --no-liftoff scripts/count-wasm.mjs insecure 0
//   (the same with 200; per scan: (I refs with 200 - I refs with 0) / 200)
//
// Arguments: insecure|hardened, N, and optionally the package folder
// (default crates/wasm/pkg). The two V8 flags make the count repeat (two runs
// differ by 0.2 %): one thread, so no compilation or collection runs
// concurrently, and the optimizing compiler from the start, so no tier-up
// happens during the scans. Without them runs differed by half.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { hardenedManifest, insecureManifest } from "./wasm-bench-manifests.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const [which = "insecure", times = "200", pkg = join(root, "crates", "wasm", "pkg")] = process.argv.slice(2);
const { initSync, Engine } = await import(pathToFileURL(join(pkg, "kubeward_wasm.js")).href);
initSync({ module: readFileSync(join(pkg, "kubeward_wasm_bg.wasm")) });

const text = which === "hardened" ? hardenedManifest() : insecureManifest();

const engine = new Engine();
for (let i = 0; i < 30 + Number(times); i += 1) engine.scan(text, "bench.yaml");
