/**
 * Where the issuer remembers returning users, shared by all your server's instances: any object
 * with these three functions, each returning a value or a promise. A `Keyv` instance fits as it
 * is (`new Keyv(new KeyvRedis(url))`), and so does a `Map` (in tests). The issuer never stores a
 * token, a refresh token, the secret or an e-mail, and its keys hold no user id (see
 * `storePrefix`).
 *
 * @example
 * ```ts
 * import Keyv from "keyv";
 * import KeyvRedis from "@keyv/redis";
 * const store: TokenStore = new Keyv(new KeyvRedis(process.env.REDIS_URL));
 * ```
 */
export interface TokenStore {
  /** The value stored under `key`; `undefined` (or `null`) when there is none. */
  get(key: string): unknown;
  /** Stores `value` (plain JSON) under `key` for `ttlMs` milliseconds. Answering `false` (Keyv does when its store failed) means not written. */
  set(key: string, value: ReturningUserRecord, ttlMs?: number): unknown;
  /** Removes what is stored under `key`. */
  delete(key: string): unknown;
}

/**
 * What the issuer stores for a returning user: plain JSON with a version, so that a value it did
 * not write is recognised. Human API's `humanId` is not in it: the id-token answer does not carry
 * it, and the session answer that does comes before the user is a returning one.
 */
export interface ReturningUserRecord {
  /** The record's version: 1. A later version of this package reads any whole number from 1 as a returning user. */
  v: 1;
}

/** A fresh record each time, so a store that keeps objects (a Map) never shares one. */
export const returningUserRecord = (): ReturningUserRecord => ({ v: 1 });

/** True for a record this package wrote (any version from 1), false for anything else. */
export function isReturningUserRecord(value: unknown): boolean {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const version = (value as { v?: unknown }).v;
  return typeof version === "number" && Number.isSafeInteger(version) && version >= 1;
}

const FUNCTIONS = ["get", "set", "delete"] as const;

/** The `store` option, checked: undefined (the in-process default) or an object with the three functions. */
export function readStore(store: unknown): TokenStore | undefined {
  if (store === undefined) return undefined;
  if ((typeof store !== "object" && typeof store !== "function") || store === null) {
    throw new TypeError(
      "createTokenIssuer(): store must be an object with get, set and delete functions (a Keyv instance fits), or left out.",
    );
  }
  const missing = FUNCTIONS.filter((name) => typeof (store as Record<string, unknown>)[name] !== "function");
  if (missing.length > 0) {
    throw new TypeError(
      `createTokenIssuer(): store has no ${missing.join(", ")} function${missing.length > 1 ? "s" : ""}: pass an object with get(key), set(key, value, ttlMs) and delete(key), such as a Keyv instance.`,
    );
  }
  return store as TokenStore;
}
