/**
 * Time-scale invariance where it used to break: error rates of 1–5 %, an
 * alarm that needs 3 one-minute periods, a latency regression, a 2-minute
 * bake. Each scenario (test/integration/fixtures/time-scale) gives the same
 * outcome, reason, lifecycle, requests per version and simulated duration at
 * 10x, 100x and 1000x, and the short one also at 1x, real time.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { TimelineEvent } from '../../src/simulator/index.js';
import { invariantOf, runAtScales, warmUpLazyImports } from './time-scale.js';

async function sameAtEveryScale(fixture: string, scales: number[]) {
  const runs = await runAtScales({ fixture }, scales);
  const [first, ...rest] = runs.map((r) => invariantOf(r.result));
  for (const other of rest) expect(other).toEqual(first);
  return { invariant: first!, runs };
}

describe('new scenarios give the same result at every time scale', () => {
  beforeAll(warmUpLazyImports, 30_000);
  it('5 % errors, all at once, a 10 s error alarm: the same at 1x (real time), 10x, 100x and 1000x', async () => {
    const { invariant } = await sameAtEveryScale('lambda-5pct-all-at-once.yaml', [1, 10, 100, 1000]);
    expect(invariant).toMatchObject({ status: 'Stopped', errorCode: 'ALARM_ACTIVE', rolledBack: true });
    expect(invariant.reason).toContain('alarm v2-errors is in ALARM');
    // Every simulated second of traffic counted: 100 requests per second, split by the alias weights.
    const v2 = invariant.byVersion['2']!;
    expect(v2.total).toBeGreaterThanOrEqual(100);
    expect(v2.failed).toBeGreaterThan(0);
    expect(v2.failed / v2.total).toBeLessThan(0.15);
  }, 60_000);

  it('3 % errors, an alarm needing 3 one-minute periods: it stops the 3-minute canary at every scale', async () => {
    const { invariant } = await sameAtEveryScale('lambda-3pct-three-periods.yaml', [10, 100, 1000]);
    expect(invariant).toMatchObject({ status: 'Stopped', errorCode: 'ALARM_ACTIVE', rolledBack: true });
    expect(invariant.reason).toMatch(/3 out of the last 3 datapoints/);
    // Three full minutes of data were needed, and the canary (180 s) had not finished.
    expect(invariant.simulatedSeconds).toBeGreaterThanOrEqual(120);
    expect(invariant.simulatedSeconds).toBeLessThan(180);
    // About 10 % of 300 requests per simulated second reached version 2, about 3 % of them failed.
    const v2 = invariant.byVersion['2']!;
    expect(v2.total / invariant.byVersion['1']!.total).toBeGreaterThan(0.08);
    expect(v2.total / invariant.byVersion['1']!.total).toBeLessThan(0.14);
    expect(v2.failed / v2.total).toBeGreaterThan(0.02);
    expect(v2.failed / v2.total).toBeLessThan(0.045);
  }, 60_000);

  it('1 % errors stay under the alarm and a 2-minute bake measuring every 30 s passes; the bake takes ~1.2 s at 100x', async () => {
    const { invariant, runs } = await sameAtEveryScale('lambda-1pct-bake.yaml', [100, 1000]);
    expect(invariant).toMatchObject({ status: 'Succeeded', rolledBack: false });
    expect(invariant.byVersion['2']!.failed).toBeGreaterThan(0);
    const at100 = runs[0]!.result.timeline;
    const of = (type: TimelineEvent['type']) => at100.find((e) => e.type === type && 'lifecycleEvent' in e && e.lifecycleEvent === 'AfterAllowTraffic')!;
    const invoked = of('hook-invoked');
    const finished = of('hook-finished') as Extract<TimelineEvent, { type: 'hook-finished' }>;
    // 120 simulated seconds for the hook (its Lambda duration), 1.2 s of real time at 100x:
    // never less (the clock keeps to the scale), and well within a busy host's slack.
    expect(finished.durationMs).toBeGreaterThanOrEqual(120_000);
    expect(finished.simSeconds - invoked.simSeconds).toBeGreaterThanOrEqual(120);
    expect(finished.at - invoked.at).toBeGreaterThanOrEqual(1150);
    expect(finished.at - invoked.at).toBeLessThan(10_000);
    expect(finished.verdict?.status).toBe('Succeeded');
  }, 60_000);

  it('a latency regression (green 1.5 s slower): the smoke test passes, the response-time alarm stops the canary, at every scale', async () => {
    const { invariant } = await sameAtEveryScale('ecs-latency-regression.yaml', [10, 100, 1000]);
    expect(invariant).toMatchObject({ status: 'Stopped', errorCode: 'ALARM_ACTIVE', rolledBack: true });
    expect(invariant.hooks).toEqual(['AfterAllowTestTraffic:Succeeded']);
    expect(invariant.reason).toContain('alarm green-latency is in ALARM');
    expect(invariant.reason).toContain('[1.5]');
  }, 60_000);
});
