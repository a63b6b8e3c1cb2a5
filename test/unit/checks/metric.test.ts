import { beforeEach, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import {
  CloudWatchClient,
  GetMetricDataCommand,
  type GetMetricDataCommandInput,
  type MetricDataResult,
} from '@aws-sdk/client-cloudwatch';
import { metric } from '../../../src/checks/metric.js';
import { planBatches, type MetricQuery } from '../../../src/checks/metric-data.js';
import { lambdaDuration, lambdaErrorRate, lambdaThrottles } from '../../../src/checks/lambda-metrics.js';
import { OptionsError } from '../../../src/errors.js';
import { awsError, checkContext, ecsHook, lambdaHook } from './cw-helpers.js';

const cw = mockClient(CloudWatchClient);
beforeEach(() => cw.reset());

const T0 = Date.parse('2026-03-01T12:00:00Z');
const ts = (n: number) => Array.from({ length: n }, (_, i) => new Date(T0 + i * 60_000));

function stat(id: string, metricName = 'Errors'): MetricQuery {
  return {
    Id: id,
    MetricStat: { Metric: { Namespace: 'AWS/Lambda', MetricName: metricName, Dimensions: [{ Name: 'FunctionName', Value: 'fn' }] }, Stat: 'Sum' },
  };
}

function result(id: string, values: number[], extra: Partial<MetricDataResult> = {}): MetricDataResult {
  return { Id: id, Label: id, Timestamps: ts(values.length), Values: values, StatusCode: 'Complete', ...extra };
}

/** Answers every GetMetricData call with the given values per id (missing ids: no datapoints). */
function serve(values: Record<string, number[]>) {
  cw.on(GetMetricDataCommand).callsFake((input: GetMetricDataCommandInput) => ({
    MetricDataResults: (input.MetricDataQueries ?? [])
      .filter((q) => q.ReturnData !== false)
      .map((q) => result(q.Id as string, values[q.Id as string] ?? [], { Label: q.Label ?? (q.Id as string) })),
  }));
}

function field(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(OptionsError);
    return (e as OptionsError).field;
  }
  return undefined;
}

const maxOver = (threshold: number) => ({ stat: 'max' as const, op: '>' as const, threshold });

describe('metric options', () => {
  it('validates query ids and shapes eagerly, naming the field', () => {
    expect(field(() => metric({ queries: [stat('Errors')], failWhen: maxOver(0) }))).toBe('metric.queries[0].Id');
    expect(field(() => metric({ queries: [stat('a-b')], failWhen: maxOver(0) }))).toBe('metric.queries[0].Id');
    expect(field(() => metric({ queries: [stat('a'), stat('a')], failWhen: maxOver(0) }))).toBe('metric.queries[1].Id');
    expect(field(() => metric({ queries: [{ ...stat('a'), Expression: 'a*2' }], failWhen: maxOver(0) }))).toBe('metric.queries[0]');
    expect(field(() => metric({ queries: [{ Id: 'a' }], failWhen: maxOver(0) }))).toBe('metric.queries[0]');
    expect(field(() => metric({ queries: [], failWhen: maxOver(0) }))).toBe('metric.queries');
    expect(field(() => metric({ queries: [{ ...stat('a'), ReturnData: false }], failWhen: maxOver(0) }))).toBe('metric.queries');
    expect(field(() => metric({ queries: [{ ...stat('a'), MetricStat: { ...stat('a').MetricStat!, Period: 45 } }], failWhen: maxOver(0) }))).toBe(
      'metric.queries[0].MetricStat.Period',
    );
  });

  it('validates conditions and policies', () => {
    const q = [stat('a')];
    expect(field(() => metric({ queries: q } as never))).toBe('metric.failWhen');
    expect(field(() => metric({ queries: q, failWhen: { stat: 'p99', op: '>', threshold: 1 } as never }))).toBe('metric.failWhen.stat');
    expect(field(() => metric({ queries: q, failWhen: [maxOver(1), { stat: 'max', op: '!=', threshold: 1 } as never] }))).toBe('metric.failWhen[1].op');
    expect(field(() => metric({ queries: q, failWhen: { ...maxOver(1), id: 'zzz' } }))).toBe('metric.failWhen.id');
    expect(field(() => metric({ queries: q, failWhen: maxOver(0), noData: 'ignore' as never }))).toBe('metric.noData');
    expect(field(() => metric({ queries: q, failWhen: maxOver(0), periodSeconds: 90 }))).toBe('metric.periodSeconds');
    expect(field(() => metric({ queries: q, failWhen: maxOver(0), minDatapoints: 0 }))).toBe('metric.minDatapoints');
    expect(field(() => metric({ queries: q, failWhen: maxOver(0), lookbackMs: 0 }))).toBe('metric.lookbackMs');
  });

  it('rejects more than 500 queries linked by one expression', () => {
    // A chain x_i = m_i + x_(i-1) links 251 metrics and 251 expressions into one unit of 502.
    const queries: MetricQuery[] = [];
    for (let i = 0; i < 251; i++) {
      queries.push(stat(`m${i}`));
      queries.push({ Id: `x${i}`, Expression: i === 0 ? 'm0' : `m${i} + x${i - 1}` });
    }
    expect(field(() => metric({ queries, failWhen: maxOver(0) }))).toBe('metric.queries');
    // The same count without links is fine: it is split into two calls.
    expect(() => metric({ queries: queries.filter((q) => q.MetricStat), failWhen: maxOver(0) })).not.toThrow();
  });
});

describe('metric evaluation', () => {
  it('passes when no condition holds, sending the window, ascending scan and default period', async () => {
    serve({ errors: [0, 1, 0] });
    const ctx = checkContext();
    const before = Date.now();
    const out = await metric({ queries: [stat('errors')], failWhen: maxOver(1) }).run(ctx);
    expect(out.state).toBe('passed');
    const input = cw.commandCalls(GetMetricDataCommand)[0]!.args[0].input;
    expect(input.ScanBy).toBe('TimestampAscending');
    expect(input.MetricDataQueries?.[0]?.MetricStat?.Period).toBe(60);
    const span = (input.EndTime as Date).getTime() - (input.StartTime as Date).getTime();
    expect(span).toBe(300_000);
    expect((input.EndTime as Date).getTime()).toBeGreaterThanOrEqual(before);
    expect(((cw.commandCalls(GetMetricDataCommand)[0]!.args as unknown[])[1] as { abortSignal?: AbortSignal }).abortSignal).toBe(ctx.signal);
  });

  it('fails naming the series, the statistic and the threshold', async () => {
    serve({ errors: [0, 3, 1] });
    const out = await metric({ queries: [stat('errors')], failWhen: maxOver(2), lookbackMs: 600_000 }).run(checkContext());
    expect(out.state).toBe('failed');
    expect(out.reason).toBe('errors max = 3 > 2 over the last 10 min');
  });

  it.each([
    ['max', '>=', 5, 'failed'],
    ['min', '<', 1, 'failed'],
    ['avg', '>', 2, 'failed'],
    ['avg', '>', 3, 'passed'],
    ['sum', '>', 9, 'passed'],
    ['sum', '>=', 9, 'failed'],
    ['last', '<=', 1, 'passed'],
    ['last', '<=', 2, 'failed'],
  ] as const)('%s %s %s -> %s on [0, 5, 2, 2]', async (s, op, threshold, state) => {
    serve({ a: [0, 5, 2, 2] });
    const out = await metric({ queries: [stat('a')], failWhen: { stat: s, op, threshold } }).run(checkContext());
    expect(out.state).toBe(state);
  });

  it('evaluates every returned series, skipping ReturnData: false, and honours condition ids', async () => {
    serve({ a: [1], b: [9], hidden: [100] });
    const queries = [stat('a'), stat('b'), { ...stat('hidden'), ReturnData: false }];
    const all = await metric({ queries, failWhen: maxOver(5) }).run(checkContext());
    expect(all.state).toBe('failed');
    expect(all.reason).toMatch(/^b max = 9 > 5/);
    expect(all.reason).not.toContain('hidden');
    const onlyA = await metric({ queries, failWhen: { ...maxOver(5), id: 'a' } }).run(checkContext());
    expect(onlyA.state).toBe('passed');
  });

  it('uses "last" in time order even when pages arrive out of order', async () => {
    cw.on(GetMetricDataCommand)
      .resolvesOnce({ MetricDataResults: [{ Id: 'a', Timestamps: [new Date(T0 + 120_000)], Values: [7], StatusCode: 'PartialData' }], NextToken: 'n' })
      .resolvesOnce({ MetricDataResults: [{ Id: 'a', Timestamps: [new Date(T0)], Values: [1], StatusCode: 'Complete' }] });
    const out = await metric({ queries: [stat('a')], failWhen: { stat: 'last', op: '>', threshold: 5 } }).run(checkContext());
    expect(out.state).toBe('failed');
    expect(out.details?.series).toEqual([expect.objectContaining({ id: 'a', datapoints: 2, last: 7, sum: 8 })]);
    expect(cw.commandCalls(GetMetricDataCommand)[1]!.args[0].input.NextToken).toBe('n');
  });

  it('supports predicates: true or a string fails, false passes, a throw is an error', async () => {
    serve({ a: [1, 2, 3] });
    const run = (p: (s: { values: number[] }) => boolean | string) => metric({ queries: [stat('a')], failWhen: p }).run(checkContext());
    expect((await run((s) => s.values.length < 3)).state).toBe('passed');
    const failedTrue = await run((s) => s.values.includes(2));
    expect(failedTrue.state).toBe('failed');
    expect(failedTrue.reason).toMatch(/a matched the failWhen predicate/);
    const failedString = await run((s) => (s.values.every((v) => v > 0) ? 'all periods had errors' : false));
    expect(failedString.reason).toMatch(/^a: all periods had errors/);
    const threw = await run(() => {
      throw new Error('oops');
    });
    expect(threw.state).toBe('error');
    expect(threw.reason).toMatch(/predicate threw.*oops/);
  });

  it('applies the noData policy (default inconclusive) and minDatapoints', async () => {
    serve({ a: [1, 1] });
    const base = { queries: [stat('a')], failWhen: maxOver(5) };
    const dflt = await metric(base).run(checkContext());
    expect(dflt.state).toBe('passed');
    const tooFew = await metric({ ...base, minDatapoints: 3 }).run(checkContext());
    expect(tooFew.state).toBe('inconclusive');
    expect(tooFew.reason).toMatch(/fewer than 3 datapoints over the last 5 min for a \(2 datapoints\)/);
    expect((await metric({ ...base, minDatapoints: 3, noData: 'fail' }).run(checkContext())).state).toBe('failed');
    const pass = await metric({ ...base, minDatapoints: 3, noData: 'pass' }).run(checkContext());
    expect(pass.state).toBe('passed');
    expect(pass.reason).toMatch(/noData policy 'pass'/);
  });

  it('a failing condition wins over missing data in another series', async () => {
    serve({ a: [10] });
    const out = await metric({ queries: [stat('a'), stat('b')], failWhen: maxOver(5) }).run(checkContext());
    expect(out.state).toBe('failed');
  });

  it('reports Forbidden series as an error', async () => {
    cw.on(GetMetricDataCommand).resolves({
      MetricDataResults: [{ Id: 'a', StatusCode: 'Forbidden', Messages: [{ Code: 'Forbidden', Value: 'cross-account access denied' }] }],
    });
    const out = await metric({ queries: [stat('a')], failWhen: maxOver(5) }).run(checkContext());
    expect(out.state).toBe('error');
    expect(out.reason).toMatch(/a: Forbidden \(Forbidden: cross-account access denied\)/);
  });

  it('turns API errors into an error outcome, and retries throttling', async () => {
    cw.on(GetMetricDataCommand).rejects(awsError('InvalidParameterValue', 'The value 1 for parameter Period is not valid'));
    const out = await metric({ queries: [stat('a')], failWhen: maxOver(5) }).run(checkContext());
    expect(out.state).toBe('error');
    expect(out.reason).toMatch(/GetMetricData failed: InvalidParameterValue/);

    cw.reset();
    cw.on(GetMetricDataCommand).rejectsOnce(awsError('ThrottlingException', 'Rate exceeded')).resolves({ MetricDataResults: [result('a', [1])] });
    const retried = await metric({ queries: [stat('a')], failWhen: maxOver(5) }).run(checkContext());
    expect(retried.state).toBe('passed');
    expect(cw).toHaveReceivedCommandTimes(GetMetricDataCommand, 2);
  });

  it('validates query functions at run time, returning an error outcome', async () => {
    const out = await metric({ queries: () => [stat('Bad')], failWhen: maxOver(1) }).run(checkContext());
    expect(out.state).toBe('error');
    expect(out.reason).toMatch(/metric\.queries\[0\]\.Id/);
    expect(cw).toHaveReceivedCommandTimes(GetMetricDataCommand, 0);
  });
});

describe('metric API economy', () => {
  it.each([
    [1, 1],
    [500, 1],
    [501, 2],
    [1200, 3],
  ])('%i queries cost %i GetMetricData calls of at most 500', async (m, calls) => {
    serve({});
    const queries = Array.from({ length: m }, (_, i) => stat(`q${i}`));
    const out = await metric({ queries, failWhen: maxOver(1), noData: 'pass' }).run(checkContext());
    expect(out.state).toBe('passed');
    expect(cw).toHaveReceivedCommandTimes(GetMetricDataCommand, calls);
    const sizes = cw.commandCalls(GetMetricDataCommand).map((c) => c.args[0].input.MetricDataQueries?.length ?? 0);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(500);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(m);
  });

  it('keeps an expression in the same batch as the ids it references', () => {
    const independent = Array.from({ length: 499 }, (_, i) => stat(`q${i}`));
    const linked: MetricQuery[] = [stat('errors'), stat('invocations'), { Id: 'rate', Expression: '100 * errors / invocations' }];
    const batches = planBatches([...independent.slice(0, 250), ...linked, ...independent.slice(250)]);
    expect(batches).toHaveLength(2);
    const withRate = batches.find((b) => b.some((q) => q.Id === 'rate'))!;
    expect(withRate.map((q) => q.Id)).toEqual(expect.arrayContaining(['errors', 'invocations', 'rate']));
    for (const b of batches) expect(b.length).toBeLessThanOrEqual(500);
  });
});

describe('Lambda presets', () => {
  const dims = (q: MetricQuery | undefined) => q?.MetricStat?.Metric?.Dimensions;

  it('lambdaErrorRate scopes to FunctionName + Resource alias + ExecutedVersion of the target version', async () => {
    serve({ error_rate: [2.5] });
    const out = await lambdaErrorRate({ maxPercent: 1 }).run(checkContext({ hook: lambdaHook({ functionName: 'arn:aws:lambda:us-east-1:123456789012:function:my-fn' }) }));
    expect(out.state).toBe('failed');
    expect(out.reason).toMatch(/error_rate \(error rate %\) max = 2.5 > 1/);
    const queries = cw.commandCalls(GetMetricDataCommand)[0]!.args[0].input.MetricDataQueries!;
    expect(queries.map((q) => q.Id)).toEqual(['errors', 'invocations', 'error_rate']);
    expect(dims(queries[0])).toEqual([
      { Name: 'FunctionName', Value: 'my-fn' },
      { Name: 'Resource', Value: 'my-fn:live' },
      { Name: 'ExecutedVersion', Value: '7' },
    ]);
    expect(queries[0]?.ReturnData).toBe(false);
    expect(queries[2]?.Expression).toBe('100 * FILL(errors, 0) / invocations');
    // The default period spans the whole window so the rate is one overall figure.
    expect(queries[0]?.MetricStat?.Period).toBe(300);
  });

  it('lambdaErrorRate passes under the limit and is inconclusive without traffic', async () => {
    serve({ error_rate: [0.4] });
    expect((await lambdaErrorRate({ maxPercent: 1 }).run(checkContext())).state).toBe('passed');
    cw.reset();
    serve({});
    const none = await lambdaErrorRate({ maxPercent: 1 }).run(checkContext());
    expect(none.state).toBe('inconclusive');
  });

  it('lambda presets need a Lambda deployment or explicit scope', async () => {
    serve({ error_rate: [0] });
    const out = await lambdaErrorRate({ maxPercent: 1 }).run(checkContext({ hook: ecsHook() }));
    expect(out.state).toBe('error');
    expect(out.reason).toMatch(/needs a Lambda deployment \(this one is ECS\)/);
    const explicit = await lambdaErrorRate({ maxPercent: 1, functionName: 'f', alias: 'a', version: '3' }).run(checkContext({ hook: ecsHook() }));
    expect(explicit.state).toBe('passed');
  });

  it('validates preset options', () => {
    expect(field(() => lambdaErrorRate({ maxPercent: -1 }))).toBe('lambdaErrorRate.maxPercent');
    expect(field(() => lambdaErrorRate({ maxPercent: 101 }))).toBe('lambdaErrorRate.maxPercent');
    expect(field(() => lambdaThrottles({ max: 1.5 as never, scope: 'fn' as never }))).toBe('lambdaThrottles.scope');
    expect(field(() => lambdaDuration({ p99MaxMs: 0 }))).toBe('lambdaDuration.p99MaxMs');
  });

  it('lambdaThrottles sums throttles and passes when Lambda emitted none', async () => {
    serve({ throttles: [1, 2] });
    const out = await lambdaThrottles({ max: 2 }).run(checkContext());
    expect(out.state).toBe('failed');
    expect(out.reason).toMatch(/throttles sum = 3 > 2/);
    cw.reset();
    serve({});
    expect((await lambdaThrottles().run(checkContext())).state).toBe('passed');
  });

  it('lambdaDuration checks p99 per period; scope alias drops ExecutedVersion', async () => {
    serve({ duration_p99: [120, 480] });
    const out = await lambdaDuration({ p99MaxMs: 400, scope: 'alias' }).run(checkContext());
    expect(out.state).toBe('failed');
    const q = cw.commandCalls(GetMetricDataCommand)[0]!.args[0].input.MetricDataQueries![0]!;
    expect(q.MetricStat?.Stat).toBe('p99');
    expect(dims(q)?.map((d) => d.Name)).toEqual(['FunctionName', 'Resource']);
  });
});

describe('Function: metric condition ids (review finding)', () => {
  const errors = { Id: 'errors', MetricStat: { Metric: { Namespace: 'AWS/Lambda', MetricName: 'Errors' }, Period: 60, Stat: 'Sum' } };

  it('rejects a condition id that names a hidden (ReturnData false) query', () => {
    const rate = { Id: 'rate', Expression: 'errors * 100' };
    expect(() => metric({ queries: [{ ...errors, ReturnData: false }, rate], failWhen: { id: 'errors', stat: 'max', op: '>', threshold: 0 } })).toThrow(/failWhen\.id/);
    expect(() => metric({ queries: [{ ...errors, ReturnData: false }, rate], failWhen: { id: 'rate', stat: 'max', op: '>', threshold: 0 } })).not.toThrow();
  });

  it('reports an error at run time when a queries function does not return the id a condition names', async () => {
    const check = metric({ queries: () => [errors], failWhen: { id: 'errs', stat: 'max', op: '>', threshold: 0 } });
    const outcome = await check.run(checkContext());
    expect(outcome.state).toBe('error');
    expect(outcome.reason).toContain('"errs"');
  });
});
