/**
 * Environment configuration of the ready hooks. Every variable is optional and
 * has a default that works after a plain `sam deploy`; an invalid value throws
 * OptionsError naming the variable when the hook module loads, so the first
 * invocation fails loudly instead of gating on a misread setting.
 */
import { OptionsError } from '../src/errors.js';

export type Env = Record<string, string | undefined>;

/** The prefix of every variable the ready hooks read. */
export const PREFIX = 'CODEDEPLOY_HOOKS_';

/** One request of a smoke suite, as written in CODEDEPLOY_HOOKS_PAYLOADS / _HTTP_REQUESTS. */
export interface SmokeRequest {
  method: string;
  path: string;
  headers?: Record<string, string>;
  query?: Record<string, string>;
  body?: unknown;
  expectStatus: number;
  bodyContains?: string;
}

export const EVENT_FORMATS = ['apigateway-rest', 'apigateway-http', 'function-url', 'alb', 'raw'] as const;
export type EventFormat = (typeof EVENT_FORMATS)[number];
export const INSUFFICIENT_DATA = ['pass', 'fail', 'inconclusive'] as const;
/** No mode is a YAML 1.1 boolean (`off`, `on`, `yes`, `no`, …), so an unquoted value survives cfn-lint and the SAM translator. */
export const COMPARE_MODES = ['enforce', 'observe', 'disabled'] as const;
export type CompareMode = (typeof COMPARE_MODES)[number];
/**
 * Other spellings of `disabled`: `off` was its name before, and YAML 1.1 loaders read an
 * unquoted `off` as the boolean false, which reaches the function's environment as "false".
 */
export const COMPARE_MODE_ALIASES: Readonly<Record<string, CompareMode>> = { off: 'disabled', false: 'disabled' };

function raw(env: Env, name: string): string | undefined {
  const value = env[PREFIX + name];
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

function fail(name: string, message: string, value: string): never {
  throw new OptionsError(PREFIX + name, `${message}, got ${JSON.stringify(value)}`);
}

export function readInt(env: Env, name: string, fallback: number, { min = 0, max = Number.MAX_SAFE_INTEGER } = {}): number {
  const value = raw(env, name);
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value)) fail(name, 'must be a whole number', value);
  const n = Number(value);
  if (n < min || n > max) fail(name, `must be between ${min} and ${max}`, value);
  return n;
}

export function readNumber(env: Env, name: string, fallback: number, { min, max }: { min: number; max: number }): number {
  const value = raw(env, name);
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < min || n > max) fail(name, `must be a number between ${min} and ${max}`, value);
  return n;
}

export function readBool(env: Env, name: string, fallback: boolean): boolean {
  const value = raw(env, name);
  if (value === undefined) return fallback;
  if (/^(true|1|yes)$/i.test(value)) return true;
  if (/^(false|0|no)$/i.test(value)) return false;
  return fail(name, 'must be true or false', value);
}

/** One of `choices`, or an alias of one (aliases are listed in the error, after the choices). */
export function readChoice<T extends string>(env: Env, name: string, choices: readonly T[], fallback: T, aliases: Readonly<Record<string, T>> = {}): T {
  const value = raw(env, name);
  if (value === undefined) return fallback;
  if ((choices as readonly string[]).includes(value)) return value as T;
  if (Object.hasOwn(aliases, value)) return aliases[value]!;
  const also = Object.entries(aliases).map(([alias, choice]) => `${alias} means ${choice}`);
  return fail(name, `must be one of ${choices.join(', ')}${also.length > 0 ? ` (${also.join(', ')})` : ''}`, value);
}

export function readList(env: Env, name: string): string[] {
  const value = raw(env, name);
  return value === undefined ? [] : value.split(',').map((s) => s.trim()).filter(Boolean);
}

export function readString(env: Env, name: string): string | undefined {
  return raw(env, name);
}

export function readUrl(env: Env, name: string): string | undefined {
  const value = raw(env, name);
  if (value === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return fail(name, 'must be an absolute http(s) URL', value);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') fail(name, 'must be an absolute http(s) URL', value);
  return value;
}

const REQUEST_KEYS = new Set(['method', 'path', 'headers', 'query', 'body', 'expectStatus', 'bodyContains']);

/** A JSON array of `{ method?, path, headers?, query?, body?, expectStatus?, bodyContains? }`. */
export function readRequests(env: Env, name: string, fallback: SmokeRequest[]): SmokeRequest[] {
  const value = raw(env, name);
  if (value === undefined) return fallback;
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch (error) {
    return fail(name, `must be a JSON array of requests (${(error as Error).message})`, value);
  }
  if (!Array.isArray(parsed) || parsed.length === 0) fail(name, 'must be a non-empty JSON array of requests like [{"path":"/health","expectStatus":200}]', value);
  return parsed.map((item: unknown, i) => {
    const at = `${name}[${i}]`;
    if (typeof item !== 'object' || item === null || Array.isArray(item)) fail(at, 'must be an object like {"path":"/health"}', JSON.stringify(item));
    const r = item as Record<string, unknown>;
    const unknown = Object.keys(r).find((k) => !REQUEST_KEYS.has(k));
    if (unknown) fail(at, `has unknown key "${unknown}" (known: ${[...REQUEST_KEYS].join(', ')})`, JSON.stringify(item));
    if (typeof r.path !== 'string' || !r.path.startsWith('/')) fail(`${at}.path`, 'must be a string starting with /', JSON.stringify(r.path));
    if (r.method !== undefined && (typeof r.method !== 'string' || !/^[A-Za-z]+$/.test(r.method))) fail(`${at}.method`, 'must be an HTTP method', JSON.stringify(r.method));
    const status = r.expectStatus ?? 200;
    if (typeof status !== 'number' || !Number.isInteger(status) || status < 100 || status > 599) fail(`${at}.expectStatus`, 'must be an HTTP status code', JSON.stringify(status));
    if (r.bodyContains !== undefined && typeof r.bodyContains !== 'string') fail(`${at}.bodyContains`, 'must be a string', JSON.stringify(r.bodyContains));
    for (const key of ['headers', 'query'] as const) {
      const map = r[key];
      if (map !== undefined && (typeof map !== 'object' || map === null || Object.values(map).some((v) => typeof v !== 'string'))) {
        fail(`${at}.${key}`, 'must be an object of strings', JSON.stringify(map));
      }
    }
    return {
      method: (r.method as string | undefined)?.toUpperCase() ?? 'GET',
      path: r.path as string,
      ...(r.headers ? { headers: r.headers as Record<string, string> } : {}),
      ...(r.query ? { query: r.query as Record<string, string> } : {}),
      ...(r.body !== undefined ? { body: r.body } : {}),
      expectStatus: status as number,
      ...(r.bodyContains !== undefined ? { bodyContains: r.bodyContains as string } : {}),
    };
  });
}

export const DEFAULT_SMOKE: SmokeRequest[] = [{ method: 'GET', path: '/health', expectStatus: 200 }];

/**
 * How a smoke suite judges a version once it answered: N more requests (or invocations)
 * after the first success, of which a share must succeed. A wait-until-healthy retry loop
 * ends at the first success, so on its own it passes a version failing half its requests.
 */
export function readFollowUp(env: Env, fallback: number): { count: number; minSuccessRatio: number } {
  return {
    count: readInt(env, 'SMOKE_FOLLOW_UP', fallback, { max: 1000 }),
    minSuccessRatio: readNumber(env, 'SMOKE_MIN_SUCCESS', 0.8, { min: 0, max: 1 }),
  };
}

/** Alarm settings shared by every hook. */
export interface AlarmConfig {
  enabled: boolean;
  names: string[];
  insufficientData: (typeof INSUFFICIENT_DATA)[number];
}

export function readAlarms(env: Env): AlarmConfig {
  return {
    enabled: readBool(env, 'CHECK_ALARMS', true),
    names: readList(env, 'ALARM_NAMES'),
    insufficientData: readChoice(env, 'INSUFFICIENT_DATA', INSUFFICIENT_DATA, 'pass'),
  };
}

/**
 * The old-vs-new comparison both post-traffic hooks (and the canary analyzer) run:
 * enforced by default, over the whole deployment so far (a growing window, which the
 * sequential tests assume), passing with the reason said when the sample is too small.
 */
export interface CompareConfig {
  mode: CompareMode;
  confidence: number;
  minRequests: number;
  minPeriods: number;
  insufficientSample: 'pass' | 'inconclusive';
  errorRateTolerance: number;
  latencyTolerance: number;
  latencyMinDeltaMs: number;
  lookbackMs: number;
  /** Lambda: the function's own per-version 5xx count, "Namespace:MetricName". */
  responseErrors?: { namespace: string; metricName: string };
}

export const INSUFFICIENT_SAMPLE = ['pass', 'inconclusive'] as const;

export function readCompare(env: Env): CompareConfig {
  const metric = readString(env, 'COMPARE_5XX_METRIC');
  let responseErrors: CompareConfig['responseErrors'];
  if (metric !== undefined) {
    const at = metric.lastIndexOf(':');
    if (at <= 0 || at === metric.length - 1) fail('COMPARE_5XX_METRIC', 'must be Namespace:MetricName, e.g. CodeDeployHooks/App:Http5xx', metric);
    responseErrors = { namespace: metric.slice(0, at), metricName: metric.slice(at + 1) };
  }
  return {
    mode: readChoice(env, 'COMPARE', COMPARE_MODES, 'enforce', COMPARE_MODE_ALIASES),
    confidence: readNumber(env, 'COMPARE_CONFIDENCE', 0.99, { min: 0.5, max: 0.9999 }),
    minRequests: readInt(env, 'COMPARE_MIN_REQUESTS', 50, { min: 1 }),
    minPeriods: readInt(env, 'COMPARE_MIN_PERIODS', 3, { min: 1, max: 1440 }),
    insufficientSample: readChoice(env, 'COMPARE_INSUFFICIENT_SAMPLE', INSUFFICIENT_SAMPLE, 'pass'),
    errorRateTolerance: readNumber(env, 'COMPARE_ERROR_TOLERANCE', 0.001, { min: 0, max: 0.5 }),
    latencyTolerance: readNumber(env, 'COMPARE_LATENCY_TOLERANCE', 0.1, { min: 0, max: 10 }),
    latencyMinDeltaMs: readInt(env, 'COMPARE_LATENCY_MIN_DELTA_MS', 10, { max: 60_000 }),
    lookbackMs: readInt(env, 'COMPARE_LOOKBACK_MS', 3_600_000, { min: 60_000, max: 86_400_000 }),
    ...(responseErrors ? { responseErrors } : {}),
  };
}

/** Bake settings shared by the post-traffic hooks. */
export interface BakeConfig {
  durationMs: number;
  intervalMs: number;
  initialDelayMs: number;
}

/** A Lambda runs at most 15 minutes; the bake keeps two of them for resolution and reporting. */
export const MAX_BAKE_MS = 780_000;

export function readBake(env: Env): BakeConfig {
  const durationMs = readInt(env, 'BAKE_DURATION_MS', 120_000, { max: MAX_BAKE_MS });
  const intervalMs = readInt(env, 'BAKE_INTERVAL_MS', 30_000, { min: 1 });
  const initialDelayMs = readInt(env, 'BAKE_INITIAL_DELAY_MS', 0, { max: MAX_BAKE_MS });
  return { durationMs, intervalMs, initialDelayMs };
}

/** The green target group gate of the ECS bake hooks (CodeDeploy and ECS-native). */
export interface TargetGroupGateConfig {
  enabled: boolean;
  max5xxPerMinute?: number;
  maxUnhealthyHosts: number;
}

export function readTargetGroupGate(env: Env): TargetGroupGateConfig {
  return {
    enabled: readBool(env, 'CHECK_TARGET_GROUP', true),
    // An absolute count is off by default: any background error rate trips it at enough traffic;
    // green vs blue (the comparison) judges error rates.
    ...(readString(env, 'MAX_5XX_PER_MINUTE') !== undefined ? { max5xxPerMinute: readInt(env, 'MAX_5XX_PER_MINUTE', 0) } : {}),
    maxUnhealthyHosts: readInt(env, 'MAX_UNHEALTHY_HOSTS', 0),
  };
}

/** An ECS bake hook with alarms and the target-group gate off and the comparison not enforced would check nothing. */
export function requireAnEcsGate(config: { alarms: AlarmConfig; targetGroup: TargetGroupGateConfig; compare: CompareConfig }): void {
  if (!config.alarms.enabled && !config.targetGroup.enabled && config.compare.mode !== 'enforce') {
    throw new OptionsError(
      'CODEDEPLOY_HOOKS_CHECK_ALARMS',
      `is false, CODEDEPLOY_HOOKS_CHECK_TARGET_GROUP is false and CODEDEPLOY_HOOKS_COMPARE is ${config.compare.mode}: the hook would check nothing`,
    );
  }
}
