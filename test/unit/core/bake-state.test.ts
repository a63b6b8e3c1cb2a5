import { describe, expect, it } from 'vitest';
import { isDue, parseBakeState, recordMeasurement, worstState } from '../../../src/engine/bake-state.js';
import type { BakePlan, BakeState, BakeStep } from '../../../src/engine/bake-state.js';
import { HookEventError } from '../../../src/errors.js';
import type { CheckState } from '../../../src/types.js';

const T0 = Date.parse('2026-04-01T00:00:00Z');
const plan = (over: Partial<BakePlan> = {}): BakePlan => ({ intervalMs: 60_000, durationMs: 300_000, failureLimit: 0, consecutiveErrorLimit: 4, inconclusiveLimit: 0, ...over });

/** Runs measurements one a minute, as separate invocations would: the state goes through JSON each time. */
function run(p: BakePlan, states: CheckState[]): { steps: BakeStep[]; last: BakeStep } {
  const steps: BakeStep[] = [];
  let state: BakeState | undefined;
  for (const [i, s] of states.entries()) {
    const step = recordMeasurement(p, state, s, `m${i + 1} ${s}`, T0 + i * p.intervalMs);
    steps.push(step);
    if (step.kind === 'decided') break;
    state = parseBakeState(JSON.parse(JSON.stringify(step.bake)), 'hookDetails.bake');
  }
  return { steps, last: steps.at(-1)! };
}

describe('bake state across invocations', () => {
  it('passes after every planned measurement (duration, both ends included)', () => {
    const { steps, last } = run(plan(), Array(10).fill('passed'));
    expect(steps).toHaveLength(6);
    expect(last).toMatchObject({ kind: 'decided', state: 'passed', reason: expect.stringContaining('6 measurements: 6 passed') });
  });

  it('stops at count', () => {
    const { steps, last } = run(plan({ count: 2 }), Array(10).fill('passed'));
    expect(steps).toHaveLength(2);
    expect(last.kind).toBe('decided');
  });

  it('keeps failureLimit over the whole bake, not per invocation', () => {
    const { steps, last } = run(plan({ failureLimit: 1 }), ['passed', 'failed', 'passed', 'failed', 'passed']);
    expect(steps).toHaveLength(4);
    expect(last).toMatchObject({ kind: 'decided', state: 'failed', reason: expect.stringContaining('2 failed > failureLimit 1') });
  });

  it('counts consecutive errors only in a row', () => {
    const p = plan({ consecutiveErrorLimit: 1, count: 5 });
    expect(run(p, ['error', 'passed', 'error', 'passed', 'passed']).last).toMatchObject({ kind: 'decided', state: 'passed' });
    expect(run(p, ['passed', 'error', 'error']).last).toMatchObject({ kind: 'decided', state: 'error', reason: expect.stringContaining('2 consecutive measurements errored') });
  });

  it('is inconclusive, never passed, when no measurement passed', () => {
    expect(run(plan({ inconclusiveLimit: -1, count: 3 }), ['inconclusive', 'inconclusive', 'inconclusive']).last).toMatchObject({ kind: 'decided', state: 'inconclusive' });
  });

  it('says when the next measurement is due, and an early call is not due', () => {
    const step = recordMeasurement(plan(), undefined, 'passed', 'ok', T0);
    expect(step.kind).toBe('continue');
    const bake = step.bake;
    expect(bake.nextAt).toBe(T0 + 60_000);
    expect(isDue(bake, T0 + 59_999)).toBe(false);
    expect(isDue(bake, T0 + 60_000)).toBe(true);
    expect(isDue(undefined, T0)).toBe(true);
  });

  it('takes the worst enforced state as the measurement state', () => {
    expect(worstState([{ state: 'passed', enforced: true }, { state: 'error', enforced: true }, { state: 'failed', enforced: false }])).toBe('error');
    expect(worstState([{ state: 'failed', enforced: false }])).toBe('passed');
  });
});

describe('parseBakeState', () => {
  const good = recordMeasurement(plan(), undefined, 'passed', 'ok', T0).bake;
  const fieldOf = (value: unknown): string => {
    try {
      parseBakeState(value, 'hookDetails.bake');
    } catch (e) {
      expect(e).toBeInstanceOf(HookEventError);
      return (e as HookEventError).field;
    }
    return 'accepted';
  };

  it('round-trips what recordMeasurement wrote', () => {
    expect(parseBakeState(JSON.parse(JSON.stringify(good)), 'x')).toEqual(good);
  });

  it('rejects a tampered or foreign state, naming the field', () => {
    expect(fieldOf('nope')).toBe('hookDetails.bake');
    expect(fieldOf({ ...good, v: 2 })).toBe('hookDetails.bake.v');
    expect(fieldOf({ ...good, counts: { ...good.counts, failed: -1 } })).toBe('hookDetails.bake.counts.failed');
    expect(fieldOf({ ...good, counts: { ...good.counts, passed: 0 } })).toBe('hookDetails.bake.counts');
    expect(fieldOf({ ...good, consecutiveErrors: 3 })).toBe('hookDetails.bake.consecutiveErrors');
    expect(fieldOf({ ...good, nextAt: '1' })).toBe('hookDetails.bake.nextAt');
    expect(fieldOf({ ...good, last: { state: 'great', reason: '' } })).toBe('hookDetails.bake.last.state');
  });
});
