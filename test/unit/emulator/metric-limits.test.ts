import { describe, expect, it } from 'vitest';
import { startEmulator } from '../../../src/simulator/emulator/index.js';
import { AwsServiceError, createWorld, DEFAULT_METRIC_LIMITS } from '../../../src/simulator/state/index.js';
import type { World } from '../../../src/simulator/state/index.js';

/** A PutMetricData flood must not grow the emulator's memory without bound. */

const T0 = Date.parse('2026-01-01T00:00:00Z');
const dim = (value: string) => [{ Name: 'FunctionName', Value: value }];

/** SampleCount over everything stored for one series (one bucket spanning `seconds`), as a hook would read it. */
function storedCount(world: World, metricName: string, seconds: number, fn = 'fn'): number {
  const period = Math.ceil(seconds / 60) * 60;
  const out = world.cloudWatch.getMetricData({
    StartTime: T0, EndTime: T0 + period * 1000,
    MetricDataQueries: [{ Id: 'q', MetricStat: { Metric: { Namespace: 'Flood', MetricName: metricName, Dimensions: dim(fn) }, Period: period, Stat: 'SampleCount' } }],
  });
  return out.MetricDataResults[0]!.Values[0] ?? 0;
}

/** `count` datums, one per second from `from` seconds after T0, in requests of 1000. */
function* batches(metricName: string, from: number, count: number, fn = 'fn') {
  for (let i = 0; i < count; i += 1000) {
    yield Array.from({ length: Math.min(1000, count - i) }, (_, j) => ({ MetricName: metricName, Dimensions: dim(fn), Timestamp: T0 + (from + i + j) * 1000, Value: 1 }));
  }
}

describe('metric store limits', () => {
  it('holds at most the default number of values, keeping the newest', () => {
    const world = createWorld({ now: () => T0 });
    const flood = DEFAULT_METRIC_LIMITS.maxDatapoints + 50_000;
    for (const data of batches('M', 0, flood)) world.cloudWatch.putMetricData('Flood', data);
    expect(world.cloudWatch.metrics.datapointCount()).toBe(DEFAULT_METRIC_LIMITS.maxDatapoints);
    expect(storedCount(world, 'M', flood)).toBe(DEFAULT_METRIC_LIMITS.maxDatapoints);
    // The first 50,000 seconds were dropped, the last ones kept.
    const head = world.cloudWatch.getMetricData({
      StartTime: T0, EndTime: T0 + 60_000 * 1000,
      MetricDataQueries: [{ Id: 'q', MetricStat: { Metric: { Namespace: 'Flood', MetricName: 'M', Dimensions: dim('fn') }, Period: 60_000, Stat: 'SampleCount' } }],
    });
    expect(head.MetricDataResults[0]!.Values).toEqual([10_000]);
  }, 60_000);

  it('drops the oldest-written points first, across series, and forgets a series once it is empty', () => {
    const world = createWorld({ now: () => T0, metricLimits: { maxDatapoints: 3000, maxSeries: 5 } });
    for (const data of batches('Old', 0, 1000)) world.cloudWatch.putMetricData('Flood', data);
    for (const data of batches('New', 0, 2500)) world.cloudWatch.putMetricData('Flood', data);
    expect(world.cloudWatch.metrics.datapointCount()).toBe(3000);
    expect(storedCount(world, 'Old', 1000)).toBe(500);
    expect(storedCount(world, 'New', 2500)).toBe(2500);
    for (const data of batches('New', 2500, 600)) world.cloudWatch.putMetricData('Flood', data);
    expect(storedCount(world, 'Old', 1000)).toBe(0);
    expect(world.cloudWatch.metrics.seriesCount()).toBe(1);
    expect(world.cloudWatch.metrics.metrics().map((m) => m.MetricName)).toEqual(['New']);
  });

  it('counts each raw value of a Values datum against the limit', () => {
    const world = createWorld({ now: () => T0, metricLimits: { maxDatapoints: 100 } });
    for (let i = 0; i < 10; i++) {
      world.cloudWatch.putMetricData('Flood', [{ MetricName: 'V', Dimensions: dim('fn'), Timestamp: T0 + i * 1000, Values: Array.from({ length: 30 }, (_, j) => j) }]);
    }
    expect(world.cloudWatch.metrics.datapointCount()).toBeLessThanOrEqual(100);
    expect(storedCount(world, 'V', 10)).toBe(90);
  });

  it('refuses a request that would add series beyond the limit, whole, with LimitExceeded', () => {
    const world = createWorld({ now: () => T0, metricLimits: { maxSeries: 3 } });
    world.cloudWatch.putMetricData('Flood', [{ MetricName: 'M', Dimensions: dim('a'), Value: 1 }, { MetricName: 'M', Dimensions: dim('b'), Value: 1 }]);
    let err: unknown;
    try {
      world.cloudWatch.putMetricData('Flood', [{ MetricName: 'M', Dimensions: dim('a'), Value: 2 }, { MetricName: 'M', Dimensions: dim('c'), Value: 1 }, { MetricName: 'M', Dimensions: dim('d'), Value: 1 }]);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(AwsServiceError);
    expect((err as AwsServiceError).code).toBe('LimitExceeded');
    expect((err as AwsServiceError).message).toContain('at most 3 metric series');
    // Nothing of the refused request was stored; existing series still take data.
    expect(world.cloudWatch.metrics.datapointCount()).toBe(2);
    world.cloudWatch.putMetricData('Flood', [{ MetricName: 'M', Dimensions: dim('a'), Value: 2 }, { MetricName: 'M', Dimensions: dim('c'), Value: 1 }]);
    expect(world.cloudWatch.metrics.seriesCount()).toBe(3);
  });

  it('stays bounded under a flood over the wire, and answers new series beyond the limit with LimitExceeded', async () => {
    const world = createWorld({ now: () => T0, metricLimits: { maxDatapoints: 2000, maxSeries: 4 } });
    const emu = await startEmulator({ world });
    const put = (body: unknown) => fetch(emu.url, {
      method: 'POST',
      headers: { 'x-amz-target': 'GraniteServiceVersion20100801.PutMetricData', 'content-type': 'application/x-amz-json-1.0' },
      body: JSON.stringify(body, (k, v: unknown) => (k === 'Timestamp' ? (v as number) / 1000 : v)),
    });
    try {
      for (const data of batches('Wire', 0, 10_000)) {
        const res = await put({ Namespace: 'Flood', MetricData: data });
        expect(res.status).toBe(200);
        await res.arrayBuffer();
        expect(world.cloudWatch.metrics.datapointCount()).toBeLessThanOrEqual(2000);
      }
      expect(storedCount(world, 'Wire', 10_000)).toBe(2000);

      for (const fn of ['b', 'c', 'd']) expect((await put({ Namespace: 'Flood', MetricData: [{ MetricName: 'Wire', Dimensions: dim(fn), Value: 1 }] })).status).toBe(200);
      const refused = await put({ Namespace: 'Flood', MetricData: [{ MetricName: 'Wire', Dimensions: dim('e'), Value: 1 }] });
      expect(refused.status).toBe(400);
      expect(refused.headers.get('x-amzn-query-error')).toBe('LimitExceeded;Sender');
      expect(await refused.json()).toMatchObject({ __type: 'LimitExceededFault', message: expect.stringContaining('at most 4 metric series') });
      expect(world.cloudWatch.metrics.seriesCount()).toBe(4);
    } finally {
      await emu.close();
    }
  });
});
