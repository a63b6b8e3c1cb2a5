/**
 * Time-scale invariance of the built-in scenarios: the outcome, the reason,
 * the lifecycle, the requests per version and the simulated duration are the
 * same at every time scale, since everything in the simulated world runs on
 * one simulated clock (src/simulator/clock) and the traffic is drawn per
 * simulated second from seeded sources.
 *
 * Each scenario runs at 10x, 100x and 1000x where that fits CI time; the
 * 5-minute canaries run at 100x and 1000x (30 s each at 10x) and the
 * one-hour hook wait at 1000x and 10000x (6 min at 10x).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { invariantOf, runAtScales, warmUpLazyImports } from './time-scale.js';

const CASES: { builtin: string; scales: number[] }[] = [
  { builtin: 'lambda-canary-broken-version', scales: [10, 100, 1000] },
  { builtin: 'ecs-bluegreen-broken-green', scales: [10, 100, 1000] },
  { builtin: 'lambda-alarm-during-canary', scales: [10, 100, 1000] },
  { builtin: 'lambda-canary-healthy', scales: [100, 1000] },
  { builtin: 'ecs-bluegreen-healthy', scales: [100, 1000] },
  { builtin: 'hook-never-reports', scales: [1000, 10_000] },
];

describe('built-in scenarios give the same result at every time scale', () => {
  beforeAll(warmUpLazyImports, 30_000);
  for (const c of CASES) {
    it(`${c.builtin} at ${c.scales.map((s) => `${s}x`).join(', ')}`, async () => {
      const runs = await runAtScales(c, c.scales);
      const [first, ...rest] = runs.map((r) => invariantOf(r.result));
      // The scenario still ends as it says it does (so the runs compared are the ones it is about).
      expect(first!.status === 'Succeeded' ? 'Succeeded' : 'Failed').toBe(runs[0]!.result.expect);
      expect(first!.byVersion['1']?.total ?? 0).toBeGreaterThan(0);
      for (const other of rest) expect(other).toEqual(first);
    }, 60_000);
  }
});
