import type { ConnectEvents, ConnectOptions, SessionResult } from "../index";

/** The callbacks of a store's options: each runs for the connect event of the same name, the latest one given. */
export interface HumanConnectCallbacks {
  /**
   * Connect was mounted in the page.
   * @default undefined
   * @example onOpen: () => analytics.track("connect opened")
   */
  onOpen?: ConnectEvents["open"];
  /**
   * The user connected a source (Connect is still open).
   * @default undefined
   * @example onConnect: (change) => setSources(change.currentConnections)
   */
  onConnect?: ConnectEvents["connect"];
  /**
   * The user disconnected a source (Connect is still open).
   * @default undefined
   * @example onDisconnect: (change) => setSources(change.currentConnections)
   */
  onDisconnect?: ConnectEvents["disconnect"];
  /**
   * Connect closed (also for refused tokens and `close()`), with the session's result.
   * @default undefined
   * @example onClose: (result) => fetch("/api/after-connect", { method: "POST" })
   */
  onClose?: ConnectEvents["close"];
  /**
   * `open()` failed, with the same error `error` now holds.
   * @default undefined
   * @example onError: (error) => toast(error.message)
   */
  onError?: ConnectEvents["error"];
}

/** What a store is made from: any `createConnect()` options, plus the callbacks. */
export type StoreOptions = ConnectOptions & HumanConnectCallbacks;

/** What the page shows: `"idle"`, `"loading"` (token or client on the way) or `"open"`. */
export type HumanConnectState = "idle" | "loading" | "open";

/** What the hook and the element hand out, each the same function for the life of the store. */
export interface ConnectActions {
  /** Opens Connect; resolves with the session's result. Its failure is also in `error` and onError. */
  open(): Promise<SessionResult>;
  /** Warms the token and the client before the click. */
  prefetch(): Promise<void>;
  /** Closes Connect from the app. */
  close(): void;
  /** Forgets the cached token, for the next user. */
  clearToken(): void;
}
