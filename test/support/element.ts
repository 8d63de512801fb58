import type { ServerResponse } from "node:http";
import { afterEach } from "vitest";
import type { HumanConnectElement, HumanConnectEventMap } from "../../src/element/index";
import { json, startServer } from "./http";

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

const servers: Array<{ close(): Promise<void> }> = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

/**
 * A real token endpoint on 127.0.0.1, closed after the test: answers `{ "token": "<name>-<n>" }`
 * (n counts its requests from 1), with `expires_in` when given (a token the client may keep).
 * `asked()` resolves once the first request came.
 * @default name `"tok"`, expiresIn none (each token serves one open)
 * @example const server = await tokenServer("a", 600); // first token "a-1", good for 10 minutes
 */
export async function tokenServer(name = "tok", expiresIn?: number) {
  let count = 0;
  let take!: () => void;
  const first = new Promise<void>((resolve) => (take = resolve));
  const server = await startServer([
    (request, response, seen) => {
      take();
      json(200, { token: `${name}-${++count}`, expires_in: expiresIn })(request, response, seen);
    },
  ]);
  servers.push(server);
  return { ...server, asked: () => first };
}

/**
 * A real token endpoint on 127.0.0.1 that refuses every request with HTTP 401, closed after the test.
 * @example const server = await refusingTokenServer();
 */
export async function refusingTokenServer() {
  const server = await startServer([json(401, { error: "not signed in" })]);
  servers.push(server);
  return server;
}

/**
 * A real token endpoint on 127.0.0.1 that holds its one answer until `answer()`, closed after the
 * test: the element stays `loading` meanwhile. `asked` resolves once the request came; `gaveUp`
 * once the client closed it unanswered (an aborted fetch).
 * @example const held = await heldTokenServer(); click(); await held.asked; await held.answer();
 */
export async function heldTokenServer() {
  let take!: (response: ServerResponse) => void;
  const asked = new Promise<ServerResponse>((resolve) => (take = resolve));
  const server = await startServer([(_request, response) => take(response)]);
  servers.push(server);
  return {
    url: server.url,
    seen: server.seen,
    asked: asked.then(() => undefined),
    gaveUp: asked.then(
      (response) =>
        new Promise<void>((resolve) => response.on("close", () => (response.writableEnded ? undefined : resolve()))),
    ),
    /** Answers with the token "held". */
    async answer() {
      (await asked).writeHead(200, { "content-type": "application/json" }).end('{"token":"held"}');
    },
  };
}
