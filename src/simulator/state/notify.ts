/**
 * Calls every listener with the value. A listener that throws must not turn
 * an accepted API call (a recorded report, a state change) into a 500, nor
 * crash the process from a later tick: its error is written to stderr, where
 * the simulator's user sees it next to the timeline.
 */
export function notifyAll<T>(listeners: Iterable<(value: T) => void>, value: T): void {
  for (const listener of [...listeners]) {
    try {
      listener(value);
    } catch (err) {
      const text = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
      process.stderr.write(`codedeploy-hooks emulator: a world listener failed: ${text}\n`);
    }
  }
}
