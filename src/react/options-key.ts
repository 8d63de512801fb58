import type { UseHumanConnectOptions } from "./types";

/**
 * A string that is the same for two renders' options exactly when they would create the same
 * connect object: values compared, not identities, keys in any order. Functions (the callbacks,
 * `getToken`) drop out, as JSON drops them: the hook reads the latest ones through a ref. Whether
 * there is a `getToken` still counts (its type goes first): `{ token, getToken }`, refused, and
 * `{ token }` differ. Never throws: options JSON cannot carry (a cycle, a BigInt) give one fixed
 * key, and `createConnect()` refuses them with `INVALID_OPTIONS`.
 */
export function optionsKey(options: UseHumanConnectOptions): string {
  try {
    return (
      typeof options.getToken +
      JSON.stringify(options, (_key, value: unknown) => {
        if (typeof value !== "object" || value === null || Array.isArray(value)) return value;
        const sorted: Record<string, unknown> = {};
        for (const name of Object.keys(value).sort()) sorted[name] = (value as Record<string, unknown>)[name];
        return sorted;
      })
    );
  } catch {
    return "\0";
  }
}
