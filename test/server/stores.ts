import type { StoreError, TokenStore } from "../../src/server/index";

/** One call the issuer made on a store. */
export interface StoreCall {
  operation: "get" | "set" | "delete";
  key: string;
  value?: unknown;
  ttlMs?: number;
}

/** A Map as the issuer's store, recording every call (the kind of store the README says fits). */
export function recordingStore(map = new Map<string, unknown>()) {
  const calls: StoreCall[] = [];
  const store: TokenStore = {
    get: (key) => (calls.push({ operation: "get", key }), map.get(key)),
    set: (key, value, ttlMs) => (calls.push({ operation: "set", key, value, ttlMs }), map.set(key, value)),
    delete: (key) => (calls.push({ operation: "delete", key }), map.delete(key)),
  };
  return { store, map, calls };
}

/** How one store function misbehaves. */
export type Fault = "throws" | "rejects" | "never answers" | "answers false";

export const storeFailure = new Error("store down (test)");

/** `fault` as the result of a store function. */
export function misbehave(fault: Fault): unknown {
  if (fault === "throws") throw storeFailure;
  if (fault === "rejects") return Promise.reject(storeFailure);
  if (fault === "never answers") return new Promise(() => undefined);
  return false;
}

/** A Map store whose `operation` misbehaves as `fault` while `failing.on` is true. */
export function failingStore(operation: "get" | "set" | "delete", fault: Fault) {
  const recorded = recordingStore();
  const failing = { on: true };
  const store: TokenStore = {
    get: (key) => (failing.on && operation === "get" ? misbehave(fault) : recorded.store.get(key)),
    set: (key, value, ttl) =>
      failing.on && operation === "set" ? misbehave(fault) : recorded.store.set(key, value, ttl),
    delete: (key) => (failing.on && operation === "delete" ? misbehave(fault) : recorded.store.delete(key)),
  };
  return { ...recorded, store, failing };
}

/** Collects what `onStoreError` gets. */
export function storeErrors() {
  const errors: StoreError[] = [];
  return { errors, onStoreError: (error: StoreError) => void errors.push(error) };
}
