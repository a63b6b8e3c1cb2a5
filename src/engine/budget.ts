import { MAX_LAMBDA_MS } from '../settings.js';
import type { LambdaContextLike } from '../types.js';

/** Left unused at the very end of the Lambda time so the last delivery attempt can finish. */
export const FINAL_MARGIN_MS = 100;
/** The least time kept for delivering the verdict, whatever reserveMs says (0 would leave none). */
const MIN_RESERVE_MS = 500;
/** The least time kept for delivering even when half the time left is less. */
const REPORT_FLOOR_MS = 300;

/**
 * When checks must stop: the Lambda end minus the reserve. The reserve is at
 * least MIN_RESERVE_MS and at most half of the time left, so a 3 s Lambda
 * still runs its checks and a reserve of 0 still leaves time to report.
 */
export function checksDeadlineOf(lambdaEnd: number, reserveMs: number): number {
  const left = lambdaEnd - Date.now();
  const reserve = Math.min(Math.max(reserveMs, MIN_RESERVE_MS), left / 2);
  // With almost no time left, all of it goes to the report: half of 250 ms could not carry an attempt.
  return lambdaEnd - Math.min(left, Math.max(reserve, REPORT_FLOOR_MS));
}

/** The Lambda time left, capped at Lambda's longest; `fallback` when the context cannot tell. */
export function remainingTime(context: LambdaContextLike | undefined, fallback: number): number {
  try {
    // Stryker disable next-line OptionalChaining: a TypeError here is caught below and gives the same fallback
    const ms = context?.getRemainingTimeInMillis?.();
    // Stryker disable next-line ConditionalExpression: Number.isFinite is false for every non-number; the typeof is for the type checker
    if (typeof ms === 'number' && Number.isFinite(ms) && ms >= 0) return Math.min(ms, MAX_LAMBDA_MS);
  } catch {
    // A broken context gets the fallback budget.
  }
  return fallback;
}
