import { afterEach, describe, expect, test, vi } from "vitest";
import { attempt, backoffMs, fetchAttempt, type Attempt } from "../../src/http/attempt";
import { hang, json, startServer, type Reply } from "../support/http";

const servers: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  vi.useRealTimers();
  vi.restoreAllMocks();
  for (const server of servers.splice(0)) await server.close();
});

async function serve(...replies: Reply[]) {
  const server = await startServer(replies);
  servers.push(server);
  return server;
}

/** Sends headers and part of a body, then never finishes it. */
const stalledBody: Reply = (_request, response) => {
  response.writeHead(200, { "content-type": "application/json" });
  response.write('{"token":');
};

const post = { method: "POST", headers: { "Content-Type": "application/json" }, body: '{"user":"u1"}' };

describe("fetchAttempt", () => {
  test("answers with what read made of the response, and sends the request as given", async () => {
    const server = await serve(json(201, { ok: true }));
    const result = await fetchAttempt({
      url: server.url,
      init: post,
      timeoutMs: 5000,
      read: async (r) => [r.status, await r.json()],
    });
    expect(result).toEqual({ kind: "answer", value: [201, { ok: true }] });
    expect(server.seen[0]).toMatchObject({ method: "POST", body: '{"user":"u1"}' });
  });

  test("ends as timeout at timeoutMs when the server never answers, and aborts the request's signal", async () => {
    const server = await serve(hang);
    const signals: AbortSignal[] = [];
    const spy = (...[url, init]: Parameters<typeof fetch>) => (signals.push(init!.signal!), fetch(url, init));
    const result = await fetchAttempt({
      url: server.url,
      init: post,
      timeoutMs: 100,
      read: (r) => r.text(),
      fetch: spy,
    });
    expect(result).toEqual({ kind: "timeout" });
    expect(signals[0]?.aborted).toBe(true);
  });

  test("ends as timeout with the status when the headers came but the body stalled", async () => {
    const server = await serve(stalledBody);
    const result = await fetchAttempt({ url: server.url, init: post, timeoutMs: 200, read: (r) => r.text() });
    expect(result).toEqual({ kind: "timeout", status: 200 });
  });

  test("ends as timeout at timeoutMs even when a custom fetch ignores its signal", async () => {
    const ignoring = () => new Promise<Response>(() => undefined);
    const started = Date.now();
    const result = await fetchAttempt({
      url: "http://127.0.0.1:9/",
      init: post,
      timeoutMs: 50,
      read: (r) => r.text(),
      fetch: ignoring,
    });
    expect(result).toEqual({ kind: "timeout" });
    expect(Date.now() - started).toBeLessThan(5000);
  });

  test("ends as failed with fetch's error and no status when the server cannot be reached", async () => {
    const server = await serve(hang);
    await servers.pop()!.close();
    const result = await fetchAttempt({ url: server.url, init: post, timeoutMs: 5000, read: (r) => r.text() });
    expect(result).toMatchObject({ kind: "failed", cause: expect.any(Error) });
    expect(result).not.toHaveProperty("status");
  });

  test("ends as failed with the status when read throws", async () => {
    const server = await serve(json(200, {}));
    const broken = new Error("body read failed");
    const result = await fetchAttempt({
      url: server.url,
      init: post,
      timeoutMs: 5000,
      read: () => Promise.reject(broken),
    });
    expect(result).toEqual({ kind: "failed", cause: broken, status: 200 });
  });

  test("ends as aborted at once when the outer signal aborts, even when a custom fetch ignores its signal", async () => {
    const outer = new AbortController();
    const seen: AbortSignal[] = [];
    const ignoring = (...[, init]: Parameters<typeof fetch>) => (
      seen.push(init!.signal!),
      new Promise<Response>(() => undefined)
    );
    const pending = fetchAttempt({
      url: "http://127.0.0.1:9/",
      init: post,
      timeoutMs: 60_000,
      read: (r) => r.text(),
      fetch: ignoring,
      signal: outer.signal,
    });
    outer.abort("left");
    expect(await pending).toEqual({ kind: "aborted" });
    expect(seen[0]?.reason).toBe("left");
  });
});

describe("attempt", () => {
  test("does not start the work when the outer signal has already aborted", async () => {
    const work = vi.fn(() => "never");
    expect(await attempt(work, { timeoutMs: 1000, signal: AbortSignal.abort() })).toEqual({ kind: "aborted" });
    expect(work).not.toHaveBeenCalled();
  });

  test("ends as failed when the work throws synchronously", async () => {
    const thrown = new Error("sync");
    const result = await attempt(
      () => {
        throw thrown;
      },
      { timeoutMs: 1000 },
    );
    expect(result).toEqual({ kind: "failed", cause: thrown });
  });

  test("drops what the work settles with after the limit, without an unhandled rejection", async () => {
    let late!: () => void;
    const rejected = new Promise<void>((resolve) => (late = resolve));
    const work = () =>
      new Promise<never>((_resolve, reject) => setTimeout(() => (reject(new Error("late")), late()), 60));
    expect(await attempt(work, { timeoutMs: 20 })).toEqual({ kind: "timeout" });
    await rejected;
  });

  const never = () => new Promise<never>(() => undefined);
  test.each<[string, () => unknown, Attempt<unknown>["kind"]]>([
    ["an answer", () => "value", "answer"],
    ["a failure", () => Promise.reject(new Error("no")), "failed"],
    ["an outer abort", never, "aborted"],
    ["the time limit", never, "timeout"],
  ])("leaves no timer and no abort listener behind after %s", async (_case, work, kind) => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const outer = new AbortController();
    const remove = vi.spyOn(outer.signal, "removeEventListener");
    const pending = attempt(work, { timeoutMs: 1000, signal: outer.signal });
    if (kind === "aborted") outer.abort();
    else await vi.advanceTimersByTimeAsync(kind === "timeout" ? 1000 : 0);
    expect((await pending).kind).toBe(kind);
    expect(vi.getTimerCount()).toBe(0);
    expect(remove).toHaveBeenCalledWith("abort", expect.any(Function));
  });
});

describe("backoffMs", () => {
  test.each([0, 1, 2, 3])("waits between half and all of base * 2^%i", (n) => {
    const full = 250 * 2 ** n;
    vi.spyOn(Math, "random").mockReturnValueOnce(0).mockReturnValueOnce(0.999999);
    expect(backoffMs(n, 250)).toBe(full / 2);
    expect(backoffMs(n, 250)).toBeCloseTo(full, -1);
    vi.restoreAllMocks();
    const jittered = backoffMs(n, 250);
    expect(jittered).toBeGreaterThanOrEqual(full / 2);
    expect(jittered).toBeLessThanOrEqual(full);
  });
});
