import { describe, expect, test } from "vitest";
import { DEFAULT_PROVIDERS } from "../../src/sandbox/providers";
import { appApi, ask, creds, sandbox, user } from "./helpers";

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
    expect((await ask(s, { client_id: s.clientId, client_secret: "wrong", ...user, type: "session" })).status).toBe(
      401,
    );
    expect((await ask(s, { client_id: "other", client_secret: s.clientSecret, ...user, type: "session" })).status).toBe(
      401,
    );
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
    const connected = await appApi(s, "connect", {
      token,
      providerId: DEFAULT_PROVIDERS[0]!.id,
      username: "u",
      password: "p",
    });
    expect(connected.body.ok).toBe(true);
    expect((await ask(s, { ...creds(s), ...user, type: "session" })).status).toBe(403);
    const id = await ask(s, { ...creds(s), client_user_id: "u-1", type: "id" });
    expect(id.body).toMatchObject({ token_type: "Bearer", expires_in: 86400 });
    expect(id.body.id_refresh_token).toMatch(/^idrt-/);
    const access = await ask(s, { ...creds(s), client_user_id: "u-1", type: "access" });
    expect(access.body).toMatchObject({ token_type: "Bearer", expires_in: 86400 });
    expect(access.body.refresh_token).toMatch(/^atrt-/);
    expect(s.issued.map((i) => [i.kind, i.userId, i.expiresIn])).toEqual([
      ["session", "u-1", 3600],
      ["id", "u-1", 86400],
      ["access", "u-1", 86400],
    ]);
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
    expect(await appApi(s, `session?token=${token}`)).toEqual({
      status: 200,
      body: { ok: false, status: "SESSION_TOKEN_EXPIRED" },
    });
  });
  test("issues tokens through expiredAuthUrl already expired, with the usual lifetime in the answer, and leaves authUrl's tokens working", async () => {
    const s = await sandbox();
    const expired = await ask(s, { ...creds(s), ...user, type: "session" }, s.expiredAuthUrl);
    const working = await ask(s, { ...creds(s), ...user, type: "session" });
    expect(expired.body.expires_in).toBe(3600);
    expect((await appApi(s, `session?token=${expired.body.session_token}`)).body).toEqual({
      ok: false,
      status: "SESSION_TOKEN_EXPIRED",
    });
    expect((await appApi(s, `session?token=${working.body.session_token}`)).body.ok).toBe(true);
  });
});
