import { describe, expect, test } from "vitest";
import { ada, humanApi, humanApiError, issuerFor } from "./helpers";
import { recordingStore } from "./stores";

const bob = { userId: "user-bob", email: "bob@example.com" };

/** A fetch that holds every request for `userId` until `release()`, and lets the others through. */
function holdingFetch(userId: string) {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const held: string[] = [];
  const fetch = async (...args: Parameters<typeof globalThis.fetch>) => {
    const body = JSON.parse(String(args[1]?.body)) as { client_user_id: string; type: string };
    if (body.client_user_id === userId) {
      held.push(body.type);
      await gate;
    }
    return globalThis.fetch(...args);
  };
  return { fetch, held, release };
}

describe("connectToken() calls for the same user at the same time (single-flight)", () => {
  test("a new user: five calls, one session request, the same answer each in its own copy", async () => {
    const api = await humanApi();
    const issuer = issuerFor(api);
    const tokens = await Promise.all(Array.from({ length: 5 }, () => issuer.connectToken(ada)));
    expect(api.bodies.map((body) => body.type)).toEqual(["session"]);
    expect(new Set(tokens.map((token) => token.token)).size).toBe(1);
    expect(tokens[1]).toEqual(tokens[0]);
    expect(tokens[1]).not.toBe(tokens[0]);
  });

  test("a returning user the issuer does not know yet: five calls, one session and one id request", async () => {
    const api = await humanApi();
    const { store, calls } = recordingStore();
    const issuer = issuerFor(api, { store });
    await issuer.connectToken(ada);
    api.connectSource(ada.userId);
    const before = { upstream: api.bodies.length, store: calls.length };
    const tokens = await Promise.all(Array.from({ length: 5 }, () => issuer.connectToken(ada)));
    expect(api.bodies.slice(before.upstream).map((body) => body.type)).toEqual(["session", "id"]);
    expect(calls.slice(before.store).map((call) => call.operation)).toEqual(["get", "set"]);
    expect(tokens.every((token) => token.kind === "id" && token.token === tokens[0]?.token)).toBe(true);
  });

  test("a failure is shared, then forgotten: the next call asks again", async () => {
    const api = await humanApi();
    const issuer = issuerFor(api);
    api.faults.push("500", "500");
    const errors = await Promise.all([
      humanApiError(issuer.connectToken(ada)),
      humanApiError(issuer.connectToken(ada)),
    ]);
    expect(errors[0]).toBe(errors[1]);
    expect(errors[0]).toMatchObject({ code: "UPSTREAM_ERROR" });
    expect(api.bodies).toHaveLength(2);
    await expect(issuer.connectToken(ada)).resolves.toMatchObject({ kind: "session" });
    expect(api.bodies).toHaveLength(3);
  });

  test("a call after the shared one settled starts a new sequence", async () => {
    const api = await humanApi();
    const issuer = issuerFor(api);
    const first = await issuer.connectToken(ada);
    const second = await issuer.connectToken(ada);
    expect(api.bodies).toHaveLength(2);
    expect(second.token).not.toBe(first.token);
  });

  test("different users never wait on each other: one user's token while another's request is held", async () => {
    const api = await humanApi();
    const hold = holdingFetch(ada.userId);
    const issuer = issuerFor(api, { fetch: hold.fetch });
    let adaSettled = false;
    const adaToken = issuer.connectToken(ada).finally(() => (adaSettled = true));
    await expect(issuer.connectToken(bob)).resolves.toMatchObject({ kind: "session" });
    expect(adaSettled).toBe(false);
    expect(hold.held).toEqual(["session"]);
    expect(api.bodies.map((body) => body.client_user_id)).toEqual([bob.userId]);
    hold.release();
    await expect(adaToken).resolves.toMatchObject({ kind: "session" });
  });

  test("each call is checked on its own: a bad e-mail is refused while the same user's good call runs", async () => {
    const api = await humanApi();
    const issuer = issuerFor(api);
    const good = issuer.connectToken(ada);
    await expect(issuer.connectToken({ userId: ada.userId, email: "not-an-email" })).rejects.toThrow(TypeError);
    await expect(good).resolves.toMatchObject({ kind: "session" });
    expect(api.bodies).toHaveLength(1);
  });
});
