import KeyvRedis, { createClient, type RedisClientType } from "@keyv/redis";
import Keyv from "keyv";
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import type { TokenIssuer } from "../../src/server/index";
import { startRedis, type RedisServer } from "../support/redis";
import { ada, cleanups, humanApi, issuerFor, type HumanApi } from "./helpers";
import { storeErrors } from "./stores";

// A real redis-server (Debian's; .ci/run installs it). Without it every test here fails, saying
// how to install it: none is skipped.
let shared: RedisServer | undefined;
let startError: unknown;
beforeAll(async () => {
  try {
    shared = await startRedis();
  } catch (error) {
    startError = error;
  }
}, 20_000);
afterAll(async () => shared?.stop());

/** The URL of the server the tests share; throws why it did not start. */
function redisUrl(): string {
  if (!shared) throw startError;
  return shared.url;
}

let tests = 0;
/** A prefix of this test's own, so that tests sharing the server never see each other's users. */
const ownPrefix = () => `humanconnect-kit-test-${++tests}:`;

/** An issuer over Keyv + Redis, as one instance of your server makes it: its own connection, closed after the test. */
function instance(api: HumanApi, url: string, extra: Parameters<typeof issuerFor>[1] = {}) {
  const adapter = new KeyvRedis(url);
  const close = () => adapter.disconnect(true);
  cleanups.push(close);
  return {
    issuer: issuerFor(api, { store: new Keyv(adapter), ...extra }),
    close,
    client: adapter.client as RedisClientType,
  };
}

/** The token requests the service gets from now on, by type. */
function upstreamFrom(api: HumanApi): () => unknown[] {
  const mark = api.bodies.length;
  return () => api.bodies.slice(mark).map((body) => body.type);
}

/** Makes ada a returning user (a source connected) that `issuer` has learned: session, then session 403 and id. */
async function learn(api: HumanApi, issuer: TokenIssuer): Promise<void> {
  await issuer.connectToken(ada);
  api.connectSource(ada.userId);
  await expect(issuer.connectToken(ada)).resolves.toMatchObject({ kind: "id" });
}

describe("the issuer's store on a real Redis (Keyv + @keyv/redis)", () => {
  test("a user learned by the first instance costs one upstream call on the second", async () => {
    const api = await humanApi();
    const storePrefix = ownPrefix();
    const first = instance(api, redisUrl(), { storePrefix });
    const second = instance(api, redisUrl(), { storePrefix });
    await learn(api, first.issuer);
    const next = upstreamFrom(api);
    await expect(second.issuer.connectToken(ada)).resolves.toMatchObject({ kind: "id" });
    expect(next()).toEqual(["id"]);
  });

  test("a restart (a new issuer over the same Redis, the old connection closed) keeps the memory", async () => {
    const api = await humanApi();
    const storePrefix = ownPrefix();
    const before = instance(api, redisUrl(), { storePrefix });
    await learn(api, before.issuer);
    await before.close();
    const after = instance(api, redisUrl(), { storePrefix });
    const next = upstreamFrom(api);
    await expect(after.issuer.connectToken(ada)).resolves.toMatchObject({ kind: "id" });
    expect(next()).toEqual(["id"]);
  });

  test("Redis holds one key per returning user: the prefix and 64 hex digits, { v: 1 }, a TTL; no user id, e-mail or token", async () => {
    const api = await humanApi();
    const storePrefix = ownPrefix();
    const { issuer } = instance(api, redisUrl(), { storePrefix, returningUserTtlMs: 60_000 });
    await learn(api, issuer);
    const token = (await issuer.connectToken(ada)).token;
    const client = createClient({ url: redisUrl() });
    cleanups.push(async () => client.destroy());
    await client.connect();
    const keys = await client.keys("*");
    const ours = keys.filter((key) => key.includes(storePrefix));
    expect(ours).toHaveLength(1);
    expect(ours[0]).toMatch(new RegExp(`${storePrefix}[0-9a-f]{64}$`));
    const raw = String(await client.get(ours[0]!));
    expect(JSON.parse(raw)).toMatchObject({ value: { v: 1 } });
    const ttl = await client.pTTL(ours[0]!);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60_000);
    for (const secret of [ada.userId, ada.email, token, api.clientSecret])
      expect(keys.join() + raw).not.toContain(secret);
  });

  test("with throwOnErrors on KeyvRedis and Keyv, a Redis error reaches onStoreError as FAILED and the token is still issued", async () => {
    const api = await humanApi();
    const storePrefix = ownPrefix();
    const { errors, onStoreError } = storeErrors();
    const adapter = new KeyvRedis(redisUrl(), { throwOnErrors: true });
    cleanups.push(() => adapter.disconnect(true));
    const issuer = issuerFor(api, { store: new Keyv(adapter, { throwOnErrors: true }), storePrefix, onStoreError });
    await learn(api, issuer);
    const client = createClient({ url: redisUrl() });
    cleanups.push(async () => client.destroy());
    await client.connect();
    const [key] = await client.keys(`*${storePrefix}*`);
    await client.del(key!);
    await client.lPush(key!, "not ours"); // get() on a list: Redis answers WRONGTYPE

    const next = upstreamFrom(api);
    await expect(issuer.connectToken(ada)).resolves.toMatchObject({ kind: "id" });
    expect(next()).toEqual(["session", "id"]);
    expect(errors).toMatchObject([
      { code: "FAILED", operation: "get", cause: { message: expect.stringMatching(/^WRONGTYPE/) } },
    ]);
    expect(await client.type(key!)).toBe("string");
  });

  test("Redis stopped mid-test: tokens still issued (with the extra call), onStoreError told, nothing hangs", async () => {
    const own = await startRedis();
    cleanups.push(() => own.stop());
    const api = await humanApi();
    const { errors, onStoreError } = storeErrors();
    const { issuer } = instance(api, own.url, { onStoreError, storeTimeoutMs: 200 });
    await learn(api, issuer);
    expect(errors).toEqual([]);
    await own.stop();

    const next = upstreamFrom(api);
    await expect(issuer.connectToken(ada)).resolves.toMatchObject({ kind: "id" });
    expect(next()).toEqual(["session", "id"]);
    expect(errors.map((error) => error.operation)).toEqual(["get", "set"]);
    for (const error of errors) expect(["TIMEOUT", "FAILED"]).toContain(error.code);

    const bob = { userId: "user-bob", email: "bob@example.com" };
    await expect(issuer.connectToken(bob)).resolves.toMatchObject({ kind: "session" });
    expect(errors.map((error) => error.operation)).toEqual(["get", "set", "get"]);
  });

  test("Redis back after an outage: Keyv reconnects and the issuer remembers again", async () => {
    let own = await startRedis();
    cleanups.push(() => own.stop());
    const api = await humanApi();
    const { errors, onStoreError } = storeErrors();
    const { issuer, client } = instance(api, own.url, { onStoreError, storeTimeoutMs: 200 });
    await issuer.connectToken(ada);
    await own.stop();
    api.connectSource(ada.userId);
    await expect(issuer.connectToken(ada)).resolves.toMatchObject({ kind: "id" });
    expect(errors.map((error) => error.operation)).toEqual(["get", "set"]);

    // A new, empty server where the old one was (persistence is off): the user is learned again.
    own = await startRedis({ port: own.port });
    await vi.waitFor(() => expect(client.isReady).toBe(true), { timeout: 10_000, interval: 50 });
    errors.length = 0;
    await issuer.connectToken(ada);
    const next = upstreamFrom(api);
    await expect(issuer.connectToken(ada)).resolves.toMatchObject({ kind: "id" });
    expect(next()).toEqual(["id"]);
    expect(errors).toEqual([]);
  });
});
