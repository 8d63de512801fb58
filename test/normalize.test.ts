import { describe, expect, test } from "vitest";
import { MAX_NODES, copyPayload, emptyResult, normalize } from "../src/normalize";

const STARFLEET = { name: "Starfleet Pharmacy", id: "5b1daf3f079c652eaf41fd23" };

/** `depth` objects, each with `width` keys that all point to the next one (postMessage keeps such sharing). */
function shared(
  width: number,
  depth: number,
  wrap: (level: object) => object = (level) => level,
): Record<string, unknown> {
  let level: object = { ...STARFLEET };
  for (let i = 0; i < depth; i++) {
    const next: Record<string, unknown> = {};
    for (let k = 0; k < width; k++) next[`k${k}`] = level;
    level = wrap(next);
  }
  return level as Record<string, unknown>;
}

/** How many values a copy holds, counting every object, array and primitive in it. */
function size(value: unknown): number {
  if (typeof value !== "object" || value === null) return 1;
  return Object.values(value).reduce((sum: number, child) => sum + size(child), 1);
}

describe("normalize", () => {
  test("reads the documented payload into typed lists", () => {
    const provider = {
      physician: "Dr. Crusher",
      healthSystem: "Starfleet Medical",
      address: "1 Main St",
      website: "https://x.example",
      location: { latitude: 1.5, longitude: -2 },
    };
    const result = normalize({
      type: "hapi-connect-close",
      status: "SUCCESS",
      sessionResults: { connectedSources: [STARFLEET], disconnectedSources: [STARFLEET], requestedSources: [provider] },
      currentConnections: [STARFLEET],
      requestedProviders: [provider],
    });
    expect(result).toMatchObject({
      status: "SUCCESS",
      connectedSources: [STARFLEET],
      disconnectedSources: [STARFLEET],
      requestedSources: [provider],
      currentConnections: [STARFLEET],
      requestedProviders: [provider],
    });
  });

  test("drops sources without both a string id and name, and keeps only id and name", () => {
    const result = normalize({
      currentConnections: [
        STARFLEET,
        { id: "a" },
        { name: "b" },
        { id: 1, name: "c" },
        null,
        "x",
        { ...STARFLEET, extra: "dropped" },
        { id: "", name: "e" },
      ],
    });
    expect(result.currentConnections).toEqual([STARFLEET, STARFLEET]);
  });

  test("keeps only documented provider fields of the right type", () => {
    const result = normalize({
      requestedProviders: [
        { physician: 5, healthSystem: "HS", website: null, location: { latitude: "1", longitude: 2 }, admin: true },
        { location: { latitude: Number.NaN, longitude: 1 } },
        "not an object",
      ],
    });
    expect(result.requestedProviders).toEqual([{ healthSystem: "HS" }]);
  });

  test.each([null, undefined, 42, "close", [], true])("turns %j into an empty SUCCESS result", (payload) => {
    expect(normalize(payload)).toEqual({ ...emptyResult("SUCCESS"), raw: copyPayload(payload) });
  });

  test("fills lists of the wrong type from the fallback", () => {
    const fallback = {
      ...emptyResult("CONNECTED_SOURCE"),
      connectedSources: [STARFLEET],
      currentConnections: [STARFLEET],
    };
    const result = normalize({ status: "SUCCESS", sessionResults: "oops", currentConnections: {} }, fallback);
    expect(result.connectedSources).toEqual([STARFLEET]);
    expect(result.currentConnections).toEqual([STARFLEET]);
    expect(result.connectedSources).not.toBe(fallback.connectedSources);
  });

  test("an empty list in the payload wins over the fallback", () => {
    const fallback = { ...emptyResult("CONNECTED_SOURCE"), currentConnections: [STARFLEET] };
    expect(normalize({ currentConnections: [] }, fallback).currentConnections).toEqual([]);
  });

  test("never runs getters and survives traps that throw", () => {
    let ran = false;
    const payload = {
      get status() {
        ran = true;
        return "SUCCESS";
      },
      currentConnections: new Proxy([STARFLEET], {
        getOwnPropertyDescriptor() {
          throw new Error("trap");
        },
      }),
    };
    const result = normalize(payload);
    expect(ran).toBe(false);
    expect(result.currentConnections).toEqual([]);
  });

  test("copies __proto__ keys as plain data and pollutes nothing", () => {
    const payload = JSON.parse(
      '{"__proto__": {"polluted": true}, "currentConnections": [{"__proto__": {"id": "x"}, "id": "1", "name": "n"}]}',
    ) as unknown;
    const result = normalize(payload);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(result.raw)).toBe(Object.prototype);
    expect(Object.prototype.hasOwnProperty.call(result.raw, "__proto__")).toBe(true);
    expect(result.currentConnections).toEqual([{ id: "1", name: "n" }]);
  });

  test("cuts cycles, deep nesting and huge lists", () => {
    const cyclic: Record<string, unknown> = { status: "SUCCESS" };
    cyclic.self = cyclic;
    expect(() => normalize(cyclic)).not.toThrow();
    let deep: Record<string, unknown> = {};
    const root = deep;
    for (let i = 0; i < 10_000; i++) deep = (deep.next = {}) as Record<string, unknown>;
    expect(() => normalize(root)).not.toThrow();
    const huge = normalize({
      currentConnections: Array.from({ length: 100_000 }, (_, i) => ({ id: String(i), name: "n" })),
    });
    expect(huge.currentConnections.length).toBe(1000);
  });

  test("copies a payload of shared references (width 4, depth 8) into at most MAX_NODES values", () => {
    const copy = copyPayload({ status: "SUCCESS", tree: shared(4, 8) });
    expect(size(copy)).toBeLessThanOrEqual(MAX_NODES);
    expect(size(copy)).toBeGreaterThan(MAX_NODES / 2);
  });

  test("visits at most MAX_NODES objects of a payload of shared references, however deep the sharing", () => {
    let visited = 0;
    const counted = (level: object) => new Proxy(level, { ownKeys: (target) => (visited++, Reflect.ownKeys(target)) });
    copyPayload(shared(4, 8, counted));
    expect(visited).toBeGreaterThan(0);
    expect(visited).toBeLessThanOrEqual(MAX_NODES);
  });

  test("cuts the deepest parts first: the fields Connect reads survive a payload past the budget", () => {
    const payload = {
      type: "hapi-connect-close",
      junk: shared(4, 8),
      status: "SUCCESS",
      currentConnections: [STARFLEET],
    };
    const result = normalize(payload);
    expect(result.status).toBe("SUCCESS");
    expect(result.currentConnections).toEqual([STARFLEET]);
    expect(size(result.raw)).toBeLessThanOrEqual(MAX_NODES);
  });
});
