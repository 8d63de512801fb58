// `npm run bench`: measures humanconnect-kit against the vendor client used by hand, side by
// side in one run, and prints a table; then the server load test (load.mjs); writes
// bench/results.json. Never asserts on time.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import commonjs from "@rollup/plugin-commonjs";
import { nodeResolve } from "@rollup/plugin-node-resolve";
import { chromium } from "@playwright/test";
import { rollup } from "rollup";
import { startSandbox } from "humanconnect-kit/sandbox";
import { createTokenIssuer } from "humanconnect-kit/server";
import { startDemo } from "../demo/server.mjs";
import { chromiumLaunchOptions } from "../e2e/chromium.mjs";
import { loadErrors, loadTable, serverLoad } from "./load.mjs";
import { eagerFiles, gzipBytes, minGzipBytes, minGzipCodeBytes, vendorFile } from "./size.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const packageJson = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
const CLICKS = Number(process.env.BENCH_CLICKS ?? 50);
const CYCLES = Number(process.env.BENCH_CYCLES ?? 1000);
// Added to the token endpoint and to every static file alike, as a CDN as far away as the backend
// would add: a first click that loads code, then asks for more, shows its waterfall.
const LATENCY_MS = 50;
// How long a person holds a mouse button down: from pointerdown to the click (issue 11 #7).
const PRESS_HOLD_MS = 80;
const FIRST_VISIT_TIMEOUT_MS = 10_000;

/** What an app loads up front from an entry: the entry and its static imports (min+gzip each, summed). */
const eagerBytes = async (entry, module) => {
  let total = 0;
  for (const file of eagerFiles(entry)) total += await minGzipBytes(file, module);
  return total;
};

function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return Number(sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)].toFixed(1));
}
const stats = (values) => ({ p50: percentile(values, 50), p95: percentile(values, 95) });

async function sizes() {
  return {
    esmGzipBytes: await eagerBytes(join(root, "dist/index.mjs"), true),
    cjsGzipBytes: await eagerBytes(join(root, "dist/index.cjs"), false),
    cdnGzipBytes: gzipBytes(readFileSync(join(root, "dist/humanconnect-kit.min.js"))),
    vendorGzipBytes: gzipBytes(readFileSync(vendorFile)),
  };
}

/** Our code's share of the CDN file: the same build (rollup.config.mjs, run from the root) with the vendor left out. */
async function cdnWithoutVendorBytes() {
  const config = (await import("../rollup.config.mjs")).default.find((c) => c.input === "src/cdn.ts");
  // The vendor module (rollup.config.mjs's vendorModule) replaced by an empty one of the same shape.
  const noVendor = {
    name: "no-vendor",
    resolveId: (source) => (source === "humanapi-connect-client" ? "\0no-vendor" : null),
    load: (id) => (id === "\0no-vendor" ? "export const evaluateVendor = () => ({});" : null),
  };
  const bundle = await rollup({
    input: config.input,
    plugins: [noVendor, ...config.plugins.filter((p) => p.name !== "vendor-module")],
    onwarn: () => {},
  });
  const { output } = await bundle.generate(config.output);
  await bundle.close();
  return gzipBytes(output[0].code);
}

/**
 * Bundles a two-line app with code splitting, as an app would: counts vendor bytes in the entry
 * chunk, and sizes (min+gzip) the lazy chunk that holds the vendor (dist/session.mjs, the
 * session code with the vendor's code in its factory).
 */
async function twoLineApp() {
  const dir = mkdtempSync(join(tmpdir(), "hck-bench-"));
  try {
    writeFileSync(
      join(dir, "app.js"),
      'import { createConnect } from "humanconnect-kit";\ncreateConnect({ tokenUrl: "/t" });\n',
    );
    const bundle = await rollup({
      input: join(dir, "app.js"),
      plugins: [
        { name: "self", resolveId: (id) => (id === "humanconnect-kit" ? join(root, "dist/index.mjs") : null) },
        nodeResolve({ browser: true }),
        commonjs(),
      ],
      onwarn: () => {},
    });
    const { output } = await bundle.generate({ format: "es" });
    await bundle.close();
    const entry = output.find((chunk) => chunk.type === "chunk" && chunk.isEntry);
    const vendorBytes = Object.entries(entry.modules)
      .filter(([id]) =>
        [join(root, "dist/session.mjs"), "humanapi-connect-client", "core-js", "focus-trap"].some((part) =>
          id.includes(part),
        ),
      )
      .reduce((sum, [, info]) => sum + info.renderedLength, 0);
    const chunks = output
      .filter((c) => c.type === "chunk")
      .map((c) => ({ file: c.fileName, entry: c.isEntry, bytes: Buffer.byteLength(c.code) }));
    const vendorChunk = output.find((c) => c.type === "chunk" && join(root, "dist/session.mjs") in c.modules);
    if (!vendorChunk || vendorChunk.isEntry) {
      throw new Error(
        "The two-line app has no lazy chunk holding dist/session.mjs: run npm run build, then the bench.",
      );
    }
    const vendorChunkGzipBytes = await minGzipCodeBytes(vendorChunk.code, true);
    return { vendorBytes, chunks, vendorChunk: vendorChunk.fileName, vendorChunkGzipBytes };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Arms a timer in the page, from the button's next click event to #human-api in the DOM (as
 * performance.now() sees them), and notes the pointerenter and pointerdown that come before a press.
 * `window.benchIframe` settles: with the times, or after `timeoutMs` with an error.
 */
async function armClickTimer(page) {
  await page.evaluate((timeoutMs) => {
    const button = document.getElementById("connect-button");
    const at = {};
    const done = new AbortController();
    for (const type of ["pointerenter", "pointerdown", "click"]) {
      button.addEventListener(type, () => (at[type] ??= performance.now()), { capture: true, signal: done.signal });
    }
    window.benchIframe = new Promise((resolve, reject) => {
      const observer = new MutationObserver(() => {
        if (!document.getElementById("human-api")) return;
        stop();
        resolve({ ms: performance.now() - at.click, enter: at.pointerenter, down: at.pointerdown, click: at.click });
      });
      const timer = setTimeout(() => {
        stop();
        reject(new Error(`No #human-api ${timeoutMs} ms after arming: check that npm run demo opens Connect.`));
      }, timeoutMs);
      const stop = () => (observer.disconnect(), clearTimeout(timer), done.abort());
      observer.observe(document.body, { childList: true });
    });
  }, FIRST_VISIT_TIMEOUT_MS);
}

/** A bare click, as `button.click()` gives it: no pointer event, no focus, so no prefetch. */
const bareClick = (page) => page.evaluate(() => document.getElementById("connect-button").click());

/**
 * A person's press: the pointer moves onto the button (pointerenter), the button goes down at once
 * (pointerdown) and comes up PRESS_HOLD_MS later (the click). Timed from the click, as a bare click is.
 */
async function press(page) {
  const box = await page.locator("#connect-button").boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await new Promise((resolve) => setTimeout(resolve, PRESS_HOLD_MS));
  await page.mouse.up();
}

/** Arms the timer, acts (a bare click or a press), returns what the page measured. */
async function timeIframe(page, act) {
  await armClickTimer(page);
  await act(page);
  return page.evaluate(() => window.benchIframe);
}

async function closeConnect(page, naive) {
  await page.evaluate(async (naive) => {
    if (naive) {
      // The vendor closes on any close message: exactly its flaw, used here to reset the page.
      window.dispatchEvent(new MessageEvent("message", { data: { type: "hapi-connect-close", status: "SUCCESS" } }));
    } else {
      window.demo.connect.close();
    }
    while (document.getElementById("human-api")) await new Promise((r) => setTimeout(r, 1));
    await new Promise((r) => setTimeout(r, 5));
  }, naive);
}

/** A demo page, ready, and (the library's pages sign in on load) signed in. */
async function openPage(context, url, path) {
  const page = await context.newPage();
  page.on("console", () => {});
  await page.goto(`${url}${path}`);
  await page.waitForSelector("html[data-ready=true]", { state: "attached" });
  if (path !== "/naive.html") await page.waitForFunction(() => document.getElementById("user").textContent !== "…");
  return page;
}

/** The page's first click (or press) in a new browser context: an empty cache, a first visit. */
async function firstVisit(browser, url, path, act) {
  const context = await browser.newContext();
  try {
    // The by-hand page has no sign-in of its own: signed in first, as the library's pages sign in on load.
    if (path === "/naive.html") await context.request.post(`${url}/api/me`);
    return await timeIframe(await openPage(context, url, path), act);
  } finally {
    await context.close();
  }
}

/**
 * Click to iframe, every mode, interleaved so that machine noise hits all of them alike. `warm` and
 * `naive` reuse one page each (later clicks); the others are first visits. `coldEsm` and
 * `naivePressed` (the ESM page's cold click, the by-hand twin of `pressed`) are printed only.
 */
async function clickToIframe(browser, url) {
  const modes = {
    cold: () => firstVisit(browser, url, "/", bareClick),
    coldEsm: () => firstVisit(browser, url, "/esm.html", bareClick),
    naiveFirstVisit: () => firstVisit(browser, url, "/naive.html", bareClick),
    pressed: () => firstVisit(browser, url, "/", press),
    naivePressed: () => firstVisit(browser, url, "/naive.html", press),
  };
  const times = { warm: [], naive: [], ...Object.fromEntries(Object.keys(modes).map((mode) => [mode, []])) };
  const context = await browser.newContext();
  const warmPage = await openPage(context, url, "/");
  const naivePage = await openPage(context, url, "/naive.html");
  for (let i = 0; i < CLICKS; i++) {
    await warmPage.evaluate(() => window.demo.connect.prefetch());
    times.warm.push(await timeIframe(warmPage, bareClick));
    await closeConnect(warmPage, false);
    times.naive.push(await timeIframe(naivePage, bareClick));
    await closeConnect(naivePage, true);
    for (const [mode, run] of Object.entries(modes)) times[mode].push(await run());
  }
  await context.close();
  const ms = (mode) => stats(times[mode].map((t) => t.ms));
  const presses = [...times.pressed, ...times.naivePressed];
  return {
    clicks: {
      warm: ms("warm"),
      cold: ms("cold"),
      naive: ms("naive"),
      naiveFirstVisit: ms("naiveFirstVisit"),
      pressed: ms("pressed"),
    },
    coldEsm: ms("coldEsm"),
    naivePressed: ms("naivePressed"),
    enterToDown: stats(presses.map((t) => t.down - t.enter)).p50,
    downToClick: stats(presses.map((t) => t.click - t.down)).p50,
  };
}

async function leak(browser, url) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${url}/`);
  await page.waitForSelector("html[data-ready=true]", { state: "attached" });
  const cdp = await context.newCDPSession(page);
  await cdp.send("Performance.enable");
  const measure = async () => {
    await cdp.send("HeapProfiler.collectGarbage");
    const { result } = await cdp.send("Runtime.evaluate", { expression: "window" });
    const { listeners } = await cdp.send("DOMDebugger.getEventListeners", { objectId: result.objectId });
    const { metrics } = await cdp.send("Performance.getMetrics");
    const metric = (name) => metrics.find((m) => m.name === name).value;
    return {
      messageListeners: listeners.filter((l) => l.type === "message").length,
      nodes: metric("Nodes"),
      heap: metric("JSHeapUsedSize"),
    };
  };
  // A connect object of its own, without the demo's listeners (its event log would grow the DOM).
  await page.evaluate(() => {
    const baseUrl = document.querySelector('meta[name="connect-base-url"]').content;
    window.benchConnect = window.demo.kit.createConnect({ tokenUrl: "/api/connect-token", baseUrl });
  });
  const cycles = (n) =>
    page.evaluate(async (n) => {
      const connect = window.benchConnect;
      for (let i = 0; i < n; i++) {
        const result = connect.open();
        while (!document.getElementById("human-api")) await new Promise((r) => setTimeout(r, 0));
        connect.close();
        await result;
      }
    }, n);
  await cycles(3); // load the vendor client and the token first
  const before = await measure();
  await cycles(CYCLES);
  const after = await measure();
  // A second round tells a leak (grows again) from warm-up (JIT and caches: it does not).
  await cycles(CYCLES);
  const again = await measure();
  await context.close();
  return {
    cycles: CYCLES,
    messageListenersLeft: after.messageListeners,
    domNodesDelta: after.nodes - before.nodes,
    heapDeltaBytes: after.heap - before.heap,
    secondRoundHeapDeltaBytes: again.heap - after.heap, // printed, not in results.json
  };
}

async function concurrentOpens(browser, demo) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${demo.url}/`);
  await page.waitForSelector("html[data-ready=true]", { state: "attached" });
  const userId = await page.getByTestId("user").textContent();
  const before = demo.users.get(userId).issued.length;
  await page.evaluate(async () => {
    const kit = window.demo.kit;
    const baseUrl = document.querySelector('meta[name="connect-base-url"]').content;
    const connect = kit.createConnect({ tokenUrl: "/api/connect-token", baseUrl });
    const calls = Array.from({ length: 100 }, (_, i) => (i % 2 ? connect.prefetch() : connect.open()));
    while (!document.getElementById("human-api")) await new Promise((r) => setTimeout(r, 1));
    connect.close();
    await Promise.allSettled(calls);
    connect.destroy();
  });
  const count = demo.users.get(userId).issued.length - before;
  await context.close();
  return count;
}

async function returningUser() {
  const sandbox = await startSandbox({ host: "127.0.0.1", port: 0 });
  let calls = 0;
  const issuerOf = (options = {}) =>
    createTokenIssuer({
      clientId: sandbox.clientId,
      clientSecret: sandbox.clientSecret,
      authUrl: sandbox.authUrl,
      ...options,
    });
  const user = { userId: "bench-user", email: "bench@example.com" };
  const { token } = await issuerOf().connectToken(user);
  // The user connects a source in Connect (through the sandbox app's API), and comes back later,
  // to a server (a new issuer) that does not know them yet.
  await fetch(`${sandbox.connectUrl}/api/connect`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ token, providerId: "5b1daf3f079c652eaf41fd23", password: "x" }),
  });
  const fresh = issuerOf({ fetch: (...args) => (calls++, fetch(...args)) });
  await fresh.connectToken(user);
  const first = calls;
  calls = 0;
  await fresh.connectToken(user);
  const next = calls;
  await sandbox.close();
  return { first, next };
}

/**
 * Every measure, in one run: sizes first, then the browser ones against the demo. `results` is
 * what results.json holds (its keys fixed by issue 5); `printed` is shown in the table only.
 */
async function measure() {
  const size = await sizes();
  const sessionChunkBytes = await minGzipBytes(join(root, "dist/session.mjs"), true);
  const ourCdnBytes = await cdnWithoutVendorBytes();
  const dropInCdnBytes = gzipBytes(readFileSync(join(root, "dist/humanconnect-kit.compat.min.js")));
  const app = await twoLineApp();
  const demo = await startDemo({ port: 0, tokenLatencyMs: LATENCY_MS, staticLatencyMs: LATENCY_MS });
  const browser = await chromium.launch(chromiumLaunchOptions);
  try {
    const { clicks, ...clickPrinted } = await clickToIframe(browser, demo.url);
    const { secondRoundHeapDeltaBytes, ...leaks } = await leak(browser, demo.url);
    const tokenRequests = await concurrentOpens(browser, demo);
    const results = {
      ...size,
      initialChunkVendorBytes: app.vendorBytes,
      vendorChunkGzipBytes: app.vendorChunkGzipBytes,
      runtimeDependencies: Object.keys(packageJson.dependencies ?? {}).length,
      clickToIframeMs: clicks,
      leak: leaks,
      tokenRequestsFor100ConcurrentOpens: tokenRequests,
      returningUserUpstreamCalls: await returningUser(),
    };
    return {
      results,
      printed: { ...clickPrinted, secondRoundHeapDeltaBytes, sessionChunkBytes, ourCdnBytes, dropInCdnBytes, ...app },
    };
  } finally {
    await browser.close();
    await demo.close();
  }
}

/** The printed table: every figure of `results`, and those of `printed`, one row each. */
function table(results, printed, seconds) {
  const c = results.clickToIframeMs;
  const pair = (stat) => `${stat.p50} / ${stat.p95}`;
  const row = (label, value) => `| ${label.padEnd(72)} | ${String(value).padStart(14)} |`;
  return [
    `humanconnect-kit bench (${cpus()[0]?.model ?? "unknown CPU"}, ${cpus().length} cores, Node ${process.version}, ${CLICKS} clicks, ${CYCLES} cycles)`,
    "",
    row("measure", "value"),
    `|${"-".repeat(74)}|${"-".repeat(16)}|`,
    row("ESM entry + static imports, min+gzip (vendor excluded), bytes", results.esmGzipBytes),
    row("CJS entry + static requires, min+gzip (vendor excluded), bytes", results.cjsGzipBytes),
    row("session chunk, loaded on first use with the vendor, bytes", printed.sessionChunkBytes),
    row("CDN file (vendor bundled), gzip, bytes", results.cdnGzipBytes),
    row("our code in the CDN file (same build, vendor left out), bytes", printed.ourCdnBytes),
    row("drop-in CDN file, humanconnect-kit.compat.min.js (vendor bundled), gzip, bytes", printed.dropInCdnBytes),
    row("vendor client alone, gzip, bytes", results.vendorGzipBytes),
    row("vendor bytes in a two-line app's entry chunk", results.initialChunkVendorBytes),
    row(
      "the two-line app's lazy chunk holding the vendor (and the session code), min+gzip, bytes",
      results.vendorChunkGzipBytes,
    ),
    row("runtime dependencies in package.json", results.runtimeDependencies),
    row("click to iframe, warm (after prefetch), p50 / p95 ms", pair(c.warm)),
    row("click to iframe, vendor by hand, p50 / p95 ms", pair(c.naive)),
    row("naive / warm, p50", `${(c.naive.p50 / c.warm.p50).toFixed(1)}x`),
    row("first visit, bare click: cold (CDN page), p50 / p95 ms", pair(c.cold)),
    row("first visit, bare click: ESM page (chunks at the click), p50 / p95 ms", pair(printed.coldEsm)),
    row("first visit, bare click: vendor by hand, p50 / p95 ms", pair(c.naiveFirstVisit)),
    row("cold minus vendor by hand, first visit, p50 ms", (c.cold.p50 - c.naiveFirstVisit.p50).toFixed(1)),
    row(`first visit, pressed (${PRESS_HOLD_MS} ms, prefetchOn), p50 / p95 ms`, pair(c.pressed)),
    row("first visit, pressed: vendor by hand, p50 / p95 ms", pair(printed.naivePressed)),
    row("press: pointerenter to pointerdown / to click, p50 ms", `${printed.enterToDown} / ${printed.downToClick}`),
    row(`message listeners left after ${results.leak.cycles} open/close`, results.leak.messageListenersLeft),
    row("DOM node change after those cycles (after GC)", results.leak.domNodesDelta),
    row("JS heap change after those cycles (after GC), bytes", results.leak.heapDeltaBytes),
    row(`JS heap change over ${results.leak.cycles} more cycles, bytes`, printed.secondRoundHeapDeltaBytes),
    row("token requests for 100 concurrent prefetch()/open()", results.tokenRequestsFor100ConcurrentOpens),
    row(
      "upstream calls, returning user: first / next",
      `${results.returningUserUpstreamCalls.first} / ${results.returningUserUpstreamCalls.next}`,
    ),
    "",
    `Two-line app (Rollup) chunks, the vendor in ${printed.vendorChunk}: ${printed.chunks.map((ch) => `${ch.file}${ch.entry ? " (entry)" : ""} ${ch.bytes} B`).join(", ")}`,
    `Latency added: ${LATENCY_MS} ms on the token endpoint and on every static file. Took ${seconds.toFixed(0)} s. Wrote bench/results.json.`,
  ].join("\n");
}

/**
 * Measures, writes bench/results.json, prints the tables. The server load test runs last, once
 * Chromium is closed; a token request that failed under load fails the bench (exit code 1).
 */
async function main() {
  const started = Date.now();
  const { results, printed } = await measure();
  const load = await serverLoad();
  writeFileSync(
    new URL("results.json", import.meta.url),
    `${JSON.stringify({ ...results, server: load.server }, null, 2)}\n`,
  );
  console.log(table(results, printed, (Date.now() - started) / 1000));
  console.log(`\n${loadTable(load)}`);
  if (loadErrors(load.server) > 0) {
    console.error(
      `${loadErrors(load.server)} token requests failed under load (see the first error above): fix them before quoting these figures.`,
    );
    process.exitCode = 1;
  }
}

await main();
