/**
 * Every `code` a {@link StoreError} can carry:
 *
 * - `FAILED`: the store's function threw or rejected (its error is the `cause`).
 * - `TIMEOUT`: it did not answer within `storeTimeoutMs`.
 * - `NOT_WRITTEN`: `set()` answered `false`, as Keyv does when its own store failed.
 * - `UNRECOGNISED_VALUE`: `get()` gave a value the issuer did not write (counted as a miss, overwritten).
 *
 * @example
 * ```ts
 * onStoreError: (error) => (error.code === "TIMEOUT" ? metrics.increment("store.timeout") : log.warn(error)),
 * ```
 */
export const STORE_ERROR_CODES = ["FAILED", "TIMEOUT", "NOT_WRITTEN", "UNRECOGNISED_VALUE"] as const;

/** One of {@link STORE_ERROR_CODES}. */
export type StoreErrorCode = (typeof STORE_ERROR_CODES)[number];

/** The store function that failed. */
export type StoreOperation = "get" | "set" | "delete";

/**
 * A store call that failed; the issuer went on without it (a miss), so the token was not
 * blocked. Its message names no key, user id, e-mail, token or secret.
 *
 * @example
 * ```ts
 * createTokenIssuer({ clientId, clientSecret, store, onStoreError: (e) => log.warn(e.code, e.operation, e.cause) });
 * ```
 */
export class StoreError extends Error {
  /** Always `"StoreError"`. */
  override readonly name = "StoreError" as const;
  /** What went wrong, as one of {@link StoreErrorCode}. */
  readonly code: StoreErrorCode;
  /** The store function that failed. */
  readonly operation: StoreOperation;

  constructor(code: StoreErrorCode, operation: StoreOperation, message: string, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.code = code;
    this.operation = operation;
  }
}

const CODES: ReadonlySet<string> = new Set(STORE_ERROR_CODES);

/**
 * True when `value` is a {@link StoreError}, also one made by a second copy of this package: it
 * checks `name` and `code`, not only `instanceof`.
 * @example onStoreError: (e) => { if (isStoreError(e) && e.code === "TIMEOUT") metrics.increment("store.timeout"); }
 */
export function isStoreError(value: unknown): value is StoreError {
  if (value instanceof StoreError) return true;
  if (typeof value !== "object" || value === null) return false;
  const candidate = value as { name?: unknown; code?: unknown };
  return candidate.name === "StoreError" && typeof candidate.code === "string" && CODES.has(candidate.code);
}

/** The error for a store call that threw, rejected or took too long. */
export function storeCallError(operation: StoreOperation, timeoutMs: number | undefined, cause?: unknown): StoreError {
  if (timeoutMs !== undefined) {
    const message = `The store's ${operation}() did not answer within ${timeoutMs} ms: the issuer went on without it; check the store's connection, or raise storeTimeoutMs.`;
    return new StoreError("TIMEOUT", operation, message);
  }
  const message = `The store's ${operation}() threw or rejected (see cause): the issuer went on without it; check the store and its connection.`;
  return new StoreError("FAILED", operation, message, cause);
}

/** The error for a `set()` that answered `false`. */
export const notWritten = () =>
  new StoreError(
    "NOT_WRITTEN",
    "set",
    `The store's set() answered false (Keyv does when its store failed: see Keyv's "error" event): the user's next token may cost an extra upstream call; check the store's connection.`,
  );

/** The error for a value the issuer did not write. */
export const unrecognisedValue = () =>
  new StoreError(
    "UNRECOGNISED_VALUE",
    "get",
    "The store's get() gave a value this issuer did not write: it counts as a miss and is overwritten; check that nothing else writes under storePrefix.",
  );
