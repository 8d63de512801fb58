// @vitest-environment jsdom
import { describe, expect, test } from "vitest";
import type { SessionResult } from "../src/index";
import { make, tick } from "./support/connect";
import { opened, payload, post } from "./support/dom";

describe("the guard", () => {
  async function openSession() {
    const connect = make();
    const changes: SessionResult[] = [];
    connect.on("connect", (c) => changes.push(c));
    const result = connect.open();
    await opened(connect);
    let settled = false;
    void result.then(
      () => (settled = true),
      () => (settled = true),
    );
    return { connect, result, changes, isSettled: () => settled };
  }

  const SENDERS: Array<[string, Parameters<typeof post>[1]]> = [
    ["another origin", { origin: "https://evil.example" }],
    ["a look-alike origin", { origin: "https://hapi-connect.humanapi.co.evil.example" }],
    ["the Connect origin but another window", { source: window }],
    ["the Connect origin and no window", { source: null }],
  ];
  const ACTIONS: Array<[string, unknown]> = [
    ["a close", payload("hapi-connect-close", "SUCCESS")],
    ["a bare 'close'", { type: "close" }],
    ["a 'closehapi-connect-'", { type: "closehapi-connect-" }],
    ["a connect", payload("hapi-connect-connect-source", "CONNECTED_SOURCE")],
    ["a bare 'disconnect-source'", { type: "disconnect-source" }],
  ];
  test.each(
    SENDERS.flatMap(([sender, from]) => ACTIONS.map(([action, data]) => [action, sender, data, from] as const)),
  )("stops %s from %s", async (_action, _sender, data, from) => {
    const { changes, isSettled, result } = await openSession();
    const event = post(data, from);
    expect(event.data).toHaveProperty("type");
    await tick();
    expect(isSettled()).toBe(false);
    expect(changes).toEqual([]);
    expect(document.getElementById("human-api")).not.toBeNull();
    post(payload("hapi-connect-close", "SUCCESS"));
    await expect(result).resolves.toMatchObject({ status: "SUCCESS" });
  });

  test.each([
    ["null data", null],
    ["undefined data", undefined],
    ["a numeric type", { type: 1 }],
    ["an object type", { type: { replace: () => "close" } }],
    [
      "a type getter that throws",
      Object.defineProperty({}, "type", {
        get: () => {
          throw new Error("boom");
        },
      }),
    ],
  ])("stops %s, on which the vendor would crash, from any sender", async (_name, data) => {
    const uncaught: unknown[] = [];
    const onError = (event: ErrorEvent) => {
      uncaught.push(event.error);
      event.preventDefault();
    };
    window.addEventListener("error", onError);
    const { isSettled, result } = await openSession();
    post(data, { origin: "https://evil.example" });
    post(data);
    await tick();
    window.removeEventListener("error", onError);
    expect(uncaught).toEqual([]);
    expect(isSettled()).toBe(false);
    post(payload("hapi-connect-close", "SUCCESS"));
    await result;
  });

  test("leaves every other message alone, so other widgets keep working", async () => {
    const { result } = await openSession();
    const received: unknown[] = [];
    const widget = (event: MessageEvent) => received.push(event.data);
    window.addEventListener("message", widget);
    post({ type: "other-widget-ready" }, { origin: "https://widget.example", source: window });
    post("a string message", { origin: "https://widget.example", source: window });
    post({ type: "" }, { origin: "https://widget.example", source: window });
    post({ noType: true }, { origin: "https://widget.example", source: window });
    post({ type: "hapi-connect-close" }, { origin: "https://widget.example", source: window });
    window.removeEventListener("message", widget);
    expect(received).toEqual([{ type: "other-widget-ready" }, "a string message", { type: "" }, { noType: true }]);
    post(payload("hapi-connect-close", "SUCCESS"));
    await result;
  });

  test("lets a bare 'close' through from the Connect iframe, as the vendor accepts it", async () => {
    const { result } = await openSession();
    post({ type: "close" });
    await expect(result).resolves.toMatchObject({ status: "SUCCESS", raw: { type: "close" } });
  });

  test("is not there when no session is open: messages reach the page untouched", async () => {
    const received: unknown[] = [];
    const widget = (event: MessageEvent) => received.push(event.data);
    window.addEventListener("message", widget);
    post({ type: "hapi-connect-close" }, { origin: "https://evil.example", source: window });
    window.removeEventListener("message", widget);
    expect(received).toEqual([{ type: "hapi-connect-close" }]);
  });
});
