/**
 * Pieces shared by the CloudWatch-backed checks (alarms, metric, compareVersions,
 * bake): the common check options, their eager validation, and an SDK call that
 * retries throttling a couple of times before giving up.
 */
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { OptionsError, describeError } from '../errors.js';
import { sleep } from '../util/abort.js';
import type { Check, CheckContext, RetryPolicy } from '../types.js';

/** Options every check factory accepts and copies onto the Check. */
export interface CommonCheckOptions {
  /** Name shown in the verdict. */
  name?: string;
  /** Per-check timeout in ms (capped by the hook deadline). */
  timeoutMs?: number;
  retry?: RetryPolicy;
  /** When false the check runs but never decides the verdict. @default true */
  enforce?: boolean;
}

/** Validates the common options and returns the Check fields they set. */
export function commonFields(options: CommonCheckOptions, defaultName: string, field: string): Omit<Check, 'run'> {
  if (options.name !== undefined && (typeof options.name !== 'string' || options.name.trim() === '')) {
    throw new OptionsError(`${field}.name`, 'must be a non-empty string');
  }
  if (options.timeoutMs !== undefined && !(Number.isFinite(options.timeoutMs) && options.timeoutMs > 0)) {
    throw new OptionsError(`${field}.timeoutMs`, 'must be a positive number of milliseconds');
  }
  if (options.retry !== undefined) {
    const attempts = options.retry?.attempts;
    if (typeof options.retry !== 'object' || !Number.isInteger(attempts) || attempts < 1) {
      throw new OptionsError(`${field}.retry.attempts`, 'must be an integer >= 1');
    }
  }
  if (options.enforce !== undefined && typeof options.enforce !== 'boolean') {
    throw new OptionsError(`${field}.enforce`, 'must be a boolean');
  }
  const fields: Omit<Check, 'run'> = { name: options.name ?? defaultName };
  if (options.timeoutMs !== undefined) fields.timeoutMs = options.timeoutMs;
  if (options.retry !== undefined) fields.retry = options.retry;
  if (options.enforce !== undefined) fields.enforce = options.enforce;
  return fields;
}

export function requirePositive(value: unknown, field: string, { integer = false, allowZero = false } = {}): void {
  const ok = typeof value === 'number' && Number.isFinite(value) && (allowZero ? value >= 0 : value > 0);
  if (!ok || (integer && !Number.isInteger(value))) {
    throw new OptionsError(field, `must be a ${integer ? 'whole ' : ''}number ${allowZero ? '>= 0' : '> 0'}, got ${String(value)}`);
  }
}

export function requireOneOf<T extends string>(value: unknown, allowed: readonly T[], field: string): void {
  if (!allowed.includes(value as T)) {
    throw new OptionsError(field, `must be one of ${allowed.map((a) => `'${a}'`).join(', ')}, got ${JSON.stringify(value)}`);
  }
}

export function cloudWatch(ctx: CheckContext): CloudWatchClient {
  return ctx.clients.get('cloudWatch', () => new CloudWatchClient({}));
}

const THROTTLING_NAMES = new Set([
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
]);

export function isThrottling(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const e = error as { name?: string; Code?: string; $retryable?: { throttling?: boolean } };
  return THROTTLING_NAMES.has(e.name ?? '') || THROTTLING_NAMES.has(e.Code ?? '') || e.$retryable?.throttling === true;
}

/** Delays before the retries of a throttled call; the SDK has retried already, so keep it short. */
export const THROTTLE_RETRY_DELAYS_MS = [200, 600];

/**
 * Sends a command with the check's signal. Throttling is retried after short
 * delays (per-region TPS limits are low, and several hooks may poll at once);
 * any other error is rethrown for the caller to turn into an outcome.
 */
export async function sendWithThrottleRetry<T>(
  send: () => Promise<T>,
  signal: AbortSignal,
  delays: readonly number[] = THROTTLE_RETRY_DELAYS_MS,
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await send();
    } catch (error) {
      const delay = delays[attempt];
      if (delay === undefined || !isThrottling(error) || signal.aborted) throw error;
      await sleep(delay, signal);
    }
  }
}

/** "ThrottlingException: Rate exceeded" — for reasons. */
export function errorText(error: unknown): string {
  const { name, message } = describeError(error);
  return message && message !== name ? `${name}: ${message}` : name;
}

/** Human duration for reasons: 300000 -> "5 min", 90000 -> "90 s". */
export function formatDuration(ms: number): string {
  if (ms >= 60_000 && ms % 60_000 === 0) return `${ms / 60_000} min`;
  if (ms >= 1000) return `${Math.round(ms / 100) / 10} s`;
  return `${ms} ms`;
}
