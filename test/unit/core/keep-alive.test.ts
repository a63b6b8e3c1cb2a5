/**
 * In-process companion to event-loop.test.ts (which proves the end-to-end
 * effect in a lone child process): the hold is one ref'd timer, kept until
 * the Lambda end plus a margin, and gone as soon as it is released.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { holdEventLoopUntil } from '../../../src/util/keep-alive.js';

const refdTimers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;

afterEach(() => vi.useRealTimers());

describe('Function: holdEventLoopUntil', () => {
  it('holds the event loop with a ref\'d timer until released', () => {
    const before = refdTimers();
    const release = holdEventLoopUntil(Date.now() + 60_000);
    expect(refdTimers()).toBe(before + 1);
    release();
    expect(refdTimers()).toBe(before);
  });

  it('lasts until the Lambda end plus a 1 s margin (fake clock)', async () => {
    vi.useFakeTimers({ now: 1_800_000_000_000 });
    holdEventLoopUntil(Date.now() + 5000);
    await vi.advanceTimersByTimeAsync(5999);
    expect(vi.getTimerCount()).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('an end already past still holds for the margin, no more (fake clock)', async () => {
    vi.useFakeTimers({ now: 1_800_000_000_000 });
    holdEventLoopUntil(Date.now() - 10_000);
    await vi.advanceTimersByTimeAsync(999);
    expect(vi.getTimerCount()).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('release ends the hold at once (fake clock)', () => {
    vi.useFakeTimers({ now: 1_800_000_000_000 });
    const release = holdEventLoopUntil(Date.now() + 5000);
    release();
    expect(vi.getTimerCount()).toBe(0);
  });
});
