// The demo's backend: serves the demo pages, the React page (/react.html, demo/react), the
// integrator example's page (/integrator.html) and the drop-in pages (/drop-in.html and
// /drop-in-vendor.html: the vendor's README as written, with our drop-in or the vendor's file),
// answers /api/connect-token through createTokenHandler (the signed-in user comes from a cookie),
// and after Connect closes fetches an access token for that user, server side. Targets the
// sandbox unless HUMANAPI_CLIENT_ID and HUMANAPI_CLIENT_SECRET are set, then the real Human API
// (default URLs), with no code change.
import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import { createServer } from "node:http";
import { relative } from "node:path";
import { fileURLToPath } from "node:url";
import { startSandbox } from "humanconnect-kit/sandbox";
import { createTokenHandler, createTokenIssuer, toNodeHandler } from "humanconnect-kit/server";
import { vendorFile } from "../bench/size.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const REAL_CONNECT_URL = "https://hapi-connect.humanapi.co";

const STATIC = {
  "/demo.css": ["demo/public/demo.css", "text/css"],
  "/app.js": ["demo/public/app.js", "text/javascript"],
  "/error-help.js": ["demo/public/error-help.js", "text/javascript"],
  "/cdn-main.js": ["demo/public/cdn-main.js", "text/javascript"],
  "/humanconnect-kit.min.js": ["dist/humanconnect-kit.min.js", "text/javascript"],
  "/humanconnect-kit.compat.min.js": ["dist/humanconnect-kit.compat.min.js", "text/javascript"],
  "/drop-in-listeners.js": ["demo/public/drop-in-listeners.js", "text/javascript"],
  "/drop-in-open.js": ["demo/public/drop-in-open.js", "text/javascript"],
  "/naive.js": ["demo/public/naive.js", "text/javascript"],
  // Wherever npm put it: the file the package name resolves to, the one the bench measures.
  "/vendor/humanapi-connect-client.js": [relative(root, vendorFile), "text/javascript"],
};

const PAGES = {
  "/": {
    build: "CDN file (script tag)",
    other: ["/esm.html", "ESM build"],
    scripts: '<script src="/humanconnect-kit.min.js"></script>\n    <script type="module" src="/cdn-main.js"></script>',
  },
  "/esm.html": {
    build: "ESM build (bundled)",
    other: ["/", "CDN file"],
    scripts: '<script type="module" src="/esm/main.js"></script>',
  },
  // The vendor's guide by hand, for `npm run bench` to compare against (no event log, no guard).
  "/naive.html": {
    build: "vendor client by hand (the vendor's guide)",
    other: ["/", "CDN file"],
    scripts: '<script src="/vendor/humanapi-connect-client.js"></script>\n    <script src="/naive.js" defer></script>',
  },
};

/** Pages with their own HTML file: the React page and the integrator example's page. */
const PAGE_FILES = {
  "/react.html": "demo/react/index.html",
  "/integrator.html": "examples/integrator/index.html",
};

/**
 * The vendor's README and guide as written (demo/public/drop-in.html), the same body twice: with
 * our drop-in file, and with the vendor's own file. The server renders the user's token into the
 * page, as the vendor's integration expects.
 */
const DROP_IN_PAGES = {
  "/drop-in.html": { client: "humanconnect-kit's drop-in", script: "/humanconnect-kit.compat.min.js" },
  "/drop-in-vendor.html": { client: "humanapi-connect-client", script: "/vendor/humanapi-connect-client.js" },
};

/** For a value written into an HTML attribute. */
const escapeAttribute = (value) =>
  String(value).replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** A file of STATIC, or a chunk of the ESM page (demo/dist, built by `npm run build:demo`). */
const isStaticFile = (path) => Object.hasOwn(STATIC, path) || /^\/esm\/[\w.-]+\.js$/.test(path);

async function staticFile(path) {
  if (Object.hasOwn(STATIC, path)) {
    const [file, type] = STATIC[path];
    return new Response(await readFile(`${root}${file}`), { headers: { "Content-Type": `${type}; charset=utf-8` } });
  }
  return readFile(`${root}demo/dist/${path.slice("/esm/".length)}`).then(
    (code) => new Response(code, { headers: { "Content-Type": "text/javascript; charset=utf-8" } }),
    () => new Response("Not built: run npm run demo", { status: 404 }),
  );
}

function cookies(header) {
  return Object.fromEntries(
    (header ?? "")
      .split(";")
      .map((part) => part.trim().split("="))
      .filter(([k, v]) => k && v)
      .map(([k, v]) => [k, decodeURIComponent(v)]),
  );
}

/** The strict Content Security Policy the demo pages are served with (see README). */
export function contentSecurityPolicy(connectOrigin) {
  return [
    "default-src 'self'",
    "script-src 'self'",
    `frame-src ${connectOrigin}`,
    "style-src 'self'",
    `img-src 'self' ${connectOrigin}`,
  ].join("; ");
}

/**
 * Starts the sandbox (unless real credentials are set) and the demo backend.
 * `tokenLatencyMs` delays the token endpoint; `staticLatencyMs` delays every static file (the CDN
 * file, the ESM page's chunks, the by-hand page's vendor file, the pages' own scripts and CSS), as
 * a CDN far from the user would. Both default to 0.
 * @param {{ port?: number, host?: string, tokenLatencyMs?: number, staticLatencyMs?: number }} options
 * @example const demo = await startDemo({ port: 0, tokenLatencyMs: 50, staticLatencyMs: 50 });
 */
export async function startDemo(options = {}) {
  const real = Boolean(process.env.HUMANAPI_CLIENT_ID && process.env.HUMANAPI_CLIENT_SECRET);
  const sandbox = real ? undefined : await startSandbox({ host: "127.0.0.1", port: 0 });
  const issuer = createTokenIssuer(
    real
      ? { clientId: process.env.HUMANAPI_CLIENT_ID, clientSecret: process.env.HUMANAPI_CLIENT_SECRET }
      : { clientId: sandbox.clientId, clientSecret: sandbox.clientSecret, authUrl: sandbox.authUrl },
  );
  const connectUrl = sandbox?.connectUrl ?? REAL_CONNECT_URL;
  const connectOrigin = new URL(connectUrl).origin;
  const csp = contentSecurityPolicy(connectOrigin);
  const target = sandbox ? `the local sandbox at ${connectOrigin}` : "the real Human API";

  /** What the backend obtained per user: kinds and lifetimes, never a token's value. */
  const users = new Map();
  const userOf = (request) => users.get(cookies(request.headers.get("cookie")).demo_user);
  const newUser = () => {
    const userId = `demo-${randomBytes(4).toString("hex")}`;
    users.set(userId, { userId, email: `${userId}@example.com`, issued: [] });
    return users.get(userId);
  };
  /** The signed-in user, or a new one with the headers that sign them in. */
  const signedIn = (request) => {
    const user = userOf(request);
    if (user) return { user, headers: {} };
    const created = newUser();
    return { user: created, headers: { "Set-Cookie": `demo_user=${created.userId}; Path=/; HttpOnly; SameSite=Lax` } };
  };

  const handlerFor = (tokenIssuer) =>
    createTokenHandler({
      issuer: tokenIssuer,
      authenticate: (request) => {
        const user = userOf(request);
        return user ? { userId: user.userId, email: user.email } : null;
      },
      onError: (error) => console.error(`[demo] token request failed: ${error.code ?? error.name}: ${error.message}`),
    });
  const tokenHandler = handlerFor(issuer);
  // The expired scenario asks the sandbox's expiredAuthUrl, which issues that one token already
  // expired: per request, so users asking at the same time still get working tokens.
  const expiredTokenHandler =
    sandbox &&
    handlerFor(
      createTokenIssuer({
        clientId: sandbox.clientId,
        clientSecret: sandbox.clientSecret,
        authUrl: sandbox.expiredAuthUrl,
      }),
    );
  const tokenLatencyMs = options.tokenLatencyMs ?? 0;
  const staticLatencyMs = options.staticLatencyMs ?? 0;
  const delay = (ms) => (ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve());

  async function connectToken(request, scenario) {
    await delay(tokenLatencyMs);
    const user = userOf(request);
    if (scenario === "down") return Response.json({ error: "backend_down" }, { status: 503 });
    if (scenario === "invalid")
      return Response.json({ token: `st-not-a-real-token-${randomBytes(4).toString("hex")}`, expires_in: 3600 });
    if (scenario === "missing") return Response.json({ token: " " });
    if (scenario === "expired" && expiredTokenHandler) return expiredTokenHandler(request);
    const response = await tokenHandler(request);
    if (response.ok && user) {
      const body = await response.clone().json();
      user.issued.push({ kind: body.kind, expiresIn: body.expires_in });
    }
    return response;
  }

  const htmlResponse = (html, headers = {}) =>
    new Response(html, {
      headers: { ...headers, "Content-Type": "text/html; charset=utf-8", "Content-Security-Policy": csp },
    });

  /** A drop-in page, with a token for the signed-in user (a new one when there is none) in its button. */
  async function dropInPage(request, { client, script }) {
    const { user, headers } = signedIn(request);
    let issued;
    try {
      issued = await issuer.connectToken({ userId: user.userId, email: user.email });
    } catch (error) {
      console.error(`[demo] token for the drop-in page failed: ${error.code ?? error.name}: ${error.message}`);
      return new Response("Could not get a Connect token for this page: see the demo server's log, then reload.", {
        status: 502,
        headers: { ...headers, "Content-Type": "text/plain; charset=utf-8" },
      });
    }
    user.issued.push({ kind: issued.kind, expiresIn: issued.expiresIn });
    const html = (await readFile(`${root}demo/public/drop-in.html`, "utf8"))
      .replaceAll("{{CLIENT}}", client)
      .replaceAll("{{CLIENT_SCRIPT}}", script)
      .replaceAll("{{BASE_URL}}", escapeAttribute(connectUrl))
      .replaceAll("{{TOKEN}}", escapeAttribute(issued.token));
    // A token is in the page: no cache may keep it.
    return htmlResponse(html, { ...headers, "Cache-Control": "no-store" });
  }

  async function handle(request) {
    const url = new URL(request.url);
    const path = url.pathname;
    if (path === "/api/connect-token") return connectToken(request, url.searchParams.get("scenario") ?? "normal");
    if (path === "/api/sign-in" && request.method === "POST") {
      // "new": a fresh user (the current one is remembered as the previous one);
      // "returning": back to the previous user, or the current one when there is none.
      const { as } = await request.json().catch(() => ({}));
      const jar = cookies(request.headers.get("cookie"));
      const current = users.get(jar.demo_user);
      const user = as === "returning" ? (users.get(jar.demo_previous) ?? current ?? newUser()) : newUser();
      const headers = new Headers({ "Set-Cookie": `demo_user=${user.userId}; Path=/; HttpOnly; SameSite=Lax` });
      if (current && current !== user)
        headers.append("Set-Cookie", `demo_previous=${current.userId}; Path=/; HttpOnly; SameSite=Lax`);
      return Response.json({ userId: user.userId }, { headers });
    }
    if (path === "/api/me" && request.method === "POST") {
      const { user, headers } = signedIn(request);
      const connections = sandbox ? sandbox.connections(user.userId) : [];
      return Response.json({ userId: user.userId, issued: user.issued, connections }, { headers });
    }
    if (path === "/api/after-close" && request.method === "POST") {
      const user = userOf(request);
      if (!user) return Response.json({ ok: false, error: "not signed in" }, { status: 401 });
      try {
        const access = await issuer.accessToken({ userId: user.userId });
        user.access = { expiresIn: access.expiresIn, expiresAt: Date.now() + access.expiresIn * 1000 };
        user.issued.push({ kind: "access", expiresIn: access.expiresIn });
        return Response.json({ ok: true, userId: user.userId, ...user.access });
      } catch (error) {
        return Response.json({ ok: false, error: error.message }, { status: 502 });
      }
    }
    if (isStaticFile(path)) {
      await delay(staticLatencyMs);
      return staticFile(path);
    }
    if (Object.hasOwn(DROP_IN_PAGES, path)) return dropInPage(request, DROP_IN_PAGES[path]);
    if (Object.hasOwn(PAGE_FILES, path)) {
      const html = (await readFile(`${root}${PAGE_FILES[path]}`, "utf8"))
        .replaceAll("{{BASE_URL}}", connectUrl)
        .replaceAll("{{TARGET}}", target);
      // The integrator's page asks for a token without signing in first: sign a user in here.
      return htmlResponse(html, signedIn(request).headers);
    }
    const page = PAGES[path];
    if (page) {
      const template = await readFile(`${root}demo/public/index.html`, "utf8");
      const html = template
        .replaceAll("{{BASE_URL}}", connectUrl)
        .replaceAll("{{BUILD}}", page.build)
        .replaceAll("{{OTHER_HREF}}", page.other[0])
        .replaceAll("{{OTHER_BUILD}}", page.other[1])
        .replaceAll("{{TARGET}}", target)
        .replace("{{SCRIPTS}}", page.scripts);
      return htmlResponse(html);
    }
    if (path === "/favicon.ico") return new Response(null, { status: 204 });
    return new Response("Not found", { status: 404 });
  }

  const server = createServer(toNodeHandler(handle));
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 5173, options.host ?? "127.0.0.1", resolve);
  });
  const port = server.address().port;
  return {
    url: `http://localhost:${port}`,
    port,
    sandbox,
    connectOrigin,
    csp,
    users,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await sandbox?.close();
    },
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const port = Number(process.env.PORT ?? 5173);
  const demo = await startDemo({
    port,
    tokenLatencyMs: Number(process.env.TOKEN_LATENCY_MS ?? 0),
    staticLatencyMs: Number(process.env.STATIC_LATENCY_MS ?? 0),
  });
  console.log(`Demo: ${demo.url}`);
  console.log(
    demo.sandbox
      ? `Sandbox (local Human API): ${demo.sandbox.connectUrl}`
      : "Target: the real Human API (HUMANAPI_CLIENT_ID is set)",
  );
  const stop = () => void demo.close().then(() => process.exit(0));
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}
