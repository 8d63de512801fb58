import { afterEach } from "vitest";
import { bindDeclarative, off, on } from "../../src/compat/index";
import type { HumanConnectEventName, HumanConnectEvents, HumanConnectResponse } from "../../src/compat/index";
import type { ConnectError } from "../../src/index";
import { tick } from "./connect";

const subscriptions: Array<() => void> = [];

afterEach(async () => {
  for (const stop of subscriptions.splice(0)) stop();
  // Whatever a test left open: the page removing Connect ends its session (CLOSED_BY_APP).
  document.getElementById("human-api")?.remove();
  await tick();
});

/** What the `HumanConnect` listeners heard, by event, in order; the listeners are removed after the test. */
export interface Heard {
  connect: HumanConnectResponse[];
  disconnect: HumanConnectResponse[];
  close: HumanConnectResponse[];
  error: ConnectError[];
}

/**
 * Listens to all four `HumanConnect` events until the test ends.
 * @example const heard = listen(); HumanConnect.open({ token, version: "V2" }); … expect(heard.close).toHaveLength(1);
 */
export function listen(): Heard {
  const heard: Heard = { connect: [], disconnect: [], close: [], error: [] };
  for (const event of ["connect", "disconnect", "close", "error"] as const) {
    const listener = ((payload: never) => void heard[event].push(payload)) as HumanConnectEvents[typeof event];
    subscriptions.push(on(event, listener));
  }
  return heard;
}

/** `on()`, removed after the test. */
export function listenTo<E extends HumanConnectEventName>(event: E, listener: HumanConnectEvents[E]): void {
  subscriptions.push(on(event, listener), () => off(event, listener));
}

/** `bindDeclarative()`, undone after the test (each call must be: the listener stays while one is not). */
export function bind(): () => void {
  const unbind = bindDeclarative();
  subscriptions.push(unbind);
  return unbind;
}
