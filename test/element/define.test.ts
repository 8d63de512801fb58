// @vitest-environment jsdom
import { describe, expect, test, vi } from "vitest";
import { shadowButton } from "../support/element";

// The registry lives as long as this file's window: the tests run in order, the first ones
// before anything is registered.
describe("registration", () => {
  test("importing humanconnect-kit/element registers nothing", async () => {
    const entry = await import("../../src/element/index");
    expect(Object.keys(entry).sort()).toEqual(["ATTRIBUTES", "HumanConnectElement", "defineHumanConnect"]);
    expect(customElements.get("human-connect")).toBeUndefined();
  });

  test("importing humanconnect-kit/element/define registers <human-connect>, a HumanConnectElement", async () => {
    const { HumanConnectElement } = await import("../../src/element/index");
    await import("../../src/element/register");
    const defined = customElements.get("human-connect");
    expect(defined?.prototype).toBeInstanceOf(HumanConnectElement);
    const element = document.createElement("human-connect");
    expect(element).toBeInstanceOf(HumanConnectElement);
    expect(shadowButton(element).textContent).toBe("Connect your health data");
  });

  test("defineHumanConnect(name) registers its own class under another name; both work", async () => {
    const { defineHumanConnect, HumanConnectElement } = await import("../../src/element/index");
    const defined = defineHumanConnect("my-connect");
    expect(defined).toBe(customElements.get("my-connect"));
    expect(defined).not.toBe(customElements.get("human-connect"));
    expect(defined?.prototype).toBeInstanceOf(HumanConnectElement);
    for (const name of ["my-connect", "human-connect"])
      expect(shadowButton(document.createElement(name)).getAttribute("part")).toBe("button");
  });

  test("a name already defined is skipped without error, the first registration returned", async () => {
    const { defineHumanConnect } = await import("../../src/element/index");
    const first = customElements.get("human-connect");
    expect(defineHumanConnect()).toBe(first);
    expect(defineHumanConnect("human-connect")).toBe(first);
    class Theirs extends HTMLElement {}
    customElements.define("taken-connect", Theirs);
    expect(defineHumanConnect("taken-connect")).toBe(Theirs);
  });

  test("a second copy of the module (its own HumanConnectElement) leaves the first registration", async () => {
    const first = customElements.get("human-connect");
    vi.resetModules();
    const copy = await import("../../src/element/index");
    expect(copy.defineHumanConnect()).toBe(first);
    expect(first?.prototype).not.toBeInstanceOf(copy.HumanConnectElement);
    await expect(import("../../src/element/register")).resolves.toBeDefined();
    expect(customElements.get("human-connect")).toBe(first);
  });

  test("the CDN file evaluated twice (two script tags) registers once and throws nothing", async () => {
    const first = customElements.get("human-connect");
    for (const _copy of [1, 2]) {
      vi.resetModules();
      const cdn = await import("../../src/cdn");
      expect(cdn.defineHumanConnect()).toBe(first);
    }
    expect(customElements.get("human-connect")).toBe(first);
  });

  test("where there is no customElements, defineHumanConnect() does nothing and returns undefined", async () => {
    const { defineHumanConnect } = await import("../../src/element/index");
    vi.stubGlobal("customElements", undefined);
    try {
      expect(defineHumanConnect("no-registry")).toBeUndefined();
    } finally {
      vi.unstubAllGlobals();
    }
  });
});
