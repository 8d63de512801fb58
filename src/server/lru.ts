import type { TokenStore } from "./store";

/**
 * The default store: in this process only, at most `capacity` entries (the least recently used
 * goes first; Map keeps insertion order), each until its TTL. Never fails.
 */
export function createLruStore(capacity: number): TokenStore & { readonly size: number } {
  const entries = new Map<string, { value: unknown; expires: number }>();
  return {
    get(key: string): unknown {
      const entry = entries.get(key);
      if (!entry) return undefined;
      entries.delete(key);
      if (entry.expires <= Date.now()) return undefined;
      entries.set(key, entry);
      return entry.value;
    },
    set(key: string, value: unknown, ttlMs?: number): void {
      entries.delete(key);
      entries.set(key, { value, expires: ttlMs === undefined ? Infinity : Date.now() + ttlMs });
      if (entries.size > capacity) entries.delete(entries.keys().next().value as string);
    },
    delete(key: string): void {
      entries.delete(key);
    },
    get size(): number {
      return entries.size;
    },
  };
}
