import type { ConsoleMessage, Page } from "@playwright/test";
import { closeConnect, connectInSandbox } from "../src/testing/index";
import { connectFrame, expect, test } from "./fixtures";
import { useThirdPartyOrigin } from "./third-party";

// The vendor's README and guide as written (demo/public/drop-in.html), served twice by the demo:
// with the vendor's own file and with our drop-in (dist/humanconnect-kit.compat.min.js). Each flaw
// is shown real with the vendor's file (so each test can fail) and gone with ours.
const VENDOR = {
  client: "the vendor's file",
  path: "/drop-in-vendor.html",
  script: "/vendor/humanapi-connect-client.js",
};
const OURS = { client: "our drop-in", path: "/drop-in.html", script: "/humanconnect-kit.compat.min.js" };
type DropInPage = typeof VENDOR;

const DEPRECATION = "Deprecation notice: The HumanConnect.open() method will be removed in the future.";
const NO_CONTAINER = "Couldn't find element with class hapi__token-container, event listener will not be bound";

/** A pattern for the problems fixture: the line `text` starts with, and nothing else. */
const startingWith = (text: string) => new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`);

/** One line the page printed: its console type, its text, and its second argument (the payload) as JSON. */
interface Printed {
  type: string;
  text: string;
  payload: Promise<unknown>;
}

/** Records what the page prints from now on (its own `console.log("close", response)` lines). */
function printed(page: Page): Printed[] {
  const lines: Printed[] = [];
  page.on("console", (message: ConsoleMessage) => {
    const payload = message.args()[1]?.jsonValue() ?? Promise.resolve(undefined);
    payload.catch(() => undefined);
    lines.push({ type: message.type(), text: message.text(), payload });
  });
  return lines;
}

/** Resolves once every console message the page printed so far has reached the test: they arrive in order. */
async function consoleSettled(page: Page): Promise<void> {
  const marker = `console settled ${Math.random()}`;
  await Promise.all([
    page.waitForEvent("console", { predicate: (message) => message.text() === marker }),
    page.evaluate((text) => console.log(text), marker),
  ]);
}

/** The payloads of the lines that start with `label` (as `console.log(label, response)` prints). */
const payloads = (lines: Printed[], label: string) =>
  Promise.all(lines.filter((line) => line.text.startsWith(`${label} `)).map((line) => line.payload));

/** Signs a new user in (the demo's cookie) and opens the page, whose token the server renders for them. */
async function openAsNewUser(page: Page, demoUrl: string, { path }: DropInPage): Promise<void> {
  await page.request.post(`${demoUrl}/api/sign-in`, { data: { as: "new" } });
  // Resolves after `load`: the vendor's file binds its buttons from a `load` listener.
  await page.goto(`${demoUrl}${path}`);
}

const readmeButton = (page: Page) => page.locator(".hapi__token-container [data-hapi-token]").first();

/** The token in the open Connect's iframe URL. */
async function tokenInConnect(page: Page): Promise<string | null> {
  const src = await page.locator("#human-api").getAttribute("src");
  return new URL(src!).searchParams.get("token");
}

/** `click` listeners on what `expression` evaluates to, counted by Chromium's DevTools (every one, however added). */
async function clickListeners(page: Page, expression: string): Promise<number> {
  const cdp = await page.context().newCDPSession(page);
  try {
    const { result } = await cdp.send("Runtime.evaluate", { expression });
    const { listeners } = await cdp.send("DOMDebugger.getEventListeners", { objectId: result.objectId! });
    return listeners.filter((listener) => listener.type === "click").length;
  } finally {
    await cdp.detach();
  }
}

test.describe("the vendor's README page, with the vendor's file and with our drop-in", () => {
  // Engages the problems fixture in every test: it fails a test on any console error or warning
  // the test does not allow (only the vendor's own, in the vendor's runs).
  test.beforeEach(({ problems }) => expect(problems.list).toEqual([]));

  test("the same clicks give the same connect and close payloads, and the guide's V1 open({ onClose }) warns only with the vendor's file", async ({
    page,
    demoUrl,
    problems,
  }) => {
    problems.allow.push(startingWith(`console.warning: ${DEPRECATION}`));
    const lines = printed(page);
    const seen: Record<string, { connect: unknown[]; close: unknown[]; v1Close: unknown[]; warnings: string[] }> = {};
    for (const row of [VENDOR, OURS]) {
      lines.length = 0;
      await openAsNewUser(page, demoUrl, row);
      // The README's button: V2, the HumanConnect.on() listeners print the payloads.
      await page.getByRole("button", { name: "Open Connect" }).click();
      await connectInSandbox(page, { providers: ["Starfleet Pharmacy"] });
      // The guide's button: V1, its onClose prints the payload.
      await page.getByRole("button", { name: "Connect your health data" }).click();
      // Connect shows its Close before the user's connections arrive: close once they are there.
      await expect(connectFrame(page).getByRole("button", { name: "Disconnect Starfleet Pharmacy" })).toBeVisible();
      await closeConnect(page);
      await consoleSettled(page);
      seen[row.client] = {
        connect: await payloads(lines, "connect"),
        close: await payloads(lines, "close"),
        v1Close: await payloads(lines, "user closed connect"),
        warnings: lines.filter((line) => line.type === "warning").map((line) => line.text),
      };
    }
    const vendor = seen[VENDOR.client]!;
    const ours = seen[OURS.client]!;

    const starfleet = { id: "5b1daf3f079c652eaf41fd23", name: "Starfleet Pharmacy" };
    const session = {
      sessionResults: { connectedSources: [starfleet], disconnectedSources: [], requestedSources: [] },
      currentConnections: [starfleet],
      requestedProviders: [],
    };
    // The vendor passes Connect's message itself to the V2 listeners, `type` included (a key its
    // README's payload does not show); ours does the same. V1 callbacks get it without `type`.
    expect(ours.connect).toEqual([{ type: "hapi-connect-connect-source", status: "CONNECTED_SOURCE", ...session }]);
    expect(ours.close).toEqual([{ type: "hapi-connect-close", status: "SUCCESS", ...session }]);
    expect(ours.v1Close).toEqual([
      {
        status: "SUCCESS",
        sessionResults: { connectedSources: [], disconnectedSources: [], requestedSources: [] },
        currentConnections: [starfleet],
        requestedProviders: [],
      },
    ]);
    expect(vendor.connect).toEqual(ours.connect);
    expect(vendor.close).toEqual(ours.close);
    expect(vendor.v1Close).toEqual(ours.v1Close);

    expect(vendor.warnings).toEqual([expect.stringContaining(DEPRECATION)]);
    expect(ours.warnings, "no deprecation warning for the guide's open({ onClose })").toEqual([]);
  });

  test.describe("a frame from a third origin", () => {
    const addThirdPartyFrame = useThirdPartyOrigin();

    for (const row of [
      { ...VENDOR, after: { connectOpen: 0, closes: [{ type: "hapi-connect-close" }] } },
      { ...OURS, after: { connectOpen: 1, closes: [] } },
    ]) {
      test(`posting { type: "hapi-connect-close" }: ${row.client} ${row.after.connectOpen ? "keeps Connect open" : "closes Connect"}`, async ({
        page,
        demoUrl,
      }) => {
        const lines = printed(page);
        await openAsNewUser(page, demoUrl, row);
        const attacker = await addThirdPartyFrame(page);
        await page.getByRole("button", { name: "Open Connect" }).click();
        await expect(connectFrame(page).getByRole("heading", { name: "Connect your health data" })).toBeVisible();

        // The marker comes after the fake close from the same frame: once the page has it, every
        // message listener (the vendor's or ours) has handled the fake close.
        await page.evaluate(() => {
          (window as unknown as { markerSeen: Promise<void> }).markerSeen = new Promise((resolve) =>
            window.addEventListener("message", (event) => event.data?.marker && resolve()),
          );
        });
        await attacker.evaluate(() => {
          window.parent.postMessage({ type: "hapi-connect-close" }, "*");
          window.parent.postMessage({ marker: "after the fake close" }, "*");
        });
        await page.evaluate(() => (window as unknown as { markerSeen: Promise<void> }).markerSeen);
        await consoleSettled(page);
        expect({
          connectOpen: await page.locator("#human-api").count(),
          closes: await payloads(lines, "close"),
        }).toEqual(row.after);

        if (row.after.connectOpen) {
          // Still the user's Connect: its own Close gives the real payload.
          await closeConnect(page);
          await consoleSettled(page);
          expect(await payloads(lines, "close")).toEqual([expect.objectContaining({ status: "SUCCESS" })]);
        }
      });
    }
  });

  for (const row of [
    { ...VENDOR, opens: false },
    { ...OURS, opens: true },
  ]) {
    test(`a button with data-hapi-token added to the container after load: ${row.client} ${row.opens ? "opens" : "does not open"} Connect`, async ({
      page,
      demoUrl,
    }) => {
      await openAsNewUser(page, demoUrl, row);
      const token = await readmeButton(page).getAttribute("data-hapi-token");
      const late = await page.evaluate(() => {
        const first = document.querySelector(".hapi__token-container [data-hapi-token]")!;
        const button = first.cloneNode(true) as HTMLElement;
        button.textContent = "Open Connect (added later)";
        first.parentElement!.append(button);
        return button.textContent;
      });
      // Dispatched in one task: when click() returns, every listener has run, and the vendor's
      // would have added Connect's iframe synchronously.
      await page.getByRole("button", { name: late }).evaluate((button: HTMLElement) => button.click());
      if (row.opens) {
        await expect(connectFrame(page).getByRole("heading", { name: "Connect your health data" })).toBeVisible();
        expect(await tokenInConnect(page)).toBe(token);
        await closeConnect(page);
      } else {
        await expect(page.locator("#human-api")).toHaveCount(0);
      }
    });
  }

  for (const row of [
    { ...VENDOR, listeners: { button: 4, document: 0 } },
    { ...OURS, listeners: { button: 0, document: 1 } },
  ]) {
    test(`changing data-hapi-token three times leaves ${row.listeners.button} click listeners on the button and ${row.listeners.document} on document with ${row.client}; the click opens Connect with the last token`, async ({
      page,
      demoUrl,
    }) => {
      await openAsNewUser(page, demoUrl, row);
      const first = await readmeButton(page).getAttribute("data-hapi-token");
      const response = await page.request.post(`${demoUrl}/api/connect-token`);
      const { token: last } = (await response.json()) as { token: string };
      expect(last, "a new token, so the test can tell the last from the first").not.toBe(first);
      // One change per task, as a page re-rendering its button would make them.
      for (const token of ["stale-token-1", "stale-token-2", last]) {
        await readmeButton(page).evaluate((button, value) => button.setAttribute("data-hapi-token", value), token);
      }
      expect({
        button: await clickListeners(page, 'document.querySelector(".hapi__token-container [data-hapi-token]")'),
        document: await clickListeners(page, "document"),
      }).toEqual(row.listeners);

      await readmeButton(page).click();
      await expect(connectFrame(page).getByRole("heading", { name: "Connect your health data" })).toBeVisible();
      expect(await tokenInConnect(page)).toBe(last);
      await closeConnect(page);
    });
  }

  for (const row of [
    { ...VENDOR, printed: [`console.warning: ${NO_CONTAINER}`, `console.error: error ${NO_CONTAINER}`] },
    { ...OURS, printed: [] },
  ]) {
    test(`a page of the same site without a token container: ${row.client} prints ${row.printed.length ? "a warning and an error" : "nothing"}`, async ({
      page,
      demoUrl,
      problems,
    }) => {
      problems.allow.push(...row.printed.map(startingWith));
      // A page of the demo's origin with the client and the README's listeners, as a site-wide layout has them.
      const path = "/drop-in-no-container.html";
      await page.route(`${demoUrl}${path}`, (route) =>
        route.fulfill({
          contentType: "text/html; charset=utf-8",
          headers: { "Content-Security-Policy": "default-src 'self'; script-src 'self'" },
          body: `<!doctype html><html lang="en"><head><meta charset="utf-8" /><title>No Connect here</title>
            <script src="${row.script}"></script></head>
            <body><p>A page without Connect.</p><script src="/drop-in-listeners.js"></script></body></html>`,
        }),
      );
      await page.goto(`${demoUrl}${path}`);
      await consoleSettled(page);
      expect(problems.list).toEqual(row.printed);
    });
  }

  for (const row of [
    { ...VENDOR, coreJs: true },
    { ...OURS, coreJs: false },
  ]) {
    test(`__core-js_shared__ on the page after Connect opened and closed: ${row.coreJs ? "there" : "not there"} with ${row.client}`, async ({
      page,
      demoUrl,
    }) => {
      await openAsNewUser(page, demoUrl, row);
      await page.getByRole("button", { name: "Open Connect" }).click();
      await closeConnect(page);
      expect(await page.evaluate(() => "__core-js_shared__" in globalThis)).toBe(row.coreJs);
    });
  }

  for (const row of [VENDOR, OURS]) {
    test(`a page's own click guard on the button keeps Connect closed with ${row.client}, and the next press opens it once`, async ({
      page,
      demoUrl,
    }) => {
      const lines = printed(page);
      // A consent check, from the page's own script (before `load`, where the vendor binds its listener).
      await page.addInitScript(() => {
        (window as unknown as { consent: boolean }).consent = false;
        document.addEventListener("DOMContentLoaded", () => {
          // In every frame the page opens too (Connect's among them): only where the button is.
          document.querySelector(".hapi__token-container [data-hapi-token]")?.addEventListener("click", (event) => {
            if (!(window as unknown as { consent: boolean }).consent) event.stopImmediatePropagation();
          });
        });
      });
      await openAsNewUser(page, demoUrl, row);
      await readmeButton(page).click();
      await consoleSettled(page);
      await expect(page.locator("#human-api")).toHaveCount(0);
      await page.evaluate(() => ((window as unknown as { consent: boolean }).consent = true));
      // Enter twice on the focused button: one Connect, and no error printed by the page's listener.
      await readmeButton(page).focus();
      await page.keyboard.press("Enter");
      await page.keyboard.press("Enter");
      await expect(connectFrame(page).getByRole("heading", { name: "Connect your health data" })).toBeVisible();
      await closeConnect(page);
      await consoleSettled(page);
      expect(lines.filter((line) => line.text.startsWith("error "))).toEqual([]);
      expect(await payloads(lines, "close")).toHaveLength(1);
    });
  }
});
