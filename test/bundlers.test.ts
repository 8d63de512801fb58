import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
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

const bundlers: [string, Bundle][] = [
  ["Vite (production build)", bundleWithVite],
  ["esbuild (splitting, ESM, minified)", bundleWithEsbuild],
  ["webpack 5 (production mode)", bundleWithWebpack],
];

describe.each(bundlers)("the two-line app bundled with %s", (name, bundle) => {
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
});
