/**
 * The statuses with which Connect closes when it refuses the token (docs/protocol.md): `open()`
 * rejects with them as `code`, and the sandbox's Connect app closes with them. Written once here.
 */
export const TOKEN_REFUSALS = ["SESSION_TOKEN_INVALID", "SESSION_TOKEN_EXPIRED", "MISSING_SESSION_TOKEN"] as const;

/** One of {@link TOKEN_REFUSALS}. */
export type TokenRefusal = (typeof TOKEN_REFUSALS)[number];
