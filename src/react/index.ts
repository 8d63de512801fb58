export { useHumanConnect } from "./use-human-connect";
export type { HumanConnectCallbacks, HumanConnectState, UseHumanConnect, UseHumanConnectOptions } from "./types";
