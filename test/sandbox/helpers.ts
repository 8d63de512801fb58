import { afterEach } from "vitest";
import { startSandbox, type Sandbox } from "../../src/sandbox/index";

/** Every sandbox a test started through `sandbox()`; each is closed after the test. */
export const running: Sandbox[] = [];
afterEach(async () => {
  for (const sandbox of running.splice(0)) await sandbox.close();
});

/**
 * A sandbox on 127.0.0.1 and an ephemeral port, closed after the test.
 * @example const s = await sandbox({ latencyMs: 150 });
 */
export async function sandbox(options: Parameters<typeof startSandbox>[0] = {}) {
  const started = await startSandbox({ host: "127.0.0.1", port: 0, ...options });
  running.push(started);
  return started;
}

/** POSTs `body` (JSON, or a string as it is) to the token service; its status and JSON answer. */
export async function ask(s: Sandbox, body: unknown, url = s.authUrl) {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** The sandbox's client credentials, as the token service's body fields. */
export const creds = (s: Sandbox) => ({ client_id: s.clientId, client_secret: s.clientSecret });
/** The user most tests ask tokens for. */
export const user = { client_user_id: "u-1", client_user_email: "u1@example.com" };

/** Calls the Connect app's API at `path`: a GET, or a JSON POST when there is a `body`. */
export async function appApi(s: Sandbox, path: string, body?: unknown) {
  const response = await fetch(
    `${s.connectUrl}/api/${path}`,
    body === undefined
      ? {}
      : { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) },
  );
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}
