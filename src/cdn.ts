// The CDN file's entry: rollup turns these exports into the global `HumanConnectKit`.
export { createConnect } from "./connect";
export { ConnectError, isConnectError } from "./errors";
export { version } from "./version";
