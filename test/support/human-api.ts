import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { DEFAULT_PROVIDERS } from "../../src/sandbox/providers";
import { createStore } from "../../src/sandbox/store";
import { createTokenService } from "../../src/sandbox/token-service";

export type Fault = "500" | "503" | "hang" | "malformed" | "reset";

/**
 * A real HTTP server on 127.0.0.1 that plays Human API's token service (the sandbox's, which
 * follows docs/protocol.md, "The token service"), with faults a test can queue: each queued fault answers one
 * request instead of the service.
 */
export async function startHumanApi(options: { now?: () => number } = {}) {
  const credentials = { clientId: "client-test", clientSecret: "secret-test-value-123" };
  const store = createStore(DEFAULT_PROVIDERS, options.now ?? Date.now);
  const service = createTokenService(store, credentials);
  const faults: Fault[] = [];
  const bodies: Array<Record<string, unknown>> = [];
  const hanging = new Set<ServerResponse>();
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const fault = faults.shift();
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      try {
        bodies.push(JSON.parse(Buffer.concat(chunks).toString("utf8")) as Record<string, unknown>);
      } catch {
        bodies.push({});
      }
      if (fault === "hang") return void hanging.add(res);
      if (fault === "reset") return void res.socket?.destroy();
      if (fault === "500" || fault === "503") {
        res.writeHead(Number(fault), { "content-type": "application/json" });
        return void res.end('{"error":"server_error"}');
      }
      if (fault === "malformed") {
        res.writeHead(200, { "content-type": "application/json" });
        return void res.end("{ this is not json");
      }
      const request = new Request(`http://127.0.0.1${req.url ?? "/"}`, {
        method: req.method ?? "POST",
        headers: { "content-type": String(req.headers["content-type"] ?? "") },
        body: req.method === "GET" || req.method === "HEAD" ? undefined : Buffer.concat(chunks),
      });
      void service(request).then(async (response) => {
        res.writeHead(response.status, Object.fromEntries(response.headers));
        res.end(Buffer.from(await response.arrayBuffer()));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    ...credentials,
    authUrl: `http://127.0.0.1:${port}/v1/connect/token`,
    store,
    faults,
    /** The JSON bodies the service was sent, in order. */
    bodies,
    /** Connects a source for a user, as the Connect app would. */
    connectSource(userId: string) {
      const provider = DEFAULT_PROVIDERS[0]!;
      store.user(userId).connections.set(provider.id, { id: provider.id, name: provider.name });
    },
    async close() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
