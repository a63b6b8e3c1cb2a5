/**
 * Lambda metric presets built on metric(): error rate, throttles and p99
 * duration of the version being deployed. They scope AWS/Lambda metrics by
 * FunctionName + Resource (fn:alias) + ExecutedVersion (the target version),
 * the only dimension set that separates the new version's traffic from the
 * old one's behind a weighted alias (an alias-wide alarm counts both).
 */
import type { Dimension } from '@aws-sdk/client-cloudwatch';
import { OptionsError } from '../errors.js';
import type { Check, CheckContext, LambdaHookContext } from '../types.js';
import { metricCheck, type MetricCondition, type NoDataPolicy } from './metric.js';
import { DEFAULT_LOOKBACK_MS, validatePeriod, type MetricQuery } from './metric-data.js';
import { commonCheckFields, COMMON_KEYS, rejectUnknownKeys, requireOneOf, requirePositive } from './common.js';

export interface LambdaPresetOptions {
  name?: string;
  timeoutMs?: number;
  retry?: Check['retry'];
  enforce?: boolean;
  /** @default 300000 (5 min) */
  lookbackMs?: number;
  /** Metric period; the error rate defaults to the whole window so that it is one overall figure. */
  periodSeconds?: number;
  /** @default 'inconclusive' (lambdaThrottles: 'pass', because Lambda emits nothing when nothing was throttled) */
  noData?: NoDataPolicy;
  /** @default the deployment's function, alias and target version */
  functionName?: string;
  alias?: string;
  version?: string;
  /** 'executedVersion': the target version behind the alias; 'alias': all traffic through the alias. @default 'executedVersion' */
  scope?: 'executedVersion' | 'alias';
}

export interface LambdaVersionScope {
  functionName: string;
  alias: string;
  version: string;
}

/** FunctionName is the bare name: CodeDeploy may give an ARN. */
export function bareFunctionName(name: string): string {
  const m = name.match(/^arn:[^:]+:lambda:[^:]+:[^:]+:function:([^:]+)/);
  return m?.[1] ?? name;
}

/** Function, alias and version from the options, else from the Lambda deployment. */
export function lambdaScope(ctx: CheckContext, options: Pick<LambdaPresetOptions, 'functionName' | 'alias' | 'version'>, check: string): LambdaVersionScope {
  const hook = ctx.hook.platform === 'Lambda' ? (ctx.hook as LambdaHookContext) : undefined;
  const functionName = options.functionName ?? hook?.functionName;
  const alias = options.alias ?? hook?.alias;
  const version = options.version ?? hook?.targetVersion;
  if (!functionName || !alias || !version) {
    throw new Error(
      `${check} needs a Lambda deployment (this one is ${ctx.hook.platform}) or explicit functionName, alias and version options`,
    );
  }
  return { functionName: bareFunctionName(functionName), alias, version };
}

/** FunctionName + Resource (fn:alias) [+ ExecutedVersion]. */
export function lambdaDimensions(scope: LambdaVersionScope, executedVersion = true): Dimension[] {
  const dims: Dimension[] = [
    { Name: 'FunctionName', Value: scope.functionName },
    { Name: 'Resource', Value: `${scope.functionName}:${scope.alias}` },
  ];
  if (executedVersion) dims.push({ Name: 'ExecutedVersion', Value: scope.version });
  return dims;
}

function lambdaStat(id: string, metricName: string, stat: string, dims: Dimension[], period: number, returnData = true): MetricQuery {
  return {
    Id: id,
    MetricStat: { Metric: { Namespace: 'AWS/Lambda', MetricName: metricName, Dimensions: dims }, Period: period, Stat: stat },
    ReturnData: returnData,
  };
}

/** The preset's dimensions for the target version (or the whole alias with scope 'alias'). */
function presetDimensions(ctx: CheckContext, options: LambdaPresetOptions, field: string): Dimension[] {
  return lambdaDimensions(lambdaScope(ctx, options, field), (options.scope ?? 'executedVersion') === 'executedVersion');
}

/** A preset that is one AWS/Lambda statistic per period, failing on one condition. */
function singleStatPreset(
  options: LambdaPresetOptions,
  field: string,
  q: { id: string; metricName: string; stat: string; noData: NoDataPolicy; failWhen: MetricCondition },
): Check {
  const period = options.periodSeconds ?? 60;
  validatePeriod(period, `${field}.periodSeconds`);
  return metricCheck(
    {
      ...commonCheckFields(options, field),
      lookbackMs: options.lookbackMs ?? DEFAULT_LOOKBACK_MS,
      periodSeconds: period,
      noData: options.noData ?? q.noData,
      queries: (ctx) => [lambdaStat(q.id, q.metricName, q.stat, presetDimensions(ctx, options, field), period)],
      failWhen: q.failWhen,
    },
    field,
    field,
  );
}

const PRESET_KEYS = ['lookbackMs', 'periodSeconds', 'noData', 'functionName', 'alias', 'version', 'scope'];

function validatePreset(options: LambdaPresetOptions, field: string, own: string[]): void {
  if (typeof options !== 'object' || options === null) throw new OptionsError(field, 'options object is required');
  rejectUnknownKeys(options as unknown as Record<string, unknown>, [...COMMON_KEYS, ...PRESET_KEYS, ...own], field);
  if (options.scope !== undefined) requireOneOf(options.scope, ['executedVersion', 'alias'], `${field}.scope`);
  for (const key of ['functionName', 'alias', 'version'] as const) {
    const v = options[key];
    if (v !== undefined && (typeof v !== 'string' || v === '')) throw new OptionsError(`${field}.${key}`, 'must be a non-empty string');
  }
}

/** Whole-window period (rounded up to a minute) so the rate is one figure for the window. */
function windowPeriod(lookbackMs: number): number {
  return Math.max(60, Math.ceil(lookbackMs / 60_000) * 60);
}

export interface LambdaErrorRateOptions extends LambdaPresetOptions {
  /** Fail when 100 × Errors / Invocations exceeds this. */
  maxPercent: number;
}

/**
 * Fails when the target version's error rate (100 × Errors / Invocations)
 * is above `maxPercent`. With the default period (the whole lookback window)
 * that is the overall rate; with a shorter period, any period above it fails.
 */
export function lambdaErrorRate(options: LambdaErrorRateOptions): Check {
  const field = 'lambdaErrorRate';
  validatePreset(options, field, ['maxPercent']);
  requirePositive(options.maxPercent, `${field}.maxPercent`, { allowZero: true });
  if (options.maxPercent > 100) throw new OptionsError(`${field}.maxPercent`, 'must be at most 100');
  const lookbackMs = options.lookbackMs ?? DEFAULT_LOOKBACK_MS;
  requirePositive(lookbackMs, `${field}.lookbackMs`);
  const period = options.periodSeconds ?? windowPeriod(lookbackMs);
  validatePeriod(period, `${field}.periodSeconds`);
  return metricCheck(
    {
      ...commonCheckFields(options, field),
      lookbackMs,
      periodSeconds: period,
      noData: options.noData ?? 'inconclusive',
      queries: (ctx) => {
        const dims = presetDimensions(ctx, options, field);
        return [
          lambdaStat('errors', 'Errors', 'Sum', dims, period, false),
          lambdaStat('invocations', 'Invocations', 'Sum', dims, period, false),
          // Errors is not emitted for periods without errors: FILL keeps those periods at 0 %.
          { Id: 'error_rate', Expression: '100 * FILL(errors, 0) / invocations', Label: 'error rate %', ReturnData: true },
        ];
      },
      failWhen: { stat: 'max', op: '>', threshold: options.maxPercent },
    },
    field,
    field,
  );
}

export interface LambdaThrottlesOptions extends LambdaPresetOptions {
  /** Fail when the number of throttles in the window exceeds this. @default 0 */
  max?: number;
}

/** Fails when the target version was throttled more than `max` times in the window. */
export function lambdaThrottles(options: LambdaThrottlesOptions = {}): Check {
  const field = 'lambdaThrottles';
  validatePreset(options, field, ['max']);
  const max = options.max ?? 0;
  requirePositive(max, `${field}.max`, { allowZero: true });
  return singleStatPreset(options, field, { id: 'throttles', metricName: 'Throttles', stat: 'Sum', noData: 'pass', failWhen: { stat: 'sum', op: '>', threshold: max } });
}

export interface LambdaDurationOptions extends LambdaPresetOptions {
  /** Fail when the p99 Duration of any period exceeds this many milliseconds. */
  p99MaxMs: number;
}

/** Fails when the target version's p99 duration in any period is above `p99MaxMs`. */
export function lambdaDuration(options: LambdaDurationOptions): Check {
  const field = 'lambdaDuration';
  validatePreset(options, field, ['p99MaxMs']);
  requirePositive(options.p99MaxMs, `${field}.p99MaxMs`);
  return singleStatPreset(options, field, { id: 'duration_p99', metricName: 'Duration', stat: 'p99', noData: 'inconclusive', failWhen: { stat: 'max', op: '>', threshold: options.p99MaxMs } });
}

