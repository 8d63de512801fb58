import { ConnectError } from "./errors";
import type { TokenOrigin } from "./token";
import type { ConnectCommonOptions, ConnectPassThroughOptions, TokenRequestOptions } from "./types";
import type { VendorOpenOptions } from "./vendor";

/** Options after validation: what the session needs, in the shapes it needs. */
export interface ResolvedOptions {
  tokenOrigin: TokenOrigin;
  /** The exact origin of `baseUrl`: the only one whose messages reach the vendor. */
  connectOrigin: string;
  vendor: Omit<VendorOpenOptions, "token" | "version">;
  refreshSkewSeconds: number;
}

/** How one option is checked: `test` passes valid values; `mustBe` says what it must be (never echoing the value). */
interface Rule<PassThrough extends boolean = boolean> {
  test: (value: unknown) => boolean;
  mustBe: string;
  /** Handed to the vendor client's `open()` as it is. */
  passThrough: PassThrough;
}

const rule = (test: Rule["test"], mustBe: string): Rule<false> => ({ test, mustBe, passThrough: false });
const passThrough = (test: Rule["test"], mustBe: string): Rule<true> => ({ test, mustBe, passThrough: true });

/** Human API's hosted Connect app. */
const DEFAULT_BASE_URL = "https://hapi-connect.humanapi.co";

const STRING = "a non-empty string";
const isString = (v: unknown) => typeof v === "string" && v !== "";
/** A non-null object that is not an array. */
const isRecord = (v: unknown) => typeof v === "object" && v !== null && !Array.isArray(v);
const isBoolean = (v: unknown) => typeof v === "boolean";
const isNumber = (v: unknown, min: number, max = Infinity) => typeof v === "number" && v >= min && v <= max;

/** `JSON.stringify(value)`, or undefined where it throws (a cycle, a BigInt). */
function json(value: unknown): string | undefined {
  try {
    return JSON.stringify(value);
  } catch {
    // not serializable: undefined
  }
}

/** An http(s) URL (a string or a URL) with no user name or password: fetch refuses those, and its error echoes them. */
function isHttpUrl(value: unknown, base?: string): boolean {
  try {
    const url = new URL(isString(value) || value instanceof URL ? (value as string) : "x:", base);
    return /^https?:$/.test(url.protocol) && !url.username && !url.password;
  } catch {
    return false;
  }
}

const HTTP_URL = "http(s) URL with no user name or password, such as ";

/** Every `createConnect()` option. The pass-through ones are the vendor's own options, under the same names. */
const RULES = {
  // Relative to any http base: an http(s) page resolves it the same way.
  tokenUrl: rule((v) => isHttpUrl(v, "http://a"), `an ${HTTP_URL}"/api/connect-token"`),
  getToken: rule((v) => typeof v === "function", "a function"),
  token: rule(isString, STRING),
  tokenRequest: rule(isRecord, "an object"),
  baseUrl: rule((v) => isHttpUrl(v), `an absolute ${HTTP_URL}"${DEFAULT_BASE_URL}"`),
  refreshSkewSeconds: rule((v) => isNumber(v, 0), "a number of seconds, 0 or more"),
  mode: passThrough((v) => v === "auth" || v === "select", '"auth" or "select"'),
  clientId: passThrough(isString, STRING),
  preseed: passThrough(isBoolean, "a boolean"),
  // The vendor client sends it as btoa(JSON.stringify(preseededSources)).
  preseededSources: passThrough(
    (v) => Array.isArray(v) && !/[^\0-\xff]/.test(json(v) ?? "\u0100"),
    "an array of JSON in Latin-1, for the vendor client's btoa",
  ),
  segment: passThrough(isString, STRING),
  // The vendor client joins the list with commas.
  pinnedProviders: passThrough(
    (v) => isString(v) || (Array.isArray(v) && v.every((id) => isString(id) && !id.includes(","))),
    "a string or an array of strings without commas",
  ),
  inviteSessionId: passThrough(isString, STRING),
  config: passThrough(isString, STRING),
  overlayOpacity: passThrough((v) => isNumber(v, 0, 1), "a number from 0 to 1"),
  enableFocusTrap: passThrough(isBoolean, "a boolean"),
} satisfies Record<keyof ConnectCommonOptions | "tokenUrl" | "getToken" | "token" | "tokenRequest", Rule> &
  // The compiler checks the pass-through list against ConnectPassThroughOptions (src/types.ts) both ways.
  Record<keyof ConnectPassThroughOptions, Rule<true>> &
  Record<
    | Exclude<keyof ConnectCommonOptions, keyof ConnectPassThroughOptions>
    | "tokenUrl"
    | "getToken"
    | "token"
    | "tokenRequest",
    Rule<false>
  >;

const REQUEST_RULES = {
  // Plain in any realm (its prototype's prototype is null): a Map or a Headers object would lose its entries.
  headers: rule(
    (v) =>
      isRecord(v) &&
      !Object.getPrototypeOf(Object.getPrototypeOf(v) ?? Object.prototype) &&
      Object.values(v as object).every((h) => typeof h === "string"),
    "a plain object of string values",
  ),
  // A function or a symbol serializes to nothing: no body would be sent, under a JSON content type.
  body: rule((v) => json(v) !== undefined, "JSON-serializable"),
  credentials: rule(
    (v) => v === "omit" || v === "same-origin" || v === "include",
    '"omit", "same-origin" or "include"',
  ),
  timeoutMs: rule((v) => isNumber(v, 1e-9, 2 ** 31 - 1), "a positive number of milliseconds"),
  retries: rule((v) => Number.isInteger(v) && isNumber(v, 0, 10), "an integer from 0 to 10"),
} satisfies Record<keyof TokenRequestOptions, Rule>;

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
      invalid(
        `option "tokenRequest.headers" has a header fetch refuses${/^[\w-]+$/.test(name) ? ` ("${name}")` : ""}: give names of letters, digits and hyphens, and one-line Latin-1 values.`,
      );
    }
  }
}

function check(options: object, rules: Record<string, Rule>, prefix: string): Record<string, unknown> {
  const given = options as Record<string, unknown>;
  for (const key in given) {
    const value = given[key];
    if (!Object.prototype.hasOwnProperty.call(rules, key))
      invalid(`unknown option "${prefix}${key}": check its spelling.`);
    // The value itself is never echoed: it may be a token.
    if (value !== undefined && !rules[key]!.test(value)) {
      invalid(
        `option "${prefix}${key}" must be ${rules[key]!.mustBe} (got ${value === null ? "null" : Array.isArray(value) ? "an array" : typeof value}).`,
      );
    }
  }
  return given;
}

/** The token source the options name; exactly one, and `tokenRequest` only where it applies. */
function tokenOrigin(options: Record<string, unknown>): TokenOrigin {
  const sources = ["tokenUrl", "getToken", "token"].filter((key) => options[key] !== undefined);
  if (sources.length !== 1) {
    invalid(
      sources.length
        ? `give exactly one token source, not ${sources.join(" and ")}.`
        : "give a token source: tokenUrl (your backend's endpoint), getToken (a function) or token (a fixed token).",
    );
  }
  // Copies: what is used later is what was checked, whatever the app does to its objects.
  const request = { ...check((options.tokenRequest ?? {}) as object, REQUEST_RULES, "tokenRequest.") };
  if (request.headers) request.headers = { ...request.headers };
  if (request.body !== undefined) request.body = JSON.parse(json(request.body)!) as unknown;
  if (options.tokenRequest && !options.tokenUrl) {
    // getToken has a time limit too; the rest of tokenRequest is about the HTTP request.
    const extra = options.getToken ? Object.keys(request).find((key) => key !== "timeoutMs") : "";
    if (extra !== undefined) invalid(`option "tokenRequest${extra ? `.${extra}` : ""}" only applies with tokenUrl.`);
  }
  if (request.headers) checkHeaders(request.headers as Record<string, string>);
  if (options.tokenUrl) return { kind: "url", url: String(options.tokenUrl), request };
  if (options.token) return { kind: "fixed", token: options.token as string };
  return {
    kind: "function",
    getToken: options.getToken as (context: { signal: AbortSignal }) => unknown,
    timeoutMs: request.timeoutMs as number | undefined,
  };
}

/** Validates `createConnect()` options; throws `ConnectError` `INVALID_OPTIONS` naming the option. */
export function resolveOptions(input: unknown): ResolvedOptions {
  if (!isRecord(input)) invalid("options must be an object with tokenUrl, getToken or token.");
  const options = check(input as object, RULES, "");
  const origin = tokenOrigin(options);
  const baseURL = String(options.baseUrl ?? DEFAULT_BASE_URL);
  const vendor: Record<string, unknown> = { baseURL };
  // JSON copies: what Connect gets is what was checked.
  for (const [key, { passThrough }] of Object.entries(RULES))
    if (passThrough && options[key] !== undefined) vendor[key] = JSON.parse(json(options[key])!) as unknown;
  return {
    tokenOrigin: origin,
    connectOrigin: new URL(baseURL).origin,
    vendor: vendor as ResolvedOptions["vendor"],
    refreshSkewSeconds: (options.refreshSkewSeconds as number | undefined) ?? 60,
  };
}
