import type { SessionResult } from "../index";
import type { HumanConnectResponse } from "./types";

/** The `type` of Connect's message for each session event, which the vendor hands its V2 listeners along. */
export const MESSAGE_TYPES = {
  connect: "hapi-connect-connect-source",
  disconnect: "hapi-connect-disconnect-source",
  close: "hapi-connect-close",
} as const;

/**
 * A normalized result in the vendor's payload shape (fresh arrays: listeners may keep or change
 * them). `event`: for a V2 listener, which also gets the message's `type`, as the vendor passes
 * Connect's message on; the V1 callbacks get it without (the vendor deletes it first).
 */
export function toResponse(result: SessionResult, event?: keyof typeof MESSAGE_TYPES): HumanConnectResponse {
  return {
    ...(event && { type: MESSAGE_TYPES[event] }),
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
