// The drop-in CDN file's entry: rollup turns these exports into the global `HumanConnect`, the
// vendor client's name, and evaluating it starts the declarative integration, as the vendor's file does.
import { bindDeclarative } from "./declarative";

export { bindDeclarative };
export { off, on } from "./listeners";
export { open } from "./open";

bindDeclarative();
