/**
 * Calls every listener with the value. A listener that throws must not turn
 * an accepted API call (a recorded report, a state change) into a 500, so its
 * error is reported on the next tick instead of here.
 */
export function notifyAll<T>(listeners: Iterable<(value: T) => void>, value: T): void {
  for (const listener of [...listeners]) {
    try {
      listener(value);
    } catch (err) {
      queueMicrotask(() => {
        throw err;
      });
    }
  }
}
