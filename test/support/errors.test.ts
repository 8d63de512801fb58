import { describe, expect, test } from "vitest";
import { ConnectError } from "../../src/errors";
import { connectError, rejection } from "./errors";

const isRangeError = (error: unknown): error is RangeError => error instanceof RangeError;

describe("rejection(promise, guard?)", () => {
  test("returns the error the promise rejects with", async () => {
    const error = new Error("refused");
    await expect(rejection(Promise.reject(error))).resolves.toBe(error);
  });

  test.each([
    ["without a guard", undefined, /^expected a rejection, but the promise resolved$/],
    ["with a guard", isRangeError, /^expected a rejection that isRangeError accepts, but the promise resolved$/],
  ])("fails the test when the promise resolves, %s", async (_name, guard, message) => {
    await expect(rejection(Promise.resolve("fine"), guard as typeof isRangeError)).rejects.toThrow(message);
  });

  test("returns what the guard accepts, typed by it", async () => {
    const error = new RangeError("too far");
    const returned: RangeError = await rejection(Promise.reject(error), isRangeError);
    expect(returned).toBe(error);
  });

  test("rethrows, as it is, a rejection the guard refuses", async () => {
    const other = new TypeError("not the one");
    await expect(rejection(Promise.reject(other), isRangeError)).rejects.toBe(other);
  });
});

describe("connectError(promise)", () => {
  test("returns the ConnectError, and rethrows any other rejection", async () => {
    const error = new ConnectError("ABORTED", "The signal was aborted.");
    await expect(connectError(Promise.reject(error))).resolves.toBe(error);
    const other = new Error("plain");
    await expect(connectError(Promise.reject(other))).rejects.toBe(other);
  });
});
