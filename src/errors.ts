import { TOKEN_REFUSALS } from "./refusals";
import type { SessionResult } from "./types";

/**
 * Every `code` a {@link ConnectError} can carry, written once: the type and the cross-realm
 * check both come from this list.
 *
 * - `INVALID_OPTIONS`: `createConnect()` or `open()` was given options it cannot use.
 * - `TOKEN_FETCH_FAILED`: the Connect token could not be had from `tokenUrl` / `getToken`.
 * - `SESSION_TOKEN_INVALID`, `SESSION_TOKEN_EXPIRED`, `MISSING_SESSION_TOKEN`: Connect
 *   opened but refused the token, and closed (the error carries the `result`).
 * - `ALREADY_OPEN`: a Connect session is already open or loading on this page.
 * - `CLIENT_LOAD_FAILED`: the vendor client `humanapi-connect-client` could not be loaded or opened.
 * - `ABORTED`: the `signal` given to `open()` was aborted.
 * - `DESTROYED`: the connect object was destroyed.
 */
export const CONNECT_ERROR_CODES = [
  "INVALID_OPTIONS",
  "TOKEN_FETCH_FAILED",
  ...TOKEN_REFUSALS,
  "ALREADY_OPEN",
  "CLIENT_LOAD_FAILED",
  "ABORTED",
  "DESTROYED",
] as const;

/** One of {@link CONNECT_ERROR_CODES}. */
export type ConnectErrorCode = (typeof CONNECT_ERROR_CODES)[number];

/** Extra facts a {@link ConnectError} may carry. */
export interface ConnectErrorDetails {
  /** The underlying error, when there was one. */
  cause?: unknown;
  /** The HTTP status of the token endpoint's answer, for `TOKEN_FETCH_FAILED`. */
  status?: number;
  /** The normalized session result, for errors that end an opened Connect session. */
  result?: SessionResult;
}

/**
 * The one error type humanconnect-kit throws and rejects with. Switch on `code`;
 * `message` says what to do. Messages never contain a token.
 *
 * @example
 * ```ts
 * try { await connect.open(); }
 * catch (e) { if (isConnectError(e) && e.code === "SESSION_TOKEN_EXPIRED") retry(); }
 * ```
 */
export class ConnectError extends Error {
  /** Always `"ConnectError"`, also across realms (see {@link isConnectError}). */
  override readonly name = "ConnectError" as const;
  /** What went wrong, as one of {@link ConnectErrorCode}. */
  readonly code: ConnectErrorCode;
  /** The token endpoint's HTTP status, when it answered (`TOKEN_FETCH_FAILED`). */
  readonly status?: number;
  /** The normalized session, for `SESSION_TOKEN_*`, `MISSING_SESSION_TOKEN` and `ABORTED` after opening. */
  readonly result?: SessionResult;

  constructor(code: ConnectErrorCode, message: string, details: ConnectErrorDetails = {}) {
    super(message, { cause: details.cause });
    this.code = code;
    if (details.status !== undefined) this.status = details.status;
    if (details.result !== undefined) this.result = details.result;
  }
}

/**
 * True when `value` is a {@link ConnectError}, also one made in another realm (an iframe,
 * a second copy of this package): it checks `name` and `code`, not only `instanceof`.
 *
 * @example
 * ```ts
 * catch (e) { if (isConnectError(e)) show(e.code); else throw e; }
 * ```
 */
export function isConnectError(value: unknown): value is ConnectError {
  if (value instanceof ConnectError) return true;
  if (typeof value !== "object" || value === null) return false;
  const candidate = value as { name?: unknown; code?: unknown };
  return candidate.name === "ConnectError" && (CONNECT_ERROR_CODES as readonly unknown[]).includes(candidate.code);
}

/** The error for a second session while one is open or loading on the page. */
export const alreadyOpenError = (): ConnectError =>
  new ConnectError("ALREADY_OPEN", "Connect is already open or loading: wait for it to close.");

/** The error for any call on a destroyed connect object. */
export const destroyedError = (result?: SessionResult): ConnectError =>
  new ConnectError("DESTROYED", "This connect object was destroyed: create a new one with createConnect().", {
    result,
  });
