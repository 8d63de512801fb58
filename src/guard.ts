import { copyPayload } from "./normalize";

/** What the vendor client's `message` handler would do with a message's `data`. */
export type VendorReaction = "acts" | "crashes" | "ignores";

const VENDOR_ACTIONS = new Set(["connect-source", "disconnect-source", "close"]);

/** The action the vendor client would take on a message's `data` ("close", "connect-source", ...), if any; never throws. */
export function vendorAction(data: unknown): string | undefined {
  if (vendorReaction(data) !== "acts") return undefined;
  return String((data as { type: string }).type).replace("hapi-connect-", "");
}

/**
 * Mirrors humanapi-connect-client 2.4.1's own test, quirks included: it reads `data.type`
 * (a TypeError on null/undefined data), calls `.replace("hapi-connect-", "")` on any truthy
 * type (a TypeError on non-strings; removes the first occurrence, not only a leading one),
 * then matches the rest.
 */
export function vendorReaction(data: unknown): VendorReaction {
  if (data === null || data === undefined) return "crashes";
  let type: unknown;
  try {
    type = (data as { type?: unknown }).type;
  } catch {
    return "crashes";
  }
  if (!type) return "ignores";
  if (typeof type !== "string") return "crashes";
  return VENDOR_ACTIONS.has(type.replace("hapi-connect-", "")) ? "acts" : "ignores";
}

/** Where trusted messages come from: the Connect origin and the Connect iframe's window. */
export interface GuardSource {
  /** The exact origin of `baseUrl`. */
  origin: string;
  /** The Connect iframe's `contentWindow`, once it is mounted. */
  window: () => unknown;
  /** The close message the session itself is dispatching, if any: trusted even once the page removed the iframe. */
  own?: () => Event | undefined;
}

/**
 * Adds a capturing `message` listener on `target`. Capture listeners run before the vendor's
 * (bubbling) one on the window, so this sees every message first: a message the vendor would
 * act on passes only when it comes from the Connect origin and iframe window (`onTrusted` gets
 * a copy of its data, taken before the vendor deletes `type`); a message the vendor would act or
 * crash on from anywhere else is stopped; every other message is left alone for other widgets.
 * Returns the function that removes the listener.
 */
export function installGuard(target: Window, source: GuardSource, onTrusted: (copy: unknown) => void): () => void {
  const listener = (event: Event) => {
    const message = event as MessageEvent;
    const reaction = vendorReaction(message.data);
    if (reaction === "ignores") return;
    const frame = source.window();
    const trusted =
      reaction === "acts" &&
      (event === source.own?.() ||
        (frame !== null && frame !== undefined && message.origin === source.origin && message.source === frame));
    if (!trusted) {
      event.stopImmediatePropagation();
      return;
    }
    onTrusted(copyPayload(message.data));
  };
  target.addEventListener("message", listener, true);
  return () => target.removeEventListener("message", listener, true);
}
