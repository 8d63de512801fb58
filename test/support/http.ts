import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { connect, type AddressInfo } from "node:net";

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
  (
    status: number,
    body: string,
    contentType = "text/plain; charset=utf-8",
    headers: Record<string, string> = {},
  ): Reply =>
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

export interface UploadResult {
  /** The answer's status, or 0 when none came. */
  status: number;
  /** The answer as it came over the wire (head and body; the first 64 KiB). */
  raw: string;
  /** Body bytes the client handed to its socket. */
  sent: number;
  /** Whether the server closed the connection before the whole body was sent. */
  cutShort: boolean;
}

/**
 * Streams a chunked request body of up to `limit` bytes over a raw keep-alive connection (as curl
 * does), as fast as the server takes it, until the server closes the connection or the body is
 * all sent and answered.
 */
export function upload(
  url: string,
  options: { method: string; limit: number; headers?: Record<string, string> },
): Promise<UploadResult> {
  const { hostname, port, pathname } = new URL(url);
  const result: UploadResult = { status: 0, raw: "", sent: 0, cutShort: false };
  return new Promise<UploadResult>((resolve) => {
    const socket = connect(Number(port), hostname);
    let closed = false;
    const settle = () => {
      result.status = Number(/^HTTP\/1\.1 (\d{3})/.exec(result.raw)?.[1] ?? 0);
      if (closed || (result.sent >= options.limit && result.status > 0)) {
        result.cutShort = closed && result.sent < options.limit;
        socket.destroy();
        resolve(result);
      }
    };
    socket.setEncoding("latin1");
    socket.on("data", (text: string) => {
      if (result.raw.length < 65536) result.raw += text;
      settle();
    });
    socket.on("error", () => undefined);
    socket.on("close", () => {
      closed = true;
      settle();
    });
    const head = Object.entries({
      host: `${hostname}:${port}`,
      "transfer-encoding": "chunked",
      ...options.headers,
    }).map(([name, value]) => `${name}: ${value}\r\n`);
    socket.write(`${options.method} ${pathname} HTTP/1.1\r\n${head.join("")}\r\n`);
    const chunk = Buffer.concat([Buffer.from("10000\r\n"), Buffer.alloc(0x10000, 120), Buffer.from("\r\n")]);
    const pump = () => {
      while (result.sent < options.limit && !socket.destroyed) {
        result.sent += 0x10000;
        if (!socket.write(chunk)) return void socket.once("drain", pump);
      }
      if (!socket.destroyed) socket.write("0\r\n\r\n", settle);
    };
    pump();
  });
}
