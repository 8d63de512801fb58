import type { ServerResponse } from "node:http";
import { StrictMode, type ReactNode } from "react";
import { cleanup, renderHook } from "@testing-library/react";
import { afterAll, afterEach, beforeAll, beforeEach, expect, vi, type MockInstance } from "vitest";
import { useHumanConnect, type UseHumanConnectOptions } from "../../src/react/index";
import { json, startServer } from "./http";

// React reports what went wrong (an update outside act, a bad hook call) on console.error: each is
// a failure here. Registered first, so that it runs after the clean-up below (after-hooks run last first).
let reactErrors: MockInstance<typeof console.error>;
beforeEach(() => void (reactErrors = vi.spyOn(console, "error")));
afterEach(() => {
  const reported = [...reactErrors.mock.calls];
  reactErrors.mockRestore();
  expect(reported).toEqual([]);
});

// Without vitest's globals, @testing-library/react registers neither its clean-up nor its act
// environment, in which React reports (on console.error) an update made outside act().
afterEach(() => cleanup());
const actEnvironment = globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean };
const previous = actEnvironment.IS_REACT_ACT_ENVIRONMENT;
beforeAll(() => void (actEnvironment.IS_REACT_ACT_ENVIRONMENT = true));
afterAll(() => void (actEnvironment.IS_REACT_ACT_ENVIRONMENT = previous));

const servers: Array<{ close(): Promise<void> }> = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

/**
 * Renders `hook` in `<StrictMode>`, as every React test here does: mount, unmount, mount on the
 * first render, and each render twice.
 * @example const { result, rerender } = renderHookInStrictMode((url: string) => useHumanConnect({ tokenUrl: url }), a.url);
 */
export function renderHookInStrictMode<Props, Result>(hook: (props: Props) => Result, initialProps: NoInfer<Props>) {
  return renderHook(hook, {
    initialProps,
    wrapper: ({ children }: { children: ReactNode }) => <StrictMode>{children}</StrictMode>,
  });
}

/**
 * A real token endpoint on 127.0.0.1, closed after the test: answers `{ "token": "<name>-<n>" }`
 * (n counts its requests from 1, no `expires_in`: each token serves one open), so a test sees
 * which request a Connect was opened with.
 * @default name `"tok"`
 * @example const server = await tokenServer("a"); // first token "a-1"
 */
export async function tokenServer(name = "tok", expiresIn?: number) {
  let count = 0;
  const server = await startServer([
    (request, response, seen) =>
      json(200, { token: `${name}-${++count}`, expires_in: expiresIn })(request, response, seen),
  ]);
  servers.push(server);
  return server;
}

/**
 * A real token endpoint on 127.0.0.1 that holds its answer until the test calls `answer()`, closed
 * after the test. `asked` resolves once the request came; `gaveUp` once the client closed it
 * before any answer (an aborted fetch).
 * @example const held = await heldTokenServer(); await held.asked; unmount(); await held.gaveUp;
 */
export async function heldTokenServer() {
  let take!: (response: ServerResponse) => void;
  const asked = new Promise<ServerResponse>((resolve) => (take = resolve));
  const server = await startServer([(_request, response) => take(response)]);
  servers.push(server);
  const gaveUp = asked.then(
    (response) =>
      new Promise<void>((resolve) => response.on("close", () => (response.writableEnded ? undefined : resolve()))),
  );
  return {
    url: server.url,
    asked: asked.then(() => undefined),
    gaveUp,
    /** Answers with the token "late" (dropped by the socket if the client left). */
    async answer() {
      const response = await asked;
      if (!response.destroyed) response.writeHead(200, { "content-type": "application/json" }).end('{"token":"late"}');
    },
  };
}

/**
 * A component as an app writes it: a button that opens Connect, and what the hook says, in a
 * region named `label`.
 * @default label `"Connect"`
 * @example render(<ConnectButton label="First" tokenUrl={server.url} />);
 */
export function ConnectButton({ label = "Connect", ...options }: UseHumanConnectOptions & { label?: string }) {
  const { open, state, result, error } = useHumanConnect(options);
  return (
    <section aria-label={label}>
      <button onClick={open}>{label}</button>
      <output>{state}</output>
      <p>result: {result?.status ?? "none"}</p>
      <p>error: {error?.code ?? "none"}</p>
    </section>
  );
}
