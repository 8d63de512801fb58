import type { ConnectError, SessionResult } from "humanconnect-kit";
import type { HumanConnectState } from "humanconnect-kit/react";
import { ERROR_HELP } from "../public/error-help.js";

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
