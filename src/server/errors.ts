/**
 * Every `code` a {@link HumanApiError} can carry.
 *
 * - `UNAUTHORIZED`: Human API refused the client credentials (HTTP 401).
 * - `FORBIDDEN`: HTTP 403 (for a session token: the user already connected a source).
 * - `BAD_REQUEST`: another HTTP 4xx: a field Human API did not accept.
 * - `UPSTREAM_ERROR`: HTTP 5xx or 429 from Human API, after one retry.
 * - `TIMEOUT`: no answer within `timeoutMs`.
 * - `NETWORK`: Human API could not be reached, after one retry.
 * - `MALFORMED_RESPONSE`: a 2xx answer without the documented fields.
 */
export type HumanApiErrorCode =
  | "UNAUTHORIZED"
  | "FORBIDDEN"
  | "BAD_REQUEST"
  | "UPSTREAM_ERROR"
  | "TIMEOUT"
  | "NETWORK"
  | "MALFORMED_RESPONSE";

/**
 * A failed call to Human API's token service. Its message, stack and cause never contain the
 * client secret, a token or a refresh token.
 *
 * @example
 * ```ts
 * try { await issuer.accessToken({ userId }); }
 * catch (e) { if (e instanceof HumanApiError && e.code === "UNAUTHORIZED") alertOps("check HUMANAPI_CLIENT_SECRET"); }
 * ```
 */
export class HumanApiError extends Error {
  override readonly name = "HumanApiError" as const;
  /** What went wrong, as one of {@link HumanApiErrorCode}. */
  readonly code: HumanApiErrorCode;
  /** The upstream HTTP status; undefined for a network failure or a timeout. */
  readonly status?: number;

  constructor(code: HumanApiErrorCode, message: string, options: { status?: number; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.code = code;
    if (options.status !== undefined) this.status = options.status;
  }
}
