// Browser helpers that drive the sandbox's Connect screens (src/sandbox/app/app.js) from Playwright.
// Typed structurally: importing them needs no Playwright package, and any version with this surface fits.

/** The part of a Playwright `Locator` the helpers use. */
export interface SandboxLocator {
  fill(value: string, options: { timeout: number }): Promise<void>;
  click(options: { timeout: number }): Promise<void>;
  waitFor(options: { state: "visible" | "detached"; timeout: number }): Promise<void>;
  dispatchEvent(type: "click", eventInit: undefined, options: { timeout: number }): Promise<void>;
  first(): SandboxLocator;
}

/** The part of a Playwright `FrameLocator` the helpers use. */
export interface SandboxFrame {
  getByLabel(text: string, options: { exact: boolean }): SandboxLocator;
  getByRole(role: "button" | "alert", options?: { name: string; exact: boolean }): SandboxLocator;
}

/** The part of a Playwright `Page` the helpers use: a Playwright `Page` fits as it is. */
export interface SandboxPage {
  frameLocator(selector: string): SandboxFrame;
  locator(selector: string): SandboxLocator;
}

/** Options of the sandbox helpers. */
export interface SandboxStepOptions {
  /**
   * How long each step may wait for its screen, in milliseconds.
   * @default 10000
   */
  timeoutMs?: number;
}

/** Options of {@link connectInSandbox}. */
export interface ConnectInSandboxOptions extends SandboxStepOptions {
  /** The providers to connect, by their names in the sandbox's list, in order. */
  providers: string[];
  /**
   * The username typed at each sign-in (the sandbox takes any).
   * @default "ada"
   */
  username?: string;
  /**
   * The password typed at each sign-in (any but "wrong" succeeds).
   * @default "secret"
   */
  password?: string;
  /**
   * Leave Connect open after the last provider (to look at its screen), then call {@link closeConnect}.
   * @default false
   */
  keepOpen?: boolean;
}

/**
 * What a sandbox helper rejects with when a step did not happen: `step` names it, as the message does.
 * @example
 * ```ts
 * await expect(connectInSandbox(page, { providers: ["Nowhere"] })).rejects.toMatchObject({ code: "SANDBOX_STEP_FAILED" });
 * ```
 */
export class SandboxStepError extends Error {
  /** Always `"SANDBOX_STEP_FAILED"`. */
  readonly code = "SANDBOX_STEP_FAILED";

  constructor(
    /** The step that did not happen, as in "the sign-in for Starfleet Pharmacy did not finish". */
    readonly step: string,
    cause: unknown,
  ) {
    // Only the first line of Playwright's message: its call log can hold typed values.
    super(
      `${step}: ${String((cause as Error)?.message).split("\n")[0]} Check that Connect is open in the sandbox and shows that provider.`,
      {
        cause,
      },
    );
    this.name = "SandboxStepError";
  }
}

async function step(name: string, action: () => Promise<unknown>): Promise<void> {
  try {
    await action();
  } catch (error) {
    throw new SandboxStepError(name, error);
  }
}

const frameOf = (page: SandboxPage) => page.frameLocator("#human-api");
const button = (frame: SandboxFrame, name: string) => frame.getByRole("button", { name, exact: true });

/** Searches for `provider`, opens its sign-in and signs in; `who` starts every failure's message. */
async function signIn(
  page: SandboxPage,
  who: string,
  provider: string,
  username: string,
  password: string,
  timeout: number,
) {
  const frame = frameOf(page);
  const field = (label: string) => frame.getByLabel(label, { exact: true });
  await step(`${who}: the search box did not appear`, () => field("Search providers").fill(provider, { timeout }));
  await step(`${who}: the "Connect ${provider}" button did not appear`, () =>
    button(frame, `Connect ${provider}`).click({ timeout }),
  );
  await step(`${who}: the sign-in form for ${provider} did not appear`, async () => {
    await field("Username").fill(username, { timeout });
    await field("Password").fill(password, { timeout });
    await button(frame, "Sign in").click({ timeout });
  });
}

/**
 * Closes the open Connect with its Close button and waits until the page removed its iframe.
 * @example
 * ```ts
 * await closeConnect(page);
 * await expect(page.getByText("Connect closed")).toBeVisible();
 * ```
 */
export async function closeConnect(page: SandboxPage, { timeoutMs: timeout = 10_000 }: SandboxStepOptions = {}) {
  const close = button(frameOf(page), "Close").first();
  await step("closeConnect: the Close button did not appear", () => close.waitFor({ state: "visible", timeout }));
  // A click event dispatched in the frame: Connect's close removes that frame at once, and a
  // click() from Playwright could then wait for the frame it left until its timeout (seen on a
  // loaded machine). A press the app did not take yet (its screen re-rendering) is pressed again.
  await step("closeConnect: the page did not remove Connect", async () => {
    for (let attempt = 1; ; attempt++) {
      await close.dispatchEvent("click", undefined, { timeout: timeout / 3 }).catch(() => undefined);
      try {
        return await page.locator("#human-api").waitFor({ state: "detached", timeout: timeout / 3 });
      } catch (error) {
        if (attempt === 3) throw error;
      }
    }
  });
}

/**
 * In the open Connect, connects each provider (search, sign in, wait until it shows as connected), then closes it
 * (unless `keepOpen`).
 * @example
 * ```ts
 * await page.getByRole("button", { name: "Connect your health data" }).click();
 * await connectInSandbox(page, { providers: ["Starfleet Pharmacy", "Cleveland Clinic"] });
 * ```
 */
export async function connectInSandbox(page: SandboxPage, options: ConnectInSandboxOptions) {
  const { providers, username = "ada", password = "secret", keepOpen, timeoutMs: timeout = 10_000 } = options;
  for (const provider of providers) {
    await signIn(page, "connectInSandbox", provider, username, password, timeout);
    await step(`connectInSandbox: the sign-in for ${provider} did not finish`, () =>
      button(frameOf(page), `Disconnect ${provider}`).waitFor({ state: "visible", timeout }),
    );
  }
  if (!keepOpen) await closeConnect(page, { timeoutMs: timeout });
}

/**
 * In the open Connect, signs in to `provider` with the sandbox's failing password and waits for its alert;
 * Connect stays on the sign-in form.
 * @example
 * ```ts
 * await failSignIn(page, "Starfleet Pharmacy");
 * ```
 */
export async function failSignIn(
  page: SandboxPage,
  provider: string,
  { timeoutMs: timeout = 10_000 }: SandboxStepOptions = {},
) {
  await signIn(page, "failSignIn", provider, "ada", "wrong", timeout);
  await step(`failSignIn: the failed sign-in for ${provider} was not shown`, () =>
    frameOf(page).getByRole("alert").waitFor({ state: "visible", timeout }),
  );
}
