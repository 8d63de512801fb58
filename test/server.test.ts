import { createServer, request as httpRequest } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, test } from "vitest";
import { createTokenHandler, createTokenIssuer, HumanApiError, toNodeHandler, type TokenIssuer } from "../src/server/index";
import { startHumanApi } from "./support/human-api";

type HumanApi = Awaited<ReturnType<typeof startHumanApi>>;
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function humanApi(options?: Parameters<typeof startHumanApi>[0]): Promise<HumanApi> {
  const api = await startHumanApi(options);
  cleanups.push(() => api.close());
  return api;
}

function issuerFor(api: HumanApi, extra: Partial<Parameters<typeof createTokenIssuer>[0]> = {}): TokenIssuer {
  return createTokenIssuer({ clientId: api.clientId, clientSecret: api.clientSecret, authUrl: api.authUrl, ...extra });
}

async function failure(promise: Promise<unknown>): Promise<HumanApiError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof HumanApiError) return error;
    throw error;
  }
  throw new Error("expected a HumanApiError");
}

const ada = { userId: "user-ada", email: "ada@example.com" };

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
      { client_id: api.clientId, client_secret: api.clientSecret, client_user_id: "user-ada", client_user_email: "ada@example.com", type: "session" },
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
    await failure(issuer.connectToken(ada));
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
    expect(await failure(issuer.sessionToken(ada))).toMatchObject({ code: "FORBIDDEN", status: 403 });
  });

  test("throws UNAUTHORIZED for wrong credentials, without retrying", async () => {
    const api = await humanApi();
    const error = await failure(issuerFor(api, { clientSecret: "wrong-secret" }).connectToken(ada));
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
    expect(await failure(issuerFor(api).connectToken(ada))).toMatchObject({ code: "UPSTREAM_ERROR", status: 503 });
    expect(api.bodies).toHaveLength(2);
  });

  test("retries once after a dropped connection, then throws NETWORK", async () => {
    const api = await humanApi();
    api.faults.push("reset", "reset");
    const error = await failure(issuerFor(api).connectToken(ada));
    expect(error.code).toBe("NETWORK");
    expect(error.status).toBeUndefined();
    expect(api.bodies).toHaveLength(2);
  });

  test("throws TIMEOUT when Human API hangs", async () => {
    const api = await humanApi();
    api.faults.push("hang");
    const started = Date.now();
    const error = await failure(issuerFor(api, { timeoutMs: 200 }).connectToken(ada));
    expect(error.code).toBe("TIMEOUT");
    expect(error.status).toBeUndefined();
    expect(error.message).toMatch(/within 200 ms/);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  test("throws MALFORMED_RESPONSE for a 200 that is not JSON", async () => {
    const api = await humanApi();
    api.faults.push("malformed");
    expect(await failure(issuerFor(api).connectToken(ada))).toMatchObject({ code: "MALFORMED_RESPONSE", status: 200 });
  });

  test("throws BAD_REQUEST for an id token of a user Human API does not know", async () => {
    const api = await humanApi();
    expect(await failure(issuerFor(api).idToken({ userId: "nobody" }))).toMatchObject({ code: "BAD_REQUEST", status: 400 });
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
    const errors: unknown[] = [];
    api.faults.push("500", "500", "hang", "malformed", "reset", "reset");
    for (let i = 0; i < 4; i++) errors.push(await issuer.accessToken(ada).catch((e: unknown) => e));
    errors.push(await issuerFor(api, { clientSecret: `${secret}-wrong` }).accessToken(ada).catch((e: unknown) => e));
    const log = (await import("node:util")).inspect;
    for (const error of errors) {
      let current: unknown = error;
      while (current) {
        const e = current as Error;
        seen.push(String(e.message), String(e.stack), log(e, { depth: 10 }), JSON.stringify(e));
        current = e.cause;
      }
    }
    expect(errors.map((e) => (e as HumanApiError).code)).toEqual(["UPSTREAM_ERROR", "TIMEOUT", "MALFORMED_RESPONSE", "NETWORK", "UNAUTHORIZED"]);
    const text = seen.join("\n");
    expect(text).not.toContain(secret);
    for (const token of tokens) expect(text).not.toContain(token);
  });
});

describe("createTokenHandler", () => {
  async function setup(authenticate: Parameters<typeof createTokenHandler>[0]["authenticate"] = () => ada, issuerOptions = {}) {
    const api = await humanApi();
    const errors: unknown[] = [];
    const handler = createTokenHandler({ issuer: issuerFor(api, issuerOptions), authenticate, onError: (e) => errors.push(e) });
    return { api, handler, errors };
  }
  const post = (init: RequestInit = {}) => new Request("http://app.example/api/connect-token", { method: "POST", ...init });

  test("answers 200 { token, kind, expires_in } with Cache-Control: no-store, never a secret or refresh token", async () => {
    const { api, handler } = await setup();
    const response = await handler(post());
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    const body = (await response.json()) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(["expires_in", "kind", "token"]);
    expect(body).toMatchObject({ kind: "session", expires_in: 3600 });
    expect(JSON.stringify(body)).not.toContain(api.clientSecret);
  });

  test("answers an id token for a returning user", async () => {
    const { api, handler } = await setup();
    await handler(post());
    api.connectSource(ada.userId);
    expect(await (await handler(post())).json()).toMatchObject({ kind: "id", expires_in: 86400 });
  });

  test.each(["GET", "PUT", "DELETE"])("answers 405 with Allow: POST to %s", async (method) => {
    const { handler } = await setup();
    const response = await handler(new Request("http://app.example/api/connect-token", { method }));
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("POST");
  });

  test("answers 401 when authenticate returns null", async () => {
    const { api, handler } = await setup(() => null);
    expect((await handler(post())).status).toBe(401);
    expect(api.bodies).toHaveLength(0);
  });

  test("takes the user only from authenticate, never from the body, query or headers", async () => {
    const { api, handler } = await setup(() => ada);
    await handler(
      new Request("http://app.example/api/connect-token?userId=mallory&client_user_id=mallory", {
        method: "POST",
        headers: { "content-type": "application/json", "x-user-id": "mallory" },
        body: JSON.stringify({ userId: "mallory", client_user_id: "mallory", email: "m@evil.example" }),
      }),
    );
    expect(api.bodies.map((b) => [b.client_user_id, b.client_user_email])).toEqual([["user-ada", "ada@example.com"]]);
  });

  test("lets authenticate read the request body it vouches for", async () => {
    const { handler } = await setup(async (request) => ((await request.json()) as { csrf?: string }).csrf === "ok" ? ada : null);
    expect((await handler(post({ body: JSON.stringify({ csrf: "ok" }) }))).status).toBe(200);
    expect((await handler(post({ body: JSON.stringify({ csrf: "no" }) }))).status).toBe(401);
  });

  test("answers 500 without details when authenticate throws, and tells onError", async () => {
    const failure = new Error("db password is hunter2");
    const { handler, errors } = await setup(() => {
      throw failure;
    });
    const response = await handler(post());
    expect(response.status).toBe(500);
    expect(await response.text()).not.toContain("hunter2");
    expect(errors).toEqual([failure]);
  });

  test("answers 502 with a generic message when Human API refuses the credentials, and gives onError the real error", async () => {
    const { handler, errors } = await setup(() => ada, { clientSecret: "wrong" });
    const response = await handler(post());
    expect(response.status).toBe(502);
    const body = (await response.json()) as { message: string };
    expect(body.message).not.toMatch(/clientSecret|401/);
    expect(errors[0]).toMatchObject({ code: "UNAUTHORIZED" });
  });

  test("answers 504 when Human API times out", async () => {
    const { api, handler } = await setup(() => ada, { timeoutMs: 200 });
    api.faults.push("hang");
    expect((await handler(post())).status).toBe(504);
  });

  test("answers 502 when Human API keeps failing", async () => {
    const { api, handler } = await setup();
    api.faults.push("500", "500");
    expect((await handler(post())).status).toBe(502);
  });

  test("answers 413 to a body over 16 KiB, declared or streamed, without asking Human API", async () => {
    const { api, handler } = await setup();
    const big = "x".repeat(16 * 1024 + 1);
    expect((await handler(post({ body: big }))).status).toBe(413);
    const chunk = new Uint8Array(4096);
    let pulled = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled++;
        controller.enqueue(chunk);
      },
    });
    const response = await handler(post({ body: endless, duplex: "half" } as RequestInit));
    expect(response.status).toBe(413);
    expect(pulled).toBeLessThan(20);
    expect(api.bodies).toHaveLength(0);
  });
});

describe("toNodeHandler over a real node:http server", () => {
  async function serve(handler: (request: Request) => Promise<Response>, withNext = false) {
    const nextErrors: unknown[] = [];
    const nodeHandler = toNodeHandler(handler);
    const server = createServer((req, res) => void nodeHandler(req, res, withNext ? (e) => { nextErrors.push(e); res.statusCode = 599; res.end(); } : undefined));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    cleanups.push(async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    });
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/connect-token`, nextErrors };
  }

  test("serves the token handler: a cookie-authenticated POST gets a token", async () => {
    const api = await humanApi();
    const handler = createTokenHandler({
      issuer: issuerFor(api),
      authenticate: (request) => (request.headers.get("cookie") === "user=ada" ? ada : null),
    });
    const { url } = await serve(handler);
    const ok = await fetch(url, { method: "POST", headers: { cookie: "user=ada" } });
    expect(ok.status).toBe(200);
    expect(ok.headers.get("cache-control")).toBe("no-store");
    expect(await ok.json()).toMatchObject({ kind: "session" });
    expect((await fetch(url, { method: "POST" })).status).toBe(401);
    const get = await fetch(url);
    expect(get.status).toBe(405);
    expect(get.headers.get("allow")).toBe("POST");
  });

  test("passes method, URL, headers and body through, and writes status, headers and body back", async () => {
    const { url } = await serve(async (request) =>
      new Response(JSON.stringify({ method: request.method, url: request.url, header: request.headers.get("x-test"), body: await request.text() }), {
        status: 201,
        headers: [["content-type", "application/json"], ["set-cookie", "a=1"], ["set-cookie", "b=2"]],
      }),
    );
    const response = await fetch(`${url}?q=1`, { method: "POST", headers: { "x-test": "yes" }, body: "hello" });
    expect(response.status).toBe(201);
    expect(response.headers.getSetCookie()).toEqual(["a=1", "b=2"]);
    expect(await response.json()).toEqual({ method: "POST", url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/api\/connect-token\?q=1$/), header: "yes", body: "hello" });
  });

  test("answers 413 to an oversized upload and closes the connection", async () => {
    const api = await humanApi();
    const { url } = await serve(createTokenHandler({ issuer: issuerFor(api), authenticate: () => ada }));
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(url, { method: "POST", headers: { "transfer-encoding": "chunked" } }, (res) => {
        resolve(res.statusCode ?? 0);
        res.resume();
      });
      req.on("error", reject);
      const chunk = Buffer.alloc(8192, 120);
      for (let i = 0; i < 8; i++) req.write(chunk);
      // never ends the upload: the handler must answer without reading it whole
    });
    expect(status).toBe(413);
    expect(api.bodies).toHaveLength(0);
  });

  test("hands a thrown error to next() when there is one, else answers 500", async () => {
    const boom = new Error("handler bug");
    const withNext = await serve(async () => { throw boom; }, true);
    expect((await fetch(withNext.url, { method: "POST" })).status).toBe(599);
    expect(withNext.nextErrors).toEqual([boom]);
    const without = await serve(async () => { throw boom; });
    const response = await fetch(without.url, { method: "POST" });
    expect(response.status).toBe(500);
    expect(await response.text()).not.toContain("handler bug");
  });
});
