import type { Route } from "@playwright/test";
import { closeConnect } from "../src/testing/index";
import { connectFrame, expect, openDemo, test } from "./fixtures";

// What the app can do while the session chunk is still on its way (held back here by the test),
// on the ESM page, where the session code is a chunk of its own.
type Kit = typeof import("../src/index");
declare global {
  interface Window {
    demo: { kit: Kit };
  }
}

test.describe("while the session chunk is still downloading", () => {
  test("close(), an aborted signal and destroy() settle open() at once, and nothing mounts when the chunk arrives", async ({
    page,
    demoUrl,
  }) => {
    const held: Route[] = [];
    await page.route("**/esm/session-*.js", (route) => void held.push(route));
    await openDemo(page, demoUrl, "/esm.html");
    const outcomes = await page.evaluate(async () => {
      const { kit } = window.demo;
      const within = (promise: Promise<{ status: string }>) =>
        Promise.race([
          promise.then(
            (r) => `resolved ${r.status}`,
            (e: { code: string }) => `rejected ${e.code}`,
          ),
          new Promise((resolve) => setTimeout(() => resolve("still pending after 3 s"), 3000)),
        ]);
      const closing = kit.createConnect({ tokenUrl: "/api/connect-token" });
      const closed = within(closing.open());
      closing.close();
      const controller = new AbortController();
      const aborted = within(kit.createConnect({ tokenUrl: "/api/connect-token" }).open({ signal: controller.signal }));
      controller.abort();
      const destroying = kit.createConnect({ tokenUrl: "/api/connect-token" });
      const destroyed = within(destroying.open());
      destroying.destroy();
      const settled = await Promise.all([closed, aborted, destroyed]);
      (window as unknown as { left: unknown[] }).left = [closing, destroying];
      return settled;
    });
    expect(outcomes).toEqual(["resolved CLOSED_BY_APP", "rejected ABORTED", "rejected DESTROYED"]);
    await expect.poll(() => held.length).toBeGreaterThan(0);
    for (const route of held) await route.continue();
    await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 500)));
    await expect(page.locator("#human-api")).toHaveCount(0);
    const states = await page.evaluate(() =>
      (window as unknown as { left: Array<{ state: string }> }).left.map((c) => c.state),
    );
    expect(states).toEqual(["idle", "destroyed"]);
  });

  test("a close() before a failed chunk load does not close the next, unrelated open()", async ({
    page,
    demoUrl,
    problems,
  }) => {
    problems.allow.push(/Failed to load resource/);
    let failing: Route | undefined;
    await page.route("**/esm/session-*.js", (route) => void (failing ? route.continue() : (failing = route)));
    await openDemo(page, demoUrl, "/esm.html");
    const first = await page.evaluate(async () => {
      const connect = window.demo.kit.createConnect({
        tokenUrl: "/api/connect-token",
        baseUrl: document.querySelector<HTMLMetaElement>('meta[name="connect-base-url"]')!.content,
      });
      (window as unknown as { connect: typeof connect }).connect = connect;
      const result = connect.open();
      connect.close();
      return (await result).status;
    });
    expect(first).toBe("CLOSED_BY_APP");
    await expect.poll(() => failing).toBeDefined();
    await failing!.abort();
    await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 200)));
    await page.evaluate(() => {
      const { connect } = window as unknown as { connect: ReturnType<Kit["createConnect"]> };
      connect.on("open", () => document.documentElement.setAttribute("data-opened", "yes"));
      (window as unknown as { second: Promise<unknown> }).second = connect.open().then((r) => r.status);
    });
    await expect(connectFrame(page).getByRole("heading", { name: "Connect your health data" })).toBeVisible();
    expect(await page.locator("html").getAttribute("data-opened")).toBe("yes");
    await connectFrame(page).getByRole("button", { name: "Close" }).click();
    expect(await page.evaluate(() => (window as unknown as { second: Promise<unknown> }).second)).toBe("SUCCESS");
  });
});

test.describe("signing in as someone else", () => {
  test("after a user switch, Connect opens with a token asked for the new user, not the previous user's cached one", async ({
    page,
    demoUrl,
  }) => {
    await openDemo(page, demoUrl);
    const issuedTo = async () =>
      (await page.request.post(`${demoUrl}/api/me`)).json() as Promise<{ userId: string; issued: unknown[] }>;
    await page.getByRole("button", { name: "Connect your health data" }).hover();
    await expect.poll(async () => (await issuedTo()).issued.length).toBe(1);
    const previous = (await issuedTo()).userId;
    await page.getByLabel("User").selectOption("new");
    await expect(page.getByTestId("user")).not.toHaveText(previous);
    await page.getByRole("button", { name: "Connect your health data" }).click();
    await expect(connectFrame(page).getByRole("heading", { name: "Connect your health data" })).toBeVisible();
    const now = await issuedTo();
    expect(now.userId).not.toBe(previous);
    expect(now.issued).toHaveLength(1);
    await connectFrame(page).getByRole("button", { name: "Close" }).click();
    await expect(page.getByTestId("status")).toContainText("Connect closed: SUCCESS");
  });
});

test.describe("the vendor's focus trap", () => {
  test("a session with enableFocusTrap leaves nothing to the next session without it: no uncaught error there", async ({
    page,
    demoUrl,
    problems: _problems,
  }) => {
    await openDemo(page, demoUrl);
    const out = await page.evaluate(async () => {
      const { kit } = window.demo;
      const baseUrl = document.querySelector<HTMLMetaElement>('meta[name="connect-base-url"]')!.content;
      const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
      const trapped = kit.createConnect({ tokenUrl: "/api/connect-token", baseUrl, enableFocusTrap: true });
      const first = trapped.open();
      await sleep(1500);
      trapped.close();
      await first;
      const free = kit.createConnect({ tokenUrl: "/api/connect-token", baseUrl });
      const second = free.open();
      await sleep(1500);
      free.close();
      return (await second).status;
    });
    expect(out).toBe("CLOSED_BY_APP");
  });
});

test.describe("no waterfall on the first click", () => {
  test("the first open() asks for the session chunk (the vendor client in it) and the token at once (ESM page)", async ({
    page,
    demoUrl,
  }) => {
    const held: Route[] = [];
    const asked: string[] = [];
    await page.route("**/esm/session-*.js", (route) => void held.push(route));
    page.on("request", (request) => asked.push(new URL(request.url()).pathname));
    await openDemo(page, demoUrl, "/esm.html");
    await page.evaluate(() => void window.demo.kit.createConnect({ tokenUrl: "/api/connect-token" }).prefetch());
    await expect.poll(() => held.length).toBe(1);
    // The session chunk is still held back: the token is on its way already.
    await expect.poll(() => asked.filter((path) => path === "/api/connect-token")).toEqual(["/api/connect-token"]);
    for (const route of held) await route.continue();
  });
});

test.describe("a page that has not finished loading", () => {
  test("with an image held back, Connect opens on the click and closes (CDN page); once the image arrives, the vendor prints nothing", async ({
    page,
    demoUrl,
    problems: _problems,
  }) => {
    const held: Route[] = [];
    await page.route("**/held-back.svg", (route) => void held.push(route));
    // Added before `load`, the image holds the page's `load` event back for as long as it loads.
    await page.addInitScript(() =>
      document.addEventListener("DOMContentLoaded", () => {
        const image = document.createElement("img");
        image.src = "/held-back.svg";
        image.alt = "";
        document.body.append(image);
      }),
    );
    // The default, waiting for `load`, would wait for ever.
    await page.goto(`${demoUrl}/`, { waitUntil: "domcontentloaded" });
    await expect(page.locator("html[data-ready=true]")).toBeAttached();
    await expect(page.getByTestId("user")).toHaveText(/^demo-[0-9a-f]{8}$/);
    await expect.poll(() => held.length).toBe(1);
    await page.getByRole("button", { name: "Connect your health data" }).click();
    await expect(connectFrame(page).getByRole("heading", { name: "Connect your health data" })).toBeVisible();
    await closeConnect(page);
    await expect(page.getByTestId("status")).toContainText("Connect closed: SUCCESS");
    expect(await page.evaluate(() => document.readyState)).toBe("interactive");
    // The vendor's `load` listener, were it there, would now warn about a missing .hapi__token-container.
    for (const route of held)
      await route.fulfill({ contentType: "image/svg+xml", body: '<svg xmlns="http://www.w3.org/2000/svg"/>' });
    await page.waitForFunction(() => document.readyState === "complete");
  });
});
