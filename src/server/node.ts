/** The part of node:http's IncomingMessage (and Express's request) that is used. */
export interface NodeRequest {
  method?: string;
  url?: string;
  headers: Record<string, string | string[] | undefined>;
  /** A TLS socket has `encrypted: true`. */
  socket?: object;
  /** 2 for node:http2's compatibility API, which forbids a `Connection` header. */
  httpVersionMajor?: number;
  /** Set by body parsers such as express.json(); used only once the stream was consumed. */
  body?: unknown;
  readableEnded?: boolean;
  /** node:http sets it once the whole request, body included, has arrived. */
  complete?: boolean;
  on(event: "data", listener: (chunk: Uint8Array) => void): unknown;
  on(event: "end" | "close", listener: () => void): unknown;
  on(event: "error", listener: (error: Error) => void): unknown;
  pause(): unknown;
  resume(): unknown;
}

/** The part of node:http's ServerResponse (and Express's response) that is used. */
export interface NodeResponse {
  statusCode: number;
  headersSent?: boolean;
  writableFinished?: boolean;
  setHeader(name: string, value: string | string[]): unknown;
  write(chunk: Uint8Array): boolean;
  end(chunk?: Uint8Array): unknown;
  once(event: "close" | "drain", listener: () => void): unknown;
  removeListener(event: "close" | "drain", listener: () => void): unknown;
  destroy(error?: Error): unknown;
}

/** A Connect-style `next`. */
export type NodeNext = (error?: unknown) => void;

/** Options for {@link toNodeHandler}. */
export interface NodeHandlerOptions {
  /**
   * Gets every error the adapter could not send to the browser: the handler threw or returned no
   * `Response`, or the response body failed while it was being sent. Called before `next` (when
   * there is one). Never throws back.
   * @default undefined (errors go to `next` only, or are dropped after a bare 500)
   * @example
   * ```ts
   * http.createServer(toNodeHandler(handler, { onError: (error) => logger.error(error) }));
   * ```
   */
  onError?: (error: unknown) => void;
}

const STREAM = Symbol("unread stream");

/**
 * What a body parser that ran first left, or STREAM when the stream is still to be read. body-parser
 * 1.x (Express 4) sets `req.body = {}` even when it did not parse (another content type) and
 * leaves the stream unread: its body only counts once the stream was consumed.
 */
function parsedBody(req: NodeRequest): BodyInit | null | typeof STREAM {
  const consumed = req.readableEnded === true || (req as { _body?: unknown })._body === true;
  if (!consumed) return STREAM;
  const parsed = req.body;
  if (parsed === undefined || parsed === null) return null;
  if (typeof parsed === "string" || parsed instanceof Uint8Array) return parsed as BodyInit;
  return JSON.stringify(parsed);
}

/** The request body as a stream that reads from `req` only as fast as the handler reads it. */
function streamBody(req: NodeRequest): ReadableStream<Uint8Array> {
  let finished = false;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      req.on("data", (chunk) => {
        if (finished) return;
        controller.enqueue(new Uint8Array(chunk));
        if ((controller.desiredSize ?? 0) <= 0) req.pause();
      });
      req.on("end", () => {
        if (!finished) controller.close();
        finished = true;
      });
      req.on("error", (error) => {
        if (!finished) controller.error(error);
        finished = true;
      });
      req.pause();
    },
    pull() {
      req.resume();
    },
    cancel() {
      // The handler stopped reading (say, a body over its limit): take nothing more in.
      finished = true;
      req.pause();
    },
  });
}

/** The Fetch `Request` for `req`, or undefined when `req` cannot be one (a bad Host, a TRACE). */
function toRequest(req: NodeRequest, signal: AbortSignal): Request | undefined {
  try {
    const host = String(req.headers.host ?? "localhost");
    const url = new URL(
      req.url ?? "/",
      `${(req.socket as { encrypted?: boolean } | undefined)?.encrypted ? "https" : "http"}://${host}`,
    );
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      if (value === undefined || name.startsWith(":")) continue;
      for (const item of Array.isArray(value) ? value : [value]) headers.append(name, item);
    }
    const method = req.method ?? "GET";
    const parsed = method === "GET" || method === "HEAD" ? null : parsedBody(req);
    const body = parsed === STREAM ? streamBody(req) : parsed;
    return new Request(url, {
      method,
      headers,
      body,
      signal,
      ...(parsed === STREAM ? { duplex: "half" } : {}),
    } as RequestInit);
  } catch {
    return undefined;
  }
}

/** Sets status and headers; a body still arriving is not read on: the connection closes after the answer. */
function writeHead(req: NodeRequest, res: NodeResponse, status: number, headers: Headers): void {
  res.statusCode = status;
  headers.forEach((value, name) => {
    if (name !== "set-cookie") res.setHeader(name, value);
  });
  const cookies = headers.getSetCookie?.() ?? [];
  if (cookies.length > 0) res.setHeader("set-cookie", cookies);
  if (req.complete === false && !(Number(req.httpVersionMajor) >= 2)) res.setHeader("Connection", "close");
}

function plain(req: NodeRequest, res: NodeResponse, status: number, text: string): void {
  writeHead(req, res, status, new Headers({ "Content-Type": "text/plain; charset=utf-8" }));
  res.end(new TextEncoder().encode(text));
}

function drained(res: NodeResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.removeListener("drain", done);
      res.removeListener("close", done);
      resolve();
    };
    res.once("drain", done);
    res.once("close", done);
  });
}

type Read = ReadableStreamReadResult<Uint8Array>;

/**
 * Writes `response` to `res`. Its first two chunks are read before anything is written, so a body
 * of one chunk gets a Content-Length and a body that fails at once becomes a clean 500. Returns
 * the body's error: `sent` says whether the status line was already on its way.
 */
async function send(
  response: Response,
  req: NodeRequest,
  res: NodeResponse,
  closed: AbortSignal,
): Promise<{ error: unknown; sent: boolean } | undefined> {
  if (req.method === "HEAD" || !response.body) {
    response.body?.cancel().catch(() => undefined);
    writeHead(req, res, response.status, response.headers);
    return void res.end();
  }
  const reader = response.body.getReader();
  // A body that waits forever must not outlive the client.
  closed.addEventListener("abort", () => void reader.cancel().catch(() => undefined), { once: true });
  let first: Read, next: Read;
  try {
    first = await reader.read();
    next = first.done ? first : await reader.read();
  } catch (error) {
    return { error, sent: false };
  }
  writeHead(req, res, response.status, response.headers);
  if (first.done || next.done) return void res.end(first.value);
  try {
    let chunk: Read = first;
    let queued: Read | undefined = next;
    while (!chunk.done) {
      if (closed.aborted) return;
      if (!res.write(chunk.value)) await drained(res);
      chunk = queued ?? (await reader.read());
      queued = undefined;
    }
    res.end();
  } catch (error) {
    reader.cancel().catch(() => undefined);
    return { error, sent: true };
  }
}

function isResponse(value: unknown): value is Response {
  return (
    value instanceof Response ||
    (typeof value === "object" &&
      value !== null &&
      typeof (value as Response).status === "number" &&
      (value as Response).headers instanceof Headers)
  );
}

/** Hands an error to `onError` (a throwing logger changes nothing), then to `next` when there is one. */
function reporter(onError: NodeHandlerOptions["onError"]) {
  return (error: unknown, next?: NodeNext) => {
    try {
      onError?.(error);
    } catch {
      // The integrator's logger failing must not change the answer.
    }
    if (next) next(error);
  };
}

/**
 * Adapts a Fetch-API handler (such as `createTokenHandler()`'s) to node:http, Express and
 * Connect-style servers: builds the `Request` from `req` (method, URL, headers, body, read only
 * as fast as the handler reads it), writes the `Response` back, and passes an error to `onError`
 * and to `next` when there is one (else answers a bare 500). `request.signal` aborts when the
 * client goes away before the answer is sent. A request body still arriving when the answer is
 * sent is not read on: the connection closes after the answer. A request that cannot become a
 * `Request` (a malformed Host, a TRACE) gets a bare 400. The returned function never rejects.
 *
 * @throws {TypeError} at once when `handler` or `options.onError` is not a function.
 * @example
 * ```ts
 * app.post("/api/connect-token", toNodeHandler(handler));          // Express
 * http.createServer(toNodeHandler(handler)).listen(3000);           // node:http
 * ```
 */
export function toNodeHandler(
  handler: (request: Request) => Promise<Response> | Response,
  options: NodeHandlerOptions = {},
) {
  if (typeof handler !== "function") {
    throw new TypeError(
      "toNodeHandler(): handler must be a function that takes a Request and returns a Response, such as createTokenHandler()'s.",
    );
  }
  const onError = options?.onError;
  if (onError !== undefined && typeof onError !== "function")
    throw new TypeError("toNodeHandler(): onError must be a function, or left out.");

  const report = reporter(onError);

  async function serve(req: NodeRequest, res: NodeResponse, next?: NodeNext): Promise<void> {
    const gone = new AbortController();
    res.once("close", () => {
      if (!res.writableFinished) gone.abort();
    });
    const request = toRequest(req, gone.signal);
    if (!request) return plain(req, res, 400, "Bad Request");
    let response: Response;
    try {
      response = await handler(request);
      if (!isResponse(response))
        throw new TypeError(
          "toNodeHandler(): the handler did not return a Response: return one (or a Promise of one).",
        );
    } catch (error) {
      report(error, next);
      return next ? undefined : plain(req, res, 500, "Internal Server Error");
    }
    const failed = await send(response, req, res, gone.signal);
    if (!failed) return;
    // Half a body must not look like a whole one: the client sees the connection break.
    if (failed.sent) res.destroy();
    report(failed.error, next);
    if (!failed.sent && !next) plain(req, res, 500, "Internal Server Error");
  }

  return async function nodeHandler(req: NodeRequest, res: NodeResponse, next?: NodeNext): Promise<void> {
    try {
      await serve(req, res, next);
    } catch {
      // Only a throwing next() or a broken res gets here: an unhandled rejection would end the process.
      try {
        res.destroy();
      } catch {
        // Nothing is left to close.
      }
    }
  };
}
