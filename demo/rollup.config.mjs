import { fileURLToPath } from "node:url";
import commonjs from "@rollup/plugin-commonjs";
import { nodeResolve } from "@rollup/plugin-node-resolve";
import { transform } from "esbuild";

const builtEntry = fileURLToPath(new URL("../dist/index.mjs", import.meta.url));

/** TypeScript to JavaScript, types dropped (the typecheck is `npm run typecheck`'s job). */
const typescript = () => ({
  name: "typescript",
  async transform(code, id) {
    if (!/\.tsx?$/.test(id)) return null;
    const out = await transform(code, { loader: id.endsWith("x") ? "tsx" : "ts", sourcefile: id, jsx: "automatic" });
    return { code: out.code, map: out.map || null };
  },
});

/**
 * The example imports the public entry from its source (so its unit test needs no build); its
 * page is bundled against the built package instead, as an integrator's bundler would see it.
 */
const builtPackage = () => ({
  name: "built-package",
  resolveId(source, importer) {
    if (importer?.includes("/examples/") && /(^|\/)src\/index(\.ts)?$/.test(source)) return builtEntry;
    return null;
  },
});

const output = { dir: "demo/dist", format: "es", chunkFileNames: "[name]-[hash].js" };

// The demo's ESM page and the integrator example's page, bundled the way an integrator's app
// would bundle humanconnect-kit: the vendor client ends up in its own chunk.
export default [
  {
    input: "demo/esm-main.js",
    plugins: [nodeResolve({ browser: true }), commonjs()],
    output: { ...output, entryFileNames: "main.js" },
  },
  {
    input: "examples/integrator/main.ts",
    plugins: [builtPackage(), typescript(), nodeResolve({ browser: true, extensions: [".ts", ".mjs", ".js"] })],
    output: { ...output, entryFileNames: "integrator.js" },
  },
];
