import { fileURLToPath } from "node:url";
import commonjs from "@rollup/plugin-commonjs";
import { nodeResolve } from "@rollup/plugin-node-resolve";
import { transform } from "esbuild";

const builtEntry = fileURLToPath(new URL("../dist/index.mjs", import.meta.url));
const builtFiles = {
  "humanconnect-kit": builtEntry,
  "humanconnect-kit/react": fileURLToPath(new URL("../dist/react.mjs", import.meta.url)),
  "humanconnect-kit/element/define": fileURLToPath(new URL("../dist/element-define.mjs", import.meta.url)),
};

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

/**
 * The React page and the ESM page's element import the package by its name, resolved to the built
 * files as an app's bundler would.
 */
const packageByName = () => ({
  name: "package-by-name",
  resolveId: (source) => (Object.hasOwn(builtFiles, source) ? builtFiles[source] : null),
});

/** React's CommonJS files pick their build from `process.env.NODE_ENV`: the production one here. */
const production = () => ({
  name: "node-env-production",
  transform(code, id) {
    if (!id.includes("/node_modules/") || !code.includes("process.env.NODE_ENV")) return null;
    return { code: code.replaceAll("process.env.NODE_ENV", '"production"'), map: null };
  },
});

const output = { dir: "demo/dist", format: "es", chunkFileNames: "[name]-[hash].js" };

// The demo's ESM page, the integrator example's page and the React page, bundled the way an
// integrator's app would bundle humanconnect-kit: the vendor client ends up in its own chunk.
export default [
  {
    input: "demo/esm-main.js",
    plugins: [packageByName(), nodeResolve({ browser: true }), commonjs()],
    output: { ...output, entryFileNames: "main.js" },
  },
  {
    input: "examples/integrator/main.ts",
    plugins: [builtPackage(), typescript(), nodeResolve({ browser: true, extensions: [".ts", ".mjs", ".js"] })],
    output: { ...output, entryFileNames: "integrator.js" },
  },
  {
    input: "demo/react/main.tsx",
    plugins: [
      packageByName(),
      typescript(),
      production(),
      nodeResolve({ browser: true, extensions: [".tsx", ".ts", ".mjs", ".js"] }),
      commonjs(),
    ],
    output: { ...output, entryFileNames: "react.js" },
    // A page's bundle is all client code: "use client" only means something to a server-components bundler.
    onwarn(warning, warn) {
      if (warning.code !== "MODULE_LEVEL_DIRECTIVE" || !warning.message.includes('"use client"')) warn(warning);
    },
  },
];
