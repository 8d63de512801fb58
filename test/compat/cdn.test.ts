import { existsSync, readFileSync } from "node:fs";
import { afterEach, beforeAll, expect, test, vi } from "vitest";
import type * as Compat from "../../src/compat/index";
import { jsdomPage } from "../support/jsdom-page";

// The built drop-in CDN file (`npm test` builds before it runs this), in a fresh jsdom page.
const dist = new URL("../../dist/", import.meta.url);
type Testing = typeof import("../../src/testing/index");
type Globals = { HumanConnect?: Pick<typeof Compat, "open" | "on" | "off" | "bindDeclarative"> };

beforeAll(() => {
  if (!existsSync(new URL("humanconnect-kit.compat.min.js", dist)))
    throw new Error("dist/ is missing: run `npm run build` first (npm test does).");
});

const apps: Array<ReturnType<Testing["fakeConnectApp"]>> = [];
afterEach(() => {
  for (const app of apps.splice(0)) app.dispose();
});

const code = () => readFileSync(new URL("humanconnect-kit.compat.min.js", dist), "utf8");
const README_BUTTON =
  '<div class="hapi__token-container"><button data-hapi-token="tok-cdn">Open Connect</button></div>';

/** The built testing kit's fake Connect app in `window`, disposed after the test. */
async function fakeAppIn(window: Window) {
  const testing = (await import(new URL("testing.mjs", dist).href)) as Testing;
  const app = testing.fakeConnectApp(window);
  apps.push(app);
  return app;
}

test("defines HumanConnect with the vendor's open and on, plus off and bindDeclarative, printing nothing on a page without a container", async () => {
  const { window, printed } = jsdomPage<Globals>({ body: "<p>No Connect here</p>" });
  window.eval(code());
  expect(Object.keys(window.HumanConnect ?? {}).sort()).toEqual(["bindDeclarative", "off", "on", "open"]);
  await new Promise((resolve) => window.addEventListener("load", resolve));
  await new Promise((resolve) => setTimeout(resolve, 20));
  expect(printed).toEqual([]);
  expect("__core-js_shared__" in window).toBe(false);
});

test("binds the declarative integration when it loads: a token button opens the bundled vendor client, listeners hear the close", async () => {
  const { window, printed } = jsdomPage<Globals>({ body: README_BUTTON });
  window.eval(code());
  const app = await fakeAppIn(window);
  const closes: unknown[] = [];
  window.HumanConnect!.on("close", (response) => closes.push(response.status));
  window.document.querySelector("button")!.click();
  expect((await app.waitForOpen()).token).toBe("tok-cdn");
  app.close();
  await vi.waitFor(() => expect(closes).toEqual(["SUCCESS"]));
  expect(window.document.getElementById("human-api")).toBeNull();
  expect(printed).toEqual([]);
});

test("a second copy of the file shares the first's binding and listeners: one click opens one Connect, a listener added through the global hears it, and nothing else is heard", async () => {
  const { window, printed } = jsdomPage<Globals>({ body: README_BUTTON });
  window.eval(code());
  window.eval(code());
  const app = await fakeAppIn(window);
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
  const { window } = jsdomPage<Globals>({});
  (window as { HumanConnect?: unknown }).HumanConnect = { open: () => null, on: () => undefined };
  window.eval(code());
  expect(Object.keys(window.HumanConnect!).sort()).toEqual(["bindDeclarative", "off", "on", "open"]);
});
