/**
 * The statistics behind compareVersions: the standard normal CDF, a one-sided
 * two-proportion z test (error rates) and the Mann-Whitney U test with the
 * normal approximation and tie correction (latency samples). Pure arithmetic,
 * so it is cheap inside a hook Lambda and easy to check against textbook values.
 */

/**
 * Complementary error function to about 1e-14: for |x| < 2.5 from the
 * all-positive series erf(x) = 2/√π · e^(−x²) · Σ 2ⁿ x^(2n+1) / (1·3·…·(2n+1))
 * (no cancellation), beyond that from the continued fraction of erfc, which
 * keeps the relative precision of small tail probabilities.
 */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const z = Math.abs(x);
  let r: number;
  if (z < 2.5) {
    let term = z;
    let sum = z;
    for (let n = 1; term > 1e-17 * sum; n++) {
      term *= (2 * z * z) / (2 * n + 1);
      sum += term;
    }
    r = 1 - (2 / Math.sqrt(Math.PI)) * Math.exp(-z * z) * sum;
  } else {
    // erfc(z) = e^(−z²)/√π · 1/(z + (1/2)/(z + 1/(z + (3/2)/(z + 2/(z + …))))), evaluated from the tail.
    let f = z;
    for (let k = 60; k >= 1; k--) f = z + k / 2 / f;
    r = Math.exp(-z * z) / Math.sqrt(Math.PI) / f;
  }
  return x >= 0 ? r : 2 - r;
}

/** P(Z <= z) for a standard normal Z. */
export function normalCdf(z: number): number {
  if (z === Infinity) return 1;
  if (z === -Infinity) return 0;
  return 0.5 * erfc(-z / Math.SQRT2);
}

export interface TwoProportionResult {
  /** Observed proportions x/n of the two groups. */
  p1: number;
  p2: number;
  /** p1 − p2. */
  difference: number;
  z: number;
  /** One-sided p-value for H1: p1 − p2 > delta. */
  pValue: number;
  pooled: boolean;
}

/**
 * One-sided two-proportion z test of H0: p1 − p2 <= delta against
 * H1: p1 − p2 > delta (group 1 worse by more than delta). With delta = 0 the
 * standard error uses the pooled proportion, as in the textbook test; with a
 * non-zero margin the pooled estimate is not valid under H0, so the unpooled
 * (Wald) standard error is used.
 */
export function twoProportionZTest(x1: number, n1: number, x2: number, n2: number, delta = 0): TwoProportionResult {
  if (!(n1 > 0 && n2 > 0)) throw new RangeError('twoProportionZTest needs n1 > 0 and n2 > 0');
  if (x1 < 0 || x2 < 0 || x1 > n1 || x2 > n2) throw new RangeError('twoProportionZTest needs 0 <= x <= n');
  const p1 = x1 / n1;
  const p2 = x2 / n2;
  const difference = p1 - p2;
  const pooled = delta === 0;
  let se: number;
  if (pooled) {
    const p = (x1 + x2) / (n1 + n2);
    se = Math.sqrt(p * (1 - p) * (1 / n1 + 1 / n2));
  } else {
    se = Math.sqrt((p1 * (1 - p1)) / n1 + (p2 * (1 - p2)) / n2);
  }
  const excess = difference - delta;
  let z: number;
  if (se === 0) {
    // No variance at all (e.g. no errors on either side): the data decide by the sign alone.
    z = excess > 0 ? Infinity : excess < 0 ? -Infinity : 0;
  } else {
    z = excess / se;
  }
  const pValue = z === 0 && se === 0 ? 1 : 1 - normalCdf(z);
  return { p1, p2, difference, z, pValue, pooled };
}

export interface MannWhitneyResult {
  /** U statistic of sample x (the number of pairs with x > y, ties counting half). */
  u: number;
  n1: number;
  n2: number;
  /** Mean and standard deviation of U under H0, the latter tie-corrected. */
  mean: number;
  sd: number;
  z: number;
  /** One-sided p-value for H1: x tends to be larger than y. */
  pValue: number;
}

/**
 * Mann-Whitney U test, one-sided (H1: values of `x` tend to be larger than
 * those of `y`), normal approximation with tie correction and, by default, a
 * continuity correction of 0.5 (matching scipy's `mannwhitneyu(...,
 * method='asymptotic')` and R's `wilcox.test(exact = FALSE)`).
 */
export function mannWhitneyU(x: readonly number[], y: readonly number[], { continuity = true } = {}): MannWhitneyResult {
  const n1 = x.length;
  const n2 = y.length;
  if (n1 === 0 || n2 === 0) throw new RangeError('mannWhitneyU needs two non-empty samples');
  const all = [...x.map((v) => ({ v, g: 0 })), ...y.map((v) => ({ v, g: 1 }))].sort((a, b) => a.v - b.v);
  const n = all.length;
  let rankSumX = 0;
  let tieTerm = 0;
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && all[j + 1]!.v === all[i]!.v) j++;
    const t = j - i + 1;
    const rank = (i + j) / 2 + 1; // average of ranks i+1 … j+1
    for (let k = i; k <= j; k++) if (all[k]!.g === 0) rankSumX += rank;
    tieTerm += t * t * t - t;
    i = j + 1;
  }
  const u = rankSumX - (n1 * (n1 + 1)) / 2;
  const mean = (n1 * n2) / 2;
  const variance = ((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1)));
  const sd = Math.sqrt(Math.max(variance, 0));
  let z: number;
  if (sd === 0) {
    z = 0; // every value tied: no evidence either way
  } else {
    // One-sided "greater": the correction always moves U towards H0 (as R and scipy do).
    z = (u - mean - (continuity ? 0.5 : 0)) / sd;
  }
  const pValue = sd === 0 ? 1 : 1 - normalCdf(z);
  return { u, n1, n2, mean, sd, z, pValue };
}

/** Linear-interpolated quantile (q in [0, 1]) of a sample. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}
