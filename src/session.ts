import type { Emitter } from "./emitter";
import { ConnectError, destroyedError, isConnectError } from "./errors";
import { installGuard } from "./guard";
import { copyPayload, emptyResult, normalizeCopy } from "./normalize";
import type { ResolvedOptions } from "./options";
import { createTokenSource } from "./token";
import type { ConnectEvents, OpenOptions, SessionResult, SourceChange } from "./types";
import { claimPage, loadVendor, releasePage, type VendorRoute } from "./vendor";

const alreadyOpen = () => new ConnectError("ALREADY_OPEN", "Connect is already open or loading: wait for it to close.");

/** Statuses with which Connect refuses the token: `open()` rejects with them as `code`. */
const TOKEN_REFUSALS = {
  SESSION_TOKEN_INVALID: "Connect refused the token as invalid: issue a new one, then call open() again.",
  SESSION_TOKEN_EXPIRED: "Connect refused the token as expired: call open() again for a fresh one.",
  MISSING_SESSION_TOKEN: "Connect got no token: make your token endpoint or getToken() return one.",
} as const;

type Ending = "app" | "abort" | "destroy";
type Outcome = { result: SessionResult } | { error: ConnectError };

interface Session {
  state: "loading" | "open";
  controller: AbortController;
  route: VendorRoute;
  /** The last connect/disconnect snapshot: fills what a terse close payload lacks. */
  last: SessionResult;
  /** The guard's copy of the message the vendor is about to handle. */
  pending?: unknown;
  iframe?: HTMLIFrameElement;
  removeGuard?: () => void;
  focus: Element | null;
  ending?: Ending;
  /** The vendor reported `close`; `finish` follows once it has cleaned up. */
  closeSeen?: boolean;
  finished: boolean;
  settle: (outcome: Outcome) => void;
}

function hasDocument(): boolean {
  return typeof document !== "undefined";
}

function connectMounted(): boolean {
  return hasDocument() && document.getElementById("human-api") !== null;
}

function restoreFocus(target: Element | null): void {
  if (!hasDocument() || !target || !target.isConnected) return;
  const active = document.activeElement;
  // Only when focus was lost with the iframe: never take it back from where the app moved it.
  if (active && active !== document.body && active !== document.documentElement) return;
  const focusable = target as Partial<HTMLElement>;
  if (typeof focusable.focus === "function") focusable.focus();
}

function removeLeftovers(iframe: HTMLIFrameElement | undefined): void {
  // The vendor removes both on close; this only guards against a close it did not finish.
  if (!iframe || !hasDocument()) return;
  if (iframe.isConnected) iframe.remove();
  document.getElementById("human-api-connect-modal-overlay")?.remove();
}

function isAbortSignal(value: unknown): value is AbortSignal {
  const s = value as Partial<AbortSignal> | null;
  return typeof s === "object" && s !== null && typeof s.aborted === "boolean" && typeof s.addEventListener === "function";
}

/** The session engine behind a connect object; loaded on the first `prefetch()` or `open()`. */
export interface Engine {
  open(options?: OpenOptions): Promise<SessionResult>;
  prefetch(): Promise<void>;
  close(): void;
  destroy(): void;
  state(): "idle" | "loading" | "open";
}

/**
 * The session lifecycle: token, vendor client, guard, normalized results and events, clean-up.
 * Lives in its own chunk so that an app's initial bundle holds only the small facade.
 */
export function createEngine(config: ResolvedOptions, events: Emitter<ConnectEvents>, pageLoaded: Promise<void>): Engine {
  const tokens = createTokenSource(config.tokenOrigin, config.refreshSkewSeconds);
  let session: Session | undefined;
  let destroyed = false;

  const fail = (error: ConnectError): Promise<never> => {
    events.emit("error", error);
    return Promise.reject(error);
  };

  function finish(s: Session, outcome: Outcome): void {
    if (s.finished) return;
    s.finished = true;
    s.controller.abort();
    s.removeGuard?.();
    releasePage(s.route);
    if (session === s) session = undefined;
    removeLeftovers(s.iframe);
    restoreFocus(s.focus);
    s.settle(outcome);
  }

  /** Takes the guard's copy of the message being handled, else copies what the vendor passed on. */
  function payloadOf(s: Session, passedOn: unknown): unknown {
    const copy = "pending" in s ? s.pending : copyPayload(passedOn);
    delete s.pending;
    return copy;
  }

  function onChange(s: Session, payload: unknown, status: SourceChange["status"]): void {
    const change = { ...normalizeCopy(payloadOf(s, payload), s.last), status };
    s.last = change;
    events.emit(status === "CONNECTED_SOURCE" ? "connect" : "disconnect", change);
  }

  /** The error a closed session rejects with, if any; drops a token Connect refused. */
  function closingError(s: Session, result: SessionResult, signal: AbortSignal | undefined): ConnectError | undefined {
    if (s.ending === "destroy") {
      return destroyedError(result);
    }
    if (s.ending === "abort") {
      return new ConnectError("ABORTED", "open() was aborted through its signal.", { result, cause: signal?.reason });
    }
    if (!Object.prototype.hasOwnProperty.call(TOKEN_REFUSALS, result.status)) return undefined;
    const code = result.status as keyof typeof TOKEN_REFUSALS;
    if (code !== "MISSING_SESSION_TOKEN") tokens.invalidate();
    return new ConnectError(code, TOKEN_REFUSALS[code], { result });
  }

  function onClose(s: Session, payload: unknown): void {
    s.closeSeen = true;
    const result = normalizeCopy(payloadOf(s, payload), s.last);
    if (s.ending) result.status = "CLOSED_BY_APP";
    // The vendor reports `close` before it removes its iframe, overlay and listeners.
    queueMicrotask(() => finish(s, { result }));
  }

  /** Ends a session from the app side (close(), an aborted signal, destroy()). */
  function end(s: Session, ending: Ending): void {
    if (s.finished || s.ending) return;
    s.ending = ending;
    const frame = s.iframe?.contentWindow;
    if (s.state === "open" && frame) {
      // Through the vendor's own close path, so it removes its elements and listeners; the
      // guard lets this through because it carries the Connect origin and iframe window.
      window.dispatchEvent(
        new MessageEvent("message", {
          data: { type: "hapi-connect-close", status: "CLOSED_BY_APP" },
          origin: config.connectOrigin,
          source: frame,
        }),
      );
    }
    if (!s.closeSeen) {
      queueMicrotask(() => finish(s, { result: { ...s.last, status: "CLOSED_BY_APP", raw: undefined } }));
    }
  }

  async function mount(s: Session): Promise<void> {
    const [token, client] = await Promise.all([tokens.take(s.controller.signal), loadVendor(pageLoaded)]);
    if (s.finished) return;
    if (connectMounted()) {
      throw alreadyOpen();
    }
    s.removeGuard = installGuard(
      window,
      { origin: config.connectOrigin, window: () => s.iframe?.contentWindow },
      (copy) => {
        s.pending = copy;
      },
    );
    client.open({ ...config.vendor, token, version: "V2" });
    const iframe = document.getElementById("human-api");
    if (!(iframe instanceof HTMLIFrameElement)) throw new TypeError("the vendor client mounted no #human-api iframe");
    s.iframe = iframe;
    s.state = "open";
    events.emit("open", { iframe });
  }

  function start(signal: AbortSignal | undefined): Promise<SessionResult> {
    let removeAbort = () => {};
    const s: Session = {
      state: "loading",
      controller: new AbortController(),
      route: {
        connect: (payload) => onChange(s, payload, "CONNECTED_SOURCE"),
        disconnect: (payload) => onChange(s, payload, "DISCONNECTED_SOURCE"),
        close: (payload) => onClose(s, payload),
      },
      last: emptyResult("SUCCESS"),
      focus: hasDocument() ? document.activeElement : null,
      finished: false,
      settle: () => {},
    };
    // One Connect per page: held by a session (of any connect object), or mounted by someone else.
    if (connectMounted() || !claimPage(s.route)) return fail(alreadyOpen());
    session = s;
    const done = new Promise<SessionResult>((resolve, reject) => {
      s.settle = (outcome) => {
        removeAbort();
        const error = "error" in outcome ? outcome.error : closingError(s, outcome.result, signal);
        if ("result" in outcome && s.ending !== "destroy") events.emit("close", outcome.result);
        if (!error) return resolve((outcome as { result: SessionResult }).result);
        events.emit("error", error);
        reject(error);
      };
    });
    if (signal) {
      const onAbort = () => end(s, "abort");
      signal.addEventListener("abort", onAbort, { once: true });
      removeAbort = () => signal.removeEventListener("abort", onAbort);
    }
    mount(s).catch((error: unknown) => {
      if (s.finished) return;
      finish(s, {
        error: isConnectError(error)
          ? error
          : new ConnectError("CLIENT_LOAD_FAILED", "The Connect client failed to open Connect: see cause.", { cause: error }),
      });
    });
    return done;
  }

  return {
    open(openOptions?: OpenOptions) {
      if (destroyed) return fail(destroyedError());
      if (openOptions !== undefined && (typeof openOptions !== "object" || openOptions === null)) {
        return fail(new ConnectError("INVALID_OPTIONS", "open(): options must be an object such as { signal }."));
      }
      const signal = openOptions?.signal;
      if (signal !== undefined && !isAbortSignal(signal)) {
        return fail(new ConnectError("INVALID_OPTIONS", 'open(): option "signal" must be an AbortSignal.'));
      }
      if (signal?.aborted) {
        return fail(new ConnectError("ABORTED", "open() was called with an aborted signal.", { cause: signal.reason }));
      }
      return start(signal);
    },
    async prefetch() {
      if (destroyed) throw destroyedError();
      try {
        await Promise.all([tokens.warm(), loadVendor(pageLoaded)]);
      } catch (error) {
        throw destroyed ? destroyedError() : error;
      }
    },
    close() {
      if (session) end(session, "app");
    },
    destroy() {
      if (destroyed) return;
      destroyed = true;
      tokens.abort();
      if (session) end(session, "destroy");
    },
    state: () => session?.state ?? "idle",
  };
}
