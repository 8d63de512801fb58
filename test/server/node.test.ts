import { createServer, request as httpRequest } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { describe, expect, test } from "vitest";
import { createTokenHandler, toNodeHandler } from "../../src/server/index";
import type { NodeHandlerOptions } from "../../src/server/node";
import { json, startServer, upload } from "../support/http";
import { expressMajors, serveExpress } from "./express";
import { ada, cleanups, humanApi, issuerFor } from "./helpers";

describe("toNodeHandler over a real node:http server", () => {
  async function serve(
    handler: (request: Request) => Promise<Response>,
    withNext = false,
    options?: NodeHandlerOptions,
  ) {
    const nextErrors: unknown[] = [];
    const sockets: Socket[] = [];
    const nodeHandler = toNodeHandler(handler, options);
    const server = createServer((req, res) => {
      sockets.push(req.socket);
      void nodeHandler(
        req,
        res,
        withNext
          ? (e) => {
              nextErrors.push(e);
              res.statusCode = 599;
              res.end();
            }
          : undefined,
      );
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    cleanups.push(async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    });
    const bytesRead = () => sockets.reduce((sum, socket) => sum + socket.bytesRead, 0);
    return {
      url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/connect-token`,
      nextErrors,
      bytesRead,
    };
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
    const { url } = await serve(
      async (request) =>
        new Response(
          JSON.stringify({
            method: request.method,
            url: request.url,
            header: request.headers.get("x-test"),
            body: await request.text(),
          }),
          {
            status: 201,
            headers: [
              ["content-type", "application/json"],
              ["set-cookie", "a=1"],
              ["set-cookie", "b=2"],
            ],
          },
        ),
    );
    const response = await fetch(`${url}?q=1`, { method: "POST", headers: { "x-test": "yes" }, body: "hello" });
    expect(response.status).toBe(201);
    expect(response.headers.getSetCookie()).toEqual(["a=1", "b=2"]);
    expect(await response.json()).toEqual({
      method: "POST",
      url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/api\/connect-token\?q=1$/),
      header: "yes",
      body: "hello",
    });
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
    const withNext = await serve(async () => {
      throw boom;
    }, true);
    expect((await fetch(withNext.url, { method: "POST" })).status).toBe(599);
    expect(withNext.nextErrors).toEqual([boom]);
    const without = await serve(async () => {
      throw boom;
    });
    const response = await fetch(without.url, { method: "POST" });
    expect(response.status).toBe(500);
    expect(await response.text()).not.toContain("handler bug");
  });

  const MiB = 1024 * 1024;

  test.each([
    ["PUT", 405],
    ["GET", 405],
    ["POST", 413],
  ])(
    "reads only a bounded part of an endless %s body answered %i, and closes the connection",
    async (method, status) => {
      const api = await humanApi();
      const { url, bytesRead } = await serve(createTokenHandler({ issuer: issuerFor(api), authenticate: () => null }));
      const result = await upload(url, { method, limit: 128 * MiB });
      expect(result.status).toBe(status);
      expect(result.cutShort).toBe(true);
      expect(bytesRead()).toBeLessThan(8 * MiB);
      expect(api.bodies).toHaveLength(0);
    },
  );

  test.each([
    ["no body", undefined],
    ["a small body", "{}"],
  ])("keeps request.signal live for authenticate's own fetch when the request has %s", async (_name, body) => {
    const api = await humanApi();
    const sessions = await startServer([json(200, ada)]);
    cleanups.push(() => sessions.close());
    const handler = createTokenHandler({
      issuer: issuerFor(api),
      authenticate: async (request) =>
        (await (await fetch(sessions.url, { signal: request.signal })).json()) as typeof ada,
    });
    const { url } = await serve(handler);
    const response = await fetch(url, { method: "POST", body });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ kind: "session" });
  });

  test("aborts request.signal when the client goes away before the answer", async () => {
    let entered!: () => void;
    const inside = new Promise<void>((resolve) => (entered = resolve));
    const aborted = new Promise<boolean>((resolve) => {
      void serve(async (request) => {
        request.signal.addEventListener("abort", () => resolve(true));
        entered();
        return new Promise<Response>(() => undefined);
      }).then(({ url }) => {
        const client = httpRequest(url, { method: "POST" });
        client.on("error", () => undefined);
        client.end();
        void inside.then(() => client.destroy());
      });
    });
    expect(await aborted).toBe(true);
  });

  test.each(Object.keys(expressMajors) as Array<keyof typeof expressMajors>)(
    "behind %s with express.json(): refuses a 5 MiB text body 413, hands a parsed JSON body on, and refuses a parsed one over 16 KiB",
    async (major) => {
      const api = await humanApi();
      const handler = createTokenHandler({
        issuer: issuerFor(api),
        authenticate: async (request) => (((await request.json()) as { csrf?: string }).csrf === "ok" ? ada : null),
      });
      const url = await serveExpress(expressMajors[major], toNodeHandler(handler));
      const text = await upload(url, { method: "POST", limit: 5 * MiB, headers: { "content-type": "text/plain" } });
      expect(text.status).toBe(413);
      const post = (body: unknown) =>
        fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
      expect((await post({ csrf: "ok" })).status).toBe(200);
      expect((await post({ csrf: "no" })).status).toBe(401);
      expect((await post({ csrf: "ok", pad: "x".repeat(20 * 1024) })).status).toBe(413);
      expect(api.bodies).toHaveLength(1);
    },
  );

  const failing = (chunksFirst: number, boom: Error) => {
    const bytes = new TextEncoder().encode("part of a body ");
    return async () =>
      new Response(
        new ReadableStream<Uint8Array>({
          start(controller) {
            for (let i = 0; i < chunksFirst; i++) controller.enqueue(bytes);
          },
          pull(controller) {
            controller.error(boom);
          },
        }),
        { status: 200, headers: { "content-type": "text/plain", "set-cookie": "session=leaked" } },
      );
  };

  test.each([false, true])(
    "answers a clean 500 (withNext: %s) when the response body fails before its first bytes, and reports the error",
    async (withNext) => {
      const boom = new Error("body failed at once");
      const reported: unknown[] = [];
      const { url, nextErrors } = await serve(failing(0, boom), withNext, { onError: (e) => reported.push(e) });
      const response = await fetch(url, { method: "POST" });
      expect(response.status).toBe(withNext ? 599 : 500);
      expect(response.headers.get("set-cookie")).toBeNull();
      expect(reported).toEqual([boom]);
      expect(nextErrors).toEqual(withNext ? [boom] : []);
    },
  );

  test.each([false, true])(
    "breaks the connection (withNext: %s) when the response body fails while streaming, and reports the error",
    async (withNext) => {
      const boom = new Error("body failed half way");
      const reported: unknown[] = [];
      const { url, nextErrors } = await serve(failing(2, boom), withNext, { onError: (e) => reported.push(e) });
      // Half a body must not pass for a whole one: the client gets an error, not a short 200.
      await expect(fetch(url, { method: "POST" }).then((response) => response.text())).rejects.toThrow();
      expect(reported).toEqual([boom]);
      expect(nextErrors).toEqual(withNext ? [boom] : []);
    },
  );

  test.each([
    ["undefined", undefined],
    ["a plain object", { status: 200, body: "hi" }],
  ])("answers 500 and reports a TypeError when the handler returns %s", async (_name, value) => {
    const reported: unknown[] = [];
    const { url } = await serve((async () => value) as unknown as () => Promise<Response>, false, {
      onError: (e) => reported.push(e),
    });
    expect((await fetch(url, { method: "POST" })).status).toBe(500);
    expect(reported).toEqual([
      expect.objectContaining({ name: "TypeError", message: expect.stringMatching(/did not return a Response/) }),
    ]);
  });

  test.each([
    ["a malformed Host", "POST", { host: "bad host[" }],
    ["TRACE", "TRACE", {}],
  ])("answers a bare 400 to %s, without calling the handler or next", async (_name, method, headers) => {
    let called = false;
    const { url, nextErrors } = await serve(async () => ((called = true), new Response("ok")), true);
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(url, { method, headers, setHost: !("host" in headers) }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on("error", reject);
      req.end();
    });
    expect(status).toBe(400);
    expect(called).toBe(false);
    expect(nextErrors).toEqual([]);
  });

  test.each([
    ["handler", () => toNodeHandler("not a function" as never), /handler must be a function/],
    [
      "onError",
      () => toNodeHandler(async () => new Response(), { onError: "log" as never }),
      /onError must be a function/,
    ],
  ])("throws a TypeError at once naming %s", (_name, make, message) => {
    expect(make).toThrow(TypeError);
    expect(make).toThrow(message);
  });
});
