import type { Emitter } from "./emitter";
import { alreadyOpenError, ConnectError, destroyedError, isConnectError } from "./errors";
import { installGuard, vendorAction } from "./guard";
import { copyPayload, normalizeCopy } from "./normalize";
import type { ResolvedOptions } from "./options";
import { TOKEN_REFUSALS, type TokenRefusal } from "./refusals";
import { emptyResult } from "./result";
import type { TokenSource } from "./token";
import type { ConnectEvents, SessionResult, SourceChange } from "./types";
import { claimPage, loadVendor, releasePage, type VendorRoute } from "./vendor";

/** What to do when Connect refused the token, by its status (one for each of {@link TOKEN_REFUSALS}). */
const REFUSAL_MESSAGES: Record<TokenRefusal, string> = {
  SESSION_TOKEN_INVALID: "Connect refused the token as invalid: call open() again with a new one.",
  SESSION_TOKEN_EXPIRED: "Connect refused the token as expired: call open() again for a new one.",
  MISSING_SESSION_TOKEN: "Connect got no token: make tokenUrl or getToken() return one.",
};

const IFRAME_ID = "human-api";
const OVERLAY_ID = "human-api-connect-modal-overlay";

/**
 * Where a session is: `loading` (token and vendor client on the way), `open` (Connect mounted),
 * `closing` (the vendor reported `close` and is cleaning up), `done` (settled, nothing left).
 */
export type Phase = "loading" | "open" | "closing" | "done";

/** Why the app ended a session: `close()` (or the page removed Connect), an aborted signal, `destroy()`. */
export type Ending = "app" | "abort" | "destroy";

type Outcome = { result: SessionResult } | { error: ConnectError };

/** What a session needs from the engine that starts it. */
export interface SessionContext {
  config: ResolvedOptions;
  events: Emitter<ConnectEvents>;
  tokens: TokenSource;
}

/** One Connect session, from `open()` to its settled promise (see {@link openSession}). */
export interface Session {
  /** Where the session is; `done` once it settled. */
  readonly phase: Phase;
  /** Settles once, when the session is done and everything it added is gone. */
  readonly done: Promise<SessionResult>;
  /** Ends the session from the app side; does nothing once it is ending or done. */
  end(ending: Ending): void;
}

/**
 * A session's state: a plain object worked on by this module's functions rather than a class,
 * since a minifier shortens function names but never method or field names.
 */
interface State extends Session {
  phase: Phase;
  readonly context: SessionContext;
  readonly signal: AbortSignal | undefined;
  readonly settle: (outcome: Outcome) => void;
  readonly controller: AbortController;
  readonly focus: Element | null | undefined;
  readonly onAbort: () => void;
  readonly route: VendorRoute;
  ending?: Ending;
  /** The last connect/disconnect snapshot: fills what a terse close payload lacks. */
  last: SessionResult;
  /** The guard's copy of the message the vendor is about to handle. */
  pending?: { copy: unknown };
  /** The result of the close the vendor reported, until the session is done. */
  closed?: SessionResult;
  ownClose?: Event;
  iframe?: HTMLIFrameElement;
  overlay?: Element | null;
  removeGuard?: () => void;
  observer?: MutationObserver;
}

function connectMounted(): boolean {
  return typeof document !== "undefined" && document.getElementById(IFRAME_ID) !== null;
}

function restoreFocus(target: Element | null | undefined): void {
  const put = () => {
    // An element means a document: none in Node.
    if (!target?.isConnected) return;
    const active = document.activeElement;
    // Only when focus was lost with the iframe: never take it back from where the app moved it.
    if (active && active !== document.body && active !== document.documentElement) return;
    const focusable = target as Partial<HTMLElement>;
    if (typeof focusable.focus === "function") focusable.focus();
  };
  put();
  // A button the app disabled while Connect was open takes no focus now; the app enables it when
  // open() settles or its state re-renders (React does in a microtask): try once more after that.
  setTimeout(put);
}

/**
 * The vendor's close clean-up removes `#human-api` and the overlay by id, and throws (leaving its
 * `message` and `resize` listeners behind) when the page already removed either: put a hidden
 * stand-in where one is missing, for the vendor to remove.
 */
function standInsForVendorCleanup(): void {
  // The page may even have removed <body>.
  const parent = document.body ?? document.documentElement;
  for (const id of [IFRAME_ID, OVERLAY_ID]) {
    if (document.getElementById(id) || !parent) continue;
    const standIn = document.createElement("div");
    standIn.id = id;
    standIn.hidden = true;
    parent.append(standIn);
  }
}

/** The vendor removes both on close; this removes what it missed (say, inside a <body> the page took out). */
function removeLeftovers(elements: Array<Element | null | undefined>): void {
  for (const element of elements) element?.remove();
}

/**
 * Starts one session: claims the page, gets a token and the vendor client, mounts Connect.
 * A page that is already held settles it at once with ALREADY_OPEN (its phase is then `done`).
 */
export function openSession(context: SessionContext, signal: AbortSignal | undefined, focus?: Element | null): Session {
  let settle!: (outcome: Outcome) => void;
  const session: State = {
    phase: "loading",
    end: (ending) => endSession(session, ending),
    done: new Promise((resolve, reject) => {
      settle = (outcome) => ("error" in outcome ? reject(outcome.error) : resolve(outcome.result));
    }),
    context,
    signal,
    settle,
    controller: new AbortController(),
    focus: focus ?? globalThis.document?.activeElement,
    last: emptyResult("SUCCESS"),
    onAbort: () => endSession(session, "abort"),
    route: {
      connect: (payload) => onChange(session, payload, "CONNECTED_SOURCE"),
      disconnect: (payload) => onChange(session, payload, "DISCONNECTED_SOURCE"),
      close: (payload) => onClose(session, payload),
    },
  };
  // One Connect per page: held by a session (of any connect object), or mounted by someone else.
  if (connectMounted() || !claimPage(session.route)) {
    session.phase = "done";
    settle({ error: alreadyOpenError() });
    return session;
  }
  signal?.addEventListener("abort", session.onAbort, { once: true });
  mount(session).catch((error: unknown) =>
    finish(session, {
      error: isConnectError(error)
        ? error
        : new ConnectError("CLIENT_LOAD_FAILED", "Connect failed to open: see cause.", {
            cause: error,
          }),
    }),
  );
  return session;
}

function endSession(session: State, ending: Ending): void {
  if (session.phase === "done" || session.ending) return;
  session.ending = ending;
  try {
    if (session.phase === "open") closeThroughVendor(session);
  } finally {
    // Whatever the vendor's clean-up did, the session settles and releases the page.
    finish(session, { result: session.closed ?? { ...session.last, status: "CLOSED_BY_APP", raw: undefined } });
  }
}

async function mount(session: State): Promise<void> {
  const { config, tokens } = session.context;
  const [token, client] = await Promise.all([tokens.take(session.controller.signal), loadVendor()]);
  if (session.phase !== "loading") return;
  if (connectMounted()) throw alreadyOpenError();
  session.removeGuard = installGuard(
    window,
    { origin: config.connectOrigin, window: () => session.iframe?.contentWindow, own: () => session.ownClose },
    (copy) => onTrusted(session, copy),
  );
  // The vendor reads `overlayOpacity || "0.6"`: a 0 must reach it as "0".
  const { overlayOpacity } = config.vendor;
  client.open({
    ...config.vendor,
    ...(overlayOpacity === undefined ? {} : { overlayOpacity: String(overlayOpacity) }),
    token,
    version: "V2",
  });
  const iframe = document.getElementById(IFRAME_ID);
  if (!(iframe instanceof HTMLIFrameElement)) throw new TypeError("no #human-api iframe mounted");
  // The vendor keeps its last focus trap in a module variable and activates it from this
  // handler, even for a later session without one (on an iframe long gone): replace it then.
  if (!config.vendor.enableFocusTrap) iframe.onload = () => iframe.contentWindow?.focus();
  session.iframe = iframe;
  session.overlay = document.getElementById(OVERLAY_ID);
  session.phase = "open";
  // A Connect frame the page removed can never post its close: end the session instead.
  session.observer = new MutationObserver(() => {
    if (session.phase === "open" && !iframe.isConnected) endSession(session, "app");
  });
  session.observer.observe(document, { childList: true, subtree: true });
  session.context.events.emit("open", { iframe });
}

function onTrusted(session: State, copy: unknown): void {
  session.pending = { copy };
  if (vendorAction(copy) === "close") standInsForVendorCleanup();
}

/** Takes the guard's copy of the message being handled, else copies what the vendor passed on. */
function payloadOf(session: State, passedOn: unknown): unknown {
  const copy = session.pending ? session.pending.copy : copyPayload(passedOn);
  session.pending = undefined;
  return copy;
}

function onChange(session: State, payload: unknown, status: SourceChange["status"]): void {
  const change = { ...normalizeCopy(payloadOf(session, payload), session.last), status };
  session.last = change;
  session.context.events.emit(status === "CONNECTED_SOURCE" ? "connect" : "disconnect", change);
}

function onClose(session: State, payload: unknown): void {
  const result = normalizeCopy(payloadOf(session, payload), session.last);
  if (session.ending) result.status = "CLOSED_BY_APP";
  session.phase = "closing";
  session.closed = result;
  // The vendor reports `close` before it removes its iframe, overlay and listeners.
  queueMicrotask(() => finish(session, { result }));
}

/** Closes an open Connect through the vendor's own close path, so it removes what it added. */
function closeThroughVendor(session: State): void {
  standInsForVendorCleanup();
  session.ownClose = new MessageEvent("message", {
    data: { type: "hapi-connect-close", status: "CLOSED_BY_APP" },
    origin: session.context.config.connectOrigin,
    source: session.iframe?.contentWindow ?? null,
  });
  try {
    window.dispatchEvent(session.ownClose);
  } finally {
    session.ownClose = undefined;
  }
}

/** The error a closed session rejects with, if any; drops a token Connect refused. */
function closingError(session: State, result: SessionResult): ConnectError | undefined {
  if (session.ending === "destroy") return destroyedError(result);
  if (session.ending === "abort") {
    return new ConnectError("ABORTED", "open() was aborted by its signal.", {
      result,
      cause: session.signal?.reason,
    });
  }
  const code = TOKEN_REFUSALS.find((refusal) => refusal === result.status);
  if (!code) return undefined;
  if (code !== "MISSING_SESSION_TOKEN") session.context.tokens.invalidate();
  return new ConnectError(code, REFUSAL_MESSAGES[code], { result });
}

function finish(session: State, outcome: Outcome): void {
  if (session.phase === "done") return;
  session.phase = "done";
  session.controller.abort();
  session.signal?.removeEventListener("abort", session.onAbort);
  session.removeGuard?.();
  session.observer?.disconnect();
  releasePage(session.route);
  removeLeftovers([session.iframe, session.overlay]);
  restoreFocus(session.focus);
  if ("error" in outcome) return session.settle(outcome);
  // `close` says Connect closed, or open() resolved: not for an abort before anything was mounted.
  if (session.ending !== "destroy" && (session.ending !== "abort" || session.iframe))
    session.context.events.emit("close", outcome.result);
  const error = closingError(session, outcome.result);
  session.settle(error ? { error } : outcome);
}
