import type { Source } from "humanconnect-kit";

/** Who is signed in, as the demo backend's /api/me answers. */
export interface Me {
  userId: string;
  connections: Source[];
}

/** The demo backend's /api/after-close answer: the access token's lifetime, never its value. */
export interface Held {
  ok: boolean;
  userId?: string;
  expiresIn?: number;
  expiresAt?: number;
  error?: string;
}

/**
 * POSTs JSON to one of the demo backend's endpoints and reads its JSON answer.
 * @example const me = await api<Me>("/api/me");
 */
export async function api<T>(path: string, body: unknown = {}): Promise<T> {
  const response = await fetch(path, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  return (await response.json()) as T;
}

let first: Promise<Me> | undefined;

/** The page's first /api/me, asked once: StrictMode's second effect run must not sign in a second new user. */
export const firstMe = (): Promise<Me> => (first ??= api<Me>("/api/me"));

/** The line the CDN page shows once the backend asked for the user's access token. */
export function accessLine(held: Held): string {
  return held.ok
    ? `The backend now holds an access token for ${held.userId}, valid for ${held.expiresIn} s (until ${new Date(held.expiresAt!).toLocaleTimeString()}).`
    : `The backend could not get an access token: ${held.error}`;
}
