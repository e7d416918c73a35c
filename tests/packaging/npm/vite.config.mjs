// Relative asset URLs (`base: "./"`), so that the built page works from any
// folder, and from the file system in run-bundle.mjs.
export default {
  base: "./",
  logLevel: "warn",
  build: { outDir: "dist-vite", emptyOutDir: true },
};
