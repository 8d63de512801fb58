/**
 * Calls for the same key while one is running share it: one `work` at a time per key, its answer
 * (each caller gets its own copy) or its failure given to every caller, then forgotten, so the
 * next call runs `work` again. Different keys never wait on each other.
 */
export function createSingleFlight<T extends object>() {
  const running = new Map<string, Promise<T>>();
  return (key: string, work: () => Promise<T>): Promise<T> => {
    let flight = running.get(key);
    if (!flight) {
      const started: Promise<T> = work().finally(() => {
        if (running.get(key) === started) running.delete(key);
      });
      running.set(key, started);
      flight = started;
    }
    return flight.then((answer) => ({ ...answer }));
  };
}
