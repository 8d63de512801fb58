import { ConnectError } from "../index";
import { pageState } from "./page-state";
import { HUMAN_CONNECT_EVENTS, type HumanConnectEventName, type HumanConnectEvents } from "./types";

const isEvent = (event: unknown): event is HumanConnectEventName =>
  (HUMAN_CONNECT_EVENTS as readonly unknown[]).includes(event);

/**
 * Adds a listener for `connect`, `disconnect`, `close` or `error`; unlike the vendor's, it returns
 * the function that removes it.
 *
 * @throws {ConnectError} `INVALID_OPTIONS` for another event name or a listener that is not a function.
 * @example
 * ```js
 * const stop = HumanConnect.on("close", (response) => console.log(response.sessionResults.connectedSources));
 * stop(); // or HumanConnect.off("close", listener)
 * ```
 */
export function on<E extends HumanConnectEventName>(event: E, listener: HumanConnectEvents[E]): () => void {
  if (!isEvent(event))
    throw new ConnectError(
      "INVALID_OPTIONS",
      `HumanConnect.on(event, listener): event must be one of ${HUMAN_CONNECT_EVENTS.join(", ")}.`,
    );
  if (typeof listener !== "function")
    throw new ConnectError("INVALID_OPTIONS", `HumanConnect.on("${event}", listener): listener must be a function.`);
  const { listeners: registry } = pageState();
  let listeners = registry.get(event);
  if (!listeners) registry.set(event, (listeners = new Set()));
  listeners.add(listener);
  return () => off(event, listener);
}

/**
 * Removes a listener added with `on()` (the vendor client has no way to). Does nothing when it is not there.
 * @example HumanConnect.off("close", onClose);
 */
export function off<E extends HumanConnectEventName>(event: E, listener: HumanConnectEvents[E]): void {
  pageState().listeners.get(event)?.delete(listener);
}

/**
 * Calls the listeners of `event` in the order they were added; one that throws is reported and
 * harms no other. False when there was none.
 */
export function emit<E extends HumanConnectEventName>(
  event: E,
  payload: Parameters<HumanConnectEvents[E]>[0],
): boolean {
  const listeners = pageState().listeners.get(event);
  if (!listeners?.size) return false;
  for (const listener of [...listeners]) {
    // One removed by an earlier listener of this emit is skipped, as the DOM does.
    if (!listeners.has(listener)) continue;
    try {
      (listener as (payload: unknown) => void)(payload);
    } catch (error) {
      reportUncaught(error);
    }
  }
  return true;
}

/**
 * Reports `error` as uncaught, as a throwing DOM listener's is (`reportError`: the console and
 * error trackers see it), without interrupting the caller; printed where there is no
 * `reportError` (Node, where a thrown one would end the process) or where it throws (a broken
 * error tracker's wrapper), so that nothing is thrown out of a click handler.
 */
function reportUncaught(error: unknown): void {
  const { reportError } = globalThis as { reportError?: (error: unknown) => void };
  try {
    if (typeof reportError === "function") return reportError(error);
  } catch {
    // printed below
  }
  // eslint-disable-next-line no-console -- the one place: the error would otherwise be lost, or end a Node process
  console.error(error);
}

/** The one way the drop-in reports an error: to the `error` listeners, else as uncaught (never thrown). */
export function fail(error: ConnectError): void {
  if (!emit("error", error)) reportUncaught(error);
}
