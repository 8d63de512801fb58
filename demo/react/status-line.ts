import type { ConnectError, SessionResult } from "humanconnect-kit";
import type { HumanConnectState } from "humanconnect-kit/react";

// The CDN page's words for each error code (demo/public/app.js).
const ERROR_HELP: Record<string, string> = {
  TOKEN_FETCH_FAILED: "The backend could not give a Connect token.",
  SESSION_TOKEN_EXPIRED: "Connect said the token expired.",
  SESSION_TOKEN_INVALID: "Connect said the token is not valid.",
  MISSING_SESSION_TOKEN: "Connect got no token.",
  ALREADY_OPEN: "Connect is already open.",
  CLIENT_LOAD_FAILED: "The Connect client could not load.",
  ABORTED: "Opening was aborted.",
  DESTROYED: "The connect object was destroyed.",
  INVALID_OPTIONS: "The options are wrong.",
};

/**
 * The status line, from what the hook returns: the error wins over the result, since a refused
 * token closes Connect (a result) and fails `open()` (an error) in the same session.
 * @example statusLine("idle", undefined, undefined) // { text: "Ready.", isError: false }
 */
export function statusLine(
  state: HumanConnectState,
  result: SessionResult | undefined,
  error: ConnectError | undefined,
): { text: string; isError: boolean } {
  if (state !== "idle") return { text: "Opening Connect…", isError: false };
  if (error) return { text: `Error ${error.code}: ${ERROR_HELP[error.code] ?? ""} ${error.message}`, isError: true };
  if (!result) return { text: "Ready.", isError: false };
  const count = result.connectedSources.length;
  return { text: `Connect closed: ${result.status}. ${count} source(s) connected in this session.`, isError: false };
}
