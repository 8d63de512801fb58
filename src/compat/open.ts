import { createConnect, type Connect, type SessionResult } from "../index";
import { emit, fail } from "./listeners";
import { asOpenError, readOpenOptions } from "./open-options";
import { toResponse } from "./response";
import type { HumanConnectOpenOptions } from "./types";

/**
 * Opens Human API Connect, as the vendor client's `open()` does, on our session engine: only the
 * Connect frame's messages reach it, payloads are normalized, a page that removes Connect is
 * cleaned up, focus returns to where it was. Never throws: a problem (no token, bad options,
 * Connect already open, the client not loadable) goes to the `error` listeners as a
 * `ConnectError` whose message says what to do.
 *
 * With `version: "V2"` the session's events go to the `HumanConnect.on()` listeners; without it,
 * to `onConnectSource`, `onDisconnectSource` and `onClose` (no deprecation warning).
 *
 * @example
 * ```js
 * HumanConnect.open({ token, version: "V2" });
 * HumanConnect.open({ token, onClose: (response) => console.log(response.status) });
 * ```
 */
export function open(options: HumanConnectOpenOptions): void {
  void runSession(options);
}

/** `open()`, settling once the session it started is over (at once when it started none). Never rejects. */
export function runSession(options: unknown): Promise<void> {
  const request = readOpenOptions(options);
  if (!("options" in request)) return Promise.resolve(fail(request));
  let connect: Connect;
  try {
    connect = createConnect(request.options);
  } catch (error) {
    return Promise.resolve(fail(asOpenError(error)));
  }
  const { callbacks } = request;
  for (const event of ["connect", "disconnect", "close"] as const) {
    connect.on(event, (result: SessionResult) => {
      // A throwing V1 callback is reported by the connect object's emitter, like a listener.
      if (callbacks) callbacks[event]?.(toResponse(result));
      else emit(event, toResponse(result, event));
    });
  }
  return (
    connect
      .open()
      // A session Connect closed (a refused token included) was reported as `close`, as the vendor does.
      .then(
        () => undefined,
        (error: Parameters<typeof fail>[0]) => void (error.result || fail(error)),
      )
      .finally(() => connect.destroy())
  );
}
