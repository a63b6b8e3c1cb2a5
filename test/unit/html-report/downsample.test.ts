/** Downsampling for drawing: bounded size, spikes kept, gaps kept, short series untouched. */
import { describe, expect, it } from 'vitest';
import { aggregate, downsample } from '../../../src/html-report/downsample.js';
import type { SeriesPoint } from '../../../src/html-report/view.js';

const opts = { from: 0, to: 1000, buckets: 100, maxGap: 1.5 };

describe('downsample', () => {
  it('leaves a series that fits untouched', () => {
    const points: SeriesPoint[] = Array.from({ length: 200 }, (_, i) => [i, i % 7]);
    expect(downsample(points, opts)).toEqual([points]);
  });

  it('keeps at most two points per bucket, the first and last point, and a one-point spike', () => {
    const points: SeriesPoint[] = Array.from({ length: 1000 }, (_, i) => [i, i === 437 ? 99 : 1 + (i % 3)]);
    const [run, ...rest] = downsample(points, opts);
    expect(rest).toHaveLength(0);
    expect(run!.length).toBeLessThanOrEqual(2 * 100 + 2);
    expect(run![0]).toEqual([0, 1]);
    expect(run!.at(-1)).toEqual([999, 1 + (999 % 3)]);
    expect(run).toContainEqual([437, 99]);
    // In time order, and the low of each bucket kept too.
    expect(run!.map((p) => p[0])).toEqual([...run!.map((p) => p[0])].sort((a, b) => a - b));
    expect(Math.min(...run!.map((p) => p[1]))).toBe(1);
  });

  it('splits a series where data is missing, so a gap is drawn as a gap', () => {
    const points: SeriesPoint[] = [[0, 1], [1, 2], [2, 3], [10, 4], [11, 5]];
    expect(downsample(points, opts)).toEqual([[[0, 1], [1, 2], [2, 3]], [[10, 4], [11, 5]]]);
  });

  it('drops points that are not numbers instead of drawing NaN', () => {
    expect(downsample([[0, 1], [1, Number.NaN], [1, 2]], opts)).toEqual([[[0, 1], [1, 2]]]);
  });

  it('aggregates a slice by mean or maximum, undefined when it holds no point', () => {
    const points: SeriesPoint[] = [[0, 1], [5, 3], [10, 8], [15, 2]];
    expect(aggregate(points, 0, 10, 'mean')).toBe(2);
    expect(aggregate(points, 5, 16, 'max')).toBe(8);
    expect(aggregate(points, 16, 20, 'max')).toBeUndefined();
  });
});
