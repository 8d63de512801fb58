import { createEmitter } from "./emitter";
import { ConnectError, destroyedError } from "./errors";
import { resolveOptions } from "./options";
import type { Engine } from "./session";
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
  let engine: Engine | undefined;
  let loading: Promise<Engine> | undefined;
  /** open() calls waiting for the engine; close() asked meanwhile; destroyed. */
  let waiting = 0;
  let closeAsked = false;
  let destroyed = false;

  // The engine is a separate chunk (loaded with the vendor client), so an app's initial bundle
  // holds only this facade, the option checks, the emitter and the error type.
  const load = (): Promise<Engine> => {
    if (loading) return loading;
    const loaded = pageLoaded();
    return (loading = import("./session").then(
      (module) => (engine = module.createEngine(config, events, loaded)),
      (cause: unknown) => {
        loading = undefined;
        throw new ConnectError("CLIENT_LOAD_FAILED", "Could not load humanconnect-kit's session chunk: check the network and your bundler, then try again.", { cause });
      },
    ));
  };

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
      if (engine) return engine.open(openOptions);
      const error = destroyed && destroyedError();
      if (error) {
        events.emit("error", error);
        return Promise.reject(error);
      }
      waiting++;
      return load().then(
        (loaded) => {
          waiting--;
          if (destroyed) throw destroyedError();
          const result = loaded.open(openOptions);
          if (closeAsked) {
            closeAsked = false;
            loaded.close();
          }
          return result;
        },
        (failure: ConnectError) => {
          waiting--;
          events.emit("error", failure);
          throw failure;
        },
      );
    },
    prefetch: () =>
      destroyed
        ? Promise.reject(destroyedError())
        : load().then((loaded) => (destroyed ? Promise.reject(destroyedError()) : loaded.prefetch())),
    close() {
      if (engine) engine.close();
      else closeAsked = waiting > 0;
    },
    destroy() {
      if (destroyed) return;
      destroyed = true;
      events.clear();
      engine?.destroy();
    },
    on: listen(events.on),
    once: listen(events.once),
    off: events.off,
    get state() {
      return destroyed ? "destroyed" : engine ? engine.state() : waiting ? "loading" : "idle";
    },
  };
}
