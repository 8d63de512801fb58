export { HumanConnect as default } from "./human-connect";
export { bindDeclarative } from "./declarative";
export { off, on } from "./listeners";
export { open } from "./open";
export { HUMAN_CONNECT_EVENTS } from "./types";
export type { HumanConnectEventName, HumanConnectEvents, HumanConnectOpenOptions, HumanConnectResponse } from "./types";
