import { closeConnect, connectInSandbox } from "../src/testing/index";
import { backendState, connectFrame, expect, openDemo, test } from "./fixtures";

// The React page (demo/react): useHumanConnect from humanconnect-kit/react in React 19's
// StrictMode, bundled against the built package, served at /react.html by the demo.
test.describe("the React page against the sandbox", () => {
  test("connects a provider, closes, and shows the status, the connected sources and the last result, with no console error or CSP violation", async ({
    page,
    demoUrl,
    problems,
  }) => {
    const csp = (await page.request.get(`${demoUrl}/react.html`)).headers()["content-security-policy"];
    expect(csp).toBe(
      `default-src 'self'; script-src 'self'; frame-src ${process.env.CONNECT_ORIGIN}; style-src 'self'; img-src 'self' ${process.env.CONNECT_ORIGIN}`,
    );
    await openDemo(page, demoUrl, "/react.html");
    const button = page.getByRole("button", { name: "Connect your health data" });
    await button.click();
    await expect(connectFrame(page).getByRole("heading", { name: "Connect your health data" })).toBeVisible();
    await expect(button).toBeDisabled();
    await expect(page.getByTestId("status")).toHaveText("Opening Connect…");

    await connectInSandbox(page, { providers: ["Starfleet Pharmacy"] });
    await expect(page.getByTestId("status")).toHaveText(
      "Connect closed: SUCCESS. 1 source(s) connected in this session.",
    );
    await expect(page.locator("#human-api")).toHaveCount(0);
    await expect(button).toBeEnabled();
    // Disabled while Connect was open, enabled by React's re-render after the close: focus is back on it.
    await expect(button).toBeFocused();
    const result = JSON.parse(await page.getByTestId("session-result").innerText()) as {
      status: string;
      connectedSources: Array<{ name: string }>;
    };
    expect(result.status).toBe("SUCCESS");
    expect(result.connectedSources.map((source) => source.name)).toEqual(["Starfleet Pharmacy"]);
    await expect(page.getByTestId("connections")).toContainText("Starfleet Pharmacy");
    await expect(page.getByTestId("event-log").getByRole("listitem")).toHaveText([
      /open$/,
      /connect: Starfleet Pharmacy$/,
      /close: SUCCESS$/,
    ]);
    await expect(page.getByTestId("access-token")).toContainText("The backend now holds an access token");
    // One Connect token for one open() (StrictMode asks for no second), then the access token.
    expect((await backendState(page, demoUrl)).issued.map((issued) => issued.kind)).toEqual(["session", "access"]);
    expect(problems.list).toEqual([]);
  });

  test("the scenario menu makes the next open() fail as chosen, and a new user starts over", async ({
    page,
    demoUrl,
    problems,
  }) => {
    await openDemo(page, demoUrl, "/react.html");
    await page.getByLabel("Scenario").selectOption("expired");
    await page.getByRole("button", { name: "Connect your health data" }).click();
    await expect(connectFrame(page).getByText("Status: SESSION_TOKEN_EXPIRED")).toBeVisible();
    await closeConnect(page);
    await expect(page.getByTestId("status")).toContainText("Error SESSION_TOKEN_EXPIRED");
    await expect(page.getByTestId("event-log")).toContainText("error: SESSION_TOKEN_EXPIRED");
    await expect(page.getByTestId("session-result")).toContainText('"status": "SESSION_TOKEN_EXPIRED"');

    const before = await page.getByTestId("user").innerText();
    await page.getByLabel("User").selectOption("new");
    await expect(page.getByTestId("event-log")).toContainText("signed in as");
    await expect(page.getByTestId("user")).not.toHaveText(before);
    await expect(page.getByTestId("status")).toHaveText("Ready.");
    await expect(page.getByTestId("session-result")).toHaveText("(none yet)");
    expect(problems.list).toEqual([]);
  });
});
