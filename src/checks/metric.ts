/**
 * metric(): a GetMetricData gate. Runs MetricStat and metric-math queries over
 * a lookback window and fails when a condition holds for any returned series.
 */
import { OptionsError } from '../errors.js';
import type { Check, CheckContext, CheckOutcome } from '../types.js';
import { commonFields } from './cw-common.js';
import {
  DEFAULT_LOOKBACK_MS,
  DEFAULT_PERIOD_SECONDS,
  fetchMetricData,
  planBatches,
  validatePeriod,
  validateQueries,
  withDefaultPeriod,
  type FetchResult,
  type MetricQuery,
  type MetricSeries,
} from './metric-data.js';
import { errorText, formatDuration, requireOneOf, requirePositive, type CommonCheckOptions, COMMON_KEYS, rejectUnknownKeys } from './common.js';


export const STATS = ['max', 'min', 'avg', 'last', 'sum'] as const;
export const OPS = ['>', '>=', '<', '<='] as const;
const NO_DATA_POLICIES = ['fail', 'pass', 'inconclusive'] as const;
export type NoDataPolicy = (typeof NO_DATA_POLICIES)[number];

/** "Fail when `stat` of a series `op` `threshold`", e.g. `{ stat: 'max', op: '>', threshold: 5 }`. */
export interface MetricCondition {
  stat: (typeof STATS)[number];
  op: (typeof OPS)[number];
  threshold: number;
  /** Only the series of this query id. @default every returned series */
  id?: string;
}


/** Fails the check when it returns `true` or a string (the reason); `false` passes. */
export type SeriesPredicate = (series: MetricSeries) => boolean | string;

export interface MetricOptions extends CommonCheckOptions {
  /** The queries, or a function of the check context returning them (validated when the check runs). */
  queries: MetricQuery[] | ((ctx: CheckContext) => MetricQuery[]);
  /** What fails the check, evaluated over every series with ReturnData != false. */
  failWhen: MetricCondition | SeriesPredicate | (MetricCondition | SeriesPredicate)[];
  /** Window ending now. @default 300000 (5 min) */
  lookbackMs?: number;
  /** Period of MetricStat queries that set none. @default 60 */
  periodSeconds?: number;
  /** A series with fewer datapoints counts as no data. @default 1 */
  minDatapoints?: number;
  /** Outcome when a series has no (or too few) datapoints. @default 'inconclusive' */
  noData?: NoDataPolicy;
}


export function seriesStat(values: readonly number[], stat: MetricCondition['stat']): number {
  if (values.length === 0) return NaN;
  switch (stat) {
    case 'max':
      return Math.max(...values);
    case 'min':
      return Math.min(...values);
    case 'sum':
      return values.reduce((a, b) => a + b, 0);
    case 'avg':
      return values.reduce((a, b) => a + b, 0) / values.length;
    case 'last':
      return values[values.length - 1] as number;
  }
}

function compare(value: number, op: MetricCondition['op'], threshold: number): boolean {
  switch (op) {
    case '>':
      return value > threshold;
    case '>=':
      return value >= threshold;
    case '<':
      return value < threshold;
    case '<=':
      return value <= threshold;
  }
}

function summary(s: MetricSeries): Record<string, unknown> {
  const v = s.values;
  return {
    id: s.id,
    ...(s.label ? { label: s.label } : {}),
    datapoints: v.length,
    ...(v.length > 0
      ? { min: seriesStat(v, 'min'), max: seriesStat(v, 'max'), avg: seriesStat(v, 'avg'), last: seriesStat(v, 'last'), sum: seriesStat(v, 'sum') }
      : {}),
    ...(s.statusCode ? { statusCode: s.statusCode } : {}),
    ...(s.messages ? { messages: s.messages } : {}),
  };
}

function validateConditions(failWhen: unknown, field: string): (MetricCondition | SeriesPredicate)[] {
  const list = Array.isArray(failWhen) ? failWhen : failWhen === undefined ? [] : [failWhen];
  if (list.length === 0) throw new OptionsError(field, 'give at least one condition ({ stat, op, threshold }) or predicate');
  list.forEach((c: unknown, i) => {
    const f = Array.isArray(failWhen) ? `${field}[${i}]` : field;
    if (typeof c === 'function') return;
    if (typeof c !== 'object' || c === null) throw new OptionsError(f, 'must be { stat, op, threshold } or a function');
    const cond = c as MetricCondition;
    requireOneOf(cond.stat, STATS, `${f}.stat`);
    requireOneOf(cond.op, OPS, `${f}.op`);
    if (typeof cond.threshold !== 'number' || !Number.isFinite(cond.threshold)) throw new OptionsError(`${f}.threshold`, 'must be a finite number');
    if (cond.id !== undefined && typeof cond.id !== 'string') throw new OptionsError(`${f}.id`, 'must be a query id');
  });
  return list as (MetricCondition | SeriesPredicate)[];
}

function describeSeries(s: MetricSeries): string {
  return s.label && s.label !== s.id ? `${s.id} (${s.label})` : s.id;
}

const METRIC_KEYS = ['queries', 'failWhen', 'lookbackMs', 'periodSeconds', 'minDatapoints', 'noData'];

export function metric(options: MetricOptions): Check {
  if (typeof options === 'object' && options !== null) rejectUnknownKeys(options as unknown as Record<string, unknown>, [...COMMON_KEYS, ...METRIC_KEYS], 'metric');
  return metricCheck(options, 'metric', 'metric');
}

/** metric() with a different default name and field prefix (used by the presets). */
export function metricCheck(options: MetricOptions, defaultName: string, field: string): Check {
  if (typeof options !== 'object' || options === null) throw new OptionsError(field, 'options object is required');
  const base = commonFields(options, defaultName, field);
  if (typeof options.queries !== 'function') validateQueries(options.queries, `${field}.queries`);
  const conditions = validateConditions(options.failWhen, `${field}.failWhen`);
  const lookbackMs = options.lookbackMs ?? DEFAULT_LOOKBACK_MS;
  requirePositive(lookbackMs, `${field}.lookbackMs`);
  const periodSeconds = options.periodSeconds ?? DEFAULT_PERIOD_SECONDS;
  validatePeriod(periodSeconds, `${field}.periodSeconds`);
  const minDatapoints = options.minDatapoints ?? 1;
  requirePositive(minDatapoints, `${field}.minDatapoints`, { integer: true });
  const noData = options.noData ?? 'inconclusive';
  requireOneOf(noData, NO_DATA_POLICIES, `${field}.noData`);
  // A condition naming a query that returns no series would match nothing and pass silently.
  const checkConditionIds = (queries: MetricQuery[]) => {
    const returned = new Set(queries.filter((q) => q.ReturnData !== false).map((q) => q.Id));
    conditions.forEach((c, i) => {
      if (typeof c !== 'function' && c.id !== undefined && !returned.has(c.id)) {
        throw new OptionsError(
          `${field}.failWhen${Array.isArray(options.failWhen) ? `[${i}]` : ''}.id`,
          `no query with ReturnData has id "${c.id}" (a condition must name a series the queries return)`,
        );
      }
    });
  };
  if (Array.isArray(options.queries)) {
    checkConditionIds(options.queries);
    planBatches(options.queries); // rejects expression groups over 500 at factory time
  }

  return {
    ...base,
    async run(ctx) {
      let queries: MetricQuery[];
      try {
        queries = typeof options.queries === 'function' ? options.queries(ctx) : options.queries;
        if (typeof options.queries === 'function') {
          validateQueries(queries, `${field}.queries`);
          checkConditionIds(queries);
        }
        queries = withDefaultPeriod(queries, periodSeconds);
        planBatches(queries);
      } catch (error) {
        const text = error instanceof OptionsError ? `invalid metric queries: ${error.message}` : error instanceof Error ? error.message : String(error);
        return { state: 'error', reason: text };
      }
      const end = new Date();
      const start = new Date(end.getTime() - lookbackMs);
      let fetched: FetchResult;
      try {
        fetched = await fetchMetricData(ctx, queries, { start, end });
      } catch (error) {
        return {
          state: 'error',
          reason: `GetMetricData failed: ${errorText(error)}; metric values unknown`,
          details: { queries: queries.map((q) => q.Id) },
        };
      }
      return evaluate(fetched, conditions, { minDatapoints, noData, window: { start, end }, lookbackMs });
    },
  };
}


function evaluate(
  fetched: FetchResult,
  conditions: (MetricCondition | SeriesPredicate)[],
  opts: { minDatapoints: number; noData: NoDataPolicy; window: { start: Date; end: Date }; lookbackMs: number },
): CheckOutcome {
  const over = `over the last ${formatDuration(opts.lookbackMs)}`;
  const details: Record<string, unknown> = {
    window: { start: opts.window.start.toISOString(), end: opts.window.end.toISOString() },
    calls: fetched.calls,
    series: fetched.series.map(summary),
  };
  const broken = fetched.series.filter((s) => s.statusCode === 'Forbidden' || s.statusCode === 'InternalError');
  if (broken.length > 0) {
    const list = broken.map((s) => `${describeSeries(s)}: ${s.statusCode}${s.messages ? ` (${s.messages.join('; ')})` : ''}`).join(', ');
    return { state: 'error', reason: `GetMetricData could not read ${list}`, details };
  }

  const failures: string[] = [];
  const noData: MetricSeries[] = [];
  for (const s of fetched.series) {
    if (s.values.length < opts.minDatapoints) {
      noData.push(s);
      continue;
    }
    for (const c of conditions) {
      if (typeof c === 'function') {
        let verdict: boolean | string;
        try {
          verdict = c(s);
        } catch (error) {
          return { state: 'error', reason: `failWhen predicate threw on series ${describeSeries(s)}: ${errorText(error)}`, details };
        }
        if (verdict === true) failures.push(`${describeSeries(s)} matched the failWhen predicate`);
        else if (typeof verdict === 'string') failures.push(`${describeSeries(s)}: ${verdict}`);
        continue;
      }
      if (c.id !== undefined && c.id !== s.id) continue;
      const value = seriesStat(s.values, c.stat);
      if (compare(value, c.op, c.threshold)) {
        failures.push(`${describeSeries(s)} ${c.stat} = ${round(value)} ${c.op} ${c.threshold}`);
      }
    }
  }
  if (failures.length > 0) {
    details.failures = failures;
    return { state: 'failed', reason: `${failures.join('; ')} ${over}`, details };
  }
  if (noData.length > 0) {
    const list = noData.map((s) => `${describeSeries(s)} (${s.values.length} datapoint${s.values.length === 1 ? '' : 's'})`).join(', ');
    details.noData = noData.map((s) => s.id);
    const text = `fewer than ${opts.minDatapoints} datapoint${opts.minDatapoints === 1 ? '' : 's'} ${over} for ${list}`;
    if (opts.noData === 'pass') return { state: 'passed', reason: `no condition met; ${text} (noData policy 'pass')`, details };
    return {
      state: opts.noData === 'fail' ? 'failed' : 'inconclusive',
      reason: `${text}; noData policy is '${opts.noData}' (is there traffic, and are the dimensions right?)`,
      details,
    };
  }
  return {
    state: 'passed',
    reason: `no failure condition met by ${fetched.series.length} series ${over}`,
    details,
  };
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
