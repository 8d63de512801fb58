import type { Emitter } from "./emitter";
import type { Engine } from "./engine";
import { ConnectError } from "./errors";
import type { ConnectEvents, SessionResult } from "./types";

type Outcome = { result: SessionResult } | { error: ConnectError };

/**
 * The one `open()` of a connect object that waits for the engine chunk. `close()`, its signal and
 * `destroy()` settle it at once, whatever is still on its way; once the engine is there, the
 * session takes over.
 */
export function createWaiting(events: Emitter<ConnectEvents>, onGivenUp: () => void) {
  let settleCurrent: ((outcome: Outcome) => void) | undefined;

  return {
    get active(): boolean {
      return settleCurrent !== undefined;
    },
    /** Settles the waiting `open()`, if any: a result is also emitted as `close`. */
    settle(outcome: Outcome): void {
      settleCurrent?.(outcome);
    },
    open(engine: Promise<Engine>, signal: AbortSignal | undefined): Promise<SessionResult> {
      // Where focus goes back after the close, as it is now: once the chunk is here the app may
      // have disabled its button (React re-rendered), and the browser moved focus off it.
      const focus = globalThis.document?.activeElement;
      return new Promise((resolve, reject) => {
        const leave = () => {
          if (settleCurrent !== settle) return false;
          settleCurrent = undefined;
          signal?.removeEventListener("abort", onAbort);
          return true;
        };
        const settle = (outcome: Outcome) => {
          if (!leave()) return;
          onGivenUp();
          if ("error" in outcome) return reject(outcome.error);
          events.emit("close", outcome.result);
          resolve(outcome.result);
        };
        const onAbort = () =>
          settle({
            error: new ConnectError("ABORTED", "open() was aborted through its signal.", { cause: signal?.reason }),
          });
        settleCurrent = settle;
        signal?.addEventListener("abort", onAbort); // leave() removes it
        engine.then(
          (loaded) => {
            if (leave()) loaded.open(signal, focus).then(resolve, reject);
          },
          (error: ConnectError) => settle({ error }),
        );
      });
    },
  };
}
