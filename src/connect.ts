import { createEmitter, type Emitter } from "./emitter";
import { alreadyOpenError, ConnectError, destroyedError } from "./errors";
import { lazyEngine } from "./lazy-engine";
import { resolveOptions } from "./options";
import { prefetchOn } from "./prefetch-on";
import { emptyResult } from "./result";
import type { Connect, ConnectEvents, ConnectOptions, OpenOptions, SessionResult } from "./types";
import { createWaiting } from "./waiting";

/** Runs `work` unless `life` is aborted; rejects DESTROYED at once when it is, or when it aborts first. */
function untilDestroyed<T>(life: AbortSignal, work: () => Promise<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onDestroy = () => reject(destroyedError());
    if (life.aborted) return onDestroy();
    life.addEventListener("abort", onDestroy, { once: true });
    work()
      .then(resolve, (error: unknown) => reject(life.aborted ? destroyedError() : error))
      .finally(() => life.removeEventListener("abort", onDestroy));
  });
}

/** `on` or `once` that refuse, at once, a listener that is not a function. */
const checked =
  (add: Emitter<ConnectEvents>["on"]) =>
  <E extends keyof ConnectEvents>(event: E, listener: ConnectEvents[E]) => {
    if (typeof listener !== "function") {
      throw new ConnectError("INVALID_OPTIONS", `on("${String(event)}", listener): listener must be a function.`);
    }
    return add(event, listener);
  };

/** The `signal` of valid `open()` options, or the error that refuses them. */
function signalOf(options: OpenOptions | undefined): AbortSignal | undefined | ConnectError {
  const signal = (options as OpenOptions | null | undefined)?.signal;
  // A duck-typed check: an AbortSignal from another realm (an iframe) is fine too.
  if (
    (options !== undefined &&
      (typeof options !== "object" || !options || Object.keys(options).some((key) => key !== "signal"))) ||
    (signal !== undefined && typeof signal?.addEventListener !== "function")
  ) {
    return new ConnectError("INVALID_OPTIONS", "open(): give no options, or { signal } with an AbortSignal.");
  }
  if (signal?.aborted)
    return new ConnectError("ABORTED", "open() was aborted through its signal.", { cause: signal.reason });
  return signal;
}

/**
 * Creates a connect object: fetches Connect tokens from your backend, opens Human API Connect
 * through the vendor client, lets only the Connect iframe's messages reach it, and turns them
 * into typed results and events. Importing and creating touch no browser global (SSR-safe);
 * the session code and the vendor client load on the first `prefetch()` or `open()`.
 *
 * @throws {ConnectError} `INVALID_OPTIONS` at once, naming the option, when options are wrong.
 * @example
 * ```ts
 * const connect = createConnect({ tokenUrl: "/api/connect-token" });
 * connect.on("connect", (change) => console.log(change.connectedSources));
 * button.onclick = async () => {
 *   try { show((await connect.open()).currentConnections); }
 *   catch (e) { if (isConnectError(e)) show(e.code); }
 * };
 * ```
 */
export function createConnect(options: ConnectOptions): Connect {
  const config = resolveOptions(options);
  const events = createEmitter<ConnectEvents>();
  /** Aborted by destroy(): the one place that knows the object is destroyed. */
  const life = new AbortController();
  const destroyed = () => life.signal.aborted;
  const engine = lazyEngine(config, events, destroyed);
  // An open() given up before the session chunk came takes the token request it started along,
  // unless a prefetch() wants it too.
  const waiting = createWaiting(events, () => engine.dropHeadStart());

  /** Every rejection of open() goes out through here: the one place that emits `error`. */
  const fail = (error: ConnectError): Promise<never> => {
    if (!destroyed()) events.emit("error", error);
    return Promise.reject(error);
  };

  const destroy = () => {
    if (destroyed()) return;
    life.abort();
    engine.dropHeadStart(true);
    events.clear();
    engine.current?.destroy();
    waiting.settle({ error: destroyedError() });
  };

  const prefetch = () => untilDestroyed(life.signal, () => engine.load(true).then((loaded) => loaded.prefetch()));

  return {
    open(openOptions?: OpenOptions): Promise<SessionResult> {
      if (destroyed()) return Promise.reject(destroyedError());
      const signal = signalOf(openOptions);
      if (signal instanceof ConnectError) return fail(signal);
      if (waiting.active) return fail(alreadyOpenError());
      return (engine.current?.open(signal) ?? waiting.open(engine.load(), signal)).catch(fail);
    },
    prefetch,
    prefetchOn(element: Element) {
      if (destroyed()) throw destroyedError();
      return prefetchOn(element, prefetch, life.signal);
    },
    close() {
      engine.current?.close();
      waiting.settle({ result: emptyResult("CLOSED_BY_APP") });
    },
    clearToken() {
      engine.dropHeadStart(true);
      engine.current?.clearToken();
    },
    destroy,
    on: checked(events.on),
    once: checked(events.once),
    off: events.off,
    get state() {
      return destroyed() ? "destroyed" : (engine.current?.state() ?? (waiting.active ? "loading" : "idle"));
    },
    // For `using`: where the runtime lacks the symbol, code compiled by esbuild or Babel looks up this one.
    [(Symbol.dispose ?? Symbol.for("Symbol.dispose")) as typeof Symbol.dispose]: destroy,
  };
}
