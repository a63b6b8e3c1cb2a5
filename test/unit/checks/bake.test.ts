import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { bake } from '../../../src/checks/bake.js';
import { OptionsError } from '../../../src/errors.js';
import type { Check, CheckContext, CheckOutcome, CheckState } from '../../../src/types.js';
import { checkContext } from './cw-helpers.js';

/** A check that returns the given states in turn (the last one repeats) and records when and how it ran. */
function scripted(name: string, states: CheckState[]) {
  const runs: { at: number; ctx: CheckContext }[] = [];
  const check: Check = {
    name,
    async run(ctx) {
      runs.push({ at: Date.now(), ctx });
      const state = states[Math.min(runs.length - 1, states.length - 1)]!;
      return { state, reason: `${name} run ${runs.length}: ${state}`, details: { run: runs.length } };
    },
  };
  return { check, runs };
}

async function runWithTimers(check: Check, ctx: CheckContext = checkContext()): Promise<CheckOutcome> {
  const pending = check.run(ctx);
  await vi.runAllTimersAsync();
  return pending;
}

beforeEach(() => {
  vi.useFakeTimers({ now: Date.parse('2026-04-01T00:00:00Z') });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('bake options', () => {
  const ok = scripted('ok', ['passed']).check;
  const field = (o: object) => {
    try {
      bake(o as never);
    } catch (e) {
      expect(e).toBeInstanceOf(OptionsError);
      return (e as OptionsError).field;
    }
    return undefined;
  };

  it('validates eagerly, naming the field', () => {
    expect(field({ checks: [], intervalMs: 10, count: 1 })).toBe('bake.checks');
    expect(field({ checks: [{ name: 'x' }], intervalMs: 10, count: 1 })).toBe('bake.checks[0]');
    expect(field({ checks: [ok], count: 1 })).toBe('bake.intervalMs');
    expect(field({ checks: [ok], intervalMs: 10 })).toBe('bake');
    expect(field({ checks: [ok], intervalMs: 10, count: 1.5 })).toBe('bake.count');
    expect(field({ checks: [ok], intervalMs: 10, count: 2, failureLimit: -2 })).toBe('bake.failureLimit');
    expect(field({ checks: [ok], intervalMs: 10, count: 2, consecutiveErrorLimit: 0.5 })).toBe('bake.consecutiveErrorLimit');
    expect(field({ checks: [ok], intervalMs: 10, count: 2, initialDelayMs: -1 })).toBe('bake.initialDelayMs');
  });

  it('names itself after its checks and copies common options', () => {
    expect(bake({ checks: [ok], intervalMs: 10, count: 1 }).name).toBe('bake(ok)');
    expect(bake({ checks: [ok], intervalMs: 10, count: 1, name: 'soak', enforce: false, timeoutMs: 9000 })).toMatchObject({
      name: 'soak',
      enforce: false,
      timeoutMs: 9000,
    });
  });
});

describe('bake measurements', () => {
  it('runs count measurements every interval and passes, with every measurement in details', async () => {
    const a = scripted('a', ['passed']);
    const b = scripted('b', ['passed']);
    const out = await runWithTimers(bake({ checks: [a.check, b.check], intervalMs: 1000, count: 3 }));
    expect(out.state).toBe('passed');
    expect(out.reason).toMatch(/3 measurements: 3 passed, 0 failed, 0 errored, 0 inconclusive/);
    expect(a.runs.map((r) => r.at - a.runs[0]!.at)).toEqual([0, 1000, 2000]);
    expect(b.runs).toHaveLength(3);
    const details = out.details as { counts: Record<string, number>; measurements: { index: number; checks: unknown[] }[] };
    expect(details.counts).toEqual({ total: 3, passed: 3, failed: 0, error: 0, inconclusive: 0 });
    expect(details.measurements.map((m) => m.index)).toEqual([1, 2, 3]);
    expect(details.measurements[0]!.checks).toHaveLength(2);
  });

  it('waits initialDelayMs before the first measurement', async () => {
    const a = scripted('a', ['passed']);
    const start = Date.now();
    await runWithTimers(bake({ checks: [a.check], intervalMs: 100, count: 1, initialDelayMs: 5000 }));
    expect(a.runs[0]!.at - start).toBe(5000);
  });

  it('measures for durationMs inclusive of both ends', async () => {
    const a = scripted('a', ['passed']);
    const out = await runWithTimers(bake({ checks: [a.check], intervalMs: 4000, durationMs: 10_000 }));
    expect(out.state).toBe('passed');
    expect(a.runs.map((r) => r.at - a.runs[0]!.at)).toEqual([0, 4000, 8000]);
  });

  it('fails as soon as failures exceed failureLimit (default 0), stopping early', async () => {
    const a = scripted('alarms', ['passed', 'failed', 'passed']);
    const out = await runWithTimers(bake({ checks: [a.check], intervalMs: 1000, count: 10 }));
    expect(out.state).toBe('failed');
    expect(out.reason).toMatch(/^measurement 2 failed \(1 failed > failureLimit 0\): alarms: alarms run 2: failed/);
    expect(a.runs).toHaveLength(2);
  });

  it('tolerates failures up to failureLimit, and -1 disables the limit', async () => {
    const a = scripted('a', ['failed', 'passed', 'passed']);
    const out = await runWithTimers(bake({ checks: [a.check], intervalMs: 1000, count: 3, failureLimit: 1 }));
    expect(out.state).toBe('passed');
    expect((out.details as { counts: { failed: number } }).counts.failed).toBe(1);
    const b = scripted('b', ['failed', 'failed', 'failed', 'passed']);
    expect((await runWithTimers(bake({ checks: [b.check], intervalMs: 1000, count: 4, failureLimit: -1 }))).state).toBe('passed');
  });

  it('a measurement takes the worst state of its enforced checks', async () => {
    const good = scripted('good', ['passed']);
    const bad = scripted('bad', ['failed']);
    const dry = scripted('dry', ['failed']);
    dry.check.enforce = false;
    const out = await runWithTimers(bake({ checks: [good.check, bad.check], intervalMs: 1000, count: 2 }));
    expect(out.state).toBe('failed');
    const dryRun = await runWithTimers(bake({ checks: [good.check, dry.check], intervalMs: 1000, count: 2 }));
    expect(dryRun.state).toBe('passed');
  });

  it('errors when consecutive errors exceed consecutiveErrorLimit; interleaved passes reset the count', async () => {
    const a = scripted('a', ['error', 'error', 'error']);
    const out = await runWithTimers(bake({ checks: [a.check], intervalMs: 1000, count: 10, consecutiveErrorLimit: 2 }));
    expect(out.state).toBe('error');
    expect(out.reason).toMatch(/3 consecutive measurements errored \(> consecutiveErrorLimit 2\)/);
    expect(a.runs).toHaveLength(3);

    let n = 0;
    const flaky: Check = { name: 'flaky', run: async () => ({ state: ++n % 2 === 0 ? 'passed' : 'error', reason: `run ${n}` }) };
    const tolerant = await runWithTimers(bake({ checks: [flaky], intervalMs: 1000, count: 8, consecutiveErrorLimit: 1 }));
    expect(tolerant.state).toBe('passed');
    expect((tolerant.details as { counts: { error: number } }).counts.error).toBe(4);
  });

  it('the default consecutiveErrorLimit is 4', async () => {
    const a = scripted('a', ['error']);
    const out = await runWithTimers(bake({ checks: [a.check], intervalMs: 1000, count: 10 }));
    expect(out.state).toBe('error');
    expect(a.runs).toHaveLength(5);
  });

  it('inconclusive measurements: default limit 0 ends the bake; with -1 and no pass it is inconclusive', async () => {
    const a = scripted('metric', ['passed', 'inconclusive']);
    const out = await runWithTimers(bake({ checks: [a.check], intervalMs: 1000, count: 5 }));
    expect(out.state).toBe('inconclusive');
    expect(out.reason).toMatch(/measurement 2 inconclusive \(1 inconclusive > inconclusiveLimit 0\)/);

    const b = scripted('metric', ['inconclusive']);
    const none = await runWithTimers(bake({ checks: [b.check], intervalMs: 1000, count: 3, inconclusiveLimit: -1 }));
    expect(none.state).toBe('inconclusive');
    expect(none.reason).toMatch(/no measurement passed/);
    expect(b.runs).toHaveLength(3);
  });

  it('durationMs 0 takes exactly one measurement', async () => {
    const a = scripted('a', ['passed']);
    const out = await runWithTimers(bake({ checks: [a.check], intervalMs: 1000, durationMs: 0 }));
    expect(out.state).toBe('passed');
    expect(a.runs).toHaveLength(1);
  });

  it('caps the recorded measurements but keeps the counts', async () => {
    const a = scripted('a', ['passed']);
    const out = await runWithTimers(bake({ checks: [a.check], intervalMs: 10, count: 30, maxRecordedMeasurements: 5 }));
    const details = out.details as { counts: { total: number }; measurements: { index: number }[]; droppedMeasurements: number };
    expect(details.counts.total).toBe(30);
    expect(details.measurements.map((m) => m.index)).toEqual([26, 27, 28, 29, 30]);
    expect(details.droppedMeasurements).toBe(25);
  });
});

describe('bake and the deadline', () => {
  it('ends before ctx.deadline with a margin and, cut short of its plan, is inconclusive saying how far it got', async () => {
    const a = scripted('a', ['passed']);
    const ctx = checkContext({ deadline: Date.now() + 10_500 });
    const out = await runWithTimers(bake({ checks: [a.check], intervalMs: 1000, count: 100 }), ctx);
    expect(out.state).toBe('inconclusive');
    expect(out.reason).toBe(
      'bake cut short to finish before the hook deadline: ran 9 s of the 99 s planned and took 10 of 100 planned measurements; ' +
        '10 measurements: 10 passed, 0 failed, 0 errored, 0 inconclusive',
    );
    expect(Date.now()).toBeLessThan(ctx.deadline - 1000 + 1);
    expect(a.runs).toHaveLength(10);
    expect(out.details).toMatchObject({ endedAtDeadline: true, ranMs: 9000, planned: { count: 100, measurements: 100, spanMs: 99_000 } });
  });

  it('counts the initial delay and durationMs into the plan it reports when cut short', async () => {
    const a = scripted('a', ['passed']);
    const ctx = checkContext({ deadline: Date.now() + 30_000 });
    const out = await runWithTimers(bake({ checks: [a.check], intervalMs: 10_000, durationMs: 60_000, initialDelayMs: 5000 }), ctx);
    expect(out.state).toBe('inconclusive');
    expect(out.reason).toMatch(/^bake cut short to finish before the hook deadline: ran 25 s of the 65 s planned and took 3 of 7 planned measurements; 3 measurements: 3 passed/);
  });

  it('a measurement that would not finish before the deadline cuts the bake short too', async () => {
    // Each look takes 4 s: the third would start at 10 s and end at 14 s, past the bake's end at 12 s.
    const slow: Check = { name: 'slow', run: () => new Promise((resolve) => setTimeout(() => resolve({ state: 'passed', reason: 'ok' }), 4000)) };
    const ctx = checkContext({ deadline: Date.now() + 13_000 });
    const out = await runWithTimers(bake({ checks: [slow], intervalMs: 5000, count: 3 }), ctx);
    expect(out.state).toBe('inconclusive');
    expect(out.reason).toMatch(/took 2 of 3 planned measurements/);
  });

  it('a bake that fits passes, and a failure before the cut still fails', async () => {
    const fits = await runWithTimers(bake({ checks: [scripted('a', ['passed']).check], intervalMs: 1000, count: 9 }), checkContext({ deadline: Date.now() + 10_500 }));
    expect(fits.state).toBe('passed');
    expect(fits.details).toMatchObject({ endedAtDeadline: false });
    const failing = scripted('a', ['passed', 'failed']);
    const out = await runWithTimers(bake({ checks: [failing.check], intervalMs: 1000, count: 100 }), checkContext({ deadline: Date.now() + 10_500 }));
    expect(out.state).toBe('failed');
  });

  it('children get the parent signal, a deadline inside the bake, and a fresh attempt', async () => {
    const a = scripted('a', ['passed']);
    const parent = new AbortController();
    const ctx = checkContext({ signal: parent.signal, deadline: Date.now() + 20_000 });
    await runWithTimers(bake({ checks: [a.check], intervalMs: 1000, count: 1, deadlineMarginMs: 2000 }), ctx);
    const child = a.runs[0]!.ctx;
    expect(child.deadline).toBeLessThanOrEqual(ctx.deadline - 2000);
    expect(child.attempt).toBe(1);
    expect(child.hook).toBe(ctx.hook);
    expect(child.clients).toBe(ctx.clients);
  });

  it('aborts a hanging child at its own timeout and records an error', async () => {
    const hang: Check = { name: 'hang', timeoutMs: 500, run: () => new Promise(() => {}) };
    const out = await runWithTimers(bake({ checks: [hang], intervalMs: 1000, count: 2, consecutiveErrorLimit: 0 }));
    expect(out.state).toBe('error');
    expect(out.reason).toMatch(/hang: check hang timed out after 500 ms/);
  });

  it('records a child that throws as an error measurement', async () => {
    const boom: Check = {
      name: 'boom',
      run: async () => {
        throw new TypeError('x is undefined');
      },
    };
    const out = await runWithTimers(bake({ checks: [boom], intervalMs: 1000, count: 1, consecutiveErrorLimit: 0 }));
    expect(out.state).toBe('error');
    expect(out.reason).toMatch(/boom: threw TypeError: x is undefined/);
  });

  it('stops when the parent signal aborts, and the child sees the abort', async () => {
    const parent = new AbortController();
    let childSignal: AbortSignal | undefined;
    const slow: Check = {
      name: 'slow',
      run: (ctx) =>
        new Promise((resolve) => {
          childSignal = ctx.signal;
          ctx.signal.addEventListener('abort', () => resolve({ state: 'error', reason: 'aborted' }));
        }),
    };
    const ctx = checkContext({ signal: parent.signal });
    const pending = bake({ checks: [slow], intervalMs: 1000, count: 5 }).run(ctx);
    await vi.advanceTimersByTimeAsync(100);
    parent.abort(new Error('hook deadline'));
    await vi.runAllTimersAsync();
    const out = await pending;
    expect(childSignal?.aborted).toBe(true);
    expect(out.state).toBe('error');
    expect(out.reason).toMatch(/bake interrupted after measurement 1: hook deadline/);
  });

  it('is inconclusive when the initial delay does not fit before the deadline', async () => {
    const a = scripted('a', ['passed']);
    const ctx = checkContext({ deadline: Date.now() + 3000 });
    const out = await runWithTimers(bake({ checks: [a.check], intervalMs: 1000, count: 2, initialDelayMs: 5000 }), ctx);
    expect(out.state).toBe('inconclusive');
    expect(a.runs).toHaveLength(0);
  });
});

describe('Function: bake with a malformed child outcome (review finding)', () => {
  it('counts a child that returns an invalid state as an error, not a pass', async () => {
    const weird = { name: 'weird', run: async () => ({ state: 'Failed', reason: 'capitalised' }) as never };
    const outcome = await bake({ checks: [weird], intervalMs: 10, count: 1, consecutiveErrorLimit: 0 }).run(checkContext());
    expect(outcome.state).toBe('error');
    expect(outcome.reason).toContain('invalid outcome');
  });
});
