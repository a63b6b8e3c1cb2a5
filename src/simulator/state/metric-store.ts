import { AwsServiceError } from './aws-error.js';
import { Fifo } from './fifo.js';

/**
 * CloudWatch's metric store: datapoints keyed by namespace, metric name and the
 * exact dimension set (CloudWatch never matches a subset of dimensions), and
 * the statistics GetMetricData and alarms compute over them.
 */

export interface Dimension {
  Name: string;
  Value: string;
}

/** One PutMetricData datum, in the API's shape (Timestamp as Date or epoch ms). */
export interface MetricDatumInput {
  MetricName: string;
  Dimensions?: Dimension[];
  Timestamp?: Date | number;
  Value?: number;
  Values?: number[];
  Counts?: number[];
  StatisticValues?: { SampleCount: number; Sum: number; Minimum: number; Maximum: number };
  Unit?: string;
  StorageResolution?: number;
}

interface StoredPoint {
  t: number;
  unit?: string;
  /** Raw samples with counts (percentiles need them). */
  samples: { value: number; count: number }[];
  /** A statistic set instead of raw samples. */
  set?: { SampleCount: number; Sum: number; Minimum: number; Maximum: number };
}

/**
 * What the store holds at most, so a PutMetricData flood (or a long-running
 * `codedeploy-hooks emulator`) cannot grow it without bound. CloudWatch itself
 * has no such limits (it keeps 1-minute data for 15 days); these are the
 * emulator's own, and documented in the README ("The emulated AWS endpoint").
 */
export interface MetricStoreLimits {
  /**
   * Stored values over all series: each raw value of a datum counts one, a
   * statistic set one. Beyond it the oldest-written points are dropped, so
   * recent data, the data alarms and checks look at, is kept.
   */
  maxDatapoints: number;
  /** Distinct series (namespace, name, dimension set). A PutMetricData adding more is refused with LimitExceeded. */
  maxSeries: number;
}

export const DEFAULT_METRIC_LIMITS: MetricStoreLimits = { maxDatapoints: 1_000_000, maxSeries: 10_000 };

interface Series {
  key: string;
  id: MetricIdentity;
  /** In write order: the front is the oldest-written point. */
  points: Fifo<StoredPoint>;
}

export interface MetricSeries {
  timestamps: number[];
  values: number[];
}

export interface MetricIdentity {
  Namespace: string;
  MetricName: string;
  Dimensions?: Dimension[];
}

export function metricKey(m: MetricIdentity): string {
  const dims = [...(m.Dimensions ?? [])].sort((a, b) => a.Name.localeCompare(b.Name));
  return `${m.Namespace}\u0000${m.MetricName}\u0000${dims.map((d) => `${d.Name}=${d.Value}`).join('\u0001')}`;
}

export function toMillis(t: Date | number | undefined, fallback: number): number {
  if (t === undefined) return fallback;
  return t instanceof Date ? t.getTime() : t;
}

const STAT_RE = /^(Sum|Average|Minimum|Maximum|SampleCount|p\d{1,2}(\.\d+)?|p100)$/;

export function isSupportedStat(stat: string): boolean {
  return STAT_RE.test(stat);
}

export class MetricStore {
  private readonly stored = new Map<string, Series>();
  /** One entry per stored point, in write order: which series to drop from when over the limit. */
  private readonly written = new Fifo<Series>();
  private datapoints = 0;
  private readonly now: () => number;
  private readonly limits: MetricStoreLimits;

  constructor(now: () => number, limits: Partial<MetricStoreLimits> = {}) {
    this.now = now;
    this.limits = { ...DEFAULT_METRIC_LIMITS, ...limits };
  }

  putMetricData(namespace: string, data: MetricDatumInput[]): void {
    const ids = data.map((d): MetricIdentity => ({ Namespace: namespace, MetricName: d.MetricName, Dimensions: d.Dimensions ?? [] }));
    const keys = ids.map(metricKey);
    // Refused before anything is stored, so a request is applied whole or not at all.
    const added = new Set(keys.filter((k) => !this.stored.has(k))).size;
    if (added > 0 && this.stored.size + added > this.limits.maxSeries) {
      throw new AwsServiceError('LimitExceeded', `The emulator holds at most ${this.limits.maxSeries} metric series; this request would add ${added} to the ${this.stored.size} stored.`);
    }
    data.forEach((d, i) => {
      const point: StoredPoint = { t: toMillis(d.Timestamp, this.now()), samples: [], ...(d.Unit ? { unit: d.Unit } : {}) };
      if (d.StatisticValues) point.set = { ...d.StatisticValues };
      else if (d.Values?.length) point.samples = d.Values.map((value, j) => ({ value, count: d.Counts?.[j] ?? 1 }));
      else if (d.Value !== undefined) point.samples = [{ value: d.Value, count: 1 }];
      else return;
      this.store(keys[i]!, ids[i]!, point);
    });
  }

  /** How many values are stored (as counted against maxDatapoints). */
  datapointCount(): number {
    return this.datapoints;
  }

  /** How many series are stored. */
  seriesCount(): number {
    return this.stored.size;
  }

  private store(key: string, id: MetricIdentity, point: StoredPoint): void {
    let series = this.stored.get(key);
    if (!series) {
      series = { key, id, points: new Fifo() };
      this.stored.set(key, series);
    }
    series.points.push(point);
    this.written.push(series);
    this.datapoints += weight(point);
    while (this.datapoints > this.limits.maxDatapoints) {
      if (!this.dropOldest()) break;
    }
  }

  /** Drops the oldest-written point; false when there is none left to drop. */
  private dropOldest(): boolean {
    const series = this.written.shift();
    const dropped = series?.points.shift();
    if (!series || !dropped) return false;
    this.datapoints -= weight(dropped);
    // An emptied series goes too, freeing its place under maxSeries.
    if (series.points.length === 0) this.stored.delete(series.key);
    return true;
  }

  /** Every known metric (namespace, name, dimensions), for ListMetrics-like views. */
  metrics(): MetricIdentity[] {
    return [...this.stored.values()].map((e) => e.id);
  }

  /**
   * Aggregates one metric into period buckets aligned to `start`, over
   * [start, end). Buckets without data are absent (as in CloudWatch).
   */
  series(metric: MetricIdentity, stat: string, periodSeconds: number, start: number, end: number, unit?: string): MetricSeries {
    if (!isSupportedStat(stat)) {
      throw new AwsServiceError('InvalidParameterValue', `The value ${stat} for parameter Stat is not supported; use Sum, Average, Minimum, Maximum, SampleCount or pNN.`);
    }
    const period = periodSeconds * 1000;
    const entry = this.stored.get(metricKey(metric));
    const buckets = new Map<number, StoredPoint[]>();
    for (const p of entry?.points ?? []) {
      if (p.t < start || p.t >= end) continue;
      if (unit && p.unit && p.unit !== unit) continue;
      const b = start + Math.floor((p.t - start) / period) * period;
      let list = buckets.get(b);
      if (!list) buckets.set(b, (list = []));
      list.push(p);
    }
    const timestamps = [...buckets.keys()].sort((a, b) => a - b);
    const values: number[] = [];
    const kept: number[] = [];
    for (const t of timestamps) {
      const v = aggregate(buckets.get(t)!, stat);
      if (v !== undefined) {
        kept.push(t);
        values.push(v);
      }
    }
    return { timestamps: kept, values };
  }
}

function weight(p: StoredPoint): number {
  return p.set ? 1 : p.samples.length;
}

function aggregate(points: StoredPoint[], stat: string): number | undefined {
  let count = 0;
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  const samples: { value: number; count: number }[] = [];
  for (const p of points) {
    if (p.set) {
      count += p.set.SampleCount;
      sum += p.set.Sum;
      min = Math.min(min, p.set.Minimum);
      max = Math.max(max, p.set.Maximum);
    }
    for (const s of p.samples) {
      count += s.count;
      sum += s.value * s.count;
      min = Math.min(min, s.value);
      max = Math.max(max, s.value);
      samples.push(s);
    }
  }
  if (count === 0) return undefined;
  switch (stat) {
    case 'Sum': return sum;
    case 'Average': return sum / count;
    case 'Minimum': return min;
    case 'Maximum': return max;
    case 'SampleCount': return count;
    default: return percentile(samples, Number(stat.slice(1)));
  }
}

/** Nearest-rank percentile over weighted samples; undefined when only statistic sets exist. */
export function percentile(samples: { value: number; count: number }[], p: number): number | undefined {
  const total = samples.reduce((n, s) => n + s.count, 0);
  if (total === 0) return undefined;
  const sorted = [...samples].sort((a, b) => a.value - b.value);
  const rank = Math.max(1, Math.ceil((p / 100) * total));
  let seen = 0;
  for (const s of sorted) {
    seen += s.count;
    if (seen >= rank) return s.value;
  }
  return sorted[sorted.length - 1]!.value;
}
