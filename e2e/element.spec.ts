import type { Page } from "@playwright/test";
import { closeConnect, connectInSandbox } from "../src/testing/index";
import { connectFrame, expect, openDemo, test } from "./fixtures";

// <human-connect> on the demo pages, against the sandbox, served with the strict CSP: each test
// takes the `problems` fixture, which fails it on a console error or a CSP violation.

const LABEL = "Connect with <human-connect>";

/** One hc-* event as a listener saw it: where it was heard, on what, and its detail's gist. */
interface Heard {
  type: string;
  /** The event's target where it was heard (retargeted to the shadow host outside a shadow root). */
  target: string;
  /** The element that fired it: the first node of its composed path. */
  origin: string;
  status?: string;
  code?: string;
  connected?: string[];
  hasIframe?: boolean;
}

declare global {
  interface Window {
    heard: Heard[];
  }
}

/**
 * Records every hc-* event heard on `document`, or on the elements `selector` finds now, in
 * `window.heard`.
 */
async function listen(page: Page, selector?: string): Promise<void> {
  await page.evaluate((selector) => {
    const name = (node: EventTarget | null) =>
      node instanceof Element ? `${node.localName}${node.id ? `#${node.id}` : ""}` : String(node);
    window.heard = [];
    const targets = selector ? [...document.querySelectorAll(selector)] : [document];
    for (const target of targets)
      for (const type of ["hc-open", "hc-connect", "hc-disconnect", "hc-close", "hc-error"])
        target.addEventListener(type, (event) => {
          const detail = (event as CustomEvent).detail;
          window.heard.push({
            type,
            target: name(event.target),
            origin: name(event.composedPath()[0] ?? null),
            status: detail?.status,
            code: detail?.code,
            connected: detail?.connectedSources?.map((source: { name: string }) => source.name),
            hasIframe: detail?.iframe instanceof HTMLIFrameElement,
          });
        });
  }, selector);
}

const heard = (page: Page) => page.evaluate(() => window.heard);

/** Where {@link insertElement} puts a new element, and what it says. */
interface Insertion {
  label: string;
  id?: string;
  /** The id of a `<div>` whose open shadow root holds the element (made for it). */
  shadowHost?: string;
}

/** Adds a `<human-connect>` to `<main>` once the page has loaded, as an app would later. */
async function insertElement(page: Page, insertion: Insertion): Promise<void> {
  await page.evaluate(({ label, id, shadowHost }) => {
    const element = document.createElement("human-connect");
    if (id) element.id = id;
    element.setAttribute("token-url", "/api/connect-token");
    element.setAttribute("base-url", document.querySelector<HTMLMetaElement>('meta[name="connect-base-url"]')!.content);
    element.textContent = label;
    if (!shadowHost) return void document.querySelector("main")!.append(element);
    const host = document.createElement("div");
    host.id = shadowHost;
    host.attachShadow({ mode: "open" }).append(element);
    document.querySelector("main")!.append(host);
  }, insertion);
}

const heading = (page: Page) => connectFrame(page).getByRole("heading", { name: "Connect your health data" });

test.describe("<human-connect> on the demo pages", () => {
  for (const [path, build] of [
    ["/", "CDN file"],
    ["/esm.html", "ESM build, humanconnect-kit/element/define"],
  ] as const) {
    test(`(${build}) a click opens Connect; connecting a provider and closing fires hc-close with the result, logged by the page`, async ({
      page,
      demoUrl,
      problems,
    }) => {
      await openDemo(page, demoUrl, path);
      await listen(page);
      const element = page.locator("human-connect");
      const button = page.getByRole("button", { name: LABEL });
      await button.click();
      await expect(heading(page)).toBeVisible();
      await expect(element).toHaveAttribute("data-state", "open");
      await expect(button).toBeDisabled();
      await expect(button).toHaveAttribute("aria-busy", "true");

      await connectInSandbox(page, { providers: ["Starfleet Pharmacy"] });
      await expect(page.locator("#human-api, #human-api-connect-modal-overlay")).toHaveCount(0);
      await expect(element).toHaveAttribute("data-state", "idle");
      await expect(button).toBeEnabled();
      await expect(button).not.toHaveAttribute("aria-busy", "true");
      await expect(page.getByTestId("event-log").getByRole("listitem")).toHaveText([
        /<human-connect> hc-open$/,
        /<human-connect> hc-connect: Starfleet Pharmacy$/,
        /<human-connect> hc-close: SUCCESS, 1 source\(s\) connected$/,
      ]);
      const events = await heard(page);
      expect(events.map((event) => event.type)).toEqual(["hc-open", "hc-connect", "hc-close"]);
      expect(events[0]!.hasIframe).toBe(true);
      expect(events[2]).toMatchObject({ status: "SUCCESS", connected: ["Starfleet Pharmacy"] });
      expect(problems.list).toEqual([]);
    });
  }

  test("keyboard only: Tab to the element, Enter opens Connect, its Close button closes it, and focus is back on the element's button", async ({
    page,
    demoUrl,
    problems,
  }) => {
    await openDemo(page, demoUrl);
    const focused = () =>
      page.evaluate(() => {
        const host = document.activeElement;
        return (
          host?.localName === "human-connect" &&
          host.shadowRoot!.activeElement === host.shadowRoot!.querySelector("button")
        );
      });
    for (let presses = 0; presses < 12 && !(await focused()); presses++) await page.keyboard.press("Tab");
    expect(await focused(), "Tab reaches the element's button").toBe(true);

    await page.keyboard.press("Enter");
    await expect(heading(page)).toBeFocused();
    // The Close button comes before the heading in Connect's page.
    await page.keyboard.press("Shift+Tab");
    const close = connectFrame(page).getByRole("button", { name: "Close" });
    await expect(close).toBeFocused();
    // Enter acts on its keydown. Released only once Connect is gone: a key event sent to the
    // cross-origin frame while it is being removed can leave Playwright waiting forever.
    await page.keyboard.down("Enter");
    await expect(page.getByTestId("event-log")).toContainText("<human-connect> hc-close: SUCCESS");
    await page.keyboard.up("Enter");
    await expect(page.locator("#human-api")).toHaveCount(0);
    await expect(page.getByRole("button", { name: LABEL })).toBeFocused();
    expect(await focused(), "the host is document.activeElement, its button its shadow root's").toBe(true);
    expect(problems.list).toEqual([]);
  });

  test("removing the element while Connect is open closes Connect (nothing left) and fires hc-close CLOSED_BY_APP on the element; put back, it opens again", async ({
    page,
    demoUrl,
    problems,
  }) => {
    await openDemo(page, demoUrl);
    await listen(page, "human-connect");
    await page.getByRole("button", { name: LABEL }).click();
    await expect(heading(page)).toBeVisible();

    await page.evaluate(() => {
      const element = document.querySelector("human-connect")!;
      (window as unknown as { removed: Element }).removed = element;
      element.remove();
    });
    await expect(page.locator("#human-api, #human-api-connect-modal-overlay")).toHaveCount(0);
    await expect
      .poll(() => heard(page))
      .toEqual([
        expect.objectContaining({ type: "hc-open" }),
        expect.objectContaining({ type: "hc-close", status: "CLOSED_BY_APP", target: "human-connect" }),
      ]);

    await page.evaluate(() =>
      document.querySelector("main")!.append((window as unknown as { removed: Element }).removed),
    );
    await page.getByRole("button", { name: LABEL }).click();
    await expect(heading(page)).toBeVisible();
    await closeConnect(page);
    await expect(page.getByTestId("event-log")).toContainText("<human-connect> hc-close: SUCCESS");
    expect(problems.list).toEqual([]);
  });

  test("two elements: the second one's click while the first one's Connect is open fires hc-error ALREADY_OPEN on the second and disturbs nothing", async ({
    page,
    demoUrl,
    problems,
  }) => {
    await openDemo(page, demoUrl);
    await insertElement(page, { label: "The second element", id: "second" });
    await listen(page, "human-connect");
    const [first, second] = [page.locator("human-connect").first(), page.locator("human-connect#second")];
    await page.getByRole("button", { name: LABEL }).click();
    await expect(heading(page)).toBeVisible();

    // Connect's overlay covers the page: the click goes straight to the second element's button.
    await page.getByRole("button", { name: "The second element" }).dispatchEvent("click");
    await expect
      .poll(() => heard(page))
      .toEqual([
        expect.objectContaining({ type: "hc-open", target: "human-connect" }),
        expect.objectContaining({ type: "hc-error", code: "ALREADY_OPEN", target: "human-connect#second" }),
      ]);
    await expect(page.locator("#human-api")).toHaveCount(1);
    await expect(first).toHaveAttribute("data-state", "open");
    await expect(second).toHaveAttribute("data-state", "idle");

    await connectInSandbox(page, { providers: ["Cleveland Clinic"] });
    await expect
      .poll(async () => (await heard(page)).slice(2))
      .toEqual([
        expect.objectContaining({ type: "hc-connect", target: "human-connect" }),
        expect.objectContaining({ type: "hc-close", status: "SUCCESS", target: "human-connect" }),
      ]);
    await expect(second).toHaveAttribute("data-state", "idle");
    expect(problems.list).toEqual([]);
  });

  test("an element inserted after the page loaded opens Connect and reports its close", async ({
    page,
    demoUrl,
    problems,
  }) => {
    await openDemo(page, demoUrl);
    expect(await page.evaluate(() => document.readyState)).toBe("complete");
    await insertElement(page, { label: "Added later", id: "later" });
    await listen(page);
    await page.getByRole("button", { name: "Added later" }).click();
    await connectInSandbox(page, { providers: ["Vulcan Science Labs"] });
    await expect
      .poll(() => heard(page))
      .toEqual([
        expect.objectContaining({ type: "hc-open", target: "human-connect#later" }),
        expect.objectContaining({ type: "hc-connect", connected: ["Vulcan Science Labs"] }),
        expect.objectContaining({ type: "hc-close", status: "SUCCESS", target: "human-connect#later" }),
      ]);
    expect(problems.list).toEqual([]);
  });

  test("its content's whitespace leaves the default label, and the hidden attribute hides it", async ({
    page,
    demoUrl,
    problems,
  }) => {
    await openDemo(page, demoUrl);
    await page.evaluate(() => {
      document.body.insertAdjacentHTML("beforeend", '<human-connect id="blank" token="t">\n    </human-connect>');
    });
    await expect(page.locator("#blank").getByRole("button", { name: "Connect your health data" })).toBeVisible();
    await page.evaluate(() => document.getElementById("blank")!.setAttribute("hidden", ""));
    await expect(page.locator("#blank")).toBeHidden();
    expect(problems.list).toEqual([]);
  });

  test("a token-url changed between two opens: the second open asks the new URL", async ({
    page,
    demoUrl,
    problems,
  }) => {
    const asked: string[] = [];
    page.on("request", (request) => {
      const url = new URL(request.url());
      if (url.pathname === "/api/connect-token") asked.push(url.search);
    });
    await openDemo(page, demoUrl);
    await listen(page);
    const button = page.getByRole("button", { name: LABEL });
    await button.click();
    await expect(heading(page)).toBeVisible();
    await closeConnect(page);
    expect(asked).toEqual([""]);

    await page
      .locator("human-connect")
      .evaluate((element) => element.setAttribute("token-url", "/api/connect-token?scenario=expired"));
    await button.click();
    await expect(connectFrame(page).getByText("Status: SESSION_TOKEN_EXPIRED")).toBeVisible();
    expect(asked).toEqual(["", "?scenario=expired"]);
    await closeConnect(page);
    await expect
      .poll(async () => (await heard(page)).map((event) => `${event.type} ${event.code ?? event.status ?? ""}`.trim()))
      .toEqual([
        "hc-open",
        "hc-close SUCCESS",
        "hc-open",
        "hc-close SESSION_TOKEN_EXPIRED",
        "hc-error SESSION_TOKEN_EXPIRED",
      ]);
    expect(problems.list).toEqual([]);
  });

  test("the events bubble to document and cross a shadow root that holds the element", async ({
    page,
    demoUrl,
    problems,
  }) => {
    await openDemo(page, demoUrl);
    await insertElement(page, { label: "Inside a shadow root", shadowHost: "widget" });
    await listen(page);
    await page.getByRole("button", { name: "Inside a shadow root" }).click();
    await connectInSandbox(page, { providers: ["Starfleet Pharmacy"] });
    await expect
      .poll(() => heard(page))
      .toEqual([
        { type: "hc-open", target: "div#widget", origin: "human-connect", hasIframe: true },
        expect.objectContaining({ type: "hc-connect", target: "div#widget", origin: "human-connect" }),
        expect.objectContaining({ type: "hc-close", status: "SUCCESS", target: "div#widget", origin: "human-connect" }),
      ]);
    expect(problems.list).toEqual([]);
  });
});
