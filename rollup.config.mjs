import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import typescript from "@rollup/plugin-typescript";
import terser from "@rollup/plugin-terser";
import { dts } from "rollup-plugin-dts";
import { nodeResolve } from "@rollup/plugin-node-resolve";
import { rollup } from "rollup";

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
 * For the CDN file: replaces src/vendor-import.ts with humanapi-connect-client wrapped in a
 * factory function, evaluated on the first import() only. Inlining a dynamic import in an IIFE
 * would evaluate it at script load, and an external one leaves a bare import() that browsers
 * cannot resolve. No eval: the code is part of the bundle, just not run at load.
 *
 * The vendor's code comes from its own ES source, `lib/index.js` (the same code as its webpack
 * file, see docs/protocol.md, "Flaws, and what we do about each"), bundled with its dependency
 * focus-trap as npm installed it: under 6 KB gzip. Its webpack file (25 KB) adds core-js
 * polyfills for old browsers, which patch globals such as `Function.prototype.toString`, babel
 * helpers and the webpack runtime.
 * The source mixes `import` with `module.exports`: the factory supplies `module`.
 */
const vendorFactory = () => {
  /** The bundled packages' license banners (comments that start with `!`), moved to the top. */
  let licenses = "";
  return {
    name: "vendor-factory",
    banner: () => licenses,
    async load(id) {
      if (id !== vendorImportFile) return null;
      const bundle = await rollup({
        input: require.resolve("humanapi-connect-client/lib/index.js"),
        plugins: [nodeResolve()],
      });
      const { output } = await bundle.generate({ format: "es" });
      await bundle.close();
      const banners = output[0].code.match(/\/\*![\s\S]*?\*\//g) ?? [];
      const vendorPkg = require("humanapi-connect-client/package.json");
      const vendorLicense = readFileSync(require.resolve("humanapi-connect-client/LICENSE"), "utf8");
      const vendorCopyright = vendorLicense.match(/^Copyright .*$/m)?.[0];
      if (!vendorLicense.startsWith("MIT License") || !vendorCopyright) throw new Error("humanapi-connect-client's LICENSE is no longer MIT as expected: check it before bundling");
      licenses = [
        `/*! humanconnect-kit ${pkg.version} | MIT | bundles ${vendorPkg.name} ${vendorPkg.version} (MIT, ${vendorCopyright}) */`,
        ...banners,
      ].join("\n");
      const vendorCode = banners.reduce((code, banner) => code.replace(banner, ""), output[0].code);
      return {
        code: `
let loaded;
function evaluateVendor() {
  const module = { exports: {} };
  (function (module) {
${vendorCode}
  })(module);
  return module.exports;
}
export const importVendor = () => new Promise((resolve) => resolve(loaded ??= evaluateVendor()));
`,
        map: null,
      };
    },
  };
};

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

// ConnectError and the empty result are shared by the entry and the session chunk: one copy, in a
// chunk of their own. The engine (loaded lazily) and what only it uses make the `session` chunk.
const manualChunks = (id) =>
  /[\\/]src[\\/](errors|result|refusals)\.ts$/.test(id) ? "errors" : /[\\/]src[\\/]engine\.ts$/.test(id) ? "session" : undefined;

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
    plugins: [version(), vendorFactory(), ts(), terser({ format: { comments: /^!/ } })],
    output: {
      file: "dist/humanconnect-kit.min.js",
      format: "iife",
      name: "HumanConnectKit",
      // One file: the session engine is inlined (it only defines functions); the vendor stays lazy.
      inlineDynamicImports: true,
    },
  },
];
