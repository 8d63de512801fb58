import { connectMessage, type ConnectMessageState } from "../connect-message";
import type { Source } from "../types";
import { sandboxSource } from "./builders";
import { disposedError, FakeConnectAppError } from "./errors";
import { watchOpens, type OpenConnect, type OpenedWith } from "./open-watch";

export type { OpenedWith } from "./open-watch";

/** A source to connect or disconnect: a `{ id, name }`, or the name of a provider in the sandbox's list. */
export type SourceInput = Source | string;

/** Plays the Connect app inside the `#human-api` iframe the real vendor client mounts. */
export interface FakeConnectApp {
  /**
   * Resolves with what Connect was opened with once a Connect is (or becomes) open; rejects with
   * `OPEN_TIMEOUT` when none opens in time.
   * @default options `{ timeoutMs: 2000 }`
   * @example
   * ```ts
   * const result = connect.open();
   * const { token } = await app.waitForOpen();
   * ```
   */
  waitForOpen(options?: { timeoutMs?: number }): Promise<OpenedWith>;
  /**
   * Posts `connect-source` as Connect does after the user connected `source`.
   * @example app.connectSource("Starfleet Pharmacy");
   */
  connectSource(source: SourceInput): void;
  /**
   * Posts `disconnect-source` as Connect does after the user disconnected `source`.
   * @example app.disconnectSource({ id: "5b1daf3f079c652eaf41fd23", name: "Starfleet Pharmacy" });
   */
  disconnectSource(source: SourceInput): void;
  /**
   * Posts `close`, ending the session; `status` may be a refusal such as `"SESSION_TOKEN_EXPIRED"`.
   * @default options `{ status: "SUCCESS" }`
   * @example app.close({ status: "SESSION_TOKEN_EXPIRED" });
   */
  close(options?: { status?: string }): void;
  /**
   * The user's current connections (a copy); set it to seed a returning user's.
   * @example app.connections = [source("Cleveland Clinic")];
   */
  connections: Source[];
  /**
   * How many times a Connect opened while this fake watched.
   * @example expect(app.opened).toBe(1);
   */
  readonly opened: number;
  /**
   * Stops watching; a pending `waitForOpen()` rejects with `DISPOSED`. Calling it again does nothing.
   * @example afterEach(() => app.dispose());
   */
  dispose(): void;
}

const emptySession = (): ConnectMessageState["session"] => ({
  connectedSources: [],
  disconnectedSources: [],
  requestedSources: [],
});

function noWindow(): never {
  throw new FakeConnectAppError(
    "NO_WINDOW",
    "fakeConnectApp(window) found no window: run it in jsdom, happy-dom or a browser, or pass the window.",
  );
}

function noConnectOpen(): never {
  throw new FakeConnectAppError(
    "NO_CONNECT_OPEN",
    "no Connect is open: call open() first and await app.waitForOpen().",
  );
}

/** Dispatches `data` on `win` as the Connect iframe posts it: from its origin and its window. */
function postFrom(win: Window, open: OpenConnect, data: unknown): void {
  const { MessageEvent } = win as Window & typeof globalThis;
  win.dispatchEvent(new MessageEvent("message", { data, origin: open.origin, source: open.frame.contentWindow }));
}

/**
 * A fake Connect app for unit tests (jsdom, happy-dom) and browser pages. Your code and the real
 * vendor client open Connect as usual; this plays the app inside its iframe, posting real
 * `MessageEvent`s from the Connect origin and the iframe's window, so they pass the guard as
 * Connect's own do.
 * @default win `globalThis.window`
 * @example
 * ```ts
 * const app = fakeConnectApp();
 * const result = connect.open();
 * await app.waitForOpen();
 * app.connectSource("Starfleet Pharmacy");
 * app.close();
 * expect((await result).connectedSources).toHaveLength(1);
 * app.dispose();
 * ```
 */
export function fakeConnectApp(win: Window = (globalThis as { window?: Window }).window ?? noWindow()): FakeConnectApp {
  let current: Source[] = [];
  let session = emptySession();
  let disposed = false;
  const watch = watchOpens(win, () => (session = emptySession()));

  function openConnect(): OpenConnect {
    if (disposed) throw disposedError();
    return watch.sync() ?? noConnectOpen();
  }

  const post = (open: OpenConnect, type: "connect-source" | "disconnect-source" | "close", status: string) =>
    postFrom(win, open, connectMessage(type, status, { session, current, requested: [] }));

  return {
    waitForOpen: ({ timeoutMs = 2000 } = {}) => (disposed ? Promise.reject(disposedError()) : watch.wait(timeoutMs)),
    connectSource(input) {
      const open = openConnect();
      const added = sandboxSource(input);
      const at = current.findIndex((s) => s.id === added.id);
      current = at === -1 ? [...current, added] : current.map((s, i) => (i === at ? added : s));
      session.connectedSources.push(added);
      post(open, "connect-source", "CONNECTED_SOURCE");
    },
    disconnectSource(input) {
      const open = openConnect();
      const removed = sandboxSource(input);
      current = current.filter((s) => s.id !== removed.id);
      session.disconnectedSources.push(removed);
      post(open, "disconnect-source", "DISCONNECTED_SOURCE");
    },
    close({ status = "SUCCESS" } = {}) {
      const open = openConnect();
      watch.end();
      post(open, "close", status);
    },
    get connections() {
      return current.map((s) => ({ id: s.id, name: s.name }));
    },
    set connections(list) {
      if (!Array.isArray(list))
        throw new TypeError("connections must be an array of sources ({ id, name } or sandbox provider names).");
      current = list.map(sandboxSource);
    },
    get opened() {
      return watch.opened();
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      watch.stop();
    },
  };
}
