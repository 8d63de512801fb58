import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { minGzipCodeBytes } from "../bench/size.mjs";
import {
  bundleWithEsbuild,
  bundleWithVite,
  bundleWithWebpack,
  eagerScripts,
  outputFiles,
  writeApp,
  type Bundle,
  type OutputFile,
} from "./support/bundlers";

// Issue 11 #4: the two-line app (createConnect at start, open() on a click) bundled by each app
// bundler in production mode, against the built dist/ (npm test builds it before vitest).
const folder = mkdtempSync(join(tmpdir(), "humanconnect-kit-bundlers-"));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

// Strings only the vendor's code holds (messages, so minifiers keep them): the vendor client's
// own file and focus-trap, which it bundles.
const vendorMarkers = [
  "Couldn't find element with class hapi__token-container",
  "Your focus-trap needs to have at least one focusable element",
];
const holdsVendorCode = (file: OutputFile) => vendorMarkers.some((marker) => file.code.includes(marker));
const isScript = (file: OutputFile) => /\.m?js$/.test(file.name);

/** Issue 11's budget for what the first open() loads (min+gzip, as bench/size.mjs measures). */
const firstUseBudget = 11_000;

const bundlers: [string, Bundle, boolean][] = [
  ["Vite (production build)", bundleWithVite, true],
  ["esbuild (splitting, ESM, minified)", bundleWithEsbuild, true],
  ["webpack 5 (production mode)", bundleWithWebpack, false],
];

describe.each(bundlers)("the two-line app bundled with %s", (name, bundle, esm) => {
  const dir = join(folder, name.split(" ")[0] as string);
  const outDir = join(dir, "out");
  let files: OutputFile[] = [];
  let eager: OutputFile[] = [];
  let firstUse: OutputFile[] = [];

  beforeAll(async () => {
    writeApp(dir);
    files = outputFiles(outDir, await bundle(dir, outDir));
    eager = eagerScripts(files);
    firstUse = files.filter((file) => isScript(file) && !eager.includes(file));
  }, 60_000);

  test("loads no vendor code up front: the entry and its static imports hold none", () => {
    expect(eager.map((file) => file.name)).toContainEqual(expect.stringMatching(/\.m?js$/));
    expect(eager.filter(holdsVendorCode).map((file) => file.name)).toEqual([]);
  });

  test("puts the vendor code in a chunk loaded on first use", () => {
    expect(firstUse.filter(holdsVendorCode)).toHaveLength(1);
  });

  test("writes no core-js into any output file", () => {
    expect(files.filter((file) => file.code.includes("core-js")).map((file) => file.name)).toEqual([]);
  });

  test(`loads under ${firstUseBudget} B (min+gzip) on first use`, async () => {
    const sizes = await Promise.all(firstUse.map((file) => minGzipCodeBytes(file.code, esm)));
    const report = firstUse.map((file, i) => `${file.name} ${sizes[i]} B`).join(", ");
    expect(firstUse.length).toBeGreaterThan(0);
    expect(
      sizes.reduce((sum, size) => sum + size, 0),
      `${name}: ${report}`,
    ).toBeLessThan(firstUseBudget);
  });
});
