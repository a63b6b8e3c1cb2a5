import { describe, expect, it } from 'vitest';
import { AwsServiceError, createWorld } from '../../../src/simulator/state/index.js';

const T0 = Date.parse('2026-01-01T00:00:00Z');
const dims = { FunctionName: 'fn' };

function world() {
  const w = createWorld({ now: () => T0 + 600_000 });
  return w;
}

function stat(w: ReturnType<typeof world>, metricName: string, s: string, period = 60, dimensions = [{ Name: 'FunctionName', Value: 'fn' }]) {
  const out = w.cloudWatch.getMetricData({
    StartTime: T0, EndTime: T0 + 180_000, ScanBy: 'TimestampAscending',
    MetricDataQueries: [{ Id: 'q', MetricStat: { Metric: { Namespace: 'NS', MetricName: metricName, Dimensions: dimensions }, Period: period, Stat: s } }],
  });
  const r = out.MetricDataResults[0]!;
  return r.Timestamps.map((t, i) => [(t.getTime() - T0) / 1000, r.Values[i]]);
}

describe('metric statistics', () => {
  it('computes Sum, Average, Minimum, Maximum and SampleCount per period aligned to StartTime', () => {
    const w = world();
    for (const [t, v] of [[5, 1], [30, 3], [70, 10], [170, 7]] as const) {
      w.cloudWatch.putMetric({ namespace: 'NS', metricName: 'M', dimensions: dims, value: v, timestamp: T0 + t * 1000 });
    }
    expect(stat(w, 'M', 'Sum')).toEqual([[0, 4], [60, 10], [120, 7]]);
    expect(stat(w, 'M', 'Average')).toEqual([[0, 2], [60, 10], [120, 7]]);
    expect(stat(w, 'M', 'Minimum')).toEqual([[0, 1], [60, 10], [120, 7]]);
    expect(stat(w, 'M', 'Maximum')).toEqual([[0, 3], [60, 10], [120, 7]]);
    expect(stat(w, 'M', 'SampleCount')).toEqual([[0, 2], [60, 1], [120, 1]]);
    expect(stat(w, 'M', 'Sum', 180)).toEqual([[0, 21]]);
  });

  it('matches the exact dimension set only', () => {
    const w = world();
    w.cloudWatch.putMetric({ namespace: 'NS', metricName: 'M', dimensions: { FunctionName: 'fn', Resource: 'fn:live' }, value: 5, timestamp: T0 });
    expect(stat(w, 'M', 'Sum')).toEqual([]);
    expect(stat(w, 'M', 'Sum', 60, [{ Name: 'Resource', Value: 'fn:live' }, { Name: 'FunctionName', Value: 'fn' }])).toEqual([[0, 5]]);
  });

  it('computes nearest-rank percentiles including weighted Values/Counts', () => {
    const w = world();
    w.cloudWatch.putMetricData('NS', [{ MetricName: 'L', Dimensions: [{ Name: 'FunctionName', Value: 'fn' }], Timestamp: T0, Values: [10, 20, 30, 1000], Counts: [50, 30, 19, 1] }]);
    expect(stat(w, 'L', 'p50')).toEqual([[0, 10]]);
    expect(stat(w, 'L', 'p80')).toEqual([[0, 20]]);
    expect(stat(w, 'L', 'p99')).toEqual([[0, 30]]);
    expect(stat(w, 'L', 'p99.9')).toEqual([[0, 1000]]);
    expect(stat(w, 'L', 'SampleCount')).toEqual([[0, 100]]);
  });

  it('uses statistic sets for Sum/Average/SampleCount', () => {
    const w = world();
    w.cloudWatch.putMetricData('NS', [{ MetricName: 'S', Dimensions: [{ Name: 'FunctionName', Value: 'fn' }], Timestamp: T0, StatisticValues: { SampleCount: 4, Sum: 20, Minimum: 1, Maximum: 9 } }]);
    expect(stat(w, 'S', 'Average')).toEqual([[0, 5]]);
    expect(stat(w, 'S', 'Maximum')).toEqual([[0, 9]]);
  });

  it('rejects unsupported statistics', () => {
    const w = world();
    expect(() => stat(w, 'M', 'tm99')).toThrow(AwsServiceError);
  });
});

describe('metric math', () => {
  function mathWorld() {
    const w = world();
    const put = (name: string, t: number, v: number) => w.cloudWatch.putMetric({ namespace: 'NS', metricName: name, dimensions: dims, value: v, timestamp: T0 + t * 1000 });
    put('Errors', 0, 2); put('Errors', 60, 0);
    put('Invocations', 0, 10); put('Invocations', 60, 20); put('Invocations', 120, 5);
    return w;
  }
  const q = (id: string, metric: string) => ({ Id: id, ReturnData: false, MetricStat: { Metric: { Namespace: 'NS', MetricName: metric, Dimensions: [{ Name: 'FunctionName', Value: 'fn' }] }, Period: 60, Stat: 'Sum' } });
  function run(w: ReturnType<typeof world>, expression: string) {
    const out = w.cloudWatch.getMetricData({
      StartTime: T0, EndTime: T0 + 180_000, ScanBy: 'TimestampAscending',
      MetricDataQueries: [q('e', 'Errors'), q('i', 'Invocations'), { Id: 'r', Expression: expression }],
    });
    expect(out.MetricDataResults.map((x) => x.Id)).toEqual(['r']);
    const r = out.MetricDataResults[0]!;
    return r.Timestamps.map((t, k) => [(t.getTime() - T0) / 1000, r.Values[k]]);
  }

  it('evaluates arithmetic with precedence, parentheses and unary minus', () => {
    const w = mathWorld();
    expect(run(w, '100 * e / i')).toEqual([[0, 20], [60, 0]]);
    expect(run(w, '(e + i) * 2')).toEqual([[0, 24], [60, 40]]);
    expect(run(w, 'e + i * 2')).toEqual([[0, 22], [60, 40]]);
    expect(run(w, '-e + 1')).toEqual([[0, -1], [60, 1]]);
  });

  it('FILL fills missing periods, SUM/AVG/MAX reduce, division by zero drops the point', () => {
    const w = mathWorld();
    expect(run(w, 'FILL(e, 0)')).toEqual([[0, 2], [60, 0], [120, 0]]);
    expect(run(w, '100 * FILL(e, 0) / i')).toEqual([[0, 20], [60, 0], [120, 0]]);
    expect(run(w, 'SUM(i)')).toEqual([[0, 35], [60, 35], [120, 35]]);
    expect(run(w, 'MAX([e, i])')).toEqual([[0, 10], [60, 20], [120, 5]]);
    expect(run(w, 'i / e')).toEqual([[0, 5]]);
  });

  it('gives a ValidationError naming what is unsupported or wrong', () => {
    const w = mathWorld();
    const codeAndMessage = (expr: string) => {
      try {
        run(w, expr);
      } catch (err) {
        return `${(err as AwsServiceError).code}: ${(err as Error).message}`;
      }
      return 'no error';
    };
    expect(codeAndMessage('ANOMALY_DETECTION_BAND(e)')).toMatch(/^ValidationError: Unsupported function ANOMALY_DETECTION_BAND/);
    expect(codeAndMessage('e +')).toMatch(/^ValidationError: Invalid metrics math expression/);
    expect(codeAndMessage('zz * 2')).toMatch(/^ValidationError: .*Unrecognized identifier zz/);
    expect(codeAndMessage('SELECT AVG(CPUUtilization) FROM SCHEMA("AWS/EC2")')).toMatch(/^ValidationError/);
  });

  it('validates query ids and shape', () => {
    const w = world();
    const call = (queries: unknown[]) => () => w.cloudWatch.getMetricData({ StartTime: T0, EndTime: T0 + 60_000, MetricDataQueries: queries as never });
    expect(call([{ Id: 'Upper', Expression: '1' }])).toThrow(/must start with a lowercase letter/);
    expect(call([{ Id: 'a', Expression: '1' }, { Id: 'a', Expression: '2' }])).toThrow(/not unique/);
    expect(call([{ Id: 'a' }])).toThrow(/exactly one of MetricStat or Expression/);
    expect(call([])).toThrow(/MetricDataQueries/);
  });

  it('refuses FILL over a window with more than 100,800 periods instead of building it', () => {
    const w = world();
    const call = () => w.cloudWatch.getMetricData({
      StartTime: 0, EndTime: T0,
      MetricDataQueries: [
        { Id: 'm', ReturnData: false, MetricStat: { Metric: { Namespace: 'NS', MetricName: 'M' }, Period: 60, Stat: 'Sum' } },
        { Id: 'f', Expression: 'FILL(m, 0)' },
      ],
    });
    expect(call).toThrow(/more than the 100800 datapoints/);
  });
});
