/**
 * metric(): a GetMetricData gate. Runs MetricStat and metric-math queries over
 * a lookback window and fails when a condition holds for any returned series.
 * Also exports the query validation, batching and fetching that the Lambda
 * presets and compareVersions build on.
 */
import { GetMetricDataCommand, type MetricDataQuery, type MetricStat } from '@aws-sdk/client-cloudwatch';
import { OptionsError } from '../errors.js';
import type { Check, CheckContext, CheckOutcome } from '../types.js';
import { cloudWatch, commonFields, sendWithThrottleRetry } from './cw-common.js';
import { show } from '../util/show.js';
import { errorText, formatDuration, requireOneOf, requirePositive, type CommonCheckOptions, COMMON_KEYS, rejectUnknownKeys } from './common.js';

/** A GetMetricData MetricDataQuery (MetricStat or Expression); a MetricStat without Period gets the check's periodSeconds. */
export type MetricQuery = Omit<MetricDataQuery, 'MetricStat'> & { MetricStat?: Omit<MetricStat, 'Period'> & { Period?: number } };

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

/** One returned series, datapoints in time order. */
export interface MetricSeries {
  id: string;
  label?: string;
  timestamps: number[];
  values: number[];
  statusCode?: string;
  messages?: string[];
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

/** GetMetricData takes at most 500 queries per call. */
export const QUERIES_PER_CALL = 500;
export const DEFAULT_LOOKBACK_MS = 300_000;
export const DEFAULT_PERIOD_SECONDS = 60;

const ID_PATTERN = /^[a-z][a-zA-Z0-9_]{0,254}$/;

export function validatePeriod(period: unknown, field: string): void {
  const ok = typeof period === 'number' && Number.isInteger(period) && period > 0 && (period % 60 === 0 || [1, 5, 10, 20, 30].includes(period));
  if (!ok) throw new OptionsError(field, `must be 1, 5, 10, 20, 30 or a multiple of 60 seconds, got ${show(period)}`);
}

/** Throws OptionsError naming the query at fault. */
export function validateQueries(queries: unknown, field: string): asserts queries is MetricQuery[] {
  if (!Array.isArray(queries) || queries.length === 0) throw new OptionsError(field, 'must be a non-empty array of MetricDataQuery');
  const ids = new Set<string>();
  queries.forEach((q: MetricQuery, i) => {
    const f = `${field}[${i}]`;
    if (typeof q !== 'object' || q === null) throw new OptionsError(f, 'must be a MetricDataQuery object');
    if (typeof q.Id !== 'string' || !ID_PATTERN.test(q.Id)) {
      throw new OptionsError(`${f}.Id`, `must start with a lowercase letter and contain only letters, digits and _ (1–255 chars), got ${show(q.Id)}`);
    }
    if (ids.has(q.Id)) throw new OptionsError(`${f}.Id`, `duplicate id "${q.Id}"; ids must be unique`);
    ids.add(q.Id);
    const hasStat = q.MetricStat !== undefined;
    const hasExpr = q.Expression !== undefined;
    if (hasStat === hasExpr) throw new OptionsError(f, 'must have exactly one of MetricStat or Expression');
    if (hasExpr && (typeof q.Expression !== 'string' || q.Expression.length < 1 || q.Expression.length > 2048)) {
      throw new OptionsError(`${f}.Expression`, 'must be a string of 1–2048 characters');
    }
    if (hasStat) {
      const m = q.MetricStat?.Metric;
      if (!m?.Namespace || !m.MetricName) throw new OptionsError(`${f}.MetricStat.Metric`, 'needs Namespace and MetricName');
      if (!q.MetricStat?.Stat) throw new OptionsError(`${f}.MetricStat.Stat`, 'is required (e.g. Sum, Average, p99)');
      if ((m.Dimensions?.length ?? 0) > 30) throw new OptionsError(`${f}.MetricStat.Metric.Dimensions`, 'at most 30 dimensions');
      if (q.MetricStat?.Period !== undefined) validatePeriod(q.MetricStat.Period, `${f}.MetricStat.Period`);
    }
    if (q.Period !== undefined) validatePeriod(q.Period, `${f}.Period`);
  });
  if (!queries.some((q: MetricQuery) => q.ReturnData !== false)) {
    throw new OptionsError(field, 'at least one query must return data (ReturnData is false on all of them)');
  }
}

/** Ids an expression refers to (metric math variables are query ids). */
function referencedIds(expression: string, ids: Set<string>): string[] {
  return (expression.match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? []).filter((t) => ids.has(t));
}

/**
 * Splits queries into GetMetricData calls of at most 500. An expression must
 * travel with the queries it references, so queries connected by references
 * form one unit; units are packed first-fit, largest first. Independent
 * queries therefore cost exactly ceil(M / 500) calls.
 */
export function planBatches(queries: MetricQuery[]): MetricQuery[][] {
  if (queries.length <= QUERIES_PER_CALL) return [queries];
  const ids = new Set(queries.map((q) => q.Id as string));
  const parent = new Map<string, string>();
  const find = (id: string): string => {
    let root = id;
    while (parent.get(root) !== root) root = parent.get(root) as string;
    parent.set(id, root);
    return root;
  };
  for (const id of ids) parent.set(id, id);
  for (const q of queries) {
    if (!q.Expression) continue;
    for (const ref of referencedIds(q.Expression, ids)) parent.set(find(ref), find(q.Id as string));
  }
  const units = new Map<string, MetricQuery[]>();
  for (const q of queries) {
    const root = find(q.Id as string);
    units.set(root, [...(units.get(root) ?? []), q]);
  }
  const sorted = [...units.values()].sort((a, b) => b.length - a.length);
  const batches: MetricQuery[][] = [];
  for (const unit of sorted) {
    if (unit.length > QUERIES_PER_CALL) {
      throw new OptionsError(
        'metric.queries',
        `${unit.length} queries are linked by expressions (e.g. ${unit[0]?.Id}); GetMetricData allows at most ${QUERIES_PER_CALL} in one call`,
      );
    }
    const target = batches.find((b) => b.length + unit.length <= QUERIES_PER_CALL);
    if (target) target.push(...unit);
    else batches.push([...unit]);
  }
  return batches;
}

export interface FetchResult {
  series: MetricSeries[];
  calls: number;
}

/**
 * Runs the queries over [start, end): batches of at most 500 queries,
 * following NextToken and merging the pages of each series.
 */
export async function fetchMetricData(
  ctx: CheckContext,
  queries: MetricQuery[],
  window: { start: Date; end: Date },
): Promise<FetchResult> {
  const client = cloudWatch(ctx);
  const byId = new Map<string, MetricSeries>();
  let calls = 0;
  for (const batch of planBatches(queries)) {
    let token: string | undefined;
    do {
      const page = await sendWithThrottleRetry(
        () =>
          client.send(
            new GetMetricDataCommand({
              MetricDataQueries: batch as MetricDataQuery[],
              StartTime: window.start,
              EndTime: window.end,
              ScanBy: 'TimestampAscending',
              NextToken: token,
            }),
            { abortSignal: ctx.signal },
          ),
        ctx.signal,
      );
      calls++;
      for (const r of page.MetricDataResults ?? []) {
        if (!r.Id) continue;
        let s = byId.get(r.Id);
        if (!s) {
          s = { id: r.Id, timestamps: [], values: [] };
          if (r.Label) s.label = r.Label;
          byId.set(r.Id, s);
        }
        const ts = r.Timestamps ?? [];
        const vs = r.Values ?? [];
        for (let i = 0; i < Math.min(ts.length, vs.length); i++) {
          s.timestamps.push(new Date(ts[i] as Date).getTime());
          s.values.push(vs[i] as number);
        }
        // The last page's status wins (PartialData means "more pages follow").
        if (r.StatusCode) s.statusCode = r.StatusCode;
        const msgs = (r.Messages ?? []).map((m) => `${m.Code ?? ''}${m.Code && m.Value ? ': ' : ''}${m.Value ?? ''}`);
        if (msgs.length > 0) s.messages = [...(s.messages ?? []), ...msgs];
      }
      token = page.NextToken;
    } while (token);
  }
  for (const s of byId.values()) sortSeries(s);
  const returned = queries.filter((q) => q.ReturnData !== false).map((q) => q.Id as string);
  const series = returned.map((id) => byId.get(id) ?? { id, timestamps: [], values: [] });
  return { series, calls };
}

function sortSeries(s: MetricSeries): void {
  const order = s.timestamps.map((t, i) => [t, s.values[i] as number] as const).sort((a, b) => a[0] - b[0]);
  s.timestamps = order.map((o) => o[0]);
  s.values = order.map((o) => o[1]);
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

/** MetricStat queries without a Period get the check's default period. */
export function withDefaultPeriod(queries: MetricQuery[], periodSeconds: number): MetricQuery[] {
  return queries.map((q) =>
    q.MetricStat && q.MetricStat.Period === undefined ? { ...q, MetricStat: { ...q.MetricStat, Period: periodSeconds } } : q,
  );
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
