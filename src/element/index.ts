export { defineHumanConnect } from "./define";
export { HumanConnectElement } from "./human-connect-element";
export { ATTRIBUTES } from "./attributes";
export type { HumanConnectAttribute } from "./attributes";
export type { HumanConnectElementOptions, HumanConnectEventMap } from "./types";
import "./global";
