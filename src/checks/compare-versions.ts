/**
 * compareVersions(): a Kayenta-style judgement of the new version against the
 * one it replaces, over the same window with the same traffic mix.
 *  - Lambda: AWS/Lambda by ExecutedVersion behind the alias (target vs current).
 *  - ECS: AWS/ApplicationELB per target group (green vs blue).
 * Error rates: one-sided two-proportion z test with an absolute tolerance.
 * Latency: one-sided Mann-Whitney U on per-period samples, with the baseline
 * scaled by (1 + relative tolerance). The check fails only when the new
 * version is worse beyond the tolerance at the chosen confidence, and is
 * inconclusive when there is too little data to say.
 */
import { DescribeTargetGroupsCommand, ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { Dimension } from '@aws-sdk/client-cloudwatch';
import { OptionsError } from '../errors.js';
import type { Check, CheckContext, EcsHookContext } from '../types.js';
import { commonFields, sendWithThrottleRetry } from './cw-common.js';
import { lambdaDimensions, lambdaScope } from './lambda-metrics.js';
import { fetchMetricData, validatePeriod, type FetchResult, type MetricQuery } from './metric-data.js';
import { mannWhitneyU, quantile, twoProportionZTest } from './stats.js';
import { show } from '../util/show.js';
import { DEFAULT_CHECK_CLIENT_CONFIG } from '../clients.js';
import { errorText, formatDuration, requirePositive, type CommonCheckOptions, COMMON_KEYS, isPlainObject, rejectUnknownKeys } from './common.js';

export interface CompareVersionsOptions extends CommonCheckOptions {
  /** Window ending now. @default 600000 (10 min) */
  lookbackMs?: number;
  /** Period of the per-period samples. @default 60 */
  periodSeconds?: number;
  /** One-sided confidence of "the new version is worse". @default 0.95 */
  confidence?: number;
  /** Allowed absolute increase of the error rate (0.01 = one percentage point). @default 0.01 */
  errorRateTolerance?: number;
  /** Allowed relative increase of latency (0.2 = 20 % slower). @default 0.2 */
  latencyTolerance?: number;
  /** Below these sizes (on either side) the comparison is inconclusive. @default { requests: 50, periods: 5 } */
  minSamples?: { requests?: number; periods?: number };
  /** What to compare. @default ['errors', 'latency'] */
  compare?: ('errors' | 'latency')[];
  /** CloudWatch statistic of each period's latency sample. @default 'Average' */
  latencyStat?: string;
  /** Lambda: override the deployment's function and alias, and the two versions. */
  functionName?: string;
  alias?: string;
  baselineVersion?: string;
  canaryVersion?: string;
  /** ECS: the ALB's CloudWatch dimension value, `app/<name>/<id>`. @default the target groups' load balancer */
  loadBalancer?: string;
  /** ECS: target group dimension values `targetgroup/<name>/<id>`. @default resolved from the deployment's target groups */
  targetGroups?: { baseline: string; canary: string };
}

export interface Side {
  label: string;
  errors: number;
  requests: number;
  latency: number[];
}

export type Verdict = { state: 'passed' | 'failed' | 'inconclusive'; text: string; details: Record<string, unknown> };

const LB_DIMENSION = /^app\/[^/]+\/[^/]+$/;
const TG_DIMENSION = /^targetgroup\/[^/]+\/[^/]+$/;

const COMPARE_KEYS = ['lookbackMs', 'periodSeconds', 'confidence', 'errorRateTolerance', 'latencyTolerance', 'minSamples', 'compare', 'latencyStat', 'functionName', 'alias', 'baselineVersion', 'canaryVersion', 'loadBalancer', 'targetGroups'];

export function compareVersions(options: CompareVersionsOptions = {}): Check {
  const field = 'compareVersions';
  if (typeof options !== 'object' || options === null) throw new OptionsError(field, 'options object is required');
  rejectUnknownKeys(options as unknown as Record<string, unknown>, [...COMMON_KEYS, ...COMPARE_KEYS], field);
  if (options.minSamples !== undefined) {
    if (!isPlainObject(options.minSamples)) throw new OptionsError(`${field}.minSamples`, 'must be an object { requests?, periods? }');
    rejectUnknownKeys(options.minSamples, ['requests', 'periods'], `${field}.minSamples`);
  }
  const base = commonFields(options, field, field);
  const lookbackMs = options.lookbackMs ?? 600_000;
  requirePositive(lookbackMs, `${field}.lookbackMs`);
  const period = options.periodSeconds ?? 60;
  validatePeriod(period, `${field}.periodSeconds`);
  const confidence = options.confidence ?? 0.95;
  if (!(typeof confidence === 'number' && confidence > 0.5 && confidence < 1)) {
    throw new OptionsError(`${field}.confidence`, `must be between 0.5 and 1 (exclusive), got ${show(confidence)}`);
  }
  const errorTol = options.errorRateTolerance ?? 0.01;
  if (!(typeof errorTol === 'number' && errorTol >= 0 && errorTol < 1)) {
    throw new OptionsError(`${field}.errorRateTolerance`, 'must be an absolute rate in [0, 1), e.g. 0.01 for one percentage point');
  }
  const latencyTol = options.latencyTolerance ?? 0.2;
  requirePositive(latencyTol, `${field}.latencyTolerance`, { allowZero: true });
  const minRequests = options.minSamples?.requests ?? 50;
  const minPeriods = options.minSamples?.periods ?? 5;
  requirePositive(minRequests, `${field}.minSamples.requests`, { integer: true });
  requirePositive(minPeriods, `${field}.minSamples.periods`, { integer: true });
  const compare = options.compare ?? ['errors', 'latency'];
  if (!Array.isArray(compare) || compare.length === 0 || compare.some((c) => c !== 'errors' && c !== 'latency')) {
    throw new OptionsError(`${field}.compare`, "must be a non-empty list of 'errors' and/or 'latency'");
  }
  if (options.loadBalancer !== undefined && (typeof options.loadBalancer !== 'string' || !LB_DIMENSION.test(options.loadBalancer))) {
    throw new OptionsError(`${field}.loadBalancer`, `must be the ALB dimension value app/<name>/<id>, got ${show(options.loadBalancer)}`);
  }
  if (options.targetGroups !== undefined) {
    if (typeof options.targetGroups !== 'object' || options.targetGroups === null) {
      throw new OptionsError(`${field}.targetGroups`, `must be { baseline, canary } target group dimension values, got ${show(options.targetGroups)}`);
    }
    for (const key of ['baseline', 'canary'] as const) {
      const v = options.targetGroups[key];
      if (typeof v !== 'string' || !TG_DIMENSION.test(v)) {
        throw new OptionsError(`${field}.targetGroups.${key}`, `must be a target group dimension value targetgroup/<name>/<id>, got ${show(v)}`);
      }
    }
  }
  const latencyStat = options.latencyStat ?? 'Average';
  if (typeof latencyStat !== 'string' || latencyStat === '') throw new OptionsError(`${field}.latencyStat`, 'must be a CloudWatch statistic such as Average or p50');

  return {
    ...base,
    async run(ctx) {
      let built: { queries: MetricQuery[]; baselineLabel: string; canaryLabel: string; unit: string; platform: string };
      try {
        built = ctx.hook.platform === 'ECS' ? await ecsQueries(ctx, options, period, latencyStat) : lambdaQueries(ctx, options, period, latencyStat);
      } catch (error) {
        return { state: 'error', reason: error instanceof Error ? error.message : String(error) };
      }
      const end = new Date();
      const start = new Date(end.getTime() - lookbackMs);
      let fetched: FetchResult;
      try {
        fetched = await fetchMetricData(ctx, built.queries, { start, end });
      } catch (error) {
        return { state: 'error', reason: `GetMetricData failed: ${errorText(error)}; cannot compare versions` };
      }
      const denied = fetched.series.filter((s) => s.statusCode === 'Forbidden' || s.statusCode === 'InternalError');
      if (denied.length > 0) {
        return { state: 'error', reason: `GetMetricData could not read ${denied.map((s) => `${s.id}: ${s.statusCode}`).join(', ')}` };
      }
      const get = (id: string) => fetched.series.find((s) => s.id === id)?.values ?? [];
      const sum = (v: number[]) => v.reduce((a, b) => a + b, 0);
      const baseline: Side = { label: built.baselineLabel, errors: sum(get('err_base')), requests: sum(get('req_base')), latency: get('lat_base') };
      const canary: Side = { label: built.canaryLabel, errors: sum(get('err_new')), requests: sum(get('req_new')), latency: get('lat_new') };

      const alpha = 1 - confidence;
      // Keyed by kind, so details stay labelled whatever order `compare` lists them in.
      const judged: [kind: string, verdict: Verdict][] = [];
      if (compare.includes('errors')) judged.push(['errors', judgeErrors(baseline, canary, { alpha, tolerance: errorTol, minRequests })]);
      if (compare.includes('latency')) judged.push(['latency', judgeLatency(baseline, canary, { alpha, tolerance: latencyTol, minPeriods, unit: built.unit })]);
      const verdicts = judged.map(([, v]) => v);

      const details: Record<string, unknown> = {
        platform: built.platform,
        window: { start: start.toISOString(), end: end.toISOString(), periodSeconds: period },
        confidence,
        errorRateTolerance: errorTol,
        latencyTolerance: latencyTol,
        minSamples: { requests: minRequests, periods: minPeriods },
        baseline: sideSummary(baseline),
        canary: sideSummary(canary),
        calls: fetched.calls,
        ...Object.fromEntries(judged.map(([kind, v]) => [kind, v.details])),
      };
      const failed = verdicts.filter((v) => v.state === 'failed');
      const inconclusive = verdicts.filter((v) => v.state === 'inconclusive');
      const over = ` over the last ${formatDuration(lookbackMs)}`;
      if (failed.length > 0) return { state: 'failed', reason: failed.map((v) => v.text).join('; ') + over, details };
      if (inconclusive.length > 0) return { state: 'inconclusive', reason: inconclusive.map((v) => v.text).join('; ') + over, details };
      return { state: 'passed', reason: verdicts.map((v) => v.text).join('; ') + over, details };
    },
  };
}

function sideSummary(s: Side): Record<string, unknown> {
  return {
    label: s.label,
    requests: s.requests,
    errors: s.errors,
    errorRate: s.requests > 0 ? s.errors / s.requests : null,
    latencyPeriods: s.latency.length,
    latencyMedian: s.latency.length > 0 ? quantile(s.latency, 0.5) : null,
  };
}

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
      text: `too few requests to compare error rates: ${canary.label} ${canary.requests}, ${base.label} ${base.requests} (need ${o.minRequests} each)`,
      details: { verdict: 'inconclusive', requests: { canary: canary.requests, baseline: base.requests }, needed: o.minRequests },
    };
  }
  // Error counts above request counts happen with late-arriving datapoints; clip them.
  const xc = Math.min(canary.errors, canary.requests);
  const xb = Math.min(base.errors, base.requests);
  const test = twoProportionZTest(xc, canary.requests, xb, base.requests, o.tolerance);
  const worse = test.pValue < o.alpha;
  const rates = `${canary.label} error rate ${pct(test.p1)} (${xc}/${canary.requests}) vs ${pct(test.p2)} (${xb}/${base.requests}) on ${base.label}`;
  const stats = `z = ${Math.round(test.z * 100) / 100}, ${pText(test.pValue)}`;
  return {
    state: worse ? 'failed' : 'passed',
    text: worse
      ? `${rates}: worse by more than ${pct(o.tolerance)} at ${pct(1 - o.alpha)} confidence (${stats})`
      : `${rates}: not worse beyond ${pct(o.tolerance)} (${stats})`,
    details: { verdict: worse ? 'worse' : 'ok', ...test },
  };
}

export function judgeLatency(base: Side, canary: Side, o: { alpha: number; tolerance: number; minPeriods: number; unit: string }): Verdict {
  if (base.latency.length < o.minPeriods || canary.latency.length < o.minPeriods) {
    return {
      state: 'inconclusive',
      text: `too few latency periods to compare: ${canary.label} ${canary.latency.length}, ${base.label} ${base.latency.length} (need ${o.minPeriods} each)`,
      details: { verdict: 'inconclusive', periods: { canary: canary.latency.length, baseline: base.latency.length }, needed: o.minPeriods },
    };
  }
  // H1: canary > baseline × (1 + tolerance), i.e. slower beyond the tolerance.
  const scaled = base.latency.map((v) => v * (1 + o.tolerance));
  const test = mannWhitneyU(canary.latency, scaled);
  const worse = test.pValue < o.alpha;
  const mc = quantile(canary.latency, 0.5);
  const mb = quantile(base.latency, 0.5);
  const fmt = (v: number) => `${Math.round(v * 1000) / 1000} ${o.unit}`;
  const medians = `${canary.label} median latency ${fmt(mc)} vs ${fmt(mb)} on ${base.label} (${canary.latency.length} vs ${base.latency.length} periods)`;
  const stats = `Mann-Whitney U = ${test.u}, ${pText(test.pValue)}`;
  return {
    state: worse ? 'failed' : 'passed',
    text: worse
      ? `${medians}: slower by more than ${pct(o.tolerance)} at ${pct(1 - o.alpha)} confidence (${stats})`
      : `${medians}: not slower beyond ${pct(o.tolerance)} (${stats})`,
    details: { verdict: worse ? 'worse' : 'ok', medianCanary: mc, medianBaseline: mb, ...test },
  };
}

function queryTriple(suffix: string, ns: string, names: [string, string, string], dims: Dimension[], period: number, latencyStat: string): MetricQuery[] {
  const q = (id: string, metricName: string, stat: string): MetricQuery => ({
    Id: id,
    MetricStat: { Metric: { Namespace: ns, MetricName: metricName, Dimensions: dims }, Period: period, Stat: stat },
    ReturnData: true,
  });
  return [q(`err_${suffix}`, names[0], 'Sum'), q(`req_${suffix}`, names[1], 'Sum'), q(`lat_${suffix}`, names[2], latencyStat)];
}

function lambdaQueries(ctx: CheckContext, options: CompareVersionsOptions, period: number, latencyStat: string) {
  const scope = lambdaScope(ctx, { functionName: options.functionName, alias: options.alias, version: options.canaryVersion }, 'compareVersions');
  const hook = ctx.hook.platform === 'Lambda' ? ctx.hook : undefined;
  const baselineVersion = options.baselineVersion ?? hook?.currentVersion;
  if (!baselineVersion) throw new Error('compareVersions needs the current version (Lambda deployment) or the baselineVersion option');
  if (baselineVersion === scope.version) {
    throw new Error(`compareVersions: current and target version are both ${scope.version}; nothing to compare`);
  }
  const names: [string, string, string] = ['Errors', 'Invocations', 'Duration'];
  return {
    platform: 'Lambda',
    unit: 'ms',
    baselineLabel: `version ${baselineVersion}`,
    canaryLabel: `version ${scope.version}`,
    queries: [
      ...queryTriple('base', 'AWS/Lambda', names, lambdaDimensions({ ...scope, version: baselineVersion }), period, latencyStat),
      ...queryTriple('new', 'AWS/Lambda', names, lambdaDimensions(scope), period, latencyStat),
    ],
  };
}

/** "arn:…:targetgroup/name/id" -> "targetgroup/name/id"; "arn:…:loadbalancer/app/name/id" -> "app/name/id". */
export function targetGroupDimension(arn: string): string {
  return arn.slice(arn.indexOf('targetgroup/'));
}
export function loadBalancerDimension(arn: string): string {
  return arn.slice(arn.indexOf('loadbalancer/') + 'loadbalancer/'.length);
}

async function ecsQueries(ctx: CheckContext, options: CompareVersionsOptions, period: number, latencyStat: string) {
  const hook = ctx.hook as EcsHookContext;
  let baselineTg = options.targetGroups?.baseline;
  let canaryTg = options.targetGroups?.canary;
  let lb = options.loadBalancer;
  const blueName = hook.blueTaskSet?.targetGroupName ?? hook.targetGroups[0];
  const greenName = hook.greenTaskSet?.targetGroupName ?? hook.targetGroups[1];
  if (!baselineTg || !canaryTg || !lb) {
    if (!blueName || !greenName) {
      throw new Error('compareVersions: the deployment names fewer than two target groups; give the targetGroups and loadBalancer options');
    }
    const elbv2 = ctx.clients.get('elbv2', () => new ElasticLoadBalancingV2Client({ ...DEFAULT_CHECK_CLIENT_CONFIG }));
    let found;
    try {
      found = await sendWithThrottleRetry(
        () => elbv2.send(new DescribeTargetGroupsCommand({ Names: [blueName, greenName] }), { abortSignal: ctx.signal }),
        ctx.signal,
      );
    } catch (error) {
      throw new Error(`DescribeTargetGroups for ${blueName}, ${greenName} failed: ${errorText(error)}`);
    }
    const byName = new Map((found.TargetGroups ?? []).map((tg) => [tg.TargetGroupName, tg]));
    const blue = byName.get(blueName);
    const green = byName.get(greenName);
    if (!blue?.TargetGroupArn || !green?.TargetGroupArn) {
      throw new Error(`target group ${!blue?.TargetGroupArn ? blueName : greenName} was not found by DescribeTargetGroups`);
    }
    baselineTg ??= targetGroupDimension(blue.TargetGroupArn);
    canaryTg ??= targetGroupDimension(green.TargetGroupArn);
    const lbArn = green.LoadBalancerArns?.[0] ?? blue.LoadBalancerArns?.[0];
    if (!lb) {
      if (!lbArn) throw new Error(`target group ${greenName} is not attached to a load balancer; give the loadBalancer option`);
      lb = loadBalancerDimension(lbArn);
    }
  }
  const dims = (tg: string): Dimension[] => [
    { Name: 'TargetGroup', Value: tg },
    { Name: 'LoadBalancer', Value: lb as string },
  ];
  const names: [string, string, string] = ['HTTPCode_Target_5XX_Count', 'RequestCount', 'TargetResponseTime'];
  return {
    platform: 'ECS',
    unit: 's',
    baselineLabel: `blue (${baselineTg})`,
    canaryLabel: `green (${canaryTg})`,
    queries: [
      ...queryTriple('base', 'AWS/ApplicationELB', names, dims(baselineTg), period, latencyStat),
      ...queryTriple('new', 'AWS/ApplicationELB', names, dims(canaryTg), period, latencyStat),
    ],
  };
}
