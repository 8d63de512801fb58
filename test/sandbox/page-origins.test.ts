import { describe, expect, test } from "vitest";
import { startSandbox } from "../../src/sandbox/index";
import { sandbox } from "./helpers";

describe("startSandbox({ pageOrigins })", () => {
  test.each([
    ["a string", "http://localhost:5173", /^startSandbox\(\): pageOrigins must be an array/],
    ["a number in the list", [5173], /^startSandbox\(\): pageOrigins\[0\] must be a string/],
    ["a host without a scheme", ["localhost:5173"], /pageOrigins\[0\] must be an http or https origin/],
    ["an ftp origin", ["ftp://files.example"], /pageOrigins\[0\] must be an http or https origin/],
    ["an empty string", ["http://a.example", ""], /pageOrigins\[1\] must be an http or https origin/],
    [
      "a trailing slash",
      ["http://localhost:5173/"],
      /pageOrigins\[0\] must be an exact origin .*write "http:\/\/localhost:5173"/,
    ],
    [
      "a path",
      ["https://app.example/connect"],
      /pageOrigins\[0\] must be an exact origin .*write "https:\/\/app.example"/,
    ],
    ["an upper-case host", ["http://LOCALHOST:5173"], /write "http:\/\/localhost:5173"/],
    ["a default port written out", ["https://app.example:443"], /write "https:\/\/app.example"/],
  ])("refuses %s with a TypeError naming the option", async (_name, pageOrigins, message) => {
    const refused = startSandbox({ host: "127.0.0.1", port: 0, pageOrigins: pageOrigins as string[] });
    await expect(refused).rejects.toThrow(TypeError);
    await expect(refused).rejects.toThrow(message);
  });

  test.each([
    ["no pageOrigins", undefined, ""],
    ["an empty list", [], ""],
    [
      "exact origins (each once)",
      ["http://localhost:5173", "https://app.example", "http://localhost:5173", "http://[::1]:8080"],
      "http://localhost:5173 https://app.example http://[::1]:8080",
    ],
  ])("writes %s into the Connect page for its script", async (_name, pageOrigins, content) => {
    const s = await sandbox({ pageOrigins });
    const html = await (await fetch(`${s.connectUrl}?token=x`)).text();
    expect(html.match(/<meta name="page-origins" content="([^"]*)" \/>/)?.[1]).toBe(content);
  });
});
