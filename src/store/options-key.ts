import type { StoreOptions } from "./types";

/**
 * A string that is the same for two renders' options exactly when they would create the same
 * connect object: values compared, not identities, keys in any order. A function or a symbol
 * counts by its kind only (JSON would drop it): the hook reads the latest callbacks and `getToken`
 * through a ref, and an option given a function by mistake, then fixed, still changes the key.
 * Never throws: options JSON cannot carry (a cycle, a BigInt) give one fixed key, and
 * `createConnect()` refuses them with `INVALID_OPTIONS`.
 */
export function optionsKey(options: StoreOptions): string {
  try {
    // Entries sorted as "key,value" text: the same entries sort the same way, whatever order they came in.
    return JSON.stringify(options, (_key, value: unknown) =>
      typeof value === "function" || typeof value === "symbol"
        ? `\0${typeof value}`
        : value && typeof value === "object" && !Array.isArray(value)
          ? Object.fromEntries(Object.entries(value).sort())
          : value,
    );
  } catch {
    return "\0";
  }
}
