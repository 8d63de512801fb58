import { mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { build as esbuild } from "esbuild";
import { build as vite } from "vite";
import webpack from "webpack";

/** One JavaScript file a bundler wrote, and whether it is the page's entry script. */
export interface OutputFile {
  name: string;
  code: string;
  entry: boolean;
}

/** A bundler run over `app.js` in `dir`, writing into `outDir`; it returns the entry file's name. */
export type Bundle = (dir: string, outDir: string) => Promise<string>;

const root = fileURLToPath(new URL("../..", import.meta.url));

/** The two-line app of issue 11: Connect made at start, opened on a click. */
const app = `import { createConnect } from "humanconnect-kit";
const connect = createConnect({ tokenUrl: "/t" });
document.querySelector("button").addEventListener("click", () => connect.open());
`;

/**
 * A folder holding the app, with `humanconnect-kit` resolving to this repository (its package.json
 * and built dist/) through a symlink, as `npm install` of a local folder would leave it.
 */
export function writeApp(dir: string): void {
  mkdirSync(join(dir, "node_modules"), { recursive: true });
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "app", private: true, type: "module" }));
  writeFileSync(join(dir, "app.js"), app);
  symlinkSync(root, join(dir, "node_modules/humanconnect-kit"), "dir");
}

/** Every file under `outDir` (scripts, licence files, anything else), the entry marked. */
export function outputFiles(outDir: string, entry: string): OutputFile[] {
  return readdirSync(outDir, { recursive: true, withFileTypes: true })
    .filter((item) => item.isFile())
    .map((item) => relative(outDir, join(item.parentPath, item.name)))
    .map((name) => ({ name, code: readFileSync(join(outDir, name), "utf8"), entry: name === entry }));
}

/**
 * The scripts a page loads before any click: the entry and every chunk it imports statically
 * (esbuild puts code shared with the lazy chunks in such a chunk), not its dynamic import()s.
 */
export function eagerScripts(files: OutputFile[]): OutputFile[] {
  const eager = files.filter((file) => file.entry);
  for (let i = 0; i < eager.length; i++) {
    const from = eager[i] as OutputFile;
    // `import{a as b}from"./x.js"`, `import"./x.js"`, `export{a}from"./x.js"`: never `import("./x.js")`.
    for (const [, path] of from.code.matchAll(
      /\b(?:import|export)\s*(?:[\w$*{},\s]*?from\s*)?["'](\.{1,2}\/[^"']+)["']/g,
    )) {
      const name = join(dirname(from.name), path ?? "");
      const file = files.find((candidate) => candidate.name === name);
      if (file && !eager.includes(file)) eager.push(file);
    }
  }
  return eager;
}

/** esbuild's Node API, as its docs show code splitting: ESM output, minified. */
export const bundleWithEsbuild: Bundle = async (dir, outDir) => {
  const result = await esbuild({
    absWorkingDir: dir,
    entryPoints: ["app.js"],
    bundle: true,
    splitting: true,
    format: "esm",
    minify: true,
    platform: "browser",
    outdir: outDir,
    metafile: true,
    logLevel: "silent",
  });
  const [entry] = Object.entries(result.metafile.outputs).filter(([, output]) => output.entryPoint);
  return relative(outDir, join(dir, entry?.[0] ?? ""));
};

/** Vite's production build (`vite build`) with the app's script as its only input. */
export const bundleWithVite: Bundle = async (dir, outDir) => {
  await vite({
    root: dir,
    configFile: false,
    logLevel: "silent",
    build: {
      outDir,
      emptyOutDir: true,
      rollupOptions: { input: join(dir, "app.js"), output: { entryFileNames: "app.js" } },
    },
  });
  return "app.js";
};

/** webpack 5 in production mode: its dynamic imports become chunks loaded on demand. */
export const bundleWithWebpack: Bundle = (dir, outDir) =>
  new Promise((resolve, reject) => {
    webpack(
      {
        mode: "production",
        context: dir,
        entry: "./app.js",
        output: { path: outDir, filename: "main.js", chunkFilename: "[name].[contenthash].js", publicPath: "/" },
        infrastructureLogging: { level: "none" },
      },
      (error, stats) => {
        if (error) reject(error);
        else if (stats?.hasErrors()) reject(new Error(stats.toString("errors-only")));
        else resolve("main.js");
      },
    );
  });
