import { expect, test, vi } from "vitest";
import HumanConnect, { bindDeclarative, off, on, open } from "../../src/compat/index";

test("the default export holds the named ones: an app's default import of the vendor's package changes only its name", () => {
  expect(HumanConnect).toEqual({ open, on, off, bindDeclarative });
});

test("an app's tests can spy on it, as on the vendor's exports (vi.spyOn, jest.spyOn)", () => {
  const spy = vi.spyOn(HumanConnect, "open").mockImplementation(() => undefined);
  HumanConnect.open({ token: "t" });
  expect(spy).toHaveBeenCalledWith({ token: "t" });
  spy.mockRestore();
});
