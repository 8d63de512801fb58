import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface SeenRequest {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  body: string;
  at: number;
}

export type Reply = (request: IncomingMessage, response: ServerResponse, seen: SeenRequest) => void;

/**
 * A real HTTP server on 127.0.0.1 that answers each request with the next reply in `replies`
 * (the last one repeats) and records what it was sent.
 */
export async function startServer(replies: Reply[]) {
  const seen: SeenRequest[] = [];
  const open = new Set<ServerResponse>();
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const entry: SeenRequest = {
        method: request.method ?? "",
        url: request.url ?? "",
        headers: request.headers,
        body: Buffer.concat(chunks).toString("utf8"),
        at: Date.now(),
      };
      seen.push(entry);
      open.add(response);
      response.on("close", () => open.delete(response));
      const reply = replies[Math.min(seen.length - 1, replies.length - 1)];
      reply?.(request, response, entry);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/api/connect-token`,
    seen,
    async close() {
      for (const response of open) response.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export const json =
  (status: number, body: unknown, headers: Record<string, string> = {}): Reply =>
  (_request, response) => {
    response.writeHead(status, { "content-type": "application/json", ...headers });
    response.end(JSON.stringify(body));
  };

export const text =
  (status: number, body: string, contentType = "text/plain; charset=utf-8", headers: Record<string, string> = {}): Reply =>
  (_request, response) => {
    response.writeHead(status, { "content-type": contentType, ...headers });
    response.end(body);
  };

/** Never answers (until the server closes). */
export const hang: Reply = () => {};

export const delayed =
  (ms: number, reply: Reply): Reply =>
  (request, response, seen) => {
    setTimeout(() => reply(request, response, seen), ms);
  };
