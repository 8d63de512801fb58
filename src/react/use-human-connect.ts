import { useEffect, useInsertionEffect, useRef, useState, useSyncExternalStore } from "react";
import { ConnectError } from "../index";
import { createConnectStore, optionsKey } from "../store/index";
import type { UseHumanConnect, UseHumanConnectOptions } from "./types";

const notMounted = () =>
  new ConnectError(
    "DESTROYED",
    "useHumanConnect: open() before mount: call it from an event handler or its own effect.",
  );

/**
 * Opens Human API Connect from a React component. One connect object per mounted component,
 * created after mount and destroyed on unmount (StrictMode's extra mount leaves one, with no
 * token request); re-renders with new inline options or callbacks re-create nothing, the latest
 * callbacks run; a changed option value re-creates it, at once or after the open session ends.
 *
 * @example
 * ```tsx
 * function ConnectButton() {
 *   const { open, state, result, error } = useHumanConnect({
 *     tokenUrl: "/api/connect-token",
 *     onClose: (result) => save(result.currentConnections),
 *   });
 *   return (
 *     <>
 *       <button onClick={open} disabled={state !== "idle"}>Connect your health data</button>
 *       {error && <p role="alert">{error.message}</p>}
 *       {result && <p>{result.currentConnections.length} sources connected</p>}
 *     </>
 *   );
 * }
 * ```
 */
export function useHumanConnect(options: UseHumanConnectOptions): UseHumanConnect {
  const latest = useRef(options);
  const [store] = useState(() => createConnectStore(latest, notMounted));
  // Also while server rendering, where nothing has happened: idle, no result, no error.
  const state = useSyncExternalStore(store.subscribe, store.state, store.state);
  const result = useSyncExternalStore(store.subscribe, store.result, store.result);
  const error = useSyncExternalStore(store.subscribe, store.error, store.error);
  const key = optionsKey(options);

  // Before any other effect of this render (and silent while server rendering, unlike useLayoutEffect in React 18).
  useInsertionEffect(() => {
    latest.current = options;
  });
  // In this order: the key is known before the mount creates the object, so it is made once.
  useEffect(() => store.want(key), [store, key]);
  useEffect(() => {
    store.live(true);
    return () => store.live(false);
  }, [store]);

  return { state, result, error, ...store.actions };
}
