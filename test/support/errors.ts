import { isConnectError, type ConnectError } from "../../src/index";

/**
 * The error `promise` rejects with. Fails the test when the promise resolves; given a `guard`,
 * also when it rejects with something the guard refuses (that rejection is rethrown as it is).
 * @example const error = await rejection(issuer.connectToken(user), isHumanApiError);
 */
export async function rejection(promise: Promise<unknown>): Promise<unknown>;
export async function rejection<T>(promise: Promise<unknown>, guard: (error: unknown) => error is T): Promise<T>;
export async function rejection(promise: Promise<unknown>, guard?: (error: unknown) => boolean): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    if (!guard || guard(error)) return error;
    throw error;
  }
  throw new Error(
    `expected a rejection${guard ? ` that ${guard.name || "the guard"} accepts` : ""}, but the promise resolved`,
  );
}

/** The ConnectError `promise` rejects with; fails the test when it resolves or rejects otherwise. */
export const connectError = (promise: Promise<unknown>): Promise<ConnectError> => rejection(promise, isConnectError);
