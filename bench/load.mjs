// The server load test of `npm run bench` (issue 15 #5): the demo backend's token route
// (createTokenHandler + createTokenIssuer, from the built package, the signed-in user from a
// cookie) over real HTTP on 127.0.0.1, against the sandbox's token service with 20 ms of latency
// on every answer. 200 simulated users (joining over the first second) ask at once, each one
// request after another, 5,000 requests in all; 80% of them are returning users (they connected
// a source in the sandbox, so a session request for them is refused with 403). Three threads, as
// three machines would be: the backend here, the sandbox (Human API) and the users each in a
// worker, so neither's work slows the backend's event loop. Upstream calls are counted where the
// sandbox's HTTP server receives them. Each variant gets a fresh backend; the sandbox is shared.
// Never asserts on time.
import { spawn, spawnSync } from "node:child_process";
import { subscribe } from "node:diagnostics_channel";
import { once } from "node:events";
import { createServer } from "node:http";
import { createServer as createNetServer } from "node:net";
import { tmpdir } from "node:os";
import { fileURLToPath } from "node:url";
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";
import { DEFAULT_PROVIDERS, startSandbox } from "humanconnect-kit/sandbox";
import { createTokenHandler, createTokenIssuer, toNodeHandler } from "humanconnect-kit/server";

/** The load, as issue 15 fixes it. */
export const LOAD = { users: 200, returningShare: 0.8, requests: 5000, upstreamLatencyMs: 20 };
/** A run that has not finished by then fails the bench (its users are stopped). */
const RUN_CAP_MS = 60_000;
/**
 * The users join over this time, evenly apart, as a load tester's ramp-up: all 200 at the same
 * instant on a fresh backend is a thundering herd, whose first round made p99 swing from 0.3 s to
 * 2.8 s between runs on the same machine.
 */
const RAMP_UP_MS = 1000;
/** Requests to the by-hand backend before the first measured run: Node's HTTP paths get warm. */
const WARM_UP_REQUESTS = 500;
const REDIS_START_MS = 10_000;

/** The value below which `p` percent of `values` fall (nearest rank), to 0.1. */
function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return Number(sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)].toFixed(1));
}

/** The simulated users: every fifth one new, the others returning (80%). */
const simulatedUsers = () =>
  Array.from({ length: LOAD.users }, (_, i) => ({
    userId: `load-user-${i}`,
    email: `load-user-${i}@example.com`,
    returning: i % 5 !== 0,
  }));

/** Posts JSON, answers the status and the parsed body. */
async function postJson(url, body) {
  const response = await fetch(url, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: await response.json().catch(() => ({})) };
}

const credentialsOf = (upstream) => ({ client_id: upstream.clientId, client_secret: upstream.clientSecret });

/** The returning users connect a source in the sandbox's Connect app, as a person would. */
async function seedReturningUsers(sandbox, users) {
  const providerId = DEFAULT_PROVIDERS[0].id;
  const returning = users.filter((user) => user.returning);
  await Promise.all(
    returning.map(async ({ userId, email }) => {
      const session = await postJson(sandbox.authUrl, {
        ...credentialsOf(sandbox),
        client_user_id: userId,
        client_user_email: email,
        type: "session",
      });
      const token = session.body.session_token;
      await postJson(`${sandbox.connectUrl}/api/connect`, { token, providerId, password: "x" });
    }),
  );
  const seeded = returning.filter((user) => sandbox.connections(user.userId).length > 0).length;
  if (seeded !== returning.length) {
    throw new Error(
      `Seeding connected ${seeded} of ${returning.length} returning users: check the sandbox's Connect API.`,
    );
  }
}

/** The sandbox's worker: starts the sandbox, seeds it, posts where it is, then answers "calls" (so far). */
async function sandboxWorker() {
  const sandbox = await startSandbox({ host: "127.0.0.1", port: 0, latencyMs: LOAD.upstreamLatencyMs });
  const { port, pathname } = new URL(sandbox.authUrl);
  let calls = 0;
  subscribe("http.server.request.start", ({ request, socket }) => {
    if (socket.localPort === Number(port) && request.url.split("?")[0] === pathname) calls++;
  });
  await seedReturningUsers(sandbox, simulatedUsers());
  const { authUrl, clientId, clientSecret } = sandbox;
  parentPort.postMessage({ authUrl, clientId, clientSecret });
  parentPort.on("message", (message) => message === "calls" && parentPort.postMessage(calls));
}

/**
 * Starts the sandbox's worker: `ready` gives its token service's URL and credentials, `calls()`
 * the token requests it received so far; both reject once the worker failed, never hang on it.
 * `stop()` ends the worker, and the sandbox's server with it.
 */
function startSandboxWorker() {
  const worker = new Worker(new URL(import.meta.url), { workerData: { role: "sandbox" } });
  let failure;
  const failed = new Promise((_, reject) =>
    worker
      .once("error", (error) => reject((failure = error)))
      .once("exit", (code) => {
        reject((failure ??= new Error(`The sandbox's worker stopped (exit code ${code}).`)));
      }),
  );
  failed.catch(() => undefined);
  const next = () =>
    failure ? Promise.reject(failure) : Promise.race([once(worker, "message").then(([answer]) => answer), failed]);
  return {
    ready: next(),
    calls: () => (worker.postMessage("calls"), next()),
    stop: () => worker.terminate(),
  };
}

/** One token request; throws unless it got a token of the kind the user needs (session when new, id when returning). */
async function tokenRequest(url, user) {
  const response = await fetch(url, { method: "POST", headers: { cookie: `demo_user=${user.userId}` } });
  const body = await response.json().catch(() => ({}));
  const kind = user.returning ? "id" : "session";
  if (response.status === 200 && typeof body.token === "string" && body.token !== "" && body.kind === kind) return;
  // Never the token itself: the status, and the kind that came.
  throw new Error(`HTTP ${response.status}, kind ${body.kind ?? "none"} (${kind} was due)`);
}

/**
 * Each user's connection opened first, with a GET the route refuses (405) before it asks anyone:
 * otherwise the first second would time the worker's own start (fetch loads on first use, 200
 * connections open at once) rather than the backend.
 */
async function openConnections(url, users) {
  await Promise.all(
    users.map(async (user) => {
      const response = await fetch(url, { headers: { cookie: `demo_user=${user.userId}` } });
      await response.arrayBuffer();
      if (response.status !== 405)
        throw new Error(`The token route answered a GET with HTTP ${response.status}, not 405.`);
    }),
  );
}

/** The users' worker: the users join over RAMP_UP_MS, then ask one request after another each, `requests` in all. */
async function clientWorker({ url, requests }) {
  const users = simulatedUsers();
  await openConnections(url, users);
  const latencies = [];
  let errors = 0;
  let firstError;
  const started = performance.now();
  await Promise.all(
    users.map(async (user, u) => {
      await new Promise((resolve) => setTimeout(resolve, (u * RAMP_UP_MS) / users.length));
      for (let i = u; i < requests; i += users.length) {
        const at = performance.now();
        await tokenRequest(url, user).catch((error) => {
          errors++;
          firstError ??= error.message;
        });
        latencies.push(performance.now() - at);
      }
    }),
  );
  parentPort.postMessage({ seconds: (performance.now() - started) / 1000, latencies, errors, firstError });
}

/** Runs the users' worker against `url`; stops it and throws at RUN_CAP_MS. */
async function drive(url, requests) {
  const worker = new Worker(new URL(import.meta.url), { workerData: { role: "client", url, requests } });
  let timer;
  const cap = new Promise((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new Error(
            `The load test did not finish ${requests} requests within ${RUN_CAP_MS / 1000} s: the backend or the sandbox is stuck, or the machine is far too slow.`,
          ),
        ),
      RUN_CAP_MS,
    );
  });
  try {
    const [result] = await Promise.race([once(worker, "message"), cap]);
    return result;
  } finally {
    clearTimeout(timer);
    await worker.terminate();
  }
}

/**
 * The seed document's flow by hand (the vendor's guide, "Start a user session"): ask for a
 * session token, and on 403 for an id token; nothing remembered. Issuer-shaped, so it stands
 * behind the same createTokenHandler route and only the upstream sequence differs.
 */
function byHandIssuer(upstream) {
  return {
    async connectToken({ userId, email }) {
      const base = { ...credentialsOf(upstream), client_user_id: userId };
      const session = await postJson(upstream.authUrl, { ...base, client_user_email: email, type: "session" });
      if (session.status === 200)
        return { token: session.body.session_token, kind: "session", expiresIn: session.body.expires_in };
      if (session.status !== 403) throw new Error(`The session request failed with HTTP ${session.status}.`);
      const id = await postJson(upstream.authUrl, { ...base, type: "id" });
      if (id.status !== 200) throw new Error(`The id request failed with HTTP ${id.status}.`);
      return { token: id.body.id_token, kind: "id", expiresIn: id.body.expires_in };
    },
  };
}

const cookieUser = (request) => /(?:^|;\s*)demo_user=([^;]+)/.exec(request.headers.get("cookie") ?? "")?.[1];

/** The demo backend's token route for `issuer`, on a free port of 127.0.0.1. */
async function startBackend(issuer) {
  const byId = new Map(simulatedUsers().map((user) => [user.userId, user]));
  const errors = [];
  const handler = createTokenHandler({
    issuer,
    authenticate: (request) => {
      const user = byId.get(cookieUser(request));
      return user ? { userId: user.userId, email: user.email } : null;
    },
    onError: (error) => errors.push(error),
  });
  const server = createServer(toNodeHandler(handler));
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return {
    url: `http://127.0.0.1:${server.address().port}/api/connect-token`,
    errors,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** An error's name, code and message (ours never hold a token or the secret). */
const describe = (error) => `${error?.name ?? "Error"}${error?.code ? ` ${error.code}` : ""}: ${error?.message}`;

/** One measured run against a fresh backend: throughput, latency, errors, upstream calls per token. */
async function measureRun(issuer, sandbox) {
  const backend = await startBackend(issuer);
  try {
    const before = await sandbox.calls();
    const { seconds, latencies, errors, firstError } = await drive(backend.url, LOAD.requests);
    const calls = (await sandbox.calls()) - before;
    const tokens = LOAD.requests - errors;
    const figures = {
      tokensPerSecond: Math.round(tokens / seconds),
      p50Ms: percentile(latencies, 50),
      p99Ms: percentile(latencies, 99),
      errors,
      upstreamCallsPerToken: Number((calls / Math.max(tokens, 1)).toFixed(3)),
    };
    if (firstError) figures.firstError = backend.errors[0] ? describe(backend.errors[0]) : firstError;
    return figures;
  } finally {
    await backend.close();
  }
}

/** A free TCP port on 127.0.0.1, for redis-server. */
async function freePort() {
  const server = createNetServer().listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Starts redis-server on 127.0.0.1 with persistence off; `stop()` ends it. */
async function startRedis() {
  const port = await freePort();
  const args = ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"];
  const child = spawn("redis-server", args, { cwd: tmpdir(), stdio: ["ignore", "pipe", "inherit"] });
  // Should the bench die before `stop()`, redis-server dies with it.
  const onExit = () => child.kill("SIGKILL");
  process.once("exit", onExit);
  const stop = async () => {
    process.off("exit", onExit);
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill("SIGTERM");
    await once(child, "exit");
  };
  let log = "";
  let timer;
  const ready = new Promise((resolve, reject) => {
    // Read to the end, so redis-server never blocks on a full pipe.
    child.stdout.on("data", (chunk) => {
      log = `${log}${chunk}`.slice(-200);
      if (log.includes("Ready to accept connections")) resolve();
    });
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`redis-server exited with code ${code} at start.`)));
    timer = setTimeout(() => reject(new Error("redis-server was not ready within 10 s.")), REDIS_START_MS);
  });
  try {
    await ready;
  } catch (error) {
    await stop();
    throw error;
  } finally {
    clearTimeout(timer);
  }
  return { url: `redis://127.0.0.1:${port}`, stop };
}

const issuerBase = ({ authUrl, clientId, clientSecret }) => ({ authUrl, clientId, clientSecret });

/** Why the store variants cannot run here, or undefined when they can. */
async function storeUnavailable(upstream) {
  try {
    createTokenIssuer({ ...issuerBase(upstream), store: {} });
    return "the built issuer ignores the store option (npm run build once it is in src/server)";
  } catch {
    // A TypeError for a store without its functions: the option is there.
  }
  return import("keyv").then(
    () => undefined,
    () => "keyv is not installed (npm ci)",
  );
}

/** Why the Redis variants cannot run here, or undefined when they can. */
async function redisUnavailable() {
  if (spawnSync("redis-server", ["--version"]).error) return "redis-server is not installed";
  return import("@keyv/redis").then(
    () => undefined,
    () => "@keyv/redis is not installed (npm ci)",
  );
}

/** How many of each kind: "TIMEOUT get: 3, FAILED set: 1". */
function tally(kinds) {
  const counts = new Map();
  for (const kind of kinds) counts.set(kind, (counts.get(kind) ?? 0) + 1);
  return [...counts].map(([kind, count]) => `${kind}: ${count}`).join(", ");
}

/**
 * A measured run of the issuer with `keyv` as its store. What the store reported is counted
 * (the issuer went on without the store each time): StoreErrors by code and function, Keyv's own
 * error events.
 */
async function storeRun(upstream, keyv, sandbox) {
  const reported = [];
  keyv.on("error", () => reported.push("Keyv error event"));
  const onStoreError = (error) => reported.push(`${error.code} ${error.operation}`);
  const issuer = createTokenIssuer({ ...issuerBase(upstream), store: keyv, onStoreError });
  const figures = await measureRun(issuer, sandbox);
  return { ...figures, storeErrors: reported.length, ...(reported.length > 0 && { storeErrorKinds: tally(reported) }) };
}

/** Keyv over a real redis-server: a fresh Redis, then a new instance (a restart) over the filled one. */
async function redisRuns(upstream, sandbox) {
  const { default: Keyv } = await import("keyv");
  const { default: KeyvRedis } = await import("@keyv/redis");
  const redis = await startRedis();
  const clients = [];
  const run = () => {
    const keyv = new Keyv(new KeyvRedis(redis.url));
    clients.push(keyv);
    return storeRun(upstream, keyv, sandbox);
  };
  try {
    return { redis: await run(), redisNewInstance: await run() };
  } finally {
    await Promise.allSettled(clients.map((keyv) => keyv.disconnect()));
    await redis.stop();
  }
}

/** The store variants: Keyv in memory, then Keyv over Redis; a reason instead when one cannot run. */
async function storeRuns(upstream, sandbox) {
  const missing = await storeUnavailable(upstream);
  if (missing) return { memoryStore: { skipped: missing }, redis: { skipped: missing } };
  const { default: Keyv } = await import("keyv");
  const memoryStore = await storeRun(upstream, new Keyv(), sandbox);
  const redisMissing = await redisUnavailable();
  if (redisMissing) return { memoryStore, redis: { skipped: redisMissing } };
  return { memoryStore, ...(await redisRuns(upstream, sandbox)) };
}

/**
 * The whole load test. `server` is results.json's `server` key: the load, the default issuer's
 * figures, then `byHand` and the store variants, each with the same figures (the store ones also
 * with `storeErrors`) or a `skipped` reason; `seconds`, how long it took, is printed only.
 */
export async function serverLoad() {
  const started = performance.now();
  const sandbox = startSandboxWorker();
  try {
    const upstream = await sandbox.ready;
    const warmUp = await startBackend(byHandIssuer(upstream));
    await drive(warmUp.url, WARM_UP_REQUESTS).finally(warmUp.close);
    const byHand = await measureRun(byHandIssuer(upstream), sandbox);
    const ours = await measureRun(createTokenIssuer(issuerBase(upstream)), sandbox);
    const server = { ...LOAD, ...ours, byHand, ...(await storeRuns(upstream, sandbox)) };
    return { server, seconds: (performance.now() - started) / 1000 };
  } finally {
    await sandbox.stop();
  }
}

/** The variants, in the order they run: a label and where their figures are in `server`. */
const VARIANTS = [
  ["by hand (the seed document: session, id on 403, no memory)", (s) => s.byHand],
  ["humanconnect-kit, default issuer (in-process LRU)", (s) => s],
  ["humanconnect-kit, store: Keyv in memory", (s) => s.memoryStore],
  ["humanconnect-kit, store: Keyv + Redis (fresh Redis)", (s) => s.redis],
  ["humanconnect-kit, store: Keyv + Redis, a new instance over it", (s) => s.redisNewInstance],
];

/** Requests that failed, in every variant that ran. */
export const loadErrors = (server) =>
  VARIANTS.map(([, of]) => of(server)?.errors ?? 0).reduce((sum, errors) => sum + errors, 0);

/** The printed table of what {@link serverLoad} answered, one row per variant. */
export function loadTable({ server, seconds }) {
  const head = ["variant", "tokens/s", "p50 ms", "p99 ms", "errors", "upstream calls per token"];
  const widths = [62, 8, 7, 7, 6, 24];
  const line = (cells) => `| ${cells.map((cell, i) => String(cell).padEnd(widths[i])).join(" | ")} |`;
  const rows = VARIANTS.map(([label, of]) => [label, of(server)]).filter(([, figures]) => figures);
  return [
    `Server load: ${server.requests} token requests from ${server.users} users at once (joining over ${RAMP_UP_MS / 1000} s; ${server.returningShare * 100}% returning), ${server.upstreamLatencyMs} ms on every sandbox answer, a fresh backend per variant`,
    "",
    line(head),
    `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`,
    ...rows.map(([label, f]) =>
      f.skipped
        ? `| ${label.padEnd(widths[0])} | skipped: ${f.skipped}`
        : line([label, f.tokensPerSecond, f.p50Ms, f.p99Ms, f.errors, f.upstreamCallsPerToken]),
    ),
    `Took ${seconds.toFixed(0)} s.`,
    ...rows.filter(([, f]) => f.firstError).map(([label, f]) => `First error, ${label}: ${f.firstError}`),
    ...rows
      .filter(([, f]) => f.storeErrors)
      .map(
        ([label, f]) => `Store errors, ${label} (the issuer went on without the store each time): ${f.storeErrorKinds}`,
      ),
  ].join("\n");
}

if (!isMainThread && workerData?.role === "sandbox") await sandboxWorker();
if (!isMainThread && workerData?.role === "client") await clientWorker(workerData);
if (isMainThread && process.argv[1] === fileURLToPath(import.meta.url)) {
  const load = await serverLoad();
  console.log(loadTable(load));
  if (loadErrors(load.server) > 0) {
    console.error(`${loadErrors(load.server)} token requests failed under load: see the first error above.`);
    process.exitCode = 1;
  }
}
