import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";

describe("the humanconnect-sandbox CLI", () => {
  // Runs the built CLI (npm test builds first).
  const cli = fileURLToPath(new URL("../../dist/sandbox-cli.mjs", import.meta.url));
  /** Starts the CLI on a free port with one --page-origin flag per origin. */
  const startWithPageOrigins = (...origins: string[]) =>
    spawn(process.execPath, [cli, "--port", "0", ...origins.flatMap((origin) => ["--page-origin", origin])]);

  test("refuses a --page-origin that is not an exact origin, naming the flag, with exit code 2", async () => {
    const child = startWithPageOrigins("http://localhost:5173", "localhost:8080");
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise((resolve) => child.once("exit", resolve));
    expect(code).toBe(2);
    expect(stderr).toMatch(/^--page-origin\[1\] must be an http or https origin/);
  });

  test("passes each --page-origin to the Connect page and prints them", async () => {
    const child = startWithPageOrigins("http://localhost:5173", "https://app.example");
    try {
      let stdout = "";
      await new Promise<void>((resolve, reject) => {
        child.stdout.on("data", (chunk: Buffer) => {
          stdout += chunk.toString();
          if (stdout.includes("Press Ctrl+C")) resolve();
        });
        child.once("exit", (code) => reject(new Error(`the CLI exited with ${code}`)));
      });
      expect(stdout).toContain("pageOrigins:  http://localhost:5173 https://app.example");
      const connectUrl = /connectUrl:\s+(\S+)/.exec(stdout)![1]!;
      expect(await (await fetch(connectUrl)).text()).toContain(
        '<meta name="page-origins" content="http://localhost:5173 https://app.example" />',
      );
    } finally {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGTERM");
        await new Promise((resolve) => child.once("exit", resolve));
      }
    }
  });
});
