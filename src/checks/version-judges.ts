/**
 * The judgements behind compareVersions: is the new version worse than the
 * old one, on the same alias or listener over the same periods? Each is an
 * always-valid sequential test (src/checks/sequential.ts), so looking again at
 * every bake measurement or canary-analysis run does not raise the rate of
 * false rollbacks above alpha.
 *  - errors: the difference of the error rates (Agresti–Caffo), H0: the new
 *    rate is at most `tolerance` above the old one.
 *  - latency: per statistic (p50, p99, …), the mean log ratio new/old over the
 *    periods both versions served, H0: at most `tolerance` slower. A slowdown
 *    also has to exceed `minDelta` (in the metric's unit) to count, so that
 *    2 ms becoming 3 ms is no regression.
 */
import { mixtureSprt, pairedLogRatio, rateDifference } from './sequential.js';
import { quantile } from './stats.js';

export interface Side {
  label: string;
  errors: number;
  requests: number;
  /** Per latency statistic: value per period start (epoch ms). */
  latency: Record<string, Map<number, number>>;
}

export type Verdict = { state: 'passed' | 'failed' | 'inconclusive'; text: string; details: Record<string, unknown> };

/** Mixing scales of the sequential tests: the effect sizes they are most sensitive to. */
export const ERROR_TAU = 0.03;
export const LATENCY_TAU = 0.2;
/** Period-to-period spread of the latency log ratio assumed at least (5 %). */
export const LATENCY_FLOOR_SD = 0.05;

function pct(rate: number): string {
  return `${Math.round(rate * 10000) / 100}%`;
}

function pText(p: number): string {
  return p < 0.001 ? 'p < 0.001' : `p = ${Math.round(p * 1000) / 1000}`;
}

export function judgeErrors(base: Side, canary: Side, o: { alpha: number; tolerance: number; minRequests: number }): Verdict {
  if (base.requests < o.minRequests || canary.requests < o.minRequests) {
    return {
      state: 'inconclusive',
      text: `too few requests to compare error rates: ${canary.label} had ${canary.requests}, ${base.label} ${base.requests}; ${o.minRequests} needed on each`,
      details: { verdict: 'inconclusive', requests: { canary: canary.requests, baseline: base.requests }, needed: o.minRequests },
    };
  }
  // Error counts above request counts happen with late-arriving datapoints; clip them.
  const xc = Math.min(canary.errors, canary.requests);
  const xb = Math.min(base.errors, base.requests);
  const diff = rateDifference(xc, canary.requests, xb, base.requests);
  const test = mixtureSprt(diff.difference, diff.variance, { margin: o.tolerance, tau: ERROR_TAU });
  const worse = test.pValue <= o.alpha;
  const rates = `${canary.label} error rate ${pct(xc / canary.requests)} (${xc}/${canary.requests}) vs ${pct(xb / base.requests)} (${xb}/${base.requests}) on ${base.label}`;
  const stats = `always-valid ${pText(test.pValue)}, alpha ${o.alpha.toPrecision(2)}`;
  return {
    state: worse ? 'failed' : 'passed',
    text: worse ? `${rates}: worse by more than ${pct(o.tolerance)} (${stats})` : `${rates}: not worse beyond ${pct(o.tolerance)} (${stats})`,
    details: { verdict: worse ? 'worse' : 'ok', ...diff, ...test },
  };
}

export function judgeLatency(
  base: Side,
  canary: Side,
  stat: string,
  o: { alpha: number; tolerance: number; minDelta: number; minPeriods: number; unit: string },
): Verdict {
  const c = canary.latency[stat] ?? new Map<number, number>();
  const b = base.latency[stat] ?? new Map<number, number>();
  const paired = pairedLogRatio(c, b, LATENCY_FLOOR_SD);
  if (paired.pairs < o.minPeriods) {
    return {
      state: 'inconclusive',
      text: `too few periods to compare ${stat} latency: ${paired.pairs} served by both versions, ${o.minPeriods} needed`,
      details: { verdict: 'inconclusive', periods: paired.pairs, needed: o.minPeriods },
    };
  }
  const test = mixtureSprt(paired.meanLogRatio, paired.variance, { margin: Math.log(1 + o.tolerance), tau: LATENCY_TAU });
  const mc = quantile([...c.values()], 0.5);
  const mb = quantile([...b.values()], 0.5);
  const ratio = Math.exp(paired.meanLogRatio);
  const slowEnough = mc - mb > o.minDelta;
  const worse = test.pValue <= o.alpha && slowEnough;
  const fmt = (v: number) => `${Math.round(v * 1000) / 1000} ${o.unit}`;
  const figures = `${canary.label} ${stat} latency ${fmt(mc)} vs ${fmt(mb)} on ${base.label} (×${ratio.toFixed(2)} over ${paired.pairs} periods)`;
  const stats = `always-valid ${pText(test.pValue)}, alpha ${o.alpha.toPrecision(2)}`;
  let text: string;
  if (worse) text = `${figures}: slower by more than ${pct(o.tolerance)} (${stats})`;
  else if (test.pValue <= o.alpha) text = `${figures}: slower, but by no more than ${fmt(o.minDelta)} (${stats})`;
  else text = `${figures}: not slower beyond ${pct(o.tolerance)} (${stats})`;
  return {
    state: worse ? 'failed' : 'passed',
    text,
    details: { verdict: worse ? 'worse' : 'ok', stat, medianCanary: mc, medianBaseline: mb, ratio, ...paired, ...test },
  };
}
