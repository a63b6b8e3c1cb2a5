/**
 * The hooks run in this process and read time the way any Node code does:
 * Date, setTimeout/setInterval (global and from node:timers), the promise
 * setTimeout of node:timers/promises, AbortSignal.timeout, performance.now.
 * While a simulation runs, those read and wait on its SimClock, so a hook's
 * 2-minute bake that measures every 30 s, its deadline from
 * getRemainingTimeInMillis and its HTTP timeouts are simulated time.
 *
 * Not warped: setImmediate and process.nextTick (they take no time), and
 * timers inside Node itself (socket idle timeouts such as the SDK's
 * requestTimeout, server keep-alive), which stay real; a loopback request
 * takes no simulated time, so they only matter for real work that is slow.
 */
import { createRequire, syncBuiltinESMExports } from 'node:module';
import type { SimClock, SimTimer } from './sim-clock.js';

const require = createRequire(import.meta.url);
const timers = require('node:timers') as typeof import('node:timers');
const timersPromises = require('node:timers/promises') as typeof import('node:timers/promises');

/** Node's longest timer delay; longer (or invalid) delays become 1 ms, as in Node. */
const TIMEOUT_MAX = 2 ** 31 - 1;

let active: SimClock | undefined;

const ONE_AT_A_TIME = 'another simulation is running in this process; run simulations one after another';

/** Throws when a simulation has the globals warped (call before setting anything up). */
export function assertNoSimulationRunning(): void {
  if (active) throw new Error(ONE_AT_A_TIME);
}

/** A Node-like Timeout object for a timer on the simulated clock. */
class SimTimeout {
  private static nextId = 1;
  readonly id = SimTimeout.nextId++;
  private timer: SimTimer;

  constructor(clock: SimClock, fn: () => void, ms: number, repeat: boolean) {
    this.timer = clock.setTimer(fn, ms, { ref: true, ...(repeat ? { every: ms } : {}) });
  }
  ref(): this {
    this.timer.setRef(true);
    return this;
  }
  unref(): this {
    this.timer.setRef(false);
    return this;
  }
  hasRef(): boolean {
    return this.timer.hasRef();
  }
  refresh(): this {
    this.timer.refresh();
    return this;
  }
  close(): this {
    this.timer.cancel();
    return this;
  }
  [Symbol.toPrimitive](): number {
    return this.id;
  }
}

/**
 * Points the process's time globals at `clock` until the returned function
 * restores them. One simulation at a time per process: a second one would
 * share the globals, so it is refused.
 */
export function warpGlobals(clock: SimClock): () => void {
  assertNoSimulationRunning();
  active = clock;
  const saved = {
    setTimeout: globalThis.setTimeout,
    clearTimeout: globalThis.clearTimeout,
    setInterval: globalThis.setInterval,
    clearInterval: globalThis.clearInterval,
    timers: { setTimeout: timers.setTimeout, clearTimeout: timers.clearTimeout, setInterval: timers.setInterval, clearInterval: timers.clearInterval },
    promiseSetTimeout: timersPromises.setTimeout,
    Date: globalThis.Date,
    abortTimeout: AbortSignal.timeout.bind(AbortSignal),
    ownPerformanceNow: Object.getOwnPropertyDescriptor(performance, 'now'),
  };
  const RealDate = saved.Date;
  const byId = new Map<number, SimTimeout>();

  const schedule = (repeat: boolean) =>
    function simTimer(fn: unknown, ms?: unknown, ...args: unknown[]): SimTimeout {
      if (typeof fn !== 'function') throw new TypeError(`The "callback" argument must be of type function. Received ${typeof fn}`);
      const n = Number(ms);
      const delay = n >= 1 && n <= TIMEOUT_MAX ? n : 1;
      const t: SimTimeout = new SimTimeout(
        clock,
        () => {
          if (!repeat) byId.delete(t.id);
          (fn as (...a: unknown[]) => void)(...args);
        },
        delay,
        repeat,
      );
      byId.set(t.id, t);
      return t;
    };
  const clear = (real: (t: never) => void) =>
    function clearSimTimer(t: unknown): void {
      const sim = t instanceof SimTimeout ? t : typeof t === 'number' || typeof t === 'string' ? byId.get(Number(t)) : undefined;
      if (sim) {
        sim.close();
        byId.delete(sim.id);
      } else if (t !== undefined && t !== null) {
        // A timer made before the warp (or by code holding the real functions) stays real.
        real(t as never);
      }
    };

  const simSetTimeout = schedule(false) as unknown as typeof setTimeout;
  const simSetInterval = schedule(true) as unknown as typeof setInterval;
  const simClearTimeout = clear(saved.clearTimeout as (t: never) => void) as typeof clearTimeout;
  const simClearInterval = clear(saved.clearInterval as (t: never) => void) as typeof clearInterval;
  globalThis.setTimeout = simSetTimeout;
  globalThis.setInterval = simSetInterval;
  globalThis.clearTimeout = simClearTimeout;
  globalThis.clearInterval = simClearInterval;
  Object.assign(timers, { setTimeout: simSetTimeout, setInterval: simSetInterval, clearTimeout: simClearTimeout, clearInterval: simClearInterval });
  Object.assign(timersPromises, {
    setTimeout: <T>(ms?: number, value?: T, opts: { signal?: AbortSignal } = {}): Promise<T | undefined> => clock.sleep(Number(ms) || 0, opts.signal).then(() => value),
  });
  syncBuiltinESMExports();

  globalThis.Date = new Proxy(RealDate, {
    // `new Date()` is the simulated now; with arguments, a date as always (instanceof Date holds either way).
    construct: (target, args: unknown[], newTarget: Function) => Reflect.construct(target, args.length === 0 ? [clock.now()] : args, newTarget) as object,
    apply: () => new RealDate(clock.now()).toString(),
    get: (target, prop, receiver) => (prop === 'now' ? clock.now : Reflect.get(target, prop, receiver) as unknown),
  });

  AbortSignal.timeout = (ms: number): AbortSignal => {
    const controller = new AbortController();
    // As Node's: the timer does not hold the process open.
    clock.setTimer(() => controller.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError')), ms);
    return controller.signal;
  };

  const realPerformanceNow = performance.now.bind(performance);
  const perfAtStart = realPerformanceNow();
  const simAtStart = clock.now();
  Object.defineProperty(performance, 'now', { configurable: true, writable: true, value: () => perfAtStart + (clock.now() - simAtStart) });

  return () => {
    globalThis.setTimeout = saved.setTimeout;
    globalThis.clearTimeout = saved.clearTimeout;
    globalThis.setInterval = saved.setInterval;
    globalThis.clearInterval = saved.clearInterval;
    Object.assign(timers, saved.timers);
    Object.assign(timersPromises, { setTimeout: saved.promiseSetTimeout });
    syncBuiltinESMExports();
    globalThis.Date = RealDate;
    AbortSignal.timeout = saved.abortTimeout;
    if (saved.ownPerformanceNow) Object.defineProperty(performance, 'now', saved.ownPerformanceNow);
    else delete (performance as { now?: unknown }).now;
    active = undefined;
  };
}
