/** A bounded set that forgets its least recently used member first (Map keeps insertion order). */
export function createLruSet(capacity: number) {
  const members = new Map<string, true>();
  return {
    has(key: string): boolean {
      if (!members.has(key)) return false;
      members.delete(key);
      members.set(key, true);
      return true;
    },
    add(key: string): void {
      members.delete(key);
      members.set(key, true);
      if (members.size > capacity) members.delete(members.keys().next().value as string);
    },
    delete(key: string): void {
      members.delete(key);
    },
    get size(): number {
      return members.size;
    },
  };
}
