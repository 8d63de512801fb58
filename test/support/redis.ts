import { spawn, type ChildProcess } from "node:child_process";
import { accessSync, constants, mkdtempSync, rmSync } from "node:fs";
import { createServer, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";

/** A redis-server this test run started: its URL, and how to stop it. */
export interface RedisServer {
  /** `redis://127.0.0.1:<port>`. */
  url: string;
  port: number;
  /** Stops the server (SIGTERM to its pid, SIGKILL if it is still there after 5 s); safe to call twice. */
  stop(): Promise<void>;
}

/** Debian's redis-server: REDIS_SERVER_PATH, else the first one on PATH or in /usr/bin, /usr/sbin. */
export function findRedisServer(): string {
  const given = process.env.REDIS_SERVER_PATH;
  const folders = [...(process.env.PATH ?? "").split(delimiter), "/usr/bin", "/usr/sbin"].filter(Boolean);
  for (const path of given ? [given] : folders.map((folder) => join(folder, "redis-server"))) {
    try {
      accessSync(path, constants.X_OK);
      return path;
    } catch {
      // not here: the next folder
    }
  }
  throw new Error(
    "redis-server was not found: install Debian's package (apt-get install -y redis-server; .ci/run does it on CI) or set REDIS_SERVER_PATH. The Redis tests never skip.",
  );
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Resolves once the server says it accepts connections; rejects with its output when it exits first or takes over 10 s. */
function ready(child: ChildProcess): Promise<void> {
  let output = "";
  return new Promise<void>((resolve, reject) => {
    const fail = (why: string) => {
      clearTimeout(timer);
      reject(new Error(`redis-server ${why}. Its output:\n${output}`));
    };
    const timer = setTimeout(() => fail("did not get ready within 10 s"), 10_000);
    child.once("exit", (code) => fail(`exited with code ${code} before it was ready`));
    const read = (chunk: Buffer) => {
      output += chunk.toString("utf8");
      if (output.includes("Ready to accept connections")) {
        clearTimeout(timer);
        resolve();
      }
    };
    // Both pipes are read until the end, so the server never blocks on a full one.
    child.stdout?.on("data", read);
    child.stderr?.on("data", read);
  });
}

function stopper(child: ChildProcess, folder: string): () => Promise<void> {
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once("exit", () => resolve());
  });
  const onExit = () => child.kill("SIGKILL");
  process.once("exit", onExit);
  return async () => {
    process.off("exit", onExit);
    if (child.exitCode === null && child.signalCode === null) process.kill(child.pid!, "SIGTERM");
    const killer = setTimeout(() => child.kill("SIGKILL"), 5_000);
    await exited;
    clearTimeout(killer);
    rmSync(folder, { recursive: true, force: true });
  };
}

/**
 * Starts a real redis-server on 127.0.0.1 on a free port (or `options.port`, to start one again
 * where a stopped one was), persistence off, in a temporary folder (never a system service).
 * Throws, saying how to install it, when redis-server is missing.
 * @example
 * ```ts
 * const redis = await startRedis();
 * const keyv = new Keyv(new KeyvRedis(redis.url));
 * await redis.stop();
 * ```
 */
export async function startRedis(options: { port?: number } = {}): Promise<RedisServer> {
  const binary = findRedisServer();
  const folder = mkdtempSync(join(tmpdir(), "humanconnect-kit-redis-"));
  const port = options.port ?? (await freePort());
  const args = ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", folder];
  const child = spawn(binary, args, { stdio: ["ignore", "pipe", "pipe"] });
  const stop = stopper(child, folder);
  try {
    await ready(child);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url: `redis://127.0.0.1:${port}`, port, stop };
}
