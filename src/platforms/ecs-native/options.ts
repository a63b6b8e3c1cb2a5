/** Options of an ECS-native hook, and the bake that spans its invocations. */
import { OptionsError } from '../../errors.js';
import type { BakePlan } from '../../engine/bake-state.js';
import type { PlatformHookOptions } from '../../hook-runner.js';
import { show } from '../../util/show.js';
import type { EcsNativeHookContext } from './types.js';

/**
 * A bake across invocations: each invocation takes one measurement (runs
 * every check once), then returns IN_PROGRESS with callBackDelay = intervalMs
 * until the plan is done or a limit is exceeded. The limits mean what they
 * mean in bake().
 */
export interface EcsNativeBakeOptions {
  /** Time between two measurements, in ms; a whole number of seconds (callBackDelay is in seconds), at least 1000. */
  intervalMs: number;
  /** Keep measuring until this long after the first measurement (inclusive). At most 24 h, ECS's stage limit. */
  durationMs?: number;
  /** Number of measurements. With durationMs too, whichever ends first. */
  count?: number;
  /** Failed when failed measurements > this; -1 disables. @default 0 */
  failureLimit?: number;
  /** Error when consecutive errored measurements > this; -1 disables. @default 4 */
  consecutiveErrorLimit?: number;
  /** Inconclusive when inconclusive measurements > this; -1 disables. @default 0 */
  inconclusiveLimit?: number;
}

/** Options of defineEcsNativeHook: the hook options (without CodeDeploy's resolveRetry), checks typed for ECS, and an optional bake. */
export interface EcsNativeHookOptions extends Omit<PlatformHookOptions<EcsNativeHookContext>, 'resolveRetry'> {
  bake?: EcsNativeBakeOptions;
}

/** ECS fails a stage after 24 hours. */
export const MAX_STAGE_MS = 24 * 60 * 60 * 1000;

const BAKE_KEYS = new Set(['intervalMs', 'durationMs', 'count', 'failureLimit', 'consecutiveErrorLimit', 'inconclusiveLimit']);

function limit(value: unknown, fallback: number, field: string): number {
  const v = value ?? fallback;
  if (!(Number.isInteger(v) && (v as number) >= -1)) throw new OptionsError(field, `must be a whole number >= 0, or -1 to disable; got ${show(v)}`);
  return v as number;
}

/** Validates the bake options once, when the hook is defined; errors name the field. */
export function bakePlanOf(bake: unknown): BakePlan | undefined {
  if (bake === undefined) return undefined;
  if (typeof bake !== 'object' || bake === null || Array.isArray(bake)) throw new OptionsError('bake', 'must be an object { intervalMs, durationMs | count }');
  const b = bake as Record<string, unknown>;
  const unknownKey = Object.keys(b).find((k) => !BAKE_KEYS.has(k));
  if (unknownKey !== undefined) throw new OptionsError(`bake.${unknownKey}`, `is not a bake option (known: ${[...BAKE_KEYS].join(', ')})`);
  const interval = b.intervalMs;
  if (!(Number.isInteger(interval) && (interval as number) >= 1000 && (interval as number) % 1000 === 0 && (interval as number) <= MAX_STAGE_MS)) {
    throw new OptionsError('bake.intervalMs', `must be a whole number of seconds in ms, from 1000 to ${MAX_STAGE_MS}; got ${show(interval)}`);
  }
  if (b.durationMs === undefined && b.count === undefined) throw new OptionsError('bake', 'give durationMs or count (or both)');
  if (b.durationMs !== undefined && !(Number.isInteger(b.durationMs) && (b.durationMs as number) >= 0 && (b.durationMs as number) <= MAX_STAGE_MS)) {
    throw new OptionsError('bake.durationMs', `must be a whole number from 0 to ${MAX_STAGE_MS} (ECS's 24 h stage limit); got ${show(b.durationMs)}`);
  }
  if (b.count !== undefined && !(Number.isInteger(b.count) && (b.count as number) >= 1)) throw new OptionsError('bake.count', `must be a whole number >= 1, got ${show(b.count)}`);
  return {
    intervalMs: interval as number,
    ...(b.durationMs !== undefined ? { durationMs: b.durationMs as number } : {}),
    ...(b.count !== undefined ? { count: b.count as number } : {}),
    failureLimit: limit(b.failureLimit, 0, 'bake.failureLimit'),
    consecutiveErrorLimit: limit(b.consecutiveErrorLimit, 4, 'bake.consecutiveErrorLimit'),
    inconclusiveLimit: limit(b.inconclusiveLimit, 0, 'bake.inconclusiveLimit'),
  };
}
