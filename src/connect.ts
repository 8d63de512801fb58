import { createEmitter } from "./emitter";
import { alreadyOpenError, ConnectError, destroyedError } from "./errors";
import { resolveOptions } from "./options";
import { emptyResult } from "./result";
import type { Engine } from "./engine";
import type { Connect, ConnectEvents, ConnectOptions, OpenOptions, SessionResult } from "./types";

/**
 * Settles once the window's `load` event has been dispatched. Checked when Connect is first used
 * (synchronously, before anything async can slip between `readyState` turning "complete" and
 * `load`): the vendor client, evaluated earlier, would have its own `load` listener warn about a
 * missing `.hapi__token-container` (its declarative integration, which we do not use).
 */
function pageLoaded(): Promise<void> {
  if (typeof document === "undefined") return Promise.resolve();
  const navigation = globalThis.performance?.getEntriesByType?.("navigation")[0] as PerformanceNavigationTiming | undefined;
  if (navigation ? navigation.loadEventStart > 0 : document.readyState === "complete") return Promise.resolve();
  return new Promise((resolve) => window.addEventListener("load", () => setTimeout(resolve), { once: true }));
}

function isAbortSignal(value: unknown): value is AbortSignal {
  const s = value as Partial<AbortSignal> | null;
  return typeof s === "object" && s !== null && typeof s.aborted === "boolean" && typeof s.addEventListener === "function";
}

/** The `signal` of valid `open()` options, or the error that refuses them. */
function signalOf(options: OpenOptions | undefined): AbortSignal | undefined | ConnectError {
  if (options !== undefined && (typeof options !== "object" || options === null)) {
    return new ConnectError("INVALID_OPTIONS", "open(): options must be an object such as { signal }.");
  }
  const signal = options?.signal;
  if (signal !== undefined && !isAbortSignal(signal)) {
    return new ConnectError("INVALID_OPTIONS", 'open(): option "signal" must be an AbortSignal.');
  }
  if (signal?.aborted) return new ConnectError("ABORTED", "open() was called with an aborted signal.", { cause: signal.reason });
  return signal;
}

/** An `open()` waiting for the session chunk: settled at once by close(), its signal or destroy(). */
interface Waiter {
  settle(outcome: { result: SessionResult } | { error: ConnectError }): void;
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
  let engine: Engine | undefined;
  let loading: Promise<Engine> | undefined;
  let waiter: Waiter | undefined;

  /** Every rejection of open() goes out through here: the one place that emits `error`. */
  const fail = (error: ConnectError): Promise<never> => {
    if (!destroyed()) events.emit("error", error);
    return Promise.reject(error);
  };

  // The engine is a separate chunk (loaded with the vendor client), so an app's initial bundle
  // holds only this facade, the option checks, the emitter and the error type.
  const load = (): Promise<Engine> => {
    if (loading) return loading;
    const loaded = pageLoaded();
    return (loading = import("./engine").then(
      (module) => {
        if (destroyed()) throw destroyedError();
        return (engine = module.createEngine(config, events, loaded));
      },
      (cause: unknown) => {
        loading = undefined;
        throw new ConnectError("CLIENT_LOAD_FAILED", "Could not load humanconnect-kit's session chunk: check the network and your bundler, then try again.", { cause });
      },
    ));
  };

  /** open() before the engine is there: waits for its chunk, unless close(), the signal or destroy() settles it first. */
  const openWhenLoaded = (signal: AbortSignal | undefined): Promise<SessionResult> =>
    new Promise((resolve, reject) => {
      const onAbort = () =>
        current.settle({ error: new ConnectError("ABORTED", "open() was aborted through its signal.", { cause: signal?.reason }) });
      const current: Waiter = {
        settle(outcome) {
          if (waiter !== current) return;
          waiter = undefined;
          signal?.removeEventListener("abort", onAbort);
          if ("error" in outcome) return reject(outcome.error);
          events.emit("close", outcome.result);
          resolve(outcome.result);
        },
      };
      waiter = current;
      signal?.addEventListener("abort", onAbort, { once: true });
      load().then(
        (loaded) => {
          if (waiter !== current) return;
          waiter = undefined;
          signal?.removeEventListener("abort", onAbort);
          loaded.open(signal).then(resolve, reject);
        },
        (error: ConnectError) => current.settle({ error }),
      );
    });

  const listen =
    (add: typeof events.on) =>
    <E extends keyof ConnectEvents>(event: E, listener: ConnectEvents[E]) => {
      if (typeof listener !== "function") {
        throw new ConnectError("INVALID_OPTIONS", `on("${String(event)}", listener): listener must be a function.`);
      }
      return add(event, listener);
    };

  return {
    open(openOptions?: OpenOptions): Promise<SessionResult> {
      if (destroyed()) return Promise.reject(destroyedError());
      const signal = signalOf(openOptions);
      if (signal instanceof ConnectError) return fail(signal);
      if (waiter) return fail(alreadyOpenError());
      return (engine ? engine.open(signal) : openWhenLoaded(signal)).catch(fail);
    },
    prefetch() {
      if (destroyed()) return Promise.reject(destroyedError());
      return new Promise<void>((resolve, reject) => {
        const onDestroy = () => reject(destroyedError());
        life.signal.addEventListener("abort", onDestroy, { once: true });
        load()
          .then((loaded) => loaded.prefetch())
          .then(resolve, (error: unknown) => reject(destroyed() ? destroyedError() : error))
          .finally(() => life.signal.removeEventListener("abort", onDestroy));
      });
    },
    close() {
      engine?.close();
      waiter?.settle({ result: emptyResult("CLOSED_BY_APP") });
    },
    clearToken() {
      engine?.clearToken();
    },
    destroy() {
      if (destroyed()) return;
      life.abort();
      events.clear();
      engine?.destroy();
      waiter?.settle({ error: destroyedError() });
    },
    on: listen(events.on),
    once: listen(events.once),
    off: events.off,
    get state() {
      return destroyed() ? "destroyed" : engine ? engine.state() : waiter ? "loading" : "idle";
    },
  };
}
