import { afterEach } from "vitest";
import { createTokenIssuer, HumanApiError, type TokenIssuer } from "../../src/server/index";
import { rejection } from "../support/errors";
import { startHumanApi } from "../support/human-api";

/** The server tests' shared set-up: every server or stand-in a test starts is closed after it. */
export type HumanApi = Awaited<ReturnType<typeof startHumanApi>>;
export const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

export async function humanApi(options?: Parameters<typeof startHumanApi>[0]): Promise<HumanApi> {
  const api = await startHumanApi(options);
  cleanups.push(() => api.close());
  return api;
}

export function issuerFor(api: HumanApi, extra: Partial<Parameters<typeof createTokenIssuer>[0]> = {}): TokenIssuer {
  return createTokenIssuer({ clientId: api.clientId, clientSecret: api.clientSecret, authUrl: api.authUrl, ...extra });
}

const isOwnHumanApiError = (error: unknown): error is HumanApiError => error instanceof HumanApiError;

/** The HumanApiError (this package's own class) `promise` rejects with; fails the test when it resolves or rejects otherwise. */
export const humanApiError = (promise: Promise<unknown>): Promise<HumanApiError> =>
  rejection(promise, isOwnHumanApiError);

export const ada = { userId: "user-ada", email: "ada@example.com" };
