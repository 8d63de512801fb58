import { describe, expect, test } from "vitest";
import { connectMessage } from "../../src/connect-message";
import { DEFAULT_PROVIDERS } from "../../src/sandbox/providers";
import { appApi, ask, creds, sandbox, user } from "./helpers";

describe("the Connect app", () => {
  test("serves its page under a strict CSP", async () => {
    const s = await sandbox();
    const page = await fetch(`${s.connectUrl}?token=x`);
    expect(page.headers.get("content-type")).toMatch(/text\/html/);
    expect(page.headers.get("content-security-policy")).toMatch(/script-src 'self'/);
    const html = await page.text();
    expect(html).toContain('<script src="/connect/app.js" defer></script>');
    expect(html.indexOf("/connect/connect-message.js")).toBeGreaterThan(-1);
    expect(html.indexOf("/connect/connect-message.js")).toBeLessThan(html.indexOf("/connect/app.js"));
  });

  test("serves connect-message.js: the shared connectMessage() as a plain script that builds the same payload", async () => {
    const s = await sandbox();
    const response = await fetch(`${s.connectUrl}/connect-message.js`);
    expect(response.headers.get("content-type")).toMatch(/text\/javascript/);
    const body = await response.text();
    expect(body).toMatch(/^var connectMessage = function/);
    const served = new Function(`${body}; return connectMessage;`)() as typeof connectMessage;
    const state = {
      session: { connectedSources: [DEFAULT_PROVIDERS[0]!], disconnectedSources: [], requestedSources: [] },
      current: [{ id: "a", name: "A" }],
      requested: [{ physician: "Dr. Who" }],
    };
    const message = served("connect-source", "CONNECTED_SOURCE", state);
    expect(message).toEqual(connectMessage("connect-source", "CONNECTED_SOURCE", state));
    expect(message).toMatchObject({ type: "hapi-connect-connect-source", status: "CONNECTED_SOURCE" });
    expect(message.currentConnections).not.toBe(state.current);
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
    expect(
      (await appApi(s, "connect", { token, providerId: first!.id, username: "u", password: "wrong" })).body,
    ).toEqual({ ok: false, error: "wrong_password" });
    await appApi(s, "connect", { token, providerId: first!.id, username: "u", password: "ok" });
    const both = await appApi(s, "connect", { token, providerId: second!.id, username: "u", password: "ok" });
    expect(both.body.currentConnections).toEqual([
      { id: first!.id, name: first!.name },
      { id: second!.id, name: second!.name },
    ]);
    const idToken = (await ask(s, { ...creds(s), client_user_id: "u-1", type: "id" })).body.id_token as string;
    expect((await appApi(s, `session?token=${idToken}`)).body.currentConnections).toHaveLength(2);
    const after = await appApi(s, "disconnect", { token: idToken, providerId: first!.id });
    expect(after.body).toEqual({
      ok: true,
      source: { id: first!.id, name: first!.name },
      currentConnections: [{ id: second!.id, name: second!.name }],
    });
  });

  test("records requested providers per user, with only the documented fields", async () => {
    const s = await sandbox();
    const token = (await ask(s, { ...creds(s), ...user, type: "session" })).body.session_token as string;
    const answer = await appApi(s, "request", {
      token,
      provider: { physician: "Dr. Who", website: "https://tardis.example", admin: true },
    });
    expect(answer.body.requestedProviders).toEqual([{ physician: "Dr. Who", website: "https://tardis.example" }]);
  });
});
