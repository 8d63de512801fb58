import { DEFAULT_PROVIDERS } from "../sandbox/providers";
import type { SessionResult, Source } from "../types";
import { FakeConnectAppError } from "./errors";

/** A made-up id of 24 hex digits, the same for the same name (FNV-1a, three seeds). */
function madeUpId(name: string): string {
  let id = "";
  for (const seed of [0x811c9dc5, 0x01000193, 0x5bd1e995]) {
    let hash = seed;
    for (let i = 0; i < name.length; i += 1) hash = Math.imul(hash ^ name.charCodeAt(i), 0x01000193) >>> 0;
    id += hash.toString(16).padStart(8, "0");
  }
  return id;
}

/**
 * A typed source: the sandbox's provider of that name (the first one, Starfleet Pharmacy, when no name
 * is given), or, for a name the sandbox does not list, that name with a made-up id of 24 hex digits
 * that stays the same from run to run.
 * @default name the sandbox's first provider, "Starfleet Pharmacy"
 * @example
 * ```ts
 * source("Cleveland Clinic"); // { id: "54dc427aaa6b4cb7d6203061", name: "Cleveland Clinic" }
 * source("My Own Clinic");    // { id: <24 hex digits>, name: "My Own Clinic" }
 * ```
 */
export function source(name?: string): Source {
  const provider = name === undefined ? DEFAULT_PROVIDERS[0]! : DEFAULT_PROVIDERS.find((p) => p.name === name);
  if (provider) return { id: provider.id, name: provider.name };
  return { id: madeUpId(name!), name: name! };
}

/**
 * A full, typed `SessionResult`: status `"SUCCESS"`, every list empty, `raw` undefined, then `partial`
 * over it.
 * @example
 * ```ts
 * const result = sessionResult({ connectedSources: [source()], currentConnections: [source()] });
 * render(<Connected result={result} />);
 * ```
 */
export function sessionResult(partial: Partial<SessionResult> = {}): SessionResult {
  // Written out, not src/result.ts's emptyResult(): that module belongs to the shared `errors` chunk
  // of rollup.config.mjs, and this entry must stay one file that never rewrites dist/errors.*.
  return {
    status: "SUCCESS",
    connectedSources: [],
    disconnectedSources: [],
    requestedSources: [],
    currentConnections: [],
    requestedProviders: [],
    raw: undefined,
    ...partial,
  };
}

/** A `{ id, name }` as given, or the sandbox's provider of that name; any other name is refused. */
export function sandboxSource(given: Source | string): Source {
  if (typeof given !== "string") {
    const { id, name } = (given ?? {}) as Partial<Source>;
    if (typeof id === "string" && typeof name === "string") return { id, name };
    throw new TypeError(
      'A source must be a { id, name } of two strings or the name of a provider in the sandbox\'s list, e.g. "Starfleet Pharmacy".',
    );
  }
  const provider = DEFAULT_PROVIDERS.find((p) => p.name === given);
  if (provider) return { id: provider.id, name: provider.name };
  throw new FakeConnectAppError(
    "UNKNOWN_PROVIDER",
    `"${given}" is not a provider of the sandbox's list: give one of its names (e.g. "${DEFAULT_PROVIDERS[0]!.name}") or a { id, name }.`,
  );
}
