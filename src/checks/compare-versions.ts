/**
 * compareVersions(): judges the new version against the one it replaces, on
 * the same alias or listener over the same periods (the old version serves
 * the rest of the traffic at the same time, so no separate baseline
 * deployment is needed):
 *  - Lambda: AWS/Lambda by ExecutedVersion behind the alias (target vs
 *    current); errors are function errors plus, with `responseErrors`, the 5xx
 *    answers the function counts itself (an EMF metric), which Lambda's
 *    Errors metric never sees.
 *  - ECS: AWS/ApplicationELB per target group (green vs blue): target 5xx.
 * Error rate and latency (p50 and p99 by default) are each an always-valid
 * sequential test (src/checks/version-judges.ts), and the confidence is split
 * over them (Bonferroni), so the chance that a version no worse than the old
 * one is failed stays below 1 − confidence however often the check runs over
 * a growing window (`since: 'deployment'`). Below the minimum sample it is
 * inconclusive, or passes with that said, by `insufficientSample`.
 */
import { DescribeTargetGroupsCommand, ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { Dimension } from '@aws-sdk/client-cloudwatch';
import { OptionsError } from '../errors.js';
import type { Check, CheckContext, EcsHookContext } from '../types.js';
import { commonFields, sendWithThrottleRetry } from './cw-common.js';
import { lambdaDimensions, lambdaScope } from './lambda-metrics.js';
import { fetchMetricData, validatePeriod, type FetchResult, type MetricQuery, type MetricSeries } from './metric-data.js';
import { judgeErrors, judgeLatency, type Side, type Verdict } from './version-judges.js';
import { show } from '../util/show.js';
import { DEFAULT_CHECK_CLIENT_CONFIG } from '../clients.js';
import { errorText, formatDuration, isPlainObject, requirePositive, type CommonCheckOptions, COMMON_KEYS, rejectUnknownKeys } from './common.js';

export type { Side, Verdict } from './version-judges.js';
export { judgeErrors, judgeLatency } from './version-judges.js';

export interface CompareVersionsOptions extends CommonCheckOptions {
  /** Window ending now; with `since: 'deployment'`, the longest window read. @default 600000 (10 min) */
  lookbackMs?: number;
  /** 'deployment': the window starts when the deployment was created (a growing window, what the sequential tests assume). */
  since?: 'deployment';
  /** Period of the per-period samples. @default 60 */
  periodSeconds?: number;
  /** 1 − the largest false-rollback rate accepted for a version no worse than the old one. @default 0.99 */
  confidence?: number;
  /** Allowed absolute increase of the error rate (0.001 = 0.1 percentage point). @default 0.001 */
  errorRateTolerance?: number;
  /** Allowed relative increase of latency (0.1 = 10 % slower). @default 0.1 */
  latencyTolerance?: number;
  /** A slowdown must also be larger than this, in ms, to count. @default 10 */
  latencyMinDeltaMs?: number;
  /** Below these sizes the comparison is inconclusive. @default { requests: 50, periods: 3 } */
  minSamples?: { requests?: number; periods?: number };
  /** Below the minimum sample: 'inconclusive' (fails an enforced check) or 'pass' (passes, saying what it had and needed). @default 'inconclusive' */
  insufficientSample?: 'inconclusive' | 'pass';
  /** What to compare. @default ['errors', 'latency'] */
  compare?: ('errors' | 'latency')[];
  /** CloudWatch statistics of the per-period latency samples. @default ['p50', 'p99'] */
  latencyStats?: string[];
  /** Lambda: a count of 5xx answers per version the function publishes (EMF), dimensions FunctionName and ExecutedVersion. */
  responseErrors?: { namespace: string; metricName: string };
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

const LB_DIMENSION = /^app\/[^/]+\/[^/]+$/;
const TG_DIMENSION = /^targetgroup\/[^/]+\/[^/]+$/;
const STAT = /^(Average|Minimum|Maximum|p\d{1,2}(\.\d+)?)$/;

const COMPARE_KEYS = [
  'lookbackMs', 'since', 'periodSeconds', 'confidence', 'errorRateTolerance', 'latencyTolerance', 'latencyMinDeltaMs', 'minSamples',
  'insufficientSample', 'compare', 'latencyStats', 'responseErrors', 'functionName', 'alias', 'baselineVersion', 'canaryVersion', 'loadBalancer', 'targetGroups',
];

interface Built {
  queries: MetricQuery[];
  baselineLabel: string;
  canaryLabel: string;
  /** Latency unit, and how many of them make a millisecond. */
  unit: string;
  perMs: number;
  platform: string;
}

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
  if (options.since !== undefined && options.since !== 'deployment') throw new OptionsError(`${field}.since`, `must be 'deployment', got ${show(options.since)}`);
  const period = options.periodSeconds ?? 60;
  validatePeriod(period, `${field}.periodSeconds`);
  const confidence = options.confidence ?? 0.99;
  if (!(typeof confidence === 'number' && confidence > 0.5 && confidence < 1)) {
    throw new OptionsError(`${field}.confidence`, `must be between 0.5 and 1 (exclusive), got ${show(confidence)}`);
  }
  const errorTol = options.errorRateTolerance ?? 0.001;
  if (!(typeof errorTol === 'number' && errorTol >= 0 && errorTol < 1)) {
    throw new OptionsError(`${field}.errorRateTolerance`, 'must be an absolute rate in [0, 1), e.g. 0.001 for 0.1 percentage point');
  }
  const latencyTol = options.latencyTolerance ?? 0.1;
  requirePositive(latencyTol, `${field}.latencyTolerance`, { allowZero: true });
  const minDeltaMs = options.latencyMinDeltaMs ?? 10;
  requirePositive(minDeltaMs, `${field}.latencyMinDeltaMs`, { allowZero: true });
  const minRequests = options.minSamples?.requests ?? 50;
  const minPeriods = options.minSamples?.periods ?? 3;
  requirePositive(minRequests, `${field}.minSamples.requests`, { integer: true });
  requirePositive(minPeriods, `${field}.minSamples.periods`, { integer: true });
  const insufficient = options.insufficientSample ?? 'inconclusive';
  if (insufficient !== 'inconclusive' && insufficient !== 'pass') {
    throw new OptionsError(`${field}.insufficientSample`, `must be 'inconclusive' or 'pass', got ${show(insufficient)}`);
  }
  const compare = options.compare ?? ['errors', 'latency'];
  if (!Array.isArray(compare) || compare.length === 0 || compare.some((c) => c !== 'errors' && c !== 'latency')) {
    throw new OptionsError(`${field}.compare`, "must be a non-empty list of 'errors' and/or 'latency'");
  }
  const latencyStats = options.latencyStats ?? ['p50', 'p99'];
  if (!Array.isArray(latencyStats) || latencyStats.length === 0 || latencyStats.some((st) => typeof st !== 'string' || !STAT.test(st))) {
    throw new OptionsError(`${field}.latencyStats`, `must be a non-empty list of CloudWatch statistics such as p50, p99 or Average, got ${show(latencyStats)}`);
  }
  if (options.responseErrors !== undefined) {
    const r = options.responseErrors as unknown;
    if (!isPlainObject(r) || typeof r.namespace !== 'string' || r.namespace === '' || typeof r.metricName !== 'string' || r.metricName === '') {
      throw new OptionsError(`${field}.responseErrors`, `must be { namespace, metricName } of a per-version 5xx count, got ${show(r)}`);
    }
    rejectUnknownKeys(r, ['namespace', 'metricName'], `${field}.responseErrors`);
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
  const judged = (compare.includes('errors') ? 1 : 0) + (compare.includes('latency') ? latencyStats.length : 0);
  // Bonferroni over the judged metrics: the family-wise false-rollback rate stays below 1 − confidence.
  const alpha = (1 - confidence) / judged;

  return {
    ...base,
    async run(ctx) {
      let built: Built;
      try {
        built = ctx.hook.platform === 'ECS' ? await ecsQueries(ctx, options, period, latencyStats) : lambdaQueries(ctx, options, period, latencyStats);
      } catch (error) {
        return { state: 'error', reason: error instanceof Error ? error.message : String(error) };
      }
      const end = new Date();
      let start = new Date(end.getTime() - lookbackMs);
      if (options.since === 'deployment') {
        // From the context the platform resolved (CodeDeploy's GetDeployment, ECS's service deployment):
        // no client of its own, so a bundle with this check carries no CodeDeploy client.
        const created = ctx.hook.deploymentStartedAt;
        if (created === undefined) return { state: 'error', reason: "the deployment's start time is not known (the platform gave none); cannot compare since the deployment started" };
        // Whole periods: the period holding the deployment's start belongs to the window.
        if (created > start.getTime()) start = new Date(Math.floor(created / (period * 1000)) * period * 1000);
      }
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
      const baseline = side(fetched.series, 'base', built.baselineLabel, latencyStats);
      const canary = side(fetched.series, 'new', built.canaryLabel, latencyStats);

      const verdicts: [kind: string, verdict: Verdict][] = [];
      if (compare.includes('errors')) verdicts.push(['errors', judgeErrors(baseline, canary, { alpha, tolerance: errorTol, minRequests })]);
      if (compare.includes('latency')) {
        for (const stat of latencyStats) {
          const o = { alpha, tolerance: latencyTol, minDelta: minDeltaMs * built.perMs, minPeriods, unit: built.unit };
          verdicts.push([`latency ${stat}`, judgeLatency(baseline, canary, stat, o)]);
        }
      }
      const details: Record<string, unknown> = {
        platform: built.platform,
        window: { start: start.toISOString(), end: end.toISOString(), periodSeconds: period, since: options.since ?? 'lookback' },
        confidence,
        alphaPerMetric: alpha,
        errorRateTolerance: errorTol,
        latencyTolerance: latencyTol,
        minSamples: { requests: minRequests, periods: minPeriods },
        baseline: sideSummary(baseline),
        canary: sideSummary(canary),
        calls: fetched.calls,
        ...Object.fromEntries(verdicts.map(([kind, v]) => [kind, v.details])),
      };
      const all = verdicts.map(([, v]) => v);
      const failed = all.filter((v) => v.state === 'failed');
      const short = all.filter((v) => v.state === 'inconclusive');
      // Not the measured length: it would differ by a fraction of a second from one run to the next.
      const over = options.since === 'deployment' ? ' since the deployment started' : ` over the last ${formatDuration(lookbackMs)}`;
      if (failed.length > 0) return { state: 'failed', reason: failed.map((v) => v.text).join('; ') + over, details };
      if (short.length > 0) {
        const text = short.map((v) => v.text).join('; ') + over;
        if (insufficient === 'pass') {
          const judgedText = all.filter((v) => v.state !== 'inconclusive').map((v) => v.text);
          return { state: 'passed', reason: `not enough data to judge, passed by insufficientSample 'pass': ${[text, ...judgedText].join('; ')}`, details: { ...details, insufficientSample: true } };
        }
        return { state: 'inconclusive', reason: text, details };
      }
      return { state: 'passed', reason: all.map((v) => v.text).join('; ') + over, details };
    },
  };
}

/** When the deployment was created (GetDeployment), epoch ms. */
function side(series: MetricSeries[], suffix: string, label: string, latencyStats: string[]): Side {
  const get = (id: string) => series.find((s) => s.id === id);
  const sum = (id: string) => (get(id)?.values ?? []).reduce((a, b) => a + b, 0);
  const latency: Record<string, Map<number, number>> = {};
  latencyStats.forEach((stat, i) => {
    const s = get(`lat${i}_${suffix}`);
    latency[stat] = new Map((s?.timestamps ?? []).map((t, k) => [t, s!.values[k]!]));
  });
  return { label, errors: sum(`err_${suffix}`) + sum(`err5xx_${suffix}`), requests: sum(`req_${suffix}`), latency };
}

function sideSummary(s: Side): Record<string, unknown> {
  return {
    label: s.label,
    requests: s.requests,
    errors: s.errors,
    errorRate: s.requests > 0 ? s.errors / s.requests : null,
    latencyPeriods: Object.fromEntries(Object.entries(s.latency).map(([stat, m]) => [stat, m.size])),
  };
}

function stat(id: string, ns: string, metricName: string, dims: Dimension[], period: number, st: string): MetricQuery {
  return { Id: id, MetricStat: { Metric: { Namespace: ns, MetricName: metricName, Dimensions: dims }, Period: period, Stat: st }, ReturnData: true };
}

/** Errors (Sum), requests (Sum) and one latency series per statistic, for one side. */
function sideQueries(suffix: string, ns: string, names: [errors: string, requests: string, latency: string], dims: Dimension[], period: number, latencyStats: string[]): MetricQuery[] {
  return [
    stat(`err_${suffix}`, ns, names[0], dims, period, 'Sum'),
    stat(`req_${suffix}`, ns, names[1], dims, period, 'Sum'),
    ...latencyStats.map((st, i) => stat(`lat${i}_${suffix}`, ns, names[2], dims, period, st)),
  ];
}

function lambdaQueries(ctx: CheckContext, options: CompareVersionsOptions, period: number, latencyStats: string[]): Built {
  const scope = lambdaScope(ctx, { functionName: options.functionName, alias: options.alias, version: options.canaryVersion }, 'compareVersions');
  const hook = ctx.hook.platform === 'Lambda' ? ctx.hook : undefined;
  const baselineVersion = options.baselineVersion ?? hook?.currentVersion;
  if (!baselineVersion) throw new Error('compareVersions needs the current version (Lambda deployment) or the baselineVersion option');
  if (baselineVersion === scope.version) {
    throw new Error(`compareVersions: current and target version are both ${scope.version}; nothing to compare`);
  }
  const names: [string, string, string] = ['Errors', 'Invocations', 'Duration'];
  const queries: MetricQuery[] = [];
  for (const [suffix, version] of [['base', baselineVersion], ['new', scope.version]] as const) {
    queries.push(...sideQueries(suffix, 'AWS/Lambda', names, lambdaDimensions({ ...scope, version }), period, latencyStats));
    const r = options.responseErrors;
    // The function's own count of 5xx answers: FunctionName + ExecutedVersion, as the function knows them.
    if (r) queries.push(stat(`err5xx_${suffix}`, r.namespace, r.metricName, [{ Name: 'FunctionName', Value: scope.functionName }, { Name: 'ExecutedVersion', Value: version }], period, 'Sum'));
  }
  return { platform: 'Lambda', unit: 'ms', perMs: 1, baselineLabel: `version ${baselineVersion}`, canaryLabel: `version ${scope.version}`, queries };
}

/** "arn:…:targetgroup/name/id" -> "targetgroup/name/id"; "arn:…:loadbalancer/app/name/id" -> "app/name/id". */
export function targetGroupDimension(arn: string): string {
  return arn.slice(arn.indexOf('targetgroup/'));
}
export function loadBalancerDimension(arn: string): string {
  return arn.slice(arn.indexOf('loadbalancer/') + 'loadbalancer/'.length);
}

async function ecsQueries(ctx: CheckContext, options: CompareVersionsOptions, period: number, latencyStats: string[]): Promise<Built> {
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
    perMs: 0.001,
    baselineLabel: `blue (${baselineTg})`,
    canaryLabel: `green (${canaryTg})`,
    queries: [
      ...sideQueries('base', 'AWS/ApplicationELB', names, dims(baselineTg), period, latencyStats),
      ...sideQueries('new', 'AWS/ApplicationELB', names, dims(canaryTg), period, latencyStats),
    ],
  };
}
