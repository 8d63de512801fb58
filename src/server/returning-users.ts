import { attempt } from "../http/attempt";
import { type StoreError, type StoreOperation, notWritten, storeCallError, unrecognisedValue } from "./store-error";
import { isReturningUserRecord, returningUserRecord, type TokenStore } from "./store";

/** The issuer's memory of returning users, over a store, checked once by `readMemory()`. */
export interface MemoryConfig {
  store: TokenStore;
  /** The store key of a user. */
  keyOf: (userId: string) => string | Promise<string>;
  ttlMs: number;
  timeoutMs: number;
  /** Gets every store failure; never throws back. */
  report: (error: StoreError) => void;
}

/**
 * What the store said about a user: a returning user, nothing (a miss, also when the store
 * failed), or a value the issuer did not write (a miss, to be overwritten).
 */
export type Recall = "returning" | "miss" | "unrecognised";

type Call = { failed: true } | { failed: false; value: unknown };

/**
 * The memory of returning users. None of its functions rejects: a store call that throws,
 * rejects or takes longer than `timeoutMs` is reported and counts as a miss.
 */
export function createReturningUsers({ store, keyOf, ttlMs, timeoutMs, report }: MemoryConfig) {
  async function call(operation: StoreOperation, run: (key: string) => unknown, userId: string): Promise<Call> {
    let key: string;
    try {
      // The key first: the time limit is the store's alone.
      key = await keyOf(userId);
    } catch (cause) {
      report(storeCallError(operation, undefined, cause));
      return { failed: true };
    }
    const result = await attempt(() => run(key), { timeoutMs });
    if (result.kind === "answer") return { failed: false, value: result.value };
    const timedOut = result.kind === "timeout" ? timeoutMs : undefined;
    report(storeCallError(operation, timedOut, result.kind === "failed" ? result.cause : undefined));
    return { failed: true };
  }

  return {
    async recall(userId: string): Promise<Recall> {
      const result = await call("get", (key) => store.get(key), userId);
      if (result.failed || result.value === undefined || result.value === null) return "miss";
      if (isReturningUserRecord(result.value)) return "returning";
      report(unrecognisedValue());
      return "unrecognised";
    },
    async remember(userId: string): Promise<void> {
      const result = await call("set", (key) => store.set(key, returningUserRecord(), ttlMs), userId);
      if (!result.failed && result.value === false) report(notWritten());
    },
    async forget(userId: string): Promise<void> {
      await call("delete", (key) => store.delete(key), userId);
    },
  };
}

/** Calls `onStoreError`, so that neither its throw nor its rejected promise reaches the issuer. */
export function reporter(onStoreError: ((error: StoreError) => unknown) | undefined): (error: StoreError) => void {
  return (error) => {
    try {
      const returned = onStoreError?.(error);
      if (returned instanceof Promise) returned.catch(() => undefined);
    } catch {
      // Your logger failing must not block a token.
    }
  };
}
