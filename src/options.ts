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
const isString = (v: unknown) => typeof v == "string" && v != "";
const isObject = (v: unknown) => typeof v == "object" && v !== null && !Array.isArray(v);
const isUrl = (v: unknown) => isString(v) || v instanceof URL;
const isNumber = (v: unknown, min: number, max = Infinity) => typeof v == "number" && v >= min && v <= max;
const isPlainObject = (v: unknown) => {
  if (!isObject(v)) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  // Plain in any realm: a Map or a Headers object would pass isObject, and its entries be lost.
  return proto === null || Object.getPrototypeOf(proto) === null;
};
const OUTSIDE_LATIN1 = /[\u0100-\uffff]/;
/** An HTTP header name (a token, RFC 9110): what fetch accepts. */
const HTTP_TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** `JSON.stringify(value)`, or undefined where it throws (a cycle, a BigInt, a getter that throws). */
function json(value: unknown): string | undefined {
  try {
    return JSON.stringify(value);
  } catch {
    return undefined;
  }
}

/** Every option, its test, and what it must be (said in the error message). Pass-through options are marked. */
type Rule = [test: (v: unknown) => boolean, mustBe: string, passThrough?: 1];
const RULES: Record<string, Rule> = {
  tokenUrl: [isUrl, "a non-empty string or a URL"],
  getToken: [(v) => typeof v == "function", "a function"],
  token: [isString, STRING],
  tokenRequest: [isObject, "an object"],
  baseUrl: [isUrl, "an absolute http(s) URL"],
  mode: [(v) => v == "auth" || v == "select", '"auth" or "select"', 1],
  clientId: [isString, STRING, 1],
  preseed: [(v) => typeof v == "boolean", BOOLEAN, 1],
  preseededSources: [Array.isArray, "an array", 1],
  segment: [isString, STRING, 1],
  pinnedProviders: [(v) => isString(v) || (Array.isArray(v) && v.every(isString)), "a string or an array of strings", 1],
  inviteSessionId: [isString, STRING, 1],
  config: [isString, STRING, 1],
  overlayOpacity: [(v) => isNumber(v, 0, 1), "a number from 0 to 1", 1],
  enableFocusTrap: [(v) => typeof v == "boolean", BOOLEAN, 1],
  refreshSkewSeconds: [(v) => isNumber(v, 0), "a number of seconds, 0 or more"],
};

const REQUEST_RULES: Record<string, Rule> = {
  headers: [(v) => isPlainObject(v) && Object.values(v as object).every((h) => typeof h == "string"), "a plain object of string values"],
  // A function or a symbol serializes to nothing: no body would be sent, under a JSON content type.
  body: [(v) => json(v) !== undefined, "JSON-serializable"],
  credentials: [(v) => v == "omit" || v == "same-origin" || v == "include", '"omit", "same-origin" or "include"'],
  timeoutMs: [(v) => isNumber(v, 1e-9, 2 ** 31 - 1), "a positive number of milliseconds"],
  retries: [(v) => Number.isInteger(v) && isNumber(v, 0, 10), "an integer from 0 to 10"],
};

function invalid(message: string): never {
  throw new ConnectError("INVALID_OPTIONS", `createConnect(): ${message}`, { cause: new TypeError(message) });
}

/**
 * A copy of `preseededSources` that the vendor's `btoa(JSON.stringify())` in select mode can encode:
 * checked here so that it fails before a token is spent, and copied so that what Connect gets is
 * what was checked.
 */
function preseeded(sources: unknown[]): unknown[] {
  const text = json(sources);
  if (text === undefined) {
    invalid('option "preseededSources" must be JSON-serializable (no cycles, BigInts or getters that throw): the vendor client sends it as btoa(JSON.stringify(preseededSources)).');
  }
  if (OUTSIDE_LATIN1.test(text)) {
    invalid('option "preseededSources" has characters outside Latin-1 (such as "ő" or an emoji), which the vendor client cannot encode with btoa: give provider ids, or names in Latin-1 only.');
  }
  return JSON.parse(text) as unknown[];
}

/**
 * Refuses the headers fetch would throw on: that would happen only once the token request starts,
 * be retried as a network error, and carry the value in its message. Values are never echoed.
 */
function checkHeaders(headers: Record<string, string>): void {
  for (const [name, value] of Object.entries(headers)) {
    if (!HTTP_TOKEN.test(name)) {
      invalid('option "tokenRequest.headers" has a header name that is not a valid HTTP token: use only letters, digits and !#$%&\'*+-.^_`|~ in a header name.');
    }
    if (/[\r\n]/.test(value) || value.includes("\0")) {
      invalid(`option "tokenRequest.headers": header "${name}" has a line break (CR or LF) or NUL in its value, which fetch refuses: send the value on one line.`);
    }
    if (OUTSIDE_LATIN1.test(value)) {
      invalid(`option "tokenRequest.headers": header "${name}" has characters outside Latin-1 in its value, which fetch refuses: encode it (e.g. with encodeURIComponent) and decode it on your server.`);
    }
  }
}

/** Runs a rule's test; a test that throws (a getter, a Proxy trap) counts as failed. */
function passes(rule: Rule, value: unknown): boolean {
  try {
    return rule[0](value);
  } catch {
    return false;
  }
}

/** What fetch resolves a relative `tokenUrl` against; outside a page any base does, to check the syntax. */
function pageBase(): string {
  if (typeof document == "object") return document.baseURI;
  return typeof location == "object" ? location.href : "http://localhost/";
}

/**
 * Parses a URL option. Refuses, up front, what would fail only once a token is spent: not a URL,
 * another scheme, or a user name or password (fetch refuses those, and its error echoes them).
 */
function httpUrl(key: string, value: string | URL, base: string | undefined, mustBe: string): URL {
  let url: URL | undefined;
  try {
    url = new URL(value, base);
  } catch {
    // reported below
  }
  if (!url || !/^https?:$/.test(url.protocol)) invalid(`option "${key}" must be ${mustBe}.`);
  if (url.username || url.password) {
    invalid(`option "${key}" must not carry a user name or password, which browsers refuse or expose: remove them from the URL (your backend's credentials go in a cookie or tokenRequest.headers).`);
  }
  return url;
}

/** The options passed to the vendor's `open()`, checked for what it would fail on or garble. */
function vendorOptions(options: Record<string, unknown>, baseURL: string): ResolvedOptions["vendor"] {
  const vendor: Record<string, unknown> = { baseURL };
  for (const key in RULES) if (RULES[key]![2] && options[key] !== undefined) vendor[key] = options[key];
  if (options.preseededSources) vendor.preseededSources = preseeded(options.preseededSources as unknown[]);
  const pinned = options.pinnedProviders;
  if (Array.isArray(pinned) && pinned.some((id: string) => id.includes(","))) {
    invalid('option "pinnedProviders" has an entry with a comma: the vendor client joins the list with commas, so give each provider id as its own entry.');
  }
  return vendor as ResolvedOptions["vendor"];
}

function check(options: object, rules: Record<string, Rule>, prefix: string): Record<string, unknown> {
  const given = options as Record<string, unknown>;
  for (const key in given) {
    const rule = rules[key];
    const value = given[key];
    if (!rule) invalid(`unknown option "${prefix}${key}": check its spelling.`);
    // The value itself is never echoed: it may be a token.
    if (value !== undefined && !passes(rule, value)) {
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
  if (sources.length != 1) {
    invalid(
      sources.length
        ? `give exactly one token source, not ${sources.join(" and ")}.`
        : "give a token source: tokenUrl (your backend's endpoint), getToken (a function) or token (a fixed token).",
    );
  }
  if (options.tokenRequest && !options.tokenUrl) invalid('option "tokenRequest" only applies with tokenUrl.');
  const request = check((options.tokenRequest ?? {}) as object, REQUEST_RULES, "tokenRequest.");
  if (request.headers) checkHeaders(request.headers as Record<string, string>);

  if (options.tokenUrl) {
    httpUrl("tokenUrl", options.tokenUrl as string | URL, pageBase(), 'an http(s) URL, absolute or relative to the page, such as "/api/connect-token"');
  }
  const baseURL = String(options.baseUrl ?? DEFAULT_BASE_URL);
  const connectOrigin = httpUrl("baseUrl", baseURL, undefined, 'an absolute http(s) URL, such as "https://hapi-connect.humanapi.co"').origin;
  return {
    tokenOrigin: options.tokenUrl
      ? { kind: "url", url: options.tokenUrl as string | URL, request }
      : options.getToken
        ? { kind: "function", getToken: options.getToken as (context: { signal: AbortSignal }) => unknown }
        : { kind: "fixed", token: options.token as string },
    connectOrigin,
    vendor: vendorOptions(options, baseURL),
    refreshSkewSeconds: (options.refreshSkewSeconds as number | undefined) ?? 60,
  };
}
