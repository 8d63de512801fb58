import { createRequire } from "node:module";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { NodeNext } from "../../src/server/index";
import { cleanups } from "./helpers";

type Middleware = (req: IncomingMessage, res: ServerResponse, next: NodeNext) => unknown;
/** The little of Express (4 and 5 alike) these tests use; @types/express is not needed for it. */
interface ExpressApp {
  use(middleware: Middleware): unknown;
  post(path: string, middleware: Middleware): unknown;
  listen(
    port: number,
    host: string,
    ready: () => void,
  ): { address(): AddressInfo | string | null; closeAllConnections(): void; close(done: () => void): void };
}
interface Express {
  (): ExpressApp;
  json(): Middleware;
}

const require = createRequire(import.meta.url);
/** Real Express of each major, installed side by side as devDependencies by npm alias. */
export const expressMajors = { express4: require("express4") as Express, express5: require("express5") as Express };

/** Serves `route` at POST /api/connect-token behind `express.json()`, on 127.0.0.1 and an ephemeral port. */
export async function serveExpress(express: Express, route: Middleware): Promise<string> {
  const app = express();
  app.use(express.json());
  app.post("/api/connect-token", route);
  const server = await new Promise<ReturnType<ExpressApp["listen"]>>((resolve) => {
    const listening = app.listen(0, "127.0.0.1", () => resolve(listening));
  });
  cleanups.push(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/connect-token`;
}
