import type { ConnectError } from "./errors";
import type { TokenRefusal } from "./refusals";

// Declared as TypeScript's lib "esnext.disposable" and @types/node declare it (the same
// declaration merges), so Connect's type compiles in apps whose lib predates `using`.
declare global {
  interface SymbolConstructor {
    readonly dispose: unique symbol;
  }
}

/** A health-data source (a provider account the user connected), as Connect reports it. */
export interface Source {
  /** Human API's id of the source, e.g. `"5b1daf3f079c652eaf41fd23"` (24 hex digits). */
  id: string;
  /** Display name, e.g. `"Starfleet Pharmacy"`. */
  name: string;
}

/** A provider the user asked for but could not find (select mode), as Connect reports it. */
export interface RequestedProvider {
  /** The physician's name. */
  physician?: string;
  /** The health system or practice. */
  healthSystem?: string;
  /** A postal address. */
  address?: string;
  /** The provider's website. */
  website?: string;
  /** Where the provider is. */
  location?: { latitude: number; longitude: number };
}

/**
 * The status of a session or change. Connect's own values are listed; any other string
 * Connect sends is kept as given.
 *
 * - `SUCCESS`: the user closed Connect normally.
 * - `CONNECTED_SOURCE` / `DISCONNECTED_SOURCE`: on `connect` / `disconnect` events.
 * - `SESSION_TOKEN_INVALID`, `SESSION_TOKEN_EXPIRED`, `MISSING_SESSION_TOKEN`: Connect refused the token.
 * - `CLOSED_BY_APP`: your app called `close()` (or `destroy()`).
 */
export type SessionStatus =
  "SUCCESS" | "CONNECTED_SOURCE" | "DISCONNECTED_SOURCE" | TokenRefusal | "CLOSED_BY_APP" | (string & {});

/** What a Connect session did, normalized: every list is always an array of typed objects. */
export interface SessionResult {
  /** How the session (or change) ended; see {@link SessionStatus}. */
  status: SessionStatus;
  /** Sources connected during this session. */
  connectedSources: Source[];
  /** Sources disconnected during this session. */
  disconnectedSources: Source[];
  /** Providers requested during this session (select mode). */
  requestedSources: RequestedProvider[];
  /** Every source connected now, earlier sessions included. */
  currentConnections: Source[];
  /** Providers requested, as Connect lists them at the top level. */
  requestedProviders: RequestedProvider[];
  /** A copy of the payload as it arrived (plain data, at most 10,000 values, the deepest parts cut first): kept for debugging, never trusted. */
  raw: unknown;
}

/** The payload of `connect` and `disconnect` events. */
export interface SourceChange extends SessionResult {
  status: "CONNECTED_SOURCE" | "DISCONNECTED_SOURCE";
}

/** The payload of the `open` event. */
export interface OpenEvent {
  /** The Connect iframe (`#human-api`) the vendor client mounted. */
  iframe: HTMLIFrameElement;
}

/** Every event a connect object emits, and its listener's signature. */
export interface ConnectEvents {
  /** Connect was mounted in the page. */
  open: (event: OpenEvent) => void;
  /** The user connected a source. */
  connect: (change: SourceChange) => void;
  /** The user disconnected a source. */
  disconnect: (change: SourceChange) => void;
  /** Connect closed (also for abnormal closes and `close()`); carries the final result. */
  close: (result: SessionResult) => void;
  /** `open()` rejected; carries the same error. */
  error: (error: ConnectError) => void;
}

/** The name of an event in {@link ConnectEvents}. */
export type ConnectEventName = keyof ConnectEvents;

/** A Connect token and how long it stays valid. */
export interface TokenResponse {
  /** The session or id token, as your backend got it from Human API. */
  token: string;
  /** Seconds until the token expires. Without it the token is used for one `open()` only. */
  expires_in?: number;
}

/** Options for the HTTP request to `tokenUrl`. */
export interface TokenRequestOptions {
  /**
   * Extra request headers (e.g. a CSRF header), as a plain object. Names of letters, digits and
   * hyphens; values one line of Latin-1 text (else `INVALID_OPTIONS` at `createConnect()`, naming
   * the header). `Accept: application/json` is always sent.
   * @example { "X-CSRF-Token": csrfToken }
   */
  headers?: Record<string, string>;
  /** A JSON-serializable body; sent as `application/json`. No body is sent when absent. */
  body?: unknown;
  /**
   * Whether cookies go with the request.
   * @default "same-origin"
   */
  credentials?: "omit" | "same-origin" | "include";
  /**
   * Time limit for one attempt, in milliseconds; with `getToken`, for one call of it (abandoned at
   * the limit, its signal aborted, even if it ignores the signal).
   * @default 10000
   */
  timeoutMs?: number;
  /**
   * Retries after the first attempt, only on network errors, timeouts, HTTP 5xx and 429.
   * @default 2
   */
  retries?: number;
}

/**
 * The vendor client's own options, passed to Connect as they are (same names). This interface and
 * the option rules in `src/options.ts` are checked against each other by the compiler.
 */
export interface ConnectPassThroughOptions {
  /**
   * Connect's mode.
   * @default "auth"
   */
  mode?: "auth" | "select";
  /** Your Human API client id (select mode). */
  clientId?: string;
  /** Preseed Connect (select mode). */
  preseed?: boolean;
  /**
   * Sources to preseed (select mode). JSON with Latin-1 text only, since the vendor client encodes
   * it with `btoa` (else `INVALID_OPTIONS` at `createConnect()`); Connect gets a copy taken then.
   * @example ["5b1daf3f079c652eaf41fd23"]
   */
  preseededSources?: unknown[];
  /** A segment name configured in the Human API portal. */
  segment?: string;
  /** Provider ids to show first, comma-separated or as an array (an array entry may not contain a comma). */
  pinnedProviders?: string | string[];
  /** A portal invite session id (`pisId`). */
  inviteSessionId?: string;
  /** A Connect configuration name. */
  config?: string;
  /**
   * Opacity of the overlay behind Connect, 0 to 1.
   * @default 0.6
   */
  overlayOpacity?: number;
  /**
   * Trap keyboard focus inside Connect while it is open. The vendor client then focuses the
   * frame from a 200 ms timer after it loads; a Connect closed before that timer runs makes it
   * throw an uncaught (harmless) TypeError in the console (see README).
   * @default false
   */
  enableFocusTrap?: boolean;
}

/** Options shared by every token source. */
export interface ConnectCommonOptions extends ConnectPassThroughOptions {
  /**
   * Where the Connect app is served, with no user name or password; its origin is the only one
   * whose messages reach Connect.
   * @default "https://hapi-connect.humanapi.co"
   */
  baseUrl?: string | URL;
  /**
   * A cached token is reused until this many seconds before it expires.
   * @default 60
   */
  refreshSkewSeconds?: number;
}

/** Options for {@link createConnect} with `tokenUrl`. */
export interface TokenUrlOptions extends ConnectCommonOptions {
  /**
   * Your backend's endpoint that answers a Connect token (`POST`): an http(s) URL, absolute or
   * relative to the page, with no user name or password.
   * @example "/api/connect-token"
   */
  tokenUrl: string | URL;
  /** How to call `tokenUrl`. */
  tokenRequest?: TokenRequestOptions;
  getToken?: never;
  token?: never;
}

/** Options for {@link createConnect} with `getToken`. */
export interface GetTokenOptions extends ConnectCommonOptions {
  /**
   * Returns a Connect token, as a string or `{ token, expires_in? }`. Honour `signal`: it aborts
   * when the caller gives up or at `tokenRequest.timeoutMs`.
   */
  getToken: (context: { signal: AbortSignal }) => Promise<string | TokenResponse> | string | TokenResponse;
  /** Only `timeoutMs` applies to `getToken`. */
  tokenRequest?: Pick<TokenRequestOptions, "timeoutMs">;
  tokenUrl?: never;
  token?: never;
}

/** Options for {@link createConnect} with a fixed `token`. */
export interface FixedTokenOptions extends ConnectCommonOptions {
  /** A fixed Connect token, passed to Connect as given on every `open()`. */
  token: string;
  tokenUrl?: never;
  tokenRequest?: never;
  getToken?: never;
}

/** Options for {@link createConnect}: exactly one of `tokenUrl`, `getToken` or `token`. */
export type ConnectOptions = TokenUrlOptions | GetTokenOptions | FixedTokenOptions;

/** Options for one `open()` call. */
export interface OpenOptions {
  /** Aborting it closes Connect (or stops loading it) and rejects `open()` with `ABORTED`. */
  signal?: AbortSignal;
}

/** Where a connect object is in its life. */
export type ConnectState = "idle" | "loading" | "open" | "destroyed";

/** What {@link createConnect} returns. */
export interface Connect {
  /**
   * Gets a token (or reuses a cached one), loads the vendor client, opens Connect and
   * resolves when it closes. Rejects with a {@link ConnectError}.
   */
  open(options?: OpenOptions): Promise<SessionResult>;
  /** Warms the token and the vendor client before the click. Rejects with a {@link ConnectError}. */
  prefetch(): Promise<void>;
  /**
   * Calls `prefetch()` on the `pointerenter`, `focus` and `pointerdown` of `element` (the press
   * comes 50 to 150 ms before its click), so the click finds the token and the code there. A
   * failure is silent: the next `open()` tries again and reports it. `destroy()` removes the
   * listeners too.
   *
   * @returns the function that removes the listeners.
   * @throws {ConnectError} `INVALID_OPTIONS` at once when `element` is not a DOM element; `DESTROYED` after `destroy()`.
   * @example
   * ```ts
   * const stop = connect.prefetchOn(button);
   * button.addEventListener("click", () => connect.open());
   * ```
   */
  prefetchOn(element: Element): () => void;
  /** Closes Connect from the app; the pending `open()` resolves with status `CLOSED_BY_APP`. */
  close(): void;
  /** Closes Connect, aborts any fetch, removes every listener; later calls reject with `DESTROYED`. */
  destroy(): void;
  /**
   * The same as `destroy()`, so that `using` destroys the object at the end of its block. Where the
   * runtime has no `Symbol.dispose`, it is keyed by `Symbol.for("Symbol.dispose")`, which `using`
   * compiled by esbuild (Vite) or Babel looks up there.
   * @example
   * ```ts
   * {
   *   using connect = createConnect({ tokenUrl: "/api/connect-token" });
   *   await connect.open();
   * } // destroyed here, also when open() threw
   * ```
   */
  [Symbol.dispose](): void;
  /**
   * Forgets the cached token and aborts a token request in flight: call it when the user signs
   * out or another user signs in, so the next `open()` gets a token for whoever is signed in then.
   * An `open()` still waiting for its token asks again; an open Connect is not disturbed.
   *
   * @example
   * ```ts
   * async function signOut() {
   *   await fetch("/api/sign-out", { method: "POST" });
   *   connect.clearToken();
   * }
   * ```
   */
  clearToken(): void;
  /** Adds a listener; returns its unsubscribe function. */
  on<E extends ConnectEventName>(event: E, listener: ConnectEvents[E]): () => void;
  /** Removes a listener added with `on` or `once`. */
  off<E extends ConnectEventName>(event: E, listener: ConnectEvents[E]): void;
  /** Adds a listener that runs once; returns its unsubscribe function. */
  once<E extends ConnectEventName>(event: E, listener: ConnectEvents[E]): () => void;
  /** `"idle"`, `"loading"` (token or client on the way), `"open"` or `"destroyed"`. */
  readonly state: ConnectState;
}
