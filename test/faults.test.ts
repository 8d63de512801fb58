// @vitest-environment jsdom
import { afterAll, describe, expect, test } from "vitest";
import { createConnect, isConnectError } from "../src/index";
import { hang, json, startServer, text, type Reply } from "./support/http";

const servers: Array<{ close(): Promise<void> }> = [];
afterAll(async () => {
  for (const server of servers) await server.close();
});

/** Closes Connect, as the iframe would, whenever one is mounted. */
function closeWhenOpen(): () => void {
  const timer = setInterval(() => {
    const frame = document.getElementById("human-api") as HTMLIFrameElement | null;
    if (!frame) return;
    window.dispatchEvent(
      new MessageEvent("message", {
        data: { type: "hapi-connect-close", status: "SUCCESS" },
        origin: "https://hapi-connect.humanapi.co",
        source: frame.contentWindow,
      }),
    );
  }, 5);
  return () => clearInterval(timer);
}

const CASES: Array<[string, Reply[], { code?: string; status?: number; message?: RegExp }]> = [
  [
    "500, 503 then 200 succeeds within the retry budget",
    [json(500, {}), json(503, {}), json(200, { token: "t1", expires_in: 600 })],
    {},
  ],
  [
    "429 with Retry-After waits, then succeeds",
    [json(429, {}, { "retry-after": "1" }), json(200, { token: "t2" })],
    {},
  ],
  ["a hang times out", [hang], { code: "TOKEN_FETCH_FAILED", message: /did not answer within 300 ms/ }],
  [
    "a body that is not JSON fails clearly",
    [text(200, "<html>login</html>", "text/html")],
    { code: "TOKEN_FETCH_FAILED", status: 200, message: /without a token/ },
  ],
  [
    "JSON without a token fails clearly",
    [json(200, { tokne: "x" })],
    { code: "TOKEN_FETCH_FAILED", status: 200, message: /without a token/ },
  ],
  ["401 fails at once", [json(401, {})], { code: "TOKEN_FETCH_FAILED", status: 401 }],
  ["503 every time fails after the retries", [json(503, {})], { code: "TOKEN_FETCH_FAILED", status: 503 }],
];

describe("token faults through open()", () => {
  test.each(CASES)("%s, and open() settles within a hard bound", async (name, replies, expected) => {
    const stop = closeWhenOpen();
    const server = await startServer(replies);
    servers.push(server);
    const connect = createConnect({ tokenUrl: server.url, tokenRequest: { timeoutMs: 300, retries: 2 } });
    try {
      const outcome = connect.open().then(
        (result) => result.status as unknown,
        (error: unknown) =>
          isConnectError(error) ? { code: error.code, status: error.status, message: error.message } : error,
      );
      let timer: ReturnType<typeof setTimeout> | undefined;
      const bound = new Promise<never>(
        (_, reject) =>
          (timer = setTimeout(() => reject(new Error(`open() did not settle within 8 s: ${name}`)), 8_000)),
      );
      const settled = await Promise.race([outcome, bound]);
      clearTimeout(timer);
      if (!expected.code) expect(settled).toBe("SUCCESS");
      else {
        expect(settled).toMatchObject({ code: expected.code });
        if (expected.status) expect((settled as { status?: number }).status).toBe(expected.status);
        if (expected.message) expect((settled as { message: string }).message).toMatch(expected.message);
      }
    } finally {
      stop();
      // Connect holds the page while open: a case that failed must not leave it to the next.
      connect.destroy();
    }
  });

  test("100 concurrent prefetch() and open() calls share one token request", async () => {
    const server = await startServer([
      (_q, res) =>
        setTimeout(() => {
          res.writeHead(200, { "content-type": "application/json" });
          res.end('{"token":"shared","expires_in":3600}');
        }, 30),
    ]);
    servers.push(server);
    const connect = createConnect({ tokenUrl: server.url });
    const stop = closeWhenOpen();
    try {
      const calls = Array.from({ length: 100 }, (_, i) => (i % 2 ? connect.prefetch() : connect.open()));
      const settled = await Promise.allSettled(calls);
      // All 50 prefetches and the one open() that got the page; the 49 others are ALREADY_OPEN.
      expect(settled.filter((s) => s.status === "fulfilled").length).toBe(51);
      expect(server.seen).toHaveLength(1);
    } finally {
      stop();
    }
  });
});
