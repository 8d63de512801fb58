import { randomBytes } from "node:crypto";
import type { TokenRefusal } from "../refusals";
import type { SandboxProvider } from "./providers";

export type TokenKind = "session" | "id" | "access";

export interface SandboxUser {
  userId: string;
  email?: string;
  humanId: string;
  /** Connected sources, by provider id, in the order they were connected. */
  connections: Map<string, { id: string; name: string }>;
  /** Providers the user asked for in select mode. */
  requested: Array<Record<string, string>>;
}

export interface IssuedToken {
  kind: TokenKind;
  userId: string;
  expiresAt: number;
}

/** One record of the token service's answers, for tests and the demo (never the token itself). */
export interface TokenIssue {
  kind: TokenKind;
  userId: string;
  expiresIn: number;
  at: number;
}

export const hex = (bytes: number) => randomBytes(bytes).toString("hex");

/** Everything the sandbox knows, in memory. */
export function createStore(providers: readonly SandboxProvider[], now: () => number) {
  const users = new Map<string, SandboxUser>();
  const tokens = new Map<string, IssuedToken>();
  const issued: TokenIssue[] = [];
  return {
    providers,
    now,
    users,
    issued,
    user(userId: string, email?: string): SandboxUser {
      let user = users.get(userId);
      if (!user) {
        user = { userId, humanId: hex(16), connections: new Map(), requested: [] };
        users.set(userId, user);
      }
      if (email) user.email = email;
      return user;
    },
    /** Issues a token; an `expired` one says it lives `expiresIn` seconds but is refused at once. */
    issue(kind: TokenKind, userId: string, expiresIn: number, prefix: string, expired = false): string {
      const token = `${prefix}${hex(16)}`;
      tokens.set(token, { kind, userId, expiresAt: now() + (expired ? 0 : expiresIn * 1000) });
      issued.push({ kind, userId, expiresIn, at: now() });
      return token;
    },
    /** What Connect makes of a token: the user, or why it refuses. */
    check(token: string | null): { user: SandboxUser } | { status: TokenRefusal } {
      if (!token || token.trim() === "") return { status: "MISSING_SESSION_TOKEN" };
      const found = tokens.get(token);
      if (!found || found.kind === "access") return { status: "SESSION_TOKEN_INVALID" };
      if (now() >= found.expiresAt) return { status: "SESSION_TOKEN_EXPIRED" };
      const user = users.get(found.userId);
      return user ? { user } : { status: "SESSION_TOKEN_INVALID" };
    },
  };
}

export type SandboxStore = ReturnType<typeof createStore>;
