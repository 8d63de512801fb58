// Files imported as text (the Connect app's HTML, script, style): vite/vitest and rollup.config.mjs both inline them.
declare module "*?raw" {
  const text: string;
  export default text;
}
