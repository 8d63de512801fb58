declare const __VERSION__: string | undefined;

/** This package's version (set at build time). */
export const version: string = typeof __VERSION__ === "string" ? __VERSION__ : "0.0.0-dev";
