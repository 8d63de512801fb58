import { afterEach, expect, vi } from "vitest";
import { createConnect, type Connect } from "../../src/index";
import { fakeApp } from "./dom";

// Shared by the jsdom test files that open Connect; importing this registers their set-up.
const live: Connect[] = [];

afterEach(() => {
  for (const connect of live.splice(0)) connect.destroy();
  document.body.innerHTML = "";
  vi.restoreAllMocks();
});

/**
 * A connect object that is destroyed after the test, with the page emptied.
 * @default options `{ token: "tok-fixed" }`
 * @example const connect = make({ getToken: () => "tok" });
 */
export function make(options: Parameters<typeof createConnect>[0] = { token: "tok-fixed" }): Connect {
  const connect = createConnect(options);
  live.push(connect);
  return connect;
}

/** Waits one macrotask, so that queued messages and promise reactions have run. */
export const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

/** Shows that the page is free: a new connect object opens Connect and resolves with Connect's close. */
export async function aNewObjectOpensAndCloses(): Promise<void> {
  const app = fakeApp();
  const result = make().open();
  await app.waitForOpen();
  app.close();
  await expect(result).resolves.toMatchObject({ status: "SUCCESS" });
}
