import { describe, expect, test } from "vitest";
import { asOpenError, readOpenOptions } from "../../src/compat/open-options";
import { ConnectError, createConnect } from "../../src/index";

describe("reading the vendor's open() options", () => {
  test.each([
    ["the token alone", { token: "t", version: "V2" }, { token: "t" }],
    [
      "baseURL, under createConnect's name",
      { token: "t", baseURL: "http://127.0.0.1:1", version: "V2" },
      { token: "t", baseUrl: "http://127.0.0.1:1" },
    ],
    [
      "every text option as given",
      {
        token: "t",
        mode: "select",
        clientId: "c",
        segment: "s",
        pinnedProviders: ["a"],
        inviteSessionId: "p",
        config: "g",
        preseededSources: [{ id: "x" }],
        version: "V2",
      },
      {
        token: "t",
        mode: "select",
        clientId: "c",
        segment: "s",
        pinnedProviders: ["a"],
        inviteSessionId: "p",
        config: "g",
        preseededSources: [{ id: "x" }],
      },
    ],
    [
      "empty text options as absent, as the vendor's `if (options.x)` reads them",
      { token: "t", mode: "", segment: "", baseURL: "", pinnedProviders: "", version: "V2" },
      { token: "t" },
    ],
    [
      'preseed and enableFocusTrap by truthiness, the string "false" as false',
      { token: "t", preseed: "false", enableFocusTrap: 1, version: "V2" },
      { token: "t", preseed: false, enableFocusTrap: true },
    ],
    [
      "overlayOpacity as a number, 0 kept (the vendor turns it into 0.6)",
      { token: "t", overlayOpacity: 0, version: "V2" },
      { token: "t", overlayOpacity: 0 },
    ],
    [
      "overlayOpacity given as a string",
      { token: "t", overlayOpacity: "0.3", version: "V2" },
      { token: "t", overlayOpacity: 0.3 },
    ],
    [
      "overlayOpacity as CSS reads it: a percentage",
      { token: "t", overlayOpacity: "80%", version: "V2" },
      { token: "t", overlayOpacity: 0.8 },
    ],
    [
      "overlayOpacity as CSS reads it: above 1 is 1",
      { token: "t", overlayOpacity: 80, version: "V2" },
      { token: "t", overlayOpacity: 1 },
    ],
    [
      "overlayOpacity null or false as absent (the vendor's 0.6)",
      { token: "t", overlayOpacity: null, version: "V2" },
      { token: "t" },
    ],
    [
      'overlayOpacity CSS would not take ("auto", "0,5") as absent, as CSS leaves it out',
      { token: "t", overlayOpacity: "auto", version: "V2" },
      { token: "t" },
    ],
    ...["  ", "-Infinity", "Infinity", "0x1", [], true].map((overlayOpacity): [string, object, object] => [
      `overlayOpacity ${JSON.stringify(overlayOpacity)}, which CSS would not take, as absent`,
      { token: "t", overlayOpacity, version: "V2" },
      { token: "t" },
    ]),
    [
      "booleans for text options, and numbers among pinnedProviders, as text",
      { token: "t", segment: true, pinnedProviders: [123, "abc"], version: "V2" },
      { token: "t", segment: "true", pinnedProviders: ["123", "abc"] },
    ],
    [
      "numbers for text options as text, as the vendor's searchParams.set makes them",
      { token: "t", segment: 42, clientId: 7, version: "V2" },
      { token: "t", segment: "42", clientId: "7" },
    ],
    [
      "options the vendor ignores (logger, anything unknown), ignored",
      { token: "t", logger: () => undefined, colour: "red", version: "V2" },
      { token: "t" },
    ],
  ])("takes %s", (_case, given, expected) => {
    const request = readOpenOptions(given);
    expect(request).toEqual({ options: expected });
    // What it makes is what createConnect() accepts.
    expect(() => createConnect((request as { options: Parameters<typeof createConnect>[0] }).options)).not.toThrow();
  });

  test("without version V2, takes the V1 callbacks, called as methods of the options as the vendor calls them; falsy ones left out", () => {
    const seen: unknown[] = [];
    const options = {
      token: "t",
      onClose(this: unknown, response: unknown) {
        seen.push(this, response);
      },
      onConnectSource: false,
      onDisconnectSource: null,
    };
    const request = readOpenOptions(options) as { options: unknown; callbacks: Record<string, (r: unknown) => void> };
    expect(request.options).toEqual({ token: "t" });
    expect(Object.keys(request.callbacks)).toEqual(["close"]);
    request.callbacks.close!("response");
    expect(seen).toEqual([options, "response"]);
  });

  test("with version V2, the V1 callbacks are left alone, as the vendor does", () => {
    expect(readOpenOptions({ token: "t", version: "V2", onClose: "not even a function" })).toEqual({
      options: { token: "t" },
    });
  });

  test.each([
    ["no options", undefined, /give an options object, such as \{ token \}/],
    ["null", null, /give an options object/],
    ["an array", ["t"], /give an options object/],
    ["no token", {}, /options\.token must be the session or id token/],
    ["an empty token", { token: "" }, /options\.token must be/],
    ["a token that is not a string", { token: 42 }, /options\.token must be/],
    [
      "a V1 callback that is something other than a function",
      { token: "t", onClose: "close" },
      /options\.onClose must be a function/,
    ],
  ])("refuses %s with INVALID_OPTIONS, never throwing", (_case, given, message) => {
    const error = readOpenOptions(given);
    expect(error).toBeInstanceOf(ConnectError);
    expect(error).toMatchObject({
      code: "INVALID_OPTIONS",
      message: expect.stringMatching(/^HumanConnect\.open\(\): /),
    });
    expect((error as ConnectError).message).toMatch(message);
  });

  test("refuses options whose getter throws, with the getter's error as cause", () => {
    const bug = new Error("getter");
    const error = readOpenOptions({
      get token(): string {
        throw bug;
      },
    });
    expect(error).toMatchObject({
      code: "INVALID_OPTIONS",
      cause: bug,
      message: expect.stringMatching(/a getter threw/),
    });
  });

  test("never puts the token in a message", () => {
    const error = readOpenOptions({ token: "st-secret-token", onClose: 7 }) as ConnectError;
    expect(error.message).not.toContain("st-secret-token");
  });
});

describe("createConnect's refusals, in HumanConnect.open's words", () => {
  test.each([
    ["mode", { token: "t", mode: "pick" }, /^HumanConnect\.open\(\): option "mode" must be "auth" or "select"/],
    ["baseURL", { token: "t", baseUrl: "ftp://x" }, /^HumanConnect\.open\(\): option "baseURL" must be/],
    [
      "overlayOpacity",
      { token: "t", overlayOpacity: Number("dim") },
      /^HumanConnect\.open\(\): option "overlayOpacity" must be a number from 0 to 1/,
    ],
  ])(
    "%s keeps its code, names the vendor's option and keeps createConnect's error as cause",
    (_name, options, message) => {
      let thrown: unknown;
      try {
        createConnect(options as Parameters<typeof createConnect>[0]);
      } catch (error) {
        thrown = error;
      }
      const error = asOpenError(thrown);
      expect(error).toMatchObject({ code: "INVALID_OPTIONS", cause: thrown, message: expect.stringMatching(message) });
    },
  );

  test("anything else createConnect() throws becomes INVALID_OPTIONS with it as cause", () => {
    const odd = new TypeError("odd");
    expect(asOpenError(odd)).toMatchObject({ code: "INVALID_OPTIONS", cause: odd });
  });
});
