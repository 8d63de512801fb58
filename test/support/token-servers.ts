import type { ServerResponse } from "node:http";
import { afterEach } from "vitest";
import { json, startServer } from "./http";

// Token endpoints an app's backend would answer from, for the React and element tests: real
// servers on 127.0.0.1, each closed after its test.
const servers: Array<{ close(): Promise<void> }> = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

/**
 * Answers `{ "token": "<name>-<n>" }` (n counts its requests from 1), with `expires_in` when given
 * (a token the client may keep), so a test sees which request a Connect was opened with.
 * `asked()` resolves once the first request came.
 * @default name `"tok"`, expiresIn none (each token serves one open)
 * @example const server = await tokenServer("a", 600); // first token "a-1", good for 10 minutes
 */
export async function tokenServer(name = "tok", expiresIn?: number) {
  let count = 0;
  let take!: () => void;
  const first = new Promise<void>((resolve) => (take = resolve));
  const server = await startServer([
    (request, response, seen) => {
      take();
      json(200, { token: `${name}-${++count}`, expires_in: expiresIn })(request, response, seen);
    },
  ]);
  servers.push(server);
  return { ...server, asked: () => first };
}

/**
 * Refuses every request with HTTP 401.
 * @example const server = await refusingTokenServer();
 */
export async function refusingTokenServer() {
  const server = await startServer([json(401, { error: "not signed in" })]);
  servers.push(server);
  return server;
}

/**
 * Holds its one answer until `answer()`. `asked` resolves once the request came; `gaveUp` once
 * the client closed it unanswered (an aborted fetch).
 * @example const held = await heldTokenServer(); click(); await held.asked; unmount(); await held.gaveUp;
 */
export async function heldTokenServer() {
  let take!: (response: ServerResponse) => void;
  const asked = new Promise<ServerResponse>((resolve) => (take = resolve));
  const server = await startServer([(_request, response) => take(response)]);
  servers.push(server);
  return {
    url: server.url,
    seen: server.seen,
    asked: asked.then(() => undefined),
    gaveUp: asked.then(
      (response) =>
        new Promise<void>((resolve) => response.on("close", () => (response.writableEnded ? undefined : resolve()))),
    ),
    /** Answers with the token "late" (dropped by the socket if the client left). */
    async answer() {
      const response = await asked;
      if (!response.destroyed) response.writeHead(200, { "content-type": "application/json" }).end('{"token":"late"}');
    },
  };
}
