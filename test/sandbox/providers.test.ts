import { describe, expect, test } from "vitest";
import { DEFAULT_PROVIDERS } from "../../src/sandbox/providers";

describe("DEFAULT_PROVIDERS", () => {
  test("has at least 20 providers with 24-hex-digit ids, Starfleet Pharmacy and Cleveland Clinic among them", () => {
    expect(DEFAULT_PROVIDERS.length).toBeGreaterThanOrEqual(20);
    for (const p of DEFAULT_PROVIDERS) expect(p.id, p.name).toMatch(/^[0-9a-f]{24}$/);
    expect(new Set(DEFAULT_PROVIDERS.map((p) => p.id)).size).toBe(DEFAULT_PROVIDERS.length);
    expect(DEFAULT_PROVIDERS.map((p) => p.name)).toEqual(
      expect.arrayContaining(["Starfleet Pharmacy", "Cleveland Clinic"]),
    );
  });
});
