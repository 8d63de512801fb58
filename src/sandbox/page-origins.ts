const EXAMPLE = '"http://localhost:5173"';

/**
 * Checks the origins of the pages allowed to embed the sandbox's Connect app: an array of exact
 * http(s) origins (scheme, host and port, as `URL.origin` writes them). Returns them without
 * duplicates; `undefined` and `[]` both mean none.
 *
 * @param name How the caller calls the value, for the error (`startSandbox(): pageOrigins`, `--page-origin`).
 * @throws {TypeError} naming `name` (and the entry's index) when the value is anything else.
 */
export function checkPageOrigins(value: unknown, name: string): readonly string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new TypeError(`${name} must be an array of page origins such as [${EXAMPLE}].`);
  value.forEach((entry: unknown, index) => {
    const what = `${name}[${index}]`;
    if (typeof entry !== "string") throw new TypeError(`${what} must be a string: an origin such as ${EXAMPLE}.`);
    let url: URL | undefined;
    try {
      url = new URL(entry);
    } catch {
      url = undefined;
    }
    if (!url || (url.protocol !== "http:" && url.protocol !== "https:")) {
      throw new TypeError(`${what} must be an http or https origin such as ${EXAMPLE}.`);
    }
    if (url.origin !== entry) {
      throw new TypeError(
        `${what} must be an exact origin (scheme, host and port only; no path, no trailing slash): write "${url.origin}".`,
      );
    }
  });
  return [...new Set(value as string[])];
}

/**
 * The `<meta>` element that tells the Connect app the page origins (a space-separated list; an
 * origin has no space). The app reads it because the page cannot add a parameter to the URL the
 * vendor client builds.
 */
export function pageOriginsMeta(origins: readonly string[]): string {
  const escaped = origins.join(" ").replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");
  return `<meta name="page-origins" content="${escaped}" />`;
}
