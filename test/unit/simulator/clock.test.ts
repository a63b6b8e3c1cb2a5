/**
 * The simulated clock: timers fire in simulated time, in order; time stands
 * still while the process works and moves on when it is quiet; the pace never
 * exceeds the time scale; the warped globals (Date, setTimeout, AbortSignal.timeout,
 * node:timers/promises) follow it and are restored afterwards.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as promiseSleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { realClock, SimClock, warpGlobals } from '../../../src/simulator/clock/index.js';

const open: (() => void)[] = [];
afterEach(() => {
  for (const close of open.splice(0).reverse()) close();
});

function simClock(scale: number, warp = false): SimClock {
  const clock = new SimClock(scale);
  open.push(() => clock.dispose());
  if (warp) open.push(warpGlobals(clock));
  return clock;
}

describe('SimClock', () => {
  it('sleeps in simulated time: two simulated minutes at 1000x take a fraction of a real second', async () => {
    const clock = simClock(1000);
    const realStart = Date.now();
    const simStart = clock.now();
    await clock.sleep(120_000);
    expect(clock.now() - simStart).toBe(120_000);
    expect(clock.simSeconds()).toBe(120);
    // Generous for a busy host, yet far below the 120 s a real clock would take.
    expect(Date.now() - realStart).toBeLessThan(5_000);
  });

  it('never runs faster than the time scale', async () => {
    const clock = simClock(10);
    const realStart = Date.now();
    await clock.sleep(1_000);
    expect(Date.now() - realStart).toBeGreaterThanOrEqual(95);
  });

  it('fires timers in order of simulated time, ties in the order they were set, intervals repeatedly', async () => {
    const clock = simClock(1000);
    const seen: string[] = [];
    clock.setTimer(() => seen.push('b@2000'), 2000);
    clock.setTimer(() => seen.push('a@1000'), 1000);
    clock.setTimer(() => seen.push('c@2000'), 2000);
    const every = clock.setTimer(() => seen.push(`tick@${clock.simSeconds()}`), 500, { every: 500 });
    const cancelled = clock.setTimer(() => seen.push('never'), 1500);
    cancelled.cancel();
    await clock.sleep(2000);
    every.cancel();
    expect(seen).toEqual(['tick@0.5', 'a@1000', 'tick@1', 'tick@1.5', 'b@2000', 'c@2000', 'tick@2']);
  });

  it('a sleep rejects with the signal reason when aborted', async () => {
    const clock = simClock(1000);
    const stop = new AbortController();
    const sleeping = clock.sleep(60_000, stop.signal);
    stop.abort(new Error('stopped'));
    await expect(sleeping).rejects.toThrow('stopped');
    expect(clock.simSeconds()).toBe(0);
  });

  it('stands still while a loopback HTTP exchange is in progress: a response delayed 2 simulated s measures 2 s', async () => {
    const clock = simClock(1000, true);
    const server = createServer((_req, res) => {
      setTimeout(() => res.end('late'), 2000);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    open.push(() => {
      server.closeAllConnections();
      server.close();
    });
    const port = (server.address() as AddressInfo).port;
    const latencies: number[] = [];
    for (let i = 0; i < 3; i++) {
      const started = Date.now();
      expect(await fetch(`http://127.0.0.1:${port}/`).then((r) => r.text())).toBe('late');
      latencies.push(Date.now() - started);
      await new Promise((r) => setTimeout(r, 30_000));
    }
    // Connecting, sending and answering took no simulated time; the server's delay took exactly its 2 s.
    expect(latencies).toEqual([2000, 2000, 2000]);
    expect(clock.simSeconds()).toBe(96);
  });
});

describe('warpGlobals', () => {
  it('points Date, setTimeout, node:timers/promises and AbortSignal.timeout at the clock, and restores them', async () => {
    const realSetTimeout = globalThis.setTimeout;
    const RealDate = Date;
    const clock = simClock(1000);
    const restore = warpGlobals(clock);
    try {
      const t0 = Date.now();
      expect(t0).toBe(clock.now());
      expect(new Date().getTime()).toBe(t0);
      expect(new Date(0) instanceof Date).toBe(true);
      expect(new RealDate(5) instanceof Date).toBe(true);
      await new Promise((r) => setTimeout(r, 10_000));
      expect(Date.now() - t0).toBe(10_000);
      await promiseSleep(5_000);
      expect(Date.now() - t0).toBe(15_000);
      const signal = AbortSignal.timeout(3_000);
      await new Promise((r) => signal.addEventListener('abort', r));
      expect((signal.reason as Error).name).toBe('TimeoutError');
      expect(Date.now() - t0).toBe(18_000);
      // A second simulation in the same process would share these globals.
      expect(() => warpGlobals(new SimClock(10))).toThrow(/another simulation is running/);
    } finally {
      restore();
    }
    expect(globalThis.setTimeout).toBe(realSetTimeout);
    expect(globalThis.Date).toBe(RealDate);
    expect(Math.abs(Date.now() - realClock.now())).toBeLessThan(1000);
  });
});
