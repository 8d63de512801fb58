import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, test } from "vitest";
import { startSandbox, type Sandbox } from "../src/sandbox/index";
import { DEFAULT_PROVIDERS } from "../src/sandbox/providers";

const running: Sandbox[] = [];
afterEach(async () => {
  for (const sandbox of running.splice(0)) await sandbox.close();
});

async function sandbox(options: Parameters<typeof startSandbox>[0] = {}) {
  const started = await startSandbox({ host: "127.0.0.1", port: 0, ...options });
  running.push(started);
  return started;
}

async function ask(s: Sandbox, body: unknown, url = s.authUrl) {
  const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: typeof body === "string" ? body : JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const creds = (s: Sandbox) => ({ client_id: s.clientId, client_secret: s.clientSecret });
const user = { client_user_id: "u-1", client_user_email: "u1@example.com" };

async function appApi(s: Sandbox, path: string, body?: unknown) {
  const response = await fetch(`${s.connectUrl}/api/${path}`, body === undefined ? {} : { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe("startSandbox", () => {
  test("serves on loopback with generated credentials and frees the port on close", async () => {
    const s = await sandbox();
    expect(s.authUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1\/connect\/token$/);
    expect(s.connectUrl).toBe(`${s.origin}/connect`);
    expect(s.clientId).toMatch(/^sandbox-client-/);
    expect(s.clientSecret.length).toBeGreaterThan(20);
    const port = Number(new URL(s.origin).port);
    await s.close();
    running.pop();
    const again = await sandbox({ port });
    expect(again.origin).toBe(s.origin);
  });

  test("has at least 20 providers with 24-hex-digit ids, Starfleet Pharmacy and Cleveland Clinic among them", () => {
    expect(DEFAULT_PROVIDERS.length).toBeGreaterThanOrEqual(20);
    for (const p of DEFAULT_PROVIDERS) expect(p.id, p.name).toMatch(/^[0-9a-f]{24}$/);
    expect(new Set(DEFAULT_PROVIDERS.map((p) => p.id)).size).toBe(DEFAULT_PROVIDERS.length);
    expect(DEFAULT_PROVIDERS.map((p) => p.name)).toEqual(expect.arrayContaining(["Starfleet Pharmacy", "Cleveland Clinic"]));
  });

  test("delays every answer by latencyMs", async () => {
    const s = await sandbox({ latencyMs: 150 });
    const started = performance.now();
    await ask(s, { ...creds(s), ...user, type: "session" });
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
  });
});

describe("startSandbox({ pageOrigins })", () => {
  test.each([
    ["a string", "http://localhost:5173", /^startSandbox\(\): pageOrigins must be an array/],
    ["a number in the list", [5173], /^startSandbox\(\): pageOrigins\[0\] must be a string/],
    ["a host without a scheme", ["localhost:5173"], /pageOrigins\[0\] must be an http or https origin/],
    ["an ftp origin", ["ftp://files.example"], /pageOrigins\[0\] must be an http or https origin/],
    ["an empty string", ["http://a.example", ""], /pageOrigins\[1\] must be an http or https origin/],
    ["a trailing slash", ["http://localhost:5173/"], /pageOrigins\[0\] must be an exact origin .*write "http:\/\/localhost:5173"/],
    ["a path", ["https://app.example/connect"], /pageOrigins\[0\] must be an exact origin .*write "https:\/\/app.example"/],
    ["an upper-case host", ["http://LOCALHOST:5173"], /write "http:\/\/localhost:5173"/],
    ["a default port written out", ["https://app.example:443"], /write "https:\/\/app.example"/],
  ])("refuses %s with a TypeError naming the option", async (_name, pageOrigins, message) => {
    const refused = startSandbox({ host: "127.0.0.1", port: 0, pageOrigins: pageOrigins as string[] });
    await expect(refused).rejects.toThrow(TypeError);
    await expect(refused).rejects.toThrow(message);
  });

  test.each([
    ["no pageOrigins", undefined, ""],
    ["an empty list", [], ""],
    ["exact origins (each once)", ["http://localhost:5173", "https://app.example", "http://localhost:5173", "http://[::1]:8080"], "http://localhost:5173 https://app.example http://[::1]:8080"],
  ])("writes %s into the Connect page for its script", async (_name, pageOrigins, content) => {
    const s = await sandbox({ pageOrigins });
    const html = await (await fetch(`${s.connectUrl}?token=x`)).text();
    expect(html.match(/<meta name="page-origins" content="([^"]*)" \/>/)?.[1]).toBe(content);
  });
});

describe("the humanconnect-sandbox CLI", () => {
  // Runs the built CLI (npm test builds first).
  const cli = fileURLToPath(new URL("../dist/sandbox-cli.mjs", import.meta.url));

  test("refuses a --page-origin that is not an exact origin, naming the flag, with exit code 2", async () => {
    const child = spawn(process.execPath, [cli, "--port", "0", "--page-origin", "http://localhost:5173", "--page-origin", "localhost:8080"]);
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise((resolve) => child.once("exit", resolve));
    expect(code).toBe(2);
    expect(stderr).toMatch(/^--page-origin\[1\] must be an http or https origin/);
  });

  test("passes each --page-origin to the Connect page and prints them", async () => {
    const child = spawn(process.execPath, [cli, "--port", "0", "--page-origin", "http://localhost:5173", "--page-origin", "https://app.example"]);
    try {
      let stdout = "";
      await new Promise<void>((resolve, reject) => {
        child.stdout.on("data", (chunk: Buffer) => {
          stdout += chunk.toString();
          if (stdout.includes("Press Ctrl+C")) resolve();
        });
        child.once("exit", (code) => reject(new Error(`the CLI exited with ${code}`)));
      });
      expect(stdout).toContain("pageOrigins:  http://localhost:5173 https://app.example");
      const connectUrl = /connectUrl:\s+(\S+)/.exec(stdout)![1]!;
      expect(await (await fetch(connectUrl)).text()).toContain('<meta name="page-origins" content="http://localhost:5173 https://app.example" />');
    } finally {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGTERM");
        await new Promise((resolve) => child.once("exit", resolve));
      }
    }
  });
});

describe("the token service", () => {
  test.each([
    ["a body that is not JSON", "{nope", 400],
    ["a JSON array", "[]", 400],
    ["an unknown type", { type: "refresh" }, 400],
  ])("answers 400 to %s", async (_name, body, status) => {
    const s = await sandbox();
    const merged = typeof body === "string" ? body : { ...creds(s), ...user, ...body };
    expect((await ask(s, merged)).status).toBe(status);
  });

  test("answers 401 to wrong client credentials", async () => {
    const s = await sandbox();
    expect((await ask(s, { client_id: s.clientId, client_secret: "wrong", ...user, type: "session" })).status).toBe(401);
    expect((await ask(s, { client_id: "other", client_secret: s.clientSecret, ...user, type: "session" })).status).toBe(401);
  });

  test("answers 400 to a session request without an e-mail", async () => {
    const s = await sandbox();
    expect((await ask(s, { ...creds(s), client_user_id: "u-2", type: "session" })).status).toBe(400);
  });

  test("gives a session token (3600 s), 403 once the user has a source, then id (86400 s) and access (86400 s) tokens", async () => {
    const s = await sandbox();
    const session = await ask(s, { ...creds(s), ...user, type: "session" });
    expect(session.status).toBe(200);
    expect(session.body).toMatchObject({ expires_in: 3600 });
    expect(Object.keys(session.body).sort()).toEqual(["expires_in", "human_id", "session_token"]);
    const token = session.body.session_token as string;
    const connected = await appApi(s, "connect", { token, providerId: DEFAULT_PROVIDERS[0]!.id, username: "u", password: "p" });
    expect(connected.body.ok).toBe(true);
    expect((await ask(s, { ...creds(s), ...user, type: "session" })).status).toBe(403);
    const id = await ask(s, { ...creds(s), client_user_id: "u-1", type: "id" });
    expect(id.body).toMatchObject({ token_type: "Bearer", expires_in: 86400 });
    expect(id.body.id_refresh_token).toMatch(/^idrt-/);
    const access = await ask(s, { ...creds(s), client_user_id: "u-1", type: "access" });
    expect(access.body).toMatchObject({ token_type: "Bearer", expires_in: 86400 });
    expect(access.body.refresh_token).toMatch(/^atrt-/);
    expect(s.issued.map((i) => [i.kind, i.userId, i.expiresIn])).toEqual([["session", "u-1", 3600], ["id", "u-1", 86400], ["access", "u-1", 86400]]);
    expect(s.connections("u-1")).toEqual([{ id: DEFAULT_PROVIDERS[0]!.id, name: DEFAULT_PROVIDERS[0]!.name }]);
  });

  test("expires tokens by the injected clock", async () => {
    let now = Date.UTC(2026, 0, 1);
    const s = await sandbox({ now: () => now });
    const token = (await ask(s, { ...creds(s), ...user, type: "session" })).body.session_token as string;
    expect((await appApi(s, `session?token=${token}`)).body.ok).toBe(true);
    now += 3599_000;
    expect((await appApi(s, `session?token=${token}`)).body.ok).toBe(true);
    now += 1_000;
    expect(await appApi(s, `session?token=${token}`)).toEqual({ status: 200, body: { ok: false, status: "SESSION_TOKEN_EXPIRED" } });
  });
  test("issues tokens through expiredAuthUrl already expired, with the usual lifetime in the answer, and leaves authUrl's tokens working", async () => {
    const s = await sandbox();
    const expired = await ask(s, { ...creds(s), ...user, type: "session" }, s.expiredAuthUrl);
    const working = await ask(s, { ...creds(s), ...user, type: "session" });
    expect(expired.body.expires_in).toBe(3600);
    expect((await appApi(s, `session?token=${expired.body.session_token}`)).body).toEqual({ ok: false, status: "SESSION_TOKEN_EXPIRED" });
    expect((await appApi(s, `session?token=${working.body.session_token}`)).body.ok).toBe(true);
  });
});

describe("the Connect app", () => {
  test("serves its page under a strict CSP", async () => {
    const s = await sandbox();
    const page = await fetch(`${s.connectUrl}?token=x`);
    expect(page.headers.get("content-type")).toMatch(/text\/html/);
    expect(page.headers.get("content-security-policy")).toMatch(/script-src 'self'/);
    expect(await page.text()).toContain('<script src="/connect/app.js" defer></script>');
  });

  test.each([
    ["its script", "app.js"],
    ["its style", "app.css"],
    ["the vendor's loading image", "images/data-source-type-icons/launch-connect-text.svg"],
  ])("serves %s (%s)", async (_name, asset) => {
    const s = await sandbox();
    expect((await fetch(`${s.connectUrl}/${asset}`)).status).toBe(200);
  });

  test.each([
    ["an unknown token", "session?token=nope", "SESSION_TOKEN_INVALID"],
    ["no token", "session?token=", "MISSING_SESSION_TOKEN"],
  ])("refuses %s with %s", async (_name, path, status) => {
    const s = await sandbox();
    expect(await appApi(s, path)).toEqual({ status: 200, body: { ok: false, status } });
  });

  test("refuses an access token as a Connect token", async () => {
    const s = await sandbox();
    await ask(s, { ...creds(s), ...user, type: "session" });
    const access = (await ask(s, { ...creds(s), client_user_id: "u-1", type: "access" })).body.access_token as string;
    expect((await appApi(s, `session?token=${access}`)).body).toEqual({ ok: false, status: "SESSION_TOKEN_INVALID" });
  });

  test("fails a sign-in with the password 'wrong', keeps connections per user, and disconnects", async () => {
    const s = await sandbox();
    const token = (await ask(s, { ...creds(s), ...user, type: "session" })).body.session_token as string;
    const [first, second] = DEFAULT_PROVIDERS;
    expect((await appApi(s, "connect", { token, providerId: first!.id, username: "u", password: "wrong" })).body).toEqual({ ok: false, error: "wrong_password" });
    await appApi(s, "connect", { token, providerId: first!.id, username: "u", password: "ok" });
    const both = await appApi(s, "connect", { token, providerId: second!.id, username: "u", password: "ok" });
    expect(both.body.currentConnections).toEqual([{ id: first!.id, name: first!.name }, { id: second!.id, name: second!.name }]);
    const idToken = (await ask(s, { ...creds(s), client_user_id: "u-1", type: "id" })).body.id_token as string;
    expect((await appApi(s, `session?token=${idToken}`)).body.currentConnections).toHaveLength(2);
    const after = await appApi(s, "disconnect", { token: idToken, providerId: first!.id });
    expect(after.body).toEqual({ ok: true, source: { id: first!.id, name: first!.name }, currentConnections: [{ id: second!.id, name: second!.name }] });
  });

  test("records requested providers per user, with only the documented fields", async () => {
    const s = await sandbox();
    const token = (await ask(s, { ...creds(s), ...user, type: "session" })).body.session_token as string;
    const answer = await appApi(s, "request", { token, provider: { physician: "Dr. Who", website: "https://tardis.example", admin: true } });
    expect(answer.body.requestedProviders).toEqual([{ physician: "Dr. Who", website: "https://tardis.example" }]);
  });
});

describe("the demo's expired scenario", () => {
  test("expires only its own token: another user's normal token, asked for at the same time, still opens Connect", async () => {
    // The demo runs the built package (humanconnect-kit/server and /sandbox): npm test builds first.
    const { startDemo } = await import("../demo/server.mjs");
    const demo = await startDemo({ port: 0 });
    try {
      const signIn = async () => (await fetch(`${demo.url}/api/me`, { method: "POST" })).headers.get("set-cookie")!.split(";")[0]!;
      const tokenFor = async (cookie: string, scenario: string) => {
        const response = await fetch(`${demo.url}/api/connect-token?scenario=${scenario}`, { method: "POST", headers: { cookie } });
        return ((await response.json()) as { token: string }).token;
      };
      const statusOf = async (token: string) => String((await appApi(demo.sandbox!, `session?token=${token}`)).body.status ?? "OK");
      // A few rounds: in each, the expired token and the normal one are in flight together.
      const rounds: string[][] = [];
      for (let round = 0; round < 5; round++) {
        const cookies = [await signIn(), await signIn()];
        const tokens = await Promise.all([tokenFor(cookies[0]!, "expired"), tokenFor(cookies[1]!, "normal")]);
        rounds.push(await Promise.all(tokens.map(statusOf)));
      }
      expect(rounds).toEqual(Array.from({ length: 5 }, () => ["SESSION_TOKEN_EXPIRED", "OK"]));
    } finally {
      await demo.close();
    }
  });
});
