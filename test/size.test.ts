import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { eagerFiles, gzipBytes, minGzipBytes, vendorFile } from "../bench/size.mjs";

// Sizes as `npm run bench` measures them: minified (terser), then gzip level 9. Reads dist/.
const KB = 1024;
/**
 * What an app loads up front from the ES module or CommonJS entry. Issue 5 set 3 KB (the entry was
 * 2580 B); round 2's hardening (issue 9) put more in it that must run before any chunk arrives:
 * option checks that refuse at createConnect() what used to fail only after a token was spent
 * (headers, URLs, preseededSources), and the open() that close(), its signal or destroy() settle
 * while the session chunk is still on its way. Measured after it: 3564 B (ESM), 3852 B (CJS).
 * Issue 11 then asked for two more things that must start at the click, before any chunk is
 * there: prefetchOn(), and the token request itself (no waterfall). Measured after them: 4112 B
 * (ESM), 4407 B (CJS). Dropping the wait for the page's `load` event (the build takes the vendor's
 * `load` listener out instead) took them from 4297 B and 4604 B to 4168 B (ESM), 4468 B (CJS).
 */
const ESM_EAGER_BUDGET = 4.5 * KB;
/** Issue 11's budget for what the first prefetch() or open() loads: the session chunk, vendor included. */
const FIRST_USE_BUDGET = 11_000;
/**
 * Issue 12's budget for `humanconnect-kit/testing`, which only tests load: one file, measured at
 * 2685 B (ESM) and 2815 B (CJS) when it was added. Item 3's sandbox helpers (connectInSandbox,
 * failSignIn, closeConnect: each step's own message) took it to 3303 B (ESM) and 3453 B (CJS).
 */
const TESTING_BUDGET = 3.5 * KB;
/**
 * Issue 13's budget for `humanconnect-kit/react`'s own code (React and the main entry it imports
 * excluded). It held the store too (948 B ESM, 987 B CJS) until issue 14's element came to share
 * the store: now in dist/store.*, both entries import one copy (React entry 387 B + store 732 B; 767 B once the element tests had it re-make its object after a refusal).
 */
const REACT_BUDGET = 1000;
/** Issue 14's budget for `humanconnect-kit/element`'s own code (the main entry and the store excluded). */
const ELEMENT_BUDGET = 1500;
/**
 * The store the React and element entries share (src/store): 732 B ESM, 756 B CJS when it moved
 * there; 778 B and 804 B after the element's review (an option that is a function or a symbol
 * counts in the options key, so fixing one re-makes the object).
 */
const STORE_BUDGET = 850;
/**
 * Issue 16's budget for `humanconnect-kit/compat`'s own code (the main entry it imports excluded):
 * 1624 B (ESM) and 1807 B (CJS, whose top-level names the minifier keeps) when it was added; the
 * review's fixes (the page's own click guards honoured, counted bindings, a second CDN copy, the
 * vendor's lenient option reading) took it to 1899 B and 2124 B; the second review's (the page's
 * state shared by every copy of the drop-in) to 2028 B and 2248 B, the third's to 2032 B and 2281 B (2025 B and 2269 B after the read-through).
 */
const COMPAT_BUDGET = 2400;
/** Issue 5's budget for the CDN file: no more than the vendor's own file plus 5 KB. */
const CDN_OVER_VENDOR_BUDGET = 5 * KB;

const sum = async (files: string[], module: boolean) =>
  (await Promise.all(files.map((f) => minGzipBytes(f, module)))).reduce((a, b) => a + b, 0);

describe("size budget", () => {
  test("the ES module entry and the files it imports statically stay within 4.5 KB", async () => {
    const files = eagerFiles("dist/index.mjs");
    expect(files).toEqual(["dist/index.mjs", "dist/errors.mjs"]);
    expect(await sum(files, true)).toBeLessThanOrEqual(ESM_EAGER_BUDGET);
  });

  test("the CommonJS entry and what it requires up front stay within 4.5 KB", async () => {
    expect(await sum(eagerFiles("dist/index.cjs"), false)).toBeLessThanOrEqual(ESM_EAGER_BUDGET);
  });

  test("the session code and the vendor client are only imported dynamically, in a chunk of our own", () => {
    const entry = readFileSync("dist/index.mjs", "utf8");
    expect(entry).toContain("import('./session.mjs')");
    expect(entry).not.toMatch(/from ['"]\.\/session\.mjs['"]|humanapi-connect-client/);
    for (const file of readdirSync("dist").filter((name) => /\.(mjs|cjs|js)$/.test(name))) {
      expect(readFileSync(`dist/${file}`, "utf8"), file).not.toMatch(
        /from ['"]humanapi-connect-client|require\(['"]humanapi-connect-client|import\(['"]humanapi-connect-client/,
      );
    }
  });

  test("the session chunk starts with the licence banners and holds the vendor's code without running it on import", () => {
    for (const file of ["dist/session.mjs", "dist/session.cjs"]) {
      const code = readFileSync(file, "utf8");
      expect(code).toMatch(
        /^(?:'use strict';\s*)?\/\*! humanconnect-kit [^\n]* bundles humanapi-connect-client 2\.4\.1 \(MIT, [^\n]*; its declarative `load` listener removed\)/,
      );
      expect(code).toMatch(/tabbable 5\.3\.3[\s\S]*focus-trap 6\.9\.4/);
      expect(code).toContain("Couldn't find element with class hapi__token-container");
      expect(code).toMatch(/function evaluateVendor\(\)/);
      expect(code).not.toMatch(/core-js|__core-js_shared__/);
    }
  });

  test("what the first use loads, the session chunk with the vendor's code, stays under 11,000 B", async () => {
    expect(await minGzipBytes("dist/session.mjs", true)).toBeLessThan(FIRST_USE_BUDGET);
  });

  test("the CDN file stays within the vendor's own file plus 5 KB, and is in fact smaller (as README says)", () => {
    const cdn = gzipBytes(readFileSync("dist/humanconnect-kit.min.js"));
    const vendor = gzipBytes(readFileSync(vendorFile));
    expect(cdn - vendor).toBeLessThanOrEqual(CDN_OVER_VENDOR_BUDGET);
    expect(cdn).toBeLessThan(vendor);
  });

  test.each([
    "dist/session.mjs",
    "dist/session.cjs",
    "dist/humanconnect-kit.min.js",
    "dist/humanconnect-kit.compat.min.js",
  ])("%s holds the vendor's code without its `load` listener, so it can run before the page's `load` event", (file) => {
    const code = readFileSync(file, "utf8");
    expect(code).toContain("The token attribute is required");
    expect(code).not.toMatch(/addEventListener\(\s*["'`]load["'`]/);
  });

  test("the CDN file bundles the vendor's ES source, not its webpack file with core-js polyfills", () => {
    const cdn = readFileSync("dist/humanconnect-kit.min.js", "utf8");
    expect(cdn).not.toMatch(/__core-js_shared__|core-js/);
    // One line of the vendor's own code, as the minifier leaves it (a string it prints).
    expect(cdn).toContain("Couldn't find element with class hapi__token-container");
    expect(cdn).toMatch(/^\/\*! humanconnect-kit [^\n]* bundles humanapi-connect-client 2\.4\.1 \(MIT/);
  });

  test("the drop-in CDN file is smaller than the vendor's own file, holds no core-js and no <human-connect>", () => {
    const file = "dist/humanconnect-kit.compat.min.js";
    expect(gzipBytes(readFileSync(file))).toBeLessThan(gzipBytes(readFileSync(vendorFile)));
    const code = readFileSync(file, "utf8");
    expect(code).not.toMatch(/__core-js_shared__|core-js/);
    expect(code).not.toContain("human-connect");
    expect(code).toMatch(/^\/\*! humanconnect-kit [^\n]* bundles humanapi-connect-client 2\.4\.1 \(MIT/);
  });

  test.each([
    ["ES module", "dist/testing.mjs", true],
    ["CommonJS", "dist/testing.cjs", false],
  ])("the %s testing entry is one file within 3.5 KB", async (_kind, file, module) => {
    expect(eagerFiles(file)).toEqual([file]);
    expect(await minGzipBytes(file, module)).toBeLessThanOrEqual(TESTING_BUDGET);
  });

  test.each([
    ["React entry", REACT_BUDGET, "mjs", "react"],
    ["React entry", REACT_BUDGET, "cjs", "react"],
    ["element entry", ELEMENT_BUDGET, "mjs", "element"],
    ["element entry", ELEMENT_BUDGET, "cjs", "element"],
    ["store the React and element entries share", STORE_BUDGET, "mjs", "store"],
    ["store the React and element entries share", STORE_BUDGET, "cjs", "store"],
    ["drop-in entry", COMPAT_BUDGET, "mjs", "compat"],
    ["drop-in entry", COMPAT_BUDGET, "cjs", "compat"],
  ])(
    "the %s stays under %d B as .%s, importing the main entry (and the store) instead of a copy",
    async (_label, budget, extension, name) => {
      const file = `dist/${name}.${extension}`;
      const imported = eagerFiles(file).slice(1);
      expect(imported).toContain(`dist/index.${extension}`);
      expect(readFileSync(file, "utf8")).not.toMatch(/function createConnect\b|class ConnectError\b/);
      if (name === "react" || name === "element") {
        expect(imported).toContain(`dist/store.${extension}`);
        expect(readFileSync(file, "utf8")).not.toMatch(/function createConnectStore\b/);
      }
      expect(await minGzipBytes(file, extension === "mjs")).toBeLessThan(budget);
    },
  );

  test("no entry but the React one, no chunk and not the CDN file references React", () => {
    const files = readdirSync("dist").filter(
      (name) => /\.(mjs|cjs|js|d\.mts|d\.cts)$/.test(name) && !name.startsWith("react."),
    );
    expect(files).toContain("humanconnect-kit.min.js");
    for (const file of files)
      expect(readFileSync(`dist/${file}`, "utf8"), file).not.toMatch(
        /from ['"]react|require\(['"]react|import\(['"]react/,
      );
  });

  test("the main entry, its chunks and the CDN file hold none of the testing kit's code", () => {
    const files = [
      ...eagerFiles("dist/index.mjs"),
      ...eagerFiles("dist/index.cjs"),
      "dist/session.mjs",
      "dist/session.cjs",
      "dist/humanconnect-kit.min.js",
    ];
    for (const file of files) {
      const code = readFileSync(file, "utf8");
      for (const name of ["fakeConnectApp", "FakeConnectAppError", "no Connect is open", "Starfleet Pharmacy"])
        expect(code, file).not.toContain(name);
    }
  });
});
