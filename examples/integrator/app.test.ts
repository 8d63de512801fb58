// @vitest-environment jsdom
import { afterEach, describe, expect, test, vi } from "vitest";
import type { SessionResult, Source } from "../../src/index";
import { fakeConnectApp, source, type FakeConnectApp } from "../../src/testing/index";
import { startServer, type Reply } from "../../test/support/http";
import { mountConnectButton, type ConnectButton } from "./app";

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** The integrator's backend: a new token per request to /api/connect-token, `afterCloseStatus` on /api/after-close. */
async function startBackend(afterCloseStatus = 204) {
  let tokens = 0;
  const reply: Reply = (request, response) => {
    if (request.url === "/api/connect-token") {
      response.writeHead(200, { "content-type": "application/json" });
      return void response.end(JSON.stringify({ token: `tok-${++tokens}` }));
    }
    response.writeHead(request.url === "/api/after-close" ? afterCloseStatus : 404).end();
  };
  const server = await startServer([reply]);
  cleanups.push(() => server.close());
  return { ...server, afterCloseCalls: () => server.seen.filter((seen) => seen.url === "/api/after-close") };
}

/** The app as an integrator mounts it, with an `afterClose` that POSTs the session's new source ids. */
async function mountApp(backend: { url: string }, onConnected?: (source: Source) => void) {
  const app = fakeConnectApp();
  const root = document.body.appendChild(document.createElement("section"));
  const afterClose = async (result: SessionResult) => {
    const body = JSON.stringify({ connected: result.connectedSources.map((s) => s.id) });
    const response = await fetch(new URL("/api/after-close", backend.url), { method: "POST", body });
    if (!response.ok) throw new Error(`after-close answered ${response.status}`);
  };
  const mounted: ConnectButton = mountConnectButton(root, { tokenUrl: backend.url, onConnected, afterClose });
  cleanups.push(
    () => app.dispose(),
    () => mounted.destroy(),
    () => root.remove(),
  );
  return { app: app as FakeConnectApp, ...screen(root) };
}

/** What the user sees and presses. */
function screen(root: HTMLElement) {
  const status = () => root.querySelector('[role="status"]')!;
  return {
    press: () => root.querySelector("button")!.click(),
    statusText: () => status().textContent,
    showsAnError: () => status().classList.contains("error"),
    listed: () => [...root.querySelectorAll("li")].map((item) => item.textContent),
  };
}

describe("the integrator's Connect button, against the public API and the testing kit", () => {
  test("connecting two sources lists both, tells onConnected of each and reports them connected", async () => {
    const backend = await startBackend();
    const connected: Source[] = [];
    const ui = await mountApp(backend, (s) => connected.push(s));
    ui.press();
    await expect(ui.app.waitForOpen()).resolves.toMatchObject({ token: "tok-1" });
    ui.app.connectSource("Starfleet Pharmacy");
    expect(ui.listed()).toEqual(["Starfleet Pharmacy"]);
    ui.app.connectSource("Cleveland Clinic");
    ui.app.close();
    await vi.waitFor(() => expect(ui.statusText()).toBe("2 sources connected."));
    expect(ui.listed()).toEqual(["Starfleet Pharmacy", "Cleveland Clinic"]);
    expect(connected).toEqual([source("Starfleet Pharmacy"), source("Cleveland Clinic")]);
    expect(ui.showsAnError()).toBe(false);
  });

  test("an expired token is shown as an error, nothing is saved, and the next press asks for a new token", async () => {
    const backend = await startBackend();
    const ui = await mountApp(backend);
    ui.press();
    await ui.app.waitForOpen();
    ui.app.close({ status: "SESSION_TOKEN_EXPIRED" });
    await vi.waitFor(() => expect(ui.statusText()).toBe("Your session expired: press Connect to try again."));
    expect(ui.showsAnError()).toBe(true);
    expect(ui.listed()).toEqual([]);
    expect(backend.afterCloseCalls()).toEqual([]);
    ui.press();
    await expect(ui.app.waitForOpen()).resolves.toMatchObject({ token: "tok-2" });
  });

  test("the backend hears of the session only after Connect closed, with the sources it connected", async () => {
    const backend = await startBackend();
    const ui = await mountApp(backend);
    ui.app.connections = [source("Cleveland Clinic")];
    ui.press();
    await ui.app.waitForOpen();
    ui.app.connectSource("Starfleet Pharmacy");
    // Room for a call made too early to reach the server (a local round trip takes a few ms).
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(backend.afterCloseCalls()).toEqual([]);
    ui.app.close();
    await vi.waitFor(() => expect(backend.afterCloseCalls()).toHaveLength(1));
    const [call] = backend.afterCloseCalls();
    expect(call?.method).toBe("POST");
    expect(JSON.parse(call?.body ?? "")).toEqual({ connected: [source("Starfleet Pharmacy").id] });
    await vi.waitFor(() => expect(ui.statusText()).toBe("2 sources connected."));
    expect(ui.listed()).toEqual(["Cleveland Clinic", "Starfleet Pharmacy"]);
  });

  test("a returning user who connects nothing new sees their earlier sources listed once Connect closes", async () => {
    const backend = await startBackend();
    const ui = await mountApp(backend);
    ui.app.connections = [source("Starfleet Pharmacy"), source("Cleveland Clinic")];
    ui.press();
    await ui.app.waitForOpen();
    ui.app.close();
    await vi.waitFor(() => expect(ui.statusText()).toBe("2 sources connected."));
    expect(ui.listed()).toEqual(["Starfleet Pharmacy", "Cleveland Clinic"]);
  });

  test("a backend that fails to save is shown as an error, with the sources still listed", async () => {
    const backend = await startBackend(500);
    const ui = await mountApp(backend);
    ui.press();
    await ui.app.waitForOpen();
    ui.app.connectSource("Starfleet Pharmacy");
    ui.app.close();
    await vi.waitFor(() =>
      expect(ui.statusText()).toBe(
        "Your sources are connected, but we could not save them: press Connect to try again.",
      ),
    );
    expect(ui.showsAnError()).toBe(true);
    expect(ui.listed()).toEqual(["Starfleet Pharmacy"]);
  });
});
