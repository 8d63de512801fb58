// The integrator's page script: mounts the Connect button on #health. The demo's Rollup build
// bundles it against the built package, as an integrator's bundler would (see
// demo/rollup.config.mjs); e2e/integrator.spec.ts drives it against the sandbox.
import { mountConnectButton } from "./app";

const meta = document.querySelector<HTMLMetaElement>('meta[name="connect-base-url"]');
mountConnectButton(document.getElementById("health")!, {
  tokenUrl: "/api/connect-token",
  baseUrl: meta?.content || undefined,
  afterClose: async () => {
    const response = await fetch("/api/after-close", { method: "POST" });
    if (!response.ok) throw new Error(`after-close answered ${response.status}`);
  },
});
