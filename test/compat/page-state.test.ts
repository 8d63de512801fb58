// @vitest-environment jsdom
import { afterEach, expect, test, vi } from "vitest";
import { fakeApp } from "../support/dom";
import { tick } from "../support/connect";

type Compat = typeof import("../../src/compat/index");

/** A copy of the drop-in with its own module instances (as an app bundling both its ESM and CJS builds has). */
async function aCopy(): Promise<Compat> {
  vi.resetModules();
  return import("../../src/compat/index");
}

const undo: Array<() => void> = [];
afterEach(async () => {
  for (const stop of undo.splice(0)) stop();
  document.getElementById("human-api")?.remove();
  document.body.innerHTML = "";
  await tick();
});

function readmeButton() {
  document.body.innerHTML =
    '<div class="hapi__token-container"><button data-hapi-token="tok">Open Connect</button></div>';
  return document.querySelector("button")!;
}

test("a listener added through one copy hears a session opened through another, as with the vendor's one file", async () => {
  const [first, second] = [await aCopy(), await aCopy()];
  expect(first.on).not.toBe(second.on);
  const heard: string[] = [];
  undo.push(
    first.on("connect", () => heard.push("connect")),
    first.on("close", (r) => heard.push(`close ${r.status}`)),
  );
  const app = fakeApp();
  second.open({ token: "t", version: "V2" });
  await app.waitForOpen();
  app.connectSource("Starfleet Pharmacy");
  app.close();
  await vi.waitFor(() => expect(heard).toEqual(["connect", "close SUCCESS"]));
});

test("two copies that both bind: one click opens one Connect, with no error, and one copy's unbind leaves the other's binding", async () => {
  const [first, second] = [await aCopy(), await aCopy()];
  const heard: string[] = [];
  undo.push(
    first.on("close", (r) => heard.push(`close ${r.status}`)),
    first.on("error", (e) => heard.push(e.code)),
  );
  const unbindFirst = first.bindDeclarative();
  undo.push(second.bindDeclarative());
  const button = readmeButton();
  const app = fakeApp();
  button.click();
  await app.waitForOpen();
  app.close();
  await vi.waitFor(() => expect(heard).toEqual(["close SUCCESS"]));
  expect(app.opened).toBe(1);
  unbindFirst();
  button.click();
  await app.waitForOpen();
  app.close();
  await vi.waitFor(() => expect(heard).toEqual(["close SUCCESS", "close SUCCESS"]));
});

test("the page state's fields, a contract with every other version of the package in the page, stay as they are", async () => {
  const copy = await aCopy();
  undo.push(
    copy.on("close", () => undefined),
    copy.bindDeclarative(),
  );
  const state = (globalThis as Record<symbol, unknown>)[Symbol.for("humanconnect-kit.compat.page")] as object;
  expect(Object.keys(state).sort()).toEqual(["bindings", "busy", "listeners", "onClick"]);
  expect(state).toMatchObject({ bindings: 1, busy: false, listeners: expect.any(Map), onClick: expect.any(Function) });
});
