import type { SessionResult } from "../index";
import type { HumanConnectResponse } from "./types";

/** A normalized result in the vendor's documented payload shape (fresh arrays: listeners may keep or change them). */
export function toResponse(result: SessionResult): HumanConnectResponse {
  return {
    status: result.status,
    sessionResults: {
      connectedSources: [...result.connectedSources],
      disconnectedSources: [...result.disconnectedSources],
      requestedSources: [...result.requestedSources],
    },
    currentConnections: [...result.currentConnections],
    requestedProviders: [...result.requestedProviders],
  };
}
