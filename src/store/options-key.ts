import type { StoreOptions } from "./types";

/**
 * A string that is the same for two renders' options exactly when they would create the same
 * connect object: values compared, not identities, keys in any order. Functions (the callbacks,
 * `getToken`) drop out, as JSON drops them: the hook reads the latest ones through a ref. Whether
 * there is a `getToken` still counts (its type goes first): `{ token, getToken }`, refused, and
 * `{ token }` differ. Never throws: options JSON cannot carry (a cycle, a BigInt) give one fixed
 * key, and `createConnect()` refuses them with `INVALID_OPTIONS`.
 */
export function optionsKey(options: StoreOptions): string {
  try {
    return (
      typeof options.getToken +
      // Entries sorted as "key,value" text: the same entries sort the same way, whatever order they came in.
      JSON.stringify(options, (_key, value: unknown) =>
        value && typeof value === "object" && !Array.isArray(value)
          ? Object.fromEntries(Object.entries(value).sort())
          : value,
      )
    );
  } catch {
    return "\0";
  }
}
