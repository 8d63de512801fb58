// @vitest-environment node
import { expect, test } from "vitest";

test("in Node, the element entries import without a throw, add no global, and register nothing", async () => {
  expect([typeof window, typeof HTMLElement, typeof customElements]).toEqual(["undefined", "undefined", "undefined"]);
  const before = Object.getOwnPropertyNames(globalThis).sort();
  const entry = await import("../../src/element/index");
  const define = await import("../../src/element/register");
  expect(Object.getOwnPropertyNames(globalThis).sort()).toEqual(before);
  expect(Object.keys(entry).sort()).toEqual(["ATTRIBUTES", "HumanConnectElement", "defineHumanConnect"]);
  expect(entry.defineHumanConnect()).toBeUndefined();
  expect(define.defineHumanConnect("human-connect")).toBeUndefined();
  expect(typeof customElements).toBe("undefined");
});
