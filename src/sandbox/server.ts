import { randomBytes } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { toNodeHandler } from "../server/node";
import { CONNECT_PATH, createConnectApp } from "./connect-app";
import { checkPageOrigins } from "./page-origins";
import { DEFAULT_PROVIDERS, type SandboxProvider } from "./providers";
import { createStore, type TokenIssue } from "./store";
import { createTokenService, EXPIRED_PARAM } from "./token-service";

const TOKEN_PATH = "/v1/connect/token";

/** Options for {@link startSandbox}. */
export interface SandboxOptions {
  /**
   * The address to listen on (loopback only in tests).
   * @default "127.0.0.1"
   */
  host?: string;
  /**
   * The port; 0 picks a free one.
   * @default 0
   */
  port?: number;
  /** The client id the token service accepts (generated when not given). */
  clientId?: string;
  /** The client secret the token service accepts (generated when not given). */
  clientSecret?: string;
  /**
   * Delay added to every answer, in milliseconds.
   * @default 0
   */
  latencyMs?: number;
  /** Replaces the built-in list of providers. */
  providers?: readonly SandboxProvider[];
  /**
   * The clock tokens expire by (milliseconds since the epoch), for expiry tests.
   * @default Date.now
   */
  now?: () => number;
  /**
   * The exact origins of the pages that open Connect (scheme, host and port). The Connect app
   * posts its messages only to the embedding page's origin, which it learns from
   * `location.ancestorOrigins` or `document.referrer`. When the browser gives neither (Firefox,
   * which has no `ancestorOrigins`, on a page sent with `Referrer-Policy: no-referrer`), it posts
   * to each origin listed here: the browser delivers a message only when its target origin is the
   * parent's, so only the real page gets it. When the browser does give an origin that is not
   * listed, Connect refuses to work for that page. Either way, a Connect that cannot answer shows
   * an error screen that says why, and only the page's own `close()`, `signal` or `destroy()`
   * settles its `open()`.
   * @default [] (trust the origin the browser gives)
   * @example
   * ```ts
   * await startSandbox({ pageOrigins: ["http://localhost:5173"] });
   * ```
   */
  pageOrigins?: readonly string[];
}

/** A running sandbox. */
export interface Sandbox {
  /** The token service: give it to `createTokenIssuer({ authUrl })`. */
  authUrl: string;
  /**
   * The same token service, but every token it issues is already expired (its answer still says
   * the usual `expires_in`, as a token kept too long would): for an "expired token" test, give it
   * to a second issuer. Per request, unlike moving the `now` clock, which every user shares.
   * @example
   * ```ts
   * const expiredIssuer = createTokenIssuer({ clientId: sandbox.clientId, clientSecret: sandbox.clientSecret, authUrl: sandbox.expiredAuthUrl });
   * ```
   */
  expiredAuthUrl: string;
  /** The Connect app: give it to `createConnect({ baseUrl })`. */
  connectUrl: string;
  /** The sandbox's origin (the Connect app's origin). */
  origin: string;
  clientId: string;
  clientSecret: string;
  /** Every token the token service issued, oldest first (kind, user, lifetime; never the token). */
  issued: readonly TokenIssue[];
  /** The sources a user has connected now. */
  connections(userId: string): Array<{ id: string; name: string }>;
  /** Stops the server and frees the port. */
  close(): Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Starts a local, in-memory Human API: the token service (docs/protocol.md, "The token service") and the Connect
 * web app that the unmodified vendor client loads in its iframe. Nothing leaves the machine.
 *
 * @example
 * ```ts
 * const sandbox = await startSandbox({ host: "127.0.0.1", port: 0 });
 * const issuer = createTokenIssuer({ clientId: sandbox.clientId, clientSecret: sandbox.clientSecret, authUrl: sandbox.authUrl });
 * // in the page: createConnect({ tokenUrl: "/api/connect-token", baseUrl: sandbox.connectUrl })
 * await sandbox.close();
 * ```
 */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const host = options.host ?? "127.0.0.1";
  const clientId = options.clientId ?? `sandbox-client-${randomBytes(4).toString("hex")}`;
  const clientSecret = options.clientSecret ?? `sandbox-secret-${randomBytes(16).toString("hex")}`;
  const latencyMs = options.latencyMs ?? 0;
  if (!(Number.isFinite(latencyMs) && latencyMs >= 0))
    throw new TypeError("startSandbox(): latencyMs must be a number of milliseconds, 0 or more.");
  const store = createStore(options.providers ?? DEFAULT_PROVIDERS, options.now ?? Date.now);
  const tokenService = createTokenService(store, { clientId, clientSecret });
  const connectApp = createConnectApp(store, checkPageOrigins(options.pageOrigins, "startSandbox(): pageOrigins"));

  const handler = toNodeHandler(async (request: Request) => {
    if (latencyMs > 0) await sleep(latencyMs);
    const { pathname } = new URL(request.url);
    if (pathname === TOKEN_PATH) return tokenService(request);
    return (
      (await connectApp(request)) ??
      new Response("Not found", { status: 404, headers: { "Content-Type": "text/plain" } })
    );
  });
  const server = createServer((req, res) => void handler(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const origin = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
  return {
    authUrl: `${origin}${TOKEN_PATH}`,
    expiredAuthUrl: `${origin}${TOKEN_PATH}?${EXPIRED_PARAM}`,
    connectUrl: `${origin}${CONNECT_PATH}`,
    origin,
    clientId,
    clientSecret,
    issued: store.issued,
    connections: (userId) => [...(store.users.get(userId)?.connections.values() ?? [])],
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
