import { AwsServiceError } from './aws-error.js';
import { evaluate, parseExpression, referencedIds } from './metric-math.js';
import type { MathValue } from './metric-math.js';
import type { MetricIdentity, MetricStore } from './metric-store.js';
import { toMillis } from './metric-store.js';

/** GetMetricData over the metric store, in the API's shapes. */

export interface MetricDataQuery {
  Id: string;
  MetricStat?: { Metric: MetricIdentity; Period: number; Stat: string; Unit?: string };
  Expression?: string;
  Label?: string;
  ReturnData?: boolean;
  Period?: number;
}

export interface GetMetricDataInput {
  MetricDataQueries: MetricDataQuery[];
  StartTime: Date | number;
  EndTime: Date | number;
  ScanBy?: 'TimestampDescending' | 'TimestampAscending';
  MaxDatapoints?: number;
}

export interface MetricDataResult {
  Id: string;
  Label: string;
  Timestamps: Date[];
  Values: number[];
  StatusCode: 'Complete' | 'InternalError' | 'PartialData' | 'Forbidden';
  Messages: { Code: string; Value: string }[];
}

const MAX_DATAPOINTS = 100_800;
const ID_RE = /^[a-z][a-zA-Z0-9_]*$/;

function validation(message: string): AwsServiceError {
  return new AwsServiceError('ValidationError', message);
}

export function getMetricData(store: MetricStore, input: GetMetricDataInput): { MetricDataResults: MetricDataResult[]; Messages: [] } {
  const queries = input.MetricDataQueries;
  if (!Array.isArray(queries) || queries.length === 0) throw validation('The parameter MetricDataQueries is required and must not be empty.');
  if (queries.length > 500) throw validation('The collection MetricDataQueries must not have a size greater than 500.');
  if (input.StartTime === undefined || input.EndTime === undefined) throw validation('The parameters StartTime and EndTime are required.');
  const start = toMillis(input.StartTime, 0);
  const end = toMillis(input.EndTime, 0);
  if (!(start < end)) throw validation('The parameter StartTime must be less than the parameter EndTime.');
  const byId = new Map<string, MetricDataQuery>();
  for (const q of queries) {
    if (!q || typeof q !== 'object') throw validation('Each element of MetricDataQueries must be a structure.');
    if (!q.Id || !ID_RE.test(q.Id)) throw validation(`Invalid metric data query Id ${String(q.Id)}: it must start with a lowercase letter and contain only letters, digits and underscores.`);
    if (byId.has(q.Id)) throw validation(`The values for parameter id in MetricDataQueries are not unique: ${q.Id}.`);
    if (!!q.MetricStat === !!q.Expression) throw validation(`The parameter MetricDataQueries.member.${q.Id} must contain exactly one of MetricStat or Expression.`);
    if (q.MetricStat) {
      const ms = q.MetricStat;
      // Standard resolution: multiples of 60; high resolution: 1, 5, 10, 20 or 30 (as CloudWatch enforces).
      if (!(typeof ms.Period === 'number' && ms.Period > 0 && ([1, 5, 10, 20, 30].includes(ms.Period) || ms.Period % 60 === 0))) {
        throw validation(`The parameter MetricStat.Period of ${q.Id} must be 1, 5, 10, 20, 30 or a multiple of 60 seconds.`);
      }
      if (typeof ms.Stat !== 'string') throw validation(`The parameter MetricStat.Stat of ${q.Id} is required.`);
      if (!ms.Metric || typeof ms.Metric.Namespace !== 'string' || typeof ms.Metric.MetricName !== 'string') {
        throw validation(`The parameter MetricStat.Metric of ${q.Id} needs Namespace and MetricName.`);
      }
      if (ms.Metric.Dimensions !== undefined && !(Array.isArray(ms.Metric.Dimensions) && ms.Metric.Dimensions.every((d) => d && typeof d.Name === 'string' && typeof d.Value === 'string'))) {
        throw validation(`The parameter MetricStat.Metric.Dimensions of ${q.Id} must be a list of {Name, Value}.`);
      }
    }
    if (q.Expression !== undefined && typeof q.Expression !== 'string') throw validation(`The parameter Expression of ${q.Id} must be a string.`);
    byId.set(q.Id, q);
  }
  const periods = queries.map((q) => q.MetricStat?.Period ?? q.Period).filter((p): p is number => !!p);
  const gridPeriod = (periods.length ? Math.min(...periods) : 60) * 1000;
  // The full period grid is only needed by FILL and constant results; build it on demand.
  let gridCache: number[] | undefined;
  const grid = (): number[] => {
    if (gridCache) return gridCache;
    const count = Math.ceil((end - start) / gridPeriod);
    if (count > MAX_DATAPOINTS) {
      throw validation(`The query spans ${count} periods, more than the ${MAX_DATAPOINTS} datapoints GetMetricData returns; use a longer Period or a shorter time range.`);
    }
    gridCache = Array.from({ length: count }, (_, k) => start + k * gridPeriod);
    return gridCache;
  };

  const cache = new Map<string, MathValue>();
  const visiting = new Set<string>();
  const resolve = (id: string): MathValue => {
    const hit = cache.get(id);
    if (hit) return hit;
    const q = byId.get(id);
    if (!q) throw validation(`Error in expression: Unrecognized identifier ${id}.`);
    if (visiting.has(id)) throw validation(`Circular reference in metric data query ${id}.`);
    visiting.add(id);
    let value: MathValue;
    if (q.MetricStat) {
      const s = store.series(q.MetricStat.Metric, q.MetricStat.Stat, q.MetricStat.Period, start, end, q.MetricStat.Unit);
      value = { kind: 'series', ...s };
    } else {
      const node = parseExpression(q.Expression!);
      for (const ref of referencedIds(node)) if (!byId.has(ref)) throw validation(`Error in expression ${q.Id}: Unrecognized identifier ${ref}.`);
      value = evaluate(node, { lookup: resolve, get grid() { return grid(); } });
    }
    visiting.delete(id);
    cache.set(id, value);
    return value;
  };

  const results: MetricDataResult[] = [];
  for (const q of queries) {
    if (q.ReturnData === false) {
      resolve(q.Id); // still validated
      continue;
    }
    const v = resolve(q.Id);
    const label = q.Label ?? (q.MetricStat ? q.MetricStat.Metric.MetricName : q.Id);
    const series = toSeries(v, grid);
    const pairs = series.timestamps.map((t, i) => [t, series.values[i]!] as const);
    if (input.ScanBy !== 'TimestampAscending') pairs.reverse();
    results.push({
      Id: q.Id, Label: label,
      Timestamps: pairs.map(([t]) => new Date(t)),
      Values: pairs.map(([, x]) => x),
      StatusCode: 'Complete', Messages: [],
    });
  }
  return { MetricDataResults: results, Messages: [] };
}

/** A scalar result is reported at every grid timestamp, as CloudWatch does for constant expressions. */
function toSeries(v: MathValue, grid: () => number[]): { timestamps: number[]; values: number[] } {
  if (v.kind === 'series') return v;
  if (v.kind === 'scalar') return Number.isFinite(v.value) ? { timestamps: [...grid()], values: grid().map(() => v.value) } : { timestamps: [], values: [] };
  throw validation('The expression returns more than one time series; the emulator only returns single series results.');
}
