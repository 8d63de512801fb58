// @vitest-environment jsdom
import { describe, expect, test, vi } from "vitest";
import { make, tick } from "./support/connect";
import { connectError } from "./support/errors";
import { fakeApp, trackListeners } from "./support/dom";

const button = () => document.body.appendChild(document.createElement("button"));

describe("connect.prefetchOn(element)", () => {
  test.each(["pointerenter", "focus", "pointerdown"])(
    "prefetches the token on %s, once for all of them",
    async (first) => {
      const getToken = vi.fn(() => ({ token: "tok", expires_in: 3600 }));
      const app = fakeApp();
      const connect = make({ getToken });
      const element = button();
      connect.prefetchOn(element);
      element.dispatchEvent(new Event(first));
      await vi.waitFor(() => expect(getToken).toHaveBeenCalledTimes(1));
      for (const type of ["pointerenter", "focus", "pointerdown"]) element.dispatchEvent(new Event(type));
      await tick();
      const result = connect.open();
      await app.waitForOpen();
      app.close();
      await result;
      expect(getToken).toHaveBeenCalledTimes(1);
    },
  );

  test("a failed prefetch is silent, and the next open() tries again and reports what fails", async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on("unhandledRejection", onUnhandled);
    const getToken = vi.fn(() => Promise.reject(new Error("backend down")));
    const connect = make({ getToken });
    const errors: string[] = [];
    connect.on("error", (error) => errors.push(error.code));
    const element = button();
    connect.prefetchOn(element);
    element.dispatchEvent(new Event("pointerdown"));
    await vi.waitFor(() => expect(getToken).toHaveBeenCalledTimes(1));
    await tick();
    expect(errors).toEqual([]);
    expect((await connectError(connect.open())).code).toBe("TOKEN_FETCH_FAILED");
    expect(getToken).toHaveBeenCalledTimes(2);
    expect(errors).toEqual(["TOKEN_FETCH_FAILED"]);
    process.off("unhandledRejection", onUnhandled);
    expect(unhandled).toEqual([]);
  });

  test.each([
    ["undefined", undefined],
    ["a selector string", "#connect"],
    ["a plain object", { addEventListener() {} }],
    ["window", window],
  ])("throws INVALID_OPTIONS at once for %s", (_name, value) => {
    const connect = make();
    expect(() => connect.prefetchOn(value as never)).toThrow(expect.objectContaining({ code: "INVALID_OPTIONS" }));
  });

  test.each([
    ["its remove function", (_connect: ReturnType<typeof make>, stop: () => void) => stop()],
    ["destroy()", (connect: ReturnType<typeof make>) => connect.destroy()],
  ])("%s removes its listeners", async (_how, remove) => {
    const element = button();
    const tracker = trackListeners(element);
    try {
      const getToken = vi.fn(() => "tok");
      const connect = make({ getToken });
      const stop = connect.prefetchOn(element);
      expect(tracker.count()).toBe(3);
      remove(connect, stop);
      expect(tracker.count()).toBe(0);
      element.dispatchEvent(new Event("pointerdown"));
      await tick();
      expect(getToken).not.toHaveBeenCalled();
    } finally {
      tracker.restore();
    }
  });

  test("throws DESTROYED after destroy()", () => {
    const connect = make();
    connect.destroy();
    expect(() => connect.prefetchOn(button())).toThrow(expect.objectContaining({ code: "DESTROYED" }));
  });
});
