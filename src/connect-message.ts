import type { RequestedProvider, Source } from "./types";

/** What Connect has to report: the session's changes, the user's connections and requested providers. */
export interface ConnectMessageState {
  /** The session so far: sources connected and disconnected in it, providers requested in it. */
  session: { connectedSources: Source[]; disconnectedSources: Source[]; requestedSources: RequestedProvider[] };
  /** Every source the user has connected now, earlier sessions included. */
  current: Source[];
  /** Providers the user asked for, as Connect lists them at the top level. */
  requested: RequestedProvider[];
}

/** The message Connect posts to the page, as {@link connectMessage} builds it. */
export interface ConnectMessage {
  /** `"hapi-connect-"` and the action. */
  type: "hapi-connect-connect-source" | "hapi-connect-disconnect-source" | "hapi-connect-close";
  /** E.g. `"CONNECTED_SOURCE"`, `"SUCCESS"`, `"SESSION_TOKEN_EXPIRED"`. */
  status: string;
  /** A copy of `state.session`. */
  sessionResults: ConnectMessageState["session"];
  /** A copy of `state.current`. */
  currentConnections: Source[];
  /** A copy of `state.requested`. */
  requestedProviders: RequestedProvider[];
}

/**
 * The message Connect posts for `type`, each list a JSON copy. The one owner of the payload's shape:
 * the sandbox serves this function's source to its Connect app (`connect-message.js`), and the
 * testing kit's `fakeConnectApp()` calls it. So it must stay self-contained: no imports, no outer
 * variables, plain ES2015 once compiled.
 *
 * @example connectMessage("close", "SUCCESS", { session, current: [], requested: [] })
 */
export function connectMessage(
  type: "connect-source" | "disconnect-source" | "close",
  status: string,
  state: ConnectMessageState,
): ConnectMessage {
  function copy<T>(value: T): T {
    return JSON.parse(JSON.stringify(value)) as T;
  }
  return {
    type: ("hapi-connect-" + type) as ConnectMessage["type"],
    status: status,
    sessionResults: copy(state.session),
    currentConnections: copy(state.current),
    requestedProviders: copy(state.requested),
  };
}
