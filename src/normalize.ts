import type { RequestedProvider, SessionResult, SessionStatus, Source } from "./types";

/** Beyond these bounds a payload is not Connect's: the rest is cut, never walked. */
const MAX_DEPTH = 16;
const MAX_ITEMS = 1000;
const MAX_KEYS = 200;

type Record_ = Record<string, unknown>;

function isObject(value: unknown): value is Record_ {
  return typeof value === "object" && value !== null;
}

function isArray(value: unknown): value is unknown[] {
  try {
    return Array.isArray(value);
  } catch {
    return false; // a revoked Proxy
  }
}

/**
 * Reads an own data property without running getters or Proxy traps' side effects we
 * could not survive: accessors count as missing, and anything that throws counts as missing.
 */
function own(value: unknown, key: string | number): unknown {
  if (!isObject(value)) return undefined;
  try {
    const descriptor = Object.getOwnPropertyDescriptor(value, key);
    return descriptor && "value" in descriptor ? descriptor.value : undefined;
  } catch {
    return undefined;
  }
}

function ownKeys(value: Record_): string[] {
  try {
    return Object.keys(value).slice(0, MAX_KEYS);
  } catch {
    return [];
  }
}

function items(value: unknown): unknown[] {
  if (!isArray(value)) return [];
  const declared = own(value, "length");
  const length = typeof declared === "number" ? Math.min(declared, MAX_ITEMS) : 0;
  const out: unknown[] = [];
  for (let i = 0; i < length; i++) out.push(own(value, i));
  return out;
}

/**
 * A deep copy of plain data that never throws: own enumerable data properties only (no
 * getter runs), functions, symbols and BigInts dropped, cycles and overlong parts cut. Keys such as
 * `__proto__` are copied as plain own properties and never change a prototype.
 */
export function copyPayload(value: unknown, depth = 0, seen = new Set<object>()): unknown {
  if (!isObject(value)) {
    // Only what JSON can hold: a BigInt (which postMessage can carry) would break JSON.stringify(result).
    return typeof value === "function" || typeof value === "symbol" || typeof value === "bigint" ? undefined : value;
  }
  if (depth >= MAX_DEPTH || seen.has(value)) return undefined;
  seen.add(value);
  try {
    if (isArray(value)) return items(value).map((item) => copyPayload(item, depth + 1, seen));
    const out: Record_ = {};
    for (const key of ownKeys(value)) {
      const copied = copyPayload(own(value, key), depth + 1, seen);
      if (copied !== undefined) {
        Object.defineProperty(out, key, { value: copied, enumerable: true, writable: true, configurable: true });
      }
    }
    return out;
  } finally {
    seen.delete(value);
  }
}

function text(value: unknown): string | undefined {
  return typeof value === "string" && value.length > 0 ? value : undefined;
}

function sources(value: unknown): Source[] {
  const out: Source[] = [];
  for (const item of items(value)) {
    const id = text(own(item, "id"));
    const name = text(own(item, "name"));
    if (id !== undefined && name !== undefined) out.push({ id, name });
  }
  return out;
}

function coordinate(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}

const PROVIDER_TEXT_FIELDS = ["physician", "healthSystem", "address", "website"] as const;

function providers(value: unknown): RequestedProvider[] {
  const out: RequestedProvider[] = [];
  for (const item of items(value)) {
    if (!isObject(item)) continue;
    const provider: RequestedProvider = {};
    for (const field of PROVIDER_TEXT_FIELDS) {
      const fieldValue = text(own(item, field));
      if (fieldValue !== undefined) provider[field] = fieldValue;
    }
    const location = own(item, "location");
    const latitude = coordinate(own(location, "latitude"));
    const longitude = coordinate(own(location, "longitude"));
    if (latitude !== undefined && longitude !== undefined) provider.location = { latitude, longitude };
    if (Object.keys(provider).length > 0) out.push(provider);
  }
  return out;
}

/** An empty result: the starting point before Connect reported anything. */
export function emptyResult(status: SessionStatus): SessionResult {
  return {
    status,
    connectedSources: [],
    disconnectedSources: [],
    requestedSources: [],
    currentConnections: [],
    requestedProviders: [],
    raw: undefined,
  };
}

/**
 * Turns a Connect payload (anything at all) into a typed {@link SessionResult}; never throws.
 * Parts the payload lacks (or sends with the wrong type) come from `fallback`, the session's
 * last snapshot, so a terse close still reports what the session did.
 */
export function normalize(payload: unknown, fallback: SessionResult = emptyResult("SUCCESS")): SessionResult {
  return normalizeCopy(copyPayload(payload), fallback);
}

/** {@link normalize} for a payload already copied with {@link copyPayload} (as the guard does). */
export function normalizeCopy(raw: unknown, fallback: SessionResult): SessionResult {
  const status = text(own(raw, "status")) ?? "SUCCESS";
  const sessionResults = own(raw, "sessionResults");
  const hasSession = isObject(sessionResults) && !isArray(sessionResults);
  const current = own(raw, "currentConnections");
  const requested = own(raw, "requestedProviders");
  return {
    status,
    connectedSources: hasSession ? sources(own(sessionResults, "connectedSources")) : [...fallback.connectedSources],
    disconnectedSources: hasSession
      ? sources(own(sessionResults, "disconnectedSources"))
      : [...fallback.disconnectedSources],
    requestedSources: hasSession ? providers(own(sessionResults, "requestedSources")) : [...fallback.requestedSources],
    currentConnections: isArray(current) ? sources(current) : [...fallback.currentConnections],
    requestedProviders: isArray(requested) ? providers(requested) : [...fallback.requestedProviders],
    raw,
  };
}
