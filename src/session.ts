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
  SESSION_TOKEN_INVALID: "Connect refused the token as invalid: issue a new one, then call open() again.",
  SESSION_TOKEN_EXPIRED: "Connect refused the token as expired: call open() again for a fresh one.",
  MISSING_SESSION_TOKEN: "Connect got no token: make your token endpoint or getToken() return one.",
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
  pageLoaded: Promise<void>;
}

function connectMounted(): boolean {
  return typeof document !== "undefined" && document.getElementById(IFRAME_ID) !== null;
}

function restoreFocus(target: Element | null): void {
  if (typeof document === "undefined" || !target || !target.isConnected) return;
  const active = document.activeElement;
  // Only when focus was lost with the iframe: never take it back from where the app moved it.
  if (active && active !== document.body && active !== document.documentElement) return;
  const focusable = target as Partial<HTMLElement>;
  if (typeof focusable.focus === "function") focusable.focus();
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

/** One Connect session, from `open()` to its settled promise: claims the page, gets a token and the vendor client, mounts Connect. */
export class Session {
  phase: Phase = "loading";
  /** Settles once, when the session is done and everything it added is gone. */
  readonly done: Promise<SessionResult>;
  private settle: (outcome: Outcome) => void = () => {};
  private readonly controller = new AbortController();
  private readonly focus = typeof document === "undefined" ? null : document.activeElement;
  private ending?: Ending;
  /** The last connect/disconnect snapshot: fills what a terse close payload lacks. */
  private last = emptyResult("SUCCESS");
  /** The guard's copy of the message the vendor is about to handle. */
  private pending?: { copy: unknown };
  /** The result of the close the vendor reported, until the session is done. */
  private closed?: SessionResult;
  private ownClose?: Event;
  private iframe?: HTMLIFrameElement;
  private overlay?: Element | null;
  private removeGuard = () => {};
  private observer?: MutationObserver;
  private readonly onAbort = () => this.end("abort");
  private readonly route: VendorRoute = {
    connect: (payload) => this.onChange(payload, "CONNECTED_SOURCE"),
    disconnect: (payload) => this.onChange(payload, "DISCONNECTED_SOURCE"),
    close: (payload) => this.onClose(payload),
  };

  constructor(
    private readonly context: SessionContext,
    private readonly signal: AbortSignal | undefined,
  ) {
    this.done = new Promise((resolve, reject) => {
      this.settle = (outcome) => ("error" in outcome ? reject(outcome.error) : resolve(outcome.result));
    });
    // One Connect per page: held by a session (of any connect object), or mounted by someone else.
    if (connectMounted() || !claimPage(this.route)) {
      this.phase = "done";
      this.settle({ error: alreadyOpenError() });
      return;
    }
    signal?.addEventListener("abort", this.onAbort, { once: true });
    this.mount().catch((error: unknown) =>
      this.finish({
        error: isConnectError(error)
          ? error
          : new ConnectError("CLIENT_LOAD_FAILED", "The Connect client failed to open Connect: see cause.", {
              cause: error,
            }),
      }),
    );
  }

  /** Ends the session from the app side; does nothing once it is ending or done. */
  end(ending: Ending): void {
    if (this.phase === "done" || this.ending) return;
    this.ending = ending;
    try {
      if (this.phase === "open") this.closeThroughVendor();
    } finally {
      // Whatever the vendor's clean-up did, the session settles and releases the page.
      this.finish({ result: this.closed ?? { ...this.last, status: "CLOSED_BY_APP", raw: undefined } });
    }
  }

  private async mount(): Promise<void> {
    const { config, tokens, pageLoaded } = this.context;
    const [token, client] = await Promise.all([tokens.take(this.controller.signal), loadVendor(pageLoaded)]);
    if (this.phase !== "loading") return;
    if (connectMounted()) throw alreadyOpenError();
    this.removeGuard = installGuard(
      window,
      { origin: config.connectOrigin, window: () => this.iframe?.contentWindow, own: () => this.ownClose },
      (copy) => this.onTrusted(copy),
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
    if (!(iframe instanceof HTMLIFrameElement)) throw new TypeError("the vendor client mounted no #human-api iframe");
    // The vendor keeps its last focus trap in a module variable and activates it from this
    // handler, even for a later session without one (on an iframe long gone): replace it then.
    if (!config.vendor.enableFocusTrap) iframe.onload = () => iframe.contentWindow?.focus();
    this.iframe = iframe;
    this.overlay = document.getElementById(OVERLAY_ID);
    this.phase = "open";
    // A Connect frame the page removed can never post its close: end the session instead.
    this.observer = new MutationObserver(() => {
      if (this.phase === "open" && !iframe.isConnected) this.end("app");
    });
    this.observer.observe(document, { childList: true, subtree: true });
    this.context.events.emit("open", { iframe });
  }

  private onTrusted(copy: unknown): void {
    this.pending = { copy };
    if (vendorAction(copy) === "close") standInsForVendorCleanup();
  }

  /** Takes the guard's copy of the message being handled, else copies what the vendor passed on. */
  private payloadOf(passedOn: unknown): unknown {
    const copy = this.pending ? this.pending.copy : copyPayload(passedOn);
    this.pending = undefined;
    return copy;
  }

  private onChange(payload: unknown, status: SourceChange["status"]): void {
    const change = { ...normalizeCopy(this.payloadOf(payload), this.last), status };
    this.last = change;
    this.context.events.emit(status === "CONNECTED_SOURCE" ? "connect" : "disconnect", change);
  }

  private onClose(payload: unknown): void {
    const result = normalizeCopy(this.payloadOf(payload), this.last);
    if (this.ending) result.status = "CLOSED_BY_APP";
    this.phase = "closing";
    this.closed = result;
    // The vendor reports `close` before it removes its iframe, overlay and listeners.
    queueMicrotask(() => this.finish({ result }));
  }

  /** Closes an open Connect through the vendor's own close path, so it removes what it added. */
  private closeThroughVendor(): void {
    standInsForVendorCleanup();
    this.ownClose = new MessageEvent("message", {
      data: { type: "hapi-connect-close", status: "CLOSED_BY_APP" },
      origin: this.context.config.connectOrigin,
      source: this.iframe?.contentWindow ?? null,
    });
    try {
      window.dispatchEvent(this.ownClose);
    } finally {
      this.ownClose = undefined;
    }
  }

  /** The error a closed session rejects with, if any; drops a token Connect refused. */
  private closingError(result: SessionResult): ConnectError | undefined {
    if (this.ending === "destroy") return destroyedError(result);
    if (this.ending === "abort") {
      return new ConnectError("ABORTED", "open() was aborted through its signal.", {
        result,
        cause: this.signal?.reason,
      });
    }
    const code = TOKEN_REFUSALS.find((refusal) => refusal === result.status);
    if (!code) return undefined;
    if (code !== "MISSING_SESSION_TOKEN") this.context.tokens.invalidate();
    return new ConnectError(code, REFUSAL_MESSAGES[code], { result });
  }

  private finish(outcome: Outcome): void {
    if (this.phase === "done") return;
    this.phase = "done";
    this.controller.abort();
    this.signal?.removeEventListener("abort", this.onAbort);
    this.removeGuard();
    this.observer?.disconnect();
    releasePage(this.route);
    removeLeftovers([this.iframe, this.overlay]);
    restoreFocus(this.focus);
    if ("error" in outcome) return this.settle(outcome);
    // `close` says Connect closed, or open() resolved: not for an abort before anything was mounted.
    if (this.ending !== "destroy" && (this.ending !== "abort" || this.iframe))
      this.context.events.emit("close", outcome.result);
    const error = this.closingError(outcome.result);
    this.settle(error ? { error } : outcome);
  }
}
