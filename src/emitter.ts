// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Listener = (...args: any[]) => void;
/** `removed` is set when it is unsubscribed, so an emit already under way skips it too (as the DOM does). */
type Entry = { listener: Listener; run: Listener; removed?: boolean };

/** A small typed event emitter: `on()` returns its own unsubscribe, a throwing listener harms no other. */
export interface Emitter<Events extends { [K in keyof Events]: Listener }> {
  on<E extends keyof Events>(event: E, listener: Events[E]): () => void;
  once<E extends keyof Events>(event: E, listener: Events[E]): () => void;
  off<E extends keyof Events>(event: E, listener: Events[E]): void;
  emit<E extends keyof Events>(event: E, ...args: Parameters<Events[E]>): void;
  clear(): void;
}

function report(error: unknown): void {
  // Same as a throwing DOM event listener: reported, never propagated into our session logic.
  const g = globalThis as { reportError?: (e: unknown) => void };
  if (typeof g.reportError === "function") g.reportError(error);
  else
    setTimeout(() => {
      throw error;
    });
}

export function createEmitter<Events extends { [K in keyof Events]: Listener }>(): Emitter<Events> {
  let entries = new Map<keyof Events, Entry[]>();

  const add = (event: keyof Events, listener: Listener, once: boolean) => {
    const entry: Entry = {
      listener,
      run: once
        ? (...args) => {
            remove(event, entry);
            listener(...args);
          }
        : listener,
    };
    entries.set(event, [...(entries.get(event) ?? []), entry]);
    return () => remove(event, entry);
  };
  const remove = (event: keyof Events, entry: Entry) => {
    entry.removed = true;
    const list = entries.get(event);
    if (list)
      entries.set(
        event,
        list.filter((e) => e !== entry),
      );
  };

  return {
    on: (event, listener) => add(event, listener, false),
    once: (event, listener) => add(event, listener, true),
    off(event, listener) {
      const entry = entries.get(event)?.find((e) => e.listener === listener);
      if (entry) remove(event, entry);
    },
    emit(event, ...args) {
      for (const entry of entries.get(event) ?? []) {
        if (entry.removed) continue;
        try {
          entry.run(...args);
        } catch (error) {
          report(error);
        }
      }
    },
    clear() {
      for (const list of entries.values()) for (const entry of list) entry.removed = true;
      entries = new Map();
    },
  };
}
