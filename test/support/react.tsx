import { StrictMode, type ReactNode } from "react";
import { cleanup, renderHook } from "@testing-library/react";
import { afterAll, afterEach, beforeAll, beforeEach, expect, vi, type MockInstance } from "vitest";
import { useHumanConnect, type UseHumanConnectOptions } from "../../src/react/index";

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

export { heldTokenServer, tokenServer } from "./token-servers";

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
