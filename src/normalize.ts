import { emptyResult } from "./result";
import type { RequestedProvider, SessionResult, Source } from "./types";

export { emptyResult };

/** Beyond these bounds a payload is not Connect's: the rest is cut, never walked. */
const MAX_DEPTH = 16;
const MAX_ITEMS = 1000;
const MAX_KEYS = 200;
/**
 * The most values (objects, arrays and primitives) one copy reads and holds. Depth and width alone
 * do not bound the work: postMessage keeps shared references, so 12 objects can stand for 4^11.
 */
export const MAX_NODES = 10_000;

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

function items(value: unknown, limit = MAX_ITEMS): unknown[] {
  if (!isArray(value)) return [];
  const declared = own(value, "length");
  const length = typeof declared === "number" ? Math.min(declared, MAX_ITEMS, limit) : 0;
  const out: unknown[] = [];
  for (let i = 0; i < length; i++) out.push(own(value, i));
  return out;
}

/** One value still to copy, where its copy goes, and the task of its parent (for cycles). */
interface Task {
  value: unknown;
  depth: number;
  parent?: Task;
  into?: Record_ | unknown[];
  key: string | number;
}

function onPath(task: Task, value: object): boolean {
  for (let ancestor = task.parent; ancestor; ancestor = ancestor.parent) if (ancestor.value === value) return true;
  return false;
}

/** The copy of a value without its children: a JSON-safe primitive, an empty object or array, or undefined (cut). */
function shell(task: Task): unknown {
  const { value } = task;
  if (!isObject(value)) {
    // Only what JSON can hold: a BigInt (which postMessage can carry) would break JSON.stringify(result).
    return typeof value === "function" || typeof value === "symbol" || typeof value === "bigint" ? undefined : value;
  }
  if (task.depth >= MAX_DEPTH || onPath(task, value)) return undefined;
  return isArray(value) ? [] : {};
}

function place(task: Task, copy: unknown): void {
  if (Array.isArray(task.into)) task.into[task.key as number] = copy;
  else if (task.into && copy !== undefined) {
    Object.defineProperty(task.into, task.key, { value: copy, enumerable: true, writable: true, configurable: true });
  }
}

/** Queues the children of `task` (whose copy is `copy`) while the queue has room; the rest is cut, never read. */
function enqueueChildren(task: Task, copy: Record_ | unknown[], queue: Task[]): void {
  const room = MAX_NODES - queue.length;
  const child = (value: unknown, key: string | number): Task => ({
    value,
    depth: task.depth + 1,
    parent: task,
    into: copy,
    key,
  });
  if (Array.isArray(copy)) {
    for (const item of items(task.value, room)) queue.push(child(item, copy.push(undefined) - 1));
  } else {
    for (const key of ownKeys(task.value as Record_).slice(0, Math.max(room, 0)))
      queue.push(child(own(task.value, key), key));
  }
}

/**
 * A deep copy of plain data that never throws: own enumerable data properties only (no
 * getter runs), functions, symbols and BigInts dropped, cycles and overlong parts cut. Keys such as
 * `__proto__` are copied as plain own properties and never change a prototype. Breadth first, and
 * at most {@link MAX_NODES} values in all: what a cut drops is the deepest part, not the fields Connect reads.
 */
export function copyPayload(value: unknown): unknown {
  const queue: Task[] = [{ value, depth: 0, key: "" }];
  let result: unknown;
  for (let i = 0; i < queue.length; i++) {
    const task = queue[i]!;
    const copy = shell(task);
    if (i === 0) result = copy;
    else place(task, copy);
    if (isObject(copy)) enqueueChildren(task, copy, queue);
  }
  return result;
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
