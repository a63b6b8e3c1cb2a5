/**
 * bake(): repeated measurement with Argo Rollouts semantics. Runs a set of
 * checks every interval for a duration or a count; the bake fails when
 * failures exceed failureLimit, errors when consecutive errors exceed
 * consecutiveErrorLimit, and is inconclusive when inconclusive measurements
 * exceed inconclusiveLimit. It stops early on a decisive result and always
 * ends before the hook deadline; a bake the deadline cut short of its planned
 * measurements is inconclusive, never passed, because what it did not watch
 * could have failed.
 */
import { OptionsError, describeError } from '../errors.js';
import { abortReason, anySignal, sleep, timeoutSignal } from '../util/abort.js';
import type { Check, CheckContext, CheckOutcome, CheckState } from '../types.js';
import { commonFields } from './cw-common.js';
import { show } from '../util/show.js';
import { validOutcome } from '../engine/outcome.js';
import { limitReason, plannedMeasurements, reasonsOf, summaryOf, worstState } from '../engine/bake-state.js';
import { formatDuration, requirePositive, type CommonCheckOptions, COMMON_KEYS, rejectUnknownKeys } from './common.js';

export interface BakeOptions extends CommonCheckOptions {
  /** Checks run (in parallel) at each measurement. */
  checks: Check[];
  /** Time between the starts of two measurements. */
  intervalMs: number;
  /** Keep measuring until this long after the first measurement (inclusive). */
  durationMs?: number;
  /** Number of measurements. With durationMs too, whichever ends first. */
  count?: number;
  /** Wait before the first measurement. @default 0 */
  initialDelayMs?: number;
  /** Failed when failed measurements > this; -1 disables. @default 0 */
  failureLimit?: number;
  /** Error when consecutive errored measurements > this; -1 disables. @default 4 */
  consecutiveErrorLimit?: number;
  /** Inconclusive when inconclusive measurements > this; -1 disables. @default 0 (as Argo Rollouts) */
  inconclusiveLimit?: number;
  /** Time kept free before ctx.deadline. @default 1000 */
  deadlineMarginMs?: number;
  /** Measurements listed in details (the most recent); counts cover all. @default 20 */
  maxRecordedMeasurements?: number;
}

interface Measurement {
  index: number;
  startedAt: string;
  durationMs: number;
  state: CheckState;
  checks: { name: string; state: CheckState; reason: string; enforced: boolean; details?: Record<string, unknown> }[];
}

function limit(value: number | undefined, fallback: number, field: string): number {
  const v = value ?? fallback;
  if (!(Number.isInteger(v) && v >= -1)) throw new OptionsError(field, `must be a whole number >= 0, or -1 to disable; got ${show(v)}`);
  return v;
}

const BAKE_KEYS = ['checks', 'intervalMs', 'durationMs', 'count', 'initialDelayMs', 'failureLimit', 'consecutiveErrorLimit', 'inconclusiveLimit', 'deadlineMarginMs', 'maxRecordedMeasurements'];

export function bake(options: BakeOptions): Check {
  const field = 'bake';
  if (typeof options !== 'object' || options === null) throw new OptionsError(field, 'options object is required');
  rejectUnknownKeys(options as unknown as Record<string, unknown>, [...COMMON_KEYS, ...BAKE_KEYS], field);
  if (!Array.isArray(options.checks) || options.checks.length === 0) {
    throw new OptionsError(`${field}.checks`, 'must be a non-empty array of checks');
  }
  options.checks.forEach((c, i) => {
    if (typeof c !== 'object' || c === null || typeof c.run !== 'function' || typeof c.name !== 'string') {
      throw new OptionsError(`${field}.checks[${i}]`, 'must be a check ({ name, run })');
    }
  });
  const base = commonFields(options, `bake(${options.checks.map((c) => c.name).join(', ')})`, field);
  requirePositive(options.intervalMs, `${field}.intervalMs`);
  if (options.durationMs === undefined && options.count === undefined) {
    throw new OptionsError(field, 'give durationMs or count (or both)');
  }
  if (options.durationMs !== undefined) requirePositive(options.durationMs, `${field}.durationMs`, { allowZero: true });
  if (options.count !== undefined) requirePositive(options.count, `${field}.count`, { integer: true });
  const initialDelayMs = options.initialDelayMs ?? 0;
  requirePositive(initialDelayMs, `${field}.initialDelayMs`, { allowZero: true });
  const failureLimit = limit(options.failureLimit, 0, `${field}.failureLimit`);
  const consecutiveErrorLimit = limit(options.consecutiveErrorLimit, 4, `${field}.consecutiveErrorLimit`);
  const inconclusiveLimit = limit(options.inconclusiveLimit, 0, `${field}.inconclusiveLimit`);
  const margin = options.deadlineMarginMs ?? 1000;
  requirePositive(margin, `${field}.deadlineMarginMs`, { allowZero: true });
  const keep = options.maxRecordedMeasurements ?? 20;
  requirePositive(keep, `${field}.maxRecordedMeasurements`, { integer: true });
  const plan = planOf(options.intervalMs, options.count, options.durationMs, initialDelayMs);
  const limits = { failureLimit, consecutiveErrorLimit, inconclusiveLimit };

  return {
    ...base,
    async run(ctx) {
      const bakeStart = Date.now();
      const endBy = ctx.deadline - margin;
      const recorded: Measurement[] = [];
      const counts = { total: 0, passed: 0, failed: 0, error: 0, inconclusive: 0 };
      let consecutiveErrors = 0;
      let truncated = false;
      const details = () => ({
        counts: { ...counts },
        planned: { count: options.count ?? null, durationMs: options.durationMs ?? null, intervalMs: options.intervalMs, measurements: plan.measurements, spanMs: plan.spanMs },
        limits: { ...limits },
        endedAtDeadline: truncated,
        ranMs: Date.now() - bakeStart,
        measurements: recorded,
        droppedMeasurements: counts.total - recorded.length,
      });
      const stoppedBy = (what: string): CheckOutcome => ({ state: 'error', reason: `bake interrupted ${what}`, details: details() });

      if (initialDelayMs > 0) {
        if (Date.now() + initialDelayMs >= endBy) {
          return {
            state: 'inconclusive',
            reason: `initial delay of ${formatDuration(initialDelayMs)} does not fit before the hook deadline; no measurement taken`,
            details: details(),
          };
        }
        try {
          await sleep(initialDelayMs, ctx.signal);
        } catch {
          return stoppedBy(`during the initial delay: ${abortReason(ctx.signal)}`);
        }
      }

      const firstAt = Date.now();
      const durationEnd = options.durationMs !== undefined ? firstAt + options.durationMs : Infinity;
      let lastDuration = 0;
      for (let index = 1; ; index++) {
        const startedAt = Date.now();
        if (startedAt >= endBy) {
          truncated = true;
          break;
        }
        const m = await measure(ctx, options.checks, index, endBy);
        lastDuration = m.durationMs;
        counts.total++;
        counts[m.state]++;
        recorded.push(m);
        if (recorded.length > keep) recorded.shift();
        consecutiveErrors = m.state === 'error' ? consecutiveErrors + 1 : 0;

        const breach = limitReason(m.state, counts, consecutiveErrors, limits, `measurement ${index}`, reasonsOf(m.checks, m.state));
        if (breach) return { state: m.state, reason: breach, details: details() };
        if (ctx.signal.aborted) return stoppedBy(`after measurement ${index}: ${abortReason(ctx.signal)}`);

        if (options.count !== undefined && index >= options.count) break;
        const nextAt = startedAt + options.intervalMs;
        if (nextAt > durationEnd) break;
        // The next measurement must be able to finish (assume it takes as long as the last) before the deadline.
        if (nextAt + lastDuration >= endBy) {
          truncated = true;
          break;
        }
        try {
          await sleep(nextAt - Date.now(), ctx.signal);
        } catch {
          return stoppedBy(`after measurement ${index}: ${abortReason(ctx.signal)}`);
        }
      }

      const summary = summaryOf(counts);
      if (truncated) {
        // Fewer measurements than planned: the unwatched rest could have failed, so this is no pass.
        const ran = `ran ${formatDuration(Date.now() - bakeStart)} of the ${formatDuration(plan.spanMs)} planned and took ${counts.total} of ${plan.measurements} planned measurements`;
        return {
          state: 'inconclusive',
          reason: `bake cut short to finish before the hook deadline: ${ran}; ${summary}`,
          details: details(),
        };
      }
      if (counts.passed === 0) {
        return { state: 'inconclusive', reason: `no measurement passed; ${summary}`, details: details() };
      }
      return { state: 'passed', reason: `bake passed within limits; ${summary}`, details: details() };
    },
  };
}

/**
 * What the options ask for: how many measurements (count, or one every
 * interval over durationMs with both ends included, whichever is fewer) and
 * how long from the bake's start to the start of the last one.
 */
function planOf(intervalMs: number, count: number | undefined, durationMs: number | undefined, initialDelayMs: number): { measurements: number; spanMs: number } {
  const measurements = plannedMeasurements({ intervalMs, count, durationMs });
  return { measurements, spanMs: initialDelayMs + (measurements - 1) * intervalMs };
}

/** One measurement: every check in parallel, each under the parent signal, its own timeout and the bake's end. */
async function measure(ctx: CheckContext, checks: Check[], index: number, endBy: number): Promise<Measurement> {
  const started = Date.now();
  const results = await Promise.all(checks.map((check) => runChild(ctx, check, endBy)));
  return { index, startedAt: new Date(started).toISOString(), durationMs: Date.now() - started, state: worstState(results), checks: results };
}

async function runChild(ctx: CheckContext, check: Check, endBy: number): Promise<Measurement['checks'][number]> {
  const enforced = check.enforce !== false;
  const now = Date.now();
  const deadline = Math.min(endBy, check.timeoutMs !== undefined ? now + check.timeoutMs : Infinity);
  const timer = timeoutSignal(deadline - now, `check ${check.name} timed out after ${deadline - now} ms`);
  const combined = anySignal([ctx.signal, timer.signal]);
  const child: CheckContext = { ...ctx, signal: combined.signal, deadline, attempt: 1 };
  let onAbort: (() => void) | undefined;
  try {
    // A check that ignores its signal must not hold the bake past the deadline.
    const aborted = new Promise<never>((_, reject) => {
      onAbort = () => reject(combined.signal.reason);
      if (combined.signal.aborted) onAbort();
      else combined.signal.addEventListener('abort', onAbort, { once: true });
    });
    // Validated like any check's outcome: a malformed one is an error, never a pass.
    const outcome = validOutcome(await Promise.race([Promise.resolve().then(() => check.run(child)), aborted]));
    const entry: Measurement['checks'][number] = { name: check.name, state: outcome.state, reason: outcome.reason, enforced };
    if (outcome.details) entry.details = outcome.details;
    return entry;
  } catch (error) {
    // Inside a bake a timeout is a measurement error (Argo Rollouts), counted by consecutiveErrorLimit.
    const reason = combined.signal.aborted ? abortReason(combined.signal) : `threw ${describeError(error).name}: ${describeError(error).message}`;
    return { name: check.name, state: 'error', reason, enforced };
  } finally {
    if (onAbort) combined.signal.removeEventListener('abort', onAbort);
    timer.clear();
    combined.dispose();
  }
}
