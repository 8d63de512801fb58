// @vitest-environment jsdom
import { describe, expect, test, vi } from "vitest";
import { bindDeclarative } from "../../src/compat/index";
import { bind, listen } from "../support/compat";
import { tick } from "../support/connect";
import { fakeApp, frame, trackListeners } from "../support/dom";

/** The README's markup: a container holding a button with a token. */
function page(html = '<div class="hapi__token-container"><button data-hapi-token="tok-1">Open Connect</button></div>') {
  document.body.innerHTML = html;
  return document.querySelector("button")!;
}

// First in the file: every later test binds (and its clean-up unbinds).
test("importing the entry binds nothing: a click on a token button opens nothing", async () => {
  page().click();
  await tick();
  expect(document.getElementById("human-api")).toBeNull();
});

describe("the declarative integration (data-hapi-token in .hapi__token-container)", () => {
  test("a click opens Connect with the element's token and data-hapi-* options, as the vendor reads them, and events go to on()", async () => {
    bind();
    const heard = listen();
    const button = page(
      `<div class="hapi__token-container"><button data-hapi-token="tok-d" data-hapi-base-url="http://127.0.0.1:4999"
        data-hapi-mode="select" data-hapi-preseed="true" data-hapi-segment="seg" data-hapi-pinned-providers="a,b"
        data-hapi-focus-trap="false">Open Connect</button></div>`,
    );
    const app = fakeApp();
    button.click();
    const opened = await app.waitForOpen();
    expect(new URL(frame().src).origin).toBe("http://127.0.0.1:4999");
    expect(opened.params).toEqual({
      token: "tok-d",
      mode: "select",
      preseed: "true",
      segment: "seg",
      pinnedProviders: "a,b",
      clientId: "undefined",
      preseededSources: btoa("[]"),
    });
    app.close();
    await vi.waitFor(() => expect(heard.close).toHaveLength(1));
  });

  test("the click's default action is prevented, as the vendor does (a link or a submit button does not navigate)", () => {
    bind();
    listen();
    const button = page('<form class="hapi__token-container"><button data-hapi-token="t">Open</button></form>');
    const click = new MouseEvent("click", { bubbles: true, cancelable: true });
    button.dispatchEvent(click);
    expect(click.defaultPrevented).toBe(true);
  });

  test("a click on an element inside the button (an icon, a label) opens Connect", async () => {
    bind();
    const heard = listen();
    page('<div class="hapi__token-container"><button data-hapi-token="t"><span>Open</span></button></div>');
    const app = fakeApp();
    document.querySelector("span")!.click();
    await app.waitForOpen();
    app.close();
    await vi.waitFor(() => expect(heard.close).toHaveLength(1));
  });

  test("a button and a container added after the page loaded open Connect, with no new listener", async () => {
    const listeners = trackListeners(document);
    bind();
    const heard = listen();
    const app = fakeApp();
    const later = document.createElement("div");
    later.className = "hapi__token-container";
    later.innerHTML = '<button data-hapi-token="tok-late">Open</button>';
    document.body.append(later);
    later.querySelector("button")!.click();
    expect((await app.waitForOpen()).token).toBe("tok-late");
    expect(listeners.count("click")).toBe(1);
    listeners.restore();
    app.close();
    await vi.waitFor(() => expect(heard.close).toHaveLength(1));
  });

  test("a token changed three times is read at the click, with exactly one click listener", async () => {
    const onDocument = trackListeners(document);
    bind();
    const heard = listen();
    const button = page();
    const onButton = trackListeners(button);
    for (const token of ["tok-2", "tok-3", "tok-4"]) button.dataset.hapiToken = token;
    await tick();
    expect(onButton.count()).toBe(0);
    expect(onDocument.count("click")).toBe(1);
    onDocument.restore();
    const app = fakeApp();
    button.click();
    expect((await app.waitForOpen()).token).toBe("tok-4");
    app.close();
    await vi.waitFor(() => expect(heard.close).toHaveLength(1));
    expect(app.opened).toBe(1);
  });

  test.each([
    ["outside any container", '<button data-hapi-token="t">Open</button>'],
    [
      "that is the container itself (the vendor looks inside it)",
      '<button class="hapi__token-container" data-hapi-token="t">Open</button>',
    ],
    ["without data-hapi-token", '<div class="hapi__token-container"><button>Open</button></div>'],
  ])("a click on a button %s does nothing", async (_case, html) => {
    bind();
    const heard = listen();
    page(html);
    const click = new MouseEvent("click", { bubbles: true, cancelable: true });
    document.querySelector("button")!.dispatchEvent(click);
    await tick();
    expect(document.getElementById("human-api")).toBeNull();
    expect(click.defaultPrevented).toBe(false);
    expect(heard.error).toEqual([]);
  });

  test("an empty data-hapi-token fires error INVALID_OPTIONS, and the click handler throws nothing", () => {
    bind();
    const heard = listen();
    const button = page('<div class="hapi__token-container"><button data-hapi-token="">Open</button></div>');
    expect(() => button.click()).not.toThrow();
    expect(heard.error).toEqual([
      expect.objectContaining({ code: "INVALID_OPTIONS", message: expect.stringMatching(/options\.token must be/) }),
    ]);
  });

  test("with a reportError that throws, a refused click throws nothing and leaves the button working: with a token, it opens Connect", async () => {
    vi.stubGlobal("reportError", () => {
      throw new Error("tracker down");
    });
    vi.spyOn(console, "error").mockImplementation(() => undefined);
    bind();
    const button = page('<div class="hapi__token-container"><button data-hapi-token="">Open</button></div>');
    const thrown: unknown[] = [];
    window.addEventListener("error", (event) => thrown.push(event.error), { once: true });
    button.click();
    expect(thrown).toEqual([]);
    await tick();
    button.dataset.hapiToken = "tok-now";
    const app = fakeApp();
    button.click();
    expect((await app.waitForOpen()).token).toBe("tok-now");
    app.close();
    await vi.waitFor(() => expect(document.getElementById("human-api")).toBeNull());
    vi.unstubAllGlobals();
  });

  test("a page without any container prints nothing and fires nothing (the vendor warns and emits error)", async () => {
    const printed = (["log", "info", "warn", "error", "debug"] as const).map((method) => vi.spyOn(console, method));
    const heard = listen();
    bind();
    page("<p>No Connect here</p>");
    document.querySelector("p")!.click();
    await tick();
    for (const spy of printed) expect(spy).not.toHaveBeenCalled();
    expect(heard.error).toEqual([]);
  });

  test("a click the page stops from bubbling still opens Connect, as the vendor's listener on the element did", async () => {
    bind();
    const heard = listen();
    const button = page();
    document.querySelector(".hapi__token-container")!.addEventListener("click", (event) => event.stopPropagation());
    const app = fakeApp();
    button.click();
    await app.waitForOpen();
    app.close();
    await vi.waitFor(() => expect(heard.close).toHaveLength(1));
  });
});

describe("the page's own guards, as with the vendor's listener on the element", () => {
  test("a handler on the button that stops the click (a consent check) keeps Connect closed", async () => {
    bind();
    const heard = listen();
    const button = page();
    button.addEventListener("click", (event) => event.stopImmediatePropagation());
    const click = new MouseEvent("click", { bubbles: true, cancelable: true });
    button.dispatchEvent(click);
    await tick();
    expect(document.getElementById("human-api")).toBeNull();
    expect(heard.error).toEqual([]);
  });

  test("a capturing parent that stops the click keeps Connect closed", async () => {
    bind();
    const button = page();
    document.querySelector(".hapi__token-container")!.addEventListener("click", (e) => e.stopPropagation(), true);
    button.click();
    await tick();
    expect(document.getElementById("human-api")).toBeNull();
  });

  test("a click the page stopped leaves nothing on the button for the next one: that one opens Connect once", async () => {
    bind();
    const heard = listen();
    const button = page();
    const stop = (event: Event) => event.stopImmediatePropagation();
    button.addEventListener("click", stop);
    button.click();
    await tick();
    button.removeEventListener("click", stop);
    const onButton = trackListeners(button);
    const app = fakeApp();
    button.click();
    await app.waitForOpen();
    await tick();
    expect(onButton.count()).toBe(0);
    onButton.restore();
    app.close();
    await vi.waitFor(() => expect(heard.close).toHaveLength(1));
    expect(app.opened).toBe(1);
  });
});

describe("pressing twice, and odd targets", () => {
  test("two clicks before Connect is there (Enter pressed twice) open it once and fire no error, as with the vendor", async () => {
    bind();
    const heard = listen();
    const button = page();
    const app = fakeApp();
    button.click();
    button.click();
    await app.waitForOpen();
    button.click();
    await tick();
    expect(heard.error).toEqual([]);
    app.close();
    await vi.waitFor(() => expect(heard.close).toHaveLength(1));
    expect(app.opened).toBe(1);
    // Once closed, the button opens Connect again.
    button.click();
    await app.waitForOpen();
    app.close();
    await vi.waitFor(() => expect(heard.close).toHaveLength(2));
  });

  test("a click dispatched on the button's text opens Connect: it bubbles to the button", async () => {
    bind();
    const heard = listen();
    const button = page();
    const app = fakeApp();
    button.firstChild!.dispatchEvent(new MouseEvent("click", { bubbles: true, cancelable: true }));
    await app.waitForOpen();
    app.close();
    await vi.waitFor(() => expect(heard.close).toHaveLength(1));
  });
});

describe("bindDeclarative()", () => {
  test("adds one listener however often it is called; it stays until every call is undone", async () => {
    const listeners = trackListeners(document);
    const first = bindDeclarative();
    const second = bindDeclarative();
    expect(listeners.count("click")).toBe(1);
    first();
    expect(listeners.count("click")).toBe(1);
    second();
    expect(listeners.count("click")).toBe(0);
    listeners.restore();
    page().click();
    await tick();
    expect(document.getElementById("human-api")).toBeNull();
  });

  test("an unbind called twice undoes only its own call: a later binding keeps working", async () => {
    const stale = bindDeclarative();
    stale();
    const fresh = bind();
    stale();
    const heard = listen();
    const app = fakeApp();
    page().click();
    await app.waitForOpen();
    app.close();
    await vi.waitFor(() => expect(heard.close).toHaveLength(1));
    fresh();
  });
});
