/**
 * The hooks run in this process and read time the way any Node code does:
 * Date, setTimeout/setInterval (global and from node:timers), node:timers/promises
 * (setTimeout, setInterval, scheduler.wait), AbortSignal.timeout, performance.now.
 * While a simulation runs, those read and wait on its SimClock, so a hook's
 * 2-minute bake that measures every 30 s, its deadline from
 * getRemainingTimeInMillis and its HTTP timeouts are simulated time.
 *
 * A timer made during the simulation can outlive it: a library's module-level
 * timer (undici's tick for its headersTimeout/bodyTimeout) is made once and
 * then only refreshed. Refreshed after the clock is disposed, it runs on real
 * time from then on (see SimTimeout).
 *
 * Not warped: setImmediate, scheduler.yield and process.nextTick (they take
 * no time), and timers inside Node itself (socket idle timeouts such as the
 * SDK's requestTimeout, server keep-alive), which stay real; a loopback
 * request takes no simulated time, so they only matter for real work that is slow.
 */
import { createRequire, syncBuiltinESMExports } from 'node:module';
import { promisify } from 'node:util';
import { promiseTimersOn, timerDelay } from './promise-timers.js';
import type { SimClock, SimTimer } from './sim-clock.js';

const require = createRequire(import.meta.url);
const timers = require('node:timers') as typeof import('node:timers');
const timersPromises = require('node:timers/promises') as typeof import('node:timers/promises');

// Captured at load time, before any warp: what a timer that outlives its clock runs on.
const realSetTimeout = globalThis.setTimeout;
const realSetInterval = globalThis.setInterval;
const realClearTimeout = globalThis.clearTimeout;

let active: SimClock | undefined;

const ONE_AT_A_TIME = 'another simulation is running in this process; run simulations one after another';

/** Throws when a simulation has the globals warped (call before setting anything up). */
export function assertNoSimulationRunning(): void {
  if (active) throw new Error(ONE_AT_A_TIME);
}

/**
 * A Node-like Timeout object for a timer on the simulated clock. When the
 * clock is disposed, a pending unref'd timer (a library's background timer,
 * which by its maker's say-so holds nothing open) goes on on real time for
 * what is left of its delay; a ref'd one (a hook's own wait, which the
 * simulation has ended) is dropped. After that, refresh() re-arms either on a
 * real timer (the disposed clock would drop it silently).
 */
class SimTimeout {
  private static nextId = 1;
  readonly id = SimTimeout.nextId++;
  private readonly timer: SimTimer;
  private real?: NodeJS.Timeout;
  private closed = false;

  constructor(
    private readonly clock: SimClock,
    private readonly fn: () => void,
    private readonly ms: number,
    private readonly repeat: boolean,
  ) {
    this.timer = clock.setTimer(fn, ms, { ref: true, ...(repeat ? { every: ms } : {}) });
  }
  ref(): this {
    this.timer.setRef(true);
    this.real?.ref();
    return this;
  }
  unref(): this {
    this.timer.setRef(false);
    this.real?.unref();
    return this;
  }
  hasRef(): boolean {
    return this.timer.hasRef();
  }
  refresh(): this {
    this.closed = false;
    if (this.real) this.real.refresh();
    else if (this.clock.isDisposed()) this.startReal(this.ms);
    else this.timer.refresh();
    return this;
  }
  /** Called as the clock is disposed (see the class comment). */
  clockStopping(): void {
    const remaining = this.timer.remainingMs();
    if (remaining !== undefined && !this.timer.hasRef()) this.startReal(Math.max(1, remaining));
  }
  private startReal(firstMs: number): void {
    // A one-shot fires after what was left of its delay; an interval repeats every ms from now.
    this.real = this.repeat ? realSetInterval(this.fn, this.ms) : realSetTimeout(this.fn, firstMs);
    if (!this.timer.hasRef()) this.real.unref();
  }
  close(): this {
    this.closed = true;
    this.timer.cancel();
    // clearTimeout clears an interval too (and clearInterval a timeout), as in Node.
    if (this.real) realClearTimeout(this.real);
    return this;
  }
  /**
   * What Node's own clearTimeout/clearInterval look at: the globals are
   * restored after a simulation, and a library clearing a timer it made
   * during one must still stop it. Node sets it to null to clear.
   */
  get _onTimeout(): (() => void) | null {
    return this.closed ? null : this.fn;
  }
  set _onTimeout(value: unknown) {
    if (value === null) this.close();
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
    promises: { setTimeout: timersPromises.setTimeout, setInterval: timersPromises.setInterval },
    ownSchedulerWait: Object.getOwnPropertyDescriptor(timersPromises.scheduler, 'wait'),
    Date: globalThis.Date,
    abortTimeout: AbortSignal.timeout,
    ownPerformanceNow: Object.getOwnPropertyDescriptor(performance, 'now'),
  };
  const RealDate = saved.Date;
  // The timers made under this warp that have not fired (one-shots) or been cleared.
  const byId = new Map<number, SimTimeout>();
  clock.onDispose(() => {
    for (const t of byId.values()) t.clockStopping();
  });

  const schedule = (repeat: boolean) =>
    function simTimer(fn: unknown, ms?: unknown, ...args: unknown[]): SimTimeout {
      if (typeof fn !== 'function') throw new TypeError(`The "callback" argument must be of type function. Received ${typeof fn}`);
      const delay = timerDelay(ms);
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
  const promises = promiseTimersOn(clock);
  // util.promisify(setTimeout) while warped gives the simulated promise setTimeout, as Node's gives its own.
  Object.assign(simSetTimeout, { [promisify.custom]: promises.setTimeout });
  Object.assign(timersPromises, { setTimeout: promises.setTimeout, setInterval: promises.setInterval });
  // scheduler.wait is a method of Node's Scheduler class that calls its internal setTimeout: shadowed on the instance.
  Object.defineProperty(timersPromises.scheduler, 'wait', { configurable: true, writable: true, value: promises.wait });
  syncBuiltinESMExports();

  globalThis.Date = new Proxy(RealDate, {
    // `new Date()` is the simulated now; with arguments, a date as always (instanceof Date holds either way).
    construct: (target, args: unknown[], newTarget: Function) => Reflect.construct(target, args.length === 0 ? [clock.now()] : args, newTarget) as object,
    apply: () => new RealDate(clock.now()).toString(),
    get: (target, prop, receiver) => (prop === 'now' ? clock.now : Reflect.get(target, prop, receiver) as unknown),
  });

  AbortSignal.timeout = (ms: number): AbortSignal => {
    const controller = new AbortController();
    // As Node's: the timer does not hold the process open (so, unfired when the run ends, it goes on in real time).
    simSetTimeout(() => controller.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError')), ms).unref();
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
    Object.assign(timersPromises, saved.promises);
    restoreOwn(timersPromises.scheduler, 'wait', saved.ownSchedulerWait);
    syncBuiltinESMExports();
    globalThis.Date = RealDate;
    AbortSignal.timeout = saved.abortTimeout;
    restoreOwn(performance, 'now', saved.ownPerformanceNow);
    active = undefined;
  };
}

/** Puts back an own property as it was (or removes it, if it was inherited). */
function restoreOwn(target: object, key: string, own: PropertyDescriptor | undefined): void {
  if (own) Object.defineProperty(target, key, own);
  else delete (target as Record<string, unknown>)[key];
}
