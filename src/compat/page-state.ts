import type { HumanConnectEventName, HumanConnectEvents } from "./types";

/**
 * What the drop-in holds for the whole page, as the vendor's one file did: shared by every copy
 * of it in the page (its ES module and CommonJS builds bundled side by side, the CDN file beside
 * an import), so a listener added through one hears a session opened through another, and one
 * click opens one Connect.
 */
export interface PageState {
  /** The `on()` listeners: a Set per event, so adding one twice keeps one and off() removes exactly it. */
  listeners: Map<HumanConnectEventName, Set<HumanConnectEvents[HumanConnectEventName]>>;
  /** bindDeclarative() calls not yet undone: the click listener stays while any is not. */
  bindings: number;
  /** The document's click listener: the first copy's, so that every copy adds and removes the same one. */
  onClick?: (event: Event) => void;
  /** A session a token element started is loading or open. */
  busy: boolean;
}

// A contract between every version of this package that may share a page: never change these
// fields or their meaning; a new shape takes a new key.
const KEY = Symbol.for("humanconnect-kit.compat.page");

/** The page's state, made on first use (importing touches no global). */
export function pageState(): PageState {
  const page = globalThis as { [KEY]?: PageState };
  return (page[KEY] ??= { listeners: new Map(), bindings: 0, busy: false });
}
