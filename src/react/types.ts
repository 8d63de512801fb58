import type { ConnectError, SessionResult } from "../index";
import type { HumanConnectState, StoreOptions } from "../store/index";

export type { HumanConnectCallbacks, HumanConnectState } from "../store/index";

/**
 * {@link useHumanConnect}'s options: any `createConnect()` options (`tokenUrl`, `getToken` or
 * `token`, and the rest), plus the callbacks. Written inline on every render is fine: the connect
 * object is re-created only when an option's value changes, never for a new function or object.
 */
export type UseHumanConnectOptions = StoreOptions;

/** What {@link useHumanConnect} returns. */
export interface UseHumanConnect {
  /**
   * Opens Connect; resolves with the session's result when it closes. Ignores its arguments, so
   * `onClick={open}` works. A failure also lands in `error` and `onError`, so a caller that does
   * not `catch` gets no unhandled rejection. Same function for the component's whole life.
   * @example <button onClick={open} disabled={state !== "idle"}>Connect</button>
   */
  open(): Promise<SessionResult>;
  /**
   * Warms the token and the client before the click (say, on hover). Same function for life.
   * @example <button onPointerEnter={() => prefetch().catch(() => {})} onClick={open}>Connect</button>
   */
  prefetch(): Promise<void>;
  /** Closes Connect from the app; `open()` resolves with status `CLOSED_BY_APP`. Same function for life. */
  close(): void;
  /**
   * Forgets the cached token (and aborts a request in flight): call it when the user signs out or
   * another user signs in, so the next `open()` asks for a token for whoever is signed in then.
   * Same function for life.
   * @example await signOut(); clearToken();
   */
  clearToken(): void;
  /** What the connect object is doing now, read from it; `"idle"` during server rendering. */
  state: HumanConnectState;
  /** The last session's result (every close), or `undefined` before the first. */
  result: SessionResult | undefined;
  /** The last error of `open()`, or `undefined`; the next `open()` clears it. */
  error: ConnectError | undefined;
}
