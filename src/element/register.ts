// `humanconnect-kit/element/define`: importing it registers <human-connect> (a side effect,
// declared in package.json's `sideEffects`); where there is no `customElements` (Node), nothing.
import { defineHumanConnect } from "./index";

defineHumanConnect();

export { defineHumanConnect };
