import { describe, expect, test } from "vitest";
import { ask, creds, running, sandbox, user } from "./helpers";

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

  test("delays every answer by latencyMs", async () => {
    const s = await sandbox({ latencyMs: 150 });
    const started = performance.now();
    await ask(s, { ...creds(s), ...user, type: "session" });
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
  });
});
