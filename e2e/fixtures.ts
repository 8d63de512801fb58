import { expect, test as base, type FrameLocator, type Page } from "@playwright/test";
import { connectInSandbox } from "../src/testing/index";

export interface Problems {
  /** Console errors, uncaught exceptions and CSP violations, in every frame. */
  list: string[];
  /** Console messages matching these are expected in this test (say, a refused request). */
  allow: RegExp[];
}

export const test = base.extend<{ problems: Problems; demoUrl: string }>({
  // eslint-disable-next-line no-empty-pattern -- Playwright fixtures take their dependencies as a pattern
  demoUrl: async ({}, use) => {
    const url = process.env.DEMO_URL;
    if (!url)
      throw new Error("DEMO_URL is not set: run through playwright.config.ts (its globalSetup starts the demo)");
    await use(url);
  },
  problems: async ({ page }, use) => {
    const problems: Problems = { list: [], allow: [] };
    page.on("console", (message) => {
      if (message.type() === "error" || message.type() === "warning")
        problems.list.push(`console.${message.type()}: ${message.text()}`);
    });
    page.on("pageerror", (error) => problems.list.push(`uncaught: ${error.message}`));
    await page.exposeFunction("__reportViolation", (text: string) => problems.list.push(`csp: ${text}`));
    await page.addInitScript(() => {
      document.addEventListener("securitypolicyviolation", (event) => {
        (window as unknown as { __reportViolation(t: string): void }).__reportViolation(
          `${event.violatedDirective} ${event.blockedURI}`,
        );
      });
    });
    await use(problems);
    // Violation reports and console messages arrive asynchronously: let them land first.
    if (!page.isClosed())
      await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 100))).catch(() => undefined);
    const unexpected = problems.list.filter((line) => !problems.allow.some((pattern) => pattern.test(line)));
    expect(unexpected, "console errors, uncaught exceptions or CSP violations").toEqual([]);
  },
});

export { expect };

/** Opens the demo page (CDN by default) and waits until its script is ready. */
export async function openDemo(page: Page, demoUrl: string, path = "/"): Promise<void> {
  await page.goto(`${demoUrl}${path}`);
  await expect(page.locator("html[data-ready=true]")).toBeAttached();
  await expect(page.getByTestId("user")).toHaveText(/^demo-[0-9a-f]{8}$/);
}

export function connectFrame(page: Page): FrameLocator {
  return page.frameLocator("#human-api");
}

/** Opens Connect from the demo page, connects one provider with the testing kit, and waits for the result. */
export async function connectAndClose(page: Page, name: string): Promise<void> {
  await page.getByRole("button", { name: "Connect your health data" }).click();
  await connectInSandbox(page, { providers: [name] });
  await expect(page.getByTestId("status")).toContainText("Connect closed: SUCCESS");
}

/** What the demo backend holds for the signed-in user (kinds of tokens it got, never their values). */
export async function backendState(
  page: Page,
  demoUrl: string,
): Promise<{
  userId: string;
  issued: Array<{ kind: string; expiresIn: number }>;
  connections: Array<{ id: string; name: string }>;
}> {
  const response = await page.request.post(`${demoUrl}/api/me`);
  return response.json();
}
