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
