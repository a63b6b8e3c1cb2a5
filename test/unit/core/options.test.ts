import { describe, expect, it } from 'vitest';
import { defineHook, OptionsError, parseHookEvent } from '../../../src/index.js';
import { codeDeployHook } from '../../../src/middy/index.js';

const ok = { name: 'ok', run: async () => ({ state: 'passed' as const, reason: 'ok' }) };

describe('Function: defineHook options', () => {
  it.each([
    [undefined, 'options'],
    [{}, 'checks'],
    [{ checks: [] }, 'checks'],
    [{ checks: [{ run: ok.run }] }, 'checks[0].name'],
    [{ checks: [{ name: 'x' }] }, 'checks[0].run'],
    [{ checks: [{ ...ok, timeoutMs: -1 }] }, 'checks[0].timeoutMs'],
    [{ checks: [{ ...ok, retry: { attempts: 0 } }] }, 'checks[0].retry.attempts'],
    [{ checks: [{ sequence: [] }] }, 'checks[0].sequence'],
    [{ checks: [ok], reserveMs: 'soon' }, 'reserveMs'],
    [{ checks: [ok], concurrency: 0 }, 'concurrency'],
    [{ checks: [ok], inconclusive: 'maybe' }, 'inconclusive'],
    [{ checks: [ok], bypass: {} }, 'bypass.reason'],
    [{ checks: [ok], chekcs: [] }, 'chekcs'],
  ])('rejects %j naming %s', (options, field) => {
    for (const define of [defineHook, codeDeployHook]) {
      const error = (() => {
        try {
          define(options as never);
        } catch (e) {
          return e;
        }
        return undefined;
      })();
      expect(error).toBeInstanceOf(OptionsError);
      expect((error as OptionsError).field).toBe(field);
      expect((error as OptionsError).code).toBe('OPTIONS_INVALID');
    }
  });

  it('accepts a checks function, validated per invocation', () => {
    expect(() => defineHook({ checks: () => [ok] })).not.toThrow();
  });
});

describe('Function: parseHookEvent', () => {
  it('returns exactly the two ids', () => {
    expect(parseHookEvent({ DeploymentId: 'd-1', LifecycleEventHookExecutionId: 'e', Extra: 1 })).toEqual({ DeploymentId: 'd-1', LifecycleEventHookExecutionId: 'e' });
  });
});
