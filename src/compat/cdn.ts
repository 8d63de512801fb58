// The drop-in CDN file's entry: rollup turns these exports into the global `HumanConnect`, the
// vendor client's name, and evaluating it starts the declarative integration, as the vendor's file
// does. A second copy of it (or an npm import beside it) shares the first's listeners and binding
// (src/compat/page-state.ts).
import { bindDeclarative } from "./declarative";

export { bindDeclarative };
export { off, on } from "./listeners";
export { open } from "./open";

bindDeclarative();
