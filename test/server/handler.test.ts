import { describe, expect, test } from "vitest";
import { createTokenHandler } from "../../src/server/index";
import { ada, humanApi, issuerFor } from "./helpers";

describe("createTokenHandler", () => {
  async function setup(
    authenticate: Parameters<typeof createTokenHandler>[0]["authenticate"] = () => ada,
    issuerOptions = {},
  ) {
    const api = await humanApi();
    const errors: unknown[] = [];
    const handler = createTokenHandler({
      issuer: issuerFor(api, issuerOptions),
      authenticate,
      onError: (e) => errors.push(e),
    });
    return { api, handler, errors };
  }
  const post = (init: RequestInit = {}) =>
    new Request("http://app.example/api/connect-token", { method: "POST", ...init });

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
    const { handler } = await setup(async (request) =>
      ((await request.json()) as { csrf?: string }).csrf === "ok" ? ada : null,
    );
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

  test("answers a request whose body was already read, without reading it again", async () => {
    const { handler } = await setup();
    const request = post({ body: JSON.stringify({ csrf: "ok" }) });
    await request.text();
    const response = await handler(request);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ kind: "session" });
  });

  test("still answers 413 by Content-Length to a request whose body was already read", async () => {
    const { api, handler } = await setup();
    const request = post({ body: "x".repeat(20 * 1024), headers: { "content-length": String(20 * 1024) } });
    await request.text();
    expect((await handler(request)).status).toBe(413);
    expect(api.bodies).toHaveLength(0);
  });

  test("answers 400 when the request body breaks while it is checked, and tells onError", async () => {
    const broken = new Error("client went away");
    const { api, handler, errors } = await setup();
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        controller.error(broken);
      },
    });
    const response = await handler(post({ body, duplex: "half" } as RequestInit));
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: "bad_request" });
    expect(errors).toEqual([broken]);
    expect(api.bodies).toHaveLength(0);
  });

  test("throws a TypeError at once when onError is not a function", async () => {
    const api = await humanApi();
    expect(() =>
      createTokenHandler({ issuer: issuerFor(api), authenticate: () => ada, onError: "log" as never }),
    ).toThrow(/onError must be a function/);
  });
});
