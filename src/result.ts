import type { SessionResult, SessionStatus } from "./types";

/** An empty result: the starting point before Connect reported anything. */
export function emptyResult(status: SessionStatus): SessionResult {
  return {
    status,
    connectedSources: [],
    disconnectedSources: [],
    requestedSources: [],
    currentConnections: [],
    requestedProviders: [],
    raw: undefined,
  };
}
