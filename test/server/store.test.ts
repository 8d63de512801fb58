import { inspect } from "node:util";
import { afterEach, describe, expect, test, vi } from "vitest";
import { createTokenIssuer, type TokenIssuer } from "../../src/server/index";
import { storeKeys } from "../../src/server/store-key";
import { ada, humanApi, humanApiError, issuerFor, type HumanApi } from "./helpers";
import { failingStore, recordingStore, storeErrors, storeFailure, type Fault } from "./stores";

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

/** The token requests the service gets from now on, by type. */
function upstreamFrom(api: HumanApi): () => unknown[] {
  const mark = api.bodies.length;
  return () => api.bodies.slice(mark).map((body) => body.type);
}

/** Makes `user` a returning user (a source connected) that `issuer` has learned: session, then session 403 and id. */
async function learn(api: HumanApi, issuer: TokenIssuer, user = ada): Promise<void> {
  await issuer.connectToken(user);
  api.connectSource(user.userId);
  await issuer.connectToken(user);
}

const DAYS_30 = 30 * 24 * 60 * 60 * 1000;

describe("createTokenIssuer's store", () => {
  test("remembers a returning user as { v: 1 } under storePrefix and 64 hex digits, for returningUserTtlMs", async () => {
    const api = await humanApi();
    const { store, calls } = recordingStore();
    await learn(api, issuerFor(api, { store }));
    const sets = calls.filter((call) => call.operation === "set");
    expect(sets).toEqual([
      {
        operation: "set",
        key: expect.stringMatching(/^humanconnect-kit:[0-9a-f]{64}$/),
        value: { v: 1 },
        ttlMs: DAYS_30,
      },
    ]);
    const next = upstreamFrom(api);
    await issuerFor(api, { store, storePrefix: "other:" }).connectToken(ada);
    expect(calls.at(-1)?.key).toMatch(/^other:[0-9a-f]{64}$/);
    expect(next()).toEqual(["session", "id"]);
  });

  test("a second issuer over the same store (another instance) gives a learned user an id token with one upstream call", async () => {
    const api = await humanApi();
    const { store } = recordingStore();
    await learn(api, issuerFor(api, { store, returningUserTtlMs: 60_000 }));
    const next = upstreamFrom(api);
    await expect(issuerFor(api, { store }).connectToken(ada)).resolves.toMatchObject({ kind: "id" });
    expect(next()).toEqual(["id"]);
  });

  test("never hands the store a token, a refresh token, the secret, the e-mail or the user id", async () => {
    const api = await humanApi();
    const { store, calls } = recordingStore();
    const issuer = issuerFor(api, { store });
    const given = [(await issuer.connectToken(ada)).token];
    api.connectSource(ada.userId);
    given.push((await issuer.connectToken(ada)).token, (await issuer.connectToken(ada)).token);
    api.faults.push("500", "500");
    await humanApiError(issuer.connectToken(ada));
    const seen = JSON.stringify(calls);
    expect(calls.map((call) => call.operation)).toEqual(["get", "get", "set", "get", "get", "delete"]);
    for (const secret of [...given, api.clientSecret, ada.email, ada.userId]) expect(seen).not.toContain(secret);
  });

  test("a user id of 255 characters works with a store that refuses keys over 250 characters", async () => {
    const api = await humanApi();
    const { store: map } = recordingStore();
    const { errors, onStoreError } = storeErrors();
    const strict = {
      get: (key: string) => (key.length > 250 ? Promise.reject(new Error("key too long")) : map.get(key)),
      set: (key: string, value: { v: 1 }) =>
        key.length > 250 ? Promise.reject(new Error("key too long")) : map.set(key, value),
      delete: (key: string) => (key.length > 250 ? Promise.reject(new Error("key too long")) : map.delete(key)),
    };
    const user = { userId: "u".repeat(255), email: "long@example.com" };
    const issuer = issuerFor(api, { store: strict, onStoreError });
    await learn(api, issuer, user);
    const next = upstreamFrom(api);
    await issuer.connectToken(user);
    expect(next()).toEqual(["id"]);
    expect(errors).toEqual([]);
  });

  test("keys differ by client id, so two Human API apps can share a store; the same user gives the same key", async () => {
    const key = storeKeys("p:", "client-a");
    expect(await key("u-1")).toBe(await key("u-1"));
    expect(await key("u-1")).not.toBe(await storeKeys("p:", "client-b")("u-1"));
    expect(await key("u-1")).not.toBe(await key("u-2"));
  });

  test("the default store forgets a returning user after returningUserTtlMs", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const api = await humanApi();
    const issuer = issuerFor(api, { returningUserTtlMs: 60_000 });
    await learn(api, issuer);
    vi.setSystemTime(Date.now() + 59_999);
    let next = upstreamFrom(api);
    await issuer.connectToken(ada);
    expect(next()).toEqual(["id"]);
    vi.setSystemTime(Date.now() + 1);
    next = upstreamFrom(api);
    await issuer.connectToken(ada);
    expect(next()).toEqual(["session", "id"]);
  });
});

describe("a store that fails never blocks a token", () => {
  const faults: Fault[] = ["throws", "rejects", "never answers"];

  test.each(faults)("get() that %s: a miss (session, then id), reported, the token issued", async (fault) => {
    const api = await humanApi();
    const { store, failing } = failingStore("get", fault);
    const { errors, onStoreError } = storeErrors();
    const issuer = issuerFor(api, { store, onStoreError, storeTimeoutMs: 20 });
    failing.on = false;
    await learn(api, issuer);
    failing.on = true;
    const next = upstreamFrom(api);
    await expect(issuer.connectToken(ada)).resolves.toMatchObject({ kind: "id" });
    expect(next()).toEqual(["session", "id"]);
    const code = fault === "never answers" ? "TIMEOUT" : "FAILED";
    expect(errors).toMatchObject([{ name: "StoreError", code, operation: "get" }]);
    if (code === "FAILED") expect(errors[0]?.cause).toBe(storeFailure);
  });

  test.each([...faults, "answers false" as const])(
    "set() that %s: the id token issued, reported, the user not remembered",
    async (fault) => {
      const api = await humanApi();
      const { store } = failingStore("set", fault);
      const { errors, onStoreError } = storeErrors();
      const issuer = issuerFor(api, { store, onStoreError, storeTimeoutMs: 20 });
      await learn(api, issuer);
      const code = { throws: "FAILED", rejects: "FAILED", "never answers": "TIMEOUT", "answers false": "NOT_WRITTEN" }[
        fault
      ];
      expect(errors).toMatchObject([{ code, operation: "set" }]);
      const next = upstreamFrom(api);
      await expect(issuer.connectToken(ada)).resolves.toMatchObject({ kind: "id" });
      expect(next()).toEqual(["session", "id"]);
    },
  );

  test.each(faults)("delete() that %s after a failed id request: reported, the HumanApiError thrown", async (fault) => {
    const api = await humanApi();
    const { store } = failingStore("delete", fault);
    const { errors, onStoreError } = storeErrors();
    const issuer = issuerFor(api, { store, onStoreError, storeTimeoutMs: 20 });
    await learn(api, issuer);
    api.faults.push("500", "500");
    expect(await humanApiError(issuer.connectToken(ada))).toMatchObject({ code: "UPSTREAM_ERROR" });
    expect(errors).toMatchObject([{ code: fault === "never answers" ? "TIMEOUT" : "FAILED", operation: "delete" }]);
  });

  test("a key that cannot be hashed (Web Crypto failing) counts as a store failure: reported, the token issued", async () => {
    const api = await humanApi();
    const { store, calls } = recordingStore();
    const { errors, onStoreError } = storeErrors();
    const issuer = issuerFor(api, { store, onStoreError });
    vi.spyOn(crypto.subtle, "digest").mockRejectedValue(storeFailure);
    await expect(issuer.connectToken(ada)).resolves.toMatchObject({ kind: "session" });
    expect(errors).toMatchObject([{ code: "FAILED", operation: "get", cause: storeFailure }]);
    expect(calls).toEqual([]);
  });

  test("a user whose id request fails is deleted from the store, and costs session then id next time", async () => {
    const api = await humanApi();
    const { store, map } = recordingStore();
    const issuer = issuerFor(api, { store });
    await learn(api, issuer);
    expect(map.size).toBe(1);
    api.faults.push("500", "500");
    await humanApiError(issuer.connectToken(ada));
    expect(map.size).toBe(0);
    const next = upstreamFrom(api);
    await issuer.connectToken(ada);
    expect(next()).toEqual(["session", "id"]);
  });

  test("an onStoreError that throws or rejects changes nothing", async () => {
    const api = await humanApi();
    const { store } = failingStore("get", "throws");
    for (const onStoreError of [
      () => {
        throw new Error("logger down");
      },
      () => Promise.reject(new Error("logger down")),
    ]) {
      await expect(issuerFor(api, { store, onStoreError }).connectToken(ada)).resolves.toMatchObject({
        kind: "session",
      });
    }
  });

  test("without onStoreError, failures are not reported and the token is still issued", async () => {
    const api = await humanApi();
    const { store } = failingStore("get", "rejects");
    await expect(issuerFor(api, { store }).connectToken(ada)).resolves.toMatchObject({ kind: "session" });
  });

  test("a StoreError's message, stack and inspection name no key, user id, e-mail, token or secret", async () => {
    const api = await humanApi();
    const { errors, onStoreError } = storeErrors();
    const keys: string[] = [];
    const store = {
      get: (key: string) => (keys.push(key), "garbage"),
      set: () => Promise.reject(new Error("refused")),
      delete: () => new Promise(() => undefined),
    };
    const issuer = issuerFor(api, { store, onStoreError, storeTimeoutMs: 20 });
    const tokens = [(await issuer.connectToken(ada)).token];
    api.connectSource(ada.userId);
    tokens.push((await issuer.connectToken(ada)).token);
    expect(errors.map((e) => `${e.code} ${e.operation}`)).toEqual([
      "UNRECOGNISED_VALUE get",
      "TIMEOUT delete",
      "UNRECOGNISED_VALUE get",
      "FAILED set",
    ]);
    const text = errors.map((e) => `${e.message}\n${e.stack}\n${inspect(e, { depth: 5 })}`).join("\n");
    for (const secret of [...keys, ...tokens, ada.userId, ada.email, api.clientSecret])
      expect(text).not.toContain(secret);
  });
});

describe("a store value the issuer did not write", () => {
  const garbage: Array<[string, unknown]> = [
    ["a string", "yes"],
    ["a number", 1],
    ["true", true],
    ["an array", [{ v: 1 }]],
    ["an object without v", { returning: true }],
    ["v 0", { v: 0 }],
    ["v as text", { v: "1" }],
    ["v 1.5", { v: 1.5 }],
  ];

  test.each(garbage)(
    "%s: a miss, reported, overwritten with { v: 1 } once the user turns out returning",
    async (_name, value) => {
      const api = await humanApi();
      const { store, map } = recordingStore();
      const { errors, onStoreError } = storeErrors();
      const issuer = issuerFor(api, { store, onStoreError });
      await learn(api, issuer);
      const [key] = [...map.keys()];
      map.set(key!, value);
      const next = upstreamFrom(api);
      await expect(issuer.connectToken(ada)).resolves.toMatchObject({ kind: "id" });
      expect(next()).toEqual(["session", "id"]);
      expect(errors).toMatchObject([{ code: "UNRECOGNISED_VALUE", operation: "get" }]);
      expect(map.get(key!)).toEqual({ v: 1 });
    },
  );

  test("for a new user: a miss, reported, deleted once the session token is issued", async () => {
    const api = await humanApi();
    const { store, map } = recordingStore();
    const { errors, onStoreError } = storeErrors();
    const key = await storeKeys("humanconnect-kit:", api.clientId)(ada.userId);
    map.set(key, "garbage");
    await expect(issuerFor(api, { store, onStoreError }).connectToken(ada)).resolves.toMatchObject({ kind: "session" });
    expect(errors).toMatchObject([{ code: "UNRECOGNISED_VALUE" }]);
    expect(map.has(key)).toBe(false);
  });

  test.each([
    ["null", null, ["session", "id"]],
    ["a later version, { v: 2 }", { v: 2, more: "fields" }, ["id"]],
  ])("%s is not reported: a miss or a returning user", async (_name, value, expected) => {
    const api = await humanApi();
    const { store, map } = recordingStore();
    const { errors, onStoreError } = storeErrors();
    api.connectSource(ada.userId);
    map.set(await storeKeys("humanconnect-kit:", api.clientId)(ada.userId), value);
    const next = upstreamFrom(api);
    await issuerFor(api, { store, onStoreError }).connectToken(ada);
    expect(next()).toEqual(expected);
    expect(errors).toEqual([]);
  });
});

describe("createTokenIssuer's store options", () => {
  const base = { clientId: "c", clientSecret: "s" };
  const noop = () => undefined;

  test.each([
    [
      "{}",
      {},
      /store has no get, set, delete functions: pass an object with get\(key\), set\(key, value, ttlMs\) and delete\(key\)/,
    ],
    ["without delete", { get: noop, set: noop }, /store has no delete function:/],
    ["with get as a string", { get: "get", set: noop, delete: noop }, /store has no get function:/],
    ["a URL string", "redis://127.0.0.1:6379", /store must be an object with get, set and delete functions/],
    ["null", null, /store must be an object/],
  ])("store %s: a TypeError at once naming what is missing", (_name, store, message) => {
    const make = () => createTokenIssuer({ ...base, store: store as never });
    expect(make).toThrow(TypeError);
    expect(make).toThrow(message);
  });

  test.each([
    ["storePrefix", "42", { storePrefix: 42 }],
    ["storePrefix", "129 characters", { storePrefix: "p".repeat(129) }],
    ["returningUserTtlMs", "0", { returningUserTtlMs: 0 }],
    ["returningUserTtlMs", "1.5", { returningUserTtlMs: 1.5 }],
    ["returningUserTtlMs", "Infinity", { returningUserTtlMs: Infinity }],
    ["returningUserTtlMs", "'1000'", { returningUserTtlMs: "1000" }],
    ["storeTimeoutMs", "0", { storeTimeoutMs: 0 }],
    ["storeTimeoutMs", "2 ** 31", { storeTimeoutMs: 2 ** 31 }],
    ["storeTimeoutMs", "Number.NaN", { storeTimeoutMs: Number.NaN }],
    ["onStoreError", "'log'", { onStoreError: "log" }],
  ])("throws a TypeError at once naming %s for %s", (name, _label, extra) => {
    const make = () => createTokenIssuer({ ...base, store: new Map(), ...(extra as object) });
    expect(make).toThrow(TypeError);
    expect(make).toThrow(new RegExp(`^createTokenIssuer\\(\\): ${name} must`));
  });

  test("accepts the edges: an empty storePrefix, 128 characters, a TTL of 1 ms, storeTimeoutMs 2^31-1", () => {
    for (const extra of [
      { storePrefix: "" },
      { storePrefix: "p".repeat(128) },
      { returningUserTtlMs: 1, storeTimeoutMs: 2 ** 31 - 1 },
    ]) {
      expect(() => createTokenIssuer({ ...base, store: new Map(), ...extra })).not.toThrow();
    }
  });

  test("a store without Web Crypto: a TypeError saying what is needed; the default store works without it", () => {
    vi.stubGlobal("crypto", undefined);
    expect(() => createTokenIssuer({ ...base, store: new Map() })).toThrow(/store needs Web Crypto/);
    expect(() => createTokenIssuer(base)).not.toThrow();
  });
});
