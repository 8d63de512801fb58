import commonjs from "@rollup/plugin-commonjs";
import { nodeResolve } from "@rollup/plugin-node-resolve";

// The demo's ESM page, bundled the way an integrator's app would bundle humanconnect-kit.
export default {
  input: "demo/esm-main.js",
  plugins: [nodeResolve({ browser: true }), commonjs()],
  output: { dir: "demo/dist", format: "es", entryFileNames: "main.js", chunkFileNames: "[name]-[hash].js" },
};
