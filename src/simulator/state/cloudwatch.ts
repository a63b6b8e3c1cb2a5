import { notifyAll } from './notify.js';
import { AwsServiceError } from './aws-error.js';
import { parseAlarmRule, evaluateAlarmRule } from './alarm-rule.js';
import type { AlarmRuleNode } from './alarm-rule.js';
import { getMetricData } from './get-metric-data.js';
import type { GetMetricDataInput, MetricDataQuery } from './get-metric-data.js';
import { MetricStore, isSupportedStat, toMillis } from './metric-store.js';
import type { MetricDatumInput, MetricStoreLimits } from './metric-store.js';
import type {
  AlarmState,
  ComparisonOperator,
  PutMetricAlarmInput,
  MetricAlarm,
  PutCompositeAlarmInput,
  CompositeAlarm,
  AlarmHistoryItem,
  AlarmStateChange,
  DescribeAlarmsInput,
  DescribeAlarmHistoryInput,
} from './cloudwatch-types.js';

export type * from './cloudwatch-types.js';

/**
 * CloudWatch's side of the world: metrics, metric and composite alarms, alarm
 * history. Alarms are kept in DescribeAlarms' output shapes.
 */

const STATES: AlarmState[] = ['OK', 'ALARM', 'INSUFFICIENT_DATA'];
const OPERATORS: ComparisonOperator[] = [
  'GreaterThanOrEqualToThreshold', 'GreaterThanThreshold', 'LessThanThreshold', 'LessThanOrEqualToThreshold',
];

function validation(message: string): AwsServiceError {
  return new AwsServiceError('ValidationError', message);
}

function encodeToken(offset: number, kind: string): string {
  return Buffer.from(JSON.stringify({ o: offset, k: kind })).toString('base64');
}

function decodeToken(token: string, kind: string): number {
  try {
    const v = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as { o?: unknown; k?: unknown };
    if (typeof v.o === 'number' && v.o >= 0 && v.k === kind) return v.o;
  } catch {
    // fall through
  }
  throw new AwsServiceError('InvalidNextToken', 'The service couldn\'t process the NextToken. Please check the token and try again.');
}

export class CloudWatchState {
  readonly metrics: MetricStore;
  readonly metricAlarms = new Map<string, MetricAlarm>();
  readonly compositeAlarms = new Map<string, CompositeAlarm & { rule: AlarmRuleNode }>();
  readonly history: AlarmHistoryItem[] = [];
  private readonly listeners = new Set<(c: AlarmStateChange) => void>();
  private readonly region: string;
  private readonly accountId: string;
  private readonly now: () => number;

  constructor(opts: { region: string; accountId: string; now: () => number; metricLimits?: Partial<MetricStoreLimits> }) {
    this.region = opts.region;
    this.accountId = opts.accountId;
    this.now = opts.now;
    this.metrics = new MetricStore(opts.now, opts.metricLimits);
  }

  // ---- metrics ---------------------------------------------------------------------------

  putMetricData(namespace: string, data: MetricDatumInput[]): void {
    this.metrics.putMetricData(namespace, data);
  }

  /** Convenience for the engine: one value, dimensions as a plain object. */
  putMetric(m: { namespace: string; metricName: string; dimensions?: Record<string, string>; value: number; timestamp?: Date | number; unit?: string }): void {
    this.metrics.putMetricData(m.namespace, [{
      MetricName: m.metricName,
      Dimensions: Object.entries(m.dimensions ?? {}).map(([Name, Value]) => ({ Name, Value })),
      Value: m.value,
      ...(m.timestamp !== undefined ? { Timestamp: m.timestamp } : {}),
      ...(m.unit ? { Unit: m.unit } : {}),
    }]);
  }

  getMetricData(input: GetMetricDataInput): ReturnType<typeof getMetricData> {
    return getMetricData(this.metrics, input);
  }

  // ---- alarm definitions ---------------------------------------------------------------------

  putMetricAlarm(input: PutMetricAlarmInput): MetricAlarm {
    if (!input.AlarmName) throw validation('The parameter AlarmName is required.');
    if (!(input.EvaluationPeriods >= 1)) throw validation('The parameter EvaluationPeriods must be at least 1.');
    if (!OPERATORS.includes(input.ComparisonOperator)) {
      throw validation(`The value ${String(input.ComparisonOperator)} for parameter ComparisonOperator is not supported by the emulator (use ${OPERATORS.join(', ')}).`);
    }
    if (input.Threshold === undefined) throw validation('The parameter Threshold is required.');
    if (input.Metrics?.length) {
      if (input.MetricName || input.Namespace) throw new AwsServiceError('InvalidParameterCombination', 'Metrics cannot be combined with MetricName or Namespace.');
      if (input.Metrics.filter((q) => q.ReturnData !== false).length !== 1) throw validation('Exactly one element of Metrics must have ReturnData set to true.');
      // Validates ids, expressions and metric stats the same way GetMetricData does.
      getMetricData(this.metrics, { MetricDataQueries: input.Metrics, StartTime: 0, EndTime: 60_000 });
    } else {
      if (!input.MetricName || !input.Namespace) throw validation('The parameters MetricName and Namespace are required (or Metrics).');
      if (!input.Period || input.Period < 1) throw validation('The parameter Period is required.');
      const stat = input.Statistic ?? input.ExtendedStatistic;
      if (!stat || (input.Statistic && input.ExtendedStatistic)) throw new AwsServiceError('InvalidParameterCombination', 'Exactly one of Statistic or ExtendedStatistic must be specified.');
      if (!isSupportedStat(stat)) throw new AwsServiceError('InvalidParameterValue', `The value ${stat} for parameter Statistic/ExtendedStatistic is not supported.`);
    }
    if (input.DatapointsToAlarm !== undefined && (input.DatapointsToAlarm < 1 || input.DatapointsToAlarm > input.EvaluationPeriods)) {
      throw validation('DatapointsToAlarm must be between 1 and EvaluationPeriods.');
    }
    const at = new Date(this.now());
    const existing = this.metricAlarms.get(input.AlarmName);
    const alarm: MetricAlarm = {
      ...input,
      AlarmArn: this.arn(input.AlarmName),
      AlarmConfigurationUpdatedTimestamp: at,
      ActionsEnabled: input.ActionsEnabled ?? true,
      OKActions: input.OKActions ?? [],
      AlarmActions: input.AlarmActions ?? [],
      InsufficientDataActions: input.InsufficientDataActions ?? [],
      Dimensions: input.Dimensions ?? [],
      TreatMissingData: input.TreatMissingData ?? 'missing',
      StateValue: existing?.StateValue ?? 'INSUFFICIENT_DATA',
      StateReason: existing?.StateReason ?? 'Unchecked: Initial alarm creation',
      StateUpdatedTimestamp: existing?.StateUpdatedTimestamp ?? at,
      StateTransitionedTimestamp: existing?.StateTransitionedTimestamp ?? at,
    };
    this.metricAlarms.set(alarm.AlarmName, alarm);
    this.history.push({
      AlarmName: alarm.AlarmName, AlarmType: 'MetricAlarm', Timestamp: at, HistoryItemType: 'ConfigurationUpdate',
      HistorySummary: `Alarm "${alarm.AlarmName}" ${existing ? 'updated' : 'created'}`,
      HistoryData: JSON.stringify({ type: existing ? 'Update' : 'Create', version: '1.0' }),
    });
    return alarm;
  }

  putCompositeAlarm(input: PutCompositeAlarmInput): CompositeAlarm {
    if (!input.AlarmName) throw validation('The parameter AlarmName is required.');
    const rule = parseAlarmRule(input.AlarmRule);
    const at = new Date(this.now());
    const existing = this.compositeAlarms.get(input.AlarmName);
    const alarm = {
      ...input,
      rule,
      AlarmArn: this.arn(input.AlarmName),
      AlarmConfigurationUpdatedTimestamp: at,
      ActionsEnabled: input.ActionsEnabled ?? true,
      StateValue: existing?.StateValue ?? ('INSUFFICIENT_DATA' as AlarmState),
      StateReason: existing?.StateReason ?? 'Unchecked: Initial alarm creation',
      StateUpdatedTimestamp: existing?.StateUpdatedTimestamp ?? at,
      StateTransitionedTimestamp: existing?.StateTransitionedTimestamp ?? at,
    };
    this.compositeAlarms.set(alarm.AlarmName, alarm);
    this.evaluateComposites();
    return this.publicComposite(alarm);
  }

  deleteAlarms(names: string[]): void {
    for (const n of names) {
      this.metricAlarms.delete(n);
      this.compositeAlarms.delete(n);
    }
  }

  getAlarmState(name: string): AlarmState | undefined {
    return (this.metricAlarms.get(name) ?? this.compositeAlarms.get(name))?.StateValue;
  }

  // ---- state changes ----------------------------------------------------------------------------

  setAlarmState(input: { AlarmName: string; StateValue: string; StateReason: string; StateReasonData?: string }): void {
    const alarm = this.metricAlarms.get(input.AlarmName) ?? this.compositeAlarms.get(input.AlarmName);
    if (!alarm) throw new AwsServiceError('ResourceNotFound', `Alarm ${input.AlarmName} not found.`, 404);
    if (!STATES.includes(input.StateValue as AlarmState)) throw validation(`The value ${input.StateValue} for parameter StateValue is not valid (OK, ALARM, INSUFFICIENT_DATA).`);
    if (input.StateReasonData !== undefined) {
      try {
        JSON.parse(input.StateReasonData);
      } catch {
        throw new AwsServiceError('InvalidFormat', 'StateReasonData is not valid JSON.');
      }
    }
    this.transition(alarm, input.StateValue as AlarmState, input.StateReason, input.StateReasonData, this.metricAlarms.has(alarm.AlarmName) ? 'MetricAlarm' : 'CompositeAlarm', true);
    this.evaluateComposites();
  }

  onAlarmStateChange(listener: (c: AlarmStateChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private transition(
    alarm: MetricAlarm | CompositeAlarm, to: AlarmState, reason: string, reasonData: string | undefined,
    type: 'MetricAlarm' | 'CompositeAlarm', forced = false,
  ): AlarmStateChange | undefined {
    const from = alarm.StateValue;
    const at = new Date(this.now());
    if (from === to && !forced) return undefined;
    alarm.StateValue = to;
    alarm.StateReason = reason;
    if (reasonData !== undefined) alarm.StateReasonData = reasonData;
    alarm.StateUpdatedTimestamp = at;
    if (from !== to) alarm.StateTransitionedTimestamp = at;
    const change: AlarmStateChange = { alarmName: alarm.AlarmName, alarmType: type, from, to, reason, at };
    this.history.push({
      AlarmName: alarm.AlarmName, AlarmType: type, Timestamp: at, HistoryItemType: 'StateUpdate',
      HistorySummary: `Alarm updated from ${from} to ${to}`,
      HistoryData: JSON.stringify({
        version: '1.0',
        oldState: { stateValue: from },
        newState: { stateValue: to, stateReason: reason, ...(reasonData ? { stateReasonData: JSON.parse(reasonData) as unknown } : {}) },
      }),
    });
    notifyAll(this.listeners, change);
    return change;
  }

  /**
   * Evaluates every metric alarm over its last EvaluationPeriods periods ending
   * at `now` (ms; default the world clock), then the composite alarms.
   * Returns the state transitions that happened.
   */
  evaluateAlarms(now: number = this.now()): AlarmStateChange[] {
    const changes: AlarmStateChange[] = [];
    for (const alarm of this.metricAlarms.values()) {
      const next = this.evaluateMetricAlarm(alarm, now);
      if (!next) continue;
      const c = this.transition(alarm, next.state, next.reason, next.reasonData, 'MetricAlarm');
      if (c) changes.push(c);
    }
    changes.push(...this.evaluateComposites());
    return changes;
  }

  private evaluateMetricAlarm(alarm: MetricAlarm, now: number): { state: AlarmState; reason: string; reasonData: string } | undefined {
    const n = alarm.EvaluationPeriods;
    const m = alarm.DatapointsToAlarm ?? n;
    let period: number;
    let queries: MetricDataQuery[];
    if (alarm.Metrics?.length) {
      const main = alarm.Metrics.find((q) => q.ReturnData !== false)!;
      period = main.MetricStat?.Period ?? main.Period ?? alarm.Period ?? 60;
      queries = alarm.Metrics;
    } else {
      period = alarm.Period!;
      queries = [{
        Id: 'm', ReturnData: true,
        MetricStat: {
          Metric: { Namespace: alarm.Namespace!, MetricName: alarm.MetricName!, Dimensions: alarm.Dimensions ?? [] },
          Period: period, Stat: (alarm.Statistic ?? alarm.ExtendedStatistic)!, ...(alarm.Unit ? { Unit: alarm.Unit } : {}),
        },
      }];
    }
    const start = now - n * period * 1000;
    let result;
    try {
      result = getMetricData(this.metrics, { MetricDataQueries: queries, StartTime: start, EndTime: now, ScanBy: 'TimestampAscending' }).MetricDataResults[0];
    } catch (err) {
      return { state: 'INSUFFICIENT_DATA', reason: `Evaluation error: ${(err as Error).message}`, reasonData: '{}' };
    }
    const byBucket = new Map<number, number>();
    result?.Timestamps.forEach((t, i) => byBucket.set(t.getTime(), result.Values[i]!));
    const points: (number | undefined)[] = [];
    for (let k = 0; k < n; k++) points.push(byBucket.get(start + k * period * 1000));
    const present = points.filter((p): p is number => p !== undefined);
    const breaches = (v: number): boolean => compare(alarm.ComparisonOperator, v, alarm.Threshold!);
    const missing = points.length - present.length;
    let breaching = present.filter(breaches).length;
    const treat = alarm.TreatMissingData;
    if (treat === 'breaching') breaching += missing;
    const threshold = alarm.Threshold!;
    const reasonData = JSON.stringify({
      version: '1.0', queryDate: new Date(now).toISOString(), startDate: new Date(start).toISOString(),
      statistic: alarm.Statistic ?? alarm.ExtendedStatistic, period, recentDatapoints: present, threshold,
      evaluatedDatapoints: points.map((v, k) => ({ timestamp: new Date(start + k * period * 1000).toISOString(), ...(v !== undefined ? { value: v } : {}) })),
    });
    if (present.length === 0 && (treat === 'missing' || treat === 'ignore')) {
      if (treat === 'ignore') return undefined;
      return { state: 'INSUFFICIENT_DATA', reason: `Insufficient Data: ${n} datapoint${n === 1 ? ' was' : 's were'} unknown.`, reasonData };
    }
    const opWord = describeOperator(alarm.ComparisonOperator);
    const shown = present.map((v) => String(v)).join(', ');
    if (breaching >= m) {
      return { state: 'ALARM', reason: `Threshold Crossed: ${breaching} out of the last ${n} datapoints [${shown}] ${breaching === 1 ? 'was' : 'were'} ${opWord} the threshold (${threshold}) (minimum ${m} datapoint${m === 1 ? '' : 's'} for OK -> ALARM transition).`, reasonData };
    }
    return { state: 'OK', reason: `Threshold Crossed: ${n - breaching} out of the last ${n} datapoints [${shown}] ${n - breaching === 1 ? 'was' : 'were'} not ${opWord} the threshold (${threshold}) (minimum ${n - m + 1} datapoint${n - m + 1 === 1 ? '' : 's'} for ALARM -> OK transition).`, reasonData };
  }

  private evaluateComposites(): AlarmStateChange[] {
    const changes: AlarmStateChange[] = [];
    // Composites may reference each other: iterate until stable (bounded).
    for (let round = 0; round < 10; round++) {
      let changed = false;
      for (const alarm of this.compositeAlarms.values()) {
        const value = evaluateAlarmRule(alarm.rule, (name) => this.getAlarmState(name));
        const to: AlarmState = value ? 'ALARM' : 'OK';
        const c = this.transition(alarm, to, `AlarmRule ${alarm.AlarmRule} evaluated to ${value ? 'TRUE' : 'FALSE'}`, undefined, 'CompositeAlarm');
        if (c) { changes.push(c); changed = true; }
      }
      if (!changed) break;
    }
    return changes;
  }

  // ---- describe -------------------------------------------------------------------------------

  describeAlarms(input: DescribeAlarmsInput = {}): { MetricAlarms: MetricAlarm[]; CompositeAlarms: CompositeAlarm[]; NextToken?: string } {
    if (input.AlarmNames && input.AlarmNames.length > 100) {
      throw validation(`1 validation error detected: Value '[${input.AlarmNames.join(', ')}]' at 'alarmNames' failed to satisfy constraint: Member must have length less than or equal to 100`);
    }
    if (input.MaxRecords !== undefined && (input.MaxRecords < 1 || input.MaxRecords > 100)) {
      throw validation(`1 validation error detected: Value '${input.MaxRecords}' at 'maxRecords' failed to satisfy constraint: Member must have value ${input.MaxRecords < 1 ? 'greater than or equal to 1' : 'less than or equal to 100'}`);
    }
    if (input.AlarmNames?.length && input.AlarmNamePrefix) {
      throw new AwsServiceError('InvalidParameterCombination', 'AlarmNames and AlarmNamePrefix cannot be used together.');
    }
    if (input.StateValue && !STATES.includes(input.StateValue)) throw validation(`The value ${input.StateValue} for parameter StateValue is not valid.`);
    const types = input.AlarmTypes?.length ? input.AlarmTypes : ['MetricAlarm'];
    const match = (a: { AlarmName: string; StateValue: AlarmState }): boolean =>
      (!input.AlarmNames?.length || input.AlarmNames.includes(a.AlarmName))
      && (!input.AlarmNamePrefix || a.AlarmName.startsWith(input.AlarmNamePrefix))
      && (!input.StateValue || a.StateValue === input.StateValue);
    const all: ({ kind: 'm'; alarm: MetricAlarm } | { kind: 'c'; alarm: CompositeAlarm })[] = [];
    if (types.includes('MetricAlarm')) {
      for (const a of [...this.metricAlarms.values()].filter(match).sort(byName)) all.push({ kind: 'm', alarm: a });
    }
    if (types.includes('CompositeAlarm')) {
      for (const a of [...this.compositeAlarms.values()].filter(match).sort(byName)) all.push({ kind: 'c', alarm: this.publicComposite(a) });
    }
    const offset = input.NextToken ? decodeToken(input.NextToken, 'alarms') : 0;
    const max = input.MaxRecords ?? 50;
    const page = all.slice(offset, offset + max);
    return {
      MetricAlarms: page.filter((x) => x.kind === 'm').map((x) => x.alarm as MetricAlarm),
      CompositeAlarms: page.filter((x) => x.kind === 'c').map((x) => x.alarm as CompositeAlarm),
      ...(offset + max < all.length ? { NextToken: encodeToken(offset + max, 'alarms') } : {}),
    };
  }

  describeAlarmHistory(input: DescribeAlarmHistoryInput = {}): { AlarmHistoryItems: AlarmHistoryItem[]; NextToken?: string } {
    if (input.MaxRecords !== undefined && (input.MaxRecords < 1 || input.MaxRecords > 100)) {
      throw validation(`1 validation error detected: Value '${input.MaxRecords}' at 'maxRecords' failed to satisfy constraint: Member must have value between 1 and 100`);
    }
    const from = input.StartDate !== undefined ? toMillis(input.StartDate, 0) : -Infinity;
    const to = input.EndDate !== undefined ? toMillis(input.EndDate, 0) : Infinity;
    const items = this.history
      .filter((h) => !input.AlarmName || h.AlarmName === input.AlarmName)
      .filter((h) => !input.AlarmTypes?.length || input.AlarmTypes.includes(h.AlarmType))
      .filter((h) => !input.HistoryItemType || h.HistoryItemType === input.HistoryItemType)
      .filter((h) => h.Timestamp.getTime() >= from && h.Timestamp.getTime() <= to);
    // history is in insertion (time) order; descending is the API default
    if (input.ScanBy !== 'TimestampAscending') items.reverse();
    const offset = input.NextToken ? decodeToken(input.NextToken, 'history') : 0;
    const max = input.MaxRecords ?? 100;
    return {
      AlarmHistoryItems: items.slice(offset, offset + max),
      ...(offset + max < items.length ? { NextToken: encodeToken(offset + max, 'history') } : {}),
    };
  }

  private publicComposite(a: CompositeAlarm & { rule?: AlarmRuleNode }): CompositeAlarm {
    const { rule: _rule, ...rest } = a;
    return rest;
  }

  private arn(name: string): string {
    return `arn:aws:cloudwatch:${this.region}:${this.accountId}:alarm:${name}`;
  }
}

function byName(a: { AlarmName: string }, b: { AlarmName: string }): number {
  return a.AlarmName < b.AlarmName ? -1 : a.AlarmName > b.AlarmName ? 1 : 0;
}

function compare(op: ComparisonOperator, v: number, t: number): boolean {
  switch (op) {
    case 'GreaterThanOrEqualToThreshold': return v >= t;
    case 'GreaterThanThreshold': return v > t;
    case 'LessThanThreshold': return v < t;
    case 'LessThanOrEqualToThreshold': return v <= t;
    default: return false;
  }
}

function describeOperator(op: ComparisonOperator): string {
  switch (op) {
    case 'GreaterThanOrEqualToThreshold': return 'greater than or equal to';
    case 'GreaterThanThreshold': return 'greater than';
    case 'LessThanThreshold': return 'less than';
    default: return 'less than or equal to';
  }
}
