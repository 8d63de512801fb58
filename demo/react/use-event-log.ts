import { useCallback, useState } from "react";

/**
 * The event log's lines, each stamped with the time of day, and the function that adds one.
 * @example const [lines, log] = useEventLog(); log("open");
 */
export function useEventLog(): [string[], (text: string) => void] {
  const [lines, setLines] = useState<string[]>([]);
  const log = useCallback((text: string) => {
    const line = `${new Date().toISOString().slice(11, 23)} ${text}`;
    setLines((before) => [...before, line]);
  }, []);
  return [lines, log];
}
