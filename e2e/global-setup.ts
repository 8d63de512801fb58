import { startDemo } from "../demo/server.mjs";

// Starts the demo (and with it the sandbox) on a free port for the whole run; tests read its
// URL from DEMO_URL. Returns the teardown.
export default async function globalSetup(): Promise<() => Promise<void>> {
  const demo = await startDemo({ port: 0 });
  process.env.DEMO_URL = demo.url;
  process.env.CONNECT_ORIGIN = demo.connectOrigin;
  return () => demo.close();
}
