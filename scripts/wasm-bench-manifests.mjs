// The two ~200-line manifests the WebAssembly benchmarks scan (bench-wasm.mjs
// for times, count-wasm.mjs for instructions), built from files of the repository.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

/** The insecure Deployment fixture eight times, renamed: 208 lines, a finding on every line. */
export function insecureManifest() {
  const deployment = readFileSync(join(root, "crates", "wasm", "tests", "fixtures", "insecure-deployment.yaml"), "utf8");
  return Array.from({ length: 8 }, (_, i) => deployment.replaceAll("shop", `shop-${i}`)).join("---\n");
}

/** The hardened example manifests together: 222 lines, as an editor mostly sees, with few findings. */
export function hardenedManifest() {
  const folder = join(root, "examples", "manifests", "hardened");
  return ["shop.yaml", "policies.yaml", "jobs.yaml"].map((name) => readFileSync(join(folder, name), "utf8")).join("---\n");
}
