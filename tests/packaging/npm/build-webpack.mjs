// Builds src/main.js with webpack 5's defaults for a browser target, as an ES
// module (so that the .wasm asset's URL is found from import.meta.url).
import webpack from "webpack";
import { fileURLToPath } from "node:url";

const config = {
  mode: "production",
  context: fileURLToPath(new URL(".", import.meta.url)),
  entry: "./src/main.js",
  experiments: { outputModule: true },
  output: {
    path: fileURLToPath(new URL("dist-webpack", import.meta.url)),
    filename: "main.mjs",
    module: true,
    clean: true,
  },
};

webpack(config, (error, stats) => {
  if (error || stats.hasErrors()) {
    console.error(error ?? stats.toString({ colors: false, all: false, errors: true }));
    process.exit(1);
  }
  const assets = stats.toJson({ all: false, assets: true }).assets.map((asset) => asset.name);
  console.log(`webpack: ${assets.join(", ")}`);
});
