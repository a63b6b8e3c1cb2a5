import { describe, expect, it } from 'vitest';
import { alarms, bake, compareVersions, lambdaDuration, lambdaErrorRate, lambdaThrottles, metric } from '../../../src/checks/index.js';
import { OptionsError } from '../../../src/errors.js';

const ok = { name: 'ok', run: async () => ({ state: 'passed' as const, reason: 'ok' }) };
const query = { Id: 'errors', MetricStat: { Metric: { Namespace: 'N', MetricName: 'M' }, Period: 60, Stat: 'Sum' } };

function fieldOf(make: () => unknown): string | undefined {
  try {
    make();
  } catch (error) {
    if (error instanceof OptionsError) return error.field;
    throw error;
  }
  return undefined;
}

describe('Check factories: misspelled and mistyped options are errors, not ignored', () => {
  it.each([
    ['alarms', () => alarms({ fromDeploymentGroup: true, histroy: true } as never), 'alarms.histroy'],
    ['alarms', () => alarms({ fromDeploymentGroup: true, ignorePollFailure: 'false' } as never), 'alarms.ignorePollFailure'],
    ['alarms', () => alarms({ fromDeploymentGroup: 'yes' } as never), 'alarms.fromDeploymentGroup'],
    ['metric', () => metric({ queries: [query], failWhen: { stat: 'max', op: '>', threshold: 1 }, lookback: 1 } as never), 'metric.lookback'],
    ['bake', () => bake({ checks: [ok], intervalMs: 10, count: 2, failurelimit: 1 } as never), 'bake.failurelimit'],
    ['compareVersions', () => compareVersions({ minRequests: 500 } as never), 'compareVersions.minRequests'],
    ['compareVersions', () => compareVersions({ minSamples: { request: 5 } } as never), 'compareVersions.minSamples.request'],
    ['lambdaErrorRate', () => lambdaErrorRate({ maxPercent: 1, max: 2 } as never), 'lambdaErrorRate.max'],
    ['lambdaThrottles', () => lambdaThrottles({ maxPercent: 1 } as never), 'lambdaThrottles.maxPercent'],
    ['lambdaDuration', () => lambdaDuration({ p99MaxMs: 100, p95MaxMs: 50 } as never), 'lambdaDuration.p95MaxMs'],
  ])('%s names %s', (_factory, make, field) => {
    expect(fieldOf(make)).toBe(field);
  });

  it('still accepts every documented option', () => {
    expect(fieldOf(() => alarms({ fromDeploymentGroup: true, names: ['a'], prefix: 'p', insufficientData: 'fail', ignorePollFailure: false, history: true, since: 0, name: 'n', timeoutMs: 10, enforce: false }))).toBeUndefined();
    expect(fieldOf(() => compareVersions({ minSamples: { requests: 10, periods: 2 }, compare: ['latency', 'errors'] }))).toBeUndefined();
  });
});
