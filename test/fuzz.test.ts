// @vitest-environment jsdom
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { installGuard, vendorReaction } from "../src/guard";
import { MAX_NODES, copyPayload, normalize } from "../src/normalize";
import type { SessionResult } from "../src/types";

const KEYS = [
  "__proto__",
  "constructor",
  "prototype",
  "type",
  "status",
  "sessionResults",
  "currentConnections",
  "requestedProviders",
  "connectedSources",
  "disconnectedSources",
  "requestedSources",
  "id",
  "name",
  "location",
  "latitude",
  "longitude",
  "physician",
  "healthSystem",
  "address",
  "website",
  "toString",
  "valueOf",
];

/** A few objects standing for a huge tree: every key (or item) of a level points to the same next level. */
const shared: fc.Arbitrary<unknown> = fc
  .record({
    width: fc.integer({ min: 1, max: 8 }),
    depth: fc.integer({ min: 1, max: 40 }),
    asArray: fc.boolean(),
    leaf: fc.jsonValue(),
  })
  .map(({ width, depth, asArray, leaf }) => {
    let level: unknown = leaf;
    for (let i = 0; i < depth; i++) {
      const next: unknown[] = new Array<unknown>(width).fill(level);
      level = asArray ? next : { ...next, status: "SUCCESS", currentConnections: [{ id: "i", name: "n" }] };
    }
    return level;
  });

/** How many values a copy holds, counting every object, array and primitive in it. */
function size(value: unknown): number {
  if (typeof value !== "object" || value === null) return 1;
  return Object.values(value).reduce((sum: number, child) => sum + size(child), 1);
}

/** Objects built to hurt: throwing getters, __proto__ keys, huge arrays, deep nesting, proxies. */
const hostile: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small" },
    fc.jsonValue(),
    fc.anything({
      withBigInt: true,
      withDate: true,
      withMap: true,
      withSet: true,
      withTypedArray: true,
      withSparseArray: true,
      withNullPrototype: true,
      withObjectString: true,
      withBoxedValues: true,
    }),
    fc.dictionary(fc.constantFrom(...KEYS), tie("value"), { maxKeys: 6 }).map((entries) => {
      const target: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(entries))
        Object.defineProperty(target, k, { value: v, enumerable: true, configurable: true, writable: true });
      return target;
    }),
    fc.constantFrom(...KEYS).map((key) =>
      Object.defineProperty({}, key, {
        enumerable: true,
        get() {
          throw new Error(`getter ${key}`);
        },
      }),
    ),
    fc.array(tie("value"), { maxLength: 5 }),
    fc
      .integer({ min: 10_000, max: 200_000 })
      .map((n) => ({ currentConnections: new Array(n).fill({ id: "a", name: "b" }) })),
    fc.integer({ min: 100, max: 5_000 }).map((depth) => {
      let nested: Record<string, unknown> = { id: "x", name: "y" };
      for (let i = 0; i < depth; i++) nested = { sessionResults: nested, connectedSources: [nested] };
      return nested;
    }),
    tie("value").map(
      (inner) =>
        new Proxy(typeof inner === "object" && inner !== null ? inner : {}, {
          get() {
            throw new Error("proxy get");
          },
          ownKeys() {
            throw new Error("proxy ownKeys");
          },
          getOwnPropertyDescriptor() {
            throw new Error("proxy descriptor");
          },
        }),
    ),
    fc
      .jsonValue()
      .map(
        (value) =>
          JSON.parse(
            `{"__proto__": ${JSON.stringify(value)}, "currentConnections": [{"__proto__": {"polluted": 1}, "id": "i", "name": "n"}]}`,
          ) as unknown,
      ),
    shared,
  ),
})).value;

function isSource(value: unknown): boolean {
  const s = value as { id?: unknown; name?: unknown };
  return (
    typeof s === "object" &&
    s !== null &&
    Object.keys(s).sort().join() === "id,name" &&
    typeof s.id === "string" &&
    s.id !== "" &&
    typeof s.name === "string" &&
    s.name !== ""
  );
}

function isProvider(value: unknown): boolean {
  if (typeof value !== "object" || value === null) return false;
  const entries = Object.entries(value as Record<string, unknown>);
  return (
    entries.length > 0 &&
    entries.every(([key, field]) =>
      key === "location"
        ? typeof field === "object" &&
          field !== null &&
          Number.isFinite((field as { latitude: number }).latitude) &&
          Number.isFinite((field as { longitude: number }).longitude)
        : ["physician", "healthSystem", "address", "website"].includes(key) &&
          typeof field === "string" &&
          field !== "",
    )
  );
}

function assertShape(result: SessionResult): void {
  expect(Object.keys(result).sort()).toEqual([
    "connectedSources",
    "currentConnections",
    "disconnectedSources",
    "raw",
    "requestedProviders",
    "requestedSources",
    "status",
  ]);
  expect(typeof result.status).toBe("string");
  for (const list of [result.connectedSources, result.disconnectedSources, result.currentConnections]) {
    expect(Array.isArray(list)).toBe(true);
    expect(list.every(isSource)).toBe(true);
  }
  for (const list of [result.requestedSources, result.requestedProviders]) {
    expect(Array.isArray(list)).toBe(true);
    expect(list.every(isProvider)).toBe(true);
  }
  expect(() => JSON.stringify(result.raw)).not.toThrow();
}

describe("fuzz: the normalizer", () => {
  test("never throws, always returns the typed shape, never pollutes Object.prototype", () => {
    const prototypeKeys = Object.getOwnPropertyNames(Object.prototype).sort();
    fc.assert(
      fc.property(hostile, (payload) => {
        const result = normalize(payload);
        assertShape(result);
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
        expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(prototypeKeys);
      }),
      { numRuns: 400 },
    );
  });
});

describe("fuzz: the payload copy", () => {
  test("holds at most MAX_NODES values, however the payload shares references", () => {
    fc.assert(
      fc.property(fc.oneof(shared, hostile), (payload) => {
        expect(size(copyPayload(payload))).toBeLessThanOrEqual(MAX_NODES);
      }),
      { numRuns: 300 },
    );
  });
});

describe("fuzz: the guard", () => {
  test("lets through exactly the messages from the Connect origin and iframe window, and leaves unrelated ones alone", () => {
    const CONNECT = "https://hapi-connect.humanapi.co";
    const iframe = document.createElement("iframe");
    const other = document.createElement("iframe");
    document.body.append(iframe, other);
    const sources = { frame: iframe.contentWindow, other: other.contentWindow, self: window, none: null } as const;
    // The session dispatches no close message of its own here.
    const source = { origin: CONNECT, window: () => iframe.contentWindow, own: () => undefined };

    const origins = fc.oneof(
      fc.constantFrom(
        CONNECT,
        "https://hapi-connect.humanapi.co.evil.example",
        "http://hapi-connect.humanapi.co",
        "null",
        "",
      ),
      fc.webUrl().map((u) => new URL(u).origin),
    );
    const types = fc.oneof(
      fc.constantFrom(
        "hapi-connect-close",
        "hapi-connect-connect-source",
        "hapi-connect-disconnect-source",
        "close",
        "connect-source",
        "disconnect-source",
        "closehapi-connect-",
        "hapi-connect-other",
        "other",
        "",
      ),
      fc.string(),
      fc.anything(),
    );
    const data = fc.oneof(
      fc.record({ type: types, status: fc.string() }, { requiredKeys: [] }),
      fc.constantFrom(null, undefined, 0, "", "close"),
      fc.anything(),
    );

    fc.assert(
      fc.property(
        origins,
        fc.constantFrom(...(Object.keys(sources) as Array<keyof typeof sources>)),
        data,
        (origin, sourceName, payload) => {
          const trusted: unknown[] = [];
          const remove = installGuard(window, source, (copy) => trusted.push(copy));
          let reachedVendor = false;
          const vendor = () => (reachedVendor = true);
          window.addEventListener("message", vendor);
          try {
            window.dispatchEvent(new MessageEvent("message", { data: payload, origin, source: sources[sourceName] }));
          } finally {
            window.removeEventListener("message", vendor);
            remove();
          }
          const reaction = vendorReaction(payload);
          const fromConnect = origin === CONNECT && sourceName === "frame";
          expect(reachedVendor).toBe(reaction === "ignores" || (reaction === "acts" && fromConnect));
          expect(trusted.length).toBe(reaction === "acts" && fromConnect ? 1 : 0);
        },
      ),
      { numRuns: 1000 },
    );
  });
});
