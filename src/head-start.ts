import type { TokenOrigin } from "./token";
import type { TokenRequestOptions } from "./types";

/** The POST to `tokenUrl`, as every attempt sends it (the signal aside). */
export function tokenRequestInit(request: TokenRequestOptions): RequestInit {
  const headers: Record<string, string> = { ...request.headers, Accept: "application/json" };
  if (request.body !== undefined) headers["Content-Type"] = "application/json";
  return {
    method: "POST",
    headers,
    body: request.body === undefined ? undefined : JSON.stringify(request.body),
    credentials: request.credentials ?? "same-origin",
  };
}

/**
 * A token request started before the token source exists: the `fetch` of `tokenUrl` (its
 * `Response`) or the call of `getToken` (its value). The token source's first attempt takes it
 * over; its abort signal then aborts it.
 */
export interface HeadStart {
  readonly started: Promise<unknown>;
  readonly controller: AbortController;
  /** When it started (`Date.now()`): the first attempt has what is left of the time limit. */
  readonly startedAt: number;
}

/**
 * Starts the first token request now, at the first `open()` or `prefetch()`, beside the session
 * and vendor chunks, instead of after them (no waterfall). Its failure is reported by the attempt
 * that takes it over.
 */
export function startToken(origin: TokenOrigin): HeadStart | undefined {
  if (origin.kind === "fixed") return undefined;
  const controller = new AbortController();
  const { signal } = controller;
  // A fetch or getToken that throws at once (say, no fetch in this environment) rejects instead.
  const started = new Promise((resolve) =>
    resolve(
      origin.kind === "url"
        ? fetch(origin.url, { ...tokenRequestInit(origin.request), signal })
        : origin.getToken({ signal }),
    ),
  );
  started.catch(() => undefined);
  return { started, controller, startedAt: Date.now() };
}

/** The first attempt's use of a head start (src/head-start.ts), if there is one. */
export interface FirstAttempt {
  /** The time the next attempt has: `timeoutMs`, less what a head start not yet taken has used. */
  limit(timeoutMs: number): number;
  /** The head start's promise for the first attempt that asks (its abort then aborts it), else `start()`. */
  run(signal: AbortSignal, start: () => unknown): unknown;
  /** Gives up a head start that used up its time: the next attempt starts its own request. */
  discard(): void;
}

/** Hands `headStart` to the first attempt only: every later attempt starts its own request. */
export function takeOver(headStart: HeadStart | undefined): FirstAttempt {
  let left = headStart;
  return {
    limit: (timeoutMs) => (left ? timeoutMs - (Date.now() - left.startedAt) : timeoutMs),
    run(signal, start) {
      const taken = left;
      left = undefined;
      if (!taken) return start();
      if (signal.aborted) taken.controller.abort();
      else signal.addEventListener("abort", () => taken.controller.abort(), { once: true });
      return taken.started;
    },
    discard() {
      left?.controller.abort();
      left = undefined;
    },
  };
}
