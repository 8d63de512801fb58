import { noStoreJson } from "../server/json";
import { hex, type SandboxStore } from "./store";

const SESSION_SECONDS = 3600;
const ID_SECONDS = 86400;
const ACCESS_SECONDS = 86400;

/** The query parameter of `Sandbox.expiredAuthUrl`: tokens issued through it are already expired. */
export const EXPIRED_PARAM = "expired";

const refuse = (status: number, error: string, message: string) => noStoreJson(status, { error, message });

/**
 * Human API's token service as docs/protocol.md ("The token service") documents it: `POST` JSON with the client
 * credentials, `client_user_id`, `client_user_email` and `type` (`session`, `id`, `access`).
 */
export function createTokenService(store: SandboxStore, credentials: { clientId: string; clientSecret: string }) {
  return async function tokenService(request: Request): Promise<Response> {
    if (request.method !== "POST") return refuse(405, "method_not_allowed", "POST a JSON body.");
    // The sandbox's own hook (Sandbox.expiredAuthUrl): per request, so no clock moves for anyone else.
    const expired = new URL(request.url).searchParams.has(EXPIRED_PARAM);
    let body: Record<string, unknown>;
    try {
      const parsed = (await request.json()) as unknown;
      if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new TypeError("not an object");
      body = parsed as Record<string, unknown>;
    } catch {
      return refuse(400, "invalid_request", "The body must be a JSON object.");
    }
    const { client_id, client_secret, client_user_id, client_user_email, type } = body;
    if (type !== "session" && type !== "id" && type !== "access") {
      return refuse(400, "unsupported_token_type", 'type must be "session", "id" or "access".');
    }
    if (client_id !== credentials.clientId || client_secret !== credentials.clientSecret) {
      return refuse(401, "invalid_client", "Unknown client_id or wrong client_secret.");
    }
    if (typeof client_user_id !== "string" || client_user_id.length === 0) {
      return refuse(400, "invalid_request", "client_user_id must be a non-empty string.");
    }
    if (type === "session") {
      if (typeof client_user_email !== "string" || client_user_email.length === 0) {
        return refuse(400, "invalid_request", "client_user_email is required for a session token.");
      }
      const existing = store.users.get(client_user_id);
      if (existing && existing.connections.size > 0) {
        return refuse(403, "forbidden", "This user already connected a source: ask for an id token.");
      }
      const user = store.user(client_user_id, client_user_email);
      const token = store.issue("session", user.userId, SESSION_SECONDS, "st-", expired);
      return noStoreJson(200, { session_token: token, human_id: user.humanId, expires_in: SESSION_SECONDS });
    }
    const user = store.users.get(client_user_id);
    if (!user) return refuse(400, "invalid_request", "Unknown client_user_id: start a session first.");
    if (type === "id") {
      const token = store.issue("id", user.userId, ID_SECONDS, "it-", expired);
      return noStoreJson(200, {
        token_type: "Bearer",
        id_token: token,
        id_refresh_token: `idrt-${hex(24)}`,
        expires_in: ID_SECONDS,
      });
    }
    const token = store.issue("access", user.userId, ACCESS_SECONDS, "at-", expired);
    return noStoreJson(200, {
      access_token: token,
      expires_in: ACCESS_SECONDS,
      token_type: "Bearer",
      refresh_token: `atrt-${hex(24)}`,
    });
  };
}
