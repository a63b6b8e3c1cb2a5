/**
 * Simulated time for one simulation: a discrete-event clock paced against
 * real time. Time stands still while the process works (hooks computing,
 * requests to the emulator, the application answering) and jumps to the next
 * timer when the process is quiet (see quiet.ts), but never runs more than
 * `timeScale` times faster than real time. So a hook's work takes no
 * simulated time and the order of events, and the outcome, is the same at
 * every time scale; the scale only sets how long the wait is in real time.
 *
 *   const clock = new SimClock(100);
 *   await clock.sleep(120_000);   // two simulated minutes, ~1.2 s of real time
 *   clock.now();                  // epoch ms, simulated
 *
 * What reads the globals (Date, setTimeout, AbortSignal.timeout in hooks)
 * follows this clock once `warpGlobals(clock)` (warp.ts) is installed.
 */
import { sleepOn, type Clock, type ClockTimer } from './clock.js';
import { ActivityMonitor } from './quiet.js';

const realSetTimeout = globalThis.setTimeout;
const realClearTimeout = globalThis.clearTimeout;
const realDateNow = Date.now;

/**
 * Real milliseconds of uninterrupted work after which simulated time moves on
 * anyway: a hook that never waits (a tight polling loop) must still meet its
 * own timeout.
 */
const MAX_BUSY_MS = 2000;

/** Real milliseconds behind the pace after which pacing restarts from the present. */
const BEHIND_MS = 20;

/** A timer on a SimClock, with what Node's Timeout objects offer (warp.ts builds those on it). */
export interface SimTimer extends ClockTimer {
  /** Whether a pending timer holds the process open (as Node's timer.ref/unref). */
  setRef(ref: boolean): void;
  hasRef(): boolean;
  /** Restarts the countdown from now, keeping the same delay. */
  refresh(): void;
  /** Simulated ms until it fires, if it is pending. */
  remainingMs(): number | undefined;
}

interface Entry {
  due: number;
  seq: number;
  fn: () => void;
  ref: boolean;
  /** Repeat period (setInterval), ms. */
  every?: number;
  delay: number;
  pending: boolean;
}

export class SimClock implements Clock {
  /** Simulated epoch ms at the start; simulated time starts at the real time of creation. */
  readonly startedAt: number;
  private readonly realStartedAt: number;
  private simNow: number;
  private queue: Entry[] = [];
  private seq = 0;
  private refCount = 0;
  private readonly activity = new ActivityMonitor();
  private driving = false;
  private disposed = false;
  /** A moment (real, simulated) that pacing counts from. */
  private anchor: { real: number; sim: number };
  private interruptPace?: () => void;
  private readonly disposeListeners: (() => void)[] = [];

  constructor(readonly timeScale: number) {
    if (!(timeScale > 0) || !Number.isFinite(timeScale)) throw new RangeError(`time scale must be a positive number, got ${timeScale}`);
    this.realStartedAt = realDateNow();
    this.startedAt = this.realStartedAt;
    this.simNow = this.startedAt;
    this.anchor = { real: this.realStartedAt, sim: this.simNow };
    this.activity.start();
  }

  now = (): number => this.simNow;

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return sleepOn(this, ms, signal);
  }

  setTimer(fn: () => void, ms: number, opts: { ref?: boolean; every?: number } = {}): SimTimer {
    const delay = Math.max(0, Number.isFinite(ms) ? ms : 0);
    const entry: Entry = { due: this.simNow + delay, seq: this.seq++, fn, ref: opts.ref ?? false, delay, pending: true, ...(opts.every !== undefined ? { every: Math.max(1, opts.every) } : {}) };
    this.enqueue(entry);
    return {
      cancel: () => this.remove(entry),
      setRef: (ref) => {
        if (entry.pending && entry.ref !== ref) this.refCount += ref ? 1 : -1;
        entry.ref = ref;
      },
      hasRef: () => entry.ref,
      refresh: () => {
        this.remove(entry);
        entry.due = this.simNow + entry.delay;
        entry.seq = this.seq++;
        this.enqueue(entry);
      },
      remainingMs: () => (entry.pending ? entry.due - this.simNow : undefined),
    };
  }

  /** Calls `fn` when the clock is disposed, while its pending timers can still be read. */
  onDispose(fn: () => void): void {
    this.disposeListeners.push(fn);
  }

  /** Simulated seconds since the start. */
  simSeconds(): number {
    return (this.simNow - this.startedAt) / 1000;
  }

  /** Real milliseconds since the start. */
  elapsedMs(): number {
    return realDateNow() - this.realStartedAt;
  }

  /** Whether dispose() has stopped this clock (its timers are then never queued again). */
  isDisposed(): boolean {
    return this.disposed;
  }

  /** Stops the clock: pending timers never fire. */
  dispose(): void {
    if (this.disposed) return;
    for (const fn of this.disposeListeners.splice(0)) fn();
    this.disposed = true;
    for (const e of this.queue) e.pending = false;
    this.queue = [];
    this.refCount = 0;
    this.activity.stop();
    this.interruptPace?.();
  }

  private enqueue(entry: Entry): void {
    if (this.disposed) return;
    entry.pending = true;
    if (entry.ref) this.refCount++;
    // Sorted by (due, seq): timers due at the same moment fire in the order they were set, as Node's do.
    let lo = 0;
    let hi = this.queue.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const m = this.queue[mid]!;
      if (m.due < entry.due || (m.due === entry.due && m.seq < entry.seq)) lo = mid + 1;
      else hi = mid;
    }
    this.queue.splice(lo, 0, entry);
    // A timer earlier than the one being paced towards shortens the wait; the first ref'd one must hold the process.
    if (lo === 0 || (entry.ref && this.refCount === 1)) this.interruptPace?.();
    if (!this.driving) {
      this.driving = true;
      void this.drive();
    }
  }

  private remove(entry: Entry): void {
    if (!entry.pending) return;
    entry.pending = false;
    if (entry.ref) this.refCount--;
    const i = this.queue.indexOf(entry);
    if (i >= 0) this.queue.splice(i, 1);
  }

  /** Fires what is due, waits for quiet, paces, advances to the next timer; until nothing is scheduled. */
  private async drive(): Promise<void> {
    try {
      while (!this.disposed) {
        this.fireDue();
        if (this.queue.length === 0) return;
        await this.activity.quiet(MAX_BUSY_MS);
        const next = this.queue[0];
        if (this.disposed || !next) return;
        if (next.due <= this.simNow) continue;
        // Simulated time keeps to timeScale × real time from an anchor; a step that is due is taken at
        // once (sub-millisecond waits add up instead of each costing a timer tick).
        const waitMs = this.anchor.real + (next.due - this.anchor.sim) / this.timeScale - realDateNow();
        if (waitMs >= 1) {
          await this.pace(waitMs);
          continue;
        }
        // Behind schedule after long work: start counting afresh rather than racing to catch up.
        if (waitMs < -BEHIND_MS) this.anchor = { real: realDateNow(), sim: this.simNow };
        this.simNow = next.due;
      }
    } finally {
      this.driving = false;
    }
  }

  /** All timers due now, in order, in one synchronous batch (what they start runs after, in a fixed order). */
  private fireDue(): void {
    while (this.queue.length > 0 && this.queue[0]!.due <= this.simNow) {
      const entry = this.queue.shift()!;
      entry.pending = false;
      if (entry.ref) this.refCount--;
      if (entry.every !== undefined) {
        entry.due = this.simNow + entry.every;
        entry.seq = this.seq++;
        this.enqueue(entry);
      }
      this.activity.pulse();
      try {
        entry.fn();
      } catch (err) {
        // As from a Node timer: an uncaught exception, not a stopped clock.
        process.nextTick(() => {
          throw err;
        });
      }
    }
  }

  /** Real wait of up to `ms`, cut short when an earlier timer is set; holds the process open only for a ref'd timer. */
  private pace(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        realClearTimeout(timer);
        this.interruptPace = undefined;
        resolve();
      };
      const timer = realSetTimeout(done, Math.ceil(ms));
      if (this.refCount === 0) timer.unref();
      this.interruptPace = done;
    });
  }
}
