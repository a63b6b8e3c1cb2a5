/**
 * A bake whose measurements span invocations: the plan, the state between
 * measurements as plain JSON, and one step that records a measurement and
 * says what comes next. The ECS-native platform carries the state in
 * `hookDetails` (IN_PROGRESS + callBackDelay); a durable execution can keep
 * it in a checkpoint. The limits mean what they mean in bake() (Argo
 * Rollouts semantics): failureLimit counts failed measurements over the whole
 * bake, consecutiveErrorLimit errored ones in a row, inconclusiveLimit
 * inconclusive ones, whichever invocation took them.
 */
import { HookEventError } from '../errors.js';
import { CHECK_STATES } from '../types.js';
import type { CheckResult, CheckState } from '../types.js';
import { clip } from '../util/show.js';

export interface BakeLimits {
  /** Failed when failed measurements > this; -1 disables. */
  failureLimit: number;
  /** Error when consecutive errored measurements > this; -1 disables. */
  consecutiveErrorLimit: number;
  /** Inconclusive when inconclusive measurements > this; -1 disables. */
  inconclusiveLimit: number;
}

export interface BakePlan extends BakeLimits {
  /** Time between the starts of two measurements. */
  intervalMs: number;
  /** Keep measuring until this long after the first measurement (inclusive). */
  durationMs?: number;
  /** Number of measurements. With durationMs too, whichever ends first. */
  count?: number;
}

export interface BakeCounts {
  total: number;
  passed: number;
  failed: number;
  error: number;
  inconclusive: number;
}

/** The bake between two measurements. Plain JSON: numbers (epoch ms) and short strings only. */
export interface BakeState {
  /** Format version: a state written by another version is rejected, never misread. */
  v: 1;
  /** Epoch ms of the first measurement. */
  firstAt: number;
  /** Epoch ms when the next measurement is due. */
  nextAt: number;
  counts: BakeCounts;
  consecutiveErrors: number;
  /** The latest measurement, for the reason a person reads on the next invocation. */
  last: { state: CheckState; reason: string };
}

/** What one measurement decided. */
export type BakeStep =
  | { kind: 'decided'; state: CheckState; reason: string; bake: BakeState }
  | { kind: 'continue'; bake: BakeState; waitMs: number };

/** Longest `last.reason` kept in the state: it travels in hookDetails, which is small. */
export const MAX_STATE_REASON_CHARS = 300;

const SEVERITY: Record<CheckState, number> = { passed: 0, inconclusive: 1, error: 2, failed: 3 };

/** The worst state of the enforced results (a measurement's state); passed when none is enforced. */
export function worstState(results: readonly Pick<CheckResult, 'state' | 'enforced'>[]): CheckState {
  return results.filter((r) => r.enforced).reduce<CheckState>((worst, r) => (SEVERITY[r.state] > SEVERITY[worst] ? r.state : worst), 'passed');
}

/** The reasons of the enforced checks that gave a measurement its state: why it is what it is. */
export function reasonsOf(results: readonly Pick<CheckResult, 'name' | 'state' | 'reason' | 'enforced'>[], state: CheckState): string {
  return results
    .filter((c) => c.enforced && c.state === state)
    .map((c) => `${c.name}: ${c.reason}`)
    .join('; ');
}

/**
 * The reason a measurement of `state` ends the bake, or undefined when no
 * limit is exceeded. `where` names the measurement, `why` its checks' reasons.
 */
export function limitReason(state: CheckState, counts: BakeCounts, consecutiveErrors: number, limits: BakeLimits, where: string, why: string): string | undefined {
  if (state === 'failed' && limits.failureLimit >= 0 && counts.failed > limits.failureLimit) {
    return `${where} failed (${counts.failed} failed > failureLimit ${limits.failureLimit}): ${why}`;
  }
  if (state === 'error' && limits.consecutiveErrorLimit >= 0 && consecutiveErrors > limits.consecutiveErrorLimit) {
    return `${consecutiveErrors} consecutive measurements errored (> consecutiveErrorLimit ${limits.consecutiveErrorLimit}); last: ${why}`;
  }
  if (state === 'inconclusive' && limits.inconclusiveLimit >= 0 && counts.inconclusive > limits.inconclusiveLimit) {
    return `${where} inconclusive (${counts.inconclusive} inconclusive > inconclusiveLimit ${limits.inconclusiveLimit}): ${why}`;
  }
  return undefined;
}

export function summaryOf(counts: BakeCounts): string {
  return (
    `${counts.total} measurement${counts.total === 1 ? '' : 's'}: ${counts.passed} passed, ${counts.failed} failed, ` +
    `${counts.error} errored, ${counts.inconclusive} inconclusive`
  );
}

/** How many measurements the plan asks for (count, or one every interval over durationMs, both ends included). */
export function plannedMeasurements(plan: Pick<BakePlan, 'intervalMs' | 'count' | 'durationMs'>): number {
  const byDuration = plan.durationMs !== undefined ? Math.floor(plan.durationMs / plan.intervalMs) + 1 : Infinity;
  return Math.min(plan.count ?? Infinity, byDuration);
}

/** Whether the next measurement is due: an earlier call (a duplicate, an early re-invocation) measures nothing. */
export function isDue(state: BakeState | undefined, now: number): boolean {
  return state === undefined || now >= state.nextAt;
}

/**
 * Records one measurement taken at `startedAt` (its state and the reason of
 * its checks) into `previous` (undefined for the first) and says whether the
 * bake is decided or when the next measurement is due.
 */
export function recordMeasurement(plan: BakePlan, previous: BakeState | undefined, state: CheckState, why: string, startedAt: number): BakeStep {
  const counts = { ...(previous?.counts ?? { total: 0, passed: 0, failed: 0, error: 0, inconclusive: 0 }) };
  counts.total++;
  counts[state]++;
  const consecutiveErrors = state === 'error' ? (previous?.consecutiveErrors ?? 0) + 1 : 0;
  const firstAt = previous?.firstAt ?? startedAt;
  const nextAt = startedAt + plan.intervalMs;
  const bake: BakeState = { v: 1, firstAt, nextAt, counts, consecutiveErrors, last: { state, reason: clip(why, MAX_STATE_REASON_CHARS) } };
  const breach = limitReason(state, counts, consecutiveErrors, plan, `measurement ${counts.total}`, why);
  if (breach) return { kind: 'decided', state, reason: breach, bake };
  const durationEnd = plan.durationMs !== undefined ? firstAt + plan.durationMs : Infinity;
  const done = (plan.count !== undefined && counts.total >= plan.count) || nextAt > durationEnd;
  if (!done) return { kind: 'continue', bake, waitMs: Math.max(0, nextAt - Date.now()) };
  const summary = summaryOf(counts);
  if (counts.passed === 0) return { kind: 'decided', state: 'inconclusive', reason: `no measurement passed; ${summary}`, bake };
  return { kind: 'decided', state: 'passed', reason: `bake passed within limits; ${summary}`, bake };
}

/**
 * A bake state read back from outside (hookDetails, a checkpoint), checked
 * field by field: a tampered or truncated state is a HookEventError naming
 * the field, never a silently reset or miscounted bake.
 */
export function parseBakeState(value: unknown, field: string): BakeState {
  const obj = (v: unknown, at: string): Record<string, unknown> => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new HookEventError(at, 'must be an object (a bake state written by codedeploy-hooks)');
    return v as Record<string, unknown>;
  };
  const count = (v: unknown, at: string): number => {
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) throw new HookEventError(at, `must be a whole number >= 0, got ${JSON.stringify(v) ?? String(v)}`);
    return v;
  };
  const s = obj(value, field);
  if (s.v !== 1) throw new HookEventError(`${field}.v`, `must be 1 (the bake state format this version writes), got ${JSON.stringify(s.v) ?? 'nothing'}`);
  const c = obj(s.counts, `${field}.counts`);
  const counts: BakeCounts = {
    total: count(c.total, `${field}.counts.total`),
    passed: count(c.passed, `${field}.counts.passed`),
    failed: count(c.failed, `${field}.counts.failed`),
    error: count(c.error, `${field}.counts.error`),
    inconclusive: count(c.inconclusive, `${field}.counts.inconclusive`),
  };
  if (counts.passed + counts.failed + counts.error + counts.inconclusive !== counts.total) {
    throw new HookEventError(`${field}.counts`, 'do not add up to counts.total');
  }
  const last = obj(s.last, `${field}.last`);
  if (!(CHECK_STATES as readonly unknown[]).includes(last.state)) throw new HookEventError(`${field}.last.state`, `must be one of ${CHECK_STATES.join(', ')}`);
  if (typeof last.reason !== 'string') throw new HookEventError(`${field}.last.reason`, 'must be a string');
  const consecutiveErrors = count(s.consecutiveErrors, `${field}.consecutiveErrors`);
  if (consecutiveErrors > counts.error) throw new HookEventError(`${field}.consecutiveErrors`, 'exceeds counts.error');
  return {
    v: 1,
    firstAt: count(s.firstAt, `${field}.firstAt`),
    nextAt: count(s.nextAt, `${field}.nextAt`),
    counts,
    consecutiveErrors,
    last: { state: last.state as CheckState, reason: clip(last.reason, MAX_STATE_REASON_CHARS) },
  };
}
