// @vitest-environment jsdom
import { afterEach, describe, expect, test } from "vitest";
import type { SourceChange } from "../../src/index";
import { fakeConnectApp, sessionResult, source, type FakeConnectApp } from "../../src/testing/index";
import { make, tick } from "../support/connect";
import { connectError } from "../support/errors";
import { CLEVELAND, STARFLEET, trackListeners } from "../support/dom";

const apps: FakeConnectApp[] = [];
afterEach(() => {
  for (const app of apps.splice(0)) app.dispose();
});

/** A fake Connect app on this test's window, disposed after the test. */
function fake(): FakeConnectApp {
  const app = fakeConnectApp();
  apps.push(app);
  return app;
}

/** Whether `promise` has settled by the next macrotask. */
async function settled(promise: Promise<unknown>): Promise<boolean> {
  let done = false;
  promise.then(
    () => (done = true),
    () => (done = true),
  );
  await tick();
  return done;
}

describe("fakeConnectApp() with the real createConnect and vendor client", () => {
  test("reads the token Connect opened with, and connecting two sources emits both and closes with both", async () => {
    const app = fake();
    const connect = make({ token: "tok-kit" });
    const changes: SourceChange[] = [];
    connect.on("connect", (change) => changes.push(change));
    const result = connect.open();
    await expect(app.waitForOpen()).resolves.toEqual({
      token: "tok-kit",
      mode: "auth",
      clientId: null,
      params: { token: "tok-kit" },
    });
    app.connectSource("Starfleet Pharmacy");
    app.connectSource(source("Cleveland Clinic"));
    app.close();
    const closed = await result;
    expect(changes.map((c) => c.connectedSources)).toEqual([[STARFLEET], [STARFLEET, CLEVELAND]]);
    expect(closed).toMatchObject({
      status: "SUCCESS",
      connectedSources: [STARFLEET, CLEVELAND],
      currentConnections: [STARFLEET, CLEVELAND],
    });
    expect(app.opened).toBe(1);
    expect(document.getElementById("human-api")).toBeNull();
  });

  test("reads select mode, the client id and every parameter from the iframe", async () => {
    const app = fake();
    const result = make({ token: "tok-select", mode: "select", clientId: "client-1", segment: "seg" }).open();
    const openedWith = await app.waitForOpen();
    expect(openedWith).toMatchObject({ token: "tok-select", mode: "select", clientId: "client-1" });
    expect(openedWith.params).toMatchObject({ segment: "seg", preseededSources: btoa("[]") });
    app.close();
    await expect(result).resolves.toMatchObject({ status: "SUCCESS" });
  });

  test("posts from the origin of a custom baseUrl, read from the iframe's src", async () => {
    const app = fake();
    const result = make({ token: "tok", baseUrl: "https://connect.example.test/app/" }).open();
    await app.waitForOpen();
    app.connectSource("Starfleet Pharmacy");
    app.close();
    await expect(result).resolves.toMatchObject({ connectedSources: [STARFLEET] });
  });

  test("close({ status: SESSION_TOKEN_EXPIRED }) makes open() reject with SESSION_TOKEN_EXPIRED", async () => {
    const app = fake();
    const result = make().open();
    await app.waitForOpen();
    app.close({ status: "SESSION_TOKEN_EXPIRED" });
    expect((await connectError(result)).code).toBe("SESSION_TOKEN_EXPIRED");
  });

  test("a returning user's seeded connections are reported, and disconnecting one removes it", async () => {
    const app = fake();
    app.connections = [STARFLEET, CLEVELAND];
    const result = make().open();
    await app.waitForOpen();
    app.disconnectSource("Starfleet Pharmacy");
    app.close();
    expect(await result).toMatchObject({
      connectedSources: [],
      disconnectedSources: [STARFLEET],
      currentConnections: [CLEVELAND],
    });
    expect(app.connections).toEqual([CLEVELAND]);
  });

  test("connections reads and seeds copies", () => {
    const app = fake();
    const seed = [{ ...STARFLEET }];
    app.connections = seed;
    seed[0]!.name = "changed";
    app.connections[0]!.name = "changed too";
    expect(app.connections).toEqual([STARFLEET]);
  });

  test("a second open counts, starts a new session and keeps the user's connections", async () => {
    const app = fake();
    const connect = make();
    const first = connect.open();
    await app.waitForOpen();
    app.connectSource("Starfleet Pharmacy");
    app.close();
    await first;
    const second = connect.open();
    await app.waitForOpen();
    app.connectSource("Cleveland Clinic");
    app.close();
    expect(await second).toMatchObject({ connectedSources: [CLEVELAND], currentConnections: [STARFLEET, CLEVELAND] });
    expect(app.opened).toBe(2);
  });
});

describe("its messages and the guard", () => {
  test.each([
    ["from another origin", { origin: "https://evil.example", otherWindow: false }],
    ["from another window", { origin: undefined, otherWindow: true }],
  ])("a copy of its message posted %s is stopped: no event, the session does not settle", async (_name, from) => {
    const app = fake();
    const connect = make();
    const seen: MessageEvent[] = [];
    // Registered before open(), so it runs before the guard's capturing listener and sees `type`.
    const record = (event: MessageEvent) => seen.push(event);
    window.addEventListener("message", record, true);
    const changes: SourceChange[] = [];
    connect.on("connect", (change) => changes.push(change));
    const result = connect.open();
    await app.waitForOpen();
    app.connectSource("Starfleet Pharmacy");
    const [real] = seen.splice(0);
    expect(changes).toHaveLength(1);
    window.removeEventListener("message", record, true);
    for (const data of [real!.data, { ...real!.data, type: "hapi-connect-close" }]) {
      window.dispatchEvent(
        new MessageEvent("message", {
          data: structuredClone(data),
          origin: from.origin ?? real!.origin,
          source: from.otherWindow ? window : real!.source,
        }),
      );
    }
    expect(changes).toHaveLength(1);
    expect(await settled(result)).toBe(false);
    expect(document.getElementById("human-api")).not.toBeNull();
  });
});

describe("misuse", () => {
  test("waitForOpen() rejects OPEN_TIMEOUT naming the time limit when nothing opens", async () => {
    const error = await fake()
      .waitForOpen({ timeoutMs: 20 })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: "OPEN_TIMEOUT",
      message: expect.stringMatching(/^no Connect opened within 20 ms: /),
    });
  });

  test.each([
    ["connectSource", (app: FakeConnectApp) => app.connectSource("Starfleet Pharmacy")],
    ["disconnectSource", (app: FakeConnectApp) => app.disconnectSource(STARFLEET)],
    ["close", (app: FakeConnectApp) => app.close()],
  ])("%s() with no Connect open throws NO_CONNECT_OPEN, saying what to do", (_name, call) => {
    const app = fake();
    expect(() => call(app)).toThrow("no Connect is open: call open() first and await app.waitForOpen()");
  });

  test.each([-1, Number.NaN, Infinity, "20"])(
    "waitForOpen({ timeoutMs: %s }) rejects with a TypeError naming timeoutMs",
    async (timeoutMs) => {
      const error = await fake()
        .waitForOpen({ timeoutMs: timeoutMs as number })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TypeError);
      expect((error as Error).message).toMatch(/timeoutMs/);
    },
  );

  test.each([
    ["a number", 42],
    ["an object without a string id", { id: 1, name: "X" }],
    ["null", null],
  ])("a source that is %s is refused with a TypeError naming the source", async (_name, given) => {
    const app = fake();
    const result = make().open();
    await app.waitForOpen();
    expect(() => app.connectSource(given as never)).toThrow(TypeError);
    expect(() => app.connectSource(given as never)).toThrow(/source/);
    expect(() => (app.connections = [given as never])).toThrow(TypeError);
    app.close();
    await result;
  });

  test("connections set to something other than an array is refused with a TypeError naming connections", () => {
    expect(() => (fake().connections = "Starfleet Pharmacy" as never)).toThrow(/connections/);
  });

  test("after close(), Connect is no longer open", async () => {
    const app = fake();
    const result = make().open();
    await app.waitForOpen();
    app.close();
    await result;
    expect(() => app.connectSource("Starfleet Pharmacy")).toThrow(/no Connect is open/);
  });

  test("a provider name the sandbox does not list is refused, naming it", async () => {
    const app = fake();
    const result = make().open();
    await app.waitForOpen();
    expect(() => app.connectSource("Nowhere Clinic")).toThrow(
      /"Nowhere Clinic" is not a provider of the sandbox's list/,
    );
    app.close();
    await result;
  });
});

describe("dispose()", () => {
  test("leaves no listener or observer, rejects a pending waitForOpen() and stops counting opens", async () => {
    const listeners = trackListeners(window);
    const NativeObserver = window.MutationObserver;
    let observing = 0;
    window.MutationObserver = class extends NativeObserver {
      override observe(...args: Parameters<MutationObserver["observe"]>) {
        observing += 1;
        super.observe(...args);
      }
      override disconnect() {
        observing -= 1;
        super.disconnect();
      }
    };
    try {
      const app = fakeConnectApp();
      expect(observing).toBe(1);
      const pending = app.waitForOpen({ timeoutMs: 10_000 });
      app.dispose();
      app.dispose();
      expect(observing).toBe(0);
      expect(listeners.count()).toBe(0);
      await expect(pending).rejects.toMatchObject({ code: "DISPOSED" });
      const connect = make();
      const result = connect.open();
      await tick();
      expect(document.getElementById("human-api")).not.toBeNull();
      expect(app.opened).toBe(0);
      expect(() => app.close()).toThrow(/disposed/);
      connect.destroy();
      await expect(result).rejects.toMatchObject({ code: "DESTROYED" });
    } finally {
      window.MutationObserver = NativeObserver;
      listeners.restore();
    }
  });
});

describe("builders", () => {
  test.each([
    [undefined, STARFLEET],
    ["Cleveland Clinic", CLEVELAND],
  ])("source(%s) is the sandbox's provider", (name, expected) => {
    expect(source(name)).toEqual(expected);
  });

  test("source() of a name the sandbox does not list has a made-up 24-hex id, the same each time", () => {
    const mine = source("My Own Clinic");
    expect(mine).toEqual({ id: expect.stringMatching(/^[0-9a-f]{24}$/), name: "My Own Clinic" });
    expect(source("My Own Clinic")).toEqual(mine);
    expect(source("My Other Clinic").id).not.toBe(mine.id);
  });

  test("sessionResult() is a full SUCCESS result with empty lists, and a partial overrides it", () => {
    expect(sessionResult()).toEqual({
      status: "SUCCESS",
      connectedSources: [],
      disconnectedSources: [],
      requestedSources: [],
      currentConnections: [],
      requestedProviders: [],
      raw: undefined,
    });
    expect(sessionResult({ status: "CLOSED_BY_APP", connectedSources: [source()] })).toMatchObject({
      status: "CLOSED_BY_APP",
      connectedSources: [STARFLEET],
      currentConnections: [],
    });
  });
});
