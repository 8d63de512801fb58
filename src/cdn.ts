// The CDN file's entry: rollup turns these exports into the global `HumanConnectKit`. Evaluating
// it also registers <human-connect> (skipped when the name is taken, say by a second copy).
import { defineHumanConnect } from "./element/define";

export { createConnect } from "./connect";
export { ConnectError, isConnectError } from "./errors";
export { version } from "./version";
export { defineHumanConnect };
export { HumanConnectElement } from "./element/human-connect-element";

defineHumanConnect();
