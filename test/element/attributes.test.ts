// @vitest-environment jsdom
import { describe, expect, test } from "vitest";
import "../../src/element/register";
import { ATTRIBUTES } from "../../src/element/index";
import { attributeOptions } from "../../src/element/attributes";
import "../support/connect";
import { fakeApp, frame } from "../support/dom";
import { looks, placeElement, tokenServer } from "../support/element";

/** A plain element carrying `attributes`, as the parser would give it. */
function withAttributes(attributes: Record<string, string>): Element {
  const element = document.createElement("div");
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  return element;
}

const overlayOpacity = () => document.getElementById("human-api-connect-modal-overlay")?.style.opacity;

describe("each attribute gives its option", () => {
  test("the nine attributes, and the options they set", () => {
    expect(Object.fromEntries(Object.entries(ATTRIBUTES).map(([name, [option]]) => [name, option]))).toEqual({
      "token-url": "tokenUrl",
      token: "token",
      "base-url": "baseUrl",
      mode: "mode",
      "client-id": "clientId",
      segment: "segment",
      "pinned-providers": "pinnedProviders",
      "overlay-opacity": "overlayOpacity",
      "focus-trap": "enableFocusTrap",
    });
  });

  test.each<[string, Record<string, string>, Record<string, unknown>]>([
    ["no attribute", {}, {}],
    ["attributes of its own only", { title: "Connect", "data-x": "1", class: "big" }, {}],
    ["token-url, as written", { "token-url": "/api/connect-token" }, { tokenUrl: "/api/connect-token" }],
    ["token, as written", { token: "tok-1" }, { token: "tok-1" }],
    ["base-url, as written", { "base-url": "http://127.0.0.1:4010" }, { baseUrl: "http://127.0.0.1:4010" }],
    ["mode and client-id, as written", { mode: "select", "client-id": "c-9" }, { mode: "select", clientId: "c-9" }],
    ["segment, as written", { segment: "beta" }, { segment: "beta" }],
    ["pinned-providers: one provider", { "pinned-providers": "p1" }, { pinnedProviders: ["p1"] }],
    [
      "pinned-providers: a comma list, spaces trimmed",
      { "pinned-providers": "p1, p2 ,p3" },
      { pinnedProviders: ["p1", "p2", "p3"] },
    ],
    [
      "pinned-providers: empty items (a trailing comma, an empty list from a template) left out",
      { "pinned-providers": "p1,, p2," },
      { pinnedProviders: ["p1", "p2"] },
    ],
    ["pinned-providers: empty", { "pinned-providers": "" }, { pinnedProviders: [] }],
    ["overlay-opacity: a number", { "overlay-opacity": "0.25" }, { overlayOpacity: 0.25 }],
    ["overlay-opacity: 0", { "overlay-opacity": "0" }, { overlayOpacity: 0 }],
    ["overlay-opacity: no number", { "overlay-opacity": "half" }, { overlayOpacity: NaN }],
    ["overlay-opacity: empty, no number either", { "overlay-opacity": "" }, { overlayOpacity: NaN }],
    ["focus-trap present", { "focus-trap": "" }, { enableFocusTrap: true }],
    ["focus-trap=true", { "focus-trap": "true" }, { enableFocusTrap: true }],
    ["focus-trap=focus-trap", { "focus-trap": "focus-trap" }, { enableFocusTrap: true }],
    ["focus-trap=false", { "focus-trap": "false" }, { enableFocusTrap: false }],
  ])("%s", (_name, attributes, options) => {
    expect(attributeOptions(withAttributes(attributes))).toEqual(options);
  });
});

describe("what reaches Connect", () => {
  test.each<[string, Record<string, string>, object]>([
    ["token", { token: "tok-1" }, { params: { token: "tok-1" } }],
    [
      "mode and client-id",
      { token: "t", mode: "select", "client-id": "c-9" },
      { params: { mode: "select", clientId: "c-9" } },
    ],
    ["segment", { token: "t", segment: "beta" }, { params: { segment: "beta" } }],
    ["pinned-providers", { token: "t", "pinned-providers": "p1, p2" }, { params: { pinnedProviders: "p1,p2" } }],
    ["base-url", { token: "t", "base-url": "http://127.0.0.1:4010/connect" }, { origin: "http://127.0.0.1:4010" }],
    ["overlay-opacity 0", { token: "t", "overlay-opacity": "0" }, { overlay: "0" }],
    ["overlay-opacity 0.8", { token: "t", "overlay-opacity": "0.8" }, { overlay: "0.8" }],
  ])("%s", async (_name, attributes, expected) => {
    const app = fakeApp();
    const placed = placeElement(attributes);
    placed.click();
    const { params } = await app.waitForOpen();
    expect({ params, origin: new URL(frame().src).origin, overlay: overlayOpacity() }).toMatchObject(expected);
    app.close();
    await placed.next("hc-close");
  });

  test("token-url: the token the endpoint gives", async () => {
    const server = await tokenServer("from-url");
    const app = fakeApp();
    const placed = placeElement({ "token-url": server.url });
    placed.click();
    expect(await app.waitForOpen()).toMatchObject({ token: "from-url-1" });
    app.close();
    await placed.next("hc-close");
  });
});

describe("refused at the click, never where it is set", () => {
  test.each(["half", "", " ", "2", "-0.5", "0.5.1"])(
    'overlay-opacity="%s": hc-error INVALID_OPTIONS naming overlayOpacity at the click; fixed, the button opens Connect',
    async (value) => {
      const app = fakeApp();
      const placed = placeElement({ token: "t" });
      expect(() => placed.element.setAttribute("overlay-opacity", value)).not.toThrow();
      const refused = placed.next("hc-error");
      placed.click();
      const error = await refused;
      expect(error.code).toBe("INVALID_OPTIONS");
      expect(error.message).toMatch(/"overlayOpacity" must be a number from 0 to 1/);
      expect(looks(placed.element)).toMatchObject({ state: "idle", disabled: false });
      placed.element.setAttribute("overlay-opacity", "0.5");
      placed.click();
      await app.waitForOpen();
      expect(overlayOpacity()).toBe("0.5");
      app.close();
      await placed.next("hc-close");
    },
  );
});
