import type { Emitter } from "./emitter";
import type { Engine } from "./engine";
import { ConnectError, destroyedError } from "./errors";
import type { ResolvedOptions } from "./options";
import { startToken, type HeadStart } from "./head-start";
import type { ConnectEvents } from "./types";

/** One connect object's engine, loaded on first use. */
export interface LazyEngine {
  /** The engine, once its chunk has loaded. */
  readonly current: Engine | undefined;
  /**
   * Loads the engine chunk (once; a failed load is forgotten, so the next call tries again).
   * `keep`: a prefetch() wants the token request started with it, whoever else gives up.
   */
  load(keep?: boolean): Promise<Engine>;
  /** Aborts and forgets the token request started with the load, if no engine has taken it yet; `force` even if kept. */
  dropHeadStart(force?: boolean): void;
}

/**
 * The engine is a separate chunk (loaded with the vendor client), so an app's initial bundle holds
 * only the facade, the option checks, the emitter and the error type. No engine is created once
 * `destroyed()` says so, even when its chunk arrives later.
 */
export function lazyEngine(
  config: ResolvedOptions,
  events: Emitter<ConnectEvents>,
  destroyed: () => boolean,
): LazyEngine {
  let current: Engine | undefined;
  let loading: Promise<Engine> | undefined;
  let headStart: HeadStart | undefined;
  let kept = false;
  const dropHeadStart = (force = false) => {
    if (kept && !force) return;
    headStart?.controller.abort();
    headStart = undefined;
  };
  return {
    get current() {
      return current;
    },
    load(keep = false) {
      kept ||= keep;
      if (loading) return loading;
      // The token is asked for now, beside the session chunk (which holds the vendor's code): no waterfall.
      headStart = startToken(config.tokenOrigin);
      return (loading = import("./engine").then(
        (module) => {
          if (destroyed()) throw destroyedError();
          const taken = headStart;
          headStart = undefined;
          return (current = module.createEngine(config, events, taken));
        },
        (cause: unknown) => {
          loading = undefined;
          dropHeadStart();
          throw new ConnectError(
            "CLIENT_LOAD_FAILED",
            "Could not load humanconnect-kit's session chunk: check the network and your bundler, then try again.",
            { cause },
          );
        },
      ));
    },
    dropHeadStart,
  };
}
