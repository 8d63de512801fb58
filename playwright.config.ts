import { defineConfig } from "@playwright/test";
// Debian's Chromium (installed by .ci/run); no test tool downloads a browser here.
import { chromiumLaunchOptions } from "./e2e/chromium.mjs";

export default defineConfig({
  testDir: "e2e",
  timeout: 30_000,
  expect: { timeout: 10_000 },
  workers: 2,
  reporter: process.env.CI ? [["list"]] : [["list"]],
  // Starts the sandbox and the demo backend on free ports (see e2e/global-setup.ts).
  globalSetup: "./e2e/global-setup.ts",
  use: {
    headless: true,
    screenshot: "only-on-failure",
    trace: "off",
    launchOptions: chromiumLaunchOptions,
  },
  projects: [{ name: "chromium", use: { browserName: "chromium" } }],
});
