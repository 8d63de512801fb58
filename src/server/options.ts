// The issuer's options and the checks of its upstream ones, run once by createTokenIssuer()
// (the store's: memory-options.ts).

import type { StoreError } from "./store-error";
import type { TokenStore } from "./store";

/** Human API's token service. */
export const DEFAULT_AUTH_URL = "https://auth.humanapi.co/v1/connect/token";

/** Options for {@link createTokenIssuer}. */
export interface TokenIssuerOptions {
  /** Your Human API client id. */
  clientId: string;
  /** Your Human API client secret. Server side only: never send it to a browser. */
  clientSecret: string;
  /**
   * The token service's URL (point it at `humanconnect-kit/sandbox` in tests).
   * @default "https://auth.humanapi.co/v1/connect/token"
   */
  authUrl?: string | URL;
  /**
   * Time limit for one upstream request, in milliseconds (above 0, at most 2^31-1). The request
   * is abandoned at the limit even when a custom `fetch` ignores its signal.
   * @default 10000
   */
  timeoutMs?: number;
  /**
   * The `fetch` to use.
   * @default globalThis.fetch
   */
  fetch?: typeof fetch;
  /**
   * How many returning users the default in-process store remembers (so their next token costs
   * one upstream call): a whole number, 0 or more. Not used with your own `store`.
   * @default 10000
   */
  returningUsersCacheSize?: number;
  /**
   * Where returning users are remembered, shared by your server's instances and kept across
   * restarts: an object with `get(key)`, `set(key, value, ttlMs)` and `delete(key)` (see
   * {@link TokenStore}). A store that fails or is slow never blocks a token (see `storeTimeoutMs`).
   * @default an in-process LRU of `returningUsersCacheSize` users
   * @example
   * ```ts
   * store: new Keyv(new KeyvRedis(process.env.REDIS_URL)),
   * ```
   */
  store?: TokenStore;
  /**
   * What every key in `store` starts with; the rest is the SHA-256 (hex) of `clientId` and the
   * user id, so a key never holds a user id or an e-mail. A string of at most 128 characters.
   * @default "humanconnect-kit:"
   * @example
   * ```ts
   * storePrefix: "my-app:returning-users:",
   * ```
   */
  storePrefix?: string;
  /**
   * How long a returning user is remembered, in milliseconds, from when the issuer learned it: a
   * whole number from 1. Once forgotten, the user's next token costs one extra upstream call.
   * @default 2592000000 (30 days)
   * @example
   * ```ts
   * returningUserTtlMs: 7 * 24 * 60 * 60 * 1000, // a week
   * ```
   */
  returningUserTtlMs?: number;
  /**
   * Time limit for one store call, in milliseconds (above 0, at most 2^31-1). A call that takes
   * longer, throws or rejects counts as a miss and goes to `onStoreError`; the token is still issued.
   * @default 250
   * @example
   * ```ts
   * storeTimeoutMs: 100,
   * ```
   */
  storeTimeoutMs?: number;
  /**
   * Gets every store failure as a {@link StoreError} (`code`, `operation`, `cause`), for your logs;
   * its throw or rejection is ignored.
   * @default undefined (failures are not reported)
   * @example
   * ```ts
   * onStoreError: (error) => logger.warn({ code: error.code, operation: error.operation }, error.message),
   * ```
   */
  onStoreError?: (error: StoreError) => void;
}

/** A required string option, checked; the message never echoes the value. */
export function requireText(value: unknown, name: string): string {
  if (typeof value !== "string" || value.length === 0) {
    throw new TypeError(
      `createTokenIssuer(): ${name} must be a non-empty string: pass it from your server's environment.`,
    );
  }
  return value;
}

/** setTimeout's largest delay: a longer one fires at once. */
export const MAX_TIMEOUT_MS = 2 ** 31 - 1;

/** Where and how to call the token service, checked once. */
export interface Upstream {
  authUrl: string;
  timeoutMs: number;
  fetch: typeof fetch;
}

/** `authUrl`, `timeoutMs` and `fetch`, checked. */
export function readUpstream(options: TokenIssuerOptions): Upstream {
  let url: URL | undefined;
  try {
    url = new URL(String(options.authUrl ?? DEFAULT_AUTH_URL));
  } catch {
    url = undefined;
  }
  // The value itself is never echoed: a URL may carry credentials.
  if (!url || (url.protocol !== "https:" && url.protocol !== "http:") || url.username || url.password) {
    throw new TypeError(
      "createTokenIssuer(): authUrl must be an absolute http(s) URL without a user name or password, such as the sandbox's authUrl.",
    );
  }
  const timeoutMs = options.timeoutMs ?? 10_000;
  if (typeof timeoutMs !== "number" || !(timeoutMs > 0 && timeoutMs <= MAX_TIMEOUT_MS)) {
    throw new TypeError(
      `createTokenIssuer(): timeoutMs must be a positive number of milliseconds, at most ${MAX_TIMEOUT_MS}.`,
    );
  }
  if (options.fetch !== undefined && typeof options.fetch !== "function") {
    throw new TypeError(
      "createTokenIssuer(): fetch must be a function with the signature of the global fetch, or left out.",
    );
  }
  const fetchImpl = options.fetch ?? ((...args: Parameters<typeof fetch>) => globalThis.fetch(...args));
  return { authUrl: url.href, timeoutMs, fetch: fetchImpl };
}

/** `returningUsersCacheSize`, checked. */
export function readCacheSize(size: unknown): number {
  const value = size ?? 10_000;
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0) {
    throw new TypeError(
      "createTokenIssuer(): returningUsersCacheSize must be a whole number, 0 or more (0 remembers nobody).",
    );
  }
  return value;
}
