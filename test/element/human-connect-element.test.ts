// @vitest-environment jsdom
import { describe, expect, onTestFinished, test } from "vitest";
import "../../src/element/register";
import { defineHumanConnect, type HumanConnectElement } from "../../src/element/index";
import type { ConnectError, SessionResult } from "../../src/index";
import type { FakeConnectApp } from "../../src/testing/index";
import { aNewObjectOpensAndCloses, make, tick } from "../support/connect";
import { fakeApp, frame, trackListeners } from "../support/dom";
import {
  EVENT_TYPES,
  heldTokenServer,
  looks,
  placeElement,
  refusingTokenServer,
  shadowButton,
  tokenServer,
  type PlacedElement,
} from "../support/element";
import { connectError } from "../support/errors";

/** Counts window's listeners from now to the end of the test. */
function listeners() {
  const tracker = trackListeners(window);
  onTestFinished(() => tracker.restore());
  return tracker;
}

/** Clicks the element and waits for Connect to be open; resolves with what it was opened with. */
async function clickOpen(placed: PlacedElement, app: FakeConnectApp) {
  const opened = placed.next("hc-open");
  placed.click();
  const openedWith = await app.waitForOpen();
  await opened;
  return openedWith;
}

/** Plays Connect's close and waits for the element's `hc-close`. */
async function closeFrom(placed: PlacedElement, app: FakeConnectApp): Promise<SessionResult> {
  const closed = placed.next("hc-close");
  app.close();
  return closed;
}

/** The button's default label, when it shows (undefined when hidden). */
function defaultLabel(element: Element): string | undefined {
  const label = shadowButton(element).querySelector("span");
  return label && !label.hidden ? (label.textContent ?? undefined) : undefined;
}

/** What the page holds of Connect: its iframe and its overlay. */
const connectInPage = () => document.querySelectorAll("#human-api, #human-api-connect-modal-overlay").length;

describe("what it renders", () => {
  test("an open shadow root holding a native <button part=button> labelled by the slot, 'Connect your health data' by default", () => {
    const { element, button } = placeElement({ token: "t" });
    expect(element.shadowRoot?.mode).toBe("open");
    expect(button.type).toBe("button");
    expect(button.getAttribute("part")).toBe("button");
    const slot = button.querySelector("slot")!;
    expect(slot.assignedNodes()).toEqual([]);
    expect(defaultLabel(element)).toBe("Connect your health data");
    // Nothing of its style reaches the page.
    expect(document.querySelectorAll("style, link")).toHaveLength(0);
  });

  test.each([
    ["text", "Link your pharmacy", "Link your pharmacy", undefined],
    ["an element", "<b>Link</b>", "Link", undefined],
    ["only whitespace, as a server template leaves between the tags", "\n    ", "\n    ", "Connect your health data"],
  ])(
    "content of %s: the slot holds it, and the default label shows only when it says nothing",
    (_what, html, slotted, label) => {
      const element = document.createElement("human-connect");
      element.innerHTML = html;
      document.body.append(element);
      const slot = shadowButton(element).querySelector("slot")!;
      expect(
        slot
          .assignedNodes()
          .map((node) => node.textContent)
          .join(""),
      ).toBe(slotted);
      expect(defaultLabel(element)).toBe(label);
    },
  );

  test("sets no attribute before it is in the document; once inserted it says idle, its button enabled and not busy", () => {
    const { element } = placeElement({ token: "t" }, null);
    expect(element.state).toBe("idle");
    expect(element.getAttributeNames()).toEqual(["token"]);
    document.body.append(element);
    expect(looks(element)).toEqual({ state: "idle", dataState: "idle", disabled: false, ariaBusy: "false" });
  });
});

describe("state, data-state, disabled and aria-busy", () => {
  test("go idle -> loading -> open -> idle, and a click while busy asks for nothing", async () => {
    const held = await heldTokenServer();
    const app = fakeApp();
    const placed = placeElement({ "token-url": held.url });
    const seen = [looks(placed.element)];
    placed.click();
    await held.asked;
    seen.push(looks(placed.element));
    placed.click();
    await held.answer();
    await app.waitForOpen();
    seen.push(looks(placed.element));
    placed.click();
    await closeFrom(placed, app);
    seen.push(looks(placed.element));
    expect(seen).toEqual([
      { state: "idle", dataState: "idle", disabled: false, ariaBusy: "false" },
      { state: "loading", dataState: "loading", disabled: true, ariaBusy: "true" },
      { state: "open", dataState: "open", disabled: true, ariaBusy: "true" },
      { state: "idle", dataState: "idle", disabled: false, ariaBusy: "false" },
    ]);
    expect(held.seen).toHaveLength(1);
    expect(placed.types()).toEqual(["hc-open", "hc-close"]);
  });
});

describe("configuration", () => {
  test.each<[string, Record<string, string>, (element: HumanConnectElement) => void, (e: HumanConnectElement) => void]>(
    [
      ["no token source", {}, () => undefined, (e) => e.setAttribute("token", "t")],
      [
        "two token sources",
        { token: "s3cret-token", "token-url": "/api/t" },
        () => undefined,
        (e) => (e.removeAttribute("token-url"), e.setAttribute("token", "t")),
      ],
      [
        "a mode that is not auth or select",
        { token: "t", mode: "sideways" },
        () => undefined,
        (e) => e.removeAttribute("mode"),
      ],
      [
        "a relative base-url",
        { token: "t", "base-url": "/my-connect-path" },
        () => undefined,
        (e) => e.removeAttribute("base-url"),
      ],
      [
        "an unknown option in options",
        { token: "t" },
        (e) => (e.options = { colour: "red" } as object),
        (e) => (e.options = {}),
      ],
      [
        "a getToken that is no function",
        {},
        (e) => (e.getToken = "s3cret-token" as unknown as () => string),
        (e) => (e.getToken = () => "t"),
      ],
    ],
  )(
    "%s: setting it throws nothing, the click fires hc-error INVALID_OPTIONS (no value echoed), and once fixed the button opens Connect",
    async (_name, attributes, breakIt, fix) => {
      const app = fakeApp();
      const placed = placeElement(attributes);
      expect(() => breakIt(placed.element)).not.toThrow();
      const error = placed.next("hc-error");
      placed.click();
      expect((await error).code).toBe("INVALID_OPTIONS");
      expect((await error).message).not.toContain("s3cret");
      expect(looks(placed.element)).toMatchObject({ state: "idle", disabled: false });
      expect(connectInPage()).toBe(0);
      fix(placed.element);
      expect(await clickOpen(placed, app)).toMatchObject({ token: "t" });
      await closeFrom(placed, app);
    },
  );

  test("changing any attribute to anything, in the document or not, never throws", () => {
    const { element } = placeElement({ token: "t" });
    const values = ["", " ", "\0", "false", "NaN", "-1", "x".repeat(10_000), "javascript:alert(1)"];
    const attributes = ["token-url", "token", "base-url", "mode", "client-id", "segment", "pinned-providers"];
    for (const name of [...attributes, "overlay-opacity", "focus-trap"])
      for (const value of values) {
        expect(() => element.setAttribute(name, value)).not.toThrow();
        element.remove();
        expect(() => element.setAttribute(name, value)).not.toThrow();
        document.body.append(element);
      }
  });

  test("a token-url change between two opens: the next open asks the new URL", async () => {
    const [a, b] = [await tokenServer("a"), await tokenServer("b")];
    const app = fakeApp();
    const placed = placeElement({ "token-url": a.url });
    expect(await clickOpen(placed, app)).toMatchObject({ token: "a-1" });
    await closeFrom(placed, app);
    placed.element.setAttribute("token-url", b.url);
    expect(await clickOpen(placed, app)).toMatchObject({ token: "b-1" });
    await closeFrom(placed, app);
    expect([a.seen.length, b.seen.length]).toEqual([1, 1]);
  });

  test("a token-url change while Connect is open leaves that Connect as it is; the next open asks the new URL", async () => {
    const [a, b] = [await tokenServer("a"), await tokenServer("b")];
    const app = fakeApp();
    const tracker = listeners();
    const placed = placeElement({ "token-url": a.url });
    await clickOpen(placed, app);
    const iframe = frame();
    placed.element.setAttribute("token-url", b.url);
    placed.element.getToken = () => "from-getToken";
    await placed.element.prefetch().catch(() => undefined);
    expect(frame()).toBe(iframe);
    expect(looks(placed.element)).toMatchObject({ state: "open", dataState: "open" });
    expect(tracker.count("message")).toBe(2); // one Connect's: the guard (capture) and the vendor's
    app.connectSource("Starfleet Pharmacy");
    expect((await closeFrom(placed, app)).connectedSources).toHaveLength(1);
    expect(b.seen).toHaveLength(0);
    placed.element.getToken = undefined;
    expect(await clickOpen(placed, app)).toMatchObject({ token: "b-1" });
    await closeFrom(placed, app);
    expect(b.seen).toHaveLength(1);
  });

  test.each([
    ["one open()", 1],
    ["a second open() refused ALREADY_OPEN", 2],
  ])(
    "after %s, a token refused by Connect: a new token and open() from hc-close use it, and the refusal still fires hc-error",
    async (_name, opens) => {
      const app = fakeApp();
      const placed = placeElement({ token: "t1" });
      const sessions = Array.from({ length: opens }, () => placed.element.open().catch((e: ConnectError) => e.code));
      await app.waitForOpen();
      let reopened: Promise<unknown> | undefined;
      placed.element.addEventListener("hc-close", () => {
        placed.element.setAttribute("token", "t2");
        reopened = placed.element.open();
      });
      app.close({ status: "SESSION_TOKEN_EXPIRED" });
      expect(await Promise.all(sessions)).toEqual(["SESSION_TOKEN_EXPIRED", "ALREADY_OPEN"].slice(0, opens));
      expect(await app.waitForOpen()).toMatchObject({ token: "t2" });
      expect(placed.types()).toEqual([
        ...(opens > 1 ? ["hc-error"] : []),
        "hc-open",
        "hc-close",
        "hc-error",
        "hc-open",
      ]);
      expect(placed.events.at(-2)?.detail).toMatchObject({ code: "SESSION_TOKEN_EXPIRED" });
      app.close();
      await reopened;
    },
  );

  test("the getToken property gives the token, the one set last at each open", async () => {
    const app = fakeApp();
    const placed = placeElement();
    placed.element.getToken = () => "first";
    expect(await clickOpen(placed, app)).toMatchObject({ token: "first" });
    await closeFrom(placed, app);
    placed.element.getToken = async () => ({ token: "second", expires_in: 600 });
    expect(await clickOpen(placed, app)).toMatchObject({ token: "second" });
    await closeFrom(placed, app);
  });

  test("a new getToken takes over at the next open, also while the last one's token (with expires_in) is still fresh", async () => {
    const app = fakeApp();
    const placed = placeElement();
    placed.element.getToken = () => ({ token: "from-a", expires_in: 600 });
    expect(await clickOpen(placed, app)).toMatchObject({ token: "from-a" });
    await closeFrom(placed, app);
    placed.element.getToken = () => ({ token: "from-b", expires_in: 600 });
    expect(await clickOpen(placed, app)).toMatchObject({ token: "from-b" });
    await closeFrom(placed, app);
  });

  test("an option given a function by mistake is refused at the click, and works again once fixed", async () => {
    const app = fakeApp();
    const placed = placeElement({ token: "t" });
    placed.element.options = { clientId: (() => "c-1") as unknown as string };
    const refused = placed.next("hc-error");
    placed.click();
    expect(await refused).toMatchObject({ code: "INVALID_OPTIONS" });
    placed.element.options = { clientId: "c-1" };
    expect(await clickOpen(placed, app)).toMatchObject({ token: "t" });
    await closeFrom(placed, app);
  });

  test("the options property carries what attributes cannot (tokenRequest headers); an attribute wins over it", async () => {
    const server = await tokenServer();
    const app = fakeApp();
    const placed = placeElement({ "token-url": server.url });
    placed.element.options = { tokenRequest: { headers: { "X-CSRF-Token": "csrf-1" } }, overlayOpacity: 0.3 };
    await clickOpen(placed, app);
    expect(server.seen[0]?.headers["x-csrf-token"]).toBe("csrf-1");
    expect(document.getElementById("human-api-connect-modal-overlay")?.style.opacity).toBe("0.3");
    await closeFrom(placed, app);
    placed.element.setAttribute("overlay-opacity", "0.9");
    await clickOpen(placed, app);
    expect(document.getElementById("human-api-connect-modal-overlay")?.style.opacity).toBe("0.9");
    await closeFrom(placed, app);
  });

  test("getToken and options set before the element was defined (before the CDN file ran) are kept", async () => {
    const app = fakeApp();
    const element = document.createElement("late-human-connect") as HumanConnectElement;
    document.body.append(element);
    element.getToken = () => "set-early";
    element.options = { overlayOpacity: 0.2 };
    defineHumanConnect("late-human-connect");
    expect(element.shadowRoot).not.toBeNull();
    const error = element.open();
    expect(await app.waitForOpen()).toMatchObject({ token: "set-early" });
    expect(document.getElementById("human-api-connect-modal-overlay")?.style.opacity).toBe("0.2");
    app.close();
    await error;
  });
});

describe("events", () => {
  test("each is a CustomEvent that bubbles and is composed, whose detail is exactly what createConnect()'s event carries", async () => {
    const play = async (app: FakeConnectApp, settled: Promise<unknown>) => {
      await app.waitForOpen();
      app.connectSource("Starfleet Pharmacy");
      app.disconnectSource("Starfleet Pharmacy");
      app.close();
      await settled;
    };
    const placed = placeElement({ token: "t" });
    let app = fakeApp();
    let openFrame: HTMLIFrameElement | undefined;
    placed.element.addEventListener("hc-open", () => (openFrame = frame()));
    placed.click();
    await play(app, placed.next("hc-close"));
    app.dispose();
    const connect = make({ token: "t" });
    const plain: Array<[string, unknown]> = [];
    for (const type of ["open", "connect", "disconnect", "close"] as const)
      connect.on(type, (detail: unknown) => void plain.push([type, detail]));
    app = fakeApp();
    await play(app, connect.open());
    expect(placed.events.map(({ type, detail }) => [type.slice(3), detail]).slice(1)).toEqual(plain.slice(1));
    expect(placed.events[0]!.detail).toEqual({ iframe: openFrame });
    expect(openFrame).toBeInstanceOf(HTMLIFrameElement);
    for (const { event } of placed.events) {
      expect(event).toBeInstanceOf(CustomEvent);
      expect([event.bubbles, event.composed]).toEqual([true, true]);
    }
  });

  test("hc-close's detail is the result open() resolves with; hc-error's the error it rejects with", async () => {
    const app = fakeApp();
    const placed = placeElement({ token: "t" });
    const session = placed.element.open();
    await app.waitForOpen();
    app.close();
    const result = await session;
    expect(placed.events.at(-1)).toMatchObject({ type: "hc-close" });
    expect(placed.events.at(-1)!.detail).toBe(result);
    placed.element.removeAttribute("token");
    const error = await connectError(placed.element.open());
    expect(placed.events.at(-1)).toMatchObject({ type: "hc-error" });
    expect(placed.events.at(-1)!.detail).toBe(error);
  });

  test("all five reach the document, also from inside a shadow root that holds the element (retargeted to its host)", async () => {
    const app = fakeApp();
    const host = document.createElement("my-widget");
    document.body.append(host);
    const placed = placeElement({ token: "t" }, host.attachShadow({ mode: "open" }));
    const reached: Array<[string, EventTarget | null, EventTarget | undefined]> = [];
    const hear = (event: Event) => void reached.push([event.type, event.target, event.composedPath()[0]]);
    for (const type of EVENT_TYPES) document.addEventListener(type, hear);
    onTestFinished(() => EVENT_TYPES.forEach((type) => document.removeEventListener(type, hear)));
    await clickOpen(placed, app);
    app.connectSource("Starfleet Pharmacy");
    app.disconnectSource("Starfleet Pharmacy");
    await closeFrom(placed, app);
    placed.element.removeAttribute("token");
    placed.click();
    await tick();
    expect(reached).toEqual(EVENT_TYPES.map((type) => [type, host, placed.element]));
  });
});

describe("prefetch before the click", () => {
  test.each<[string, (button: HTMLButtonElement) => void]>([
    ["pointerenter", (button) => button.dispatchEvent(new Event("pointerenter"))],
    ["focus", (button) => button.focus()],
    ["pointerdown", (button) => button.dispatchEvent(new Event("pointerdown", { bubbles: true }))],
  ])("%s on the button asks for the token; the click then opens with it, asking nothing more", async (_name, act) => {
    const server = await tokenServer("a", 600);
    const app = fakeApp();
    const placed = placeElement({ "token-url": server.url });
    act(placed.button);
    await server.asked();
    placed.click();
    expect(await app.waitForOpen()).toMatchObject({ token: "a-1" });
    await closeFrom(placed, app);
    expect(server.seen).toHaveLength(1);
  });

  test.each<[string, () => Promise<Record<string, string>>]>([
    ["invalid configuration", async () => ({ mode: "sideways" })],
    ["a token endpoint that refuses", async () => ({ "token-url": (await refusingTokenServer()).url })],
  ])("a prefetch that fails (%s) is silent: no event, no unhandled rejection", async (_name, attributes) => {
    const placed = placeElement(await attributes());
    placed.button.dispatchEvent(new Event("pointerenter"));
    await expect(placed.element.prefetch()).rejects.toMatchObject({ name: "ConnectError" });
    await tick();
    expect(placed.events).toEqual([]);
    expect(looks(placed.element)).toMatchObject({ state: "idle", disabled: false });
  });
});

describe("clearToken()", () => {
  test("after clearToken() the next click asks for a new token, where the cached one (with expires_in) would have served", async () => {
    const server = await tokenServer("a", 600);
    const app = fakeApp();
    const placed = placeElement({ "token-url": server.url });
    expect(await clickOpen(placed, app)).toMatchObject({ token: "a-1" });
    await closeFrom(placed, app);
    placed.element.clearToken();
    expect(await clickOpen(placed, app)).toMatchObject({ token: "a-2" });
    await closeFrom(placed, app);
  });
});

describe("in and out of the document", () => {
  test("removing the element while Connect is open closes it: hc-close CLOSED_BY_APP on the element, nothing left; re-inserted, it opens again", async () => {
    const app = fakeApp();
    const tracker = listeners();
    const placed = placeElement({ token: "t" });
    const session = placed.element.open();
    await app.waitForOpen();
    placed.element.remove();
    await tick();
    expect(placed.types()).toEqual(["hc-open", "hc-close"]);
    expect(placed.events[1]!.detail).toMatchObject({ status: "CLOSED_BY_APP" });
    await expect(session).resolves.toMatchObject({ status: "CLOSED_BY_APP" });
    expect(connectInPage()).toBe(0);
    expect(tracker.count()).toBe(0);
    expect([placed.element.state, placed.element.dataset.state]).toEqual(["idle", "idle"]);
    await aNewObjectOpensAndCloses();
    document.body.append(placed.element);
    expect(looks(placed.element)).toMatchObject({ state: "idle", dataState: "idle", disabled: false });
    await clickOpen(placed, app);
    await closeFrom(placed, app);
    expect(placed.types()).toEqual(["hc-open", "hc-close", "hc-open", "hc-close"]);
  });

  test("removing the element while its token is on the way: hc-close CLOSED_BY_APP, and the token request is given up", async () => {
    const held = await heldTokenServer();
    const placed = placeElement({ "token-url": held.url });
    placed.click();
    await held.asked;
    placed.element.remove();
    await tick();
    expect(placed.types()).toEqual(["hc-close"]);
    expect(placed.events[0]!.detail).toMatchObject({ status: "CLOSED_BY_APP" });
    await held.gaveUp;
    expect(connectInPage()).toBe(0);
    expect(placed.types()).toEqual(["hc-close"]);
  });

  test("moving the element while Connect is open (out and back in the same task, as a framework reorders) leaves Connect open", async () => {
    const app = fakeApp();
    const placed = placeElement({ token: "t" });
    const other = document.body.appendChild(document.createElement("section"));
    await clickOpen(placed, app);
    other.append(placed.element);
    await tick();
    expect(placed.types()).toEqual(["hc-open"]);
    expect(placed.element.state).toBe("open");
    await closeFrom(placed, app);
    expect(placed.types()).toEqual(["hc-open", "hc-close"]);
  });

  test("open() before the element is in the document rejects, saying to insert it, with hc-error; once inserted it opens", async () => {
    const app = fakeApp();
    const placed = placeElement({ token: "t" }, null);
    const error = await connectError(placed.element.open());
    expect(error.message).toMatch(/insert the element first/);
    expect(placed.events).toEqual([expect.objectContaining({ type: "hc-error", detail: error })]);
    document.body.append(placed.element);
    await clickOpen(placed, app);
    await closeFrom(placed, app);
  });

  test("two elements: a click on the second while the first is open fires hc-error ALREADY_OPEN on the second, and the first goes on", async () => {
    const app = fakeApp();
    const [first, second] = [placeElement({ token: "t1" }), placeElement({ token: "t2" })];
    expect(await clickOpen(first, app)).toMatchObject({ token: "t1" });
    const iframe = frame();
    const refused = second.next("hc-error");
    second.click();
    expect((await refused).code).toBe("ALREADY_OPEN");
    expect(frame()).toBe(iframe);
    expect(looks(first.element)).toMatchObject({ state: "open" });
    expect(looks(second.element)).toMatchObject({ state: "idle", disabled: false });
    app.connectSource("Starfleet Pharmacy");
    expect((await closeFrom(first, app)).connectedSources).toHaveLength(1);
    expect([first.types(), second.types()]).toEqual([["hc-open", "hc-connect", "hc-close"], ["hc-error"]]);
    expect(await clickOpen(second, app)).toMatchObject({ token: "t2" });
    await closeFrom(second, app);
  });
});

describe("focus", () => {
  test("goes back to the element's button once Connect closes", async () => {
    const app = fakeApp();
    const placed = placeElement({ token: "t" });
    placed.button.focus();
    expect([document.activeElement, placed.element.shadowRoot!.activeElement]).toEqual([placed.element, placed.button]);
    await clickOpen(placed, app);
    frame().focus(); // as Connect takes it once loaded
    expect(document.activeElement).toBe(frame());
    await closeFrom(placed, app);
    await tick();
    expect([document.activeElement, placed.element.shadowRoot!.activeElement]).toEqual([placed.element, placed.button]);
  });
});

test("its events are typed: hc-close's detail is a SessionResult, hc-error's a ConnectError", () => {
  const element = document.createElement("human-connect");
  element.addEventListener("hc-close", (event) => {
    const result: SessionResult = event.detail;
    void result;
  });
  element.addEventListener("hc-error", (event) => {
    const error: ConnectError = event.detail;
    void error;
  });
  expect(element).toBeInstanceOf(customElements.get("human-connect")!);
});
