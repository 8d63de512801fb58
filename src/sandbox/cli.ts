import { parseArgs } from "node:util";
import { startSandbox } from "./index";
import { checkPageOrigins } from "./page-origins";

const USAGE = "Usage: humanconnect-sandbox [--port N] [--host H] [--latency MS] [--page-origin ORIGIN]...";

async function main(): Promise<void> {
  let values: { port?: string; host?: string; latency?: string; "page-origin"?: string[]; help?: boolean };
  let pageOrigins: readonly string[];
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: "string" },
        host: { type: "string" },
        latency: { type: "string" },
        "page-origin": { type: "string", multiple: true },
        help: { type: "boolean", short: "h" },
      },
    }));
    pageOrigins = checkPageOrigins(values["page-origin"], "--page-origin");
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}\n`);
    process.exit(2);
  }
  if (values.help) {
    process.stdout.write(
      `${USAGE}\nStarts a local, in-memory Human API (token service + Connect app).\n` +
        "--page-origin: the exact origin of a page that opens Connect (repeat it for several); needed when the\n" +
        "browser names no page to Connect (Firefox with Referrer-Policy: no-referrer), and refuses any other page.\n",
    );
    return;
  }
  const port = Number(values.port ?? 4010);
  const latencyMs = Number(values.latency ?? 0);
  if (!Number.isInteger(port) || port < 0 || port > 65535 || !Number.isFinite(latencyMs) || latencyMs < 0) {
    process.stderr.write(`--port must be 0-65535 and --latency a number of milliseconds.\n${USAGE}\n`);
    process.exit(2);
  }
  const sandbox = await startSandbox({ host: values.host ?? "127.0.0.1", port, latencyMs, pageOrigins });
  process.stdout.write(
    [
      "Human API sandbox running",
      `  authUrl:      ${sandbox.authUrl}`,
      `  connectUrl:   ${sandbox.connectUrl}`,
      `  clientId:     ${sandbox.clientId}`,
      `  clientSecret: ${sandbox.clientSecret}`,
      ...(pageOrigins.length > 0 ? [`  pageOrigins:  ${pageOrigins.join(" ")}`] : []),
      "Press Ctrl+C to stop.",
      "",
    ].join("\n"),
  );
  const stop = () => void sandbox.close().then(() => process.exit(0));
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`humanconnect-sandbox: ${(error as Error).message}\n`);
  process.exit(1);
});
