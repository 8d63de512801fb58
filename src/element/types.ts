import type { ConnectEvents, ConnectPassThroughOptions, TokenUrlOptions } from "../index";

/**
 * The element's events, one per connect event: `hc-open`, `hc-connect`, `hc-disconnect`,
 * `hc-close`, `hc-error`. Each is a `CustomEvent` that bubbles and crosses shadow roots, whose
 * `detail` is exactly what the connect event carries.
 */
export type HumanConnectEventMap = {
  [E in keyof ConnectEvents as `hc-${E}`]: CustomEvent<Parameters<ConnectEvents[E]>[0]>;
};

/** What the element's `options` property takes: any `createConnect()` option attributes cannot carry. */
export type HumanConnectElementOptions = Partial<
  ConnectPassThroughOptions & Pick<TokenUrlOptions, "baseUrl" | "refreshSkewSeconds" | "tokenRequest">
>;
