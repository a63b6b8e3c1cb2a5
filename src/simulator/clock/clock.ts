/**
 * The clock the simulated world reads and waits on. The emulator's services,
 * CodeDeploy's timers, the traffic, the alarms and (through warped globals,
 * see warp.ts) the hooks all take their time from one Clock, so a scenario's
 * outcome does not depend on how fast that clock runs.
 *
 * Two implementations: `realClock` (wall time, for the standalone emulator
 * and runHook) and `SimClock` (simulated time, see sim-clock.ts).
 */

/** A scheduled callback; `cancel` is a no-op once it has run. */
export interface ClockTimer {
  cancel(): void;
}

export interface Clock {
  /** The current time, epoch milliseconds. */
  now(): number;
  /** Resolves after `ms` milliseconds of this clock's time; rejects with the signal's reason if it aborts first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /**
   * Calls `fn` after `ms` milliseconds of this clock's time, and then every
   * `every` ms if given. A timer does not keep the process alive unless `ref`
   * is true (the default is false: the world's timers never hold a finished
   * test or CLI run open).
   */
  setTimer(fn: () => void, ms: number, opts?: { ref?: boolean; every?: number }): ClockTimer;
}

// Captured at load time: the real clock must stay real while a SimClock has warped the globals.
const realSetTimeout = globalThis.setTimeout;
const realClearTimeout = globalThis.clearTimeout;
const realSetInterval = globalThis.setInterval;
const realClearInterval = globalThis.clearInterval;
const realDateNow = Date.now;

export const realClock: Clock = {
  now: () => realDateNow(),
  setTimer(fn, ms, opts = {}) {
    let t: NodeJS.Timeout;
    const every = opts.every;
    if (every === undefined) {
      t = realSetTimeout(fn, Math.max(0, ms));
    } else {
      t = realSetTimeout(() => {
        t = realSetInterval(fn, Math.max(1, every));
        if (!opts.ref) t.unref();
        fn();
      }, Math.max(0, ms));
    }
    if (!opts.ref) t.unref();
    return { cancel: () => (every === undefined ? realClearTimeout(t) : (realClearTimeout(t), realClearInterval(t))) };
  },
  sleep: (ms, signal) => sleepOn(realClock, ms, signal),
};

/** `sleep` for any clock, from its setTimer: resolves after `ms`, rejects with the signal's reason on abort. */
export function sleepOn(clock: Pick<Clock, 'setTimer'>, ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = (): void => {
      timer.cancel();
      reject(signal?.reason);
    };
    // A sleep is awaited, so it holds the process open like a plain setTimeout would.
    const timer = clock.setTimer(
      () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      },
      ms,
      { ref: true },
    );
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
