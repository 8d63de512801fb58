import { connectTokens } from "./connect-token";
import { readMemory } from "./memory-options";
import { readUpstream, requireText, type TokenIssuerOptions } from "./options";
import { createReturningUsers } from "./returning-users";
import type { TokenIssuer } from "./types";
import { tokenCalls } from "./upstream";

/**
 * Creates the server-side client of Human API's token service (docs/protocol.md, "The token service"). It keeps
 * the client secret on the server and turns every failure into a {@link HumanApiError}.
 *
 * Returning users are remembered in `store` (default: in this process), so their next token costs
 * one upstream call; a store that fails or is slow never blocks a token.
 *
 * @throws {TypeError} at once when `clientId` or `clientSecret` is missing, or an option is out of
 * range (naming it): `authUrl` not an http(s) URL, `timeoutMs` or `storeTimeoutMs` not in
 * 1..2^31-1, `fetch` or `onStoreError` not a function, `returningUsersCacheSize` not a whole
 * number from 0, `returningUserTtlMs` not a whole number from 1, `storePrefix` not a string of at
 * most 128 characters, `store` without `get`, `set` or `delete` (naming the missing ones).
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
  const memory = createReturningUsers(readMemory(options, clientId));
  const calls = tokenCalls(clientId, clientSecret, upstream);
  return { ...calls, connectToken: connectTokens(calls, memory) };
}
