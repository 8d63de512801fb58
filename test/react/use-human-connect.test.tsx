// @vitest-environment jsdom
import { StrictMode, useEffect, useState } from "react";
import { act, fireEvent, render, screen, within } from "@testing-library/react";
import { describe, expect, onTestFinished, test, vi } from "vitest";
import type { SessionResult } from "../../src/index";
import { useHumanConnect, type UseHumanConnect, type UseHumanConnectOptions } from "../../src/react/index";
import type { FakeConnectApp } from "../../src/testing/index";
import { aNewObjectOpensAndCloses, tick } from "../support/connect";
import { fakeApp, frame, trackListeners } from "../support/dom";
import { connectError } from "../support/errors";
import { ConnectButton, heldTokenServer, renderHookInStrictMode, tokenServer } from "../support/react";

/** Calls the hook's `open()` as an event handler would (inside act), and returns its promise. */
function openFrom(hook: { current: UseHumanConnect }): Promise<SessionResult> {
  let session!: Promise<SessionResult>;
  act(() => void (session = hook.current.open()));
  return session;
}

/** Plays Connect's close (with `status`) and waits until the session settled, inside act. */
async function closeConnect(app: FakeConnectApp, session: Promise<SessionResult>, status = "SUCCESS") {
  await act(async () => {
    app.close({ status });
    await session.catch(() => undefined);
  });
}

/** Counts window's listeners from now to the end of the test. */
function listeners() {
  const tracker = trackListeners(window);
  onTestFinished(() => tracker.restore());
  return tracker;
}

/** The five callbacks, as spies. */
const callbackSpies = () => ({
  onOpen: vi.fn(),
  onConnect: vi.fn(),
  onDisconnect: vi.fn(),
  onClose: vi.fn(),
  onError: vi.fn(),
});

/** A getToken whose answer the test holds, shaped as heldTokenServer() is. */
function heldGetToken() {
  let take!: (signal: AbortSignal) => void;
  let give!: (token: string) => void;
  const asked = new Promise<AbortSignal>((resolve) => (take = resolve));
  const token = new Promise<string>((resolve) => (give = resolve));
  return {
    options: { getToken: ({ signal }: { signal: AbortSignal }) => (take(signal), token) },
    asked: asked.then(() => undefined),
    gaveUp: asked.then((signal) => new Promise<void>((resolve) => signal.addEventListener("abort", () => resolve()))),
    answer: async () => give("late"),
  };
}

describe("under StrictMode's mount, unmount, mount", () => {
  test("mounting asks for no token, and each open() asks the tokenUrl once and mounts one Connect", async () => {
    const server = await tokenServer();
    const tracker = listeners();
    const app = fakeApp();
    const { result } = renderHookInStrictMode(() => useHumanConnect({ tokenUrl: server.url }), undefined);
    expect(server.seen).toHaveLength(0);
    for (const n of [1, 2]) {
      const session = openFrom(result);
      expect(await act(() => app.waitForOpen())).toMatchObject({ token: `tok-${n}` });
      expect(server.seen).toHaveLength(n);
      expect(document.querySelectorAll("#human-api")).toHaveLength(1);
      expect(tracker.count("message")).toBe(2); // one Connect's: the guard (capture) and the vendor's
      expect(tracker.count("resize")).toBe(1);
      await closeConnect(app, session);
      expect(tracker.count()).toBe(0);
    }
  });
});

describe("re-renders", () => {
  test("100 re-renders with inline options and inline callbacks re-create nothing: the prefetched token opens Connect and the latest onClose runs", async () => {
    const server = await tokenServer();
    const app = fakeApp();
    const closedBy: number[] = [];
    const headers = () => ({ "X-App": "demo" });
    // A new options object and new callbacks on every render, their keys in a different order every other one.
    const { result, rerender } = renderHookInStrictMode(
      (n: number) =>
        useHumanConnect(
          n % 2
            ? { tokenUrl: server.url, tokenRequest: { headers: headers() }, onClose: () => closedBy.push(n) }
            : { onClose: () => closedBy.push(n), tokenRequest: { headers: headers() }, tokenUrl: server.url },
        ),
      0,
    );
    await act(() => result.current.prefetch());
    for (let n = 1; n <= 100; n++) rerender(n);
    const session = openFrom(result);
    expect(await act(() => app.waitForOpen())).toMatchObject({ token: "tok-1" });
    await closeConnect(app, session);
    expect(server.seen).toHaveLength(1);
    expect(closedBy).toEqual([100]);
  });

  test("open, prefetch and close are the same functions on every render, across option changes", () => {
    const { result, rerender } = renderHookInStrictMode((token: string) => useHumanConnect({ token }), "a");
    const first = result.current;
    for (const token of ["a", "b", "c"]) {
      rerender(token);
      expect(result.current.open).toBe(first.open);
      expect(result.current.prefetch).toBe(first.prefetch);
      expect(result.current.close).toBe(first.close);
      expect(result.current.clearToken).toBe(first.clearToken);
    }
  });

  test("a new tokenUrl re-creates the connect object: the next open() asks the new URL", async () => {
    const [a, b] = [await tokenServer("a"), await tokenServer("b")];
    const app = fakeApp();
    const { result, rerender } = renderHookInStrictMode((url: string) => useHumanConnect({ tokenUrl: url }), a.url);
    await act(() => result.current.prefetch());
    rerender(b.url);
    const session = openFrom(result);
    expect(await act(() => app.waitForOpen())).toMatchObject({ token: "b-1" });
    await closeConnect(app, session);
    expect([a.seen.length, b.seen.length]).toEqual([1, 1]);
  });

  test.each<[string, UseHumanConnectOptions, UseHumanConnectOptions, object]>([
    ["token", { token: "a" }, { token: "b" }, { token: "b" }],
    ["mode", { token: "a" }, { token: "a", mode: "select", clientId: "c-1" }, { mode: "select", clientId: "c-1" }],
    [
      "a list",
      { token: "a", pinnedProviders: ["p1", "p2"] },
      { token: "a", pinnedProviders: ["p1", "p3"] },
      {
        params: expect.objectContaining({ pinnedProviders: "p1,p3" }),
      },
    ],
  ])(
    "a new value of %s re-creates the connect object: the next open() uses it",
    async (_name, before, after, opened) => {
      const app = fakeApp();
      const { result, rerender } = renderHookInStrictMode(
        (options: UseHumanConnectOptions) => useHumanConnect(options),
        before,
      );
      rerender(after);
      const session = openFrom(result);
      expect(await act(() => app.waitForOpen())).toMatchObject(opened);
      await closeConnect(app, session);
    },
  );

  test("a tokenUrl change while Connect is open leaves it open, and takes effect at the next open()", async () => {
    const [a, b] = [await tokenServer("a"), await tokenServer("b")];
    const app = fakeApp();
    const tracker = listeners();
    const { result, rerender } = renderHookInStrictMode((url: string) => useHumanConnect({ tokenUrl: url }), a.url);
    const first = openFrom(result);
    await act(() => app.waitForOpen());
    const iframe = frame();
    rerender(b.url);
    expect(frame()).toBe(iframe);
    expect(result.current.state).toBe("open");
    expect(tracker.count("message")).toBe(2);
    await closeConnect(app, first);
    await expect(first).resolves.toMatchObject({ status: "SUCCESS" });
    expect(b.seen).toHaveLength(0);
    const second = openFrom(result);
    expect(await act(() => app.waitForOpen())).toMatchObject({ token: "b-1" });
    await closeConnect(app, second);
    expect([a.seen.length, b.seen.length]).toEqual([1, 1]);
  });

  test("after a double click's second open() rejected ALREADY_OPEN, a tokenUrl change still waits for the open session", async () => {
    const [a, b] = [await tokenServer("a"), await tokenServer("b")];
    const app = fakeApp();
    const { result, rerender } = renderHookInStrictMode((url: string) => useHumanConnect({ tokenUrl: url }), a.url);
    const first = openFrom(result);
    await act(() => app.waitForOpen());
    const iframe = frame();
    expect((await act(() => connectError(openFrom(result)))).code).toBe("ALREADY_OPEN");
    rerender(b.url);
    expect(frame()).toBe(iframe);
    await closeConnect(app, first);
    await expect(first).resolves.toMatchObject({ status: "SUCCESS" });
    const next = openFrom(result);
    expect(await act(() => app.waitForOpen())).toMatchObject({ token: "b-1" });
    await closeConnect(app, next);
  });

  test("an option that onClose changes for a refused token waits until the refusal is in error and onError", async () => {
    const app = fakeApp();
    const onError = vi.fn();
    // As an app whose options come from a store that onClose updates (its render runs before open() settles).
    const { result } = renderHookInStrictMode(() => {
      const [round, setRound] = useState(1);
      return useHumanConnect({ token: `t-${round}`, onClose: () => setRound((n) => n + 1), onError });
    }, undefined);
    const refused = openFrom(result);
    await act(() => app.waitForOpen());
    await closeConnect(app, refused, "SESSION_TOKEN_EXPIRED");
    const error = await connectError(refused);
    expect(error.code).toBe("SESSION_TOKEN_EXPIRED");
    expect(onError).toHaveBeenCalledExactlyOnceWith(error);
    expect(result.current.error).toBe(error);
    const next = openFrom(result);
    expect(await act(() => app.waitForOpen())).toMatchObject({ token: "t-2" });
    await closeConnect(app, next);
  });
});

describe("latest callbacks", () => {
  test.each<[keyof ReturnType<typeof callbackSpies>, (app: FakeConnectApp) => void]>([
    ["onConnect", (app) => app.connectSource("Starfleet Pharmacy")],
    ["onDisconnect", (app) => app.disconnectSource("Starfleet Pharmacy")],
    ["onClose", (app) => app.close()],
    ["onError", (app) => app.close({ status: "SESSION_TOKEN_EXPIRED" })],
  ])("the %s of the latest render runs, not the one Connect was opened with", async (name, play) => {
    const app = fakeApp();
    const [before, after] = [vi.fn(), vi.fn()];
    const { result, rerender } = renderHookInStrictMode(
      (callback: () => void) => useHumanConnect({ token: "t", [name]: callback }),
      before,
    );
    const session = openFrom(result);
    await act(() => app.waitForOpen());
    rerender(after);
    await act(async () => play(app));
    expect(after).toHaveBeenCalledOnce();
    expect(before).not.toHaveBeenCalled();
    if (result.current.state === "open") await closeConnect(app, session);
  });

  test("the onOpen of the latest render runs", async () => {
    const app = fakeApp();
    const [before, after] = [vi.fn(), vi.fn()];
    const { result, rerender } = renderHookInStrictMode(
      (onOpen: () => void) => useHumanConnect({ token: "t", onOpen }),
      before,
    );
    rerender(after);
    const session = openFrom(result);
    await act(() => app.waitForOpen());
    expect(after).toHaveBeenCalledOnce();
    expect(before).not.toHaveBeenCalled();
    await closeConnect(app, session);
  });

  test("the getToken of the latest render gives the token", async () => {
    const app = fakeApp();
    const { result, rerender } = renderHookInStrictMode(
      (token: string) => useHumanConnect({ getToken: () => token }),
      "from-first-render",
    );
    rerender("from-latest-render");
    const session = openFrom(result);
    expect(await act(() => app.waitForOpen())).toMatchObject({ token: "from-latest-render" });
    await closeConnect(app, session);
  });
});

describe("unmount", () => {
  test("while open: Connect, its overlay and its listeners go, the pending open() rejects DESTROYED, and no callback runs", async () => {
    const server = await tokenServer();
    const tracker = listeners();
    const app = fakeApp();
    const callbacks = callbackSpies();
    const { result, unmount } = renderHookInStrictMode(
      () => useHumanConnect({ tokenUrl: server.url, ...callbacks }),
      undefined,
    );
    const session = openFrom(result);
    await act(() => app.waitForOpen());
    expect(callbacks.onOpen).toHaveBeenCalledOnce();
    unmount();
    expect(document.getElementById("human-api")).toBeNull();
    expect(document.getElementById("human-api-connect-modal-overlay")).toBeNull();
    expect(tracker.count()).toBe(0);
    expect((await connectError(session)).code).toBe("DESTROYED");
    await tick();
    expect(callbacks.onOpen).toHaveBeenCalledOnce();
    for (const name of ["onConnect", "onDisconnect", "onClose", "onError"] as const)
      expect(callbacks[name]).not.toHaveBeenCalled();
    await aNewObjectOpensAndCloses();
  });

  test.each([
    ["a tokenUrl", async () => heldTokenServer().then((held) => ({ ...held, options: { tokenUrl: held.url } }))],
    ["a getToken", async () => heldGetToken()],
  ])(
    "while %s is still loading the token: the pending open() rejects DESTROYED, the request is given up, the late token never mounts Connect",
    async (_source, hold) => {
      const held = await hold();
      const app = fakeApp();
      const callbacks = callbackSpies();
      const { result, unmount } = renderHookInStrictMode(
        () => useHumanConnect({ ...held.options, ...callbacks }),
        undefined,
      );
      const session = openFrom(result);
      await held.asked;
      unmount();
      expect((await connectError(session)).code).toBe("DESTROYED");
      await held.gaveUp;
      await held.answer();
      await tick();
      expect(app.opened).toBe(0);
      expect(document.getElementById("human-api")).toBeNull();
      for (const callback of Object.values(callbacks)) expect(callback).not.toHaveBeenCalled();
      await aNewObjectOpensAndCloses();
    },
  );
});

describe("two components on one page", () => {
  test("the second's open() while the first's Connect is open rejects ALREADY_OPEN into the second's error only; the first still closes normally", async () => {
    const [a, b] = [await tokenServer("a"), await tokenServer("b")];
    const app = fakeApp();
    const [firstClosed, secondFailed] = [vi.fn(), vi.fn()];
    render(
      <StrictMode>
        <ConnectButton label="First" tokenUrl={a.url} onClose={firstClosed} />
        <ConnectButton label="Second" tokenUrl={b.url} onError={secondFailed} />
      </StrictMode>,
    );
    const first = within(screen.getByRole("region", { name: "First" }));
    const second = within(screen.getByRole("region", { name: "Second" }));
    fireEvent.click(first.getByRole("button"));
    await act(() => app.waitForOpen());
    const iframe = frame();
    fireEvent.click(second.getByRole("button"));
    await second.findByText("error: ALREADY_OPEN");
    expect(secondFailed).toHaveBeenCalledWith(expect.objectContaining({ code: "ALREADY_OPEN" }));
    expect(second.getByRole("status").textContent).toBe("idle");
    expect(first.getByRole("status").textContent).toBe("open");
    expect(first.getByText("error: none")).toBeTruthy();
    expect(frame()).toBe(iframe);
    act(() => app.close());
    await first.findByText("result: SUCCESS");
    expect(first.getByRole("status").textContent).toBe("idle");
    expect(firstClosed).toHaveBeenCalledExactlyOnceWith(expect.objectContaining({ status: "SUCCESS" }));
  });
});

describe("state, result and error", () => {
  test("state goes idle -> loading -> open -> idle as the connect object does", async () => {
    const server = await tokenServer();
    const app = fakeApp();
    const states: string[] = [];
    const { result } = renderHookInStrictMode(() => {
      const hook = useHumanConnect({ tokenUrl: server.url });
      if (states.at(-1) !== hook.state) states.push(hook.state);
      return hook;
    }, undefined);
    const session = openFrom(result);
    await act(() => app.waitForOpen());
    await closeConnect(app, session);
    expect(states).toEqual(["idle", "loading", "open", "idle"]);
  });

  test("result is the last session's result, error the last open()'s error until the next open() clears it", async () => {
    const app = fakeApp();
    const { result } = renderHookInStrictMode(() => useHumanConnect({ getToken: () => "t" }), undefined);
    expect([result.current.result, result.current.error]).toEqual([undefined, undefined]);
    const succeeding = openFrom(result);
    await act(() => app.waitForOpen());
    await closeConnect(app, succeeding);
    expect(result.current.result).toBe(await succeeding);
    const refused = openFrom(result);
    await act(() => app.waitForOpen());
    await closeConnect(app, refused, "SESSION_TOKEN_EXPIRED");
    const error = await connectError(refused);
    expect(result.current.error).toBe(error);
    expect(result.current.result).toBe(error.result);
    const next = openFrom(result);
    expect(result.current.error).toBeUndefined();
    await act(() => app.waitForOpen());
    await closeConnect(app, next);
  });

  test("onClick={open} opens Connect: the click event it is given is ignored", async () => {
    const app = fakeApp();
    render(
      <StrictMode>
        <ConnectButton token="t" />
      </StrictMode>,
    );
    fireEvent.click(screen.getByRole("button"));
    await act(() => app.waitForOpen());
    expect(screen.getByRole("status").textContent).toBe("open");
    act(() => app.close());
    await screen.findByText("result: SUCCESS");
    expect(screen.getByText("error: none")).toBeTruthy();
  });
});

describe("invalid options", () => {
  test.each<[string, UseHumanConnectOptions, UseHumanConnectOptions]>([
    ["an empty tokenUrl", { tokenUrl: "" }, { token: "fixed" }],
    ["a mode Connect does not have", { token: "fixed", mode: "sideways" as "auth" }, { token: "fixed" }],
    ["two token sources", { token: "fixed", getToken: () => "other" } as never, { token: "fixed" }],
    ["a getToken that is no function", { getToken: "fixed" as never }, { getToken: () => "fixed" }],
  ])(
    "render never throws for %s: open() rejects INVALID_OPTIONS into error and onError, and fixed options open",
    async (_name, bad, good) => {
      const app = fakeApp();
      const onError = vi.fn();
      const { result, rerender } = renderHookInStrictMode(
        (options: UseHumanConnectOptions) => useHumanConnect({ ...options, onError }),
        bad,
      );
      const refused = await connectError(openFrom(result));
      expect(refused.code).toBe("INVALID_OPTIONS");
      expect(result.current.error).toBe(refused);
      expect(onError).toHaveBeenCalledExactlyOnceWith(refused);
      rerender(good);
      const session = openFrom(result);
      expect(await act(() => app.waitForOpen())).toMatchObject({ token: "fixed" });
      await closeConnect(app, session);
      await expect(session).resolves.toMatchObject({ status: "SUCCESS" });
      expect(result.current.error).toBeUndefined();
    },
  );
});

describe("another user", () => {
  test("with getToken, clearToken() after the user changed makes the next open() ask for the new user's token", async () => {
    const app = fakeApp();
    const user = { current: "alice" };
    const getToken = () => ({ token: `token-of-${user.current}`, expires_in: 3600 });
    const { result } = renderHookInStrictMode(() => useHumanConnect({ getToken }), undefined);
    const first = openFrom(result);
    expect(await act(() => app.waitForOpen())).toMatchObject({ token: "token-of-alice" });
    await closeConnect(app, first);
    user.current = "bob";
    act(() => result.current.clearToken());
    const second = openFrom(result);
    expect(await act(() => app.waitForOpen())).toMatchObject({ token: "token-of-bob" });
    await closeConnect(app, second);
  });

  test("with tokenUrl, clearToken() makes the next open() ask the backend again (a cached token would be the last user's)", async () => {
    const app = fakeApp();
    const backend = await tokenServer("tok", 3600);
    const { result } = renderHookInStrictMode(() => useHumanConnect({ tokenUrl: backend.url }), undefined);
    const first = openFrom(result);
    await act(() => app.waitForOpen());
    await closeConnect(app, first);
    act(() => result.current.clearToken());
    const second = openFrom(result);
    const opened = await act(() => app.waitForOpen());
    await closeConnect(app, second);
    expect(backend.seen).toHaveLength(2);
    expect(opened.token).toBe("tok-2");
  });
});

describe("open() before the component mounted", () => {
  test("from a child's mount effect (children's effects run first): rejects DESTROYED, tells onError, and says what to do", async () => {
    const app = fakeApp();
    const onError = vi.fn();
    const caught: unknown[] = [];
    function AutoOpen({ open }: { open: UseHumanConnect["open"] }) {
      useEffect(() => void open().catch((e: unknown) => caught.push(e)), [open]);
      return null;
    }
    function Page() {
      const { open } = useHumanConnect({ token: "t", onError });
      return (
        <>
          <AutoOpen open={open} />
        </>
      );
    }
    render(
      <StrictMode>
        <Page />
      </StrictMode>,
    );
    await act(() => tick());
    expect(app.opened).toBe(0);
    expect(caught[0]).toMatchObject({ code: "DESTROYED", message: expect.stringMatching(/its own effect/) });
    // Once: StrictMode's second run of the child's effect comes after the simulated unmount,
    // which no callback may follow (its open() rejects DESTROYED to its caller only).
    expect(onError.mock.calls).toEqual([[caught[0]]]);
    expect(caught.map((error) => (error as { code: string }).code)).toEqual(["DESTROYED", "DESTROYED"]);
  });
});

describe("an open() nobody catches", () => {
  type FailOpen = (hook: { current: UseHumanConnect }, unmount: () => void, app: FakeConnectApp) => Promise<void>;
  test.each<[string, UseHumanConnectOptions, FailOpen]>([
    ["refused for invalid options", { tokenUrl: "" }, async (hook) => act(() => void hook.current.open())],
    [
      "refused by Connect",
      { token: "t" },
      async (hook, _unmount, app) => {
        act(() => void hook.current.open());
        await act(() => app.waitForOpen());
        await act(async () => app.close({ status: "SESSION_TOKEN_INVALID" }));
      },
    ],
    ["called after unmount", { token: "t" }, async (hook, unmount) => (unmount(), void hook.current.open())],
  ])("%s leaves no unhandled rejection", async (_name, options, failOpen) => {
    const unhandled = vi.fn();
    process.on("unhandledRejection", unhandled);
    onTestFinished(() => void process.off("unhandledRejection", unhandled));
    const app = fakeApp();
    const { result, unmount } = renderHookInStrictMode(() => useHumanConnect(options), undefined);
    await failOpen(result, unmount, app);
    // Node reports a rejection as unhandled once the microtasks after it have run.
    await tick();
    expect(unhandled).not.toHaveBeenCalled();
  });
});
