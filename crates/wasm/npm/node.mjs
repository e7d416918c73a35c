// The package's entry in Node.js (the "node" condition of its exports): the
// WebAssembly module is read from beside this file and instantiated on import,
// so `import { Engine } from "kubeward-wasm"` (or `require`, on Node.js
// 20.19 or newer) is ready to use. Browsers and bundlers get
// kubeward_wasm.js, which needs `await init()` first.
import { readFileSync } from "node:fs";
import { initSync } from "./kubeward_wasm.js";

initSync({ module: readFileSync(new URL("./kubeward_wasm_bg.wasm", import.meta.url)) });

export * from "./kubeward_wasm.js";
export { default } from "./kubeward_wasm.js";
