// @vitest-environment jsdom
import { describe, expect, test, vi } from "vitest";
import { open } from "../../src/compat/index";
import { listen, listenTo } from "../support/compat";
import { tick } from "../support/connect";
import { CLEVELAND, CONNECT_ORIGIN, STARFLEET, fakeApp, frame, payload, post, trackListeners } from "../support/dom";

describe("HumanConnect.open with version V2", () => {
  test("opens the real vendor client, without a deprecation warning, and the on() listeners hear the session in the vendor's shape", async () => {
    const warn = vi.spyOn(console, "warn");
    const heard = listen();
    const app = fakeApp();
    open({ token: "tok-v2", version: "V2" });
    expect((await app.waitForOpen()).token).toBe("tok-v2");
    app.connectSource(STARFLEET);
    app.close();
    await vi.waitFor(() => expect(heard.close).toHaveLength(1));
    expect(heard.connect).toEqual([
      {
        type: "hapi-connect-connect-source",
        status: "CONNECTED_SOURCE",
        sessionResults: { connectedSources: [STARFLEET], disconnectedSources: [], requestedSources: [] },
        currentConnections: [STARFLEET],
        requestedProviders: [],
      },
    ]);
    expect(heard.close).toEqual([{ ...heard.connect[0], type: "hapi-connect-close", status: "SUCCESS" }]);
    expect(heard.error).toEqual([]);
    expect(warn).not.toHaveBeenCalled();
    expect(document.getElementById("human-api")).toBeNull();
  });

  test("a close payload missing its lists still gives every list as an array", async () => {
    const heard = listen();
    const app = fakeApp();
    open({ token: "t", version: "V2" });
    await app.waitForOpen();
    post({ type: "hapi-connect-close", status: "SUCCESS", sessionResults: null, currentConnections: "none" });
    await vi.waitFor(() => expect(heard.close).toHaveLength(1));
    expect(heard.close[0]).toEqual({
      type: "hapi-connect-close",
      status: "SUCCESS",
      sessionResults: { connectedSources: [], disconnectedSources: [], requestedSources: [] },
      currentConnections: [],
      requestedProviders: [],
    });
  });

  test('a message from another origin, or a bare { type: "close" }, cannot close Connect', async () => {
    const heard = listen();
    const app = fakeApp();
    open({ token: "t", version: "V2" });
    await app.waitForOpen();
    post({ type: "hapi-connect-close" }, { origin: "https://evil.example" });
    post({ type: "close" }, { source: window });
    post(null, { origin: "https://evil.example" });
    await tick();
    expect(heard.close).toEqual([]);
    expect(frame().isConnected).toBe(true);
    app.close();
    await vi.waitFor(() => expect(heard.close).toHaveLength(1));
  });

  test("a token Connect refuses is a close with its status, as with the vendor, not also an error", async () => {
    const heard = listen();
    const app = fakeApp();
    open({ token: "old", version: "V2" });
    await app.waitForOpen();
    app.close({ status: "SESSION_TOKEN_EXPIRED" });
    await vi.waitFor(() => expect(heard.close).toHaveLength(1));
    await tick();
    expect(heard.close[0]!.status).toBe("SESSION_TOKEN_EXPIRED");
    expect(heard.error).toEqual([]);
  });

  test("a page that removes Connect gets a close with CLOSED_BY_APP and a page free for the next open", async () => {
    const heard = listen();
    const app = fakeApp();
    open({ token: "t", version: "V2" });
    await app.waitForOpen();
    frame().remove();
    await vi.waitFor(() => expect(heard.close).toHaveLength(1));
    expect(heard.close[0]!.status).toBe("CLOSED_BY_APP");
    open({ token: "t2", version: "V2" });
    expect((await app.waitForOpen()).token).toBe("t2");
    app.close();
    await vi.waitFor(() => expect(heard.close).toHaveLength(2));
  });

  test("focus goes back to the button that opened Connect", async () => {
    const button = document.body.appendChild(document.createElement("button"));
    button.focus();
    const heard = listen();
    const app = fakeApp();
    open({ token: "t", version: "V2" });
    await app.waitForOpen();
    frame().focus();
    app.close();
    await vi.waitFor(() => expect(heard.close).toHaveLength(1));
    await vi.waitFor(() => expect(document.activeElement).toBe(button));
  });
});

describe("HumanConnect.open without version V2 (the vendor's V1 callbacks)", () => {
  test("calls onConnectSource, onDisconnectSource and onClose (without `type`, as the vendor deletes it), and not the on() listeners, without a deprecation warning", async () => {
    const warn = vi.spyOn(console, "warn");
    const heard = listen();
    const calls: unknown[][] = [];
    const app = fakeApp();
    open({
      token: "tok-v1",
      onConnectSource: (response) => calls.push(["connect", response.sessionResults.connectedSources]),
      onDisconnectSource: (response) => calls.push(["disconnect", response.sessionResults.disconnectedSources]),
      onClose: (response) => calls.push(["close", response.status, "type" in response]),
    });
    await app.waitForOpen();
    app.connectSource(CLEVELAND);
    app.disconnectSource(CLEVELAND);
    app.close();
    await vi.waitFor(() => expect(calls).toHaveLength(3));
    expect(calls).toEqual([
      ["connect", [CLEVELAND]],
      ["disconnect", [CLEVELAND]],
      ["close", "SUCCESS", false],
    ]);
    expect(heard).toEqual({ connect: [], disconnect: [], close: [], error: [] });
    expect(warn).not.toHaveBeenCalled();
  });

  test("a callback that throws is reported, and the session still closes", async () => {
    const reported: unknown[] = [];
    vi.stubGlobal("reportError", (error: unknown) => reported.push(error));
    const bug = new Error("callback bug");
    const onClose = vi.fn();
    const app = fakeApp();
    open({
      token: "t",
      onConnectSource: () => {
        throw bug;
      },
      onClose,
    });
    await app.waitForOpen();
    app.connectSource(STARFLEET);
    app.close();
    await vi.waitFor(() => expect(onClose).toHaveBeenCalledTimes(1));
    expect(reported).toEqual([bug]);
    vi.unstubAllGlobals();
  });
});

describe("what the vendor does nothing about, or throws for", () => {
  test("a second open() while Connect is open fires error ALREADY_OPEN and leaves the first session alone", async () => {
    const heard = listen();
    const app = fakeApp();
    open({ token: "first", version: "V2" });
    await app.waitForOpen();
    open({ token: "second", version: "V2" });
    await vi.waitFor(() => expect(heard.error).toHaveLength(1));
    expect(heard.error[0]).toMatchObject({
      code: "ALREADY_OPEN",
      message: expect.stringMatching(/wait for it to close/),
    });
    expect(new URL(frame().src).searchParams.get("token")).toBe("first");
    app.close();
    await vi.waitFor(() => expect(heard.close).toHaveLength(1));
    expect(app.opened).toBe(1);
  });

  test("two open() calls in one click: the second fires ALREADY_OPEN, the first opens", async () => {
    const heard = listen();
    const app = fakeApp();
    open({ token: "first", version: "V2" });
    open({ token: "second", version: "V2" });
    expect((await app.waitForOpen()).token).toBe("first");
    await vi.waitFor(() => expect(heard.error).toHaveLength(1));
    expect(heard.error[0]!.code).toBe("ALREADY_OPEN");
    app.close();
    await vi.waitFor(() => expect(heard.close).toHaveLength(1));
  });

  test.each([
    ["no token", { version: "V2" }, /options\.token must be/],
    ["no options at all", undefined, /give an options object/],
    ["a mode Connect does not know", { token: "t", mode: "pick" }, /option "mode" must be "auth" or "select"/],
    ["a baseURL that is not http(s)", { token: "t", baseURL: "javascript:alert(1)" }, /option "baseURL" must be/],
  ])(
    "%s fires error INVALID_OPTIONS saying what to do, and a click handler calling it does not throw",
    async (_case, options, message) => {
      const heard = listen();
      const button = document.body.appendChild(document.createElement("button"));
      const thrown: unknown[] = [];
      window.addEventListener("error", (event) => thrown.push(event.error), { once: true });
      button.addEventListener("click", () => open(options as never));
      button.click();
      expect(heard.error).toHaveLength(1);
      expect(heard.error[0]).toMatchObject({
        name: "ConnectError",
        code: "INVALID_OPTIONS",
        message: expect.stringMatching(message),
      });
      expect(thrown).toEqual([]);
      expect(document.getElementById("human-api")).toBeNull();
    },
  );

  test("with no error listener, a refusal is reported as uncaught (where reportError exists), never thrown", () => {
    const reported: unknown[] = [];
    vi.stubGlobal("reportError", (error: unknown) => reported.push(error));
    expect(() => open({} as never)).not.toThrow();
    expect(reported).toEqual([expect.objectContaining({ code: "INVALID_OPTIONS" })]);
    vi.unstubAllGlobals();
  });

  test("a token is never in an error's message", async () => {
    const heard = listen();
    open({ token: "st-secret", mode: "pick" as never });
    open({ token: "st-secret", onClose: "x" as never });
    expect(heard.error).toHaveLength(2);
    for (const error of heard.error) expect(error.message).not.toContain("st-secret");
  });

  test("overlayOpacity 0 reaches Connect's overlay as 0, not the vendor's 0.6", async () => {
    const heard = listen();
    const app = fakeApp();
    open({ token: "t", overlayOpacity: 0, version: "V2" });
    await app.waitForOpen();
    expect((document.getElementById("human-api-connect-modal-overlay") as HTMLElement).style.opacity).toBe("0");
    app.close();
    await vi.waitFor(() => expect(heard.close).toHaveLength(1));
  });

  test("an error listener that throws is reported and the others still hear the error", () => {
    const reported: unknown[] = [];
    vi.stubGlobal("reportError", (error: unknown) => reported.push(error));
    const bug = new Error("bug");
    listenTo("error", () => {
      throw bug;
    });
    const heard = listen();
    open({} as never);
    expect(heard.error).toHaveLength(1);
    expect(reported).toEqual([bug]);
    vi.unstubAllGlobals();
  });
});

test("the session's own listeners are gone once it closed: nothing is left on window", async () => {
  const heard = listen();
  const onWindow = trackListeners(window);
  const app = fakeApp();
  open({ token: "t", version: "V2" });
  await app.waitForOpen();
  expect(onWindow.count("message")).toBeGreaterThan(0);
  app.close();
  await vi.waitFor(() => expect(heard.close).toHaveLength(1));
  await tick();
  expect(onWindow.count()).toBe(0);
  onWindow.restore();
  // A late message from the Connect origin reaches nobody.
  window.dispatchEvent(
    new MessageEvent("message", { data: payload("hapi-connect-close", "SUCCESS"), origin: CONNECT_ORIGIN }),
  );
  await tick();
  expect(heard.close).toHaveLength(1);
});
