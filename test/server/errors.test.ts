import { runInNewContext } from "node:vm";
import { describe, expect, test } from "vitest";
import {
  HUMAN_API_ERROR_CODES,
  HumanApiError,
  isHumanApiError,
  isStoreError,
  STORE_ERROR_CODES,
  StoreError,
  type HumanApiErrorDetails,
} from "../../src/server/index";

/** A HumanApiError as another realm (or a second copy of the package) would make it. */
const foreign = (code: string) =>
  runInNewContext(
    `class HumanApiError extends Error { constructor() { super("x"); this.name = "HumanApiError"; this.code = ${JSON.stringify(code)}; } }; new HumanApiError()`,
  ) as unknown;

describe("HumanApiError", () => {
  test("carries name, code, status and cause from its details", () => {
    const cause = new Error("root");
    const details: HumanApiErrorDetails = { status: 503, cause };
    const error = new HumanApiError("UPSTREAM_ERROR", "Try again later.", details);
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({ name: "HumanApiError", code: "UPSTREAM_ERROR", status: 503, cause });
  });

  test("has no status when its details give none", () => {
    expect(new HumanApiError("TIMEOUT", "Raise timeoutMs.").status).toBeUndefined();
  });
});

describe("isHumanApiError", () => {
  test.each(HUMAN_API_ERROR_CODES)("is true for a %s made in another realm", (code) => {
    const error = foreign(code);
    expect(error instanceof HumanApiError).toBe(false);
    expect(isHumanApiError(error)).toBe(true);
  });

  test("is true for one made here", () => {
    expect(isHumanApiError(new HumanApiError("NETWORK", "Check authUrl."))).toBe(true);
  });

  test.each([
    ["null", null],
    ["a string", "HumanApiError"],
    ["a plain Error", new Error("x")],
    ["a name without a code", { name: "HumanApiError" }],
    ["a code from no list", foreign("NOT_A_CODE")],
    ["a ConnectError's code", foreign("TOKEN_FETCH_FAILED")],
    ["another name", { name: "ConnectError", code: "TIMEOUT" }],
  ])("is false for %s", (_name, value) => {
    expect(isHumanApiError(value)).toBe(false);
  });
});

describe("isStoreError", () => {
  test.each(STORE_ERROR_CODES)("is true for a %s made by another copy of the package", (code) => {
    const error = Object.assign(new Error("x"), { name: "StoreError", code, operation: "get" });
    expect(error instanceof StoreError).toBe(false);
    expect(isStoreError(error)).toBe(true);
  });

  test.each<[boolean, string, unknown]>([
    [true, "one made here", new StoreError("TIMEOUT", "get", "Raise storeTimeoutMs.")],
    [false, "null", null],
    [false, "a HumanApiError's name and code", { name: "HumanApiError", code: "TIMEOUT" }],
    [false, "a code from no list", { name: "StoreError", code: "NOT_A_CODE" }],
  ])("is %s for %s", (expected, _name, value) => {
    expect(isStoreError(value)).toBe(expected);
  });
});
