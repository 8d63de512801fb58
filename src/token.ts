import { ConnectError } from "./errors";
import { attempt, backoffMs, type Attempt } from "./http/attempt";
import { secondsFromNumberOrText } from "./http/seconds";
import { takeOver, tokenRequestInit, type FirstAttempt, type HeadStart } from "./head-start";
import type { TokenRequestOptions } from "./types";

/** Where tokens come from, after option validation. */
export type TokenOrigin =
  | { kind: "url"; url: string | URL; request: TokenRequestOptions }
  | { kind: "function"; getToken: (context: { signal: AbortSignal }) => unknown; timeoutMs?: number }
  | { kind: "fixed"; token: string };

/** The token source one connect object uses. */
export interface TokenSource {
  /** A token for one `open()`: the cached one while fresh, else a fetched one. */
  take(signal: AbortSignal): Promise<string>;
  /** Fetches a token into the cache unless a fresh one is there. */
  warm(): Promise<void>;
  /** Forgets the cached token (Connect said it is invalid or expired). */
  invalidate(): void;
  /** Forgets the cache and aborts the fetch in flight; a `take()` waiting for it asks again. */
  clear(): void;
  /** Aborts the fetch in flight and forgets the cache; a `take()` waiting for it rejects. */
  abort(): void;
}

/** A decoded token and when to stop reusing it (undefined: use for one open only). */
interface Entry {
  token: string;
  reuseUntil?: number;
  spent: boolean;
}

/** Why a flight ended when `clear()` ended it: its callers ask again instead of failing. */
const CLEARED = Symbol("cleared");

const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_RETRIES = 2;
const BACKOFF_BASE_MS = 250;
const MAX_TOKEN_LENGTH = 8192;

function tokenText(value: unknown): string | undefined {
  return typeof value === "string" && value.length > 0 && value.length <= MAX_TOKEN_LENGTH ? value : undefined;
}

/** A decoded token answer: the token, and its lifetime in seconds when the answer gave one. */
type Decoded = { token: string; expiresIn?: number };

/**
 * The one decoder for token answers (HTTP bodies and `getToken` results); never throws.
 * Accepts a string, or an object with `token` | `session_token` | `id_token` and
 * `expires_in` | `expiresIn` (seconds).
 */
export function decodeToken(value: unknown): { token: string; expiresIn?: number } | undefined {
  if (typeof value === "string") {
    const token = tokenText(value);
    return token === undefined ? undefined : { token };
  }
  if (typeof value !== "object" || value === null) return undefined;
  const body = value as Partial<Record<string, unknown>>;
  try {
    const token = tokenText(body.token) ?? tokenText(body.session_token) ?? tokenText(body.id_token);
    if (token === undefined) return undefined;
    const expiresIn = secondsFromNumberOrText(body.expires_in) ?? secondsFromNumberOrText(body.expiresIn);
    return expiresIn === undefined ? { token } : { token, expiresIn };
  } catch {
    return undefined;
  }
}

/** Decodes an HTTP body by its content type: JSON, or a bare `text/plain` token. */
function decodeBody(contentType: string, body: string): Decoded | undefined {
  if (/^text\/plain\b/i.test(contentType)) {
    const token = body.trim();
    return /\s/.test(token) ? undefined : decodeToken(token);
  }
  if (contentType !== "" && !/\bjson\b/i.test(contentType)) return undefined;
  try {
    return decodeToken(JSON.parse(body) as unknown);
  } catch {
    return undefined;
  }
}

function abortError(): ConnectError {
  return new ConnectError("ABORTED", "The token request was aborted.");
}

/**
 * Settles with `promise`, or rejects with ABORTED as soon as `signal` aborts (and then calls
 * `onAbort`).
 */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal, onAbort?: () => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const abort = () => {
      reject(abortError());
      onAbort?.();
    };
    if (signal.aborted) return abort();
    signal.addEventListener("abort", abort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener("abort", abort));
  });
}

function retryAfterMs(header: string | null, now: number): number | undefined {
  if (!header?.trim()) return undefined;
  const seconds = Number(header);
  const date = Date.parse(header);
  return seconds >= 0 ? seconds * 1000 : date ? Math.max(0, date - now) : undefined;
}

/** A TOKEN_FETCH_FAILED error; `message` says what happened and what to do. */
const failed = (message: string, cause: unknown, status?: number) =>
  new ConnectError("TOKEN_FETCH_FAILED", message, { status, cause });

/** What one answer from the token endpoint said: a decoded token (2xx), or a status to judge. */
type UrlAnswer = { status: number; decoded?: Decoded; retryAfter?: string | null };

/** Reads a 2xx body; a refusal's body is left unread (cancelled), only its Retry-After is kept. */
async function readAnswer(response: Response): Promise<UrlAnswer> {
  const status = response.status;
  if (!response.ok) {
    void response.body?.cancel().catch(() => undefined);
    return { status, retryAfter: response.headers.get("retry-after") };
  }
  return { status, decoded: decodeBody(response.headers.get("content-type") ?? "", await response.text()) };
}

/** Retries help only when the endpoint gave no answer (network error, timeout), a 5xx or a 429. */
const retryable = (status: number | undefined) => status === undefined || status === 429 || status >= 500;

/** The error for an attempt that brought no token; its `status` says whether a retry may help. */
function failure(result: Attempt<UrlAnswer>, timeoutMs: number): ConnectError {
  if (result.kind === "aborted") return abortError();
  if (result.kind === "timeout") {
    return failed(
      `Token endpoint did not answer within ${timeoutMs} ms, also after retries: check your backend, or raise tokenRequest.timeoutMs.`,
      new Error("timeout"),
    );
  }
  if (result.kind === "failed") {
    return failed(
      "Token endpoint could not be reached, also after retries: check tokenUrl, the network and CORS.",
      result.cause,
    );
  }
  const { status } = result.value;
  const ok = status >= 200 && status <= 299;
  const message = ok
    ? `answered HTTP ${status} without a token: answer JSON {"token": "...", "expires_in": 3600} or text/plain.`
    : retryable(status)
      ? `answered HTTP ${status}, also after retries: check your backend, then call open() again.`
      : `answered HTTP ${status}: check that the user is signed in, tokenUrl and tokenRequest.`;
  const cause = ok ? new TypeError("no token in the body") : new Error(`HTTP ${status}`);
  return failed(`Token endpoint ${message}`, cause, status);
}

/** POSTs to `url`: a timeout per attempt, retries (backoff with jitter, or Retry-After) only on network errors, timeouts, 5xx and 429. */
async function fetchFromUrl(
  url: string | URL,
  request: TokenRequestOptions,
  signal: AbortSignal,
  now: () => number,
  first: FirstAttempt,
): Promise<Decoded> {
  const timeoutMs = request.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const init = tokenRequestInit(request);
  const post = async (inner: AbortSignal) =>
    readAnswer((await first.run(inner, () => fetch(url, { ...init, signal: inner }))) as Response);
  for (let retried = 0; ; retried++) {
    const result = await attemptWithin(post, first, timeoutMs, signal);
    const answer = result.kind === "answer" ? result.value : undefined;
    if (answer?.decoded) return answer.decoded;
    const error = failure(result, timeoutMs);
    if (error.code === "ABORTED" || !retryable(error.status) || retried >= (request.retries ?? DEFAULT_RETRIES))
      throw error;
    const wait = retryAfterMs(answer?.retryAfter ?? null, now()) ?? backoffMs(retried, BACKOFF_BASE_MS);
    await untilAborted(new Promise((resolve) => setTimeout(resolve, Math.min(wait, timeoutMs))), signal);
  }
}

/** One attempt within `first.limit(timeoutMs)`; a head start that used up its time counts as a timeout. */
function attemptWithin<T>(
  work: (signal: AbortSignal) => Promise<T> | T,
  first: FirstAttempt,
  timeoutMs: number,
  signal: AbortSignal,
): Promise<Attempt<T>> {
  const limit = first.limit(timeoutMs);
  if (limit > 0) return attempt(work, { timeoutMs: limit, signal });
  first.discard();
  return Promise.resolve({ kind: "timeout" });
}

/** Calls `getToken`, abandoning it at `timeoutMs` (its signal aborts then) even if it ignores the signal. */
async function fetchFromFunction(
  getToken: (context: { signal: AbortSignal }) => unknown,
  timeoutMs: number,
  signal: AbortSignal,
  first: FirstAttempt,
): Promise<Decoded> {
  const result = await attemptWithin(
    (inner) => first.run(inner, () => getToken({ signal: inner })),
    first,
    timeoutMs,
    signal,
  );
  if (result.kind === "aborted") throw abortError();
  if (result.kind === "timeout") {
    throw failed(
      `getToken() did not answer within ${timeoutMs} ms: answer sooner, or raise tokenRequest.timeoutMs.`,
      new Error("timeout"),
    );
  }
  if (result.kind === "failed") {
    if (result.cause instanceof ConnectError) throw result.cause;
    throw failed("getToken() failed: see cause, then call open() again.", result.cause);
  }
  const decoded = decodeToken(result.value);
  if (!decoded) {
    throw failed(
      "getToken() returned no token: return a string or { token, expires_in }.",
      new TypeError(`getToken() returned ${result.value === null ? "null" : typeof result.value}`),
    );
  }
  return decoded;
}

/** The shared request; `waiters` counts callers with a signal, `kept` is set by callers without one. */
type Flight = { promise: Promise<Entry>; controller: AbortController; waiters: number; kept: boolean };

/** The state of a token source that fetches: one cached entry and at most one shared request (flight). */
interface Cache {
  cached?: Entry;
  flight?: Flight;
  readonly fetchToken: (signal: AbortSignal) => Promise<Decoded>;
  readonly skewSeconds: number;
  readonly now: () => number;
}

// Module functions over a Cache rather than a class: a minifier shortens their names, never methods.

async function take(cache: Cache, signal: AbortSignal): Promise<string> {
  for (;;) {
    let found: Entry;
    try {
      found = await entry(cache, signal);
    } catch (error) {
      // clear() ended the flight this caller waited on: ask again, for whoever is signed in now.
      if (error === CLEARED && !signal.aborted) continue;
      throw error;
    }
    if (found.reuseUntil !== undefined) return found.token;
    if (!found.spent) {
      found.spent = true;
      if (cache.cached === found) cache.cached = undefined;
      return found.token;
    }
  }
}

async function warm(cache: Cache): Promise<void> {
  for (;;) {
    try {
      return void (await entry(cache));
    } catch (error) {
      if (error !== CLEARED) throw error;
    }
  }
}

/**
 * A usable entry: the cache, the shared flight, or a new flight. A caller whose `signal` aborts
 * leaves the flight at once; the last one to leave ends it, so a new caller never joins a
 * flight that is being aborted.
 */
function entry(cache: Cache, signal?: AbortSignal): Promise<Entry> {
  if (usable(cache, cache.cached)) return Promise.resolve(cache.cached);
  cache.cached = undefined;
  const current = cache.flight ?? startFlight(cache);
  if (!signal) {
    current.kept = true;
    return current.promise;
  }
  current.waiters += 1;
  return untilAborted(current.promise, signal, () => {
    if (--current.waiters === 0 && !current.kept) drop(cache, current);
  });
}

function startFlight(cache: Cache): Flight {
  const controller = new AbortController();
  const current: Flight = {
    controller,
    waiters: 0,
    kept: false,
    promise: untilAborted(cache.fetchToken(controller.signal), controller.signal).then(
      ({ token, expiresIn }) => {
        const found: Entry = { token, spent: false };
        if (expiresIn !== undefined) found.reuseUntil = cache.now() + (expiresIn - cache.skewSeconds) * 1000;
        if (cache.flight === current) {
          cache.flight = undefined;
          cache.cached = found;
        }
        return found;
      },
      (error: unknown) => {
        if (cache.flight === current) cache.flight = undefined;
        throw controller.signal.reason === CLEARED ? CLEARED : error;
      },
    ),
  };
  cache.flight = current;
  return current;
}

function usable(cache: Cache, found: Entry | undefined): found is Entry {
  return found !== undefined && (found.reuseUntil === undefined ? !found.spent : cache.now() < found.reuseUntil);
}

/** Ends a flight for everyone, at once: no later caller can join it. */
function drop(cache: Cache, dropped: Flight | undefined, reason?: unknown): void {
  if (cache.flight === dropped) cache.flight = undefined;
  dropped?.controller.abort(reason);
}

/**
 * Creates the token source: a cache (reused until `expires_in` minus `skewSeconds`; a token of
 * unknown lifetime serves one open), one shared request for concurrent callers, a timeout per
 * attempt, bounded retries with backoff and jitter, and abort. `now` is the clock (tests set it).
 */
export function createTokenSource(
  origin: TokenOrigin,
  skewSeconds: number,
  now: () => number = Date.now,
  headStart?: HeadStart,
): TokenSource {
  if (origin.kind === "fixed") {
    return {
      take: (signal) => (signal.aborted ? Promise.reject(abortError()) : Promise.resolve(origin.token)),
      warm: () => Promise.resolve(),
      invalidate() {},
      clear() {},
      abort() {},
    };
  }
  const first = takeOver(headStart);
  const fetchToken = (signal: AbortSignal) =>
    origin.kind === "url"
      ? fetchFromUrl(origin.url, origin.request, signal, now, first)
      : fetchFromFunction(origin.getToken, origin.timeoutMs ?? DEFAULT_TIMEOUT_MS, signal, first);
  const cache: Cache = { fetchToken, skewSeconds, now };
  // A head start becomes the shared request at once: clear() and abort() reach it, and a token it
  // brings is cached from when it came (even if no open() ever asks for it).
  // Nobody may be waiting on it yet: its failure is reported to whoever joins it.
  if (headStart) startFlight(cache).promise.catch(() => undefined);
  return {
    take: (signal) => take(cache, signal),
    warm: () => warm(cache),
    invalidate() {
      cache.cached = undefined;
    },
    clear() {
      cache.cached = undefined;
      drop(cache, cache.flight, CLEARED);
    },
    abort() {
      cache.cached = undefined;
      drop(cache, cache.flight);
    },
  };
}
