/**
 * node:timers/promises under the warp: setTimeout, setInterval and
 * scheduler.wait wait in simulated time (so a hook using them gets the same
 * simulated duration at every --time-scale), honour their signal as Node
 * does, and are Node's own again after the warp.
 */
import * as timersPromises from 'node:timers/promises';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { SimClock } from '../../../src/simulator/clock/sim-clock.js';
import { warpGlobals } from '../../../src/simulator/clock/warp.js';

const real = { setTimeout: timersPromises.setTimeout, setInterval: timersPromises.setInterval, wait: timersPromises.scheduler.wait, abortTimeout: AbortSignal.timeout };
const scheduler = timersPromises.scheduler as unknown as { wait(ms: number, opts?: { signal?: AbortSignal }): Promise<void> };

/** Runs `wait` on a warped clock at `scale`; the simulated ms it took. */
async function simulatedMs(scale: number, wait: () => Promise<unknown>): Promise<number> {
  const clock = new SimClock(scale);
  const restore = warpGlobals(clock);
  try {
    const t0 = clock.now();
    await wait();
    return clock.now() - t0;
  } finally {
    restore();
    clock.dispose();
  }
}

const waits: Record<string, () => Promise<unknown>> = {
  'scheduler.wait': () => scheduler.wait(2_000),
  setInterval: async () => {
    for await (const _ of timersPromises.setInterval(2_000)) break;
  },
  setTimeout: () => timersPromises.setTimeout(2_000),
  'util.promisify(setTimeout)': () => promisify(setTimeout)(2_000),
};

describe('node:timers/promises on the simulated clock', () => {
  for (const [name, wait] of Object.entries(waits)) {
    it(`${name}(2 s) takes 2 simulated s at 10x and at 1000x`, async () => {
      expect([await simulatedMs(10, wait), await simulatedMs(1000, wait)]).toEqual([2_000, 2_000]);
    });
  }

  it('setInterval yields on each tick of simulated time, with its value', async () => {
    const seen: number[] = [];
    const clock = new SimClock(1000);
    const restore = warpGlobals(clock);
    try {
      const t0 = clock.now();
      for await (const v of timersPromises.setInterval(30_000, 'tick')) {
        expect(v).toBe('tick');
        seen.push(clock.now() - t0);
        if (seen.length === 3) break;
      }
    } finally {
      restore();
      clock.dispose();
    }
    expect(seen).toEqual([30_000, 60_000, 90_000]);
  });

  it('an aborted wait rejects with an AbortError whose cause is the signal reason, as in Node', async () => {
    const clock = new SimClock(1000);
    const restore = warpGlobals(clock);
    try {
      const controller = new AbortController();
      const waiting = scheduler.wait(60_000, { signal: controller.signal });
      const iterating = (async () => {
        for await (const _ of timersPromises.setInterval(60_000, undefined, { signal: controller.signal })) return 'ticked';
      })();
      setTimeout(() => controller.abort(new Error('stop')), 1_000);
      for (const p of [waiting, iterating]) await expect(p).rejects.toMatchObject({ name: 'AbortError', code: 'ABORT_ERR', cause: { message: 'stop' } });
      expect(clock.now() - clock.startedAt).toBeLessThan(60_000);
    } finally {
      restore();
      clock.dispose();
    }
  });

  it('after the warp, they and AbortSignal.timeout are Node’s own again (the same functions, not copies)', () => {
    const clock = new SimClock(100);
    const restore = warpGlobals(clock);
    expect(timersPromises.setInterval).not.toBe(real.setInterval);
    expect(timersPromises.scheduler.wait).not.toBe(real.wait);
    restore();
    clock.dispose();
    expect(AbortSignal.timeout).toBe(real.abortTimeout);
    expect(timersPromises.setTimeout).toBe(real.setTimeout);
    expect(timersPromises.setInterval).toBe(real.setInterval);
    expect(timersPromises.scheduler.wait).toBe(real.wait);
    expect(Object.hasOwn(timersPromises.scheduler, 'wait')).toBe(false);
  });
});
