import { createConnect, type Connect, type ConnectError, type ConnectOptions, type SessionResult } from "../index";
import type { ConnectActions, HumanConnectState, StoreOptions } from "./types";

/** The callbacks, written once: each listens to the connect event its name ends with (`onOpen`: `open`). */
export const CALLBACKS = ["onOpen", "onConnect", "onDisconnect", "onClose", "onError"] as const;

type Latest = { current: StoreOptions };

/**
 * The connect object of one mounted component (or one element in the document), and what it
 * tells the component.
 */
export interface ConnectStore {
  subscribe(onChange: () => void): () => void;
  /** Read from the connect object each time: the source of truth. */
  state(): HumanConnectState;
  result(): SessionResult | undefined;
  error(): ConnectError | undefined;
  /** Mounted (`true`) or unmounted (`false`): unmounting destroys the object. */
  live(mounted: boolean): void;
  /** The options' key changed: a new object now, or at the next `open()` when one is under way. */
  want(key: string): void;
  /**
   * What the hook or the element hands out, each the same function for the store's life. A failure of
   * `open()` before the mount, or of options createConnect() refused, is reported where the app
   * acts, as open()'s own failures are (in `error` and onError); after the unmount nothing is.
   * `open()`'s promise is handled (a caller who does not catch has it in `error` and onError). An
   * object replaced once its Connect closed lives until its last `open()` settled (a refusal's
   * `error` event comes after `close`), so that it is still reported.
   */
  actions: ConnectActions;
}

/**
 * A connect object made from the latest options, whose `getToken` and callbacks are the latest
 * ones at each call; `record` hears each event before the callback runs.
 */
function createWired(latest: Latest, record: (event: string, value: unknown) => void): Connect {
  // The callbacks are the hook's, not createConnect()'s, which refuses options it does not know.
  const options: Record<string, unknown> = { ...latest.current };
  for (const name of CALLBACKS) delete options[name];
  // Only a function is wrapped: anything else goes as given, for createConnect() to refuse.
  if (typeof options.getToken === "function")
    options.getToken = (c: { signal: AbortSignal }) => latest.current.getToken!(c);
  const connect = createConnect(options as unknown as ConnectOptions);
  for (const name of CALLBACKS) {
    const event = name.slice(2).toLowerCase() as "close";
    connect.on(event, (value) => {
      record(event, value);
      (latest.current[name] as ((value: unknown) => void) | undefined)?.(value);
    });
  }
  return connect;
}

/**
 * Destroys `old` once `settled` (its `open()`s) has: after Connect closed an open() may
 * still be settling (a refusal's `error` event comes after `close`), and is still reported, while
 * the next `open()` already uses the new object.
 */
function destroyAfter(old: Connect | undefined, settled: Promise<unknown>): void {
  const destroy = () => old?.destroy();
  settled.then(destroy, destroy);
}

/**
 * What one `useHumanConnect()` or one `<human-connect>` renders from and calls. Owns its connect
 * object: made after mount (for the element: once in the document), made again when the options'
 * key changes (never while Connect loads or is open: the change waits for the next `open()`, even
 * one called from the `close` event), destroyed on unmount (and kept: a late `open()` rejects
 * `DESTROYED`, a remount makes a new one). `notMounted` is the error of an `open()` before the mount.
 */
export function createConnectStore(latest: Latest, notMounted: () => ConnectError): ConnectStore {
  let connect: Connect | undefined;
  let failure: ConnectError | undefined;
  let mounted: boolean | undefined; // undefined until the component mounts, false once it unmounted
  let key: string | undefined;
  let wanted = "";
  let result: SessionResult | undefined;
  let error: ConnectError | undefined;
  let last: Promise<unknown> = Promise.resolve(); // once all open()s so far settled (an ALREADY_OPEN one settles first)
  const listeners = new Set<() => void>();
  const notify = () => listeners.forEach((listener) => listener());
  const state = (): HumanConnectState => {
    const now = connect?.state;
    return now === "loading" || now === "open" ? now : "idle";
  };
  const sync = () => {
    if (!mounted || (key === wanted && (connect || failure)) || state() !== "idle") return;
    destroyAfter(connect, last);
    connect = failure = undefined;
    key = wanted;
    try {
      connect = createWired(latest, (event, value) => {
        if (event === "close") result = value as SessionResult;
        if (event === "error") error = value as ConnectError;
        notify();
      });
    } catch (caught) {
      failure = caught as ConnectError;
    }
    notify();
  };
  return {
    subscribe: (onChange) => (listeners.add(onChange), () => listeners.delete(onChange)),
    state,
    result: () => result,
    error: () => error,
    live(isMounted) {
      mounted = isMounted;
      if (isMounted) return sync();
      connect?.destroy();
      key = undefined;
    },
    want: (next) => ((wanted = next), sync()),
    actions: {
      open() {
        sync();
        error = mounted === false ? undefined : (failure ?? (connect ? undefined : notMounted()));
        if (error) latest.current.onError?.(error);
        const opened = connect && !error ? connect.open() : Promise.reject(error ?? failure);
        last = Promise.allSettled([last, opened]);
        notify();
        opened.catch(() => undefined);
        return opened;
      },
      prefetch: () => (sync(), connect ? connect.prefetch() : Promise.reject(failure ?? notMounted())),
      close: () => connect?.close(),
      clearToken: () => connect?.clearToken(),
    },
  };
}
