// The drop-in CDN file's entry: rollup turns these exports into the global `HumanConnect`, the
// vendor client's name, and evaluating it starts the declarative integration, as the vendor's file does.
import { HumanConnect } from "./human-connect";

type Api = typeof HumanConnect;
const first = (globalThis as { HumanConnect?: Partial<Api> }).HumanConnect;

// A second copy of this file (a tag in a layout and another in a page) keeps the first copy's
// listeners and binding, so a listener added through the global hears every session. The
// vendor's own global has no bindDeclarative: that one is replaced.
const api = typeof first?.bindDeclarative === "function" ? (first as Api) : HumanConnect;
if (api === HumanConnect) HumanConnect.bindDeclarative();

export const { open, on, off, bindDeclarative } = api;
