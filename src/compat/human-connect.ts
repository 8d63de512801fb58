import { bindDeclarative } from "./declarative";
import { off, on } from "./listeners";
import { open } from "./open";

/**
 * The vendor client's `HumanConnect` (`open`, `on`) on humanconnect-kit's session engine, plus
 * `off` and `bindDeclarative`: the default export, so that an app's default import of the vendor's
 * package changes only its package name.
 *
 * @example
 * ```js
 * import HumanConnect from "humanconnect-kit/compat";
 * HumanConnect.on("close", (response) => console.log(response.status));
 * HumanConnect.open({ token, version: "V2" });
 * ```
 */
// Not frozen: an app's tests spy on it (vi.spyOn(HumanConnect, "open")), as on the vendor's exports.
export const HumanConnect = { open, on, off, bindDeclarative };
