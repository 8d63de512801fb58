import { describe, expect, test } from "vitest";
import { secondsFromNumber, secondsFromNumberOrText } from "../../src/http/seconds";

describe("lifetimes in seconds", () => {
  test.each([
    [3600, 3600, 3600],
    [0.5, 0.5, 0.5],
    ["3600", undefined, 3600],
    [" 60 ", undefined, 60],
    ["", undefined, undefined],
    ["  ", undefined, undefined],
    ["soon", undefined, undefined],
    [0, undefined, undefined],
    [-1, undefined, undefined],
    ["-1", undefined, undefined],
    [Infinity, undefined, undefined],
    [Number.NaN, undefined, undefined],
    [null, undefined, undefined],
    [[60], undefined, undefined],
  ])("%j is %j as a number only, and %j as a number or numeric text", (value, fromNumber, fromNumberOrText) => {
    expect(secondsFromNumber(value)).toBe(fromNumber);
    expect(secondsFromNumberOrText(value)).toBe(fromNumberOrText);
  });
});
