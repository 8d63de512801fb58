// Its own module so the CDN build can swap it for the vendor's code wrapped in a factory
// (see rollup.config.mjs): the ES and CommonJS builds keep a real dynamic import, which an
// app's bundler puts in a separate chunk.
export const importVendor = (): Promise<unknown> => import("humanapi-connect-client");
