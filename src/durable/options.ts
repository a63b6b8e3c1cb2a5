/**
 * The options of a durable hook, checked once when the hook is defined: the
 * plain hook's options, a bake whose measurements are durable steps, and the
 * reserve kept before CodeDeploy's hour. A bake that cannot end, with its
 * report, inside the hour is an OptionsError naming the field, not a hook
 * that CodeDeploy times out.
 */
import { bake as validateBake } from '../checks/bake.js';
import type { BakeOptions } from '../checks/bake.js';
import { formatDuration, isPlainObject, rejectUnknownKeys, requirePositive } from '../checks/common.js';
import type { BakePlan } from '../engine/bake-state.js';
import { plannedMeasurements } from '../engine/bake-state.js';
import { OptionsError } from '../errors.js';
import { validateHookOptions } from '../settings.js';
import type { Check, HookOptions } from '../types.js';

/** CodeDeploy's wait for a hook's status. */
export const HOOK_HOUR_MS = 3_600_000;
/** Default time kept between the report deadline and CodeDeploy's hour. */
export const DEFAULT_HOUR_RESERVE_MS = 300_000;
/** The least reserve accepted: the async start and the report need some of the hour. */
export const MIN_HOUR_RESERVE_MS = 60_000;
/** Measurements stop this long before the report deadline, so the report step has its own window. */
export const REPORT_WINDOW_MS = 60_000;

/** A bake whose measurements are durable steps and whose pauses are durable waits (no compute while waiting). */
export type DurableBakeOptions = Pick<
  BakeOptions,
  'checks' | 'intervalMs' | 'durationMs' | 'count' | 'initialDelayMs' | 'failureLimit' | 'consecutiveErrorLimit' | 'inconclusiveLimit' | 'name'
>;

const BAKE_KEYS = ['checks', 'intervalMs', 'durationMs', 'count', 'initialDelayMs', 'failureLimit', 'consecutiveErrorLimit', 'inconclusiveLimit', 'name'] as const;

export interface DurableHookOptions extends Omit<HookOptions, 'checks'> {
  /** Checks run once, before the bake (smoke tests). Optional when a bake is given. */
  checks?: HookOptions['checks'];
  /** The bake: measured every intervalMs, waiting durably in between. */
  bake?: DurableBakeOptions;
  /**
   * How long before CodeDeploy's hour the report must be done, in ms. It
   * covers the asynchronous start (the hour runs from CodeDeploy's invocation
   * of the starter, the bake's clock from the durable execution's first step)
   * and the report's retries. @default 300000 (5 minutes), at least 60000
   */
  hourReserveMs?: number;
}

export interface DurableBake {
  name: string;
  checks: Check[];
  plan: BakePlan;
  initialDelayMs: number;
}

/** The validated options: the plain part for the engine, the bake as a plan. */
export interface ValidDurableOptions {
  hook: Omit<HookOptions, 'checks'> & { checks?: HookOptions['checks'] };
  bake?: DurableBake;
  hourReserveMs: number;
}

/** Time the plan needs from the execution's start to its last measurement's start. */
export function plannedSpanMs(bake: DurableBake): number {
  return bake.initialDelayMs + (plannedMeasurements(bake.plan) - 1) * bake.plan.intervalMs;
}

export function validateDurableOptions(given: DurableHookOptions): ValidDurableOptions {
  if (typeof given !== 'object' || given === null) throw new OptionsError('options', 'must be an object with `checks`, `bake` or both');
  const { bake, hourReserveMs = DEFAULT_HOUR_RESERVE_MS, ...hook } = given;
  if (hook.checks === undefined && bake === undefined) throw new OptionsError('options', 'give `checks`, `bake` or both: a durable hook with nothing to check does not pass');
  requirePositive(hourReserveMs, 'hourReserveMs', { integer: true });
  if (hourReserveMs < MIN_HOUR_RESERVE_MS || hourReserveMs >= HOOK_HOUR_MS) {
    throw new OptionsError('hourReserveMs', `must be from ${MIN_HOUR_RESERVE_MS} to less than ${HOOK_HOUR_MS} (CodeDeploy's hour), got ${hourReserveMs}`);
  }
  const valid: ValidDurableOptions = { hook, hourReserveMs, ...(bake !== undefined ? { bake: durableBake(bake) } : {}) };
  // The plain hook's rules for everything else; the bake's checks stand in when only a bake is given.
  validateHookOptions({ ...hook, checks: hook.checks ?? valid.bake?.checks });
  if (valid.bake === undefined) return valid;
  const available = HOOK_HOUR_MS - hourReserveMs - REPORT_WINDOW_MS;
  const span = plannedSpanMs(valid.bake);
  if (span > available) {
    throw new OptionsError(
      'bake',
      `plans ${formatDuration(span)} until its last measurement, but a durable hook has ${formatDuration(available)} ` +
        `(CodeDeploy's hour less hourReserveMs ${formatDuration(hourReserveMs)} and ${formatDuration(REPORT_WINDOW_MS)} for the report)`,
    );
  }
  return valid;
}

function durableBake(options: DurableBakeOptions): DurableBake {
  if (!isPlainObject(options)) throw new OptionsError('bake', 'must be an object { checks, intervalMs, durationMs | count, ... }');
  rejectUnknownKeys(options as unknown as Record<string, unknown>, BAKE_KEYS, 'bake');
  // bake() checks every field the same way (names, limits, one of durationMs/count) and says which is wrong.
  validateBake(options);
  // Durable waits are whole seconds.
  if (options.intervalMs < 1000) throw new OptionsError('bake.intervalMs', `must be at least 1000 (durable waits are whole seconds), got ${options.intervalMs}`);
  const plan: BakePlan = {
    intervalMs: options.intervalMs,
    ...(options.durationMs !== undefined ? { durationMs: options.durationMs } : {}),
    ...(options.count !== undefined ? { count: options.count } : {}),
    failureLimit: options.failureLimit ?? 0,
    consecutiveErrorLimit: options.consecutiveErrorLimit ?? 4,
    inconclusiveLimit: options.inconclusiveLimit ?? 0,
  };
  return {
    name: options.name ?? `durable bake(${options.checks.map((c) => c.name).join(', ')})`,
    checks: [...options.checks],
    plan,
    initialDelayMs: options.initialDelayMs ?? 0,
  };
}
