// Relative asset URLs (`base: "./"`), so that the built page works from any
// folder, and from the file system in run-bundle.mjs; no module-preload
// polyfill, which touches `document` (run-bundle.mjs runs the bundle in
// Node.js, where there is none).
export default {
  base: "./",
  logLevel: "warn",
  build: { outDir: "dist-vite", emptyOutDir: true, modulePreload: { polyfill: false } },
};
