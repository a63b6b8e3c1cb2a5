/**
 * Per-version metric series over simulated time, read from the emulator's
 * CloudWatch metric store at the end of a run, for the HTML report's chart.
 *
 * - Lambda: the alias's per-version metrics (AWS/Lambda Invocations, Errors,
 *   Duration with `ExecutedVersion`). Only requests through the alias carry that
 *   dimension, so this is production traffic; a hook invoking a version by its
 *   number is not counted.
 * - ECS: each target group's AWS/ApplicationELB metrics (RequestCount,
 *   HTTPCode_Target_5XX_Count, TargetResponseTime). As in CloudWatch, these include
 *   the test listener's requests.
 *
 * Metric timestamps are in the world's clock. The simulated clock is mapped onto
 * it linearly from the two ends of the run, so this reads the same whether the
 * world keeps real time (and the simulation compresses it) or simulated time.
 */
import type { Scenario } from '../scenario/types.js';
import type { EcsResources } from '../engine/setup-world.js';
import type { MetricIdentity, MetricStore } from '../state/metric-store.js';

/** A point: [simulated seconds since the deployment started, value]. */
export type SeriesPoint = [number, number];

export interface VersionSeries {
  version: string;
  role: 'current' | 'target';
  /** Requests per simulated second. */
  requestRate: SeriesPoint[];
  /** Percent of requests that failed (absent where there were no requests). */
  errorRate: SeriesPoint[];
  latencyP50Ms: SeriesPoint[];
  latencyP99Ms: SeriesPoint[];
}

export interface VersionMetrics {
  /** Width of one bucket in simulated seconds; points sit at the start of their bucket. */
  periodSeconds: number;
  /** Where the numbers come from, in words (shown under the chart). */
  source: string;
  versions: VersionSeries[];
}

export interface MetricSource {
  version: string;
  role: 'current' | 'target';
  requests: MetricIdentity;
  errors: MetricIdentity;
  latency: MetricIdentity;
  /** Multiplier from the latency metric's unit to milliseconds. */
  latencyToMs: number;
}

/** The metrics that hold each version's production traffic in this scenario's world. */
export function metricSourcesOf(scenario: Scenario, ecs?: EcsResources): MetricSource[] {
  const { current, target } = scenario.versions;
  const roles = [
    { version: current.version, role: 'current' as const },
    { version: target.version, role: 'target' as const },
  ];
  if (scenario.platform === 'Lambda' && scenario.lambda) {
    const { functionName, alias } = scenario.lambda;
    return roles.map((r) => {
      const id = (MetricName: string): MetricIdentity => ({
        Namespace: 'AWS/Lambda',
        MetricName,
        Dimensions: [
          { Name: 'FunctionName', Value: functionName },
          { Name: 'Resource', Value: `${functionName}:${alias}` },
          { Name: 'ExecutedVersion', Value: r.version },
        ],
      });
      return { ...r, requests: id('Invocations'), errors: id('Errors'), latency: id('Duration'), latencyToMs: 1 };
    });
  }
  if (scenario.platform === 'ECS' && ecs) {
    return roles.map((r) => {
      const group = r.role === 'current' ? ecs.blueTargetGroupDimension : ecs.greenTargetGroupDimension;
      const id = (MetricName: string): MetricIdentity => ({
        Namespace: 'AWS/ApplicationELB',
        MetricName,
        Dimensions: [
          { Name: 'TargetGroup', Value: group },
          { Name: 'LoadBalancer', Value: ecs.loadBalancerDimension },
        ],
      });
      return { ...r, requests: id('RequestCount'), errors: id('HTTPCode_Target_5XX_Count'), latency: id('TargetResponseTime'), latencyToMs: 1000 };
    });
  }
  return [];
}

export interface RunWindow {
  /** The world clock (epoch ms) when the deployment started and when it ended. */
  worldStart: number;
  worldEnd: number;
  /** Simulated seconds between the two. */
  simSeconds: number;
}

/** At most this many buckets per series: enough for a chart, small in the JSON report. */
const MAX_BUCKETS = 600;
/** Average requests per bucket (all versions) at least, where the run allows it. */
const MIN_REQUESTS_PER_BUCKET = 3;
const NICE_PERIODS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600];

/** Reads each source's series over the run; undefined when there is nothing to read (no traffic metrics, or no time passed). */
export function readVersionMetrics(store: MetricStore, sources: MetricSource[], window: RunWindow): VersionMetrics | undefined {
  const worldSpan = window.worldEnd - window.worldStart;
  if (sources.length === 0 || !(worldSpan > 0) || !(window.simSeconds > 0)) return undefined;
  const worldMsPerSimSecond = worldSpan / window.simSeconds;
  // Buckets hold a few requests each on average, or a rate is only ever 0 or 1 request per bucket.
  const requests = sources.reduce((n, src) => n + (store.series(src.requests, 'Sum', (worldSpan + 1) / 1000, window.worldStart, window.worldEnd + 1).values[0] ?? 0), 0);
  const minPeriod = Math.max(window.simSeconds / MAX_BUCKETS, requests > 0 ? (MIN_REQUESTS_PER_BUCKET * window.simSeconds) / requests : 0);
  const periodSeconds = NICE_PERIODS.find((p) => p >= minPeriod) ?? NICE_PERIODS.at(-1)!;
  const buckets = Math.ceil(window.simSeconds / periodSeconds);
  // The last bucket reaches past the end of the run, so the final requests are read too.
  const end = window.worldStart + buckets * periodSeconds * worldMsPerSimSecond;
  const read = (metric: MetricIdentity, stat: string): Map<number, number> => {
    const s = store.series(metric, stat, (periodSeconds * worldMsPerSimSecond) / 1000, window.worldStart, end);
    const byBucket = new Map<number, number>();
    s.timestamps.forEach((t, i) => byBucket.set(Math.round((t - window.worldStart) / worldMsPerSimSecond / periodSeconds), s.values[i]!));
    return byBucket;
  };
  const versions = sources.map((src): VersionSeries => {
    const requests = read(src.requests, 'Sum');
    const errors = read(src.errors, 'Sum');
    const p50 = read(src.latency, 'p50');
    const p99 = read(src.latency, 'p99');
    const series: VersionSeries = { version: src.version, role: src.role, requestRate: [], errorRate: [], latencyP50Ms: [], latencyP99Ms: [] };
    for (let i = 0; i < buckets; i++) {
      const t = i * periodSeconds;
      const n = requests.get(i) ?? 0;
      // No request in a bucket is a rate of 0; its error rate and latency are unknown, not 0.
      series.requestRate.push([t, n / periodSeconds]);
      if (n > 0) series.errorRate.push([t, ((errors.get(i) ?? 0) / n) * 100]);
      const a = p50.get(i);
      const b = p99.get(i);
      if (a !== undefined) series.latencyP50Ms.push([t, a * src.latencyToMs]);
      if (b !== undefined) series.latencyP99Ms.push([t, b * src.latencyToMs]);
    }
    return series;
  });
  const source = sources[0]!.requests.Namespace === 'AWS/Lambda'
    ? 'AWS/Lambda metrics of the alias, per executed version (Invocations, Errors, Duration)'
    : 'AWS/ApplicationELB metrics per target group (RequestCount, HTTPCode_Target_5XX_Count, TargetResponseTime), test listener requests included';
  return { periodSeconds, source, versions };
}
