import { disposedError, FakeConnectAppError } from "./errors";

/** What Connect was opened with, read from the `#human-api` iframe's `src`. */
export interface OpenedWith {
  /** The `token` parameter, or `null` (select mode without preseed sends none). */
  token: string | null;
  /** The `mode` parameter; `"auth"` when absent, as Connect reads it. */
  mode: string;
  /** The `clientId` parameter (select mode), or `null`. */
  clientId: string | null;
  /** Every query parameter of the iframe's `src`, by name. */
  params: Record<string, string>;
}

/** The open Connect: its iframe, the origin its messages come from and what it was opened with. */
export interface OpenConnect {
  frame: HTMLIFrameElement;
  origin: string;
  openedWith: OpenedWith;
}

/** The longest delay setTimeout keeps (a longer one fires at once). */
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

type Waiter = { resolve: (opened: OpenedWith) => void; reject: (error: Error) => void; timer: unknown };

function readOpen(frame: HTMLIFrameElement): OpenConnect {
  const url = new URL(frame.src);
  const params: Record<string, string> = {};
  url.searchParams.forEach((value, name) => (params[name] = value));
  const openedWith = {
    token: url.searchParams.get("token"),
    mode: url.searchParams.get("mode") ?? "auth",
    clientId: url.searchParams.get("clientId"),
    params,
  };
  return { frame, origin: url.origin, openedWith };
}

/**
 * Watches `win`'s document for the `#human-api` iframe the vendor client mounts: each new one is an
 * open (`onOpen` runs, waiters resolve); once removed, or ended with `end()`, none is open.
 */
export function watchOpens(win: Window, onOpen: () => void) {
  const seen = new WeakSet<Element>();
  const waiters = new Set<Waiter>();
  let current: OpenConnect | null = null;
  let opened = 0;

  function sync(): OpenConnect | null {
    const element = win.document.getElementById("human-api");
    const frame = element?.tagName === "IFRAME" && element.isConnected ? (element as HTMLIFrameElement) : null;
    if (current && current.frame !== frame) current = null;
    if (frame && !seen.has(frame)) {
      seen.add(frame);
      current = readOpen(frame);
      opened += 1;
      onOpen();
      for (const waiter of waiters) settle(waiter, () => waiter.resolve(current!.openedWith));
    }
    return current;
  }

  function settle(waiter: Waiter, how: () => void) {
    clearTimeout(waiter.timer as ReturnType<typeof setTimeout>);
    waiters.delete(waiter);
    how();
  }

  const { MutationObserver } = win as Window & typeof globalThis;
  const observer = new MutationObserver(() => sync());
  observer.observe(win.document, { childList: true, subtree: true });
  sync();

  return {
    sync,
    opened: () => opened,
    /** Connect closed: its iframe no longer counts as open, even while the page still shows it. */
    end: () => void (current = null),
    wait(timeoutMs: number): Promise<OpenedWith> {
      if (typeof timeoutMs !== "number" || !(timeoutMs >= 0 && timeoutMs <= MAX_TIMEOUT_MS))
        return Promise.reject(
          new TypeError(`waitForOpen({ timeoutMs }) takes a number of milliseconds from 0 to ${MAX_TIMEOUT_MS}.`),
        );
      const open = sync();
      if (open) return Promise.resolve(open.openedWith);
      return new Promise((resolve, reject) => {
        const waiter: Waiter = { resolve, reject, timer: undefined };
        waiter.timer = setTimeout(() => settle(waiter, () => reject(timeoutError(timeoutMs))), timeoutMs);
        waiters.add(waiter);
      });
    },
    stop() {
      observer.disconnect();
      const error = disposedError();
      for (const waiter of waiters) settle(waiter, () => waiter.reject(error));
    },
  };
}

function timeoutError(timeoutMs: number) {
  return new FakeConnectAppError(
    "OPEN_TIMEOUT",
    `no Connect opened within ${timeoutMs} ms: check that your code called open() (and that its token arrived), ` +
      "and that fakeConnectApp() watches the window Connect opens in; or pass a larger timeoutMs.",
  );
}
