import { ConnectError, isConnectError, type FixedTokenOptions } from "../index";
import type { HumanConnectEvents, HumanConnectResponse } from "./types";

type SessionEvent = "connect" | "disconnect" | "close";

/** What one `HumanConnect.open()` call asks for, read from the vendor's option names. */
export interface OpenRequest {
  /** `createConnect()` options, with a fixed token. */
  options: FixedTokenOptions;
  /** The V1 callbacks, or undefined for V2 (the `on()` listeners). */
  callbacks?: Partial<Record<SessionEvent, HumanConnectEvents[SessionEvent]>>;
}

/** The V1 callback for each session event. */
const CALLBACKS = { connect: "onConnectSource", disconnect: "onDisconnectSource", close: "onClose" } as const;

/** Options the vendor puts in Connect's URL as text (`searchParams.set`). */
const TEXT = ["clientId", "segment", "inviteSessionId", "config"] as const;
/** Options the vendor passes on as they are. */
const AS_GIVEN = ["mode", "preseededSources"] as const;

/** What `searchParams.set` makes of a number or a boolean: text. Anything else as it is. */
const text = (value: unknown) => (typeof value === "number" || typeof value === "boolean" ? String(value) : value);

const openError = (message: string, cause?: unknown) =>
  new ConnectError("INVALID_OPTIONS", `HumanConnect.open(): ${message}`, { cause });

/** The vendor reads `preseed` and `enableFocusTrap` by truthiness, and the string "false" as false. */
export const flag = (value: unknown) => Boolean(value) && value !== "false";

/** A number as CSS writes one, with an optional `%`: what `style.opacity` takes. */
const CSS_NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?%?$/i;

/**
 * The vendor sets the overlay's `style.opacity` to `overlayOpacity || "0.6"`, where CSS clamps a
 * number to 0..1 and takes a percentage. Unlike the vendor, a 0 stays 0; what CSS would not take
 * ("auto", "0,5", Infinity, true) is left out, as CSS leaves it out.
 */
function opacity(value: unknown): number | undefined {
  const text = typeof value === "number" ? String(value) : typeof value === "string" ? value.trim() : "";
  if (!CSS_NUMBER.test(text)) return undefined;
  const number = text.endsWith("%") ? Number(text.slice(0, -1)) / 100 : Number(text);
  return Math.min(1, Math.max(0, number));
}

/** The V1 callbacks, called as the vendor calls them (as methods of the options); one that is falsy is left out, as it does. */
function callbacksOf(given: Record<string, unknown>): OpenRequest["callbacks"] | ConnectError {
  const callbacks: NonNullable<OpenRequest["callbacks"]> = {};
  for (const [event, name] of Object.entries(CALLBACKS) as Array<[SessionEvent, string]>) {
    const callback = given[name];
    if (!callback) continue;
    if (typeof callback !== "function") return openError(`options.${name} must be a function.`);
    callbacks[event] = (response: HumanConnectResponse) => void callback.call(given, response);
  }
  return callbacks;
}

/**
 * Reads the vendor's `open()` options into `createConnect()` options and the V1 callbacks, or
 * the error that refuses them. Empty options count as absent, as the vendor's `if (options.x)`
 * reads them. Never throws (a getter that throws is a refusal too).
 */
export function readOpenOptions(input: unknown): OpenRequest | ConnectError {
  try {
    if (typeof input !== "object" || input === null || Array.isArray(input))
      return openError("give an options object, such as { token }.");
    const given = input as Record<string, unknown>;
    if (!given.token || typeof given.token !== "string")
      return openError(
        "options.token must be the session or id token your backend got from Human API (a non-empty string).",
      );
    const options: Record<string, unknown> = { token: given.token };
    for (const key of TEXT) if (given[key]) options[key] = text(given[key]);
    for (const key of AS_GIVEN) if (given[key]) options[key] = given[key];
    const { pinnedProviders } = given;
    if (pinnedProviders)
      options.pinnedProviders = Array.isArray(pinnedProviders) ? pinnedProviders.map(text) : text(pinnedProviders);
    if (given.baseURL) options.baseUrl = given.baseURL;
    if (given.preseed !== undefined) options.preseed = flag(given.preseed);
    if (given.enableFocusTrap !== undefined) options.enableFocusTrap = flag(given.enableFocusTrap);
    const overlayOpacity = opacity(given.overlayOpacity);
    if (overlayOpacity !== undefined) options.overlayOpacity = overlayOpacity;
    if (given.version === "V2") return { options: options as unknown as FixedTokenOptions };
    const callbacks = callbacksOf(given);
    return callbacks instanceof ConnectError
      ? callbacks
      : { options: options as unknown as FixedTokenOptions, callbacks };
  } catch (cause) {
    return openError("its options could not be read (a getter threw): give plain values.", cause);
  }
}

/** `createConnect()`'s refusal, in the words of `HumanConnect.open()` and its option names. */
export function asOpenError(error: unknown): ConnectError {
  if (!isConnectError(error)) return openError("its options could not be used: see cause.", error);
  const message = error.message.replace(/^createConnect\(\): /, "").replace('"baseUrl"', '"baseURL"');
  return new ConnectError(error.code, `HumanConnect.open(): ${message}`, { cause: error });
}
