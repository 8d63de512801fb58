/** The vendor chunk: importing it runs nothing; `evaluateVendor()` runs the vendor's code once. */
export interface VendorChunk {
  evaluateVendor(): unknown;
}

let chunk: Promise<VendorChunk> | undefined;

/**
 * Starts fetching the vendor chunk (the vendor's ES source, bundled at build time: see
 * rollup.config.mjs) without running the vendor's code, once. The facade calls it beside the
 * session chunk's import, so the first click loads both at once; a failure is reported to the
 * next {@link importVendor}.
 */
export function fetchVendor(): void {
  if (chunk) return;
  chunk = import("humanapi-connect-client");
  chunk.catch(() => undefined);
}

/** The vendor chunk; a failed fetch is forgotten once reported, so the next call fetches again. */
export function importVendor(): Promise<VendorChunk> {
  fetchVendor();
  const current = chunk!;
  return current.catch((error: unknown) => {
    if (chunk === current) chunk = undefined;
    throw error;
  });
}
