import { HumanApiError } from "./errors";
import type { createReturningUsers, Recall } from "./returning-users";
import { createSingleFlight } from "./single-flight";
import type { ConnectToken, TokenIssuer } from "./types";
import { checkEmail, checkUserId } from "./user";

type Memory = ReturnType<typeof createReturningUsers>;
type Calls = Pick<TokenIssuer, "sessionToken" | "idToken">;

/**
 * `connectToken()`: a session token, or an id token once Human API answers 403 to the session
 * request (the user has connected a source) or the memory says the user is a returning one.
 * One upstream sequence per user at a time in this process (single-flight).
 */
export function connectTokens({ sessionToken, idToken }: Calls, memory: Memory): TokenIssuer["connectToken"] {
  async function asIdToken(userId: string, recalled: Recall): Promise<ConnectToken> {
    let answer: Awaited<ReturnType<typeof idToken>>;
    try {
      answer = await idToken({ userId });
    } catch (error) {
      await memory.forget(userId);
      throw error;
    }
    if (recalled !== "returning") await memory.remember(userId);
    return { token: answer.idToken, kind: "id", expiresIn: answer.expiresIn };
  }

  async function sequence(userId: string, email: string): Promise<ConnectToken> {
    const recalled = await memory.recall(userId);
    if (recalled === "returning") return asIdToken(userId, recalled);
    let answer: Awaited<ReturnType<typeof sessionToken>>;
    try {
      answer = await sessionToken({ userId, email });
    } catch (error) {
      // Human API answers 403 to a session request once the user has connected a source.
      if (error instanceof HumanApiError && error.code === "FORBIDDEN") return asIdToken(userId, recalled);
      throw error;
    }
    if (recalled === "unrecognised") await memory.forget(userId);
    const { sessionToken: token, expiresIn, humanId } = answer;
    return humanId ? { token, kind: "session", expiresIn, humanId } : { token, kind: "session", expiresIn };
  }

  const shared = createSingleFlight<ConnectToken>();
  return async (user) => {
    const userId = checkUserId(user?.userId);
    const email = checkEmail(user?.email);
    return shared(userId, () => sequence(userId, email));
  };
}
