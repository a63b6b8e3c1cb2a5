/**
 * GetMetricData for the metric-based checks (metric, the Lambda presets,
 * compareVersions): query validation, batching at 500 queries per call with
 * each expression kept beside the ids it reads, paging, and series assembly.
 */
import { GetMetricDataCommand, type MetricDataQuery, type MetricStat } from '@aws-sdk/client-cloudwatch';
import { OptionsError } from '../errors.js';
import type { CheckContext } from '../types.js';
import { cloudWatch, sendWithThrottleRetry } from './cw-common.js';
import { show } from '../util/show.js';

/** A GetMetricData MetricDataQuery (MetricStat or Expression); a MetricStat without Period gets the check's periodSeconds. */
export type MetricQuery = Omit<MetricDataQuery, 'MetricStat'> & { MetricStat?: Omit<MetricStat, 'Period'> & { Period?: number } };

/** One returned series, datapoints in time order. */
export interface MetricSeries {
  id: string;
  label?: string;
  timestamps: number[];
  values: number[];
  statusCode?: string;
  messages?: string[];
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

/** MetricStat queries without a Period get the check's default period. */
export function withDefaultPeriod(queries: MetricQuery[], periodSeconds: number): MetricQuery[] {
  return queries.map((q) =>
    q.MetricStat && q.MetricStat.Period === undefined ? { ...q, MetricStat: { ...q.MetricStat, Period: periodSeconds } } : q,
  );
}
