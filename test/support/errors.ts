import { isConnectError, type ConnectError } from "../../src/index";

/** The ConnectError `promise` rejects with; fails the test when it resolves or rejects otherwise. */
export async function connectError(promise: Promise<unknown>): Promise<ConnectError> {
  try {
    await promise;
  } catch (error) {
    if (isConnectError(error)) return error;
    throw error;
  }
  throw new Error("expected a rejection with a ConnectError");
}
