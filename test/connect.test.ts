// @vitest-environment jsdom
import { describe, expect, test, vi } from "vitest";
import type { Connect, ConnectError, SessionResult } from "../src/index";
import type { FakeConnectApp } from "../src/testing/index";
import { aNewObjectOpensAndCloses, make, tick } from "./support/connect";
import { connectError } from "./support/errors";
import {
  CLEVELAND,
  CONNECT_ORIGIN,
  STARFLEET,
  fakeApp,
  frame,
  opened,
  payload,
  post,
  trackListeners,
} from "./support/dom";

/** A getToken that never answers, and the signal it was given. */
function neverAnswering() {
  let given: AbortSignal | undefined;
  return {
    getToken: ({ signal }: { signal: AbortSignal }) => {
      given = signal;
      return new Promise<string>(() => {});
    },
    seen: () => given,
  };
}

describe("opening", () => {
  test("opens the real vendor client in V2 mode with the options passed through, without a deprecation warning", async () => {
    const warn = vi.spyOn(console, "warn");
    const app = fakeApp();
    const connect = make({
      token: "tok-1",
      mode: "select",
      clientId: "client-9",
      segment: "seg",
      pinnedProviders: "a,b",
      inviteSessionId: "pis-7",
      config: "cfg",
      preseed: true,
      preseededSources: [{ id: "x" }],
    });
    const result = connect.open();
    const { iframe } = await opened(connect);
    const src = new URL(iframe.src);
    expect(src.origin).toBe(CONNECT_ORIGIN);
    expect(Object.fromEntries(src.searchParams)).toEqual({
      token: "tok-1",
      mode: "select",
      clientId: "client-9",
      segment: "seg",
      pinnedProviders: "a,b",
      pisId: "pis-7",
      config: "cfg",
      preseed: "true",
      preseededSources: btoa(JSON.stringify([{ id: "x" }])),
    });
    expect(document.getElementById("human-api-connect-modal-overlay")).not.toBeNull();
    expect(connect.state).toBe("open");
    app.close();
    await result;
    expect(warn).not.toHaveBeenCalled();
  });

  test("passes baseUrl through and trusts only its origin", async () => {
    const connect = make({ token: "t", baseUrl: "http://127.0.0.1:4010/connect" });
    const result = connect.open();
    const { iframe } = await opened(connect);
    expect(iframe.src.startsWith("http://127.0.0.1:4010/connect?token=t")).toBe(true);
    post(payload("hapi-connect-close", "SUCCESS"));
    expect(frame()).toBe(iframe);
    post(payload("hapi-connect-close", "SUCCESS"), { origin: "http://127.0.0.1:4010" });
    await expect(result).resolves.toMatchObject({ status: "SUCCESS" });
  });

  test("goes idle -> loading -> open -> idle", async () => {
    const app = fakeApp();
    const connect = make();
    expect(connect.state).toBe("idle");
    const result = connect.open();
    expect(connect.state).toBe("loading");
    await opened(connect);
    expect(connect.state).toBe("open");
    app.close();
    await result;
    expect(connect.state).toBe("idle");
  });
});

describe("results and events", () => {
  test("resolves with the normalized result when Connect closes with SUCCESS, raw keeping a copy of the whole payload, type included", async () => {
    const app = fakeApp();
    const result = make().open();
    await app.waitForOpen();
    app.connectSource(STARFLEET);
    app.connectSource(CLEVELAND);
    app.close();
    const session = await result;
    expect(session).toEqual({
      status: "SUCCESS",
      connectedSources: [STARFLEET, CLEVELAND],
      disconnectedSources: [],
      requestedSources: [],
      currentConnections: [STARFLEET, CLEVELAND],
      requestedProviders: [],
      raw: {
        type: "hapi-connect-close",
        status: "SUCCESS",
        sessionResults: { connectedSources: [STARFLEET, CLEVELAND], disconnectedSources: [], requestedSources: [] },
        currentConnections: [STARFLEET, CLEVELAND],
        requestedProviders: [],
      },
    });
  });

  test("emits connect and disconnect with typed snapshots, and close with the result", async () => {
    const app = fakeApp();
    const connect = make();
    const seen: string[] = [];
    connect.on("connect", (change) => seen.push(`connect:${change.status}:${change.connectedSources.length}`));
    connect.on("disconnect", (change) => seen.push(`disconnect:${change.status}:${change.currentConnections.length}`));
    connect.on("close", (result) => seen.push(`close:${result.status}`));
    const result = connect.open();
    await app.waitForOpen();
    app.connectSource(STARFLEET);
    // Connect never posts it without a status: the disconnect event takes its status from the type.
    post({ ...payload("hapi-connect-disconnect-source", "whatever", [], []), status: undefined });
    app.close();
    await result;
    expect(seen).toEqual(["connect:CONNECTED_SOURCE:1", "disconnect:DISCONNECTED_SOURCE:0", "close:SUCCESS"]);
  });

  test("fills what a terse close payload lacks from the session's last snapshot", async () => {
    const app = fakeApp();
    const result = make().open();
    await app.waitForOpen();
    app.connectSource(STARFLEET);
    app.connectSource(CLEVELAND);
    post({ type: "hapi-connect-close" });
    await expect(result).resolves.toMatchObject({
      status: "SUCCESS",
      connectedSources: [STARFLEET, CLEVELAND],
      currentConnections: [STARFLEET, CLEVELAND],
      raw: { type: "hapi-connect-close" },
    });
  });

  test("fills with empty lists when there was no snapshot, and keeps an unknown status as given", async () => {
    const connect = make();
    const result = connect.open();
    await opened(connect);
    post({ type: "hapi-connect-close", status: "USER_WANDERED_OFF" });
    await expect(result).resolves.toMatchObject({
      status: "USER_WANDERED_OFF",
      connectedSources: [],
      currentConnections: [],
    });
  });

  test.each(["SESSION_TOKEN_INVALID", "SESSION_TOKEN_EXPIRED", "MISSING_SESSION_TOKEN"] as const)(
    "rejects with %s and the normalized result when Connect refuses the token",
    async (status) => {
      const app = fakeApp();
      const connect = make();
      const errors: ConnectError[] = [];
      connect.on("error", (error) => errors.push(error));
      const result = connect.open();
      await app.waitForOpen();
      app.close({ status });
      const error = await connectError(result);
      expect(error.code).toBe(status);
      expect(error.result?.status).toBe(status);
      expect(error.message).toMatch(/open\(\)|token/);
      expect(errors).toEqual([error]);
      expect(document.getElementById("human-api")).toBeNull();
    },
  );

  test("a listener that throws breaks neither the session nor the other listeners", async () => {
    // Browsers report a throwing listener through reportError(), as for DOM listeners; jsdom lacks it.
    const reported: unknown[] = [];
    vi.stubGlobal("reportError", (error: unknown) => reported.push(error));
    const app = fakeApp();
    const connect = make();
    const calls: string[] = [];
    connect.on("connect", () => {
      throw new Error("listener bug");
    });
    connect.on("connect", () => calls.push("second"));
    connect.on("close", () => {
      throw new Error("close bug");
    });
    const result = connect.open();
    await app.waitForOpen();
    app.connectSource(STARFLEET);
    app.close();
    await expect(result).resolves.toMatchObject({ status: "SUCCESS" });
    vi.unstubAllGlobals();
    expect(calls).toEqual(["second"]);
    expect(reported.map((e) => (e as Error).message)).toEqual(["listener bug", "close bug"]);
    expect(document.getElementById("human-api")).toBeNull();
  });

  test("on() returns its own unsubscribe, off() removes, once() runs once", async () => {
    const app = fakeApp();
    const connect = make();
    const calls: string[] = [];
    const off = connect.on("connect", () => calls.push("on"));
    const listener = () => calls.push("removed");
    connect.on("connect", listener);
    connect.off("connect", listener);
    connect.once("connect", () => calls.push("once"));
    const result = connect.open();
    await app.waitForOpen();
    app.connectSource(STARFLEET);
    off();
    app.connectSource(CLEVELAND);
    app.close();
    await result;
    expect(calls).toEqual(["on", "once"]);
  });
});

describe("one session at a time", () => {
  test("rejects ALREADY_OPEN for a second open() on the same object, while loading and while open", async () => {
    const app = fakeApp();
    const connect = make();
    const first = connect.open();
    const isOpen = opened(connect);
    expect((await connectError(connect.open())).code).toBe("ALREADY_OPEN");
    await isOpen;
    expect((await connectError(connect.open())).code).toBe("ALREADY_OPEN");
    app.close();
    await first;
  });

  test("rejects ALREADY_OPEN when another connect object holds the page", async () => {
    const app = fakeApp();
    const a = make();
    const b = make();
    const first = a.open();
    const isOpen = opened(a);
    const error = await connectError(b.open());
    expect(error.code).toBe("ALREADY_OPEN");
    expect(b.state).toBe("idle");
    await isOpen;
    app.close();
    await first;
    const second = b.open();
    await opened(b);
    app.close();
    await expect(second).resolves.toMatchObject({ status: "SUCCESS" });
  });

  test("rejects ALREADY_OPEN when a #human-api is already in the page", async () => {
    const stray = document.createElement("iframe");
    stray.id = "human-api";
    document.body.append(stray);
    const error = await connectError(make().open());
    expect(error.code).toBe("ALREADY_OPEN");
    expect(error.message).toMatch(/wait for it to close/);
  });

  test("emits error for every rejection of open()", async () => {
    const app = fakeApp();
    const connect = make();
    const errors: string[] = [];
    connect.on("error", (e) => errors.push(e.code));
    const first = connect.open();
    const isOpen = opened(connect);
    await connectError(connect.open());
    await isOpen;
    app.close();
    await first;
    expect(errors).toEqual(["ALREADY_OPEN"]);
  });
});

describe("closing from the app", () => {
  test("close() closes Connect through the vendor and open() resolves CLOSED_BY_APP with the session so far", async () => {
    const app = fakeApp();
    const connect = make();
    const closes: string[] = [];
    connect.on("close", (r) => closes.push(r.status));
    const result = connect.open();
    await app.waitForOpen();
    app.connectSource(STARFLEET);
    connect.close();
    const session = await result;
    expect(session.status).toBe("CLOSED_BY_APP");
    expect(session.connectedSources).toEqual([STARFLEET]);
    expect(closes).toEqual(["CLOSED_BY_APP"]);
    expect(document.getElementById("human-api")).toBeNull();
    expect(document.getElementById("human-api-connect-modal-overlay")).toBeNull();
  });

  test("close() while loading resolves CLOSED_BY_APP and mounts nothing", async () => {
    let release: (token: string) => void = () => {};
    const connect = make({ getToken: () => new Promise<string>((resolve) => (release = resolve)) });
    const result = connect.open();
    await tick();
    connect.close();
    await expect(result).resolves.toMatchObject({ status: "CLOSED_BY_APP", connectedSources: [] });
    release("late-token");
    await tick();
    await tick();
    expect(document.getElementById("human-api")).toBeNull();
    expect(connect.state).toBe("idle");
  });

  test("close() right after open(), before the session code has loaded, resolves CLOSED_BY_APP and mounts nothing", async () => {
    const connect = make();
    const result = connect.open();
    expect(connect.state).toBe("loading");
    connect.close();
    await expect(result).resolves.toMatchObject({ status: "CLOSED_BY_APP" });
    await tick();
    expect(document.getElementById("human-api")).toBeNull();
    expect(connect.state).toBe("idle");
  });

  test("destroy() right after open(), before the session code has loaded, rejects DESTROYED", async () => {
    const connect = make();
    const result = connect.open();
    const warm = connect.prefetch();
    connect.destroy();
    expect((await connectError(result)).code).toBe("DESTROYED");
    expect((await connectError(warm)).code).toBe("DESTROYED");
    await tick();
    expect(document.getElementById("human-api")).toBeNull();
  });

  test("close() with nothing open does nothing", () => {
    const connect = make();
    expect(() => connect.close()).not.toThrow();
    expect(connect.state).toBe("idle");
  });

  test("an aborted signal while open closes Connect and rejects ABORTED", async () => {
    const connect = make();
    const controller = new AbortController();
    const result = connect.open({ signal: controller.signal });
    await opened(connect);
    controller.abort();
    const error = await connectError(result);
    expect(error.code).toBe("ABORTED");
    expect(error.result?.status).toBe("CLOSED_BY_APP");
    expect(document.getElementById("human-api")).toBeNull();
  });

  test("an aborted signal while loading rejects ABORTED and aborts the token request", async () => {
    const { getToken, seen } = neverAnswering();
    const connect = make({ getToken });
    const controller = new AbortController();
    const result = connect.open({ signal: controller.signal });
    await tick();
    controller.abort();
    expect((await connectError(result)).code).toBe("ABORTED");
    expect(seen()?.aborted).toBe(true);
  });

  test("an already aborted signal rejects ABORTED at once", async () => {
    const controller = new AbortController();
    controller.abort();
    expect((await connectError(make().open({ signal: controller.signal }))).code).toBe("ABORTED");
  });

  test("destroy() closes Connect, rejects the pending open() and every later call with DESTROYED, and emits nothing more", async () => {
    const connect = make();
    const events: string[] = [];
    connect.on("close", () => events.push("close"));
    connect.on("error", () => events.push("error"));
    const result = connect.open();
    await opened(connect);
    connect.destroy();
    expect((await connectError(result)).code).toBe("DESTROYED");
    expect(document.getElementById("human-api")).toBeNull();
    expect(connect.state).toBe("destroyed");
    expect((await connectError(connect.open())).code).toBe("DESTROYED");
    expect((await connectError(connect.prefetch())).code).toBe("DESTROYED");
    expect(events).toEqual([]);
    connect.destroy();
  });

  test("destroy() aborts a token fetch in flight", async () => {
    const { getToken, seen } = neverAnswering();
    const connect = make({ getToken });
    const result = connect.open();
    await tick();
    connect.destroy();
    expect((await connectError(result)).code).toBe("DESTROYED");
    expect(seen()?.aborted).toBe(true);
  });
});

describe("clean-up", () => {
  test.each<[string, (connect: Connect, app: FakeConnectApp) => void]>([
    ["Connect closes with SUCCESS", (_connect, app) => app.close()],
    ["Connect closes with SESSION_TOKEN_EXPIRED", (_connect, app) => app.close({ status: "SESSION_TOKEN_EXPIRED" })],
    ["the app calls close()", (connect) => connect.close()],
    ["the app calls destroy()", (connect) => connect.destroy()],
  ])("leaves no message or resize listener, no element, and focus back where it was, when %s", async (_kind, close) => {
    const button = document.createElement("button");
    document.body.append(button);
    const tracker = trackListeners(window);
    try {
      button.focus();
      const app = fakeApp();
      const connect = make();
      const result = connect.open();
      const { iframe } = await opened(connect);
      expect(tracker.count("message")).toBe(2); // the guard (capture) and the vendor's
      expect(tracker.count("resize")).toBe(1);
      iframe.contentWindow?.focus();
      iframe.focus();
      expect(document.activeElement).toBe(iframe);
      close(connect, app);
      await result.catch(() => undefined);
      expect(tracker.count("message")).toBe(0);
      expect(tracker.count("resize")).toBe(0);
      expect(tracker.count()).toBe(0);
      expect(document.getElementById("human-api")).toBeNull();
      expect(document.getElementById("human-api-connect-modal-overlay")).toBeNull();
      expect(document.activeElement).toBe(button);
    } finally {
      tracker.restore();
    }
  });

  test.each<[string, (connect: Connect, button: HTMLButtonElement) => Promise<unknown>]>([
    ["once open() has settled", (connect, button) => connect.open().finally(() => (button.disabled = false))],
    [
      "in a microtask after its close listener (as React re-renders)",
      (connect, button) => {
        connect.on("close", () => queueMicrotask(() => (button.disabled = false)));
        return connect.open();
      },
    ],
  ])("gives focus back to the button the app disabled while Connect was open and enables %s", async (_when, run) => {
    const button = document.body.appendChild(document.createElement("button"));
    button.focus();
    button.disabled = true;
    const app = fakeApp();
    const result = run(make(), button);
    await app.waitForOpen();
    frame().focus();
    expect(document.activeElement).toBe(frame());
    app.close();
    await result;
    await tick();
    expect(document.activeElement).toBe(button);
  });

  test("takes where focus goes back at open(), not once the session chunk has come (the browser may have moved it off a disabled button by then)", async () => {
    const button = document.body.appendChild(document.createElement("button"));
    button.focus();
    const app = fakeApp();
    const connect = make();
    expect(connect.state).toBe("idle"); // a new object: its open() waits for the session chunk
    const result = connect.open().finally(() => (button.disabled = false));
    button.blur(); // as Chromium does to a focused button that gets disabled
    button.disabled = true;
    await app.waitForOpen();
    app.close();
    await result;
    await tick();
    expect(document.activeElement).toBe(button);
  });

  test("does not take focus back from where the app moved it", async () => {
    const button = document.createElement("button");
    const other = document.createElement("input");
    document.body.append(button, other);
    button.focus();
    const app = fakeApp();
    const connect = make();
    const result = connect.open();
    await app.waitForOpen();
    connect.on("close", () => other.focus());
    app.close();
    await result;
    expect(document.activeElement).toBe(other);
  });
});

describe("token handling in a session", () => {
  test("drops a token Connect called expired and gets a new one for the next open()", async () => {
    let calls = 0;
    const app = fakeApp();
    const connect = make({ getToken: () => ({ token: `tok-${++calls}`, expires_in: 3600 }) });
    const first = connect.open();
    expect((await app.waitForOpen()).token).toBe("tok-1");
    app.close({ status: "SESSION_TOKEN_EXPIRED" });
    await connectError(first);
    const second = connect.open();
    expect((await app.waitForOpen()).token).toBe("tok-2");
    app.close();
    await second;
    const third = connect.open();
    expect((await app.waitForOpen()).token).toBe("tok-2");
    app.close();
    await third;
    expect(calls).toBe(2);
  });

  test("passes a fixed token as given, even after Connect called it expired", async () => {
    const app = fakeApp();
    const connect = make({ token: "fixed-1" });
    for (const status of ["SESSION_TOKEN_EXPIRED", "SUCCESS"]) {
      const result = connect.open();
      expect((await app.waitForOpen()).token).toBe("fixed-1");
      app.close({ status });
      await result.catch(() => undefined);
    }
  });

  test("rejects TOKEN_FETCH_FAILED when getToken() throws, with the cause and without the token", async () => {
    const cause = new Error("backend down");
    const connect = make({ getToken: () => Promise.reject(cause) });
    const error = await connectError(connect.open());
    expect(error.code).toBe("TOKEN_FETCH_FAILED");
    expect(error.cause).toBe(cause);
    expect(connect.state).toBe("idle");
  });

  test("prefetch() warms the token so open() does not ask again", async () => {
    let calls = 0;
    const app = fakeApp();
    const connect = make({ getToken: () => ({ token: `tok-${++calls}`, expires_in: 3600 }) });
    await connect.prefetch();
    expect(calls).toBe(1);
    const result = connect.open();
    await app.waitForOpen();
    app.close();
    await result;
    expect(calls).toBe(1);
  });
});

describe("destroy() is final", () => {
  test("destroy() while the session chunk loads sticks: nothing mounts later, state stays destroyed, and another object can open", async () => {
    const connect = make();
    const opens: unknown[] = [];
    const warm = connect.prefetch();
    connect.destroy();
    connect.on("open", (event) => opens.push(event));
    expect((await connectError(warm)).code).toBe("DESTROYED");
    expect((await connectError(connect.open())).code).toBe("DESTROYED");
    await tick();
    expect(document.getElementById("human-api")).toBeNull();
    expect(connect.state).toBe("destroyed");
    expect(opens).toEqual([]);
    await aNewObjectOpensAndCloses();
  });

  test("calls after destroy() emit nothing, not even to listeners added afterwards", async () => {
    const connect = make();
    connect.destroy();
    const events: string[] = [];
    connect.on("error", (error) => events.push(error.code));
    await connectError(connect.open());
    await connectError(connect.prefetch());
    expect(events).toEqual([]);
  });
});

describe("using: Symbol.dispose", () => {
  test("a connect object declared with `using` is destroyed at the end of its block, and its open() rejects DESTROYED", async () => {
    let pending: Promise<SessionResult> | undefined;
    let seen: Connect | undefined;
    {
      using connect = make();
      seen = connect;
      pending = connect.open();
      expect(connect.state).toBe("loading");
    }
    expect(seen.state).toBe("destroyed");
    expect((await connectError(pending)).code).toBe("DESTROYED");
    expect(seen[Symbol.dispose]).toBe(seen.destroy);
  });
});

describe("the page removed Connect's elements", () => {
  /** A second session: each event reaches it once, and it leaves nothing behind. */
  async function nextSessionGetsEachEventOnce(tracker: ReturnType<typeof trackListeners>) {
    const app = fakeApp();
    const connect = make();
    const seen: string[] = [];
    connect.on("connect", () => seen.push("connect"));
    connect.on("close", () => seen.push("close"));
    const result = connect.open();
    await app.waitForOpen();
    app.connectSource(STARFLEET);
    app.close();
    await result;
    expect(seen).toEqual(["connect", "close"]);
    expect(tracker.count()).toBe(0);
  }

  /**
   * Opens a session, lets `scenario` take the page apart and close it, then checks that no error
   * went uncaught, no listener or element is left, and the next session gets each event once.
   */
  async function leavesNothingBehind(scenario: (connect: Connect, result: Promise<SessionResult>) => Promise<void>) {
    const uncaught: unknown[] = [];
    const onError = (event: ErrorEvent) => {
      uncaught.push(event.error);
      event.preventDefault();
    };
    window.addEventListener("error", onError);
    const tracker = trackListeners(window);
    try {
      const connect = make();
      const result = connect.open();
      await opened(connect);
      await scenario(connect, result);
      expect(uncaught).toEqual([]);
      expect(tracker.count()).toBe(0);
      expect(document.getElementById("human-api")).toBeNull();
      expect(document.getElementById("human-api-connect-modal-overlay")).toBeNull();
      await nextSessionGetsEachEventOnce(tracker);
    } finally {
      window.removeEventListener("error", onError);
      tracker.restore();
    }
  }

  test.each<[string, (connect: Connect, app: FakeConnectApp) => void]>([
    ["Connect posts its close", (_connect, app) => app.close()],
    ["the app calls close()", (connect) => connect.close()],
    ["the app calls destroy()", (connect) => connect.destroy()],
  ])(
    "when the page removed the overlay and %s, no listener is left and the next session gets each event once",
    (_how, close) =>
      leavesNothingBehind(async (connect, result) => {
        document.getElementById("human-api-connect-modal-overlay")?.remove();
        close(connect, fakeApp());
        await result.catch(() => undefined);
      }),
  );

  test("when the page removed the Connect iframe, the session ends CLOSED_BY_APP, leaves no listener or overlay, and the next one gets each event once", () =>
    leavesNothingBehind(async (_connect, result) => {
      frame().remove();
      await expect(result).resolves.toMatchObject({ status: "CLOSED_BY_APP" });
    }));

  test("a close dispatched with the session's own stand-in cannot be spoofed: a page script's look-alike is still stopped", async () => {
    const connect = make();
    const result = connect.open();
    await opened(connect);
    let settled = false;
    void result.then(() => (settled = true));
    post({ type: "hapi-connect-close", status: "CLOSED_BY_APP" }, { source: null });
    await tick();
    expect(settled).toBe(false);
    connect.close();
    await expect(result).resolves.toMatchObject({ status: "CLOSED_BY_APP" });
  });
});

describe("cancelling and opening again", () => {
  test("an open() given up while the session code loads leaves the token request to a prefetch() that wants it", async () => {
    const getToken = vi.fn(() => new Promise<string>((resolve) => setTimeout(() => resolve("tok"), 20)));
    const connect = make({ getToken });
    const warm = connect.prefetch();
    const controller = new AbortController();
    const result = connect.open({ signal: controller.signal });
    controller.abort();
    expect((await connectError(result)).code).toBe("ABORTED");
    await warm;
    expect(getToken).toHaveBeenCalledTimes(1);
  });

  test("a tokenUrl open() where fetch throws at once (no fetch here) still returns a promise that rejects TOKEN_FETCH_FAILED", async () => {
    vi.stubGlobal("fetch", undefined);
    try {
      const connect = make({ tokenUrl: "/api/connect-token", tokenRequest: { retries: 0 } });
      let result: Promise<unknown> | undefined;
      expect(() => (result = connect.open())).not.toThrow();
      expect((await connectError(result!)).code).toBe("TOKEN_FETCH_FAILED");
    } finally {
      vi.unstubAllGlobals();
    }
  });

  test("an open() aborted before the session code is there aborts the token request it started", async () => {
    const { getToken, seen } = neverAnswering();
    const connect = make({ getToken });
    const controller = new AbortController();
    const result = connect.open({ signal: controller.signal });
    await tick();
    expect(seen()?.aborted).toBe(false);
    controller.abort();
    expect((await connectError(result)).code).toBe("ABORTED");
    expect(seen()?.aborted).toBe(true);
  });

  test.each([
    ["once the cancelled one has rejected", true],
    ["in the same task as the abort", false],
  ])("an open() made %s gets a token of its own and opens", async (_when, waitForTheRejection) => {
    let calls = 0;
    const app = fakeApp();
    const connect = make({
      getToken: () => new Promise<string>((resolve) => setTimeout(() => resolve(`tok-${++calls}`), 20)),
    });
    const controller = new AbortController();
    const first = connect.open({ signal: controller.signal });
    await tick();
    controller.abort();
    if (waitForTheRejection) await first.catch(() => undefined);
    const second = connect.open();
    expect((await connectError(first)).code).toBe("ABORTED");
    expect((await app.waitForOpen()).token).toBe("tok-2");
    app.close();
    await expect(second).resolves.toMatchObject({ status: "SUCCESS" });
  });
});

describe("getToken's time limit and overlayOpacity 0", () => {
  test("a getToken that never answers and ignores its signal makes open() reject TOKEN_FETCH_FAILED at tokenRequest.timeoutMs", async () => {
    const connect = make({ getToken: () => new Promise<string>(() => {}), tokenRequest: { timeoutMs: 50 } });
    const error = await connectError(connect.open());
    expect(error.code).toBe("TOKEN_FETCH_FAILED");
    expect(error.message).toMatch(/within 50 ms/);
    expect(connect.state).toBe("idle");
  });

  test("overlayOpacity 0 reaches the overlay as 0 (the vendor's own || would make it 0.6)", async () => {
    const app = fakeApp();
    const result = make({ token: "t", overlayOpacity: 0 }).open();
    await app.waitForOpen();
    expect(document.getElementById("human-api-connect-modal-overlay")?.style.opacity).toBe("0");
    app.close();
    await result;
  });
});

describe("clearToken()", () => {
  test("drops the cached token: the next open() asks for a new one", async () => {
    let calls = 0;
    const app = fakeApp();
    const connect = make({ getToken: () => ({ token: `tok-${++calls}`, expires_in: 3600 }) });
    await connect.prefetch();
    connect.clearToken();
    const result = connect.open();
    expect((await app.waitForOpen()).token).toBe("tok-2");
    app.close();
    await result;
    expect(calls).toBe(2);
  });

  test("aborts a token request in flight, and the open() waiting for it asks again instead of using it", async () => {
    const signals: AbortSignal[] = [];
    const releases: Array<(token: string) => void> = [];
    const app = fakeApp();
    const connect = make({
      getToken: ({ signal }) => {
        signals.push(signal);
        return new Promise<string>((resolve) => releases.push(resolve));
      },
    });
    const result = connect.open();
    while (signals.length < 1) await tick();
    connect.clearToken();
    expect(signals[0]?.aborted).toBe(true);
    while (signals.length < 2) await tick();
    releases[0]?.("previous-user-token");
    releases[1]?.("next-user-token");
    expect((await app.waitForOpen()).token).toBe("next-user-token");
    app.close();
    await expect(result).resolves.toMatchObject({ status: "SUCCESS" });
  });

  test("right after the first open(), before the session code is there, drops the token request that open() started", async () => {
    const signals: AbortSignal[] = [];
    const app = fakeApp();
    const connect = make({
      getToken: ({ signal }) => {
        signals.push(signal);
        return `tok-${signals.length}`;
      },
    });
    const result = connect.open();
    connect.clearToken();
    expect(signals[0]?.aborted).toBe(true);
    expect((await app.waitForOpen()).token).toBe("tok-2");
    app.close();
    await result;
  });

  test("reaches a token fetched at first use that no open() took (the page was held by another Connect)", async () => {
    const app = fakeApp();
    const held = make().open();
    await app.waitForOpen();
    const signals: AbortSignal[] = [];
    const connect = make({
      getToken: ({ signal }) => {
        signals.push(signal);
        return { token: `tok-${signals.length}`, expires_in: 3600 };
      },
    });
    expect((await connectError(connect.open())).code).toBe("ALREADY_OPEN");
    app.close();
    await held;
    connect.clearToken();
    const result = connect.open();
    expect((await app.waitForOpen()).token).toBe("tok-2");
    app.close();
    await result;
  });

  test("does not disturb an open Connect", async () => {
    const app = fakeApp();
    const connect = make({ getToken: () => ({ token: "tok", expires_in: 3600 }) });
    const result = connect.open();
    await app.waitForOpen();
    connect.clearToken();
    expect(connect.state).toBe("open");
    app.connectSource(STARFLEET);
    app.close();
    await expect(result).resolves.toMatchObject({ status: "SUCCESS", connectedSources: [STARFLEET] });
  });

  test("does nothing, without throwing, before any use and after destroy()", () => {
    const connect = make({ tokenUrl: "/api/connect-token" });
    expect(() => connect.clearToken()).not.toThrow();
    connect.destroy();
    expect(() => connect.clearToken()).not.toThrow();
  });
});

describe("found by the hostile review", () => {
  test("a page that removed <body> while Connect was open still gets open() settled, the page released and no listener left", async () => {
    const tracker = trackListeners(window);
    const body = document.body;
    try {
      const connect = make();
      const result = connect.open();
      await opened(connect);
      body.remove();
      await expect(result).resolves.toMatchObject({ status: "CLOSED_BY_APP" });
      expect(connect.state).toBe("idle");
      expect(tracker.count()).toBe(0);
    } finally {
      document.documentElement.append(body);
      tracker.restore();
    }
    await aNewObjectOpensAndCloses();
  });

  test("a listener removed, or the object destroyed, by an earlier listener of the same event is not called", async () => {
    const connect = make();
    const calls: string[] = [];
    const offSecond = connect.on("open", () => {
      calls.push("first");
      offSecond2();
    });
    const offSecond2 = connect.on("open", () => calls.push("second"));
    connect.on("open", () => {
      calls.push("third");
      connect.destroy();
    });
    connect.on("open", () => calls.push("fourth"));
    const result = connect.open();
    expect((await connectError(result)).code).toBe("DESTROYED");
    expect(calls).toEqual(["first", "third"]);
    offSecond();
  });

  test("pinnedProviders changed after createConnect() changes nothing: Connect gets the checked copy", async () => {
    const pinned = ["a", "b"];
    const app = fakeApp();
    const connect = make({ token: "t", pinnedProviders: pinned });
    pinned.push("c,d");
    const result = connect.open();
    expect((await app.waitForOpen()).params.pinnedProviders).toBe("a,b");
    app.close();
    await result;
  });

  test.each([
    ["while the session chunk loads", async () => undefined],
    [
      "while the token is on its way",
      async (connect: Connect) => {
        await connect.prefetch().catch(() => undefined);
      },
    ],
  ])("an abort %s emits error ABORTED and no close, as nothing was mounted", async (_when, before) => {
    const { getToken } = neverAnswering();
    const connect = make({ getToken, tokenRequest: { timeoutMs: 60_000 } });
    await before(make({ token: "warm-the-chunk" }));
    const events: string[] = [];
    connect.on("close", (r) => events.push(`close ${r.status}`));
    connect.on("error", (e) => events.push(`error ${e.code}`));
    const controller = new AbortController();
    const result = connect.open({ signal: controller.signal });
    await tick();
    controller.abort();
    expect((await connectError(result)).code).toBe("ABORTED");
    expect(events).toEqual(["error ABORTED"]);
  });

  test("open() refuses options other than signal, before any token is asked for", async () => {
    const getToken = vi.fn(() => "t");
    const connect = make({ getToken });
    const error = await connectError(connect.open({ mode: "select" } as never));
    expect(error.code).toBe("INVALID_OPTIONS");
    expect(error.message).toMatch(/\{ signal \}/);
    expect(getToken).not.toHaveBeenCalled();
  });
});
