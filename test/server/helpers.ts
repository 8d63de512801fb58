import { afterEach } from "vitest";
import { createTokenIssuer, HumanApiError, type TokenIssuer } from "../../src/server/index";
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

export async function failure(promise: Promise<unknown>): Promise<HumanApiError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof HumanApiError) return error;
    throw error;
  }
  throw new Error("expected a HumanApiError");
}

export const ada = { userId: "user-ada", email: "ada@example.com" };
