// The issuer's options and their checks, run once by createTokenIssuer().

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
   * How many returning users to remember (so their next token costs one upstream call): a whole
   * number, 0 or more.
   * @default 10000
   */
  returningUsersCacheSize?: number;
}

export function requireText(value: unknown, name: string): string {
  if (typeof value !== "string" || value.length === 0) {
    throw new TypeError(
      `createTokenIssuer(): ${name} must be a non-empty string: pass it from your server's environment.`,
    );
  }
  return value;
}

/** setTimeout's largest delay: a longer one fires at once. */
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

/** Where and how to call the token service, checked once. */
export interface Upstream {
  authUrl: string;
  timeoutMs: number;
  fetch: typeof fetch;
}

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

export function readCacheSize(size: unknown): number {
  const value = size ?? 10_000;
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0) {
    throw new TypeError(
      "createTokenIssuer(): returningUsersCacheSize must be a whole number, 0 or more (0 remembers nobody).",
    );
  }
  return value;
}
