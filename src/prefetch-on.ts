import { ConnectError } from "./errors";

/** What comes before a click on a button: the pointer over it, keyboard focus, then the press itself. */
const BEFORE_A_CLICK = ["pointerenter", "focus", "pointerdown"] as const;

/**
 * Calls `prefetch` on the events that come before a click on `element`, silently (a failure is
 * left for the next `open()` to report), until the returned function is called or `life` aborts.
 */
export function prefetchOn(element: unknown, prefetch: () => Promise<void>, life: AbortSignal): () => void {
  const target = element as Partial<Element> | null;
  // Duck-typed, so an element of another realm (an iframe's document) is fine too.
  if (typeof target !== "object" || target?.nodeType !== 1 || typeof target.addEventListener !== "function") {
    throw new ConnectError(
      "INVALID_OPTIONS",
      "prefetchOn(element): give a DOM element, such as the button that calls open().",
    );
  }
  const warm = () => void prefetch().catch(() => undefined);
  const remove = () => {
    for (const type of BEFORE_A_CLICK) target.removeEventListener!(type, warm);
    life.removeEventListener("abort", remove);
  };
  for (const type of BEFORE_A_CLICK) target.addEventListener!(type, warm, { passive: true });
  life.addEventListener("abort", remove, { once: true });
  return remove;
}
