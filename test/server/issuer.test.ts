import { describe, expect, test } from "vitest";
import { createTokenIssuer, type HumanApiError } from "../../src/server/index";
import { startServer, type Reply } from "../support/http";
import { ada, cleanups, humanApi, humanApiError, issuerFor } from "./helpers";

describe("createTokenIssuer", () => {
  test.each([
    [{}, /clientId must be a non-empty string/],
    [{ clientId: "c" }, /clientSecret must be a non-empty string/],
    [{ clientId: "", clientSecret: "s" }, /clientId/],
    [{ clientId: "c", clientSecret: "s", timeoutMs: 0 }, /timeoutMs must be a positive number/],
  ])("throws a TypeError at once for %j", (options, message) => {
    expect(() => createTokenIssuer(options as never)).toThrow(TypeError);
    expect(() => createTokenIssuer(options as never)).toThrow(message);
  });

  test("gives a new user a session token, and sends the documented fields", async () => {
    const api = await humanApi();
    const token = await issuerFor(api).connectToken(ada);
    expect(token).toMatchObject({ kind: "session", expiresIn: 3600 });
    expect(token.token).toMatch(/^st-/);
    expect(token.humanId).toMatch(/^[0-9a-f]{32}$/);
    expect(api.bodies).toEqual([
      {
        client_id: api.clientId,
        client_secret: api.clientSecret,
        client_user_id: "user-ada",
        client_user_email: "ada@example.com",
        type: "session",
      },
    ]);
  });

  test("gives a returning user an id token: two upstream calls the first time, then one", async () => {
    const api = await humanApi();
    const issuer = issuerFor(api);
    await issuer.connectToken(ada);
    api.connectSource(ada.userId);
    const first = await issuer.connectToken(ada);
    expect(first).toMatchObject({ kind: "id", expiresIn: 86400 });
    expect(api.bodies.slice(1).map((b) => b.type)).toEqual(["session", "id"]);
    const next = await issuer.connectToken(ada);
    expect(next.kind).toBe("id");
    expect(api.bodies.slice(3).map((b) => b.type)).toEqual(["id"]);
  });

  test("forgets a returning user whose id request fails", async () => {
    const api = await humanApi();
    const issuer = issuerFor(api);
    await issuer.connectToken(ada);
    api.connectSource(ada.userId);
    await issuer.connectToken(ada);
    api.faults.push("500", "500");
    await humanApiError(issuer.connectToken(ada));
    const calls = api.bodies.length;
    await issuer.connectToken(ada);
    expect(api.bodies.slice(calls).map((b) => b.type)).toEqual(["session", "id"]);
  });

  test("keeps at most returningUsersCacheSize returning users", async () => {
    const api = await humanApi();
    const issuer = issuerFor(api, { returningUsersCacheSize: 1 });
    for (const userId of ["u1", "u2"]) {
      await issuer.connectToken({ userId, email: `${userId}@example.com` });
      api.connectSource(userId);
      await issuer.connectToken({ userId, email: `${userId}@example.com` });
    }
    const calls = api.bodies.length;
    await issuer.connectToken({ userId: "u1", email: "u1@example.com" });
    expect(api.bodies.slice(calls).map((b) => b.type)).toEqual(["session", "id"]);
  });

  test("answers the documented fields in camelCase: sessionToken, idToken, accessToken", async () => {
    const api = await humanApi();
    const issuer = issuerFor(api);
    const session = await issuer.sessionToken(ada);
    expect(Object.keys(session).sort()).toEqual(["expiresIn", "humanId", "sessionToken"]);
    const id = await issuer.idToken(ada);
    expect(id).toMatchObject({ tokenType: "Bearer", expiresIn: 86400 });
    expect(id.idRefreshToken).toMatch(/^idrt-/);
    const access = await issuer.accessToken(ada);
    expect(access).toMatchObject({ tokenType: "Bearer", expiresIn: 86400 });
    expect(access.accessToken).toMatch(/^at-/);
    expect(access.refreshToken).toMatch(/^atrt-/);
  });

  test("throws FORBIDDEN for a session token once the user has a source", async () => {
    const api = await humanApi();
    const issuer = issuerFor(api);
    await issuer.sessionToken(ada);
    api.connectSource(ada.userId);
    expect(await humanApiError(issuer.sessionToken(ada))).toMatchObject({ code: "FORBIDDEN", status: 403 });
  });

  test("throws UNAUTHORIZED for wrong credentials, without retrying", async () => {
    const api = await humanApi();
    const error = await humanApiError(issuerFor(api, { clientSecret: "wrong-secret" }).connectToken(ada));
    expect(error).toMatchObject({ code: "UNAUTHORIZED", status: 401 });
    expect(error.message).toMatch(/check clientId and clientSecret/);
    expect(api.bodies).toHaveLength(1);
  });

  test("retries once after a 500 and succeeds", async () => {
    const api = await humanApi();
    api.faults.push("500");
    await expect(issuerFor(api).connectToken(ada)).resolves.toMatchObject({ kind: "session" });
    expect(api.bodies).toHaveLength(2);
  });

  test("throws UPSTREAM_ERROR after a 500 and a 503", async () => {
    const api = await humanApi();
    api.faults.push("500", "503");
    expect(await humanApiError(issuerFor(api).connectToken(ada))).toMatchObject({
      code: "UPSTREAM_ERROR",
      status: 503,
    });
    expect(api.bodies).toHaveLength(2);
  });

  test("retries once after a dropped connection, then throws NETWORK", async () => {
    const api = await humanApi();
    api.faults.push("reset", "reset");
    const error = await humanApiError(issuerFor(api).connectToken(ada));
    expect(error.code).toBe("NETWORK");
    expect(error.status).toBeUndefined();
    expect(api.bodies).toHaveLength(2);
  });

  test("throws TIMEOUT when Human API hangs", async () => {
    const api = await humanApi();
    api.faults.push("hang");
    const started = Date.now();
    const error = await humanApiError(issuerFor(api, { timeoutMs: 200 }).connectToken(ada));
    expect(error.code).toBe("TIMEOUT");
    expect(error.status).toBeUndefined();
    expect(error.message).toMatch(/within 200 ms/);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  test("throws MALFORMED_RESPONSE for a 200 that is not JSON", async () => {
    const api = await humanApi();
    api.faults.push("malformed");
    expect(await humanApiError(issuerFor(api).connectToken(ada))).toMatchObject({
      code: "MALFORMED_RESPONSE",
      status: 200,
    });
  });

  test("throws BAD_REQUEST for an id token of a user Human API does not know", async () => {
    const api = await humanApi();
    expect(await humanApiError(issuerFor(api).idToken({ userId: "nobody" }))).toMatchObject({
      code: "BAD_REQUEST",
      status: 400,
    });
  });

  test.each([
    [{ userId: "", email: "a@example.com" }, /userId must be a non-empty string of at most 255/],
    [{ userId: "x".repeat(256), email: "a@example.com" }, /userId/],
    [{ userId: 42, email: "a@example.com" }, /userId/],
    [{ userId: "u" }, /email must be the user's e-mail/],
    [{ userId: "u", email: "not-an-email" }, /email/],
  ])("rejects %j with a TypeError naming the field, before any request", async (user, message) => {
    const api = await humanApi();
    const issuer = issuerFor(api);
    await expect(issuer.connectToken(user as never)).rejects.toThrow(message);
    await expect(issuer.connectToken(user as never)).rejects.toBeInstanceOf(TypeError);
    expect(api.bodies).toHaveLength(0);
  });

  test("never lets the secret, a token or a refresh token into a message, stack, cause chain or log", async () => {
    const api = await humanApi();
    const secret = api.clientSecret;
    const seen: string[] = [];
    const issuer = issuerFor(api, { timeoutMs: 300 });
    const tokens = [
      (await issuer.connectToken(ada)).token,
      (await issuer.accessToken(ada)).refreshToken ?? "",
      (await issuer.idToken(ada)).idRefreshToken ?? "",
    ];
    const errors: HumanApiError[] = [];
    api.faults.push("500", "500", "hang", "malformed", "reset", "reset");
    for (let i = 0; i < 4; i++) errors.push(await humanApiError(issuer.accessToken(ada)));
    errors.push(await humanApiError(issuerFor(api, { clientSecret: `${secret}-wrong` }).accessToken(ada)));
    const log = (await import("node:util")).inspect;
    for (const error of errors) {
      let current: unknown = error;
      while (current) {
        const e = current as Error;
        seen.push(String(e.message), String(e.stack), log(e, { depth: 10 }), JSON.stringify(e));
        current = e.cause;
      }
    }
    expect(errors.map((e) => e.code)).toEqual([
      "UPSTREAM_ERROR",
      "TIMEOUT",
      "MALFORMED_RESPONSE",
      "NETWORK",
      "UNAUTHORIZED",
    ]);
    const text = seen.join("\n");
    expect(text).not.toContain(secret);
    for (const token of tokens) expect(text).not.toContain(token);
  });

  test.each([
    ["timeoutMs", "2 ** 31", { timeoutMs: 2 ** 31 }],
    ["timeoutMs", "Infinity", { timeoutMs: Infinity }],
    ["timeoutMs", "Number.NaN", { timeoutMs: Number.NaN }],
    ["timeoutMs", "'1000'", { timeoutMs: "1000" }],
    ["returningUsersCacheSize", "Number.NaN", { returningUsersCacheSize: Number.NaN }],
    ["returningUsersCacheSize", "-1", { returningUsersCacheSize: -1 }],
    ["returningUsersCacheSize", "1.5", { returningUsersCacheSize: 1.5 }],
    ["returningUsersCacheSize", "Infinity", { returningUsersCacheSize: Infinity }],
    ["authUrl", "'not a url'", { authUrl: "not a url" }],
    ["authUrl", "'ftp://auth.example/token'", { authUrl: "ftp://auth.example/token" }],
    ["authUrl", "'https://user:pw@auth.example/token'", { authUrl: "https://user:pw@auth.example/token" }],
    ["fetch", "'fetch'", { fetch: "fetch" }],
  ])("throws a TypeError at once naming %s for %s", (name, _label, extra) => {
    const make = () => createTokenIssuer({ clientId: "c", clientSecret: "s", ...(extra as object) });
    expect(make).toThrow(TypeError);
    expect(make).toThrow(new RegExp(`createTokenIssuer\\(\\): ${name} must`));
  });

  test.each([
    ["never settles", () => new Promise<Response>(() => undefined)],
    [
      "answers headers but never the body",
      async () => new Response(new ReadableStream({ pull: () => new Promise(() => undefined) })),
    ],
  ])("throws TIMEOUT at timeoutMs when a custom fetch that ignores the signal %s", async (_name, stalled) => {
    const started = Date.now();
    const error = await humanApiError(
      createTokenIssuer({ clientId: "c", clientSecret: "s", timeoutMs: 100, fetch: stalled }).connectToken(ada),
    );
    expect(error.code).toBe("TIMEOUT");
    expect(Date.now() - started).toBeLessThan(5000);
  });

  test.each([
    ["undefined", async () => undefined],
    ["a plain object", async () => ({ status: 200, ok: true })],
  ])("throws MALFORMED_RESPONSE when a custom fetch resolves to %s", async (_name, odd) => {
    const issuer = createTokenIssuer({ clientId: "c", clientSecret: "s", fetch: odd as unknown as typeof fetch });
    expect(await humanApiError(issuer.connectToken(ada))).toMatchObject({ code: "MALFORMED_RESPONSE" });
  });
});

describe("createTokenIssuer's attempts", () => {
  /** Sends headers and part of a JSON body, then breaks (`reset`) or stalls (`stall`). */
  const partly =
    (end: "reset" | "stall"): Reply =>
    (_request, response) => {
      response.writeHead(200, { "content-type": "application/json" });
      response.write('{"session_token":');
      if (end === "reset") setTimeout(() => response.socket?.destroy(), 10);
    };

  async function serve(reply: Reply) {
    const server = await startServer([reply]);
    cleanups.push(() => server.close());
    return server;
  }

  test("throws NETWORK with the status when the body breaks after the headers, after one retry", async () => {
    const server = await serve(partly("reset"));
    const error = await humanApiError(
      createTokenIssuer({ clientId: "c", clientSecret: "s", authUrl: server.url }).connectToken(ada),
    );
    expect(error).toMatchObject({ code: "NETWORK", status: 200, message: expect.stringMatching(/broke: try again/) });
    expect(server.seen).toHaveLength(2);
  });

  test("throws TIMEOUT with the status when the body stalls after the headers, without a retry", async () => {
    const server = await serve(partly("stall"));
    const error = await humanApiError(
      createTokenIssuer({ clientId: "c", clientSecret: "s", authUrl: server.url, timeoutMs: 150 }).connectToken(ada),
    );
    expect(error).toMatchObject({ code: "TIMEOUT", status: 200, message: expect.stringMatching(/within 150 ms/) });
    expect(server.seen).toHaveLength(1);
  });
});
