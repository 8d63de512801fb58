// How this project launches Chromium (Playwright tests and the bench): Debian's chromium from
// CHROMIUM_PATH or /usr/bin/chromium, else Playwright's own. Without the background-networking
// flags Chromium floods the closed network with refused connections.
import { existsSync } from "node:fs";

export const chromiumLaunchOptions = {
  executablePath: process.env.CHROMIUM_PATH ?? (existsSync("/usr/bin/chromium") ? "/usr/bin/chromium" : undefined),
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
};
