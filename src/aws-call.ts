import { sleep, timeoutSignal, anySignal, untilAborted } from './util/abort.js';

/** What a failed AWS call looks like to the retry logic. */
interface AwsErrorLike {
  name?: string;
  code?: string;
  $retryable?: unknown;
  $metadata?: { httpStatusCode?: number };
}

const THROTTLING = /throttl|toomanyrequests|requestlimitexceeded|slowdown/i;

/** An AWS throttling error, by name, by legacy query code, or by the SDK's own flag. */
export function isThrottlingError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const e = error as AwsErrorLike & { Code?: string; $retryable?: { throttling?: boolean } };
  // Stryker disable next-line StringLiteral: any fallback that is not a throttling name is the same
  return THROTTLING.test(e.name ?? '') || THROTTLING.test(e.Code ?? '') || e.$retryable?.throttling === true;
}

/** Throttling, 5xx, timeouts and connection failures are worth another try; 4xx are not. */
export function isRetryable(error: unknown): boolean {
  const e = (error ?? {}) as AwsErrorLike;
  if (isThrottlingError(error)) return true;
  if (e.$retryable) return true;
  const status = e.$metadata?.httpStatusCode;
  if (status !== undefined) return status >= 500;
  // No HTTP status: the request never got an answer (reset, refused, timeout).
  return true;
}

const MIN_ATTEMPT_MS = 50;

export interface CallOptions {
  /** Epoch ms after which no attempt starts and the running one is aborted. */
  deadline: number;
  /** Aborts everything (e.g. the hook deadline). */
  signal?: AbortSignal;
  /** Upper bound for one attempt, ms. @default 10000 */
  attemptTimeoutMs?: number;
}

export interface CallResult<T> {
  ok: boolean;
  value?: T;
  error?: unknown;
  attempts: number;
}

/**
 * Runs `call` with retries on retryable errors until it succeeds or the
 * deadline leaves no room. Each attempt gets its own timeout (at most half
 * of the time left, so a hung first attempt still leaves room for a second).
 */
export async function callWithRetry<T>(call: (signal: AbortSignal) => Promise<T>, options: CallOptions): Promise<CallResult<T>> {
  let attempts = 0;
  let delay = 100;
  let lastError: unknown;
  for (;;) {
    const left = options.deadline - Date.now();
    // An attempt with less time than this cannot get an answer; starting it only risks overrunning the deadline.
    if (left < MIN_ATTEMPT_MS || options.signal?.aborted) break;
    attempts += 1;
    const perAttempt = Math.min(options.attemptTimeoutMs ?? 10_000, Math.max(left / 2, Math.min(left, 1000)));
    const timeout = timeoutSignal(perAttempt, `AWS call timed out after ${Math.round(perAttempt)} ms`);
    const combined = anySignal([timeout.signal, options.signal]);
    try {
      // Raced against its own timeout: a client that ignores abortSignal must not hold the caller past it.
      const value = await untilAborted(call(combined.signal), combined.signal);
      return { ok: true, value, attempts };
    } catch (error) {
      lastError = error;
      if (!isRetryable(error)) return { ok: false, error, attempts };
    } finally {
      timeout.clear();
      combined.dispose();
    }
    const wait = Math.min(delay * (0.5 + Math.random()), options.deadline - Date.now() - 50);
    // Stryker disable next-line EqualityOperator: a 0 ms sleep lasts >= 1 ms, after which under 50 ms are left and the loop ends anyway
    if (wait <= 0) break;
    try {
      await sleep(wait, options.signal);
    } catch {
      break;
    }
    delay = Math.min(delay * 2, 2000);
  }
  return { ok: false, error: lastError ?? new Error('no time left to call AWS'), attempts };
}
