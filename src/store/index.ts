// Not a public entry: built as dist/store.{mjs,cjs}, the one copy the React and element entries import.
export { CALLBACKS, createConnectStore } from "./connect-store";
export type { ConnectStore } from "./connect-store";
export { optionsKey } from "./options-key";
export type { ConnectActions, HumanConnectCallbacks, HumanConnectState, StoreOptions } from "./types";
