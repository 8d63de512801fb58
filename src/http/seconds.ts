/**
 * A lifetime in seconds from a JSON number: a positive finite number, else undefined. A numeric
 * string such as `"3600"` is refused (Human API's token service sends numbers).
 *
 * @example
 * ```ts
 * secondsFromNumber(3600); // 3600
 * secondsFromNumber("3600"); // undefined
 * ```
 */
export function secondsFromNumber(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) && value > 0 ? value : undefined;
}

/**
 * A lifetime in seconds from a JSON number or a numeric string (an app's own token endpoint may
 * send `"3600"`): a positive finite number, else undefined.
 *
 * @example
 * ```ts
 * secondsFromNumberOrText("3600"); // 3600
 * secondsFromNumberOrText(" "); // undefined
 * ```
 */
export function secondsFromNumberOrText(value: unknown): number | undefined {
  return secondsFromNumber(typeof value === "string" && value.trim() !== "" ? Number(value) : value);
}
