import { describe, expect, test } from "vitest";
import { appApi } from "./sandbox/helpers";

describe("the demo's expired scenario", () => {
  test("expires only its own token: another user's normal token, asked for at the same time, still opens Connect", async () => {
    // The demo runs the built package (humanconnect-kit/server and /sandbox): npm test builds first.
    const { startDemo } = await import("../demo/server.mjs");
    const demo = await startDemo({ port: 0 });
    try {
      const signIn = async () =>
        (await fetch(`${demo.url}/api/me`, { method: "POST" })).headers.get("set-cookie")!.split(";")[0]!;
      const tokenFor = async (cookie: string, scenario: string) => {
        const response = await fetch(`${demo.url}/api/connect-token?scenario=${scenario}`, {
          method: "POST",
          headers: { cookie },
        });
        return ((await response.json()) as { token: string }).token;
      };
      const statusOf = async (token: string) =>
        String((await appApi(demo.sandbox!, `session?token=${token}`)).body.status ?? "OK");
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

describe("the drop-in pages (the vendor's README as written)", () => {
  test.each([
    ["/drop-in.html", "/humanconnect-kit.compat.min.js"],
    ["/drop-in-vendor.html", "/vendor/humanapi-connect-client.js"],
  ])(
    "%s loads %s, signs a new visitor in, renders a token the sandbox accepts for them, and is never cached",
    async (path, script) => {
      const { startDemo } = await import("../demo/server.mjs");
      const demo = await startDemo({ port: 0 });
      try {
        const first = await fetch(`${demo.url}${path}`);
        expect(first.status).toBe(200);
        expect(first.headers.get("cache-control")).toBe("no-store");
        const html = await first.text();
        expect(html).toContain(`<script src="${script}"></script>`);
        const token = /data-hapi-token="([^"]+)"/.exec(html)![1]!;
        expect((await appApi(demo.sandbox!, `session?token=${token}`)).body.ok).toBe(true);

        const cookie = first.headers.get("set-cookie")!.split(";")[0]!;
        const again = await fetch(`${demo.url}${path}`, { headers: { cookie } });
        expect(again.headers.get("set-cookie"), "the same visitor: no new user").toBeNull();
        expect(
          [...demo.users.values()].map((user) => user.issued.map((issued: { kind: string }) => issued.kind)),
        ).toEqual([["session", "session"]]);
      } finally {
        await demo.close();
      }
    },
  );
});

describe("the integrator's page", () => {
  test("opened first, signs the visitor in, so its token request answers (it was 401 until / had been visited)", async () => {
    const { startDemo } = await import("../demo/server.mjs");
    const demo = await startDemo({ port: 0 });
    try {
      const page = await fetch(`${demo.url}/integrator.html`);
      expect(page.status).toBe(200);
      const cookie = page.headers.get("set-cookie")?.split(";")[0];
      expect(cookie).toMatch(/^demo_user=demo-[0-9a-f]{8}$/);
      const token = await fetch(`${demo.url}/api/connect-token`, { method: "POST", headers: { cookie: cookie! } });
      expect(token.status).toBe(200);
      expect(((await token.json()) as { token: string }).token).toEqual(expect.any(String));
    } finally {
      await demo.close();
    }
  });
});
