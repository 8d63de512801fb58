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
    window.dispatchEvent(new MessageEvent("message", { data: { type: "hapi-connect-close", status: "SUCCESS" }, origin: "https://hapi-connect.humanapi.co", source: frame.contentWindow }));
  }, 5);
  return () => clearInterval(timer);
}

const CASES: Array<[string, Reply[], { code?: string; status?: number; message?: RegExp }]> = [
  ["500, 503 then 200 succeeds within the retry budget", [json(500, {}), json(503, {}), json(200, { token: "t1", expires_in: 600 })], {}],
  ["429 with Retry-After waits, then succeeds", [json(429, {}, { "retry-after": "1" }), json(200, { token: "t2" })], {}],
  ["a hang times out", [hang], { code: "TOKEN_FETCH_FAILED", message: /did not answer within 300 ms/ }],
  ["a body that is not JSON fails clearly", [text(200, "<html>login</html>", "text/html")], { code: "TOKEN_FETCH_FAILED", status: 200, message: /without a token/ }],
  ["JSON without a token fails clearly", [json(200, { tokne: "x" })], { code: "TOKEN_FETCH_FAILED", status: 200, message: /without a token/ }],
  ["401 fails at once", [json(401, {})], { code: "TOKEN_FETCH_FAILED", status: 401 }],
  ["503 every time fails after the retries", [json(503, {})], { code: "TOKEN_FETCH_FAILED", status: 503 }],
];

describe("token faults through open()", () => {
  test("every open() settles, with the right outcome, within a hard bound", async () => {
    const stop = closeWhenOpen();
    try {
      const settled: Array<{ name: string; outcome: unknown }> = [];
      for (const [name, replies] of CASES) {
        const server = await startServer(replies);
        servers.push(server);
        const connect = createConnect({ tokenUrl: server.url, tokenRequest: { timeoutMs: 300, retries: 2 } });
        // One at a time (Connect holds the page while open), each under a hard bound.
        const outcome = connect.open().then(
          (result) => ({ name, outcome: result.status as unknown }),
          (error: unknown) => ({ name, outcome: isConnectError(error) ? { code: error.code, status: error.status, message: error.message } : error }),
        );
        let timer: ReturnType<typeof setTimeout> | undefined;
        const bound = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`open() did not settle within 8 s: ${name}`)), 8_000)));
        settled.push(await Promise.race([outcome, bound]));
        clearTimeout(timer);
      }
      for (const [index, [name, , expected]] of CASES.entries()) {
        const { outcome } = settled[index]!;
        if (!expected.code) expect(outcome, name).toBe("SUCCESS");
        else {
          expect(outcome, name).toMatchObject({ code: expected.code });
          if (expected.status) expect((outcome as { status?: number }).status, name).toBe(expected.status);
          if (expected.message) expect((outcome as { message: string }).message, name).toMatch(expected.message);
        }
      }
    } finally {
      stop();
    }
  });

  test("100 concurrent prefetch() and open() calls share one token request", async () => {
    const server = await startServer([(_q, res) => setTimeout(() => { res.writeHead(200, { "content-type": "application/json" }); res.end('{"token":"shared","expires_in":3600}'); }, 30)]);
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
