// Bundled by demo/rollup.config.mjs as an app would bundle the package: the vendor client ends
// up in its own chunk, loaded on the first prefetch() or open().
import * as kit from "../dist/index.mjs";
// Registers <human-connect>, the page's second button (resolved to dist by demo/rollup.config.mjs).
import "humanconnect-kit/element/define";
import { setupDemo } from "./public/app.js";

setupDemo(kit);
