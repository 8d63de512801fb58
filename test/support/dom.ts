import { afterEach } from "vitest";
import type { Connect, OpenEvent } from "../../src/index";
import { connectMessage, type ConnectMessage } from "../../src/connect-message";
import { fakeConnectApp, type FakeConnectApp } from "../../src/testing/index";

export const CONNECT_ORIGIN = "https://hapi-connect.humanapi.co";

type Registration = { type: string; listener: unknown; capture: boolean };

/**
 * Records every listener added to and removed from `target` from now on, so a test can count
 * what is left (jsdom has no getEventListeners()).
 */
export function trackListeners(target: EventTarget = window) {
  const live: Registration[] = [];
  const add = target.addEventListener.bind(target);
  const remove = target.removeEventListener.bind(target);
  const captureOf = (options: unknown) =>
    typeof options === "boolean" ? options : Boolean((options as { capture?: boolean } | undefined)?.capture);
  const find = (type: string, listener: unknown, capture: boolean) =>
    live.findIndex((r) => r.type === type && r.listener === listener && r.capture === capture);
  target.addEventListener = (
    type: string,
    listener: EventListenerOrEventListenerObject | null,
    options?: boolean | AddEventListenerOptions,
  ) => {
    const capture = captureOf(options);
    const once = typeof options === "object" && options?.once === true;
    if (listener && !once && find(type, listener, capture) === -1) live.push({ type, listener, capture });
    add(type, listener, options);
  };
  target.removeEventListener = (
    type: string,
    listener: EventListenerOrEventListenerObject | null,
    options?: boolean | EventListenerOptions,
  ) => {
    const index = find(type, listener, captureOf(options));
    if (index !== -1) live.splice(index, 1);
    remove(type, listener, options);
  };
  return {
    count: (type?: string) => live.filter((r) => type === undefined || r.type === type).length,
    restore() {
      target.addEventListener = add;
      target.removeEventListener = remove;
    },
  };
}

export function frame(): HTMLIFrameElement {
  const element = document.getElementById("human-api");
  if (!(element instanceof HTMLIFrameElement)) throw new Error("Connect is not mounted");
  return element;
}

const apps: FakeConnectApp[] = [];

afterEach(() => {
  for (const app of apps.splice(0)) app.dispose();
});

/**
 * The testing kit's fake Connect app on this window, disposed after the test: what Connect would
 * post goes through it; `post()` stays for what Connect would not (wrong origin, malformed data).
 * @example
 * ```ts
 * const app = fakeApp();
 * const result = make().open();
 * await app.waitForOpen();
 * app.close();
 * ```
 */
export function fakeApp(): FakeConnectApp {
  const app = fakeConnectApp();
  apps.push(app);
  return app;
}

/** Dispatches a real MessageEvent on window, by default as the Connect iframe would. */
export function post(data: unknown, from: { origin?: string; source?: MessageEventSource | null } = {}): MessageEvent {
  const event = new MessageEvent("message", {
    data,
    origin: from.origin ?? CONNECT_ORIGIN,
    source: from.source === undefined ? frame().contentWindow : from.source,
  });
  window.dispatchEvent(event);
  return event;
}

/** Resolves with the `open` event of `connect`. */
export function opened(connect: Connect): Promise<OpenEvent> {
  return new Promise((resolve) => connect.once("open", resolve));
}

export const STARFLEET = { name: "Starfleet Pharmacy", id: "5b1daf3f079c652eaf41fd23" };
export const CLEVELAND = { name: "Cleveland Clinic", id: "54dc427aaa6b4cb7d6203061" };

/**
 * A payload as docs/protocol.md ("Messages from Connect") documents it, for `post()` from a wrong
 * origin or source, or bent into what Connect never posts; Connect's own messages: `fakeApp()`.
 */
export function payload(type: ConnectMessage["type"], status: string, connected = [STARFLEET], current = [STARFLEET]) {
  // Built as Connect builds it: the one owner of the shape (the sandbox and the testing kit use it too).
  return connectMessage(type.replace("hapi-connect-", "") as Parameters<typeof connectMessage>[0], status, {
    session: { connectedSources: connected, disconnectedSources: [], requestedSources: [] },
    current,
    requested: [],
  });
}
