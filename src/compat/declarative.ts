import { runSession } from "./open";
import { flag } from "./open-options";
import { pageState } from "./page-state";
import type { HumanConnectOpenOptions } from "./types";

const TOKEN_ELEMENT = "[data-hapi-token]";
const CONTAINER = ".hapi__token-container";

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

/** The `data-hapi-token` element a click is on, when it is inside a container (as the vendor's querySelectorAll from each container finds them). */
function tokenElement(target: EventTarget | null): Element | null {
  const node = target as Partial<Element & Node> | null;
  // A click dispatched on a text node bubbles to its element.
  const start = node?.nodeType === 3 ? node.parentElement : node;
  const element = typeof start?.closest === "function" ? start.closest(TOKEN_ELEMENT) : null;
  return element?.parentElement?.closest(CONTAINER) ? element : null;
}

function onTokenClick(this: Element, event: Event): void {
  this.removeEventListener("click", onTokenClick);
  event.preventDefault();
  // A second press while Connect loads or is open (Enter twice): nothing, as with the vendor.
  const page = pageState();
  if (page.busy) return;
  page.busy = true;
  void runSession(optionsOf(this)).finally(() => (page.busy = false));
}

/**
 * Runs first, at the document: puts the listener on the token element for this click, so it
 * handles it where the vendor's listener did, and the page's guards on the way (a capturing
 * parent, a handler on the element that stops the click) keep Connect closed as they did.
 */
function onClick(event: Event): void {
  const element = tokenElement(event.target);
  if (!element) return;
  element.addEventListener("click", onTokenClick);
  // Taken off once this click is over, whether it reached the element or not.
  setTimeout(() => element.removeEventListener("click", onTokenClick));
}

/**
 * Makes every element with `data-hapi-token` inside a `.hapi__token-container` open Connect on
 * click, as the vendor's declarative integration does, with one delegated listener on the
 * document: elements and containers added later work, a changed token is read at the click, and
 * a page without a container prints nothing. The CDN file calls it when it loads; an app that
 * imports `humanconnect-kit/compat` calls it itself. Each call returns its own unbind; the
 * listener stays until every call has been undone, whichever copy of the drop-in made it. In Node
 * it does nothing.
 *
 * @returns the function that undoes this call (calling it again does nothing).
 * @example
 * ```js
 * import { bindDeclarative } from "humanconnect-kit/compat";
 * const unbind = bindDeclarative();
 * ```
 */
export function bindDeclarative(): () => void {
  const document = globalThis.document;
  if (!document) return () => undefined;
  const page = pageState();
  page.onClick ??= onClick;
  // The same listener added again is not added twice.
  document.addEventListener("click", page.onClick, true);
  page.bindings++;
  let bound = true;
  return () => {
    if (!bound) return;
    bound = false;
    if (--page.bindings === 0) document.removeEventListener("click", page.onClick!, true);
  };
}
