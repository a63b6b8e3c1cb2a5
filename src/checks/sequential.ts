/**
 * Sequential (always-valid) statistics for canary analysis: a comparison that
 * is looked at again and again while a deployment runs (every bake
 * measurement, every run of the canary analyzer) must not roll back a good
 * version more often than its nominal rate just because it was looked at
 * often. A fixed-horizon test at 5 % checked 20 times rejects a true null far
 * more than 5 % of the time; the mixture sequential probability ratio test
 * (mSPRT, Robbins 1970; Johari, Pekelis & Walsh, "Always valid inference",
 * 2017) does not: with the cumulative data at each look, the probability that
 * the ratio ever reaches 1/alpha under the null is at most alpha (Ville's
 * inequality), however many looks are taken. The estimates here are
 * asymptotically normal (differences of proportions, means of log ratios), so
 * the guarantee is asymptotic; test/unit/checks/sequential.test.ts measures
 * the false-rejection rate by simulation.
 */

export interface SequentialResult {
  /** The estimated effect θ̂ (e.g. error-rate difference, mean log latency ratio). */
  estimate: number;
  /** Its variance V (squared standard error). */
  variance: number;
  /** The null's boundary θ0: H0 θ <= θ0 (no worse than the tolerance allows). */
  margin: number;
  /** Standard deviation τ of the normal mixing distribution over effects. */
  tau: number;
  /** (θ̂ − θ0) / √V. */
  z: number;
  /** ln Λ, the log mixture likelihood ratio; only evidence above the margin counts. */
  logLikelihoodRatio: number;
  /** Always-valid one-sided p-value min(1, 1/Λ). */
  pValue: number;
}

/**
 * One-sided mixture SPRT for a normal estimate θ̂ ~ N(θ, V) against
 * H0: θ <= θ0, mixing over θ − θ0 ~ N(0, τ²):
 *   Λ = √(V / (V + τ²)) · exp( τ² (θ̂ − θ0)² / (2 V (V + τ²)) )    when θ̂ > θ0,
 * and no evidence (p = 1) when θ̂ <= θ0. Reject when Λ >= 1/alpha.
 */
export function mixtureSprt(estimate: number, variance: number, { margin = 0, tau }: { margin?: number; tau: number }): SequentialResult {
  if (!(tau > 0) || !Number.isFinite(tau)) throw new RangeError('mixtureSprt needs a positive, finite tau');
  if (!(variance >= 0) || Number.isNaN(estimate)) throw new RangeError('mixtureSprt needs a finite estimate and a variance >= 0');
  const excess = estimate - margin;
  if (excess <= 0) {
    return { estimate, variance, margin, tau, z: variance > 0 ? excess / Math.sqrt(variance) : excess < 0 ? -Infinity : 0, logLikelihoodRatio: 0, pValue: 1 };
  }
  if (variance === 0) return { estimate, variance, margin, tau, z: Infinity, logLikelihoodRatio: Infinity, pValue: 0 };
  const t2 = tau * tau;
  const log = 0.5 * Math.log(variance / (variance + t2)) + (t2 * excess * excess) / (2 * variance * (variance + t2));
  return { estimate, variance, margin, tau, z: excess / Math.sqrt(variance), logLikelihoodRatio: log, pValue: Math.min(1, Math.exp(-log)) };
}

export interface RateDifference {
  /** Agresti–Caffo adjusted rates (x + 1) / (n + 2). */
  p1: number;
  p2: number;
  /** p1 − p2, and the variance of that difference. */
  difference: number;
  variance: number;
}

/**
 * The difference of two error rates with the Agresti–Caffo adjustment (one
 * error and one success added to each side): a variance that is never zero,
 * so "no errors on either side" is no evidence rather than a division by zero,
 * and a difference that behaves well at small samples (Agresti & Caffo 2000).
 */
export function rateDifference(x1: number, n1: number, x2: number, n2: number): RateDifference {
  if (!(n1 >= 0 && n2 >= 0) || x1 < 0 || x2 < 0 || x1 > n1 || x2 > n2) throw new RangeError('rateDifference needs 0 <= x <= n');
  const p1 = (x1 + 1) / (n1 + 2);
  const p2 = (x2 + 1) / (n2 + 2);
  return { p1, p2, difference: p1 - p2, variance: (p1 * (1 - p1)) / (n1 + 2) + (p2 * (1 - p2)) / (n2 + 2) };
}

export interface PairedLogRatio {
  /** Periods where both sides had a positive value. */
  pairs: number;
  /** Mean of ln(canary / baseline) over those periods. */
  meanLogRatio: number;
  /** Sample standard deviation of the log ratios (0 with one pair). */
  sd: number;
  /** Variance of the mean: max(sd, floorSd)² / pairs. */
  variance: number;
}

/**
 * Latency of the two versions in the same periods (the same traffic mix,
 * the same backend weather), compared as log ratios so that "20 % slower"
 * means the same at 5 ms and at 5 s. Periods where either side has no
 * positive value are skipped. The spread is taken as at least `floorSd`, so a
 * handful of near-identical periods cannot claim certainty they lack.
 */
export function pairedLogRatio(canary: ReadonlyMap<number, number>, baseline: ReadonlyMap<number, number>, floorSd: number): PairedLogRatio {
  const d: number[] = [];
  for (const [t, c] of canary) {
    const b = baseline.get(t);
    if (b !== undefined && c > 0 && b > 0) d.push(Math.log(c / b));
  }
  const n = d.length;
  if (n === 0) return { pairs: 0, meanLogRatio: NaN, sd: NaN, variance: NaN };
  const mean = d.reduce((a, b) => a + b, 0) / n;
  const sd = n > 1 ? Math.sqrt(d.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1)) : 0;
  const spread = Math.max(sd, floorSd);
  return { pairs: n, meanLogRatio: mean, sd, variance: (spread * spread) / n };
}
