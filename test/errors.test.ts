import { runInNewContext } from "node:vm";
import { describe, expect, test } from "vitest";
import { CONNECT_ERROR_CODES, ConnectError, isConnectError } from "../src/index";

describe("ConnectError", () => {
  test("carries name, code, status, result and cause", () => {
    const cause = new Error("root");
    const error = new ConnectError("TOKEN_FETCH_FAILED", "Check your backend.", { cause, status: 503 });
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe("ConnectError");
    expect(error.code).toBe("TOKEN_FETCH_FAILED");
    expect(error.status).toBe(503);
    expect(error.cause).toBe(cause);
    expect(error.result).toBeUndefined();
  });

  test("isConnectError is true for one made in another realm", () => {
    const foreign = runInNewContext(
      'class ConnectError extends Error { constructor() { super("x"); this.name = "ConnectError"; this.code = "ALREADY_OPEN"; } }; new ConnectError()',
    ) as unknown;
    expect(foreign instanceof ConnectError).toBe(false);
    expect(isConnectError(foreign)).toBe(true);
  });

  test.each(CONNECT_ERROR_CODES)(
    "isConnectError recognises a foreign error with code %s, as every listed code",
    (code) => {
      const foreign = runInNewContext(
        `({ name: "ConnectError", code: ${JSON.stringify(code)}, message: "x" })`,
      ) as unknown;
      expect(isConnectError(foreign)).toBe(true);
    },
  );

  test.each([
    null,
    "ConnectError",
    new Error("x"),
    { name: "ConnectError" },
    { name: "ConnectError", code: "NOT_A_CODE" },
    { name: "OtherError", code: "ALREADY_OPEN" },
  ])("isConnectError(%j) is false", (value) => {
    expect(isConnectError(value)).toBe(false);
  });
});
