import { ConnectError, createConnect, type Connect, type ConnectOptions, type SessionResult } from "../index";
import type { HumanConnectState, UseHumanConnect, UseHumanConnectOptions } from "./types";

/** The hook's callbacks, written once: each listens to the connect event its name ends with (`onOpen`: `open`). */
const CALLBACKS = ["onOpen", "onConnect", "onDisconnect", "onClose", "onError"] as const;

const notMounted = () =>
  new ConnectError("DESTROYED", "useHumanConnect: open() before mount: call it from an event handler or an effect.");

type Latest = { current: UseHumanConnectOptions };

/** The connect object of one mounted component, and what it tells React. */
export interface ConnectStore extends Pick<UseHumanConnect, "open" | "prefetch" | "close"> {
  subscribe(onChange: () => void): () => void;
  /** Read from the connect object each time: the source of truth. */
  state(): HumanConnectState;
  result(): SessionResult | undefined;
  error(): ConnectError | undefined;
  /** The component mounted (`true`) or unmounted (`false`): unmounting destroys the object. */
  live(mounted: boolean): void;
  /** The options' key changed: a new object now, or once the open session has ended. */
  want(key: string): void;
}

/**
 * A connect object made from the latest options, whose `getToken` and callbacks are the latest
 * ones at each call; `record` hears each event before the callback runs.
 */
function createWired(latest: Latest, record: (event: string, value: unknown) => void): Connect {
  const { getToken, ...rest } = latest.current;
  const options = getToken ? { ...rest, getToken: (c: { signal: AbortSignal }) => latest.current.getToken!(c) } : rest;
  const connect = createConnect(options as ConnectOptions);
  for (const name of CALLBACKS) {
    const event = name.slice(2).toLowerCase() as "close";
    connect.on(event, (value) => {
      record(event, value);
      (latest.current[name] as ((value: unknown) => void) | undefined)?.(value);
    });
  }
  return connect;
}

const stateOf = (connect: Connect | undefined): HumanConnectState => {
  const now = connect?.state;
  return now === "loading" || now === "open" ? now : "idle";
};

/**
 * What one `useHumanConnect()` renders from and calls. Owns the component's connect object: made
 * after mount, made again when the options' key changes (never under an open Connect: the change
 * waits for the next `open()`), destroyed on unmount (and kept: a late `open()` rejects
 * `DESTROYED`, a remount makes a new one).
 */
export function createConnectStore(latest: Latest): ConnectStore {
  let connect: Connect | undefined;
  let failure: ConnectError | undefined;
  let mounted = false;
  let key: string | undefined;
  let wanted = "";
  let result: SessionResult | undefined;
  let error: ConnectError | undefined;
  const listeners = new Set<() => void>();
  const notify = () => listeners.forEach((listener) => listener());
  const state = () => stateOf(connect);
  const sync = () => {
    if (!mounted || (key === wanted && (connect || failure)) || state() !== "idle") return;
    connect?.destroy();
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
  // Options createConnect() refused are reported where the app acts, as open()'s own failures are.
  const refused = () => {
    if (mounted && failure) {
      error = failure;
      latest.current.onError?.(failure);
    }
    return failure ?? notMounted();
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
    open() {
      sync();
      error = undefined;
      const opened = connect ? connect.open() : Promise.reject(refused());
      notify();
      opened.catch(() => undefined); // In `error` and onError: no unhandled rejection for who does not catch.
      return opened;
    },
    prefetch: () => (sync(), connect ? connect.prefetch() : Promise.reject(failure ?? notMounted())),
    close: () => connect?.close(),
  };
}
