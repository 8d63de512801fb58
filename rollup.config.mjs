import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import typescript from "@rollup/plugin-typescript";
import terser from "@rollup/plugin-terser";
import { dts } from "rollup-plugin-dts";
import { nodeResolve } from "@rollup/plugin-node-resolve";
import { rollup } from "rollup";

const require = createRequire(import.meta.url);
const pkg = JSON.parse(readFileSync(new URL("./package.json", import.meta.url), "utf8"));

/** Sets `__VERSION__` (src/version.ts) to package.json's version. */
const version = () => ({
  name: "version",
  transform(code, id) {
    if (id.endsWith("version.ts"))
      return { code: code.replaceAll("__VERSION__", JSON.stringify(pkg.version)), map: null };
    return null;
  },
});

/**
 * The statement of the vendor's module code that binds its declarative integration on `load`, as
 * Rollup prints it. We never use that integration, and on a page without a
 * `.hapi__token-container` its listener warns and emits `error`: without it, the vendor's code can
 * run before the page's `load` event, so Connect need not wait for the page's images.
 */
const VENDOR_LOAD_LISTENER = `if (typeof window === "object") {
    window.addEventListener("load", mountOnClickListener);
}
`;

/** The vendor's bundled code without {@link VENDOR_LOAD_LISTENER}; throws unless it is there exactly once. */
function withoutLoadListener(code) {
  const parts = code.split(VENDOR_LOAD_LISTENER);
  if (parts.length !== 2)
    throw new Error(
      `humanapi-connect-client's \`load\` listener was found ${parts.length - 1} times instead of once: ` +
        "check its new version's module code, then update VENDOR_LOAD_LISTENER in rollup.config.mjs",
    );
  return parts.join("");
}

/**
 * The vendor's code, from its own ES source `lib/index.js` (the same code as its webpack file, see
 * docs/protocol.md, "Flaws, and what we do about each"), bundled with its dependency focus-trap as
 * npm installed it: under 6 KB gzip. Its webpack file (25 KB) adds core-js polyfills for old
 * browsers, which patch globals such as `Function.prototype.toString`, babel helpers and the
 * webpack runtime (whose `new Function` probe a strict CSP reports). Returns the code with the
 * bundled packages' licence banners and the vendor's `load` listener taken out, and those banners
 * (ours first). Built once.
 */
let vendorBuild;
function bundleVendor() {
  vendorBuild ??= (async () => {
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
    if (!vendorLicense.startsWith("MIT License") || !vendorCopyright)
      throw new Error("humanapi-connect-client's LICENSE is no longer MIT as expected: check it before bundling");
    const licenses = [
      `/*! humanconnect-kit ${pkg.version} | MIT | bundles ${vendorPkg.name} ${vendorPkg.version} (MIT, ${vendorCopyright}; its declarative \`load\` listener removed) */`,
      ...banners,
    ].join("\n");
    const code = banners.reduce((code, banner) => code.replace(banner, ""), output[0].code);
    return { code: withoutLoadListener(code), licenses };
  })();
  return vendorBuild;
}

/** The module `humanapi-connect-client` resolves to in every build of ours. */
const VENDOR_ID = "\0humanconnect-kit:vendor";

/**
 * Resolves `humanapi-connect-client` (src/vendor.ts imports it) to the vendor's bundled ES source
 * wrapped in a factory: importing the module only defines `evaluateVendor()`, which runs the
 * vendor's code once, on the first call. So the ESM and CJS builds can put it in the lazy session
 * chunk, and the CDN file can inline it (no eval: the code is part of the bundle, just not run at
 * load). The source mixes `import` with `module.exports`: the factory supplies `module`. The
 * licence banners go at the top of the file that holds the vendor's code.
 */
export const vendorModule = () => {
  let licenses = "";
  return {
    name: "vendor-module",
    // Vite (vitest) resolves bare imports itself unless a plugin runs first.
    enforce: "pre",
    resolveId: (source) => (source === "humanapi-connect-client" ? VENDOR_ID : null),
    banner: (chunk) => (chunk.moduleIds.includes(VENDOR_ID) ? licenses : ""),
    async load(id) {
      if (id !== VENDOR_ID) return null;
      const vendor = await bundleVendor();
      licenses = vendor.licenses;
      return {
        code: `
let loaded;
export function evaluateVendor() {
  if (!loaded) {
    const module = { exports: {} };
    (function (module) {
${vendor.code}
    })(module);
    loaded = module.exports;
  }
  return loaded;
}
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

// What the entry shares with the session chunk (ConnectError, the empty result, the refusal list,
// the early token request) is one copy, in the small `errors` chunk the entry loads anyway. The
// engine (loaded lazily), what only it uses, and the vendor's code in its factory make the
// `session` chunk: one request at first use, and gzip compresses the two together better than
// apart (by about 460 B).
const manualChunks = (id) =>
  /[\\/]src[\\/](errors|result|refusals|head-start)\.ts$/.test(id)
    ? "errors"
    : /[\\/]src[\\/]engine\.ts$/.test(id) || id === VENDOR_ID
      ? "session"
      : undefined;

/** The main entry, as an entry built over it imports it (`../index`) or as Rollup resolves it. */
const MAIN_ENTRY = [/(?:^\.\.|[\\/]src)[\\/]index(?:\.ts)?$/, "index"];
/** The store the React and element entries share, as they import it (`../store/index`) or as Rollup resolves it. */
const STORE = [/(?:^\.\.|[\\/]src)[\\/]store[\\/]index(?:\.ts)?$/, "store"];
/** The element entry, as `element/define` imports it (`./index`) or as Rollup resolves it. */
const ELEMENT_ENTRY = [/(?:^\.|[\\/]src[\\/]element)[\\/]index(?:\.ts)?$/, "element"];

/**
 * ES module + CommonJS + their declarations for one entry. `builtOn`: entries it imports built
 * (say, ./index.mjs and ./index.cjs) instead of bundling a second copy, so an app that uses both
 * holds one of each. `banner`: a line put first in both builds.
 */
const entry = (input, name, { external = [], builtOn = [], banner } = {}) => {
  const builtFile = (id) => builtOn.find(([pattern]) => pattern.test(id))?.[1];
  const isExternal = (id) =>
    external.some((e) => (e instanceof RegExp ? e.test(id) : e === id)) || builtFile(id) !== undefined;
  const paths = (extension) => (id) => (builtFile(id) ? `./${builtFile(id)}.${extension}` : id);
  return [
    {
      input: { [name]: input },
      external: isExternal,
      plugins: [version(), raw(), vendorModule(), ts()],
      // Lazily imported modules (the session engine) become chunks of their own: `session.mjs`.
      output: [
        {
          dir: "dist",
          format: "es",
          entryFileNames: "[name].mjs",
          chunkFileNames: "[name].mjs",
          manualChunks,
          banner,
          paths: paths("mjs"),
        },
        {
          dir: "dist",
          format: "cjs",
          exports: "named",
          entryFileNames: "[name].cjs",
          chunkFileNames: "[name].cjs",
          dynamicImportInCjs: false,
          // Short names for what the chunks import from one another (ES output does this by default).
          minifyInternalExports: true,
          manualChunks,
          banner,
          paths: paths("cjs"),
        },
      ],
    },
    {
      input,
      external: (id) => isExternal(id) || id === "humanapi-connect-client",
      plugins: [dts()],
      output: [
        { file: `dist/${name}.d.mts`, paths: paths("mjs") },
        { file: `dist/${name}.d.cts`, paths: paths("cjs") },
      ],
    },
  ];
};

/** A CDN file: one minified script that defines the global `name`. */
const cdnFile = (input, file, name) => ({
  input,
  plugins: [version(), vendorModule(), ts(), terser({ format: { comments: /^!/ } })],
  output: {
    file,
    format: "iife",
    name,
    // One file: the session engine is inlined (it only defines functions); the vendor stays lazy.
    inlineDynamicImports: true,
  },
});

export default [
  ...entry("src/index.ts", "index"),
  ...entry("src/server/index.ts", "server"),
  ...entry("src/sandbox/index.ts", "sandbox", { external: [/^node:/] }),
  ...entry("src/testing/index.ts", "testing"),
  // Next.js's App Router takes a module as client code only when it starts with this directive.
  // Internal (not in package.json's exports): imported by the React and element entries.
  ...entry("src/store/index.ts", "store", { builtOn: [MAIN_ENTRY] }),
  ...entry("src/react/index.ts", "react", {
    external: ["react"],
    builtOn: [MAIN_ENTRY, STORE],
    banner: '"use client";',
  }),
  ...entry("src/element/index.ts", "element", { builtOn: [MAIN_ENTRY, STORE] }),
  ...entry("src/element/register.ts", "element-define", { builtOn: [MAIN_ENTRY, ELEMENT_ENTRY] }),
  ...entry("src/compat/index.ts", "compat", { builtOn: [MAIN_ENTRY] }),
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
  cdnFile("src/cdn.ts", "dist/humanconnect-kit.min.js", "HumanConnectKit"),
  // The drop-in: the vendor client's global name, for pages written for it.
  cdnFile("src/compat/cdn.ts", "dist/humanconnect-kit.compat.min.js", "HumanConnect"),
];
