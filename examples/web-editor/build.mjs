// Bundles the editor into dist/ with esbuild and copies the page, the styles
// and kubeward's WebAssembly module next to it.
import { build } from "esbuild";
import { copyFileSync, mkdirSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, "dist");
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

// KUBEWARD_EDITOR_PKG: a package folder to bundle instead of the dependency.
const pkg = process.env.KUBEWARD_EDITOR_PKG;
await build({
  ...(pkg ? { alias: { "kubeward-wasm": join(pkg, "kubeward_wasm.js") } } : {}),
  entryPoints: [join(here, "src", "main.js")],
  outfile: join(out, "main.js"),
  bundle: true,
  format: "esm",
  minify: true,
  sourcemap: true,
  target: "es2022",
  logLevel: "info",
});
const require = createRequire(import.meta.url);
const wasm = pkg ? join(pkg, "kubeward_wasm_bg.wasm") : require.resolve("kubeward-wasm/kubeward_wasm_bg.wasm");
copyFileSync(wasm, join(out, "kubeward_wasm_bg.wasm"));
for (const file of ["index.html", "style.css"]) {
  copyFileSync(join(here, "src", file), join(out, file));
}
