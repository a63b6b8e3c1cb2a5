/**
 * callWithRetry, the retry loop under every report and every AWS read, on a
 * fake clock with the jitter pinned: which errors are retried, when each
 * attempt starts, how long it may run, and that nothing starts too close to
 * the deadline. The end-to-end side (a report retried through throttling
 * before the Lambda end) is in adapters.test.ts and lambda-budget.test.ts.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { callWithRetry, isRetryable, isThrottlingError } from '../../../src/aws-call.js';
import { awsError } from '../../helpers/codedeploy-mock.js';

const T0 = 1_800_000_000_000;
const at = () => Date.now() - T0;

beforeEach(() => {
  vi.useFakeTimers({ now: T0 });
});
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

/** Runs a call to the end on the fake clock. */
async function settle<T>(pending: Promise<T>): Promise<T> {
  let done = false;
  void pending.finally(() => (done = true));
  while (!done) await vi.advanceTimersByTimeAsync(10);
  return pending;
}

describe('Function: isThrottlingError', () => {
  it.each([
    ['ThrottlingException'],
    ['Throttling'],
    ['TooManyRequestsException'],
    ['RequestLimitExceeded'],
    ['SlowDown'],
    ['throttled'],
    ['TOOMANYREQUESTS'],
  ])('recognises %s by name, in any case', (name) => {
    expect(isThrottlingError({ name })).toBe(true);
  });

  it('recognises a legacy query Code and the SDK throttling flag', () => {
    expect(isThrottlingError({ name: 'Error', Code: 'Throttling' })).toBe(true);
    expect(isThrottlingError({ name: 'Error', $retryable: { throttling: true } })).toBe(true);
  });

  it.each([
    ['null', null],
    ['a string', 'ThrottlingException'],
    ['an access error', { name: 'AccessDeniedException' }],
    ['a retryable non-throttling error', { name: 'Error', $retryable: { throttling: false } }],
    ['an error with no name', {}],
  ])('does not take %s for throttling', (_label, value) => {
    expect(isThrottlingError(value)).toBe(false);
  });
});

describe('Function: isRetryable', () => {
  it('retries throttling even when its status is 4xx', () => {
    expect(isRetryable(awsError('ThrottlingException', 400))).toBe(true);
  });

  it('retries what the SDK marks retryable', () => {
    expect(isRetryable({ name: 'Error', $retryable: {}, $metadata: { httpStatusCode: 400 } })).toBe(true);
  });

  it('retries 5xx and not 4xx', () => {
    expect(isRetryable(awsError('InternalFailure', 500))).toBe(true);
    expect(isRetryable(awsError('ServiceUnavailable', 503))).toBe(true);
    expect(isRetryable(awsError('AccessDeniedException', 499))).toBe(false);
    expect(isRetryable(awsError('AccessDeniedException', 400))).toBe(false);
  });

  it('retries errors that never got an answer (no HTTP status), whatever was thrown', () => {
    expect(isRetryable(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))).toBe(true);
    expect(isRetryable(undefined)).toBe(true);
    expect(isRetryable(null)).toBe(true);
  });
});

describe('Function: callWithRetry', () => {
  it('returns the first answer with the attempt count, leaving no timer behind', async () => {
    const result = await settle(callWithRetry(async () => 'ok', { deadline: T0 + 10_000 }));
    expect(result).toEqual({ ok: true, value: 'ok', attempts: 1 });
    expect(vi.getTimerCount()).toBe(0);
  });

  it('stops at once on an error that is not retryable, returning it', async () => {
    const denied = awsError('AccessDeniedException', 400);
    const call = vi.fn(async () => Promise.reject(denied));
    const result = await settle(callWithRetry(call, { deadline: T0 + 10_000 }));
    expect(result).toEqual({ ok: false, error: denied, attempts: 1 });
    expect(call).toHaveBeenCalledTimes(1);
  });

  it('backs off 100 ms doubling up to 2 s, jittered by ×0.5–1.5 (low end)', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    const starts: number[] = [];
    let failures = 8;
    const result = await settle(
      callWithRetry(async () => {
        starts.push(at());
        if (failures-- > 0) throw awsError('ThrottlingException', 400);
        return 'done';
      }, { deadline: T0 + 60_000 }),
    );
    expect(result).toEqual({ ok: true, value: 'done', attempts: 9 });
    // waits 50, 100, 200, 400, 800, then the 2 s cap halved: 1000, 1000, 1000
    expect(starts).toEqual([0, 50, 150, 350, 750, 1550, 2550, 3550, 4550]);
  });

  it('backs off at the high end of the jitter too', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.75);
    const starts: number[] = [];
    let failures = 2;
    await settle(
      callWithRetry(async () => {
        starts.push(at());
        if (failures-- > 0) throw awsError('ServiceUnavailable', 503);
        return 'done';
      }, { deadline: T0 + 60_000 }),
    );
    // ×1.25: waits 125, 250
    expect(starts).toEqual([0, 125, 375]);
  });

  it('shortens the last wait to the deadline, starts nothing with under 50 ms left, and returns the last error', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    const starts: number[] = [];
    let n = 0;
    const result = await settle(
      callWithRetry(async () => {
        starts.push(at());
        throw Object.assign(awsError('ServiceUnavailable', 503), { attempt: ++n });
      }, { deadline: T0 + 1000 }),
    );
    // 750 + min(800, 1000 − 750 − 50) = 950: exactly 50 ms left, enough for one more; then no time to wait.
    expect(starts).toEqual([0, 50, 150, 350, 750, 950]);
    expect(result.ok).toBe(false);
    expect(result.attempts).toBe(6);
    expect((result.error as { attempt: number }).attempt).toBe(6);
    expect(at()).toBeLessThan(1000);
  });

  it('starts no attempt with less than 50 ms left', async () => {
    const call = vi.fn(async () => 'never');
    const result = await settle(callWithRetry(call, { deadline: T0 + 49 }));
    expect(call).not.toHaveBeenCalled();
    expect(result.ok).toBe(false);
    expect(result.attempts).toBe(0);
    expect((result.error as Error).message).toBe('no time left to call AWS');
  });

  it.each([
    ['the given attempt timeout', { deadline: T0 + 60_000, attemptTimeoutMs: 300 }, 300],
    ['10 s by default', { deadline: T0 + 60_000 }, 10_000],
    ['half the time left when that is over 1 s', { deadline: T0 + 4000 }, 2000],
    ['1 s when half the time left is less', { deadline: T0 + 1500 }, 1000],
    ['all the time left when under 1 s', { deadline: T0 + 800 }, 800],
  ])('gives one attempt %s, aborting its signal then', async (_label, options, ms) => {
    const signals: AbortSignal[] = [];
    const pending = callWithRetry((signal) => {
      signals.push(signal);
      return new Promise<never>(() => {}); // ignores the signal: the race must end it
    }, options);
    await vi.advanceTimersByTimeAsync(ms - 1);
    expect(signals).toHaveLength(1);
    expect(signals[0]!.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(signals[0]!.aborted).toBe(true);
    expect((signals[0]!.reason as Error).name).toBe('TimeoutError');
    expect((signals[0]!.reason as Error).message).toBe(`AWS call timed out after ${ms} ms`);
    const result = await settle(pending);
    expect(result.ok).toBe(false);
    expect((result.error as Error).name).toBe('TimeoutError');
  });

  it('starts nothing once the caller\'s signal has aborted', async () => {
    const controller = new AbortController();
    controller.abort(new Error('hook deadline'));
    const call = vi.fn(async () => 'never');
    const result = await settle(callWithRetry(call, { deadline: T0 + 10_000, signal: controller.signal }));
    expect(call).not.toHaveBeenCalled();
    expect(result).toMatchObject({ ok: false, attempts: 0 });
  });

  it('ends the running attempt and the back-off when the caller\'s signal aborts', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    const controller = new AbortController();
    const seen: AbortSignal[] = [];
    const throttled = awsError('ThrottlingException', 400);
    const call = vi.fn(async (signal: AbortSignal) => {
      seen.push(signal);
      throw throttled;
    });
    const pending = callWithRetry(call, { deadline: T0 + 60_000, signal: controller.signal });
    await vi.advanceTimersByTimeAsync(60); // attempts at 0 and 50, then a 100 ms wait
    expect(call).toHaveBeenCalledTimes(2);
    controller.abort(new Error('hook deadline'));
    const result = await settle(pending);
    expect(at()).toBeLessThan(150);
    expect(result).toEqual({ ok: false, error: throttled, attempts: 2 });

    // An attempt in flight is cut off by the caller's signal, which the call sees.
    const c2 = new AbortController();
    const hung: AbortSignal[] = [];
    const running = callWithRetry((signal) => (hung.push(signal), new Promise<never>(() => {})), { deadline: Date.now() + 60_000, signal: c2.signal });
    await vi.advanceTimersByTimeAsync(100);
    c2.abort(new Error('hook deadline'));
    const r2 = await settle(running);
    expect(hung[0]!.aborted).toBe(true);
    expect(r2).toMatchObject({ ok: false, attempts: 1 });
    expect((r2.error as Error).message).toBe('hook deadline');
  });
});
