/**
 * The element's own look, inside its shadow root only: the page's font and a native button,
 * spaced by `--hc-padding`; `::part(button)` reaches everything else.
 */
export const STYLE =
  ":host{display:inline-block}:host([hidden]){display:none}button{font:inherit;cursor:pointer;padding:var(--hc-padding,.5em 1em)}button:disabled{cursor:progress}";

/**
 * Puts {@link STYLE} in `root` as a constructed style sheet, which a strict Content Security
 * Policy (`style-src 'self'`) allows, unlike a `<style>` element; where the browser cannot (jsdom),
 * the button is left unstyled.
 */
export function adoptStyle(root: ShadowRoot): void {
  try {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(STYLE);
    root.adoptedStyleSheets = [sheet];
  } catch {
    // Unstyled is still a working, named, keyboard-usable button.
  }
}
