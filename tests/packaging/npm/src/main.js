// The browser application the bundlers build: the package's browser entry,
// initialised with `await init()` as a page would, scanning the text the
// runner (run-bundle.mjs) hands over and handing the result back.
import init, { Engine, version } from "kubeward-wasm";
import { summarize } from "./summarize.mjs";

globalThis.kubewardBundleResult = init().then(() => {
  const { name, text } = globalThis.kubewardBundleInput;
  return { version: version(), findings: summarize(new Engine().scan(text, name)) };
});
