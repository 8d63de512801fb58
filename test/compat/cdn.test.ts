import { existsSync, readFileSync } from "node:fs";
import { JSDOM, VirtualConsole } from "jsdom";
import { afterEach, beforeAll, expect, test, vi } from "vitest";
import type * as Compat from "../../src/compat/index";

// The built drop-in CDN file (`npm test` builds before it runs this), in a fresh jsdom page.
const dist = new URL("../../dist/", import.meta.url);
type Testing = typeof import("../../src/testing/index");
type Global = Pick<typeof Compat, "open" | "on" | "off" | "bindDeclarative">;

beforeAll(() => {
  if (!existsSync(new URL("humanconnect-kit.compat.min.js", dist)))
    throw new Error("dist/ is missing: run `npm run build` first (npm test does).");
});

const apps: Array<ReturnType<Testing["fakeConnectApp"]>> = [];
afterEach(() => {
  for (const app of apps.splice(0)) app.dispose();
});

function freshPage(body: string) {
  const printed: string[] = [];
  const virtualConsole = new VirtualConsole();
  for (const method of ["log", "info", "warn", "error", "debug"] as const)
    virtualConsole.on(method, (...args: unknown[]) => printed.push(`${method}: ${args.join(" ")}`));
  virtualConsole.on("jsdomError", (error: Error) => printed.push(`jsdomError: ${error.message}`));
  const dom = new JSDOM(`<!doctype html><body>${body}</body>`, {
    runScripts: "outside-only",
    url: "https://app.example/",
    virtualConsole,
  });
  const window = dom.window as unknown as Window &
    typeof globalThis & { eval(code: string): unknown; HumanConnect?: Global };
  return { window, printed };
}

const code = () => readFileSync(new URL("humanconnect-kit.compat.min.js", dist), "utf8");

test("a second copy of the file keeps the first's binding and listeners: a listener added through the global hears the session, and nothing else is heard", async () => {
  const { window, printed } = freshPage(
    '<div class="hapi__token-container"><button data-hapi-token="tok">Open Connect</button></div>',
  );
  window.eval(code());
  const first = window.HumanConnect;
  window.eval(code());
  expect(window.HumanConnect?.open).toBe(first?.open);
  const testing = (await import(new URL("testing.mjs", dist).href)) as Testing;
  const app = testing.fakeConnectApp(window);
  apps.push(app);
  const heard: string[] = [];
  window.HumanConnect!.on("close", (response) => heard.push(`close ${response.status}`));
  window.HumanConnect!.on("error", (error) => heard.push(`error ${error.code}`));
  window.document.querySelector("button")!.click();
  await app.waitForOpen();
  app.close();
  await vi.waitFor(() => expect(heard).toEqual(["close SUCCESS"]));
  await new Promise((resolve) => setTimeout(resolve, 20));
  expect(heard).toEqual(["close SUCCESS"]);
  expect(app.opened).toBe(1);
  expect(printed).toEqual([]);
});

test("loaded after the vendor's file, it replaces the vendor's global", () => {
  const { window } = freshPage("");
  const vendors = { open: () => null, on: () => undefined };
  (window as { HumanConnect?: unknown }).HumanConnect = vendors;
  window.eval(code());
  expect(Object.keys(window.HumanConnect!).sort()).toEqual(["bindDeclarative", "off", "on", "open"]);
});
