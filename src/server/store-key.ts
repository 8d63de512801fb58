/** The default `storePrefix`. */
export const DEFAULT_STORE_PREFIX = "humanconnect-kit:";

function hex(bytes: ArrayBuffer): string {
  return Array.from(new Uint8Array(bytes), (byte) => byte.toString(16).padStart(2, "0")).join("");
}

/**
 * The store key of a user: `prefix` and the SHA-256 (hex, 64 characters) of the client id and the
 * user id. A key holds neither the user id nor an e-mail (some apps use it as the user id), fits
 * any store's key limit whatever the id's length, and two Human API apps (staging and
 * production credentials) can share one store. Web Crypto, not node:crypto: the server entry
 * runs on any runtime with fetch, and every one of them has `crypto.subtle`.
 */
export function storeKeys(prefix: string, clientId: string): (userId: string) => Promise<string> {
  const encoder = new TextEncoder();
  return async (userId) =>
    prefix + hex(await crypto.subtle.digest("SHA-256", encoder.encode(JSON.stringify([clientId, userId]))));
}

/** Whether this runtime can hash keys (Web Crypto's `crypto.subtle.digest`). */
export function canHashKeys(): boolean {
  return typeof globalThis.crypto?.subtle?.digest === "function";
}
