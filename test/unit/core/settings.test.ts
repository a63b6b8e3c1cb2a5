/**
 * Hook options and settings, exactly: every refusal names its field and says
 * what is expected (options.test.ts checks the field through both adapters),
 * every valid value is accepted, and the environment fills only what the
 * options leave open.
 */
import { describe, expect, it } from 'vitest';
import { inSequence, validateCheckSpecs } from '../../../src/engine/validate.js';
import { DEFAULTS, resolveSettings, validateHookOptions } from '../../../src/settings.js';
import type { Check, HookOptions } from '../../../src/types.js';

const ok: Check = { name: 'ok', run: async () => ({ state: 'passed', reason: 'ok' }) };

function refusal(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('accepted');
}
const options = (o: Record<string, unknown>) => refusal(() => validateHookOptions({ checks: [ok], ...o }));
const checks = (c: unknown) => refusal(() => validateCheckSpecs(c));

describe('Function: validateHookOptions', () => {
  it.each([
    [{ reserveMs: -1 }, 'invalid option reserveMs: must be a non-negative number, got -1'],
    [{ reserveMs: Number.NaN }, 'invalid option reserveMs: must be a non-negative number, got null'],
    [{ reserveMs: '5' }, 'invalid option reserveMs: must be a non-negative number, got "5"'],
    [{ maxDurationMs: 0 }, 'invalid option maxDurationMs: must be a positive number, got 0'],
    [{ maxDurationMs: 900_001 }, "invalid option maxDurationMs: must be at most 900000 (Lambda's 15 minutes), got 900001"],
    [{ concurrency: 0 }, 'invalid option concurrency: must be an integer >= 1, got 0'],
    [{ concurrency: 1.5 }, 'invalid option concurrency: must be an integer >= 1, got 1.5'],
    [{ inconclusive: 'maybe' }, 'invalid option inconclusive: must be \'fail\' or \'pass\', got "maybe"'],
    [{ bypass: { reason: '  ' } }, 'invalid option bypass.reason: is required: a bypass must say why'],
    [{ bypass: null }, 'invalid option bypass.reason: is required: a bypass must say why'],
    [{ metricsNamespace: '' }, 'invalid option metricsNamespace: must be a non-empty string'],
    [{ metricsNamespace: 7 }, 'invalid option metricsNamespace: must be a non-empty string'],
    [{ log: 'stdout' }, 'invalid option log: must be a function (line: string) => void'],
    [{ resolveRetry: { attempts: 0, delayMs: 1 } }, 'invalid option resolveRetry.attempts: must be an integer >= 1'],
    [{ resolveRetry: null }, 'invalid option resolveRetry.attempts: must be an integer >= 1'],
    [{ resolveRetry: { attempts: 1, delayMs: -1 } }, 'invalid option resolveRetry.delayMs: must be a non-negative number, got -1'],
    [{ '': 1 }, 'invalid option "": is not a hook option (known: checks, reserveMs, concurrency, inconclusive, bypass, clients, metricsNamespace, log, maxDurationMs, resolveRetry)'],
  ])('refuses %j, saying why', (o, message) => {
    expect(options(o)).toBe(message);
  });

  it('refuses a missing options object and an empty check list', () => {
    expect(refusal(() => validateHookOptions(null))).toBe('invalid option options: must be an object with at least `checks`');
    expect(refusal(() => validateHookOptions({ checks: [] }))).toBe('invalid option checks: is empty: a hook needs at least one check to decide anything');
  });

  it('accepts every option at its edge', () => {
    const all: HookOptions = {
      checks: [ok],
      reserveMs: 0,
      concurrency: 1,
      inconclusive: 'pass',
      bypass: { reason: 'INC-1' },
      clients: {},
      metricsNamespace: 'N',
      log: () => {},
      maxDurationMs: 1,
      resolveRetry: { attempts: 1, delayMs: 0 },
    };
    expect(() => validateHookOptions(all)).not.toThrow();
    expect(() => validateHookOptions({ checks: [ok], inconclusive: 'fail' })).not.toThrow();
    expect(() => validateHookOptions({ checks: [ok], maxDurationMs: 900_000 })).not.toThrow();
  });
});

describe('Function: validateCheckSpecs', () => {
  it.each([
    ['not an array', { name: 'x' }, 'invalid option checks: must be an array of checks or a function returning one, got object'],
    ['null', [null], 'invalid option checks[0]: must be a check {name, run}, got null'],
    ['a string', ['ok'], 'invalid option checks[0]: must be a check {name, run}, got string'],
    ['an empty name', [{ name: '', run: ok.run }], 'invalid option checks[0].name: must be a non-empty string'],
    ['no run', [{ name: 'x' }], 'invalid option checks[0].run: must be a function (check "x")'],
    ['timeout 0', [{ ...ok, timeoutMs: 0 }], 'invalid option checks[0].timeoutMs: must be a positive number of ms, got 0'],
    ['enforce "yes"', [{ ...ok, enforce: 'yes' }], 'invalid option checks[0].enforce: must be a boolean'],
    ['retry a function', [{ ...ok, retry: Object.assign(() => {}, { attempts: 2 }) }], 'invalid option checks[0].retry.attempts: must be an integer >= 1'],
    ['retry null', [{ ...ok, retry: null }], 'invalid option checks[0].retry.attempts: must be an integer >= 1'],
    ['retry 1.5 attempts', [{ ...ok, retry: { attempts: 1.5 } }], 'invalid option checks[0].retry.attempts: must be an integer >= 1'],
    ['retry 0 attempts', [{ ...ok, retry: { attempts: 0 } }], 'invalid option checks[0].retry.attempts: must be an integer >= 1'],
    ['a negative delay', [{ ...ok, retry: { attempts: 2, delayMs: -1 } }], 'invalid option checks[0].retry.delayMs: must be a number >= 0'],
    ['an infinite delay', [{ ...ok, retry: { attempts: 2, delayMs: Infinity } }], 'invalid option checks[0].retry.delayMs: must be a number >= 0'],
    ['a backoff under 1', [{ ...ok, retry: { attempts: 2, backoff: 0.5 } }], 'invalid option checks[0].retry.backoff: must be a number >= 1'],
    ['a NaN backoff', [{ ...ok, retry: { attempts: 2, backoff: Number.NaN } }], 'invalid option checks[0].retry.backoff: must be a number >= 1'],
    ['retryIf not a function', [{ ...ok, retry: { attempts: 2, retryIf: true } }], 'invalid option checks[0].retry.retryIf: must be a function'],
    ['an empty sequence', [{ sequence: [] }], 'invalid option checks[0].sequence: must be a non-empty array of checks'],
    ['a bad check in a sequence', [{ sequence: [ok, { name: 'y' }] }], 'invalid option checks[0].sequence[1].run: must be a function (check "y")'],
  ])('refuses %s, naming the field', (_label, spec, message) => {
    expect(checks(spec)).toBe(message);
  });

  it('accepts the edges of every field', () => {
    expect(() => validateCheckSpecs([{ ...ok, timeoutMs: 1, enforce: false, retry: { attempts: 1, delayMs: 0, backoff: 1, retryIf: () => true } }])).not.toThrow();
    expect(() => validateCheckSpecs([{ ...ok, retry: { attempts: 2 } }])).not.toThrow();
  });

  it('inSequence validates its checks and keeps a name', () => {
    expect(inSequence([ok], 'smoke')).toEqual({ sequence: [ok], name: 'smoke' });
    expect(inSequence([ok])).toEqual({ sequence: [ok] });
    expect(refusal(() => inSequence([]))).toBe('invalid option inSequence[0].sequence: must be a non-empty array of checks');
  });
});

describe('Function: resolveSettings', () => {
  const base: HookOptions = { checks: [ok] };

  it('uses the defaults when neither options nor environment say otherwise', () => {
    expect(resolveSettings(base, {})).toEqual({
      reserveMs: DEFAULTS.reserveMs,
      concurrency: 8,
      inconclusive: 'fail',
      metricsNamespace: 'CodeDeployHooks',
      resolveRetry: { attempts: 5, delayMs: 1000 },
      debug: false,
    });
  });

  it('lets the environment fill what the options leave open, and the options win', () => {
    const env = { CODEDEPLOY_HOOKS_RESERVE_MS: '1500', CODEDEPLOY_HOOKS_METRICS_NAMESPACE: 'Env/NS', CODEDEPLOY_HOOKS_BYPASS_REASON: '  INC-9  ', CODEDEPLOY_HOOKS_DEBUG: '1' };
    expect(resolveSettings(base, env)).toMatchObject({ reserveMs: 1500, metricsNamespace: 'Env/NS', bypass: { reason: 'INC-9' }, debug: true });
    const own: HookOptions = { ...base, reserveMs: 100, metricsNamespace: 'Own', bypass: { reason: 'own' }, inconclusive: 'pass', concurrency: 2, resolveRetry: { attempts: 1, delayMs: 5 } };
    expect(resolveSettings(own, env)).toEqual({ reserveMs: 100, metricsNamespace: 'Own', bypass: { reason: 'own' }, inconclusive: 'pass', concurrency: 2, resolveRetry: { attempts: 1, delayMs: 5 }, debug: true });
  });

  it('reads an empty or blank reserve variable as unset, and refuses a bad one by name', () => {
    expect(resolveSettings(base, { CODEDEPLOY_HOOKS_RESERVE_MS: '' }).reserveMs).toBe(DEFAULTS.reserveMs);
    expect(resolveSettings(base, { CODEDEPLOY_HOOKS_RESERVE_MS: '  ' }).reserveMs).toBe(DEFAULTS.reserveMs);
    expect(resolveSettings(base, { CODEDEPLOY_HOOKS_RESERVE_MS: '0' }).reserveMs).toBe(0);
    expect(refusal(() => resolveSettings(base, { CODEDEPLOY_HOOKS_RESERVE_MS: 'soon' }))).toBe(
      'invalid option CODEDEPLOY_HOOKS_RESERVE_MS: must be a non-negative number, got null',
    );
  });

  it('refuses a blank bypass variable by name', () => {
    expect(refusal(() => resolveSettings(base, { CODEDEPLOY_HOOKS_BYPASS_REASON: ' ' }))).toBe(
      'invalid option CODEDEPLOY_HOOKS_BYPASS_REASON: is set but empty: a bypass must say why',
    );
  });
});
