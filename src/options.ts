import { ConnectError } from "./errors";
import type { TokenOrigin } from "./token";
import type { VendorOpenOptions } from "./vendor";

/** Options after validation: what the session needs, in the shapes it needs. */
export interface ResolvedOptions {
  tokenOrigin: TokenOrigin;
  /** The exact origin of `baseUrl`: the only one whose messages reach the vendor. */
  connectOrigin: string;
  vendor: Omit<VendorOpenOptions, "token" | "version">;
  refreshSkewSeconds: number;
}

/** Human API's hosted Connect app. */
const DEFAULT_BASE_URL = "https://hapi-connect.humanapi.co";

const STRING = "a non-empty string";
const BOOLEAN = "a boolean";
const isString = (v: unknown) => typeof v === "string" && v !== "";
const isObject = (v: unknown) => typeof v === "object" && v !== null && !Array.isArray(v);
const isUrl = (v: unknown) => isString(v) || v instanceof URL;
const isNumber = (v: unknown, min: number, max = Infinity) => typeof v === "number" && v >= min && v <= max;

/** `JSON.stringify(value)`, or undefined where it throws (a cycle, a BigInt, a getter that throws). */
function json(value: unknown): string | undefined {
  try {
    return JSON.stringify(value);
  } catch {
    // not serializable: undefined
  }
}

/**
 * Whether `value` is an http(s) URL with no user name or password (fetch refuses those, and its
 * error echoes them).
 */
function isHttpUrl(value: unknown, base?: string): boolean {
  try {
    const url = new URL(value as string | URL, base);
    return /^https?:$/.test(url.protocol) && !url.username && !url.password;
  } catch {
    return false;
  }
}

/** Every option, its test, and what it must be (said in the error message). Pass-through options are marked. */
type Rule = [test: (v: unknown) => boolean, mustBe: string, passThrough?: 1];
const RULES: Record<string, Rule> = {
  // Relative to any http base: an http(s) page resolves it the same way.
  tokenUrl: [(v) => isUrl(v) && isHttpUrl(v, "http://a"), 'an http(s) URL with no user name or password, such as "/api/connect-token"'],
  getToken: [(v) => typeof v === "function", "a function"],
  token: [isString, STRING],
  tokenRequest: [isObject, "an object"],
  baseUrl: [(v) => isUrl(v) && isHttpUrl(v), 'an absolute http(s) URL with no user name or password, such as "https://hapi-connect.humanapi.co"'],
  mode: [(v) => v === "auth" || v === "select", '"auth" or "select"', 1],
  clientId: [isString, STRING, 1],
  preseed: [(v) => typeof v === "boolean", BOOLEAN, 1],
  // The vendor client sends it as btoa(JSON.stringify(preseededSources)).
  preseededSources: [(v) => Array.isArray(v) && !/[\u0100-\uffff]/.test(json(v) ?? "\u0100"), "an array of JSON in Latin-1, for the vendor client's btoa", 1],
  segment: [isString, STRING, 1],
  // The vendor client joins the list with commas.
  pinnedProviders: [(v) => isString(v) || (Array.isArray(v) && v.every((id) => isString(id) && !id.includes(","))), "a string or an array of strings without commas", 1],
  inviteSessionId: [isString, STRING, 1],
  config: [isString, STRING, 1],
  overlayOpacity: [(v) => isNumber(v, 0, 1), "a number from 0 to 1", 1],
  enableFocusTrap: [(v) => typeof v === "boolean", BOOLEAN, 1],
  refreshSkewSeconds: [(v) => isNumber(v, 0), "a number of seconds, 0 or more"],
};

const REQUEST_RULES: Record<string, Rule> = {
  // Plain in any realm (its prototype's prototype is null): a Map or a Headers object would lose its entries.
  headers: [(v) => isObject(v) && !Object.getPrototypeOf(Object.getPrototypeOf(v) ?? Object.prototype) && Object.values(v as object).every((h) => typeof h === "string"), "a plain object of string values"],
  // A function or a symbol serializes to nothing: no body would be sent, under a JSON content type.
  body: [(v) => json(v) !== undefined, "JSON-serializable"],
  credentials: [(v) => v === "omit" || v === "same-origin" || v === "include", '"omit", "same-origin" or "include"'],
  timeoutMs: [(v) => isNumber(v, 1e-9, 2 ** 31 - 1), "a positive number of milliseconds"],
  retries: [(v) => Number.isInteger(v) && isNumber(v, 0, 10), "an integer from 0 to 10"],
};

function invalid(message: string): never {
  throw new ConnectError("INVALID_OPTIONS", `createConnect(): ${message}`, { cause: new TypeError(message) });
}

/**
 * Refuses the headers fetch would throw on: that would happen only once the token request starts,
 * be retried as a network error, and carry the value in its message. Values are never echoed.
 */
function checkHeaders(headers: Record<string, string>): void {
  for (const [name, value] of Object.entries(headers)) {
    // Headers applies fetch's own rules; a CR or LF at either end, which it would trim, is refused as well.
    let fetchable = !/[\r\n]/.test(value);
    try {
      new Headers([[name, value]]);
    } catch {
      fetchable = false;
    }
    if (!fetchable) {
      // The name is echoed only when it is plainly a name (a bad one could be a value pasted in).
      invalid(`option "tokenRequest.headers" has a header fetch refuses${/^[\w-]+$/.test(name) ? ` ("${name}")` : ""}: give names of letters, digits and hyphens, and one-line Latin-1 values.`);
    }
  }
}

function check(options: object, rules: Record<string, Rule>, prefix: string): Record<string, unknown> {
  const given = options as Record<string, unknown>;
  for (const key in given) {
    const rule = rules[key];
    const value = given[key];
    if (!rule) invalid(`unknown option "${prefix}${key}": check its spelling.`);
    // The value itself is never echoed: it may be a token.
    if (value !== undefined && !rule[0](value)) {
      invalid(`option "${prefix}${key}" must be ${rule[1]} (got ${value === null ? "null" : Array.isArray(value) ? "an array" : typeof value}).`);
    }
  }
  return given;
}

/** Validates `createConnect()` options; throws `ConnectError` `INVALID_OPTIONS` naming the option. */
export function resolveOptions(input: unknown): ResolvedOptions {
  if (!isObject(input)) invalid("options must be an object with tokenUrl, getToken or token.");
  const options = check(input as object, RULES, "");
  const sources = ["tokenUrl", "getToken", "token"].filter((key) => options[key] !== undefined);
  if (sources.length !== 1) {
    invalid(
      sources.length
        ? `give exactly one token source, not ${sources.join(" and ")}.`
        : "give a token source: tokenUrl (your backend's endpoint), getToken (a function) or token (a fixed token).",
    );
  }
  if (options.tokenRequest && !options.tokenUrl) invalid('option "tokenRequest" only applies with tokenUrl.');
  const request = check((options.tokenRequest ?? {}) as object, REQUEST_RULES, "tokenRequest.");
  if (request.headers) checkHeaders(request.headers as Record<string, string>);

  const baseURL = String(options.baseUrl ?? DEFAULT_BASE_URL);
  const vendor: Record<string, unknown> = { baseURL };
  for (const key in RULES) if (RULES[key]![2] && options[key] !== undefined) vendor[key] = options[key];
  // A copy: what Connect gets is what was checked.
  if (options.preseededSources) vendor.preseededSources = JSON.parse(json(options.preseededSources)!) as unknown[];
  return {
    tokenOrigin: options.tokenUrl
      ? { kind: "url", url: options.tokenUrl as string | URL, request }
      : options.getToken
        ? { kind: "function", getToken: options.getToken as (context: { signal: AbortSignal }) => unknown }
        : { kind: "fixed", token: options.token as string },
    connectOrigin: new URL(baseURL).origin,
    vendor: vendor as ResolvedOptions["vendor"],
    refreshSkewSeconds: (options.refreshSkewSeconds as number | undefined) ?? 60,
  };
}
