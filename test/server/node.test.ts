import { createServer, request as httpRequest } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, test } from "vitest";
import { createTokenHandler, toNodeHandler } from "../../src/server/index";
import { ada, cleanups, humanApi, issuerFor } from "./helpers";

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
