// `npm run bench`: measures humanconnect-kit against the vendor client used by hand, side by
// side in one run, and prints a table; writes bench/results.json. Never asserts on time.
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
import { eagerFiles, gzipBytes, minGzipBytes, vendorFile } from "./size.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const CLICKS = Number(process.env.BENCH_CLICKS ?? 50);
const CYCLES = Number(process.env.BENCH_CYCLES ?? 1000);
const TOKEN_LATENCY_MS = 50;

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
  const noVendor = {
    name: "no-vendor",
    load: (id) =>
      id.endsWith(join("src", "vendor-import.ts")) ? "export const importVendor = () => Promise.resolve({});" : null,
  };
  const bundle = await rollup({
    input: config.input,
    plugins: [noVendor, ...config.plugins.filter((p) => p.name !== "vendor-factory")],
    onwarn: () => {},
  });
  const { output } = await bundle.generate(config.output);
  await bundle.close();
  return gzipBytes(output[0].code);
}

/** Bundles a two-line app with code splitting, as an app would; counts vendor bytes in the entry chunk. */
async function initialChunkVendorBytes() {
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
      .filter(([id]) => id.includes("humanapi-connect-client") || id.includes("core-js") || id.includes("focus-trap"))
      .reduce((sum, [, info]) => sum + info.renderedLength, 0);
    const chunks = output
      .filter((c) => c.type === "chunk")
      .map((c) => ({ file: c.fileName, entry: c.isEntry, bytes: Buffer.byteLength(c.code) }));
    return { vendorBytes, chunks };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Time from the button's click event to #human-api in the DOM, measured in the page. */
async function timeClick(page) {
  return page.evaluate(
    () =>
      new Promise((resolve) => {
        const button = document.getElementById("connect-button");
        let clickedAt = 0;
        button.addEventListener("click", () => (clickedAt = performance.now()), { capture: true, once: true });
        const observer = new MutationObserver(() => {
          if (document.getElementById("human-api")) {
            observer.disconnect();
            resolve(performance.now() - clickedAt);
          }
        });
        observer.observe(document.body, { childList: true });
        button.click();
      }),
  );
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

async function clickToIframe(browser, url) {
  const open = async (context, path) => {
    const page = await context.newPage();
    page.on("console", () => {});
    await page.goto(`${url}${path}`);
    await page.waitForSelector("html[data-ready=true]", { state: "attached" });
    return page;
  };
  // naiveCold (printed, not in results.json): the by-hand page's first click in a new context, the
  // like-for-like twin of `cold`.
  const results = { warm: [], cold: [], naive: [], naiveCold: [] };
  // Interleave them so that machine noise hits all of them alike.
  const context = await browser.newContext();
  const warmPage = await open(context, "/");
  const naivePage = await open(context, "/naive.html");
  for (let i = 0; i < CLICKS; i++) {
    await warmPage.evaluate(() => window.demo.connect.prefetch());
    results.warm.push(await timeClick(warmPage));
    await closeConnect(warmPage, false);

    const coldContext = await browser.newContext(); // an empty cache: a first visit
    const coldPage = await open(coldContext, "/");
    results.cold.push(await timeClick(coldPage));
    await coldContext.close();

    results.naive.push(await timeClick(naivePage));
    await closeConnect(naivePage, true);

    const naiveColdContext = await browser.newContext();
    // Signed in first, as the CDN page signs in on load (the by-hand page has no sign-in of its own).
    await naiveColdContext.request.post(`${url}/api/me`);
    results.naiveCold.push(await timeClick(await open(naiveColdContext, "/naive.html")));
    await naiveColdContext.close();
  }
  await context.close();
  return {
    warm: stats(results.warm),
    cold: stats(results.cold),
    naive: stats(results.naive),
    naiveCold: stats(results.naiveCold),
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
  const initial = await initialChunkVendorBytes();
  const demo = await startDemo({ port: 0, tokenLatencyMs: TOKEN_LATENCY_MS });
  const browser = await chromium.launch(chromiumLaunchOptions);
  try {
    const { naiveCold, ...clicks } = await clickToIframe(browser, demo.url);
    const { secondRoundHeapDeltaBytes, ...leaks } = await leak(browser, demo.url);
    const tokenRequests = await concurrentOpens(browser, demo);
    const results = {
      ...size,
      initialChunkVendorBytes: initial.vendorBytes,
      clickToIframeMs: clicks,
      leak: leaks,
      tokenRequestsFor100ConcurrentOpens: tokenRequests,
      returningUserUpstreamCalls: await returningUser(),
    };
    return {
      results,
      printed: { naiveCold, secondRoundHeapDeltaBytes, sessionChunkBytes, ourCdnBytes, chunks: initial.chunks },
    };
  } finally {
    await browser.close();
    await demo.close();
  }
}

/** The printed table: every figure of `results`, and those of `printed`, one row each. */
function table(results, printed, seconds) {
  const c = results.clickToIframeMs;
  const row = (label, value) => `| ${label.padEnd(64)} | ${String(value).padStart(14)} |`;
  return [
    `humanconnect-kit bench (${cpus()[0]?.model ?? "unknown CPU"}, ${cpus().length} cores, Node ${process.version}, ${CLICKS} clicks, ${CYCLES} cycles)`,
    "",
    row("measure", "value"),
    `|${"-".repeat(66)}|${"-".repeat(16)}|`,
    row("ESM entry + static imports, min+gzip (vendor excluded), bytes", results.esmGzipBytes),
    row("CJS entry + static requires, min+gzip (vendor excluded), bytes", results.cjsGzipBytes),
    row("session chunk, loaded on first use with the vendor, bytes", printed.sessionChunkBytes),
    row("CDN file (vendor bundled), gzip, bytes", results.cdnGzipBytes),
    row("our code in the CDN file (same build, vendor left out), bytes", printed.ourCdnBytes),
    row("vendor client alone, gzip, bytes", results.vendorGzipBytes),
    row("vendor bytes in a two-line app's entry chunk", results.initialChunkVendorBytes),
    row(`click to iframe, warm (after prefetch), p50 / p95 ms`, `${c.warm.p50} / ${c.warm.p95}`),
    row(`click to iframe, cold (first visit), p50 / p95 ms`, `${c.cold.p50} / ${c.cold.p95}`),
    row(`click to iframe, vendor by hand, p50 / p95 ms`, `${c.naive.p50} / ${c.naive.p95}`),
    row(
      `click to iframe, vendor by hand, first visit, p50 / p95 ms`,
      `${printed.naiveCold.p50} / ${printed.naiveCold.p95}`,
    ),
    row("naive / warm, p50", `${(c.naive.p50 / c.warm.p50).toFixed(1)}x`),
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
    `Two-line app chunks: ${printed.chunks.map((ch) => `${ch.file}${ch.entry ? " (entry)" : ""} ${ch.bytes} B`).join(", ")}`,
    `Token endpoint latency added: ${TOKEN_LATENCY_MS} ms. Took ${seconds.toFixed(0)} s. Wrote bench/results.json.`,
  ].join("\n");
}

/** Measures, writes bench/results.json, prints the table. */
async function main() {
  const started = Date.now();
  const { results, printed } = await measure();
  writeFileSync(new URL("results.json", import.meta.url), `${JSON.stringify(results, null, 2)}\n`);
  console.log(table(results, printed, (Date.now() - started) / 1000));
}

await main();
