/**
 * Production traffic per simulated second: the counts follow the requests per
 * second and the weights, outcomes come from seeded sources (the same on every
 * run), the application's handler serves one real request per version per
 * second and its answer stands for the others, and each second's metrics are
 * recorded with that second's simulated timestamp.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { SimClock } from '../../../src/simulator/clock/index.js';
import { parseScenario } from '../../../src/simulator/index.js';
import { SimulatedTraffic, type TrafficRoute, type VersionSlice } from '../../../src/simulator/engine/simulated-traffic.js';

const clocks: SimClock[] = [];
afterEach(() => clocks.splice(0).forEach((c) => c.dispose()));

const scenario = (target: string) =>
  parseScenario(
    `
platform: Lambda
versions: { current: { version: 1 }, target: { version: 2, ${target} } }
traffic: { requestsPerSecond: 50, path: /items }
`,
    { file: 'inline.yaml' },
  );

async function run(target: string, app: (event: unknown) => unknown, seconds = 10) {
  const clock = new SimClock(1000);
  clocks.push(clock);
  const slices: { slice: VersionSlice; at: number }[] = [];
  const route: TrafficRoute = {
    shares: () => [{ version: '1', share: 0.5 }, { version: '2', share: 0.5 }],
    record: (slice, at) => slices.push({ slice, at: at - clock.startedAt }),
    failed: (slice) => slice.threw + (slice.byClass[5] ?? 0),
  };
  const calls: unknown[] = [];
  const traffic = new SimulatedTraffic(clock, scenario(target), async (event) => {
    calls.push(event);
    return app(event);
  }, route);
  traffic.start();
  await clock.sleep(seconds * 1000 - 1);
  await traffic.stop();
  return { summary: traffic.summary(), slices, calls };
}

const ok = () => ({ statusCode: 200, body: '{}' });

describe('SimulatedTraffic', () => {
  it('sends requestsPerSecond per simulated second, split by the weights, and serves one real request per version per second', async () => {
    const { summary, slices, calls } = await run('errorRate: 0', ok);
    expect(summary.total).toBe(500);
    expect(summary.byVersion['1']!.total + summary.byVersion['2']!.total).toBe(500);
    expect(summary.byVersion['2']!.total).toBeGreaterThan(200);
    expect(summary.byVersion['2']!.total).toBeLessThan(300);
    expect(summary.failed).toBe(0);
    // One slice per version per simulated second, stamped with that second.
    expect(slices.map((s) => s.at).filter((_, i) => i % 2 === 0)).toEqual([0, 1000, 2000, 3000, 4000, 5000, 6000, 7000, 8000, 9000]);
    expect(calls).toHaveLength(20);
    expect(calls[0]).toMatchObject({ rawPath: '/items' });
  });

  it('draws injected errors from a seeded source: about the error rate, and the same counts on every run', async () => {
    const a = await run('errorRate: 0.1', ok);
    const b = await run('errorRate: 0.1', ok);
    expect(a.summary).toEqual(b.summary);
    const v2 = a.summary.byVersion['2']!;
    expect(v2.failed).toBeGreaterThan(0.04 * v2.total);
    expect(v2.failed).toBeLessThan(0.2 * v2.total);
    expect(a.summary.byVersion['1']!.failed).toBe(0);
  });

  it("the sampled answer stands for the version's other requests: a handler that throws fails them all", async () => {
    const { summary, slices } = await run('errorRate: 0', () => {
      throw new Error('broken');
    });
    expect(summary.failed).toBe(summary.total);
    expect(slices.every((s) => s.slice.threw === s.slice.total)).toBe(true);
  });

  it('applies the status override and the latency only on the affected paths', async () => {
    const hit = await run('statusCode: 503, latencyMs: 700, affectedPaths: [/items]', ok);
    const v2 = hit.slices.filter((s) => s.slice.version === '2');
    expect(v2.every((s) => s.slice.byClass[5] === s.slice.total && s.slice.latencyMs === 700)).toBe(true);
    const miss = await run('statusCode: 503, latencyMs: 700, affectedPaths: [/other]', ok);
    expect(miss.summary.failed).toBe(0);
    expect(miss.slices.every((s) => s.slice.latencyMs === 0 && s.slice.byClass[2] === s.slice.total)).toBe(true);
  });
});
