import { HumanApiError } from "./errors";
import { noStoreJson } from "./json";
import type { TokenIssuer, TokenUser } from "./types";

/** The largest request body the handler accepts (it needs none). */
export const MAX_BODY_BYTES = 16 * 1024;

/** Options for {@link createTokenHandler}. */
export interface TokenHandlerOptions {
  /** The issuer from `createTokenIssuer()`. */
  issuer: TokenIssuer;
  /**
   * Says who is asking: return the signed-in user, or `null` (answered `401`). The user id
   * comes only from here, never from the request's body, query or headers.
   */
  authenticate: (request: Request) => Promise<TokenUser | null | undefined> | TokenUser | null | undefined;
  /** Gets every error the handler hides from the browser (for your own logs). Never throws back. */
  onError?: (error: unknown, request: Request) => void;
}

function problem(status: number, error: string, message: string, headers: Record<string, string> = {}): Response {
  return noStoreJson(status, { error, message }, headers);
}

/** Reads at most `limit + 1` bytes of a body, so a huge one is refused without reading it whole. */
async function exceeds(body: ReadableStream<Uint8Array>, limit: number): Promise<boolean> {
  const reader = body.getReader();
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return false;
      total += value.byteLength;
      if (total > limit) return true;
    }
  } finally {
    reader.cancel().catch(() => undefined);
  }
}

/**
 * Whether the request's body is over the limit: its declared length, else at most `limit + 1`
 * bytes of a copy (`authenticate` can still read the body). A body something already read is
 * not read again: it costs nothing more, and the handler needs none.
 */
async function oversized(request: Request): Promise<boolean> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > MAX_BODY_BYTES) return true;
  if (!request.body || request.bodyUsed || request.body.locked) return false;
  return exceeds(request.clone().body!, MAX_BODY_BYTES);
}

/**
 * Creates the HTTP handler that answers the browser's token request: `POST` only, the user from
 * `authenticate`, `200 { token, kind, expires_in }` with `Cache-Control: no-store`. It never sends
 * the client secret or a refresh token, and answers failures with generic messages (details go
 * to `onError`): `400` the body broke while it was read, `401` unauthenticated, `405` not POST,
 * `413` body over 16 KiB, `500` your code threw, `502` Human API failed, `504` Human API timed out.
 *
 * A Fetch-API handler: export it from a Next.js route, Hono, Bun or Deno; wrap it with
 * `toNodeHandler()` for node:http and Express.
 *
 * @example
 * ```ts
 * export const POST = createTokenHandler({
 *   issuer,
 *   authenticate: async (request) => {
 *     const user = await mySession(request);
 *     return user && { userId: user.id, email: user.email };
 *   },
 * });
 * ```
 */
export function createTokenHandler(options: TokenHandlerOptions): (request: Request) => Promise<Response> {
  const { issuer, authenticate, onError } = options ?? ({} as TokenHandlerOptions);
  if (typeof issuer?.connectToken !== "function")
    throw new TypeError("createTokenHandler(): issuer must come from createTokenIssuer().");
  if (typeof authenticate !== "function")
    throw new TypeError(
      "createTokenHandler(): authenticate must be a function that returns the signed-in user or null.",
    );
  if (onError !== undefined && typeof onError !== "function")
    throw new TypeError("createTokenHandler(): onError must be a function, or left out.");

  const report = (error: unknown, request: Request) => {
    try {
      onError?.(error, request);
    } catch {
      // The integrator's logger failing must not change the answer.
    }
  };

  return async function handleTokenRequest(request: Request): Promise<Response> {
    if (request.method !== "POST") {
      return problem(405, "method_not_allowed", "Use POST to ask for a Connect token.", { Allow: "POST" });
    }
    try {
      if (await oversized(request))
        return problem(413, "payload_too_large", "The token request needs no body; send at most 16 KiB.");
    } catch (error) {
      report(error, request);
      return problem(400, "bad_request", "The request body could not be read: send the request again.");
    }

    let user: TokenUser | null | undefined;
    try {
      user = await authenticate(request);
    } catch (error) {
      report(error, request);
      return problem(500, "internal_error", "The server could not check who is signed in.");
    }
    if (!user) return problem(401, "unauthorized", "Sign in, then ask for a Connect token again.");

    try {
      const { token, kind, expiresIn } = await issuer.connectToken({ userId: user.userId, email: user.email });
      return noStoreJson(200, { token, kind, expires_in: expiresIn });
    } catch (error) {
      report(error, request);
      if (error instanceof HumanApiError) {
        if (error.code === "TIMEOUT")
          return problem(504, "upstream_timeout", "Human API did not answer in time: try again.");
        return problem(502, "upstream_error", "Could not get a Connect token from Human API: try again later.");
      }
      return problem(500, "internal_error", "The server could not issue a Connect token.");
    }
  };
}
