import { createLruStore } from "./lru";
import { MAX_TIMEOUT_MS, readCacheSize, type TokenIssuerOptions } from "./options";
import { reporter, type MemoryConfig } from "./returning-users";
import { readStore } from "./store";
import { canHashKeys, DEFAULT_STORE_PREFIX, storeKeys } from "./store-key";

/** The default `returningUserTtlMs`: 30 days. */
export const DEFAULT_RETURNING_USER_TTL_MS = 30 * 24 * 60 * 60 * 1000;

function fail(message: string): never {
  throw new TypeError(`createTokenIssuer(): ${message}`);
}

function readNumbers(options: TokenIssuerOptions): { ttlMs: number; timeoutMs: number } {
  const ttlMs = options.returningUserTtlMs ?? DEFAULT_RETURNING_USER_TTL_MS;
  if (typeof ttlMs !== "number" || !Number.isSafeInteger(ttlMs) || ttlMs < 1)
    fail("returningUserTtlMs must be a whole number of milliseconds, 1 or more.");
  const timeoutMs = options.storeTimeoutMs ?? 250;
  if (typeof timeoutMs !== "number" || !(timeoutMs > 0 && timeoutMs <= MAX_TIMEOUT_MS))
    fail(`storeTimeoutMs must be a positive number of milliseconds, at most ${MAX_TIMEOUT_MS}.`);
  return { ttlMs, timeoutMs };
}

function readPrefix(prefix: unknown): string {
  const value = prefix ?? DEFAULT_STORE_PREFIX;
  if (typeof value !== "string" || value.length > 128)
    fail("storePrefix must be a string of at most 128 characters, or left out.");
  return value;
}

/**
 * The store options, checked once: your `store` with hashed keys, or the in-process LRU (whose
 * keys are the user ids: nothing leaves the process).
 */
export function readMemory(options: TokenIssuerOptions, clientId: string): MemoryConfig {
  const size = readCacheSize(options.returningUsersCacheSize);
  const given = readStore(options.store);
  const prefix = readPrefix(options.storePrefix);
  const { ttlMs, timeoutMs } = readNumbers(options);
  if (options.onStoreError !== undefined && typeof options.onStoreError !== "function")
    fail("onStoreError must be a function, or left out.");
  const report = reporter(options.onStoreError);
  if (!given) return { store: createLruStore(size), keyOf: (userId) => userId, ttlMs, timeoutMs, report };
  if (!canHashKeys())
    fail(
      "store needs Web Crypto (globalThis.crypto.subtle) to hash user ids into keys: run on Node 20+ or a runtime that has it.",
    );
  return { store: given, keyOf: storeKeys(prefix, clientId), ttlMs, timeoutMs, report };
}
