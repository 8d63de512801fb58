import type { Page } from "@playwright/test";
import { closeConnect, connectInSandbox, failSignIn, SandboxStepError } from "../src/testing/index";
import { connectFrame, expect, openDemo, test } from "./fixtures";

// The testing kit's browser helpers, when the sandbox does not show what they wait for.
test.describe("the testing kit's sandbox helpers name the step that did not happen", () => {
  test.beforeEach(async ({ page, demoUrl }) => {
    await openDemo(page, demoUrl);
    await page.getByRole("button", { name: "Connect your health data" }).click();
    await expect(connectFrame(page).getByRole("heading", { name: "Connect your health data" })).toBeVisible();
  });

  const cases: Array<[string, (page: Page) => Promise<void>, string]> = [
    [
      "connectInSandbox with a provider the sandbox does not list",
      (page) => connectInSandbox(page, { providers: ["Nowhere Clinic"], timeoutMs: 1000 }),
      'connectInSandbox: the "Connect Nowhere Clinic" button did not appear',
    ],
    [
      "connectInSandbox whose sign-in fails",
      (page) => connectInSandbox(page, { providers: ["Starfleet Pharmacy"], password: "wrong", timeoutMs: 1000 }),
      "connectInSandbox: the sign-in for Starfleet Pharmacy did not finish",
    ],
    [
      "failSignIn with a provider the sandbox does not list",
      (page) => failSignIn(page, "Nowhere Clinic", { timeoutMs: 1000 }),
      'failSignIn: the "Connect Nowhere Clinic" button did not appear',
    ],
  ];
  for (const [name, run, step] of cases) {
    test(`${name} rejects naming its step`, async ({ page }) => {
      const error: unknown = await run(page).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SandboxStepError);
      expect(error).toMatchObject({ code: "SANDBOX_STEP_FAILED", step });
      expect((error as Error).message).toMatch(new RegExp(`^${step}: .*Timeout 1000ms exceeded`));
      expect((error as Error).message).toContain("Check that Connect is open");
      expect((error as Error).message).not.toContain("wrong");
      await closeConnect(page);
    });
  }

  test("failSignIn waits for the sandbox's alert and leaves the sign-in form open", async ({ page }) => {
    await failSignIn(page, "Starfleet Pharmacy");
    await expect(connectFrame(page).getByRole("alert")).toContainText("Wrong username or password");
    await expect(connectFrame(page).getByRole("heading", { name: "Sign in to Starfleet Pharmacy" })).toBeVisible();
    await closeConnect(page);
  });
});
