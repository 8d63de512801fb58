// @vitest-environment jsdom
import { afterEach, describe, expect, test, vi } from "vitest";
import { off, on } from "../../src/compat/index";
import { emit, fail } from "../../src/compat/listeners";
import { ConnectError } from "../../src/index";
import { sessionResult } from "../../src/testing/index";
import { toResponse } from "../../src/compat/response";

const response = () => toResponse(sessionResult());
const removers: Array<() => void> = [];
const add: typeof on = (event, listener) => {
  const stop = on(event, listener);
  removers.push(stop);
  return stop;
};
afterEach(() => {
  for (const stop of removers.splice(0)) stop();
  vi.unstubAllGlobals();
});

describe("HumanConnect.on and off", () => {
  test("on() returns the function that removes the listener", () => {
    const listener = vi.fn();
    const stop = add("close", listener);
    emit("close", response());
    stop();
    emit("close", response());
    expect(listener).toHaveBeenCalledTimes(1);
  });

  test("off() removes a listener the vendor client could never remove", () => {
    const listener = vi.fn();
    add("connect", listener);
    off("connect", listener);
    expect(emit("connect", response())).toBe(false);
    expect(listener).not.toHaveBeenCalled();
  });

  test("a listener added twice runs once, as with addEventListener, and one off() removes it", () => {
    const listener = vi.fn();
    add("close", listener);
    add("close", listener);
    emit("close", response());
    expect(listener).toHaveBeenCalledTimes(1);
    off("close", listener);
    expect(emit("close", response())).toBe(false);
  });

  test("listeners run in the order added; one that throws is reported and the next still runs", () => {
    const reported: unknown[] = [];
    vi.stubGlobal("reportError", (error: unknown) => reported.push(error));
    const order: string[] = [];
    const boom = new Error("listener bug");
    add("close", () => order.push("first"));
    add("close", () => {
      throw boom;
    });
    add("close", () => order.push("third"));
    emit("close", response());
    expect(order).toEqual(["first", "third"]);
    expect(reported).toEqual([boom]);
  });

  test("a listener removed by an earlier one during the same emit does not run", () => {
    const second = vi.fn();
    add("disconnect", () => off("disconnect", second));
    add("disconnect", second);
    emit("disconnect", response());
    expect(second).not.toHaveBeenCalled();
  });

  test.each([
    [
      "an event the vendor never emits",
      "success",
      () => undefined,
      /event must be one of connect, disconnect, close, error/,
    ],
    ["a listener that is not a function", "close", "console.log", /listener must be a function/],
  ])("on() with %s throws INVALID_OPTIONS at once, echoing nothing", (_case, event, listener, message) => {
    expect(() => on(event as "close", listener as never)).toThrow(
      expect.objectContaining({
        name: "ConnectError",
        code: "INVALID_OPTIONS",
        message: expect.stringMatching(message),
      }),
    );
    expect(() => on(event as "close", listener as never)).not.toThrow(/success|console\.log/);
  });

  test("off() of something never added does nothing", () => {
    expect(() => off("close", () => undefined)).not.toThrow();
  });
});

describe("errors", () => {
  test("go to the error listeners", () => {
    const listener = vi.fn();
    add("error", listener);
    const error = new ConnectError("ALREADY_OPEN", "wait");
    fail(error);
    expect(listener).toHaveBeenCalledWith(error);
  });

  test("with a reportError that throws (a broken error tracker), are printed, never thrown; so is a throwing listener's error", () => {
    vi.stubGlobal("reportError", () => {
      throw new Error("tracker down");
    });
    const printed = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const error = new ConnectError("INVALID_OPTIONS", "give a token");
    expect(() => fail(error)).not.toThrow();
    const bug = new Error("listener bug");
    add("close", () => {
      throw bug;
    });
    expect(() => emit("close", response())).not.toThrow();
    expect(printed.mock.calls).toEqual([[error], [bug]]);
    printed.mockRestore();
  });

  test("with no error listener and no reportError (Node), are printed, never thrown (a throw would end the process)", () => {
    vi.stubGlobal("reportError", undefined);
    const printed = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const error = new ConnectError("CLIENT_LOAD_FAILED", "call open() in a browser");
    expect(() => fail(error)).not.toThrow();
    expect(printed).toHaveBeenCalledWith(error);
    printed.mockRestore();
  });

  test("with no error listener, are reported as uncaught, never thrown", () => {
    const reported: unknown[] = [];
    vi.stubGlobal("reportError", (error: unknown) => reported.push(error));
    const error = new ConnectError("INVALID_OPTIONS", "give a token");
    expect(() => fail(error)).not.toThrow();
    expect(reported).toEqual([error]);
  });
});
