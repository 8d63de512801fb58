import { readFileSync } from "node:fs";
import { defineConfig } from "vitest/config";
// The tests load the vendor client as our builds bundle it (its ES source, in a factory).
import { vendorModule } from "./rollup.config.mjs";

const pkg = JSON.parse(readFileSync(new URL("./package.json", import.meta.url), "utf8")) as { version: string };

export default defineConfig({
  define: { __VERSION__: JSON.stringify(pkg.version) },
  plugins: [vendorModule()],
  test: {
    include: ["test/**/*.test.{ts,tsx}", "examples/**/*.test.ts"],
    environment: "node",
    testTimeout: 15_000,
  },
});
