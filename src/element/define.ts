import { HumanConnectElement } from "./human-connect-element";

/**
 * Registers `<human-connect>` (or `name`) and returns its class; a name already defined is left as
 * it is (say, by a second copy of the CDN file). Where there is no `customElements` (Node), does
 * nothing and returns `undefined`.
 * @default name `"human-connect"`
 * @example defineHumanConnect(); // then <human-connect token-url="/api/connect-token"> works
 */
export function defineHumanConnect(name = "human-connect"): CustomElementConstructor | undefined {
  if (typeof customElements === "undefined") return undefined;
  // A class per name: the registry refuses one constructor under two names.
  if (!customElements.get(name)) customElements.define(name, class extends HumanConnectElement {});
  return customElements.get(name);
}
