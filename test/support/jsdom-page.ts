import { JSDOM, VirtualConsole, type ConstructorOptions } from "jsdom";

/** What a fresh page gives a test: its window (scripts evaluated with `eval`) and every line it printed. */
export interface JsdomPage<Globals> {
  window: Window & typeof globalThis & { eval(code: string): unknown } & Globals;
  /** `method: text` for each console call in the page, and `jsdomError: message` for jsdom's own. */
  printed: string[];
}

/**
 * A fresh jsdom page at https://app.example/ for a built script (the CDN files), in its own realm,
 * with its console recorded. `resources`: jsdom's option, to load what `head` refers to.
 * @example const { window, printed } = jsdomPage<{ HumanConnect?: unknown }>({ body: "<button>Open</button>" });
 */
export function jsdomPage<Globals = object>({
  head = "",
  body = "",
  resources,
}: {
  head?: string;
  body?: string;
  resources?: ConstructorOptions["resources"];
}): JsdomPage<Globals> {
  const printed: string[] = [];
  const virtualConsole = new VirtualConsole();
  for (const method of ["log", "info", "warn", "error", "debug"] as const)
    virtualConsole.on(method, (...args: unknown[]) => printed.push(`${method}: ${args.join(" ")}`));
  virtualConsole.on("jsdomError", (error: Error) => printed.push(`jsdomError: ${error.message}`));
  const dom = new JSDOM(`<!doctype html><head>${head}</head><body>${body}</body>`, {
    runScripts: "outside-only",
    ...(resources && { resources }),
    url: "https://app.example/",
    virtualConsole,
  });
  return { window: dom.window as unknown as JsdomPage<Globals>["window"], printed };
}
