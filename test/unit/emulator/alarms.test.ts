import { describe, expect, it } from 'vitest';
import { AwsServiceError, createWorld } from '../../../src/simulator/state/index.js';
import type { PutMetricAlarmInput } from '../../../src/simulator/state/index.js';

const T0 = Date.parse('2026-01-01T00:00:00Z');

function setup(alarm: Partial<PutMetricAlarmInput> = {}) {
  let now = T0;
  const world = createWorld({ now: () => now });
  const cw = world.cloudWatch;
  cw.putMetricAlarm({
    AlarmName: 'errors', Namespace: 'AWS/Lambda', MetricName: 'Errors',
    Dimensions: [{ Name: 'FunctionName', Value: 'fn' }], Statistic: 'Sum', Period: 60,
    EvaluationPeriods: 1, Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold', ...alarm,
  });
  const put = (secondsAgo: number, value: number) => cw.putMetric({ namespace: 'AWS/Lambda', metricName: 'Errors', dimensions: { FunctionName: 'fn' }, value, timestamp: now - secondsAgo * 1000 });
  return { world, cw, put, setNow: (t: number) => { now = t; }, now: () => now };
}

describe('metric alarm evaluation', () => {
  it('goes INSUFFICIENT_DATA -> ALARM -> OK as the last period breaches and recovers, with history', () => {
    const { cw, put, setNow, now } = setup();
    expect(cw.getAlarmState('errors')).toBe('INSUFFICIENT_DATA');
    put(10, 3);
    const changes = cw.evaluateAlarms();
    expect(changes.map((c) => `${c.alarmName}:${c.from}->${c.to}`)).toEqual(['errors:INSUFFICIENT_DATA->ALARM']);
    const alarm = cw.metricAlarms.get('errors')!;
    expect(alarm.StateReason).toMatch(/^Threshold Crossed: 1 out of the last 1 datapoints \[3\] was greater than or equal to the threshold \(1\)/);
    expect(JSON.parse(alarm.StateReasonData!)).toMatchObject({ threshold: 1, recentDatapoints: [3] });
    setNow(now() + 60_000);
    put(5, 0);
    expect(cw.evaluateAlarms().map((c) => c.to)).toEqual(['OK']);
    expect(cw.evaluateAlarms()).toEqual([]); // no change, no new transition
    const history = cw.describeAlarmHistory({ AlarmName: 'errors', HistoryItemType: 'StateUpdate' }).AlarmHistoryItems;
    expect(history.map((h) => h.HistorySummary)).toEqual(['Alarm updated from ALARM to OK', 'Alarm updated from INSUFFICIENT_DATA to ALARM']);
    expect(JSON.parse(history[0]!.HistoryData)).toMatchObject({ oldState: { stateValue: 'ALARM' }, newState: { stateValue: 'OK' } });
  });

  it('respects DatapointsToAlarm (M out of N)', () => {
    const { cw, put } = setup({ EvaluationPeriods: 3, DatapointsToAlarm: 2 });
    put(170, 5); put(100, 0); put(10, 0);
    expect(cw.evaluateAlarms(undefined)[0]?.to).toBe('OK');
    put(20, 5);
    expect(cw.evaluateAlarms()[0]?.to).toBe('ALARM');
  });

  it.each([
    ['missing', 'INSUFFICIENT_DATA'],
    ['notBreaching', 'OK'],
    ['breaching', 'ALARM'],
  ] as const)('TreatMissingData=%s with no data -> %s', (treat, expected) => {
    const { cw } = setup({ TreatMissingData: treat });
    cw.setAlarmState({ AlarmName: 'errors', StateValue: 'OK', StateReason: 'seed' });
    cw.evaluateAlarms();
    expect(cw.getAlarmState('errors')).toBe(expected === 'INSUFFICIENT_DATA' ? 'INSUFFICIENT_DATA' : expected);
  });

  it('TreatMissingData=ignore keeps the current state when there is no data', () => {
    const { cw } = setup({ TreatMissingData: 'ignore' });
    cw.setAlarmState({ AlarmName: 'errors', StateValue: 'ALARM', StateReason: 'seed' });
    expect(cw.evaluateAlarms()).toEqual([]);
    expect(cw.getAlarmState('errors')).toBe('ALARM');
  });

  it('evaluates percentile and metric-math alarms', () => {
    const { cw, world, now } = setup();
    for (const v of [10, 20, 900]) cw.putMetric({ namespace: 'AWS/Lambda', metricName: 'Duration', dimensions: { FunctionName: 'fn' }, value: v, timestamp: now() - 5000 });
    cw.putMetric({ namespace: 'AWS/Lambda', metricName: 'Invocations', dimensions: { FunctionName: 'fn' }, value: 10, timestamp: now() - 5000 });
    cw.putMetric({ namespace: 'AWS/Lambda', metricName: 'Errors', dimensions: { FunctionName: 'fn' }, value: 1, timestamp: now() - 5000 });
    cw.putMetricAlarm({
      AlarmName: 'p99', Namespace: 'AWS/Lambda', MetricName: 'Duration', Dimensions: [{ Name: 'FunctionName', Value: 'fn' }],
      ExtendedStatistic: 'p99', Period: 60, EvaluationPeriods: 1, Threshold: 500, ComparisonOperator: 'GreaterThanThreshold',
    });
    const metric = (name: string) => ({ Namespace: 'AWS/Lambda', MetricName: name, Dimensions: [{ Name: 'FunctionName', Value: 'fn' }] });
    cw.putMetricAlarm({
      AlarmName: 'rate', EvaluationPeriods: 1, Threshold: 5, ComparisonOperator: 'GreaterThanThreshold',
      Metrics: [
        { Id: 'e', MetricStat: { Metric: metric('Errors'), Period: 60, Stat: 'Sum' }, ReturnData: false },
        { Id: 'i', MetricStat: { Metric: metric('Invocations'), Period: 60, Stat: 'Sum' }, ReturnData: false },
        { Id: 'r', Expression: '100 * e / i', ReturnData: true },
      ],
    });
    cw.evaluateAlarms();
    expect(world.cloudWatch.getAlarmState('p99')).toBe('ALARM');
    expect(world.cloudWatch.getAlarmState('rate')).toBe('ALARM'); // 10 % > 5 %
  });

  it('validates PutMetricAlarm', () => {
    const { cw } = setup();
    const base = { AlarmName: 'x', Namespace: 'N', MetricName: 'M', Period: 60, EvaluationPeriods: 1, Threshold: 1, ComparisonOperator: 'GreaterThanThreshold' as const };
    expect(() => cw.putMetricAlarm({ ...base })).toThrow(/Statistic or ExtendedStatistic/);
    expect(() => cw.putMetricAlarm({ ...base, Statistic: 'Sum', ExtendedStatistic: 'p99' })).toThrow(/Statistic or ExtendedStatistic/);
    expect(() => cw.putMetricAlarm({ ...base, Statistic: 'Sum', DatapointsToAlarm: 2 })).toThrow(/DatapointsToAlarm/);
  });
});

describe('composite alarms and SetAlarmState', () => {
  it('follows ALARM/OK/NOT/AND/OR rules as children change', () => {
    const { cw } = setup();
    cw.putMetricAlarm({ AlarmName: 'latency', Namespace: 'N', MetricName: 'M', Statistic: 'Sum', Period: 60, EvaluationPeriods: 1, Threshold: 1, ComparisonOperator: 'GreaterThanThreshold' });
    cw.putCompositeAlarm({ AlarmName: 'any', AlarmRule: 'ALARM("errors") OR ALARM(latency)' });
    cw.putCompositeAlarm({ AlarmName: 'both', AlarmRule: 'ALARM(errors) AND NOT OK("latency")' });
    cw.putCompositeAlarm({ AlarmName: 'nested', AlarmRule: 'ALARM("any") AND (TRUE OR FALSE)' });
    expect(cw.getAlarmState('any')).toBe('OK');
    cw.setAlarmState({ AlarmName: 'errors', StateValue: 'ALARM', StateReason: 'test' });
    expect(cw.getAlarmState('any')).toBe('ALARM');
    expect(cw.getAlarmState('nested')).toBe('ALARM');
    expect(cw.getAlarmState('both')).toBe('ALARM'); // latency is INSUFFICIENT_DATA, i.e. NOT OK
    cw.setAlarmState({ AlarmName: 'latency', StateValue: 'OK', StateReason: 'test' });
    expect(cw.getAlarmState('both')).toBe('OK');
    cw.setAlarmState({ AlarmName: 'errors', StateValue: 'OK', StateReason: 'test' });
    expect(cw.getAlarmState('any')).toBe('OK');
    expect(cw.getAlarmState('nested')).toBe('OK');
  });

  it('rejects malformed rules, unknown alarms and bad states', () => {
    const { cw } = setup();
    expect(() => cw.putCompositeAlarm({ AlarmName: 'bad', AlarmRule: 'ALARM("x" OR' })).toThrow(AwsServiceError);
    expect(() => cw.setAlarmState({ AlarmName: 'ghost', StateValue: 'ALARM', StateReason: 'x' })).toThrow(/not found/);
    expect(() => cw.setAlarmState({ AlarmName: 'errors', StateValue: 'RED', StateReason: 'x' })).toThrow(/StateValue/);
    expect(() => cw.setAlarmState({ AlarmName: 'errors', StateValue: 'OK', StateReason: 'x', StateReasonData: '{' })).toThrow(/JSON/);
  });
});

describe('DescribeAlarms', () => {
  function many() {
    const { cw } = setup();
    for (let i = 0; i < 120; i++) {
      cw.putMetricAlarm({ AlarmName: `a-${String(i).padStart(3, '0')}`, Namespace: 'N', MetricName: 'M', Statistic: 'Sum', Period: 60, EvaluationPeriods: 1, Threshold: 1, ComparisonOperator: 'GreaterThanThreshold' });
    }
    cw.putCompositeAlarm({ AlarmName: 'a-composite', AlarmRule: 'ALARM("errors")' });
    return cw;
  }

  it('paginates with MaxRecords and NextToken, metric alarms only by default', () => {
    const cw = many();
    const names: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = cw.describeAlarms({ AlarmNamePrefix: 'a-', MaxRecords: 50, ...(token ? { NextToken: token } : {}) });
      names.push(...page.MetricAlarms.map((a) => a.AlarmName));
      expect(page.CompositeAlarms).toEqual([]);
      token = page.NextToken;
      pages++;
    } while (token);
    expect(pages).toBe(3);
    expect(names).toHaveLength(120);
    expect(new Set(names).size).toBe(120);
    const withComposite = cw.describeAlarms({ AlarmNames: ['a-composite', 'errors'], AlarmTypes: ['MetricAlarm', 'CompositeAlarm'] });
    expect(withComposite.MetricAlarms.map((a) => a.AlarmName)).toEqual(['errors']);
    expect(withComposite.CompositeAlarms.map((a) => a.AlarmName)).toEqual(['a-composite']);
    expect(cw.describeAlarms({ AlarmNames: ['a-composite'] }).CompositeAlarms).toEqual([]);
  });

  it('filters by StateValue and silently omits unknown names', () => {
    const cw = many();
    cw.setAlarmState({ AlarmName: 'a-007', StateValue: 'ALARM', StateReason: 'x' });
    expect(cw.describeAlarms({ StateValue: 'ALARM' }).MetricAlarms.map((a) => a.AlarmName)).toEqual(['a-007']);
    expect(cw.describeAlarms({ AlarmNames: ['a-007', 'ghost'] }).MetricAlarms.map((a) => a.AlarmName)).toEqual(['a-007']);
  });

  it('validates AlarmNames (max 100), MaxRecords (1..100), combinations and tokens', () => {
    const cw = many();
    const code = (fn: () => unknown) => {
      try { fn(); } catch (err) { return (err as AwsServiceError).code; }
      return 'none';
    };
    expect(code(() => cw.describeAlarms({ AlarmNames: Array.from({ length: 101 }, (_, i) => `n${i}`) }))).toBe('ValidationError');
    expect(code(() => cw.describeAlarms({ AlarmNames: Array.from({ length: 100 }, (_, i) => `n${i}`) }))).toBe('none');
    expect(code(() => cw.describeAlarms({ MaxRecords: 0 }))).toBe('ValidationError');
    expect(code(() => cw.describeAlarms({ MaxRecords: 101 }))).toBe('ValidationError');
    expect(code(() => cw.describeAlarms({ AlarmNames: ['x'], AlarmNamePrefix: 'x' }))).toBe('InvalidParameterCombination');
    expect(code(() => cw.describeAlarms({ NextToken: 'garbage' }))).toBe('InvalidNextToken');
  });
});
