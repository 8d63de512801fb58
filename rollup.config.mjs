import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import typescript from "@rollup/plugin-typescript";
import terser from "@rollup/plugin-terser";
import { dts } from "rollup-plugin-dts";

const require = createRequire(import.meta.url);
const pkg = JSON.parse(readFileSync(new URL("./package.json", import.meta.url), "utf8"));
const vendorImportFile = fileURLToPath(new URL("./src/vendor-import.ts", import.meta.url));

/** Sets `__VERSION__` (src/version.ts) to package.json's version. */
const version = () => ({
  name: "version",
  transform(code, id) {
    if (id.endsWith("version.ts")) return { code: code.replaceAll("__VERSION__", JSON.stringify(pkg.version)), map: null };
    return null;
  },
});

/**
 * For the CDN file: replaces src/vendor-import.ts with the vendor's UMD file wrapped in a
 * factory function, evaluated on the first import() only. Inlining a dynamic import in an
 * IIFE would evaluate it at script load, and an external one leaves a bare import() that
 * browsers cannot resolve. No eval: the code is part of the bundle, just not run at load.
 */
const vendorFactory = () => ({
  name: "vendor-factory",
  load(id) {
    if (id !== vendorImportFile) return null;
    const vendorFile = require.resolve("humanapi-connect-client");
    const vendorCode = readFileSync(vendorFile, "utf8");
    return {
      code: `
let loaded;
function evaluateVendor() {
  const module = { exports: {} };
  (function (module, exports, define) {
${vendorCode}
  }).call(typeof self !== "undefined" ? self : undefined, module, module.exports, undefined);
  return module.exports;
}
export const importVendor = () => new Promise((resolve) => resolve(loaded ??= evaluateVendor()));
`,
      map: null,
    };
  },
});

/** `import text from "./file?raw"`: the file's content as a string (as vite does). */
const raw = () => ({
  name: "raw",
  async resolveId(source, importer) {
    if (!source.endsWith("?raw")) return null;
    const resolved = await this.resolve(source.slice(0, -4), importer, { skipSelf: true });
    return resolved && `\0raw:${resolved.id}`;
  },
  load(id) {
    if (!id.startsWith("\0raw:")) return null;
    return `export default ${JSON.stringify(readFileSync(id.slice(5), "utf8"))};`;
  },
});

const ts = () => typescript({ tsconfig: "./tsconfig.json", declaration: false, noEmitOnError: true });

// ConnectError is shared by the entry and the session chunk: one class, in a chunk of its own.
const manualChunks = (id) => (/[\\/]src[\\/]errors\.ts$/.test(id) ? "errors" : undefined);

/** ES module + CommonJS + their declarations for one entry. */
const entry = (input, name, external = []) => [
  {
    input: { [name]: input },
    external,
    plugins: [version(), raw(), ts()],
    // Lazily imported modules (the session engine) become chunks of their own: `session.mjs`.
    output: [
      { dir: "dist", format: "es", entryFileNames: "[name].mjs", chunkFileNames: "[name].mjs", manualChunks },
      { dir: "dist", format: "cjs", exports: "named", entryFileNames: "[name].cjs", chunkFileNames: "[name].cjs", dynamicImportInCjs: false, manualChunks },
    ],
  },
  {
    input,
    external,
    plugins: [dts()],
    output: [{ file: `dist/${name}.d.mts` }, { file: `dist/${name}.d.cts` }],
  },
];

export default [
  ...entry("src/index.ts", "index", ["humanapi-connect-client"]),
  ...entry("src/server/index.ts", "server"),
  ...entry("src/sandbox/index.ts", "sandbox", [/^node:/]),
  {
    // The command imports the built sandbox entry instead of bundling it a second time.
    input: "src/sandbox/cli.ts",
    external: (id) => id.startsWith("node:") || /[\\/]sandbox[\\/]index(\.ts)?$/.test(id),
    plugins: [ts()],
    output: {
      file: "dist/sandbox-cli.mjs",
      format: "es",
      banner: "#!/usr/bin/env node",
      paths: (id) => (id.startsWith("node:") ? id : "./sandbox.mjs"),
    },
  },
  {
    input: "src/cdn.ts",
    plugins: [version(), vendorFactory(), ts(), terser({ format: { comments: false } })],
    output: {
      file: "dist/humanconnect-kit.min.js",
      format: "iife",
      name: "HumanConnectKit",
      // One file: the session engine is inlined (it only defines functions); the vendor stays lazy.
      inlineDynamicImports: true,
      // The vendor's code runs as it was written (sloppy mode), as it does from its own script tag.
      strict: false,
    },
  },
];
