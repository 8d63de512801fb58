import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { closeConnect } from "../src/testing/index";
import { connectFrame, expect, openDemo, test } from "./fixtures";

// axe-core on the demo pages, with Connect closed and open: no violation in the page's own DOM,
// shadow roots included (the <human-connect> button's). Connect's cross-origin frame is the
// vendor's (the sandbox's here), so it is left out.

/** Each page, and the name of a button that opens Connect on it. */
const PAGES = [
  { path: "/", opener: "Connect your health data" },
  { path: "/", opener: "Connect with <human-connect>" },
  { path: "/esm.html", opener: "Connect with <human-connect>" },
  { path: "/react.html", opener: "Connect your health data" },
  { path: "/integrator.html", opener: "Connect" },
];

/** Opens `path` once its script has run; the integrator's page has a user signed in first, as its app would. */
async function visit(page: Page, demoUrl: string, path: string): Promise<void> {
  if (path !== "/integrator.html") return openDemo(page, demoUrl, path);
  await page.request.post(`${demoUrl}/api/sign-in`, { data: { as: "new" } });
  await page.goto(`${demoUrl}${path}`);
  await expect(page.getByRole("button", { name: "Connect", exact: true })).toBeEnabled();
}

/** axe's violations in the page's own DOM, each with the rule, its impact and the elements at fault. */
async function violations(page: Page): Promise<Array<{ rule: string; impact: unknown; help: string; at: unknown[] }>> {
  const results = await new AxeBuilder({ page }).exclude("#human-api").analyze();
  return results.violations.map((v) => ({
    rule: v.id,
    impact: v.impact,
    help: v.help,
    at: v.nodes.map((node) => node.target),
  }));
}

test.describe("axe-core on the demo pages", () => {
  for (const path of new Set(PAGES.map((p) => p.path))) {
    test(`${path} with Connect closed has no violation`, async ({ page, demoUrl, problems }) => {
      await visit(page, demoUrl, path);
      expect(await violations(page)).toEqual([]);
      expect(problems.list).toEqual([]);
    });
  }

  for (const { path, opener } of PAGES) {
    test(`${path} with Connect open (from "${opener}") has no violation outside Connect's frame`, async ({
      page,
      demoUrl,
      problems,
    }) => {
      await visit(page, demoUrl, path);
      await page.getByRole("button", { name: opener, exact: true }).click();
      await expect(connectFrame(page).getByRole("heading", { name: "Connect your health data" })).toBeVisible();
      expect(await violations(page)).toEqual([]);
      await closeConnect(page);
      expect(problems.list).toEqual([]);
    });
  }
});
