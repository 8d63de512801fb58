import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, test } from "vitest";

// The package as npm ships it: packed from this folder (npm test builds dist/ first), installed
// into an empty app with npm's --offline (no registry), then used from that app.
const run = promisify(execFile);
const root = fileURLToPath(new URL("..", import.meta.url));
const jsdom = fileURLToPath(import.meta.resolve("jsdom"));
let folder: string;
let app: string;
let installLog: string;

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), "humanconnect-kit-pack-"));
  const { stdout } = await run("npm", ["pack", "--pack-destination", folder, "--silent", "--ignore-scripts"], {
    cwd: root,
  });
  app = join(folder, "app");
  mkdirSync(app);
  writeFileSync(join(app, "package.json"), JSON.stringify({ name: "app", private: true, type: "module" }));
  const install = await run(
    "npm",
    ["install", "--offline", "--no-audit", "--no-fund", "--foreground-scripts", join(folder, stdout.trim())],
    { cwd: app },
  );
  installLog = install.stdout + install.stderr;
}, 60_000);

afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe("npm install humanconnect-kit", () => {
  test("installs exactly one package, with no runtime dependency and no install script", () => {
    const installed = readdirSync(join(app, "node_modules")).filter((name) => !name.startsWith("."));
    expect(installed).toEqual(["humanconnect-kit"]);
    const manifest = JSON.parse(
      readFileSync(join(app, "node_modules/humanconnect-kit/package.json"), "utf8"),
    ) as Record<string, Record<string, string> | undefined>;
    expect(manifest.dependencies ?? {}).toEqual({});
    expect(Object.keys(manifest.scripts ?? {}).filter((name) => /install|prepare/.test(name))).toEqual([]);
    expect(installLog).toMatch(/added 1 package/);
    expect(installLog).not.toMatch(/install-scripts|postinstall/);
  });

  test('import("humanconnect-kit") then open() in jsdom mounts Connect through the vendor code of our own chunk', async () => {
    const script = `
      import { JSDOM } from ${JSON.stringify(jsdom)};
      const dom = new JSDOM("<!doctype html><body><button>Connect</button></body>", { url: "https://app.example/", pretendToBeVisual: true });
      for (const name of ["window", "document", "HTMLIFrameElement", "MessageEvent", "MutationObserver", "Element", "Node", "btoa"]) globalThis[name] = dom.window[name];
      const { createConnect } = await import("humanconnect-kit");
      const connect = createConnect({ token: "tok-packed" });
      const opened = new Promise((resolve) => connect.once("open", resolve));
      const result = connect.open();
      const { iframe } = await opened;
      console.log(JSON.stringify({ src: iframe.src, overlay: Boolean(document.getElementById("human-api-connect-modal-overlay")), state: connect.state }));
      connect.close();
      console.log(JSON.stringify({ closed: (await result).status }));
    `;
    writeFileSync(join(app, "check.mjs"), script);
    const { stdout } = await run("node", ["check.mjs"], { cwd: app });
    const [mounted, closed] = stdout
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(mounted).toEqual({
      src: "https://hapi-connect.humanapi.co/?token=tok-packed",
      overlay: true,
      state: "open",
    });
    expect(closed).toEqual({ closed: "CLOSED_BY_APP" });
    expect(readdirSync(join(app, "node_modules"))).not.toContain("humanapi-connect-client");
  });
});
