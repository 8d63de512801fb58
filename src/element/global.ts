import type { HumanConnectElement } from "./human-connect-element";
import type { HumanConnectEventMap } from "./types";

// `document.querySelector("human-connect")` and `addEventListener("hc-close", …)` are typed (on the
// element and wherever its events bubble: the document, the window).
declare global {
  interface HTMLElementTagNameMap {
    "human-connect": HumanConnectElement;
  }
  interface GlobalEventHandlersEventMap {
    "hc-open": HumanConnectEventMap["hc-open"];
    "hc-connect": HumanConnectEventMap["hc-connect"];
    "hc-disconnect": HumanConnectEventMap["hc-disconnect"];
    "hc-close": HumanConnectEventMap["hc-close"];
    "hc-error": HumanConnectEventMap["hc-error"];
  }
}
