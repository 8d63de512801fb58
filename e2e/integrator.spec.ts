import { closeConnect, connectInSandbox } from "../src/testing/index";
import { backendState, expect, test } from "./fixtures";

// The integrator example (examples/integrator), bundled against the built package and served by
// the demo at /integrator.html, driven against the sandbox with the testing kit's helpers only.
test.describe("the integrator's app against the sandbox", () => {
  test.beforeEach(async ({ page, demoUrl }) => {
    // Signs a new user in (the demo backend's cookie), as the app's own sign-in would.
    await page.request.post(`${demoUrl}/api/sign-in`, { data: { as: "new" } });
    await page.goto(`${demoUrl}/integrator.html`);
  });

  test("connecting two providers lists both, and the backend fetches its access token after close", async ({
    page,
    demoUrl,
    problems,
  }) => {
    await page.getByRole("button", { name: "Connect" }).click();
    await connectInSandbox(page, { providers: ["Starfleet Pharmacy", "Cleveland Clinic"] });
    await expect(page.getByRole("status")).toHaveText("2 sources connected.");
    await expect(
      page.getByRole("button", { name: "Connect" }),
      "focus back on the button after the close",
    ).toBeFocused();
    await expect(page.getByRole("list", { name: "Connected sources" }).getByRole("listitem")).toHaveText([
      "Starfleet Pharmacy",
      "Cleveland Clinic",
    ]);
    const state = await backendState(page, demoUrl);
    expect(state.connections.map((c) => c.name).sort()).toEqual(["Cleveland Clinic", "Starfleet Pharmacy"]);
    expect(state.issued.map((issued) => issued.kind)).toContain("access");
    expect(problems.list, "no console error or CSP violation in the app's page").toEqual([]);
  });

  test("closing Connect without connecting anything leaves the list empty and the button usable", async ({ page }) => {
    await page.getByRole("button", { name: "Connect" }).click();
    await closeConnect(page);
    await expect(page.getByRole("status")).toHaveText("0 sources connected.");
    await expect(page.getByRole("button", { name: "Connect" })).toBeFocused();
  });
});
