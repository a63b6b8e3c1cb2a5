/**
 * node:timers/promises on a SimClock: `setTimeout`, `setInterval` (the async
 * iterator) and `scheduler.wait`, with Node's options (`signal`, `ref`) and
 * errors (an AbortError whose cause is the signal's reason). warp.ts installs
 * them while a simulation runs. `setImmediate` and `scheduler.yield` take no
 * time, so they stay Node's.
 */
import type { Clock } from './clock.js';

/** Node's longest timer delay; longer (or invalid) delays become 1 ms, as in Node. */
const TIMEOUT_MAX = 2 ** 31 - 1;

/** The delay Node's timers use for `ms`. */
export function timerDelay(ms: unknown): number {
  const n = Number(ms);
  return n >= 1 && n <= TIMEOUT_MAX ? n : 1;
}

interface Options {
  signal?: AbortSignal;
  /** Whether the pending timer holds the process open (Node's default: true). */
  ref?: boolean;
}

/** What node:timers/promises rejects with on abort. */
function abortError(signal: AbortSignal): Error {
  return Object.assign(new Error('The operation was aborted', { cause: signal.reason }), { name: 'AbortError', code: 'ABORT_ERR' });
}

export interface PromiseTimers {
  setTimeout<T = void>(ms?: number, value?: T, opts?: Options): Promise<T>;
  setInterval<T = void>(ms?: number, value?: T, opts?: Options): AsyncGenerator<T>;
  /** `scheduler.wait(ms, { signal })`. */
  wait(ms: number, opts?: Options): Promise<void>;
}

export function promiseTimersOn(clock: Pick<Clock, 'setTimer'>): PromiseTimers {
  const setTimeout = <T>(ms?: number, value?: T, opts: Options = {}): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const { signal } = opts;
      if (signal?.aborted) return reject(abortError(signal));
      const onAbort = (): void => {
        timer.cancel();
        reject(abortError(signal!));
      };
      const timer = clock.setTimer(
        () => {
          signal?.removeEventListener('abort', onAbort);
          resolve(value as T);
        },
        timerDelay(ms),
        { ref: opts.ref ?? true },
      );
      signal?.addEventListener('abort', onAbort, { once: true });
    });

  // As Node's: ticks that come while the consumer is busy are all yielded, one per next().
  async function* setInterval<T>(ms?: number, value?: T, opts: Options = {}): AsyncGenerator<T> {
    const { signal } = opts;
    if (signal?.aborted) throw abortError(signal);
    const every = timerDelay(ms);
    let ticks = 0;
    let wake: (() => void) | undefined;
    const timer = clock.setTimer(
      () => {
        ticks++;
        wake?.();
      },
      every,
      { every, ref: opts.ref ?? true },
    );
    const onAbort = (): void => wake?.();
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      for (;;) {
        if (ticks === 0) await new Promise<void>((resolve) => (wake = resolve));
        wake = undefined;
        if (signal?.aborted) throw abortError(signal);
        for (; ticks > 0; ticks--) yield value as T;
      }
    } finally {
      timer.cancel();
      signal?.removeEventListener('abort', onAbort);
    }
  }

  return { setTimeout, setInterval, wait: (ms, opts) => setTimeout(ms, undefined, opts) };
}
