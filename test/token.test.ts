import { afterEach, describe, expect, test } from "vitest";
import { connectError } from "./support/errors";
import { createTokenSource, decodeToken, type TokenSource } from "../src/token";
import type { TokenRequestOptions } from "../src/types";
import { delayed, hang, json, startServer, text, type Reply } from "./support/http";

const servers: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
});

async function serve(...replies: Reply[]) {
  const server = await startServer(replies);
  servers.push(server);
  return server;
}

function fromUrl(url: string, request: TokenRequestOptions = {}, now?: () => number): TokenSource {
  return createTokenSource({ kind: "url", url, request }, 60, now);
}

const signal = () => new AbortController().signal;

describe("answers it accepts", () => {
  test("takes { token, expires_in } from a JSON 200 and POSTs with Accept: application/json", async () => {
    const server = await serve(json(200, { token: "tok-a", expires_in: 3600 }));
    await expect(fromUrl(server.url).take(signal())).resolves.toBe("tok-a");
    expect(server.seen[0]?.method).toBe("POST");
    expect(server.seen[0]?.headers.accept).toBe("application/json");
    expect(server.seen[0]?.body).toBe("");
  });

  test.each([
    [{ session_token: "tok-s", expires_in: 3600 }, "tok-s"],
    [{ id_token: "tok-i", expiresIn: 86400 }, "tok-i"],
    [{ token: "tok-t", expires_in: "3600" }, "tok-t"],
  ])("takes the token from %j", async (body, token) => {
    const server = await serve(json(200, body));
    await expect(fromUrl(server.url).take(signal())).resolves.toBe(token);
  });

  test("takes a text/plain token, trimmed", async () => {
    const server = await serve(text(200, "  tok-plain\n"));
    await expect(fromUrl(server.url).take(signal())).resolves.toBe("tok-plain");
  });

  test("sends the given headers, JSON body and credentials", async () => {
    const server = await serve(json(200, { token: "tok-h" }));
    await fromUrl(server.url, { headers: { "X-CSRF": "abc" }, body: { user: "u1" }, credentials: "include" }).take(
      signal(),
    );
    const seen = server.seen[0];
    expect(seen?.headers["x-csrf"]).toBe("abc");
    expect(seen?.headers["content-type"]).toBe("application/json");
    expect(JSON.parse(seen?.body ?? "")).toEqual({ user: "u1" });
  });
});

describe("answers it refuses", () => {
  test.each([
    ["an HTML page", text(200, "<!doctype html><p>hi</p>", "text/html")],
    ["JSON without a token", json(200, { expires_in: 3600 })],
    ["JSON with an empty token", json(200, { token: "" })],
    ["a body that is not JSON", text(200, "{not json", "application/json")],
    ["a text/plain body with spaces", text(200, "not a token")],
  ])("rejects TOKEN_FETCH_FAILED with a clear message for %s, without retrying", async (_name, reply) => {
    const server = await serve(reply);
    const error = await connectError(fromUrl(server.url).take(signal()));
    expect(error.code).toBe("TOKEN_FETCH_FAILED");
    expect(error.status).toBe(200);
    expect(error.message).toMatch(/without a token: answer JSON/);
    expect(error.cause).toBeDefined();
    expect(server.seen).toHaveLength(1);
  });

  test.each([400, 401, 403, 404])(
    "rejects TOKEN_FETCH_FAILED when the backend answers %i, and does not retry",
    async (status) => {
      const server = await serve(json(status, { error: "no" }), json(200, { token: "never" }));
      const error = await connectError(fromUrl(server.url).take(signal()));
      expect(error).toMatchObject({ code: "TOKEN_FETCH_FAILED", status });
      expect(error.message).toMatch(/signed in/);
      expect(server.seen).toHaveLength(1);
    },
  );

  test.each([
    ["a 200 whose JSON misspells the token", json(200, { tokn: "secret-tok-123" })],
    ["a 500 with a text body", text(500, "secret-tok-456")],
  ])("never puts a token or the body in the error, after %s", async (_answer, reply) => {
    const server = await serve(reply);
    const error = await connectError(fromUrl(server.url, { retries: 0 }).take(signal()));
    expect(`${error.message} ${String(error.cause)} ${error.stack}`).not.toMatch(/secret-tok/);
  });
});

describe("retries", () => {
  test("succeeds after 500 then 200", async () => {
    const server = await serve(json(500, {}), json(200, { token: "tok-r" }));
    await expect(fromUrl(server.url).take(signal())).resolves.toBe("tok-r");
    expect(server.seen).toHaveLength(2);
  });

  test("succeeds after 500, 503 then 200 within the default two retries", async () => {
    const server = await serve(json(500, {}), json(503, {}), json(200, { token: "tok-r" }));
    await expect(fromUrl(server.url).take(signal())).resolves.toBe("tok-r");
    expect(server.seen).toHaveLength(3);
  });

  test("rejects with the last status when every attempt answers 5xx, after 1 + retries attempts", async () => {
    const server = await serve(json(502, {}));
    const error = await connectError(fromUrl(server.url, { retries: 1 }).take(signal()));
    expect(error).toMatchObject({ code: "TOKEN_FETCH_FAILED", status: 502 });
    expect(error.message).toMatch(/HTTP 502, also after retries/);
    expect(server.seen).toHaveLength(2);
  });

  test("waits for Retry-After on 429 before the next attempt", async () => {
    const server = await serve(json(429, {}, { "retry-after": "1" }), json(200, { token: "tok-429" }));
    await expect(fromUrl(server.url).take(signal())).resolves.toBe("tok-429");
    const [first, second] = server.seen;
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(950);
  });

  test("caps Retry-After at the timeout", async () => {
    const server = await serve(json(429, {}, { "retry-after": "3600" }), json(200, { token: "tok-cap" }));
    await expect(fromUrl(server.url, { timeoutMs: 300 }).take(signal())).resolves.toBe("tok-cap");
    const [first, second] = server.seen;
    expect(second!.at - first!.at).toBeLessThan(3000);
  });

  test("times out an attempt that hangs, retries, then rejects naming timeoutMs", async () => {
    const server = await serve(hang);
    const started = Date.now();
    const error = await connectError(fromUrl(server.url, { timeoutMs: 200, retries: 1 }).take(signal()));
    expect(error.code).toBe("TOKEN_FETCH_FAILED");
    expect(error.status).toBeUndefined();
    expect(error.message).toMatch(/within 200 ms.*timeoutMs/);
    expect(server.seen).toHaveLength(2);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  /** Sends the headers and part of a JSON body, then never finishes it. */
  const stalledBody =
    (status: number): Reply =>
    (_request, response) => {
      response.writeHead(status, { "content-type": "application/json" });
      response.write('{"token":');
    };

  test("a 200 whose body stalls after the headers times out naming timeoutMs", async () => {
    const server = await serve(stalledBody(200));
    const error = await connectError(fromUrl(server.url, { timeoutMs: 200, retries: 0 }).take(signal()));
    expect(error).toMatchObject({ code: "TOKEN_FETCH_FAILED", message: expect.stringMatching(/within 200 ms/) });
  });

  test("a 503 is retried without waiting for its body", async () => {
    const server = await serve(stalledBody(503), json(200, { token: "tok-next" }));
    const started = Date.now();
    await expect(fromUrl(server.url, { timeoutMs: 4000, retries: 1 }).take(signal())).resolves.toBe("tok-next");
    expect(Date.now() - started).toBeLessThan(4000);
  });

  test("retries a network error and says the endpoint could not be reached", async () => {
    const server = await serve(json(200, { token: "x" }));
    await server.close();
    servers.pop();
    const error = await connectError(fromUrl(server.url, { retries: 1 }).take(signal()));
    expect(error.code).toBe("TOKEN_FETCH_FAILED");
    expect(error.message).toMatch(/could not be reached/);
    expect(error.cause).toBeInstanceOf(Error);
  });
});

describe("sharing, caching and abort", () => {
  test("concurrent callers share one request", async () => {
    const server = await serve(delayed(50, json(200, { token: "tok-shared", expires_in: 3600 })));
    const source = fromUrl(server.url);
    const tokens = await Promise.all([source.warm(), ...Array.from({ length: 9 }, () => source.take(signal()))]);
    expect(tokens.slice(1)).toEqual(Array(9).fill("tok-shared"));
    expect(server.seen).toHaveLength(1);
  });

  test("reuses a token until expires_in minus the skew, then fetches a new one", async () => {
    let now = 1_000_000;
    let n = 0;
    const server = await serve((_q, response) => {
      response.writeHead(200, { "content-type": "application/json" });
      response.end(JSON.stringify({ token: `tok-${++n}`, expires_in: 120 }));
    });
    const source = fromUrl(server.url, {}, () => now);
    expect(await source.take(signal())).toBe("tok-1");
    now += 59_000;
    expect(await source.take(signal())).toBe("tok-1");
    now += 2_000;
    expect(await source.take(signal())).toBe("tok-2");
    source.invalidate();
    expect(await source.take(signal())).toBe("tok-3");
  });

  test("uses a token of unknown lifetime for one open only, also after warm()", async () => {
    let n = 0;
    const server = await serve((_q, response) => {
      response.writeHead(200, { "content-type": "text/plain" });
      response.end(`tok-${++n}`);
    });
    const source = fromUrl(server.url);
    await source.warm();
    await source.warm();
    expect(await source.take(signal())).toBe("tok-1");
    expect(await source.take(signal())).toBe("tok-2");
    expect(server.seen).toHaveLength(2);
  });

  test("an aborted caller rejects ABORTED and aborts the request when no one else waits", async () => {
    const server = await serve(hang);
    const source = fromUrl(server.url);
    const controller = new AbortController();
    const pending = source.take(controller.signal);
    await new Promise((resolve) => setTimeout(resolve, 50));
    controller.abort();
    expect((await connectError(pending)).code).toBe("ABORTED");
  });

  test("an aborted caller leaves the request running for a caller that still waits", async () => {
    const server = await serve(delayed(100, json(200, { token: "tok-kept", expires_in: 3600 })));
    const source = fromUrl(server.url);
    const controller = new AbortController();
    const aborted = source.take(controller.signal);
    const kept = source.take(signal());
    controller.abort();
    expect((await connectError(aborted)).code).toBe("ABORTED");
    await expect(kept).resolves.toBe("tok-kept");
    expect(server.seen).toHaveLength(1);
  });

  test("abort() stops a fetch in flight", async () => {
    const server = await serve(hang);
    const source = fromUrl(server.url);
    const pending = source.take(signal());
    await new Promise((resolve) => setTimeout(resolve, 50));
    source.abort();
    expect((await connectError(pending)).code).toBe("ABORTED");
  });

  test("a failed fetch is not cached: the next call asks again", async () => {
    const server = await serve(json(401, {}), json(200, { token: "tok-after", expires_in: 3600 }));
    const source = fromUrl(server.url);
    await connectError(source.take(signal()));
    await expect(source.take(signal())).resolves.toBe("tok-after");
  });
});

describe("getToken and fixed tokens", () => {
  test("getToken may return a string or { token, expires_in }", async () => {
    let n = 0;
    const source = createTokenSource(
      { kind: "function", getToken: () => (++n === 1 ? "s1" : { token: "o2", expires_in: 600 }) },
      60,
    );
    expect(await source.take(signal())).toBe("s1");
    expect(await source.take(signal())).toBe("o2");
    expect(await source.take(signal())).toBe("o2");
  });

  test.each([null, 42, {}, { token: 5 }, ""])("rejects TOKEN_FETCH_FAILED when getToken returns %j", async (value) => {
    const source = createTokenSource({ kind: "function", getToken: () => value }, 60);
    const error = await connectError(source.take(signal()));
    expect(error.code).toBe("TOKEN_FETCH_FAILED");
    expect(error.message).toMatch(/getToken\(\) returned no token/);
  });

  test("a fixed token is always given as it is", async () => {
    const source = createTokenSource({ kind: "fixed", token: "fixed" }, 60);
    source.invalidate();
    expect(await source.take(signal())).toBe("fixed");
    expect(await source.take(signal())).toBe("fixed");
  });
});

describe("a stalled or cancelled request never blocks the next open()", () => {
  /** A getToken that ignores its signal and never answers; counts its calls. */
  const stalled = () => {
    const calls: AbortSignal[] = [];
    return {
      calls,
      getToken: ({ signal }: { signal: AbortSignal }) => (calls.push(signal), new Promise<string>(() => {})),
    };
  };
  /** Settles with what `promise` settles with, or "still pending" after `ms`. */
  const within = (promise: Promise<unknown>, ms: number) =>
    Promise.race([
      promise.then(
        () => "resolved",
        (e: unknown) => e,
      ),
      new Promise((resolve) => setTimeout(() => resolve("still pending"), ms)),
    ]);

  test("a getToken that ignores its signal is abandoned at timeoutMs with TOKEN_FETCH_FAILED naming the limit, and its signal aborts", async () => {
    const { calls, getToken } = stalled();
    const source = createTokenSource({ kind: "function", getToken, timeoutMs: 50 }, 60);
    const error = await within(source.take(signal()), 2000);
    expect(error).toMatchObject({ code: "TOKEN_FETCH_FAILED", message: expect.stringMatching(/within 50 ms/) });
    expect(calls[0]?.aborted).toBe(true);
  });

  test("a stalled request started by warm() (prefetch) ends at timeoutMs, and the next take() asks again", async () => {
    let n = 0;
    const source = createTokenSource(
      { kind: "function", getToken: () => (++n === 1 ? new Promise<string>(() => {}) : `tok-${n}`), timeoutMs: 50 },
      60,
    );
    void source.warm().catch(() => undefined);
    expect(await within(source.take(signal()), 2000)).toMatchObject({ code: "TOKEN_FETCH_FAILED" });
    await expect(source.take(signal())).resolves.toBe("tok-2");
  });

  test("a take() right after the only waiter aborted starts a request of its own instead of joining the aborted one", async () => {
    let n = 0;
    const source = createTokenSource(
      {
        kind: "function",
        getToken: () => new Promise<string>((resolve) => setTimeout(() => resolve(`tok-${++n}`), 20)),
      },
      60,
    );
    const controller = new AbortController();
    const first = source.take(controller.signal);
    controller.abort();
    const second = source.take(signal());
    expect((await connectError(first)).code).toBe("ABORTED");
    await expect(second).resolves.toBe("tok-2");
  });

  test("a head start counts against the first attempt's time limit: one that used it up is a timeout at once, and its signal aborts", async () => {
    const controller = new AbortController();
    const headStart = { started: new Promise<string>(() => {}), controller, startedAt: Date.now() - 60_000 };
    const source = createTokenSource(
      { kind: "function", getToken: () => "unused", timeoutMs: 5000 },
      60,
      Date.now,
      headStart,
    );
    // Not 5 s more from now: the head start began a minute ago.
    expect(await within(source.take(signal()), 1000)).toMatchObject({
      code: "TOKEN_FETCH_FAILED",
      message: expect.stringMatching(/within 5000 ms/),
    });
    expect(controller.signal.aborted).toBe(true);
  });

  test("a head start's token is cached from when it came, even if no caller took it yet", async () => {
    let clock = 1_000_000;
    const headStart = {
      started: Promise.resolve({ token: "early", expires_in: 120 }),
      controller: new AbortController(),
      startedAt: clock,
    };
    const source = createTokenSource(
      { kind: "function", getToken: () => ({ token: "later", expires_in: 120 }) },
      60,
      () => clock,
      headStart,
    );
    await new Promise((resolve) => setTimeout(resolve, 0));
    clock += 10 * 60_000;
    await expect(source.take(signal())).resolves.toBe("later");
  });

  test("clear() aborts the request in flight and its waiters ask again; abort() makes them reject", async () => {
    const { calls, getToken } = stalled();
    let n = 0;
    const source = createTokenSource(
      { kind: "function", getToken: (context) => (++n === 1 ? getToken(context) : `tok-${n}`) },
      60,
    );
    const waiting = source.take(signal());
    const warming = source.warm();
    source.clear();
    expect(calls[0]?.aborted).toBe(true);
    await expect(waiting).resolves.toBe("tok-2");
    await expect(warming).resolves.toBeUndefined();
    const never = createTokenSource({ kind: "function", getToken: stalled().getToken }, 60);
    const pending = never.take(signal());
    never.abort();
    expect((await connectError(pending)).code).toBe("ABORTED");
  });
});

describe("decodeToken", () => {
  test.each([
    ["tok", { token: "tok" }],
    [
      { token: "a", expires_in: 10 },
      { token: "a", expiresIn: 10 },
    ],
    [{ token: "a", expires_in: -1 }, { token: "a" }],
    [{ token: "a", expires_in: "soon" }, { token: "a" }],
    [
      { session_token: "b", expiresIn: 5 },
      { token: "b", expiresIn: 5 },
    ],
    [
      Object.defineProperty({}, "token", {
        get: () => {
          throw new Error("x");
        },
      }),
      undefined,
    ],
    [[], undefined],
    ["x".repeat(9000), undefined],
  ])("decodes %j as %j", (input, expected) => {
    expect(decodeToken(input)).toEqual(expected);
  });
});
