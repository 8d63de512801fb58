// How sizes are measured, shared by `npm run bench` and the size-budget test: minified with
// terser (2 passes), then gzip level 9.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { gzipSync } from "node:zlib";
import { minify } from "terser";

/** The vendor client's own file, as `import("humanapi-connect-client")` resolves it: the size to beat. */
export const vendorFile = createRequire(import.meta.url).resolve("humanapi-connect-client");

/** @param {string | Uint8Array} code */
export const gzipBytes = (code) => gzipSync(code, { level: 9 }).length;

/**
 * @param {string} source
 * @param {boolean} module
 * @returns {Promise<number>}
 */
export async function minGzipCodeBytes(source, module) {
  const { code } = await minify(source, { module, compress: { passes: 2 }, mangle: true });
  return gzipBytes(code ?? "");
}

/**
 * @param {string} file
 * @param {boolean} module
 * @returns {Promise<number>}
 */
export const minGzipBytes = (file, module) => minGzipCodeBytes(readFileSync(file, "utf8"), module);

/**
 * A built entry and the local files it loads statically (not its dynamic import()s): what an app
 * pays for up front.
 * @param {string} entry
 * @returns {string[]}
 */
export function eagerFiles(entry) {
  const files = [entry];
  for (let i = 0; i < files.length; i++) {
    const code = readFileSync(files[i], "utf8");
    // Top-level `import … from "./x"`, `export … from "./x"` and `var x = require("./x")` lines.
    const statics = [
      ...code.matchAll(
        /^(?:(?:import|export)\s[^;]*?from\s*['"](\.[^'"]+)['"]|var \w+ = require\(['"](\.[^'"]+)['"]\))/gm,
      ),
    ];
    for (const match of statics) {
      const file = join(dirname(files[i]), match[1] ?? match[2]);
      if (!files.includes(file)) files.push(file);
    }
  }
  return files;
}
