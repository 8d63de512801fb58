/** Why the fake Connect app refused a call. */
export type FakeConnectAppErrorCode =
  "NO_CONNECT_OPEN" | "OPEN_TIMEOUT" | "UNKNOWN_PROVIDER" | "DISPOSED" | "NO_WINDOW";

/**
 * What `fakeConnectApp()` and its methods throw or reject with: `code` says why, the message what to do.
 * @example
 * ```ts
 * await expect(app.waitForOpen({ timeoutMs: 50 })).rejects.toMatchObject({ code: "OPEN_TIMEOUT" });
 * ```
 */
export class FakeConnectAppError extends Error {
  /** Why the call was refused. */
  readonly code: FakeConnectAppErrorCode;

  constructor(code: FakeConnectAppErrorCode, message: string) {
    super(message);
    this.name = "FakeConnectAppError";
    this.code = code;
  }
}

/** The error of a call on a disposed fake. */
export const disposedError = () =>
  new FakeConnectAppError("DISPOSED", "This fake Connect app was disposed: create a new one with fakeConnectApp().");
