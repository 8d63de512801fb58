// The shapes the issuer takes and gives: users, tokens, Human API's answers in camelCase.

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
