// @vitest-environment node
import { StrictMode } from "react";
import { renderToString } from "react-dom/server";
import { describe, expect, test } from "vitest";
import { ConnectButton, tokenServer } from "../support/react";

describe("server rendering, in Node with no window", () => {
  test("the React entry imports with no window or document", async () => {
    expect([typeof window, typeof document]).toEqual(["undefined", "undefined"]);
    const entry = await import("../../src/react/index");
    expect(Object.keys(entry)).toEqual(["useHumanConnect"]);
  });

  test("renderToString of a component using the hook shows state idle, no result, no error, and asks for no token", async () => {
    const server = await tokenServer();
    const html = renderToString(
      <StrictMode>
        <ConnectButton tokenUrl={server.url} onOpen={() => undefined} />
      </StrictMode>,
    );
    expect(html).toContain("<output>idle</output>");
    expect(html).toContain("result: <!-- -->none");
    expect(html).toContain("error: <!-- -->none");
    expect(server.seen).toHaveLength(0);
  });
});
