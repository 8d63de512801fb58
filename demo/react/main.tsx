// The React page's entry (/react.html): bundled by demo/rollup.config.mjs against the built
// package, with React's production build.
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./app";

const baseUrl = document.querySelector<HTMLMetaElement>('meta[name="connect-base-url"]')!.content;
createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <App baseUrl={baseUrl} />
  </StrictMode>,
);
