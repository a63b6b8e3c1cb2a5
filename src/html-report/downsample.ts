/**
 * Keeps long series drawable: a one-hour run can hold thousands of points per
 * line, more than a chart has pixels. Each line is split where data is missing
 * (so a gap is drawn as a gap), then reduced to the lowest and the highest point
 * of each pixel-wide bucket, in time order, so a short spike stays visible.
 */
import type { SeriesPoint } from './view.js';

export interface DownsampleOptions {
  /** The time axis: [from, to]. */
  from: number;
  to: number;
  /** How many buckets the axis is cut into (about the plot's width in pixels / 2). */
  buckets: number;
  /** A step between two points longer than this is a gap in the data. */
  maxGap: number;
}

/** The runs of a series to draw as separate lines, each at most 2 points per bucket. */
export function downsample(points: SeriesPoint[], opts: DownsampleOptions): SeriesPoint[][] {
  const runs: SeriesPoint[][] = [];
  let run: SeriesPoint[] = [];
  for (const p of points) {
    if (!Number.isFinite(p[0]) || !Number.isFinite(p[1])) continue;
    const prev = run.at(-1);
    if (prev && p[0] - prev[0] > opts.maxGap) {
      runs.push(run);
      run = [];
    }
    run.push(p);
  }
  if (run.length) runs.push(run);
  return runs.map((r) => (r.length <= 2 * opts.buckets ? r : minMaxPerBucket(r, opts)));
}

function minMaxPerBucket(run: SeriesPoint[], opts: DownsampleOptions): SeriesPoint[] {
  const span = opts.to - opts.from || 1;
  const out: SeriesPoint[] = [];
  let bucket = -1;
  let lo: SeriesPoint | undefined;
  let hi: SeriesPoint | undefined;
  const flush = () => {
    if (!lo || !hi) return;
    if (lo === hi) out.push(lo);
    else out.push(...(lo[0] <= hi[0] ? [lo, hi] : [hi, lo]));
  };
  for (const p of run) {
    const b = Math.floor(((p[0] - opts.from) / span) * opts.buckets);
    if (b !== bucket) {
      flush();
      bucket = b;
      lo = hi = p;
      continue;
    }
    if (p[1] < lo![1]) lo = p;
    if (p[1] > hi![1]) hi = p;
  }
  flush();
  // The run's ends stay where they are, so the line starts and stops at the right time.
  if (out[0] !== run[0]) out.unshift(run[0]!);
  if (out.at(-1) !== run.at(-1)) out.push(run.at(-1)!);
  return out;
}

/** One value per row of the data table: the mean or the maximum of the points (in time order) in [from, to). */
export function aggregate(points: SeriesPoint[], from: number, to: number, how: 'mean' | 'max'): number | undefined {
  // The first point at or after `from`, by bisection: a long run's table reads each point once.
  let lo = 0;
  let hi = points.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (points[mid]![0] < from) lo = mid + 1;
    else hi = mid;
  }
  let n = 0;
  let sum = 0;
  let max = -Infinity;
  for (let i = lo; i < points.length && points[i]![0] < to; i++) {
    const v = points[i]![1];
    n++;
    sum += v;
    max = Math.max(max, v);
  }
  if (n === 0) return undefined;
  return how === 'mean' ? sum / n : max;
}
