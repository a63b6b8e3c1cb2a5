/**
 * Per-version series from the metric store: rates per simulated second, error
 * percentages, latency percentiles, and the same series whether the world keeps
 * real time (compressed by the simulation) or simulated time.
 */
import { describe, expect, it } from 'vitest';
import { MetricStore } from '../../../src/simulator/state/metric-store.js';
import { metricSourcesOf, readVersionMetrics } from '../../../src/simulator/report/version-metrics.js';
import { loadScenario } from '../../../src/simulator/index.js';

const scenario = loadScenario('lambda-canary-healthy');
const sources = metricSourcesOf(scenario);

/** 300 simulated seconds of traffic; `msPerSimSecond` is how fast the world's clock runs against simulated time. */
function storeWith(msPerSimSecond: number, start: number): MetricStore {
  const store = new MetricStore(() => start);
  const put = (version: string, simSecond: number, failed: boolean, durationMs: number) => {
    const Timestamp = start + simSecond * msPerSimSecond;
    const Dimensions = [{ Name: 'FunctionName', Value: 'sample-app' }, { Name: 'Resource', Value: 'sample-app:live' }, { Name: 'ExecutedVersion', Value: version }];
    store.putMetricData('AWS/Lambda', [
      { MetricName: 'Invocations', Dimensions, Timestamp, Value: 1 },
      { MetricName: 'Errors', Dimensions, Timestamp, Value: failed ? 1 : 0 },
      { MetricName: 'Duration', Dimensions, Timestamp, Value: durationMs },
    ]);
  };
  // Version 1: 3 requests every simulated second; version 2 from 100 s on: 1 a second, every 4th failing and slow.
  for (let s = 0; s < 300; s++) {
    put('1', s + 0.1, false, 10);
    put('1', s + 0.4, false, 10);
    put('1', s + 0.7, false, 12);
    if (s >= 100) put('2', s + 0.3, s % 4 === 0, s % 4 === 0 ? 500 : 20);
  }
  // A hook invoking version 2 by number is not production traffic: no ExecutedVersion, not counted.
  store.putMetricData('AWS/Lambda', [{ MetricName: 'Invocations', Dimensions: [{ Name: 'FunctionName', Value: 'sample-app' }, { Name: 'Resource', Value: 'sample-app:2' }], Timestamp: start, Value: 1 }]);
  return store;
}

describe('version metrics', () => {
  it('reads request rate, error rate and latency per version over simulated time', () => {
    const start = 1_700_000_000_000;
    const m = readVersionMetrics(storeWith(10, start), sources, { worldStart: start, worldEnd: start + 3000, simSeconds: 300 })!;
    expect(m.periodSeconds).toBe(1);
    const [v1, v2] = m.versions;
    expect(v1).toMatchObject({ version: '1', role: 'current' });
    expect(v2).toMatchObject({ version: '2', role: 'target' });
    expect(v1!.requestRate).toHaveLength(300);
    expect(v1!.requestRate.every(([, r]) => r === 3)).toBe(true);
    // Before it got traffic version 2's rate is 0 and its error rate unknown (absent), not 0.
    expect(v2!.requestRate[50]).toEqual([50, 0]);
    expect(v2!.errorRate[0]![0]).toBe(100);
    expect(v2!.errorRate.find(([t]) => t === 104)![1]).toBe(100);
    expect(v2!.errorRate.find(([t]) => t === 105)![1]).toBe(0);
    expect(v2!.latencyP99Ms.find(([t]) => t === 104)![1]).toBe(500);
    expect(v1!.latencyP50Ms[0]).toEqual([0, 10]);
    expect(v1!.latencyP99Ms[0]).toEqual([0, 12]);
  });

  it('gives the same series whether the world clock is compressed real time or simulated time', () => {
    const start = 1_700_000_000_000;
    const compressed = readVersionMetrics(storeWith(10, start), sources, { worldStart: start, worldEnd: start + 3000, simSeconds: 300 });
    const simulated = readVersionMetrics(storeWith(1000, start), sources, { worldStart: start, worldEnd: start + 300_000, simSeconds: 300 });
    expect(simulated).toEqual(compressed);
  });

  it('widens the buckets so that they hold a few requests each, and keeps at most 600', () => {
    const dense = readVersionMetrics(storeWith(10, 0), sources, { worldStart: 0, worldEnd: 3000, simSeconds: 300 })!;
    expect(dense.periodSeconds).toBe(1);
    // 30 requests in 300 s: buckets of 30 s hold 3 on average.
    const sparse = new MetricStore(() => 0);
    for (let i = 0; i < 30; i++) sparse.putMetricData('AWS/Lambda', [{ MetricName: 'Invocations', Dimensions: sources[0]!.requests.Dimensions, Timestamp: i * 100, Value: 1 }]);
    const few = readVersionMetrics(sparse, sources, { worldStart: 0, worldEnd: 3000, simSeconds: 300 })!;
    expect(few.periodSeconds).toBe(30);
    expect(few.versions[0]!.requestRate.map(([, r]) => r)).toEqual(new Array(10).fill(0.1));
    const long = readVersionMetrics(new MetricStore(() => 0), sources, { worldStart: 0, worldEnd: 36_000, simSeconds: 3600 })!;
    expect(long.periodSeconds).toBe(10);
    expect(long.versions[0]!.requestRate.length).toBeLessThanOrEqual(600);
  });

  it('reads nothing when no time passed or the platform has no sources', () => {
    expect(readVersionMetrics(new MetricStore(() => 0), sources, { worldStart: 5, worldEnd: 5, simSeconds: 0 })).toBeUndefined();
    expect(readVersionMetrics(new MetricStore(() => 0), [], { worldStart: 0, worldEnd: 5, simSeconds: 5 })).toBeUndefined();
  });
});
