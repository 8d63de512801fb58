import { HumanApiError } from "./errors";
import { createLruSet } from "./lru";
import { readCacheSize, readUpstream, requireText, type TokenIssuerOptions } from "./options";
import type { ConnectToken, TokenIssuer } from "./types";
import { tokenCalls } from "./upstream";
import { checkEmail, checkUserId } from "./user";

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
