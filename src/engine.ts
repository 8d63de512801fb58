import type { Emitter } from "./emitter";
import type { HeadStart } from "./head-start";
import type { ResolvedOptions } from "./options";
import { openSession, type Session, type SessionContext } from "./session";
import { createTokenSource } from "./token";
import type { ConnectEvents, SessionResult } from "./types";
import { loadVendor } from "./vendor";

/** The session engine behind a connect object; loaded on the first `prefetch()` or `open()`. */
export interface Engine {
  /** Starts a session (the facade checked the options and that the object is not destroyed). */
  /** `focus`: where focus goes back after the close, when it was taken before the session started. */
  open(signal: AbortSignal | undefined, focus?: Element | null): Promise<SessionResult>;
  prefetch(): Promise<void>;
  close(): void;
  clearToken(): void;
  destroy(): void;
  state(): "idle" | "loading" | "open";
}

/**
 * The token source and the current session of one connect object. Lives in its own chunk, with
 * the session code, so that an app's initial bundle holds only the small facade.
 */
export function createEngine(config: ResolvedOptions, events: Emitter<ConnectEvents>, headStart?: HeadStart): Engine {
  const tokens = createTokenSource(config.tokenOrigin, config.refreshSkewSeconds, Date.now, headStart);
  const context: SessionContext = { config, events, tokens };
  let session: Session | undefined;

  return {
    open(signal, focus) {
      const started = openSession(context, signal, focus);
      if (started.phase !== "done") session = started;
      return started.done;
    },
    async prefetch() {
      await Promise.all([tokens.warm(), loadVendor()]);
    },
    close: () => session?.end("app"),
    clearToken: () => tokens.clear(),
    destroy() {
      tokens.abort();
      session?.end("destroy");
    },
    state() {
      const phase = session?.phase ?? "done";
      return phase === "done" ? "idle" : phase === "loading" ? "loading" : "open";
    },
  };
}
