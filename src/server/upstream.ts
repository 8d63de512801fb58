// Requests to Human API's token service: each attempt with a time limit, one retry on a network
// error or a 5xx, every failure a HumanApiError.

import { fetchAttempt } from "../http/attempt";
import { secondsFromNumber } from "../http/seconds";
import { HumanApiError } from "./errors";
import type { Upstream } from "./options";
import type { AccessTokenAnswer, IdTokenAnswer, SessionTokenAnswer, TokenUser } from "./types";
import { checkEmail, checkUserId } from "./user";

type Fields = Record<string, unknown>;

function text(value: unknown): string | undefined {
  return typeof value === "string" && value.length > 0 ? value : undefined;
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
export function tokenCalls(clientId: string, clientSecret: string, upstream: Upstream) {
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
