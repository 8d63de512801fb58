import { describe, expect, test } from "vitest";
import { copyPayload, emptyResult, normalize } from "../src/normalize";

const STARFLEET = { name: "Starfleet Pharmacy", id: "5b1daf3f079c652eaf41fd23" };

describe("normalize", () => {
  test("reads the documented payload into typed lists", () => {
    const provider = { physician: "Dr. Crusher", healthSystem: "Starfleet Medical", address: "1 Main St", website: "https://x.example", location: { latitude: 1.5, longitude: -2 } };
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
      currentConnections: [STARFLEET, { id: "a" }, { name: "b" }, { id: 1, name: "c" }, null, "x", { ...STARFLEET, extra: "dropped" }, { id: "", name: "e" }],
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
    const fallback = { ...emptyResult("CONNECTED_SOURCE"), connectedSources: [STARFLEET], currentConnections: [STARFLEET] };
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
    const payload = JSON.parse('{"__proto__": {"polluted": true}, "currentConnections": [{"__proto__": {"id": "x"}, "id": "1", "name": "n"}]}') as unknown;
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
    const huge = normalize({ currentConnections: Array.from({ length: 100_000 }, (_, i) => ({ id: String(i), name: "n" })) });
    expect(huge.currentConnections.length).toBe(1000);
  });
});
