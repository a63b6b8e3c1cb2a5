/**
 * Timers made on the simulated clock that outlive the simulation: a library's
 * module-level timer (undici's tick for headersTimeout/bodyTimeout) is made
 * once and then only refreshed. Refreshed after the clock is disposed, it runs
 * on real time; Node's own clearTimeout still stops it.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { SimClock } from '../../../src/simulator/clock/sim-clock.js';
import { warpGlobals } from '../../../src/simulator/clock/warp.js';

const realSetTimeout = globalThis.setTimeout;
const realSleep = <T>(ms: number, value: T) => new Promise<T>((resolve) => realSetTimeout(() => resolve(value), ms));

/** Runs `during` while a simulated clock has the globals warped, then restores them and disposes the clock, as simulate() does. */
function underWarp<T>(during: () => T): T {
  const clock = new SimClock(100);
  const restore = warpGlobals(clock);
  try {
    return during();
  } finally {
    restore();
    clock.dispose();
  }
}

describe('a timer made during a simulation, after it', () => {
  it("undici's own timeouts still fire after a simulation in which undici first started its timer", async () => {
    const server = createServer((req, res) => {
      if (req.url === '/ok') res.end('ok');
      // /hang: never answers
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const clock = new SimClock(100);
      const restore = warpGlobals(clock);
      try {
        // A hook's plain undici request during a simulation (undici's timers, headersTimeout ≥ 1 s, start here).
        await (await request(`${url}/ok`, { headersTimeout: 5_000 })).body.text();
      } finally {
        restore();
        clock.dispose();
      }
      // Real time again: headersTimeout 1.5 s must end this request well within 15 s.
      const outcome = await Promise.race([
        request(`${url}/hang`, { headersTimeout: 1_500 }).then(() => 'answered', (e: { code?: string }) => e.code ?? 'error'),
        realSleep(15_000, 'hung'),
      ]);
      expect(outcome).toBe('UND_ERR_HEADERS_TIMEOUT');
    } finally {
      server.closeAllConnections();
      server.close();
    }
  }, 30_000);

  it("a pending unref'd timer (a library's background timer) goes on on real time when the clock is disposed; a ref'd one (a hook's wait) is dropped", async () => {
    const fired: string[] = [];
    underWarp(() => {
      setTimeout(() => fired.push('background'), 50).unref();
      setTimeout(() => fired.push('hook wait'), 50);
    });
    for (let waited = 0; fired.length === 0 && waited < 10_000; waited += 10) await realSleep(10, undefined);
    await realSleep(300, undefined);
    expect(fired).toEqual(['background']);
  });

  it('a signal from AbortSignal.timeout made during the simulation aborts in real time after it', async () => {
    const signal = underWarp(() => AbortSignal.timeout(100));
    const outcome = await Promise.race([new Promise((resolve) => signal.addEventListener('abort', () => resolve((signal.reason as Error).name))), realSleep(10_000, 'never aborted')]);
    expect(outcome).toBe('TimeoutError');
  });

  it('a timeout refreshed after the clock is disposed fires on real time; one not refreshed never fires', async () => {
    const fired: string[] = [];
    const [refreshed, dropped] = underWarp(() => [setTimeout(() => fired.push('refreshed'), 50), setTimeout(() => fired.push('dropped'), 50)]);
    refreshed.refresh();
    expect(await realSleep(3_000, 'waited')).toBe('waited');
    expect(fired).toEqual(['refreshed']);
    void dropped;
  });

  it('an interval refreshed after the clock is disposed repeats on real time until cleared', async () => {
    let ticks = 0;
    const interval = underWarp(() => setInterval(() => ticks++, 20));
    interval.refresh();
    for (let waited = 0; ticks < 2 && waited < 10_000; waited += 10) await realSleep(10, undefined);
    expect(ticks).toBeGreaterThanOrEqual(2);
    clearInterval(interval);
    const atClear = ticks;
    await realSleep(500, undefined);
    expect(ticks).toBe(atClear);
  });

  it("Node's own clearTimeout (the globals restored) stops a timer made during the simulation", async () => {
    let fired = false;
    const t = underWarp(() => setTimeout(() => (fired = true), 100));
    t.refresh();
    clearTimeout(t);
    await realSleep(1_000, undefined);
    expect(fired).toBe(false);
  });

  it('an unref’d timer stays unref’d when it moves to real time', () => {
    const t = underWarp(() => setTimeout(() => {}, 60_000).unref());
    t.refresh();
    expect(t.hasRef()).toBe(false);
    clearTimeout(t);
  });
});
