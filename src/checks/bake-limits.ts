/**
 * How a bake's measurements add up, with Argo Rollouts' limits, in a plain
 * serializable tally: the in-process bake() keeps one in memory, a bake that
 * spans invocations (a durable execution's checkpoints) carries it between
 * them, and both judge a measurement the same way.
 */
import type { CheckState } from '../types.js';

export interface BakeLimits {
  /** Failed when failed measurements > this; -1 disables. */
  failureLimit: number;
  /** Error when consecutive errored measurements > this; -1 disables. */
  consecutiveErrorLimit: number;
  /** Inconclusive when inconclusive measurements > this; -1 disables. */
  inconclusiveLimit: number;
}

/** Argo Rollouts' defaults. */
export const DEFAULT_LIMITS: BakeLimits = { failureLimit: 0, consecutiveErrorLimit: 4, inconclusiveLimit: 0 };

export interface BakeTally {
  counts: { total: number; passed: number; failed: number; error: number; inconclusive: number };
  consecutiveErrors: number;
}

export const emptyTally = (): BakeTally => ({ counts: { total: 0, passed: 0, failed: 0, error: 0, inconclusive: 0 }, consecutiveErrors: 0 });

/**
 * Counts one measurement (in place) and says whether a limit now decides the
 * bake. `why` is the measurement's own explanation (the checks that gave its state).
 */
export function countMeasurement(
  tally: BakeTally,
  index: number,
  state: CheckState,
  why: string,
  limits: BakeLimits,
): { state: CheckState; reason: string } | undefined {
  const { counts } = tally;
  counts.total++;
  counts[state]++;
  tally.consecutiveErrors = state === 'error' ? tally.consecutiveErrors + 1 : 0;
  const where = `measurement ${index}`;
  if (state === 'failed' && limits.failureLimit >= 0 && counts.failed > limits.failureLimit) {
    return { state: 'failed', reason: `${where} failed (${counts.failed} failed > failureLimit ${limits.failureLimit}): ${why}` };
  }
  if (state === 'error' && limits.consecutiveErrorLimit >= 0 && tally.consecutiveErrors > limits.consecutiveErrorLimit) {
    return {
      state: 'error',
      reason: `${tally.consecutiveErrors} consecutive measurements errored (> consecutiveErrorLimit ${limits.consecutiveErrorLimit}); last: ${why}`,
    };
  }
  if (state === 'inconclusive' && limits.inconclusiveLimit >= 0 && counts.inconclusive > limits.inconclusiveLimit) {
    return { state: 'inconclusive', reason: `${where} inconclusive (${counts.inconclusive} inconclusive > inconclusiveLimit ${limits.inconclusiveLimit}): ${why}` };
  }
  return undefined;
}

/** "3 measurements: 3 passed, 0 failed, 0 errored, 0 inconclusive" */
export function tallySummary({ counts }: BakeTally): string {
  return (
    `${counts.total} measurement${counts.total === 1 ? '' : 's'}: ${counts.passed} passed, ${counts.failed} failed, ` +
    `${counts.error} errored, ${counts.inconclusive} inconclusive`
  );
}
