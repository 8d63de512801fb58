import { open } from "./open";
import type { HumanConnectOpenOptions } from "./types";

const TOKEN_ELEMENT = "[data-hapi-token]";
const CONTAINER = ".hapi__token-container";

let unbind: (() => void) | undefined;

/** The vendor reads these flags by truthiness, and "false" as false. */
const flag = (value: string | undefined) => Boolean(value) && value !== "false";

/** The options the vendor's declarative integration reads from an element's `data-hapi-*` attributes, at the click. */
function optionsOf(element: Element): HumanConnectOpenOptions {
  const data = (name: string) => element.getAttribute(`data-hapi-${name}`) ?? undefined;
  return {
    token: data("token")!,
    baseURL: data("base-url"),
    mode: (data("mode") ?? "auth") as HumanConnectOpenOptions["mode"],
    preseed: flag(data("preseed")),
    enableFocusTrap: flag(data("focus-trap")),
    segment: data("segment"),
    pinnedProviders: data("pinned-providers"),
    version: "V2",
  };
}

function onClick(event: Event): void {
  const target = event.target as Partial<Element> | null;
  const element = typeof target?.closest === "function" ? target.closest(TOKEN_ELEMENT) : null;
  // Inside a container, as the vendor's querySelectorAll from each container finds them.
  if (!element?.parentElement?.closest(CONTAINER)) return;
  event.preventDefault();
  open(optionsOf(element));
}

/**
 * Makes every element with `data-hapi-token` inside a `.hapi__token-container` open Connect on
 * click, as the vendor's declarative integration does, with one delegated listener on the
 * document: elements and containers added later work, a changed token is read at the click, and
 * a page without a container prints nothing. The CDN file calls it when it loads; an app that
 * imports `humanconnect-kit/compat` calls it itself. Calling it again binds nothing more; in Node
 * it does nothing.
 *
 * @returns the function that removes the listener.
 * @example
 * ```js
 * import { bindDeclarative } from "humanconnect-kit/compat";
 * const unbind = bindDeclarative();
 * ```
 */
export function bindDeclarative(): () => void {
  const document = globalThis.document;
  if (!document) return () => undefined;
  if (!unbind) {
    // Capture: a click the page stops from bubbling (a framework's handler on a parent) still opens Connect,
    // as the vendor's listener on the element itself did.
    document.addEventListener("click", onClick, true);
    unbind = () => {
      document.removeEventListener("click", onClick, true);
      unbind = undefined;
    };
  }
  return unbind;
}
