import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HookEventError, OptionsError, parseHookEvent } from '../../src/index.js';
import { defineHook } from '../../src/index.js';
import { FUZZ_RUNS } from './runs.js';

const FIELDS = ['event', 'DeploymentId', 'LifecycleEventHookExecutionId'];

describe('Fuzz: parseHookEvent', () => {
  it('either returns the two string ids or throws HookEventError naming a field', () => {
    const eventLike = fc.oneof(
      fc.anything(),
      fc.record({ DeploymentId: fc.anything(), LifecycleEventHookExecutionId: fc.anything() }, { requiredKeys: [] }),
      fc.record({ DeploymentId: fc.string({ maxLength: 5000 }), LifecycleEventHookExecutionId: fc.string({ maxLength: 5000 }) }),
    );
    fc.assert(
      fc.property(eventLike, (event) => {
        try {
          const parsed = parseHookEvent(event);
          const e = event as Record<string, unknown>;
          expect(parsed).toEqual({ DeploymentId: e.DeploymentId, LifecycleEventHookExecutionId: e.LifecycleEventHookExecutionId });
          expect(parsed.DeploymentId.length).toBeLessThanOrEqual(4096);
        } catch (error) {
          expect(error).toBeInstanceOf(HookEventError);
          expect(FIELDS).toContain((error as HookEventError).field);
          expect((error as Error).message).toContain((error as HookEventError).field);
        }
      }),
      { numRuns: FUZZ_RUNS },
    );
  });
});

describe('Fuzz: defineHook option validation', () => {
  it('either accepts the options or throws OptionsError naming a field, never anything else', () => {
    const check = fc.record({ name: fc.oneof(fc.string(), fc.anything()), run: fc.oneof(fc.constant(async () => ({ state: 'passed', reason: 'x' })), fc.anything()), timeoutMs: fc.anything(), enforce: fc.anything(), retry: fc.anything() }, { requiredKeys: [] });
    const options = fc.oneof(
      fc.anything(),
      fc.record(
        {
          checks: fc.oneof(fc.array(check, { maxLength: 3 }), fc.anything()),
          reserveMs: fc.anything(),
          concurrency: fc.anything(),
          inconclusive: fc.anything(),
          bypass: fc.anything(),
          maxDurationMs: fc.anything(),
          resolveRetry: fc.anything(),
        },
        { requiredKeys: [] },
      ),
    );
    fc.assert(
      fc.property(options, (o) => {
        try {
          defineHook(o as never);
        } catch (error) {
          expect(error).toBeInstanceOf(OptionsError);
          expect((error as OptionsError).field.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: FUZZ_RUNS },
    );
  });
});
