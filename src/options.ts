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
export const DEFAULT_BASE_URL = "https://hapi-connect.humanapi.co";
const DEFAULT_SKEW_SECONDS = 60;

function kind(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value;
}

function invalid(message: string): never {
  throw new ConnectError("INVALID_OPTIONS", `createConnect(): ${message}`, { cause: new TypeError(message) });
}

type Check = (value: unknown) => boolean;
const isString: Check = (v) => typeof v === "string" && v.length > 0;
const isBoolean: Check = (v) => typeof v === "boolean";
const isFunction: Check = (v) => typeof v === "function";
const isPlainObject: Check = (v) => typeof v === "object" && v !== null && !Array.isArray(v);
const isUrlLike: Check = (v) => isString(v) || v instanceof URL;

/** Every option, with its test and what it must be (said in the error message). */
const RULES: Record<string, [Check, string]> = {
  tokenUrl: [isUrlLike, "a non-empty string or a URL"],
  getToken: [isFunction, "a function"],
  token: [isString, "a non-empty string"],
  tokenRequest: [isPlainObject, "an object"],
  baseUrl: [isUrlLike, "an absolute http(s) URL"],
  mode: [(v) => v === "auth" || v === "select", 'either "auth" or "select"'],
  clientId: [isString, "a non-empty string"],
  preseed: [isBoolean, "a boolean"],
  preseededSources: [Array.isArray, "an array"],
  segment: [isString, "a non-empty string"],
  pinnedProviders: [
    (v) => isString(v) || (Array.isArray(v) && v.every((p) => isString(p))),
    "a string or an array of strings",
  ],
  inviteSessionId: [isString, "a non-empty string"],
  config: [isString, "a non-empty string"],
  overlayOpacity: [(v) => typeof v === "number" && v >= 0 && v <= 1, "a number from 0 to 1"],
  enableFocusTrap: [isBoolean, "a boolean"],
  refreshSkewSeconds: [(v) => typeof v === "number" && Number.isFinite(v) && v >= 0, "a number of seconds, 0 or more"],
};

const REQUEST_RULES: Record<string, [Check, string]> = {
  headers: [
    (v) => isPlainObject(v) && Object.values(v as object).every((h) => typeof h === "string"),
    "an object of string header values",
  ],
  body: [() => true, "JSON-serializable"],
  credentials: [(v) => v === "omit" || v === "same-origin" || v === "include", '"omit", "same-origin" or "include"'],
  timeoutMs: [(v) => typeof v === "number" && Number.isFinite(v) && v > 0, "a positive number of milliseconds"],
  retries: [(v) => Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 10, "an integer from 0 to 10"],
};

function checkAll(options: Record<string, unknown>, rules: Record<string, [Check, string]>, prefix: string): void {
  for (const key of Object.keys(options)) {
    const rule = rules[key];
    if (!rule) invalid(`unknown option "${prefix}${key}": check its spelling against the documented options.`);
    const value = options[key];
    if (value !== undefined && !rule[0](value)) invalid(`option "${prefix}${key}" must be ${rule[1]} (got ${kind(value)}).`);
  }
}

function connectOriginOf(baseUrl: string | URL): string {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    return invalid('option "baseUrl" must be an absolute http(s) URL, such as "https://hapi-connect.humanapi.co".');
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    invalid('option "baseUrl" must be an absolute http(s) URL, such as "https://hapi-connect.humanapi.co".');
  }
  return url.origin;
}

/** Validates `createConnect()` options; throws `ConnectError` `INVALID_OPTIONS` naming the option. */
export function resolveOptions(input: unknown): ResolvedOptions {
  if (!isPlainObject(input)) invalid(`options must be an object with tokenUrl, getToken or token (got ${kind(input)}).`);
  const options = input as Record<string, unknown>;
  checkAll(options, RULES, "");

  const sources = (["tokenUrl", "getToken", "token"] as const).filter((key) => options[key] !== undefined);
  if (sources.length !== 1) {
    invalid(
      sources.length === 0
        ? "give a token source: tokenUrl (your backend's endpoint), getToken (a function) or token (a fixed token)."
        : `give exactly one token source, not ${sources.join(" and ")}.`,
    );
  }
  const request = (options.tokenRequest ?? {}) as Record<string, unknown>;
  if (options.tokenRequest !== undefined && sources[0] !== "tokenUrl") {
    invalid('option "tokenRequest" only applies with tokenUrl.');
  }
  checkAll(request, REQUEST_RULES, "tokenRequest.");
  if (request.body !== undefined) {
    try {
      JSON.stringify(request.body);
    } catch {
      invalid('option "tokenRequest.body" must be JSON-serializable.');
    }
  }

  const tokenOrigin: TokenOrigin =
    sources[0] === "tokenUrl"
      ? { kind: "url", url: options.tokenUrl as string | URL, request }
      : sources[0] === "getToken"
        ? { kind: "function", getToken: options.getToken as (context: { signal: AbortSignal }) => unknown }
        : { kind: "fixed", token: options.token as string };

  const baseURL = String(options.baseUrl ?? DEFAULT_BASE_URL);
  const vendor: ResolvedOptions["vendor"] = { baseURL };
  for (const key of [
    "mode",
    "clientId",
    "preseed",
    "preseededSources",
    "segment",
    "pinnedProviders",
    "inviteSessionId",
    "config",
    "overlayOpacity",
    "enableFocusTrap",
  ] as const) {
    if (options[key] !== undefined) (vendor as Record<string, unknown>)[key] = options[key];
  }
  return {
    tokenOrigin,
    connectOrigin: connectOriginOf(baseURL),
    vendor,
    refreshSkewSeconds: (options.refreshSkewSeconds as number | undefined) ?? DEFAULT_SKEW_SECONDS,
  };
}
