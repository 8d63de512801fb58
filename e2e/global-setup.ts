// Starts the demo (and with it the sandbox) on a free port for the whole run; tests read its
// URL from DEMO_URL. Returns the teardown.
export default async function globalSetup(): Promise<() => Promise<void>> {
  // @ts-expect-error plain JavaScript module without types
  const { startDemo } = (await import("../demo/server.mjs")) as { startDemo: (o: { port: number }) => Promise<{ url: string; connectOrigin: string; close(): Promise<void> }> };
  const demo = await startDemo({ port: 0 });
  process.env.DEMO_URL = demo.url;
  process.env.CONNECT_ORIGIN = demo.connectOrigin;
  return () => demo.close();
}
