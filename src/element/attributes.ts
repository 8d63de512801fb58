/** How an attribute's text becomes an option's value. */
const text = (value: string) => value;
// Empty items (a trailing comma, an empty list from a template) are left out.
const list = (value: string) =>
  value
    .split(",")
    .map((item) => item.trim())
    .filter(Boolean);
// createConnect() refuses what is no number (NaN) with INVALID_OPTIONS, naming the option; an
// empty value is none either (Number("") is 0: an invisible overlay).
const number = (value: string) => (value.trim() ? Number(value) : NaN);
const flag = (value: string) => value !== "false";

/** The attributes `<human-connect>` reads, written once: the option each sets and how. */
export const ATTRIBUTES = {
  "token-url": ["tokenUrl", text],
  token: ["token", text],
  "base-url": ["baseUrl", text],
  mode: ["mode", text],
  "client-id": ["clientId", text],
  segment: ["segment", text],
  "pinned-providers": ["pinnedProviders", list],
  "overlay-opacity": ["overlayOpacity", number],
  "focus-trap": ["enableFocusTrap", flag],
} as const;

/** One of {@link ATTRIBUTES}. */
export type HumanConnectAttribute = keyof typeof ATTRIBUTES;

/** The options `element`'s attributes give: only those present. Never throws. */
export function attributeOptions(element: Element): Record<string, unknown> {
  const options: Record<string, unknown> = {};
  for (const [attribute, [option, read]] of Object.entries(ATTRIBUTES)) {
    const value = element.getAttribute(attribute);
    if (value !== null) options[option] = read(value);
  }
  return options;
}
