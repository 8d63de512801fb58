// An integrator's app would write `from "humanconnect-kit"`; this example lives in the kit's own
// repository, so it imports the same public entry from its source (no build, no path mapping).
import { createConnect, isConnectError, type SessionResult, type Source } from "../../src/index";

/** Options for {@link mountConnectButton}. */
export interface ConnectButtonOptions {
  /**
   * Your backend's endpoint that answers a Connect token.
   * @example "/api/connect-token"
   */
  tokenUrl: string | URL;
  /**
   * Where the Connect app is served (the sandbox's address in development).
   * @default "https://hapi-connect.humanapi.co"
   */
  baseUrl?: string | URL;
  /**
   * Called for each source the user connects, while Connect is still open.
   * @default undefined
   * @example (source) => analytics.track("source connected", { id: source.id })
   */
  onConnected?: (source: Source) => void;
  /**
   * Tells your backend what the session did, once Connect has closed normally.
   * @example (result) => fetch("/api/after-close", { method: "POST", body: JSON.stringify(result) })
   */
  afterClose: (result: SessionResult) => Promise<unknown> | unknown;
}

/** What {@link mountConnectButton} returns. */
export interface ConnectButton {
  /** Closes Connect if it is open, empties `root` and drops the connect object. */
  destroy(): void;
}

/** What the user reads when a session fails, by error code; any other failure reads {@link FALLBACK}. */
const MESSAGES: Record<string, string> = {
  SESSION_TOKEN_EXPIRED: "Your session expired: press Connect to try again.",
  SESSION_TOKEN_INVALID: "Connect did not accept your session: press Connect to try again.",
  ALREADY_OPEN: "Connect is already open in this page.",
};
const FALLBACK = "Something went wrong: press Connect to try again.";
const SAVE_FAILED = "Your sources are connected, but we could not save them: press Connect to try again.";

/**
 * Renders a "Connect" button, a status line and the list of the user's connected sources in
 * `root`. A press opens Human API Connect; each connected source joins the list at once, and
 * when Connect closes the list shows every current connection and `afterClose` is called.
 * @example
 * ```ts
 * mountConnectButton(document.getElementById("health")!, {
 *   tokenUrl: "/api/connect-token",
 *   afterClose: (result) => fetch("/api/after-close", { method: "POST", body: JSON.stringify(result) }),
 * });
 * ```
 */
export function mountConnectButton(root: HTMLElement, options: ConnectButtonOptions): ConnectButton {
  const connect = createConnect({ tokenUrl: options.tokenUrl, baseUrl: options.baseUrl });
  root.innerHTML = `<button type="button">Connect</button><p role="status"></p><ul aria-label="Connected sources"></ul>`;
  const button = root.querySelector("button")!;
  const status = root.querySelector("p")!;
  const list = root.querySelector("ul")!;
  const show = (text: string, isError = false) => {
    status.textContent = text;
    status.classList.toggle("error", isError);
  };
  const render = (sources: Source[]) => list.replaceChildren(...sources.map(listItem));

  // A change lists every source connected in the session so far: announce each one once.
  const announced = new Set<string>();
  connect.on("connect", (change) => {
    render(change.currentConnections);
    for (const source of change.connectedSources.filter((s) => !announced.has(s.id))) {
      announced.add(source.id);
      options.onConnected?.(source);
    }
  });
  connect.prefetchOn(button);
  button.addEventListener("click", async () => {
    button.disabled = true;
    announced.clear();
    show("Connecting…");
    let result: SessionResult;
    try {
      result = await connect.open();
    } catch (error) {
      return show(isConnectError(error) ? (MESSAGES[error.code] ?? FALLBACK) : FALLBACK, true);
    } finally {
      // Usable again as soon as Connect is gone, before the save: focus goes back to the button
      // one task after the close, and a button still disabled then cannot take it.
      button.disabled = false;
    }
    render(result.currentConnections);
    show("Saving…");
    try {
      await options.afterClose(result);
      const count = result.currentConnections.length;
      show(`${count} ${count === 1 ? "source" : "sources"} connected.`);
    } catch {
      show(SAVE_FAILED, true);
    }
  });
  return {
    destroy() {
      connect.destroy();
      root.replaceChildren();
    },
  };
}

/** One `<li>` with the source's name (as text: names come from Connect, never parsed as HTML). */
function listItem(source: Source): HTMLLIElement {
  const item = document.createElement("li");
  item.textContent = source.name;
  return item;
}
