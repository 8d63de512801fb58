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
  const started =
    origin.kind === "url"
      ? fetch(origin.url, { ...tokenRequestInit(origin.request), signal })
      : new Promise((resolve) => resolve(origin.getToken({ signal })));
  started.catch(() => undefined);
  return { started, controller };
}
