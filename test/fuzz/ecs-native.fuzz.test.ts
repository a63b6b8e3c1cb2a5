/**
 * Fuzzing the ECS-native platform to the response, not only the parser:
 * random events (valid, mutated, garbage), random check outcomes (valid and
 * not, thrown values), random ECS answers (a deployment found, missing,
 * access denied), with and without a bake, and random bake states fed back.
 *
 * The properties, for every case:
 *  - the handler resolves (never rejects) with a valid response;
 *  - SUCCEEDED only when the event was valid, ECS answered, and every
 *    enforced check truly passed (for a bake: at its last measurement, with
 *    every limit kept);
 *  - the parser either returns a typed event or throws HookEventError naming a field.
 */
import { DescribeServiceDeploymentsCommand, ECSClient } from '@aws-sdk/client-ecs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BAKE_STATE_KEY, defineEcsNativeHook, parseEcsNativeEvent } from '../../src/ecs-native/index.js';
import { parseBakeState, recordMeasurement } from '../../src/engine/bake-state.js';
import type { BakePlan, BakeState } from '../../src/engine/bake-state.js';
import { HookEventError } from '../../src/errors.js';
import type { Check, CheckState } from '../../src/types.js';
import { DEPLOYMENT_ARN, ecsEvent, mockEcs } from '../helpers/ecs-native-mock.js';
import { FUZZ_RUNS } from './runs.js';

const FIELD = /^(event|executionId|lifecycleStage|resourceArn|executionDetails(\.\w+(\[".*"\])?)?|hookDetails(\..+)?)$/;
const STATES: CheckState[] = ['passed', 'failed', 'inconclusive', 'error'];

/** A valid event with some of its fields replaced by anything. */
const event = fc.oneof(
  fc.anything(),
  fc.constantFrom(...['PRE_SCALE_UP', 'POST_TEST_TRAFFIC_SHIFT', 'PRODUCTION_TRAFFIC_SHIFT', 'POST_PRODUCTION_TRAFFIC_SHIFT'].map((s) => ecsEvent(s))),
  fc
    .record({
      base: fc.constantFrom('POST_TEST_TRAFFIC_SHIFT', 'PRODUCTION_TRAFFIC_SHIFT'),
      key: fc.constantFrom('executionId', 'lifecycleStage', 'resourceArn', 'executionDetails', 'hookDetails'),
      value: fc.anything(),
    })
    .map(({ base, key, value }) => ({ ...ecsEvent(base), [key]: value })),
  fc
    .record({ key: fc.constantFrom('serviceArn', 'targetServiceRevisionArn', 'testTrafficWeights', 'productionTrafficWeights'), value: fc.anything() })
    .map(({ key, value }) => ({ ...ecsEvent(), executionDetails: { ...(ecsEvent().executionDetails as object), [key]: value } })),
);

describe('Fuzz: parseEcsNativeEvent', () => {
  it('returns a typed event or throws HookEventError naming a field', () => {
    fc.assert(
      fc.property(event, (e) => {
        try {
          const parsed = parseEcsNativeEvent(e);
          expect(typeof parsed.executionId).toBe('string');
          expect(parsed.resourceArn).toContain(':service-deployment/');
          for (const w of [parsed.executionDetails.testTrafficWeights, parsed.executionDetails.productionTrafficWeights]) {
            for (const v of Object.values(w)) expect(v >= 0 && v <= 100).toBe(true);
          }
        } catch (error) {
          expect(error).toBeInstanceOf(HookEventError);
          expect((error as HookEventError).field).toMatch(FIELD);
        }
      }),
      { numRuns: FUZZ_RUNS },
    );
  });

  it('reads any bake state back as what was written, and anything else as HookEventError', () => {
    fc.assert(
      fc.property(fc.anything(), (value) => {
        try {
          const state = parseBakeState(value, 'hookDetails.x');
          expect(state.counts.passed + state.counts.failed + state.counts.error + state.counts.inconclusive).toBe(state.counts.total);
        } catch (error) {
          expect(error).toBeInstanceOf(HookEventError);
        }
      }),
      { numRuns: FUZZ_RUNS },
    );
  });
});

describe('Fuzz: bake limits across invocations', () => {
  const plan = fc.record({
    intervalMs: fc.constantFrom(1000, 30_000, 60_000),
    count: fc.integer({ min: 1, max: 12 }),
    failureLimit: fc.integer({ min: -1, max: 3 }),
    consecutiveErrorLimit: fc.integer({ min: -1, max: 3 }),
    inconclusiveLimit: fc.integer({ min: -1, max: 3 }),
  });
  it('passes only after every planned measurement, within every limit', () => {
    fc.assert(
      fc.property(plan, fc.array(fc.constantFrom(...STATES), { minLength: 12, maxLength: 12 }), (p: BakePlan, states) => {
        let state: BakeState | undefined;
        let consecutive = 0;
        let worstRun = 0;
        for (const [i, s] of states.entries()) {
          consecutive = s === 'error' ? consecutive + 1 : 0;
          worstRun = Math.max(worstRun, consecutive);
          const step = recordMeasurement(p, state, s, s, 1_000_000 + i * p.intervalMs);
          if (step.kind === 'decided') {
            if (step.state === 'passed') {
              const c = step.bake.counts;
              expect(c.total).toBe(p.count);
              expect(c.passed).toBeGreaterThan(0);
              if (p.failureLimit >= 0) expect(c.failed).toBeLessThanOrEqual(p.failureLimit);
              if (p.inconclusiveLimit >= 0) expect(c.inconclusive).toBeLessThanOrEqual(p.inconclusiveLimit);
              if (p.consecutiveErrorLimit >= 0) expect(worstRun).toBeLessThanOrEqual(p.consecutiveErrorLimit);
            }
            return;
          }
          state = parseBakeState(JSON.parse(JSON.stringify(step.bake)), 'hookDetails.bake');
        }
        throw new Error('a bake of at most 12 measurements was not decided after 12');
      }),
      { numRuns: FUZZ_RUNS },
    );
  });
});

describe('Fuzz: defineEcsNativeHook to the response', () => {
  let ecs: ReturnType<typeof mockEcs>;
  beforeAll(() => {
    ecs = mockEcs({ alarms: ['web-5xx'] });
  });
  afterAll(() => ecs.restore());

  type Behaviour = { kind: 'outcome'; state: CheckState } | { kind: 'garbage'; value: unknown } | { kind: 'throws'; value: unknown };
  const behaviour: fc.Arbitrary<Behaviour> = fc.oneof(
    fc.record({ kind: fc.constant('outcome' as const), state: fc.constantFrom(...STATES) }),
    fc.record({ kind: fc.constant('garbage' as const), value: fc.anything() }),
    fc.record({ kind: fc.constant('throws' as const), value: fc.anything() }),
  );
  const checkCase = fc.record({ behaviour, enforce: fc.option(fc.boolean(), { nil: undefined }) });
  const ecsAnswer = fc.constantFrom('found', 'missing', 'denied');

  it('never rejects, and SUCCEEDED only when every enforced check truly passed', async () => {
    await fc.assert(
      fc.asyncProperty(event, fc.array(checkCase, { minLength: 1, maxLength: 4 }), ecsAnswer, fc.boolean(), async (e, cases, answer, baked) => {
        ecs.on(DescribeServiceDeploymentsCommand).callsFake(async () => {
          if (answer === 'denied') throw Object.assign(new Error('not authorized'), { name: 'AccessDeniedException', $metadata: { httpStatusCode: 400 } });
          if (answer === 'missing') return { serviceDeployments: [], failures: [{ arn: DEPLOYMENT_ARN, reason: 'MISSING' }] };
          return { serviceDeployments: [{ serviceDeploymentArn: DEPLOYMENT_ARN, status: 'IN_PROGRESS', sourceServiceRevisions: [] }] };
        });
        const checks: Check[] = cases.map((c, i) => ({
          name: `c${i}`,
          ...(c.enforce !== undefined ? { enforce: c.enforce } : {}),
          async run() {
            const b = c.behaviour;
            if (b.kind === 'throws') throw b.value;
            if (b.kind === 'garbage') return b.value as never;
            return { state: b.state, reason: b.state };
          },
        }));
        const handler = defineEcsNativeHook({
          checks,
          clients: { ecs: new ECSClient({ region: 'us-east-1' }) },
          log: () => {},
          maxDurationMs: 30_000,
          ...(baked ? { bake: { intervalMs: 60_000, count: 1 } } : {}),
        });
        const response = await handler(e);
        expect(['SUCCEEDED', 'FAILED', 'IN_PROGRESS']).toContain(response.hookStatus);
        if (response.hookStatus !== 'SUCCEEDED') return;
        let valid = true;
        try {
          parseEcsNativeEvent(e);
        } catch {
          valid = false;
        }
        expect(valid).toBe(true);
        expect(answer).toBe('found');
        // A rollback is let through only by checks that pass; here every enforced one must truly pass.
        const truePass = (b: Behaviour) =>
          (b.kind === 'outcome' && b.state === 'passed') ||
          (b.kind === 'garbage' && typeof b.value === 'object' && b.value !== null && (b.value as { state?: unknown }).state === 'passed' && typeof (b.value as { reason?: unknown }).reason === 'string');
        for (const c of cases) if (c.enforce !== false) expect(truePass(c.behaviour), JSON.stringify(c)).toBe(true);
        if (baked) expect(BAKE_STATE_KEY in (response.hookDetails ?? {})).toBe(false);
      }),
      { numRuns: Math.max(50, Math.floor(FUZZ_RUNS / 3)) },
    );
  }, 120_000);
});
