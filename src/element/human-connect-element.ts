import { ConnectError, type GetTokenOptions, type SessionResult } from "../index";
import {
  CALLBACKS,
  createConnectStore,
  optionsKey,
  type ConnectStore,
  type HumanConnectState,
  type StoreOptions,
} from "../store/index";
import { attributeOptions } from "./attributes";
import { adoptStyle } from "./style";
import type { HumanConnectElementOptions } from "./types";

// In Node (server rendering) there is no HTMLElement: the class is defined, never constructed.
const Base = (globalThis.HTMLElement ?? class {}) as typeof HTMLElement;

const notInDocument = () =>
  new ConnectError("DESTROYED", "<human-connect>: open() out of the document: insert the element first.");

/** What the page may have set on the element before it was defined. */
type Preset = Partial<Pick<HumanConnectElement, "getToken" | "options">>;

/** Calls `prefetch()` on these, silently: the press comes 50 to 150 ms before its click. */
const BEFORE_A_CLICK = ["pointerenter", "focus", "pointerdown"];

/**
 * `<human-connect>`: a button that opens Human API Connect, configured by attributes, reporting
 * through `hc-*` events. Register it with `defineHumanConnect()` (the CDN file and
 * `humanconnect-kit/element/define` do).
 * @example
 * ```html
 * <human-connect token-url="/api/connect-token">Connect your health data</human-connect>
 * ```
 */
export class HumanConnectElement extends Base {
  // Each starts as what the page set before the element was defined (an upgrade keeps the object,
  // and a field would overwrite it): a page may set them before the CDN file or a module ran.
  /**
   * A function that gives the Connect token (instead of `token-url` or `token`), for the next open.
   * @default undefined
   * @example element.getToken = async () => (await fetch("/api/connect-token", { method: "POST" })).json();
   */
  getToken: GetTokenOptions["getToken"] | undefined = (this as Preset).getToken;
  /**
   * Any other `createConnect()` option, for the next open (attributes win over it).
   * @default {}
   * @example element.options = { tokenRequest: { headers: { "X-CSRF-Token": csrf } } };
   */
  options: HumanConnectElementOptions = (this as Preset).options ?? {};
  #latest: { current: StoreOptions } = { current: {} as StoreOptions };
  #store: ConnectStore = createConnectStore(this.#latest, notInDocument);
  #button: HTMLButtonElement;
  #events: Record<string, (detail: unknown) => void> = {};
  #label = document.createElement("span");
  /** The `getToken` last seen, and how many times it changed: a new function is a new configuration. */
  #seen: [GetTokenOptions["getToken"] | undefined, number] = [undefined, 0];

  constructor() {
    super();
    const root = this.attachShadow({ mode: "open", delegatesFocus: true });
    adoptStyle(root);
    const button = (this.#button = document.createElement("button"));
    button.type = "button";
    button.setAttribute("part", "button");
    const slot = document.createElement("slot");
    this.#label.textContent = "Connect your health data";
    button.append(slot, this.#label);
    root.append(button);
    // The default label shows unless the content says something: a server template's whitespace
    // between the tags would otherwise fill the slot and leave the button without a name.
    slot.addEventListener("slotchange", () => this.#render());
    button.addEventListener("click", () => void this.open().catch(() => undefined));
    for (const type of BEFORE_A_CLICK)
      button.addEventListener(type, () => void this.prefetch().catch(() => undefined), { passive: true });
    for (const name of CALLBACKS) {
      const type = `hc-${name.slice(2).toLowerCase()}`;
      this.#events[name] = (detail) =>
        this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
    }
    this.#store.subscribe(() => this.#render());
  }

  /** `"idle"`, `"loading"` or `"open"`, also as the `data-state` attribute. */
  get state(): HumanConnectState {
    return this.#store.state();
  }

  /** Opens Connect: the same promise `createConnect().open()` gives; a failure is also an `hc-error`. */
  open(): Promise<SessionResult> {
    this.#configure();
    return this.#store.actions.open();
  }
  /** Warms the token and the client (the element does it on hover, focus and press). */
  prefetch(): Promise<void> {
    this.#configure();
    return this.#store.actions.prefetch();
  }
  /** Closes Connect; `open()` resolves with status `CLOSED_BY_APP`. */
  close(): void {
    this.#store.actions.close();
  }
  /**
   * Forgets the cached token: call it when the user signs out or another signs in without a page
   * load, so the next open asks for a token for whoever is signed in then.
   * @example await signOut(); document.querySelector("human-connect")?.clearToken();
   */
  clearToken(): void {
    this.#store.actions.clearToken();
  }
  /**
   * Focuses the button, as `delegatesFocus` does where the browser has it: focus comes back here
   * when Connect closes, also where it does not (jsdom).
   * @example element.focus();
   */
  override focus(options?: FocusOptions): void {
    this.#button.focus(options);
  }

  /** @internal */
  connectedCallback(): void {
    this.#configure();
    this.#store.live(true);
    this.#render();
  }
  /**
   * @internal Removed from the document: Connect closes (`hc-close`, `CLOSED_BY_APP`), nothing is
   * left. Not when it was only moved (put back in the same task, as a framework reordering does).
   */
  disconnectedCallback(): void {
    queueMicrotask(() => {
      if (this.isConnected) return;
      this.#store.actions.close();
      this.#store.live(false);
    });
  }
  /**
   * Options from the attributes, `options` and `getToken`, as they are at each use: a change
   * makes a new connect object then, once no `open()` is pending.
   */
  #configure(): void {
    const options = { ...this.options, ...attributeOptions(this), getToken: this.getToken };
    if (this.#seen[0] !== this.getToken) this.#seen = [this.getToken, this.#seen[1] + 1];
    this.#latest.current = { ...options, ...this.#events } as StoreOptions;
    this.#store.want(this.#seen[1] + optionsKey(options as StoreOptions));
  }

  #render(): void {
    const state = this.#store.state();
    this.#label.hidden = [...this.childNodes].some((node) => node.nodeType === 1 || node.textContent?.trim());
    this.dataset.state = state;
    this.#button.disabled = state !== "idle";
    // aria-busy="" would be read as false: an ARIA true/false attribute needs its word.
    this.#button.setAttribute("aria-busy", String(state !== "idle"));
  }
}
