import { describe, expect, test, vi } from "vitest";
import { createConnect, type ConnectOptions } from "../src/index";
import { resolveOptions } from "../src/options";
import { connectError } from "./support/errors";

/** createConnect(options) as a promise, so the shared connectError can read what it throws. */
const creating = async (options: unknown) => createConnect(options as ConnectOptions);

describe("createConnect(options) validation", () => {
  test.each([
    ["no options", undefined, /options must be an object/],
    ["a string", "/api/token", /options must be an object/],
    ["no token source", {}, /give a token source: tokenUrl/],
    ["two token sources", { tokenUrl: "/t", token: "x" }, /exactly one token source, not tokenUrl and token/],
    ["three token sources", { tokenUrl: "/t", token: "x", getToken: (): string => "x" }, /exactly one token source/],
    ["tokenUrl of the wrong type", { tokenUrl: 42 }, /"tokenUrl" must be an http\(s\) URL .* \(got number\)/],
    ["an empty tokenUrl", { tokenUrl: "" }, /"tokenUrl" must be/],
    ["getToken that is not a function", { getToken: "x" }, /"getToken" must be a function/],
    ["an empty token", { token: "" }, /"token" must be a non-empty string/],
    ["a relative baseUrl", { token: "x", baseUrl: "/connect" }, /"baseUrl" must be an absolute http\(s\) URL/],
    [
      "a non-http baseUrl",
      { token: "x", baseUrl: "javascript:alert(1)" },
      /"baseUrl" must be an absolute http\(s\) URL/,
    ],
    ["an unknown mode", { token: "x", mode: "popup" }, /"mode" must be "auth" or "select"/],
    ["a numeric clientId", { token: "x", clientId: 7 }, /"clientId" must be a non-empty string/],
    ["preseed as a string", { token: "x", preseed: "yes" }, /"preseed" must be a boolean/],
    ["preseededSources not an array", { token: "x", preseededSources: {} }, /"preseededSources" must be an array/],
    [
      "pinnedProviders of numbers",
      { token: "x", pinnedProviders: [1, 2] },
      /"pinnedProviders" must be a string or an array of strings/,
    ],
    ["overlayOpacity above 1", { token: "x", overlayOpacity: 2 }, /"overlayOpacity" must be a number from 0 to 1/],
    ["enableFocusTrap as a string", { token: "x", enableFocusTrap: "true" }, /"enableFocusTrap" must be a boolean/],
    [
      "a negative refreshSkewSeconds",
      { token: "x", refreshSkewSeconds: -1 },
      /"refreshSkewSeconds" must be a number of seconds/,
    ],
    ["a misspelt option", { tokenURL: "/t" }, /unknown option "tokenURL": check its spelling/],
    ["tokenRequest without tokenUrl", { token: "x", tokenRequest: {} }, /"tokenRequest" only applies with tokenUrl/],
    [
      "tokenRequest.headers with getToken",
      { getToken: (): string => "t", tokenRequest: { timeoutMs: 50, headers: {} } },
      /"tokenRequest.headers" only applies with tokenUrl/,
    ],
    [
      "tokenRequest not an object",
      { tokenUrl: "/t", tokenRequest: [] },
      /"tokenRequest" must be an object \(got an array\)/,
    ],
    [
      "a zero timeout",
      { tokenUrl: "/t", tokenRequest: { timeoutMs: 0 } },
      /"tokenRequest.timeoutMs" must be a positive number/,
    ],
    [
      "an endless timeout",
      { tokenUrl: "/t", tokenRequest: { timeoutMs: Infinity } },
      /"tokenRequest.timeoutMs" must be a positive number/,
    ],
    [
      "fractional retries",
      { tokenUrl: "/t", tokenRequest: { retries: 1.5 } },
      /"tokenRequest.retries" must be an integer from 0 to 10/,
    ],
    [
      "an unknown credentials mode",
      { tokenUrl: "/t", tokenRequest: { credentials: "all" } },
      /"tokenRequest.credentials" must be "omit", "same-origin" or "include"/,
    ],
    [
      "numeric header values",
      { tokenUrl: "/t", tokenRequest: { headers: { "X-A": 1 } } },
      /"tokenRequest.headers" must be a plain object of string values/,
    ],
    [
      "a circular body",
      {
        tokenUrl: "/t",
        tokenRequest: {
          body: (() => {
            const o: Record<string, unknown> = {};
            o.o = o;
            return o;
          })(),
        },
      },
      /"tokenRequest.body" must be JSON-serializable/,
    ],
    [
      "a misspelt tokenRequest option",
      { tokenUrl: "/t", tokenRequest: { timeout: 5 } },
      /unknown option "tokenRequest.timeout"/,
    ],
  ])("throws INVALID_OPTIONS for %s", async (_name, options, message) => {
    const error = await connectError(creating(options));
    expect(error.code).toBe("INVALID_OPTIONS");
    expect(error.message).toMatch(message);
  });

  test("never echoes an option's value in the message", async () => {
    expect((await connectError(creating({ token: "secret-token-value", tokenUrl: "/t" }))).message).not.toContain(
      "secret-token-value",
    );
    expect((await connectError(creating({ token: "secret-token-value", mode: "secret-mode" }))).message).not.toContain(
      "secret-mode",
    );
  });

  test.each([
    { tokenUrl: "/api/connect-token" },
    {
      tokenUrl: new URL("https://app.example/api/connect-token"),
      tokenRequest: {
        headers: { "X-CSRF": "1" },
        body: {},
        credentials: "include" as const,
        timeoutMs: 5000,
        retries: 0,
      },
    },
    { getToken: async () => "t" },
    {
      token: "t",
      baseUrl: "http://127.0.0.1:4000",
      mode: "select" as const,
      clientId: "c",
      preseed: false,
      preseededSources: [],
      segment: "s",
      pinnedProviders: ["a"],
      inviteSessionId: "i",
      config: "c",
      overlayOpacity: 0.4,
      enableFocusTrap: true,
      refreshSkewSeconds: 0,
    },
  ])("accepts %j and starts idle", (options) => {
    expect(createConnect(options as ConnectOptions).state).toBe("idle");
  });

  test.each([
    [
      "a provider name outside Latin-1",
      [{ name: "Szent Ferenc Kórház, Győr" }],
      /"preseededSources" must be an array of JSON in Latin-1/,
    ],
    ["an emoji", ["🏥"], /"preseededSources" must be an array of JSON in Latin-1/],
    [
      "a cycle",
      (() => {
        const o: unknown[] = [];
        o.push(o);
        return o;
      })(),
      /"preseededSources" must be an array of JSON in Latin-1/,
    ],
    ["a BigInt", [{ id: 1n }], /"preseededSources" must be an array of JSON in Latin-1/],
    [
      "a getter that throws",
      [
        Object.defineProperty({}, "id", {
          enumerable: true,
          get() {
            throw new Error("boom");
          },
        }),
      ],
      /"preseededSources" must be an array of JSON in Latin-1/,
    ],
  ])(
    "refuses preseededSources with %s at createConnect(), before any token is asked for",
    async (_name, preseededSources, message) => {
      const getToken = vi.fn(() => "t");
      const error = await connectError(creating({ getToken, mode: "select", clientId: "c", preseededSources }));
      expect(error.code).toBe("INVALID_OPTIONS");
      expect(error.message).toMatch(message);
      expect(error.message).toMatch(/btoa/);
      expect(getToken).not.toHaveBeenCalled();
    },
  );

  test("passes Latin-1 preseededSources to Connect as the vendor's btoa can encode and Connect's atob can decode", () => {
    const preseededSources = [{ name: "Clínica Médica São José", id: "5b1daf3f079c652eaf41fd23" }];
    const { vendor } = resolveOptions({ token: "t", mode: "select", clientId: "c", preseededSources });
    const encoded = btoa(JSON.stringify(vendor.preseededSources));
    expect(JSON.parse(atob(encoded))).toEqual(preseededSources);
  });

  test("passes Connect the preseededSources it checked, not what the array became later", () => {
    const preseededSources: unknown[] = [{ name: "Clinic" }];
    const { vendor } = resolveOptions({ token: "t", mode: "select", clientId: "c", preseededSources });
    preseededSources.push({ name: "Kórház Győr" });
    expect(() => btoa(JSON.stringify(vendor.preseededSources))).not.toThrow();
    expect(vendor.preseededSources).toEqual([{ name: "Clinic" }]);
  });

  test.each([
    [
      "a CR LF in a value",
      { "X-CSRF": "secret-value\r\nX-Injected: 1" },
      /has a header fetch refuses \("X-CSRF"\): give names of letters, digits and hyphens, and one-line Latin-1 values/,
    ],
    ["a lone LF in a value", { "X-CSRF": "secret-value\nmore" }, /has a header fetch refuses \("X-CSRF"\)/],
    ["a NUL in a value", { "X-CSRF": "secret-value\0" }, /has a header fetch refuses \("X-CSRF"\)/],
    ["a value outside Latin-1", { "X-User": "secret-value Győr" }, /has a header fetch refuses \("X-User"\)/],
    ["a name with a space", { "X CSRF": "secret-value" }, /has a header fetch refuses: give names/],
    ["a name with a colon", { "X-CSRF:": "secret-value" }, /has a header fetch refuses: give names/],
    ["an empty name", { "": "secret-value" }, /has a header fetch refuses: give names/],
  ])(
    "refuses tokenRequest.headers with %s, which fetch would refuse, naming the header but never its value",
    async (_name, headers, message) => {
      expect(() => new Request("http://127.0.0.1/", { headers })).toThrow(TypeError);
      const error = await connectError(creating({ tokenUrl: "http://127.0.0.1:9/token", tokenRequest: { headers } }));
      expect(error.code).toBe("INVALID_OPTIONS");
      expect(error.message).toMatch(message);
      expect(error.message).not.toContain("secret-value");
    },
  );

  test.each([
    ["a Map", new Map([["X-CSRF", "1"]])],
    ["a Headers object", new Headers({ "X-CSRF": "1" })],
  ])("refuses tokenRequest.headers given as %s, whose headers would be lost", async (_name, headers) => {
    expect((await connectError(creating({ tokenUrl: "/t", tokenRequest: { headers } }))).message).toMatch(
      /"tokenRequest.headers" must be a plain object of string values/,
    );
  });

  test("accepts header values fetch accepts: Latin-1 text and tabs", () => {
    const headers = { "X-Name": "Clínica\tMédica", "x-csrf_token.v2": "a b" };
    expect(() => new Request("http://127.0.0.1/", { headers })).not.toThrow();
    expect(createConnect({ tokenUrl: "/t", tokenRequest: { headers } }).state).toBe("idle");
  });

  test.each([
    ["a tokenUrl that is not a URL at all", { tokenUrl: "http://" }, /"tokenUrl" must be an http\(s\) URL/],
    [
      "a tokenUrl with a space in its host",
      { tokenUrl: "https://app .example/token" },
      /"tokenUrl" must be an http\(s\) URL/,
    ],
    ["a tokenUrl of another scheme", { tokenUrl: "ftp://app.example/token" }, /"tokenUrl" must be an http\(s\) URL/],
    [
      "a tokenUrl URL of another scheme",
      { tokenUrl: new URL("javascript:void(0)") },
      /"tokenUrl" must be an http\(s\) URL/,
    ],
    [
      "a tokenUrl with credentials",
      { tokenUrl: "https://user:secret-value@app.example/token" },
      /"tokenUrl" must be an http\(s\) URL with no user name or password/,
    ],
    [
      "a tokenUrl URL with credentials",
      { tokenUrl: new URL("https://user:secret-value@app.example/token") },
      /"tokenUrl" must be an http\(s\) URL with no user name or password/,
    ],
    [
      "a baseUrl with credentials",
      { token: "t", baseUrl: "https://user:secret-value@hapi-connect.humanapi.co" },
      /"baseUrl" must be an absolute http\(s\) URL with no user name or password/,
    ],
    [
      "a pinnedProviders entry with a comma",
      { token: "t", pinnedProviders: ["a", "b,c"] },
      /"pinnedProviders" must be a string or an array of strings without commas/,
    ],
    [
      "a body that is a function",
      { tokenUrl: "/t", tokenRequest: { body: () => "x" } },
      /"tokenRequest.body" must be JSON-serializable/,
    ],
  ])("refuses %s at createConnect(), before any token is spent", async (_name, options, message) => {
    const error = await connectError(creating(options));
    expect(error.code).toBe("INVALID_OPTIONS");
    expect(error.message).toMatch(message);
    expect(error.message).not.toContain("secret-value");
  });

  test.each([
    "/api/connect-token",
    "api/connect-token",
    "//app.example/token",
    "http://127.0.0.1:4000/token",
    new URL("https://app.example/t"),
  ])("accepts the tokenUrl %s", (tokenUrl) => {
    expect(createConnect({ tokenUrl }).state).toBe("idle");
  });

  test("on() refuses a listener that is not a function", () => {
    const connect = createConnect({ token: "t" });
    expect(() => connect.on("close", "nope" as never)).toThrow(/listener must be a function/);
  });
});

describe("getToken's time limit", () => {
  test("tokenRequest.timeoutMs applies to getToken, which is abandoned at the limit", () => {
    const resolved = resolveOptions({ getToken: () => new Promise<string>(() => {}), tokenRequest: { timeoutMs: 50 } });
    expect(resolved.tokenOrigin).toMatchObject({ kind: "function", timeoutMs: 50 });
  });
});

describe("what is kept", () => {
  test("copies of tokenUrl and tokenRequest are kept: objects changed after createConnect() change nothing", () => {
    const url = new URL("https://app.example/api/connect-token");
    const headers: Record<string, string> = { "X-CSRF": "abc" };
    const body: Record<string, unknown> = { user: "u1" };
    const resolved = resolveOptions({ tokenUrl: url, tokenRequest: { headers, body, timeoutMs: 5000 } });
    url.username = "alice";
    headers["X-CSRF"] = "evil\r\nX-Injected: 1";
    body.user = 1n;
    expect(resolved.tokenOrigin).toEqual({
      kind: "url",
      url: "https://app.example/api/connect-token",
      request: { headers: { "X-CSRF": "abc" }, body: { user: "u1" }, timeoutMs: 5000 },
    });
  });
});
