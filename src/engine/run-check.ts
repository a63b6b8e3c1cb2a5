import { describeError } from '../errors.js';
import { abortReason, anySignal, sleep, timeoutSignal } from '../util/abort.js';
import type { Check, CheckContext, CheckOutcome, CheckResult } from '../types.js';
import { clip } from '../util/show.js';
import { MAX_REASON_CHARS, validOutcome } from './outcome.js';

/** Everything a check's context needs except what varies per attempt. */
export type CheckEnvironment = Omit<CheckContext, 'signal' | 'deadline' | 'attempt'>;

const DEFAULT_RETRY_IF = (o: CheckOutcome) => o.state === 'failed' || o.state === 'error';

/**
 * Runs one check to a result under its timeout, its retry policy and the
 * hook deadline. Never throws: a throw, a malformed outcome, a timeout and
 * a check that ignores its abort signal all become states with reasons.
 */
export async function runCheck(check: Check, env: CheckEnvironment, hookDeadline: number, hookSignal: AbortSignal): Promise<CheckResult> {
  const started = Date.now();
  const retry = check.retry ?? { attempts: 1 };
  let delay = retry.delayMs ?? 1000;
  let attempt = 0;
  let outcome: CheckOutcome;
  for (;;) {
    attempt += 1;
    outcome = await attemptCheck(check, env, attempt, hookDeadline, hookSignal);
    const retryIf = retry.retryIf ?? DEFAULT_RETRY_IF;
    if (attempt >= retry.attempts || outcome.state === 'passed' || !safeRetryIf(retryIf, outcome)) break;
    // Only retry when the wait and some time to run still fit before the deadline.
    if (hookSignal.aborted || Date.now() + delay >= hookDeadline) break;
    try {
      await sleep(delay, hookSignal);
    } catch {
      break;
    }
    delay *= retry.backoff ?? 2;
  }
  const result: CheckResult = {
    name: check.name,
    state: outcome.state,
    reason: attempt > 1 ? `${outcome.reason} (after ${attempt} attempts)` : outcome.reason,
    enforced: check.enforce !== false,
    durationMs: Date.now() - started,
    attempts: attempt,
  };
  if (outcome.details !== undefined) result.details = outcome.details;
  return result;
}

function safeRetryIf(retryIf: (o: CheckOutcome) => boolean, outcome: CheckOutcome): boolean {
  try {
    return retryIf(outcome);
  } catch {
    return false;
  }
}

async function attemptCheck(
  check: Check,
  env: CheckEnvironment,
  attempt: number,
  hookDeadline: number,
  hookSignal: AbortSignal,
): Promise<CheckOutcome> {
  if (hookSignal.aborted) return deadlineOutcome();
  const now = Date.now();
  const ownDeadline = check.timeoutMs !== undefined ? now + check.timeoutMs : Infinity;
  const deadline = Math.min(ownDeadline, hookDeadline);
  // Only a timeout shorter than the hook deadline gets its own timer; otherwise
  // the hook deadline fires and the reason must say "deadline", not "timeout".
  // Stryker disable next-line ConditionalExpression,EqualityOperator: a timer at the hook deadline fires after the hook's own, so the reason stays "deadline"
  const timeout = ownDeadline < hookDeadline ? timeoutSignal(deadline - now, `check timed out after ${check.timeoutMs} ms`) : undefined;
  const combined = anySignal([hookSignal, timeout?.signal]);
  const signal = combined.signal;
  const ctx: CheckContext = { ...env, signal, deadline, attempt };
  // The race ends the attempt at the abort even if the check ignores its signal.
  let onAbort!: () => void;
  const aborted = new Promise<'aborted'>((resolve) => {
    onAbort = () => resolve('aborted');
    // Stryker disable next-line ObjectLiteral,BooleanLiteral: a signal aborts once; the listener is removed in finally
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    const settled = await Promise.race([
      Promise.resolve()
        .then(() => check.run(ctx))
        .then(
          (value) => ({ value }),
          (error: unknown) => ({ error }),
        ),
      aborted,
    ]);
    if (settled === 'aborted') {
      if (hookSignal.aborted) return deadlineOutcome();
      return { state: 'failed', reason: `timeout: ${abortReason(signal)}` };
    }
    if ('error' in settled) {
      // A check that rejects because its signal fired is a timeout, not a bug.
      // Stryker disable next-line all: our abort listener is registered before the check runs, so the race sees an abort before any rejection it causes; kept as a second wall
      if (signal.aborted) return hookSignal.aborted ? deadlineOutcome() : { state: 'failed', reason: `timeout: ${abortReason(signal)}` };
      const { name, message } = describeError(settled.error);
      return { state: 'error', reason: clip(`check threw ${name}: ${message}`, MAX_REASON_CHARS) };
    }
    return validOutcome(settled.value);
  } finally {
    // Stryker disable next-line StringLiteral: a listener left on a settled race has no effect (it resolves a promise no one awaits)
    signal.removeEventListener('abort', onAbort);
    timeout?.clear();
    combined.dispose();
  }
}

function deadlineOutcome(): CheckOutcome {
  return { state: 'failed', reason: "deadline: the hook's time budget ran out before the check finished" };
}
