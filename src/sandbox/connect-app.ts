import appCss from "./app/app.css?raw";
import appHtml from "./app/index.html?raw";
import appJs from "./app/app.js?raw";
import launchSvg from "./app/launch.svg?raw";
import { connectMessage } from "../connect-message";
import { noStoreJson } from "../server/json";
import { pageOriginsMeta } from "./page-origins";
import type { SandboxStore, SandboxUser } from "./store";

/** Where the Connect app is served on the sandbox's origin. */
export const CONNECT_PATH = "/connect";

const APP_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'none'; base-uri 'none'";

const EMPTY_META = pageOriginsMeta([]);

// The payload's one owner (src/connect-message.ts), served as the built function's own source.
const CONNECT_MESSAGE_JS = `var connectMessage = ${connectMessage.toString()};\n`;

/** The app's files by path; its page carries the page origins (see `pageOriginsMeta`). */
function assets(pageOrigins: readonly string[]): Record<string, [string, string]> {
  if (!appHtml.includes(EMPTY_META))
    throw new Error("The Connect app's index.html lost its page-origins <meta>: put it back.");
  const html = appHtml.replace(EMPTY_META, pageOriginsMeta(pageOrigins));
  return {
    [CONNECT_PATH]: [html, "text/html; charset=utf-8"],
    [`${CONNECT_PATH}/`]: [html, "text/html; charset=utf-8"],
    [`${CONNECT_PATH}/connect-message.js`]: [CONNECT_MESSAGE_JS, "text/javascript; charset=utf-8"],
    [`${CONNECT_PATH}/app.js`]: [appJs, "text/javascript; charset=utf-8"],
    [`${CONNECT_PATH}/app.css`]: [appCss, "text/css; charset=utf-8"],
    // The vendor client sets this as the iframe's background while Connect loads.
    [`${CONNECT_PATH}/images/data-source-type-icons/launch-connect-text.svg`]: [launchSvg, "image/svg+xml"],
  };
}

function sources(user: SandboxUser) {
  return [...user.connections.values()];
}

async function bodyOf(request: Request): Promise<Record<string, unknown>> {
  try {
    const body = (await request.json()) as unknown;
    return typeof body === "object" && body !== null ? (body as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

const PROVIDER_FIELDS = ["physician", "healthSystem", "address", "website"] as const;

type Authorize = (
  token: unknown,
) => { user: SandboxUser; refusal?: undefined } | { user?: undefined; refusal: Response };

/** Select mode's "request a provider that is not listed": kept for the user when a token names one. */
function requestProvider(body: Record<string, unknown>, authorize: Authorize): Response {
  const provider: Record<string, string> = {};
  const given = (body.provider ?? {}) as Record<string, unknown>;
  for (const field of PROVIDER_FIELDS) {
    if (typeof given[field] === "string" && given[field]) provider[field] = given[field] as string;
  }
  if (Object.keys(provider).length === 0)
    return noStoreJson(400, { error: "Give at least one detail of the provider." });
  if (body.token === null || body.token === undefined)
    return noStoreJson(200, { ok: true, requestedProviders: [provider] });
  const auth = authorize(body.token);
  if (!auth.user) return auth.refusal;
  auth.user.requested.push(provider);
  return noStoreJson(200, { ok: true, requestedProviders: auth.user.requested });
}

/**
 * The Connect web app the vendor client loads in its iframe, and the small JSON API it calls.
 * Tokens are checked on every call with the sandbox's clock. `pageOrigins` are checked ones
 * (`checkPageOrigins`).
 */
export function createConnectApp(store: SandboxStore, pageOrigins: readonly string[] = []) {
  const files = assets(pageOrigins);
  const authorize: Authorize = (token) => {
    const checked = store.check(typeof token === "string" ? token : null);
    // Refusals are answered 200 with `ok: false`: an HTTP error would print a console error in the frame.
    return "user" in checked
      ? { user: checked.user }
      : { refusal: noStoreJson(200, { ok: false, status: checked.status }) };
  };

  return async function connectApp(request: Request): Promise<Response | undefined> {
    const url = new URL(request.url);
    const path = url.pathname.replace(/\/{2,}/g, "/");
    const asset = request.method === "GET" ? files[path] : undefined;
    if (asset) {
      return new Response(asset[0], {
        headers: { "Content-Type": asset[1], "Cache-Control": "no-cache", "Content-Security-Policy": APP_CSP },
      });
    }
    if (!path.startsWith(`${CONNECT_PATH}/api/`)) return undefined;
    const route = `${request.method} ${path.slice(CONNECT_PATH.length + 5)}`;

    if (route === "GET providers") return noStoreJson(200, { ok: true, providers: store.providers });
    if (route === "GET session") {
      const auth = authorize(url.searchParams.get("token"));
      if (!auth.user) return auth.refusal;
      return noStoreJson(200, {
        ok: true,
        providers: store.providers,
        currentConnections: sources(auth.user),
        requestedProviders: auth.user.requested,
      });
    }

    const body = await bodyOf(request);
    if (route === "POST request") return requestProvider(body, authorize);

    const auth = authorize(body.token);
    if (!auth.user) return auth.refusal;
    const provider = store.providers.find((p) => p.id === body.providerId);
    if (!provider) return noStoreJson(404, { error: "Unknown provider." });
    const source = { id: provider.id, name: provider.name };
    if (route === "POST connect") {
      if (body.password === "wrong") return noStoreJson(200, { ok: false, error: "wrong_password" });
      auth.user.connections.set(provider.id, source);
      return noStoreJson(200, { ok: true, source, currentConnections: sources(auth.user) });
    }
    if (route === "POST disconnect") {
      auth.user.connections.delete(provider.id);
      return noStoreJson(200, { ok: true, source, currentConnections: sources(auth.user) });
    }
    return noStoreJson(404, { error: "Not found." });
  };
}
