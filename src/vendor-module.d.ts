// What `humanapi-connect-client` resolves to in our builds (src/vendor.ts imports it): the vendor's ES source wrapped
// in a factory by rollup.config.mjs (vendorModule), and in tests by vitest.config.ts.
declare module "humanapi-connect-client" {
  /** Runs the vendor's code once, on the first call, and returns its exports (`open`, `on`). */
  export function evaluateVendor(): unknown;
}
