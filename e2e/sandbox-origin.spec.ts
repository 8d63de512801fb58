import { readFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Page } from "@playwright/test";
import type * as SandboxModule from "../src/sandbox/index";
import { connectFrame, expect, test } from "./fixtures";

// The Connect app learns the embedding page's origin from location.ancestorOrigins or
// document.referrer. Firefox has no ancestorOrigins, so a page sent with
// `Referrer-Policy: no-referrer` tells it nothing: these tests reproduce that in Chromium.

const dist = new URL("../dist/", import.meta.url);
/** The built sandbox (its Connect app is inlined at build time; npm test builds first). */
const sandboxModule = () => import(new URL("sandbox.mjs", dist).href) as Promise<typeof SandboxModule>;

/** A page on its own origin that loads the CDN file and sends no referrer. */
let pageServer: Server;
let pageOrigin: string;
test.beforeAll(async () => {
  const kit = await readFile(new URL("humanconnect-kit.min.js", dist));
  pageServer = createServer((req, res) => {
    if (req.url === "/kit.js") {
      res.writeHead(200, { "content-type": "text/javascript" });
      res.end(kit);
      return;
    }
    res.writeHead(200, { "content-type": "text/html", "referrer-policy": "no-referrer" });
    res.end('<!doctype html><title>no referrer</title><script src="/kit.js"></script><p>page</p>');
  });
  await new Promise<void>((resolve) => pageServer.listen(0, "127.0.0.1", resolve));
  pageOrigin = `http://127.0.0.1:${(pageServer.address() as AddressInfo).port}`;
});
test.afterAll(async () => {
  await new Promise((resolve) => pageServer.close(resolve));
});

let sandbox: SandboxModule.Sandbox | undefined;
test.afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
});

/** Starts a sandbox with these page origins and returns a session token from it. */
async function startWith(
  pageOrigins: string[] | undefined,
): Promise<{ sandbox: SandboxModule.Sandbox; token: string }> {
  const { startSandbox } = await sandboxModule();
  sandbox = await startSandbox({ host: "127.0.0.1", port: 0, ...(pageOrigins && { pageOrigins }) });
  const response = await fetch(sandbox.authUrl, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      client_id: sandbox.clientId,
      client_secret: sandbox.clientSecret,
      client_user_id: "u-1",
      client_user_email: "u1@example.com",
      type: "session",
    }),
  });
  return { sandbox, token: ((await response.json()) as { session_token: string }).session_token };
}

/**
 * Chromium always fills location.ancestorOrigins (an own, unforgeable property of location): in
 * the Connect frame only, its list is made to look empty, as Firefox, which has none, would.
 */
async function hideAncestorOrigins(page: Page, connectOrigin: string): Promise<void> {
  await page.addInitScript((origin) => {
    if (location.origin === origin) Object.defineProperty(DOMStringList.prototype, "length", { get: () => 0 });
  }, connectOrigin);
}

/** Opens Connect from the page; `window.settled` turns true once open() settles. */
async function openConnect(page: Page, token: string, baseUrl: string) {
  await page.goto(`${pageOrigin}/`);
  return page.evaluate(
    ({ token, baseUrl }) => {
      const w = window as unknown as {
        HumanConnectKit: typeof import("../src/cdn");
        connect: { close(): void };
        settled: boolean;
      };
      const connect = w.HumanConnectKit.createConnect({ token, baseUrl });
      w.connect = connect;
      w.settled = false;
      return connect.open().finally(() => {
        w.settled = true;
      });
    },
    { token, baseUrl },
  );
}

/** What the Connect frame knows of the page that embeds it. */
async function whatTheFrameSees(page: Page, connectOrigin: string) {
  const frame = page.frames().find((f) => f.url().startsWith(connectOrigin));
  return frame!.evaluate(() => ({ ancestorOrigins: location.ancestorOrigins.length, referrer: document.referrer }));
}

test.describe("a page that sends no referrer, in a browser without ancestorOrigins", () => {
  for (const [name, others] of [
    ["the one origin in pageOrigins", []],
    ["each origin in pageOrigins (the browser drops the ones that are not the page's)", ["http://127.0.0.1:9"]],
  ] as const) {
    test(`gets its close from Connect, posted to ${name}`, async ({ page, problems }) => {
      // Chromium warns of each postMessage whose target origin is not the parent's.
      if (others.length > 0)
        problems.allow.push(
          /^console\.warning: Failed to execute 'postMessage'.*does not match the recipient window's origin/,
        );
      const { sandbox, token } = await startWith([...others, pageOrigin]);
      await hideAncestorOrigins(page, sandbox.origin);
      const done = openConnect(page, token, sandbox.connectUrl);
      const frame = connectFrame(page);
      await expect(frame.getByRole("heading", { name: "Connect your health data" })).toBeVisible();
      expect(await whatTheFrameSees(page, sandbox.origin)).toEqual({ ancestorOrigins: 0, referrer: "" });
      await frame.getByRole("button", { name: "Close" }).click();
      expect((await done).status).toBe("SUCCESS");
      await expect(page.locator("#human-api")).toHaveCount(0);
    });
  }

  test("without pageOrigins, Connect says why it cannot answer and names the option; the page's own close() settles open()", async ({
    page,
  }) => {
    const { sandbox, token } = await startWith(undefined);
    await hideAncestorOrigins(page, sandbox.origin);
    const done = openConnect(page, token, sandbox.connectUrl);
    const frame = connectFrame(page);
    await expect(frame.getByRole("alert")).toContainText("pageOrigins");
    await expect(frame.getByText("Status: PAGE_ORIGIN_UNKNOWN")).toBeVisible();
    await expect(frame.getByRole("button", { name: "Close" })).toHaveCount(0);
    expect(await page.evaluate(() => (window as unknown as { settled: boolean }).settled)).toBe(false);
    await page.evaluate(() => (window as unknown as { connect: { close(): void } }).connect.close());
    expect((await done).status).toBe("CLOSED_BY_APP");
  });
});

test.describe("a page whose origin the browser reports", () => {
  test("is refused when pageOrigins does not list it: Connect says so, and only the page's own close() settles open()", async ({
    page,
  }) => {
    const { sandbox, token } = await startWith(["http://127.0.0.1:9"]);
    const done = openConnect(page, token, sandbox.connectUrl);
    const frame = connectFrame(page);
    await expect(frame.getByRole("alert")).toContainText(pageOrigin);
    await expect(frame.getByText("Status: PAGE_ORIGIN_NOT_ALLOWED")).toBeVisible();
    await expect(frame.getByRole("button", { name: "Close" })).toHaveCount(0);
    expect(await page.evaluate(() => (window as unknown as { settled: boolean }).settled)).toBe(false);
    await page.evaluate(() => (window as unknown as { connect: { close(): void } }).connect.close());
    expect((await done).status).toBe("CLOSED_BY_APP");
  });

  test("gets its close when pageOrigins lists it", async ({ page }) => {
    const { sandbox, token } = await startWith([pageOrigin]);
    const done = openConnect(page, token, sandbox.connectUrl);
    const frame = connectFrame(page);
    await expect(frame.getByRole("heading", { name: "Connect your health data" })).toBeVisible();
    expect(await whatTheFrameSees(page, sandbox.origin)).toEqual({ ancestorOrigins: 1, referrer: "" });
    await frame.getByRole("button", { name: "Close" }).click();
    expect((await done).status).toBe("SUCCESS");
  });
});
