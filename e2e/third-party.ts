import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Frame, Page } from "@playwright/test";
import { test } from "./fixtures";

/**
 * A third origin (an ad, a widget) on 127.0.0.1 for the tests of the calling describe block,
 * started before them and stopped after; the demo's CSP, which would refuse its frame outright, is
 * bypassed there, to test the guard itself. Returns what puts its frame into a page.
 * @example const addThirdPartyFrame = useThirdPartyOrigin(); const attacker = await addThirdPartyFrame(page);
 */
export function useThirdPartyOrigin(): (page: Page) => Promise<Frame> {
  let server: Server;
  let origin = "";
  test.beforeAll(async () => {
    server = createServer((_request, response) => {
      response.writeHead(200, { "content-type": "text/html" });
      response.end("<!doctype html><title>third party</title><p>ad</p>");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  test.afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });
  test.use({ bypassCSP: true });

  return async (page) => {
    await page.evaluate((src) => {
      const frame = document.createElement("iframe");
      frame.src = src;
      frame.id = "third-party";
      document.body.append(frame);
      return new Promise((resolve) => frame.addEventListener("load", resolve));
    }, `${origin}/ad.html`);
    const frame = page.frames().find((candidate) => candidate.url().startsWith(origin));
    if (!frame) throw new Error("the third-party frame did not load");
    return frame;
  };
}
