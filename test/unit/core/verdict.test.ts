/**
 * verdictOf, the one place a verdict is decided, case by case with its exact
 * reasons (the verdict line is where a person learns why a deployment rolled
 * back). The end-to-end side of "Succeeded only when every enforced check
 * passed" is in adapters.test.ts and test/fuzz/verdict.fuzz.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { verdictOf } from '../../../src/hook-runner.js';
import type { CheckResult } from '../../../src/types.js';

const r = (name: string, state: CheckResult['state'], enforced = true): CheckResult => ({ name, state, reason: `${name} said ${state}`, enforced, durationMs: 1, attempts: 1 });

describe('Function: verdictOf', () => {
  it('fails a hook where no check ran', () => {
    expect(verdictOf([], 'fail')).toEqual({ status: 'Failed', reason: 'no checks ran: a hook with nothing to check does not pass' });
    expect(verdictOf([], 'pass').status).toBe('Failed');
  });

  it('names every enforced check that did not pass, with its state and reason, and counts them', () => {
    const results = [r('a', 'passed'), r('b', 'failed'), r('c', 'error'), r('d', 'inconclusive'), r('shadow', 'failed', false)];
    expect(verdictOf(results, 'fail')).toEqual({
      status: 'Failed',
      reason: '3 of 4 enforced checks did not pass: b failed: b said failed; c error: c said error; d inconclusive: d said inconclusive',
    });
  });

  it("lets an enforced inconclusive pass only under inconclusive: 'pass'", () => {
    expect(verdictOf([r('a', 'passed'), r('d', 'inconclusive')], 'pass')).toEqual({ status: 'Succeeded', reason: 'all 2 enforced checks passed' });
    expect(verdictOf([r('a', 'passed'), r('d', 'inconclusive')], 'fail')).toEqual({
      status: 'Failed',
      reason: '1 of 2 enforced checks did not pass: d inconclusive: d said inconclusive',
    });
  });

  it("never lets failed or error pass, whatever the inconclusive policy", () => {
    for (const state of ['failed', 'error'] as const) {
      for (const policy of ['fail', 'pass'] as const) {
        expect(verdictOf([r('a', 'passed'), r('x', state)], policy).status).toBe('Failed');
      }
    }
  });

  it('leaves dry-run checks out of the decision and says how many ran', () => {
    expect(verdictOf([r('a', 'passed'), r('s', 'failed', false)], 'fail')).toEqual({
      status: 'Succeeded',
      reason: 'all 1 enforced checks passed (1 dry-run check not enforced)',
    });
    expect(verdictOf([r('a', 'passed'), r('s', 'error', false), r('t', 'passed', false)], 'fail')).toEqual({
      status: 'Succeeded',
      reason: 'all 1 enforced checks passed (2 dry-run checks not enforced)',
    });
    expect(verdictOf([r('a', 'passed')], 'fail').reason).toBe('all 1 enforced checks passed');
  });

  it('says so when only dry-run checks ran', () => {
    expect(verdictOf([r('s', 'failed', false), r('t', 'passed', false)], 'fail')).toEqual({ status: 'Succeeded', reason: 'no enforced checks; 2 dry-run checks ran' });
  });

  it('caps the reason, keeping its start and saying how much was cut', () => {
    const many = Array.from({ length: 400 }, (_, i) => ({ ...r(`c${i}`, 'failed'), reason: 'x'.repeat(100) }));
    const { status, reason } = verdictOf(many, 'fail');
    expect(status).toBe('Failed');
    expect(reason.startsWith('400 of 400 enforced checks did not pass: c0 failed: xxx')).toBe(true);
    expect(reason).toMatch(/… \(\d+ more characters cut\)$/);
    expect(reason.length).toBeLessThan(8100);
  });
});
