import { fetchAttempt } from "../http/attempt";
import { secondsFromNumber } from "../http/seconds";
import { HumanApiError } from "./errors";
import { createLruSet } from "./lru";

/** Human API's token service. */
export const DEFAULT_AUTH_URL = "https://auth.humanapi.co/v1/connect/token";

/** Options for {@link createTokenIssuer}. */
export interface TokenIssuerOptions {
  /** Your Human API client id. */
  clientId: string;
  /** Your Human API client secret. Server side only: never send it to a browser. */
  clientSecret: string;
  /**
   * The token service's URL (point it at `humanconnect-kit/sandbox` in tests).
   * @default "https://auth.humanapi.co/v1/connect/token"
   */
  authUrl?: string | URL;
  /**
   * Time limit for one upstream request, in milliseconds (above 0, at most 2^31-1). The request
   * is abandoned at the limit even when a custom `fetch` ignores its signal.
   * @default 10000
   */
  timeoutMs?: number;
  /**
   * The `fetch` to use.
   * @default globalThis.fetch
   */
  fetch?: typeof fetch;
  /**
   * How many returning users to remember (so their next token costs one upstream call): a whole
   * number, 0 or more.
   * @default 10000
   */
  returningUsersCacheSize?: number;
}

/** Who the token is for: your own id for the user, and their e-mail (needed for session tokens). */
export interface TokenUser {
  /** Your id for the user: a non-empty string of at most 255 characters. */
  userId: string;
  /** The user's e-mail; required to start a session for a new user. */
  email?: string;
}

/** A token for opening Connect: a session token (new user) or an id token (returning user). */
export interface ConnectToken {
  token: string;
  kind: "session" | "id";
  /** Seconds until it expires. */
  expiresIn: number;
  /** Human API's id for the user (session tokens). */
  humanId?: string;
}

/** Human API's answer to `type: "session"`, in camelCase. */
export interface SessionTokenAnswer {
  sessionToken: string;
  humanId?: string;
  expiresIn: number;
}

/** Human API's answer to `type: "id"`, in camelCase. */
export interface IdTokenAnswer {
  idToken: string;
  idRefreshToken?: string;
  expiresIn: number;
  tokenType?: string;
}

/** Human API's answer to `type: "access"`, in camelCase. */
export interface AccessTokenAnswer {
  accessToken: string;
  refreshToken?: string;
  expiresIn: number;
  tokenType?: string;
}

/** What {@link createTokenIssuer} returns. */
export interface TokenIssuer {
  /** A token to open Connect with: a session token, or an id token once the user has a source. */
  connectToken(user: TokenUser): Promise<ConnectToken>;
  /** Asks for a session token (new user). Throws `HumanApiError` `FORBIDDEN` once the user has a source. */
  sessionToken(user: TokenUser): Promise<SessionTokenAnswer>;
  /** Asks for an id token (returning user). */
  idToken(user: Pick<TokenUser, "userId">): Promise<IdTokenAnswer>;
  /** Asks for an access token, to read the user's data from your server. */
  accessToken(user: Pick<TokenUser, "userId">): Promise<AccessTokenAnswer>;
}

type Fields = Record<string, unknown>;

function text(value: unknown): string | undefined {
  return typeof value === "string" && value.length > 0 ? value : undefined;
}

function requireText(value: unknown, name: string): string {
  if (typeof value !== "string" || value.length === 0) {
    throw new TypeError(
      `createTokenIssuer(): ${name} must be a non-empty string: pass it from your server's environment.`,
    );
  }
  return value;
}

function checkUserId(userId: unknown): string {
  if (typeof userId !== "string" || userId.length === 0 || userId.length > 255) {
    throw new TypeError(
      "userId must be a non-empty string of at most 255 characters: pass your own id for the signed-in user.",
    );
  }
  return userId;
}

function checkEmail(email: unknown): string {
  if (typeof email !== "string" || !/^[^\s@]+@[^\s@]+$/.test(email)) {
    throw new TypeError(
      "email must be the user's e-mail address: Human API needs it to start a session for a new user.",
    );
  }
  return email;
}

/** setTimeout's largest delay: a longer one fires at once. */
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

/** Where and how to call the token service, checked once. */
interface Upstream {
  authUrl: string;
  timeoutMs: number;
  fetch: typeof fetch;
}

function readUpstream(options: TokenIssuerOptions): Upstream {
  let url: URL | undefined;
  try {
    url = new URL(String(options.authUrl ?? DEFAULT_AUTH_URL));
  } catch {
    url = undefined;
  }
  // The value itself is never echoed: a URL may carry credentials.
  if (!url || (url.protocol !== "https:" && url.protocol !== "http:") || url.username || url.password) {
    throw new TypeError(
      "createTokenIssuer(): authUrl must be an absolute http(s) URL without a user name or password, such as the sandbox's authUrl.",
    );
  }
  const timeoutMs = options.timeoutMs ?? 10_000;
  if (typeof timeoutMs !== "number" || !(timeoutMs > 0 && timeoutMs <= MAX_TIMEOUT_MS)) {
    throw new TypeError(
      `createTokenIssuer(): timeoutMs must be a positive number of milliseconds, at most ${MAX_TIMEOUT_MS}.`,
    );
  }
  if (options.fetch !== undefined && typeof options.fetch !== "function") {
    throw new TypeError(
      "createTokenIssuer(): fetch must be a function with the signature of the global fetch, or left out.",
    );
  }
  const fetchImpl = options.fetch ?? ((...args: Parameters<typeof fetch>) => globalThis.fetch(...args));
  return { authUrl: url.href, timeoutMs, fetch: fetchImpl };
}

function readCacheSize(size: unknown): number {
  const value = size ?? 10_000;
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0) {
    throw new TypeError(
      "createTokenIssuer(): returningUsersCacheSize must be a whole number, 0 or more (0 remembers nobody).",
    );
  }
  return value;
}

type Outcome = { retry: boolean; error?: HumanApiError; answer?: Fields };

/** One request, abandoned at `timeoutMs` even when the `fetch` given ignores its signal. */
async function send(upstream: Upstream, body: Fields): Promise<Outcome> {
  const result = await fetchAttempt({
    fetch: upstream.fetch,
    url: upstream.authUrl,
    init: {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify(body),
    },
    read: readAnswer,
    timeoutMs: upstream.timeoutMs,
  });
  if (result.kind === "answer") return result.value;
  if (result.kind === "failed") return { retry: true, error: networkError(result.status, result.cause) };
  // No outer signal is given, so the attempt cannot end as `aborted`: only the time limit is left.
  const status = result.kind === "timeout" ? result.status : undefined;
  const message = `Human API's token service did not answer within ${upstream.timeoutMs} ms: try again later, or raise timeoutMs.`;
  return { retry: false, error: new HumanApiError("TIMEOUT", message, { status, cause: new Error("timeout") }) };
}

/** Reads one answer; a body that breaks while read throws, and {@link send} calls that NETWORK. */
async function readAnswer(response: Response): Promise<Outcome> {
  if (typeof response?.status !== "number" || typeof response.text !== "function") {
    return {
      retry: false,
      error: new HumanApiError(
        "MALFORMED_RESPONSE",
        "The fetch given to createTokenIssuer() did not resolve to a Response: pass a fetch with the global fetch's behaviour.",
        { cause: new TypeError("not a Response") },
      ),
    };
  }
  const raw = await response.text();
  const status = response.status;
  return status < 200 || status > 299 ? statusError(status) : parse(status, raw);
}

/** No answer (`status` undefined), or one whose body broke while it was read. */
function networkError(status: number | undefined, cause: unknown): HumanApiError {
  // The cause is fetch's own error: it names the URL, never the request body.
  if (status === undefined)
    return new HumanApiError(
      "NETWORK",
      "Could not reach Human API's token service: check the server's network and authUrl.",
      { cause: new Error(describe(cause)) },
    );
  return new HumanApiError("NETWORK", "The connection to Human API's token service broke: try again.", {
    status,
    cause: new Error("body read failed"),
  });
}

function parse(status: number, raw: string): Outcome {
  let answer: unknown;
  try {
    answer = JSON.parse(raw);
  } catch {
    answer = undefined;
  }
  if (typeof answer !== "object" || answer === null || Array.isArray(answer)) {
    return {
      retry: false,
      error: new HumanApiError(
        "MALFORMED_RESPONSE",
        `Human API's token service answered HTTP ${status} with a body that is not a JSON object.`,
        { status, cause: new TypeError("not a JSON object") },
      ),
    };
  }
  return { retry: false, answer: answer as Fields };
}

const malformed = (type: string, fields: string) =>
  new HumanApiError("MALFORMED_RESPONSE", `Human API's answer to a ${type} token request lacks ${fields}.`, {
    status: 200,
    cause: new TypeError("missing fields"),
  });

/**
 * Human API's answer in camelCase: `names` maps our names to its fields; only non-empty strings
 * are kept, and the token (`names[token]`) and `expires_in` must be there.
 */
function camel<T>(type: string, answer: Fields, names: Record<string, string>, token: string): T {
  const out: Record<string, unknown> = {};
  for (const [to, from] of Object.entries(names)) {
    const value = text(answer[from]);
    if (value) out[to] = value;
  }
  const expiresIn = secondsFromNumber(answer.expires_in);
  if (!out[token] || !expiresIn) throw malformed(type, `${names[token]} or expires_in`);
  return { ...out, expiresIn } as T;
}

/** The three token requests, each retried once on a network error or a 5xx. */
function tokenCalls(clientId: string, clientSecret: string, upstream: Upstream) {
  async function call(body: Fields): Promise<Fields> {
    const first = await send(upstream, body);
    const result = first.retry ? await send(upstream, body) : first;
    if (result.error) throw result.error;
    return result.answer as Fields;
  }

  const request = (type: "session" | "id" | "access", userId: string, email?: string) =>
    call({
      client_id: clientId,
      client_secret: clientSecret,
      client_user_id: userId,
      ...(email === undefined ? {} : { client_user_email: email }),
      type,
    });

  async function sessionToken(user: TokenUser): Promise<SessionTokenAnswer> {
    const answer = await request("session", checkUserId(user?.userId), checkEmail(user?.email));
    return camel("session", answer, { sessionToken: "session_token", humanId: "human_id" }, "sessionToken");
  }

  async function idToken(user: Pick<TokenUser, "userId">): Promise<IdTokenAnswer> {
    const answer = await request("id", checkUserId(user?.userId));
    return camel(
      "id",
      answer,
      { idToken: "id_token", idRefreshToken: "id_refresh_token", tokenType: "token_type" },
      "idToken",
    );
  }

  async function accessToken(user: Pick<TokenUser, "userId">): Promise<AccessTokenAnswer> {
    const answer = await request("access", checkUserId(user?.userId));
    return camel(
      "access",
      answer,
      { accessToken: "access_token", refreshToken: "refresh_token", tokenType: "token_type" },
      "accessToken",
    );
  }

  return { sessionToken, idToken, accessToken };
}

/**
 * Creates the server-side client of Human API's token service (docs/protocol.md, "The token service"). It keeps
 * the client secret on the server and turns every failure into a {@link HumanApiError}.
 *
 * @throws {TypeError} at once when `clientId` or `clientSecret` is missing, or an option is out of
 * range (naming it): `authUrl` not an http(s) URL, `timeoutMs` not in 1..2^31-1, `fetch` not a
 * function, `returningUsersCacheSize` not a whole number from 0.
 * @example
 * ```ts
 * const issuer = createTokenIssuer({
 *   clientId: process.env.HUMANAPI_CLIENT_ID!,
 *   clientSecret: process.env.HUMANAPI_CLIENT_SECRET!,
 * });
 * const { token, kind, expiresIn } = await issuer.connectToken({ userId: "u-42", email: "ada@example.com" });
 * ```
 */
export function createTokenIssuer(options: TokenIssuerOptions): TokenIssuer {
  if (typeof options !== "object" || options === null)
    throw new TypeError("createTokenIssuer(): options must be an object.");
  const clientId = requireText(options.clientId, "clientId");
  const clientSecret = requireText(options.clientSecret, "clientSecret");
  const upstream = readUpstream(options);
  const returning = createLruSet(readCacheSize(options.returningUsersCacheSize));

  const { sessionToken, idToken, accessToken } = tokenCalls(clientId, clientSecret, upstream);

  async function asIdToken(userId: string): Promise<ConnectToken> {
    try {
      const { idToken: token, expiresIn } = await idToken({ userId });
      returning.add(userId);
      return { token, kind: "id", expiresIn };
    } catch (error) {
      returning.delete(userId);
      throw error;
    }
  }

  return {
    async connectToken(user) {
      const userId = checkUserId(user?.userId);
      const email = checkEmail(user?.email);
      if (returning.has(userId)) return asIdToken(userId);
      try {
        const { sessionToken: token, expiresIn, humanId } = await sessionToken({ userId, email });
        return humanId ? { token, kind: "session", expiresIn, humanId } : { token, kind: "session", expiresIn };
      } catch (error) {
        // Human API answers 403 to a session request once the user has connected a source.
        if (error instanceof HumanApiError && error.code === "FORBIDDEN") return asIdToken(userId);
        throw error;
      }
    },
    sessionToken,
    idToken,
    accessToken,
  };
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : "fetch failed";
}

function statusError(status: number): { retry: boolean; error: HumanApiError } {
  if (status === 401) {
    return {
      retry: false,
      error: new HumanApiError(
        "UNAUTHORIZED",
        "Human API refused the client credentials (HTTP 401): check clientId and clientSecret.",
        { status },
      ),
    };
  }
  if (status === 403) {
    return {
      retry: false,
      error: new HumanApiError(
        "FORBIDDEN",
        "Human API refused the request (HTTP 403): for a session token this means the user already connected a source; ask for an id token.",
        { status },
      ),
    };
  }
  if (status >= 500 || status === 429) {
    return {
      retry: status >= 500,
      error: new HumanApiError(
        "UPSTREAM_ERROR",
        `Human API's token service failed (HTTP ${status}), also after a retry: try again later.`,
        { status },
      ),
    };
  }
  return {
    retry: false,
    error: new HumanApiError("BAD_REQUEST", `Human API refused the request (HTTP ${status}): check userId and email.`, {
      status,
    }),
  };
}
