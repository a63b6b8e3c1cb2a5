import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { erfc, mannWhitneyU, normalCdf, quantile, twoProportionZTest } from '../../../src/checks/stats.js';

describe('normalCdf', () => {
  it('matches standard normal table values', () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 9);
    expect(normalCdf(1.96)).toBeCloseTo(0.9750021, 6);
    expect(normalCdf(-1.645)).toBeCloseTo(0.0499849, 6);
    expect(normalCdf(1)).toBeCloseTo(0.8413447, 6);
    expect(normalCdf(-3)).toBeCloseTo(0.0013499, 6);
    expect(normalCdf(-8)).toBeCloseTo(6.220960574271828e-16, 25);
    expect(normalCdf(Infinity)).toBe(1);
    expect(normalCdf(-Infinity)).toBe(0);
  });

  it('erfc matches reference values on both sides of the series / continued-fraction switch', () => {
    // Reference: Python math.erfc.
    const cases: [number, number][] = [
      [0.5, 0.4795001221869535],
      [2, 0.004677734981047265],
      [2.49, 0.000429287867733913],
      [2.51, 0.0003857054817242798],
      [5, 1.5374597944280351e-12],
      [-1, 1.842700792949715],
    ];
    for (const [x, want] of cases) expect(Math.abs(erfc(x) - want) / want).toBeLessThan(1e-12);
  });

  it('is symmetric: Φ(z) + Φ(−z) = 1', () => {
    fc.assert(
      fc.property(fc.double({ min: -8, max: 8, noNaN: true }), (z) => {
        expect(normalCdf(z) + normalCdf(-z)).toBeCloseTo(1, 7);
      }),
    );
  });
});

describe('twoProportionZTest', () => {
  it('reproduces the textbook pooled z: 540/1000 vs 480/1000', () => {
    // pooled p = 0.51; SE = sqrt(0.51 × 0.49 × (1/1000 + 1/1000)) = 0.022356; z = 0.06 / 0.022356 = 2.6838
    const r = twoProportionZTest(540, 1000, 480, 1000);
    expect(r.pooled).toBe(true);
    expect(r.difference).toBeCloseTo(0.06, 10);
    expect(r.z).toBeCloseTo(2.6838, 4);
    expect(r.pValue).toBeCloseTo(0.0036393, 5);
  });

  it('uses the unpooled standard error against a non-zero margin', () => {
    // p1 = 0.15, p2 = 0.05, margin 0.05: SE = sqrt(0.15·0.85/200 + 0.05·0.95/200) = 0.029580; z = 0.05/0.02958 = 1.6903
    const r = twoProportionZTest(30, 200, 10, 200, 0.05);
    expect(r.pooled).toBe(false);
    expect(r.z).toBeCloseTo(1.6903, 4);
    expect(r.pValue).toBeCloseTo(0.045484, 5);
  });

  it('gives p = 1 when neither side has any error', () => {
    expect(twoProportionZTest(0, 500, 0, 500).pValue).toBe(1);
    expect(twoProportionZTest(0, 500, 0, 500, 0.01).pValue).toBe(1);
  });

  it('rejects impossible inputs', () => {
    expect(() => twoProportionZTest(1, 0, 0, 10)).toThrow(RangeError);
    expect(() => twoProportionZTest(11, 10, 0, 10)).toThrow(RangeError);
  });
});

describe('mannWhitneyU', () => {
  // R's ?wilcox.test example (Hollander & Wolfe): W = 35; asymptotic one-sided p with continuity correction 0.1223.
  const x = [0.8, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46];
  const y = [1.15, 0.88, 0.9, 0.74, 1.21];

  it('reproduces the textbook U and normal-approximation p-value', () => {
    const r = mannWhitneyU(x, y);
    expect(r.u).toBe(35);
    expect(r.mean).toBe(25);
    expect(r.sd).toBeCloseTo(Math.sqrt((10 * 5 * 16) / 12), 10);
    expect(r.pValue).toBeCloseTo(0.122312, 5);
  });

  it('applies the tie correction (values checked against scipy.stats.mannwhitneyu, asymptotic)', () => {
    const a = [1, 2, 2, 3, 3, 3, 4, 5];
    const b = [3, 4, 4, 5, 5, 6, 7, 7];
    const withCc = mannWhitneyU(b, a);
    expect(withCc.u).toBe(56.5);
    expect(withCc.pValue).toBeCloseTo(0.0052576, 6);
    const noCc = mannWhitneyU(b, a, { continuity: false });
    expect(noCc.pValue).toBeCloseTo(0.0045045, 6);
    // Without tie correction the sd would be sqrt(64·17/12) = 9.522; with it, smaller.
    expect(withCc.sd).toBeLessThan(Math.sqrt((64 * 17) / 12));
  });

  it('gives p = 1 when every value is tied', () => {
    const r = mannWhitneyU([2, 2, 2], [2, 2]);
    expect(r.u).toBe(3);
    expect(r.pValue).toBe(1);
  });

  it('U(x, y) + U(y, x) = n1 × n2, and U stays in [0, n1 n2]', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 20 }), { minLength: 1, maxLength: 30 }),
        fc.array(fc.integer({ min: 0, max: 20 }), { minLength: 1, maxLength: 30 }),
        (a, b) => {
          const u1 = mannWhitneyU(a, b).u;
          const u2 = mannWhitneyU(b, a).u;
          expect(u1 + u2).toBeCloseTo(a.length * b.length, 9);
          expect(u1).toBeGreaterThanOrEqual(0);
          expect(u1).toBeLessThanOrEqual(a.length * b.length);
        },
      ),
    );
  });

  it('rejects empty samples', () => {
    expect(() => mannWhitneyU([], [1])).toThrow(RangeError);
  });
});

describe('quantile', () => {
  it('interpolates linearly', () => {
    expect(quantile([3, 1, 2, 4], 0.5)).toBe(2.5);
    expect(quantile([5], 0.5)).toBe(5);
    expect(quantile([], 0.5)).toBeNaN();
  });
});
