import type { HumanConnectElement, HumanConnectEventMap } from "../../src/element/index";

/** The five events of `<human-connect>`, in the order a whole session fires them. */
export const EVENT_TYPES = ["hc-open", "hc-connect", "hc-disconnect", "hc-close", "hc-error"] as const;

export type HcEventType = (typeof EVENT_TYPES)[number];

/** One event `<human-connect>` fired, as a listener on the element saw it. */
export interface SeenEvent {
  type: HcEventType;
  detail: unknown;
  event: CustomEvent;
}

/** A `<human-connect>` in the page, its shadow button, and every `hc-*` event it fired so far. */
export interface PlacedElement {
  element: HumanConnectElement;
  button: HTMLButtonElement;
  events: SeenEvent[];
  /** The types of `events`, in order. */
  types(): HcEventType[];
  /** Resolves with the next `type` event's detail. */
  next<T extends HcEventType>(type: T): Promise<HumanConnectEventMap[T]["detail"]>;
  /** Clicks the button, as a user does (nothing happens while it is disabled). */
  click(): void;
}

/**
 * Creates `<human-connect>` (registered by the test file), sets `attributes`, starts recording its
 * `hc-*` events, and inserts it into `parent` (not at all when `parent` is `null`).
 * @default parent `document.body`
 * @example const { element, click, next } = placeElement({ "token-url": server.url });
 */
export function placeElement(
  attributes: Record<string, string> = {},
  parent: ParentNode | null = document.body,
): PlacedElement {
  const element = document.createElement("human-connect");
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  const events: SeenEvent[] = [];
  for (const type of EVENT_TYPES)
    element.addEventListener(type, (event) => events.push({ type, detail: event.detail, event }));
  parent?.append(element);
  return {
    element,
    button: shadowButton(element),
    events,
    types: () => events.map((seen) => seen.type),
    next: (type) => new Promise((resolve) => element.addEventListener(type, (e) => resolve(e.detail), { once: true })),
    click: () => shadowButton(element).click(),
  };
}

/** The `<button part="button">` in the element's shadow root. */
export function shadowButton(element: Element): HTMLButtonElement {
  const button = element.shadowRoot?.querySelector("button");
  if (!button) throw new Error("the element has no button in an open shadow root: is it registered?");
  return button;
}

/** What the page shows of the element: its state, data-state, and its button's disabled and aria-busy. */
export function looks(element: HumanConnectElement) {
  const button = shadowButton(element);
  return {
    state: element.state,
    dataState: element.getAttribute("data-state"),
    disabled: button.disabled,
    ariaBusy: button.getAttribute("aria-busy"),
  };
}

export { heldTokenServer, refusingTokenServer, tokenServer } from "./token-servers";
