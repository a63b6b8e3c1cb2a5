/**
 * The abort helpers every deadline rests on, on a fake clock: what reason a
 * signal carries, that an already-aborted input is seen at once, and that
 * a wait ends as soon as its signal fires.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { abortReason, anySignal, sleep, timeoutSignal, untilAborted } from '../../../src/util/abort.js';

beforeEach(() => {
  vi.useFakeTimers({ now: 1_800_000_000_000 });
});
afterEach(() => vi.useRealTimers());

const aborted = (reason: unknown) => {
  const c = new AbortController();
  c.abort(reason);
  return c.signal;
};

describe('Function: timeoutSignal', () => {
  it('aborts after ms with a TimeoutError saying so, unless cleared', async () => {
    const t = timeoutSignal(100);
    await vi.advanceTimersByTimeAsync(99);
    expect(t.signal.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(t.signal.reason).toMatchObject({ name: 'TimeoutError', message: 'timed out after 100 ms' });
    const cleared = timeoutSignal(100, 'custom');
    cleared.clear();
    await vi.advanceTimersByTimeAsync(200);
    expect(cleared.signal.aborted).toBe(false);
  });

  it('does not hold the event loop', () => {
    vi.useRealTimers();
    const before = process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const t = timeoutSignal(60_000);
    expect(process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length).toBe(before);
    t.clear();
  });
});

describe('Function: anySignal', () => {
  it('takes the reason of an input already aborted, and of one that aborts later', () => {
    const first = anySignal([undefined, aborted('early'), aborted('second')]);
    expect(first.signal.reason).toBe('early');
    const c = new AbortController();
    const later = anySignal([new AbortController().signal, c.signal]);
    expect(later.signal.aborted).toBe(false);
    c.abort('late');
    expect(later.signal.reason).toBe('late');
  });

  it('stops following its inputs once disposed', () => {
    const c = new AbortController();
    const combined = anySignal([c.signal]);
    combined.dispose();
    c.abort('after dispose');
    expect(combined.signal.aborted).toBe(false);
  });
});

describe('Function: sleep', () => {
  it('resolves after ms, and at once for a negative ms', async () => {
    let done = false;
    void sleep(100).then(() => (done = true));
    await vi.advanceTimersByTimeAsync(99);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(done).toBe(true);
    let negative = false;
    void sleep(-50).then(() => (negative = true));
    await vi.advanceTimersByTimeAsync(0);
    expect(negative).toBe(true);
  });

  it('rejects with the reason when its signal is already aborted or aborts during the wait', async () => {
    await expect(sleep(100, aborted('gone'))).rejects.toBe('gone');
    const c = new AbortController();
    const pending = sleep(1000, c.signal);
    c.abort('stop');
    await expect(pending).rejects.toBe('stop');
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('Function: abortReason', () => {
  it('reads an Error, any other value, and no reason at all', () => {
    expect(abortReason(aborted(new Error('deadline')))).toBe('deadline');
    expect(abortReason(aborted(42))).toBe('42');
    const c = new AbortController();
    Object.defineProperty(c.signal, 'reason', { value: undefined });
    expect(abortReason(c.signal)).toBe('aborted');
  });
});

describe('Function: untilAborted', () => {
  it('settles with the promise when it comes first', async () => {
    await expect(untilAborted(Promise.resolve('v'), new AbortController().signal)).resolves.toBe('v');
    await expect(untilAborted(Promise.reject(new Error('x')), new AbortController().signal)).rejects.toThrow('x');
  });

  it('rejects at once on a signal already aborted, or when it aborts, with the given reason', async () => {
    await expect(untilAborted(new Promise(() => {}), aborted('was aborted'))).rejects.toBe('was aborted');
    const c = new AbortController();
    const pending = untilAborted(new Promise(() => {}), c.signal, () => new Error('own reason'));
    c.abort('signal reason');
    await expect(pending).rejects.toThrow('own reason');
  });
});
