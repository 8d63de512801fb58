import type { ConnectError, RequestedProvider, SessionStatus, Source } from "../index";

/**
 * What `HumanConnect` listeners and the V1 callbacks get, in the vendor client's documented shape
 * (its README, "Lifecycle hooks"), built from our normalized result: every list is always an array.
 */
export interface HumanConnectResponse {
  /**
   * For `on()` listeners (V2) only, as the vendor passes Connect's message on:
   * `"hapi-connect-connect-source"`, `"hapi-connect-disconnect-source"` or `"hapi-connect-close"`.
   */
  type?: "hapi-connect-connect-source" | "hapi-connect-disconnect-source" | "hapi-connect-close";
  /** `SUCCESS`, `CONNECTED_SOURCE`, `DISCONNECTED_SOURCE`, a token refusal such as `SESSION_TOKEN_EXPIRED`, or `CLOSED_BY_APP` when the page removed Connect. */
  status: SessionStatus;
  /** What happened in this session. */
  sessionResults: {
    /** Sources connected during this session. */
    connectedSources: Source[];
    /** Sources disconnected during this session. */
    disconnectedSources: Source[];
    /** Providers requested during this session. */
    requestedSources: RequestedProvider[];
  };
  /** Every source the user has connected with your app now. */
  currentConnections: Source[];
  /** Every provider the user has requested. */
  requestedProviders: RequestedProvider[];
}

/** The events `HumanConnect.on()` takes, written once: the type and the check come from this list. */
export const HUMAN_CONNECT_EVENTS = ["connect", "disconnect", "close", "error"] as const;

/** One of {@link HUMAN_CONNECT_EVENTS}. */
export type HumanConnectEventName = (typeof HUMAN_CONNECT_EVENTS)[number];

/** Every `HumanConnect` event and its listener's signature. */
export interface HumanConnectEvents {
  /** The user connected a source. */
  connect: (response: HumanConnectResponse) => void;
  /** The user disconnected a source. */
  disconnect: (response: HumanConnectResponse) => void;
  /** Connect closed, normally or not (see `status`). */
  close: (response: HumanConnectResponse) => void;
  /** Connect could not open: the error says why and what to do (never a token). */
  error: (error: ConnectError) => void;
}

/**
 * What `HumanConnect.open()` takes: the vendor client's own options, under its names. Unknown
 * options are ignored, as the vendor does.
 */
export interface HumanConnectOpenOptions {
  /** The session or id token your backend got from Human API. Required. */
  token: string;
  /**
   * Connect's mode. A token is needed in both.
   * @default "auth"
   */
  mode?: "auth" | "select";
  /**
   * Where the Connect app is served; its origin is the only one whose messages reach Connect.
   * @default "https://hapi-connect.humanapi.co"
   */
  baseURL?: string;
  /** Your Human API client id (select mode). */
  clientId?: string;
  /** Preseed Connect (select mode); the string `"false"` counts as false, as with the vendor. */
  preseed?: boolean | string;
  /** Sources to preseed (select mode): JSON with Latin-1 text only (the vendor client encodes it with `btoa`). */
  preseededSources?: unknown[];
  /** A segment name configured in the Human API portal. */
  segment?: string;
  /** Provider ids to show first, comma-separated or as an array. */
  pinnedProviders?: string | string[];
  /** A portal invite session id. */
  inviteSessionId?: string;
  /** A Connect configuration name. */
  config?: string;
  /**
   * Opacity of the overlay behind Connect, 0 to 1, as a number or a numeric string (0 stays 0).
   * @default 0.6
   */
  overlayOpacity?: number | string;
  /**
   * Trap keyboard focus inside Connect while it is open.
   * @default false
   */
  enableFocusTrap?: boolean;
  /**
   * `"V2"`: events go to the `HumanConnect.on()` listeners. Without it, to the three callbacks
   * below (the vendor's V1 integration, here without its deprecation warning).
   */
  version?: "V2";
  /** V1: called when Connect closes. */
  onClose?: (response: HumanConnectResponse) => void;
  /** V1: called when the user connects a source. */
  onConnectSource?: (response: HumanConnectResponse) => void;
  /** V1: called when the user disconnects a source. */
  onDisconnectSource?: (response: HumanConnectResponse) => void;
}
