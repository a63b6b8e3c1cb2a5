/**
 * Fuzzing the bake state an ECS-native hook gets back in hookDetails: states
 * that name this very bake (its scope) with random times and counts, and
 * states of other bakes. The property: a state never shortens the bake —
 * SUCCEEDED only when the history it claims could have happened (one
 * measurement per interval since firstAt, none in the future, every limit
 * kept) and this measurement is the last planned one; a state of another
 * bake only ever starts this one afresh.
 */
import { ECSClient } from '@aws-sdk/client-ecs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { BAKE_STATE_KEY, defineEcsNativeHook } from '../../src/ecs-native/index.js';
import { MAX_CLOCK_SKEW_MS } from '../../src/platforms/ecs-native/bake-scope.js';
import { MAX_STAGE_MS } from '../../src/platforms/ecs-native/options.js';
import { ecsEvent, mockEcs } from '../helpers/ecs-native-mock.js';
import { FUZZ_RUNS } from './runs.js';

const T0 = Date.parse('2026-04-01T00:00:00Z');
const STAGE = 'POST_PRODUCTION_TRAFFIC_SHIFT';
const PLAN = { intervalMs: 60_000, count: 4, failureLimit: 1, consecutiveErrorLimit: 1, inconclusiveLimit: 1 };
const DAY = 86_400_000;

describe('Fuzz: bake states fed back to an ECS-native hook', () => {
  let ecs: ReturnType<typeof mockEcs>;
  let scope: Record<string, string>;
  const handler = defineEcsNativeHook({
    checks: [{ name: 'probe', run: async () => ({ state: 'passed', reason: 'ok' }) }],
    clients: { ecs: new ECSClient({ region: 'us-east-1' }) },
    log: () => {},
    maxDurationMs: 30_000,
    bake: PLAN,
  });
  beforeAll(async () => {
    ecs = mockEcs();
    vi.useFakeTimers({ toFake: ['Date'], now: T0 });
    const first = await handler(ecsEvent(STAGE));
    scope = (first.hookDetails![BAKE_STATE_KEY] as { scope: Record<string, string> }).scope;
  });
  afterAll(() => {
    ecs.restore();
    vi.useRealTimers();
  });

  const I = PLAN.intervalMs;
  // Times in whole intervals before now (often a history that could have happened), or anywhere within days.
  const plausible = fc
    .record({ gap: fc.integer({ min: 0, max: 4 }), since: fc.integer({ min: -1, max: 2 }), late: fc.constantFrom(0, 0, 0, 1000) })
    .map(({ gap, since, late }) => ({ firstAt: T0 - (gap + since) * I, lastAt: T0 - since * I, nextAt: T0 - since * I + I - late }));
  const wild = fc.record({ firstAt: fc.integer({ min: -2 * DAY, max: DAY }), lastAt: fc.integer({ min: -2 * DAY, max: DAY }), nextAt: fc.integer({ min: -2 * DAY, max: DAY }) }).map((t) => ({
    firstAt: T0 + t.firstAt,
    lastAt: T0 + t.lastAt,
    nextAt: T0 + t.nextAt,
  }));
  const state = fc
    .record({
      times: fc.oneof(plausible, wild),
      total: fc.constantFrom(0, 1, 2, 3, 3, 3, 4, 9),
      others: fc.record({ failed: fc.integer({ min: 0, max: 2 }), error: fc.integer({ min: 0, max: 2 }), inconclusive: fc.integer({ min: 0, max: 2 }) }),
      consecutive: fc.integer({ min: 0, max: 2 }),
      foreign: fc.constantFrom(undefined, undefined, undefined, 'stage', 'step', 'plan', 'deployment'),
    })
    .map(({ times, total, others, consecutive, foreign }) => ({
      foreign,
      value: {
        v: 1,
        ...times,
        counts: { total: Math.max(total, others.failed + others.error + others.inconclusive), passed: Math.max(0, total - others.failed - others.error - others.inconclusive), ...others },
        consecutiveErrors: Math.min(consecutive, others.error),
        last: { state: 'passed', reason: 'ok' },
        scope: foreign ? { ...scope, [foreign]: 'another' } : scope,
      },
    }));

  it('never lets a state shorten the bake', async () => {
    await fc.assert(
      fc.asyncProperty(state, async ({ foreign, value }) => {
        const r = await handler(ecsEvent(STAGE, { hookDetails: { [BAKE_STATE_KEY]: value } }));
        const returned = r.hookDetails?.[BAKE_STATE_KEY] as { counts: { total: number }; firstAt: number } | undefined;
        if (foreign) {
          // Another bake's state: this one starts afresh, whatever that state claims.
          expect(r.hookStatus).toBe('IN_PROGRESS');
          expect(returned).toMatchObject({ firstAt: T0, counts: { total: 1 } });
          return;
        }
        if (r.hookStatus !== 'SUCCEEDED') return;
        const { counts, firstAt, lastAt } = value;
        expect(counts.total + 1).toBe(PLAN.count);
        expect(firstAt + (PLAN.count - 2) * PLAN.intervalMs).toBeLessThanOrEqual(T0 + MAX_CLOCK_SKEW_MS);
        expect(lastAt).toBeLessThanOrEqual(T0 + MAX_CLOCK_SKEW_MS);
        expect(T0 - firstAt).toBeLessThanOrEqual(MAX_STAGE_MS + MAX_CLOCK_SKEW_MS);
        expect(counts.failed).toBeLessThanOrEqual(PLAN.failureLimit);
        expect(counts.inconclusive).toBeLessThanOrEqual(PLAN.inconclusiveLimit);
      }),
      { numRuns: Math.max(300, FUZZ_RUNS) },
    );
  }, 120_000);
});
