/**
 * Every `code` a {@link HumanApiError} can carry, written once (the type and
 * {@link isHumanApiError} both come from this list).
 *
 * - `UNAUTHORIZED`: Human API refused the client credentials (HTTP 401).
 * - `FORBIDDEN`: HTTP 403 (for a session token: the user already connected a source).
 * - `BAD_REQUEST`: another HTTP 4xx: a field Human API did not accept.
 * - `UPSTREAM_ERROR`: HTTP 5xx or 429 from Human API, after one retry.
 * - `TIMEOUT`: no answer within `timeoutMs`.
 * - `NETWORK`: Human API could not be reached, after one retry.
 * - `MALFORMED_RESPONSE`: a 2xx answer without the documented fields.
 *
 * @example
 * ```ts
 * const retryable = HUMAN_API_ERROR_CODES.filter((code) => code === "TIMEOUT" || code === "NETWORK");
 * ```
 */
export const HUMAN_API_ERROR_CODES = [
  "UNAUTHORIZED",
  "FORBIDDEN",
  "BAD_REQUEST",
  "UPSTREAM_ERROR",
  "TIMEOUT",
  "NETWORK",
  "MALFORMED_RESPONSE",
] as const;

/** One of {@link HUMAN_API_ERROR_CODES}. */
export type HumanApiErrorCode = (typeof HUMAN_API_ERROR_CODES)[number];

/** Extra facts a {@link HumanApiError} may carry. */
export interface HumanApiErrorDetails {
  /** The upstream HTTP status, when Human API answered. */
  status?: number;
  /** The underlying error, when there was one (never one that holds a secret or a token). */
  cause?: unknown;
}

/**
 * A failed call to Human API's token service. Its message, stack and cause never contain the
 * client secret, a token or a refresh token.
 *
 * @example
 * ```ts
 * try { await issuer.accessToken({ userId }); }
 * catch (e) { if (isHumanApiError(e) && e.code === "UNAUTHORIZED") alertOps("check HUMANAPI_CLIENT_SECRET"); }
 * ```
 */
export class HumanApiError extends Error {
  /** Always `"HumanApiError"`, also across realms (see {@link isHumanApiError}). */
  override readonly name = "HumanApiError" as const;
  /** What went wrong, as one of {@link HumanApiErrorCode}. */
  readonly code: HumanApiErrorCode;
  /** The upstream HTTP status; undefined for a network failure or a timeout. */
  readonly status?: number;

  constructor(code: HumanApiErrorCode, message: string, details: HumanApiErrorDetails = {}) {
    super(message, { cause: details.cause });
    this.code = code;
    if (details.status !== undefined) this.status = details.status;
  }
}

const CODES: ReadonlySet<string> = new Set(HUMAN_API_ERROR_CODES);

/**
 * True when `value` is a {@link HumanApiError}, also one made in another realm or by a second
 * copy of this package: it checks `name` and `code`, not only `instanceof`.
 *
 * @example
 * ```ts
 * catch (e) { if (isHumanApiError(e)) log.warn(e.code, e.status); else throw e; }
 * ```
 */
export function isHumanApiError(value: unknown): value is HumanApiError {
  if (value instanceof HumanApiError) return true;
  if (typeof value !== "object" || value === null) return false;
  const candidate = value as { name?: unknown; code?: unknown };
  return candidate.name === "HumanApiError" && typeof candidate.code === "string" && CODES.has(candidate.code);
}
