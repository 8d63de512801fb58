/** The part of node:http's IncomingMessage (and Express's request) that is used. */
export interface NodeRequest {
  method?: string;
  url?: string;
  headers: Record<string, string | string[] | undefined>;
  /** A TLS socket has `encrypted: true`. */
  socket?: object;
  /** Set by body parsers such as express.json() once they consumed the stream. */
  body?: unknown;
  readableEnded?: boolean;
  on(event: "data", listener: (chunk: Uint8Array) => void): unknown;
  on(event: "end" | "close", listener: () => void): unknown;
  on(event: "error", listener: (error: Error) => void): unknown;
  pause(): unknown;
}

/** The part of node:http's ServerResponse (and Express's response) that is used. */
export interface NodeResponse {
  statusCode: number;
  headersSent?: boolean;
  setHeader(name: string, value: string | string[]): unknown;
  end(chunk?: Uint8Array): unknown;
}

/** A Connect-style `next`. */
export type NodeNext = (error?: unknown) => void;

function bodyOf(req: NodeRequest): BodyInit | undefined {
  if (req.method === "GET" || req.method === "HEAD") return undefined;
  if (req.readableEnded || req.body !== undefined) {
    // A body parser ran first: hand on what it parsed.
    const parsed = req.body;
    if (parsed === undefined || parsed === null) return undefined;
    if (typeof parsed === "string" || parsed instanceof Uint8Array) return parsed as BodyInit;
    return JSON.stringify(parsed);
  }
  let paused = false;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      req.on("data", (chunk) => {
        if (!paused) controller.enqueue(new Uint8Array(chunk));
      });
      req.on("end", () => {
        if (!paused) controller.close();
      });
      req.on("error", (error) => {
        if (!paused) controller.error(error);
      });
    },
    cancel() {
      // The handler stopped reading (say, a body over its limit): stop taking data in.
      paused = true;
      req.pause();
    },
  });
}

/**
 * Adapts a Fetch-API handler (such as `createTokenHandler()`'s) to node:http, Express and
 * Connect-style servers: builds the `Request` from `req` (method, URL, headers, body), writes the
 * `Response` back, and passes a thrown error to `next` when there is one (else answers 500).
 *
 * @example
 * ```ts
 * app.post("/api/connect-token", toNodeHandler(handler));          // Express
 * http.createServer(toNodeHandler(handler)).listen(3000);           // node:http
 * ```
 */
export function toNodeHandler(handler: (request: Request) => Promise<Response> | Response) {
  return async function nodeHandler(req: NodeRequest, res: NodeResponse, next?: NodeNext): Promise<void> {
    const controller = new AbortController();
    req.on("close", () => controller.abort());
    let response: Response;
    try {
      const host = String(req.headers.host ?? "localhost");
      const url = new URL(req.url ?? "/", `${(req.socket as { encrypted?: boolean } | undefined)?.encrypted ? "https" : "http"}://${host}`);
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers)) {
        if (value === undefined || name.startsWith(":")) continue;
        for (const item of Array.isArray(value) ? value : [value]) headers.append(name, item);
      }
      const body = bodyOf(req);
      response = await handler(
        new Request(url, {
          method: req.method ?? "GET",
          headers,
          body,
          signal: controller.signal,
          ...(body instanceof ReadableStream ? { duplex: "half" } : {}),
        } as RequestInit),
      );
    } catch (error) {
      if (next) return next(error);
      res.statusCode = 500;
      res.setHeader("Content-Type", "text/plain; charset=utf-8");
      res.end(new TextEncoder().encode("Internal Server Error"));
      return;
    }
    res.statusCode = response.status;
    const cookies = response.headers.getSetCookie?.() ?? [];
    response.headers.forEach((value, name) => {
      if (name !== "set-cookie") res.setHeader(name, value);
    });
    if (cookies.length > 0) res.setHeader("set-cookie", cookies);
    const bytes = req.method === "HEAD" ? undefined : new Uint8Array(await response.arrayBuffer());
    // The rest of an oversized body is not read: the connection closes after the answer.
    if (response.status === 413) res.setHeader("Connection", "close");
    res.end(bytes);
  };
}
