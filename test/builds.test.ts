import { existsSync, readFileSync } from "node:fs";
import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createRequire } from "node:module";
import { requestInterceptor } from "jsdom";
import { afterEach, beforeAll, describe, expect, test, vi } from "vitest";
import { connectError } from "./support/errors";
import { jsdomPage } from "./support/jsdom-page";

// These tests read the built files: `npm test` builds before it runs them.
const dist = new URL("../dist/", import.meta.url);
const require = createRequire(import.meta.url);
type Kit = typeof import("../src/index");
type Server = typeof import("../src/server/index");
type Testing = typeof import("../src/testing/index");
type ReactEntry = typeof import("../src/react/index");
type Compat = typeof import("../src/compat/index");

beforeAll(() => {
  if (!existsSync(new URL("index.mjs", dist)))
    throw new Error("dist/ is missing: run `npm run build` first (npm test does).");
});

describe("in Node, without a DOM (SSR)", () => {
  test.each([
    ["ESM", async () => (await import(new URL("index.mjs", dist).href)) as Kit],
    ["CJS", async () => require("../dist/index.cjs") as Kit],
  ])("importing the %s build prints nothing, adds no global and evaluates no vendor code", async (_build, load) => {
    const globalsBefore = Object.getOwnPropertyNames(globalThis).sort();
    const printed = (["log", "info", "warn", "error", "debug"] as const).map((method) => vi.spyOn(console, method));
    const kit = await load();
    expect(typeof kit.createConnect).toBe("function");
    expect(kit.version).toBe(JSON.parse(readFileSync("package.json", "utf8")).version);
    const connect = kit.createConnect({ tokenUrl: "/api/connect-token" });
    expect(connect.state).toBe("idle");
    connect.destroy();
    for (const spy of printed) expect(spy).not.toHaveBeenCalled();
    expect(Object.getOwnPropertyNames(globalThis).sort()).toEqual(globalsBefore);
    expect("__core-js_shared__" in globalThis).toBe(false);
    vi.restoreAllMocks();
  });

  test("open() in Node rejects CLIENT_LOAD_FAILED, with the vendor's own error as cause", async () => {
    const kit = (await import(new URL("index.mjs", dist).href)) as Kit;
    const connect = kit.createConnect({ token: "t" });
    const error = await connectError(connect.open());
    expect(kit.isConnectError(error)).toBe(true);
    expect(error).toMatchObject({ code: "CLIENT_LOAD_FAILED" });
    expect(String(error.cause)).toMatch(/ReferenceError|is not defined/);
    expect(connect.state).toBe("idle");
  });

  test("prefetch() in Node rejects CLIENT_LOAD_FAILED too, as open() would", async () => {
    const kit = (await import(new URL("index.mjs", dist).href)) as Kit;
    const connect = kit.createConnect({ getToken: () => "t" });
    const error = await connectError(connect.prefetch());
    expect(error).toMatchObject({ code: "CLIENT_LOAD_FAILED" });
    connect.destroy();
  });
});

describe("`using` a connect object", () => {
  // What an app's bundler makes of `using` (esbuild, as Vite runs it), in a fresh realm whose
  // Symbol has no `dispose`, as a browser that has not shipped it: its helper then looks up
  // Symbol.for("Symbol.dispose"). The built CJS entry is loaded into that realm.
  test.each([
    ["without Symbol.dispose", ""],
    ["with Symbol.dispose", "Symbol.dispose = Symbol.for('a polyfill');"],
  ])("compiled by esbuild, destroys the object at the end of its block in a runtime %s", async (_runtime, setUp) => {
    const { transform } = await import("esbuild");
    const { createContext, runInContext } = await import("node:vm");
    const app = `import { createConnect } from "humanconnect-kit";
      export function run() { let kept; { using connect = createConnect({ token: "t" }); kept = connect; } return kept.state; }`;
    const { code } = await transform(app, { format: "cjs", target: "es2022", loader: "ts" });
    const realm = createContext({ URL, AbortController, Headers });
    runInContext(setUp, realm);
    const modules = new Map<string, unknown>();
    const load = (source: string) => {
      const module = { exports: {} };
      runInContext(`(function (module, exports, require) {${source}\n})`, realm)(module, module.exports, requireIn);
      return module.exports;
    };
    const requireIn = (name: string) => {
      const file = name === "humanconnect-kit" ? "index.cjs" : name.replace("./", "");
      if (!modules.has(file)) modules.set(file, load(readFileSync(new URL(file, dist), "utf8")));
      return modules.get(file);
    };
    expect(runInContext("typeof Symbol.dispose", realm)).toBe(setUp ? "symbol" : "undefined");
    expect((load(code) as { run(): string }).run()).toBe("destroyed");
  });
});

describe("the CDN file", () => {
  const code = () => readFileSync(new URL("humanconnect-kit.min.js", dist), "utf8");
  const apps: Array<ReturnType<Testing["fakeConnectApp"]>> = [];
  afterEach(() => {
    for (const app of apps.splice(0)) app.dispose();
  });

  /**
   * `head`: markup for the page's head, whose resources jsdom then loads from 127.0.0.1 (say, a
   * stylesheet that holds back `load`). It would load Connect's frame too: a blank page stands in
   * for it, as fakeConnectApp plays Connect.
   */
  function freshWindow(head = "") {
    const { window, printed } = jsdomPage<{ HumanConnectKit?: typeof import("../src/cdn") }>({
      head,
      body: "<button>Connect</button>",
      ...(head && { resources: { interceptors: [blankOutside127] } }),
    });
    /** The event types of every `window.addEventListener` call, in order. */
    const added: string[] = [];
    const add = window.addEventListener.bind(window);
    window.addEventListener = ((...args: Parameters<typeof add>) => {
      added.push(args[0]);
      add(...args);
    }) as typeof add;
    return { window, printed, added };
  }

  test("defines HumanConnectKit and registers <human-connect>, prints nothing, adds no listener and evaluates no vendor code", () => {
    const { window, printed, added } = freshWindow();
    window.eval(code());
    const kit = window.HumanConnectKit;
    expect(Object.keys(kit ?? {}).sort()).toEqual([
      "ConnectError",
      "HumanConnectElement",
      "createConnect",
      "defineHumanConnect",
      "isConnectError",
      "version",
    ]);
    expect(window.customElements.get("human-connect")?.prototype).toBeInstanceOf(kit!.HumanConnectElement);
    expect(kit?.createConnect({ token: "t" }).state).toBe("idle");
    expect(printed).toEqual([]);
    // Evaluated, the vendor client adds a `load` listener (its declarative integration).
    expect(added).toEqual([]);
  });

  test("a second copy of the file evaluated in the same page leaves the first registration and throws nothing", () => {
    const { window, printed } = freshWindow();
    window.eval(code());
    const first = window.customElements.get("human-connect");
    expect(() => window.eval(code())).not.toThrow();
    expect(window.customElements.get("human-connect")).toBe(first);
    expect(printed).toEqual([]);
  });

  test("opens the bundled vendor client and resolves on a close from the Connect iframe", async () => {
    const { window, printed } = freshWindow();
    window.eval(code());
    const kit = window.HumanConnectKit!;
    // The built testing entry plays Connect in this window, as an integrator's test would.
    const testing = (await import(new URL("testing.mjs", dist).href)) as Testing;
    const app = testing.fakeConnectApp(window);
    apps.push(app);
    const connect = kit.createConnect({ token: "tok-cdn" });
    const opened = new Promise<HTMLIFrameElement>((resolve) => connect.once("open", ({ iframe }) => resolve(iframe)));
    const result = connect.open();
    const iframe = await opened;
    expect(iframe.src).toBe("https://hapi-connect.humanapi.co/?token=tok-cdn");
    // The vendor's own webpack file installs core-js polyfills; the CDN file bundles its ES source.
    expect("__core-js_shared__" in window).toBe(false);
    window.dispatchEvent(
      new window.MessageEvent("message", {
        data: { type: "hapi-connect-close" },
        origin: "https://evil.example",
        source: iframe.contentWindow,
      }),
    );
    expect(window.document.getElementById("human-api")).not.toBeNull();
    app.close();
    await expect(result).resolves.toMatchObject({ status: "SUCCESS" });
    expect(window.document.getElementById("human-api")).toBeNull();
    expect(printed).toEqual([]);
  });

  test("opens Connect in a page whose `load` has not fired, and the vendor it evaluates adds no `load` listener and prints nothing, even once `load` fires", async () => {
    const stylesheet = await heldStylesheet();
    try {
      const { window, printed, added } = freshWindow(`<link rel="stylesheet" href="${stylesheet.url}">`);
      window.eval(code());
      const testing = (await import(new URL("testing.mjs", dist).href)) as Testing;
      const app = testing.fakeConnectApp(window);
      apps.push(app);
      await stylesheet.requested;
      const connect = window.HumanConnectKit!.createConnect({ token: "tok-early" });
      const result = connect.open();
      expect((await app.waitForOpen()).token).toBe("tok-early");
      expect(window.document.readyState).toBe("loading");
      expect(added).not.toContain("load");
      app.close();
      await expect(result).resolves.toMatchObject({ status: "SUCCESS" });
      // Added after the vendor ran: were its `load` listener there, it would run before this one.
      const loaded = new Promise((resolve) => window.addEventListener("load", resolve));
      stylesheet.release();
      await loaded;
      // jsdom lacks window.focus(), which our session calls on Connect's frame once it has loaded.
      expect(printed.filter((line) => !line.includes("Not implemented: Window's focus() method"))).toEqual([]);
    } finally {
      await stylesheet.close();
    }
  });
});

/** Answers every request but those to 127.0.0.1 with a blank page, so that nothing leaves the machine. */
const blankOutside127 = requestInterceptor((request) =>
  new URL(request.url).hostname === "127.0.0.1"
    ? undefined
    : new Response("<!doctype html>", { headers: { "Content-Type": "text/html" } }),
);

/** A stylesheet on 127.0.0.1 that does not answer until `release()`: the page's `load` waits for it. */
async function heldStylesheet() {
  const waiting: ServerResponse[] = [];
  let requested!: () => void;
  const server = createServer((_request, response) => {
    waiting.push(response);
    requested();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const release = () => {
    for (const response of waiting.splice(0)) response.writeHead(200, { "Content-Type": "text/css" }).end("p {}");
  };
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/held.css`,
    /** Settles once the page asked for the stylesheet. */
    requested: new Promise<void>((resolve) => (requested = resolve)),
    release,
    close: () => {
      release();
      server.closeAllConnections();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}

describe("the server entry", () => {
  test.each([
    ["ESM", async () => (await import(new URL("server.mjs", dist).href)) as Server],
    ["CJS", async () => require("../dist/server.cjs") as Server],
  ])("imports in Node as %s, exporting the server API", async (_build, load) => {
    const server = await load();
    expect(Object.keys(server).sort()).toEqual([
      "DEFAULT_AUTH_URL",
      "HUMAN_API_ERROR_CODES",
      "HumanApiError",
      "MAX_BODY_BYTES",
      "STORE_ERROR_CODES",
      "StoreError",
      "createTokenHandler",
      "createTokenIssuer",
      "isHumanApiError",
      "isStoreError",
      "toNodeHandler",
    ]);
  });

  test.each([
    "index.mjs",
    "index.cjs",
    "humanconnect-kit.min.js",
    "compat.mjs",
    "compat.cjs",
    "humanconnect-kit.compat.min.js",
  ])("browser file %s holds no server code", (file) => {
    const code = readFileSync(new URL(file, dist), "utf8");
    for (const name of [
      "client_secret",
      "clientSecret",
      "createTokenIssuer",
      "createTokenHandler",
      "toNodeHandler",
      "HumanApiError",
      "auth.humanapi.co",
    ]) {
      expect(code).not.toContain(name);
    }
  });
});

describe("the testing entry", () => {
  test.each([
    ["ESM", async () => (await import(new URL("testing.mjs", dist).href)) as Testing],
    ["CJS", async () => require("../dist/testing.cjs") as Testing],
  ])(
    "imports in Node as %s, printing nothing and adding no global, and its builders work there",
    async (_build, load) => {
      const globalsBefore = Object.getOwnPropertyNames(globalThis).sort();
      const printed = (["log", "info", "warn", "error", "debug"] as const).map((method) => vi.spyOn(console, method));
      const testing = await load();
      expect(Object.keys(testing).sort()).toEqual([
        "FakeConnectAppError",
        "SandboxStepError",
        "closeConnect",
        "connectInSandbox",
        "failSignIn",
        "fakeConnectApp",
        "sessionResult",
        "source",
      ]);
      expect(testing.sessionResult({ connectedSources: [testing.source()] })).toMatchObject({
        status: "SUCCESS",
        connectedSources: [{ id: "5b1daf3f079c652eaf41fd23", name: "Starfleet Pharmacy" }],
      });
      for (const spy of printed) expect(spy).not.toHaveBeenCalled();
      expect(Object.getOwnPropertyNames(globalThis).sort()).toEqual(globalsBefore);
      vi.restoreAllMocks();
    },
  );

  test("fakeConnectApp() without a window throws NO_WINDOW, saying what to do", async () => {
    const testing = (await import(new URL("testing.mjs", dist).href)) as Testing;
    expect(() => testing.fakeConnectApp()).toThrow(
      expect.objectContaining({ code: "NO_WINDOW", message: expect.stringMatching(/jsdom, happy-dom or a browser/) }),
    );
  });
});

describe("the React entry", () => {
  test.each([
    ["ESM", "react.mjs", async () => (await import(new URL("react.mjs", dist).href)) as ReactEntry],
    ["CJS", "react.cjs", async () => require("../dist/react.cjs") as ReactEntry],
  ])(
    'as %s, starts with "use client", and imports in Node printing nothing and adding no global',
    async (_build, file, load) => {
      expect(readFileSync(new URL(file, dist), "utf8")).toMatch(/^"use client";\n/);
      const globalsBefore = Object.getOwnPropertyNames(globalThis).sort();
      const printed = (["log", "info", "warn", "error", "debug"] as const).map((method) => vi.spyOn(console, method));
      const entry = await load();
      expect(Object.keys(entry)).toEqual(["useHumanConnect"]);
      for (const spy of printed) expect(spy).not.toHaveBeenCalled();
      expect(Object.getOwnPropertyNames(globalThis).sort()).toEqual(globalsBefore);
      vi.restoreAllMocks();
    },
  );

  test("renders on the server (renderToString, no window) with state idle, from the built ESM entry", async () => {
    const { useHumanConnect } = (await import(new URL("react.mjs", dist).href)) as ReactEntry;
    const { createElement } = await import("react");
    const { renderToString } = await import("react-dom/server");
    function Button() {
      const { state, result, error } = useHumanConnect({ tokenUrl: "/api/connect-token" });
      return createElement("button", { "data-state": state }, `${result === undefined && error === undefined}`);
    }
    expect(typeof window).toBe("undefined");
    expect(renderToString(createElement(Button))).toBe('<button data-state="idle">true</button>');
  });
});

describe("the element entries in Node (server rendering)", () => {
  type ElementEntry = typeof import("../src/element/index");
  test.each([
    ["humanconnect-kit/element (ESM)", async () => (await import(new URL("element.mjs", dist).href)) as ElementEntry],
    ["humanconnect-kit/element (CJS)", async () => require("../dist/element.cjs") as ElementEntry],
    [
      "humanconnect-kit/element/define (ESM)",
      async () => (await import(new URL("element-define.mjs", dist).href)) as ElementEntry,
    ],
    ["humanconnect-kit/element/define (CJS)", async () => require("../dist/element-define.cjs") as ElementEntry],
  ])("%s imports with no HTMLElement or customElements, printing nothing and adding no global", async (_name, load) => {
    expect(typeof HTMLElement).toBe("undefined");
    const globalsBefore = Object.getOwnPropertyNames(globalThis).sort();
    const printed = (["log", "info", "warn", "error", "debug"] as const).map((method) => vi.spyOn(console, method));
    const entry = await load();
    expect(entry.defineHumanConnect()).toBeUndefined();
    for (const spy of printed) expect(spy).not.toHaveBeenCalled();
    expect(Object.getOwnPropertyNames(globalThis).sort()).toEqual(globalsBefore);
    vi.restoreAllMocks();
  });
});

describe("the drop-in, humanconnect-kit/compat, in Node (server rendering)", () => {
  test.each([
    ["ESM", async () => (await import(new URL("compat.mjs", dist).href)) as Compat],
    ["CJS", async () => require("../dist/compat.cjs") as Compat],
  ])(
    "imports as %s printing nothing, adding no global, and its default export is the vendor's surface plus off and bindDeclarative",
    async (_build, load) => {
      const globalsBefore = Object.getOwnPropertyNames(globalThis).sort();
      const printed = (["log", "info", "warn", "error", "debug"] as const).map((method) => vi.spyOn(console, method));
      const entry = await load();
      expect(Object.keys(entry.default).sort()).toEqual(["bindDeclarative", "off", "on", "open"]);
      expect(entry.default.open).toBe(entry.open);
      // No document to bind to: nothing happens, and the result can still be called.
      expect(entry.bindDeclarative()).not.toThrow();
      for (const spy of printed) expect(spy).not.toHaveBeenCalled();
      expect(Object.getOwnPropertyNames(globalThis).sort()).toEqual(globalsBefore);
      vi.restoreAllMocks();
    },
  );
});

describe("the humanconnect-sandbox command", () => {
  test("prints the URLs and credentials, serves, and stops on SIGTERM", async () => {
    const { spawn } = await import("node:child_process");
    const child = spawn(process.execPath, [
      "dist/sandbox-cli.mjs",
      "--port",
      "0",
      "--host",
      "127.0.0.1",
      "--latency",
      "5",
    ]);
    let out = "";
    await new Promise<void>((resolve, reject) => {
      child.stdout.on("data", (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes("Ctrl+C")) resolve();
      });
      child.on("exit", () => reject(new Error(`exited early: ${out}`)));
    });
    const connectUrl = /connectUrl:\s+(\S+)/.exec(out)?.[1];
    expect(out).toMatch(/authUrl:\s+http:\/\/127\.0\.0\.1:\d+\/v1\/connect\/token/);
    expect(out).toMatch(/clientId:\s+sandbox-client-/);
    expect(out).toMatch(/clientSecret:\s+sandbox-secret-/);
    expect((await fetch(connectUrl!)).status).toBe(200);
    const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
  });

  test("refuses a bad option with exit code 2 and the usage", async () => {
    const { spawnSync } = await import("node:child_process");
    const result = spawnSync(process.execPath, ["dist/sandbox-cli.mjs", "--port", "nope"], { encoding: "utf8" });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/Usage: humanconnect-sandbox/);
  });
});

describe("package.json exports", () => {
  const pkg = JSON.parse(readFileSync("package.json", "utf8")) as {
    exports: Record<
      string,
      string | { import: { types: string; default: string }; require: { types: string; default: string } }
    >;
  };
  const entries = Object.entries(pkg.exports).filter(([, target]) => typeof target === "object");

  test.each(entries)(
    "%s imports in Node as ESM and as CJS, with the same names, and has its types",
    async (_name, target) => {
      if (typeof target === "string") throw new Error("unexpected");
      const esm = (await import(new URL(`../${target.import.default}`, import.meta.url).href)) as Record<
        string,
        unknown
      >;
      const cjs = require(`../${target.require.default}`) as Record<string, unknown>;
      expect(Object.keys(esm).length).toBeGreaterThan(0);
      expect(
        Object.keys(cjs)
          .filter((k) => k !== "__esModule")
          .sort(),
      ).toEqual(Object.keys(esm).sort());
      expect(existsSync(target.import.types)).toBe(true);
      expect(existsSync(target.require.types)).toBe(true);
    },
  );

  test("./package.json is exported, side effects are declared only for what registers the element, and only dist/ is published", () => {
    const full = JSON.parse(readFileSync("package.json", "utf8")) as Record<string, unknown>;
    expect(pkg.exports["./package.json"]).toBe("./package.json");
    // Only what registers <human-connect> on evaluation, and the drop-in CDN file (it binds the declarative integration).
    expect(full.sideEffects).toEqual([
      "./dist/element-define.mjs",
      "./dist/element-define.cjs",
      "./dist/humanconnect-kit.min.js",
      "./dist/humanconnect-kit.compat.min.js",
    ]);
    expect(full.files).toEqual(["dist"]);
    expect(full.unpkg).toBe("./dist/humanconnect-kit.min.js");
    expect(full.jsdelivr).toBe("./dist/humanconnect-kit.min.js");
    for (const target of Object.values(pkg.exports)) {
      if (typeof target === "object") {
        expect(Object.keys(target.import)[0]).toBe("types");
        expect(Object.keys(target.require)[0]).toBe("types");
      }
    }
  });
});
