import { describe, expect, it } from 'vitest';
import { mixtureSprt, pairedLogRatio, rateDifference } from '../../../src/checks/sequential.js';
import { twoProportionZTest } from '../../../src/checks/stats.js';
import { seededRandom } from '../../../src/simulator/engine/random.js';

describe('mixtureSprt', () => {
  it('reproduces the mixture likelihood ratio of Johari et al. (2017), by hand', () => {
    // V = 1, τ = 1, θ̂ = 3: Λ = √(1/2) · e^(9/4) = 0.70710678 × 9.48773584 = 6.708842
    const r = mixtureSprt(3, 1, { tau: 1 });
    expect(Math.exp(r.logLikelihoodRatio)).toBeCloseTo(6.708842, 5);
    expect(r.pValue).toBeCloseTo(1 / 6.708842, 6);
    expect(r.z).toBe(3);
    // With a margin: θ̂ − θ0 = 0.04, V = τ² = 0.0004: Λ = √(1/2) · e^1 = 1.922115
    const m = mixtureSprt(0.05, 0.0004, { margin: 0.01, tau: 0.02 });
    expect(Math.exp(m.logLikelihoodRatio)).toBeCloseTo(1.922115, 5);
    expect(m.z).toBeCloseTo(2, 10);
  });

  it('counts no evidence at or below the margin, and infinite evidence without variance', () => {
    expect(mixtureSprt(0.01, 0.0001, { margin: 0.01, tau: 0.02 }).pValue).toBe(1);
    expect(mixtureSprt(-5, 1, { tau: 1 }).pValue).toBe(1);
    expect(mixtureSprt(0.5, 0, { tau: 1 }).pValue).toBe(0);
    expect(mixtureSprt(0, 0, { tau: 1 }).pValue).toBe(1);
  });

  it('needs more evidence than a fixed-horizon z test (the price of looking any number of times)', () => {
    // z = 2.5 is p = 0.0062 for one look, but not 1 % always-valid evidence.
    const r = mixtureSprt(2.5, 1, { tau: 1 });
    expect(r.pValue).toBeGreaterThan(0.01);
    // z = 4.5: Λ = √(1/2) · e^(20.25/4) = 111.71, so p = 0.008952.
    expect(mixtureSprt(4.5, 1, { tau: 1 }).pValue).toBeCloseTo(0.008952, 5);
  });

  it('rejects impossible inputs', () => {
    expect(() => mixtureSprt(1, 1, { tau: 0 })).toThrow(RangeError);
    expect(() => mixtureSprt(1, -1, { tau: 1 })).toThrow(RangeError);
    expect(() => mixtureSprt(NaN, 1, { tau: 1 })).toThrow(RangeError);
  });
});

describe('rateDifference (Agresti–Caffo)', () => {
  it('adds one error and one success to each side', () => {
    // 9/10 vs 4/10 -> 10/12 vs 5/12; V = (10/12)(2/12)/12 + (5/12)(7/12)/12 = 0.0115741 + 0.0202546
    const r = rateDifference(9, 10, 4, 10);
    expect(r.p1).toBeCloseTo(10 / 12, 12);
    expect(r.p2).toBeCloseTo(5 / 12, 12);
    expect(r.difference).toBeCloseTo(5 / 12, 12);
    expect(r.variance).toBeCloseTo(0.0318287, 6);
  });

  it('zero errors on both sides is a positive variance and no evidence', () => {
    const r = rateDifference(0, 500, 0, 4500);
    expect(r.variance).toBeGreaterThan(0);
    expect(mixtureSprt(r.difference, r.variance, { margin: 0.001, tau: 0.01 }).pValue).toBe(1);
  });

  it('small samples: 1 error in 3 requests against 0 in 3 is no evidence', () => {
    const r = rateDifference(1, 3, 0, 3);
    expect(mixtureSprt(r.difference, r.variance, { margin: 0.001, tau: 0.01 }).pValue).toBeGreaterThan(0.5);
  });
});

describe('pairedLogRatio', () => {
  it('pairs periods present on both sides and floors the spread', () => {
    const c = new Map([[1, 110], [2, 121], [3, 0], [4, 50]]);
    const b = new Map([[1, 100], [2, 110], [3, 100]]);
    const r = pairedLogRatio(c, b, 0.05);
    expect(r.pairs).toBe(2);
    expect(r.meanLogRatio).toBeCloseTo(Math.log(1.1), 12);
    expect(r.sd).toBeCloseTo(0, 12);
    expect(r.variance).toBeCloseTo(0.05 ** 2 / 2, 12);
    expect(pairedLogRatio(new Map(), b, 0.05).pairs).toBe(0);
  });
});

/** Binomial draw by counting Bernoulli trials (slow but exact; the counts here are small). */
function binomial(n: number, p: number, random: () => number): number {
  let x = 0;
  for (let i = 0; i < n; i++) if (random() < p) x++;
  return x;
}

describe('false-rollback rate under repeated looks (simulated A/A deployments)', () => {
  const alpha = 0.05;
  const runs = 600;
  const looks = 20;

  it('identical error rates: the mSPRT stays below alpha over 20 looks; a z test at every look does not', () => {
    const random = seededRandom(7);
    let sprtRejected = 0;
    let naiveRejected = 0;
    for (let run = 0; run < runs; run++) {
      let xc = 0, nc = 0, xb = 0, nb = 0;
      let sprt = false, naive = false;
      for (let look = 0; look < looks; look++) {
        nc += 40; xc += binomial(40, 0.03, random);
        nb += 360; xb += binomial(360, 0.03, random);
        const d = rateDifference(xc, nc, xb, nb);
        if (mixtureSprt(d.difference, d.variance, { tau: 0.01 }).pValue <= alpha) sprt = true;
        if (twoProportionZTest(xc, nc, xb, nb).pValue <= alpha) naive = true;
      }
      if (sprt) sprtRejected++;
      if (naive) naiveRejected++;
    }
    expect(sprtRejected / runs).toBeLessThanOrEqual(alpha);
    // The problem the sequential test solves: peeking inflates a fixed-horizon test's error rate.
    expect(naiveRejected / runs).toBeGreaterThan(2 * alpha);
  });

  it('identical latency: the paired log-ratio mSPRT stays below alpha over 20 one-minute periods', () => {
    const random = seededRandom(11);
    const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
    let rejected = 0;
    for (let run = 0; run < runs; run++) {
      const c = new Map<number, number>();
      const b = new Map<number, number>();
      let hit = false;
      for (let t = 0; t < looks; t++) {
        const weather = 0.3 * normal(); // both versions see the same slow and fast minutes
        c.set(t, 100 * Math.exp(weather + 0.08 * normal()));
        b.set(t, 100 * Math.exp(weather + 0.03 * normal()));
        if (t < 2) continue;
        const p = pairedLogRatio(c, b, 0.05);
        if (mixtureSprt(p.meanLogRatio, p.variance, { margin: Math.log(1.1), tau: 0.2 }).pValue <= alpha) hit = true;
      }
      if (hit) rejected++;
    }
    expect(rejected / runs).toBeLessThanOrEqual(alpha);
  });

  it('still catches a real regression: +3 points of errors, +30 % latency', () => {
    const random = seededRandom(5);
    let xc = 0, nc = 0, xb = 0, nb = 0;
    let caughtAt = -1;
    // 40 looks of 40 canary requests: 1,600 requests, about 96 errors against an expected 48.
    for (let look = 0; look < 40 && caughtAt < 0; look++) {
      nc += 40; xc += binomial(40, 0.06, random);
      nb += 360; xb += binomial(360, 0.03, random);
      const d = rateDifference(xc, nc, xb, nb);
      if (mixtureSprt(d.difference, d.variance, { margin: 0.001, tau: 0.01 }).pValue <= 0.01) caughtAt = look;
    }
    expect(caughtAt).toBeGreaterThanOrEqual(0);
    const c = new Map([0, 1, 2, 3, 4].map((t) => [t, 130 + t] as [number, number]));
    const b = new Map([0, 1, 2, 3, 4].map((t) => [t, 100 + t] as [number, number]));
    const p = pairedLogRatio(c, b, 0.05);
    expect(mixtureSprt(p.meanLogRatio, p.variance, { margin: Math.log(1.1), tau: 0.2 }).pValue).toBeLessThan(0.01);
  });
});
