import { ConnectError } from "./errors";
import type { ConnectPassThroughOptions } from "./types";
// The vendor's ES source in a factory (rollup.config.mjs, vendorModule): importing it runs nothing.
import { evaluateVendor } from "humanapi-connect-client";

/** The options of the vendor's `open()` that we set (see docs/protocol.md, "Opening Connect"). */
export interface VendorOpenOptions extends Omit<ConnectPassThroughOptions, "overlayOpacity"> {
  token: string;
  version: "V2";
  baseURL: string;
  /** A string, since the vendor reads `overlayOpacity || "0.6"`: a number 0 would become 0.6. */
  overlayOpacity?: number | string;
}

/** The two functions humanapi-connect-client 2.4.1 exports. */
export interface VendorClient {
  open(options: VendorOpenOptions): unknown;
  on(event: string, listener: (payload: unknown) => void): void;
}

/** Where the vendor's events go: the one session that holds the page. */
export interface VendorRoute {
  connect(payload: unknown): void;
  disconnect(payload: unknown): void;
  close(payload: unknown): void;
}

let holder: VendorRoute | undefined;
let loading: Promise<VendorClient> | undefined;

/**
 * Claims the page for one session: the vendor can show one Connect at a time and its
 * listeners are global, so its events are routed to the holder. False when already held.
 */
export function claimPage(route: VendorRoute): boolean {
  if (holder) return false;
  holder = route;
  return true;
}

/** Releases the page if `route` holds it. */
export function releasePage(route: VendorRoute): void {
  if (holder === route) holder = undefined;
}

function asClient(exports: unknown): VendorClient | undefined {
  const c = exports as Partial<VendorClient> | null | undefined;
  return c && typeof c.open === "function" && typeof c.on === "function" ? (c as VendorClient) : undefined;
}

/**
 * Runs humanapi-connect-client once and bridges its module-wide emitter, whose listeners can never
 * be removed, to whichever session holds the page. The build took out its module code's `load`
 * listener (rollup.config.mjs, `VENDOR_LOAD_LISTENER`), so it may run before the page's `load`
 * event. A failed run is forgotten, so a later call tries again.
 */
export function loadVendor(): Promise<VendorClient> {
  loading ??= Promise.resolve()
    .then(() => {
      // Without a window (Node, SSR) the vendor's code would run, but Connect can never open.
      if (typeof window === "undefined") throw new ReferenceError("window is not defined");
      const client = asClient(evaluateVendor());
      if (!client) throw new TypeError("humanapi-connect-client exports no open() and on()");
      for (const event of ["connect", "disconnect", "close"] as const)
        client.on(event, (payload) => holder?.[event](payload));
      return client;
    })
    .catch((cause: unknown) => {
      loading = undefined;
      throw new ConnectError(
        "CLIENT_LOAD_FAILED",
        "Could not load humanapi-connect-client: call open() in a browser, check the network and CSP; see cause.",
        { cause },
      );
    });
  return loading;
}
